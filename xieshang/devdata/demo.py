"""The demo loader: ``xieshang demo`` builds a realistic county (under a city and a province).

Each area of work has a builder in this app (``devdata/<area>.py`` with
``build(ctx: DemoContext) -> None``); ``BUILDERS`` runs them in the order of the layers, so a
builder sees everything the areas below it created. An area whose app is not installed is
skipped. Data is made through the services (so the rules and the audit log apply), with a
seeded random generator so that two runs give the same county.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps

from xieshang.core import clock
from xieshang.core.models import Committee, Session, Term, User
from xieshang.core.permissions import Actor
from xieshang.members.models import HandlingUnit, Member, Sector

# Every demo login shares this password (letters and digits, so the password rules accept it).
DEMO_PASSWORD = "Demo2026xs"

# The demo's story is written as of this year: the seed work report covers the four years before
# it (2022–2025), the term and its sessions run to its end, and "this year so far" is this year.
# Built in a later year, every date of the story moves by whole years (``DemoContext.date``), so
# the demo always looks current: its last full year is last year and its current year is today's.
STORY_YEAR = 2026


@dataclass
class Login:
    role: str
    username: str
    password: str
    committee: str
    note: str = ""


@dataclass
class DemoContext:
    rng: random.Random
    county: Committee | None = None
    city: Committee | None = None
    province: Committee | None = None
    terms: dict[str, Term] = field(default_factory=dict)  # committee code → current term
    # committee code → sessions, oldest first
    sessions: dict[str, list[Session]] = field(default_factory=dict)
    members: dict[str, list[Member]] = field(default_factory=dict)  # code → members
    sectors: dict[str, list[Sector]] = field(default_factory=dict)
    units: dict[str, list[HandlingUnit]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # login name → user (one per role)
    logins: list[Login] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # anything an app wants to share
    verbose: bool = True

    # --- the demo's time: the one clock, and the story moved to the current year ------------

    @property
    def today(self) -> dt.date:
        """Today, from the platform's one clock (a test moves it with time-machine)."""
        return clock.today()

    @property
    def shift(self) -> int:
        """Whole years between the story's year and today's."""
        return self.today.year - STORY_YEAR

    def year(self, story_year: int) -> int:
        """The calendar year that plays the story's ``story_year``."""
        return story_year + self.shift

    def date(self, story_year: int, month: int, day: int) -> dt.date:
        """The story's date moved to the current year (29 February → 28 in a common year)."""
        year = self.year(story_year)
        if month == 2 and day == 29 and not calendar.isleap(year):
            day = 28
        return dt.date(year, month, day)

    def move(self, story_date: dt.date) -> dt.date:
        """A date written in the story, moved by the same whole years."""
        return self.date(story_date.year, story_date.month, story_date.day)

    def at(self, story_year: int, month: int, day: int, hour: int = 0,
           minute: int = 0) -> dt.datetime:
        """The story's local moment moved to the current year (time-zone aware)."""
        return clock.at(self.date(story_year, month, day), hour, minute)

    @property
    def year_elapsed(self) -> float:
        """The share of the current year that has passed by today (0.0 on 1 January)."""
        start = dt.date(self.today.year, 1, 1)
        length = (dt.date(self.today.year + 1, 1, 1) - start).days
        return (self.today - start).days / length

    def so_far(self, full_year_count: int, *, story_share: float = 329 / 365) -> int:
        """How many of ``full_year_count`` things (written for the story's ``today``, late
        November) the current year has had by today."""
        return round(full_year_count * min(1.0, self.year_elapsed / story_share))

    def system(self, committee: Committee) -> Actor:
        return Actor.for_system(committee)

    def log(self, message: str) -> None:
        if self.verbose:
            print(message, flush=True)  # noqa: T201 - the demo command reports progress


# (the app whose data it builds, the builder in this package), in the order they run.
BUILDERS = (
    ("xieshang.members", "members"),
    ("xieshang.proposals", "proposals"),
    ("xieshang.opinions", "opinions"),
    ("xieshang.activities", "activities"),
    ("xieshang.meetings", "meetings"),
    ("xieshang.participation", "participation"),
    ("xieshang.duties", "duties"),
    ("xieshang.portal", "portal"),
    ("xieshang.clues", "clues"),
)


# The kinds of record indexed after the build: every registered kind (None). The builders
# write many records with bulk_create (no post_save); the others queue their index task on
# commit, which a worker may run much later. Indexing every kind here leaves the index complete
# when the command ends (`xieshang text reindex --check`), whichever path wrote a record.
BULK_KINDS: tuple[str, ...] | None = None


def demo_modules() -> list[ModuleType]:
    """The builders of the installed apps, in order (imported on demand: a builder imports
    its app's models, which an install without that app does not have)."""
    return [import_module(f"xieshang.devdata.{name}") for app, name in BUILDERS
            if apps.is_installed(app)]


def build_demo(*, seed: int = 2026, verbose: bool = True) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), verbose=verbose)
    for module in demo_modules():
        ctx.log(f"· {module.__name__}")
        module.build(ctx)
    if apps.is_installed("xieshang.search"):
        # The builders write most records in bulk (no post_save, so the index hears nothing
        # of them); every entry is written here, once co-signers are known too.
        # Imported here: search is an optional app.
        from xieshang.devdata.indexing import index_committees

        committees = [c.pk for c in (ctx.county, ctx.city, ctx.province) if c is not None]
        ctx.extra["indexed"] = index_committees(committees, BULK_KINDS)
        ctx.log(f"· search index: {ctx.extra['indexed']}")
    return ctx
