"""`poles observatory {lq,agglomerations,ecosystems,stars,strong,relatedness,complexity} INPUT …`

Exit codes: 0 on success, 2 on bad input or options (one message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from rich.console import Console
from rich.table import Table

from poles.observatory import api
from poles.observatory.codes import EU_COMPOSITIONS, LEVELS, REFERENCES
from poles.observatory.errors import ObservatoryError, OptionError
from poles.observatory.io import read_eurostat, read_panel, read_tidy, select
from poles.observatory.output import OUT_SUFFIXES, check_out, json_records, write_table

if TYPE_CHECKING:
    import pandas as pd

COMMANDS = ("lq", "agglomerations", "ecosystems", "stars", "strong", "relatedness", "complexity")
__all__ = ["COMMANDS", "OUT_SUFFIXES", "build_parser", "main", "write_frame"]


class _Parser(argparse.ArgumentParser):
    """An argparse parser that raises instead of exiting, so `main` returns the code."""

    def error(self, message: str) -> Any:
        raise OptionError(message)


def _years(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        first, sep, last = part.partition("-")
        try:
            if sep:
                out.extend(range(int(first), int(last) + 1))
            else:
                out.append(int(part))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"--year takes years such as 2013, 2012,2013 or 2010-2013; found {text!r}"
            ) from None
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="poles observatory",
        description="Cluster-mapping indicators on Eurostat TSV dumps or tidy region × sector files.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    helps = {
        "lq": "location quotients and regional shares",
        "agglomerations": "ECCP agglomerations per region (Table 1 of the country factsheets)",
        "ecosystems": "the 14 industrial ecosystems: agglomerations (Table 2) and shares (Figure 1)",
        "stars": "European Cluster Observatory stars (size, specialisation, focus)",
        "strong": "US Cluster Mapping strong clusters",
        "relatedness": "RCA, M and relatedness density (EconGeo conventions)",
        "complexity": "ECI, PCI, density, COI and COG (py-ecomplexity conventions)",
    }
    for name in COMMANDS:
        p = sub.add_parser(name, help=helps[name], description=helps[name])
        p.add_argument("input", help="Eurostat .tsv/.tsv.gz dump, or a tidy .csv/.parquet file")
        p.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="DIM=VALUE",
            help="keep one value of a Eurostat dimension (repeatable), e.g. indic_sb=V16110",
        )
        p.add_argument(
            "--year",
            type=_years,
            action="append",
            default=[],
            help="year(s): 2013, 2012,2013 or 2010-2013 (repeatable; default all)",
        )
        p.add_argument("--nuts-level", type=int, default=2, choices=(0, 1, 2, 3))
        p.add_argument(
            "--country", help="report this country's regions only (two letters, e.g. FR)"
        )
        p.add_argument(
            "--level",
            default="division",
            choices=LEVELS,
            help="NACE level of the sectors (default division), or Eurostat's standard "
            "breakdowns a10, a21, a38 built from the file's sections, aggregates or divisions",
        )
        p.add_argument(
            "--reference",
            default="country",
            choices=REFERENCES,
            help="LQ denominator: the region's country, the EU, or the input's regions",
        )
        p.add_argument(
            "--eu",
            default="EU27_2020",
            choices=sorted(EU_COMPOSITIONS),
            help="EU composition for --reference eu and the ecosystem shares",
        )
        p.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
        p.add_argument("--out", help="write the result as .csv, .parquet or .json")
        p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
        p.add_argument("--plot", help="draw a picture (.svg or .png)")
        p.add_argument(
            "--plot-kind",
            choices=("heatmap", "map", "shares"),
            help="heatmap (default), map (needs --sector) or shares (ecosystems)",
        )
        p.add_argument("--sector", help="the sector (or ecosystem) coloured on --plot-kind map")
        p.add_argument(
            "--limit", type=int, default=20, help="rows shown in the console (default 20)"
        )
        p.add_argument(
            "--min-value",
            type=float,
            default=0.0,
            help="leave cells whose value is below this out of the rankings (e.g. 100 persons)",
        )
        if name in ("agglomerations",):
            p.add_argument("--top", type=int, default=5, help="agglomerations listed per region")
            p.add_argument("--table-out", help="write the per-region table (.csv, .parquet, .json)")
        if name == "ecosystems":
            p.add_argument("--table-out", help="write Table 2 (.csv, .parquet, .json)")
            p.add_argument("--shares-out", help="write Figure 1's shares (.csv, .parquet, .json)")
        if name == "strong":
            p.add_argument(
                "--establishments",
                action="append",
                default=[],
                metavar="DIM=VALUE",
                help="the filter selecting establishment counts, e.g. indic_sb=V11210",
            )
        if name == "relatedness":
            p.add_argument(
                "--method", default="prob", choices=("prob", "association", "cosine", "jaccard")
            )
            p.add_argument("--pairs-out", help="write the sector × sector relatedness table")
    return parser


def _check_out(path: str | None) -> None:
    check_out(path)


def _arrow(frame: pd.DataFrame | pa.Table) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame
    return pa.Table.from_pandas(frame, preserve_index=False)


def write_frame(
    frame: pd.DataFrame | pa.Table, path: str | Path, *, notes: dict[str, Any] | None = None
) -> Path:
    """Write a table (pandas or Arrow) as CSV, Parquet or JSON (records, with the notes)."""
    return write_table(_arrow(frame), path, notes=notes)


def _records(frame: pd.DataFrame | pa.Table) -> list[dict[str, Any]]:
    return json_records(_arrow(frame))


def _load(args: argparse.Namespace) -> Any:
    years = [y for chunk in args.year for y in chunk] or None
    path = Path(args.input)
    parquet = path.is_dir() or "".join(path.suffixes).lower().endswith(".parquet")
    if args.engine == "spark" and parquet and args.command in ("complexity", "relatedness"):
        from poles.observatory import engine, scale

        return scale.read_spark(str(path), engine.spark_session(), years=years)
    if args.command == "strong" and ".tsv" in "".join(path.suffixes).lower():
        if not args.establishments:
            raise OptionError(
                "strong needs --establishments DIM=VALUE to pick the establishment counts "
                "(e.g. --establishments indic_sb=V11210)"
            )
        source = read_eurostat(path)
        panel = select(source, filters=args.filter, years=years)
        est_filters = dict(f.partition("=")[::2] for f in args.filter)
        est_filters.update(dict(f.partition("=")[::2] for f in args.establishments))
        est = select(source, filters=[f"{k}={v}" for k, v in est_filters.items()], years=years)
        return api.with_establishments(panel, est)
    if args.command == "strong":
        return read_tidy(path, years=years)
    return read_panel(path, filters=args.filter, years=years)


#: Columns printed as percentages, and columns of counts printed as whole numbers.
PERCENT_COLUMNS = ("share", "eu_share")
COUNT_COLUMNS = ("value", "region_total", "establishments", "reference_value", "reference_total")


def _fmt(value: Any, digits: int = 2, column: str = "") -> str:
    """A cell for the console: missing as '-', shares as percentages, counts as integers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        if column in PERCENT_COLUMNS or column.startswith("share_"):
            return f"{100 * value:.1f} %"
        if column in COUNT_COLUMNS and value.is_integer():
            return f"{int(value):,}"
        return f"{value:.{digits}f}"
    if isinstance(value, int) and column in COUNT_COLUMNS:
        return f"{value:,}"
    return str(value)


