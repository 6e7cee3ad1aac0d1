from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "poles.imports"
    label = "imports"
