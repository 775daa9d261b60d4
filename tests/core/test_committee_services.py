"""The committee's contact details and the site-superuser flag, written through services."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import UserFactory
from xieshang.core import services
from xieshang.core.models import AuditLog
from xieshang.core.permissions import Actor, actor_for

pytestmark = pytest.mark.django_db


def test_an_admin_sets_the_contact_details_and_the_change_is_audited(county, admin_user):
    services.committee_contact_update(actor=actor_for(admin_user, county), committee=county,
                                      contact_address="清河县人民路1号",
                                      contact_phone="0871-1234567")
    county.refresh_from_db()
    assert (county.contact_address, county.contact_phone) == ("清河县人民路1号", "0871-1234567")
    row = AuditLog.objects.get(action="committee.update", committee=county)
    assert row.after == {"contact_address": "清河县人民路1号", "contact_phone": "0871-1234567"}


def test_staff_and_other_committees_admins_may_not_set_contact_details(
        county, other_county, staff, make_user):
    from xieshang.core.models import Role

    other_admin = make_user(other_county, Role.ADMIN)
    for actor in (actor_for(staff, county), actor_for(other_admin, other_county)):
        with pytest.raises(PermissionDenied):
            services.committee_contact_update(actor=actor, committee=county,
                                              contact_address="x", contact_phone="1")
    county.refresh_from_db()
    assert county.contact_address == ""


def test_only_the_system_makes_a_site_superuser(county, admin_user):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_set_site_superuser(actor=actor_for(admin_user, county), user=user)
    user.refresh_from_db()
    assert not user.is_superuser
    services.user_set_site_superuser(actor=Actor.for_system(county), user=user)
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff
    assert AuditLog.objects.filter(action="user.superuser", object_id=str(user.pk)).exists()
