"""Web benchmark: gunicorn on the demo register, 20 concurrent clients for 30 s on three URLs.

    .venv/bin/python benchmarks/web.py [--clients 20] [--seconds 30] [--workers 4] [--port N] [--rebuild]

Builds (once) the demo register into benchmarks/out/web.sqlite3, starts gunicorn on 127.0.0.1 on a
free port (or --port), and for each URL runs closed-loop clients (each sends its next request when
the previous answer arrives) for the given time, then prints p50/p95 latency, requests per second
and errors, and stops the server. The workers share one cache as in production: the database
cache in benchmarks/out/web-cache.sqlite3, or Redis when REDIS_URL is set. Target on a 2-core
machine: p95 under 50 ms and no errors. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
DB = OUT / "web.sqlite3"
CACHE_DB = OUT / "web-cache.sqlite3"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TARGET_P95_MS = 50.0


def env() -> dict[str, str]:
    """The server's and the build's environment: the benchmark database, production settings."""
    return {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "DEBUG": "0", "LOG_LEVEL": "ERROR"}


def build(rebuild: bool) -> None:
    """Migrate and load the reference data and the demo register, unless already there."""
    if rebuild and DB.exists():
        for path in (DB, CACHE_DB):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    if DB.exists() and _count("registry_cluster") > 0:
        print(f"using the demo register in {DB.relative_to(ROOT)} (--rebuild to build it again)")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"building the demo register into {DB.relative_to(ROOT)} …", flush=True)
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable", "--database", "cache"],
                    ["load_reference"], ["demo"]):
        subprocess.run([str(BIN / "poles"), *command], env=env(), check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)


def _count(table: str) -> int:
    with sqlite3.connect(DB) as connection:
        try:
            return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
        except sqlite3.OperationalError:
            return 0


def busiest_cluster() -> str:
    """The slug of the cluster with the most memberships: the heaviest profile page."""
    with sqlite3.connect(DB) as connection:
        return connection.execute(
            "SELECT c.slug FROM registry_cluster c JOIN registry_membership m ON m.cluster_id = c.id "
            "GROUP BY c.id ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int, environ: dict[str, str] | None = None) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port; returns once it answers. `environ` (default: `env()`) names
    another database (benchmarks/calls.py serves PostgreSQL through it)."""
    environ = environ or env()
    for command in (["collectstatic", "--no-input", "-v", "0"], ["createcachetable", "--database", "cache"]):
        subprocess.run([str(BIN / "poles"), *command], env=environ, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "poles.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
         "--log-level", "warning", "--backlog", "256"],
        env=environ, cwd=ROOT, start_new_session=True,
    )
    share_with_caller(server.pid)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = get(port, "/")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def share_with_caller(pid: int) -> None:
    """Give the server's session the scheduling weight of ours (Linux autogroups).

    gunicorn runs in a session of its own (so that it can be stopped as a group), and Linux
    shares CPU time between sessions before it looks at nice values: on a machine busy with other
    sessions, a caller that raised its own group's weight (`echo -15 > /proc/self/autogroup`, as
    root) would otherwise measure the server at a fraction of a core. Nothing changes where
    autogroups are off or the caller kept the default weight.
    """
    try:
        mine = Path("/proc/self/autogroup").read_text().split()
        if len(mine) == 3 and mine[2] != "0":
            Path(f"/proc/{pid}/autogroup").write_text(mine[2])
    except OSError:
        pass


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (its own process group only)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    """GET in French; `cookie` (e.g. `sessionid=…`) for a logged-in client."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Language": "fr", **({"Cookie": cookie} if cookie else {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port: int, path: str, until: float, result: Result) -> None:
    """One closed-loop client: request, wait for the answer, record, again until the end."""
    latencies, errors = [], 0
    while True:
        started = time.perf_counter()
        if started >= until:
            break
        try:
            status, _body = get(port, path)
            if status != 200:
                errors += 1
        except OSError:
            errors += 1
        latencies.append(time.perf_counter() - started)
    with result.lock:
        result.latencies += latencies
        result.errors += errors


def load(port: int, path: str, clients: int, seconds: float) -> tuple[Result, float]:
    """Run `clients` concurrent clients on `path` for `seconds`; returns the result and elapsed time."""
    for _ in range(20):  # warm every worker's caches and connections first
        get(port, path)
    result = Result()
    started = time.perf_counter()
    until = started + seconds
    threads = [threading.Thread(target=client, args=(port, path, until, result)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--rebuild", action="store_true", help="build the demo register again")
    args = parser.parse_args()
    build(args.rebuild)
    slug = busiest_cluster()
    paths = ["/clusters/", f"/clusters/{slug}/", "/api/v1/organisations"]
    port = args.port or free_port()
    server = start_server(port, args.workers)
    print(f"gunicorn on {HOST}:{port}, {args.workers} workers; {args.clients} clients × {args.seconds:g} s per URL")
    print(f"{'URL':<40} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    failed = False
    try:
        for path in paths:
            result, elapsed = load(port, path, args.clients, args.seconds)
            n = len(result.latencies)
            p50 = percentile(result.latencies, 0.50) * 1000
            p95 = percentile(result.latencies, 0.95) * 1000
            print(f"{path:<40} {n:>9} {n / elapsed:>8.1f} {p50:>8.1f} {p95:>8.1f} {result.errors:>7}", flush=True)
            failed |= p95 >= TARGET_P95_MS or result.errors > 0
            if n:
                print(f"{'':<40} mean {statistics.fmean(result.latencies) * 1000:.1f} ms, "
                      f"max {max(result.latencies) * 1000:.1f} ms")
    finally:
        stop_server(server)
    print(f"target: p95 < {TARGET_P95_MS:g} ms and no errors — {'NOT MET' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
