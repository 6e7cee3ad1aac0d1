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

from poles.observatory import api, i18n
from poles.observatory.codes import EU_COMPOSITIONS, LEVELS, REFERENCES
from poles.observatory.errors import ObservatoryError, OptionError
from poles.observatory.i18n import LANGUAGES, N_, _, ngettext
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
                _("--year takes years such as 2013, 2012,2013 or 2010-2013; found {text!r}").format(
                    text=text
                )
            ) from None
    return out


#: What each command computes (its help line), translated when the parser is built.
HELPS = {
    "lq": N_("location quotients and regional shares"),
    "agglomerations": N_("ECCP agglomerations per region (Table 1 of the country factsheets)"),
    "ecosystems": N_(
        "the 14 industrial ecosystems: agglomerations (Table 2) and shares (Figure 1)"
    ),
    "stars": N_("European Cluster Observatory stars (size, specialisation, focus)"),
    "strong": N_("US Cluster Mapping strong clusters"),
    "relatedness": N_("RCA, M and relatedness density (EconGeo conventions)"),
    "complexity": N_("ECI, PCI, density, COI and COG (py-ecomplexity conventions)"),
}
LANG_HELP = N_(
    "language of the console, help and messages: fr or en (default: POLES_LANGUAGE, "
    "LANGUAGE, LC_ALL, LANG, else fr); files written are the same in both"
)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the active language (`i18n.activate` first)."""
    parser = _Parser(
        prog="poles observatory",
        description=_(
            "Cluster-mapping indicators on Eurostat TSV dumps or tidy region × sector files."
        ),
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=_(LANG_HELP))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        p = sub.add_parser(name, help=_(HELPS[name]), description=_(HELPS[name]))
        p.add_argument(
            "input", help=_("Eurostat .tsv/.tsv.gz dump, or a tidy .csv/.parquet file")
        )
        p.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar=_("DIM=VALUE"),
            help=_("keep one value of a Eurostat dimension (repeatable), e.g. indic_sb=V16110"),
        )
        p.add_argument(
            "--year",
            type=_years,
            action="append",
            default=[],
            metavar=_("YEARS"),
            help=_("year(s): 2013, 2012,2013 or 2010-2013 (repeatable; default all)"),
        )
        p.add_argument(
            "--nuts-level",
            type=int,
            default=2,
            choices=(0, 1, 2, 3),
            help=_("NUTS level of the regions (default 2)"),
        )
        p.add_argument(
            "--country", metavar=_("COUNTRY"), help=_("report this country's regions only (two letters, e.g. FR)")
        )
        p.add_argument(
            "--level",
            default="division",
            choices=LEVELS,
            help=_(
                "NACE level of the sectors (default division), or Eurostat's standard "
                "breakdowns a10, a21, a38 built from the file's sections, aggregates or divisions"
            ),
        )
        p.add_argument(
            "--reference",
            default="country",
            choices=REFERENCES,
            help=_("LQ denominator: the region's country, the EU, or the input's regions"),
        )
        p.add_argument(
            "--eu",
            default="EU27_2020",
            choices=sorted(EU_COMPOSITIONS),
            help=_("EU composition for --reference eu and the ecosystem shares"),
        )
        p.add_argument(
            "--engine",
            default="duckdb",
            choices=("duckdb", "spark"),
            help=_("where the table work runs (default duckdb)"),
        )
        p.add_argument("--out", metavar=_("FILE"), help=_("write the result as .csv, .parquet or .json"))
        p.add_argument(
            "--json", action="store_true", help=_("print the result as JSON on stdout")
        )
        p.add_argument("--plot", metavar=_("FILE"), help=_("draw a picture (.svg or .png)"))
        p.add_argument(
            "--plot-kind",
            choices=("heatmap", "map", "shares"),
            help=_("heatmap (default), map (needs --sector) or shares (ecosystems)"),
        )
        p.add_argument(
            "--sector", metavar=_("SECTOR"), help=_("the sector (or ecosystem) coloured on --plot-kind map")
        )
        p.add_argument(
            "--limit", type=int, default=20, help=_("rows shown in the console (default 20)")
        )
        p.add_argument(
            "--min-value",
            type=float,
            default=0.0,
            help=_("leave cells whose value is below this out of the rankings (e.g. 100 persons)"),
        )
        p.add_argument("--lang", choices=LANGUAGES, help=_(LANG_HELP))
        if name in ("agglomerations",):
            p.add_argument(
                "--top", type=int, default=5, help=_("agglomerations listed per region")
            )
            p.add_argument(
                "--table-out", metavar=_("FILE"), help=_("write the per-region table (.csv, .parquet, .json)")
            )
        if name == "ecosystems":
            p.add_argument("--table-out", metavar=_("FILE"), help=_("write Table 2 (.csv, .parquet, .json)"))
            p.add_argument(
                "--shares-out", metavar=_("FILE"), help=_("write Figure 1's shares (.csv, .parquet, .json)")
            )
        if name == "strong":
            p.add_argument(
                "--establishments",
                action="append",
                default=[],
                metavar=_("DIM=VALUE"),
                help=_("the filter selecting establishment counts, e.g. indic_sb=V11210"),
            )
        if name == "relatedness":
            p.add_argument(
                "--method",
                default="prob",
                choices=("prob", "association", "cosine", "jaccard"),
                help=_("how sectors' relatedness is measured (default prob)"),
            )
            p.add_argument(
                "--pairs-out", metavar=_("FILE"), help=_("write the sector × sector relatedness table")
            )
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
                _(
                    "strong needs --establishments DIM=VALUE to pick the establishment counts "
                    "(e.g. --establishments indic_sb=V11210)"
                )
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
    """A cell for the console, in the reader's format: missing as '-', shares as percentages,
    counts as integers with thousands separators (`1 234` and `4,1 %` in French)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>":
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, float):
        if column in PERCENT_COLUMNS or column.startswith("share_"):
            return i18n.percent(value)
        if column in COUNT_COLUMNS and value.is_integer():
            return i18n.number(value)
        return i18n.decimal(value, digits)
    if isinstance(value, int) and column in COUNT_COLUMNS:
        return i18n.number(value)
    return str(value)


