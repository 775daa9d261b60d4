import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.activities.factories import at, make_activity, member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from xieshang.activities import selectors, services, workflow
from xieshang.activities.models import ActivityEvent, Suggestion
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import Notification, Role
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(county, staff):
    activity = make_activity(county, "inspection", start=at(2025, 4, 8), status="held",
                             actor=actor_for(staff, county))
    unit = HandlingUnitFactory(committee=county, name="县教育局")
    return services.suggestion_record(actor=actor_for(staff, county), activity=activity,
                                      text="建议完善校车安全运营监管机制", recipient_unit=unit)


def test_ledger_item_through_to_adoption(county, staff, item):
    actor = actor_for(staff, county)
    sent = services.suggestion_send(actor=actor, suggestion=item, sent_on=dt.date(2025, 4, 10))
    assert sent.status == "sent"
    assert sent.deadline == WorkCalendar(county).add_working_days(dt.date(2025, 4, 10), 30).date
    answered = services.suggestion_answer(actor=actor, suggestion=sent,
                                          feedback="已制定校车安全管理办法",
                                          feedback_on=dt.date(2025, 5, 6))
    assert answered.status == "answered"
    closed = services.suggestion_assess(actor=actor, suggestion=answered, adoption="adopted",
                                        follow_up="回访：已落实")
    assert closed.status == "closed" and closed.adoption == "adopted"
    assert list(ActivityEvent.objects.filter(suggestion=item).values_list(
        "from_status", "to_status")) == [("recorded", "sent"), ("sent", "answered"),
                                         ("answered", "closed")]
    services.suggestion_follow_up(actor=actor, suggestion=closed, follow_up="二次回访：成效明显")
    closed.refresh_from_db()
    assert closed.follow_up == "二次回访：成效明显"


def test_the_department_it_was_sent_to_enters_feedback(county, staff, item):
    services.suggestion_send(actor=actor_for(staff, county), suggestion=item,
                             sent_on=dt.date(2025, 4, 10))
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=item.recipient_unit)
    other_clerk = user_with_role(county, Role.UNIT_CLERK)
    item.refresh_from_db()
    assert workflow.SUGGESTION.allowed_names(actor_for(other_clerk, county), item) == []
    with pytest.raises(PermissionDenied):
        services.suggestion_answer(actor=actor_for(other_clerk, county), suggestion=item,
                                   feedback="x")
    done = services.suggestion_answer(actor=actor_for(clerk, county), suggestion=item,
                                      feedback="已研究落实")
    assert done.status == "answered"
    with pytest.raises(PermissionDenied):
        services.suggestion_assess(actor=actor_for(clerk, county), suggestion=done,
                                   adoption="adopted")


def test_sending_notifies_the_department(county, staff, item,
                                        django_capture_on_commit_callbacks):
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=item.recipient_unit)
    with django_capture_on_commit_callbacks(execute=True):  # people are told after the commit
        services.suggestion_send(actor=actor_for(staff, county), suggestion=item,
                                 sent_on=dt.date(2025, 4, 10))
    assert Notification.objects.filter(recipient=clerk).exists()


def test_steps_out_of_order_are_refused(county, staff, item):
    actor = actor_for(staff, county)
    with pytest.raises(ValidationError):
        services.suggestion_answer(actor=actor, suggestion=item, feedback="x")
    with pytest.raises(ValidationError):
        services.suggestion_assess(actor=actor, suggestion=item, adoption="adopted")
    item.refresh_from_db()
    assert item.status == "recorded"


def test_send_needs_a_recipient_and_assess_a_valid_answer(county, staff):
    actor = actor_for(staff, county)
    activity = make_activity(county, "forum", status="held")
    s = services.suggestion_record(actor=actor, activity=activity, text="建议")
    with pytest.raises(ValidationError):
        services.suggestion_send(actor=actor, suggestion=s, sent_on=dt.date(2025, 1, 6))
    s = services.suggestion_send(actor=actor, suggestion=s, sent_on=dt.date(2025, 1, 6),
                                 recipient_body="县人民政府")
    s = services.suggestion_answer(actor=actor, suggestion=s, feedback="收悉")
    with pytest.raises(ValidationError):
        services.suggestion_assess(actor=actor, suggestion=s, adoption="maybe")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.UNIT_CLERK, Role.STAFF_OPINION])
