"""Properties of the ECCP flags and the stars on random panels (hypothesis, DuckDB)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from poles.observatory import api
from poles.observatory.io import Panel

SECTORS = ["C10", "C11", "C20", "J62"]


def _panel(values: list[int]) -> Panel:
    n_regions = len(values) // len(SECTORS)
    regions = [f"XX{i:02d}" for i in range(n_regions)]
    table = pa.table(
        {
            "region": [r for r in regions for _ in SECTORS],
            "sector": SECTORS * n_regions,
            "year": pa.array([2013] * (n_regions * len(SECTORS)), pa.int64()),
            "value": pa.array(values[: n_regions * len(SECTORS)], pa.float64()),
        }
    )
    return Panel(table=table, source="random")


panels = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.lists(
        st.integers(min_value=1, max_value=10**5),
        min_size=n * len(SECTORS),
        max_size=n * len(SECTORS),
    )
)


@settings(max_examples=15, deadline=None)
@given(values=panels)
def test_eccp_flags_follow_their_thresholds(values: list[int]) -> None:
    frame = api.location_quotients(_panel(values), reference="input").frame
    assert (frame.agglomeration == (frame.lq > 1.5)).all()
    assert (frame.relevant == (frame.agglomeration & (frame.share >= 0.01))).all()
    assert np.allclose(frame.groupby("region").share.sum(), 1.0)


@settings(max_examples=15, deadline=None)
@given(values=panels)
def test_size_stars_go_to_the_top_tenth_of_regions(values: list[int]) -> None:
    frame = api.stars(_panel(values), reference="input").frame
    for _, part in frame.groupby("sector"):
        n = len(part)
        best = part.value.max()
        assert part.loc[part.value == best, "size_star"].all()
        if part.value.is_unique:
            assert part.size_star.sum() == math.ceil(n / 10)
        assert (part.specialisation_star == (part.lq >= 2)).all()
        assert (
            part.stars == part.size_star.astype(int) + part.focus_star + part.specialisation_star
        ).all()
