"""Shared test helpers: where ../shared/data is, and the rule for skipping without it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # helpers such as `factories` import by name

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("POLES_SHARED_DATA", PROJECT_DIR.parent / "shared" / "data"))
TEST_DATA = Path(__file__).resolve().parent / "data"

import hypothesis_profiles  # noqa: E402  (on the path just above)

hypothesis_profiles.load(os.environ)


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


@pytest.fixture
def register(db):
    """The shared test world: two clusters in two regions, members, projects, sentinels."""
    from factories import build_register

    return build_register()


@pytest.fixture
def cluster_a(register):
    return register.cluster_a


@pytest.fixture
def cluster_b(register):
    return register.cluster_b


@pytest.fixture
def users(register):
    """role -> User for each role of the permission matrix (None for anonymous)."""
    from factories import build_users

    return build_users(register)


REFERENCE_LOAD: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the reference data (territories, nomenclatures) loaded once."""
    import time

    from poles.nomenclatures.loaders import load_nomenclatures
    from poles.territories.loaders import load_territories

    with django_db_blocker.unblock():
        started = time.perf_counter()
        counts = load_territories() | load_nomenclatures()
        REFERENCE_LOAD.update(counts=counts, seconds=time.perf_counter() - started)


@pytest.fixture(scope="session")
def reference_data(django_db_setup):
    """What the session's reference-data load wrote (`counts` per table) and took (`seconds`)."""
    from types import SimpleNamespace

    return SimpleNamespace(**REFERENCE_LOAD)


def _flushes_tables(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run tests that flush every table (live server, browser) last, after every other test.

    pytest-django runs them before the tests without the `db` fixture, but some of those read the
    session's reference data through module-scoped fixtures; the stable sort keeps the rest of
    pytest-django's order.
    """
    items.sort(key=_flushes_tables)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, browser) flush every table: reload the reference data."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from poles.territories.models import Region

    if not Region.objects.exists():
        from poles.nomenclatures.loaders import load_nomenclatures
        from poles.territories.loaders import load_territories

        load_territories()
        load_nomenclatures()
