"""The search app; its `ready` keeps the index current after migrations and register changes."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class SearchConfig(AppConfig):
    name = "poles.search"
    label = "search"

    def ready(self) -> None:
        """Triggers are dropped before migrations (a table rebuilt by SQLite would lose them) and
        installed again after; clusters are re-indexed on every committed register change."""
        from poles.core.changes import register_changed
        from poles.search import index

        pre_migrate.connect(index.before_migrate, sender=self, dispatch_uid="poles.search.pre")
        post_migrate.connect(index.after_migrate, sender=self, dispatch_uid="poles.search.post")
        register_changed.connect(index.on_register_changed, dispatch_uid="poles.search.changed")
