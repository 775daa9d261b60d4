import pytest
from django.core.exceptions import ValidationError

from xieshang.core import audit
from xieshang.core.models import AuditLog
from xieshang.core.permissions import Actor

pytestmark = pytest.mark.django_db


def test_audit_log_is_append_only(county):
    entry = audit.record(Actor.for_system(county), "test.action", county)
    entry.action = "changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert AuditLog.objects.get(pk=entry.pk).action == "test.action"


def test_snapshot_hides_secrets(member_user):
    snap = audit.snapshot(member_user)
    assert snap["password"] == "***"


def test_hash_chain_detects_a_changed_or_removed_row(county, other_county):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    actor = Actor.for_system(county)
    rows = [audit.record(actor, f"test.{i}", county) for i in range(4)]
    audit.record(Actor.for_system(other_county), "test.other", other_county)
    assert audit.verify() == []
    assert rows[1].prev_hash == rows[0].hash
    call_command("audit_verify")
    # Someone edits a row behind the application's back.
    AuditLog.objects.filter(pk=rows[2].pk).update(after={"forged": True})
    assert audit.verify() == [(rows[2].pk, "the row was changed after it was written")]
    with pytest.raises(CommandError):
        call_command("audit_verify")
    # … or deletes one: the chain's numbers have a gap.
    AuditLog.objects.filter(pk=rows[2].pk).update(after={})
    AuditLog.objects.filter(pk=rows[1].pk)._raw_delete(AuditLog.objects.db)
    assert (rows[2].pk, "rows 2–2 of the chain are missing") in audit.verify()
