"""The observatory's Python API: one function per indicator, keyword-only options.

Each function takes a `Panel` (see `poles.observatory.io`) and returns a `Result`: the main
table (`table` in Arrow, `frame` in pandas, converted on first use), extra tables (e.g. Table 1's
layout) and notes (counts of missing cells and of what was left out). Relatedness and
complexity run from the panel's integer codes to NumPy matrices and back to Arrow columns; with
`out=` each year's rows are written as soon as they are computed and the year's matrices freed.
The table work of the other indicators runs as Ibis expressions on `engine`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from poles.observatory import cube
from poles.observatory import engine as eng
from poles.observatory.codes import (
    BREAKDOWNS,
    EU_COMPOSITIONS,
    LEVELS,
    REFERENCES,
    Reference,
    breakdown_map,
    group_title,
    nuts_level,
    region_name,
)
from poles.observatory.ecosystems import ecosystem_names, mapping_columns
from poles.observatory.errors import OptionError, SelectionError
from poles.observatory.i18n import _
from poles.observatory.io import Panel
from poles.observatory.memory import keep_freed_memory
from poles.observatory.output import TableWriter, plain, write_table

if TYPE_CHECKING:
    import pandas as pd

    from poles.observatory.scale import SparkPanel

LQ_COLUMNS = [
    "region",
    "sector",
    "year",
    "value",
    "region_total",
    "share",
    "reference_value",
    "reference_total",
    "lq",
    "agglomeration",
    "relevant",
]


class Result:
    """An indicator's output: the long table (`table`, Arrow; `frame`, pandas), extra `tables`
    (pandas), `notes`, and `summary` (a small Arrow table the command line prints)."""

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        notes: dict[str, Any] | None = None,
        tables: dict[str, pd.DataFrame] | None = None,
        *,
        table: pa.Table | None = None,
        written: Path | None = None,
        summary: pa.Table | None = None,
    ) -> None:
        self._frame = frame
        self._table = table
        self.notes: dict[str, Any] = notes or {}
        self.tables: dict[str, pd.DataFrame] = tables or {}
        self.written = written
        self.summary = summary

    @property
    def table(self) -> pa.Table:
        """The long table in Arrow (read back from the written file when it was streamed)."""
        if self._table is None:
            if self._frame is not None:
                self._table = pa.Table.from_pandas(self._frame, preserve_index=False)
            elif self.written is not None:
                self._table = _read_back(self.written)
            else:  # pragma: no cover - every Result has one or the other
                raise ValueError(_("this result has no table"))
        return self._table

    @property
    def frame(self) -> pd.DataFrame:
        """The long table as a pandas frame (labels as plain strings)."""
        if self._frame is None:
            table = plain(self.table)
            frame = table.to_pandas()
            for name, column in zip(table.column_names, table.columns, strict=True):
                if pa.types.is_integer(column.type) and column.null_count:
                    frame[name] = frame[name].astype("Int64")  # integers stay integers
            self._frame = frame
        return self._frame

    def write(self, path: str | Path) -> Path:
        """Write the long table as .csv, .parquet or .json (with the notes)."""
        if self.written is not None and Path(path).resolve() == self.written.resolve():
            return self.written
        return write_table(self.table, path, notes=self.notes)


def _read_back(path: Path) -> pa.Table:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path)
    if suffix == ".csv":
        import pyarrow.csv as pacsv

        return pacsv.read_csv(path)
    import json

    rows = json.loads(path.read_text("utf-8"))["rows"]
    return pa.Table.from_pylist(rows)


@dataclass(frozen=True)
class Options:
    """Selection options shared by every indicator (validated by `check`)."""

    nuts_level: int = 2
    level: str = "division"
    reference: Reference = "country"
    country: str | None = None
    eu: str = "EU27_2020"
    engine: eng.Engine = "duckdb"
    min_value: float = 0.0

    def check(self) -> Options:
        if self.nuts_level not in (0, 1, 2, 3):
            raise OptionError(
                _("nuts_level must be 0, 1, 2 or 3; found {value!r}").format(value=self.nuts_level)
            )
        if self.level not in LEVELS:
            raise OptionError(
                _("level must be one of {choices}; found {value!r}").format(
                    choices=", ".join(LEVELS), value=self.level
                )
            )
        if self.reference not in REFERENCES:
            raise OptionError(
                _("reference must be one of {choices}; found {value!r}").format(
                    choices=", ".join(REFERENCES), value=self.reference
                )
            )
        if self.eu not in EU_COMPOSITIONS:
            raise OptionError(
                _("eu must be one of {choices}; found {value!r}").format(
                    choices=", ".join(EU_COMPOSITIONS), value=self.eu
                )
            )
        if self.engine not in eng.ENGINES:
            raise OptionError(
                _("engine must be one of {choices}; found {value!r}").format(
                    choices=", ".join(eng.ENGINES), value=self.engine
                )
            )
        if self.country is not None and (len(self.country) != 2 or not self.country.isalpha()):
            raise OptionError(
                _("country must be a two-letter code such as FR; found {value!r}").format(
                    value=self.country
                )
            )
        if not self.min_value >= 0:
            raise OptionError(
                _("min_value must be 0 or more; found {value!r}").format(value=self.min_value)
            )
        if self.reference == "country" and self.nuts_level == 0:
            raise OptionError(
                _("reference 'country' compares regions with their country: use nuts_level 1-3")
            )
        return self

    @property
    def members(self) -> Collection[str]:
        return EU_COMPOSITIONS[self.eu]


def _options(options: Options | None, overrides: dict[str, Any]) -> Options:
    base = options or Options()
    if overrides:
        base = Options(**{**base.__dict__, **overrides})
    if base.country is not None:
        base = Options(**{**base.__dict__, "country": base.country.upper()})
    return base.check()


def _backend(options: Options, con: Any) -> Any:
    return con if con is not None else eng.connect(options.engine)


def _check_selection(frame: pd.DataFrame, panel: Panel, options: Options, what: str) -> None:
    if len(frame):
        return
    _empty_selection(panel, options, what)


def _empty_selection(panel: Panel, options: Options, what: str) -> None:
    """Raise the clear error of an empty selection: the country absent, or nothing at the level."""
    codes = [str(c) for c in pc.unique(panel.table["region"]).to_pylist()]
    countries = sorted({c[:2] for c in codes if nuts_level(c) == options.nuts_level})
    if options.country is not None and options.country not in countries:
        raise SelectionError(
            _(
                "no region of NUTS level {nuts} in country {country} in {source}; "
                "countries present: {present}"
            ).format(
                nuts=options.nuts_level,
                country=options.country,
                source=panel.source,
                present=", ".join(countries) or _("none"),
            )
        )
    raise SelectionError(
        (
            _(
                "the selection is empty: no {level} cell at NUTS level {nuts} in {country} "
                "in {source} ({what})"
            )
            if options.country
            else _("the selection is empty: no {level} cell at NUTS level {nuts} in {source} ({what})")
        ).format(
            level=options.level,
            nuts=options.nuts_level,
            country=options.country,
            source=panel.source,
            what=what,
        )
    )


def _tables_in(panel: Panel) -> Any:
    """The panel as an Ibis table (labels as plain strings; engines do not take dictionaries)."""
    return eng.table(panel.plain())


def _distinct(column: pa.ChunkedArray) -> int:
    return int(pc.count_distinct(column).as_py())


def _notes(table: pa.Table, options: Options) -> dict[str, Any]:
    """Counts of cells, missing cells, regions, sectors and what has no LQ or total."""
    value = table["value"]
    notes: dict[str, Any] = {
        "cells": table.num_rows,
        "missing_cells": value.null_count,
        "regions": _distinct(table["region"]),
        "sectors": _distinct(table["sector"]),
        "years": sorted(int(y) for y in pc.unique(table["year"]).to_pylist()),
        "nuts_level": options.nuts_level,
        "level": options.level,
        "reference": options.reference,
    }
    if "lq" in table.column_names:
        no_lq = pc.and_(pc.is_null(table["lq"]), pc.is_valid(value))
        notes["cells_without_lq"] = int(pc.sum(no_lq).as_py() or 0)
        notes["regions_without_total"] = _distinct(
            table.filter(pc.is_null(table["region_total"]))["region"]
        )
    if "parts_missing" in table.column_names:
        notes["ecosystem_cells_with_missing_divisions"] = int(
            pc.sum(pc.greater(table["parts_missing"], 0)).as_py() or 0
        )
    return notes


_FLAGS = ("agglomeration", "relevant", "size_star", "focus_star", "specialisation_star", "strong")


def _normalise(table: pa.Table) -> pa.Table:
    """Stable order (region, year, sector) and plain types whatever the engine."""
    order = pc.sort_indices(
        table, sort_keys=[("region", "ascending"), ("year", "ascending"), ("sector", "ascending")]
    )
    table = table.take(order)
    columns = []
    for name in table.column_names:
        col = table[name]
        if name == "flag":
            col = pc.fill_null(pc.cast(col, pa.string()), "")
        elif name in _FLAGS:
            col = pc.fill_null(pc.cast(col, pa.bool_()), False)
        elif name in ("year", "n_relevant", "stars", "rank", "region_cells", "region_missing"):
            col = pc.cast(col, pa.int64())
        columns.append(col)
    return pa.table(columns, names=table.column_names)


def _run(expr: Any, opts: Options, con: Any, panel: Panel, what: str) -> pa.Table:
    """Execute an indicator's expression into a normalised Arrow table (no pandas step)."""
    table = _normalise(eng.execute_arrow(_backend(opts, con), expr))
    if table.num_rows == 0:
        _empty_selection(panel, opts, what)
    return table


