from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "poles.reports"
    label = "reports"
