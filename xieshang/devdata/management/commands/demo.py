"""``xieshang demo [--seed N] [--reset]``: build the demo county and print a login for each role.

The demo is built once: run again, the command prints the logins of the demo already there and
changes nothing (so ``make demo`` can be run any number of times). ``--reset`` empties the whole
database first and builds it anew. Into a database that holds other committees it refuses to
build at all, so that fictional people never mix with real ones.
"""

from __future__ import annotations

import os
import time
import unicodedata
from argparse import ArgumentParser
from dataclasses import asdict
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from xieshang.core import audit
from xieshang.core.models import AuditLog, Committee, User
from xieshang.core.permissions import Actor
from xieshang.devdata.demo import DEMO_PASSWORD, Login, build_demo
from xieshang.devdata.scale import ScaleSpec, build_scale

BUILD_ACTION = "demo.build"
def _url() -> str:
    """Where `make demo` serves it (its HOST and PORT, passed on as XIESHANG_DEMO_URL)."""
    return os.environ.get("XIESHANG_DEMO_URL", "http://127.0.0.1:8000/")
# Rows written by data migrations, which ``flush`` deletes: (app, migration) whose ``seed``
# function puts them back.
SEEDING_MIGRATIONS = (("core", "0003_seed_calendar"),)


class Command(BaseCommand):
    help = "Build the demo county (under a city and a province) with a login for every role."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=2026,
                            help="random seed: the same seed gives the same county (2026)")
        parser.add_argument("--reset", action="store_true",
                            help="delete EVERYTHING in the database first, then build the demo")
        parser.add_argument("--scale", choices=("county", "province", "small"), default="county",
                            help="county: the demo county (default); province: 1 province, "
                                 "14 cities, 100 counties, ~30,000 members, 10 years of records "
                                 "for load tests (xieshang/devdata/scale.py); small: the same at "
                                 "2 cities x 2 counties x 1 year")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 0
        if options["reset"]:
            self._reset(verbose)
        else:
            previous = AuditLog.objects.filter(action=BUILD_ACTION).order_by("-id").first()
            if previous is not None:
                self._already_built(previous)
                return
            if Committee.objects.exists():
                raise CommandError(
                    "The database already holds committees, so the demo is not added to it. "
                    "`xieshang demo --reset` deletes everything in the database first.")
        if options["scale"] != "county":
            self._scale(options["scale"], options["seed"], verbose)
            return
        started = time.monotonic()
        if verbose:
            self.stdout.write(f"Building the demo (seed {options['seed']})…")
        with transaction.atomic():
            ctx = build_demo(seed=options["seed"], verbose=verbose)
            audit.record(Actor.for_system(ctx.county), BUILD_ACTION, committee=ctx.county,
                         after={"seed": options["seed"],
                                "logins": [_stored(login) for login in ctx.logins]})
        if verbose:
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
        self._print_logins(ctx.logins)

    def _scale(self, scale: str, seed: int, verbose: bool) -> None:
        spec = ScaleSpec.province() if scale == "province" else ScaleSpec.small()
        spec.seed = seed
        self.stdout.write(f"Building the {scale}-scale data (seed {seed})…")
        result = build_scale(spec, log=self.stdout.write if verbose else lambda s: None)
        audit.record(Actor.for_system(None), BUILD_ACTION, after={
            "seed": seed, "scale": scale, "counts": dict(result.counts), "logins": []})
        self.stdout.write("Rows: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
        self.stdout.write("Seconds: " + ", ".join(f"{k} {v:.1f}"
                                                  for k, v in result.timings.items()))
        self.stdout.write(f"Logins ({len(result.logins)}, password {DEMO_PASSWORD}): "
                          "<code>-staff, <code>-leader, <code>-unit1..3, <code>-m1.. "
                          "for each committee code sc-prov, sc-c01, sc-c01-01 …")

    def _reset(self, verbose: bool) -> None:
        if verbose:
            self.stdout.write("Deleting everything in the database (--reset)…")
        call_command("flush", interactive=False, verbosity=0)
        for app_label, migration in SEEDING_MIGRATIONS:
            module = import_module(f"{apps.get_app_config(app_label).name}.migrations.{migration}")
            module.seed(apps, None)

    def _already_built(self, previous: AuditLog) -> None:
        built = timezone.localtime(previous.created_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(
            f"The demo is already in this database (built {built}, seed "
            f"{previous.after.get('seed')}); nothing was changed. "
            "`xieshang demo --reset` deletes everything and builds it again.")
        logins = [Login(password="", **row) for row in previous.after.get("logins", [])]
        users = {u.username: u for u in User.objects.filter(
            username__in=[login.username for login in logins])}
        for login in logins:
            # Comparing dates, not checking the password: an Argon2 check takes up to a second.
            changed = users[login.username].password_changed_at if login.username in users else None
            login.password = ("（已修改）" if changed is not None and changed > previous.created_at
                              else DEMO_PASSWORD)
        self._print_logins([login for login in logins if login.username in users])

    def _print_logins(self, logins: list[Login]) -> None:
        header = Login(role="角色", username="用户名", password="密码", committee="政协",
                       note="说明")
        rows = [header, *logins]
        columns = ("role", "username", "password", "committee")
        widths = {c: max(_width(getattr(r, c)) for r in rows) for c in columns}
        self.stdout.write("")
        for row in rows:
            cells = [_pad(getattr(row, c), widths[c]) for c in columns]
            self.stdout.write("  ".join([*cells, row.note]).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Open {_url()} and log in with any of these "
                          "(members may also use their mobile number). "
                          "`make demo` starts the server; otherwise run `xieshang runserver`.")


def _stored(login: Login) -> dict[str, str]:
    # The password is not written to the audit log; every demo login uses DEMO_PASSWORD.
    row = asdict(login)
    row.pop("password")
    return row


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
