"""A committee's own warning rules: added and paused through services, by those who manage."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.duties import services
from xieshang.duties.models import WarningRule

pytestmark = pytest.mark.django_db

RULE = {"name": "两次无故缺席", "kinds": ["activity.absent_unexcused:*"], "period": "year",
        "comparison": "at_least", "threshold": 2, "from_month": 1,
        "message": "请按时参加活动或事先请假。"}


def test_office_staff_add_a_rule_once(county, staff):
    actor = actor_for(staff, county)
    rule = services.warning_rule_add(actor=actor, committee=county, **RULE)
    assert rule.is_active and rule.threshold == 2
    assert AuditLog.objects.filter(action="duty.warning_rule_create",
                                   object_id=str(rule.pk)).exists()
    with pytest.raises(ValidationError):
        services.warning_rule_add(actor=actor, committee=county, **RULE)
    assert WarningRule.objects.filter(committee=county, name=RULE["name"]).count() == 1


def test_a_bad_rule_is_refused_whole(county, staff):
    with pytest.raises(ValidationError):
        services.warning_rule_add(actor=actor_for(staff, county), committee=county,
                                  **{**RULE, "comparison": "sometimes"})
    assert not WarningRule.objects.filter(committee=county).exists()


def test_members_and_other_committees_may_not_add_or_pause_rules(county, other_county, staff,
                                                                 member_user, make_user):
    rule = services.warning_rule_add(actor=actor_for(staff, county), committee=county, **RULE)
    other_staff = make_user(other_county, Role.STAFF_OFFICE)
    for actor in (actor_for(member_user, county), actor_for(other_staff, other_county)):
        with pytest.raises(PermissionDenied):
            services.warning_rule_add(actor=actor, committee=county, **{**RULE, "name": "新"})
        with pytest.raises(PermissionDenied):
            services.warning_rule_pause(actor=actor, rule=rule, unreported_kinds=["x"])
    rule.refresh_from_db()
    assert rule.is_active


def test_pausing_keeps_the_unreported_kinds_in_the_audit(county, staff):
    actor = actor_for(staff, county)
    rule = services.warning_rule_add(actor=actor, committee=county, **RULE)
    services.warning_rule_pause(actor=actor, rule=rule, unreported_kinds=["nothing.here"])
    rule.refresh_from_db()
    assert not rule.is_active
    row = AuditLog.objects.get(action="duty.warning_rule_pause", object_id=str(rule.pk))
    assert row.after == {"is_active": False, "unreported_kinds": ["nothing.here"]}
