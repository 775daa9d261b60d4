"""Tenancy: every domain row belongs to one committee, and reads go through the actor's committee.

Views and API endpoints never write ``Model.objects.filter(...)`` for committee data; they call
``scoped(actor, Model)`` or ``get_scoped_or_404(actor, Model, pk=…)``, which return only the rows
of the committee the user is acting in. ``tests/core/test_tenancy_rule.py`` fails the build if a
view or API module reads a committee-owned model any other way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from xieshang.core.permissions import Actor

M = TypeVar("M", bound=models.Model)


class CommitteeQuerySet(models.QuerySet[M]):
    def for_actor(self, actor: Actor) -> CommitteeQuerySet[M]:
        if actor.committee is None:
            return self.none()
        return self.filter(committee=actor.committee)

    def in_committee(self, committee: Any) -> CommitteeQuerySet[M]:
        return self.filter(committee=committee)


class CommitteeOwned(models.Model):
    """Abstract base: the row belongs to one committee."""

    committee = models.ForeignKey(
        "core.Committee", on_delete=models.PROTECT, verbose_name=_("committee"),
        related_name="%(app_label)s_%(class)s_set",
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        abstract = True


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
