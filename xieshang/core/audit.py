"""The audit log: every service that writes calls ``record`` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile

from xieshang.core.models import AuditLog, Committee
from xieshang.core.permissions import Actor

SENSITIVE_FIELDS = frozenset({"password", "id_number", "key_hash", "session_salt",
                              "password_history", "totp_secret", "totp_recovery_hashes",
                              "current_session_key", "id_number_index"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe summary of a row's concrete fields (secrets replaced by a marker)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(obj, f.attname)
        out[f.name] = "***" if f.name in SENSITIVE_FIELDS and value else _plain(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    committee: Committee | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    if committee is None:
        committee = getattr(obj, "committee", None) if obj is not None else None
        if committee is None:
            committee = actor.committee
    user = actor.user
    entry = AuditLog(
        actor=user,
        actor_name=("system" if actor.system else str(user)) if user or actor.system else "",
        committee=committee if isinstance(committee, Committee) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_plain(before or {}),
        after=_plain(after or {}),
        ip=actor.ip,
    )
    with transaction.atomic():
        _lock_chain(entry.committee_id)
        entry.prev_hash = (
            AuditLog.objects.filter(committee=entry.committee)
            .order_by("-id").values_list("hash", flat=True).first() or ""
        )
        entry.hash = entry.content_hash(entry.prev_hash)
        entry.save()
    return entry


def _lock_chain(committee_id: int | None) -> None:
    """Serialise appends to one committee's chain (SQLite serialises all writes already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5853, committee_id or 0])


def verify(committee_id: int | None = None) -> list[tuple[int, str]]:
    """Recompute the chains; return (row id, problem) for every row that does not fit."""
    problems: list[tuple[int, str]] = []
    chains = ([committee_id] if committee_id is not None else
              list(AuditLog.objects.order_by().values_list("committee_id", flat=True).distinct()))
    for chain in chains:
        prev = ""
        rows = AuditLog.objects.filter(committee_id=chain).order_by("id")
        for row in rows.iterator(chunk_size=2000):
            if row.prev_hash != prev:
                problems.append((row.pk, "the link to the previous row is broken"))
            elif row.hash != row.content_hash(prev):
                problems.append((row.pk, "the row was changed after it was written"))
            prev = row.hash
    return problems
