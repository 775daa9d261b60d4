"""The committee's fitted similarity model, off the request path.

Fitting the model on a county's ten years (3,000 proposals) costs about 3 s of CPU, and each
fitted model holds tens of megabytes, so a web process neither fits one nor keeps many: a
background task fits it and writes it to ``<var>/models/similarity/<committee>.pickle``
(atomically); web processes load it (milliseconds) and keep the few most recently used.

While proposals change, a model is used as it is for ``REFIT_SECONDS``: proposals added since
it was fitted are scored one by one (so a duplicate submitted a minute ago is still found at
review); after that, a change queues a refit and the old model serves until the new one is
written. A committee with no model yet queues the first fit and shows none meanwhile.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.tasks import task

from xieshang.core import clock
from xieshang.core.dictionary import dictionary_for
from xieshang.proposals.models import Proposal, Status
from xieshang.textmining import segment

log = logging.getLogger("xieshang.proposals")

REFIT_SECONDS = 300
FRESH_LIMIT = 200
POOL = 100_000  # the archive a model is fitted on (newest first)
KEEP_IN_MEMORY = 8  # models per web process
MODEL_DIR = Path(settings.VAR_DIR) / "models" / "similarity"


@dataclass
class Fitted:
    key: tuple[Any, ...]  # (proposals, last id, last change, dictionary) when fitted
    model: Any
    ids: list[int]
    fitted_at: float  # clock.timestamp()


_loaded: OrderedDict[int, tuple[float, Fitted]] = OrderedDict()  # committee -> (mtime, model)


def _archive(committee_id: int) -> Any:
    return Proposal.objects.filter(committee_id=committee_id).exclude(status=Status.DRAFT)


def current_key(committee_id: int) -> tuple[Any, ...]:
    stats = _archive(committee_id).aggregate(n=Count("id"), last=Max("id"),
                                             changed=Max("updated_at"))
    return (stats["n"] or 0, stats["last"] or 0, stats["changed"], dictionary_for(committee_id))


def _path(committee_id: int) -> Path:
    return MODEL_DIR / f"{int(committee_id)}.pickle"


def fit(committee_id: int) -> Fitted | None:
    """Fit the committee's model now and write it (the task's body; tests call it too)."""
    # Loaded here on purpose: scikit-learn is heavy, and only the fitting task needs it.
    from xieshang.textmining.similarity import SimilarityModel

    key = current_key(committee_id)
    rows = list(_archive(committee_id).order_by("-id").values_list("pk", "title", "body")[:POOL])
    path = _path(committee_id)
    if not rows:
        path.unlink(missing_ok=True)
        return None
    with segment.using(dictionary_for(committee_id)):
        model = SimilarityModel([f"{title}\n{body}" for _pk, title, body in rows])
    fitted = Fitted(key, model, [pk for pk, _t, _b in rows], clock.timestamp())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        pickle.dump(fitted, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return fitted


@task()
def fit_task(committee_id: int) -> str:
    try:
        fitted = fit(committee_id)
    finally:
        cache.delete(_lock_key(committee_id))
    return f"fitted on {len(fitted.ids)} proposals" if fitted else "no proposals"


def _lock_key(committee_id: int) -> str:
    return f"xieshang:similarity-fit:{int(committee_id)}"


def request_fit(committee_id: int) -> None:
    """Queue a fit unless one is already queued (for at most ten minutes)."""
    if cache.add(_lock_key(committee_id), 1, 600):
        fit_task.enqueue(committee_id)


def _load(committee_id: int) -> Fitted | None:
    path = _path(committee_id)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        _loaded.pop(committee_id, None)
        return None
    held = _loaded.get(committee_id)
    if held is not None and held[0] == mtime:
        _loaded.move_to_end(committee_id)
        return held[1]
    try:
        with path.open("rb") as handle:
            fitted: Fitted = pickle.load(handle)  # noqa: S301 - our own file, written by fit()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        log.warning("similarity model %s unreadable; refitting", path, exc_info=True)
        return None
    _loaded[committee_id] = (mtime, fitted)
    while len(_loaded) > KEEP_IN_MEMORY:
        _loaded.popitem(last=False)
    return fitted


def model_for(committee_id: int) -> tuple[Any, list[int], list[tuple[int, str]]] | None:
    """(model, ids, proposals added since it was fitted as (id, text)), or None while the
    committee's first model is being fitted."""
    fitted = _load(committee_id)
    if fitted is None:
        request_fit(committee_id)
        fitted = _load(committee_id)  # the immediate task backend (tests) has fitted it
        if fitted is None:
            return None
    key = current_key(committee_id)
    if key == fitted.key:
        return fitted.model, fitted.ids, []
    if key[3] != fitted.key[3] or clock.timestamp() - fitted.fitted_at >= REFIT_SECONDS:
        request_fit(committee_id)
        refitted = _load(committee_id)
        if refitted is not None and refitted.key == key:
            return refitted.model, refitted.ids, []
        if key[3] != fitted.key[3]:
            return None  # the committee's terms changed: the old vectors no longer apply
    fresh = list(_archive(committee_id).filter(id__gt=fitted.key[1]).order_by("-id")
                 .values_list("pk", "title", "body")[:FRESH_LIMIT])
    return fitted.model, fitted.ids, [(pk, f"{t}\n{b}") for pk, t, b in fresh]


def pending(committee_id: int) -> bool:
    """A fit is queued or running for the committee."""
    return cache.get(_lock_key(committee_id)) is not None


def forget() -> None:
    """Drop the models held in this process (tests)."""
    _loaded.clear()
