"""其他履职事项: the office records, corrects (with a reason) and withdraws items by hand; the
member sees their own; a withdrawn item stays on file and no longer counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import MemberFactory, user_with_role
from xieshang.core.models import AuditLog, Role
from xieshang.duties import selectors
from xieshang.duties.models import DutyRecomputeRequest, ManualItem

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(county):
    alice = MemberFactory(committee=county, name="李晓梅")
    bob = MemberFactory(committee=county, name="王建军")
    return {
        "alice": alice, "bob": bob,
        "office": user_with_role(county, Role.STAFF_OFFICE),
        "alice_user": user_with_role(county, Role.MEMBER, member=alice),
        "bob_user": user_with_role(county, Role.MEMBER, member=bob),
    }


def _record(client, member, **extra):
    data = {"member": member.pk, "date": "2026-06-18", "code": "award",
            "description": "获评2026年度市级优秀政协委员", **extra}
    return client.post(reverse("duty-manual-create"), data)


def test_the_office_records_an_award_with_evidence_and_it_counts(client, people):
    client.force_login(people["office"])
    response = _record(client, people["alice"],
                       evidence=SimpleUploadedFile("证书.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    item = ManualItem.objects.get(member=people["alice"])
    assert item.evidence and item.created_by == people["office"]
    assert AuditLog.objects.filter(action="duty.manual_item_add", object_id=str(item.pk)).exists()
    assert DutyRecomputeRequest.objects.filter(committee=item.committee, year=2026).exists()
    facts = selectors.record_facts(people["alice"], 2026)
    assert any(f.kind == "manual:award" and f.label == item.description for f in facts)
    page = client.get(reverse("duty-manual") + "?year=2026").content.decode()
    assert "李晓梅" in page and "表彰" in page


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_saved(client, people):
    client.force_login(people["office"])
    response = _record(client, people["alice"],
                       evidence=SimpleUploadedFile("证书.pdf", b"MZ\x90\x00", "application/pdf"))
    assert response.status_code == 200 and "文件类型不符" in response.content.decode()
    assert not ManualItem.objects.exists()


def test_a_correction_needs_a_reason_and_the_audit_keeps_it(client, people):
    client.force_login(people["office"])
    _record(client, people["alice"])
    item = ManualItem.objects.get()
    edit = reverse("duty-manual-edit", args=[item.pk])
    data = {"member": item.member_id, "date": "2025-12-20", "code": "award",
            "description": "获评2025年度市级优秀政协委员"}
    assert client.post(edit, data).status_code == 200  # no reason: refused
    item.refresh_from_db()
    assert item.date == dt.date(2026, 6, 18)
    assert client.post(edit, {**data, "reason": "表彰年度录错"}).status_code == 302
    item.refresh_from_db()
    assert item.date == dt.date(2025, 12, 20)
    row = AuditLog.objects.get(action="duty.manual_item_update", object_id=str(item.pk))
    assert row.after["reason"] == "表彰年度录错" and row.before["date"] == "2026-06-18"
    assert set(DutyRecomputeRequest.objects.values_list("year", flat=True)) >= {2025, 2026}


def test_a_withdrawn_item_stays_on_file_and_no_longer_counts(client, people):
    client.force_login(people["office"])
    _record(client, people["alice"])
    item = ManualItem.objects.get()
    assert client.post(reverse("duty-manual-void", args=[item.pk]), {"reason": ""}
                       ).status_code == 200
    assert client.post(reverse("duty-manual-void", args=[item.pk]),
                       {"reason": "重复登记"}).status_code == 302
    item.refresh_from_db()
    assert item.voided_at is not None and item.void_reason == "重复登记"
    assert not [f for f in selectors.record_facts(people["alice"], 2026)
                if f.kind.startswith("manual:")]
    page = client.get(reverse("duty-manual") + "?year=2026").content.decode()
    assert "重复登记" in page and "<s>" in page
    edit = client.get(reverse("duty-manual-edit", args=[item.pk]))
    assert edit.status_code == 302


def test_a_member_sees_only_their_own_items_and_cannot_change_them(client, people):
    client.force_login(people["office"])
    _record(client, people["alice"], evidence=SimpleUploadedFile("证书.pdf", PDF,
                                                                  "application/pdf"))
    _record(client, people["bob"], description="受聘担任县人民法院特邀调解员", code="outside")
    mine = ManualItem.objects.get(member=people["alice"])
    theirs = ManualItem.objects.get(member=people["bob"])
    client.force_login(people["alice_user"])
    page = client.get(reverse("duty-manual") + "?year=2026").content.decode()
    assert "市级优秀政协委员" in page and "特邀调解员" not in page
    assert client.get(reverse("duty-manual-evidence", args=[mine.pk])).status_code == 200
    assert client.get(reverse("duty-manual-evidence", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("duty-manual-create")).status_code == 403
    assert client.post(reverse("duty-manual-void", args=[mine.pk]),
                       {"reason": "x"}).status_code == 403
    assert client.post(reverse("duty-manual-edit", args=[mine.pk]), {
        "date": "2026-01-01", "code": "award", "description": "x", "reason": "x"}
    ).status_code == 403
    mine.refresh_from_db()
    assert mine.voided_at is None and mine.description.startswith("获评")


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.LEADER, Role.STAFF_PROPOSAL])
def test_roles_without_a_record_or_the_office_are_refused(client, county, people, role):
    client.force_login(user_with_role(county, role))
    assert client.get(reverse("duty-manual")).status_code in (403, 200)
    assert client.get(reverse("duty-manual-create")).status_code == 403


def test_other_committees_items_are_not_found(client, people, other_county):
    client.force_login(people["office"])
    _record(client, people["alice"])
    item = ManualItem.objects.get()
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    for name in ("duty-manual-edit", "duty-manual-void", "duty-manual-evidence"):
        assert client.get(reverse(name, args=[item.pk])).status_code == 404


def test_the_api_records_lists_and_withdraws(client, people):
    client.force_login(people["office"])
    created = client.post("/api/v1/duties/manual-items", {
        "member_id": people["bob"].pk, "date": "2026-03-01", "kind": "volunteer",
        "description": "参加助力乡村振兴志愿服务"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind_label"] == "志愿服务"
    item_id = created.json()["id"]
    listed = client.get("/api/v1/duties/manual-items?year=2026").json()
    assert [row["id"] for row in listed["items"]] == [item_id]
    assert client.post(f"/api/v1/duties/manual-items/{item_id}/void", {"reason": ""},
                       content_type="application/json").status_code == 422
    done = client.post(f"/api/v1/duties/manual-items/{item_id}/void", {"reason": "重复登记"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["voided"] is True
    client.force_login(people["bob_user"])
    assert client.post("/api/v1/duties/manual-items", {
        "member_id": people["bob"].pk, "date": "2026-03-01", "kind": "award",
        "description": "自己给自己加分"}, content_type="application/json").status_code == 403
    own = client.get("/api/v1/duties/manual-items?year=2026").json()
    assert [row["id"] for row in own["items"]] == [item_id]
