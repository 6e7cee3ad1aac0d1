"""Eurostat's standard breakdowns (A*10, A*21, A*38) from the codes a file holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from poles.observatory import api
from poles.observatory.cli import main
from poles.observatory.codes import BREAKDOWNS, SECTION_DIVISIONS, breakdown_map, group_title
from poles.observatory.io import Panel, read_panel

#: A regional-accounts-shaped dump (unit, wstatus, nace_r2, geo): TOTAL, the ten A*10 codes
#: (sections A F J K L and the aggregates B-E G-I M_N O-Q R-U) and C, which is part of B-E.
FIXTURE = Path(__file__).resolve().parent / "data" / "nama_a10_small.tsv"
A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


@pytest.fixture
def panel() -> Panel:
    return read_panel(FIXTURE, filters=["unit=THS"])


def test_a10_reads_the_ten_groups_in_one_run_without_counting_c_twice(panel: Panel) -> None:
    result = api.location_quotients(panel, level="a10", reference="country")
    frame = result.frame
    assert sorted(frame["sector"].unique()) == sorted(A10)
    fr10 = frame[(frame.region == "FR10") & (frame.year == 2016)].set_index("sector")
    assert fr10["value"].sum() == 6000  # the ten groups add up to TOTAL: C is not added to B-E
    assert (fr10["region_total"] == 6000).all()
    assert fr10.loc["J", "lq"] == pytest.approx((600 / 6000) / (800 / 27000), rel=1e-12)
    assert fr10.loc["B-E", "label"] == "B-E - Industry (except construction)"


def test_a10_keeps_missing_cells_missing(panel: Panel) -> None:
    frame = api.location_quotients(panel, level="a10").frame
    cell = frame[(frame.region == "FR21") & (frame.sector == "J") & (frame.year == 2015)]
    assert len(cell) == 1 and cell["value"].isna().all() and cell["lq"].isna().all()
    assert frame.loc[frame.year == 2015, "value"].notna().sum() == 3 * 10 - 1


def test_a10_agglomerations_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["agglomerations", str(FIXTURE), "--filter", "unit=THS", "--level", "a10", "--year", "2016"]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "FR21" in printed and "Agriculture" in printed


def test_groups_are_built_from_sections_when_the_aggregate_is_absent() -> None:
    codes = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "C10", "C11"]
    groups = breakdown_map("a10", codes)
    assert {c for c, g in groups.items() if g == "B-E"} == {"B", "C", "D", "E"}
    assert {c for c, g in groups.items() if g == "G-I"} == {"G", "H", "I"}
    assert "C10" not in groups  # C is whole: its divisions are not added again


def test_groups_are_built_from_divisions_when_nothing_coarser_is_there() -> None:
    groups = breakdown_map("a38", ["C10", "C11", "C12", "C13", "J62", "J63", "Q86"])
    assert groups == {
        "C10": "C10-C12",
        "C11": "C10-C12",
        "C12": "C10-C12",
        "C13": "C13-C15",
        "J62": "J62_J63",
        "J63": "J62_J63",
        "Q86": "Q86",
    }
    assert group_title("C10-C12").startswith("C10-C12 - Manufacture of food products")


@pytest.mark.parametrize("level", sorted(BREAKDOWNS))
def test_every_breakdown_covers_each_division_once(level: str) -> None:
    held = [d for divisions in BREAKDOWNS[level].values() for d in divisions]
    every = [d for divisions in SECTION_DIVISIONS.values() for d in divisions]
    assert sorted(held) == sorted(every)
    assert len(BREAKDOWNS[level]) == int(level[1:])
