"""An install's own check figures (``xieshang move_check``), which ``xieshang move`` compares."""

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tests.factories import MemberFactory
from xieshang.core import audit, integrity
from xieshang.core.models import AuditLog
from xieshang.core.permissions import Actor

pytestmark = pytest.mark.django_db
NUMBER = "11010519491231002X"


def test_the_figures_hold_counts_and_digests_never_a_value(county):
    MemberFactory(committee=county, id_number=NUMBER)
    audit.record(Actor.for_system(county), "test.one", committee=county)
    out = io.StringIO()
    call_command("move_check", stdout=out)
    figures = json.loads(out.getvalue())
    assert set(figures) >= {"audit", "encrypted fields", "search index"}
    assert figures["audit"]["ok"] and figures["audit"]["problems"] == 0
    assert figures["encrypted fields"] == {**figures["encrypted fields"], "values": 1,
                                           "unreadable": 0, "ok": True}
    assert NUMBER not in out.getvalue()


def test_a_changed_audit_row_fails_the_audit_figures(county):
    actor = Actor.for_system(county)
    audit.record(actor, "test.one", committee=county)
    entry = audit.record(actor, "test.two", committee=county)
    assert integrity.audit_figures()["ok"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET action = 'test.forged' WHERE id = %s",
                       [entry.pk])
    figures = integrity.audit_figures()
    assert not figures["ok"] and figures["problems"] == 1
    assert figures["rows"] == AuditLog.objects.count()


def test_a_token_the_keys_cannot_read_is_counted_not_raised(county, settings):
    MemberFactory(committee=county, id_number=NUMBER)
    readable = integrity.encrypted_figures()
    settings.XIESHANG_FIELD_KEY = Fernet.generate_key().decode()
    figures = integrity.encrypted_figures()
    assert figures["values"] == readable["values"] == 1
    assert figures["unreadable"] == 1 and not figures["ok"]


def test_the_same_numbers_give_the_same_digest_whatever_the_tokens(county):
    member = MemberFactory(committee=county, id_number=NUMBER)
    before = integrity.encrypted_figures()
    member.save()  # a new token (Fernet tokens differ on every write) for the same number
    assert integrity.encrypted_figures() == before
    member.id_number = "11010519491231003X"
    member.save()
    assert integrity.encrypted_figures()["digest"] != before["digest"]
