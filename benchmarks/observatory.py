"""Benchmark of the observatory as users run it, printing ratios against the peer in the same run.

1. Economic complexity from the file to the written result, each run in a fresh process:
     ours, command line   `poles observatory complexity FILE … --out OUT`
     ours, Python API     `complexity(read_panel(FILE, …), …, out=OUT)`
     peer                 py-ecomplexity: `pandas.read_csv(FILE)` then `ecomplexity(…)`
   on these panels:
     eurostat  the real SBS dump (NUTS-2 × NACE division × 8 years, persons employed): ours
               read the .tsv.gz itself; the peer reads a tidy CSV of the same cells
     medium    3,000 regions × 700 sectors × 3 years, synthetic tidy CSV (NUTS-3-shaped
               region codes, NACE class codes; 6.3 M rows)
     large     10,000 regions × 1,000 sectors × 5 years, synthetic tidy CSV (50 M rows)
   Time: wall time from starting the process to its end (ours: output written) or, for the
   peer, to its result (its ECI/PCI are saved for the comparison after that instant). Memory:
   the process's peak resident set size (`ru_maxrss` of `wait4`, as /usr/bin/time reports),
   every process started by a small launcher so that none inherits this script's peak.
   The ratios are peer / ours. max|ΔECI|, max|ΔPCI|: largest difference with the peer's.
   A peer still running at `--timeout` is stopped: its figures are then lower bounds (">").
   A second line per panel times the algebra alone (matrices → indicators, in memory) against
   `ecomplexity()` alone, as the benchmark did before.
2. `--engines`: DuckDB against Spark (local mode) aggregating a synthetic 30-million-row
   establishment file into region × sector employment and location quotients.

    .venv/bin/python benchmarks/observatory.py                          # eurostat, medium, large
    .venv/bin/python benchmarks/observatory.py --sizes eurostat,medium
    .venv/bin/python benchmarks/observatory.py --sizes large --repeat 2 --timeout 2400
    .venv/bin/python benchmarks/observatory.py --sizes eurostat --out-format csv
    .venv/bin/python benchmarks/observatory.py --no-complexity --engines --rows 5000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from poles.observatory.codes import EU27_2020

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
EUROSTAT = Path(os.environ.get("POLES_SHARED_DATA", ROOT.parent / "shared" / "data")) / (
    "eurostat/sbs_r_nuts06_r2.tsv.gz"
)
SIZES: dict[str, tuple[int, int, int]] = {
    "medium": (3_000, 700, 3),
    "large": (10_000, 1_000, 5),
}
COLUMNS = {"time": "year", "loc": "region", "prod": "sector", "val": "value"}
COUNTRIES = sorted(EU27_2020)
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXY"  # no Z: FRZZZ would be extra-regio


# --------------------------------------------------------------------------- panels
def region_codes(n: int) -> list[str]:
    """`n` distinct NUTS-3-shaped codes (country + three characters), spread over the EU-27."""
    out = []
    for i in range(n):
        k = i // len(COUNTRIES)
        suffix = DIGITS[k // 35**2 % 35] + DIGITS[k // 35 % 35] + DIGITS[k % 35]
        out.append(COUNTRIES[i % len(COUNTRIES)] + suffix)
    return out


def sector_codes(n: int) -> list[str]:
    """`n` distinct NACE-class-shaped codes (a section letter and four digits)."""
    letters = "ABCDEFGHIJKLMNOPQRSTU"
    return [f"{letters[j % 21]}{j // 21:04d}" for j in range(n)]


def synthetic_csv(size: str) -> Path:
    """A dense tidy CSV (region, sector, year, value): log-normal region × sector sizes × noise,
    ~15% zero cells, integer values. Written once with Arrow into benchmarks/out/."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = OUT / f"panel_{size}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    regions, sectors, years = SIZES[size]
    rng = np.random.default_rng(42)
    region_size = rng.lognormal(8, 1.2, regions)
    sector_size = rng.lognormal(0, 1.0, sectors)
    region_labels = pa.array(region_codes(regions))
    sector_labels = pa.array(sector_codes(sectors))
    tmp = path.with_suffix(".part")
    with pacsv.CSVWriter(
        tmp,
        pa.schema(
            [
                ("region", pa.dictionary(pa.int32(), pa.string())),
                ("sector", pa.dictionary(pa.int32(), pa.string())),
                ("year", pa.int64()),
                ("value", pa.int64()),
            ]
        ),
        write_options=pacsv.WriteOptions(quoting_style="none"),
    ) as writer:
        for year in range(years):
            noise = rng.lognormal(0, 0.8, (regions, sectors))
            values = np.rint(region_size[:, None] * sector_size[None, :] * noise / sectors * 50)
            values[rng.random((regions, sectors)) < 0.15] = 0.0
            writer.write_table(
                pa.table(
                    {
                        "region": pa.DictionaryArray.from_arrays(
                            pa.array(np.repeat(np.arange(regions, dtype=np.int32), sectors)),
                            region_labels,
                        ),
                        "sector": pa.DictionaryArray.from_arrays(
                            pa.array(np.tile(np.arange(sectors, dtype=np.int32), regions)),
                            sector_labels,
                        ),
                        "year": pa.array(np.full(regions * sectors, 2015 + year, np.int64)),
                        "value": pa.array(values.ravel().astype(np.int64)),
                    }
                )
            )
    tmp.rename(path)
    return path


