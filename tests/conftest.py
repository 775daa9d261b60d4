from __future__ import annotations

import pytest

from tests.factories import CommitteeFactory, TermFactory, user_with_role
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor, actor_for


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
