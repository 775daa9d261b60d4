"""Search: exact at every query length, on SQLite FTS5 and PostgreSQL alike."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import HandlingUnitFactory, MemberFactory, SectorFactory
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.core.searchable import SOURCES, Source
from xieshang.core.tenancy import scoped
from xieshang.members.models import Sector
from xieshang.search.index import Document, entry_fields
from xieshang.search.models import SearchEntry
from xieshang.search.query import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def note_kinds(monkeypatch):
    """Two kinds for the engine's tests, each with its visible selector as an app registers it:
    notes everyone holding a role may open, staff notes only the office staff. (A sector row
    stands in for each note's record.)"""
    def everyone(actor):
        return scoped(actor, Sector) if actor.roles else Sector.objects.none()

    def office(actor):
        return scoped(actor, Sector) if actor.is_staff else Sector.objects.none()

    monkeypatch.setitem(SOURCES, "note", Source("note", Sector, lambda s: None, everyone))
    monkeypatch.setitem(SOURCES, "staffnote", Source("staffnote", Sector, lambda s: None,
                                                     office))


def add(committee, title, body="", days_ago=0, kind="note"):
    record = SectorFactory(committee=committee)
    doc = Document(title=title, body=body, date=timezone.now() - dt.timedelta(days=days_ago))
    return SearchEntry.objects.create(kind=kind, object_id=str(record.pk),
                                      **entry_fields(record, doc, kind))


@pytest.fixture
def corpus(county, other_county):
    add(county, "关于加强农村饮水安全保障的建议", "部分村庄饮水水质不稳定。", days_ago=10)
    add(county, "关于规范校车管理的建议", "校车超载现象时有发生。", days_ago=5)
    add(county, "关于发展乡村旅游的建议", "依托山水资源发展民宿。", days_ago=1)
    add(county, "内部事项", "饮水相关的内部文稿", days_ago=2, kind="staffnote")
    add(other_county, "邻县饮水工程", "邻县的饮水安全")
    return county


def titles(results):
    return [h.entry.title for h in results.hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("饮水", {"关于加强农村饮水安全保障的建议"}),
    ("校车", {"关于规范校车管理的建议"}),
    ("饮", {"关于加强农村饮水安全保障的建议"}),
    ("水安", {"关于加强农村饮水安全保障的建议"}),  # crosses a word boundary
    ("饮水安全保障", {"关于加强农村饮水安全保障的建议"}),
    ("安全饮水", set()),  # a phrase, not a bag of characters
    ("民宿 山水", {"关于发展乡村旅游的建议"}),
    ("的建议", {"关于加强农村饮水安全保障的建议", "关于规范校车管理的建议",
               "关于发展乡村旅游的建议"}),
])
def test_every_query_length_is_exact(corpus, member_user, query, expected):
    actor = actor_for(member_user, corpus)
    assert set(titles(search(actor, query))) == expected


def test_staff_only_entries_are_hidden_from_members(corpus, member_user, staff):
    assert "内部事项" not in titles(search(actor_for(member_user, corpus), "饮水"))
    assert "内部事项" in titles(search(actor_for(staff, corpus), "饮水"))


def test_a_kind_nobody_registered_is_seen_by_nobody(corpus, staff):
    entry = add(corpus, "无人登记的饮水记录", kind="orphan")
    assert entry.kind not in SOURCES
    assert "无人登记的饮水记录" not in titles(search(actor_for(staff, corpus), "饮水"))


def test_an_empty_query_lists_nothing(corpus, staff):
    for q in ("", "   ", "，。"):
        results = search(actor_for(staff, corpus), q)
        assert (results.hits, results.total) == ([], 0)


def test_other_committee_is_never_searched(corpus, staff):
    assert "邻县饮水工程" not in titles(search(actor_for(staff, corpus), "邻县"))


def test_recency_breaks_ties(county, staff):
    add(county, "甲 停车难", days_ago=30)
    add(county, "乙 停车难", days_ago=1)
    assert titles(search(actor_for(staff, county), "停车难")) == ["乙 停车难", "甲 停车难"]


def test_facets_count_by_kind(county, staff):
    add(county, "停车 一", kind="note")
    add(county, "停车 二", kind="note")
    add(county, "停车 三", kind="staffnote")
    results = search(actor_for(staff, county), "停车")
    assert results.facets["kind"] == {"note": 2, "staffnote": 1}
    assert results.total == 3
    assert search(actor_for(staff, county), "停车", kind="staffnote").total == 1


def test_snippet_marks_the_match(corpus, staff):
    hit = search(actor_for(staff, corpus), "校车").hits[0]
    assert ("校车", True) in hit.parts


def test_hostile_query_is_harmless(corpus, staff):
    for q in ['"', "' OR 1=1 --", "AND OR NOT", "饮水\" OR \"", "*", "<script>", "a" * 500]:
        search(actor_for(staff, corpus), q)


