"""One signal for "the register changed": whatever shows register data keeps it fresh by it.

Writers announce a change; `register_changed` is sent once the transaction commits (right away
outside one), once per transaction (savepoint) however many rows it wrote, never for a rollback. The
web app's public page cache listens (`poles.web.apps`), and model saves of the register's apps
announce themselves there too, so pages, the API, the admin and imports all end in one place.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

register_changed = Signal()
"""Sent (sender=None) after a committed write to the register."""


def _send() -> None:
    register_changed.send(sender=None)


def announce(using: str = DEFAULT_DB_ALIAS) -> None:
    """Send `register_changed` once the current transaction on `using` commits."""
    connection = connections[using]
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        if any(func is _send and saved == current for saved, func, _ in connection.run_on_commit):
            return  # already due at the same commit (or dropped by the same rollback)
    transaction.on_commit(_send, using=using, robust=True)  # a failing listener never fails the write
