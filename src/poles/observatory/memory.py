"""Keep the memory NumPy frees in the process while a command computes one year after another.

Each year allocates matrices of the same sizes as the year before. By default glibc gives
allocations above 32 MiB (and freed space at the top of its heap) back to the system, so every
year's matrices are new pages that the kernel must zero on first touch; on a virtual machine
that zeroing cost more than the algebra (0.5 to 3 s of system time on the 3,000 × 700 × 3
panel, 0.2 to 0.5 s with the memory kept). Inside `keep_freed_memory()` large blocks come from
the heap and freed ones stay there for the next year; on leaving, the unused memory is returned
(`malloc_trim`) and the process keeps the thresholds glibc reaches by itself once it has freed
a large block (32 MiB for mmap, 64 MiB for trimming). Those are not glibc's starting values on
purpose: any `mallopt` call switches glibc's self-adjusting threshold off for good, and fixed
starting values (128 KiB) would send every allocation above that size to the kernel for the rest
of the process, eleven times slower for 600 KB blocks on this VM (a notebook, or the test
process after its first observatory test: web tests 8 % slower). Blocks nest and threads share
them: the settings are the process's, so the outermost block restores them. Elsewhere than
glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from threading import Lock
from typing import Any

# mallopt parameters (malloc.h, mallopt(3)) and the values glibc's own adjustment climbs to on
# 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX, and twice that for trimming)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_MMAP_MAX = -4
SETTLED_MMAP_THRESHOLD = 32 * 2**20
SETTLED_TRIM_THRESHOLD = 2 * SETTLED_MMAP_THRESHOLD
DEFAULT_MMAP_MAX = 65536
KEEP = 2**31 - 1  # the largest value mallopt takes

_depth = 0
_depth_lock = Lock()


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
    global _depth
    with _depth_lock:
        _depth += 1
        if _depth == 1:
            libc.mallopt(M_MMAP_MAX, 0)
            libc.mallopt(M_TRIM_THRESHOLD, KEEP)
    try:
        yield
    finally:
        with _depth_lock:
            _depth -= 1
            if _depth == 0:
                libc.mallopt(M_MMAP_THRESHOLD, SETTLED_MMAP_THRESHOLD)
                libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
                libc.mallopt(M_TRIM_THRESHOLD, SETTLED_TRIM_THRESHOLD)
                libc.malloc_trim(0)
