"""提案转社情民意: converting a proposal creates its report in the opinions inbox, linked both
ways, seen by the people the report rules let see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from tests.proposals.factories import S, call, reach
from xieshang.core.models import AuditLog, Role
from xieshang.opinions import selectors
from xieshang.opinions.models import AuthorKind, OpinionReport
from xieshang.proposals.workflow import CONVERSION_HANDLERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(county):
    from tests.proposals.factories import build_world
    return build_world(county)


def test_the_opinions_app_registers_the_conversion_handler():
    assert "public_opinion" in CONVERSION_HANDLERS


def test_converting_creates_the_report_in_the_inbox_linked_both_ways(world):
    p = reach(world, S.CONVERTED)
    report = OpinionReport.objects.get(source_proposal=p)
    assert p.conversion_ref == f"opinions.report:{report.pk}"
    assert report.status == OpinionReport.Status.SUBMITTED
    assert report.author_kind == AuthorKind.MEMBER and report.author_member == world.member
    assert report.title == p.title and report.body == p.body
    assert report.committee == world.committee
    editor = user_with_role(world.committee, Role.STAFF_OPINION)
    from xieshang.core.permissions import actor_for
    assert report in selectors.inbox(actor_for(editor, world.committee), "to_edit")
    assert AuditLog.objects.filter(action="opinion.convert_from_proposal").count() == 1


def test_not_converting_creates_no_report(world):
    reach(world, S.NOT_FILED)
    assert not OpinionReport.objects.exists()


def test_a_refused_conversion_leaves_no_report(world):
    from django.core.exceptions import PermissionDenied
    p = reach(world, S.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        call(world, p, "convert", "member")
    assert not OpinionReport.objects.exists()
    assert world.fresh(p).conversion_ref == ""


def test_pages_link_both_ways_for_those_who_may_see(client, world):
    p = reach(world, S.CONVERTED)
    report = OpinionReport.objects.get(source_proposal=p)
    # The proposer (the report's author) sees the link on the proposal and the source on the report.
    client.force_login(world.users["member"])
    page = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert report.get_absolute_url() in page
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="source-proposal"' in page
    assert reverse("proposal-detail", args=[p.pk]) in page
    # The proposal office staff do not read reports: no link, and the report is not found.
    client.force_login(world.users["staff"])
    page = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert 'data-testid="converted-link"' not in page
    assert client.get(report.get_absolute_url()).status_code == 404
    # Another member may not open it, page or API.
    client.force_login(world.users["other_member"])
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/opinions/reports/{report.pk}").status_code == 404


def test_the_api_names_the_source_proposal(client, world):
    p = reach(world, S.CONVERTED)
    report = OpinionReport.objects.get(source_proposal=p)
    client.force_login(world.users["member"])
    data = client.get(f"/api/v1/opinions/reports/{report.pk}").json()
    assert data["source_proposal_id"] == p.pk
