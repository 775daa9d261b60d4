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
