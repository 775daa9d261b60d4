"""JSON API of proposal clues (/api/v1/clues/): the same rules as the pages (``selectors.visible``
and ``permissions``): members read the library and their own clues, send clues and turn library
clues into proposal drafts; the proposal office screens (steps), merges and tags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema

from xieshang.clues import permissions, selectors, services, workflow
from xieshang.clues.models import Clue
from xieshang.core.apiutils import ERRORS, actor, paged
from xieshang.core.tenancy import get_scoped_or_404
from xieshang.core.workflow_api import step_routes

router = Router(tags=["clues"])


class ClueOut(Schema):
    id: int
    title: str
    body: str
    source: str
    status: str
    status_label: str
    category_id: int | None
    category: str
    version: int
    merged_into_id: int | None
    proposal_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj: Clue) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category(obj: Clue) -> str:
        return obj.category.name if obj.category else ""


class ClueIn(Schema):
    title: str = Field(min_length=1, max_length=100)
    body: str = Field(min_length=1, max_length=3000)


class VersionIn(Schema):
    version: int = Field(ge=0, le=2**31 - 1)


class MergeIn(VersionIn):
    into_id: int


class ClueSimilarOut(Schema):
    id: int
    title: str
    score: float


def _clue(request: HttpRequest, pk: int) -> Clue:
    a = actor(request)
    return get_scoped_or_404(a, selectors.visible(a), pk=pk)


@router.get("/clues", response={200: list[ClueOut], **ERRORS})
@paged
def clue_list(request: HttpRequest, status: str = "", category_id: str = "",
              q: str = "") -> QuerySet[Clue]:
    """The clues the caller may see, newest first."""
    a = actor(request)
    if not permissions.can_browse(a):
        raise PermissionDenied
    return selectors.clue_list(a, status=status, category=category_id, q=q)


@router.get("/clues/{int:pk}", response={200: ClueOut, **ERRORS})
def clue_detail(request: HttpRequest, pk: int) -> Clue:
    return _clue(request, pk)


@router.post("/clues", response={201: ClueOut, **ERRORS})
def clue_send(request: HttpRequest, body: ClueIn) -> tuple[int, Clue]:
    """A member sends a clue."""
    return 201, services.clue_send(actor=actor(request), title=body.title, body=body.body)


@router.get("/clues/{int:pk}/similar", response={200: list[ClueSimilarOut], **ERRORS})
@paged
def clue_similar(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """Possible duplicates (screeners only)."""
    a = actor(request)
    clue = _clue(request, pk)
    if not permissions.can_screen(a, clue):
        raise PermissionDenied
    return [{"id": c.pk, "title": c.title, "score": s} for c, s in selectors.similar(a, clue)]


@router.post("/clues/{int:pk}/merge", response={200: ClueOut, **ERRORS})
def clue_merge(request: HttpRequest, pk: int, body: MergeIn) -> Clue:
    a = actor(request)
    clue = _clue(request, pk)
    if not permissions.can_screen(a, clue):
        raise PermissionDenied
    into = get_scoped_or_404(a, selectors.visible(a), pk=body.into_id)
    return services.clue_merge(actor=a, clue=clue, into=into, version=body.version)


@router.post("/clues/{int:pk}/adopt", response={200: ClueOut, **ERRORS})
def clue_adopt(request: HttpRequest, pk: int, body: VersionIn) -> Clue:
    """Turn a library clue into a proposal draft of the calling member (``proposal_id``)."""
    return services.clue_adopt(actor=actor(request), clue=_clue(request, pk),
                               version=body.version)


step_routes(router, workflow.CLUE, path="/clues/{int:pk}", fetch=_clue,
            out=lambda request, c: c, response=ClueOut)