def _named(column: pa.ChunkedArray, names: Any) -> pa.DictionaryArray:
    """A column of names looked up once per distinct code (a dictionary column)."""
    codes = pc.dictionary_encode(column).combine_chunks()
    labels = pa.array([names(str(code)) for code in codes.dictionary.to_pylist()], pa.string())
    return pa.DictionaryArray.from_arrays(codes.indices, labels)


def _with_labels(table: pa.Table, names: Any) -> pa.Table:
    """`region_name` beside `region` and `label` beside `sector`, looked up once per code."""
    table = table.add_column(
        table.column_names.index("region") + 1,
        "region_name",
        _named(table["region"], region_name),
    )
    return table.add_column(
        table.column_names.index("sector") + 1, "label", _named(table["sector"], names)
    )


def _lq_expr(panel: Panel, options: Options, *, mapping: bool = False) -> Any:
    from poles.observatory import pipeline

    mapping_table = eng.table(pa.table(mapping_columns())) if mapping else None
    sources = None
    if options.level in BREAKDOWNS and not mapping:
        groups = _breakdown(panel, options.level)
        sources = sorted(groups)
        mapping_table = eng.table(
            pa.table(
                {
                    "nace_division": pa.array(sources, pa.string()),
                    "ecosystem_code": pa.array([groups[c] for c in sources], pa.string()),
                }
            )
        )
    return pipeline.location_quotients(
        _tables_in(panel),
        nuts_level=options.nuts_level,
        level=options.level,
        reference=options.reference,
        members=options.members,
        mapping=mapping_table,
        sources=sources,
    )


