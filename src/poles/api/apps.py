from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "poles.api"
    label = "api"
