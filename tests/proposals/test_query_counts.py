"""The number of queries of each worklist page and of the list/search page does not grow with
the number of proposals (the benchmark's generator at two small sizes)."""

import pytest
from django.test import Client

from benchmarks.proposals_scale import CURRENT_MIX, PAGES, generate, page_queries
from xieshang.core.models import Session
from xieshang.members.models import Member
from xieshang.proposals.models import ProposalCategory

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
    grow(SMALL)
    small = _counts(world, clients)
    # Every page shows rows, so the prefetches that only run for rows are counted too.
    assert [k for k, (_q, rows) in small.items() if rows == 0] == [], small
    grow(2 * SMALL)
    large = _counts(world, clients)
    assert all(large[k][1] >= small[k][1] for k in small), (small, large)
    assert {k: q for k, (q, _r) in large.items()} == {k: q for k, (q, _r) in small.items()}