def _print_notes(console: Console, notes: dict[str, Any]) -> None:
    parts = [
        f"{k.replace('_', ' ')}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in notes.items()
        if not isinstance(v, list) or v
    ]
    console.print("[dim]notes — " + "; ".join(parts) + "[/dim]")


def _print_summary(
    console: Console, table: pd.DataFrame, *, top: int, title: str, count: str
) -> None:
    t = Table(title=title, show_lines=False)
    t.add_column("Region")
    t.add_column("Year")
    t.add_column(count, justify="right")
    for i in range(1, top + 1):
        t.add_column(f"Agglomeration {i}")
    for row in table.to_dict("records"):
        region = f"{row['region']} {row.get('region_name') or ''}".strip()
        cells = []
        for i in range(1, top + 1):
            label = row.get(f"label_{i}")
            if label is None or (isinstance(label, float) and math.isnan(label)):
                cells.append("-")
            else:
                short = label if len(label) <= 40 else label[:39] + "…"
                cells.append(f"{short} (LQ {row[f'lq_{i}']:.2f}, {100 * row[f'share_{i}']:.1f}%)")
        t.add_row(region, str(row["year"]), str(row["n_relevant"]), *cells)
    console.print(t)


def _print_rows(
    console: Console,
    frame: pd.DataFrame | pa.Table,
    columns: list[str],
    *,
    title: str,
    limit: int,
) -> None:
    table = _arrow(frame.head(limit) if not isinstance(frame, pa.Table) else frame.slice(0, limit))
    table = table.select(columns)
    t = Table(title=title)
    for name, kind in zip(columns, table.schema.types, strict=True):
        numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind)
        t.add_column(name, justify="right" if numeric else "left")
    for row in table.to_pylist():
        t.add_row(*[_fmt(row[c], 3, c) for c in columns])
    console.print(t)
    total = frame.num_rows if isinstance(frame, pa.Table) else len(frame)
    if total > limit:
        console.print(f"[dim]… {total - limit} more rows (--out writes them all)[/dim]")


