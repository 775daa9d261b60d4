"""Each area registers its own figures in the core registry; reports only reads them."""

import pytest

from xieshang.core import figures


def test_each_area_registers_its_own_figures_in_the_old_order():
    sections = [name for name, _provider in figures.providers()]
    # providers are ordered by name within an app's registration; the channels added later
    # (clues, participation, meetings) register their own sections
    assert [s for s in sections if s not in ("clues", "participation", "meetings")] == [
        "members", "activities", "duties", "opinions", "proposals", "attendance", "units"]
    assert {"clues", "participation", "meetings"} <= set(sections)
    modules = {name: provider.__module__ for name, provider in figures.providers()}
    for area in ("members", "activities", "duties", "opinions", "proposals"):
        assert modules[area] == f"xieshang.{area}.figures"
    assert modules["attendance"] == "xieshang.activities.figures"
    assert modules["units"] == "xieshang.reports.units"
    assert modules["participation"] == "xieshang.participation.figures"
    assert modules["clues"] == "xieshang.clues.figures"
    assert modules["meetings"] == "xieshang.meetings.figures"


@pytest.mark.django_db
def test_every_figure_links_to_a_page_the_office_can_open(county, client, make_user):
    """#16: each figure has a written definition and links to the records behind it. The proposal,
    opinion, clue and activity figures' links are checked to list exactly what they count in
    their own tests; here every figure of every area has a link that opens."""
    import datetime as dt

    from django.urls import resolve

    from tests.factories import RoleAssignmentFactory
    from xieshang.core.models import Role

    rows = figures.compute(figures.Scope(county, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert rows
    missing = sorted(key for key, f in rows.items() if not f.link)
    assert not missing, missing
    undefined = sorted(key for key, f in rows.items() if not f.definition)
    assert not undefined, undefined
    user = make_user(county, Role.STAFF_OFFICE)
    for role in (Role.STAFF_PROPOSAL, Role.STAFF_OPINION):
        RoleAssignmentFactory(user=user, committee=county, role=role)
    client.force_login(user)
    for link in sorted({f.link for f in rows.values()}):
        resolve(link.split("?")[0])
        assert client.get(link).status_code == 200, link
