import datetime as dt

import pytest

from xieshang.core.calendar import WorkCalendar, add_months, add_working_days
from xieshang.core.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_national_day_week_is_skipped():
    # 2026-09-30 is a Wednesday; 1–7 October are holidays.
    assert add_working_days(dt.date(2026, 9, 30), 1).date == dt.date(2026, 10, 8)


def test_make_up_working_day_counts():
    # 2026-01-04 (Sunday) is a make-up working day after New Year.
    assert WorkCalendar().is_workday(dt.date(2026, 1, 4))


def test_three_months_rolls_to_a_working_day():
    deadline = add_months(dt.date(2025, 7, 1), 3)
    assert deadline.date == dt.date(2025, 10, 9)  # 1 Oct … 8 Oct 2025 are holidays
    assert not deadline.uncertain


def test_year_without_data_warns():
    deadline = add_working_days(dt.date(2026, 12, 20), 20)
    assert deadline.date.year == 2027
    assert deadline.uncertain and "2027" in deadline.warnings[0]


def test_local_day_off_applies_only_to_its_committee(county, other_county):
    CalendarDay.objects.create(date=dt.date(2025, 6, 3), committee=county, is_workday=False,
                               name="县庆")
    assert not WorkCalendar(county).is_workday(dt.date(2025, 6, 3))
    assert WorkCalendar(other_county).is_workday(dt.date(2025, 6, 3))


def test_parent_local_day_applies_to_children(county):
    CalendarDay.objects.create(date=dt.date(2025, 6, 4), committee=county.parent,
                               is_workday=False, name="市庆")
    assert not WorkCalendar(county).is_workday(dt.date(2025, 6, 4))


def test_working_days_between():
    cal = WorkCalendar()
    assert cal.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 8)) == 1
