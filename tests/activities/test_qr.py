import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.activities.factories import invite, make_activity, member_with_login
from xieshang.activities import services
from xieshang.activities.models import Invitation, QrRedemption, QrWindow
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(county, staff):
    activity = make_activity(county, "forum", start=timezone.now() + dt.timedelta(minutes=5),
                             actor=actor_for(staff, county))
    _user, member, actor = member_with_login(county)
    invite(activity, member)
    _window, token = services.qr_window_open(actor=actor_for(staff, county), activity=activity)
    return activity, member, actor, token


def refusal(actor, token):
    with pytest.raises(services.QrRefused) as exc:
        services.qr_sign_in(actor=actor, token=token)
    return exc.value.reason


def test_invited_member_signs_in_by_qr(setup):
    activity, member, actor, token = setup
    inv = services.qr_sign_in(actor=actor, token=token)
    assert inv.attendance == Invitation.Attendance.ATTENDED
    assert inv.attendance_source == Invitation.Source.QR and inv.signed_in_at


def test_signing_in_well_after_the_start_counts_as_late(county, staff):
    activity = make_activity(county, "forum", start=timezone.now() - dt.timedelta(minutes=40),
                             actor=actor_for(staff, county))
    _u, member, actor = member_with_login(county)
    invite(activity, member)
    _w, token = services.qr_window_open(actor=actor_for(staff, county), activity=activity)
    assert services.qr_sign_in(actor=actor, token=token).attendance == "late"


def test_reused_token_is_refused_and_records_nothing_twice(setup):
    activity, member, actor, token = setup
    services.qr_sign_in(actor=actor, token=token)
    assert refusal(actor, token) == "reused"
    assert QrRedemption.objects.filter(member=member).count() == 1
    inv = activity.invitations.get(member=member)
    assert inv.attendance == "attended"


def test_a_new_code_for_a_member_already_signed_in_changes_nothing(setup, county, staff):
    activity, member, actor, token = setup
    first = services.qr_sign_in(actor=actor, token=token).signed_in_at
    _w, token2 = services.qr_window_open(actor=actor_for(staff, county), activity=activity)
    assert services.qr_sign_in(actor=actor, token=token2).signed_in_at == first


def test_expired_window_is_refused(setup):
    activity, _member, actor, token = setup
    QrWindow.objects.filter(activity=activity).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert refusal(actor, token) == "expired"
    assert activity.invitations.get().attendance == ""


def test_window_expires_after_the_policy_minutes(setup):
    _activity, _member, actor, token = setup
    later = timezone.now() + dt.timedelta(minutes=31)
    with mock.patch("xieshang.activities.services.timezone.now", return_value=later):
        assert refusal(actor, token) == "expired"


def test_signature_older_than_its_limit_is_refused(setup):
    import time

    _activity, _member, actor, token = setup
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 13 * 3600):
        assert refusal(actor, token) == "expired"


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "abc:def:ghi", lambda t: ""])
def test_tampered_token_is_refused(setup, mangle):
    _activity, _member, actor, token = setup
    assert refusal(actor, mangle(token)) == "tampered"


def test_token_of_another_activity_cannot_be_forged(setup, county, staff):
    from django.core import signing

    activity, _member, actor, _token = setup
    other = make_activity(county, "forum")
    w, _t = services.qr_window_open(actor=actor_for(staff, county), activity=other)
    forged = signing.TimestampSigner(salt=services.QR_SALT).sign_object(
        {"a": activity.pk, "n": w.nonce})
    assert refusal(actor, forged) == "tampered"


def test_member_not_invited_cannot_sign_in(setup, county):
    _activity, _member, _actor, token = setup
    _u, stranger, actor = member_with_login(county)
    assert refusal(actor, token) == "not_invited"
    assert not Invitation.objects.filter(member=stranger).exists()


def test_member_of_another_committee_cannot_sign_in(setup, other_county):
    _activity, _member, _actor, token = setup
    _u, _m, actor = member_with_login(other_county)
    assert refusal(actor, token) == "other_committee"


def test_closed_sign_in_is_refused(setup, county, staff):
    activity, _member, actor, token = setup
    services.qr_windows_close(actor=actor_for(staff, county), activity=activity)
    assert refusal(actor, token) == "closed"


def test_members_cannot_open_a_sign_in_code(setup, county):
    activity, _member, actor, _token = setup
    with pytest.raises(PermissionDenied):
        services.qr_window_open(actor=actor, activity=activity)
    with pytest.raises(PermissionDenied):
        services.qr_windows_close(actor=actor, activity=activity)


def test_qr_svg_is_made_locally(setup):
    from xieshang.activities.documents import qr_svg

    svg = qr_svg("http://testserver/activities/sign-in/abc/")
    assert svg.lstrip().startswith("<svg") and "<path" in svg
