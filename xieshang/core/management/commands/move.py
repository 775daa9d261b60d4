"""``xieshang move --to URL``: copy this install into an empty database of another engine.

See ``xieshang.core.move`` for how, and docs/deployment.md ("Moving from SQLite to
PostgreSQL") for when and how long it takes.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.move import BATCH, MoveError, Mover, Progress, Report


class Command(BaseCommand):
    help = ("Move this install (every row and uploaded file) into an empty database of another "
            "engine, e.g. from the default SQLite to PostgreSQL. Stop the web server and the task "
            "worker first. Interrupted, it resumes when run again with the same --to.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--to", required=True, metavar="URL",
                            help="the target database, e.g. postgres://user:pw@host:5432/name "
                                 "or sqlite:////srv/xieshang/var/xieshang.sqlite3")
        parser.add_argument("--media-to", metavar="DIR",
                            help="copy the uploaded files to this folder (the new install's "
                                 "XIESHANG_MEDIA_ROOT); without it they stay where they are")
        parser.add_argument("--replace", action="store_true",
                            help="delete everything in a target that already holds data")
        parser.add_argument("--restart", action="store_true",
                            help="begin an interrupted move again from the start instead of "
                                 "resuming it")
        parser.add_argument("--batch", type=int, default=BATCH,
                            help=f"rows per transaction (default {BATCH})")

    def handle(self, *args: Any, **options: Any) -> None:
        self.bar = _Bar(self, enabled=self.stderr.isatty() and options["verbosity"] > 0)
        try:
            mover = Mover(options["to"], replace=options["replace"], restart=options["restart"],
                          batch=options["batch"],
                          media_to=Path(options["media_to"]) if options["media_to"] else None,
                          progress=self.bar.update, say=self._say)
            self._say(f"Moving {mover.report.source} → {mover.report.target}")
            report = mover.run()
        except MoveError as exc:
            self.bar.end()
            raise CommandError(str(exc), returncode=2) from None
        except KeyboardInterrupt:
            self.bar.end()
            raise CommandError("interrupted: what was copied is kept; run the same command "
                               "again to resume (or with --restart to begin again)",
                               returncode=2) from None
        self.bar.end()
        self._print(report)
        if not report.ok:
            raise CommandError("the target differs from the source (see above); the move is "
                               "kept unfinished: run it again to check again, or with --restart",
                               returncode=1)

    def _say(self, text: str) -> None:
        self.bar.end()
        self.stdout.write(text)

    def _print(self, report: Report) -> None:
        width = max(len(t.name) for t in report.tables) if report.tables else 10
        self.stdout.write("")
        self.stdout.write(f"{'table':<{width}}  {'source':>9}  {'target':>9}  values")
        for t in report.tables:
            same = "same" if t.values_equal else "DIFFERENT"
            mark = "" if t.source == t.target and t.values_equal else "   <-- differs"
            self.stdout.write(f"{t.name:<{width}}  {t.source:>9,}  {t.target:>9,}  {same}{mark}")
        source = sum(t.source for t in report.tables)
        target = sum(t.target for t in report.tables)
        self.stdout.write(f"{'all ' + str(len(report.tables)) + ' tables':<{width}}  "
                          f"{source:>9,}  {target:>9,}")
        self.stdout.write("")
        for check in report.checks:
            self.stdout.write(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        times = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
        self.stdout.write(f"time: {times}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(
                f"Moved: {target:,} rows in {len(report.tables)} tables, every check passed. "
                "Point DATABASE_URL at the new database (with the same XIESHANG_SECRET_KEY and "
                "XIESHANG_FIELD_KEY) and start the services again."))


class _Bar:
    """One line redrawn in place on a terminal; a line per finished table otherwise."""

    def __init__(self, command: BaseCommand, *, enabled: bool) -> None:
        self.command, self.enabled = command, enabled
        self.started = 0.0  # the first batch: the estimate covers the copy only
        self.drawn = False
        self.last_table = ""

    def update(self, p: Progress) -> None:
        if not self.enabled:
            if p.table_rows >= p.table_total and p.table != self.last_table:
                self.last_table = p.table
                self.command.stdout.write(f"  {p.table}: {p.table_rows:,} rows "
                                          f"({p.rows:,} of {p.total:,})")
            return
        if not self.started:
            self.started = time.monotonic()
        share = p.rows / p.total if p.total else 1.0
        elapsed = time.monotonic() - self.started
        left = f", about {elapsed / share - elapsed:.0f} s left" if 0.02 < share < 1 else ""
        filled = int(30 * min(share, 1.0))
        line = (f"\r[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} {p.rows:,}/{p.total:,} "
                f"rows  {p.table[:32]:<32} {elapsed:.0f} s{left}")
        self.command.stderr.write(line.ljust(110), style_func=_plain, ending="")
        self.command.stderr.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.command.stderr.write("", style_func=_plain)
            self.drawn = False


def _plain(text: str) -> str:
    return text  # the progress line, not in the colour of an error
