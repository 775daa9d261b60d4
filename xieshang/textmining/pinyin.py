"""Pinyin keys for a person's name, so that 张伟 is found by typing "zw" or "zhangwei".

pypinyin is loaded on first use, in the process that saves a name (the office's, rarely), and
without its phrase dictionary (``PYPINYIN_NO_PHRASES``): about 10 MB instead of 52 MB, and a
name is not a phrase anyway. A character with several readings keeps all of them (单 dan/shan,
曾 zeng/ceng, 解 jie/xie), so whichever one a person types finds the name; the combinations are
capped, the first ones being the common readings.
"""

from __future__ import annotations

import itertools
import os

MAX_KEYS = 6  # per kind (initials, whole syllables): a name's readings beyond these are rare


def _readings(name: str) -> tuple[list[list[str]], list[list[str]]]:
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, pinyin  # loaded where a name is saved, not by every process

    whole = pinyin(name, style=Style.NORMAL, heteronym=True, errors="ignore", strict=False)
    initials = pinyin(name, style=Style.FIRST_LETTER, heteronym=True, errors="ignore",
                      strict=False)
    return whole, initials


def _joined(readings: list[list[str]]) -> list[str]:
    found: list[str] = []
    for combo in itertools.islice(itertools.product(*readings), 64):
        key = "".join(combo)
        if key and key not in found:
            found.append(key)
        if len(found) == MAX_KEYS:
            break
    return found


def name_keys(name: str, limit: int | None = None) -> str:
    """The words a name is found by in pinyin: its initials and its syllables run together, in
    every reading (``"zw zhangwei"`` for 张伟); "" for a name without Chinese characters. With
    ``limit`` (a column's length), whole keys only, as many as fit."""
    name = "".join(ch for ch in name if "\u3400" <= ch <= "\u9fff")
    if not name:
        return ""
    whole, initials = _readings(name)
    keys = _joined([[s.lower() for s in r] for r in initials])
    keys += [k for k in _joined([[s.lower() for s in r] for r in whole]) if k not in keys]
    joined = " ".join(keys)
    if limit is None or len(joined) <= limit:
        return joined
    return joined[:limit].rsplit(" ", 1)[0]