def _run(args: argparse.Namespace, console: Console, err: Console) -> int:
    for path in (
        args.out,
        getattr(args, "table_out", None),
        getattr(args, "shares_out", None),
        getattr(args, "pairs_out", None),
    ):
        _check_out(path)
    if args.plot is not None:
        from poles.observatory.plots import check_plot_path

        check_plot_path(args.plot)
        if args.plot_kind == "map" and not args.sector:
            raise OptionError("--plot-kind map needs --sector (e.g. --sector C30)")
    if args.limit < 0:
        raise OptionError(f"--limit must be 0 or more; found {args.limit}")
    options = api.Options(
        nuts_level=args.nuts_level,
        level=args.level,
        reference=args.reference,
        country=args.country,
        eu=args.eu,
        engine=args.engine,
        min_value=args.min_value,
    )
    if args.engine == "spark":
        from poles.observatory.engine import require_spark

        require_spark()
    from poles.observatory.warm import warm

    warm()
    with err.status(f"reading {args.input}…"):
        panel = _load(args)
    with err.status(f"computing {args.command} on {args.engine}…"):
        result = _compute(args, panel, options)
    if args.out and result.written is None:
        result.write(args.out)
    for key, attr in (("table", "table_out"), ("shares", "shares_out"), ("pairs", "pairs_out")):
        target = getattr(args, attr, None)
        if target and key in result.tables:
            write_frame(result.tables[key], target, notes=result.notes)
    if args.plot:
        _plot(args, result)
    if args.json:
        payload: dict[str, Any] = {"command": args.command, "notes": result.notes}
        if args.command in ("agglomerations", "ecosystems"):
            payload["table"] = _records(result.tables["table"])
            if "shares" in result.tables:
                payload["shares"] = _records(result.tables["shares"])
        else:
            payload["rows"] = _records(result.table)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return 0
    _show(args, console, result)
    _print_notes(console, result.notes)
    if args.out:
        # not notes.get(…, table.num_rows): the default would read a streamed output back
        rows = result.notes["cells"] if "cells" in result.notes else result.table.num_rows  # noqa: SIM401
        console.print(f"wrote {rows:,} rows to {args.out}")
    return 0


def _compute(args: argparse.Namespace, panel: Any, options: api.Options) -> api.Result:
    command = args.command
    if command == "lq":
        return api.location_quotients(panel, options=options)
    if command == "agglomerations":
        if args.top < 1:
            raise OptionError(f"--top must be 1 or more; found {args.top}")
        return api.agglomerations(panel, options=options, top=args.top)
    if command == "ecosystems":
        return api.ecosystems(panel, options=options)
    if command == "stars":
        return api.stars(panel, options=options)
    if command == "strong":
        return api.strong_clusters(panel, options=options)
    streamed = None if args.json else args.out
    if command == "relatedness":
        return api.relatedness(
            panel, options=options, method=args.method, out=streamed, pairs_out=args.pairs_out
        )
    return api.complexity(panel, options=options, out=streamed)


