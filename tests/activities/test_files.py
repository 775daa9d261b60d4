"""Activity files and learning materials are served through views that check the user may see
the activity (or read materials); nothing links to /media/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.activities.factories import invite, make_activity, member_with_login
from tests.factories import user_with_role
from xieshang.activities import services
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4 report"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def files(county, staff):
    actor = actor_for(staff, county)
    activity = make_activity(county, "research", actor=actor, title="乡村振兴调研")
    photo = services.activity_file_add(actor=actor, activity=activity, kind="photo",
                                       title="合影", upload=SimpleUploadedFile("a.png", PNG))
    report = services.activity_file_add(actor=actor, activity=activity, kind="report",
                                        title="调研报告", upload=SimpleUploadedFile("r.pdf", PDF))
    return activity, photo, report


def _url(row):
    return reverse("activities:file", args=[row.pk])


def test_invited_member_and_staff_get_the_files(county, staff, client, files):
    activity, photo, report = files
    user, member, _ = member_with_login(county)
    invite(activity, member)
    for who in (staff, user):
        client.force_login(who)
        response = client.get(_url(report))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        # Photos are shown in the page, so they come inline, as pictures.
        response = client.get(_url(photo))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert "attachment" not in response.get("Content-Disposition", "")


def test_the_activity_page_links_to_the_checked_view(county, staff, client, files):
    activity, photo, report = files
    client.force_login(staff)
    html = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert _url(photo) in html and _url(report) in html and "/media/" not in html


def test_member_not_invited_is_refused(county, client, files):
    _activity, _photo, report = files
    user, _member, _ = member_with_login(county)
    client.force_login(user)
    assert client.get(_url(report)).status_code == 404


def test_other_committee_and_anonymous_are_refused(county, other_county, client, files):
    _activity, _photo, report = files
    assert "/login/" in client.get(_url(report))["Location"]
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    assert client.get(_url(report)).status_code == 404


def test_learning_material_file_only_for_members_and_staff(county, other_county, staff, client,
                                                         member_user):
    material = services.material_create(actor=actor_for(staff, county), committee=county,
                                        title="学习材料",
                                        upload=SimpleUploadedFile("读本.pdf", PDF))
    url = reverse("activities:material-file", args=[material.pk])
    assert "/login/" in client.get(url)["Location"]
    client.force_login(member_with_login(county)[0])
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(user_with_role(county, Role.UNIT_CLERK))
    assert client.get(url).status_code == 404
    client.force_login(user_with_role(other_county, Role.MEMBER))
    assert client.get(url).status_code == 404
    client.force_login(staff)
    html = client.get(reverse("activities:material", args=[material.pk])).content.decode()
    assert url in html
