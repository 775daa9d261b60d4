"""The yearly excellent selection (优秀提案): nominations by the office, a handling unit and a
members' group, the review list, the meeting's decision, the notice and certificate, the public
list, the API, the figure and the duty points (one fact, dated on the resolution)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from tests.factories import CollectiveBodyFactory, RoleAssignmentFactory, user_with_role
from tests.proposals.factories import S, reach
from xieshang.core.figures import Scope
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.duties.models import DutyRecomputeRequest
from xieshang.duties.sources import proposal_facts
from xieshang.proposals import services
from xieshang.proposals.figures import proposals_figures
from xieshang.proposals.models import ExcellentNomination

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]
DAY = dt.date(2026, 11, 20)
RESOLUTION = "县政协常委会议决定〔2026〕3号"


@pytest.fixture
def group(world):
    body = CollectiveBodyFactory(committee=world.committee, name="教育界别组")
    # A member nominating in the name of the group: both roles.
    user = user_with_role(world.committee, Role.MEMBER)
    RoleAssignmentFactory(user=user, committee=world.committee, role=Role.COLLECTIVE, body=body)
    world.extra["group"] = actor_for(user, world.committee)
    world.extra["group_user"] = user
    return body


def _decide(world, *noms, selected=True):
    return [services.excellent_decide(actor=world.actor("staff"), nomination=n,
                                      selected=selected, resolution_no=RESOLUTION,
                                      resolution_date=DAY) for n in noms]


def test_office_unit_and_group_each_nominate(world, group):
    p1, p2, p3 = (reach(world, S.CLOSED, title=f"关于第{i}项民生工程的建议") for i in (1, 2, 3))
    office = services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=p1)
    unit = services.excellent_nominate(actor=world.actor("clerk_a"), year=2026, proposal=p2,
                                       reason="建议已全部采纳。")
    grp = services.excellent_nominate(actor=world.extra["group"], year=2026, proposal=p3,
                                      reason="反映本界别群众呼声。", as_body=group.pk)
    assert (office.nominator_kind, unit.nominator_kind, grp.nominator_kind) == (
        "office", "unit", "group")
    assert unit.nominating_unit == world.units["a"] and grp.nominating_body == group
    assert AuditLog.objects.filter(action="proposal.excellent_nominate").count() == 3


def test_who_may_not_nominate_is_refused(world, group):
    p = reach(world, S.CLOSED)
    with pytest.raises(PermissionDenied):
        services.excellent_nominate(actor=world.actor("member"), year=2026, proposal=p,
                                    reason="好")
    with pytest.raises(ValidationError):  # unit x did not handle it
        services.excellent_nominate(actor=world.actor("clerk_x"), year=2026, proposal=p,
                                    reason="好")
    with pytest.raises(ValidationError):  # only the office nominates units
        services.excellent_nominate(actor=world.extra["group"], year=2026,
                                    unit=world.units["a"], reason="好", as_body=group.pk)
    only_group = actor_for(user_with_role(world.committee, Role.COLLECTIVE, body=group),
                           world.committee)
    with pytest.raises(ValidationError):  # a group nominates only proposals it may open
        services.excellent_nominate(actor=only_group, year=2026, proposal=p, reason="好",
                                    as_body=group.pk)
    with pytest.raises(ValidationError):  # a group must say why
        services.excellent_nominate(actor=world.extra["group"], year=2026, proposal=p,
                                    as_body=group.pk)
    with pytest.raises(ValidationError):  # not a year to come
        services.excellent_nominate(actor=world.actor("staff"), year=2027, proposal=p)
    assert not ExcellentNomination.objects.exists()


def test_decision_needs_the_resolution_and_closes_nominations(world):
    p = reach(world, S.CLOSED)
    nom = services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=p)
    with pytest.raises(ValidationError) as err:
        services.excellent_decide_year(actor=world.actor("staff"), year=2026,
                                       selected_ids=[nom.pk], resolution_no="",
                                       resolution_date=None)
    assert set(err.value.message_dict) == {"resolution_no", "resolution_date"}
    with pytest.raises(ValidationError):
        services.excellent_decide_year(actor=world.actor("staff"), year=2026,
                                       selected_ids=[nom.pk], resolution_no=RESOLUTION,
                                       resolution_date=dt.date(2026, 12, 30))
    assert not world.fresh(p).is_excellent
    with pytest.raises(PermissionDenied):
        services.excellent_decide_year(actor=world.actor("clerk_a"), year=2026,
                                       selected_ids=[nom.pk], resolution_no=RESOLUTION,
                                       resolution_date=DAY)
    services.excellent_decide_year(actor=world.actor("leader"), year=2026,
                                   selected_ids=[nom.pk], resolution_no=RESOLUTION,
                                   resolution_date=DAY)
    nom.refresh_from_db()
    assert nom.selected and nom.resolution_no == RESOLUTION and nom.resolution_date == DAY
    assert world.fresh(p).is_excellent
    other = reach(world, S.CLOSED, title="关于另一项工作的建议")
    with pytest.raises(ValidationError):
        services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=other)


def test_figure_and_duty_points_count_the_same_decided_fact(world):
    p = reach(world, S.CLOSED)
    nom = services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=p)
    scope = Scope(world.committee, dt.date(2026, 1, 1), dt.date(2026, 12, 31))

    def figure() -> int:
        return next(f.value for f in proposals_figures(scope) if f.key == "proposals.excellent")

    def facts() -> list:
        return [f for f in proposal_facts(world.committee.pk, scope.start, scope.end)
                if f.kind.startswith("proposal.excellent")]

    assert figure() == 0 and facts() == []
    _decide(world, nom)
    assert figure() == 1
    # The duty scores of the resolution's year are queued for recomputation.
    assert DutyRecomputeRequest.objects.filter(committee=world.committee, year=2026).exists()
    [fact] = [f for f in facts() if f.kind == "proposal.excellent"]
    assert fact.member_id == world.member.pk and fact.date == DAY
    # Another year's period does not count it.
    assert next(f.value for f in proposals_figures(Scope(
        world.committee, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
        if f.key == "proposals.excellent") == 0


def test_pages_review_decide_notice_certificate_and_public_list(client, world, group):
    p = reach(world, S.CLOSED)
    # A handling unit nominates from its page.
    client.force_login(world.users["clerk_a"])
    page = client.get(reverse("proposal-excellent"))
    assert page.status_code == 200
    r = client.post(reverse("proposal-excellent"), {"year": 2026, "proposal": p.pk,
                                                    "reason": "办理成效显著。"})
    assert r.status_code == 302
    nom = ExcellentNomination.objects.get()
    # Without a reason: a message on the form, nothing saved.
    client.force_login(world.extra["group_user"])
    r = client.post(reverse("proposal-excellent"), {"year": 2026, "proposal": p.pk,
                                                    "as_body": group.pk})
    assert r.status_code == 200 and "nominated" not in r.content.decode()
    assert ExcellentNomination.objects.count() == 1
    # The office sees it in the review list, from its menu.
    client.force_login(world.users["staff"])
    home = client.get(reverse("home")).content.decode()
    assert reverse("proposal-excellent") in home
    page = client.get(reverse("proposal-excellent")).content.decode()
    assert p.title in page and world.units["a"].name in page
    decide = reverse("proposal-excellent-decide", args=[2026])
    r = client.post(decide, {"selected": [nom.pk], "resolution_no": "",
                             "resolution_date": ""})
    assert r.status_code == 200 and not ExcellentNomination.objects.get().selected
    r = client.post(decide, {"selected": [nom.pk], "resolution_no": RESOLUTION,
                             "resolution_date": DAY.isoformat()})
    assert r.status_code == 302 and world.fresh(p).is_excellent
    shown = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert 'data-testid="excellent"' in shown and RESOLUTION in shown
    notice = client.get(reverse("proposal-excellent-notice", args=[2026]))
    text = "\n".join(para.text for para in Document(io.BytesIO(notice.content)).paragraphs)
    assert RESOLUTION in text and p.title in text and "通报" in text
    cert = client.get(reverse("proposal-excellent-certificate", args=[nom.pk]))
    text = "\n".join(para.text for para in Document(io.BytesIO(cert.content)).paragraphs)
    assert "荣 誉 证 书" in text and p.title in text
    # The public list, without logging in.
    client.logout()
    public = client.get(reverse("proposal-public-excellent", args=[world.committee.code]))
    assert public.status_code == 200 and p.title in public.content.decode()
    assert RESOLUTION in public.content.decode()


def test_pages_refuse_who_may_not(client, world):
    p = reach(world, S.CLOSED)
    nom = services.excellent_nominate(actor=world.actor("staff"), year=2026, proposal=p)
    client.force_login(world.users["member"])
    assert client.get(reverse("proposal-excellent")).status_code == 403
    assert reverse("proposal-excellent") not in client.get(reverse("home")).content.decode()
    client.force_login(world.users["clerk_a"])
    assert client.get(reverse("proposal-excellent-decide", args=[2026])).status_code == 403
    assert client.get(reverse("proposal-excellent-notice", args=[2026])).status_code == 403
    # The unit sees only its own nominations (none here), not the office's.
    assert p.title not in client.get(reverse("proposal-excellent")).content.decode().split(
        "<h2>", 2)[1]
    _decide(world, nom)
    assert client.get(reverse("proposal-excellent-certificate",
                              args=[nom.pk])).status_code == 404


def test_api_nominate_list_and_decide(client, world):
    p = reach(world, S.CLOSED)
    client.force_login(world.users["clerk_a"])
    r = client.post("/api/v1/proposals/excellent", json.dumps(
        {"year": 2026, "proposal_id": p.pk, "reason": "办理成效显著。"}),
        content_type="application/json")
    assert r.status_code == 201, r.content
    nom_id = r.json()["id"]
    assert r.json()["nominator_kind"] == "unit"
    r = client.post("/api/v1/proposals/excellent/2026/decision", json.dumps(
        {"selected_ids": [nom_id], "resolution_no": RESOLUTION,
         "resolution_date": DAY.isoformat()}), content_type="application/json")
    assert r.status_code == 403
    client.force_login(world.users["member"])
    assert client.get("/api/v1/proposals/excellent").status_code == 403
    client.force_login(world.users["staff"])
    r = client.post("/api/v1/proposals/excellent/2026/decision", json.dumps(
        {"selected_ids": [nom_id], "resolution_no": "", "resolution_date": DAY.isoformat()}),
        content_type="application/json")
    assert r.status_code == 400
    r = client.post("/api/v1/proposals/excellent/2026/decision", json.dumps(
        {"selected_ids": [nom_id], "resolution_no": RESOLUTION,
         "resolution_date": DAY.isoformat()}), content_type="application/json")
    assert r.status_code == 200 and r.json()["selected_ids"] == [nom_id]
    data = client.get("/api/v1/proposals/excellent?year=2026").json()
    items = data["items"] if isinstance(data, dict) else data
    assert items[0]["selected"] and items[0]["resolution_no"] == RESOLUTION


def test_a_year_out_of_range_is_not_found_or_refused_never_a_500(client, world):
    client.force_login(world.users["staff"])
    for year in (1999, 2027, 99999999999999999999):
        assert client.get(reverse("proposal-excellent-decide", args=[year])).status_code == 404
        assert client.get(reverse("proposal-excellent-notice", args=[year])).status_code == 404
    r = client.post("/api/v1/proposals/excellent/2999/decision", json.dumps(
        {"selected_ids": [1], "resolution_no": RESOLUTION, "resolution_date": DAY.isoformat()}),
        content_type="application/json")
    assert r.status_code == 400
    assert client.get("/api/v1/proposals/excellent?year=99999").status_code == 200
    assert client.get(reverse("proposal-excellent") + "?year=abc").status_code == 200
