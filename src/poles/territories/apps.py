from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "poles.territories"
    label = "territories"