def _breakdown(panel: Panel, level: str) -> dict[str, str]:
    """The file's codes that make up Eurostat's A*10/A*21/A*38 groups, or a clear error."""
    codes = [str(c) for c in pc.unique(panel.table["sector"]).to_pylist() if c is not None]
    groups = breakdown_map(level, codes)
    if not groups:
        raise SelectionError(
            _(
                "{source} has no sector code that builds the {level} breakdown "
                "(sections, divisions or Eurostat aggregates such as B-E are needed)"
            ).format(source=panel.source, level=level.upper())
        )
    return groups


def _sector_map(panel: Panel, level: str) -> cube.SectorMap:
    if level in BREAKDOWNS:
        return _breakdown(panel, level).get
    return cube.level_map(level)


def location_quotients(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """LQ, share and the ECCP flags per region × sector × year (columns in `LQ_COLUMNS`)."""
    from poles.observatory import pipeline

    opts = _options(options, overrides)
    expr = pipeline.filter_country(_lq_expr(panel, opts), opts.country)
    table = _with_labels(_run(expr, opts, con, panel, _("location quotients")), group_title)
    return Result(table=table, notes=_notes(table, opts))


def agglomerations(
    panel: Panel,
    *,
    options: Options | None = None,
    con: Any = None,
    top: int = 5,
    **overrides: Any,
) -> Result:
    """Location quotients plus `n_relevant`, `rank` and `label`, and Table 1 as `tables["table"]`."""
    from poles.observatory import pipeline

    opts = _options(options, overrides)
    expr = pipeline.rank_agglomerations(
        pipeline.filter_country(_lq_expr(panel, opts), opts.country), min_value=opts.min_value
    )
    table = _with_labels(_run(expr, opts, con, panel, _("agglomerations")), group_title)
    notes = _notes(table, opts)
    notes["relevant_agglomerations"] = int(pc.sum(table["relevant"]).as_py() or 0)
    notes["regions_without_data"] = _without_data(table)
    return Result(table=table, notes=notes, tables={"table": summary_table(table, top=top)})


def _without_data(table: pa.Table) -> list[str]:
    """Regions of the output with no total in some year (every cell missing): named in the notes."""
    empty = table.filter(pc.is_null(table["region_total"]))["region"]
    return sorted(str(r) for r in pc.unique(empty).to_pylist())


def summary_table(
    frame: pd.DataFrame | pa.Table, *, top: int = 5, label: str = "label"
) -> pd.DataFrame:
    """Table 1's layout: per region and year the number of regionally relevant agglomerations
    and the top ones by LQ (`sector_i`, `label_i`, `lq_i`, `share_i`)."""
    import pandas as pd

    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame)
    counts = (
        table.select(["region", "year", "relevant", "region_total"])
        .cast(
            pa.schema(
                [
                    ("region", pa.string()),
                    ("year", pa.int64()),
                    ("relevant", pa.int64()),
                    ("region_total", pa.float64()),
                ]
            )
        )
        .group_by(["region", "year"], use_threads=False)
        .aggregate([("relevant", "sum"), ("region_total", "first")])
        .rename_columns(["region", "year", "n_relevant", "region_total"])
    )
    out = counts.to_pandas().sort_values(["region", "year"]).reset_index(drop=True)
    out["n_relevant"] = out["n_relevant"].astype("int64")
    out = out[out["region_total"].notna()]  # regions with no data go to the notes, not rows
    out.insert(1, "region_name", [region_name(str(r)) for r in out["region"]])
    out = out[["region", "region_name", "year", "n_relevant", "region_total"]].reset_index(
        drop=True
    )
    ranked = table.filter(pc.less_equal(pc.fill_null(table["rank"], top + 1), top))
    best = plain(ranked.select(["region", "year", "rank", "sector", label, "lq", "share"]))
    best_frame = best.to_pandas()
    for i in range(1, top + 1):
        part = best_frame[best_frame["rank"] == i].drop(columns="rank")
        part = part.rename(
            columns={
                "sector": f"sector_{i}",
                label: f"label_{i}",
                "lq": f"lq_{i}",
                "share": f"share_{i}",
            }
        )
        out = out.merge(part, on=["region", "year"], how="left")
    del pd
    return out


