"""Keep the memory NumPy frees in the process while a command computes one year after another.

Each year allocates matrices of the same sizes as the year before. By default glibc gives
allocations above 32 MiB (and freed space at the top of its heap) back to the system, so every
year's matrices are new pages that the kernel must zero on first touch; on a virtual machine
that zeroing cost more than the algebra (0.5 to 3 s of system time on the 3,000 × 700 × 3
panel, 0.2 to 0.5 s with the memory kept). Inside `keep_freed_memory()` large blocks come from
the heap and freed ones stay there for the next year; on leaving, the defaults come back and
the unused memory is returned (`malloc_trim`). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

# mallopt parameters and glibc's defaults (malloc.h, mallopt(3))
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
DEFAULT_TRIM_THRESHOLD = 128 * 1024
DEFAULT_MMAP_MAX = 65536
KEEP = 2**31 - 1  # the largest value mallopt takes


@lru_cache(maxsize=1)
def _glibc() -> Any:
    """The C library when it is glibc (it has `mallopt` and `malloc_trim`), else None."""
    name = ctypes.util.find_library("c")
    if name is None:  # pragma: no cover - no C library found (not Linux)
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # pragma: no cover - musl, macOS
        return None
    return libc


@contextmanager
def keep_freed_memory() -> Iterator[None]:
    """Large allocations from the heap and freed memory kept for reuse, until the block ends."""
    libc = _glibc()
    if libc is None:  # pragma: no cover - not glibc
        yield
        return
    libc.mallopt(M_MMAP_MAX, 0)
    libc.mallopt(M_TRIM_THRESHOLD, KEEP)
    try:
        yield
    finally:
        libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
        libc.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD)
        libc.malloc_trim(0)
