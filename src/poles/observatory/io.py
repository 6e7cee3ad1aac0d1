"""Read the observatory's inputs into one tidy panel: `region, sector, year, value, flag`.

Two formats:

* Eurostat's TSV dumps (optionally gzipped): a composite first column such as
  `nace_r2,indic_sb,geo\\time`, one column per year, values with flags after them (`125171 b`),
  `:` for missing cells and `: c` for confidential ones. `parse_eurostat` reads the whole file
  once (every cell checked); `select` picks one slice with `DIM=VALUE` filters and years and
  parses only that slice's cells (`read_panel` does both, so a cell outside the selection is
  never parsed).
* A tidy CSV or Parquet file with the columns `region, sector, year, value` (and optionally
  `establishments`).

Files are read by Arrow's multi-threaded readers with typed columns; region and sector codes are
dictionary-encoded once (integer codes plus the distinct labels) and stay so downstream. A file
the typed read refuses is read again as text by the full rules, so that the error names the file,
the line and why. Missing cells stay missing (null), never zero.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from poles.observatory.arrays import NULL_STRING, arrow, numpy, scalar, strings
from poles.observatory.errors import InputFormatError, SelectionError
from poles.observatory.i18n import _

if TYPE_CHECKING:
    from poles.observatory.cube import Codes

#: Scalars for kernels (a bare "", 0 or True given to one would import pandas: `arrays.scalar`)
EMPTY, COLON = scalar(""), scalar(":")
TRUE, FALSE, ZERO = scalar(True), scalar(False), scalar(0, np.int32)

#: A Eurostat cell once stripped: a number or `:`, then optional lower-case flags.
_CELL_PATTERN = r"^(?:(?P<num>[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)|(?P<colon>:))\s*(?P<flag>[a-z]*)$"
_YEAR_PATTERN = r"^[0-9]{4}$"
_FLAG_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_NUMBER_CHARACTERS = "0123456789.:+-"

TIDY_COLUMNS = ("region", "sector", "year", "value")
CODE = pa.dictionary(pa.int32(), pa.string())
PANEL_SCHEMA = pa.schema(
    [
        ("region", CODE),
        ("sector", CODE),
        ("year", pa.int64()),
        ("value", pa.float64()),
        ("flag", CODE),
    ]
)


@dataclass(frozen=True)
class EurostatTable:
    """A read Eurostat TSV as Eurostat lays it out: `keys` holds one row per line (the dimension
    columns, dictionary-encoded, and the `line` number), `columns` the raw cell text of each of
    `years`. `select` parses only the cells it keeps; `table` parses them all."""

    path: str
    dimensions: tuple[str, ...]
    keys: pa.Table
    years: tuple[int, ...]
    columns: tuple[pa.Array, ...]

    @property
    def sector_dimension(self) -> str:
        """The NACE dimension (`nace_r2`, `nace_r1`…): the first whose name starts with `nace`."""
        for name in self.dimensions:
            if name.startswith("nace") or name == "sector":
                return name
        raise SelectionError(
            _(
                "{path}: no NACE dimension among {dimensions} "
                "(expected one named nace_r2 or similar)"
            ).format(path=self.path, dimensions=", ".join(self.dimensions))
        )

    def cells(self, rows: pa.Array | None = None, years: Sequence[int] | None = None) -> pa.Table:
        """One row per cell of the chosen lines (boolean mask) and years: dimensions, `year`,
        raw `cell`, `line`."""
        keys = self.keys if rows is None else self.keys.filter(rows)
        chosen = [i for i, y in enumerate(self.years) if years is None or y in years]
        columns = [
            self.columns[i] if rows is None else pc.filter(self.columns[i], rows) for i in chosen
        ]
        n = keys.num_rows
        out: dict[str, pa.Array] = {}
        for dim in self.dimensions:
            arr = keys[dim].combine_chunks()
            indices = np.tile(numpy(arr.indices), len(chosen))
            out[dim] = pa.DictionaryArray.from_arrays(
                arrow(indices.astype(np.int32, copy=False)), arr.dictionary
            )
        year_values = np.asarray([self.years[i] for i in chosen], dtype=np.int64)
        out["year"] = arrow(np.repeat(year_values, n))
        out["cell"] = pa.concat_arrays(columns) if columns else pa.array([], pa.string())
        out["line"] = arrow(
            np.tile(numpy(keys["line"].combine_chunks()), len(chosen))
        )
        return pa.table(out)

    @cached_property
    def table(self) -> pa.Table:
        """Every cell parsed: the dimension columns, `year, value, flag`."""
        cells = self.cells()
        values, flags = parse_cells(
            cells["cell"], path=self.path, lines=cells["line"], column=None, years=cells["year"]
        )
        return (
            cells.drop_columns(["cell", "line"])
            .append_column("value", values)
            .append_column("flag", flags)
        )


@dataclass(frozen=True)
class Panel:
    """A tidy panel (`region, sector, year, value, flag`, plus `establishments` when given).

    Region, sector and flag are dictionary-encoded when read from a file; plain strings work too.
    """

    table: pa.Table
    source: str
    selection: Mapping[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in pc.unique(self.table["year"]).to_pylist()})

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @cached_property
    def codes(self) -> Codes:
        """Integer codes of regions, sectors and years, computed once (see `cube.encode`)."""
        from poles.observatory.cube import encode

        return encode(self.table)

    def plain(self) -> pa.Table:
        """The table with plain string columns (for engines that do not take dictionaries)."""
        columns = [
            pc.cast(col, pa.string()) if pa.types.is_dictionary(col.type) else col
            for col in self.table.columns
        ]
        return pa.table(columns, names=self.table.column_names)


def _first_true(mask: pa.Array | pa.ChunkedArray) -> int | None:
    """Index of the first true value of a boolean array (nulls count as false), or None."""
    filled = pc.fill_null(mask, FALSE)
    if not pc.any(filled).as_py():
        return None
    return int(pc.index(filled, TRUE).as_py())


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFormatError(str(path), None, _("cannot be read ({error})").format(error=exc.strerror)) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputFormatError(
                str(path), None, _("is not a valid gzip file ({error})").format(error=exc)
            ) from None
    return raw


def _text(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFormatError(path, line, _("is not UTF-8 text")) from None


def _fast_cells(cells: pa.Array) -> tuple[pa.Array, pa.Array] | None:
    """Values and flags of cells in the usual shapes (`125`, `125 b`, `:`, `: c`), or None when
    some cell needs the full rule (the caller then applies it, with its error message)."""
    stripped = pc.utf8_trim_whitespace(cells)
    number = pc.utf8_rtrim(stripped, characters=" " + _FLAG_LETTERS)
    flags = pc.utf8_trim_whitespace(pc.utf8_ltrim(stripped, characters=_NUMBER_CHARACTERS))
    flag_ok = pc.or_(
        pc.equal(flags, EMPTY), pc.and_(pc.ascii_is_alpha(flags), pc.ascii_is_lower(flags))
    )
    if not pc.all(flag_ok, min_count=0).as_py():
        return None
    number = pc.if_else(pc.equal(number, COLON), NULL_STRING, number)
    try:
        values = pc.cast(number, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not pc.all(pc.is_finite(values), min_count=0).as_py():  # NaN, inf are words
        return None
    return values, flags


def parse_cells(
    cells: pa.Array | pa.ChunkedArray,
    *,
    path: str,
    lines: pa.Array | pa.ChunkedArray,
    column: str | None,
    years: pa.Array | pa.ChunkedArray | None = None,
) -> tuple[pa.Array, pa.Array]:
    """Parse Eurostat cells (`125171 b`, `:`, `: c`) into values (null when missing) and flags.

    `lines` gives each cell's line number (and `years` its column when `column` is None) for
    the error message of the first malformed cell. Flags come back dictionary-encoded.
    """
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    fast = _fast_cells(cells)
    if fast is not None:
        return fast[0], pc.dictionary_encode(fast[1])
    stripped = pc.utf8_trim_whitespace(cells)
    parts = pc.extract_regex(stripped, _CELL_PATTERN)
    bad = _first_true(pc.is_null(parts))
    if bad is not None:
        name = column if column is not None or years is None else str(years[bad].as_py())
        raise InputFormatError(
            path,
            int(lines[bad].as_py()),
            _(
                "column {name!r}: {cell!r} is neither a number nor ':' "
                "(optionally followed by flags such as 'b' or 'c')"
            ).format(name=name, cell=stripped[bad].as_py()),
        )
    num = pc.struct_field(parts, "num")
    num = pc.if_else(pc.equal(num, EMPTY), NULL_STRING, num)
    values = pc.cast(num, pa.float64())
    flags = pc.struct_field(parts, "flag")
    return values, pc.dictionary_encode(flags)


def _header(first_line: str, name: str) -> tuple[tuple[str, ...], list[int], int]:
    """Dimensions, years and field count of a Eurostat header line."""
    header = first_line.split("\t")
    key = header[0].strip()
    if "\\" not in key or "," not in key:
        raise InputFormatError(
            name,
            1,
            _(
                "first header cell {key!r} is not Eurostat's 'dim1,dim2,…,geo\\time' "
                "(expected a Eurostat TSV dump)"
            ).format(key=key),
        )
    dims_text, time_name = key.split("\\", 1)
    dimensions = tuple(d.strip() for d in dims_text.split(","))
    if time_name.strip() != "time" or dimensions[-1] != "geo":
        raise InputFormatError(
            name,
            1,
            _("first header cell {key!r} should end with 'geo\\time' (found {key!r})").format(
                key=key
            ),
        )
    years_text = [h.strip() for h in header[1:]]
    if not years_text:
        raise InputFormatError(name, 1, _("has no time column"))
    for col, text_year in enumerate(years_text, start=2):
        if not re.match(_YEAR_PATTERN, text_year):
            raise InputFormatError(
                name,
                1,
                _("time column {col} is {text!r}; only annual data (e.g. 2013) is read").format(
                    col=col, text=text_year
                ),
            )
    return dimensions, [int(y) for y in years_text], len(header)


def _split_keys(
    keys: pa.Array, lines: pa.Array, dimensions: tuple[str, ...], name: str
) -> dict[str, pa.Array]:
    """The composite key column split into one dictionary-encoded column per dimension."""
    parts = pc.split_pattern(keys, ",")
    n_keys = pc.list_value_length(parts)
    bad = _first_true(pc.not_equal(n_keys, scalar(len(dimensions), np.int32)))
    if bad is not None:
        raise InputFormatError(
            name,
            int(lines[bad].as_py()),
            _(
                "key {key!r} has {n} comma-separated parts; the header names {expected} "
                "({dimensions})"
            ).format(
                key=keys[bad].as_py(),
                n=n_keys[bad].as_py(),
                expected=len(dimensions),
                dimensions=",".join(dimensions),
            ),
        )
    return {
        dim: pc.dictionary_encode(pc.utf8_trim_whitespace(pc.list_element(parts, scalar(i))))
        for i, dim in enumerate(dimensions)
    }


def _read_eurostat(path: Path) -> EurostatTable:
    """Read a Eurostat dump with Arrow's CSV reader; cells are kept as text, not yet parsed."""
    name = str(path)
    raw = _read_bytes(path)
    newline = raw.find(b"\n")
    first = _text(raw[: newline if newline >= 0 else len(raw)], name).rstrip("\r")
    if not first.strip():
        raise InputFormatError(name, 1, _("is empty (expected a Eurostat TSV header)"))
    dimensions, years, n_fields = _header(first, name)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(n_fields)},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _read_eurostat_text(_text(raw, name), name)  # names the line and the reason
    if table.num_rows == 0:
        raise InputFormatError(name, 2, _("has a header but no data rows"))
    # line numbers: Arrow skips empty lines, so count them only when there are some
    if b"\n\n" in raw or b"\n\r\n" in raw:
        return _read_eurostat_text(_text(raw, name), name)
    lines = arrow(np.arange(2, table.num_rows + 2, dtype=np.int64))
    keys = _split_keys(table.column(0).combine_chunks(), lines, dimensions, name)
    keys["line"] = lines
    columns = tuple(table.column(i).combine_chunks() for i in range(1, n_fields))
    return EurostatTable(name, dimensions, pa.table(keys), tuple(years), columns)


