"""What is searchable: each app registers its own kinds of record, in its ``AppConfig.ready``.

    from xieshang.core.searchable import Document, register
    register("proposal", Proposal, proposal_document, visible=selectors.visible)

A source says how a record becomes a document (``to_document``; None: not searchable) and
which records a user may open: ``visible(actor)``, the app's one queryset that its pages, API,
lists, exports and documents fetch through. The search (``xieshang.search``, a higher layer)
keeps the index and shows a match only when the record is in ``visible(actor)``, so search can
never show a record whose page refuses the user. The registry lives in core so that the apps
below the search can register without importing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from xieshang.core.permissions import Actor


@dataclass
class Document:
    title: str
    body: str = ""
    url: str = ""
    date: dt.datetime | dt.date | None = None
    facets: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[models.Model]
    to_document: Callable[[Any], Document | None]
    visible: Callable[[Actor], models.QuerySet[Any]]
    queryset: Callable[[], models.QuerySet[Any]] | None = None

    def rows(self) -> models.QuerySet[Any]:
        """Every record of the kind, as the index reads them (with what documents need)."""
        return self.queryset() if self.queryset else self.model._default_manager.all()


SOURCES: dict[str, Source] = {}


def register(kind: str, model: type[models.Model], to_document: Callable[[Any], Document | None],
             *, visible: Callable[[Actor], models.QuerySet[Any]],
             queryset: Callable[[], models.QuerySet[Any]] | None = None) -> None:
    SOURCES[kind] = Source(kind, model, to_document, visible, queryset)


def source_for(model: type[models.Model]) -> Source | None:
    return next((s for s in SOURCES.values() if s.model is model), None)
