"""The meetings' figures in the work report: each one's link lists exactly what it counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.factories import user_with_role
from tests.meetings.factories import plenary
from xieshang.activities import services as activity_services
from xieshang.activities.models import Activity, Speech
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Role
from xieshang.meetings import services
from xieshang.meetings.models import Meeting

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _client(client, user, committee):
    client.force_login(user)
    session = client.session
    session["xieshang_committee_id"] = committee.pk
    session.save()
    return client


def _meeting_with_records(committee, *, kind=Meeting.Kind.PLENARY, held=True, polls=1):
    p = plenary(committee, 3, kind=kind, start=timezone.now() - dt.timedelta(hours=2))
    p.register(0, 1, 2)
    item = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting, title="审议报告")
    for n in range(polls):
        poll = services.poll_open(actor=p.staff_actor, poll=services.poll_create(
            actor=p.staff_actor, meeting=p.meeting, title=f"决议{n}", item=item))
        services.poll_close(actor=p.staff_actor, poll=poll)
    services.poll_create(actor=p.staff_actor, meeting=p.meeting, title="未表决")  # not counted
    e = services.election_open(actor=p.staff_actor, election=services.election_create(
        actor=p.staff_actor, meeting=p.meeting, title="增选",
        positions=[services.PositionSpec("常务委员", 1, ["甲", "乙"])]))
    services.election_close(actor=p.staff_actor, election=e)
    speeches = Speech.objects.bulk_create([
        Speech(committee=committee, activity=p.meeting.activity, member=p.members[i][1],
               title=f"发言{i}", text="正文", submitted_at=p.meeting.activity.start)
        for i in range(3)])
    for s in speeches[:2]:
        services.oral_pick(actor=p.staff_actor, item=item, speech=s, minutes=5)
    services.speaker_request(actor=p.members[2][2], item=item)  # a request: not 大会发言
    if held:
        activity_services.activity_set_status(actor=p.staff_actor, activity=p.meeting.activity,
                                              status=Activity.Status.HELD)
    return p


def test_each_meeting_figure_links_to_exactly_what_it_counts(client, county, other_county):
    with time_machine.travel(DAY, tick=False):
        _meeting_with_records(county, polls=2)
        _meeting_with_records(county, kind=Meeting.Kind.STANDING, polls=1)
        _meeting_with_records(county, held=False)  # never marked held: not counted
        _meeting_with_records(other_county)  # another committee's
    with time_machine.travel(DAY + dt.timedelta(days=40), tick=False):
        _meeting_with_records(county)  # after the period
    figures = {k: f for k, f in compute(Scope(county, dt.date(2026, 1, 1),
                                              dt.date(2026, 3, 31))).items()
               if k.startswith("meetings.")}
    assert {k: f.value for k, f in figures.items()} == {
        "meetings.polls": 3, "meetings.elections": 2, "meetings.oral_speeches": 4}
    c = _client(client, user_with_role(county, Role.STAFF_OFFICE), county)
    for key, figure in figures.items():
        assert figure.definition and figure.section == "activities"
        assert figure.link.startswith("/meetings/?count="), key
        response = c.get(figure.link)
        assert response.status_code == 200, key
        assert response.context["page"].paginator.count == figure.value, key
        assert "按统计口径筛选" in response.content.decode(), key
    # Held meetings are the activities' figures (counted once, not again here).
    whole = compute(Scope(county, dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    assert whole["activities.plenaries"].value == 1
    assert whole["activities.standing_meetings"].value == 1
    # The statistics page shows them with their definitions and links, in the activities part.
    page = c.get("/reports/?from=2026-01-01&to=2026-03-31").content.decode()
    for figure in figures.values():
        assert figure.label in page and figure.definition in page
        assert figure.link.replace("&", "&amp;") in page
    # The work-report draft says them.
    from xieshang.reports.draft import sentences
    text = "".join(line for _heading, lines in sentences(whole) for line in lines)
    assert "全体会议和常委会议共进行表决3项、选举2次，安排大会发言4人次。" in text
    # A condition the list does not know narrows to nothing and says so; a bad date is ignored.
    r = c.get("/meetings/?count=nonsense&from=2026-01-01&to=xx")
    assert r.status_code == 200 and r.context["page"].paginator.count == 0
    assert "无法识别的条件" in r.content.decode()
    # Narrowed by kind and period, the list holds the meetings held.
    r = c.get("/meetings/?kind=standing&from=2026-01-01&to=2026-03-31")
    assert r.context["page"].paginator.count == 1
