"""RCA … COG against py-ecomplexity on real Eurostat data; relatedness against EconGeo."""

from __future__ import annotations

import warnings
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from poles.observatory import algebra as cx
from poles.observatory import api
from poles.observatory.io import read_panel

COLUMNS = {"time": "year", "loc": "region", "prod": "sector", "val": "value"}


@pytest.fixture(scope="module")
def real_2013(request: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Ours and py-ecomplexity's outputs on NUTS-2 × NACE divisions, persons employed, 2013."""
    ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
    from tests.conftest import shared_file

    path = shared_file("eurostat/sbs_r_nuts06_r2.tsv.gz")
    panel = read_panel(path, filters=["indic_sb=V16110"], years=[2013])
    ours = api.complexity(panel, reference="input").frame
    cells = api._cells(panel, api.Options(), None)
    # py-ecomplexity coerces missing values to zero (with a warning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = ecomplexity(
            cells[["year", "region", "sector", "value"]],
            COLUMNS,
            check_logsupermodularity=False,
            verbose=False,
        )
    return ours, peer, cells


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("m", "mcp"),
        ("diversity", "diversity"),
        ("ubiquity", "ubiquity"),
        ("density", "density"),
        ("eci", "eci"),
        ("pci", "pci"),
        ("coi", "coi"),
        ("cog", "cog"),
    ],
)
def test_indicator_equals_py_ecomplexity_on_real_data(
    real_2013: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], ours: str, theirs: str
) -> None:
    mine, peer, _ = real_2013
    merged = mine.merge(peer, on=["region", "sector", "year"], suffixes=("", "_peer"), how="inner")
    assert len(merged) == len(mine) > 10_000
    a = merged[ours].to_numpy(float)
    b = merged[f"{theirs}_peer" if theirs in mine.columns else theirs].to_numpy(float)
    assert np.isfinite(a).all() and np.isfinite(b).all()
    assert np.max(np.abs(a - b)) < 1e-9


@pytest.mark.shared_data
def test_rca_equals_py_ecomplexity_where_the_cell_is_present(
    real_2013: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    mine, peer, _ = real_2013
    merged = mine.merge(peer, on=["region", "sector", "year"], suffixes=("", "_peer"))
    present = merged.value.notna()
    assert np.max(np.abs(merged.rca[present] - merged.rca_peer[present])) < 1e-9


@pytest.mark.shared_data
def test_missing_cells_have_no_rca_and_no_specialisation(
    real_2013: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    """Convention difference 1: py-ecomplexity means to coerce missing values to 0 (so RCA 0;
    with pandas 3 its in-place `fillna` is a no-op and RCA comes out missing); we keep the RCA
    missing. M = 0 there either way, so every other indicator is identical."""
    mine, peer, _ = real_2013
    merged = mine.merge(peer, on=["region", "sector", "year"], suffixes=("", "_peer"))
    missing = merged.value.isna()
    assert missing.sum() > 100
    assert merged.rca[missing].isna().all()
    assert (merged.rca_peer[missing].isna() | (merged.rca_peer[missing] == 0)).all()
    assert (merged.m[missing] == 0).all() and (merged.mcp[missing] == 0).all()


@pytest.mark.shared_data
def test_regions_without_any_value_are_dropped_as_py_ecomplexity_does(
    real_2013: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    """Convention difference 2: py-ecomplexity keeps the dropped rows in its output with NaN
    indicators; ours leaves them out of the output."""
    mine, peer, cells = real_2013
    empty = set(
        cells.groupby("region").value.sum(min_count=1).loc[lambda s: s.isna() | (s == 0)].index
    )
    assert empty and not empty & set(mine.region)
    assert peer[peer.region.isin(empty)].eci.isna().all()


# EconGeo's relatedness(mat, method = "prob") on a small co-occurrence matrix, by hand:
# c = [[0, 2, 1], [2, 0, 3], [1, 3, 0]], column sums s = (3, 5, 4), t = 12, and
# r_ij = c_ij / ((s_j/t · s_i/(t - s_j) + s_i/t · s_j/(t - s_i)) · t/2)
COOC = np.array([[0, 2, 1], [2, 0, 3], [1, 3, 0]], dtype=float)
R01, R02, R12 = Fraction(21, 20), Fraction(12, 17), Fraction(28, 25)
RELATEDNESS = np.array([[0, R01, R02], [R01, 0, R12], [R02, R12, 0]], dtype=float)


def test_relatedness_prob_matches_econgeo_by_hand() -> None:
    assert np.allclose(cx.relatedness(COOC), RELATEDNESS, rtol=0, atol=1e-15)


def test_relatedness_ignores_the_diagonal_like_econgeo() -> None:
    with_diagonal = COOC + np.diag([5.0, 7.0, 9.0])
    assert np.array_equal(cx.relatedness(with_diagonal), cx.relatedness(COOC))


def test_relatedness_density_matches_econgeo_by_hand() -> None:
    m = np.array([[1, 0, 1], [0, 1, 0]], dtype=float)
    got = cx.relatedness_density(m, RELATEDNESS)
    expected = np.array(
        [
            [
                100 * float(R02 / (R01 + R02)),
                100.0,
                100 * float(R02 / (R02 + R12)),
            ],
            [
                100 * float(R01 / (R01 + R02)),
                0.0,
                100 * float(R12 / (R02 + R12)),
            ],
        ]
    )
    assert np.allclose(got, expected, rtol=0, atol=1e-12)


def test_econgeo_rounds_relatedness_density_to_two_digits_we_do_not() -> None:
    """Convention difference 3: EconGeo returns round(density, 2); we return full precision."""
    m = np.array([[1, 0, 1], [0, 1, 0]], dtype=float)
    got = cx.relatedness_density(m, RELATEDNESS)
    assert not np.array_equal(got, np.round(got, 2))


def test_econgeo_co_occurrence_drops_the_diagonal_by_default() -> None:
    m = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]], dtype=float)
    full = cx.co_occurrence(m)
    assert np.array_equal(np.diag(full), cx.ubiquity(m))
    assert np.array_equal(np.diag(cx.co_occurrence(m, diagonal=False)), np.zeros(3))


