"""The clues' figures (registered in ``CluesConfig.ready``; keys in docs/reports.md):

- ``clues.received``: proposal clues received in the period (public and members, merged
  duplicates included: each was sent);
- ``clues.public``: of these, sent by the public on the website;
- ``clues.adopted``: clues turned into a proposal draft by a member in the period (by the day
  it was taken up, whenever it was sent).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.clues.models import Clue
from xieshang.core.figures import Figure, Scope


def clue_figures(scope: Scope) -> list[Figure]:
    lo, hi = scope.bounds
    mine = Clue.objects.filter(committee_id__in=scope.committee_ids)
    received = mine.filter(created_at__gte=lo, created_at__lt=hi)
    adopted = mine.filter(adopted_at__gte=lo, adopted_at__lt=hi)
    period = f"from={scope.start:%Y-%m-%d}&to={scope.end:%Y-%m-%d}"
    url = reverse("clues:list")
    return [
        Figure("clues.received", _("Proposal clues received"), received.count(), "条",
               link=f"{url}?{period}",
               definition=_("Clues received in the period, from the public and from members.")),
        Figure("clues.public", _("Proposal clues from the public"),
               received.filter(source=Clue.Source.PUBLIC).count(), "条",
               link=f"{url}?source={Clue.Source.PUBLIC}&{period}",
               definition=_("Clues sent in the period by the public on the committee's "
                            "website.")),
        Figure("clues.adopted", _("Proposal clues turned into proposals"), adopted.count(),
               "条", link=f"{url}?status={Clue.Status.ADOPTED}&{period}",
               definition=_("Clues turned into a proposal draft in the period (by the day "
                            "they were turned).")),
    ]
