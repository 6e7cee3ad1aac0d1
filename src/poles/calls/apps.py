from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "poles.calls"
    verbose_name = "calls for projects"
    default_auto_field = "django.db.models.BigAutoField"
