"""Results written to Parquet: columns with no missing value stored as required, and a later
year with missing values still written whole."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq

from poles.observatory import cube
from poles.observatory.output import TableWriter, write_table

REGIONS = np.array(["FR101", "FR102", "DE300"])
SECTORS = np.array(["C10", "C20"])


def _year(year: int, values: np.ndarray) -> object:
    return cube.long_table(
        year, REGIONS, SECTORS,
        cells={"value": values, "m": (values > 1).astype(np.int8)},
        by_region={"eci": np.array([0.5, 0.25, -1.0])},
        by_sector={"pci": np.array([1.5, -2.5])},
        compact=True,
    )


def _repetition(path, name: str) -> str:
    schema = pq.ParquetFile(path).schema
    column = schema.column(schema.names.index(name))
    return "optional" if column.max_definition_level else "required"


def test_parquet_columns_without_missing_values_are_stored_as_required(tmp_path) -> None:
    out = tmp_path / "r.parquet"
    write_table(_year(2020, np.array([[1.0, 2.0], [np.nan, 4.0], [5.0, 0.0]])), out)
    assert _repetition(out, "value") == "optional"
    for name in ("region", "sector", "year", "m", "eci", "pci"):
        assert _repetition(out, name) == "required", name
    assert pq.read_table(out)["value"].null_count == 1


def test_a_later_year_with_missing_values_keeps_every_row_written_before(tmp_path) -> None:
    complete = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 0.0]])
    missing = np.array([[1.5, np.nan], [3.5, 4.5], [5.5, 0.5]])
    out = tmp_path / "r.parquet"
    writer = TableWriter(out)
    writer.write(_year(2020, complete))
    writer.write(_year(2021, missing))
    writer.write(_year(2022, complete))
    writer.close()
    assert not list(tmp_path.glob("*.part"))
    rows = pq.read_table(out).to_pylist()
    expected = [
        *_year(2020, complete).to_pylist(),
        *_year(2021, missing).to_pylist(),
        *_year(2022, complete).to_pylist(),
    ]
    assert rows == expected
    assert [r["value"] for r in rows if r["year"] == 2021] == [1.5, None, 3.5, 4.5, 5.5, 0.5]
    assert _repetition(out, "value") == "optional"
