from __future__ import annotations

import datetime as dt
import os
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass skips tests that run only SQLite installs of their own (marker
    ``own_sqlite``): they never touch the configured database, so the pass would repeat them
    unchanged (the SQLite pass runs them)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="own SQLite installs only: run in the SQLite pass")
    for item in items:
        if item.get_closest_marker("own_sqlite"):
            item.add_marker(skip)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--clock", default="", metavar="YYYY-MM-DD[THH:MM]",
                     help="run with the clock moved to this local date (and time)")


def moved_clock_from(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value if "T" in value else f"{value}T09:30")
    return moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="session", autouse=True)
def _moved_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    value = request.config.getoption("--clock")
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
