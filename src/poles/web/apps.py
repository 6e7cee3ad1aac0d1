"""The web app; its `ready` ties every committed write to the register to the public page cache."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_save

from poles.core.changes import announce, register_changed

REGISTER_APPS = ("registry", "projects")
"""The apps whose rows the public pages show; a save of any of their models counts."""


def _model_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    announce(using)


class WebConfig(AppConfig):
    name = "poles.web"
    label = "web"

    def ready(self) -> None:
        """Saves and many-to-many changes (pages, API, admin) announce a change; bulk writers
        (imports, the demo) and deletions (the admin's `RegisterAdmin`) announce theirs, since a
        post_delete receiver would make Django load every dependent row before deleting it."""
        from poles.web.pagecache import forget_pages

        register_changed.connect(forget_pages, dispatch_uid="poles.web.pagecache")
        for label in REGISTER_APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                uid = f"poles.web.changed.{model._meta.label}"
                post_save.connect(_model_changed, sender=model, dispatch_uid=uid)
                m2m_changed.connect(_model_changed, sender=model, dispatch_uid=uid)
