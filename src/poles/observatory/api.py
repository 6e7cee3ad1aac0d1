"""The observatory's Python API: one function per indicator, keyword-only options.

Each function takes a `Panel` (see `poles.observatory.io`) and returns a `Result`: the main
table as a pandas frame, extra tables (e.g. Table 1's layout) and notes (counts of missing
cells and of what was left out). The table work runs as Ibis expressions on `engine`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from poles.observatory import algebra as cx
from poles.observatory import engine as eng
from poles.observatory import pipeline
from poles.observatory.codes import EU_COMPOSITIONS, SECTOR_LEVELS, nace_title, nuts_level
from poles.observatory.ecosystems import ecosystem_names, mapping_columns
from poles.observatory.errors import OptionError, SelectionError
from poles.observatory.io import Panel
from poles.observatory.pipeline import REFERENCES, Reference

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


@dataclass
class Result:
    """An indicator's output: `frame` (long table), extra `tables`, and `notes`."""

    frame: pd.DataFrame
    notes: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """Selection options shared by every indicator (validated by `check`)."""

    nuts_level: int = 2
    level: str = "division"
    reference: Reference = "country"
    country: str | None = None
    eu: str = "EU27_2020"
    engine: eng.Engine = "duckdb"

    def check(self) -> Options:
        if self.nuts_level not in (0, 1, 2, 3):
            raise OptionError(f"nuts_level must be 0, 1, 2 or 3; found {self.nuts_level!r}")
        if self.level not in SECTOR_LEVELS:
            raise OptionError(
                f"level must be one of {', '.join(SECTOR_LEVELS)}; found {self.level!r}"
            )
        if self.reference not in REFERENCES:
            raise OptionError(
                f"reference must be one of {', '.join(REFERENCES)}; found {self.reference!r}"
            )
        if self.eu not in EU_COMPOSITIONS:
            raise OptionError(f"eu must be one of {', '.join(EU_COMPOSITIONS)}; found {self.eu!r}")
        if self.engine not in eng.ENGINES:
            raise OptionError(
                f"engine must be one of {', '.join(eng.ENGINES)}; found {self.engine!r}"
            )
        if self.country is not None and (len(self.country) != 2 or not self.country.isalpha()):
            raise OptionError(
                f"country must be a two-letter code such as FR; found {self.country!r}"
            )
        if self.reference == "country" and self.nuts_level == 0:
            raise OptionError(
                "reference 'country' compares regions with their country: use nuts_level 1-3"
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
    table = panel.table
    codes = pc.unique(table["region"]).to_pylist()
    countries = sorted({c[:2] for c in codes if nuts_level(c) == options.nuts_level})
    if options.country is not None and options.country not in countries:
        raise SelectionError(
            f"no region of NUTS level {options.nuts_level} in country {options.country} "
            f"in {panel.source}; countries present: {', '.join(countries) or 'none'}"
        )
    raise SelectionError(
        f"the selection is empty: no {options.level} cell at NUTS level {options.nuts_level}"
        f"{' in ' + options.country if options.country else ''} in {panel.source} ({what})"
    )


def _notes(frame: pd.DataFrame, options: Options) -> dict[str, Any]:
    missing = frame["value"].isna()
    notes: dict[str, Any] = {
        "cells": int(len(frame)),
        "missing_cells": int(missing.sum()),
        "regions": int(frame["region"].nunique()),
        "sectors": int(frame["sector"].nunique()),
        "years": sorted(int(y) for y in frame["year"].unique()),
        "nuts_level": options.nuts_level,
        "level": options.level,
        "reference": options.reference,
    }
    if "lq" in frame:
        notes["cells_without_lq"] = int((frame["lq"].isna() & ~missing).sum())
        notes["regions_without_total"] = int(
            frame.loc[frame["region_total"].isna(), "region"].nunique()
        )
    if "parts_missing" in frame:
        notes["ecosystem_cells_with_missing_divisions"] = int((frame["parts_missing"] > 0).sum())
    return notes


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Stable order and plain dtypes whatever the engine."""
    frame = frame.sort_values(["region", "year", "sector"], kind="stable").reset_index(drop=True)
    if "flag" in frame:
        frame["flag"] = frame["flag"].fillna("").astype(str)
    for col in (
        "agglomeration",
        "relevant",
        "size_star",
        "focus_star",
        "specialisation_star",
        "strong",
    ):
        if col in frame:
            frame[col] = frame[col].fillna(False).astype(bool)
    for col in ("year", "n_relevant", "stars"):
        if col in frame:
            frame[col] = frame[col].astype("int64")
    if "rank" in frame:
        frame["rank"] = frame["rank"].astype("Int64")
    return frame


def _lq_expr(panel: Panel, options: Options, *, mapping: bool = False) -> Any:
    mapping_table = eng.table(pa.table(mapping_columns())) if mapping else None
    return pipeline.location_quotients(
        eng.table(panel.table),
        nuts_level=options.nuts_level,
        level=options.level,
        reference=options.reference,
        members=options.members,
        mapping=mapping_table,
    )


def location_quotients(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """LQ, share and the ECCP flags per region × sector × year (columns in `LQ_COLUMNS`)."""
    opts = _options(options, overrides)
    expr = pipeline.filter_country(_lq_expr(panel, opts), opts.country)
    frame = _normalise(eng.execute(_backend(opts, con), expr))
    _check_selection(frame, panel, opts, "location quotients")
    return Result(frame=frame, notes=_notes(frame, opts))


def agglomerations(
    panel: Panel,
    *,
    options: Options | None = None,
    con: Any = None,
    top: int = 5,
    **overrides: Any,
) -> Result:
    """Location quotients plus `n_relevant`, `rank` and `label`, and Table 1 as `tables["table"]`."""
    opts = _options(options, overrides)
    expr = pipeline.rank_agglomerations(
        pipeline.filter_country(_lq_expr(panel, opts), opts.country)
    )
    frame = _normalise(eng.execute(_backend(opts, con), expr))
    _check_selection(frame, panel, opts, "agglomerations")
    frame["label"] = frame["sector"].map(nace_title)
    notes = _notes(frame, opts)
    notes["relevant_agglomerations"] = int(frame["relevant"].sum())
    return Result(frame=frame, notes=notes, tables={"table": summary_table(frame, top=top)})


def summary_table(frame: pd.DataFrame, *, top: int = 5, label: str = "label") -> pd.DataFrame:
    """Table 1's layout: per region and year the number of regionally relevant agglomerations
    and the top ones by LQ (`sector_i`, `label_i`, `lq_i`, `share_i`)."""
    grouped = frame.groupby(["region", "year"], sort=True)
    table = pd.DataFrame(
        {
            "n_relevant": grouped["relevant"].sum().astype("int64"),
            "region_total": grouped["region_total"].first(),
        }
    ).reset_index()
    best = frame[frame["rank"].notna() & (frame["rank"] <= top)]
    for i in range(1, top + 1):
        part = best[best["rank"] == i][["region", "year", "sector", label, "lq", "share"]]
        part = part.rename(
            columns={
                "sector": f"sector_{i}",
                label: f"label_{i}",
                "lq": f"lq_{i}",
                "share": f"share_{i}",
            }
        )
        table = table.merge(part, on=["region", "year"], how="left")
    return table


def ecosystems(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """Ecosystem LQs and agglomerations (Table 2) and country vs EU shares (Figure 1).

    `frame` has one row per region × ecosystem × year; `tables["table"]` is Table 2 and
    `tables["shares"]` Figure 1 (for `country`, or every country when none is given).
    """
    opts = _options(options, {**overrides, "level": "division"})
    backend = _backend(opts, con)
    expr = pipeline.rank_agglomerations(
        pipeline.filter_country(_lq_expr(panel, opts, mapping=True), opts.country)
    )
    frame = _normalise(eng.execute(backend, expr))
    _check_selection(frame, panel, opts, "ecosystems")
    names = ecosystem_names("en")
    frame["label"] = frame["sector"].map(names)
    shares_expr = pipeline.ecosystem_shares(
        eng.table(panel.table),
        mapping=eng.table(pa.table(mapping_columns())),
        members=opts.members,
    )
    if opts.country is not None:
        shares_expr = shares_expr.filter(shares_expr.country == opts.country)
    shares = eng.execute(backend, shares_expr)
    shares["label"] = shares["sector"].map(names)
    shares = shares.sort_values(["country", "year", "value"], ascending=[True, True, False])
    notes = _notes(frame, opts)
    notes["relevant_agglomerations"] = int(frame["relevant"].sum())
    return Result(
        frame=frame,
        notes=notes,
        tables={"table": summary_table(frame, top=2), "shares": shares.reset_index(drop=True)},
    )


def stars(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """European Cluster Observatory stars (size, specialisation, focus) per region × sector."""
    opts = _options(options, overrides)
    expr = pipeline.filter_country(pipeline.stars(_lq_expr(panel, opts)), opts.country)
    frame = _normalise(eng.execute(_backend(opts, con), expr))
    _check_selection(frame, panel, opts, "stars")
    frame["label"] = frame["sector"].map(nace_title)
    return Result(frame=frame, notes=_notes(frame, opts))


def with_establishments(panel: Panel, establishments: Panel) -> Panel:
    """`panel` with an `establishments` column taken from a second panel's values."""
    est = establishments.table.select(["region", "sector", "year", "value"]).rename_columns(
        ["region", "sector", "year", "establishments"]
    )
    base = panel.table.drop_columns(
        [c for c in ("establishments",) if c in panel.table.column_names]
    )
    joined = base.join(est, ["region", "sector", "year"], join_type="left outer")
    return Panel(table=joined, source=panel.source, selection=panel.selection)


def strong_clusters(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """US Cluster Mapping strong clusters; the panel needs an `establishments` column."""
    opts = _options(options, overrides)
    if "establishments" not in panel.table.column_names:
        raise OptionError(
            "strong clusters need establishment counts: give --establishments DIM=VALUE "
            "(e.g. indic_sb=V11210) for a Eurostat file, or an 'establishments' column"
        )
    expr = pipeline.filter_country(pipeline.strong_clusters(_lq_expr(panel, opts)), opts.country)
    frame = _normalise(eng.execute(_backend(opts, con), expr))
    _check_selection(frame, panel, opts, "strong clusters")
    frame["label"] = frame["sector"].map(nace_title)
    return Result(frame=frame, notes=_notes(frame, opts))


def _cells(panel: Panel, opts: Options, con: Any) -> pd.DataFrame:
    expr = pipeline.cells(eng.table(panel.table), nuts_level=opts.nuts_level, level=opts.level)
    frame = eng.execute(_backend(opts, con), expr)
    if opts.country is not None and not (frame["country"] == opts.country).any():
        frame = frame.iloc[0:0]
    _check_selection(frame, panel, opts, "matrix")
    return frame


def complexity(
    panel: Panel, *, options: Options | None = None, con: Any = None, **overrides: Any
) -> Result:
    """RCA, M, diversity, ubiquity, density, ECI, PCI, COI and COG per region × sector × year.

    The matrix is every region of the level (RCA against the matrix's own totals); `country`
    only filters the report.
    """
    opts = _options(options, overrides)
    cells = _cells(panel, opts, con)
    frames = []
    for year, (regions, sectors, x) in cx.to_matrices(cells).items():
        frames.append(cx.complexity_frame(cx.complexity(x, regions=regions, sectors=sectors), year))
    frame = pd.concat(frames, ignore_index=True)
    if opts.country is not None:
        frame = frame[frame["region"].str[:2] == opts.country]
    frame = _normalise(frame)
    notes = _notes(frame, opts)
    notes["missing_cells_in_matrix"] = int(cells["value"].isna().sum())
    return Result(frame=frame, notes=notes)


def relatedness(
    panel: Panel,
    *,
    options: Options | None = None,
    con: Any = None,
    method: str = "prob",
    **overrides: Any,
) -> Result:
    """RCA, M and EconGeo's relatedness density per region × sector × year; the sector × sector
    co-occurrence, proximity and relatedness as `tables["pairs"]`."""
    opts = _options(options, overrides)
    cells = _cells(panel, opts, con)
    frames, pairs = [], []
    for year, (regions, sectors, x) in cx.to_matrices(cells).items():
        r = cx.rca(x)
        m = cx.presence(r)
        cooc = cx.co_occurrence(m, diagonal=False)
        rel = cx.relatedness(cooc, method=method)
        dens = cx.relatedness_density(m, rel)
        prox = cx.proximity(m)
        n_r, n_s = m.shape
        frames.append(
            pd.DataFrame(
                {
                    "region": np.repeat(regions, n_s),
                    "sector": np.tile(sectors, n_r),
                    "year": year,
                    "value": x.ravel(),
                    "rca": r.ravel(),
                    "m": m.ravel().astype(np.int8),
                    "relatedness_density": dens.ravel(),
                }
            )
        )
        pairs.append(
            pd.DataFrame(
                {
                    "sector_a": np.repeat(sectors, n_s),
                    "sector_b": np.tile(sectors, n_s),
                    "year": year,
                    "co_occurrence": cooc.ravel(),
                    "proximity": prox.ravel(),
                    "relatedness": rel.ravel(),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    if opts.country is not None:
        frame = frame[frame["region"].str[:2] == opts.country]
    frame = _normalise(frame)
    notes = _notes(frame, opts)
    notes["method"] = method
    return Result(frame=frame, notes=notes, tables={"pairs": pd.concat(pairs, ignore_index=True)})