def ecosystems(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """Ecosystem LQs and agglomerations (Table 2) and country vs EU shares (Figure 1).

    `frame` has one row per region × ecosystem × year; `tables["table"]` is Table 2 and
    `tables["shares"]` Figure 1 (for `country`, or every country when none is given).
    """
    from poles.observatory import pipeline

    opts = _options(options, {**overrides, "level": "division"})
    backend = _backend(opts, con)
    expr = pipeline.rank_agglomerations(
        pipeline.filter_country(_lq_expr(panel, opts, mapping=True), opts.country),
        min_value=opts.min_value,
    )
    names = ecosystem_names("en")
    table = _with_labels(_run(expr, opts, backend, panel, _("ecosystems")), names.__getitem__)
    shares_expr = pipeline.ecosystem_shares(
        _tables_in(panel),
        mapping=eng.table(pa.table(mapping_columns())),
        members=opts.members,
    )
    if opts.country is not None:
        shares_expr = shares_expr.filter(shares_expr.country == opts.country)
    shares = eng.execute(backend, shares_expr)
    shares["label"] = shares["sector"].map(names)
    shares = shares.sort_values(["country", "year", "value"], ascending=[True, True, False])
    notes = _notes(table, opts)
    notes["relevant_agglomerations"] = int(pc.sum(table["relevant"]).as_py() or 0)
    notes["regions_without_data"] = _without_data(table)
    return Result(
        table=table,
        notes=notes,
        tables={"table": summary_table(table, top=2), "shares": shares.reset_index(drop=True)},
    )


def stars(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """European Cluster Observatory stars (size, specialisation, focus) per region × sector."""
    from poles.observatory import pipeline

    opts = _options(options, overrides)
    expr = pipeline.filter_country(pipeline.stars(_lq_expr(panel, opts)), opts.country)
    table = _with_labels(_run(expr, opts, con, panel, _("stars")), group_title)
    return Result(table=table, notes=_notes(table, opts))


def with_establishments(panel: Panel, establishments: Panel) -> Panel:
    """`panel` with an `establishments` column taken from a second panel's values."""
    est = (
        establishments.plain()
        .select(["region", "sector", "year", "value"])
        .rename_columns(["region", "sector", "year", "establishments"])
    )
    base = panel.plain().drop_columns(
        [c for c in ("establishments",) if c in panel.table.column_names]
    )
    joined = base.join(est, ["region", "sector", "year"], join_type="left outer")
    return Panel(table=joined, source=panel.source, selection=panel.selection)


def strong_clusters(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """US Cluster Mapping strong clusters; the panel needs an `establishments` column."""
    from poles.observatory import pipeline

    opts = _options(options, overrides)
    if "establishments" not in panel.table.column_names:
        raise OptionError(
            _(
                "strong clusters need establishment counts: give --establishments DIM=VALUE "
                "(e.g. indic_sb=V11210) for a Eurostat file, or an 'establishments' column"
            )
        )
    expr = pipeline.filter_country(pipeline.strong_clusters(_lq_expr(panel, opts)), opts.country)
    table = _with_labels(_run(expr, opts, con, panel, _("strong clusters")), group_title)
    return Result(table=table, notes=_notes(table, opts))


def _cells(panel: Panel, opts: Options, con: Any) -> pd.DataFrame:
    """The region × sector cells of the level as a pandas frame (region, country, sector, year,
    value), through the Ibis pipeline: used to compare with peers, not by the indicators."""
    from poles.observatory import pipeline

    expr = pipeline.cells(_tables_in(panel), nuts_level=opts.nuts_level, level=opts.level)
    frame = eng.execute(_backend(opts, con), expr)
    if opts.country is not None and not (frame["country"] == opts.country).any():
        frame = frame.iloc[0:0]
    _check_selection(frame, panel, opts, _("matrix"))
    return frame


def _year_matrices(panel: Panel | SparkPanel, opts: Options) -> tuple[Any, dict[str, Any]]:
    """Each year's matrix of the level (an iterator) and the notes known before the algebra.

    A panel in memory is scattered here whatever the engine (its matrices are at hand); a
    `SparkPanel` is aggregated in Spark and collected one year at a time.
    """
    if not isinstance(panel, Panel):
        from poles.observatory import scale

        notes: dict[str, Any] = {}
        matrices = scale.year_matrices(panel, nuts=opts.nuts_level, level=opts.level, notes=notes)
        return matrices, notes
    sectors = _sector_map(panel, opts.level)
    codes = panel.codes
    cube.check_level(codes, opts.nuts_level, sectors, _("{level} level").format(level=opts.level), panel.source)
    if opts.country is not None:
        countries = {str(c)[:2] for c in codes.regions if nuts_level(str(c)) == opts.nuts_level}
        if opts.country not in countries:
            _empty_selection(panel, opts, _("matrix"))
    notes = {
        "missing_cells_in_matrix": cube.missing_cells(codes, opts.nuts_level, sectors),
        "level_regions": {str(c) for c in codes.regions if nuts_level(str(c)) == opts.nuts_level},
    }
    matrices = cube.matrices(codes, nuts=opts.nuts_level, sectors=sectors, source=panel.source)
    return matrices, notes


class _Collector:
    """Tables of each year, written as they come (`out`) or kept, and the counts of the notes."""

    def __init__(self, out: str | Path | None) -> None:
        self.writer = TableWriter(out) if out is not None else None
        self.tables: list[pa.Table] = []
        self.cells = 0
        self.missing = 0
        self.regions: set[str] = set()
        self.sectors: set[str] = set()
        self.years: list[int] = []
        self.all_regions: set[str] = set()

    def add(self, table: pa.Table, ym: cube.YearMatrix, keep: Any) -> None:
        """Take one year's rows (`keep`: the reported regions of `ym`, or None for all)."""
        self.cells += table.num_rows
        self.missing += table["value"].null_count
        self.all_regions.update(str(r) for r in ym.regions)
        if table.num_rows:
            shown = ym.regions if keep is None else ym.regions[keep]
            self.regions.update(str(r) for r in shown)
            self.sectors.update(str(s) for s in ym.sectors)
            self.years.append(ym.year)
        if self.writer is not None:
            self.writer.write(table)
        else:
            self.tables.append(table)

    @property
    def busy(self) -> bool:
        """Whether the previous year is still being written on the writer's thread."""
        return self.writer is not None and self.writer.busy

    def result(
        self, notes: dict[str, Any], *, summary: pa.Table | None, tables: dict[str, Any]
    ) -> Result:
        if self.writer is not None:
            path = self.writer.close(notes)
            return Result(notes=notes, written=path, summary=summary, tables=tables)
        table = pa.concat_tables(self.tables) if self.tables else pa.table({})
        return Result(notes=notes, table=table, summary=summary, tables=tables)


def _matrix_notes(
    collector: _Collector, opts: Options, extra: dict[str, Any], panel: Panel | SparkPanel
) -> dict[str, Any]:
    notes: dict[str, Any] = {
        "cells": collector.cells,
        "missing_cells": collector.missing,
        "regions": len(collector.regions),
        "sectors": len(collector.sectors),
        "years": sorted(collector.years),
        "nuts_level": opts.nuts_level,
        "level": opts.level,
        "reference": opts.reference,
    }
    notes.update(extra)
    if "level_regions" in notes:
        level_regions: set[str] = notes.pop("level_regions")
        notes["regions_without_data"] = sorted(level_regions - collector.all_regions)
    return notes


@keep_freed_memory()
def complexity(
    panel: Panel | SparkPanel,
    *,
    options: Options | None = None,
    con: Any = None,
    out: str | Path | None = None,
    **overrides: Any,
) -> Result:
    """RCA, M, diversity, ubiquity, density, ECI, PCI, COI and COG per region × sector × year.

    The matrix is every region of the level (RCA against the matrix's own totals); `country`
    only filters the report. Rows come by year, region, sector. With `out`, each year's rows
    are written to that file (.csv, .parquet or .json) as soon as they are computed.
    """
    from poles.observatory import algebra as cx

    opts = _options(options, overrides)
    matrices, extra = _year_matrices(panel, opts)
    collector = _Collector(out)
    summaries = []
    grids = cube.Grids()
    for ym in matrices:
        with cx.blas_threads_beside(collector.busy):
            result = cx.complexity(ym.values, regions=ym.regions, sectors=ym.sectors)
        keep = cube.country_rows(ym.regions, opts.country)
        table = cube.long_table(
            ym.year,
            ym.regions,
            ym.sectors,
            cells={
                "value": ym.values,
                "rca": result.rca,
                "m": result.m.astype(np.int8),
                "density": result.density,
                "cog": result.cog,
            },
            by_region={
                "diversity": result.diversity.astype(np.int64),
                "eci": result.eci,
                "coi": result.coi,
            },
            by_sector={"ubiquity": result.ubiquity.astype(np.int64), "pci": result.pci},
            keep_regions=keep,
            order=COMPLEXITY_COLUMNS,
            compact=collector.writer is not None,
            grids=grids,
        )
        collector.add(table, ym, keep)
        summaries.append(
            cube.region_table(
                ym.year,
                ym.regions,
                {
                    "diversity": result.diversity.astype(np.int64),
                    "eci": result.eci,
                    "coi": result.coi,
                },
                keep,
            )
        )
        del result, table, ym
    notes = _matrix_notes(collector, opts, extra, panel)
    if collector.cells == 0 and isinstance(panel, Panel):
        _empty_selection(panel, opts, _("matrix"))
    summary = pa.concat_tables(summaries) if summaries else None
    return collector.result(notes, summary=summary, tables={})


COMPLEXITY_COLUMNS = (
    "value",
    "rca",
    "m",
    "diversity",
    "ubiquity",
    "eci",
    "pci",
    "density",
    "coi",
    "cog",
)


@keep_freed_memory()
def relatedness(
    panel: Panel | SparkPanel,
    *,
    options: Options | None = None,
    con: Any = None,
    method: str = "prob",
    out: str | Path | None = None,
    pairs_out: str | Path | None = None,
    **overrides: Any,
) -> Result:
    """RCA, M and EconGeo's relatedness density per region × sector × year; the sector × sector
    co-occurrence, proximity and relatedness as `tables["pairs"]` (or written to `pairs_out`)."""
    from poles.observatory import algebra as cx

    if method not in ("prob", "association", "cosine", "jaccard"):
        raise OptionError(
            _("method must be prob, association, cosine or jaccard; found {value!r}").format(
                value=method
            )
        )
    opts = _options(options, overrides)
    matrices, extra = _year_matrices(panel, opts)
    collector = _Collector(out)
    pairs = _Collector(pairs_out)
    openings = []
    grids = cube.Grids()
    for ym in matrices:
        with cx.blas_threads_beside(collector.busy), cx.blas_threads_for(ym.values.size):
            r = cx.rca(ym.values)
            m = cx.presence(r)
            cooc = cx.co_occurrence(m, diagonal=False)
            rel = cx.relatedness(cooc, method=method)
            dens = cx.relatedness_density(m, rel)
            prox = cx.proximity(m)
        keep = cube.country_rows(ym.regions, opts.country)
        table = cube.long_table(
            ym.year,
            ym.regions,
            ym.sectors,
            cells={
                "value": ym.values,
                "rca": r,
                "m": m.astype(np.int8),
                "relatedness_density": dens,
            },
            keep_regions=keep,
            grids=grids,
        )
        collector.add(table, ym, keep)
        unspecialised = table.filter(pc.equal(table["m"], 0))
        openings.append(
            plain(unspecialised.take(_top(unspecialised["relatedness_density"], SUMMARY_ROWS)))
        )
        pair_table = cube.long_table(
            ym.year,
            ym.sectors,
            ym.sectors,
            cells={"co_occurrence": cooc.astype(np.int64), "proximity": prox, "relatedness": rel},
        )
        pair_table = pair_table.select(
            ["region", "sector", "label", "year", "co_occurrence", "proximity", "relatedness"]
        ).rename_columns(
            ["sector_a", "sector_b", "label_b", "year", "co_occurrence", "proximity", "relatedness"]
        )
        pairs.writer.write(pair_table) if pairs.writer is not None else pairs.tables.append(
            pair_table
        )
        del r, m, cooc, rel, dens, prox, ym
    notes = _matrix_notes(collector, opts, extra, panel)
    notes["method"] = method
    if collector.cells == 0 and isinstance(panel, Panel):
        _empty_selection(panel, opts, _("matrix"))
    tables: dict[str, Any] = {}
    if pairs.writer is not None:
        pairs.writer.close(notes)
    else:
        tables["pairs"] = plain(pa.concat_tables(pairs.tables)).to_pandas()
    summary = None
    if openings:
        summary = pa.concat_tables(openings).sort_by([("relatedness_density", "descending")])
    return collector.result(notes, summary=summary, tables=tables)


#: Rows of each year kept for the console (the file has them all).
SUMMARY_ROWS = 200


def _top(column: pa.ChunkedArray | pa.Array, n: int) -> pa.Array:
    """Indices of the `n` largest values (missing last)."""
    order = pc.sort_indices(column, sort_keys=[("", "descending")], null_placement="at_end")
    return order[:n]
