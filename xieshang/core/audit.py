"""The audit log: every service that writes calls ``record`` inside its transaction.

Each committee's rows form one chain, numbered without gaps, each row an HMAC (under
``XIESHANG_AUDIT_KEY``, never in the database) of its content and the previous row's hash:
an edited row, a recomputed chain or a row removed from the middle fails :func:`verify`.
Rows removed from the end, or a chain removed whole, are caught against the signed
checkpoints of every chain's head that are written outside the database, once a day after
the first audited write (and by ``xieshang audit_checkpoint``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile

from xieshang.core import clock, crypto
from xieshang.core.models import AuditLog, Committee
from xieshang.core.permissions import Actor

logger = logging.getLogger("xieshang.audit")

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
    entry.chain = entry.committee_id or 0
    # Inside the caller's transaction (every service has one) no savepoint: the append is
    # part of the caller's work and fails with it; a savepoint cost two statements a write.
    with transaction.atomic(savepoint=False):
        _lock_chain(entry.chain)
        head = _chain_head(entry.chain)
        entry.seq = (head[0] if head else 0) + 1
        entry.prev_hash = head[1] if head else ""
        entry.hash = crypto.audit_mac(entry.mac_payload(entry.prev_hash))
        entry.save()
        if getattr(settings, "XIESHANG_AUDIT_CHECKPOINTS", True):
            transaction.on_commit(checkpoint_if_due)
    return entry


def _chain_head(chain: int) -> tuple[int, str] | None:
    """(seq, hash) of the chain's last row. The statement is fixed: building it through the
    ORM on every audited write cost more CPU than running it."""
    table = connection.ops.quote_name(AuditLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "seq", "hash" FROM {table} WHERE "chain" = %s '  # noqa: S608
                       'ORDER BY "seq" DESC LIMIT 1', [chain])
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def _lock_chain(chain: int) -> None:
    """Serialise appends to one committee's chain (SQLite serialises all writes already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5853, chain])


# --- checking ---------------------------------------------------------------------------------

def row_problem(row: AuditLog, prev_seq: int, prev_hash: str) -> str:
    """What is wrong with ``row`` after the row (``prev_seq``, ``prev_hash``) of its chain."""
    if row.seq != prev_seq + 1:
        return (f"rows {prev_seq + 1}–{row.seq - 1} of the chain are missing"
                if row.seq > prev_seq + 1 else "the row's number in its chain is out of order")
    if row.prev_hash != prev_hash:
        return "the link to the previous row is broken"
    if row.committee_id is not None and row.committee_id != row.chain:
        return "the row was moved to another committee"
    if not crypto.audit_mac_matches(row.mac_payload(prev_hash), row.hash):
        return "the row was changed after it was written"
    return ""


def verify(committee_id: int | None = None) -> list[tuple[int, str]]:
    """Check the chains (one committee's: its id; 0 for the platform's rows; None: all) against
    their rows and the checkpoints written outside the database. Returns (row id, problem) for
    every row that does not fit; problems with no row of their own (rows removed from the end
    of a chain, a chain removed whole) carry row id 0.

    This is the one check: ``xieshang audit_verify`` runs it, and so does a copy of the
    database between engines (which must copy the rows verbatim)."""
    problems: list[tuple[int, str]] = []
    stored = set(AuditLog.objects.order_by().values_list("chain", flat=True).distinct())
    marks = checkpoint_marks()
    if committee_id is not None:
        stored &= {committee_id}
        marks = {k: v for k, v in marks.items() if k[0] == committee_id}
    chains = sorted(stored | {chain for chain, _seq in marks})
    for chain in chains:
        prev_seq, prev_hash = 0, ""
        wanted = {seq: mark for (c, seq), mark in marks.items() if c == chain}
        rows = AuditLog.objects.filter(chain=chain).order_by("seq", "id")
        for row in rows.iterator(chunk_size=2000):
            problem = row_problem(row, prev_seq, prev_hash)
            if problem:
                problems.append((row.pk, problem))
            mark = wanted.pop(row.seq, None)
            if mark is not None and mark.hash != row.hash:
                problems.append((row.pk, f"the row differs from the checkpoint of "
                                         f"{mark.written_at}"))
            prev_seq, prev_hash = row.seq, row.hash
        beyond = [seq for seq in wanted if seq > prev_seq]
        if beyond:
            mark = wanted[max(beyond)]
            if prev_seq == 0:
                problems.append((0, f"the audit chain of committee {chain} is missing: the "
                                    f"checkpoint of {mark.written_at} recorded {mark.seq} rows"))
            else:
                problems.append((0, f"rows {prev_seq + 1}–{mark.seq} of the audit chain of "
                                    f"committee {chain} are missing (the checkpoint of "
                                    f"{mark.written_at} recorded them)"))
    problems.extend((0, problem) for problem in checkpoint_problems())
    return problems


