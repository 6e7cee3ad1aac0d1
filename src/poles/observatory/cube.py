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
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from poles.observatory.algebra import present_sums
from poles.observatory.arrays import arrow, numpy, strings
from poles.observatory.codes import group_title, nuts_level, region_name, sector_level
from poles.observatory.errors import InputFormatError, SelectionError
from poles.observatory.i18n import _

Labels = NDArray[np.object_]
Index = NDArray[np.int32]
Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Chunk:
    """One record batch of a panel as NumPy views: local dictionary indices with their lookup
    into the panel's sorted labels (`region_lut[region]` is the global code), year and value."""

    region: Index
    region_lut: Index
    sector: Index
    sector_lut: Index
    year: NDArray[np.int64]
    value: NDArray[np.float64]


@dataclass(frozen=True)
class Codes:
    """A panel as integer codes: the sorted distinct `regions` and `sectors`, and the chunks.

    Chunks are the Arrow batches as read (views, not copies), so that a large panel is never
    copied whole: each year's matrix is scattered chunk by chunk.
    """

    regions: Labels
    sectors: Labels
    chunks: tuple[Chunk, ...]

    @property
    def rows(self) -> int:
        return sum(len(c.year) for c in self.chunks)


def _local(column: pa.Array) -> tuple[Labels, Index]:
    """A chunk's dictionary labels and its indices (a view when possible)."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(pc.cast(column, pa.string()))
    labels = np.asarray(column.dictionary.to_pylist(), dtype=object)  # to_numpy: via pandas
    indices = numpy(column.indices)
    return labels, indices


def _numbers(column: pa.Array, dtype: type[np.generic]) -> NDArray[Any]:
    out: NDArray[Any] = np.asarray(numpy(column), dtype=dtype)
    return out


def encode(table: pa.Table) -> Codes:
    """The integer codes of a panel table (`region, sector, year, value`); missing values are NaN."""
    parts = []
    region_labels: set[str] = set()
    sector_labels: set[str] = set()
    for batch in table.select(["region", "sector", "year", "value"]).to_batches():
        if batch.num_rows == 0:
            continue
        regions, region = _local(batch.column(0))
        sectors, sector = _local(batch.column(1))
        region_labels.update(regions.tolist())
        sector_labels.update(sectors.tolist())
        year = _numbers(batch.column(2), np.int64)
        value = _numbers(batch.column(3), np.float64)
        parts.append((regions, region, sectors, sector, year, value))
    all_regions = np.asarray(sorted(region_labels), dtype=object)
    all_sectors = np.asarray(sorted(sector_labels), dtype=object)
    chunks = []
    for regions, region, sectors, sector, year, value in parts:
        region_lut = np.searchsorted(all_regions, regions).astype(np.int32)
        sector_lut = np.searchsorted(all_sectors, sectors).astype(np.int32)
        chunks.append(Chunk(region, region_lut, sector, sector_lut, year, value))
    return Codes(all_regions, all_sectors, tuple(chunks))


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
    dropped (py-ecomplexity does the same). Matrices come one year at a time, in year order,
    each scattered from the panel's chunks by their integer codes.
    """
    region_ok = np.asarray([nuts_level(str(c)) == nuts for c in codes.regions], dtype=bool)
    region_names = codes.regions[region_ok]
    region_index = np.full(len(codes.regions), -1, dtype=np.int32)
    region_index[region_ok] = np.arange(int(region_ok.sum()), dtype=np.int32)
    sector_names, sector_index = _targets(codes.sectors, sectors)
    grouped = len(sector_names) < int((sector_index >= 0).sum())
    n_r, n_s = len(region_names), len(sector_names)
    luts = [(region_index[c.region_lut], sector_index[c.sector_lut]) for c in codes.chunks]
    spans = [_years_of(c.year) for c in codes.chunks]
    years = sorted({int(y) for span in spans for y in span})
    for year in years:
        cells = _year_cells(codes, luts, spans, n_s, year)
        if grouped:
            x = _summed(cells, n_r * n_s)
        else:
            x = np.full(n_r * n_s, np.nan)
            seen = np.zeros(n_r * n_s, dtype=bool)
            assigned = 0
            for flat, values in cells:
                x[flat] = values
                seen[flat] = True
                assigned += len(flat)
            if assigned > int(np.count_nonzero(seen)):
                again = _year_cells(codes, luts, spans, n_s, year)
                _duplicate(again, year, region_names, sector_names, source)
            del seen
        matrix: Matrix = x.reshape(n_r, n_s)
        del x
        regions, sector_labels = region_names, sector_names
        if drop_empty:
            row_sums, column_sums = present_sums(matrix)
            keep_r, keep_s = row_sums != 0, column_sums != 0
            if not (keep_r.all() and keep_s.all()):
                matrix = matrix[np.ix_(keep_r, keep_s)]
                regions, sector_labels = region_names[keep_r], sector_names[keep_s]
        yield YearMatrix(year, regions, sector_labels, matrix)
        del matrix


