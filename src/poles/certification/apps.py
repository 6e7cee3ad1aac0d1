from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "poles.certification"
    verbose_name = "certification campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Serve this app's API under /api/v1/certification (the API layer cannot import this app)."""
        from poles.api.router import api
        from poles.certification.api import router

        api.add_router("/certification", router)
