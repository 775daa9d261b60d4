"""The proposals area's figures: submission, filing, replies, ratings, key proposals and
routing (registered in ``ProposalsConfig.ready``; keys in docs/reports.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core import clock
from xieshang.core.figures import Figure, Scope
from xieshang.members.models import CollectiveBody
from xieshang.proposals.models import (
    Assignment,
    ExcellentNomination,
    Feedback,
    Proposal,
    Rating,
    Reply,
    RoutingRecord,
    Status,
)
from xieshang.proposals.routing import MIN_DECISIONS


def excellent_selected(committee_ids: list[int], start: dt.date,
                       end: dt.date) -> QuerySet[ExcellentNomination]:
    """Proposals put on an excellent list by a resolution dated in [start, end]: the one fact
    the figure "proposals.excellent" counts and the duty rule awards points for."""
    return ExcellentNomination.objects.filter(
        committee_id__in=committee_ids, kind=ExcellentNomination.Kind.PROPOSAL, selected=True,
        resolution_date__gte=start, resolution_date__lte=end)


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0


def on_time(scope: Scope) -> tuple[int, int]:
    """按期办复: (parts replied within their deadline, parts whose reply fell due in the period).

    A part (交办件次, co-units excluded: they give opinions, not replies) falls due on its
    due date: it counts in the period holding that date once the date has come (an unreplied
    part due today is not late yet); a part replied before a due date that is still ahead (or
    after the period) counts in the period of its reply. It is on time when its first reply
    was sent by the due date; an overdue part still without a reply counts as late.
    """
    today = clock.today()
    last = min(scope.end, today)
    lo, hi = scope.bounds
    sent = Q(replies__state=Reply.State.SENT)
    parts = (Assignment.objects.filter(committee_id__in=scope.committee_ids)
             .exclude(state=Assignment.State.WITHDRAWN).exclude(role=Assignment.Role.CO)
             .annotate(first_sent=Min("replies__sent_at", filter=sent))
             .filter(Q(due_date__gte=scope.start, due_date__lte=last)
                     | Q(due_date__gt=last, first_sent__gte=lo, first_sent__lt=hi)))
    due = hits = 0
    for due_date, first_sent in parts.values_list("due_date", "first_sent"):
        if first_sent is None and due_date >= today:
            continue
        due += 1
        if first_sent is not None and clock.local(first_sent).date() <= due_date:
            hits += 1
    return hits, due


def _list(**params: str) -> str:
    return "/proposals/?" + urlencode({k: v for k, v in params.items() if v})


def proposals_figures(scope: Scope) -> list[Figure]:
    lo, hi = scope.bounds
    period = {"submitted_from": f"{scope.start:%Y-%m-%d}", "submitted_to": f"{scope.end:%Y-%m-%d}"}
    submitted = Proposal.objects.filter(committee_id__in=scope.committee_ids,
                                        submitted_at__gte=lo, submitted_at__lt=hi).exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN])
    n = submitted.count()
    filed = submitted.filter(filed_at__isnull=False)
    n_filed = filed.count()
    sent = Reply.objects.filter(proposal__in=filed, state=Reply.State.SENT)
    n_sent = sent.count()
    replied_on_time, replies_due = on_time(scope)
    classes = Counter(sent.values_list("result_class", flat=True))
    ratings = Counter(Feedback.objects.filter(proposal__in=filed).values_list("rating",
                                                                                flat=True))
    n_rated = sum(ratings.values())
    kinds = Counter(submitted.values_list("kind", flat=True))
    bodies = Counter(submitted.filter(body_proposer__isnull=False).values_list(
        "body_proposer__kind", flat=True))
    key_titles = list(filed.filter(is_key=True).order_by("serial_number", "id").values_list(
        "title", flat=True)[:5])
    categories = Counter(submitted.values_list("category_id", "category__name"))
    out = [
        Figure("proposals.submitted", _("Proposals submitted"), n, "件", link=_list(**period),
               definition=_("Proposals submitted in the period (drafts and withdrawn ones "
                            "not counted).")),
        Figure("proposals.filed", _("Proposals filed"), n_filed, "件",
               link=_list(fact="filed", **period),
               definition=_("Of the proposals submitted in the period, those filed (立案).")),
        Figure("proposals.filing_rate", _("Filing rate"), _pct(n_filed, n), "%",
               link=_list(fact="filed", **period),
               definition=_("Proposals filed ÷ proposals submitted in the period.")),
        Figure("proposals.not_filed", _("Not filed"),
               submitted.filter(status=Status.NOT_FILED).count(), "件",
               link=_list(status=Status.NOT_FILED, **period),
               definition=_("Proposals submitted in the period that were not filed (不予立案).")),
        Figure("proposals.converted", _("Converted to other forms"),
               submitted.filter(status=Status.CONVERTED).count(), "件",
               link=_list(status=Status.CONVERTED, **period),
               definition=_("Proposals submitted in the period turned into another form of "
                            "handling (a public-opinion report or a suggestion).")),
        Figure("proposals.merged", _("Merged into others"),
               submitted.filter(status=Status.MERGED).count(), "件",
               link=_list(status=Status.MERGED, **period),
               definition=_("Proposals submitted in the period merged into another proposal "
                            "(并案).")),
        Figure("proposals.replied", _("Filed proposals replied"),
               filed.filter(replied_at__isnull=False).count(), "件",
               link=_list(fact="replied", **period),
               definition=_("Of the proposals submitted in the period and filed, those whose "
                            "reply has been sent to the proposer (已办复).")),
        Figure("proposals.on_time_rate", _("Replies sent on time"),
               _pct(replied_on_time, replies_due), "%",
               link="/proposals/work/overdue/",
               detail={"on_time": replied_on_time, "due": replies_due},
               definition=_("按期办复率 = parts replied within their deadline ÷ parts whose "
                            "reply fell due in the period (co-units not counted; a part replied "
                            "before its deadline counts in the period of its reply); a part "
                            "past its deadline without a reply counts as late. %(a)s of %(b)s.")
               % {"a": replied_on_time, "b": replies_due},
               note="" if replies_due else _("No data: no reply fell due in the period.")),
        *[Figure(f"proposals.class_{cls.lower()}_share", label, _pct(classes.get(cls, 0), n_sent),
                 "%", link=_list(result_class=cls, fact="filed", **period),
                 definition=_("Reply letters of class %(c)s ÷ reply letters sent, for the "
                              "proposals filed of those submitted in the period.") % {"c": cls})
          for cls, label in (("A", _("Class A replies (solved or adopted)")),
                             ("B", _("Class B replies (being solved or planned)")),
                             ("C", _("Class C replies (kept for reference)")))],
        Figure("proposals.satisfied_rate", _("Satisfied or basically satisfied"),
               _pct(ratings.get("satisfied", 0) + ratings.get("basically", 0), n_rated), "%",
               link=_list(fact="filed", **period),
               definition=_("Ratings 满意 and 基本满意 ÷ all ratings given on the proposals "
                            "filed of those submitted in the period.")),
        Figure("proposals.dissatisfied_share", _("Dissatisfied"),
               _pct(ratings.get("dissatisfied", 0), n_rated), "%",
               link=_list(rating="dissatisfied", fact="filed", **period),
               definition=_("Ratings 不满意 ÷ all ratings given on the proposals filed of "
                            "those submitted in the period.")),
        Figure("proposals.members", _("Proposals of members (individual or joint)"),
               kinds.get("individual", 0) + kinds.get("joint", 0), "件",
               link=_list(fact="members", **period),
               definition=_("Proposals submitted in the period by one member (个人) or by "
                            "several members together (联名).")),
        Figure("proposals.collective", _("Proposals of parties, sectors and committees"),
               kinds.get("collective", 0), "件", link=_list(kind="collective", **period),
               definition=_("Proposals submitted in the period in the name of a party, a "
                            "people's organisation, a sector or a special committee.")),
        *[Figure(f"proposals.{cls.lower()}_class", _("Class %(c)s replies") % {"c": cls},
                 classes.get(cls, 0), "件", link=_list(result_class=cls, fact="filed", **period),
                 definition=_("Reply letters of class %(c)s sent on the proposals filed of those "
                              "submitted in the period (a proposal handled by several units has "
                              "one letter from each); the list shows those proposals.")
                 % {"c": cls}) for cls in ("A", "B", "C")],
        Figure("proposals.sent_replies", _("Reply letters sent"), n_sent, "件",
               link=_list(fact="filed", **period),
               definition=_("Reply letters sent on the proposals filed of those submitted in "
                            "the period (one from each main or sole unit).")),
        *[Figure(f"proposals.rated_{r}", label, ratings.get(r, 0), "件",
                 link=_list(rating=r, fact="filed", **period),
                 definition=_("Ratings “%(r)s” given by proposers on the proposals filed of "
                              "those submitted in the period (one per proposer and round).")
                 % {"r": Rating(r).label})
          for r, label in (("satisfied", _("Rated satisfied")),
                           ("basically", _("Rated basically satisfied")),
                           ("dissatisfied", _("Rated dissatisfied")))],
        Figure("proposals.key", _("Key proposals"), filed.filter(is_key=True).count(), "件",
               link=_list(fact="key", **period), detail={"titles": key_titles},
               definition=_("Of the proposals submitted in the period and filed, those chosen "
                            "as key proposals (重点提案).")),
        Figure("proposals.key_supervised", _("Key proposals supervised by leaders"),
               filed.filter(is_key=True, key_leader__isnull=False).count(), "件",
               link=_list(fact="key_supervised", **period),
               definition=_("Key proposals among them with a leader supervising their "
                            "handling (领导领衔督办).")),
        # Counted on the date of the committee meeting's resolution that made the list, as the
        # duty rule "proposal.excellent" (duties.sources.proposal_facts) dates its points.
        Figure("proposals.excellent", _("Excellent proposals"),
               excellent_selected(scope.committee_ids, scope.start, scope.end).count(), "件",
               link=reverse("proposal-excellent"),
               definition=_("Proposals put on the excellent-proposals list by a committee "
                            "resolution dated in the period.")),
        Figure("proposals.rehandled", _("Re-handled"), filed.filter(is_rehandled=True).count(),
               "件", link=_list(fact="rehandled", **period),
               definition=_("Filed proposals of the period handled again because the proposer "
                            "was dissatisfied with the reply (重新办理).")),
    ]
    def accuracy(ids: list[int]) -> tuple[int, int]:
        # proposals.routing.accuracy(), for many committees in one query
        rows = RoutingRecord.objects.filter(committee_id__in=ids, decided_at__isnull=False)
        hits = total = 0
        for suggested, decided in rows.values_list("suggested", "decided"):
            total += 1
            if suggested and decided and suggested[0][0] in decided:
                hits += 1
        return hits, total


    hits, decisions = accuracy(scope.committee_ids)
    enough = decisions >= MIN_DECISIONS
    out.append(Figure(
        "proposals.routing_accuracy", _("Assignments where the first suggested unit was chosen"),
        _pct(hits, decisions) if enough else 0, "%", detail={"decisions": decisions},
        link=_list(fact="routed"),
        definition=_("Of the assignments decided with routing suggestions, the share where "
                     "the office chose the first suggested unit (all decisions so far)."),
        note="" if enough else _(
            "No data yet: %(n)s assignments decided with suggestions, shown from %(min)s"
        ) % {"n": decisions, "min": MIN_DECISIONS}))
    out += [Figure(f"proposals.kind.{kind}",
                   _("By proposer type: %(kind)s") % {"kind": Proposal.Kind(kind).label},
                   kinds.get(kind, 0), "件", link=_list(kind=kind, **period),
                   definition=_("Proposals submitted in the period whose proposer type is "
                                "%(kind)s.") % {"kind": Proposal.Kind(kind).label})
            for kind in Proposal.Kind.values]
    out += [Figure(f"proposals.body.{kind}",
                   _("By collective proposer: %(kind)s")
                   % {"kind": CollectiveBody.Kind(kind).label},
                   count, "件", link=_list(body_kind=kind, **period),
                   definition=_("Collective proposals submitted in the period by a proposer of "
                                "this kind."))
            for kind, count in sorted(bodies.items()) if kind]
    out += [Figure(f"proposals.category.{name}", _("Category: %(name)s") % {"name": name},
                   count, "件", link=_list(category=str(pk), **period),
                   definition=_("Proposals submitted in the period in this category."))
            for (pk, name), count in sorted(categories.items(), key=lambda kv: kv[0][1] or "")
            if name]
    return out