def _years_of(year: NDArray[np.int64]) -> tuple[int, ...]:
    """The distinct years of a chunk (most chunks of a file sorted by year hold one)."""
    if len(year) == 0:
        return ()
    low, high = int(year.min()), int(year.max())
    if low == high:
        return (low,)
    return tuple(int(y) for y in np.unique(year))


def _year_cells(
    codes: Codes,
    luts: list[tuple[Index, Index]],
    spans: list[tuple[int, ...]],
    n_s: int,
    year: int,
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.float64]]]:
    """Chunk by chunk, the flat matrix cells and values of `year`'s rows of the level (a chunk
    of that one year is taken whole, without a row mask)."""
    for chunk, (row_lut, col_lut), span in zip(codes.chunks, luts, spans, strict=True):
        if year not in span:
            continue
        region, sector, values = chunk.region, chunk.sector, chunk.value
        if len(span) > 1:
            rows = chunk.year == year
            region, sector, values = region[rows], sector[rows], values[rows]
        r = row_lut[region]
        s = col_lut[sector]
        ok = (r >= 0) & (s >= 0)
        flat = r.astype(np.int64)
        flat *= n_s
        flat += s
        if not ok.all():
            flat, values = flat[ok], values[ok]
        yield flat, values


def _summed(cells: Iterator[tuple[NDArray[np.int64], NDArray[np.float64]]], size: int) -> Matrix:
    """The cells' values summed per cell in one pass over the year's rows (NaN where every value
    of a cell is missing or none is given)."""
    parts = list(cells)
    flat = np.concatenate([f for f, _ in parts])
    values = np.concatenate([v for _, v in parts])
    x: Matrix = np.bincount(flat, np.nan_to_num(values), size).astype(np.float64, copy=False)
    present = np.bincount(flat, ~np.isnan(values), size)
    x[present == 0] = np.nan
    return x


def _duplicate(
    cells: Iterator[tuple[NDArray[np.int64], NDArray[np.float64]]],
    year: int,
    regions: Labels,
    sectors: Labels,
    source: str,
) -> None:
    """Raise the error naming one cell given twice in `year`."""
    given, counts = np.unique(np.concatenate([flat for flat, _ in cells]), return_counts=True)
    cell = int(given[np.argmax(counts)])
    raise InputFormatError(
        source,
        None,
        _(
            "region {region} and sector {sector} appear {n} times in {year} "
            "(one row per cell is expected)"
        ).format(
            region=regions[cell // len(sectors)],
            sector=sectors[cell % len(sectors)],
            n=int(counts.max()),
            year=year,
        ),
    )


def regions_without_data(codes: Codes, nuts: int, kept: set[str]) -> list[str]:
    """Regions of the level present in the panel that no matrix kept (no value, or all zero)."""
    return sorted(
        str(c) for c in codes.regions if nuts_level(str(c)) == nuts and str(c) not in kept
    )


def _names(labels: Labels, name: Callable[[str], str]) -> pa.Array:
    """Each label's name, in the labels' order (the dictionary of a name column)."""
    return strings([name(str(code)) for code in labels])


def _labels_array(labels: Labels) -> pa.Array:
    return strings([str(label) for label in labels])


def _column(values: NDArray[np.generic]) -> pa.Array:
    """An Arrow column of a NumPy array; NaN becomes null (missing), never the text 'nan'."""
    return arrow(values, nan_is_null=True)


def _repeated(codes: NDArray[np.int32], index: pa.Array, vector: NDArray[np.generic]) -> pa.Array:
    """`vector[codes]` as a dictionary column; a missing value is a null index (Parquet cannot
    store a null inside a dictionary)."""
    if vector.dtype.kind != "f" or not np.isnan(vector).any():
        return pa.DictionaryArray.from_arrays(index, arrow(vector))
    missing = np.isnan(vector)[codes]
    indices = arrow(codes)
    indices = pa.Array.from_buffers(
        indices.type,
        len(codes),
        [pa.py_buffer(np.packbits(~missing, bitorder="little")), indices.buffers()[1]],
        null_count=int(np.count_nonzero(missing)),
    )
    return pa.DictionaryArray.from_arrays(indices, arrow(np.nan_to_num(vector)))


class Grids:
    """The region and sector code columns of a long table, kept from one year to the next.

    Every year of a panel usually has the same regions and sectors: the two columns of ten
    million codes each (and their Arrow arrays) are then built once, not once a year.
    """

    def __init__(self) -> None:
        self._rows: NDArray[np.intp] | None = None
        self._n_s = 0
        self._value: tuple[NDArray[np.int32], NDArray[np.int32], pa.Array, pa.Array] | None = None

    def get(
        self, rows: NDArray[np.intp], n_s: int
    ) -> tuple[NDArray[np.int32], NDArray[np.int32], pa.Array, pa.Array]:
        """Codes of the long table's rows (`rows` × `n_s` sectors) and their Arrow arrays."""
        same = self._rows is not None and n_s == self._n_s and np.array_equal(rows, self._rows)
        if self._value is None or not same:
            region_codes = np.repeat(rows.astype(np.int32), n_s)
            sector_codes = np.tile(np.arange(n_s, dtype=np.int32), len(rows))
            self._rows, self._n_s = rows, n_s
            self._value = (region_codes, sector_codes, arrow(region_codes), arrow(sector_codes))
        return self._value


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
    compact: bool = False,
    grids: Grids | None = None,
) -> pa.Table:
    """One row per region × sector (regions in `keep_regions` only): `region, sector, year`, then
    the matrices of `cells`, the per-region and per-sector vectors, in `order` when given.

    With `compact`, the year and the per-region and per-sector vectors are dictionary columns
    over the region and sector codes instead of values repeated on every row: the same table for
    a writer (Parquet stores them as dictionary pages, CSV writes the values), without building
    columns of millions of repeated values. `grids` keeps the code columns from one call to the
    next.
    """
    n_r, n_s = len(regions), len(sectors)
    rows = np.arange(n_r) if keep_regions is None else np.flatnonzero(keep_regions)
    region_codes, sector_codes, region_index, sector_index = (grids or Grids()).get(rows, n_s)
    columns: dict[str, pa.Array] = {
        "region": pa.DictionaryArray.from_arrays(region_index, _labels_array(regions)),
        "region_name": pa.DictionaryArray.from_arrays(region_index, _names(regions, region_name)),
        "sector": pa.DictionaryArray.from_arrays(sector_index, _labels_array(sectors)),
        "label": pa.DictionaryArray.from_arrays(sector_index, _names(sectors, group_title)),
        "year": (
            pa.DictionaryArray.from_arrays(
                arrow(np.zeros(len(region_codes), dtype=np.int8)), arrow(np.array([year], np.int64))
            )
            if compact
            else arrow(np.full(len(region_codes), year, dtype=np.int64))
        ),
    }
    for name, matrix in cells.items():
        part = matrix if keep_regions is None else matrix[rows]
        columns[name] = _column(np.ascontiguousarray(part).ravel())
    for name, vector in (by_region or {}).items():
        columns[name] = (
            _repeated(region_codes, region_index, vector)
            if compact
            else _column(np.repeat(vector[rows], n_s))
        )
    for name, vector in (by_sector or {}).items():
        columns[name] = (
            _repeated(sector_codes, sector_index, vector)
            if compact
            else _column(np.tile(vector, len(rows)))
        )
    if order is not None:
        head = ("region", "region_name", "sector", "label", "year")
        columns = {k: columns[k] for k in (*head, *order)}
    return pa.table(columns)


