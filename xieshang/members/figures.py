"""The members area's figures (registered in ``MembersConfig.ready``; keys in docs/reports.md)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from xieshang.core.figures import Figure, Scope
from xieshang.members.models import Member


def members_figures(scope: Scope) -> list[Figure]:
    serving = Member.objects.filter(
        committee_id__in=scope.committee_ids, joined_on__lte=scope.end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=scope.start))
    total = serving.count()
    return [
        Figure("members.serving", _("Members serving"), total, _("people"), link="/members/",
               definition=_("Members whose membership overlaps the period (joined by its end, "
                            "not left before its start).")),
        Figure(
            "members.standing",
            _("Standing committee members"),
            serving.filter(is_standing=True).count(),
            _("people"),
            link="/members/?standing=1",
            definition=_("Standing committee members (常委) among the members serving in the "
                         "period; the list shows those serving now."),
        ),
        Figure(
            "members.women_share",
            _("Share of women"),
            round(100 * serving.filter(gender="female").count() / total) if total else 0,
            "%",
            link="/members/",
            definition=_("Women among the members serving in the period ÷ members serving."),
        ),
    ]
