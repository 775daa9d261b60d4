"""The duties area's figures: scores, bands and open warnings (registered in
``DutiesConfig.ready``; keys in docs/reports.md)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Avg
from django.utils.translation import gettext as _

from xieshang.core.figures import Figure, Scope
from xieshang.duties.models import DutyWarning, Score


def duties_figures(scope: Scope) -> list[Figure]:
    scores = Score.objects.filter(committee_id__in=scope.committee_ids, year=scope.end.year)
    average = scores.aggregate(a=Avg("total"))["a"]
    bands = Counter(scores.values_list("band", flat=True))
    out = [
        Figure("duties.scored_members", _("Members with a duty score"), scores.count(),
               _("people"), link="/duties/ranking/"),
        Figure("duties.average_score", _("Average duty score"),
               round(float(average), 1) if average is not None else 0, ""),
        Figure("duties.open_warnings", _("Open duty warnings"),
               DutyWarning.objects.filter(committee_id__in=scope.committee_ids,
                                          resolved_at__isnull=True).count(), ""),
    ]
    out += [Figure(f"duties.band.{name}", _("Band: %(name)s") % {"name": name}, n, _("people"))
            for name, n in sorted(bands.items()) if name]
    return out
