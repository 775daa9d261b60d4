"""``xieshang report figures|draft [--kind work|proposals]`` for any committee and period."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.figures import Scope, compute
from xieshang.core.models import Committee
from xieshang.reports.draft import DRAFTS, draft_docx


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}", returncode=2) from None


class Command(BaseCommand):
    help = "Statistics and the work-report draft for a committee and a period."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("figures", "draft"):
            p = sub.add_parser(name)
            p.add_argument("--committee", required=True, help="committee code")
            p.add_argument("--from", dest="start", required=True)
            p.add_argument("--to", dest="end", required=True)
            p.add_argument("--include-sub", action="store_true",
                           help="add the figures of the sub-committees")
            if name == "figures":
                p.add_argument("--format", choices=["json", "text"], default="text")
            else:
                p.add_argument("--out", required=True)
                p.add_argument("--kind", choices=sorted(DRAFTS), default="work",
                               help="work: the committee's work report; "
                                    "proposals: the proposal-work report")

    def handle(self, *args: Any, **options: Any) -> None:
        committee = Committee.objects.filter(code=options["committee"]).first()
        if committee is None:
            raise CommandError(f"no committee with code {options['committee']!r}", returncode=2)
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from", returncode=2)
        scope = Scope(committee=committee, start=start, end=end,
                      include_sub=options["include_sub"])
        figures = compute(scope)
        if options["action"] == "draft":
            with open(options["out"], "wb") as fh:
                fh.write(draft_docx(options["kind"], scope, figures))
            self.stdout.write(f"written {options['out']}")
            return
        if options["format"] == "json":
            payload = {"committee": committee.code, "from": str(start), "to": str(end),
                       "include_sub": scope.include_sub,
                       "figures": {k: f.value for k, f in figures.items()}}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for key, figure in figures.items():
            shown = figure.note or f"{figure.value}{figure.unit}"  # "无数据…" where none
            self.stdout.write(f"{key}\t{shown}\t{figure.label}")
