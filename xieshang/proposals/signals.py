"""Keeps ``Proposal.session_start`` equal to its session's start date when a session's date
is changed (the lists are ordered by it)."""

from __future__ import annotations

from typing import Any

from xieshang.core.models import Session
from xieshang.proposals.models import Proposal


def session_saved(sender: type[Session], instance: Session, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    (Proposal.objects.filter(session=instance).exclude(session_start=instance.start_date)
     .update(session_start=instance.start_date))
