"""Read replicas: reads that tolerate lag go to the replica, everything else to the primary.

Set ``DATABASE_REPLICA_URL`` to enable. Code that can live with slightly old data (statistics,
dashboards, the public site, search) wraps its reads in ``with replica():``; every other read,
and every write, goes to the primary, so a user always sees what they just saved.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings

_state = threading.local()


@contextlib.contextmanager
def replica() -> Iterator[None]:
    previous = getattr(_state, "replica", False)
    _state.replica = True
    try:
        yield
    finally:
        _state.replica = previous


def replica_alias() -> str | None:
    return "replica" if "replica" in settings.DATABASES else None


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if getattr(_state, "replica", False):
            return replica_alias()
        return "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
