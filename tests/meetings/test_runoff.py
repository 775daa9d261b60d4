"""另行选举: the runoff of the seats a closed election left empty, set up in one step."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import user_with_role
from tests.meetings.factories import plenary
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.meetings import documents, selectors, services, workflow
from xieshang.meetings.models import Election

pytestmark = pytest.mark.django_db


def _closed(p, ballots, seats=2, candidates=("甲", "乙", "丙", "丁")):
    e = services.election_create(
        actor=p.staff_actor, meeting=p.meeting, title="选举常务委员",
        positions=[services.PositionSpec("常务委员", seats, list(candidates)),
                   services.PositionSpec("秘书长", 1, ["戊", "己"])])
    e = services.election_open(actor=p.staff_actor, election=e)
    standing, secretary = e.positions.all()
    for i, (marks, second) in enumerate(ballots):
        services.ballot_cast(actor=p.members[i][2], election=e,
                             marks={standing.pk: marks, secretary.pk: second})
    return services.election_close(actor=p.staff_actor, election=e)


# 5 ballots, 2 seats: 甲 4 is elected; 乙 2, 丙 2, 丁 1 are not (no majority). 秘书长: 戊 elected.
BALLOTS = [(["甲", "乙"], ["戊"]), (["甲", "乙"], ["戊"]), (["甲", "丙"], ["戊"]),
           (["甲", "丙"], ["己"]), (["丁"], [])]


def _members_register(p):
    p.register(*range(len(p.members)))


def test_runoff_takes_the_empty_seats_and_the_names_the_count_gave(county):
    p = plenary(county, 5)
    _members_register(p)
    first = _closed(p, BALLOTS)
    assert workflow.ELECTION.allowed_names(p.staff_actor, first) == ["runoff"]
    runoff = services.election_runoff(actor=p.staff_actor, election=first)
    assert runoff.runoff_of == first and runoff.meeting == p.meeting
    assert runoff.status == Election.Status.DRAFT and runoff.title == "选举常务委员（另行选举）"
    position = runoff.positions.get()  # 秘书长 is filled: not part of the runoff
    assert (position.name, position.seats) == ("常务委员", 1)
    # 差额: the best-placed not elected, twice the seats left (乙 and 丙 tie at 2).
    assert sorted(position.candidates.values_list("name", flat=True)) == ["丙", "乙"]
    assert AuditLog.objects.filter(action="election.runoff").exists()
    # Ready to open; in it the most votes elect with at least a third of the ballots.
    runoff = services.election_open(actor=p.staff_actor, election=runoff)
    for i, name in enumerate(["乙", "乙", "丙", "丙", "乙"]):
        services.ballot_cast(actor=p.members[i][2], election=runoff,
                             marks={position.pk: [name]})
    runoff = services.election_close(actor=p.staff_actor, election=runoff)
    assert runoff.result["positions"][0]["elected"] == ["乙"]
    combined = selectors.combined_result(runoff)
    assert [(c.position, c.elected, c.empty) for c in combined] == [
        ("常务委员", ["甲", "乙"], 0), ("秘书长", ["戊"], 0)]


def test_a_tie_in_the_runoff_elects_nobody_and_names_the_tied(county):
    p = plenary(county, 6)
    _members_register(p)
    first = _closed(p, [(["甲"], ["戊"])] * 4 + [(["乙"], ["戊"]), (["丙"], ["戊"])], seats=2)
    runoff = services.election_open(
        actor=p.staff_actor, election=services.election_runoff(actor=p.staff_actor,
                                                               election=first))
    position = runoff.positions.get()
    # One seat left: 乙 and 丙 (1 vote each) are put forward; 丁 (no vote) is not.
    assert sorted(position.candidates.values_list("name", flat=True)) == ["丙", "乙"]
    for i, marks in enumerate([["乙"], ["乙"], ["丙"], ["丙"], ["丁"], []]):
        services.ballot_cast(actor=p.members[i][2], election=runoff, marks={position.pk: marks})
    runoff = services.election_close(actor=p.staff_actor, election=runoff)
    # 6 ballots (丁 written in): 乙 and 丙 have 2 each, a third, and tie for the one seat.
    r = runoff.result["positions"][0]
    assert r["elected"] == [] and r["runoff_names"] == ["丙", "乙"]


def test_runoff_is_refused_when_no_seat_is_empty_not_closed_or_set_up_already(county):
    p = plenary(county, 3)
    _members_register(p)
    full = _closed(p, [(["甲", "乙"], ["戊"])] * 3)
    assert workflow.ELECTION.allowed_names(p.staff_actor, full) == []
    with pytest.raises(ValidationError, match="无需另行选举"):
        services.election_runoff(actor=p.staff_actor, election=full)
    draft = services.election_create(actor=p.staff_actor, meeting=p.meeting, title="补选",
                                     positions=[services.PositionSpec("副主席", 1, ["甲"])])
    with pytest.raises(ValidationError):
        services.election_runoff(actor=p.staff_actor, election=draft)
    q = plenary(county, 5)
    _members_register(q)
    first = _closed(q, BALLOTS)
    services.election_runoff(actor=q.staff_actor, election=first)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="已经发起"):
        services.election_runoff(actor=q.staff_actor, election=first)
    assert first.runoffs.count() == 1


def test_member_and_other_committees_staff_cannot_set_up_a_runoff(county, other_county):
    p = plenary(county, 5)
    _members_register(p)
    first = _closed(p, BALLOTS)
    other = actor_for(user_with_role(other_county, Role.STAFF_OFFICE), other_county)
    for actor in (p.members[0][2], other):
        assert workflow.ELECTION.allowed_names(actor, first) == []
        with pytest.raises(PermissionDenied):
            services.election_runoff(actor=actor, election=first)
    assert not first.runoffs.exists()


def _client(client, user, committee):
    client.force_login(user)
    session = client.session
    session["xieshang_committee_id"] = committee.pk
    session.save()
    return client


def test_runoff_from_the_page_and_the_result_mentions_it(client, county, other_county):
    p = plenary(county, 5)
    _members_register(p)
    first = _closed(p, BALLOTS)
    url = reverse("meetings:election-act", args=[first.pk, "runoff"])
    member = _client(client.__class__(), p.members[0][0], county)
    assert "发起另行选举" not in member.get(first.get_absolute_url()).content.decode()
    assert member.post(url, {"version": first.version}).status_code == 403
    stranger = _client(client.__class__(), user_with_role(other_county, Role.STAFF_OFFICE),
                       other_county)
    assert stranger.post(url, {"version": first.version}).status_code == 404
    staff = _client(client, p.staff, county)
    assert "发起另行选举" in staff.get(first.get_absolute_url()).content.decode()
    r = staff.post(url, {"version": first.version})
    runoff = first.runoffs.get()
    assert r.status_code == 302 and r["Location"] == runoff.get_absolute_url()
    page = staff.get(runoff.get_absolute_url()).content.decode()
    assert "另行选举" in page and "三分之一" in page and 'id="combined"' in page
    assert runoff.title in staff.get(first.get_absolute_url()).content.decode()
    # The same step again is refused with a message, not an error page.
    again = staff.post(url, {"version": first.version + 1}, follow=True)
    assert again.status_code == 200 and first.runoffs.count() == 1
    from io import BytesIO

    from docx import Document
    text = "\n".join(par.text for par in Document(BytesIO(documents.result_docx(first)))
                     .paragraphs)
    assert runoff.title in text
