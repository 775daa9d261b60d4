"""Row locks taken by workflow transitions cover the record only, not the rows it joins.

On PostgreSQL, ``select_for_update()`` with ``select_related("committee")`` also locks the
committee row FOR UPDATE. Every transition of a committee then waits for every other, and a
concurrent insert's foreign-key check (FOR KEY SHARE on that committee row, at COMMIT)
deadlocks against the audit chain's advisory lock — found by test_server_restart.py on
PostgreSQL ("deadlock detected" while members submitted proposals concurrently).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.proposals.factories import build_world
from xieshang.proposals import services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks"),
]


def test_submitting_locks_the_proposal_row_only(county):
    world = build_world(county)
    actor = world.actor("member")
    draft = services.proposal_save_draft(
        actor=actor, title="关于完善城乡公交网络的建议", category=world.category,
        body="城乡公交线网覆盖不足，偏远村组群众出行不便。" * 3)
    with CaptureQueriesContext(connection) as ctx:
        services.proposal_submit(actor=actor, proposal=draft, version=draft.version)
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking
    for sql in locking:
        assert "FOR UPDATE OF" in sql or "core_committee" not in sql, sql
        of = re.search(r"FOR UPDATE OF (.*)$", sql)
        assert of is None or "core_committee" not in of.group(1), sql
