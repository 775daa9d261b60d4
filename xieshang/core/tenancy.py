"""Tenancy: every domain row belongs to one committee, and reads go through the actor's committee.

Views and API endpoints never write ``Model.objects.filter(...)`` for committee data; they call
``scoped(actor, Model)`` or ``get_scoped_or_404(actor, Model, pk=…)``, which return only the rows
of the committee the user is acting in. ``tests/core/test_tenancy_rule.py`` fails the build if a
view or API module reads a committee-owned model any other way. The rows' abstract base,
``CommitteeOwned``, is in ``core.owned``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xieshang.core.permissions import Actor


def scoped[T: models.Model](
    actor: Actor, model_or_qs: type[T] | models.QuerySet[T]
) -> models.QuerySet[T]:
    """The rows of ``model_or_qs`` that belong to the actor's committee."""
    if isinstance(model_or_qs, models.QuerySet):
        qs = model_or_qs
    else:
        qs = model_or_qs._default_manager.all()
    if actor.committee is None:
        return qs.none()
    return qs.filter(committee=actor.committee)


def get_scoped_or_404[T: models.Model](
    actor: Actor, model_or_qs: type[T] | models.QuerySet[T], **lookup: Any
) -> T:
    """One row of the actor's committee, or 404 (never 403: other committees' ids stay hidden)."""
    try:
        return scoped(actor, model_or_qs).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404(_("Not found.")) from exc
