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


@pytest.fixture
def api_as(users):
    """api_as(role) -> a test client with that role's session (anonymous for 'anonymous')."""
    from django.test import Client

    def make(role: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def run_worker(monkeypatch):
    """run_worker() runs the database task worker until its queue is empty (`db_worker --batch`).

    Inside a test's transaction the worker must keep the test's connection: as Django's test client
    does around requests, its close_old_connections() is skipped (on PostgreSQL it would close the
    connection, and the test's transaction with it).
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The permission matrix's world (`factories.build_matrix_world`), built once per module.

    It lives in a transaction opened for the module and rolled back after its last test. Tests
    using it also take `db`, whose savepoint rolls each test's own writes back to this world, so
    no test's writes reach another's. The page cache is emptied so no page from another world is
    served.
    """
    from django.core.cache import cache
    from django.db import transaction
    from factories import build_matrix_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cache.clear()
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


REFERENCE_LOAD: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the reference data (territories, nomenclatures) loaded once."""
    import time

    from poles.nomenclatures.loaders import load_nomenclatures
    from poles.territories.loaders import load_territories

    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("createcachetable", database=CACHE_ALIAS)  # PostgreSQL: same database, second alias
        started = time.perf_counter()
        counts = load_territories() | load_nomenclatures()
        REFERENCE_LOAD.update(counts=counts, seconds=time.perf_counter() - started)


@pytest.fixture(scope="session")
def reference_data(django_db_setup):
    """What the session's reference-data load wrote (`counts` per table) and took (`seconds`)."""
    from types import SimpleNamespace

    return SimpleNamespace(**REFERENCE_LOAD)


CACHE_ALIAS = "cache"
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
               "live_server"}


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(item.fixturenames))


def _add_cache_database(items: list[pytest.Item]) -> None:
    """Every test that uses the database may also use the shared cache's connection (alias `cache`).

    The cache is the database cache on its own alias (or Redis): a test touching a page, a login or
    a counter reaches it, so it is one of the test's databases, rolled back with it.
    """
    from pytest_django.fixtures import validate_django_db

    for item in items:
        if not _uses_database(item):
            continue
        marker = item.get_closest_marker("django_db")
        transaction, reset, databases, serialized, apps = (
            validate_django_db(marker) if marker else (False, False, None, False, None)
        )
        if databases == "__all__" or (databases and CACHE_ALIAS in databases):
            continue
        item.add_marker(pytest.mark.django_db(
            transaction=transaction, reset_sequences=reset, serialized_rollback=serialized,
            available_apps=apps, databases=sorted({*(databases or ["default"]), CACHE_ALIAS}),
        ), append=False)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test that uses the database starts with an empty shared cache (pages, limits, figures)."""
    if not _uses_database(request.node):
        yield
        return
    request.getfixturevalue("db")
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _flushes_tables(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or bool({"transactional_db", "live_server"} & set(item.fixturenames))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="run only the tests that reach the test database (the suite's second run, on "
             "PostgreSQL: the others do not depend on the database and already ran on SQLite)",
    )


def _reaches_database(item: pytest.Item) -> bool:
    """The test uses the test database: through `db` and its kin, or a module fixture that
    unblocks it after `django_db_setup` (such as `matrix_world` or the demo's built register)."""
    return _uses_database(item) or "django_db_setup" in item.fixturenames


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run tests that flush every table (live server, browser) last, after every other test.

    pytest-django runs them before the tests without the `db` fixture, but some of those read the
    session's reference data through module-scoped fixtures; the stable sort keeps the rest of
    pytest-django's order. With `--database-tests-only`, tests that never reach the test database
    are deselected (and counted as such in pytest's summary).
    """
    if config.getoption("--database-tests-only"):
        reaching = {item: _reaches_database(item) for item in items}
        config.hook.pytest_deselected(items=[item for item in items if not reaching[item]])
        items[:] = [item for item in items if reaching[item]]
    _add_cache_database(items)
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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request's LocaleMiddleware leaves its language
    (e.g. from `Accept-Language: en`) active in the thread, for the tests that follow."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _documents_in_a_temporary_folder(tmp_path_factory):
    """Documents uploaded by tests (files of calls, certification evidence) go to a folder of the
    run, never into the checkout's var/."""
    from django.conf import settings
    from django.test.utils import override_settings

    folder = str(tmp_path_factory.mktemp("documents"))
    storages = {**settings.STORAGES}
    for name, spec in storages.items():
        location = (spec.get("OPTIONS") or {}).get("location", "")
        if name != "staticfiles" and str(location).startswith(str(settings.VAR_DIR)):
            storages[name] = {**spec, "OPTIONS": {**spec["OPTIONS"], "location": f"{folder}/{name}"}}
    with override_settings(STORAGES=storages, POLES_DOCUMENTS_DIR=f"{folder}/documents", MEDIA_ROOT=f"{folder}/media"):
        yield
