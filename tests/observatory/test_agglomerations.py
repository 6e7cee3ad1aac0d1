"""ECCP agglomerations (Table 1): counts, ranks, top five, labels; the real French 2013 table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from poles.observatory import api
from poles.observatory.cli import main
from poles.observatory.io import read_panel


def test_relevant_agglomerations_are_ranked_by_lq_within_each_region(small_tsv: Path) -> None:
    panel = read_panel(small_tsv, filters=["indic_sb=V16110"], years=[2013])
    result = api.agglomerations(panel, reference="eu")
    frame = result.frame
    fr21 = frame[frame.region == "FR21"].set_index("sector")
    # FR21: C10 LQ 2.0 (50%), C11 LQ (100/500)/(300/2000) = 1.33 → only C10 is relevant
    assert fr21.loc["C10", "rank"] == 1
    assert pd.isna(fr21.loc["C11", "rank"])
    assert (fr21.n_relevant == 1).all()
    table = result.tables["table"].set_index("region")
    assert table.loc["FR21", "sector_1"] == "C10"
    assert table.loc["FR21", "label_1"] == "C10 - Manufacture of food products"
    assert pd.isna(table.loc["FR21", "sector_2"])


def test_labels_come_from_the_nace_classification(small_tsv: Path) -> None:
    panel = read_panel(small_tsv, filters=["indic_sb=V16110"], years=[2013])
    labels = dict(zip(*api.agglomerations(panel).frame[["sector", "label"]].T.values, strict=True))
    assert labels["J62"] == "J62 - Computer programming, consultancy and related activities"
    assert labels["C11"] == "C11 - Manufacture of beverages"


@pytest.mark.shared_data
def test_france_2013_table_1_from_the_real_eurostat_file(
    shared_data, tmp_path: Path, capsys
) -> None:
    path = shared_data("eurostat/sbs_r_nuts06_r2.tsv.gz")
    out = tmp_path / "fr.csv"
    table_out = tmp_path / "table.json"
    code = main(
        [
            "agglomerations",
            str(path),
            "--filter",
            "indic_sb=V16110",
            "--country",
            "FR",
            "--year",
            "2013",
            "--reference",
            "country",
            "--out",
            str(out),
            "--table-out",
            str(table_out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "FR62" in printed and "C30 - Manufacture" in printed
    frame = pd.read_csv(out)
    for column in (
        "region",
        "sector",
        "year",
        "value",
        "region_total",
        "share",
        "lq",
        "agglomeration",
        "relevant",
    ):
        assert column in frame.columns
    assert set(frame.year) == {2013}
    assert frame.region.str.startswith("FR").all()
    # Midi-Pyrénées (FR62, home of Airbus) has aerospace (C30) as its first agglomeration
    fr62 = frame[(frame.region == "FR62") & (frame["rank"] == 1)]
    assert fr62.sector.tolist() == ["C30"]
    assert fr62.lq.iloc[0] == pytest.approx(7.09, abs=0.01)
    table = json.loads(table_out.read_text())["rows"]
    assert {row["region"] for row in table} >= {"FR10", "FR62", "FRA4"}
    assert all(
        row["n_relevant"] == len(frame[(frame.region == row["region"]) & frame.relevant])
        for row in table
    )
