"""Renderings shared by every worker for anonymous readers, valid until the register changes.

Anonymous readers all read the same public fields, so one rendering of a page or an API list
serves them all for a short while. Renderings live in the shared cache (`poles.core.cache`) with
the generation they were made in: any committed write to the register
(`poles.core.changes.register_changed`) starts a new generation, so every worker stops serving the
old ones at once. The generation is read from the shared cache at each request, never kept in a
process; only renderings, which never change once made, are also kept in a small per-process layer.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict

from django.core.cache import cache

SECONDS = 60
LOCAL_BYTES = 32 * 1024 * 1024
"""What each process keeps of renderings (immutable: keyed by generation and time), least recently
used first out: a few thousand pages, so that the popular ones are served without a cache read."""
GENERATION_KEY = "web:page-generation"
PERSONAL_GENERATION_KEY = "web:personal-generation"
"""The generation of pages rendered for one logged-in user: it moves on with the register's and at
every write of anyone (any unsafe request, any save of a row), so a personal page never outlives one."""

Stored = tuple[str, float, bytes, str]
"""(generation, made at, content, content type)."""

_local: OrderedDict[str, Stored] = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()


def _new_generation() -> str:
    return secrets.token_hex(8)  # never a value seen before, even if the key was evicted


def new_generation(**_signal) -> None:
    """Start a new generation of renderings and derived figures (after a committed write)."""
    cache.set_many({GENERATION_KEY: _new_generation(), PERSONAL_GENERATION_KEY: _new_generation()}, None)


def new_personal_generation(**_signal) -> None:
    """Start a new generation of personal renderings only (after any committed write)."""
    cache.set(PERSONAL_GENERATION_KEY, _new_generation(), None)


def generation(key: str = GENERATION_KEY) -> str:
    """The current generation (of `key`), created when the shared cache has none."""
    current = cache.get(key)
    if current is None:
        cache.add(key, _new_generation(), None)
        current = cache.get(key)
    return str(current)


def generational(key: str) -> str:
    """`key` in the current generation: for figures derived from the register."""
    return f"{key}:{generation()}"


def key_of(prefix: str, *parts: str) -> str:
    """A cache key from the parts that make a rendering differ (path, query, language…)."""
    return f"{prefix}:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def lookup(key: str, generation_key: str = GENERATION_KEY) -> tuple[str, tuple[bytes, str] | None]:
    """The current generation, and the rendering stored under `key` when it is of that generation."""
    current = generation(generation_key)
    with _local_lock:
        local = _local.get(key)
        if local is not None and local[0] == current and time.time() - local[1] < SECONDS:
            _local.move_to_end(key)
            return current, (local[2], local[3])
    stored = cache.get(key)
    if stored is None or stored[0] != current:
        return current, None
    _remember(key, stored)
    return current, (stored[2], stored[3])


def store(key: str, current: str, content: bytes, content_type: str) -> None:
    """Keep a rendering made in generation `current` (read before rendering) for SECONDS."""
    stored = (current, time.time(), content, content_type)
    cache.set(key, stored, SECONDS)
    _remember(key, stored)


def _remember(key: str, stored: Stored) -> None:
    global _local_bytes
    with _local_lock:
        previous = _local.pop(key, None)
        if previous is not None:
            _local_bytes -= len(previous[2])
        _local[key] = stored
        _local_bytes += len(stored[2])
        while _local_bytes > LOCAL_BYTES and len(_local) > 1:
            _key, dropped = _local.popitem(last=False)
            _local_bytes -= len(dropped[2])
