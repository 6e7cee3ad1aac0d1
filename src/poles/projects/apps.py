from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "poles.projects"
    label = "projects"