def test_only_ledger_keepers_record_and_send(county, staff, item, role):
    actor = actor_for(user_with_role(county, role), county)
    with pytest.raises(PermissionDenied):
        services.suggestion_record(actor=actor, activity=item.activity, text="x")
    with pytest.raises(PermissionDenied):
        services.suggestion_send(actor=actor, suggestion=item, sent_on=dt.date(2025, 4, 10))
    with pytest.raises(PermissionDenied):
        services.suggestion_remind(actor=actor, suggestion=item)


def test_staff_of_another_committee_cannot_touch_the_ledger(county, other_county, item):
    actor = actor_for(user_with_role(other_county, Role.STAFF_OFFICE), other_county)
    with pytest.raises(PermissionDenied):
        services.suggestion_send(actor=actor, suggestion=item, sent_on=dt.date(2025, 4, 10))
    assert selectors.ledger(actor).count() == 0


def test_overdue_items_are_reminded(county, staff, item, django_capture_on_commit_callbacks):
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=item.recipient_unit)
    services.suggestion_send(actor=actor_for(staff, county), suggestion=item,
                             sent_on=dt.date(2025, 1, 6))
    assert selectors.overdue_count(actor_for(staff, county)) == 1
    Notification.objects.all().delete()
    from xieshang.activities.tasks import remind_overdue_suggestions

    with django_capture_on_commit_callbacks(execute=True):
        remind_overdue_suggestions.enqueue()
    assert Notification.objects.filter(recipient=clerk, title__contains="2025").exists()
    assert Notification.objects.filter(recipient=staff).exists()
    # reminded once a week at most
    assert services.remind_overdue(county) == 0


def test_report_document_feeds_the_ledger(county, staff):
    actor = actor_for(staff, county)
    activity = make_activity(county, "research", status="held", actor=actor)
    report = services.activity_file_add(actor=actor, activity=activity, kind="report",
                                        title="关于农村饮水安全的调研报告",
                                        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4 report"))
    s = services.suggestion_record(actor=actor, activity=activity, text="建议加快管网改造",
                                   document=report)
    assert s.document == report and report.suggestions.count() == 1
    other = make_activity(county, "research", status="held", actor=actor)
    with pytest.raises(ValidationError):
        services.suggestion_record(actor=actor, activity=other, text="x", document=report)


def test_unit_sees_only_items_sent_to_it(county, staff, item):
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=item.recipient_unit)
    assert selectors.ledger(actor_for(clerk, county)).count() == 0  # not sent yet
    services.suggestion_send(actor=actor_for(staff, county), suggestion=item,
                             sent_on=dt.date(2025, 4, 10))
    assert list(selectors.ledger(actor_for(clerk, county))) == [item]
    _u, _m, member_actor = member_with_login(county)
    assert Suggestion.objects.count() == 1
    assert selectors.ledger(member_actor).count() == 0


def test_activity_figures_link_to_what_they_count(county, staff, client):
    """Each activity figure opens the activities or ledger items it counts, in its period:
    held activities only, types added together, the ledger by the day the activity was held."""
    from xieshang.core.figures import Scope, compute

    keeper = actor_for(staff, county)
    unit = HandlingUnitFactory(committee=county, name="县交通运输局")
    for code, day in (("forum", 3), ("seminar", 10), ("research", 17), ("inspection", 24)):
        held = make_activity(county, code, start=at(2025, 5, day), status="held", actor=keeper)
        services.suggestion_record(actor=keeper, activity=held, text=f"{code}：建议一",
                                   recipient_unit=unit)
    make_activity(county, "forum", start=at(2025, 5, 28), actor=keeper)  # planned: not counted
    make_activity(county, "counterpart_consultation", start=at(2025, 6, 2), status="held",
                  actor=keeper)
    outside = make_activity(county, "forum", start=at(2024, 5, 3), status="held", actor=keeper)
    services.suggestion_record(actor=keeper, activity=outside, text="去年的建议",
                               recipient_unit=unit)
    figures = compute(Scope(county, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    client.force_login(staff)
    expected = {"activities.forums": 1, "activities.seminars": 1,
                "activities.forum_seminar_suggestions": 2, "activities.research_suggestions": 1,
                "activities.inspection_suggestions": 1, "activities.suggestions": 4,
                "activities.counterpart_departments": 1}
    for key, value in expected.items():
        figure = figures[key]
        assert figure.value == value, key
        response = client.get(figure.link)
        assert response.status_code == 200, key
        assert response.context["page"].paginator.count == value, (key, figure.link)
