"""Time the full `poles demo` build into a fresh database: SQLite, then PostgreSQL when one answers.

    .venv/bin/python benchmarks/demo.py [--scale 1.0] [--no-postgres]

The SQLite file is benchmarks/out/demo.sqlite3 (git-ignored); the PostgreSQL database is
`poles_bench_demo` on 127.0.0.1:5432, created and dropped by this script. Reference data is loaded
first and not timed. The target is under 60 s for the full register. After the build, the size
category of every organisation is recomputed by `refresh_size_categories` (the rule imports and
writes use), once as built and once with every category to rewrite, with its query count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
POLES = str(Path(sys.executable).with_name("poles"))
TARGET_SECONDS = 60.0
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "poles_bench_demo"


def poles(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([POLES, *args], env=env, check=True, capture_output=True, text=True)


def prepare(url: str) -> None:
    poles(url, "migrate", "--no-input", "-v", "0")
    poles(url, "load_reference")


def measure(url: str, scale: float) -> dict:
    started = time.perf_counter()
    done = poles(url, "demo", "--json", "--scale", str(scale))
    wall = time.perf_counter() - started
    summary = json.loads(done.stdout)
    return {"wall": wall, "build": summary["seconds"], "rows": summary["rows"]}


REFRESH = """
import json, time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from poles.registry.models import Organisation
from poles.registry.services import refresh_size_categories
ids = list(Organisation.objects.values_list("pk", flat=True))
runs = []
for reset in (False, True):
    if reset:
        Organisation.objects.update(size_category="unknown")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        changed = refresh_size_categories(ids)
        runs.append({"seconds": time.perf_counter() - started, "changed": changed, "queries": len(queries)})
print(json.dumps({"organisations": len(ids), "runs": runs}))
"""


def measure_refresh(url: str) -> dict:
    done = poles(url, "shell", "-c", REFRESH)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_refresh(engine: str, figures: dict) -> None:
    unchanged, rewritten = figures["runs"]
    print(
        f"{engine:<10} size categories of {figures['organisations']:,} organisations: "
        f"{unchanged['seconds']:.1f} s as built ({unchanged['changed']} changed, {unchanged['queries']} queries), "
        f"{rewritten['seconds']:.1f} s all rewritten ({rewritten['changed']:,} changed, {rewritten['queries']} queries)"
    )


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def report(engine: str, figures: dict) -> None:
    print(
        f"{engine:<10} demo build {figures['build']:6.1f} s ({figures['rows']:,} rows, "
        f"{figures['rows'] / figures['build']:,.0f} rows/s); command wall time {figures['wall']:.1f} s; "
        f"target {TARGET_SECONDS:.0f} s → {TARGET_SECONDS / figures['wall']:.1f}× under"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    reference = OUT / "reference.sqlite3"
    if not reference.exists():
        print("loading reference data into benchmarks/out/reference.sqlite3 (once, not timed)…")
        prepare(f"sqlite:///{reference}")
    target = OUT / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(reference, target)
    poles(f"sqlite:///{target}", "migrate", "--no-input", "-v", "0")  # the cached copy may predate a migration
    results = {"sqlite": measure(f"sqlite:///{target}", options.scale)}
    report("SQLite", results["sqlite"])
    report_refresh("SQLite", measure_refresh(f"sqlite:///{target}"))
    if not options.no_postgres and postgres_up():
        pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        pg_admin(f"CREATE DATABASE {PG_NAME}")
        try:
            url = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
            prepare(url)
            results["postgres"] = measure(url, options.scale)
            report("PostgreSQL", results["postgres"])
            report_refresh("PostgreSQL", measure_refresh(url))
            ratio = results["postgres"]["build"] / results["sqlite"]["build"]
            print(f"PostgreSQL / SQLite build time: {ratio:.2f}")
        finally:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
    else:
        print("PostgreSQL: not measured (nothing answers on 127.0.0.1:5432 or --no-postgres)")
    return 0 if results["sqlite"]["wall"] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
