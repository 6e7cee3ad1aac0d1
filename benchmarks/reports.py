"""Reports and dashboards benchmark: the year's 55 cluster PDFs + national synthesis, and dashboards under load.

    .venv/bin/python benchmarks/reports.py [--year YYYY] [--jobs 2] [--clients 20] [--seconds 15] [--port N]
                                           [--skip-pdf] [--skip-web] [--rebuild]

Uses the demo register of the web benchmark (benchmarks/out/web.sqlite3, built once, `--rebuild`
to build it again). Then:

- `poles reports --year YYYY --format pdf` writes the national synthesis and every active
  cluster's PDF with `--jobs` layout processes; the peer in the same run is one process
  (`--jobs 1`). Target: the 55 cluster PDFs (and the synthesis) under 60 s;
- gunicorn on 127.0.0.1 (the web benchmark's harness) and `--clients` closed-loop anonymous
  clients on the national dashboard, a filtered one, a region's and a cluster's indicators page,
  after the peer measured in the same run: the home page (a cached public page, as the web
  benchmark's). Target: p95 under 100 ms, no errors.

Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web as harness  # noqa: E402  (the web benchmark beside this file)

TARGET_PDF_S = 60.0
TARGET_P95_MS = 100.0


def latest_year() -> int:
    with harness.sqlite3.connect(harness.DB) as connection:
        return connection.execute(
            "SELECT MAX(year) FROM registry_membership WHERE status = 'member'").fetchone()[0]


def time_reports(year: int, jobs: int) -> tuple[float, int]:
    """Seconds to write the year's PDFs with `jobs` processes, and how many PDFs were written."""
    out = Path(tempfile.mkdtemp(prefix="poles-bench-reports-"))
    try:
        started = time.perf_counter()
        subprocess.run([str(harness.BIN / "poles"), "reports", "--year", str(year), "--out", str(out),
                        "--format", "pdf", "--jobs", str(jobs)], env=harness.env(), check=True, cwd=harness.ROOT,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - started, len(list(out.glob("*.pdf")))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def prime(port: int, path: str, attempts: int = 5) -> None:
    """Render a page once before the load (the first render computes the figures into the shared cache)."""
    for _ in range(attempts):
        connection = harness.http.client.HTTPConnection(harness.HOST, port, timeout=180)
        try:
            connection.request("GET", path, headers={"Accept-Language": "fr"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
    raise SystemExit(f"{path} did not answer 200 after {attempts} attempts")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=0, help="default: the latest year with members")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-web", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the demo register again")
    args = parser.parse_args()
    harness.build(args.rebuild)
    year = args.year or latest_year()
    failed = False
    if not args.skip_pdf:
        seconds, count = time_reports(year, args.jobs)
        peer, _count = time_reports(year, 1) if args.jobs > 1 else (seconds, count)
        print(f"{'reports ' + str(year):<40} {count:>4} PDFs in {seconds:6.1f} s with {args.jobs} processes "
              f"(target < {TARGET_PDF_S:g} s) — {'met' if seconds < TARGET_PDF_S else 'NOT MET'}")
        print(f"{'  peer: one process':<40} {count:>4} PDFs in {peer:6.1f} s (× {peer / seconds:.2f})")
        failed |= seconds >= TARGET_PDF_S
    if not args.skip_web:
        slug = harness.busiest_cluster()
        paths = ["/", "/dashboards/", f"/dashboards/?year={year}&region=84&phase=V", "/dashboards/regions/53/",
                 f"/dashboards/clusters/{slug}/"]
        port = args.port or harness.free_port()
        server = harness.start_server(port, args.workers)
        print(f"gunicorn on {harness.HOST}:{port}, {args.workers} workers; {args.clients} clients × "
              f"{args.seconds:g} s per URL")
        print(f"{'URL':<40} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        try:
            for path in paths:
                prime(port, path)
                result, elapsed = harness.load(port, path, args.clients, args.seconds)
                n = len(result.latencies)
                p50 = harness.percentile(result.latencies, 0.50) * 1000
                p95 = harness.percentile(result.latencies, 0.95) * 1000
                print(f"{path[:40]:<40} {n:>9} {n / elapsed:>8.1f} {p50:>8.1f} {p95:>8.1f} {result.errors:>7}",
                      flush=True)
                if path != "/":  # the home page is the peer: the machine's state in the same run
                    failed |= p95 >= TARGET_P95_MS or result.errors > 0
        finally:
            harness.stop_server(server)
        print(f"target: dashboards p95 < {TARGET_P95_MS:g} ms and no errors")
    print("all targets met" if not failed else "some targets NOT MET")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
