"""Reads of the core app that other apps share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.models import AuditLog, Committee, RoleAssignment, User


def public_committee(code: str) -> Committee:
    """The committee of a public page (no login), by its code: 404 unless it is active.
    (``Committee`` is not committee-owned, so this is the whole check.)"""
    committee = Committee.objects.filter(code=code, is_active=True).first()
    if committee is None:
        raise Http404(_("Not found."))
    return committee


def users_with_role(committee: Committee | int, *roles: str, **ties: object) -> QuerySet[User]:
    """Active users holding any of ``roles`` (an active assignment) in ``committee``.

    ``ties`` narrow the assignments, e.g. ``unit=unit`` for the clerks of one handling unit.
    """
    committee_id = committee.pk if isinstance(committee, Committee) else committee
    holders = RoleAssignment.objects.filter(committee_id=committee_id, role__in=roles,
                                            is_active=True, **ties).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("pk")


@dataclass(frozen=True)
class ChainState:
    """A committee's audit chain as the audit page shows it: the newest row's number and the
    newest checkpoint written outside the database (what truncation is checked against)."""

    head_seq: int
    head_hash: str
    checkpoint_seq: int | None
    checkpoint_hash: str
    checkpoint_at: dt.datetime | None


def audit_chain_state(committee: Committee) -> ChainState:
    head = (AuditLog.objects.filter(chain=committee.pk).order_by("-seq")
            .values_list("seq", "hash").first())
    mark = audit.latest_checkpoint(committee.pk)
    return ChainState(
        head_seq=head[0] if head else 0, head_hash=head[1] if head else "",
        checkpoint_seq=mark.seq if mark else None, checkpoint_hash=mark.hash if mark else "",
        checkpoint_at=parse_datetime(mark.written_at) if mark else None)
