import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.activities.factories import at, make_activity, system
from tests.factories import HandlingUnitFactory, SpecialCommitteeFactory, user_with_role
from xieshang.activities import services
from xieshang.activities.models import Activity, ActivityFile, ActivityType
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.django_db

ALL_CODES = [row[0] for row in services.DEFAULT_TYPES]


def test_default_types_are_seeded_once_and_cover_the_report(county):
    first = services.activity_types_ensure(county)
    again = services.activity_types_ensure(county)
    assert set(first) == set(again) == set(ALL_CODES)
    assert ActivityType.objects.filter(committee=county).count() == len(ALL_CODES)
    for code in ("plenary", "standing_meeting", "chair_meeting", "party_group",
                 "special_committee_meeting", "thematic_consultation", "counterpart_consultation",
                 "sector_consultation", "proposal_consultation", "grassroots_consultation",
                 "research", "inspection", "democratic_supervision", "forum", "seminar",
                 "learning", "training", "cultural", "visit", "volunteer", "other"):
        assert code in first
    assert first["party_group"].label == "党组会议"


def test_a_renamed_type_keeps_its_label_when_seeding_again(county, admin_user):
    types = services.activity_types_ensure(county)
    services.activity_type_update(actor=actor_for(admin_user, county),
                                  activity_type=types["forum"], label="委员座谈会",
                                  counts_for_duty=False)
    services.activity_types_ensure(county)
    forum = ActivityType.objects.get(committee=county, code="forum")
    assert forum.label == "委员座谈会" and forum.counts_for_duty is False


def test_member_cannot_configure_types(county, member_user):
    types = services.activity_types_ensure(county)
    with pytest.raises(PermissionDenied):
        services.activity_type_update(actor=actor_for(member_user, county),
                                      activity_type=types["forum"], label="x")


@pytest.mark.parametrize("code", ALL_CODES)
def test_each_activity_type_can_be_recorded(county, staff, code):
    actor = actor_for(staff, county)
    types = services.activity_types_ensure(county)
    units = [HandlingUnitFactory(committee=county)]
    activity = services.activity_create(
        actor=actor, committee=county, type=types[code], title=f"{types[code].label}活动",
        start=at(2025, 5, 6), place="县政协会议室", units=units)
    assert activity.type.code == code
    assert AuditLog.objects.filter(action="activity.create", object_id=str(activity.pk)).exists()


def test_counterpart_consultation_needs_departments(county, staff):
    types = services.activity_types_ensure(county)
    with pytest.raises(ValidationError) as exc:
        services.activity_create(actor=actor_for(staff, county), committee=county,
                                 type=types["counterpart_consultation"], title="对口协商",
                                 start=at(2025, 5, 6))
    assert "units" in exc.value.message_dict
    assert not Activity.objects.exists()


def test_democratic_supervision_keeps_units_and_later_check(county, staff):
    units = HandlingUnitFactory.create_batch(3, committee=county)
    activity = make_activity(county, "democratic_supervision", actor=actor_for(staff, county),
                             units=units, details={"follow_up_on": "2025-10-01",
                                                   "letter_no": "监督建议书〔2025〕1号"})
    assert set(activity.units.all()) == set(units)
    assert activity.details["follow_up_on"] == "2025-10-01"


@pytest.mark.parametrize("details", [
    {"unknown": "x"}, {"follow_up_on": "next week"}, {"hours": "many"}, "text",
])
def test_details_are_validated_per_category(county, staff, details):
    code = "democratic_supervision" if "follow_up_on" in str(details) else "training"
    with pytest.raises(ValidationError):
        make_activity(county, code, actor=actor_for(staff, county), details=details)


def test_details_of_another_category_are_refused(county, staff):
    with pytest.raises(ValidationError):
        make_activity(county, "forum", actor=actor_for(staff, county),
                      details={"follow_up_on": "2025-10-01"})


def test_end_before_start_is_refused(county, staff):
    with pytest.raises(ValidationError):
        make_activity(county, "forum", actor=actor_for(staff, county), start=at(2025, 5, 6, 9),
                      end=at(2025, 5, 6, 8))


def test_special_committee_organiser_must_be_named(county, staff):
    with pytest.raises(ValidationError):
        make_activity(county, "special_committee_meeting", actor=actor_for(staff, county),
                      organiser=Activity.Organiser.SPECIAL_COMMITTEE)
    sc = SpecialCommitteeFactory(committee=county)
    a = make_activity(county, "special_committee_meeting", actor=actor_for(staff, county),
                      organiser=Activity.Organiser.SPECIAL_COMMITTEE, special_committee=sc)
    assert a.special_committee == sc


