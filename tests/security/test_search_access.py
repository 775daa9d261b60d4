"""Finding 1 (issue #18): search shows exactly what the pages open, by construction.

Every searchable kind is registered by its app with its ``visible(actor)`` selector, and the
search keeps a match only when the record is in it. The property test draws random users
(any mix of roles, tied to random members, units and collective bodies of a committee full
of records in every state) and checks, for each: every hit's page opens (200), and the hits
are exactly the visible records whose text matches (nothing a page refuses, nothing a page
opens is missing). XS_PROPERTY_EXAMPLES sets the number of users drawn (CI: a small number).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.activities.factories import invite, make_activity, member_with_login
from tests.factories import CollectiveBodyFactory, RoleAssignmentFactory, UserFactory
from tests.opinions.factories import submit as opinion_submit
from tests.proposals.factories import S, build_world, draft, reach
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.core.searchable import SOURCES
from xieshang.members.models import HandlingUnit, Member
from xieshang.opinions import services as opinion_services
from xieshang.portal import services as portal_services
from xieshang.portal import workflow as portal_workflow
from xieshang.portal.models import Article, Column
from xieshang.search.index import reindex
from xieshang.search.models import SearchEntry
from xieshang.search.query import search

pytestmark = pytest.mark.django_db

WORD = "探针"
EXAMPLES = int(os.environ.get("XS_PROPERTY_EXAMPLES", "12"))


def _article(committee, title, *, audience="public", when=None, state="published"):
    system = Actor.for_system(committee)
    portal_services.site_ensure(actor=system, committee=committee)
    column = Column.objects.get(committee=committee, slug="news")
    article = portal_services.article_save(actor=system, committee=committee, column=column,
                                           title=title, body=f"<p>{WORD}正文</p>",
                                           audience=audience, publish_at=when)
    for action in {"draft": (), "published": ("submit", "publish")}[state]:
        article = portal_workflow.ARTICLE.take(actor=system, obj=article, step=action,
                                               data={"version": article.version})
    return article


def build_records(committee):
    """A committee with a record of every searchable kind in the states that matter, each
    holding WORD; returns the proposals' World (users, units) and the people to tie to."""
    w = build_world(committee)
    draft(w, title=f"{WORD}草稿提案")
    reach(w, S.SUBMITTED, title=f"{WORD}已提交提案")
    reach(w, S.FILED, title=f"{WORD}已立案提案")
    reach(w, S.REPLY_REVIEW, title=f"{WORD}答复审核中提案")
    reach(w, S.REPLIED, title=f"{WORD}已答复提案")
    author = w.users["member"]
    opinion_submit(committee, user=author, title=f"{WORD}社情民意甲")
    opinion_submit(committee, user=w.users["other_member"], title=f"{WORD}社情民意乙")
    opinion_services.topic_raise(committee=committee, title=f"{WORD}议题",
                                 description=f"{WORD}描述", name="居民", phone="13800001111",
                                 ip="10.1.2.3")
    invited = make_activity(committee, title=f"{WORD}受邀活动")
    invite(invited, w.member)
    make_activity(committee, title=f"{WORD}未邀请活动")
    _article(committee, f"{WORD}公开文章")
    _article(committee, f"{WORD}委员文章", audience="members")
    _article(committee, f"{WORD}定时文章", when=timezone.now() + dt.timedelta(days=5))
    _article(committee, f"{WORD}草稿文章", state="draft")
    member_with_login(committee, name="探针委员", workplace=f"{WORD}单位")
    HandlingUnit.objects.filter(committee=committee).update(keywords=WORD)
    Member.objects.filter(committee=committee).update(workplace=f"{WORD}单位")
    bodies = [CollectiveBodyFactory(committee=committee) for _i in range(2)]
    reindex()
    return w, bodies