#: The console's column headers (files keep the column names).
COLUMN_NAMES = {
    "region": N_("region"),
    "region_name": N_("region name"),
    "country": N_("country"),
    "label": N_("sector"),
    "year": N_("year"),
    "value": N_("value"),
    "share": N_("share"),
    "eu_share": N_("EU share"),
    "lq": N_("LQ"),
    "relevant": N_("relevant"),
    "size_star": N_("size star"),
    "specialisation_star": N_("specialisation star"),
    "focus_star": N_("focus star"),
    "stars": N_("stars"),
    "establishments": N_("establishments"),
    "rca": N_("RCA"),
    "relatedness_density": N_("relatedness density"),
    "diversity": N_("diversity"),
    "eci": N_("ECI"),
    "coi": N_("COI"),
}


#: The notes' keys as the console names them (JSON outputs keep the keys).
NOTE_NAMES = {
    "cells": N_("cells"),
    "missing_cells": N_("missing cells"),
    "regions": N_("regions"),
    "sectors": N_("sectors"),
    "years": N_("years"),
    "nuts_level": N_("NUTS level"),
    "level": N_("level"),
    "reference": N_("reference"),
    "cells_without_lq": N_("cells without LQ"),
    "regions_without_total": N_("regions without total"),
    "ecosystem_cells_with_missing_divisions": N_("ecosystem cells with missing divisions"),
    "relevant_agglomerations": N_("relevant agglomerations"),
    "regions_without_data": N_("regions with no data"),
    "missing_cells_in_matrix": N_("missing cells in the matrix"),
    "method": N_("method"),
    "strong_clusters": N_("strong clusters"),
}


def _note_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return i18n.number(value) if float(value).is_integer() else i18n.decimal(value)


def _print_notes(console: Console, notes: dict[str, Any]) -> None:
    colon = ": " if i18n.get_language() == "en" else "\u00a0: "
    parts = [
        f"{_(NOTE_NAMES[k]) if k in NOTE_NAMES else k.replace('_', ' ')}{colon}{_note_value(v)}"
        for k, v in notes.items()
        if not isinstance(v, list) or v
    ]
    console.print("[dim]" + _("notes — ") + "; ".join(parts) + "[/dim]")


def _print_summary(
    console: Console,
    table: pd.DataFrame,
    *,
    top: int,
    title: str,
    count: str,
    names: dict[str, str] | None = None,
) -> None:
    t = Table(title=title, show_lines=False)
    t.add_column(_("Region"))
    t.add_column(_("Year"))
    t.add_column(count, justify="right")
    for i in range(1, top + 1):
        t.add_column(_("Agglomeration {i}").format(i=i))
    for row in table.to_dict("records"):
        region = f"{row['region']} {row.get('region_name') or ''}".strip()
        cells = []
        for i in range(1, top + 1):
            label = row.get(f"label_{i}")
            if names and row.get(f"sector_{i}") in names:
                label = names[row[f"sector_{i}"]]
            if label is None or (isinstance(label, float) and math.isnan(label)):
                cells.append("-")
            else:
                short = label if len(label) <= 40 else label[:39] + "…"
                lq = i18n.decimal(row[f"lq_{i}"])
                share = i18n.percent(row[f"share_{i}"])
                cells.append(_("{label} (LQ {lq}, {share})").format(label=short, lq=lq, share=share))
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
        t.add_column(_(COLUMN_NAMES.get(name, name)), justify="right" if numeric else "left")
    for row in table.to_pylist():
        t.add_row(*[_fmt(row[c], 3, c) for c in columns])
    console.print(t)
    total = frame.num_rows if isinstance(frame, pa.Table) else len(frame)
    if total > limit:
        more = total - limit
        text = ngettext(
            "… {n} more row (--out writes them all)", "… {n} more rows (--out writes them all)", more
        )
        console.print("[dim]" + text.format(n=i18n.number(more)) + "[/dim]")


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
            raise OptionError(_("--plot-kind map needs --sector (e.g. --sector C30)"))
    if args.limit < 0:
        raise OptionError(_("--limit must be 0 or more; found {n}").format(n=args.limit))
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
    with err.status(_("reading {path}…").format(path=args.input)):
        panel = _load(args)
    with err.status(_("computing {command} on {engine}…").format(**vars(args))):
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
        text = ngettext("wrote {n} row to {path}", "wrote {n} rows to {path}", rows)
        console.print(text.format(n=i18n.number(rows), path=args.out))
    return 0


