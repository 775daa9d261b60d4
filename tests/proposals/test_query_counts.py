"""The number of queries of each worklist page and of the list/search page does not grow with
the number of proposals (the benchmark's generator at two small sizes)."""

import pytest
from django.test import Client

from benchmarks.proposals_scale import CURRENT_MIX, PAGES, generate, page_queries
from xieshang.core.models import Session
from xieshang.members.models import Member
from xieshang.proposals.models import ProposalCategory, Status

SMALL = sum(weight for _status, weight in CURRENT_MIX)  # every state at least once


def _counts(world, clients):
    out = {}
    for label, role, url in PAGES:
        status, queries, body = page_queries(clients[role], url)
        assert status == 200, (label, status)
        out[label] = (queries, body.count(b"<tr><td data-label"))
    return out


@pytest.fixture
def grow(world):
    kw = {"sessions": [Session.objects.get(committee=world.committee)],
          "members": list(Member.objects.filter(committee=world.committee).order_by("pk")),
          "units": [world.units["a"], world.units["b"]],
          "categories": list(ProposalCategory.objects.filter(committee=world.committee))}
    # Same seed so both batches have the same mix; a different seed would only reshuffle it.
    return lambda n: generate(world.committee, n, **kw)


def test_query_count_of_each_page_is_the_same_with_three_times_the_proposals(world, grow):
    clients = {}
    for _label, role, _url in PAGES:
        clients.setdefault(role, Client())
        clients[role].force_login(world.users[role])
    for client in clients.values():  # the first request after a login stamps the session
        client.get("/")
    grow(SMALL)
    small = _counts(world, clients)
    # Every page shows rows, so the prefetches that only run for rows are counted too.
    assert [k for k, (_q, rows) in small.items() if rows == 0] == [], small
    grow(2 * SMALL)
    large = _counts(world, clients)
    assert all(large[k][1] >= small[k][1] for k in small), (small, large)
    assert {k: q for k, (q, _r) in large.items()} == {k: q for k, (q, _r) in small.items()}


def _get(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


# Fetching one proposal: the session, the user, the user's committees and roles, the proposal
# (with what it always shows joined in), its assignments and co-proposers; the page adds its
# suggested units, timeline and replies, the navigation's policy and unread count, and one
# query for each of the rarer relations (attachments, feedback, merged proposals, contact and
# supervision records) that the proposal has rows in.
API_QUERIES = 7
PAGE_QUERIES = 12


def test_fetching_one_proposal_takes_a_fixed_number_of_queries(world):
    from tests.proposals.factories import reach

    client = Client()
    client.force_login(world.users["member"])
    client.get("/")  # the first request after a login stamps the session
    young = reach(world, Status.SUBMITTED)
    old = reach(world, Status.CLOSED)  # events, assignments, a reply and feedback
    for p in (young, old):
        assert _get(client, f"/api/v1/proposals/{p.pk}")[0] <= API_QUERIES
    young_page, _r = _get(client, f"/proposals/{young.pk}/")
    old_page, response = _get(client, f"/proposals/{old.pk}/")
    assert young_page <= PAGE_QUERIES
    # The closed one has feedback rows: one query more, and they are shown.
    assert old_page <= PAGE_QUERIES + 1
    assert old.feedback.exists()
    assert "<h2>反馈意见</h2>" in response.content.decode()
