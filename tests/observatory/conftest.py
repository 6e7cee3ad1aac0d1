"""Fixtures of the observatory tests: the small Eurostat fixture, the real file, one SparkSession."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"
EUROSTAT = "eurostat/sbs_r_nuts06_r2.tsv.gz"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The observatory in English, as these tests read its messages (French first for users:
    tests/observatory/test_i18n.py runs it in French and in English)."""
    from poles.observatory import i18n

    monkeypatch.setenv("POLES_LANGUAGE", "en")
    monkeypatch.setattr(i18n, "_active", "en")


@pytest.fixture
def small_tsv() -> Path:
    """A hand-made Eurostat dump: FR10, FR21, DE11 (+ NUTS 0/1, EU28), sectors C10, C11, J62, C, B-E."""
    return DATA / "sbs_small.tsv"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession for the whole run (local[2], UI off, 2 shuffle partitions)."""
    pytest.importorskip("pyspark")
    from poles.observatory import engine

    session = engine.spark_session(master="local[2]", shuffle_partitions=2)
    yield session


@pytest.fixture(scope="session")
def spark_con(spark: Any) -> Any:
    """An Ibis backend on the shared SparkSession."""
    from poles.observatory import engine

    return engine.connect("spark", spark=spark)
