"""The duties area's figures: scores, bands and open warnings (registered in
``DutiesConfig.ready``; keys in docs/reports.md)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Avg, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.figures import Figure, Scope
from xieshang.duties.models import DutyWarning, Score


def open_warnings(scope: Scope) -> int:
    """Warnings open at the end of the period: raised by then and not resolved by then."""
    _lo, hi = scope.bounds
    return DutyWarning.objects.filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=hi),
        committee_id__in=scope.committee_ids, raised_at__lt=hi).count()


def duties_figures(scope: Scope) -> list[Figure]:
    scores = Score.objects.filter(committee_id__in=scope.committee_ids, year=scope.end.year)
    average = scores.aggregate(a=Avg("total"))["a"]
    bands = Counter(scores.values_list("band", flat=True))
    ranking = f"{reverse('duty-ranking')}?year={scope.end.year}"
    out = [
        Figure("duties.scored_members", _("Members with a duty score"), scores.count(),
               _("people"), link=ranking,
               definition=_("Members with a duty score for %(y)s, the year the period ends.")
               % {"y": scope.end.year}),
        Figure("duties.average_score", _("Average duty score"),
               round(float(average), 1) if average is not None else 0, "",
               link=ranking,
               definition=_("The average of those members' scores for %(y)s.")
               % {"y": scope.end.year}),
        Figure("duties.open_warnings", _("Open duty warnings"), open_warnings(scope), "",
               link=reverse("duty-ranking"),
               definition=_("Duty warnings raised by the end of the period and not resolved "
                            "by then.")),
    ]
    out += [Figure(f"duties.band.{name}", _("Band: %(name)s") % {"name": name}, n, _("people"),
                   link=ranking,
                   definition=_("Members whose duty score for %(y)s falls in this band.")
                   % {"y": scope.end.year})
            for name, n in sorted(bands.items()) if name]
    return out