def test_objects_of_another_committee_are_refused(county, other_county, staff):
    unit = HandlingUnitFactory(committee=other_county)
    with pytest.raises(ValidationError):
        make_activity(county, "counterpart_consultation", actor=actor_for(staff, county),
                      units=[unit])


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_CLERK, Role.LEADER,
                                  Role.STAFF_PROPOSAL, Role.STAFF_OPINION])
def test_only_activity_staff_may_create_activities(county, role):
    user = user_with_role(county, role)
    with pytest.raises(PermissionDenied):
        make_activity(county, "forum", actor=actor_for(user, county))


@pytest.mark.parametrize("role", [Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.ADMIN])
def test_activity_staff_may_create(county, role):
    user = user_with_role(county, role)
    assert make_activity(county, "forum", actor=actor_for(user, county)).pk


def test_staff_of_another_committee_cannot_create_or_edit(county, other_county):
    user = user_with_role(other_county, Role.STAFF_OFFICE)
    with pytest.raises(PermissionDenied):
        make_activity(county, "forum", actor=actor_for(user, other_county))
    activity = make_activity(county, "forum")
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=actor_for(user, other_county), activity=activity,
                                 title="x")
    with pytest.raises(PermissionDenied):
        services.activity_set_status(actor=actor_for(user, other_county), activity=activity,
                                     status="held")


def test_update_and_hold(county, staff):
    actor = actor_for(staff, county)
    activity = make_activity(county, "forum", actor=actor)
    services.activity_update(actor=actor, activity=activity, minutes="会议纪要内容")
    services.activity_set_status(actor=actor, activity=activity, status="held")
    activity.refresh_from_db()
    assert activity.minutes == "会议纪要内容" and activity.status == "held"


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_photos_must_be_pictures(county, staff):
    actor = actor_for(staff, county)
    activity = make_activity(county, "visit", actor=actor)
    row = services.activity_file_add(actor=actor, activity=activity, kind="photo", title="合影",
                                     upload=SimpleUploadedFile("a.png", PNG))
    assert row.size == len(PNG)
    with pytest.raises(ValidationError):
        services.activity_file_add(actor=actor, activity=activity, kind="photo", title="x",
                                   upload=SimpleUploadedFile("a.png", b"not a picture"))
    with pytest.raises(ValidationError):
        services.activity_file_add(actor=actor, activity=activity, kind="report", title="x",
                                   upload=SimpleUploadedFile("a.exe", b"MZ..."))
    with pytest.raises(ValidationError):
        services.activity_file_add(actor=actor, activity=activity, kind="report", title="x",
                                   upload=SimpleUploadedFile("a.pdf", b""))
    assert ActivityFile.objects.count() == 1


def test_files_larger_than_the_policy_are_refused(county, staff):
    county.policy = {"activities.max_upload_mb": 1}
    county.save()
    activity = make_activity(county, "research", actor=actor_for(staff, county))
    with pytest.raises(ValidationError):
        services.activity_file_add(actor=actor_for(staff, county), activity=activity,
                                   kind="report", title="调研报告",
                                   upload=SimpleUploadedFile("r.pdf", b"x" * (1024 * 1024 + 1)))


def test_member_cannot_upload(county, member_user):
    activity = make_activity(county, "forum")
    with pytest.raises(PermissionDenied):
        services.activity_file_add(actor=actor_for(member_user, county), activity=activity,
                                   kind="attachment", title="x",
                                   upload=SimpleUploadedFile("a.pdf", b"%PDF"))


def test_cancelling_notifies_the_invited(county, staff, django_capture_on_commit_callbacks):
    from tests.activities.factories import invite, member_with_login
    from xieshang.core.models import Notification

    user, member, _ = member_with_login(county)
    activity = make_activity(county, "forum", actor=actor_for(staff, county))
    invite(activity, member)
    with django_capture_on_commit_callbacks(execute=True):  # people are told after the commit
        services.activity_set_status(actor=actor_for(staff, county), activity=activity,
                                     status="cancelled")
    assert Notification.objects.filter(recipient=user, title__contains="forum").exists()
    assert system(county).system
    assert dt.date.today()
