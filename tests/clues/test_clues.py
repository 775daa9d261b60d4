"""Proposal clues (提案线索): the public form and the member form, screening by the proposal
office (accept with a category, not use, merge duplicates with similar-text suggestions), the
library members browse, a clue turned into a linked proposal draft with its author told, the
figures, the API, and every refusal across committees and roles."""

from __future__ import annotations

import itertools
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xieshang.clues import selectors, services
from xieshang.clues.models import Clue
from xieshang.core import clock
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Notification, Role
from xieshang.core.permissions import actor_for
from xieshang.core.sms import LogSmsBackend
from xieshang.proposals.models import Proposal, ProposalCategory

pytestmark = pytest.mark.django_db

PUBLIC = {"title": "老旧小区加装电梯难",
          "body": "我们小区是上世纪九十年代建的六层楼，老人上下楼很困难，"
          "加装电梯一直协调不下来，希望政协委员关注老旧小区加装电梯的资金补助和协调机制。",
          "name": "李阿姨", "phone": "13800001111", "website": ""}
_ips = itertools.count(1)


@pytest.fixture
def office(county, make_user):
    return make_user(county, Role.STAFF_PROPOSAL)


@pytest.fixture
def category(county):
    return ProposalCategory.objects.create(committee=county, name="社会建设", order=1)


def public_clue(committee, **kw) -> Clue:
    fields = {"title": PUBLIC["title"], "body": PUBLIC["body"], "name": PUBLIC["name"],
              "phone": PUBLIC["phone"]}
    return services.clue_send_public(committee=committee, ip=f"10.1.0.{next(_ips) % 250}",
                                     **{**fields, **kw})


def accepted(committee, office, **kw) -> Clue:
    from xieshang.clues import workflow

    clue = public_clue(committee, **kw)
    return workflow.CLUE.take_form(actor=actor_for(office, committee), obj=clue, step="accept",
                                   post={"version": str(clue.version)})


# --- sending ----------------------------------------------------------------------------------

