from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "poles.demo"
    label = "demo"
