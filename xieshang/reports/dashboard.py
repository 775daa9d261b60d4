"""Dashboard panels: each area registers functions that return a titled series of numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xieshang.core import clock
from xieshang.core.dictionary import dictionary_for_many
from xieshang.core.figures import Scope
from xieshang.duties.models import Score
from xieshang.duties.selectors import distribution
from xieshang.members.models import Member
from xieshang.textmining import segment

logger = logging.getLogger("xieshang.reports")


@dataclass
class Panel:
    key: str
    title: str
    kind: str  # "bar" | "donut" | "table"
    rows: list[tuple[str, float]] = field(default_factory=list)
    unit: str = ""
    order: int = 100


PanelProvider = Callable[[Scope], list[Panel]]

HOT_TOPICS_CACHE_SECONDS = 6 * 3600
HOT_TOPICS_FRESH_SECONDS = 300
HOT_TOPICS_BODY_CHARS = 300
PANELS: dict[str, PanelProvider] = {}


def register(name: str, provider: PanelProvider) -> None:
    PANELS[name] = provider


def panels(scope: Scope) -> list[Panel]:
    out: list[Panel] = []
    for name, provider in PANELS.items():
        try:
            out.extend(provider(scope))
        except (ImportError, AttributeError) as exc:
            logger.warning("dashboard panels from %s unavailable: %s", name, exc)
    return sorted(out, key=lambda p: p.order)


def activity_panels(scope: Scope) -> list[Panel]:
    # Optional app: registered, and imported, only where installed (register_all).
    from xieshang.activities.models import Activity

    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    rows = (Activity.objects.filter(committee_id__in=scope.committee_ids, start__gte=lo,
                                    start__lt=hi, status=Activity.Status.HELD)
            .annotate(month=TruncMonth("start")).values("month").annotate(n=Count("id"))
            .order_by("month"))
    by_month = [(f"{r['month']:%Y-%m}", float(r["n"])) for r in rows][-12:]
    by_type = (Activity.objects.filter(committee_id__in=scope.committee_ids, start__gte=lo,
                                       start__lt=hi, status=Activity.Status.HELD)
               .values("type__label").annotate(n=Count("id")).order_by("-n"))
    return [
        Panel("activities.by_month", _("Activities by month"), "bar", by_month, _("times"),
              order=40),
        Panel("activities.by_type", _("Activities by type"), "donut",
              [(r["type__label"], float(r["n"])) for r in by_type][:8], _("times"), order=41),
    ]


def duty_panels(scope: Scope) -> list[Panel]:
    scores = list(Score.objects.filter(committee_id__in=scope.committee_ids,
                                       year=scope.end.year).values_list("total", flat=True))
    rows = [(label, float(n)) for label, n in distribution(scores)]
    return [Panel("duties.distribution", _("Duty score distribution"), "bar", rows,
                  pgettext("reports", "members"), order=60)] if scores else []


def tree_panels(scope: Scope) -> list[Panel]:
    """For a province or city: one row per direct sub-committee (serving members)."""
    children = list(scope.committee.children.filter(is_active=True))
    if not children:
        return []
    counts = dict(Member.objects.filter(committee__in=children, status=Member.Status.ACTIVE)
                  .values_list("committee_id").annotate(n=Count("id")))
    rows = [(c.short_name or c.name, float(counts.get(c.id, 0))) for c in children]
    return [Panel("tree.members", _("Members of the sub-committees"), "table", rows,
                  _("people"), order=90)]


def hot_topic_panels(scope: Scope) -> list[Panel]:
    """Hot issues of the period's proposals, public-opinion reports and residents' topics:
    tight clusters about one place or object and one problem (textmining.hottopics), labelled
    "place · problem", ranked by how many raised it within a month, and in all."""
    # Loaded here on purpose: hot topics bring scikit-learn.
    from xieshang.textmining.hottopics import hot_topics

    # A result younger than HOT_TOPICS_FRESH_SECONDS is shown as it is: while members submit,
    # every new item would otherwise re-cluster the period on the next dashboard view (0.3–1 s
    # of CPU each time). Older than that, it is recomputed when its inputs have changed.
    latest_key = (f"xieshang:hot-topics:latest:{scope.start}:{scope.end}:"
                  f"{','.join(map(str, scope.committee_ids))}")
    latest = cache.get(latest_key)
    if latest is not None and clock.timestamp() - latest[1] < HOT_TOPICS_FRESH_SECONDS:
        return _hot_topic_panel(latest[2])
    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    texts: list[str] = []
    times: list[dt.datetime | None] = []
    ids: list[str] = []
    sources: list[tuple[str, Any]] = []
    try:  # proposals and opinions are optional apps: their items count where installed
        from xieshang.proposals.models import Proposal

        sources.append(("p", Proposal.objects.filter(
            committee_id__in=scope.committee_ids, submitted_at__gte=lo, submitted_at__lt=hi)
            .values_list("id", "title", "body", "submitted_at")))
    except ImportError:
        pass
    try:
        from xieshang.opinions.models import OpinionReport, Topic

        sources.append(("o", OpinionReport.objects.filter(
            committee_id__in=scope.committee_ids, origin__isnull=True, submitted_at__gte=lo,
            submitted_at__lt=hi).values_list("id", "title", "body", "submitted_at")))
        sources.append(("t", Topic.objects.filter(
            committee_id__in=scope.committee_ids, created_at__gte=lo, created_at__lt=hi)
            .values_list("id", "title", "description", "created_at")))
    except ImportError:
        pass
    for prefix, rows in sources:
        for pk, title, body, when in rows[:3000]:
            # the subject on the first line (it counts twice), then the opening of the text
            texts.append(f"{title}\n{(body or '')[:HOT_TOPICS_BODY_CHARS]}".strip())
            times.append(timezone.localtime(when).replace(tzinfo=None) if when else None)
            ids.append(f"{prefix}{pk}")
    if len(texts) < 5:
        cache.delete(latest_key)
        return []
    dictionary = dictionary_for_many(scope.committee_ids)
    # Clustering costs seconds of CPU; the rows cost milliseconds. The result is kept with a
    # fingerprint of exactly what it is computed from (items, titles, committees' terms), so
    # past the fresh period any new, changed or removed item or term computes it afresh.
    fingerprint = hashlib.sha256(repr((ids, texts, dictionary.terms)).encode()).hexdigest()
    if latest is not None and latest[0] == fingerprint:
        rows = latest[2]
    else:
        with segment.using(dictionary):  # committees' own terms
            topics = hot_topics(texts, times, ids, top=8)
        rows = [(_issue_label(t), float(t.size)) for t in topics]
    cache.set(latest_key, (fingerprint, clock.timestamp(), rows), HOT_TOPICS_CACHE_SECONDS)
    return _hot_topic_panel(rows)


def _issue_label(topic: Any) -> str:
    """"place · problem（first day—last day）": when the issue was raised."""
    first, last = topic.first[:10], topic.last[:10]
    if not first:
        return str(topic.label)
    span = first if first == last else f"{first}—{last}"
    return f"{topic.label}（{span}）"


def _hot_topic_panel(rows: list[tuple[str, float]]) -> list[Panel]:
    return [Panel("text.hot_topics", _("Hot topics"), "table", rows, _("items"), order=30)]


def register_all() -> None:
    from importlib.util import find_spec

    if find_spec("xieshang.activities.models") is not None:
        register("activities", activity_panels)
    register("duties", duty_panels)
    register("tree", tree_panels)
    register("hot_topics", hot_topic_panels)
