"""Rate limits on logins and password-reset requests, counted in the shared cache.

Each limit counts events per subject (an account, an e-mail, a client address) in a window that
opens with the first event: `cache.add` creates the counter with the window as its expiry and
`cache.incr` adds to it atomically, so every worker counts into the same number. The event that
reaches the limit locks the subject for a whole window (a second key holding the end time, so
the page can say how long to wait). The cache is shared (database or Redis, see
`poles.core.cache`), so a limit holds across gunicorn workers.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

Subject = tuple["Limit", str]
"""A limit and what it counts (the username, the e-mail, the address)."""


@dataclass(frozen=True)
class Limit:
    """At most `attempts` events per `window` seconds per subject; the last one locks for a window."""

    name: str
    attempts: int
    window: int

    def keys(self, subject: str) -> tuple[str, str]:
        """The cache keys of a subject's counter and lock (the subject itself is not stored)."""
        digest = hashlib.sha256(subject.encode()).hexdigest()[:40]
        return f"poles:limit:{self.name}:{digest}", f"poles:lock:{self.name}:{digest}"


def limit(name: str, setting: str, default: tuple[int, int]) -> Limit:
    """The limit named `name` from the setting `(attempts, seconds)`."""
    attempts, window = getattr(settings, setting, default)
    return Limit(name, max(1, int(attempts)), max(1, int(window)))


def locked_until(count: int, now: float, rule: Limit) -> float | None:
    """When the subject may try again once its counter reached `count` (None: not locked)."""
    return now + rule.window if count >= rule.attempts else None


def wait_seconds(subjects: Iterable[Subject], now: float | None = None) -> int:
    """Seconds before every subject may try again (0 when none is locked): one cache read."""
    locks = [rule.keys(subject)[1] for rule, subject in subjects]
    ends = cache.get_many(locks).values()
    now = time.time() if now is None else now
    return max([math.ceil(end - now) for end in ends if end > now], default=0)


def count(rule: Limit, subject: str) -> int:
    """Add one event to the subject's counter and return the new count (atomic in the cache)."""
    counter, lock = rule.keys(subject)
    cache.add(counter, 0, rule.window)
    try:
        value = cache.incr(counter)
    except ValueError:  # the window closed between add and incr
        cache.add(counter, 0, rule.window)
        value = cache.incr(counter)
    if value == 1:
        cache.touch(counter, rule.window)  # a counter re-created by incr alone would never expire
    until = locked_until(value, time.time(), rule)
    if until is not None:
        cache.add(lock, until, rule.window)
    return value


def record(subjects: Iterable[Subject]) -> bool:
    """Count one event for each subject; False when one of them went past its limit."""
    counts = [(count(rule, subject), rule) for rule, subject in subjects]
    return all(value <= rule.attempts for value, rule in counts)


def forget(subjects: Iterable[Subject]) -> None:
    """Drop the counters and locks of these subjects."""
    cache.delete_many([key for rule, subject in subjects for key in rule.keys(subject)])


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the header the proxy sets (CLIENT_ADDRESS_HEADER).

    IPv6 addresses count per /64, the block one subscriber usually holds.
    """
    if request is None:
        return "unknown"
    header = getattr(settings, "CLIENT_ADDRESS_HEADER", "")
    raw = ""
    if header:
        raw = request.headers.get(header, "").split(",")[-1].strip()
    raw = raw or request.META.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def login_subjects(request, username: str) -> list[Subject]:
    """The account (from any address) and the client address (for any account) of a login."""
    return [
        (limit("login-account", "LOGIN_RATE_LIMIT", (5, 15 * 60)), (username or "").strip().casefold()),
        (limit("login-address", "LOGIN_ADDRESS_RATE_LIMIT", (20, 15 * 60)), client_address(request)),
    ]


def reset_subjects(request, email: str) -> list[Subject]:
    """The e-mail address and the client address of a password-reset request."""
    return [
        (limit("reset-email", "PASSWORD_RESET_RATE_LIMIT", (3, 60 * 60)), (email or "").strip().casefold()),
        (limit("reset-address", "PASSWORD_RESET_ADDRESS_RATE_LIMIT", (10, 60 * 60)), client_address(request)),
    ]
