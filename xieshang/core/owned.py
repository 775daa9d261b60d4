"""The abstract base of every committee-owned row.

Apart from ``tenancy`` on purpose: ``core.models`` and every app's models build on this module,
while ``tenancy`` reads rows for an ``Actor``, which ``core.permissions`` defines on top of
``core.models``. Kept here, the base needs nothing above the models, and no import runs in a
circle (``core.models → tenancy → permissions → core.models`` did).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)


class CommitteeQuerySet(models.QuerySet[M]):
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

    def __str__(self) -> str:
        # What a page (the audit log's object column) says of a row whose model names no
        # better words: its kind and number, never "QrWindow object (5)".
        return f"{self._meta.verbose_name} #{self.pk}"
