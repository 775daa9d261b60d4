"""等保 数据保密性: ID numbers encrypted at rest, matched by blind index, masked per role."""

from __future__ import annotations

import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import MemberFactory, SectorFactory
from xieshang.core import crypto
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.members import roster, selectors, services
from xieshang.members.models import Member

pytestmark = pytest.mark.django_db

NUMBER = "11010519491231002X"
PHONE = "13912345678"


def raw_row(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_index FROM members_member WHERE id = %s", [pk])
        return cursor.fetchone()


def test_database_column_holds_no_plaintext(county):
    member = MemberFactory(committee=county, id_number=NUMBER)
    stored, index = raw_row(member.pk)
    assert NUMBER not in stored and NUMBER[:6] not in stored
    assert stored.startswith(crypto.TOKEN_PREFIX)
    assert len(index) == 64 and NUMBER not in index
    assert Member.objects.get(pk=member.pk).id_number == NUMBER


def test_every_write_gives_a_different_token_but_the_same_index(county):
    a = MemberFactory(committee=county, id_number=NUMBER, phone="13900000001")
    b = MemberFactory(committee=county, id_number=NUMBER.lower(), phone="13900000002")
    (token_a, index_a), (token_b, index_b) = raw_row(a.pk), raw_row(b.pk)
    assert token_a != token_b
    assert index_a == index_b


def test_update_through_the_service_keeps_the_index_in_step(county, staff):
    actor = actor_for(staff, county)
    member = MemberFactory(committee=county, id_number=NUMBER)
    new_number = roster.with_check_digit("33010219800102123")
    services.member_update(actor=actor, member=member, id_number=new_number)
    stored, index = raw_row(member.pk)
    assert index == crypto.blind_index(new_number)
    assert new_number not in stored


def test_equality_lookups_on_the_encrypted_column_are_refused(county):
    with pytest.raises(FieldError):
        list(Member.objects.filter(id_number=NUMBER))


def test_matching_by_id_number_uses_the_blind_index(county, staff):
    member = MemberFactory(committee=county, id_number=NUMBER)
    MemberFactory(committee=county, id_number="", phone="13900000009")
    found = selectors.members_with_identity(actor_for(staff, county), id_number=NUMBER)
    assert list(found) == [member]
    assert not selectors.members_with_identity(
        actor_for(staff, county), id_number=roster.with_check_digit("33010219800102999")).exists()


def test_matching_still_works_during_a_key_rotation(county, staff, settings):
    old_key = Fernet.generate_key().decode()
    settings.XIESHANG_FIELD_KEY = old_key
    member = MemberFactory(committee=county, id_number=NUMBER)
    settings.XIESHANG_FIELD_KEY = f"{Fernet.generate_key().decode()},{old_key}"
    assert Member.objects.get(pk=member.pk).id_number == NUMBER
    assert list(selectors.members_with_identity(actor_for(staff, county), id_number=NUMBER)) \
        == [member]
    out = io.StringIO()
    call_command("reencrypt_fields", stdout=out)
    settings.XIESHANG_FIELD_KEY = settings.XIESHANG_FIELD_KEY.split(",")[0]
    assert Member.objects.get(pk=member.pk).id_number == NUMBER
    assert raw_row(member.pk)[1] == crypto.blind_index(NUMBER)


def test_roster_reimport_matches_the_member_by_id_number(county, staff):
    actor = actor_for(staff, county)
    SectorFactory(committee=county, name="经济界")
    member = MemberFactory(committee=county, name="张三", id_number=NUMBER, phone="13900000003")
    data = roster.member_export_rows(county)
    assert [r[8] for r in data] == [NUMBER]
    rows = [["张三", "男", "汉族", "1949-12-31", "", "经济界", "新单位", "13900000004", NUMBER,
             "否", "", "", "2022-01-01"]]
    from tests.members.test_roster import HEADERS, xlsx

    result = roster.roster_import(actor=actor, committee=county, kind="members",
                                  data=xlsx(HEADERS, rows))
    assert not result.errors, result.errors
    member.refresh_from_db()
    assert member.phone == "13900000004" and member.workplace == "新单位"
    assert Member.objects.filter(committee=county).count() == 1


def test_dumpdata_writes_the_token_and_loaddata_restores_the_number(county, tmp_path):
    member = MemberFactory(committee=county, id_number=NUMBER)
    MemberFactory(committee=county, id_number="", phone="13900000008")
    dump = tmp_path / "members.json"
    call_command("dumpdata", "members.member", output=str(dump), verbosity=0)
    text = dump.read_text()
    assert NUMBER not in text and NUMBER[:6] not in text
    assert crypto.TOKEN_PREFIX in text
    Member.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    stored, index = raw_row(member.pk)
    assert stored.startswith(crypto.TOKEN_PREFIX)  # encrypted once: the token decrypts to it
    assert crypto.decrypt(stored) == NUMBER and index == crypto.blind_index(NUMBER)
    assert Member.objects.get(pk=member.pk).id_number == NUMBER
    assert Member.objects.filter(committee=county, id_number_index="").count() == 1


def test_missing_key_in_production_is_a_clear_error(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-production-secret-key-" + "x" * 40
    settings.XIESHANG_DEMO = False
    settings.XIESHANG_FIELD_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="XIESHANG_FIELD_KEY"):
        crypto.encrypt(NUMBER)


def test_a_wrong_key_is_a_clear_error(county, settings):
    member = MemberFactory(committee=county, id_number=NUMBER)
    settings.XIESHANG_FIELD_KEY = Fernet.generate_key().decode()
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        Member.objects.get(pk=member.pk)


def test_malformed_key_is_a_clear_error(settings):
    settings.XIESHANG_FIELD_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.encrypt(NUMBER)


def test_data_migration_encrypts_existing_plain_values(county):
    member = MemberFactory(committee=county, id_number="")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET id_number = %s, id_number_index = '' "
                       "WHERE id = %s", [NUMBER, member.pk])
    # A legacy plain value still reads as itself until it is encrypted.
    assert Member.objects.get(pk=member.pk).id_number == NUMBER
    migration = importlib.import_module("xieshang.members.migrations.0002_encrypt_id_number")
    from django.apps import apps

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.encrypt_existing(apps, editor)
    stored, index = raw_row(member.pk)
    assert stored.startswith(crypto.TOKEN_PREFIX) and index == crypto.blind_index(NUMBER)
    migration.decrypt_existing(apps, editor)
    assert raw_row(member.pk)[0] == NUMBER


