"""Working-day arithmetic on China's official calendar.

National holidays and make-up working days come from the ``CalendarDay`` table (seeded from
``chinese-calendar`` for 2004–2026, extended by admins each year when the State Council
publishes the next one); a committee may add local days. For a year with no data the
ordinary Monday–Friday week is used and the result carries a warning, which every page that
shows a deadline displays.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field

from chinese_calendar import constants
from django.db.models import Q
from django.utils.translation import gettext as _

from xieshang.core.models import CalendarDay, CalendarYear, Committee


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def uncertain(self) -> bool:
        return bool(self.warnings)


class WorkCalendar:
    """The calendar of one committee (national days plus its own and its ancestors')."""

    def __init__(self, committee: Committee | None = None) -> None:
        self.committee = committee
        self._loaded: set[int] = set()
        self._days: dict[dt.date, bool] = {}
        self._known_years: set[int] = set(CalendarYear.objects.values_list("year", flat=True))

    def _load(self, year: int) -> None:
        if year in self._loaded:
            return
        self._loaded.add(year)
        committees = Q(committee__isnull=True)
        if self.committee is not None:
            codes = [c for c in self.committee.path.strip("/").split("/") if c]
            committees |= Q(committee__code__in=codes)
        rows = CalendarDay.objects.filter(
            committees, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
        ).values_list("date", "is_workday", "committee_id")
        # Local rows (committee set) override national ones for the same date.
        for day, is_workday, _committee in sorted(rows, key=lambda r: r[2] is not None):
            self._days[day] = is_workday

    def has_data(self, year: int) -> bool:
        return year in self._known_years

    def is_workday(self, day: dt.date) -> bool:
        self._load(day.year)
        if day in self._days:
            return self._days[day]
        return day.weekday() < 5

    def _warning(self, years: set[int]) -> tuple[str, ...]:
        missing = sorted(y for y in years if not self.has_data(y))
        if not missing:
            return ()
        return (
            _("No official holiday data for %(years)s: weekends only were skipped; check this "
              "date when the State Council publishes the holidays.")
            % {"years": "、".join(str(y) for y in missing)},
        )

    def add_working_days(self, start: dt.date, days: int) -> Deadline:
        """The date ``days`` working days after ``start`` (start itself not counted)."""
        step = 1 if days >= 0 else -1
        current, remaining, years = start, abs(days), {start.year}
        while remaining:
            current += dt.timedelta(days=step)
            years.add(current.year)
            if self.is_workday(current):
                remaining -= 1
        return Deadline(current, self._warning(years))

    def add_months(self, start: dt.date, months: int) -> Deadline:
        """Same day ``months`` later (end of month if shorter), moved on to a working day."""
        month_index = start.month - 1 + months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, _cal.monthrange(year, month)[1])
        target = dt.date(year, month, day)
        years = {start.year, target.year}
        while not self.is_workday(target):
            target += dt.timedelta(days=1)
            years.add(target.year)
        return Deadline(target, self._warning(years))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, current = 0, start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


def add_working_days(start: dt.date, days: int, committee: Committee | None = None) -> Deadline:
    return WorkCalendar(committee).add_working_days(start, days)


def add_months(start: dt.date, months: int, committee: Committee | None = None) -> Deadline:
    return WorkCalendar(committee).add_months(start, months)


def seed_from_package() -> int:
    """Load the national holidays the ``chinese-calendar`` package knows; return rows added."""
    existing = set(
        CalendarDay.objects.filter(committee__isnull=True).values_list("date", flat=True)
    )
    rows = [
        CalendarDay(date=d, committee=None, is_workday=False, name=_holiday_name(str(name)))
        for d, name in constants.holidays.items() if d not in existing
    ] + [
        CalendarDay(date=d, committee=None, is_workday=True, name=_holiday_name(str(name)))
        for d, name in constants.workdays.items() if d not in existing
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    years = {d.year for d in constants.holidays}
    for year in sorted(years):
        CalendarYear.objects.get_or_create(
            year=year, defaults={"source": "chinese-calendar (State Council notices)"}
        )
    return len(rows)


NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_name(name: str) -> str:
    return NAMES.get(name, name)
