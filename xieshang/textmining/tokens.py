"""Index tokens for exact Chinese search at every query length.

Chinese text is indexed as overlapping character bigrams (for queries of two or more
characters, matched as a phrase of consecutive bigrams) and, separately, as single characters
(for one-character queries). Latin words and numbers are kept whole, lower-cased. This is exact
on SQLite FTS5 and on a PostgreSQL ``simple`` tsvector alike, with no dictionary to go stale.
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+", re.IGNORECASE)


def _runs(text: str) -> list[str]:
    return [m.group(0).lower() for m in _RUN.finditer(text or "")]


def bigrams(text: str) -> str:
    out: list[str] = []
    for run in _runs(text):
        if run.isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def unigrams(text: str) -> str:
    out: list[str] = []
    for run in _runs(text):
        out.extend([run] if run.isascii() else list(run))
    return " ".join(out)


def query_terms(query: str) -> list[tuple[str, list[str]]]:
    """Split a query into terms, each ('bi'|'uni', tokens forming a phrase)."""
    terms: list[tuple[str, list[str]]] = []
    for part in (query or "").split():
        for run in _runs(part):
            if run.isascii():
                terms.append(("bi", [run]))
            elif len(run) == 1:
                terms.append(("uni", [run]))
            else:
                terms.append(("bi", [run[i:i + 2] for i in range(len(run) - 1)]))
    return terms


def highlight(text: str, query: str, width: int = 60) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the first match and the match spans inside it."""
    needles = [n for n in (query or "").split() if n]
    lowered = (text or "").lower()
    first = min((p for n in needles if (p := lowered.find(n.lower())) >= 0), default=0)
    start = max(0, first - width // 3)
    snippet = text[start:start + width]
    spans: list[tuple[int, int]] = []
    low = snippet.lower()
    for n in needles:
        i = low.find(n.lower())
        while i >= 0:
            spans.append((i, i + len(n)))
            i = low.find(n.lower(), i + len(n))
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else ""), [
        (a + (1 if start else 0), b + (1 if start else 0)) for a, b in sorted(spans)
    ]
