from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "poles.survey"
    label = "survey"
    verbose_name = "Annual survey"

    def ready(self) -> None:
        """Serve this app's API under /api/v1/surveys (the API layer cannot import this app)."""
        from poles.api.router import api
        from poles.survey.api import router

        api.add_router("/surveys", router)
