"""The demo loader: ``xieshang demo`` builds a realistic county (under a city and a province).

Each Xieshang app may have a ``demo.py`` with ``build(ctx: DemoContext) -> None``; they run in
INSTALLED_APPS order, so an app sees everything its dependencies created. Everything is made
through the services (so the rules and the audit log apply), with a seeded random generator so
that two runs give the same county.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.apps import apps

from xieshang.core import clock

if TYPE_CHECKING:
    from xieshang.core.models import Committee, Session, Term, User
    from xieshang.core.permissions import Actor
    from xieshang.members.models import HandlingUnit, Member, Sector


# Every demo login shares this password (letters and digits, so the password rules accept it).
DEMO_PASSWORD = "Demo2026xs"


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
    today: dt.date
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

    def system(self, committee: Committee) -> Actor:
        from xieshang.core.permissions import Actor

        return Actor.for_system(committee)

    def log(self, message: str) -> None:
        if self.verbose:
            print(message, flush=True)  # noqa: T201 - the demo command reports progress


def demo_modules() -> list[Any]:
    out = []
    for config in apps.get_app_configs():
        if config.name.startswith("xieshang.") and find_spec(f"{config.name}.demo") is not None:
            out.append(import_module(f"{config.name}.demo"))
    return out


def build_demo(
    *, seed: int = 2026, today: dt.date | None = None, verbose: bool = True,
) -> DemoContext:

    ctx = DemoContext(rng=random.Random(seed), today=today or clock.today(),
                      verbose=verbose)
    for module in demo_modules():
        if module.__name__ == __name__:
            continue
        ctx.log(f"· {module.__name__}")
        module.build(ctx)
    return ctx