def _compute(args: argparse.Namespace, panel: Any, options: api.Options) -> api.Result:
    command = args.command
    if command == "lq":
        return api.location_quotients(panel, options=options)
    if command == "agglomerations":
        if args.top < 1:
            raise OptionError(_("--top must be 1 or more; found {n}").format(n=args.top))
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
            raise OptionError(_("--plot-kind shares needs the ecosystems command and --country"))
        from poles.observatory.ecosystems import ecosystem_names

        shares = result.tables["shares"].copy()
        names = ecosystem_names(i18n.get_language())
        shares["label"] = shares["sector"].map(names).fillna(shares["label"])
        plots.share_bars(shares, args.plot, country=args.country.upper())
    elif kind == "map":
        if "lq" not in frame:
            raise OptionError(
                _("--plot-kind map colours LQs: use lq, agglomerations, ecosystems or stars")
            )
        plots.france_map(frame, args.plot, sector=args.sector)
    else:
        column = "lq" if "lq" in frame else "rca"
        plots.lq_heatmap(
            frame.rename(columns={column: "lq"}),
            args.plot,
            title=_("Location quotients") if column == "lq" else "RCA",
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
            title=_("Regionally relevant sectoral agglomerations (LQ > 1.5, ≥ 1% of employment)"),
            count=_("# of aggl."),
        )
    elif args.command == "ecosystems":
        from poles.observatory.ecosystems import ecosystem_names

        names = ecosystem_names(i18n.get_language())  # the console names them in French too
        _print_summary(
            console,
            result.tables["table"],
            top=2,
            title=_("Regionally relevant ecosystem agglomerations"),
            count=_("# of aggl."),
            names=names,
        )
        shares = result.tables["shares"].copy()
        shares["label"] = shares["sector"].map(names).fillna(shares["label"])
        if args.country:
            _print_rows(
                console,
                shares,
                ["country", "year", "label", "share", "eu_share"],
                title=_("Employment share by ecosystem (of the 14 ecosystems)"),
                limit=max(limit, 14),
            )
    elif args.command == "lq" and frame is not None:
        top = frame.sort_values("lq", ascending=False, na_position="last")
        _print_rows(
            console,
            top,
            ["region", "region_name", "label", "year", "value", "share", "lq", "relevant"],
            title=_("Highest location quotients"),
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
            title=_("Cluster stars (European Cluster Observatory)"),
            limit=limit,
        )
    elif args.command == "strong" and frame is not None:
        top = frame[frame["strong"]].sort_values("lq", ascending=False)
        _print_rows(
            console,
            top,
            ["region", "region_name", "label", "year", "value", "establishments", "lq"],
            title=_("Strong clusters ({n})").format(n=i18n.number(len(top))),
            limit=limit,
        )
    elif args.command == "relatedness":
        open_ = result.summary if result.summary is not None else pa.table({})
        _print_rows(
            console,
            open_,
            ["region", "region_name", "label", "year", "rca", "relatedness_density"],
            title=_("Most related sectors not yet specialised in"),
            limit=limit,
        )
    elif args.command == "complexity":
        regions = result.summary if result.summary is not None else pa.table({})
        regions = regions.sort_by([("eci", "descending")])
        _print_rows(
            console,
            regions,
            ["region", "region_name", "year", "diversity", "eci", "coi"],
            title=_("Economic complexity by region"),
            limit=limit,
        )


def _asked_language(argv: Sequence[str]) -> str | None:
    """The language of `--lang fr|en` anywhere on the line (read before the help is built)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            return value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run `poles observatory …`; returns the exit code (2 on bad input or options)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    console = Console(soft_wrap=False, width=max(Console().width, 160))
    err = Console(stderr=True)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    i18n.activate(_asked_language(argv))
    try:
        with i18n.argparse_messages():
            args = build_parser().parse_args(argv)
        return _run(args, console, err)
    except ObservatoryError as exc:
        sys.stderr.write(_("poles observatory: error: {message}").format(message=exc) + "\n")
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
