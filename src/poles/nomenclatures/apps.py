from django.apps import AppConfig


class NomenclaturesConfig(AppConfig):
    name = "poles.nomenclatures"
    label = "nomenclatures"
