"""The search app; its `ready` keeps the index current after migrations and register changes."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate


class SearchConfig(AppConfig):
    name = "poles.search"
    label = "search"

    def ready(self) -> None:
        """Triggers are dropped before migrations (a table rebuilt by SQLite would lose them) and
        installed again after; a cluster saved or relinked is re-indexed in its transaction, and the
        changed ones after every committed register change (bulk writers announce theirs)."""
        from poles.core.changes import register_changed
        from poles.registry.models import Cluster
        from poles.search import index

        pre_migrate.connect(index.before_migrate, sender=self, dispatch_uid="poles.search.pre")
        post_migrate.connect(index.after_migrate, sender=self, dispatch_uid="poles.search.post")
        register_changed.connect(index.on_register_changed, dispatch_uid="poles.search.changed")
        post_save.connect(index.on_cluster_saved, sender=Cluster, dispatch_uid="poles.search.cluster")
        post_delete.connect(index.on_cluster_deleted, sender=Cluster, dispatch_uid="poles.search.cluster")
        for through in (Cluster.regions.through, Cluster.ecosystems.through):
            m2m_changed.connect(index.on_cluster_links, sender=through, dispatch_uid=f"poles.search.{through.__name__}")
