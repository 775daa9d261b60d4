import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import MemberFactory, SectorFactory, SpecialCommitteeFactory
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.members import services
from xieshang.members.models import Member, TermMembership

pytestmark = pytest.mark.django_db


def test_member_create_opens_a_tenure_and_audits(county, staff):
    actor = actor_for(staff, county)
    sector = SectorFactory(committee=county)
    member = services.member_create(actor=actor, committee=county, name="张三", gender="male",
                                    sector=sector, joined_on=dt.date(2022, 1, 1))
    assert TermMembership.objects.filter(member=member, end_date__isnull=True).count() == 1
    assert AuditLog.objects.filter(action="member.create", object_id=str(member.pk)).exists()


def test_changing_sector_keeps_history(county, staff):
    actor = actor_for(staff, county)
    old, new = SectorFactory(committee=county), SectorFactory(committee=county)
    member = services.member_create(actor=actor, committee=county, name="李四", gender="female",
                                    sector=old, joined_on=dt.date(2022, 1, 1))
    services.member_update(actor=actor, member=member, sector=new)
    tenures = list(TermMembership.objects.filter(member=member).order_by("id"))
    assert [t.sector for t in tenures] == [old, new]
    assert tenures[0].end_date is not None and tenures[1].end_date is None


def test_member_leave_keeps_row(county, staff):
    actor = actor_for(staff, county)
    member = MemberFactory(committee=county)
    services.member_leave(actor=actor, member=member, left_on=dt.date(2024, 3, 1),
                          reason="工作调动")
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT


def test_member_cannot_edit_members(county, make_user):
    user = make_user(county, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.member_create(actor=actor_for(user, county), committee=county, name="x",
                               gender="male")


def test_staff_cannot_edit_other_county(county, other_county, staff):
    with pytest.raises(PermissionDenied):
        services.member_create(actor=actor_for(staff, county), committee=other_county,
                               name="x", gender="male")


def test_special_committee_rename_and_merge(county, staff):
    actor = actor_for(staff, county)
    a = SpecialCommitteeFactory(committee=county, name="农业委员会")
    b = SpecialCommitteeFactory(committee=county, name="农村工作委员会")
    member = MemberFactory(committee=county)
    services.special_committee_join(actor=actor, member=member, special_committee=b)
    services.special_committee_rename(actor=actor, special_committee=a, name="农业和农村委员会",
                                      on=dt.date(2023, 1, 1))
    services.special_committee_merge(actor=actor, sources=[b], target=a, on=dt.date(2023, 1, 1))
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.former_names[0]["name"] == "农业委员会"
    assert b.merged_into == a and b.dissolved_on == dt.date(2023, 1, 1)
    assert member.special_committee_memberships.filter(special_committee=a,
                                                       end_date__isnull=True).exists()
