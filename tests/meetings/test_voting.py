"""Registration, quorum, votes and elections through the services."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.activities.factories import member_with_login
from tests.factories import user_with_role
from tests.meetings.factories import approve_leave, plenary
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.meetings import services
from xieshang.meetings.models import (
    ElectionParticipation,
    ElectionTally,
    Majority,
    Poll,
    PollParticipation,
    PollTally,
)

pytestmark = pytest.mark.django_db


def test_counts_follow_the_activity_attendance_and_quorum_is_more_than_half(county):
    p = plenary(county, 5)
    approve_leave(p, 4)
    from xieshang.meetings import selectors
    c = selectors.counts(p.meeting)
    assert (c.members_total, c.expected, c.registered, c.on_leave, c.absent) == (5, 5, 0, 1, 4)
    assert c.quorum == 3 and not c.quorum_reached
    p.register(0, 1, 2)
    c = selectors.counts(p.meeting)
    assert (c.registered, c.absent) == (3, 1) and c.quorum_reached


def test_registration_by_qr_is_the_activity_sign_in(county):
    from xieshang.activities import services as activity_services
    from xieshang.meetings import selectors
    p = plenary(county, 2)
    _w, token = activity_services.qr_window_open(actor=p.staff_actor, activity=p.meeting.activity)
    activity_services.qr_sign_in(actor=p.members[0][2], token=token)
    assert selectors.is_registered(p.meeting, p.members[0][1].pk)
    assert selectors.counts(p.meeting).registered == 1


def test_member_not_expected_cannot_be_registered(county):
    p = plenary(county, 1)
    _u, stranger, _a = member_with_login(county)
    with pytest.raises(ValidationError):
        services.register(actor=p.staff_actor, meeting=p.meeting, member=stranger)


def test_only_staff_of_the_committee_set_up_and_register(county, other_county):
    p = plenary(county, 1)
    for user, committee in ((p.members[0][0], county),
                            (user_with_role(other_county, Role.STAFF_OFFICE), other_county)):
        actor = actor_for(user, committee)
        with pytest.raises(PermissionDenied):
            services.register(actor=actor, meeting=p.meeting, member=p.members[0][1])
        with pytest.raises(PermissionDenied):
            services.poll_create(actor=actor, meeting=p.meeting, title="x")


def _poll(p, **kw):
    poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting, title="政治决议", **kw)
    return services.poll_open(actor=p.staff_actor, poll=poll)


def test_only_registered_members_vote_and_only_once(county):
    p = plenary(county, 3)
    p.register(0)
    poll = _poll(p)
    with pytest.raises(ValidationError, match="报到"):
        services.vote_cast(actor=p.members[1][2], poll=poll, choice="yes")
    services.vote_cast(actor=p.members[0][2], poll=poll, choice="yes")
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(actor=p.members[0][2], poll=poll, choice="no")
    assert exc.value.code == "already_voted"
    assert PollTally.objects.get(poll=poll, choice="yes").votes == 1
    assert PollTally.objects.get(poll=poll, choice="no").votes == 0


def test_member_of_another_committee_cannot_vote(county, other_county):
    p = plenary(county, 1)
    p.register(0)
    poll = _poll(p)
    _u, _m, outsider = member_with_login(other_county)
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=outsider, poll=poll, choice="yes")


def test_votes_are_refused_before_opening_and_after_closing(county):
    p = plenary(county, 2)
    p.register(0, 1)
    poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting, title="决议")
    with pytest.raises(ValidationError):
        services.vote_cast(actor=p.members[0][2], poll=poll, choice="yes")
    services.poll_open(actor=p.staff_actor, poll=poll)
    services.poll_close(actor=p.staff_actor, poll=poll)
    with pytest.raises(ValidationError):
        services.vote_cast(actor=p.members[1][2], poll=poll, choice="yes")


def test_member_cannot_open_or_close_a_vote(county):
    p = plenary(county, 1)
    poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting, title="决议")
    with pytest.raises(PermissionDenied):
        services.poll_open(actor=p.members[0][2], poll=poll)


def test_closing_records_counts_present_and_the_majority_of_all_members(county):
    p = plenary(county, 5)
    p.register(0, 1, 2, 3)
    poll = _poll(p)
    for i, choice in enumerate(["yes", "yes", "no", "abstain"]):
        services.vote_cast(actor=p.members[i][2], poll=poll, choice=choice)
    poll = services.poll_close(actor=p.staff_actor, poll=poll)
    assert (poll.yes, poll.no, poll.abstain, poll.present, poll.members_total) == (2, 1, 1, 4, 5)
    assert poll.passed is False  # 2 of 5 members is not more than half
    assert len(poll.digest) == 64
    assert AuditLog.objects.filter(action="poll.close").exists()


def test_majority_of_those_present(county):
    p = plenary(county, 5)
    p.register(0, 1, 2)
    poll = _poll(p, majority=Majority.PRESENT)
    services.vote_cast(actor=p.members[0][2], poll=poll, choice="yes")
    services.vote_cast(actor=p.members[1][2], poll=poll, choice="yes")
    assert services.poll_close(actor=p.staff_actor, poll=poll).passed is True


def test_paper_ballot_boxes_are_added_to_the_count(county):
    p = plenary(county, 5)
    p.register(0)
    poll = _poll(p)
    services.vote_cast(actor=p.members[0][2], poll=poll, choice="yes")
    services.paper_box_record(actor=p.staff_actor, poll=poll, label="1号票箱", yes=2, no=1,
                              abstain=0, ballots=3)
    with pytest.raises(ValidationError):
        services.paper_box_record(actor=p.staff_actor, poll=poll, label="2号票箱", yes=5, no=0,
                                  abstain=0, ballots=3)
    with pytest.raises(ValidationError):
        services.paper_box_record(actor=p.staff_actor, poll=poll, label="1号票箱", yes=1, no=0,
                                  abstain=0, ballots=1)
    with pytest.raises(PermissionDenied):
        services.paper_box_record(actor=p.members[0][2], poll=poll, label="3号票箱", yes=1,
                                  no=0, abstain=0, ballots=1)
    poll = services.poll_close(actor=p.staff_actor, poll=poll)
    assert (poll.yes, poll.no, poll.passed) == (3, 1, True)


def test_a_closed_vote_cannot_be_changed(county):
    p = plenary(county, 2)
    p.register(0)
    poll = _poll(p)
    poll = services.poll_close(actor=p.staff_actor, poll=poll)
    with pytest.raises(ValidationError):
        services.poll_close(actor=p.staff_actor, poll=poll)
    with pytest.raises(ValidationError):
        services.paper_box_record(actor=p.staff_actor, poll=poll, label="迟到票箱", yes=1, no=0,
                                  abstain=0, ballots=1)
    assert Poll.objects.get(pk=poll.pk).yes == 0


def test_secret_vote_stores_no_link_between_member_and_choice(county):
    p = plenary(county, 3)
    p.register(0, 1, 2)
    poll = _poll(p, secret=True)
    for i, choice in enumerate(["yes", "no", "yes"]):
        services.vote_cast(actor=p.members[i][2], poll=poll, choice=choice)
    assert set(PollParticipation.objects.filter(poll=poll).values_list("choice", flat=True)) \
        == {""}
    tally_fields = {f.name for f in PollTally._meta.get_fields()}
    assert tally_fields == {"id", "committee", "poll", "choice", "votes"}
    for row in AuditLog.objects.filter(action="poll.vote"):
        assert "yes" not in str(row.after) and "no" not in str(row.after)
    assert services.poll_close(actor=p.staff_actor, poll=poll).yes == 2


def test_home_card_counts_open_votes_the_member_has_not_cast(county):
    from xieshang.meetings import selectors
    p = plenary(county, 2)
    p.register(0)
    poll = _poll(p)
    _election(p)
    assert selectors.awaiting_my_vote(p.members[0][2]) == 2
    assert selectors.awaiting_my_vote(p.members[1][2]) == 0  # not registered
    services.vote_cast(actor=p.members[0][2], poll=poll, choice="yes")
    assert selectors.awaiting_my_vote(p.members[0][2]) == 1


def test_open_vote_records_who_voted_what(county):
    p = plenary(county, 1)
    p.register(0)
    poll = _poll(p)
    services.vote_cast(actor=p.members[0][2], poll=poll, choice="no")
    assert PollParticipation.objects.get(poll=poll).choice == "no"


def test_two_hundred_votes_none_lost_or_doubled(county):
    """200 members vote in a tight loop, each twice (SQLite serialises writers; on PostgreSQL
    the same runs in threads: test_two_hundred_concurrent_votes_on_postgresql)."""
    p = plenary(county, 200)
    p.register(*range(200))
    poll = _poll(p)
    refused = 0
    for _round in range(2):
        for i in range(200):
            try:
                services.vote_cast(actor=p.members[i][2], poll=poll, choice="yes" if i % 3
                                   else "no")
            except ValidationError:
                refused += 1
    poll = services.poll_close(actor=p.staff_actor, poll=poll)
    assert refused == 200
    assert poll.yes + poll.no == 200 and poll.no == 67
    assert PollParticipation.objects.filter(poll=poll).count() == 200


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_votes_on_postgresql(county):
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL (SQLite: the tight loop above)")
    from concurrent.futures import ThreadPoolExecutor

    p = plenary(county, 200)
    p.register(*range(200))
    poll = _poll(p)
    errors: list[Exception] = []

    def cast(i: int) -> None:
        try:
            for _ in range(2):
                with contextlib.suppress(ValidationError):
                    services.vote_cast(actor=p.members[i][2], poll=poll, choice="yes")
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    # 200 voters through 24 connections at once (a server's worker pool; PostgreSQL's default
    # max_connections of 100 would refuse 200 at once — that is the pool's job, not the vote's).
    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(cast, range(200)))
    assert errors == []
    assert services.poll_close(actor=p.staff_actor, poll=poll).yes == 200


def _election(p, seats=2, candidates=("甲", "乙", "丙")):
    e = services.election_create(actor=p.staff_actor, meeting=p.meeting, title="选举常务委员",
                                 positions=[services.PositionSpec("常务委员", seats,
                                                                  list(candidates))])
    return services.election_open(actor=p.staff_actor, election=e)


def test_election_with_write_in_invalid_ballot_and_runoff(county):
    p = plenary(county, 5)
    p.register(0, 1, 2, 3, 4)
    e = _election(p)
    pos = e.positions.get()
    ballots = [["甲", "乙"], ["甲", "乙"], ["甲", "丁"], ["甲", "乙", "丙"], []]
    for i, marks in enumerate(ballots):
        services.ballot_cast(actor=p.members[i][2], election=e, marks={pos.pk: marks})
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=p.members[0][2], election=e, marks={pos.pk: ["丙"]})
    e = services.election_close(actor=p.staff_actor, election=e)
    r = e.result["positions"][0]
    assert (r["valid"], r["invalid"], e.ballots) == (4, 1, 5)
    assert r["elected"] == ["甲"] and r["runoff_seats"] == 1
    assert ["丁", 1, True] in r["votes"]
    assert ElectionTally.objects.get(position=pos, name="丁").written_in
    assert ElectionParticipation.objects.filter(election=e).count() == 5


def test_election_needs_as_many_candidates_as_seats(county):
    p = plenary(county, 1)
    with pytest.raises(ValidationError):
        _election(p, seats=3, candidates=("甲", "乙"))


def test_unregistered_member_cannot_cast_a_ballot(county):
    p = plenary(county, 2)
    p.register(0)
    e = _election(p)
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=p.members[1][2], election=e,
                             marks={e.positions.get().pk: ["甲"]})
