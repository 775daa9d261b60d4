"""A full disk during an upload: a clear message in Chinese, nothing half-saved, the form kept.

The storage is made to fail the way a full file system does (OSError ENOSPC from the write),
after having written part of the file, as a real short write would.
"""

from __future__ import annotations

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.faults.storage_helpers import files_under
from tests.portal.conftest import picture
from tests.proposals.factories import build_world
from xieshang.core.models import AuditLog
from xieshang.opinions.models import OpinionAttachment, OpinionReport
from xieshang.portal import services as portal_services
from xieshang.portal.models import Image
from xieshang.proposals.models import Proposal, ProposalAttachment

pytestmark = pytest.mark.django_db

FULL = "服务器存储空间已满"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def disk_full(monkeypatch):
    """Every write to the upload storage fails with ENOSPC after writing a few bytes."""
    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as out:
            out.write(b"%PDF-1")  # the part that fitted
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    monkeypatch.setattr(FileSystemStorage, "_save", _save)


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * 2048, content_type="application/pdf")


def test_proposal_with_attachment_on_a_full_disk(county, client, media, disk_full):
    world = build_world(county)
    client.force_login(world.users["member"])
    audit_before = AuditLog.objects.count()
    title = "关于完善城乡公交网络的建议"
    response = client.post("/proposals/new/", {
        "title": title, "category": world.category.pk, "consent_disclosure": "on",
        "body": "城乡公交线网覆盖不足，群众出行不便。" * 10, "save": "1", "attachment": pdf()})
    page = response.content.decode()
    assert response.status_code == 200
    assert FULL in page
    assert title in page  # the form comes back with what was typed
    # Neither the new draft nor its attachment nor an audit row was kept, nor a file.
    assert not Proposal.objects.filter(title=title).exists()
    assert not ProposalAttachment.objects.exists()
    assert AuditLog.objects.count() == audit_before
    assert files_under(media) == []


def test_submitting_a_draft_with_an_attachment_on_a_full_disk(county, client, media,
                                                               monkeypatch):
    world = build_world(county)
    client.force_login(world.users["member"])
    data = {"title": "关于加强食品安全监管的建议", "category": world.category.pk,
            "consent_disclosure": "on", "body": "食品安全监管力量薄弱。" * 10, "save": "1"}
    assert client.post("/proposals/new/", data).status_code == 302
    draft = Proposal.objects.get(title=data["title"])
    monkeypatch.setattr(FileSystemStorage, "_save", _enospc)
    response = client.post(f"/proposals/{draft.pk}/edit/", {
        **data, "title": "关于加强食品安全监管工作的建议", "submit": "1", "attachment": pdf()})
    assert response.status_code == 200 and FULL in response.content.decode()
    draft.refresh_from_db()
    # The edit and the submission were not half-applied: the draft is as it was.
    assert draft.status == "draft" and draft.title == data["title"]
    assert not draft.attachments.exists()


def _enospc(self, name, content):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_opinion_report_with_attachment_on_a_full_disk(county, client, media, make_user,
                                                       disk_full):
    user = make_user(county, "member")
    client.force_login(user)
    title = "关于农村养老服务的建议"
    response = client.post("/opinions/submit/", {
        "title": title, "category": "other", "body": "农村养老服务供给不足。",
        "attachments": [pdf()]})
    page = response.content.decode()
    assert response.status_code == 200
    assert FULL in page and title in page
    assert not OpinionReport.objects.exists() and not OpinionAttachment.objects.exists()
    assert files_under(media) == []


def test_portal_picture_on_a_full_disk(county, client, media, staff, disk_full):
    from xieshang.core.permissions import Actor

    portal_services.site_ensure(actor=Actor.for_system(county), committee=county)
    client.force_login(staff)
    response = client.post(reverse("portal-image-upload"),
                           {"img-file": picture(), "img-alt": "视察现场"},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and FULL in response.json()["error"]
    # Without JavaScript: back to the editor with the message.
    response = client.post(reverse("portal-image-upload"),
                           {"img-file": picture(), "img-alt": "视察现场",
                            "next": reverse("portal-new")}, follow=True)
    assert response.status_code == 200 and FULL in response.content.decode()
    assert not Image.objects.exists()
    assert files_under(media) == []


def test_other_storage_errors_are_not_disguised(county, media, monkeypatch):
    """Only a full disk becomes the message; a permission error still fails loudly."""
    from xieshang.core.storage import UploadStorage

    def _eacces(self, name, content):
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(FileSystemStorage, "_save", _eacces)
    with pytest.raises(PermissionError):
        UploadStorage(location=media).save("a.txt", SimpleUploadedFile("a.txt", b"abc"))


def test_a_complete_file_of_the_same_name_is_not_removed(media, monkeypatch):
    from xieshang.core.storage import StorageFull, UploadStorage

    storage = UploadStorage(location=media)
    media.mkdir(parents=True, exist_ok=True)
    (media / "same.txt").write_bytes(b"someone else's")
    monkeypatch.setattr(FileSystemStorage, "_save", _enospc)
    with pytest.raises(StorageFull):
        storage._save("same.txt", SimpleUploadedFile("same.txt", b"abc"))
    assert (media / "same.txt").read_bytes() == b"someone else's"
