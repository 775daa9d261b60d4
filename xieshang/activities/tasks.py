"""Background tasks of the activities app (run daily by the worker)."""

from __future__ import annotations

from django.tasks import task

from xieshang.activities.services import remind_overdue
from xieshang.core.models import Committee


@task()
def remind_overdue_suggestions() -> int:
    """Remind departments of ledger items past their feedback deadline, in every committee."""
    return sum(remind_overdue(c) for c in Committee.objects.filter(is_active=True))
