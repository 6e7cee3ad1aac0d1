"""Spark at scale: a Parquet panel in several files, aggregated in Spark, one year's matrix at a
time on the driver; a clear error when a matrix would not fit; the missing-PySpark message."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from poles.observatory import api
from poles.observatory.cli import main
from poles.observatory.errors import ObservatoryError
from poles.observatory.io import Panel

REGIONS = [f"FR{i}{j}" for i in range(1, 5) for j in range(1, 6)] + ["DE11", "DE12", "DE21"]
SECTORS = [f"C{d}" for d in range(10, 34)] + ["J62", "J63", "M72"]


def _long_panel(rng: np.random.Generator) -> pa.Table:
    """Two years of NUTS-2 × division cells, plus rows the matrix must leave in Spark: NUTS-1
    and national rows, section and class codes, the EU aggregate."""
    rows: dict[str, list[Any]] = {"region": [], "sector": [], "year": [], "value": []}
    for year in (2019, 2020):
        for region in [*REGIONS, "FR1", "FR", "EU28", "DE"]:
            for sector in [*SECTORS, "C", "J", "C1011", "C2011"]:
                value = float(rng.integers(0, 500)) if rng.random() > 0.05 else None
                rows["region"].append(region)
                rows["sector"].append(sector)
                rows["year"].append(year)
                rows["value"].append(value)
    return pa.table(rows)


@pytest.fixture
def parquet_panel(tmp_path: Path) -> tuple[Path, pa.Table]:
    table = _long_panel(np.random.default_rng(7))
    folder = tmp_path / "panel"
    folder.mkdir()
    step = table.num_rows // 3 + 1
    for k in range(3):  # three files, as a partitioned export would write them
        pq.write_table(table.slice(k * step, step), folder / f"part-{k}.parquet")
    return folder, table


@pytest.mark.spark
def test_complexity_from_parquet_files_in_spark_equals_the_local_run(
    parquet_panel: tuple[Path, pa.Table], spark: Any, tmp_path: Path
) -> None:
    from poles.observatory import scale

    folder, table = parquet_panel
    spread = scale.read_spark(str(folder), spark)
    sparked = api.complexity(spread)
    local = api.complexity(Panel(table=table, source="memory"))
    keys = ["region", "sector", "year"]
    a = sparked.frame.sort_values(keys).reset_index(drop=True)
    b = local.frame.sort_values(keys).reset_index(drop=True)
    assert len(a) == len(b) == 2 * len(REGIONS) * len(SECTORS)
    assert (a[keys] == b[keys]).all().all()
    for column in ("rca", "eci", "pci", "density", "coi", "cog"):
        assert np.allclose(a[column], b[column], rtol=0, atol=1e-9, equal_nan=True), column
    # only the aggregated cells of the level came to the driver, never the long table
    assert sparked.notes["rows_collected"] == 2 * len(REGIONS) * len(SECTORS) < table.num_rows


@pytest.mark.spark
def test_a_year_whose_matrix_would_not_fit_is_refused_before_collecting(
    parquet_panel: tuple[Path, pa.Table], spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from poles.observatory import scale

    monkeypatch.setenv("POLES_MATRIX_MEMORY", "32K")  # the matrix needs ~58 KiB
    spread = scale.read_spark(str(parquet_panel[0]), spark)
    with pytest.raises(ObservatoryError, match=r"2019: the 23 regions × 27 sectors matrix needs"):
        api.complexity(spread)


@pytest.mark.spark
def test_command_line_reads_the_parquet_folder_with_spark(
    parquet_panel: tuple[Path, pa.Table],
    spark: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "eci.parquet"
    code = main(["complexity", str(parquet_panel[0]), "--engine", "spark", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert pq.read_table(out).num_rows == 2 * len(REGIONS) * len(SECTORS)


def test_engine_spark_without_pyspark_exits_2_with_how_to_install(
    small_tsv: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "pyspark" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code = main(["lq", str(small_tsv), "--filter", "indic_sb=V16110", "--engine", "spark"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "pip install -e '.[spark]'" in err
