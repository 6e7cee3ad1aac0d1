from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "poles.registry"
    label = "registry"
