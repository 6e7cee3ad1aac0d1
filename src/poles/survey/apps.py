from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "poles.survey"
    label = "survey"
    verbose_name = "Annual survey"