def country_rows(regions: Labels, country: str | None) -> NDArray[np.bool_] | None:
    """Which regions belong to `country` (the report filter), or None for all."""
    if country is None:
        return None
    return np.asarray([str(c)[:2] == country for c in regions], dtype=bool)


def check_level(codes: Codes, nuts: int, sectors: SectorMap, what: str, source: str) -> None:
    """A clear error when no region of the level or no sector of the level is in the panel."""
    if not any(nuts_level(str(c)) == nuts for c in codes.regions):
        raise SelectionError(
            _("the selection is empty: no region of NUTS level {nuts} in {source}").format(
                nuts=nuts, source=source
            )
        )
    if not any(sectors(str(c)) is not None for c in codes.sectors):
        raise SelectionError(
            _("the selection is empty: no sector of the {what} in {source}").format(
                what=what, source=source
            )
        )


def missing_cells(codes: Codes, nuts: int, sectors: SectorMap) -> int:
    """Rows of the level's regions and sectors whose value is missing."""
    region_ok = np.asarray([nuts_level(str(c)) == nuts for c in codes.regions], dtype=bool)
    sector_ok = np.asarray([sectors(str(c)) is not None for c in codes.sectors], dtype=bool)
    total = 0
    for c in codes.chunks:
        missing = np.isnan(c.value)
        if missing.any():
            rows = region_ok[c.region_lut][c.region] & sector_ok[c.sector_lut][c.sector]
            total += int(np.count_nonzero(missing & rows))
    return total


def region_table(
    year: int,
    regions: Labels,
    vectors: Mapping[str, NDArray[np.generic]],
    keep: NDArray[np.bool_] | None,
) -> pa.Table:
    """One row per region (those in `keep`): `region, year` and the per-region vectors."""
    rows = np.arange(len(regions)) if keep is None else np.flatnonzero(keep)
    columns: dict[str, pa.Array] = {
        "region": strings([str(regions[i]) for i in rows]),
        "region_name": strings([region_name(str(regions[i])) for i in rows]),
        "year": arrow(np.full(len(rows), year, dtype=np.int64)),
    }
    for name, vector in vectors.items():
        columns[name] = _column(vector[rows])
    return pa.table(columns)