def _read_eurostat_text(text: str, name: str) -> EurostatTable:
    """The same as `_read_eurostat` line by line: slower, used to name the line of an error."""
    all_lines = text.splitlines()
    dimensions, years, n_fields = _header(all_lines[0], name)
    body = pa.array(all_lines[1:], pa.string())
    line_numbers = pa.array(range(2, len(all_lines) + 1), pa.int64())
    nonblank = pc.invert(pc.equal(pc.utf8_trim_whitespace(body), EMPTY))
    body = pc.filter(body, nonblank)
    line_numbers = pc.filter(line_numbers, nonblank)
    if len(body) == 0:
        raise InputFormatError(name, 2, _("has a header but no data rows"))
    fields = pc.split_pattern(body, "\t")
    n = pc.list_value_length(fields)
    bad = _first_true(pc.not_equal(n, n_fields))
    if bad is not None:
        raise InputFormatError(
            name,
            int(line_numbers[bad].as_py()),
            _("has {n} tab-separated fields, the header has {expected}").format(
                n=n[bad].as_py(), expected=n_fields
            ),
        )
    keys = _split_keys(pc.list_element(fields, scalar(0)), line_numbers, dimensions, name)
    keys["line"] = line_numbers
    columns = tuple(pc.list_element(fields, scalar(i)) for i in range(1, n_fields))
    return EurostatTable(name, dimensions, pa.table(keys), tuple(years), columns)


