from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "poles.web"
    label = "web"
