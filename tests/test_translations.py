"""Chinese is the default language: every message of every app has a zh_Hans translation."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1] / "xieshang"
PO_FILES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"untranslated in {po_path}: {missing[:10]}"


def test_no_message_means_two_things_across_catalogues():
    """Django merges every app's catalogue into one: a msgid translated two ways shows one app's
    word in another app's page ("立案" on a file field). Give such a msgid a context per app
    (``pgettext``) or one translation."""
    meanings: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in PO_FILES:
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgstr:
                continue
            where = str(po_path.relative_to(ROOT)).split("/")[0]
            meanings.setdefault((entry.msgctxt, entry.msgid), {})[where] = entry.msgstr
    clashes = {key: seen for key, seen in meanings.items() if len(set(seen.values())) > 1}
    assert not clashes, "\n".join(f"{ctx or ''}|{msgid}: {seen}"
                                  for (ctx, msgid), seen in sorted(clashes.items(), key=str))


def test_every_model_has_a_name_in_chinese():
    """A model's name reaches pages (the audit log's object types, admin, messages): each of
    ours says in Chinese what it is, not its class name."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        english = sorted(m._meta.label for m in apps.get_models()
                         if m.__module__.startswith("xieshang.")
                         and str(m._meta.verbose_name).isascii())
    assert not english


def test_every_row_names_itself_in_words():
    """``str(row)`` is what the audit log stores of a row: never Django's "Model object (5)"."""
    from django.apps import apps
    from django.db.models import Model

    bare = sorted(m._meta.label for m in apps.get_models()
                  if m.__module__.startswith("xieshang.") and m.__str__ is Model.__str__)
    assert not bare
