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
