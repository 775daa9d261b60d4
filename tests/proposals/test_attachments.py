"""Attachments are served through a view that checks the user may see the proposal; nothing
links to /media/ any more."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import user_with_role
from tests.proposals.factories import S, call, draft
from xieshang.core.models import Role
from xieshang.proposals import services

PDF = b"%PDF-1.4 \xe6\x9d\x90\xe6\x96\x99"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(world):
    p = draft(world)
    att = services.attachment_add(actor=world.actor("member"), proposal=p,
                                  upload=SimpleUploadedFile("调研材料.pdf", PDF))
    p = call(world, p, "submit", "member")
    assert p.status == S.SUBMITTED
    return p, att


def _url(p, att):
    return reverse("proposal-attachment", args=[p.pk, att.pk])


def test_proposer_co_proposer_and_staff_download_the_attachment(world, client, submitted):
    p, att = submitted
    for role in ("member", "co_member", "staff"):
        client.force_login(world.users[role])
        response = client.get(_url(p, att))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]


def test_the_proposal_page_links_to_the_checked_view_not_to_media(world, client, submitted):
    p, att = submitted
    client.force_login(world.users["member"])
    html = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert _url(p, att) in html
    assert "/media/" not in html


def test_another_member_cannot_fetch_the_attachment_of_a_proposal_not_yet_filed(
        world, client, submitted):
    p, att = submitted
    client.force_login(world.users["other_member"])
    assert client.get(_url(p, att)).status_code == 404


def test_a_unit_clerk_without_the_proposal_is_refused(world, client, submitted):
    p, att = submitted
    client.force_login(world.users["clerk_x"])
    assert client.get(_url(p, att)).status_code in (403, 404)


def test_a_user_of_another_committee_is_refused(world, client, submitted, other_county):
    p, att = submitted
    outsider = user_with_role(other_county, Role.STAFF_PROPOSAL)
    client.force_login(outsider)
    assert client.get(_url(p, att)).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, submitted):
    p, att = submitted
    response = client.get(_url(p, att))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_attachment_id_of_another_proposal_is_not_found(world, client, submitted):
    p, att = submitted
    other = call(world, draft(world, title="关于另一件事的建议"), "submit", "member")
    client.force_login(world.users["member"])
    assert client.get(reverse("proposal-attachment", args=[other.pk, att.pk])).status_code == 404


def test_a_docx_renamed_zip_is_refused_with_a_message_on_the_form(world, client):
    import io
    import zipfile

    p = draft(world)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload.js", "alert(1)")
    client.force_login(world.users["member"])
    response = client.post(reverse("proposal-edit", args=[p.pk]), {
        "title": p.title, "category": world.category.pk, "body": p.body,
        "suggested_units": [world.units["a"].pk], "consent_disclosure": "on",
        "attachment": SimpleUploadedFile("材料.docx", buf.getvalue())},
        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "材料.docx" in response.content.decode()
    assert p.attachments.count() == 0
