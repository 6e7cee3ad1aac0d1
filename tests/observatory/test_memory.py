"""While a command computes year after year, freed matrices stay in the process for the next
year; afterwards the memory goes back to the system."""

from __future__ import annotations

import ctypes
import os

import numpy as np
import pytest

from poles.observatory.memory import _glibc, keep_freed_memory

pytestmark = pytest.mark.skipif(_glibc() is None, reason="mallopt and malloc_trim are glibc's")


def _resident_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _touch_and_free(mib: int) -> None:
    block = np.empty(mib * 2**17)  # 8-byte floats
    block.fill(1.0)
    del block


def test_freed_memory_is_kept_inside_and_returned_after() -> None:
    before = _resident_mib()
    with keep_freed_memory():
        _touch_and_free(256)
        kept = _resident_mib()
    after = _resident_mib()
    assert kept - before > 200  # the freed block is still in the process
    assert after - before < 50  # and handed back on leaving


def test_outside_large_blocks_go_back_at_once() -> None:
    before = _resident_mib()
    _touch_and_free(256)
    assert _resident_mib() - before < 50


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _mmapped_blocks() -> int:
    libc = _glibc()
    libc.mallinfo2.restype = _Mallinfo2
    return int(libc.mallinfo2().hblks)


@pytest.mark.parametrize("mib", [1, 16])
def test_after_leaving_middle_sized_blocks_still_come_from_the_heap(mib: int) -> None:
    """Setting glibc's thresholds once switches its own adjustment off: leaving must not leave
    the process with a threshold that sends every block above 128 KiB to the kernel."""
    if not hasattr(_glibc(), "mallinfo2"):
        pytest.skip("mallinfo2 needs glibc 2.33 or later")
    with keep_freed_memory():
        _touch_and_free(64)
    before = _mmapped_blocks()
    block = bytearray(mib * 2**20)
    assert _mmapped_blocks() == before
    del block


def test_nested_blocks_keep_memory_until_the_outermost_ends() -> None:
    before = _resident_mib()
    with keep_freed_memory():
        with keep_freed_memory():
            pass
        _touch_and_free(256)
        assert _resident_mib() - before > 200  # the inner block's end did not give it back
    assert _resident_mib() - before < 50
