"""Telling a database that is busy (another write holds the lock) from a real failure.

SQLite allows one writer at a time: past its busy timeout a write fails with "database is
locked". PostgreSQL says so with SQLSTATE 55P03 (lock_not_available) when a lock timeout is set.
Such a write can simply be tried again: pages and the API answer 503 with Retry-After.
"""

from __future__ import annotations

from django.db import OperationalError

RETRY_AFTER = 5
"""Seconds a client is asked to wait before trying a refused write again."""
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_LOCK_NOT_AVAILABLE = "55P03"


def is_busy(error: BaseException) -> bool:
    """True when `error` says the database was locked by another write, not broken."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(getattr(error, "__cause__", None), "sqlstate", None) == _LOCK_NOT_AVAILABLE:
        return True
    message = str(error).lower()
    return any(text in message for text in _SQLITE_BUSY)