def _plot(args: argparse.Namespace, result: api.Result) -> None:
    from poles.observatory import plots

    kind = args.plot_kind or ("shares" if args.command == "ecosystems" else "heatmap")
    frame = result.frame
    if kind == "shares":
        if "shares" not in result.tables or not args.country:
            raise OptionError("--plot-kind shares needs the ecosystems command and --country")
        plots.share_bars(result.tables["shares"], args.plot, country=args.country.upper())
    elif kind == "map":
        if "lq" not in frame:
            raise OptionError(
                "--plot-kind map colours LQs: use lq, agglomerations, ecosystems or stars"
            )
        plots.france_map(frame, args.plot, sector=args.sector)
    else:
        column = "lq" if "lq" in frame else "rca"
        plots.lq_heatmap(
            frame.rename(columns={column: "lq"}),
            args.plot,
            title="Location quotients" if column == "lq" else "RCA",
        )


def _show(args: argparse.Namespace, console: Console, result: api.Result) -> None:
    limit = args.limit
    frame = result.frame if args.command in ("lq", "stars", "strong") else None
    if frame is not None and args.min_value > 0:
        frame = frame[frame["value"] >= args.min_value]
    if args.command == "agglomerations":
        _print_summary(
            console,
            result.tables["table"],
            top=args.top,
            title="Regionally relevant sectoral agglomerations (LQ > 1.5, ≥ 1% of employment)",
            count="# of aggl.",
        )
    elif args.command == "ecosystems":
        _print_summary(
            console,
            result.tables["table"],
            top=2,
            title="Regionally relevant ecosystem agglomerations",
            count="# of aggl.",
        )
        shares = result.tables["shares"]
        if args.country:
            _print_rows(
                console,
                shares,
                ["country", "year", "label", "share", "eu_share"],
                title="Employment share by ecosystem (of the 14 ecosystems)",
                limit=max(limit, 14),
            )
    elif args.command == "lq" and frame is not None:
        top = frame.sort_values("lq", ascending=False, na_position="last")
        _print_rows(
            console,
            top,
            ["region", "region_name", "label", "year", "value", "share", "lq", "relevant"],
            title="Highest location quotients",
            limit=limit,
        )
    elif args.command == "stars" and frame is not None:
        top = frame.sort_values(["stars", "lq"], ascending=False)
        _print_rows(
            console,
            top,
            [
                "region",
                "region_name",
                "label",
                "year",
                "value",
                "lq",
                "size_star",
                "specialisation_star",
                "focus_star",
                "stars",
            ],
            title="Cluster stars (European Cluster Observatory)",
            limit=limit,
        )
    elif args.command == "strong" and frame is not None:
        top = frame[frame["strong"]].sort_values("lq", ascending=False)
        _print_rows(
            console,
            top,
            ["region", "region_name", "label", "year", "value", "establishments", "lq"],
            title=f"Strong clusters ({len(top)})",
            limit=limit,
        )
    elif args.command == "relatedness":
        open_ = result.summary if result.summary is not None else pa.table({})
        _print_rows(
            console,
            open_,
            ["region", "region_name", "label", "year", "rca", "relatedness_density"],
            title="Most related sectors not yet specialised in",
            limit=limit,
        )
    elif args.command == "complexity":
        regions = result.summary if result.summary is not None else pa.table({})
        regions = regions.sort_by([("eci", "descending")])
        _print_rows(
            console,
            regions,
            ["region", "region_name", "year", "diversity", "eci", "coi"],
            title="Economic complexity by region",
            limit=limit,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run `poles observatory …`; returns the exit code (2 on bad input or options)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    console = Console(soft_wrap=False, width=max(Console().width, 160))
    err = Console(stderr=True)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    try:
        args = build_parser().parse_args(argv)
        return _run(args, console, err)
    except ObservatoryError as exc:
        sys.stderr.write(f"poles observatory: error: {exc}\n")
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
