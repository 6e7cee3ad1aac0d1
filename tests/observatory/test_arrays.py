"""Arrow arrays read as NumPy from their buffers agree with Arrow's own conversion."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from poles.observatory.arrays import numpy

VALUES = st.lists(st.one_of(st.none(), st.integers(-100, 100)), max_size=40)


@given(VALUES, st.integers(0, 10), st.integers(0, 40), st.sampled_from(["int8", "int32", "int64", "float64"]))
def test_numpy_of_a_slice_equals_arrow_to_numpy(values, start, length, kind) -> None:
    array = pa.array(values, type=getattr(pa, kind)())[start : start + length]
    ours = numpy(array)
    theirs = array.to_numpy(zero_copy_only=False)
    assert len(ours) == len(theirs)
    assert np.array_equal(ours.astype(np.float64), theirs.astype(np.float64), equal_nan=True)
    if not array.null_count:
        assert ours.dtype == np.dtype(kind)
