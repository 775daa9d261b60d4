"""基础数据: the office keeps sectors, special committees, groups, bodies, positions,
categories and activity types on pages, through one audited service, within its committee."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import SectorFactory, SpecialCommitteeFactory, TermFactory
from xieshang.activities.models import ActivityType
from xieshang.core.models import AuditLog, Role, Term
from xieshang.members.models import Sector, SpecialCommittee
from xieshang.proposals.models import ProposalCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, county, make_user):
    client.force_login(make_user(county, Role.STAFF_OFFICE))
    return client


def test_office_adds_a_sector_and_the_change_is_audited(office, county):
    response = office.post(reverse("refdata-create", args=["sectors"]),
                           {"name": "新的社会阶层人士界", "code": "", "order": 25,
                            "is_active": "on"})
    assert response.status_code == 302
    sector = Sector.objects.get(committee=county, name="新的社会阶层人士界")
    assert AuditLog.objects.filter(action="sectors.create", object_id=str(sector.pk)).exists()
    page = office.get(reverse("refdata-list", args=["sectors"])).content.decode()
    assert "新的社会阶层人士界" in page


def test_retiring_a_sector_keeps_it_and_records_before_and_after(office, county):
    sector = SectorFactory(committee=county, name="经济界")
    office.post(reverse("refdata-edit", args=["sectors", sector.pk]),
                {"name": "经济界", "code": "", "order": sector.order})
    sector.refresh_from_db()
    assert not sector.is_active
    row = AuditLog.objects.get(action="sectors.update", object_id=str(sector.pk))
    assert row.before == {"is_active": True} and row.after["is_active"] is False
    assert "已停用" in office.get(reverse("refdata-list", args=["sectors"])).content.decode()


def test_renaming_a_special_committee_keeps_the_former_name(office, county):
    term = Term.objects.get(committee=county)
    sc = SpecialCommitteeFactory(committee=county, term=term, name="文史委员会")
    response = office.post(reverse("refdata-edit", args=["special-committees", sc.pk]), {
        "name": "文化文史和学习委员会", "term": term.pk,
        "established_on": sc.established_on.isoformat(), "dissolved_on": "", "duties": ""})
    assert response.status_code == 302
    sc.refresh_from_db()
    assert sc.name == "文化文史和学习委员会"
    assert [n["name"] for n in sc.former_names] == ["文史委员会"]


def test_choices_and_posts_stay_within_the_committee(office, county, other_county):
    theirs = TermFactory(committee=other_county, number=9)
    form = office.get(reverse("refdata-create", args=["special-committees"])).content.decode()
    assert f'value="{theirs.pk}"' not in form
    response = office.post(reverse("refdata-create", args=["special-committees"]), {
        "name": "经济委员会", "term": theirs.pk, "established_on": "2026-01-10"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not SpecialCommittee.objects.filter(name="经济委员会").exists()
    foreign = SectorFactory(committee=other_county, name="邻县的界别")
    assert office.get(reverse("refdata-edit", args=["sectors", foreign.pk])).status_code == 404
    page = office.get(reverse("refdata-list", args=["sectors"])).content.decode()
    assert "邻县的界别" not in page


def test_a_duplicate_name_is_refused_with_a_message_and_nothing_saved(office, county):
    SectorFactory(committee=county, name="教育界")
    response = office.post(reverse("refdata-create", args=["sectors"]),
                           {"name": "教育界", "code": "", "order": 2, "is_active": "on"})
    assert response.status_code == 200 and "已经存在" in response.content.decode()
    assert Sector.objects.filter(committee=county, name="教育界").count() == 1


def test_a_new_activity_type_gets_a_code_of_its_own(office, county):
    response = office.post(reverse("refdata-create", args=["activity-types"]), {
        "label": "委员读书会", "category": ActivityType.objects.model._meta.get_field(
            "category").choices[0][0], "counts_for_duty": "on", "points": "1.0", "order": 99,
        "is_active": "on"})
    assert response.status_code == 302
    assert ActivityType.objects.get(committee=county, label="委员读书会").code == "own-1"


def test_the_proposal_office_keeps_categories_only(client, county, make_user):
    client.force_login(make_user(county, Role.STAFF_PROPOSAL))
    index = client.get(reverse("refdata-index")).content.decode()
    assert "提案类别" in index and "界别" not in index
    assert client.post(reverse("refdata-create", args=["proposal-categories"]),
                       {"name": "生态环境", "order": 3, "is_active": "on"}).status_code == 302
    assert ProposalCategory.objects.filter(committee=county, name="生态环境").exists()
    assert client.get(reverse("refdata-list", args=["sectors"])).status_code == 403


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_CLERK, Role.LEADER, Role.COLLECTIVE])
def test_who_may_not_keep_reference_data_is_refused(client, county, make_user, role):
    sector = SectorFactory(committee=county, name="工商联界")
    client.force_login(make_user(county, role))
    assert client.get(reverse("refdata-index")).status_code == 403
    assert client.get(reverse("refdata-list", args=["sectors"])).status_code == 403
    assert client.post(reverse("refdata-create", args=["sectors"]),
                       {"name": "x", "order": 1}).status_code == 403
    assert client.post(reverse("refdata-edit", args=["sectors", sector.pk]),
                       {"name": "y", "order": 1}).status_code == 403
    sector.refresh_from_db()
    assert sector.name == "工商联界" and not Sector.objects.filter(name="x").exists()


def test_an_unknown_kind_is_not_found(office):
    assert office.get(reverse("refdata-list", args=["nothing"])).status_code == 404
