import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from tests.activities.factories import at, invite, make_activity, member_with_login, system
from tests.factories import HandlingUnitFactory, MemberFactory
from xieshang.activities import reading, selectors, services
from xieshang.core.models import Term
from xieshang.core.permissions import actor_for
from xieshang.members.models import Member

pytestmark = pytest.mark.django_db

Y1, Y2 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def test_count_by_type_returns_exactly_what_was_held_in_the_period(county, other_county):
    for _ in range(3):
        make_activity(county, "party_group", start=at(2025, 3, 1), status="held")
    make_activity(county, "forum", start=at(2025, 12, 31, 23), status="held")  # last evening
    make_activity(county, "forum", start=at(2026, 1, 1, 0), status="held")     # next year
    make_activity(county, "forum", start=at(2025, 6, 1), status="cancelled")
    make_activity(county, "forum", start=at(2025, 6, 1), status="planned")
    make_activity(other_county, "forum", start=at(2025, 6, 1), status="held")
    counts = selectors.count_by_type(county, Y1, Y2)
    assert counts["party_group"] == 3 and counts["forum"] == 1
    assert sum(counts.values()) == 4
    assert counts["inspection"] == 0
    assert selectors.count_by_type(county, Y1, Y2, include_planned=True)["forum"] == 2


def test_suggestions_per_type_and_adoption(county):
    actor = system(county)
    inspection = make_activity(county, "inspection", start=at(2025, 4, 1), status="held")
    seminar = make_activity(county, "seminar", start=at(2025, 5, 1), status="held")
    old = make_activity(county, "seminar", start=at(2024, 5, 1), status="held")
    for a, n in ((inspection, 3), (seminar, 2), (old, 4)):
        for i in range(n):
            services.suggestion_record(actor=actor, activity=a, text=f"建议{i}")
    s = inspection.suggestions.first()
    s = services.suggestion_send(actor=actor, suggestion=s, sent_on=dt.date(2025, 4, 2),
                                 recipient_body="县政府")
    s = services.suggestion_answer(actor=actor, suggestion=s, feedback="已采纳")
    services.suggestion_assess(actor=actor, suggestion=s, adoption="partly")
    assert selectors.suggestions_by_type(county, Y1, Y2) == {"inspection": 3, "seminar": 2}
    adoption = selectors.adoption_counts(county, Y1, Y2)
    assert adoption["closed"] == 1 and adoption["partly"] == 1 and adoption["recorded"] == 4


def test_distinct_departments_in_counterpart_consultations(county):
    units = HandlingUnitFactory.create_batch(4, committee=county)
    make_activity(county, "counterpart_consultation", start=at(2025, 3, 1), status="held",
                  units=units[:2])
    make_activity(county, "counterpart_consultation", start=at(2025, 4, 1), status="held",
                  units=units[1:3])
    make_activity(county, "democratic_supervision", start=at(2025, 4, 1), status="held",
                  units=[units[3]])
    assert selectors.counterpart_departments(county, Y1, Y2) == 3
    assert selectors.count_by_type(county, Y1, Y2)["counterpart_consultation"] == 2


def test_learning_coverage_counts_readers_and_course_attendees(county, staff):
    joined = dict(joined_on=dt.date(2022, 1, 1))
    _u1, reader, reader_actor = member_with_login(county, **joined)
    attendee = MemberFactory(committee=county, **joined)
    MemberFactory(committee=county, **joined)  # reached by nothing
    MemberFactory(committee=county, joined_on=dt.date(2022, 1, 1), left_on=dt.date(2024, 6, 1),
                  status=Member.Status.LEFT)  # did not serve in 2025
    material = services.material_create(actor=actor_for(staff, county), committee=county,
                                        title="学习材料", text="正文")
    with time_machine.travel(at(2025, 3, 3), tick=False) as traveller:
        token = reading.token_for(material.pk, reader_actor.member_id)
        record = services.reading_record(actor=reader_actor, material=material)
        traveller.shift(dt.timedelta(minutes=5))
        services.reading_report(actor=reader_actor, material=material, token=token, seconds=120)
        services.reading_report(actor=reader_actor, material=material, token=token, seconds=60,
                                marked_read=True)
    record.refresh_from_db()
    assert record.seconds == 180 and record.marked_read
    course = make_activity(county, "training", start=at(2025, 6, 1), status="held")
    [inv] = invite(course, attendee)
    services.attendance_record(actor=system(county), invitation=inv, attendance="attended")
    cov = selectors.learning_coverage_for_year(county, 2025)
    assert (cov.reached, cov.total) == (2, 3)
    assert cov.percent == 67
    term_cov = selectors.learning_coverage_for_term(Term.objects.get(committee=county))
    assert term_cov.total == 4 and term_cov.reached == 2


def test_only_members_keep_reading_records(county, staff):
    material = services.material_create(actor=actor_for(staff, county), committee=county,
                                        title="材料", url="https://example.org/a")
    with pytest.raises(PermissionDenied):
        services.reading_record(actor=actor_for(staff, county), material=material)


def test_members_cannot_publish_materials(county):
    _u, _m, actor = member_with_login(county)
    with pytest.raises(PermissionDenied):
        services.material_create(actor=actor, committee=county, title="x", text="y")


def test_attendance_rate_per_member(county):
    a, b = MemberFactory.create_batch(2, committee=county)
    for month in (3, 4, 5, 6):
        activity = make_activity(county, "forum", start=at(2025, month, 1), status="held")
        inv_a, inv_b = invite(activity, a, b)
        services.attendance_record(actor=system(county), invitation=inv_a,
                                   attendance="attended" if month != 6 else "absent")
        services.attendance_record(actor=system(county), invitation=inv_b,
                                   attendance="late" if month == 3 else "absent")
    rows = {r["member_id"]: r for r in selectors.attendance_by_member(county, Y1, Y2)}
    assert (rows[a.pk]["present"], rows[a.pk]["rate"]) == (3, 75)
    assert (rows[b.pk]["present"], rows[b.pk]["rate"]) == (1, 25)