def eurostat_cells_csv() -> Path:
    """The real dump's NUTS-2 × division cells (persons employed) as a tidy CSV, for the peer."""
    path = OUT / "eurostat_cells.csv"
    if path.exists():
        return path
    from poles.observatory import api
    from poles.observatory.io import read_panel

    OUT.mkdir(parents=True, exist_ok=True)
    panel = read_panel(EUROSTAT, filters=["indic_sb=V16110"])
    cells = api._cells(panel, api.Options(), None)
    cells[["year", "region", "sector", "value"]].to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- children
PEER = """
import sys, time, warnings, json
warnings.simplefilter("ignore")
import pandas as pd
from ecomplexity import ecomplexity
path, out = sys.argv[1], sys.argv[2]
frame = pd.read_csv(path)
read = time.time()
result = ecomplexity(frame, {columns!r}, check_logsupermodularity=False, verbose=False)
done = time.time()
print(json.dumps({{"done": done, "read": read}}), flush=True)
result[["year", "region", "sector", "eci", "pci"]].to_parquet(out)
"""

API = """
import sys
from poles.observatory import read_panel, complexity
path, out, nuts, level = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
filters = sys.argv[5:] or None
complexity(read_panel(path, filters=filters), nuts_level=nuts, level=level, out=out)
"""

ALGEBRA = """
import sys, time, json, warnings
warnings.simplefilter("ignore")
from poles.observatory import read_panel, cube, algebra
path, nuts, level = sys.argv[1], int(sys.argv[2]), sys.argv[3]
filters = sys.argv[4:] or None
codes = read_panel(path, filters=filters).codes
start = time.perf_counter()
for ym in cube.matrices(codes, nuts=nuts, sectors=cube.level_map(level)):
    algebra.complexity(ym.values, regions=ym.regions, sectors=ym.sectors)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


LAUNCHER = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    job = json.loads(line)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start_wall, start = time.time(), time.perf_counter()
        process = subprocess.Popen(job["command"], stdout=out, stderr=err, env=job["env"])
        deadline, timed_out = start + job["timeout"], False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        print(json.dumps({
            "seconds": seconds, "start": start_wall, "peak": usage.ru_maxrss * 1024,
            "code": os.waitstatus_to_exitcode(status), "timed_out": timed_out,
            "last": lines[-1] if lines else "", "stderr": err.read().strip()[-400:],
        }), flush=True)
"""


