"""Issue #17: a page shows only links its target opens, homes say what to do next, timelines
say what was done, the anonymous visitor finds the public websites."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MemberFactory, user_with_role
from xieshang.core import clock
from xieshang.core.links import may_open
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.opinions.models import OpinionEvent

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_is_not_shown_the_ledger_or_the_plan_and_is_refused_both(county, member_user):
    client = client_for(member_user)
    page = client.get(reverse("activities:list")).content.decode()
    assert reverse("activities:ledger") not in page
    assert reverse("activities:plan") not in page
    assert client.get(reverse("activities:ledger")).status_code == 403
    assert client.get(reverse("activities:plan")).status_code == 403


def test_office_staff_are_shown_the_ledger_and_the_plan(county, staff):
    page = client_for(staff).get(reverse("activities:list")).content.decode()
    assert reverse("activities:ledger") in page and reverse("activities:plan") in page


def test_may_open_runs_the_check_of_the_target_view(county, member_user, staff):
    member = actor_for(member_user, county)
    assert not may_open(member, "activities:ledger")
    assert may_open(actor_for(staff, county), "activities:ledger")
    assert not may_open(None, "activities:ledger")


def test_a_member_reads_other_members_names_without_links_to_their_records(county, member_user):
    other = MemberFactory(committee=county, name="王建国")
    client = client_for(member_user)
    page = client.get(reverse("member-list")).content.decode()
    assert "王建国" in page
    assert reverse("member-detail", args=[other.pk]) not in page
    assert client.get(reverse("member-detail", args=[other.pk])).status_code == 404


def test_the_member_home_offers_the_two_big_buttons(county, member_user):
    page = client_for(member_user).get(reverse("home")).content.decode()
    assert "写提案" in page and "报送社情民意" in page
    assert reverse("proposal-new") in page and reverse("opinions:submit") in page


def test_a_unit_clerk_is_not_offered_to_write_a_proposal(county):
    clerk = user_with_role(county, Role.UNIT_CLERK)
    page = client_for(clerk).get(reverse("home")).content.decode()
    assert reverse("proposal-new") not in page
    assert client_for(clerk).get(reverse("proposal-new")).status_code == 403


def test_the_unit_leader_home_counts_replies_to_approve(county):
    leader = user_with_role(county, Role.UNIT_LEADER)
    page = client_for(leader).get(reverse("home")).content.decode()
    assert "待签发的答复" in page
    assert client_for(leader).get(reverse("proposals-to-approve")).status_code == 200


def test_a_timeline_entry_never_shows_a_step_code():
    event = OpinionEvent(action="no_such_step", from_status="submitted", to_status="submitted")
    assert event.action_label == "已记录"
    moved = OpinionEvent(action="no_such_step", from_status="submitted", to_status="editing")
    assert "no_such_step" not in moved.done_label


def test_dates_are_written_without_leading_zeros():
    assert clock.written(dt.date(2022, 1, 1)) == "2022年1月1日"


def test_an_anonymous_visitor_of_the_root_is_offered_the_public_websites(county):
    from xieshang.portal import services

    site = services.site_ensure(actor=Actor.for_system(county), committee=county)
    response = Client().get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("portal-home", args=[county.code]) in page and county.name in page
    assert reverse("login") in page
    index = Client().get("/c/")
    assert index.status_code == 200 and site.title in index.content.decode()


def test_without_a_public_website_the_root_sends_an_anonymous_visitor_to_log_in(county):
    response = Client().get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_step_that_cannot_be_undone_asks_first_and_everyday_steps_do_not():
    from xieshang.core.workflow import Offer
    from xieshang.proposals.workflow import PROPOSAL

    not_file = Offer(PROPOSAL.steps["not_file"], "", "/", {})
    assert "不能撤销" in not_file.confirm and "不予立案" in not_file.confirm
    assert Offer(PROPOSAL.steps["sign"], "", "/", {}).confirm == ""


def test_the_not_filed_reason_is_never_preset():
    from django.template.loader import render_to_string

    from xieshang.core.workflow import Offer
    from xieshang.proposals.workflow import PROPOSAL

    offer = Offer(PROPOSAL.steps["not_file"], "", "/x/", {})
    html = render_to_string("proposals/actions/_not_file.html", {
        "offer": offer, "not_filed_reasons": [("secret", "涉及党和国家秘密")]})
    assert '<option value="">' in html and "data-confirm=" in html


def test_topic_pages_sit_inside_the_public_website(county):
    from xieshang.portal import services

    site = services.site_ensure(actor=Actor.for_system(county), committee=county)
    page = Client().get(reverse("opinions:public-topics", args=[county.code])).content.decode()
    assert "portal-head" in page and site.title in page
    assert reverse("portal-home", args=[county.code]) in page