def test_the_public_sends_a_clue_without_logging_in(client, county, office,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/clues/public/{county.code}/", PUBLIC)
    assert response.status_code == 200 and "已收到" in response.content.decode()
    clue = Clue.objects.get()
    assert clue.source == Clue.Source.PUBLIC and clue.status == Clue.Status.NEW
    assert clue.contact_phone == "13800001111" and clue.committee == county
    assert Notification.objects.filter(recipient=office).exists()


def test_public_form_refuses_empty_text_with_a_chinese_message(client, county):
    response = client.post(f"/clues/public/{county.code}/", {**PUBLIC, "body": ""})
    assert response.status_code == 200 and "此项必填" in response.content.decode()
    assert not Clue.objects.exists()


def test_public_form_refuses_bots(client, county):
    client.post(f"/clues/public/{county.code}/", {**PUBLIC, "website": "http://spam"})
    assert not Clue.objects.exists()


def test_public_form_is_limited_per_address(client, county):
    for _i in range(services.PUBLIC_PER_IP_HOUR):
        assert client.post(f"/clues/public/{county.code}/", PUBLIC).status_code == 200
    response = client.post(f"/clues/public/{county.code}/", PUBLIC)
    assert response.status_code == 429
    assert Clue.objects.count() == services.PUBLIC_PER_IP_HOUR


def test_public_form_of_an_unknown_committee_is_404(client, county):
    assert client.get("/clues/public/nowhere/").status_code == 404


def test_a_member_sends_a_clue(client, county, member_user):
    client.force_login(member_user)
    response = client.post(reverse("clues:new"),
                           {"title": "农村饮水", "body": "山区村组季节性缺水"})
    clue = Clue.objects.get()
    assert response.status_code == 302 and clue.source == Clue.Source.MEMBER
    assert clue.author_user == member_user


def test_staff_and_units_cannot_use_the_member_form(client, county, make_user):
    for role in (Role.STAFF_PROPOSAL, Role.UNIT_CLERK):
        client.force_login(make_user(county, role))
        assert client.get(reverse("clues:new")).status_code == 403


# --- who sees what ----------------------------------------------------------------------------

def test_members_see_the_library_and_their_own_but_not_new_clues(county, office, member_user):
    waiting = public_clue(county)
    in_library = accepted(county, office, title="停车难")
    mine = services.clue_send(actor=actor_for(member_user, county), title="我的线索", body="内容")
    seen = set(selectors.visible(actor_for(member_user, county)))
    assert seen == {in_library, mine} and waiting not in seen


def test_nothing_of_another_committee_is_visible(client, county, other_county, office,
                                                 make_user):
    clue = accepted(county, office)
    for role in (Role.MEMBER, Role.STAFF_PROPOSAL, Role.ADMIN, Role.LEADER):
        outsider = make_user(other_county, role)
        assert not selectors.visible(actor_for(outsider, other_county)).exists()
        client.force_login(outsider)
        assert client.get(clue.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/clues/clues/{clue.pk}").status_code == 404


def test_unit_clerks_see_no_clues(client, county, office, make_user):
    accepted(county, office)
    clerk = make_user(county, Role.UNIT_CLERK)
    client.force_login(clerk)
    assert client.get(reverse("clues:list")).status_code == 403
    assert client.get("/api/v1/clues/clues").status_code == 403


def test_a_member_cannot_open_a_waiting_clue(client, county, member_user):
    clue = public_clue(county)
    client.force_login(member_user)
    assert client.get(clue.get_absolute_url()).status_code == 404


def test_members_do_not_see_the_authors_phone(client, county, office, member_user):
    clue = accepted(county, office)
    client.force_login(member_user)
    page = client.get(clue.get_absolute_url()).content.decode()
    assert clue.contact_phone not in page and "138****1111" not in page
    client.force_login(office)
    page = client.get(clue.get_absolute_url()).content.decode()
    assert "138****1111" in page and clue.contact_phone not in page


# --- screening --------------------------------------------------------------------------------

def test_office_accepts_a_clue_with_a_category(client, county, office, category):
    clue = public_clue(county)
    client.force_login(office)
    response = client.post(reverse("clues:act", args=[clue.pk, "accept"]),
                           {"version": clue.version, "category_id": category.pk})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == Clue.Status.ACCEPTED and clue.category == category
    assert clue.events.filter(action="accept").exists()


def test_a_category_of_another_committee_is_refused(county, other_county, office):
    from xieshang.clues import workflow

    foreign = ProposalCategory.objects.create(committee=other_county, name="经济建设")
    clue = public_clue(county)
    with pytest.raises(ValidationError):
        workflow.CLUE.take_form(actor=actor_for(office, county), obj=clue, step="accept",
                                post={"version": str(clue.version), "category_id": foreign.pk})
    clue.refresh_from_db()
    assert clue.status == Clue.Status.NEW and clue.category is None


def test_not_using_a_clue_needs_a_reason(client, county, office):
    clue = public_clue(county)
    client.force_login(office)
    client.post(reverse("clues:act", args=[clue.pk, "not_use"]), {"version": clue.version})
    clue.refresh_from_db()
    assert clue.status == Clue.Status.NEW
    client.post(reverse("clues:act", args=[clue.pk, "not_use"]),
                {"version": clue.version, "note": "不属于政协职能"})
    clue.refresh_from_db()
    assert clue.status == Clue.Status.NOT_USED


def test_members_and_other_committees_staff_cannot_screen(client, county, other_county,
                                                          member_user, make_user):
    clue = public_clue(county)
    client.force_login(member_user)
    assert client.post(reverse("clues:act", args=[clue.pk, "accept"]),
                       {"version": clue.version}).status_code == 404
    outsider = make_user(other_county, Role.STAFF_PROPOSAL)
    client.force_login(outsider)
    assert client.post(reverse("clues:act", args=[clue.pk, "accept"]),
                       {"version": clue.version}).status_code == 404
    leader = make_user(county, Role.LEADER)
    client.force_login(leader)
    assert client.post(reverse("clues:act", args=[clue.pk, "accept"]),
                       {"version": clue.version}).status_code == 403
    clue.refresh_from_db()
    assert clue.status == Clue.Status.NEW


def test_similar_clues_are_suggested_and_merged(client, county, office):
    first = public_clue(county)
    second = public_clue(county, title="加装电梯协调难",
                         body="老旧小区加装电梯协调不下来，老人上下楼困难，"
                              "希望关注资金补助和协调机制。")
    other = public_clue(county, title="学校门口交通拥堵",
                        body="放学时段校门口车辆乱停，孩子过马路危险。")
    found = selectors.similar(actor_for(office, county), second)
    assert found and found[0][0] == first and other not in [c for c, _ in found]
    client.force_login(office)
    page = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="similar-clues"' in page and first.title in page
    response = client.post(reverse("clues:merge", args=[second.pk]),
                           {"version": second.version, "into": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Clue.Status.MERGED and second.merged_into == first


def test_a_clue_cannot_be_merged_into_itself_or_another_committees(county, other_county,
                                                                   office):
    clue = public_clue(county)
    foreign = public_clue(other_county)
    actor = actor_for(office, county)
    with pytest.raises(ValidationError):
        services.clue_merge(actor=actor, clue=clue, into=clue, version=clue.version)
    with pytest.raises(ValidationError):
        services.clue_merge(actor=actor, clue=clue, into=foreign, version=clue.version)


def test_members_cannot_merge(client, county, office, member_user):
    a, b = accepted(county, office), accepted(county, office, title="另一条")
    client.force_login(member_user)
    assert client.post(reverse("clues:merge", args=[b.pk]),
                       {"version": b.version, "into": a.pk}).status_code == 403


# --- turning a clue into a proposal -----------------------------------------------------------

def test_a_member_turns_a_clue_into_a_linked_draft_and_the_public_author_is_told(
        client, county, office, member_user, category, django_capture_on_commit_callbacks):
    clue = accepted(county, office)
    Clue.objects.filter(pk=clue.pk).update(category=category)
    clue.refresh_from_db()
    LogSmsBackend.sent.clear()
    client.force_login(member_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clues:adopt", args=[clue.pk]), {"version": clue.version})
    clue.refresh_from_db()
    assert clue.status == Clue.Status.ADOPTED and clue.proposal is not None
    proposal = clue.proposal
    assert response.status_code == 302 and response.url == reverse("proposal-edit",
                                                                    args=[proposal.pk])
    assert proposal.created_by == member_user and proposal.status == "draft"
    assert proposal.category == category and clue.body in proposal.body
    assert [p for p, _ in LogSmsBackend.sent] == ["13800001111"]
    LogSmsBackend.sent.clear()


def test_a_member_author_is_told_by_notification(county, office, member_user, make_user,
                                                django_capture_on_commit_callbacks):
    from xieshang.clues import workflow

    clue = services.clue_send(actor=actor_for(member_user, county), title="农村饮水",
                              body="山区村组季节性缺水，建议新建集中供水工程。")
    clue = workflow.CLUE.take_form(actor=actor_for(office, county), obj=clue, step="accept",
                                   post={"version": str(clue.version)})
    other = make_user(county, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        services.clue_adopt(actor=actor_for(other, county), clue=clue, version=clue.version)
    assert Notification.objects.filter(recipient=member_user, title__contains="农村饮水").exists()


def test_a_waiting_clue_cannot_be_turned_into_a_proposal(county, office, member_user):
    clue = public_clue(county)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.clue_adopt(actor=actor_for(member_user, county), clue=clue,
                            version=clue.version)
    assert not Proposal.objects.exists()


def test_staff_cannot_turn_a_clue_into_a_proposal(client, county, office):
    clue = accepted(county, office)
    client.force_login(office)
    assert client.post(reverse("clues:adopt", args=[clue.pk]),
                       {"version": clue.version}).status_code == 403
    assert not Proposal.objects.exists()


def test_a_stale_version_is_refused(county, office, member_user):
    clue = accepted(county, office)
    with pytest.raises(ValidationError):
        services.clue_adopt(actor=actor_for(member_user, county), clue=clue,
                            version=clue.version - 1)
    assert not Proposal.objects.exists()


# --- figures and API --------------------------------------------------------------------------

def test_figures_count_clues_received_and_adopted(county, office, member_user):
    clue = accepted(county, office)
    public_clue(county, title="第二条")
    services.clue_adopt(actor=actor_for(member_user, county), clue=clue, version=clue.version)
    today = clock.today()
    figures = compute(Scope(county, today.replace(month=1, day=1), today))
    assert figures["clues.received"].value == 2
    assert figures["clues.public"].value == 2
    assert figures["clues.adopted"].value == 1


def test_each_clue_figure_opens_the_clues_it_counts(client, county, office, member_user):
    clue = accepted(county, office)
    public_clue(county, title="第二条")
    services.clue_send(actor=actor_for(member_user, county), title="委员的线索",
                       body="建议增设社区老年食堂。")
    services.clue_adopt(actor=actor_for(member_user, county), clue=clue, version=clue.version)
    today = clock.today()
    figures = compute(Scope(county, today.replace(month=1, day=1), today))
    client.force_login(office)
    for key in ("clues.received", "clues.public", "clues.adopted"):
        response = client.get(figures[key].link)
        assert response.context["page"].paginator.count == figures[key].value, key
        assert response.context["narrowed"], key
    assert [figures[k].value for k in ("clues.received", "clues.public", "clues.adopted")] == [
        3, 2, 1]


def test_api_lists_the_library_and_sends_and_adopts(client, county, office, member_user):
    clue = accepted(county, office)
    public_clue(county, title="待筛选的")
    client.force_login(member_user)
    data = client.get("/api/v1/clues/clues").json()
    assert [row["id"] for row in data["items"]] == [clue.pk]
    sent = client.post("/api/v1/clues/clues",
                       json.dumps({"title": "停车难", "body": "小区停车难"}),
                       content_type="application/json")
    assert sent.status_code == 201 and sent.json()["status"] == "new"
    adopted = client.post(f"/api/v1/clues/clues/{clue.pk}/adopt",
                          json.dumps({"version": clue.version}), content_type="application/json")
    assert adopted.status_code == 200 and adopted.json()["proposal_id"]


def test_api_screening_is_for_the_office_only(client, county, office, member_user):
    clue = public_clue(county)
    client.force_login(member_user)
    assert client.post(f"/api/v1/clues/clues/{clue.pk}/accept",
                       json.dumps({"version": clue.version}),
                       content_type="application/json").status_code == 404
    client.force_login(office)
    response = client.post(f"/api/v1/clues/clues/{clue.pk}/accept",
                           json.dumps({"version": clue.version}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    similar = client.get(f"/api/v1/clues/clues/{clue.pk}/similar")
    assert similar.status_code == 200
