"""Write result tables straight from Arrow: CSV, Parquet or JSON by extension, one batch at a time.

`TableWriter` takes the rows a year at a time (so that a year's arrays can be freed before the
next one is computed); CSV and Parquet are streamed by Arrow's writers, JSON (meant for small
outputs) is written at the end with the notes.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from poles.observatory.errors import OptionError

OUT_SUFFIXES = (".csv", ".parquet", ".json")


def check_out(path: str | Path | None) -> None:
    """Refuse an output name whose extension is not one we write."""
    if path is not None and Path(path).suffix.lower() not in OUT_SUFFIXES:
        raise OptionError(
            f"output file must end with .csv, .parquet or .json; found {Path(path).name!r}"
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
        self._tables: list[pa.Table] = []

    def write(self, table: pa.Table) -> None:
        """Append `table`'s rows."""
        self.rows += table.num_rows
        if self.suffix == ".json":
            self._tables.append(table)
            return
        if self.suffix == ".csv":
            if self._writer is None:
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(self.path, table.schema, write_options=options)
        elif self._writer is None:
            import pyarrow.parquet as pq

            codes = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
            # dictionary pages for the label columns only: numbers rarely repeat
            self._writer = pq.ParquetWriter(
                self.path, table.schema, use_dictionary=codes or False, compression="snappy"
            )
        self._writer.write_table(table)

    def close(self, notes: dict[str, Any] | None = None) -> Path:
        """Finish the file (JSON: `{"notes": …, "rows": […]}`)."""
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
        if kind is not None and self._writer is not None:
            self._writer.close()


def write_table(table: pa.Table, path: str | Path, *, notes: dict[str, Any] | None = None) -> Path:
    """Write one table by extension."""
    writer = TableWriter(path)
    writer.write(table)
    return writer.close(notes)
