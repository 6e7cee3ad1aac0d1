from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "poles.core"
    label = "core"

    def ready(self) -> None:
        from poles.core import checks  # noqa: F401  (registers the deployment checks)
