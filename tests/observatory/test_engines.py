"""The same Ibis expressions give the same numbers on DuckDB and on Spark (local mode)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from poles.observatory import api
from poles.observatory.io import parse_eurostat, read_panel, select

pytestmark = pytest.mark.spark


def assert_same(duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    assert list(duck.columns) == list(spark.columns)
    assert len(duck) == len(spark)
    for column in duck.columns:
        a, b = duck[column], spark[column]
        if a.dtype.kind == "f":
            assert np.array_equal(a.isna(), b.isna()), column
            assert np.allclose(a.fillna(0), b.fillna(0).astype(float), rtol=1e-12, atol=0), column
        else:
            assert (
                a.astype("string").fillna("").tolist() == b.astype("string").fillna("").tolist()
            ), column


@pytest.mark.shared_data
def test_french_agglomerations_2013_are_identical_on_spark(
    shared_data: Any, spark_con: Any
) -> None:
    panel = read_panel(
        shared_data("eurostat/sbs_r_nuts06_r2.tsv.gz"), filters=["indic_sb=V16110"], years=[2013]
    )
    options = api.Options(country="FR", reference="country")
    duck = api.agglomerations(panel, options=options)
    spark = api.agglomerations(panel, options=options, con=spark_con)
    assert_same(duck.frame, spark.frame)
    assert_same(duck.tables["table"], spark.tables["table"])
    assert duck.notes == spark.notes


def test_stars_strong_and_ecosystems_are_identical_on_spark(
    small_tsv: Path, spark_con: Any
) -> None:
    source = parse_eurostat(small_tsv)
    employment = select(source, filters=["indic_sb=V16110"])
    panel = api.with_establishments(employment, select(source, filters=["indic_sb=V11210"]))
    runs = ((api.stars, "eu"), (api.strong_clusters, "input"), (api.ecosystems, "eu"))
    for function, reference in runs:
        duck = function(panel, reference=reference)
        spark = function(panel, reference=reference, con=spark_con)
        assert_same(duck.frame, spark.frame)
        for name, table in duck.tables.items():
            assert_same(table, spark.tables[name])
