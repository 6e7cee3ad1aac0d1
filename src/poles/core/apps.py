from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "poles.core"
    label = "core"