def test_proximity_keeps_a_unit_diagonal_as_py_ecomplexity_does() -> None:
    """Convention difference 4: proximity (py-ecomplexity) has φ_pp = 1 and the density
    counts the sector itself; EconGeo's relatedness has a zero diagonal."""
    m = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]], dtype=float)
    phi = cx.proximity(m)
    assert np.array_equal(np.diag(phi), np.ones(3))
    assert phi[0, 1] == pytest.approx(min(2 / 3, 2 / 3))


def test_sparse_and_dense_co_occurrence_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    m = (rng.random((400, 60)) < 0.05).astype(float)
    dense = cx.co_occurrence(m)
    monkeypatch.setattr(cx, "SPARSE_MIN_CELLS", 10)
    assert np.array_equal(cx.co_occurrence(m), dense)


@settings(max_examples=30, deadline=None)
@given(
    values=arrays(
        np.float64, (6, 5), elements=st.floats(min_value=1, max_value=1e6, allow_nan=False)
    )
)
def test_eci_is_standardised_and_proximity_symmetric(values: np.ndarray) -> None:
    m = cx.presence(cx.rca(values))
    if cx.diversity(m).min() == 0 or cx.ubiquity(m).min() == 0:
        return
    result = cx.complexity(values)
    if not np.isfinite(result.eci).all():
        return
    assert result.eci.mean() == pytest.approx(0.0, abs=1e-9)
    assert result.eci.std() == pytest.approx(1.0, abs=1e-9) or np.allclose(
        result.eci, result.eci[0]
    )
    assert np.allclose(result.proximity, result.proximity.T)
    assert ((result.proximity >= 0) & (result.proximity <= 1)).all()


@settings(max_examples=30, deadline=None)
@given(
    values=arrays(
        np.float64,
        (5, 4),
        elements=st.one_of(st.just(0.0), st.floats(min_value=1, max_value=1e6, allow_nan=False)),
    )
)
def test_rca_weighted_by_sector_shares_averages_to_one(values: np.ndarray) -> None:
    if (values.sum(axis=1) == 0).any() or (values.sum(axis=0) == 0).any():
        return
    r = cx.rca(values)
    weights = values.sum(axis=0) / values.sum()
    assert np.allclose((r * weights).sum(axis=1), 1.0)


def _aligned(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a * np.sign(a @ b)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int8, st.tuples(st.integers(3, 40), st.integers(2, 12)), elements=st.integers(0, 1)),
)
def test_second_eigenvector_equals_a_full_symmetric_solve(m: np.ndarray) -> None:
    m = m.astype(np.float64)
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0] if m.any() else m
    if m.shape[0] < 1 or m.shape[1] < 2 or not (m.sum(axis=0) > 0).all():
        return
    d, u = m.sum(axis=1), m.sum(axis=0)
    a = m / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
    s = a.T @ a
    values, vectors = np.linalg.eigh(s)
    ours = cx.second_eigenvector(s)
    n = len(values)
    assert np.linalg.norm(ours) == pytest.approx(1.0)
    # the eigenvalue ours belongs to is the second largest, whether or not it repeats
    assert ours @ s @ ours == pytest.approx(values[n - 2], abs=1e-10)
    gap = min(values[n - 1] - values[n - 2], values[n - 2] - values[n - 3] if n > 2 else np.inf)
    if gap > 1e-6:  # a simple eigenvalue: the same vector up to its sign
        assert np.abs(_aligned(ours, vectors[:, n - 2]) - vectors[:, n - 2]).max() < 1e-9


def test_second_eigenvector_of_a_repeated_eigenvalue_is_still_an_eigenvector() -> None:
    s = np.diag([3.0, 2.0, 2.0, 1.0])
    x = cx.second_eigenvector(s)
    assert np.allclose(s @ x, 2.0 * x) and np.linalg.norm(x) == pytest.approx(1.0)
