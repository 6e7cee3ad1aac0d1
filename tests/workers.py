"""A second worker process for the tests: the same settings and shared cache, its own interpreter.

`run_worker(code)` runs `code` in a fresh Python process with Django set up on the test run's
cache (the test cache database, or the same Redis) and a scratch main database of its own, and
returns what the code printed. Whatever the two processes share, they share through the cache, as
gunicorn workers do. Tests that use it must commit their cache writes (`transaction=True`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

from django.db import connections

PROJECT_DIR = Path(__file__).resolve().parents[1]


def database_url(alias: str) -> str:
    """The URL of a configured database (after the test setup: the test database)."""
    settings = connections[alias].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def worker_env(main_database: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker: this run's cache, a scratch main database, our sources first."""
    source = str(PROJECT_DIR / "src")
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{main_database}",
        "CACHE_DATABASE_URL": database_url("cache"),
        "DJANGO_SETTINGS_MODULE": "poles.settings",
        "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        **extra,
    }


def run_worker(code: str, main_database: Path, *, timeout: float = 60) -> str:
    """Run `code` after `django.setup()` in another process; returns its standard output."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script], env=worker_env(main_database), cwd=PROJECT_DIR,
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"worker failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout.strip()


def start_worker(code: str, main_database: Path) -> subprocess.Popen:
    """Start `code` in another process without waiting (read `.communicate()` later)."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script], env=worker_env(main_database), cwd=PROJECT_DIR,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def migrate_auth(main_database: Path) -> None:
    """Give a worker's scratch database the account tables (for `authenticate`)."""
    run_worker(
        "from django.core.management import call_command\n"
        "call_command('migrate', 'auth', verbosity=0, interactive=False)\n",
        main_database, timeout=180,
    )