def test_audit_rows_never_hold_the_id_number(county, staff):
    from xieshang.core.models import AuditLog

    services.member_create(actor=actor_for(staff, county), committee=county, name="李四",
                           gender="male", id_number=NUMBER, phone="13900000005")
    row = AuditLog.objects.filter(action="member.create").latest("id")
    assert NUMBER not in str(row.after) and row.after["id_number"] == "***"


# --- masking per role ------------------------------------------------------------------------

@pytest.mark.parametrize("role, full", [
    (Role.STAFF_OFFICE, True), (Role.ADMIN, True),
    (Role.STAFF_PROPOSAL, False), (Role.LEADER, False),
])
def test_member_page_masks_id_and_phone_unless_the_role_keeps_the_roster(client, county,
                                                                         make_user, role, full):
    member = MemberFactory(committee=county, id_number=NUMBER, phone=PHONE)
    client.force_login(make_user(county, role))
    body = client.get(reverse("member-detail", args=[member.pk])).content.decode()
    assert (NUMBER in body) is full
    assert (PHONE in body) is full
    if not full:
        assert member.masked_id_number in body and member.masked_phone in body


@pytest.mark.parametrize("role, full", [(Role.STAFF_OFFICE, True), (Role.LEADER, False)])
def test_api_masks_id_and_phone_unless_the_role_keeps_the_roster(client, county, make_user,
                                                                 role, full):
    member = MemberFactory(committee=county, id_number=NUMBER, phone=PHONE)
    client.force_login(make_user(county, role))
    data = client.get(f"/api/v1/members/members/{member.pk}").json()
    assert (data["id_number"] == NUMBER) is full
    assert (data["phone"] == PHONE) is full
    assert data["id_number"] in (NUMBER, member.masked_id_number)


def test_member_sees_own_numbers_masked(client, county, member_user):
    member = member_user.member_records.get()
    Member.objects.filter(pk=member.pk).update(phone=PHONE)
    client.force_login(member_user)
    body = client.get(reverse("member-detail", args=[member.pk])).content.decode()
    assert PHONE not in body


def test_member_list_and_api_list_show_no_numbers(client, county, staff):
    MemberFactory(committee=county, id_number=NUMBER, phone=PHONE)
    client.force_login(staff)
    page = client.get(reverse("member-list")).content.decode()
    assert NUMBER not in page and PHONE not in page
    api = client.get("/api/v1/members/members").content.decode()
    assert NUMBER not in api and PHONE not in api


def test_roster_export_is_refused_to_roles_that_do_not_keep_the_roster(client, county,
                                                                       make_user):
    MemberFactory(committee=county, id_number=NUMBER, phone=PHONE)
    client.force_login(make_user(county, Role.STAFF_PROPOSAL))
    response = client.get(reverse("roster-export", args=["members"]))
    assert response.status_code == 403


def test_roster_export_for_the_office_holds_full_numbers(client, county, staff):
    MemberFactory(committee=county, id_number=NUMBER, phone=PHONE)
    client.force_login(staff)
    response = client.get(reverse("roster-export", args=["members"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert NUMBER in values


def test_account_list_masks_phones(client, county, admin_user, make_user):
    other = make_user(county, Role.MEMBER)
    client.force_login(admin_user)
    body = client.get(reverse("manage-users")).content.decode()
    assert other.phone not in body and other.masked_phone in body
