"""The cost of one workflow step: queries and CPU time of each step of a proposal's life.

    .venv/bin/python benchmarks/workflow_steps.py [--proposals 20]

Builds the proposals test committee (tests/proposals/factories.py) on a throwaway database and
takes every proposal from draft to closed through the services (submit, review, file, assign to
a lead unit and a co-unit, sign, countersign, reply, approve, release, rate), measuring each step:
the number of SQL queries and the CPU time of this process (on SQLite that includes the
database's work). Prints the median per step and the total per proposal. Run it on two
checkouts to compare engines; nothing here is a pass/fail limit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._django import setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=20)
    args = parser.parse_args()
    where = setup("workflow")
    from django.conf import settings
    from django.db import connection
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # no mail printed
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CommitteeFactory
    from tests.proposals.factories import PATH, Status, build_world, call, draft

    world = build_world(CommitteeFactory(code="bench-county", name="测试县政协"))
    queries: dict[str, list[int]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    order: list[str] = []
    for _ in range(args.proposals):
        p = draft(world)
        for action, role, kw in PATH[Status.CLOSED]:
            key = f"{action} ({role})"
            if key not in order:
                order.append(key)
            start = time.process_time()
            with CaptureQueriesContext(connection) as ctx:
                p = call(world, p, action, role, **kw)
            cpu[key].append((time.process_time() - start) * 1000)
            queries[key].append(len(ctx.captured_queries))
        assert p.status == Status.CLOSED
    print(f"{where}; {args.proposals} proposals, draft → closed")
    print(f"{'step':<28}{'queries':>8}{'CPU ms':>9}")
    for key in order:
        print(f"{key:<28}{statistics.median(queries[key]):>8.0f}"
              f"{statistics.median(cpu[key]):>9.1f}")
    total_q = sum(statistics.median(v) for v in queries.values())
    total_ms = sum(statistics.median(v) for v in cpu.values())
    print(f"{'per proposal':<28}{total_q:>8.0f}{total_ms:>9.1f}")


if __name__ == "__main__":
    main()
