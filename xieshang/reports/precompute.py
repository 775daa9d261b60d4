"""Statistics and dashboard figures computed ahead by the worker when their inputs change.

A leader's first view of the statistics page or the dashboard computed the committee's figures
and panels in the request: 0.3–1 s of database work for a city or a province, paid by each of a
province's 115 committees' leaders on their first visit (issue #20's load test: p95 510 ms and
570 ms at province scale). With a cache shared by the web processes and the worker (Redis,
``XIESHANG_REDIS_URL``; ``enabled()``), they are computed ahead instead:

- every save or delete of a committee-owned row of the apps whose figures these pages show
  (``WATCHED_APPS``) notes the time of the committee's last change in the cache (no database
  write) and, at most once per ``DEBOUNCE`` per committee, queues ``refresh_task`` to run
  ``DEBOUNCE`` later, after the commit: one computation however many writes came in between;
- the task computes the pages' default period (1 January to today, the committee alone) in
  every language of the site and stores it for a day; the job ``reports.precompute`` (0:05
  every night, ``reports.jobs``) does the same for every committee, since a new day is a new
  period;
- a page (``read``) uses what is stored when nothing changed since it was computed, or when the
  change is younger than ``MAX_LAG`` (the worker is on it); past that (a stopped worker, a lost
  task) it computes in the request and stores the result, as it always did;
- without a shared cache (the default install: each process has its own memory, which the
  worker cannot fill) nothing is queued, and a page keeps what it computed for
  ``PAGE_CACHE_SECONDS``, as before.

Other periods and the sub-tree view (``?sub=1``) are computed on the first view and kept for
``PAGE_CACHE_SECONDS``. Writes in bulk (``bulk_create``, ``update()``) send no signal: the
nightly job covers the builders that use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.tasks import task
from django.utils import translation

from xieshang.core import clock
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Committee
from xieshang.core.owned import CommitteeOwned

# The apps whose rows the statistics page and the dashboard count.
WATCHED_APPS = frozenset({"members", "activities", "meetings", "duties", "proposals",
                          "opinions", "participation", "clues"})
PAGE_CACHE_SECONDS = 60  # what a page computed itself is kept this long
STORED_SECONDS = 26 * 3600  # what the worker computed: the whole day it is for
DEBOUNCE = dt.timedelta(seconds=30)
MAX_LAG = dt.timedelta(minutes=5)
KINDS = ("figures", "panels")

_watched: set[type[models.Model]] = set()


def enabled() -> bool:
    """Computing ahead helps only where the worker's results reach the web processes."""
    return bool(getattr(settings, "REPORTS_PRECOMPUTE", False))


def default_scope(committee: Committee, today: dt.date | None = None) -> Scope:
    """The period the statistics page and the dashboard open with."""
    today = today or clock.today()
    return Scope(committee=committee, start=dt.date(today.year, 1, 1), end=today)


def _key(kind: str, scope: Scope, language: str | None) -> str:
    return (f"xieshang:reports:{kind}:{language}:{scope.committee.pk}:{scope.start}:"
            f"{scope.end}:{int(scope.include_sub)}")


def _changed_key(committee_id: int) -> str:
    return f"xieshang:reports:changed:{committee_id}"


def _build(kind: str, scope: Scope) -> Any:
    if kind == "figures":
        return compute(scope)
    from xieshang.reports.dashboard import panels

    return panels(scope)


def read(kind: str, scope: Scope, build: Callable[[], Any] | None = None) -> Any:
    """The ``kind`` ("figures" or "panels") of ``scope`` in the active language: stored if
    still good (see the module's text), else built now and stored."""
    key = _key(kind, scope, translation.get_language())
    now = clock.now().timestamp()
    # Changes are noted per committee: a sub-tree's figures are only kept the minute.
    tracked = enabled() and not scope.include_sub
    found = cache.get(key)
    if found is not None:
        computed_at, value = found
        if not tracked:
            if now - computed_at < PAGE_CACHE_SECONDS:
                return value
        else:
            changed_at = cache.get(_changed_key(scope.committee.pk), 0.0)
            if changed_at <= computed_at:
                return value
            # Changed since: the worker is recomputing the default period; another period
            # is not its work.
            if (now - changed_at < MAX_LAG.total_seconds()
                    and scope == default_scope(scope.committee)):
                return value
    value = build() if build is not None else _build(kind, scope)
    cache.set(key, (now, value), STORED_SECONDS if tracked else PAGE_CACHE_SECONDS)
    return value


def store(scope: Scope) -> None:
    """Compute and store every kind of ``scope`` in every language of the site."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for kind in KINDS:
                started = clock.now().timestamp()  # a change during the work makes it stale
                cache.set(_key(kind, scope, language), (started, _build(kind, scope)),
                          STORED_SECONDS)


def refresh(committee_id: int) -> bool:
    committee = Committee.objects.filter(pk=committee_id, is_active=True).first()
    if committee is None:
        return False
    store(default_scope(committee))
    return True


@task()
def refresh_task(committee_id: int) -> str:
    return "stored" if refresh(committee_id) else "no such committee"


def _enqueue(committee_id: int) -> None:
    backend = refresh_task.get_backend()
    if backend.supports_defer:
        refresh_task.using(run_after=clock.now() + DEBOUNCE).enqueue(committee_id)
    else:
        refresh_task.enqueue(committee_id)


def note_change(committee_id: int) -> None:
    """The committee's figures are out of date: say so, and queue their computation unless
    one is queued already."""
    cache.set(_changed_key(committee_id), clock.now().timestamp(), STORED_SECONDS)
    if cache.add(f"xieshang:reports:queued:{committee_id}", 1, int(DEBOUNCE.total_seconds())):
        transaction.on_commit(partial(_enqueue, committee_id))


def _on_change(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or sender not in _watched or not enabled():
        return
    committee_id = getattr(instance, "committee_id", None)
    if committee_id is not None:
        note_change(committee_id)


def connect() -> None:
    """Listen to the committee-owned models of ``WATCHED_APPS`` (each app optional)."""
    from django.apps import apps

    _watched.update(model for model in apps.get_models()
                    if model._meta.app_label in WATCHED_APPS
                    and issubclass(model, CommitteeOwned))
    post_save.connect(_on_change, dispatch_uid="xieshang.reports.precompute.save")
    post_delete.connect(_on_change, dispatch_uid="xieshang.reports.precompute.delete")
