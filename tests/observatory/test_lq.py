"""Location quotients: formula, references, totals, missing cells, EconGeo's example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poles.observatory import api
from poles.observatory.errors import OptionError, SelectionError
from poles.observatory.io import Panel, read_panel


def _panel(rows: list[tuple[str, str, int, float | None]]) -> Panel:
    region, sector, year, value = zip(*rows, strict=True)
    table = pa.table(
        {
            "region": list(region),
            "sector": list(sector),
            "year": pa.array(year, pa.int64()),
            "value": pa.array(value, pa.float64()),
        }
    )
    return Panel(table=table, source="test")


def _cell(result: api.Result, region: str, sector: str, year: int = 2013) -> dict[str, object]:
    f = result.frame
    rows = f[(f.region == region) & (f.sector == sector) & (f.year == year)].to_dict("records")
    assert len(rows) == 1
    return rows[0]


@pytest.fixture
def small(small_tsv: Path) -> Panel:
    return read_panel(small_tsv, filters=["indic_sb=V16110"])


def test_lq_against_the_country_divides_regional_by_national_shares(small: Panel) -> None:
    result = api.location_quotients(small, reference="country")
    cell = _cell(result, "FR21", "C10")
    assert cell["region_total"] == 500.0
    assert cell["share"] == pytest.approx(0.5)
    assert cell["lq"] == pytest.approx((250 / 500) / (300 / 1000), rel=1e-15)
    assert cell["agglomeration"] and cell["relevant"]


def test_lq_against_the_eu_uses_the_member_states_national_rows(small: Panel) -> None:
    result = api.location_quotients(small, reference="eu")
    assert _cell(result, "FR21", "C10")["lq"] == pytest.approx(0.5 / (500 / 2000), rel=1e-15)


def test_lq_against_the_input_uses_every_region_of_the_level(small: Panel) -> None:
    result = api.location_quotients(small, reference="input")
    # C10 in FR10, FR21, DE11: 50 + 250 + 200 over totals 500 + 500 + 1000
    assert _cell(result, "FR21", "C10")["lq"] == pytest.approx(0.5 / (500 / 2000), rel=1e-15)


def test_lq_of_exactly_one_and_a_half_is_not_an_agglomeration(small: Panel) -> None:
    cell = _cell(api.location_quotients(small, reference="country"), "FR10", "J62")
    assert cell["lq"] == pytest.approx(1.5)
    assert not cell["agglomeration"]


def test_missing_cell_has_no_lq_and_is_counted_in_the_notes(small: Panel) -> None:
    result = api.location_quotients(small, reference="country")
    cell = _cell(result, "FR10", "C11")
    assert np.isnan(cell["value"]) and np.isnan(cell["lq"])
    assert not cell["agglomeration"]
    assert result.notes["missing_cells"] == 2  # FR10 C11 in 2013 and 2014
    # the region total is the sum of the cells present, never treating the missing one as zero
    assert _cell(result, "FR10", "C10")["region_total"] == 500.0


def test_sections_and_aggregates_are_never_mixed_with_divisions(small: Panel) -> None:
    divisions = api.location_quotients(small, level="division").frame
    sections = api.location_quotients(small, level="section").frame
    aggregates = api.location_quotients(small, level="aggregate").frame
    assert set(divisions.sector) == {"C10", "C11", "J62"}
    assert set(sections.sector) == {"C"}
    assert set(aggregates.sector) == {"B-E"}


def test_total_sector_when_present_is_the_regional_total() -> None:
    panel = _panel(
        [
            ("FR", "TOTAL", 2013, 1000.0),
            ("FR", "C10", 2013, 100.0),
            ("FR", "J62", 2013, 100.0),
            ("FR10", "TOTAL", 2013, 400.0),
            ("FR10", "C10", 2013, 80.0),
            ("FR10", "J62", 2013, 20.0),
        ]
    )
    cell = _cell(api.location_quotients(panel, reference="country"), "FR10", "C10")
    assert cell["region_total"] == 400.0
    assert cell["lq"] == pytest.approx((80 / 400) / (100 / 1000))


def test_country_option_reports_one_country_but_compares_with_all(small: Panel) -> None:
    everyone = api.location_quotients(small, reference="input").frame
    france = api.location_quotients(small, reference="input", country="fr").frame
    assert set(france.region) == {"FR10", "FR21"}
    merged = france.merge(everyone, on=["region", "sector", "year"], suffixes=("", "_all"))
    assert np.allclose(merged.lq, merged.lq_all, equal_nan=True)


def test_nuts_level_one_reads_the_one_character_codes(small: Panel) -> None:
    frame = api.location_quotients(small, nuts_level=1).frame
    assert set(frame.region) == {"FR1", "FR2", "DE1"}


def test_unknown_country_is_an_empty_selection_with_the_countries_present(small: Panel) -> None:
    with pytest.raises(SelectionError, match=r"no region of NUTS level 2 in country IT.*DE, FR"):
        api.location_quotients(small, country="IT")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("reference", "world", "reference must be one of country, eu, input"),
        ("level", "digit", "level must be one of"),
        ("nuts_level", 4, "nuts_level must be 0, 1, 2 or 3"),
        ("country", "France", "two-letter code"),
        ("eu", "EU12", "eu must be one of"),
    ],
)
def test_bad_options_name_the_parameter_and_the_value(
    small: Panel, option: str, value: object, message: str
) -> None:
    with pytest.raises(OptionError, match=message):
        api.location_quotients(small, **{option: value})


# EconGeo's documented example of location_quotient(mat): five regions, five industries.
ECONGEO_MAT = np.array(
    [
        [100, 0, 0, 0, 0],
        [0, 15, 5, 70, 10],
        [0, 20, 10, 20, 50],
        [0, 25, 30, 5, 40],
        [0, 40, 55, 5, 0],
    ],
    dtype=float,
)
# Every row and column sums to 100 of 500, so each industry's share of the total is 0.2 and
# location_quotient(mat) = mat / 20. With binary = TRUE EconGeo sets LQ < 1 to 0 and LQ > 1 to 1,
# so the cells equal to 1 (R3-I2, R3-I4) stay 1: binary means LQ ≥ 1, like M (RCA ≥ 1).
ECONGEO_LQ = ECONGEO_MAT / 20
ECONGEO_BINARY = (ECONGEO_LQ >= 1).astype(float)
assert ECONGEO_BINARY[2, 1] == 1 and ECONGEO_BINARY[2, 3] == 1


def _matrix_panel(mat: np.ndarray) -> Panel:
    regions = [f"XX{i + 1}" for i in range(mat.shape[0])]
    sectors = [f"C{10 + j}" for j in range(mat.shape[1])]
    rows = [
        (regions[i], sectors[j], 2013, float(mat[i, j]))
        for i in range(mat.shape[0])
        for j in range(mat.shape[1])
    ]
    return _panel(rows)


def test_lq_matches_econgeo_location_quotient_example() -> None:
    frame = api.location_quotients(
        _matrix_panel(ECONGEO_MAT), nuts_level=1, reference="input"
    ).frame
    lq = frame.pivot(index="region", columns="sector", values="lq").to_numpy()
    assert np.allclose(lq, ECONGEO_LQ, rtol=0, atol=1e-12)
    from poles.observatory.algebra import presence, rca

    assert np.allclose(rca(ECONGEO_MAT), ECONGEO_LQ, rtol=0, atol=1e-12)
    assert np.array_equal(presence(rca(ECONGEO_MAT)), ECONGEO_BINARY)


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.integers(min_value=1, max_value=10**6), min_size=6, max_size=6),
    scale=st.integers(min_value=2, max_value=1000),
)
def test_lq_is_unchanged_when_every_value_is_scaled(values: list[int], scale: int) -> None:
    mat = np.array(values, dtype=float).reshape(2, 3)
    base = api.location_quotients(_matrix_panel(mat), nuts_level=1, reference="input").frame
    scaled = api.location_quotients(
        _matrix_panel(mat * scale), nuts_level=1, reference="input"
    ).frame
    assert np.allclose(base.lq, scaled.lq, rtol=1e-12)
    # the employment-weighted mean of a sector's LQ over the regions is 1
    weights = base.region_total * base.share
    per_sector = (base.lq * base.region_total).groupby(
        base.sector
    ).sum() / base.region_total.groupby(base.sector).sum()
    assert np.allclose(per_sector, 1.0, rtol=1e-12)
    assert weights.sum() == pytest.approx(mat.sum())