def parse_eurostat(path: str | Path) -> EurostatTable:
    """Read a Eurostat TSV dump (gzipped or not) and check every cell; one row per cell."""
    source = _read_eurostat(Path(path))
    source.table  # noqa: B018 - parses (and so checks) every cell now
    return source


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
                _("filter {item!r} should read DIMENSION=VALUE (e.g. indic_sb=V16110)").format(
                    item=item
                )
            )
        out.setdefault(dim.strip(), []).extend(v.strip() for v in value.split(","))
    return out


def _sample(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (_(", … ({n} in all)").format(n=len(values)) if len(values) > limit else "")


def _present(column: pa.ChunkedArray | pa.Array) -> list[str]:
    """The distinct values of a (dictionary-encoded) column, sorted."""
    return sorted({str(v) for v in pc.unique(column).to_pylist() if v is not None})


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
    keys = source.keys
    sector_dim = source.sector_dimension
    rows = None
    for dim, values in wanted.items():
        if dim not in source.dimensions:
            raise SelectionError(
                _("unknown filter dimension {dim!r}; {path} has {dimensions}").format(
                    dim=dim, path=source.path, dimensions=", ".join(source.dimensions)
                )
            )
        present = set(_present(keys[dim]))
        unknown = [v for v in values if v not in present]
        if unknown:
            raise SelectionError(
                _("filter {dim}={values} matches no row; values of {dim}: {present}").format(
                    dim=dim, values=",".join(unknown), present=_sample(sorted(present))
                )
            )
        match = pc.is_in(keys[dim], value_set=strings(values))
        rows = match if rows is None else pc.and_(rows, match)
    chosen = keys if rows is None else keys.filter(rows)
    for dim in source.dimensions:
        if dim in ("geo", sector_dim):
            continue
        distinct = _present(chosen[dim])
        if len(distinct) > 1:
            raise SelectionError(
                _(
                    "dimension {dim!r} still has {n} values ({values}); "
                    "pick one with --filter {dim}=VALUE"
                ).format(dim=dim, n=len(distinct), values=_sample(distinct))
            )
    if chosen.num_rows == 0:
        raise SelectionError(_("the selection from {source} is empty").format(source=source.path))
    if years:
        missing = [y for y in years if y not in source.years]
        if missing:
            raise SelectionError(
                _("year {years} is not in {source}; years present: {present}").format(
                    years=", ".join(map(str, missing)),
                    source=source.path,
                    present=", ".join(map(str, sorted(source.years))),
                )
            )
    table = source.cells(
        rows.combine_chunks() if isinstance(rows, pa.ChunkedArray) else rows, years
    )
    values, flags = parse_cells(
        table["cell"], path=source.path, lines=table["line"], column=None, years=table["year"]
    )
    panel = pa.table(
        {
            "region": table["geo"],
            "sector": table[sector_dim],
            "year": table["year"],
            "value": values,
            "flag": flags,
        }
    ).cast(PANEL_SCHEMA)
    selection = {d: ",".join(v) for d, v in wanted.items()}
    return Panel(table=panel, source=source.path, selection=selection)


def _filter_years(table: pa.Table, years: Sequence[int] | None, source: str) -> pa.Table:
    if not years:
        if table.num_rows == 0:
            raise SelectionError(_("the selection from {source} is empty").format(source=source))
        return table
    present = sorted({int(y) for y in pc.unique(table["year"]).to_pylist()})
    missing = [y for y in years if y not in present]
    if missing:
        raise SelectionError(
            _("year {years} is not in {source}; years present: {present}").format(
                years=", ".join(map(str, missing)),
                source=source,
                present=", ".join(map(str, present)) or _("none"),
            )
        )
    out = table.filter(pc.is_in(table["year"], pa.array(list(years), pa.int64())))
    if out.num_rows == 0:
        raise SelectionError(_("the selection from {source} is empty").format(source=source))
    return out


def _lacks_columns(names: Sequence[str], path: str) -> None:
    missing = [c for c in TIDY_COLUMNS if c not in names]
    if missing:
        raise InputFormatError(
            path,
            1,
            _(
                "lacks the column(s) {missing} (expected region, sector, year, value; "
                "found {found})"
            ).format(missing=", ".join(missing), found=", ".join(names)),
        )


def _clean_codes(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A code column as dictionary chunks with trimmed, non-empty labels, or None when a label
    is empty or missing. Chunks keep their own dictionaries (`cube.encode` maps them); a chunk
    whose labels need trimming is re-encoded."""
    chunks = []
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = pc.dictionary_encode(pc.cast(chunk, pa.string()))
        if chunk.null_count:
            return None
        labels = chunk.dictionary
        trimmed = pc.utf8_trim_whitespace(labels)
        if len(trimmed) and not pc.all(pc.greater(pc.utf8_length(trimmed), ZERO)).as_py():
            return None
        if not trimmed.equals(labels):
            chunk = pc.dictionary_encode(pc.take(trimmed, chunk.indices))
        chunks.append(chunk)
    return pa.chunked_array(chunks, CODE) if chunks else pa.chunked_array([], CODE)


def _typed_panel(table: pa.Table, name: str) -> pa.Table | None:
    """The panel of a typed read (CSV with typed columns, or Parquet), or None when some column
    needs the text rules (flags after values, a malformed year…). Columns stay chunked as read."""
    region = _clean_codes(table["region"])
    sector = _clean_codes(table["sector"])
    year = table["year"]
    if region is None or sector is None or not pa.types.is_integer(year.type) or year.null_count:
        return None
    if table.num_rows:
        bounds = pc.min_max(year).as_py()
        if bounds["min"] < 1000 or bounds["max"] > 9999:
            return None
    if year.type != pa.int64():
        year = pc.cast(year, pa.int64())
    columns: dict[str, pa.ChunkedArray] = {"region": region, "sector": sector, "year": year}
    for col in ("value", "establishments"):
        if col not in table.column_names:
            continue
        values = table[col]
        if not (pa.types.is_floating(values.type) or pa.types.is_integer(values.type)):
            return None
        if values.type != pa.float64():
            values = pc.cast(values, pa.float64())
        if not pc.all(pc.is_finite(values), min_count=0).as_py():  # NaN, inf are words
            return None
        columns[col] = values
    flag = strings([""])
    columns["flag"] = pa.chunked_array(
        [
            pa.DictionaryArray.from_arrays(arrow(np.zeros(len(c), np.int8)), flag)
            for c in region.chunks
        ],
        pa.dictionary(pa.int8(), pa.string()),
    )
    order = ["region", "sector", "year", "value", "flag"] + (
        ["establishments"] if "establishments" in columns else []
    )
    return pa.table({k: columns[k] for k in order})


def read_tidy(path: str | Path, *, years: Sequence[int] | None = None) -> Panel:
    """A tidy CSV or Parquet file with `region, sector, year, value` (value may be empty)."""
    path = Path(path)
    name = str(path)
    suffixes = "".join(path.suffixes).lower()
    if suffixes.endswith(".parquet") or path.is_dir():
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path, read_dictionary=["region", "sector"])
        except (OSError, pa.ArrowException) as exc:
            raise InputFormatError(name, None, _("is not a readable Parquet file ({error})").format(error=exc)) from None
        _lacks_columns(table.column_names, name)
        typed = _typed_panel(table, name)
        if typed is None:
            typed = _text_panel(
                table.cast(pa.schema([(f.name, pa.string()) for f in table.schema])), name, 1
            )
    else:
        try:
            names = _csv_header(path)
        except (OSError, pa.ArrowException) as exc:
            raise InputFormatError(name, None, _("is not a readable CSV file ({error})").format(error=exc)) from None
        _lacks_columns(names, name)
        typed = None
        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(block_size=_block_size(path)),
                convert_options=pacsv.ConvertOptions(
                    column_types={
                        "region": CODE,
                        "sector": CODE,
                        "year": pa.int64(),
                        "value": pa.float64(),
                        "establishments": pa.float64(),
                    },
                    null_values=[""],
                    strings_can_be_null=False,
                    include_columns=[c for c in names if c in (*TIDY_COLUMNS, "establishments")],
                ),
            )
            typed = _typed_panel(table, name)
        except (OSError, pa.ArrowException):
            typed = None
        if typed is None:
            typed = _text_panel(_csv_text_table(path, name), name, 2)
    if typed.num_rows == 0:
        raise SelectionError(_("{source} has no rows").format(source=name))
    return Panel(table=_filter_years(typed, years, name), source=name)


def _block_size(path: Path) -> int:
    """Bytes per block of Arrow's CSV reader: about four blocks per core, between 1 and 4 MiB.

    Arrow's default (1 MiB) cuts a 1 GB file into a thousand chunks whose dictionaries are each
    built, and later looked up, on their own. Above 4 MiB a block's buffers are allocated
    afresh from the system each time instead of reusing the previous block's memory: on a
    virtual machine zeroing those new pages cost more than the parsing (16 MiB blocks: 0.2 to
    3 s of system time on a 129 MB file, 4 MiB blocks: under 0.1 s).
    """
    import os

    blocks = 4 * (os.cpu_count() or 1)
    return int(min(max(path.stat().st_size // blocks, 1 << 20), 4 << 20))


def _csv_header(path: Path) -> list[str]:
    with open(path, "rb") as handle:
        first = handle.readline(1 << 20)
    table = pacsv.read_csv(pa.py_buffer(first + b"\n"))
    return list(table.column_names)


def _csv_text_table(path: Path, name: str) -> pa.Table:
    try:
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in (*TIDY_COLUMNS, "establishments")},
                strings_can_be_null=False,
            ),
        )
    except (OSError, pa.ArrowException) as exc:
        raise InputFormatError(name, None, _("is not a readable CSV file ({error})").format(error=exc)) from None


def _text_panel(table: pa.Table, name: str, first_line: int) -> pa.Table:
    """A tidy table read as text, checked row by row (vectorised) with line-numbered errors."""
    lines = pa.array(range(first_line, table.num_rows + first_line), pa.int64())
    region = pc.utf8_trim_whitespace(pc.cast(table["region"], pa.string()))
    sector = pc.utf8_trim_whitespace(pc.cast(table["sector"], pa.string()))
    for col, arr in (("region", region), ("sector", sector)):
        bad = _first_true(pc.or_kleene(pc.is_null(arr), pc.equal(arr, "")))
        if bad is not None:
            raise InputFormatError(name, int(lines[bad].as_py()), _("column {col!r} is empty").format(col=col))
    year_text = pc.utf8_trim_whitespace(pc.cast(table["year"], pa.string()))
    bad = _first_true(
        pc.invert(pc.fill_null(pc.match_substring_regex(year_text, _YEAR_PATTERN), False))
    )
    if bad is not None:
        raise InputFormatError(
            name,
            int(lines[bad].as_py()),
            _("column 'year': {text!r} is not a year").format(text=year_text[bad].as_py()),
        )
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "region": pc.dictionary_encode(region),
        "sector": pc.dictionary_encode(sector),
        "year": pc.cast(year_text, pa.int64()),
    }
    for col in ("value", "establishments"):
        if col not in table.column_names:
            continue
        text = pc.fill_null(pc.cast(table[col], pa.string()), "")
        text = pc.if_else(pc.equal(pc.utf8_trim_whitespace(text), ""), ":", text)
        values, flags = parse_cells(text, path=name, lines=lines, column=col)
        columns[col] = values
        if col == "value":
            columns["flag"] = flags
    order = ["region", "sector", "year", "value", "flag"] + (
        ["establishments"] if "establishments" in columns else []
    )
    return pa.table({k: columns[k] for k in order})


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
        raise InputFormatError(str(path), None, _("does not exist"))
    if ".tsv" in suffixes:
        return select(_read_eurostat(path), filters=filters, years=years)
    if filters:
        raise SelectionError(
            _(
                "--filter applies to Eurostat TSV dumps; {path} is a tidy file "
                "(filter it beforehand)"
            ).format(path=path)
        )
    return read_tidy(path, years=years)


def read_eurostat(path: str | Path) -> EurostatTable:
    """Read a Eurostat dump without parsing its cells yet (`select` parses the slice it keeps)."""
    path = Path(path)
    if not path.exists():
        raise InputFormatError(str(path), None, _("does not exist"))
    return _read_eurostat(path)
