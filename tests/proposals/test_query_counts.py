"""The number of queries of each worklist page and of the list/search page does not grow with
the number of proposals (the benchmark's generator at two small sizes)."""

import pytest
from django.db import connection
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


# Fetching one proposal: the session, the user, the user's committees and roles (one query),
# the proposal (with what it always shows joined in), its assignments and co-proposers (each
# only when the proposal's query found some: the young one has no assignments); through an
# API token the token, its user, the committees and the roles are one query. The page adds its
# suggested units, timeline and replies, the navigation's policy and unread count, and one
# query for each of the rarer relations (attachments, feedback, merged proposals, contact and
# supervision records) that the proposal has rows in. The same on SQLite and PostgreSQL.
# Before issue #20's third pass the committees and the roles were two queries, and the token
# one more (6, 7, 5, 6, 11, 13).
FETCH_QUERIES = {"api young": 5, "api old": 6, "token young": 3, "token old": 4,
                 "page young": 10, "page old": 12}


def test_fetching_one_proposal_takes_a_fixed_number_of_queries(world):
    from tests.proposals.factories import reach
    from xieshang.core.models import ApiToken

    client = Client()
    client.force_login(world.users["member"])
    client.get("/")  # the first request after a login stamps the session
    token = Client(HTTP_AUTHORIZATION="Bearer "
                   + ApiToken.issue(world.users["member"], "test", days=1)[1])
    young = reach(world, Status.SUBMITTED)
    old = reach(world, Status.CLOSED)  # events, assignments, a reply and feedback
    token.get(f"/api/v1/proposals/{old.pk}")  # the token's first use stamps last_used_at
    counts = {}
    for name, p in (("young", young), ("old", old)):
        counts[f"api {name}"] = _get(client, f"/api/v1/proposals/{p.pk}")[0]
        counts[f"token {name}"] = _get(token, f"/api/v1/proposals/{p.pk}")[0]
        counts[f"page {name}"], response = _get(client, f"/proposals/{p.pk}/")
    # The closed one has feedback rows: one query more, and they are shown.
    assert counts == FETCH_QUERIES
    assert old.feedback.exists()
    assert "<h2>反馈意见</h2>" in response.content.decode()


# The writes of the peer benchmark (issue #20) through the API, each with all its side
# effects: the workflow event, the audit row of the HMAC chain, the notification, the search
# index task (run inline by the test settings) and the duty-score watch's pending request. A
# draft: the token, the actor (committee and roles), the category, the insert and its audit
# row (the chain's head, the row), and the answer's read. A step: the same start, the row read
# locked once (its 404 and the engine's lock), what the step reads and writes, the watch's
# upsert, the event, the audit row and the answer's read.
# On PostgreSQL a step also locks the session row for its number and the audit chain (SQLite
# has no row locks and runs one write transaction at a time).
API_WRITE_QUERIES = {
    # 23, 30, 29 before issue #20's work; 14, 25, 21 before its third pass (the token, the
    # user, the committees and the roles in one query; the audit chain's head read by a fixed
    # statement without a savepoint; the watch's upsert; the row read locked once).
    "sqlite": {"create": 9, "submit": 14, "file": 14},
    "postgresql": {"create": 10, "submit": 15, "file": 16},  # 15, 26, 23 before the third
}


def _api_call(client, method, url, body=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code in (200, 201), (url, response.content[:300])
    return len(ctx.captured_queries), response.json()


def test_creating_submitting_and_filing_through_the_api_take_a_fixed_number_of_queries(
        world, django_capture_on_commit_callbacks):
    from xieshang.core.models import ApiToken, AuditLog, Notification
    from xieshang.proposals.models import ProposalEvent
    from xieshang.proposals.policies import get as policy

    def client(role):
        return Client(HTTP_AUTHORIZATION="Bearer "
                      + ApiToken.issue(world.users[role], "test", days=1)[1])

    member, staff = client("member"), client("staff")
    counts = {}
    counts["create"], body = _api_call(member, "post", "/api/v1/proposals/", {
        "title": "关于完善社区公共服务体系的提案", "body": "建议" * 100,
        "category_id": world.category.pk})
    pk = body["id"]
    counts["submit"], body = _api_call(member, "post", f"/api/v1/proposals/{pk}/actions/submit",
                                       {"version": body["version"]})
    _q, body = _api_call(staff, "post", f"/api/v1/proposals/{pk}/actions/start_review",
                         {"version": body["version"]})
    for _round in range(int(policy(world.committee, "review_rounds")) - 1):
        _q, body = _api_call(staff, "post", f"/api/v1/proposals/{pk}/actions/pass_round",
                             {"version": body["version"]})
    # The notification is written when the step's transaction commits (not counted above).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        counts["file"], body = _api_call(staff, "post", f"/api/v1/proposals/{pk}/actions/file",
                                         {"version": body["version"]})
    assert callbacks
    assert body["status"] == Status.FILED
    assert counts == API_WRITE_QUERIES[connection.vendor]
    # Every side effect is still there.
    assert list(ProposalEvent.objects.filter(proposal_id=pk).values_list("action", flat=True)
                .order_by("pk"))[-1] == "file"
    assert Notification.objects.filter(url=f"/proposals/{pk}/").exists()
    assert {"proposal.save_draft", "proposal.submit", "proposal.file"} <= set(
        AuditLog.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    from xieshang.core import audit
    from xieshang.duties.models import DutyRecomputeRequest

    assert audit.verify(world.committee.pk) == []  # the chain still links
    # The duty-score watch asked for a recompute (no task ran it in between: one request,
    # bumped by each step after the submission created it).
    assert DutyRecomputeRequest.objects.get(committee=world.committee).generation >= 2
