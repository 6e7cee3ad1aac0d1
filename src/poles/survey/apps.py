from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "poles.survey"
    label = "survey"
    verbose_name = "Annual survey"

    def ready(self) -> None:
        """The indicator engine reads the frozen reports for figures as of a date (it sits below the
        survey); the demo's reports are added with the demo register; this app's API is served under
        /api/v1/surveys (the API layer cannot import this app)."""
        from poles.demo.signals import register_written
        from poles.indicators import engine
        from poles.survey.demo import add_demo_surveys
        from poles.survey.frozen import SurveyReports

        engine.use_frozen_reports(SurveyReports())
        register_written.connect(add_demo_surveys, dispatch_uid="survey-demo")
        from poles.api.router import api
        from poles.survey.api import router

        api.add_router("/surveys", router)
