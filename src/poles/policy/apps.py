from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "poles.policy"
    verbose_name = "state of play of cluster policy"
    default_auto_field = "django.db.models.BigAutoField"
