"""The factsheet's Table 1, Table 2 and Figure 1 as rows, and a French region's rows across NUTS versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from poles.observatory import read_panel
from poles.observatory.errors import OptionError
from poles.observatory.factsheet import build, nuts_codes_of


@pytest.fixture
def sheet(small_tsv: Path):
    return build(read_panel(small_tsv, filters=["indic_sb=V16110"]), country="FR", reference="eu")


def test_the_latest_year_is_taken_by_default_and_every_french_region_has_a_row(sheet) -> None:
    assert sheet.year == 2014
    assert [r.region for r in sheet.table1] == ["FR10", "FR21"]
    assert [r.region for r in sheet.table2] == ["FR10", "FR21"]


def test_table_1_counts_regionally_relevant_agglomerations_with_the_top_ones_by_lq(sheet) -> None:
    rows = {r.region: r for r in sheet.table1}
    # FR21: C10 is 500 of 1,000 persons against 1,000 of 4,000 in the EU (DE + FR): LQ 2
    assert rows["FR21"].count == 1
    assert [(a.code, a.lq, a.share) for a in rows["FR21"].top] == [("C10", pytest.approx(2.0), pytest.approx(0.5))]
    # FR10: J62 is 900 of 1,000 against 2,400 of 4,000: LQ exactly 1.5, not an agglomeration (> 1.5)
    assert (rows["FR10"].count, rows["FR10"].top) == (0, ())


def test_figure_1_gives_the_country_and_eu_shares_of_the_ecosystems(sheet) -> None:
    shares = {s.code: s for s in sheet.figure1}
    assert set(shares) == {"AGRI", "DIGI"}
    assert sum(s.share for s in sheet.figure1) == pytest.approx(1.0)
    assert shares["DIGI"].share == pytest.approx(1200 / 2000)


def test_a_region_keeps_the_rows_of_all_its_nuts_codes(sheet) -> None:
    grand_est = sheet.for_region("44")
    assert [r.region for r in grand_est.table1] == ["FR21"]
    assert sheet.for_region("11").table1[0].region == "FR10"
    assert sheet.for_region("76").table1 == ()


def test_occitanie_is_midi_pyrenees_and_languedoc_roussillon_in_every_nuts_version() -> None:
    assert {"FR62", "FR81", "FRJ", "FRJ1", "FRJ2"} <= nuts_codes_of("76")
    assert nuts_codes_of("04") == {"FR94", "FRA4", "FRY4"}
    assert nuts_codes_of("99") == frozenset()


def test_a_year_without_data_is_refused_with_the_years_there_are(small_tsv: Path) -> None:
    with pytest.raises(OptionError, match="2013, 2014"):
        build(read_panel(small_tsv, filters=["indic_sb=V16110"]), year=2010)