class Launcher:
    """A small process that starts every measured run and reads its peak memory.

    Linux carries a parent's peak resident memory into a child it starts (the child's
    `ru_maxrss` starts at the parent's high-water mark), so children started by this benchmark,
    which has read panels and outputs, would report at least its own peak. Started first, this
    launcher holds a few MiB, so that each child's figure is its own.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, command: list[str], timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        job = {"command": command, "timeout": timeout, "env": env}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer


LAUNCH: Launcher | None = None


def run(command: list[str], timeout: float) -> dict[str, Any] | None:
    """Run `command` in a fresh process: wall seconds, peak RSS (bytes), its last stdout line.

    None when it failed; a run stopped at `timeout` comes back with `timed_out` (its seconds and
    peak memory so far are lower bounds)."""
    # started by main() before anything is read: started here, it would inherit that peak
    assert LAUNCH is not None, "main() starts the launcher before the first run"
    answer = LAUNCH.run(command, timeout)
    if answer["code"] != 0 and not answer["timed_out"]:
        print(f"  failed: {' '.join(command[:6])}…: {answer['stderr']}")
        return None
    return answer


def _eci_pci(table: Any) -> tuple[Any, Any]:
    """Per (year, region) ECI and per (year, sector) PCI of an output, as pandas frames."""
    import pyarrow.compute as pc

    from poles.observatory.output import plain

    table = plain(table)
    eci = table.group_by(["year", "region"]).aggregate([("eci", "max")]).to_pandas()
    pci = table.group_by(["year", "sector"]).aggregate([("pci", "max")]).to_pandas()
    del pc
    return eci.rename(columns={"eci_max": "eci"}), pci.rename(columns={"pci_max": "pci"})


def _read_output(path: Path) -> Any:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    columns = ["year", "region", "sector", "eci", "pci"]
    if path.suffix == ".parquet":
        return pq.read_table(path, columns=columns)
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(include_columns=columns))


def differences(ours: Path, peer: Path) -> tuple[float, float]:
    """max |ΔECI| and max |ΔPCI| between our output and the peer's over the cells both have."""
    import pandas as pd
    import pyarrow.parquet as pq

    eci, pci = _eci_pci(_read_output(ours))
    theirs = pq.read_table(peer).to_pandas()
    theirs = theirs.astype({"region": str, "sector": str})
    t_eci = theirs.groupby(["year", "region"], as_index=False)["eci"].max()
    t_pci = theirs.groupby(["year", "sector"], as_index=False)["pci"].max()
    m_eci = eci.astype({"region": str}).merge(t_eci, on=["year", "region"], suffixes=("", "_p"))
    m_pci = pci.astype({"sector": str}).merge(t_pci, on=["year", "sector"], suffixes=("", "_p"))
    del pd
    if not len(m_eci) or not len(m_pci):
        return float("nan"), float("nan")
    d_eci = float(np.nanmax(np.abs(m_eci["eci"] - m_eci["eci_p"])))
    d_pci = float(np.nanmax(np.abs(m_pci["pci"] - m_pci["pci_p"])))
    return d_eci, d_pci


def _best(runs: list[dict[str, Any] | None], *, peer: bool = False) -> dict[str, Any] | None:
    """The fastest of a tool's runs, with the largest peak memory of all of them (the peer's
    time is to its result, not to its process's end)."""
    ok = [r for r in runs if r is not None]
    for r in ok:
        if peer and not r["timed_out"]:
            marks = json.loads(r["last"])
            r["result_seconds"] = marks["done"] - r["start"]
            r["algebra_seconds"] = marks["done"] - marks["read"]
        else:
            r["result_seconds"] = r["seconds"]
    if not ok:
        return None
    fastest = min(ok, key=lambda r: r["result_seconds"])
    return {**fastest, "peak": max(r["peak"] for r in ok)}


