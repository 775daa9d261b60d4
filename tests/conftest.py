from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from tests.factories import CommitteeFactory, TermFactory, user_with_role
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor, actor_for

_threaded_server = LiveServerThread._create_server


def _live_server(self: LiveServerThread, connections_override: dict | None = None) -> WSGIServer:
    """The live server answers one request at a time when it shares the test's in-memory SQLite
    connection (``connections_override``): one connection used by two request threads at once
    fails with "bad parameter or other API misuse" (a page, its service worker's /offline/ and
    the projector's poll arrive together). On PostgreSQL each thread has its own connection and
    the server stays threaded."""
    if not connections_override:
        return _threaded_server(self, connections_override=connections_override)
    return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)


LiveServerThread._create_server = _live_server  # type: ignore[method-assign]


@pytest.fixture
def county(db) -> Committee:
    province = CommitteeFactory(name="示范省政协", code="prov", level=Committee.Level.PROVINCE)
    city = CommitteeFactory(name="示范市政协", code="city", level=Committee.Level.CITY,
                            parent=province)
    committee = CommitteeFactory(name="示范县政协", code="county-a", parent=city)
    TermFactory(committee=committee)
    return committee


@pytest.fixture
def other_county(county) -> Committee:
    committee = CommitteeFactory(name="邻县政协", code="county-b", parent=county.parent)
    TermFactory(committee=committee)
    return committee


@pytest.fixture
def make_user(db):
    """make_user(committee, role) → a user with that role there."""
    return user_with_role


@pytest.fixture
def actor_of():
    def _actor(user, committee) -> Actor:
        return actor_for(user, committee)
    return _actor


@pytest.fixture
def staff(county):
    return user_with_role(county, Role.STAFF_OFFICE)


@pytest.fixture
def admin_user(county):
    return user_with_role(county, Role.ADMIN)


@pytest.fixture
def member_user(county):
    return user_with_role(county, Role.MEMBER)


@pytest.fixture(autouse=True)
def _audit_checkpoints(tmp_path_factory, settings):
    """Each test writes the audit checkpoints (files outside the database) to its own folder."""
    settings.XIESHANG_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _fresh_process_caches(tmp_path_factory, monkeypatch):
    """Caches keyed by committee id: a rolled-back test's committee id is reused by the next
    test's, which must not see the other's fitted models or cached figures."""
    from django.core.cache import cache

    from xieshang.proposals import similar

    similar.forget()
    monkeypatch.setattr(similar, "MODEL_DIR", tmp_path_factory.mktemp("similarity"))
    cache.clear()
    yield


# --- the clock ---------------------------------------------------------------------------------
# Production code reads the time only through xieshang.core.clock (tests/core/test_clock.py).
# A test that depends on a date freezes it with ``frozen_clock`` (or time_machine.travel);
# ``pytest --clock=2027-01-01`` runs the tests with the whole clock moved to that day (9:30
# Beijing time unless a time is given), to show that nothing depends on the day it runs
# (.ci/run does this for the date-sensitive modules at several dates).

STORY_DAY = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# Test files that never reach a database: none of their tests asks for ``db``,
# ``transactional_db``, ``live_server`` or the ``django_db`` mark (pytest-django refuses any
# query from such a test, so the SQLite pass proves it), and none starts a process with the
# configured DATABASE_URL. The PostgreSQL pass skips them: it would repeat them unchanged.
# pytest_collection_modifyitems fails the run if a test in one of them starts to use the database.
ENGINE_FREE = {
    "tests/core/test_write_rules.py": "reads the source code (ast): where writes may happen",
    "tests/core/test_tenancy_rule.py": "reads the source code (ast): views read through scoped()",
    "tests/core/test_clock.py": "reads the source code and the clock module",
    "tests/test_layers.py": "the import graph of the source",
    "tests/test_translations.py": "the .po catalogues on disk",
    "tests/textmining/test_hottopics.py": "text mining on in-memory messages (no models)",
    "tests/textmining/test_similarity.py": "text similarity on strings",
    "tests/textmining/test_cli.py": "`xieshang text` on CSV files, no database",
    "tests/meetings/test_counting.py": "vote counting rules on in-memory ballots",
    "tests/core/test_uploads.py": "the upload check on in-memory files",
    "tests/core/test_xlsx.py": "workbook writing in memory",
    "tests/search/test_kind_labels.py": "labels of search kinds, a pure function",
    "tests/proposals/test_document_names.py": "download file names, a pure function",
    "tests/api/test_schema_names.py": "the OpenAPI document, built from the code",
}
_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                "django_db_serialized_rollback", "live_server", "django_db_setup"}

def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass skips tests that run only SQLite
    installs of their own (marker ``own_sqlite``) and the files of ENGINE_FREE: they never touch
    the configured database, so the pass would repeat them unchanged (the SQLite pass runs
    them)."""
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    own = pytest.mark.skip(reason="own SQLite installs only: run in the SQLite pass")
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if path in ENGINE_FREE:
            if (set(getattr(item, "fixturenames", ())) & _DB_FIXTURES
                    or item.get_closest_marker("django_db")):
                raise pytest.UsageError(f"{item.nodeid} uses the database: take {path} out of "
                                        "ENGINE_FREE in tests/conftest.py")
            if postgres:
                item.add_marker(pytest.mark.skip(
                    reason=f"engine-free ({ENGINE_FREE[path]}): run in the SQLite pass"))
        if postgres and item.get_closest_marker("own_sqlite"):
            item.add_marker(own)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--clock", default="", metavar="YYYY-MM-DD[THH:MM][,…]",
                     help="run with the clock moved to this local date (and time); several, "
                          "comma-separated, run every test once at each in one session")


def moved_clock_from(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value if "T" in value else f"{value}T09:30")
    return moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def clock_days(config: pytest.Config) -> list[str]:
    """The days ``--clock`` names (none, one, or several separated by commas or spaces)."""
    return [day for day in re.split(r"[,\s]+", config.getoption("--clock")) if day]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With several ``--clock`` days every test runs once at each (tools/moved-clocks.sh): one
    session pays Django's start, the test databases' migrations and the collection once instead
    of once per day. The day is a session-scoped parameter, so pytest runs all tests of one day,
    then all of the next (the clock moves between days, never inside a test's fixtures)."""
    days = clock_days(metafunc.config)
    if len(days) > 1 and "_moved_clock" in metafunc.fixturenames:
        metafunc.parametrize("_moved_clock", days, indirect=True, scope="session",
                             ids=[f"clock={day}" for day in days])


@pytest.fixture(scope="session", autouse=True)
def _moved_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    days = clock_days(request.config)
    value = getattr(request, "param", None) or (days[0] if len(days) == 1 else "")
    if not value:
        yield
        return
    with time_machine.travel(moved_clock_from(value), tick=True):
        yield


@pytest.fixture
def frozen_clock() -> Iterator[time_machine.Coordinates]:
    """The clock at the demo story's day (26 November 2026, 10:00 Beijing time), ticking."""
    with time_machine.travel(STORY_DAY, tick=True) as traveller:
        yield traveller
