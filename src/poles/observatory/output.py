"""Write result tables straight from Arrow: CSV, Parquet or JSON by extension, one batch at a time.

`TableWriter` takes the rows a year at a time (so that a year's arrays can be freed before the
next one is computed); CSV and Parquet are streamed by Arrow's writers on a background thread
(Arrow releases the GIL while encoding), so a year is written while the next one is computed;
at most one year waits to be written. JSON (meant for small outputs) is written at the end with
the notes.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from poles.observatory.errors import OptionError
from poles.observatory.i18n import _

OUT_SUFFIXES = (".csv", ".parquet", ".json")


def check_out(path: str | Path | None) -> None:
    """Refuse an output name whose extension is not one we write."""
    if path is not None and Path(path).suffix.lower() not in OUT_SUFFIXES:
        raise OptionError(
            _("output file must end with .csv, .parquet or .json; found {name!r}").format(
                name=Path(path).name
            )
        )


def plain(table: pa.Table) -> pa.Table:
    """The table with dictionary columns decoded to their labels."""
    columns = [
        pc.cast(col, col.type.value_type) if pa.types.is_dictionary(col.type) else col
        for col in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def json_records(table: pa.Table) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (missing values as None)."""
    rows: list[dict[str, Any]] = plain(table).to_pylist()
    return rows


class TableWriter:
    """Write tables with the same columns one after the other into one file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        check_out(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.suffix = self.path.suffix.lower()
        self.rows = 0
        self._writer: Any = None
        self._schema = pa.schema([])
        self._tables: list[pa.Table] = []
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def write(self, table: pa.Table) -> None:
        """Append `table`'s rows (written in the background; errors surface at the next call)."""
        self.rows += table.num_rows
        if self.suffix == ".json":
            self._tables.append(table)
            return
        self._wait()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="poles-writer")
        self._pending = self._pool.submit(self._write_now, table)

    @property
    def busy(self) -> bool:
        """Whether a table is still being encoded on the background thread."""
        return self._pending is not None and not self._pending.done()

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def _write_now(self, table: pa.Table) -> None:
        if self.suffix == ".csv":
            if self._writer is None:
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(self.path, table.schema, write_options=options)
            self._writer.write_table(table)
            return
        if self._writer is None:
            self._open_parquet(required_where_complete(table))
        elif any(table[f.name].null_count for f in self._schema if not f.nullable):
            self._reopen_nullable()
        self._writer.write_table(table.cast(self._schema))  # names checked, as before

    def _open_parquet(self, schema: pa.Schema) -> None:
        import pyarrow.parquet as pq

        self._schema = schema
        self._writer = pq.ParquetWriter(self.path, schema, **parquet_options(schema))

    def _reopen_nullable(self) -> None:
        """A later table has missing values where the first had none: the rows written so far
        are copied into a file whose columns all allow them (rare, so not made fast)."""
        import pyarrow.parquet as pq

        self._writer.close()
        written = self.path.with_name(self.path.name + ".part")
        self.path.replace(written)
        try:
            self._open_parquet(pa.schema([f.with_nullable(True) for f in self._schema]))
            source = pq.ParquetFile(written)
            for group in range(source.num_row_groups):
                rows = source.read_row_group(group)
                columns = [_as_type(rows[f.name], f.type) for f in self._schema]
                self._writer.write_table(pa.Table.from_arrays(columns, schema=self._schema))
        finally:
            written.unlink()

    def close(self, notes: dict[str, Any] | None = None) -> Path:
        """Finish the file (JSON: `{"notes": …, "rows": […]}`)."""
        try:
            self._wait()
        finally:
            self._stop()
        if self.suffix == ".json":
            rows = json_records(pa.concat_tables(self._tables)) if self._tables else []
            payload = {"notes": notes or {}, "rows": rows}
            self.path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
        elif self._writer is not None:
            self._writer.close()
        else:  # no rows at all: an empty file with no columns is still a file
            self.path.write_text("", encoding="utf-8")
        return self.path

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            return
        try:
            self._wait()
        except Exception:  # noqa: S110 — the error being raised is the one to report
            pass
        finally:
            self._stop()
            if self._writer is not None:
                self._writer.close()

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def required_where_complete(table: pa.Table) -> pa.Schema:
    """The table's schema with the columns that have no missing value marked as required.

    Parquet then stores no definition level for them: a third of the time of writing a
    column of numbers. A later table with missing values there reopens the file (see
    `TableWriter`).
    """
    return pa.schema(
        [f.with_nullable(table[f.name].null_count > 0) for f in table.schema],
        metadata=table.schema.metadata,
    )


def _as_type(column: pa.ChunkedArray, kind: pa.DataType) -> pa.ChunkedArray:
    """A column read back from Parquet (dictionaries decoded) in the type it was written from."""
    if pa.types.is_dictionary(kind) and not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    return column.cast(kind)


LABELS = ("region", "region_name", "sector", "label", "year")


def parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """How a result is stored in Parquet.

    Dictionary columns (labels, and a compact table's per-region and per-sector values) are
    written as dictionary pages; other numbers are plain, since they rarely repeat. Only the
    labels get min/max statistics (row groups are filtered on a region or a year, never on a
    density) and Snappy compression on numbers is kept where it pays: integers and dictionary
    indices, not the digits of measured shares. The Arrow schema is not stored, so a dictionary
    of numbers reads back as the plain numbers it encodes.
    """
    coded = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    floats = [
        f.name for f in schema if pa.types.is_floating(f.type) and f.name not in ("value",)
    ]
    return {
        "use_dictionary": coded or False,
        "write_statistics": [name for name in schema.names if name in LABELS] or False,
        "compression": {f.name: ("none" if f.name in floats else "snappy") for f in schema},
        "store_schema": False,
        # values handed to each column's encoder at a time (Arrow's default is 1,024): a
        # tenth of the time of a dictionary column of ten million codes, the same file
        "write_batch_size": 1 << 16,
    }


def write_table(table: pa.Table, path: str | Path, *, notes: dict[str, Any] | None = None) -> Path:
    """Write one table by extension."""
    writer = TableWriter(path)
    writer.write(table)
    return writer.close(notes)
