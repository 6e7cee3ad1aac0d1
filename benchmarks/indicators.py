"""Time every indicator for the 55 clusters × 7 years of the demo register, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/indicators.py [--repeat 3] [--no-postgres] [--rebuild]

Builds (once) the demo register into benchmarks/out/indicators.sqlite3 and, when a server answers
on 127.0.0.1:5432, into the PostgreSQL database `poles_indicators` (kept between runs; created
when missing; `DATABASE_URL` may name another). Then, in a fresh process per database, times:

- `all clusters × years`: `engine.cluster_table` — every declared indicator of every cluster for
  each of the 7 years (one grouped query per family of tables). Target: under 2 s;
- `nation series`: `engine.series` — every indicator of the nation for the 7 years;
- the peer, `one call per cluster`: the same cluster figures asked one cluster at a time with
  `engine.series` (55 calls), as a page looping over clusters would; the ratio is printed.

The best of `--repeat` runs is kept. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
SQLITE = OUT / "indicators.sqlite3"
PG_URL = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ["DATABASE_URL"] or \
    "postgres://postgres@127.0.0.1:5432/poles_indicators"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
TARGET_SECONDS = 2.0
TODAY = "2026-11-22"

MEASURE = """
import json, sys, time
import django
django.setup()
from django.db import connection, reset_queries
from django.conf import settings
from poles.indicators import definitions as d, engine
from poles.registry.models import Cluster

repeat = int(sys.argv[1])
last = engine.latest_year()
years = list(range(last - 6, last + 1))
clusters = list(Cluster.objects.order_by("slug").values_list("slug", flat=True))

def best(fn):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result

table_s, table = best(lambda: engine.cluster_table(years))
nation_s, nation = best(lambda: engine.series(engine.NATION, years=years))
peer_s, _ = best(lambda: [engine.series(engine.Scope("cluster", slug), years=years) for slug in clusters])
print(json.dumps({
    "vendor": connection.vendor, "clusters": len(clusters), "years": years, "indicators": len(d.INDICATORS),
    "values": sum(len(row) for row in table.values()), "table": table_s, "nation": nation_s, "peer": peer_s,
}))
"""


def run(url: str, *args: str, capture: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src"),
           "DJANGO_SETTINGS_MODULE": "poles.settings"}
    return subprocess.run([sys.executable, *args], env=env, check=True, capture_output=capture, text=True,
                          cwd=ROOT)


def poles(url: str, *args: str) -> subprocess.CompletedProcess:
    return run(url, "-m", "poles.cli", *args)


def count_memberships(url: str) -> int:
    done = run(url, "-c", "import django; django.setup(); from poles.registry.models import Membership; "
                          "print(Membership.objects.count())")
    return int(done.stdout.strip() or 0)


def build(url: str, rebuild: bool) -> None:
    """Migrate, load reference data and the demo register unless it is already there."""
    poles(url, "migrate", "--no-input", "-v", "0")
    if count_memberships(url) and not rebuild:
        return
    print(f"building the demo register into {url} …", flush=True)
    started = time.perf_counter()
    poles(url, "load_reference")
    poles(url, "demo", "--replace" if rebuild else "--if-empty", "--today", TODAY)
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    check = (
        "import psycopg; c = psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', autocommit=True);"
        f"exists = c.execute(\"SELECT 1 FROM pg_database WHERE datname = '{name}'\").fetchone();"
        f"exists or c.execute('CREATE DATABASE \"{name}\"')"
    )
    subprocess.run([sys.executable, "-c", check], check=True)


def measure(url: str, repeat: int) -> dict:
    done = run(url, "-c", MEASURE, str(repeat))
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(figures: dict) -> None:
    table, nation, peer = figures["table"], figures["nation"], figures["peer"]
    verdict = "met" if table < TARGET_SECONDS else "MISSED"
    print(f"{figures['vendor']}: {figures['indicators']} indicators × {figures['clusters']} clusters × "
          f"{len(figures['years'])} years ({figures['years'][0]}–{figures['years'][-1]}), "
          f"{figures['values']:,} values")
    print(f"  all clusters × years  {table:6.2f} s   target < {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"  nation series         {nation:6.2f} s")
    print(f"  one call per cluster  {peer:6.2f} s   (peer: {peer / table:.1f}× the grouped queries)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the demo register again")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    targets = [f"sqlite:///{SQLITE}"]
    if not options.no_postgres and postgres_answers():
        ensure_pg_database(PG_URL)
        targets.append(PG_URL)
    elif not options.no_postgres:
        print("PostgreSQL does not answer on 127.0.0.1:5432: SQLite only")
    missed = False
    for url in targets:
        build(url, options.rebuild)
        figures = measure(url, options.repeat)
        report(figures)
        missed |= figures["table"] >= TARGET_SECONDS
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
