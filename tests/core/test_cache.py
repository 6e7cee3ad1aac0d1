"""The shared cache: one store for every process, on its own connection, with an atomic incr."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from workers import PROJECT_DIR, run_worker, start_worker

from poles.core.models import AuditEntry

shared = pytest.mark.django_db(transaction=True)


@shared
def test_two_processes_see_the_same_values_and_counters(tmp_path):
    cache.set("shared:greeting", "bonjour", 60)
    cache.add("shared:counter", 0, 60)
    cache.incr("shared:counter")
    out = run_worker("""
        from django.core.cache import cache
        print(cache.get("shared:greeting"), cache.incr("shared:counter", 10))
        cache.set("shared:reply", "merci", 60)
    """, tmp_path / "worker.sqlite3")
    assert out == "bonjour 11"
    assert cache.get("shared:counter") == 11
    assert cache.get("shared:reply") == "merci"


@shared
def test_increments_from_concurrent_processes_are_never_lost(tmp_path):
    cache.set("shared:hits", 0, 600)
    code = """
        from django.core.cache import cache
        for _ in range(40):
            cache.incr("shared:hits")
    """
    workers = [start_worker(code, tmp_path / f"worker{i}.sqlite3") for i in range(3)]
    for _ in range(40):
        cache.incr("shared:hits")
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
    assert cache.get("shared:hits") == 160


@shared
def test_a_cache_write_is_seen_at_once_while_the_main_connection_holds_a_transaction(tmp_path):
    with transaction.atomic():
        AuditEntry.objects.create(action="update", model="test", object_pk="1", channel="cli")
        cache.set("shared:progress", {"done": 3, "total": 10}, 60)
        out = run_worker("""
            from django.core.cache import cache
            print(cache.get("shared:progress"))
        """, tmp_path / "worker.sqlite3")
        assert out == "{'done': 3, 'total': 10}"


def test_the_cache_is_written_while_another_connection_holds_the_main_sqlite_file(tmp_path):
    """The situation of a long import on SQLite: the main file is write-locked for seconds."""
    main = tmp_path / "main.sqlite3"
    holder = sqlite3.connect(main, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE import_rows (n INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO import_rows VALUES (1)")
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CACHE_DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{main}", DJANGO_SETTINGS_MODULE="poles.settings",
               PYTHONPATH=str(PROJECT_DIR / "src"))
    script = """
import time, django
django.setup()
from django.core.management import call_command
from django.core.cache import cache
from django.db import connections
call_command("createcachetable", database="cache", verbosity=0)
started = time.monotonic()
cache.set("progress", 41, 60)
cache.incr("progress")
print(cache.get("progress"), round(time.monotonic() - started, 3), connections["cache"].settings_dict["NAME"])
"""
    try:
        done = subprocess.run([sys.executable, "-c", script], env=env, cwd=PROJECT_DIR,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        value, seconds, name = done.stdout.split()
        reader = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from django.core.cache import cache; "
                                   "print(cache.get('progress'))"],
            env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False,
        )
        assert holder.in_transaction  # the main file stayed locked the whole time
    finally:
        holder.rollback()
        holder.close()
    assert value == "42" and float(seconds) < 4  # never waited for the main file's lock (5 s and more)
    assert name == str(tmp_path / "main-cache.sqlite3")
    assert reader.stdout.strip() == "42", reader.stderr[-2000:]


@pytest.mark.django_db
def test_incr_keeps_the_expiry_the_counter_was_given():
    cache.add("limit:counter", 0, 1000)
    time.sleep(1.1)
    cache.incr("limit:counter")
    assert 900 < _remaining("limit:counter") < 999.5  # neither reset to a default nor stretched
    assert cache.get("limit:counter") == 1


def test_incr_of_a_missing_key_says_so(db):
    with pytest.raises(ValueError):
        cache.incr("never:set")


def _remaining(key: str) -> float:
    """Seconds the stored key has left: its expiry in the database cache, its TTL in Redis."""
    stored = cache.make_and_validate_key(key)
    backend = getattr(cache, "_cache", None)
    if backend is not None and hasattr(backend, "get_client"):
        return float(backend.get_client(stored).ttl(stored))
    with connections["cache"].cursor() as cursor:
        cursor.execute("SELECT expires FROM poles_cache WHERE cache_key = %s", [stored])
        expires = cursor.fetchone()[0]
    if isinstance(expires, str):
        expires = dt.datetime.fromisoformat(expires)
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    return (expires - dt.datetime.now(dt.UTC)).total_seconds()
