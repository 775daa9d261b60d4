"""Which units should handle a proposal: learned from this committee's own assignments.

With enough history (``MIN_HISTORY`` assigned proposals over at least two units) a router
(textmining.router: linear SVM on character and word n-grams) is trained by a background task
and stored under the data directory; before that, each unit's routing keywords (edited on the
unit's page) decide. Staff always choose; the suggestion and their choice are both recorded
(``RoutingRecord``) so that the accuracy in real use can be reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.tasks import task

from xieshang.core import clock
from xieshang.core.dictionary import dictionary_for
from xieshang.members.models import HandlingUnit
from xieshang.proposals.models import Assignment, Proposal, RoutingRecord
from xieshang.textmining import segment

logger = logging.getLogger("xieshang.proposals")
MIN_HISTORY = 30
# Below this many decided suggestions the share of first suggestions chosen says nothing yet;
# the statistics page shows "no data" instead.
MIN_DECISIONS = 20
LEAD_ROLES = (Assignment.Role.SINGLE, Assignment.Role.SPLIT, Assignment.Role.LEAD)
_LOADED: dict[int, tuple[float, object]] = {}


@dataclass(frozen=True)
class Suggestion:
    unit: HandlingUnit
    confidence: float
    source: str  # "model" or "keywords"
    words: tuple[str, ...] = ()  # the words of the proposal that led to this unit


def model_path(committee_id: int) -> Path:
    return Path(settings.VAR_DIR) / "models" / f"router-committee-{committee_id}.joblib"


def history(committee_id: int) -> tuple[list[str], list[str]]:
    rows = (Assignment.objects.filter(committee_id=committee_id, role__in=LEAD_ROLES)
            .exclude(state=Assignment.State.WITHDRAWN)
            .values_list("proposal__title", "proposal__body", "unit_id"))
    return [f"{t}\n{b}" for t, b, _u in rows], [str(u) for _t, _b, u in rows]


@task()
def retrain(committee_id: int) -> str:
    """Train the committee's router from its assignments (run after assignments)."""
    # Loaded here on purpose: scikit-learn is heavy, and most processes never train.
    from xieshang.textmining.router import train

    texts, labels = history(committee_id)
    if len(texts) < MIN_HISTORY or len(set(labels)) < 2:
        return f"not enough history ({len(texts)} assignments)"
    with segment.using(dictionary_for(committee_id)):  # the committee's own terms
        model = train(texts, labels)
    path = model_path(committee_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    model.save(tmp)
    tmp.replace(path)  # atomic: a reader never sees half a file
    return f"trained on {len(texts)} assignments"


def _model(committee_id: int) -> object | None:
    from xieshang.textmining.router import RouterModel

    path = model_path(committee_id)
    if not path.exists():
        return None
    mtime = path.stat().st_mtime
    cached = _LOADED.get(committee_id)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        model = RouterModel.load(path)
    except Exception:  # noqa: BLE001 - a broken model file falls back to keywords
        logger.exception("cannot load %s", path)
        return None
    _LOADED[committee_id] = (mtime, model)
    return model


def suggest_units(proposal: Proposal, top: int = 3) -> list[Suggestion]:
    text = f"{proposal.title}\n{proposal.body}"
    units = {u.pk: u for u in HandlingUnit.objects.filter(committee_id=proposal.committee_id,
                                                          is_active=True)}
    model = _model(proposal.committee_id)
    if model is not None:
        with segment.using(dictionary_for(proposal.committee_id)):
            ranked = model.explain(text, top=top + 2)  # type: ignore[attr-defined]
        out = [Suggestion(units[int(s.label)], s.confidence, "model", s.words)
               for s in ranked if int(s.label) in units]
        if out:
            return out[:top]
    scores = []
    for unit in units.values():
        words = [w for w in unit.keywords.split() if w]
        found = [w for w in words if w in text]
        hits = sum(text.count(w) for w in found)
        if hits:
            scores.append((hits, unit, tuple(sorted(found, key=lambda w: -text.count(w))[:4])))
    total = sum(h for h, _u, _w in scores) or 1
    scores.sort(key=lambda x: -x[0])
    return [Suggestion(u, round(h / total, 3), "keywords", w) for h, u, w in scores[:top]]


def record_decision(proposal: Proposal, unit_ids: list[int]) -> None:
    """Called inside the assignment step: keep what the platform suggested for the proposal and
    the units staff chose (the accuracy in real use), and retrain after the commit.

    The suggestion is computed here rather than kept when the page showed it, so that reading a
    page writes nothing; it is the same text and the same model, so it is what staff saw.
    """
    suggestions = suggest_units(proposal)
    if suggestions:
        now = clock.now()
        RoutingRecord.objects.create(
            committee_id=proposal.committee_id, proposal=proposal,
            source=suggestions[0].source,
            suggested=[[s.unit.pk, s.confidence] for s in suggestions],
            decided=list(unit_ids), created_at=now, decided_at=now)
    committee_id = proposal.committee_id
    transaction.on_commit(lambda: retrain.enqueue(committee_id))


def accuracy(committee_id: int) -> tuple[int, int]:
    """(decisions whose first suggestion was among the units chosen, decisions recorded)."""
    rows = RoutingRecord.objects.filter(committee_id=committee_id, decided_at__isnull=False)
    hits = total = 0
    for suggested, decided in rows.values_list("suggested", "decided"):
        total += 1
        if suggested and decided and suggested[0][0] in decided:
            hits += 1
    return hits, total
