"""NumPy arrays as Arrow arrays built from their buffers: no copy, NaN as null by a bitmap.

`pyarrow.array(ndarray, mask=…)` converts element by element and looks for pandas objects on the
way; output columns of millions of cells are wrapped here from their buffers instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray


def arrow(values: NDArray[Any], *, nan_is_null: bool = False) -> pa.Array:
    """A primitive Arrow array over `values` (contiguous copy only if needed); with
    `nan_is_null`, NaN becomes null."""
    values = np.ascontiguousarray(values)
    if values.dtype == np.bool_:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    kind = pa.from_numpy_dtype(values.dtype)
    validity = None
    nulls = 0
    if nan_is_null and values.dtype.kind == "f":
        missing = np.isnan(values)
        nulls = int(np.count_nonzero(missing))
        if nulls:
            validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(
        kind, len(values), [validity, pa.py_buffer(values)], null_count=nulls
    )


def numpy(values: pa.Array) -> NDArray[Any]:
    """A primitive Arrow array as NumPy, read from its buffers (a view when nothing is missing;
    missing numbers become NaN). `Array.to_numpy` would import pandas on its first call."""
    if not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
        other: NDArray[Any] = values.to_numpy(zero_copy_only=False)  # pragma: no cover
        return other  # pragma: no cover - not on our paths
    dtype = values.type.to_pandas_dtype()
    data = values.buffers()[1]
    if data is None:  # pragma: no cover - an array of nulls only
        return np.full(len(values), np.nan)
    out: NDArray[Any] = np.frombuffer(
        data, dtype=dtype, count=len(values), offset=values.offset * np.dtype(dtype).itemsize
    )
    if values.null_count:
        bits = np.frombuffer(values.buffers()[0], dtype=np.uint8)
        present = np.unpackbits(bits, bitorder="little", count=values.offset + len(values))
        out = out.astype(np.float64)
        out[present[values.offset :] == 0] = np.nan
    return out


def strings(values: Sequence[str]) -> pa.Array:
    """A string array of Python strings, built from its buffers."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    if encoded:
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets), data])


def scalar(value: int | float | str, kind: Any = None) -> pa.Scalar:
    """An Arrow scalar for a kernel, built from buffers: `pa.scalar(0)` (and a bare 0 or ""
    given to a kernel) imports pandas, a quarter of a second a command does not otherwise pay.
    `kind`: the NumPy type of a number (int64 or float64 by default)."""
    if isinstance(value, str):
        return strings([value])[0]
    return arrow(np.array([value], dtype=kind))[0]


#: A missing string, for kernels that take a scalar.
NULL_STRING = pa.nulls(1, pa.string())[0]
