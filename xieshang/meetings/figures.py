"""The meetings' figures: votes taken, elections held and oral speeches at plenary and standing
committee meetings (registered in ``MeetingsConfig.ready``; keys in docs/reports.md).

The meetings held themselves are counted once, by the activities they are set up on
(``activities.plenaries``, ``activities.standing_meetings``): not again here.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.figures import Figure, Scope
from xieshang.meetings import selectors
from xieshang.meetings.models import Meeting


def meetings_figures(scope: Scope) -> list[Figure]:
    lo, hi = scope.bounds
    held = selectors.held_in(Meeting.objects.filter(committee_id__in=scope.committee_ids),
                             lo, hi)

    def link(count: str) -> str:
        return f"{reverse('meetings:list')}?count={count}&from={scope.start}&to={scope.end}"

    return [
        Figure("meetings.polls", _("Votes taken"), selectors.polls_taken(held).count(), "项",
               section="activities", link=link("polls"),
               definition=_("Votes (表决事项) closed at plenary and standing committee "
                            "meetings held that started in the period.")),
        Figure("meetings.elections", _("Elections held"), selectors.elections_held(held).count(),
               "次", section="activities", link=link("elections"),
               definition=_("Elections (选举) closed and counted at plenary and standing "
                            "committee meetings held that started in the period.")),
        Figure("meetings.oral_speeches", _("Oral speeches at meetings"),
               selectors.oral_speeches(held).count(), "人次", section="activities",
               link=link("speeches"),
               definition=_("Written speeches chosen for oral delivery (大会发言) on the list of "
                            "speakers of plenary and standing committee meetings held that "
                            "started in the period; requests to speak are not counted.")),
    ]
