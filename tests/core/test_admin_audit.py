"""The audit-log viewer: scope, filters, the before/after table and the Excel export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from xieshang.core import audit
from xieshang.core.files import excel_safe
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import Actor

pytestmark = pytest.mark.django_db


def entry(committee, action="test.thing", **fields):
    """A row with the given fields, appended to the committee's chain (the viewer's tests do
    not check the chain's seals)."""
    fields.setdefault("actor_name", "张三")
    chain = committee.pk if committee is not None else 0
    seq = (AuditLog.objects.filter(chain=chain).order_by("-seq").values_list("seq", flat=True)
           .first() or 0) + 1
    return AuditLog.objects.create(committee=committee, action=action, chain=chain, seq=seq,
                                   **fields)


def at(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def listed(client, **params):
    response = client.get(reverse("manage-audit"), params)
    assert response.status_code == 200
    return [row["entry"] for row in response.context["rows"]]


def test_only_this_committees_entries_are_listed(client, county, other_county, admin_user):
    mine = entry(county, object_repr="本县的记录")
    theirs = entry(other_county, object_repr="邻县的记录")
    client.force_login(admin_user)
    rows = listed(client)
    assert mine in rows and theirs not in rows


def test_county_admin_cannot_widen_to_other_committees(client, county, admin_user):
    city_row = entry(county.parent, object_repr="市里的记录")
    client.force_login(admin_user)
    assert city_row not in listed(client, include_sub="on")
    body = client.get(reverse("manage-audit")).content.decode()
    assert 'name="include_sub"' not in body


def test_city_admin_may_include_committees_below(client, county, other_county, make_user):
    city = county.parent
    city_row, county_row = entry(city), entry(county)
    province_row = entry(city.parent)
    client.force_login(make_user(city, Role.ADMIN))
    assert listed(client) == [city_row]
    rows = listed(client, include_sub="on")
    assert city_row in rows and county_row in rows and province_row not in rows


def test_filters_by_operator_action_type_date_and_ip(client, county, admin_user):
    a = entry(county, "role.grant", actor_name="李四", object_type="core.roleassignment",
              ip="10.1.2.3", created_at=at(2026, 3, 5))
    b = entry(county, "role.revoke", actor_name="王五", object_type="core.roleassignment",
              ip="10.9.9.9", created_at=at(2026, 4, 5))
    c = entry(county, "term.create", actor_name="李四", object_type="core.term",
              ip="192.168.0.1", created_at=at(2026, 5, 5))
    client.force_login(admin_user)
    assert set(listed(client, actor="李")) == {a, c}
    assert set(listed(client, action="role")) == {a, b}
    assert set(listed(client, action="role.grant")) == {a}
    assert set(listed(client, object_type="core.term")) == {c}
    assert set(listed(client, date_from="2026-04-01", date_to="2026-04-30")) == {b}
    assert set(listed(client, date_from="2026-04-05")) == {b, c}
    assert set(listed(client, ip="10.1.2.3")) == {a}
    assert set(listed(client, ip="10.")) == {a, b}


def test_bad_filter_shows_a_chinese_error_and_no_rows(client, county, admin_user):
    entry(county)
    client.force_login(admin_user)
    response = client.get(reverse("manage-audit"),
                          {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 200
    assert "结束日期早于开始日期" in response.content.decode()
    assert response.context["rows"] == []
    response = client.get(reverse("manage-audit"), {"ip": "<script>"})
    assert response.status_code == 200 and response.context["rows"] == []


def test_list_is_paginated(client, county, admin_user):
    for i in range(55):
        entry(county, object_repr=f"记录{i}")
    client.force_login(admin_user)
    first = client.get(reverse("manage-audit"))
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("manage-audit"), {"page": 2})
    assert len(second.context["rows"]) == 5


def test_row_expands_to_a_before_after_table(client, county, admin_user):
    entry(county, "term.update", object_type="core.term",
          before={"end_date": "2026-12-31"}, after={"end_date": "2027-01-15"})
    client.force_login(admin_user)
    body = client.get(reverse("manage-audit")).content.decode()
    assert "<details>" in body
    assert "结束日期" in body  # the model field's verbose name, not "end_date"
    assert "2026-12-31" in body and "<mark>2027-01-15</mark>" in body


def test_logins_of_this_committees_users_can_be_included(client, county, other_county,
                                                         make_user, admin_user):
    mine, theirs = make_user(county, Role.MEMBER), make_user(other_county, Role.MEMBER)
    own_login = audit.record(Actor(user=mine, committee=None), "auth.login", mine)
    other_login = audit.record(Actor(user=theirs, committee=None), "auth.login", theirs)
    client.force_login(admin_user)
    assert own_login not in listed(client)
    rows = listed(client, include_accounts="on")
    assert own_login in rows and other_login not in rows


def test_export_contains_exactly_the_filtered_rows(client, county, other_county, admin_user):
    entry(county, "role.grant", object_repr="授予甲")
    entry(county, "role.revoke", object_repr="撤销乙")
    entry(county, "term.create", object_repr="新届")
    entry(other_county, "role.grant", object_repr="邻县授予")
    client.force_login(admin_user)
    response = client.get(reverse("manage-audit-export"), {"action": "role"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 3  # header + two
    objects = {r[6] for r in rows[1:]}
    assert objects == {"授予甲", "撤销乙"}


def test_export_neutralises_formulas(client, county, admin_user):
    entry(county, actor_name="=HYPERLINK(\"http://evil\")", object_repr="+1+1",
          object_id="-2", after={"x": "@SUM(A1)"})
    entry(county, object_repr="@cmd")
    client.force_login(admin_user)
    response = client.get(reverse("manage-audit-export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://evil\")" in values
    assert "'+1+1" in values and "'-2" in values and "'@cmd" in values


def test_excel_safe_leaves_ordinary_values_alone():
    assert excel_safe("张三") == "张三"
    assert excel_safe(12) == 12
    assert excel_safe("=1") == "'=1"
    assert excel_safe("a\x07b") == "ab"


def test_export_is_itself_audited(client, county, admin_user):
    entry(county)
    client.force_login(admin_user)
    client.get(reverse("manage-audit-export"), {"action": "test"})
    row = AuditLog.objects.get(action="audit.export")
    assert row.committee == county and row.actor == admin_user
    assert row.after["filters"] == {"action": "test"} and row.after["rows"] == 1


def test_export_with_bad_filters_goes_back_with_a_message(client, county, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("manage-audit-export"),
                          {"date_from": "2026-05-01", "date_to": "2026-04-01"}, follow=True)
    assert response.redirect_chain
    assert "请先改正筛选条件" in response.content.decode()
    assert not AuditLog.objects.filter(action="audit.export").exists()
