"""A web process starts small (issue #20: ≤ 120 MiB after start): after Django's setup and the
warm-up that xieshang.wsgi runs, neither the text models nor the document and spreadsheet
libraries are loaded — they are loaded on first use."""

import json
import os
import subprocess
import sys

HEAVY = ("sklearn", "numpy", "openpyxl", "docx", "reportlab", "segno", "pypinyin")

SCRIPT = f"""
HEAVY = {HEAVY!r}
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
import django
django.setup()
from xieshang.core.warmup import warm
warm()
import jieba
print(json.dumps({{"loaded": sorted(m for m in HEAVY if m in sys.modules),
                  "dictionary": jieba.dt.initialized}}))
"""


def test_warm_web_process_has_no_text_model_nor_document_library_loaded():
    env = {**os.environ, "XIESHANG_DEMO": "1"}
    env.pop("XIESHANG_WARMUP_TEXT", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                         text=True, timeout=300, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"loaded": [], "dictionary": False}, out.stderr[-2000:]


def test_a_document_module_held_by_a_view_loads_on_first_use():
    from xieshang.core.lazy import lazy_import

    module = lazy_import("xieshang.proposals.documents")
    assert module.DOCX.startswith("application/")