def expected(actor: Actor) -> set[tuple[str, str]]:
    """The records holding WORD in the index that the actor's pages open (each kind's own
    visible selector, asked directly)."""
    out: set[tuple[str, str]] = set()
    entries = SearchEntry.objects.filter(committee=actor.committee)
    for kind, source in SOURCES.items():
        ids = [int(i) for i in entries.filter(kind=kind).values_list("object_id", flat=True)]
        for pk in source.visible(actor).filter(pk__in=ids).values_list("pk", flat=True):
            text = entries.get(kind=kind, object_id=str(pk))
            if WORD in f"{text.title}\n{text.body}":
                out.add((kind, str(pk)))
    return out


ROLES = st.lists(st.sampled_from(Role.values), max_size=3, unique=True)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_finding_01_search_results_are_what_the_pages_open(county, client, data):
    if not hasattr(county, "_world"):
        county._world = build_records(county)
    w, bodies = county._world
    members = list(Member.objects.filter(committee=county))
    units = list(HandlingUnit.objects.filter(committee=county))
    roles = data.draw(ROLES, label="roles")
    user = UserFactory()
    for role in roles:
        ties: dict[str, object] = {}
        if role == Role.MEMBER:
            ties["member"] = data.draw(st.sampled_from(members), label="member")
        elif role in (Role.UNIT_CLERK, Role.UNIT_LEADER):
            ties["unit"] = data.draw(st.sampled_from(units), label="unit")
        elif role == Role.COLLECTIVE:
            ties["body"] = data.draw(st.sampled_from(bodies), label="body")
        RoleAssignmentFactory(user=user, committee=county, role=role, **ties)
    actor = actor_for(user, county)
    results = search(actor, WORD, limit=500, exact=True)
    found = {(h.entry.kind, h.entry.object_id) for h in results.hits}
    assert found == expected(actor), roles
    assert results.total == len(found)
    client.force_login(user)
    for hit in results.hits:
        response = client.get(hit.entry.url)
        assert response.status_code == 200, (roles, hit.entry.kind, hit.entry.url,
                                             response.status_code)
    assert search(actor, "").hits == []


def test_finding_01_what_the_pentest_saw_is_gone(county, make_user):
    """The pentest's cases one by one: a member's draft for the staff, the public-opinion
    reports for the proposal and special-committee offices, other units' proposals for a
    clerk, activities a member was not invited to, a scheduled article; and an empty query."""
    w, _bodies = build_records(county)

    def titles(user, query=WORD):
        return {h.entry.title for h in search(actor_for(user, county), query, limit=500).hits}

    for role in (Role.STAFF_PROPOSAL, Role.STAFF_COMMITTEE, Role.STAFF_OFFICE,
                 Role.STAFF_OPINION, Role.LEADER, Role.ADMIN):
        assert f"{WORD}草稿提案" not in titles(make_user(county, role)), role
    for role in (Role.STAFF_PROPOSAL, Role.STAFF_COMMITTEE, Role.STAFF_OFFICE):
        assert not {f"{WORD}社情民意甲", f"{WORD}社情民意乙"} & titles(make_user(county, role))
    assert titles(make_user(county, Role.STAFF_OPINION)) >= {f"{WORD}社情民意甲",
                                                             f"{WORD}社情民意乙"}
    clerk = make_user(county, Role.UNIT_CLERK, unit=w.units["x"])  # a unit never assigned
    assert not any("提案" in t for t in titles(clerk))
    assert f"{WORD}答复审核中提案" in titles(w.users["clerk_a"])  # assigned to unit a
    outsider = w.users["other_member"]
    assert f"{WORD}未邀请活动" not in titles(outsider)
    assert f"{WORD}受邀活动" in titles(w.users["member"])
    member_titles = titles(w.users["member"])
    assert f"{WORD}定时文章" not in member_titles and f"{WORD}草稿文章" not in member_titles
    assert {f"{WORD}公开文章", f"{WORD}委员文章"} <= member_titles
    assert titles(w.users["admin"], "") == set()
    assert Article.objects.filter(title=f"{WORD}定时文章").exists()