def test_saving_a_registered_model_indexes_it(county, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = MemberFactory(committee=county, name="欧阳明", workplace="清河县人民医院 主任医师")
        unit = HandlingUnitFactory(committee=county, name="县水利局", keywords="饮水 水库")
    actor = actor_for(staff, county)
    assert titles(search(actor, "主任医师")) == ["欧阳明"]
    assert titles(search(actor, "水库")) == ["县水利局"]
    member.delete()
    assert search(actor, "主任医师").total == 0
    assert unit.pk


def test_reindex_command_rebuilds(county, staff, capsys):
    MemberFactory(committee=county, name="司马青")
    SearchEntry.objects.all().delete()
    call_command("text", "reindex")
    assert "member: 1" in capsys.readouterr().out
    assert titles(search(actor_for(staff, county), "司马")) == ["司马青"]


def test_search_page_renders_results(client, corpus, staff):
    client.force_login(staff)
    body = client.get(reverse("search"), {"q": "饮水"}).content.decode()
    assert "<mark>饮水</mark>" in body
    assert "邻县" not in body


def test_search_page_requires_login(client, corpus):
    assert client.get(reverse("search"), {"q": "饮水"}).status_code == 302


def test_user_without_role_is_refused(client, corpus):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("search"), {"q": "饮水"}).status_code == 403


def test_member_role_can_search(client, corpus, make_user):
    client.force_login(make_user(corpus, Role.MEMBER))
    assert client.get(reverse("search"), {"q": "校"}).status_code == 200


def test_activities_are_searchable(county, staff, django_capture_on_commit_callbacks):
    from xieshang.activities import services as act

    system = actor_for(staff, county)
    types = act.activity_types_ensure(county)
    with django_capture_on_commit_callbacks(execute=True):
        act.activity_create(actor=system, committee=county, type=types["inspection"],
                            title="视察全县校车安全运营", start=timezone.now(),
                            description="重点查看农村学校校车")
    hit = search(actor_for(staff, county), "校车").hits[0]
    assert hit.entry.kind == "activity" and hit.entry.url.startswith("/activities/")


def test_opinion_reports_are_found_by_their_editors_and_author_only(
        county, staff, make_user, django_capture_on_commit_callbacks):
    from tests.opinions.factories import submit

    author = make_user(county, Role.MEMBER)
    other = make_user(county, Role.MEMBER)
    editor = make_user(county, Role.STAFF_OPINION)
    with django_capture_on_commit_callbacks(execute=True):
        submit(county, user=author, title="关于加强农村饮水工程管护的建议")
    assert titles(search(actor_for(editor, county), "管护")) == ["关于加强农村饮水工程管护的建议"]
    assert titles(search(actor_for(author, county), "管护")) == ["关于加强农村饮水工程管护的建议"]
    assert search(actor_for(other, county), "管护").total == 0
    # The general office does not read public-opinion reports (their page is not found).
    assert search(actor_for(staff, county), "管护").total == 0


def test_filed_proposals_are_searchable_by_members_drafts_only_by_their_author(
        county, django_capture_on_commit_callbacks):
    from tests.proposals.factories import S, build_world, draft, reach

    with django_capture_on_commit_callbacks(execute=True):
        w = build_world(county)
        reach(w, S.FILED, title="关于加强农村饮水安全保障的建议")
        draft(w, title="关于整治校园周边交通秩序的建议")
    other = actor_for(w.users["other_member"], county)
    assert titles(search(other, "饮水")) == ["关于加强农村饮水安全保障的建议"]
    assert search(other, "校园周边").total == 0
    assert search(w.actor("member"), "校园周边").total == 1
    # Nor does the proposal office: a draft is its author's until it is submitted.
    assert search(w.actor("staff"), "校园周边").total == 0


def test_both_engines_rank_the_newest_matches_of_a_huge_hit_set(county, staff, monkeypatch):
    """Very common terms: the page holds only true matches, newest first among equal ranks;
    the total is an estimate scaled from the part of the id range read."""
    from xieshang.search import query

    for i in range(40):
        add(county, f"第{i}号 饮水安全", days_ago=40 - i)
        add(county, f"第{i}号 校车", days_ago=40 - i)
    monkeypatch.setattr(query, "EXACT_LIMIT", 5)
    monkeypatch.setattr(query, "RANK_WINDOW", 8)
    monkeypatch.setattr(query, "_pg_estimate", lambda cursor, terms: 10_000)
    monkeypatch.setattr(query, "FIRST_SHARE", 0.05)  # SQLite: the first pass of the window
    results = search(actor_for(staff, county), "饮水", limit=5)
    newest = [f"第{i}号 饮水安全" for i in (39, 38, 37, 36, 35)]
    assert [h.entry.title for h in results.hits] == newest
    assert results.estimated and 20 <= results.total <= 80
    exact = search(actor_for(staff, county), "饮水", limit=5, exact=True)
    assert (exact.total, exact.estimated) == (40, False)
    assert [h.entry.title for h in exact.hits] == [h.entry.title for h in results.hits]
    # A rare phrase under a huge estimate: the window widens to the whole range, exactly.
    few = search(actor_for(staff, county), "39号 饮水", limit=5)
    assert ([h.entry.title for h in few.hits], few.total, few.estimated) == (
        ["第39号 饮水安全"], 1, False)
    # Two terms that occur together often: more than EXACT_LIMIT in the intersection, so the
    # newest part of the range is ranked; how much of it is read depends on where the rows lie
    # in the heap (PostgreSQL), so the total is exact or a close estimate.
    both = search(actor_for(staff, county), "号 饮水", limit=5)
    assert [h.entry.title for h in both.hits] == newest
    assert both.total == 40 if not both.estimated else 20 <= both.total <= 80
