"""Publishing a members' survey tells the committee's serving members, once."""

import pytest

from tests.activities.factories import member_with_login
from tests.participation.factories import make_survey
from xieshang.core.models import Notification
from xieshang.core.permissions import actor_for
from xieshang.members.models import Member
from xieshang.participation import workflow

pytestmark = pytest.mark.django_db


def test_publishing_a_members_survey_tells_each_serving_member_once(
        county, other_county, staff, django_capture_on_commit_callbacks):
    user, _m, _a = member_with_login(county)
    left, left_member, _a2 = member_with_login(county)
    Member.objects.filter(pk=left_member.pk).update(status=Member.Status.LEFT)
    elsewhere, _m3, _a3 = member_with_login(other_county)
    keeper = actor_for(staff, county)
    with django_capture_on_commit_callbacks(execute=True):
        survey = make_survey(county, publish=False)
    assert not Notification.objects.exists()  # a draft tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        survey = workflow.SURVEY.take(actor=keeper, obj=survey, step="publish",
                                      data={"version": survey.version})
    told = Notification.objects.filter(title__contains=survey.title)
    assert list(told.values_list("recipient", flat=True)) == [user.pk]
    assert not Notification.objects.filter(recipient__in=[left, elsewhere]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        survey = workflow.SURVEY.take(actor=keeper, obj=survey, step="close",
                                      data={"version": survey.version, "note": "暂停"})
        survey = workflow.SURVEY.take(actor=keeper, obj=survey, step="reopen",
                                      data={"version": survey.version})
    assert told.count() == 1  # reopening tells nobody again


def test_a_survey_published_at_once_tells_the_members_too(county,
                                                         django_capture_on_commit_callbacks):
    user, _m, _a = member_with_login(county)
    with django_capture_on_commit_callbacks(execute=True):
        survey = make_survey(county)
    assert Notification.objects.filter(recipient=user, title__contains=survey.title).count() == 1


def test_a_public_survey_tells_nobody(county, staff, django_capture_on_commit_callbacks):
    member_with_login(county)
    with django_capture_on_commit_callbacks(execute=True):
        survey = make_survey(county, audience="public", publish=False)
        workflow.SURVEY.take(actor=actor_for(staff, county), obj=survey, step="publish",
                             data={"version": survey.version})
    assert not Notification.objects.exists()
