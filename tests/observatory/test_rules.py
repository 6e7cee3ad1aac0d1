"""European Cluster Observatory stars and US Cluster Mapping strong clusters on a small panel."""

from __future__ import annotations

from pathlib import Path

import pytest

from poles.observatory import api
from poles.observatory.errors import OptionError
from poles.observatory.io import Panel, parse_eurostat, read_panel, select


@pytest.fixture
def panel(small_tsv: Path) -> Panel:
    source = parse_eurostat(small_tsv)
    employment = select(source, filters=["indic_sb=V16110"], years=[2013])
    return api.with_establishments(
        employment, select(source, filters=["indic_sb=V11210"], years=[2013])
    )


def _rows(result: api.Result) -> dict[tuple[str, str], dict[str, object]]:
    return {(r["region"], r["sector"]): r for r in result.frame.to_dict("records")}


def test_region_first_in_size_focus_and_lq_of_two_gets_three_stars(panel: Panel) -> None:
    rows = _rows(api.stars(panel, reference="eu"))
    fr21 = rows[("FR21", "C10")]  # largest C10 employment, 50% of the region, LQ exactly 2
    assert fr21["lq"] == pytest.approx(2.0)
    assert (fr21["size_star"], fr21["focus_star"], fr21["specialisation_star"], fr21["stars"]) == (
        True,
        True,
        True,
        3,
    )


def test_size_and_focus_stars_go_to_different_regions_when_they_differ(panel: Panel) -> None:
    rows = _rows(api.stars(panel, reference="eu"))
    assert rows[("DE11", "J62")]["size_star"] and not rows[("DE11", "J62")]["focus_star"]
    assert rows[("FR10", "J62")]["focus_star"] and not rows[("FR10", "J62")]["size_star"]
    assert rows[("FR10", "J62")]["stars"] == 1


def test_missing_cells_get_no_stars_row(panel: Panel) -> None:
    assert ("FR10", "C11") not in _rows(api.stars(panel))


def test_strong_cluster_needs_top_quartile_lq_and_size_above_the_bottom_quartile(
    panel: Panel,
) -> None:
    rows = _rows(api.strong_clusters(panel, reference="input"))
    assert rows[("FR21", "C10")]["strong"]  # LQ 2.0, largest employment and establishments
    assert rows[("FR10", "J62")]["strong"]  # LQ 1.5 first, employment and establishments mid-rank
    assert not rows[("DE11", "C10")]["strong"]  # LQ 0.8
    # C11: two regions with the same LQ share the lowest percentile rank: neither is strong
    assert not rows[("FR21", "C11")]["strong"] and not rows[("DE11", "C11")]["strong"]
    assert rows[("FR21", "C10")]["lq_pct"] == 1.0


def test_strong_clusters_without_establishments_is_an_option_error(small_tsv: Path) -> None:
    employment = read_panel(small_tsv, filters=["indic_sb=V16110"])
    with pytest.raises(OptionError, match="establishment counts"):
        api.strong_clusters(employment)
