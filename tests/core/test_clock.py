"""One clock: only ``xieshang.core.clock`` reads the time; everything else asks it."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import time_machine

from xieshang.core import clock

ROOT = Path(__file__).resolve().parents[2] / "xieshang"

# Calls that read the wall clock, as (object, attribute): ``timezone.now()``, ``date.today()``…
CLOCK_READS = {
    ("timezone", "now"), ("timezone", "localdate"), ("timezone", "localtime"),
    ("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
    ("time", "time"),
}


def _reads_clock(node: ast.Call) -> str | None:
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
    if (name, func.attr) not in CLOCK_READS:
        return None
    # localdate(x) / localtime(x) convert a given moment; only the argument-less form reads
    # the clock.
    if func.attr in {"localdate", "localtime"} and (node.args or node.keywords):
        return None
    return f"{name}.{func.attr}()"


def test_only_the_clock_module_reads_the_time():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path == ROOT / "core" / "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and (call := _reads_clock(node)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {call}")
    assert not offenders, "ask xieshang.core.clock instead: " + ", ".join(offenders)


def test_today_is_the_local_date_not_utc():
    # 23:30 UTC on 31 December is already 1 January in Beijing.
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        assert clock.today() == dt.date(2027, 1, 1)
        assert clock.now() == dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
        assert clock.at(dt.date(2027, 1, 1), 9).hour == 9


def test_the_clock_moves_with_time_machine():
    with time_machine.travel(dt.datetime(2028, 2, 29, 10, tzinfo=dt.UTC), tick=False):
        assert clock.today() == dt.date(2028, 2, 29)
        assert clock.timestamp() == dt.datetime(2028, 2, 29, 10, tzinfo=dt.UTC).timestamp()
