"""Shared test helpers: where ../shared/data is, and the rule for skipping without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("POLES_SHARED_DATA", PROJECT_DIR.parent / "shared" / "data"))
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_file(relative: str) -> Path:
    """A file of ../shared/data; skips (or fails under POLES_REQUIRE_SHARED_DATA=1) when absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        reason = f"real data {path} is not here (clone ../shared beside the project to run this test)"
        if os.environ.get("POLES_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"POLES_REQUIRE_SHARED_DATA=1 but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture
def shared_data():
    """The function `shared_file`, as a fixture."""
    return shared_file
