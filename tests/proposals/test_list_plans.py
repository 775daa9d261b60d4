"""Every proposal list's first page is read in order from an index, not sorted: the query plan
of each worklist (and of the list of all proposals) for each role that has it uses the index
"proposal_list_order" and no sort of the committee's proposals. On SQLite through EXPLAIN QUERY
PLAN; on PostgreSQL (DATABASE_URL pointing there) through EXPLAIN with sorting priced out, so
that a plan still sorting means no index gives the order."""

import pytest
from django.db import connection

from tests.proposals.factories import reach
from xieshang.proposals import selectors
from xieshang.proposals.models import Status

ROLES = ("member", "co_member", "collective", "staff", "office", "clerk_a", "leader_a",
         "leader", "admin")


def _plan(sql: str, params: tuple) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


def _first_pages(world):
    for role in ROLES:
        actor = world.actor(role)
        for name in [None, *selectors.WORKLISTS]:
            if name is not None and not selectors.WORKLISTS[name].allowed(actor):
                continue
            qs = selectors.proposal_list(actor, name, {k: "" for k in selectors.FILTERS})
            yield role, name, qs[:30]


@pytest.mark.django_db(transaction=False)
def test_each_lists_first_page_is_read_from_the_order_index(world):
    for status in (Status.SUBMITTED, Status.FILED, Status.HANDLING, Status.CLOSED):
        reach(world, status)
    seen = 0
    for role, name, page in _first_pages(world):
        sql, params = page.query.sql_with_params()
        plan = "\n".join(_plan(sql, params))
        where = f"{role} / {name or 'all'}:\n{plan}"
        assert "proposal_list_order" in plan, where
        if connection.vendor == "postgresql":
            assert "Sort" not in plan, where
        else:
            assert "TEMP B-TREE FOR ORDER BY" not in plan, where
            assert "SCAN proposals_proposal" not in plan, where
        assert len(page) >= 0  # the query runs
        seen += 1
    assert seen >= 15  # every role's lists were looked at


@pytest.mark.django_db(transaction=False)
def test_the_staffs_filters_read_their_first_page_in_order_from_an_index(world):
    """Status, category and session: each filter has an index in the lists' order (migration
    0006), so its first page and its capped count are not a sort of every match."""
    from xieshang.core.paging import COUNT_CAP

    p = reach(world, Status.FILED)
    reach(world, Status.SUBMITTED)
    actor = world.actor("staff")
    for key, value, index in (("status", Status.FILED, "proposal_status_order"),
                              ("category", p.category_id, "proposal_category_order"),
                              ("session", p.session_id, "proposal_session_order")):
        params = {k: "" for k in selectors.FILTERS} | {key: str(value)}
        qs = selectors.proposal_list(actor, None, params)
        for query in (qs[:30], qs[:COUNT_CAP + 1]):
            sql, params_ = query.query.sql_with_params()
            plan = "\n".join(_plan(sql, params_))
            where = f"{key}:\n{plan}"
            if connection.vendor == "postgresql":
                # On a handful of rows the planner may walk the general order index and filter
                # by status instead: still in order, no Sort of the matches (what matters).
                assert "Sort" not in plan and "Index" in plan, where
            else:
                assert index in plan, where
                assert "TEMP B-TREE FOR ORDER BY" not in plan, where
        assert list(qs[:30])


def test_list_order_follows_the_sessions_date_when_it_changes(world):
    p = reach(world, Status.FILED)
    assert p.session_start == p.session.start_date
    session = p.session
    session.start_date = session.start_date.replace(day=session.start_date.day + 1)
    session.save()
    p.refresh_from_db()
    assert p.session_start == session.start_date


def test_the_list_counts_up_to_the_cap_and_says_more_than(client, world, monkeypatch):
    from xieshang.core import paging

    for _ in range(3):
        reach(world, Status.SUBMITTED)
    client.force_login(world.users["staff"])
    zh = {"Accept-Language": "zh-hans"}
    assert "共 3 件提案" in client.get("/proposals/", headers=zh).content.decode()
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    text = client.get("/proposals/", headers=zh).content.decode()
    assert "超过 2 件提案" in text and "共 3 件提案" not in text