# --- checkpoints: each chain's head, signed, outside the database ------------------------------

@dataclass(frozen=True)
class Mark:
    chain: int
    seq: int
    hash: str
    written_at: str


def checkpoint_dir() -> Path:
    return Path(settings.XIESHANG_AUDIT_CHECKPOINT_DIR)


def heads() -> list[tuple[int, int, str]]:
    """(chain, seq, hash) of the last row of every chain."""
    last = (AuditLog.objects.order_by().values("chain").annotate(top=Max("seq"))
            .values_list("chain", "top"))
    wanted = {(c, s) for c, s in last}
    if not wanted:
        return []
    rows = AuditLog.objects.filter(
        seq__in={s for _c, s in wanted}).values_list("chain", "seq", "hash")
    return sorted((c, s, h) for c, s, h in rows if (c, s) in wanted)


def checkpoint_write(name: str | None = None) -> Path:
    """Write a signed file with every chain's head (``YYYY-MM-DD.json`` by default; a given
    ``name`` for an extra one, e.g. before a backup). The signature is an HMAC under the audit
    key, so a file cannot be forged or edited without it."""
    now = clock.now()
    body = {"written_at": now.isoformat(), "heads": [
        {"chain": c, "seq": s, "hash": h} for c, s, h in heads()]}
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    signed = {**body, "mac": crypto.audit_mac(b"xs-audit-checkpoint:" + payload)}
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or clock.today().isoformat()}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(signed, ensure_ascii=False, indent=1))
    tmp.replace(path)
    return path


def checkpoint_if_due() -> None:
    """After an audited write commits: write today's checkpoint if it is not there yet.

    A checkpoint that cannot be written (a read-only or full disk) must not fail the user's
    request, whose change is already committed; it is logged, and the next write tries again."""
    try:
        if not (checkpoint_dir() / f"{clock.today().isoformat()}.json").exists():
            checkpoint_write()
    except OSError:
        logger.exception("the audit checkpoint could not be written")


def checkpoint_files() -> list[Path]:
    folder = checkpoint_dir()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_checkpoint(path: Path) -> tuple[list[Mark], str]:
    """The marks of one file and "" — or no marks and what is wrong with the file."""
    try:
        data = json.loads(path.read_text())
        mac = str(data.pop("mac"))
        payload = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
        written_at = str(data["written_at"])
        marks = [Mark(int(h["chain"]), int(h["seq"]), str(h["hash"]), written_at)
                 for h in data["heads"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return [], "cannot be read"
    if not crypto.audit_mac_matches(b"xs-audit-checkpoint:" + payload, mac):
        return [], "has a signature that does not match (edited, or not written here)"
    return marks, ""


def checkpoint_marks() -> dict[tuple[int, int], Mark]:
    """Every (chain, seq) → mark of every valid checkpoint file. A file whose signature does
    not match is reported by :func:`checkpoint_problems`, never trusted."""
    out: dict[tuple[int, int], Mark] = {}
    for path in checkpoint_files():
        marks, _problem = read_checkpoint(path)
        for mark in marks:
            out.setdefault((mark.chain, mark.seq), mark)
    return out


def checkpoint_problems() -> list[str]:
    return [f"checkpoint {p.name} {problem}" for p in checkpoint_files()
            for problem in [read_checkpoint(p)[1]] if problem]


def latest_checkpoint(chain: int) -> Mark | None:
    """The newest valid checkpoint of a chain (for the audit page)."""
    for path in reversed(checkpoint_files()):
        marks, _problem = read_checkpoint(path)
        mark = next((m for m in marks if m.chain == chain), None)
        if mark is not None:
            return mark
    return None
