"""Login rate limiting: failed attempts counted per username and client address in the cache.

No extra service: Django's cache (LocMem by default, per process) holds the counters. The rule is
a pure function so it can be tested without a clock.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Policy:
    """At most `attempts` failures per `window` seconds, then refused until the window passes."""

    attempts: int = 5
    window: int = 15 * 60


def policy() -> Policy:
    """The policy from settings (LOGIN_RATE_LIMIT = (attempts, seconds))."""
    attempts, window = getattr(settings, "LOGIN_RATE_LIMIT", (5, 15 * 60))
    return Policy(int(attempts), int(window))


def blocked_for(failures: list[float], now: float, rule: Policy) -> int:
    """Seconds left before another attempt is allowed (0 when allowed now)."""
    recent = sorted(t for t in failures if now - t < rule.window)
    if len(recent) < rule.attempts:
        return 0
    return max(1, math.ceil(recent[-rule.attempts] + rule.window - now))


def client_address(request) -> str:
    """The client's address as the server saw it (a proxy's header is not trusted here)."""
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
    return f"poles:login-failures:{digest}"


def _failures(key: str) -> list[float]:
    return list(cache.get(key) or [])


def wait_seconds(request, username: str) -> int:
    """How long this username from this address must wait before trying again."""
    return blocked_for(_failures(_key(username or "", client_address(request))), time.time(), policy())


def record_failure(request, username: str) -> None:
    """Count one failed attempt."""
    rule = policy()
    key = _key(username or "", client_address(request))
    now = time.time()
    kept = [t for t in _failures(key) if now - t < rule.window] + [now]
    cache.set(key, kept[-rule.attempts * 2 :], timeout=rule.window)


def clear(request, username: str) -> None:
    """Forget the failures after a successful login."""
    cache.delete(_key(username or "", client_address(request)))
