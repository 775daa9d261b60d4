"""Each area registers its own figures in the core registry; reports only reads them."""

from xieshang.core import figures


def test_each_area_registers_its_own_figures_in_the_old_order():
    sections = [name for name, _provider in figures.providers()]
    # providers are ordered by name within an app's registration; the channels added later
    # (clues, participation) register their own sections
    assert [s for s in sections if s not in ("clues", "participation")] == [
        "members", "activities", "duties", "opinions", "proposals", "attendance", "units"]
    assert {"clues", "participation"} <= set(sections)
    modules = {name: provider.__module__ for name, provider in figures.providers()}
    for area in ("members", "activities", "duties", "opinions", "proposals"):
        assert modules[area] == f"xieshang.{area}.figures"
    assert modules["attendance"] == "xieshang.activities.figures"
    assert modules["units"] == "xieshang.reports.units"
    assert modules["participation"] == "xieshang.participation.figures"
    assert modules["clues"] == "xieshang.clues.figures"
