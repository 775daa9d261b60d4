import datetime as dt
import random

import pytest

from tests.factories import (
    ActivityGroupFactory,
    HandlingUnitFactory,
    MemberFactory,
    SpecialCommitteeFactory,
    user_with_role,
)
from xieshang.activities import selectors
from xieshang.activities.models import Activity, Invitation, Suggestion
from xieshang.core.models import Role, Term
from xieshang.devdata import activities as demo
from xieshang.devdata.demo import DemoContext
from xieshang.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(county, frozen_clock):
    """A small county as the members demo would leave it, then the activities demo."""
    term = Term.objects.get(committee=county)
    members = [MemberFactory(committee=county, joined_on=dt.date(2022, 1, 1),
                             is_standing=i < 8) for i in range(40)]
    MemberFactory(committee=county, joined_on=dt.date(2022, 1, 1), left_on=dt.date(2023, 6, 30),
                  status=Member.Status.LEFT)
    for i in range(2):
        user = user_with_role(county, Role.MEMBER, member=members[i])
        members[i].user = user
        members[i].save(update_fields=["user"])
    HandlingUnitFactory.create_batch(8, committee=county)
    SpecialCommitteeFactory.create_batch(3, committee=county, term=term)
    ActivityGroupFactory.create_batch(4, committee=county, term=term)
    ctx = DemoContext(rng=random.Random(7), county=county, terms={county.code: term},
                      verbose=False)
    demo.build(ctx)
    return ctx


def test_demo_counts_are_the_figures_it_was_built_with(built, county):
    expected = built.extra["activities_expected"]
    counts = selectors.count_by_type(county, expected["start"], expected["end"])
    assert {k: counts[k] for k in expected["by_type"]} == expected["by_type"]
    assert counts["party_group"] == 56 and counts["counterpart_consultation"] == 63
    assert sum(counts.values()) == sum(expected["by_type"].values())
    per_type = selectors.suggestions_by_type(county, expected["start"], expected["end"])
    assert per_type["inspection"] == expected["suggestions"]["inspection"] == 107
    assert per_type["forum"] + per_type["seminar"] == expected["suggestions"]["forum+seminar"]
    assert selectors.counterpart_departments(county, expected["start"], expected["end"]) == 27
    for year in range(2022, 2026):
        assert selectors.learning_coverage_for_year(county, year).percent == 100


def test_demo_this_year_and_upcoming(built, county):
    counts = selectors.count_by_type(county, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert {k: v for k, v in counts.items() if v} == built.extra["activities_expected"][
        "this_year"]
    assert Activity.objects.filter(status="planned").count() == 3
    assert Invitation.objects.filter(status="leave_requested").count() == 1
    assert Invitation.objects.filter(status="leave_approved").exists()
    assert Invitation.objects.filter(attendance_source="qr").exists()
    assert Suggestion.objects.filter(status="closed", adoption="adopted").exists()
    assert Suggestion.objects.filter(status="sent").exists()
