from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "poles.indicators"
    label = "indicators"
