"""Warm a web process before its first request.

A fresh process pays once for what Python and Django load lazily: the URL resolver and the view
modules behind it, every template compiled by the cached loader, jieba's dictionary and the
scikit-learn modules of the text features. Measured on the demo county
(``benchmarks/loadtest/page_costs.py``, column "first"): the first page of a fresh process costs
about 1.2 s of CPU, the first dashboard 4.7 s, against 20–110 ms afterwards. Under load that
first view queues everything behind it, so ``xieshang.wsgi`` calls :func:`warm` at import; with
gunicorn's ``--preload`` it runs once in the master and the workers inherit the warm memory.

Nothing here touches the database (a connection opened before the fork would be shared by the
workers). ``XIESHANG_WARMUP=0`` turns it off.

The text models (jieba's dictionary, scikit-learn) are not warmed unless
``XIESHANG_WARMUP_TEXT=1``: they take about 240 MiB, which every worker would hold from its
start (issue #20: a web process is to stay within 120 MiB after start). They are loaded on
first use instead — the pages that need them are the staff's similar-proposal and routing
panels and the dashboard's hot topics. With gunicorn's ``--preload`` and
``XIESHANG_WARMUP_TEXT=1`` the master loads them once and the workers share the pages
copy-on-write.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("xieshang.warmup")


def _urls() -> int:
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - populates the reverse tables and imports every view
    return len(resolver.url_patterns)


def _templates() -> int:
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template

    dirs: list[Path] = []
    for engine in settings.TEMPLATES:
        found: Any = engine.get("DIRS") or ()
        dirs += [Path(str(d)) for d in found]
    from django.apps import apps

    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()
             if app.name.startswith("xieshang")]
    count = 0
    for root in dirs:
        if not root.is_dir():
            continue
        for path in root.rglob("*.html"):
            name = path.relative_to(root).as_posix()
            try:
                get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
            count += 1
    return count


def _text() -> None:
    import jieba
    import jieba.analyse  # noqa: F401 - loads the part-of-speech tags and IDF table (~2 s)
    from sklearn.cluster import AgglomerativeClustering  # noqa: F401
    from sklearn.decomposition import TruncatedSVD  # noqa: F401
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401

    from xieshang.textmining import router, segment, similarity  # noqa: F401

    jieba.initialize()
    segment.words("乡村振兴 营商环境")
    segment.key_phrases(["优化营商环境", "推进乡村振兴"], top=2)


def warm() -> dict[str, float]:
    """Run each step, log its time, never raise: a failed warm-up only costs speed."""
    timings: dict[str, float] = {}
    steps: list[tuple[str, Any]] = [("urls", _urls), ("templates", _templates)]
    if os.environ.get("XIESHANG_WARMUP_TEXT", "0") == "1":
        steps.append(("text", _text))
    for name, step in steps:
        started = time.perf_counter()
        try:
            step()
        except Exception:  # noqa: BLE001 - warming is best effort
            log.warning("warm-up step %s failed", name, exc_info=True)
        timings[name] = time.perf_counter() - started
    log.info("warm-up: %s", ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    return timings
