"""The web app; its `ready` ties every committed write to the register to the public page cache,
and every other committed write of ours to the personal pages' cache."""

from __future__ import annotations

import logging

from django.apps import AppConfig, apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_save

from poles.core.changes import announce, register_changed

log = logging.getLogger("poles.web")

REGISTER_APPS = ("registry", "projects")
"""The apps whose rows the public pages show; a save of any of their models counts."""
UNSHOWN_APPS = ("sessions", "admin", "contenttypes", "staticfiles", "django_tasks_database")
"""Apps whose rows no page shows as such: their writes leave personal pages as they are."""


def _personal_pages_now() -> None:
    """Personal pages rendered anew at once: the writer's own next page, even inside a transaction."""
    from poles.core.rendered import new_personal_generation

    try:
        new_personal_generation()
    except DatabaseError:  # no cache table yet (a database being built): nothing is kept either
        log.warning("personal pages: the shared cache could not be told of a write")


def _model_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """A register row written: the commit's announcement starts new generations of both caches."""
    _personal_pages_now()
    announce(using)


def _row_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Any other row of ours written: personal pages are rendered anew, now and once it commits."""
    from poles.core.rendered import new_personal_generation

    _personal_pages_now()
    connection = connections[using]
    if connection.in_atomic_block and not any(
        func is new_personal_generation for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(new_personal_generation, using=using, robust=True)


class WebConfig(AppConfig):
    name = "poles.web"
    label = "web"

    def ready(self) -> None:
        """Saves and many-to-many changes (pages, API, admin) announce a change; bulk writers
        (imports, the demo) and deletions (the admin's `RegisterAdmin`) announce theirs, since a
        post_delete receiver would make Django load every dependent row before deleting it.
        Every other save makes the personal pages' renderings old; any write request does too
        (`pagecache.PersonalPagesMiddleware`), deletions included."""
        from poles.web.pagecache import forget_pages

        register_changed.connect(forget_pages, dispatch_uid="poles.web.pagecache")
        for label in REGISTER_APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                uid = f"poles.web.changed.{model._meta.label}"
                post_save.connect(_model_changed, sender=model, dispatch_uid=uid)
                m2m_changed.connect(_model_changed, sender=model, dispatch_uid=uid)
        for config in apps.get_app_configs():
            if config.label in UNSHOWN_APPS or config.label in REGISTER_APPS:
                continue
            for model in config.get_models(include_auto_created=True):
                uid = f"poles.web.personal.{model._meta.label}"
                for signal in (post_save, m2m_changed):  # deletions: see above, and the middleware
                    signal.connect(_row_changed, sender=model, dispatch_uid=uid)
