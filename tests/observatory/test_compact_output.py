"""A written result holds the same values whether its repeated columns were built compact or not."""

from __future__ import annotations

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from poles.observatory import cube
from poles.observatory.output import write_table

REGIONS = np.array(["FR101", "FR102", "DE300"])
SECTORS = np.array(["C10", "C20"])


def _table(compact: bool):
    values = np.array([[1.0, 2.0], [np.nan, 4.0], [5.0, 0.0]])
    return cube.long_table(
        2020, REGIONS, SECTORS,
        cells={"value": values},
        by_region={"eci": np.array([0.5, np.nan, -1.0]), "diversity": np.array([1, 2, 3])},
        by_sector={"pci": np.array([1.5, -2.5])},
        keep_regions=np.array([True, False, True]),
        compact=compact,
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_compact_and_plain_tables_write_the_same_file_contents(tmp_path, suffix):
    plain, compact = tmp_path / f"plain{suffix}", tmp_path / f"compact{suffix}"
    write_table(_table(False), plain)
    write_table(_table(True), compact)
    read = pq.read_table if suffix == ".parquet" else pacsv.read_csv
    a, b = read(plain), read(compact)
    assert a.schema == b.schema
    assert a.to_pylist() == b.to_pylist()
    rows = b.to_pylist()
    assert [r["region"] for r in rows] == ["FR101", "FR101", "DE300", "DE300"]
    assert [r["eci"] for r in rows] == [0.5, 0.5, -1.0, -1.0]
    assert [r["pci"] for r in rows] == [1.5, -2.5, 1.5, -2.5]
    assert [r["year"] for r in rows] == [2020] * 4


def test_a_parquet_result_reads_back_as_plain_numbers_not_categories(tmp_path):
    out = tmp_path / "r.parquet"
    write_table(_table(True), out)
    frame = pq.read_table(out).to_pandas()
    assert str(frame["eci"].dtype) == "float64" and str(frame["year"].dtype) == "int64"
