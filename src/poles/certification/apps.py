from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "poles.certification"
    verbose_name = "certification campaigns"
    default_auto_field = "django.db.models.BigAutoField"
