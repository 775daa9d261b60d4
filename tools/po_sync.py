"""Extract every catalogue afresh and keep every translation we already have.

    .venv/bin/python tools/po_sync.py [--from REF ...] [--json FILE ...]

For each catalogue (each app's ``locale/zh_Hans/LC_MESSAGES/django.po`` and the shell's
``xieshang/locale``) it runs ``makemessages --no-location --no-obsolete`` (no line numbers: two
branches that add strings do not conflict on every line), then fills each entry that is empty or
only fuzzy from, in order: the catalogue as it was before the run, the same file in each git
REF given (``--from other-branch`` after a merge took one side of a conflicting catalogue), and
each JSON file of msgid → msgstr. It prints the msgids still untranslated; translate them with
``tools/po_fill.py`` and run ``make messages``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xieshang"
ADMIN = ROOT / ".venv" / "bin" / "django-admin"


def catalogues() -> list[tuple[Path, Path, list[str]]]:
    """(directory to extract from, .po file, --ignore patterns) for every catalogue."""
    out = []
    apps = sorted(p.parent.parent for p in PACKAGE.glob("*/locale/zh_Hans"))
    for app in apps:
        out.append((app, app / "locale/zh_Hans/LC_MESSAGES/django.po", []))
    shell_ignores = [f"{app.name}/*" for app in apps] + ["static/*"]
    out.append((PACKAGE, PACKAGE / "locale/zh_Hans/LC_MESSAGES/django.po", shell_ignores))
    return out


def table_of(text: str) -> dict[tuple[str | None, str], polib.POEntry]:
    if not text.strip():
        return {}
    po = polib.pofile(text)
    return {(e.msgctxt, e.msgid): e for e in po
            if not e.obsolete and e.translated() and "fuzzy" not in e.flags}


def at_ref(ref: str, path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    result = subprocess.run(["git", "show", f"{ref}:{rel}"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    return result.stdout if result.returncode == 0 else ""


def fill(entry: polib.POEntry, source: polib.POEntry) -> None:
    if entry.msgid_plural:
        entry.msgstr_plural = dict(source.msgstr_plural) or {0: source.msgstr}
    else:
        entry.msgstr = source.msgstr or source.msgstr_plural.get(0, "")
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="refs", action="append", default=[],
                        help="a git ref whose catalogues also supply translations")
    parser.add_argument("--json", action="append", default=[],
                        help="a JSON file of msgid -> msgstr")
    args = parser.parse_args()
    extra: dict[str, str] = {}
    for name in args.json:
        extra.update(json.loads(Path(name).read_text(encoding="utf-8")))
    missing_total = 0
    for where, po_path, ignores in catalogues():
        sources = [table_of(po_path.read_text(encoding="utf-8") if po_path.exists() else "")]
        sources += [table_of(at_ref(ref, po_path)) for ref in args.refs]
        command = [str(ADMIN), "makemessages", "-l", "zh_Hans", "--no-location",
                   "--no-obsolete", "-v0"]
        for pattern in ignores:
            command += ["--ignore", pattern]
        subprocess.run(command, cwd=where, check=True)
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.translated() and "fuzzy" not in entry.flags:
                continue
            key = (entry.msgctxt, entry.msgid)
            source = next((table[key] for table in sources if key in table), None)
            if source is not None:
                fill(entry, source)
            elif entry.msgctxt is None and entry.msgid in extra:
                entry.msgstr = extra[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.save()
        missing = [e for e in po if not e.translated() or "fuzzy" in e.flags]
        for e in missing:
            print(f"{po_path.relative_to(ROOT)}: {e.msgctxt + ' | ' if e.msgctxt else ''}"
                  f"{e.msgid}")
        missing_total += len(missing)
    print(f"{missing_total} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
