"""Give a msgid translated two ways across catalogues the translation Django shows.

    .venv/bin/python tools/po_unify.py

Django merges every app's catalogue into one, so a msgid without context shows the translation
of the catalogue with the highest precedence (``LOCALE_PATHS`` first, then ``INSTALLED_APPS`` in
order). This writes that translation into the other catalogues too, so what the files say is
what a page shows (``tests/test_translations.py`` fails on a clash). A msgid whose meanings
really differ between apps needs a ``pgettext`` context instead: read the list it prints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
os.environ.setdefault("XIESHANG_DEMO", "1")


def main() -> int:
    import django
    from django.conf import settings

    django.setup()
    order = ["locale"] + [app.split(".")[-1] for app in settings.INSTALLED_APPS
                          if app.startswith("xieshang.")]
    package = ROOT / "xieshang"
    files = {str(p.relative_to(package)).split("/")[0]: p
             for p in package.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")}
    pos = {where: polib.pofile(str(path)) for where, path in files.items()}
    ranked = sorted(pos, key=lambda w: order.index(w) if w in order else len(order))
    winner: dict[tuple[str | None, str], str] = {}
    for where in ranked:
        for e in pos[where]:
            if not e.obsolete and e.msgstr and not e.msgid_plural:
                winner.setdefault((e.msgctxt, e.msgid), e.msgstr)
    changed = 0
    for where in ranked:
        dirty = False
        for e in pos[where]:
            want = winner.get((e.msgctxt, e.msgid))
            if want and not e.obsolete and e.msgstr and e.msgstr != want:
                print(f"{where}: {e.msgid!r} {e.msgstr} → {want}")  # noqa: T201
                e.msgstr = want
                dirty = True
                changed += 1
        if dirty:
            pos[where].save(str(files[where]))
    print(f"{changed} entries unified")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