def complexity_benchmark(
    sizes: list[str], timeout: float, out_format: str | None, repeat: int = 1
) -> None:
    print("== economic complexity from the file to the written result, each in a fresh process ==")
    header = (
        f"{'panel':<9}{'shape':>17} {'ours':<14}{'ours s':>8}{'peer s':>8}{'time ×':>8}"
        f"{'ours MiB':>9}{'peer MiB':>9}{'mem ×':>7}{'max|ΔECI|':>11}{'max|ΔPCI|':>11}"
    )
    print(header)
    work = Path(tempfile.mkdtemp(prefix="poles-bench-"))
    for size in sizes:
        if size == "eurostat":
            source, peer_source = EUROSTAT, eurostat_cells_csv()
            nuts, level, filters = 2, "division", ["indic_sb=V16110"]
            shape = "318×68×8"
            fmt = out_format or "csv"
        else:
            source = peer_source = synthetic_csv(size)
            nuts, level, filters = 3, "class", []
            shape = "×".join(f"{n:,}" for n in SIZES[size])
            fmt = out_format or "parquet"
        peer_out = work / f"{size}-peer.parquet"
        cli_out = work / f"{size}-cli.{fmt}"
        api_out = work / f"{size}-api.{fmt}"
        cli_cmd = [sys.executable, "-m", "poles.cli", "observatory", "complexity", str(source)]
        cli_cmd += [a for f in filters for a in ("--filter", f)]
        cli_cmd += ["--nuts-level", str(nuts), "--level", level, "--out", str(cli_out)]
        cli_cmd += ["--limit", "0"]
        commands = {
            "peer": [
                sys.executable,
                "-c",
                PEER.format(columns=COLUMNS),
                str(peer_source),
                str(peer_out),
            ],
            "cli": cli_cmd,
            "api": [
                sys.executable,
                "-c",
                API,
                str(source),
                str(api_out),
                str(nuts),
                level,
                *filters,
            ],
        }
        done: dict[str, list[dict[str, Any] | None]] = {name: [] for name in commands}
        for round_ in range(repeat):
            # every other round in the reverse order: the run that follows the peer's exit
            # pays for the memory it gave back (first touches cost more on this VM)
            order = ("peer", "cli", "api") if round_ % 2 == 0 else ("api", "cli", "peer")
            for name in order:
                if name == "peer" and done["peer"] and done["peer"][0] is not None and (
                    done["peer"][0]["timed_out"]
                ):
                    continue  # stopped once: its lower bound stands
                done[name].append(run(commands[name], timeout))
        peer = _best(done["peer"], peer=True)
        peer_seconds = None
        stopped = peer is not None and peer["timed_out"]
        if peer is not None:
            peer_seconds = peer["result_seconds"]
        bound = ">" if stopped else ""
        runs = {
            f"CLI → {fmt}": (_best(done["cli"]), cli_out),
            f"API → {fmt}": (_best(done["api"]), api_out),
        }
        for i, (label, (ours, out_path)) in enumerate(runs.items()):
            name = size if i == 0 else ""
            shown = shape if i == 0 else ""
            if ours is None or ours["timed_out"]:
                print(f"{name:<9}{shown:>17} {label:<14}{'failed':>8}")
                continue
            p_s = f"{bound}{peer_seconds:.2f}" if peer_seconds is not None else "-"
            ratio = f"{bound}{peer_seconds / ours['seconds']:.1f}" if peer_seconds else "-"
            p_m = f"{bound}{peer['peak'] / 2**20:.0f}" if peer else "-"
            m_ratio = f"{bound}{peer['peak'] / ours['peak']:.1f}" if peer else "-"
            d_eci, d_pci = (
                differences(out_path, peer_out) if peer and not stopped else (float("nan"),) * 2
            )
            print(
                f"{name:<9}{shown:>17} {label:<14}{ours['seconds']:>8.2f}{p_s:>8}{ratio:>8}"
                f"{ours['peak'] / 2**20:>9.0f}{p_m:>9}{m_ratio:>7}{d_eci:>11.1e}{d_pci:>11.1e}",
                flush=True,
            )
            out_path.unlink(missing_ok=True)
        algebra = run(
            [sys.executable, "-c", ALGEBRA, str(source), str(nuts), level, *filters], timeout
        )
        if algebra is not None and not algebra["timed_out"] and peer is not None and not stopped:
            ours_s = json.loads(algebra["last"])["seconds"]
            theirs = peer["algebra_seconds"]
            print(
                f"{'':<9}{'':>17} {'algebra only':<14}{ours_s:>8.2f}{theirs:>8.2f}"
                f"{theirs / ours_s:>8.1f}   (matrices → indicators vs ecomplexity() alone)",
                flush=True,
            )
        peer_out.unlink(missing_ok=True)


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

    def timed(con: Any) -> tuple[float, Any]:
        start = time.perf_counter()
        est = con.read_parquet(str(establishments))
        com = con.read_parquet(str(communes))
        expr = pipeline.plain_lq(pipeline.establishments_panel(est, com))
        frame = engine.execute(con, expr)
        return time.perf_counter() - start, frame

    duck_s, duck = timed(engine.connect("duckdb"))
    print(f"DuckDB: {duck_s:.2f} s ({len(duck)} region × sector cells)", flush=True)
    if not spark:
        return
    start = time.perf_counter()
    session = engine.spark_session(master="local[2]", shuffle_partitions=4)
    con = engine.connect("spark", spark=session)
    startup = time.perf_counter() - start
    spark_s, sparked = timed(con)
    merged = duck.merge(sparked, on=["region", "sector"], suffixes=("", "_spark"))
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
    parser.add_argument(
        "--sizes", default="eurostat,medium,large", help="comma list among eurostat, medium, large"
    )
    parser.add_argument(
        "--out-format",
        choices=("csv", "parquet"),
        default=None,
        help="our output format (default: csv for eurostat, parquet for the synthetic panels)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per process")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each tool per panel, every other round in the reverse order; the fastest "
        "run's time and the largest peak memory are printed",
    )
    parser.add_argument("--rows", type=int, default=30_000_000, help="establishment rows")
    parser.add_argument("--no-complexity", action="store_true")
    parser.add_argument("--engines", action="store_true", help="also DuckDB vs Spark")
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    global LAUNCH
    LAUNCH = Launcher()  # before this process reads anything: its peak stays small
    import pandas as pd

    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores (load {load:.1f} at start), numpy {np.__version__}, "
        f"pandas {pd.__version__}"
    )
    if not args.no_complexity:
        complexity_benchmark(
            [s.strip() for s in args.sizes.split(",") if s.strip()],
            args.timeout,
            args.out_format,
            args.repeat,
        )
    if args.engines:
        engines_benchmark(args.rows, not args.no_spark)


if __name__ == "__main__":
    main()
