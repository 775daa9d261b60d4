"""Counts shared by every worker process: rate limits, login throttles, replay guards.

A counter lives in the database (``core.Counter``), so a limit holds across gunicorn workers
and servers (a process's memory, or the local-memory cache, would give each worker its own
count). Each counter has an end: after ``seconds`` it starts again from zero. Writes take the
row lock, so two requests at once cannot both pass a limit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from xieshang.core import clock
from xieshang.core.models import Counter

# Expired rows are removed once they are this old (they are harmless meanwhile).
PURGE_AFTER = dt.timedelta(days=1)


def get(key: str) -> int:
    """The counter's value (0 when it does not exist or has ended)."""
    row = Counter.objects.filter(key=key, expires_at__gt=clock.now()).values_list(
        "value", flat=True).first()
    return int(row or 0)


def add(key: str, amount: int = 1, *, seconds: int) -> int:
    """Add ``amount``; a counter that does not exist or has ended starts a new period of
    ``seconds`` (the period is not extended by later additions). Returns the new value."""
    now = clock.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = Counter.objects.select_for_update().filter(key=key).first()
                if row is None:
                    purge()
                    Counter.objects.create(key=key, value=amount,
                                           expires_at=now + dt.timedelta(seconds=seconds))
                    return amount
                if row.expires_at <= now:
                    row.value, row.expires_at = amount, now + dt.timedelta(seconds=seconds)
                else:
                    row.value += amount
                row.save(update_fields=["value", "expires_at"])
                return int(row.value)
        except IntegrityError:  # another process created the row first: add to theirs
            continue
    raise RuntimeError(f"counter {key} could not be updated")


def add_within(key: str, amount: int, *, limit: int, seconds: int) -> int:
    """Add as much of ``amount`` as keeps the counter at or below ``limit``; returns what was
    added (0 when the limit is already reached)."""
    now = clock.now()
    with transaction.atomic():
        row = Counter.objects.select_for_update().filter(key=key).first()
        current = 0 if row is None or row.expires_at <= now else int(row.value)
        room = max(0, min(amount, limit - current))
        if room:
            add(key, room, seconds=seconds)
        return room


def hold(key: str, seconds: int, value: int = 1) -> dt.datetime:
    """Set the counter to ``value`` for ``seconds`` from now (a wait, a mark), replacing any
    period it had; returns when it ends."""
    until = clock.now() + dt.timedelta(seconds=seconds)
    with transaction.atomic():
        updated = Counter.objects.filter(key=key).update(value=value, expires_at=until)
        if not updated:
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=value, expires_at=until)
            except IntegrityError:
                Counter.objects.filter(key=key).update(value=value, expires_at=until)
    return until


def ends_at(key: str) -> dt.datetime | None:
    """When the counter's period ends (None: it does not exist or has ended)."""
    return Counter.objects.filter(key=key, expires_at__gt=clock.now()).values_list(
        "expires_at", flat=True).first()


def clear(*keys: str) -> None:
    Counter.objects.filter(key__in=keys).delete()


def purge() -> int:
    """Remove counters that ended more than a day ago; returns how many."""
    deleted, _by_model = Counter.objects.filter(
        expires_at__lt=clock.now() - PURGE_AFTER).delete()
    return deleted
