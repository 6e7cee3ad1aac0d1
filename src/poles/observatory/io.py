"""Read the observatory's inputs into one tidy panel: `region, sector, year, value, flag`.

Two formats:

* Eurostat's TSV dumps (optionally gzipped): a composite first column such as
  `nace_r2,indic_sb,geo\\time`, one column per year, values with flags after them (`125171 b`),
  `:` for missing cells and `: c` for confidential ones. `parse_eurostat` reads the whole file
  once; `select` picks one slice with `DIM=VALUE` filters and years.
* A tidy CSV or Parquet file with the columns `region, sector, year, value` (and optionally
  `establishments`).

Everything is vectorised with pyarrow compute kernels; errors name the file, the line and why.
Missing cells stay missing (null), never zero.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from poles.observatory.errors import InputFormatError, SelectionError

#: A Eurostat cell once stripped: a number or `:`, then optional lower-case flags.
_CELL_PATTERN = r"^(?:(?P<num>[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)|(?P<colon>:))\s*(?P<flag>[a-z]*)$"
_YEAR_PATTERN = r"^[0-9]{4}$"

TIDY_COLUMNS = ("region", "sector", "year", "value")
PANEL_SCHEMA = pa.schema(
    [
        ("region", pa.string()),
        ("sector", pa.string()),
        ("year", pa.int64()),
        ("value", pa.float64()),
        ("flag", pa.string()),
    ]
)


@dataclass(frozen=True)
class EurostatTable:
    """A parsed Eurostat TSV: one row per cell, dimension columns then `year, value, flag`."""

    path: str
    dimensions: tuple[str, ...]
    table: pa.Table

    @property
    def sector_dimension(self) -> str:
        """The NACE dimension (`nace_r2`, `nace_r1`…): the first whose name starts with `nace`."""
        for name in self.dimensions:
            if name.startswith("nace") or name == "sector":
                return name
        raise SelectionError(
            f"{self.path}: no NACE dimension among {', '.join(self.dimensions)} "
            "(expected one named nace_r2 or similar)"
        )


@dataclass(frozen=True)
class Panel:
    """A tidy panel (`region, sector, year, value, flag`, plus `establishments` when given)."""

    table: pa.Table
    source: str
    selection: Mapping[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in pc.unique(self.table["year"]).to_pylist()})

    def __len__(self) -> int:
        return int(self.table.num_rows)


def _first_true(mask: pa.Array | pa.ChunkedArray) -> int | None:
    """Index of the first true value of a boolean array (nulls count as false), or None."""
    filled = pc.fill_null(mask, False)
    if not pc.any(filled).as_py():
        return None
    return int(pc.index(filled, True).as_py())


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFormatError(str(path), None, f"cannot be read ({exc.strerror})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputFormatError(str(path), None, f"is not a valid gzip file ({exc})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFormatError(str(path), line, "is not UTF-8 text") from None


def parse_cells(
    cells: pa.Array | pa.ChunkedArray, *, path: str, lines: pa.Array, column: str
) -> tuple[pa.Array, pa.Array]:
    """Parse Eurostat cells (`125171 b`, `:`, `: c`) into values (null when missing) and flags.

    `lines` gives each cell's line number for the error message of the first malformed cell.
    """
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    stripped = pc.utf8_trim_whitespace(cells)
    parts = pc.extract_regex(stripped, _CELL_PATTERN)
    bad = _first_true(pc.is_null(parts))
    if bad is not None:
        raise InputFormatError(
            path,
            int(lines[bad].as_py()),
            f"column {column!r}: {stripped[bad].as_py()!r} is neither a number nor ':' "
            "(optionally followed by flags such as 'b' or 'c')",
        )
    num = pc.struct_field(parts, "num")
    num = pc.if_else(pc.equal(num, ""), pa.scalar(None, pa.string()), num)
    values = pc.cast(num, pa.float64())
    flags = pc.struct_field(parts, "flag")
    return values, flags


def parse_eurostat(path: str | Path) -> EurostatTable:
    """Read a Eurostat TSV dump (gzipped or not) into a long table, one row per cell."""
    path = Path(path)
    name = str(path)
    text = _read_text(path)
    lines = text.splitlines()
    if not lines:
        raise InputFormatError(name, 1, "is empty (expected a Eurostat TSV header)")
    header = lines[0].split("\t")
    key = header[0].strip()
    if "\\" not in key or "," not in key:
        raise InputFormatError(
            name,
            1,
            f"first header cell {key!r} is not Eurostat's 'dim1,dim2,…,geo\\time' "
            "(expected a Eurostat TSV dump)",
        )
    dims_text, time_name = key.split("\\", 1)
    dimensions = tuple(d.strip() for d in dims_text.split(","))
    if time_name.strip() != "time" or dimensions[-1] != "geo":
        raise InputFormatError(
            name, 1, f"first header cell {key!r} should end with 'geo\\time' (found {key!r})"
        )
    years_text = [h.strip() for h in header[1:]]
    if not years_text:
        raise InputFormatError(name, 1, "has no time column")
    for col, text_year in enumerate(years_text, start=2):
        if not re.match(_YEAR_PATTERN, text_year):
            raise InputFormatError(
                name, 1, f"time column {col} is {text_year!r}; only annual data (e.g. 2013) is read"
            )
    years = [int(y) for y in years_text]

    body = pa.array(lines[1:], pa.string())
    line_numbers = pa.array(range(2, len(lines) + 1), pa.int64())
    nonblank = pc.invert(pc.equal(pc.utf8_trim_whitespace(body), ""))
    body = pc.filter(body, nonblank)
    line_numbers = pc.filter(line_numbers, nonblank)
    if len(body) == 0:
        raise InputFormatError(name, 2, "has a header but no data rows")

    fields = pc.split_pattern(body, "\t")
    n_fields = pc.list_value_length(fields)
    bad = _first_true(pc.not_equal(n_fields, len(header)))
    if bad is not None:
        raise InputFormatError(
            name,
            int(line_numbers[bad].as_py()),
            f"has {n_fields[bad].as_py()} tab-separated fields, the header has {len(header)}",
        )
    keys = pc.split_pattern(pc.list_element(fields, 0), ",")
    n_keys = pc.list_value_length(keys)
    bad = _first_true(pc.not_equal(n_keys, len(dimensions)))
    if bad is not None:
        raise InputFormatError(
            name,
            int(line_numbers[bad].as_py()),
            f"key {pc.list_element(fields, 0)[bad].as_py()!r} has {n_keys[bad].as_py()} "
            f"comma-separated parts; the header names {len(dimensions)} ({','.join(dimensions)})",
        )
    dim_columns = {
        dim: pc.utf8_trim_whitespace(pc.list_element(keys, i)) for i, dim in enumerate(dimensions)
    }
    pieces = []
    for i, year in enumerate(years, start=1):
        values, flags = parse_cells(
            pc.list_element(fields, i), path=name, lines=line_numbers, column=str(year)
        )
        n = len(values)
        pieces.append(
            pa.table(
                {
                    **dim_columns,
                    "year": pa.nulls(n, pa.int64()).fill_null(year),
                    "value": values,
                    "flag": flags,
                }
            )
        )
    table = pa.concat_tables(pieces)
    return EurostatTable(path=name, dimensions=dimensions, table=table)


def _parse_filters(filters: Iterable[str] | Mapping[str, str] | None) -> dict[str, list[str]]:
    """`["indic_sb=V16110", …]` or `{"indic_sb": "V16110"}` as `{dimension: [values…]}`."""
    if filters is None:
        return {}
    if isinstance(filters, Mapping):
        return {str(k): [str(v)] for k, v in filters.items()}
    out: dict[str, list[str]] = {}
    for item in filters:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip() or not value.strip():
            raise SelectionError(
                f"filter {item!r} should read DIMENSION=VALUE (e.g. indic_sb=V16110)"
            )
        out.setdefault(dim.strip(), []).extend(v.strip() for v in value.split(","))
    return out


def _sample(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", … ({len(values)} in all)" if len(values) > limit else "")


def select(
    source: EurostatTable,
    *,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    years: Sequence[int] | None = None,
) -> Panel:
    """One slice of a Eurostat table as a tidy panel.

    Every dimension other than `geo` and the NACE one must end with a single value, so that
    different indicators or units are never mixed; the error says which filter to add.
    """
    wanted = _parse_filters(filters)
    table = source.table
    sector_dim = source.sector_dimension
    for dim, values in wanted.items():
        if dim not in source.dimensions:
            raise SelectionError(
                f"unknown filter dimension {dim!r}; {source.path} has {', '.join(source.dimensions)}"
            )
        present = set(pc.unique(table[dim]).to_pylist())
        unknown = [v for v in values if v not in present]
        if unknown:
            raise SelectionError(
                f"filter {dim}={','.join(unknown)} matches no row; values of {dim}: "
                f"{_sample(sorted(present))}"
            )
        table = table.filter(pc.is_in(table[dim], pa.array(values)))
    for dim in source.dimensions:
        if dim in ("geo", sector_dim):
            continue
        distinct = sorted(pc.unique(table[dim]).to_pylist())
        if len(distinct) > 1:
            raise SelectionError(
                f"dimension {dim!r} still has {len(distinct)} values ({_sample(distinct)}); "
                f"pick one with --filter {dim}=VALUE"
            )
    table = _filter_years(table, years, source.path)
    panel = pa.table(
        {
            "region": table["geo"],
            "sector": table[sector_dim],
            "year": table["year"],
            "value": table["value"],
            "flag": table["flag"],
        }
    ).cast(PANEL_SCHEMA)
    selection = {d: ",".join(v) for d, v in wanted.items()}
    return Panel(table=panel, source=source.path, selection=selection)


def _filter_years(table: pa.Table, years: Sequence[int] | None, source: str) -> pa.Table:
    if not years:
        if table.num_rows == 0:
            raise SelectionError(f"the selection from {source} is empty")
        return table
    present = sorted({int(y) for y in pc.unique(table["year"]).to_pylist()})
    missing = [y for y in years if y not in present]
    if missing:
        raise SelectionError(
            f"year {', '.join(map(str, missing))} is not in {source}; years present: "
            f"{', '.join(map(str, present)) or 'none'}"
        )
    out = table.filter(pc.is_in(table["year"], pa.array(list(years), pa.int64())))
    if out.num_rows == 0:
        raise SelectionError(f"the selection from {source} is empty")
    return out


def read_tidy(path: str | Path, *, years: Sequence[int] | None = None) -> Panel:
    """A tidy CSV or Parquet file with `region, sector, year, value` (value may be empty)."""
    path = Path(path)
    name = str(path)
    suffixes = "".join(path.suffixes).lower()
    first_line = 2
    if suffixes.endswith(".parquet"):
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            raise InputFormatError(name, None, f"is not a readable Parquet file ({exc})") from None
        first_line = 1
        table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]))
    else:
        try:
            table = pacsv.read_csv(
                path,
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in (*TIDY_COLUMNS, "establishments")},
                    strings_can_be_null=False,
                ),
            )
        except (OSError, pa.ArrowException) as exc:
            raise InputFormatError(name, None, f"is not a readable CSV file ({exc})") from None
    missing = [c for c in TIDY_COLUMNS if c not in table.column_names]
    if missing:
        raise InputFormatError(
            name,
            1,
            f"lacks the column(s) {', '.join(missing)} (expected region, sector, year, value; "
            f"found {', '.join(table.column_names)})",
        )
    lines = pa.array(range(first_line, table.num_rows + first_line), pa.int64())
    region = pc.utf8_trim_whitespace(pc.cast(table["region"], pa.string()))
    sector = pc.utf8_trim_whitespace(pc.cast(table["sector"], pa.string()))
    for col, arr in (("region", region), ("sector", sector)):
        bad = _first_true(pc.or_kleene(pc.is_null(arr), pc.equal(arr, "")))
        if bad is not None:
            raise InputFormatError(name, int(lines[bad].as_py()), f"column {col!r} is empty")
    year_text = pc.utf8_trim_whitespace(pc.cast(table["year"], pa.string()))
    bad = _first_true(
        pc.invert(pc.fill_null(pc.match_substring_regex(year_text, _YEAR_PATTERN), False))
    )
    if bad is not None:
        raise InputFormatError(
            name,
            int(lines[bad].as_py()),
            f"column 'year': {year_text[bad].as_py()!r} is not a year",
        )
    columns: dict[str, pa.Array] = {
        "region": region,
        "sector": sector,
        "year": pc.cast(year_text, pa.int64()),
    }
    for col in ("value", "establishments"):
        if col not in table.column_names:
            continue
        text = pc.fill_null(pc.cast(table[col], pa.string()), "")
        text = pc.if_else(pc.equal(pc.utf8_trim_whitespace(text), ""), ":", text)
        values, flags = parse_cells(
            pc.cast(text, pa.string()).combine_chunks()
            if isinstance(text, pa.ChunkedArray)
            else text,
            path=name,
            lines=lines,
            column=col,
        )
        columns[col] = values
        if col == "value":
            columns["flag"] = flags
    out = pa.table(columns)
    if out.num_rows == 0:
        raise SelectionError(f"{name} has no rows")
    out = _filter_years(out, years, name)
    return Panel(table=out, source=name)


def read_panel(
    path: str | Path,
    *,
    filters: Iterable[str] | Mapping[str, str] | None = None,
    years: Sequence[int] | None = None,
) -> Panel:
    """Read any supported input: Eurostat TSV (`.tsv`, `.tsv.gz`), tidy CSV or Parquet."""
    path = Path(path)
    suffixes = "".join(path.suffixes).lower()
    if not path.exists():
        raise InputFormatError(str(path), None, "does not exist")
    if ".tsv" in suffixes:
        return select(parse_eurostat(path), filters=filters, years=years)
    if filters:
        raise SelectionError(
            f"--filter applies to Eurostat TSV dumps; {path} is a tidy file (filter it beforehand)"
        )
    return read_tidy(path, years=years)
