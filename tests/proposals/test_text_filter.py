"""The text box of the proposals list: answered by the search index, exactly what a "title or
body contains" scan would answer, at every query length and while indexing is still queued."""

import pytest
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tests.factories import user_with_role
from tests.proposals.factories import BODY, reach
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.proposals import selectors
from xieshang.proposals.models import Proposal, Status
from xieshang.search.matching import matching_ids
from xieshang.search.models import SearchEntry

S = Status
pytestmark = pytest.mark.django_db

TEXTS = [  # (title, body)
    ("关于改造城区老旧小区的建议", BODY),
    ("关于农村饮水", "水安全问题的几点意见。建议：一是摸清底数，二是分类施策，三是加强考核。"),
    ("关于发展5G基站建设的建议", "全县15G网络覆盖不足。建议：一是统筹选址，二是简化审批。"),
    ("关于规范校外培训的建议", "部分机构收费不规范。建议：一是加强监管，二是公开收费标准。"),
]


@pytest.fixture
def proposals(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the indexing tasks run
        made = [reach(world, S.SUBMITTED, title=t, body=b) for t, b in TEXTS]
    assert SearchEntry.objects.filter(kind="proposal").count() == len(TEXTS)
    return made


def listed(world, q, role="staff", **params):
    return set(selectors.proposal_list(world.actor(role), None, {"q": q, **params})
               .values_list("pk", flat=True))


def scanned(q):
    return {p.pk for p in Proposal.objects.exclude(status=S.DRAFT)
            if q in p.title or q in p.body}


@pytest.mark.parametrize("q", [
    "水", "区", "饮水", "小区", "老旧小区", "加强", "建议", "规范", "不规范", "城区老旧",
    "一是", "收费标准", "卫生", "旧小区的建", "5G", "15G", "G基站", "1", "水安全", "饮水安全",
    "建议：", "加强 监管",
    # Text that means something to FTS5, tsquery or SQL is only ever text here.
    '"', "' OR 1=1 --", '饮水" OR "', "*", "NEAR(饮水 水质)", "饮水*", "水&质", "饮水:bi",
])
def test_the_list_finds_exactly_what_the_text_contains(world, proposals, q):
    assert listed(world, q) == scanned(q)


def test_one_and_two_characters_are_answered_by_the_index_alone(world, proposals):
    for q in ("水", "饮水"):
        match = matching_ids(world.committee.pk, q, kind="proposal")
        assert match is not None and match.exact
    assert not matching_ids(world.committee.pk, "老旧小区", kind="proposal").exact
    assert matching_ids(world.committee.pk, "5G", kind="proposal") is None  # scanned


def test_a_phrase_across_the_title_and_body_boundary_is_not_a_match(world, proposals):
    # The index holds 饮水 then 水安 (title "…饮水", body "水安全…"): a phrase match there.
    match = matching_ids(world.committee.pk, "饮水安", kind="proposal")
    assert set(Proposal.objects.filter(pk__in=match.ids).values_list("pk", flat=True)) \
        == {proposals[1].pk}
    assert listed(world, "饮水安") == set()


def test_the_text_filter_keeps_the_other_filters_and_the_committee(world, proposals,
                                                                  other_county):
    target = proposals[3]
    assert listed(world, "收费", status=S.SUBMITTED) == {target.pk}
    assert listed(world, "收费", status=S.FILED) == set()
    assert listed(world, "收费", category=str(world.category.pk)) == {target.pk}
    # Another committee's list does not see these through the index.
    staff = user_with_role(other_county, Role.STAFF_PROPOSAL)
    assert not selectors.proposal_list(actor_for(staff, other_county), None,
                                       {"q": "收费"}).exists()


def test_the_list_is_ordered_and_paged_as_without_the_text(world, proposals, client):
    client.force_login(world.users["staff"])
    page = client.get("/proposals/", {"q": "建议"}).content.decode()
    found = [p for p in proposals if "建议" in p.title or "建议" in p.body]
    assert all(p.title in page for p in found)
    everything = list(selectors.proposal_list(world.actor("staff"), None, {})
                      .values_list("pk", flat=True))
    filtered = list(selectors.proposal_list(world.actor("staff"), None, {"q": "建议"})
                    .values_list("pk", flat=True))
    assert filtered == [pk for pk in everything if pk in {p.pk for p in found}]


def test_a_change_whose_indexing_is_still_queued_is_found_by_its_new_text(
        world, proposals, monkeypatch, django_capture_on_commit_callbacks):
    # The deployed backend: tasks wait in the database for the worker.
    monkeypatch.setattr(task_backends._connections, "default",
                        DatabaseBackend("default", {}), raising=False)
    p = Proposal.objects.get(pk=proposals[0].pk)
    with django_capture_on_commit_callbacks(execute=True):
        p.title = "关于治理城区停车难的建议"
        p.save()
    assert DBTaskResult.objects.filter(status="READY").exists()  # queued, not run
    assert listed(world, "停车") == {p.pk}  # not yet in the index
    assert listed(world, "老旧") == set()  # still in the stale entry
    assert listed(world, "饮水") == scanned("饮水")


def test_a_query_matching_more_than_the_cap_is_scanned(world, proposals, monkeypatch):
    """"建议" is in nearly every title: a list of ids as long as the table costs more than
    the scan it replaces, so above MATCH_CAP matches the list scans, with the same answer."""
    from xieshang.search import matching

    assert matching_ids(world.committee.pk, "建议", kind="proposal", cap=2) is None
    assert matching_ids(world.committee.pk, "饮水", kind="proposal", cap=2) is not None
    monkeypatch.setattr(matching, "MATCH_CAP", 2)
    for q in ("建议", "饮水", "加强"):
        assert listed(world, q) == scanned(q)
