"""The 14 industrial ecosystems: the shipped mapping, the roll-up, Table 2 and Figure 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from poles.observatory import api
from poles.observatory.codes import nace_label, sector_level
from poles.observatory.ecosystems import MAPPING_COLUMNS, ecosystem_names, load_mapping
from poles.observatory.io import read_panel


def test_mapping_has_stable_columns_and_fourteen_ecosystems() -> None:
    rows = load_mapping()
    assert MAPPING_COLUMNS == (
        "nace_division",
        "ecosystem_code",
        "ecosystem_name_en",
        "ecosystem_name_fr",
    )
    assert len({r.ecosystem_code for r in rows}) == 14
    assert len(ecosystem_names("fr")) == 14 and ecosystem_names("fr")["HLTH"] == "Santé"


def test_each_division_is_a_real_nace_division_counted_once() -> None:
    divisions = [r.nace_division for r in load_mapping()]
    assert len(divisions) == len(set(divisions))
    for code in divisions:
        assert sector_level(code) == "division", code
        assert nace_label(code) != code, code


def test_each_ecosystem_has_one_english_and_one_french_name() -> None:
    names = {(r.ecosystem_code, r.ecosystem_name_en, r.ecosystem_name_fr) for r in load_mapping()}
    assert len(names) == 14


@pytest.fixture
def result(small_tsv: Path) -> api.Result:
    panel = read_panel(small_tsv, filters=["indic_sb=V16110"], years=[2013])
    return api.ecosystems(panel, reference="eu")


def test_divisions_roll_up_into_their_ecosystem(result: api.Result) -> None:
    rows = {(r["region"], r["sector"]): r for r in result.frame.to_dict("records")}
    agri = rows[("FR21", "AGRI")]  # C10 250 + C11 100
    assert agri["value"] == 350.0 and agri["region_total"] == 500.0
    assert agri["lq"] == pytest.approx((350 / 500) / (800 / 2000))
    assert agri["label"] == "Agri-food"
    assert rows[("FR10", "AGRI")]["parts_missing"] == 1  # C11 is confidential in FR10
    assert result.notes["ecosystem_cells_with_missing_divisions"] == 1


def test_table_2_counts_ecosystem_agglomerations(result: api.Result) -> None:
    table = result.tables["table"].set_index("region")
    assert table.loc["FR21", "n_relevant"] == 1  # AGRI: LQ 1.75, 70% of the region
    assert table.loc["FR21", "sector_1"] == "AGRI"


def test_figure_1_compares_country_and_eu_shares_of_the_ecosystems(result: api.Result) -> None:
    shares = result.tables["shares"]
    fr = shares[shares.country == "FR"].set_index("sector")
    assert fr.loc["AGRI", "share"] == pytest.approx(0.4)
    assert fr.loc["DIGI", "share"] == pytest.approx(0.6)
    assert fr.loc["AGRI", "eu_share"] == pytest.approx(800 / 2000)
    assert fr.share.sum() == pytest.approx(1.0)
