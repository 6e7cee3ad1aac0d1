"""Benchmark of the observatory, printing the ratios against the peer measured in the same run.

1. Economic complexity (RCA, M, diversity, ubiquity, proximity, density, ECI, PCI, COI, COG):
   ours (`poles.observatory.algebra`) against py-ecomplexity on the same long panels:
     eurostat  NUTS-2 × NACE division × 8 years (persons employed, ../shared/data)
     medium    1,500 regions × 600 sectors × 20 years (synthetic)
     large     10,000 regions × 1,000 sectors × 5 years (synthetic)
   Each (tool, size) runs in a fresh process; the time is the computation's wall time and the
   memory the computation's peak resident memory above what the loaded panel already took
   (/proc/self/clear_refs resets the high-water mark after loading).
2. DuckDB against Spark (local mode) aggregating a synthetic 30-million-row establishment file
   (`establishment, commune, naf, employees`, generated with DuckDB into benchmarks/out/) into
   region × sector employment and location quotients, with the same Ibis expression.

    .venv/bin/python benchmarks/observatory.py                       # everything
    .venv/bin/python benchmarks/observatory.py --sizes eurostat,medium --no-engines
    .venv/bin/python benchmarks/observatory.py --no-complexity --rows 5000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
EUROSTAT = Path(os.environ.get("POLES_SHARED_DATA", ROOT.parent / "shared" / "data")) / (
    "eurostat/sbs_r_nuts06_r2.tsv.gz"
)
SIZES: dict[str, tuple[int, int, int]] = {
    "medium": (1_500, 600, 20),
    "large": (10_000, 1_000, 5),
}
COLUMNS = {"time": "year", "loc": "region", "prod": "sector", "val": "value"}


# --------------------------------------------------------------------------- panels
def synthetic_panel(regions: int, sectors: int, years: int, *, seed: int = 42) -> pd.DataFrame:
    """A dense long panel: log-normal region sizes × sector sizes × noise, ~15% zero cells."""
    rng = np.random.default_rng(seed)
    region_size = rng.lognormal(8, 1.2, regions)
    sector_size = rng.lognormal(0, 1.0, sectors)
    frames = []
    for year in range(years):
        noise = rng.lognormal(0, 0.8, (regions, sectors))
        values = np.rint(region_size[:, None] * sector_size[None, :] * noise / sectors * 50)
        values[rng.random((regions, sectors)) < 0.15] = 0.0
        frames.append(
            pd.DataFrame(
                {
                    "year": np.int64(2000 + year),
                    "region": np.repeat(np.arange(regions, dtype=np.int64), sectors),
                    "sector": np.tile(np.arange(sectors, dtype=np.int64), regions),
                    "value": values.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def eurostat_panel() -> pd.DataFrame:
    """NUTS-2 × NACE divisions × every year of the real file, persons employed (V16110)."""
    from poles.observatory import api
    from poles.observatory.io import read_panel

    panel = read_panel(EUROSTAT, filters=["indic_sb=V16110"])
    cells = api._cells(panel, api.Options(), None)
    return cells[["year", "region", "sector", "value"]]


def panel_file(size: str) -> Path:
    path = OUT / f"panel_{size}.parquet"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        frame = eurostat_panel() if size == "eurostat" else synthetic_panel(*SIZES[size])
        frame.to_parquet(path, index=False)
    return path


# --------------------------------------------------------------------------- child
def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def child(tool: str, path: str) -> None:
    """Run one tool on one panel and print {seconds, peak_bytes} as JSON."""
    warnings.simplefilter("ignore")
    frame = pd.read_parquet(path)
    if tool == "ours":
        from poles.observatory.algebra import complexity, to_matrices

        def run() -> Any:
            out = {}
            for year, (regions, sectors, x) in to_matrices(frame).items():
                out[year] = complexity(x, regions=regions, sectors=sectors)
            return out
    else:
        from ecomplexity import ecomplexity

        def run() -> Any:
            return ecomplexity(frame, COLUMNS, check_logsupermodularity=False, verbose=False)

    try:
        Path("/proc/self/clear_refs").write_text("5")
        reset = True
    except OSError:
        reset = False
    base = _status("VmRSS")
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    peak = _status("VmHWM") - base
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "peak_reset": reset}))


def measure(tool: str, path: Path, timeout: float) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--child", tool, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        print(f"  {tool} failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def complexity_benchmark(sizes: list[str], timeout: float, peer_max: str | None) -> None:
    print("== economic complexity: poles.observatory vs py-ecomplexity (same panel, same run) ==")
    print(
        f"{'panel':<10}{'shape':>26}{'ours s':>10}{'peer s':>10}{'speed-up':>10}"
        f"{'ours MiB':>10}{'peer MiB':>10}{'mem ratio':>10}"
    )
    for size in sizes:
        path = panel_file(size)
        frame = pd.read_parquet(path, columns=["year", "region", "sector"])
        shape = f"{frame.region.nunique()}×{frame.sector.nunique()}×{frame.year.nunique()}"
        del frame
        ours = measure("ours", path, timeout)
        skip_peer = (
            peer_max is not None and list(SIZES).index(size) > list(SIZES).index(peer_max)
            if size in SIZES and peer_max in SIZES
            else False
        )
        peer = None if skip_peer else measure("peer", path, timeout)
        o_s = f"{ours['seconds']:.2f}" if ours else "-"
        p_s = f"{peer['seconds']:.2f}" if peer else ("skipped" if skip_peer else f">{timeout:.0f}")
        ratio = f"{peer['seconds'] / ours['seconds']:.1f}×" if ours and peer else "-"
        o_m = f"{ours['peak_bytes'] / 2**20:.0f}" if ours else "-"
        p_m = f"{peer['peak_bytes'] / 2**20:.0f}" if peer else "-"
        m_ratio = (
            f"{peer['peak_bytes'] / max(ours['peak_bytes'], 1):.1f}×" if ours and peer else "-"
        )
        print(
            f"{size:<10}{shape:>26}{o_s:>10}{p_s:>10}{ratio:>10}{o_m:>10}{p_m:>10}{m_ratio:>10}",
            flush=True,
        )


# --------------------------------------------------------------------------- engines
def establishment_files(rows: int) -> tuple[Path, Path]:
    import duckdb

    OUT.mkdir(parents=True, exist_ok=True)
    establishments = OUT / f"establishments_{rows}.parquet"
    communes = OUT / "communes.parquet"
    con = duckdb.connect()
    if not communes.exists():
        con.execute(
            f"""COPY (SELECT lpad(CAST(i AS VARCHAR), 5, '0') AS commune,
                      'R' || lpad(CAST(i % 18 AS VARCHAR), 2, '0') AS region
                   FROM range(35000) t(i)) TO '{communes}' (FORMAT parquet)"""
        )
    if not establishments.exists():
        start = time.perf_counter()
        con.execute(
            f"""COPY (SELECT i AS establishment,
                      lpad(CAST(hash(i) % 35000 AS VARCHAR), 5, '0') AS commune,
                      printf('%02d.%02dZ', 1 + hash(i * 7) % 99, hash(i * 13) % 100) AS naf,
                      CAST(1 + (hash(i * 31) % 1000) * (hash(i * 31) % 1000) // 5000 AS BIGINT) AS employees
                   FROM range({rows}) t(i)) TO '{establishments}' (FORMAT parquet)"""
        )
        print(
            f"generated {rows:,} establishments with DuckDB in {time.perf_counter() - start:.1f} s"
        )
    return establishments, communes


def engines_benchmark(rows: int, spark: bool) -> None:
    from poles.observatory import engine, pipeline

    print(f"== {rows:,}-row establishment file → region × NACE division LQs: DuckDB vs Spark ==")
    establishments, communes = establishment_files(rows)

    def run(con: Any) -> tuple[float, pd.DataFrame]:
        start = time.perf_counter()
        est = con.read_parquet(str(establishments))
        com = con.read_parquet(str(communes))
        expr = pipeline.plain_lq(pipeline.establishments_panel(est, com))
        frame = engine.execute(con, expr)
        return time.perf_counter() - start, frame

    duck_s, duck = run(engine.connect("duckdb"))
    print(f"DuckDB: {duck_s:.2f} s ({len(duck)} region × sector cells)", flush=True)
    if not spark:
        return
    start = time.perf_counter()
    session = engine.spark_session(master="local[2]", shuffle_partitions=4)
    con = engine.connect("spark", spark=session)
    startup = time.perf_counter() - start
    spark_s, sparked = run(con)
    keys = ["region", "sector"]
    merged = duck.merge(sparked, on=keys, suffixes=("", "_spark"))
    same = len(merged) == len(duck) == len(sparked) and np.allclose(
        merged.lq, merged.lq_spark, rtol=1e-12
    )
    print(
        f"Spark local[2]: {spark_s:.2f} s (+ {startup:.1f} s session start-up); "
        f"DuckDB is {spark_s / duck_s:.1f}× faster; same LQs: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "PANEL"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", default="eurostat,medium,large", help="comma list among eurostat, medium, large"
    )
    parser.add_argument(
        "--peer-max",
        choices=list(SIZES),
        default=None,
        help="largest synthetic size py-ecomplexity is run on (default: all)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per measurement")
    parser.add_argument("--rows", type=int, default=30_000_000, help="establishment rows")
    parser.add_argument("--no-complexity", action="store_true")
    parser.add_argument("--no-engines", action="store_true")
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"machine: {os.cpu_count()} cores, numpy {np.__version__}, pandas {pd.__version__}")
    if not args.no_complexity:
        complexity_benchmark(
            [s.strip() for s in args.sizes.split(",") if s.strip()], args.timeout, args.peer_max
        )
    if not args.no_engines:
        engines_benchmark(args.rows, not args.no_spark)


if __name__ == "__main__":
    main()
