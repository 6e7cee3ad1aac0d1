"""Live progress and heartbeats of long jobs, kept in the shared cache rather than the database.

An import's transaction holds the database until it commits (on SQLite, the whole file): a job
row updated inside it is invisible to pages, and one updated beside it waits for the lock. The
cache is another store, visible to every process at once (the database cache on its own
connection, or Redis). `store()` is the one place that names it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections

PREFIX = "poles:job:"
KEEP = 24 * 60 * 60
"""Seconds a progress or heartbeat entry outlives its last write (jobs clear theirs when they end)."""
log = logging.getLogger(__name__)


def store() -> BaseCache:
    """The cache that holds progress and heartbeats."""
    return caches["default"]


def is_shared() -> bool:
    """False when the cache lives in one process: other processes then see no progress."""
    return not isinstance(store(), LocMemCache | DummyCache)


def publish(key: str, stage: str, done: int, total: int) -> None:
    """Record where job `key` stands; never fails the job when the cache is unreachable."""
    record = {"stage": stage, "done": done, "total": total, "at": time.time()}
    try:
        store().set_many({f"{PREFIX}{key}:progress": record, f"{PREFIX}{key}:beat": record["at"]}, KEEP)
    except Exception:  # noqa: BLE001 — progress is a display; the import goes on without it
        log.warning("could not record the progress of job %s", key, exc_info=True)


def read(key: str) -> dict[str, Any] | None:
    """The last progress published for job `key` ({stage, done, total, at}), if any."""
    try:
        return store().get(f"{PREFIX}{key}:progress")
    except Exception:  # noqa: BLE001 — a page without progress still shows the job's status
        log.warning("could not read the progress of job %s", key, exc_info=True)
        return None


def beat(key: str) -> None:
    """Say that job `key`'s worker is alive."""
    try:
        store().set(f"{PREFIX}{key}:beat", time.time(), KEEP)
    except Exception:  # noqa: BLE001 — a missed beat only delays nothing; the next one retries
        log.warning("could not record the heartbeat of job %s", key, exc_info=True)


def last_beat(key: str) -> float | None:
    """When job `key`'s worker last said it was alive (epoch seconds), if known."""
    try:
        return store().get(f"{PREFIX}{key}:beat")
    except Exception:  # noqa: BLE001
        log.warning("could not read the heartbeat of job %s", key, exc_info=True)
        return None


def forget(key: str) -> None:
    """Drop job `key`'s progress and heartbeat once it has ended."""
    try:
        store().delete_many([f"{PREFIX}{key}:progress", f"{PREFIX}{key}:beat"])
    except Exception:  # noqa: BLE001
        log.warning("could not clear the progress of job %s", key, exc_info=True)


class Heartbeat:
    """A thread of the worker process that beats for job `key` every `every` seconds.

    It keeps the job's lease alive while the job runs steps that report no progress (reading a
    large workbook, one long statement). Only the task worker uses it, never the web process.
    """

    def __init__(self, key: str, every: float) -> None:
        self.key, self.every = key, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{key}", daemon=True)

    def __enter__(self) -> Heartbeat:
        beat(self.key)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                beat(self.key)
        finally:
            connections.close_all()  # this thread's own connections (database cache)
