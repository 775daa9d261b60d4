"""The public-opinion area's figures: reports submitted, used, sent up and adopted
(registered in ``OpinionsConfig.ready``; keys in docs/reports.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.figures import Figure, Scope
from xieshang.core.models import Committee
from xieshang.opinions.models import OpinionOutcome, OpinionReport


def _list(fact: str, scope: Scope) -> str:
    query = {"fact": fact, "from": f"{scope.start:%Y-%m-%d}", "to": f"{scope.end:%Y-%m-%d}"}
    return reverse("opinions:report-list") + "?" + urlencode(query)


def opinions_figures(scope: Scope) -> list[Figure]:
    lo, hi = scope.bounds
    own = OpinionReport.objects.filter(committee_id__in=scope.committee_ids,
                                       origin__isnull=True, submitted_at__gte=lo,
                                       submitted_at__lt=hi).exclude(
        status=OpinionReport.Status.WITHDRAWN)
    used = own.filter(status__in=[OpinionReport.Status.SIGNED_OFF, OpinionReport.Status.PUBLISHED,
                                  OpinionReport.Status.SENT])
    reported_up = OpinionReport.objects.filter(committee_id__in=scope.committee_ids,
                                               reported_up_at__gte=lo, reported_up_at__lt=hi)
    outcomes = OpinionOutcome.objects.filter(lineage__in=own).distinct()
    adopted = outcomes.filter(kind=OpinionOutcome.Kind.ADOPTED)
    by_level = {level: adopted.filter(level=level).values("lineage").distinct().count()
                for level in ("county", "city", "province", "national")}
    upper = adopted.filter(level__in=["city", "province", "national"]).values(
        "lineage").distinct().count()
    return [
        Figure("opinions.submitted", _("Public-opinion reports submitted"), own.count(), "篇",
               link=_list("submitted", scope),
               definition=_("Reports submitted here in the period (not those received from "
                            "the committees below).")),
        Figure("opinions.used", _("Reports used (signed off or published)"), used.count(), "篇",
               link=_list("used", scope),
               definition=_("Reports raised here in the period that were signed off or "
                            "published (编发).")),
        Figure("opinions.reported_up", _("Reports sent up to the higher committee"),
               reported_up.count(), "篇", link=_list("reported_up", scope),
               definition=_("Reports sent up to the higher committee in the period (by the "
                            "date sent), those raised here and those received from below.")),
        Figure("opinions.adopted", _("Reports adopted"),
               adopted.values("lineage").distinct().count(), "篇", link=_list("adopted", scope),
               definition=_("Reports adopted at any level in the period, each report once "
                            "however many levels adopted it.")),
        Figure("opinions.adopted_upper", _("Reports adopted by a higher committee"), upper, "篇",
               link=_list("adopted_upper", scope),
               definition=_("Reports raised here in the period adopted by a city, provincial "
                            "or national committee.")),
        *[Figure(f"opinions.adopted.{level}",
                 _("Adopted at level: %(level)s") % {"level": Committee.Level(level).label},
                 n, "篇", link=_list(f"adopted_{level}", scope),
                 definition=_("Reports raised here in the period adopted at this level."))
          for level, n in by_level.items()],
        Figure("opinions.instructions", _("Leaders' written instructions"),
               outcomes.filter(kind=OpinionOutcome.Kind.INSTRUCTION).count(), "篇",
               link=_list("instruction", scope),
               definition=_("Leaders' written instructions (批示) recorded on the reports "
                            "raised here in the period; the list shows those reports.")),
    ]
