"""Each year's matrix is the same however the panel's rows are split into chunks (record batches
of one year or of several), and equals a plain pivot of the rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poles.observatory import algebra, cube
from poles.observatory.errors import InputFormatError

REGIONS = ["FR1", "FR2", "DE1", "DE2", "ITC", "ES5"]
SECTORS = ["C10", "C11", "C26", "J62", "M72"]


@st.composite
def panels(draw: st.DrawFn) -> tuple[pa.Table, int]:
    cells = draw(
        st.lists(
            st.tuples(
                st.integers(2015, 2017),
                st.sampled_from(REGIONS),
                st.sampled_from(SECTORS),
                st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)),
            ),
            min_size=1,
            max_size=60,
            unique_by=lambda c: c[:3],
        )
    )
    if draw(st.booleans()):
        cells.sort()  # a file sorted by year: chunks of one year, as large files mostly are
    table = pa.table(
        {
            "region": pa.array([c[1] for c in cells]).dictionary_encode(),
            "sector": pa.array([c[2] for c in cells]).dictionary_encode(),
            "year": pa.array([c[0] for c in cells], pa.int64()),
            "value": pa.array([c[3] for c in cells], pa.float64()),
        }
    )
    return table, draw(st.integers(1, 8))


def _chunked(table: pa.Table, size: int) -> pa.Table:
    return pa.Table.from_batches(table.to_batches(max_chunksize=size))


@settings(max_examples=80, deadline=None)
@given(panels())
def test_matrices_do_not_depend_on_how_rows_are_chunked(case: tuple[pa.Table, int]) -> None:
    table, size = case
    frame = table.to_pandas()
    frame["region"] = frame["region"].astype(str)
    frame["sector"] = frame["sector"].astype(str)
    expected = algebra.to_matrices(frame.dropna(subset=["value"]))
    got = {
        ym.year: ym
        for ym in cube.matrices(
            cube.encode(_chunked(table, size)), nuts=1, sectors=cube.level_map("division")
        )
    }
    for year, (regions, sectors, x) in expected.items():
        if x.size == 0:
            continue
        ym = got[year]
        assert list(ym.regions) == list(regions)
        assert list(ym.sectors) == list(sectors)
        np.testing.assert_array_equal(np.nan_to_num(ym.values, nan=-1), np.nan_to_num(x, nan=-1))


def test_a_cell_given_twice_in_different_chunks_is_named() -> None:
    table = pa.table(
        {
            "region": ["FR1", "FR2", "FR1"],
            "sector": ["C10", "C10", "C10"],
            "year": pa.array([2015, 2015, 2015], pa.int64()),
            "value": [1.0, 2.0, 3.0],
        }
    )
    codes = cube.encode(_chunked(table, 1))
    with pytest.raises(InputFormatError, match="FR1 and sector C10 appear 2 times in 2015"):
        list(cube.matrices(codes, nuts=1, sectors=cube.level_map("division")))


def test_grouped_sectors_sum_their_codes_across_chunks_and_stay_missing_when_all_are() -> None:
    table = pa.table(
        {
            "region": ["FR1", "FR1", "FR1", "FR2", "FR2", "FR1", "FR2"],
            "sector": ["C10", "C11", "J62", "C10", "C11", "J62", "J62"],
            "year": pa.array([2015] * 5 + [2016] * 2, pa.int64()),
            "value": [1.0, 2.0, 4.0, None, None, 5.0, 6.0],
        }
    )
    group = {"C10": "C10-C12", "C11": "C10-C12", "J62": "J62"}.get
    out = {
        ym.year: ym
        for ym in cube.matrices(
            cube.encode(_chunked(table, 2)), nuts=1, sectors=group, drop_empty=False
        )
    }
    assert list(out[2015].sectors) == ["C10-C12", "J62"]
    np.testing.assert_array_equal(out[2015].values[0], [3.0, 4.0])
    assert np.isnan(out[2015].values[1, 0])
    np.testing.assert_array_equal(out[2016].values[:, 1], [5.0, 6.0])


def test_kept_grids_give_the_same_table_and_follow_a_change_of_regions() -> None:
    regions = np.asarray(["FR1", "FR2", "DE1"], dtype=object)
    sectors = np.asarray(["C10", "J62"], dtype=object)
    values = np.arange(6, dtype=np.float64).reshape(3, 2)
    grids = cube.Grids()
    fresh = cube.long_table(2015, regions, sectors, cells={"value": values})
    kept = cube.long_table(2015, regions, sectors, cells={"value": values}, grids=grids)
    again = cube.long_table(2016, regions, sectors, cells={"value": values}, grids=grids)
    assert kept.equals(fresh)
    assert again["region"].to_pylist() == fresh["region"].to_pylist()
    french = cube.long_table(
        2015, regions, sectors, cells={"value": values},
        keep_regions=np.asarray([True, True, False]), grids=grids,
    )
    assert french["region"].to_pylist() == ["FR1", "FR1", "FR2", "FR2"]
    assert french["value"].to_pylist() == [0.0, 1.0, 2.0, 3.0]
