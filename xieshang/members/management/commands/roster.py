"""``xieshang roster …``: import and export a committee's roster as .xlsx.

    xieshang roster import FILE --committee CODE [--units] [--dry-run] [--create-sectors]
    xieshang roster export --committee CODE --out FILE [--units]
    xieshang roster template --out FILE [--units] [--committee CODE]

The command acts as the platform itself (audited as "system"). An import that finds errors
prints every one of them (row, column, message, as on the import page), saves nothing and exits
with status 1; a file or argument that cannot be used exits with status 2.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.members import roster


class Command(BaseCommand):
    help = "Import or export members and handling units as .xlsx files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check and import a roster file")
        imp.add_argument("file")
        imp.add_argument("--committee", required=True, help="committee code")
        imp.add_argument("--units", action="store_true", help="the file lists handling units")
        imp.add_argument("--dry-run", action="store_true", help="check only, save nothing")
        imp.add_argument("--create-sectors", action="store_true",
                         help="create sectors named in the file that do not exist yet")
        exp = sub.add_parser("export", help="write the current roster")
        exp.add_argument("--committee", required=True, help="committee code")
        exp.add_argument("--out", required=True)
        exp.add_argument("--units", action="store_true", help="export handling units")
        tpl = sub.add_parser("template", help="write an empty roster with explanations")
        tpl.add_argument("--out", required=True)
        tpl.add_argument("--committee", help="list this committee's sectors in the notes")
        tpl.add_argument("--units", action="store_true", help="the unit template")

    def handle(self, *args: Any, **options: Any) -> None:
        kind: roster.Kind = "units" if options["units"] else "members"
        try:
            getattr(self, f"do_{options['action']}")(options, kind)
        except OSError as exc:
            raise CommandError(f"{exc.strerror or exc}: {exc.filename or ''}",
                               returncode=2) from None

    def _committee(self, code: str) -> Committee:
        committee = Committee.objects.filter(code=code).first()
        if committee is None:
            raise CommandError(f"no committee with code {code!r}", returncode=2)
        return committee

    def do_import(self, options: dict[str, Any], kind: roster.Kind) -> None:
        committee = self._committee(options["committee"])
        path = Path(options["file"])
        if path.stat().st_size > roster.MAX_FILE_BYTES:
            raise CommandError(f"{path}: larger than {roster.MAX_FILE_BYTES} bytes", returncode=2)
        result = roster.roster_import(
            actor=Actor.for_system(committee), committee=committee, data=path.read_bytes(),
            kind=kind, create_sectors=options["create_sectors"], dry_run=options["dry_run"],
            filename=path.name)
        for error in result.errors:
            self.stdout.write(str(error))
        if result.errors:
            raise CommandError(_("%(n)s error(s) found; nothing was saved.")
                               % {"n": len(result.errors)}, returncode=1)
        if result.new_sectors:
            self.stdout.write(_("New sectors: %(names)s") % {
                "names": "、".join(result.new_sectors)})
        if options["dry_run"]:
            message = _("Checked, nothing saved (dry run): %(total)s rows, %(summary)s.")
        else:
            message = _("Imported %(total)s rows: %(summary)s.")
        self.stdout.write(message % {"total": result.total, "summary": result.summary()})

    def do_export(self, options: dict[str, Any], kind: roster.Kind) -> None:
        committee = self._committee(options["committee"])
        data = roster.roster_export(actor=Actor.for_system(committee), committee=committee,
                                    kind=kind)
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"wrote {options['out']}")

    def do_template(self, options: dict[str, Any], kind: roster.Kind) -> None:
        committee = self._committee(options["committee"]) if options["committee"] else None
        Path(options["out"]).write_bytes(roster.roster_template(committee=committee, kind=kind))
        self.stdout.write(f"wrote {options['out']}")
