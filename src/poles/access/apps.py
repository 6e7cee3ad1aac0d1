from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "poles.access"
    label = "access"
