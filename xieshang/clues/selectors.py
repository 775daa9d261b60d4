"""Reads of proposal clues: the one ``visible(actor)`` that pages, the API and suggestions use."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from xieshang.clues import permissions
from xieshang.clues.models import Clue
from xieshang.core import clock
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped

LIBRARY = (Clue.Status.ACCEPTED, Clue.Status.ADOPTED)
SIMILAR_MIN = 0.3  # below this score two clues are rarely about the same thing


def visible(actor: Actor) -> QuerySet[Clue]:
    """Staff who screen, leaders and admins: every clue of their committee. Members: the library
    (accepted and adopted clues) and the clues they sent. Anyone else: none."""
    if actor.committee is None:
        return Clue.objects.none()
    qs = scoped(actor, Clue).select_related("category", "proposal", "merged_into")
    if permissions.can_read_all(actor):
        return qs
    if permissions.is_member(actor):
        return qs.filter(Q(status__in=LIBRARY) | Q(author_user=actor.user))
    return Clue.objects.none()


def clue_list(actor: Actor, *, status: str = "", category: str = "", q: str = "",
              source: str = "", start: dt.date | None = None,
              end: dt.date | None = None) -> QuerySet[Clue]:
    """Clues the actor may see, filtered. ``start``/``end``: received on or between these
    days, or, for the clues turned into proposals (``status="adopted"``), turned then."""
    qs = visible(actor)
    if status in Clue.Status.values:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source) if source in Clue.Source.values else qs.none()
    dated = "adopted_at" if status == Clue.Status.ADOPTED else "created_at"
    if start is not None:
        qs = qs.filter(**{f"{dated}__gte": clock.at(start)})
    if end is not None:
        qs = qs.filter(**{f"{dated}__lt": clock.at(end + dt.timedelta(days=1))})
    if category.isdigit():
        qs = qs.filter(category_id=int(category))
    if q.strip():
        words = q.strip()[:50]
        qs = qs.filter(Q(title__contains=words) | Q(body__contains=words))
    return qs


def similar(actor: Actor, clue: Clue, k: int = 5) -> list[tuple[Clue, float]]:
    """Clues of the same committee like this one (candidates to merge), best first: text
    similarity of ``textmining.similarity`` over the clues not yet merged or set aside."""
    others = list(visible(actor).exclude(pk=clue.pk).exclude(
        status__in=[Clue.Status.MERGED, Clue.Status.NOT_USED]).order_by("-created_at")[:2000])
    if not others:
        return []
    from xieshang.textmining.similarity import SimilarityModel  # heavy: loaded on first use

    model = SimilarityModel([f"{c.title}\n{c.body}" for c in others])
    found = model.nearest(f"{clue.title}\n{clue.body}", k=k)
    return [(others[i], round(score, 2)) for i, score in found if score >= SIMILAR_MIN]
