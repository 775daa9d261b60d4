"""Scores never stale: every write of a record a fact source reads queues the recompute.

The fact sources (``duties.sources``) read attendance, leave, speeches, proposals and their
co-signers, public-opinion reports and their outcomes, and manual items. A save or delete of
any of those rows, and a change of an outcome's lineage, asks for the committee-year's
debounced recomputation (``services.schedule_recompute``: one pending request per
committee-year, one queued task however many writes). Manual items ask in their own services.

The watched apps are below duties and cannot call it; duties listens to their models' signals
instead, as the search index does. Writes in bulk (``bulk_create``, ``update()``) send no
signal: the builders that use them compute the scores themselves, and the nightly job
(``duties.jobs``) recomputes the current year in case anything was missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib.util import find_spec
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from xieshang.core import clock
from xieshang.core.models import Committee

# committee id, a day the change concerns
Touch = tuple[int, dt.date | dt.datetime | None]
WATCHED: dict[type[models.Model], Callable[[Any], Iterable[Touch]]] = {}

_suspended: ContextVar[bool] = ContextVar("duties_watch_suspended", default=False)


@contextmanager
def suspended() -> Iterator[None]:
    """No recompute is queued inside (a builder that computes the scores itself at the end)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def _year(value: dt.date | dt.datetime | None) -> int:
    if value is None:
        return clock.today().year
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).year if timezone.is_aware(value) else value.year
    return value.year


def touched(instance: Any) -> set[tuple[int, int]]:
    """The (committee id, year) pairs whose scores a change of ``instance`` may move."""
    fn = WATCHED.get(type(instance))
    if fn is None:
        return set()
    return {(committee_id, _year(day)) for committee_id, day in fn(instance)
            if committee_id is not None}


def _queue(pairs: set[tuple[int, int]], *, saved: bool = False) -> None:
    if _suspended.get() or not pairs:
        return
    from xieshang.duties.services import schedule_recompute

    # After a save the ids are the saved row's committee: it exists, and reading it was a
    # query on every proposal step. A delete may be a committee's cascade: only those left.
    ids = {c for c, _y in pairs} if saved else set(
        Committee.objects.filter(pk__in={c for c, _y in pairs}).values_list("pk", flat=True))
    for committee_id, year in sorted(pairs):
        if committee_id in ids:
            schedule_recompute(committee_id, year)


def _on_change(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures and restores: the restore recomputes nothing it did not write
    _queue(touched(instance), saved="created" in kwargs)  # post_save sends created


# --- what each watched record touches ------------------------------------------------------

def _invitation(inv: Any) -> Iterable[Touch]:
    yield inv.committee_id, inv.activity.start


def _activity(activity: Any) -> Iterable[Touch]:
    # A type, a date or a status (held, cancelled) changes which invitations count.
    yield activity.committee_id, activity.start


def _speech(speech: Any) -> Iterable[Touch]:
    yield speech.committee_id, speech.submitted_at


def _proposal(proposal: Any) -> Iterable[Touch]:
    # A draft is no fact yet: nothing to recompute until it is submitted.
    if proposal.submitted_at is not None:
        yield proposal.committee_id, proposal.submitted_at
    if proposal.filed_at is not None:
        yield proposal.committee_id, proposal.filed_at


def _co_proposer(row: Any) -> Iterable[Touch]:
    yield from _proposal(row.proposal)


def _report(report: Any) -> Iterable[Touch]:
    yield report.committee_id, report.submitted_at


def _outcome(outcome: Any) -> Iterable[Touch]:
    # Counted for the author of the original report, in that report's committee.
    if outcome.pk is None:
        return
    for committee_id in outcome.lineage.filter(origin__isnull=True).values_list(
            "committee_id", flat=True):
        yield committee_id, outcome.date


def _on_lineage(sender: type[models.Model], instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "pre_clear"):
        _queue(touched(instance))


def connect() -> None:
    """Listen to the watched models of the installed apps (each one optional beside duties)."""
    if find_spec("xieshang.activities.models") is not None:
        from xieshang.activities.models import Activity, Invitation, Speech

        WATCHED.update({Invitation: _invitation, Activity: _activity, Speech: _speech})
    if find_spec("xieshang.proposals.models") is not None:
        from xieshang.proposals.models import Proposal, ProposalCoProposer

        WATCHED.update({Proposal: _proposal, ProposalCoProposer: _co_proposer})
    if find_spec("xieshang.opinions.models") is not None:
        from xieshang.opinions.models import OpinionOutcome, OpinionReport

        WATCHED.update({OpinionReport: _report, OpinionOutcome: _outcome})
        m2m_changed.connect(_on_lineage, sender=OpinionOutcome.lineage.through,
                            dispatch_uid="xieshang.duties.watch.lineage")
    for model in WATCHED:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"xieshang.duties.watch.{model}")
        post_delete.connect(_on_change, sender=model,
                            dispatch_uid=f"xieshang.duties.watch.del.{model}")
