"""From a panel to region × sector matrices without a loop over rows: integer codes, scatter, arrays.

A panel's region and sector columns are dictionary-encoded once (`encode`): the distinct labels,
sorted, and one int32 code per row. The levels of the labels (NUTS level, NACE level, A*10…)
are decided once per distinct label; rows are then kept, mapped and scattered into each year's
dense matrix by their codes (`matrices`), one year at a time so that a year's matrices can be
freed before the next is built. Results go back to long Arrow tables with the labels as
dictionaries (`long_table`), ready to be written without a per-row step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from poles.observatory.codes import nuts_level, sector_level
from poles.observatory.errors import InputFormatError, SelectionError

Labels = NDArray[np.object_]
Index = NDArray[np.int32]
Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Codes:
    """A panel as integer codes: `regions[region[i]]` is row i's region, and so on."""

    regions: Labels
    region: Index
    sectors: Labels
    sector: Index
    year: NDArray[np.int64]
    value: NDArray[np.float64]


def dictionary(column: pa.ChunkedArray | pa.Array) -> tuple[Labels, Index]:
    """Sorted distinct labels of a string or dictionary column and each row's code among them."""
    if isinstance(column, pa.ChunkedArray):
        if pa.types.is_dictionary(column.type):
            column = column.unify_dictionaries()
        column = column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(pc.cast(column, pa.string()))
    labels = np.asarray(column.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    order = np.argsort(labels, kind="stable")
    rank = np.empty(len(labels), dtype=np.int32)
    rank[order] = np.arange(len(labels), dtype=np.int32)
    indices = column.indices.to_numpy(zero_copy_only=False)
    return labels[order], rank[indices]


def encode(table: pa.Table) -> Codes:
    """The integer codes of a panel table (`region, sector, year, value`); missing values are NaN."""
    regions, region = dictionary(table["region"])
    sectors, sector = dictionary(table["sector"])
    value = table["value"].combine_chunks()
    values = np.asarray(value.to_numpy(zero_copy_only=False), dtype=np.float64)
    year = np.asarray(table["year"].combine_chunks().to_numpy(zero_copy_only=False), np.int64)
    return Codes(regions, region, sectors, sector, year, values)


#: A sector grouping: for each label, the target sector it is counted in (or None to leave it out).
SectorMap = Callable[[str], str | None]


def level_map(level: str) -> SectorMap:
    """The sector grouping of a NACE level: each code of that level is its own sector."""
    return lambda code: code if sector_level(code) == level else None


@dataclass(frozen=True)
class YearMatrix:
    """One year's region × sector matrix (NaN where missing) with its labels."""

    year: int
    regions: Labels
    sectors: Labels
    values: Matrix


def _targets(labels: Labels, to: SectorMap) -> tuple[Labels, Index]:
    """Target labels (sorted) and, for each source label, its target's index or -1."""
    mapped = [to(str(code)) for code in labels]
    names = np.asarray(sorted({m for m in mapped if m is not None}), dtype=object)
    where = {name: i for i, name in enumerate(names)}
    index = np.asarray([where[m] if m is not None else -1 for m in mapped], dtype=np.int32)
    return names, index


def matrices(
    codes: Codes,
    *,
    nuts: int,
    sectors: SectorMap,
    drop_empty: bool = True,
    source: str = "panel",
) -> Iterator[YearMatrix]:
    """Each year's matrix of the regions of NUTS level `nuts` and the sectors of `sectors`.

    A sector mapped from several codes is the sum of their values present (missing when all are
    missing). With `drop_empty`, regions and sectors whose values sum to 0 or are all missing are
    dropped (py-ecomplexity does the same). Matrices come one year at a time, in year order.
    """
    region_ok = np.asarray([nuts_level(str(c)) == nuts for c in codes.regions], dtype=bool)
    region_names = codes.regions[region_ok]
    region_index = np.full(len(codes.regions), -1, dtype=np.int32)
    region_index[region_ok] = np.arange(int(region_ok.sum()), dtype=np.int32)
    sector_names, sector_index = _targets(codes.sectors, sectors)
    grouped = len(sector_names) < int((sector_index >= 0).sum())
    r = region_index[codes.region]
    s = sector_index[codes.sector]
    keep = np.flatnonzero((r >= 0) & (s >= 0))
    r, s, v, y = r[keep], s[keep], codes.value[keep], codes.year[keep]
    del keep
    n_r, n_s = len(region_names), len(sector_names)
    for year in np.unique(y):
        rows = y == year
        flat = r[rows].astype(np.int64) * n_s + s[rows]
        values = v[rows]
        if grouped:
            present = np.bincount(flat, weights=~np.isnan(values), minlength=n_r * n_s)
            sums = np.bincount(flat, weights=np.nan_to_num(values), minlength=n_r * n_s)
            x = np.where(present > 0, sums, np.nan).reshape(n_r, n_s)
            del present, sums
        else:
            counts = np.bincount(flat, minlength=n_r * n_s)
            if counts.max(initial=0) > 1:
                cell = int(np.argmax(counts))
                raise InputFormatError(
                    source,
                    None,
                    f"region {region_names[cell // n_s]} and sector {sector_names[cell % n_s]} "
                    f"appear {int(counts[cell])} times in {int(year)} (one row per cell expected)",
                )
            del counts
            x = np.full(n_r * n_s, np.nan)
            x[flat] = values
            x = x.reshape(n_r, n_s)
        del flat, values
        regions, sector_labels = region_names, sector_names
        if drop_empty:
            keep_r = np.nansum(x, axis=1) != 0
            keep_s = np.nansum(x, axis=0) != 0
            if not (keep_r.all() and keep_s.all()):
                x = x[np.ix_(keep_r, keep_s)]
                regions, sector_labels = region_names[keep_r], sector_names[keep_s]
        yield YearMatrix(int(year), regions, sector_labels, x)


def regions_without_data(codes: Codes, nuts: int, kept: set[str]) -> list[str]:
    """Regions of the level present in the panel that no matrix kept (no value, or all zero)."""
    return sorted(
        str(c) for c in codes.regions if nuts_level(str(c)) == nuts and str(c) not in kept
    )


def _labels_array(labels: Labels) -> pa.Array:
    return pa.array(list(labels), pa.string())


def _column(values: NDArray[np.generic]) -> pa.Array:
    """An Arrow column of a NumPy array; NaN becomes null (missing), never the text 'nan'."""
    if values.dtype.kind == "f":
        return pa.array(values, mask=np.isnan(values))
    return pa.array(values)


def long_table(
    year: int,
    regions: Labels,
    sectors: Labels,
    *,
    cells: Mapping[str, NDArray[np.generic]],
    by_region: Mapping[str, NDArray[np.generic]] | None = None,
    by_sector: Mapping[str, NDArray[np.generic]] | None = None,
    keep_regions: NDArray[np.bool_] | None = None,
    order: tuple[str, ...] | None = None,
) -> pa.Table:
    """One row per region × sector (regions in `keep_regions` only): `region, sector, year`, then
    the matrices of `cells`, the per-region and per-sector vectors, in `order` when given."""
    n_r, n_s = len(regions), len(sectors)
    rows = np.arange(n_r) if keep_regions is None else np.flatnonzero(keep_regions)
    region_codes = np.repeat(rows.astype(np.int32), n_s)
    sector_codes = np.tile(np.arange(n_s, dtype=np.int32), len(rows))
    columns: dict[str, pa.Array] = {
        "region": pa.DictionaryArray.from_arrays(pa.array(region_codes), _labels_array(regions)),
        "sector": pa.DictionaryArray.from_arrays(pa.array(sector_codes), _labels_array(sectors)),
        "year": pa.array(np.full(len(region_codes), year, dtype=np.int64)),
    }
    for name, matrix in cells.items():
        part = matrix if keep_regions is None else matrix[rows]
        columns[name] = _column(np.ascontiguousarray(part).ravel())
    for name, vector in (by_region or {}).items():
        columns[name] = _column(np.repeat(vector[rows], n_s))
    for name, vector in (by_sector or {}).items():
        columns[name] = _column(np.tile(vector, len(rows)))
    if order is not None:
        columns = {k: columns[k] for k in ("region", "sector", "year", *order)}
    return pa.table(columns)


def country_rows(regions: Labels, country: str | None) -> NDArray[np.bool_] | None:
    """Which regions belong to `country` (the report filter), or None for all."""
    if country is None:
        return None
    return np.asarray([str(c)[:2] == country for c in regions], dtype=bool)


def check_level(codes: Codes, nuts: int, sectors: SectorMap, what: str, source: str) -> None:
    """A clear error when no region of the level or no sector of the level is in the panel."""
    if not any(nuts_level(str(c)) == nuts for c in codes.regions):
        raise SelectionError(f"the selection is empty: no region of NUTS level {nuts} in {source}")
    if not any(sectors(str(c)) is not None for c in codes.sectors):
        raise SelectionError(f"the selection is empty: no sector of the {what} in {source}")


def missing_cells(codes: Codes, nuts: int, sectors: SectorMap) -> int:
    """Rows of the level's regions and sectors whose value is missing."""
    region_ok = np.asarray([nuts_level(str(c)) == nuts for c in codes.regions], dtype=bool)
    sector_ok = np.asarray([sectors(str(c)) is not None for c in codes.sectors], dtype=bool)
    rows = region_ok[codes.region] & sector_ok[codes.sector]
    return int(np.count_nonzero(np.isnan(codes.value[rows])))


def region_table(
    year: int,
    regions: Labels,
    vectors: Mapping[str, NDArray[np.generic]],
    keep: NDArray[np.bool_] | None,
) -> pa.Table:
    """One row per region (those in `keep`): `region, year` and the per-region vectors."""
    rows = np.arange(len(regions)) if keep is None else np.flatnonzero(keep)
    columns: dict[str, pa.Array] = {
        "region": pa.array([str(regions[i]) for i in rows], pa.string()),
        "year": pa.array(np.full(len(rows), year, dtype=np.int64)),
    }
    for name, vector in vectors.items():
        columns[name] = _column(vector[rows])
    return pa.table(columns)
