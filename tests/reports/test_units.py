"""Handling-unit performance (承办单位办理情况): lines, ranking, export, who may see it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import HandlingUnitFactory
from tests.proposals.factories import S, build_world, call, reach
from xieshang.core.figures import Scope, compute
from xieshang.reports.units import unit_lines

pytestmark = pytest.mark.django_db
EVER = {"from": "2000-01-01"}


def handled_year(county):
    """Closed (satisfied), re-handled (dissatisfied), one extended, one still assigned:
    县a局 leads and replies, 县b局 is the co-unit of each."""
    w = build_world(county)
    reach(w, S.CLOSED, title="关于加强农村饮水安全保障的建议")
    reach(w, S.REHANDLING, title="关于改善城区停车难问题的建议")
    extended = reach(w, S.HANDLING, title="关于推进县域医共体建设的建议")
    call(w, extended, "extend", "staff")
    reach(w, S.ASSIGNED, title="关于规范校外培训机构的建议")
    return w


def _line(lines, name):
    return next(x for x in lines if x.name == name)


def test_unit_lines_count_every_column(county):
    handled_year(county)
    lines = unit_lines(Scope(county, dt.date(2000, 1, 1), dt.date.today()))
    a, b = _line(lines, "县a局"), _line(lines, "县b局")
    assert (a.assigned, a.replying, a.replied, a.replied_on_time) == (4, 4, 2, 2)
    assert (a.class_a, a.class_b, a.class_c) == (2, 0, 0)
    assert (a.satisfied, a.basically, a.dissatisfied, a.rehandled) == (1, 0, 1, 1)
    assert a.extensions == 1
    assert a.overdue_now == 0  # every due date is months away
    assert a.signed_on_time == a.signed
    assert (b.assigned, b.replying, b.replied, b.satisfied) == (4, 0, 0, 0)
    assert _line(lines, "县c局").assigned == 0  # units with nothing still appear, last
    assert lines[-1].assigned == 0


def test_unit_figures_in_the_api_figures(county):
    handled_year(county)
    figures = compute(Scope(county, dt.date(2000, 1, 1), dt.date.today()))
    assert figures["units.assigned"].value == 8
    assert figures["units.with_parts"].value == 2
    assert figures["units.extensions"].value == 1
    assert figures["units.top"].detail["units"][0]["proposals"] == 4


def test_units_page_sorts_and_exports(county, client):
    w = handled_year(county)
    client.force_login(w.users["staff"])
    page = client.get(reverse("reports-units"), {**EVER, "sort": "replied", "dir": "desc"})
    assert page.status_code == 200
    names = [x.name for x in page.context["lines"]]
    assert names[0] == "县a局"
    page = client.get(reverse("reports-units"), {**EVER, "sort": "name", "dir": "asc"})
    assert [x.name for x in page.context["lines"]] == sorted(names)
    xlsx = client.get(reverse("reports-units"), {**EVER, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "承办单位", "交办件次")
    by_name = {r[1]: r for r in rows[1:] if r and r[1] and r[0] != "口径"}
    assert by_name["县a局"][2] == 4 and by_name["县b局"][2] == 4


def test_unit_drill_down_lists_its_proposals(county, client):
    w = handled_year(county)
    client.force_login(w.users["leader"])
    page = client.get(reverse("reports-unit", args=[w.units["a"].pk]), EVER)
    assert page.status_code == 200
    body = page.content.decode()
    assert "关于改善城区停车难问题的建议" in body and "关于规范校外培训机构的建议" in body


def test_unit_users_see_only_their_own_unit(county, client):
    w = handled_year(county)
    client.force_login(w.users["clerk_a"])
    page = client.get(reverse("reports-units"), EVER)
    assert [x.name for x in page.context["lines"]] == ["县a局"]
    assert client.get(reverse("reports-unit", args=[w.units["a"].pk]), EVER).status_code == 200
    assert client.get(reverse("reports-unit", args=[w.units["b"].pk]), EVER).status_code == 403
    client.force_login(w.users["leader_b"])
    xlsx = client.get(reverse("reports-units"), {**EVER, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:] if r and r[0] == 1] == ["县b局"]


@pytest.mark.parametrize("role", ["member", "collective"])
def test_members_are_refused_the_unit_ranking(county, client, role):
    w = handled_year(county)
    client.force_login(w.users[role])
    assert client.get(reverse("reports-units"), EVER).status_code == 403
    assert client.get(reverse("reports-unit", args=[w.units["a"].pk]), EVER).status_code == 403


def test_the_public_is_refused_the_unit_ranking(county, client):
    w = build_world(county)
    response = client.get(reverse("reports-units"))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.get(reverse("reports-unit", args=[w.units["a"].pk]))
    assert response.status_code == 302


def test_units_of_another_committee_are_hidden(county, other_county, client):
    w = build_world(county)
    foreign = HandlingUnitFactory(committee=other_county, name="邻县财政局")
    client.force_login(w.users["staff"])
    page = client.get(reverse("reports-units"), EVER)
    assert "邻县财政局" not in [x.name for x in page.context["lines"]]
    assert client.get(reverse("reports-unit", args=[foreign.pk]), EVER).status_code == 404


def test_unit_queries_do_not_grow_with_units_or_proposals(county, client,
                                                          django_assert_max_num_queries):
    w = build_world(county)
    reach(w, S.REPLIED)
    client.force_login(w.users["staff"])
    client.get(reverse("reports-units"), EVER)  # warm the session and the calendar years
    with django_assert_max_num_queries(20, info="units page"):
        small = client.get(reverse("reports-units"), EVER)
    for i in range(12):
        HandlingUnitFactory(committee=county, name=f"县第{i}局")
    reach(w, S.CLOSED)
    reach(w, S.REHANDLING)
    reach(w, S.HANDLING)
    with django_assert_max_num_queries(20, info="units page"):
        large = client.get(reverse("reports-units"), EVER)
    assert len(large.context["lines"]) == len(small.context["lines"]) + 12
