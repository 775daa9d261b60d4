"""Reads of the proposals work: worklists, filtered lists, the proposal page, the public record.

Every list selects and prefetches what its page shows, so the number of queries per page does
not grow with the number of proposals (benchmarks/proposals_worklists.py checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.core import clock, fulltext
from xieshang.core.calendar import WorkCalendar
from xieshang.core.dictionary import dictionary_for
from xieshang.core.http import as_id
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.proposals import permissions, policies, similar
from xieshang.proposals.models import (
    Assignment,
    ContactRecord,
    ExcellentNomination,
    Feedback,
    Proposal,
    ProposalAttachment,
    ProposalCoProposer,
    Reply,
    RoutingRecord,
    Status,
    SupervisionRecord,
)
from xieshang.textmining import segment

S = Status
N = ExcellentNomination
A = Assignment.State


def with_related(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.select_related(
        "session__term", "category", "proposer__sector", "body_proposer",
    ).prefetch_related(
        Prefetch("assignments",
                 queryset=Assignment.objects.exclude(state=A.WITHDRAWN).select_related("unit")),
    )


def visible(actor: Actor) -> QuerySet[Proposal]:
    """Every proposal the actor may open: the one definition that the proposal page, the API,
    the lists and exports, the documents and the search all fetch through.

    The proposal office, leaders and admins read every proposal that is not a draft; everyone
    reads what they wrote or proposed (drafts included); members read every proposal filed in
    their committee and those they co-sign; a handling unit reads the proposals assigned to it.
    """
    qs = scoped(actor, Proposal)
    if actor.committee is None:
        return qs.none()
    not_draft = ~Q(status=S.DRAFT)
    cond = Q(pk__in=[])
    if permissions.can_view_all(actor):
        cond |= not_draft
    if actor.user is not None:
        cond |= Q(created_by=actor.user)
    if actor.member_id is not None and actor.has(Role.MEMBER):
        cond |= Q(proposer_id=actor.member_id)
        cond |= not_draft & Q(pk__in=ProposalCoProposer.objects.filter(
            member_id=actor.member_id).values("proposal_id"))
        cond |= Q(status__in=permissions.PUBLIC_INSIDE)
    if actor.body_ids and actor.has(Role.COLLECTIVE):
        cond |= Q(body_proposer_id__in=actor.body_ids)
    if actor.unit_ids and actor.is_unit:
        cond |= not_draft & Q(pk__in=Assignment.objects.filter(unit_id__in=actor.unit_ids)
                              .values("proposal_id"))
    return qs.filter(cond)


def can_view(actor: Actor, proposal: Proposal) -> bool:
    """Membership of :func:`visible` (for templates and services that hold a proposal)."""
    return visible(actor).filter(pk=proposal.pk).exists()


def visible_replies(actor: Actor) -> QuerySet[Reply]:
    """Reply letters the actor may read: those of the proposals they may open, once sent; all
    of them for the proposal office, leaders and admins; and every reply of their own unit.
    A reply still with the unit leader or the office is not the proposer's (or anyone
    else's) to read."""
    qs = scoped(actor, Reply).filter(proposal__in=visible(actor).values("pk"))
    if permissions.can_view_all(actor):
        return qs
    cond = Q(state=Reply.State.SENT)
    if actor.unit_ids and actor.is_unit:
        cond |= Q(assignment__unit_id__in=actor.unit_ids)
    return qs.filter(cond)


def _mine_units(actor: Actor, **filters: Any) -> Q:
    # "pk IN (assignments of my units …)" rather than a correlated EXISTS: the database starts
    # from the (unit, state) index instead of testing every proposal of the committee.
    return Q(pk__in=Assignment.objects.filter(unit_id__in=actor.unit_ids, **filters)
             .values("proposal_id"))


def _me(actor: Actor) -> Q:
    cond = Q(pk__in=[])
    if actor.member_id is not None and actor.has(Role.MEMBER):
        cond |= Q(proposer_id=actor.member_id)
    if actor.body_ids and actor.has(Role.COLLECTIVE):
        cond |= Q(body_proposer_id__in=actor.body_ids)
    return cond


def wl_mine(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(_me(actor))


def wl_cosigned(actor: Actor) -> QuerySet[Proposal]:
    if actor.member_id is None:
        return scoped(actor, Proposal).none()
    return scoped(actor, Proposal).filter(
        pk__in=scoped(actor, Proposal).filter(co_proposers__member_id=actor.member_id)
        .values("pk")).exclude(status=S.DRAFT)


def wl_to_rate(actor: Actor) -> QuerySet[Proposal]:
    qs = scoped(actor, Proposal).filter(status=S.REPLIED)
    mine: Any = Q(pk__in=[])
    rated: Any = Q(pk__in=[])
    if actor.member_id is not None and actor.has(Role.MEMBER):
        mine |= Q(proposer_id=actor.member_id) | Q(
            pk__in=scoped(actor, Proposal).filter(proposer_id=actor.member_id,
                                                  merged_into__isnull=False)
            .values("merged_into_id"))
        rated |= Exists(Feedback.objects.filter(proposal=OuterRef("pk"),
                                                round=OuterRef("handling_round"),
                                                member_id=actor.member_id))
    if actor.body_ids and actor.has(Role.COLLECTIVE):
        mine |= Q(body_proposer_id__in=actor.body_ids)
        rated |= Exists(Feedback.objects.filter(proposal=OuterRef("pk"),
                                                round=OuterRef("handling_round"),
                                                body_id__in=actor.body_ids))
    return qs.filter(mine).exclude(rated)


def wl_to_review(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(status__in=(S.SUBMITTED, S.UNDER_REVIEW))


def wl_to_assign(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(status__in=(S.FILED, S.RETURN_REQUESTED))


def wl_to_check(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(status__in=(S.REPLY_REVIEW, S.REPLIED))


def overdue_assignments(actor: Actor, today: dt.date | None = None) -> QuerySet[Assignment]:
    today = today or clock.today()
    qs = scoped(actor, Assignment).filter(state__in=Assignment.OPEN_STATES, due_date__lt=today)
    if not permissions.can_view_all(actor):
        qs = qs.filter(unit_id__in=actor.unit_ids)
    return qs


def wl_overdue(actor: Actor) -> QuerySet[Proposal]:
    today = clock.today()
    filters: dict[str, Any] = {"state__in": Assignment.OPEN_STATES, "due_date__lt": today}
    if not permissions.can_view_all(actor):
        filters["unit_id__in"] = actor.unit_ids
    return scoped(actor, Proposal).filter(
        pk__in=scoped(actor, Assignment).filter(**filters).values("proposal_id"))


def wl_to_sign(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(_mine_units(actor, state=A.ASSIGNED))


def wl_to_handle(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(status__in=(S.HANDLING, S.REHANDLING)).filter(
        _mine_units(actor, state__in=(A.SIGNED, A.DRAFTED)))


def wl_waiting_co(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(
        _mine_units(actor, role=Assignment.Role.LEAD,
                    state__in=(A.SIGNED, A.DRAFTED, A.SENT_BACK)),
        Exists(Assignment.objects.filter(proposal=OuterRef("pk"), role=Assignment.Role.CO,
                                         state__in=Assignment.OPEN_STATES)))


def wl_returned(actor: Actor) -> QuerySet[Proposal]:
    return scoped(actor, Proposal).filter(_mine_units(actor, state__in=(A.SENT_BACK,
                                                                        A.RETURN_REQUESTED)))


def wl_key(actor: Actor) -> QuerySet[Proposal]:
    qs = scoped(actor, Proposal).filter(is_key=True)
    if not permissions.can_view_all(actor) and actor.user is not None:
        qs = qs.filter(key_leader=actor.user)
    return qs


def wl_all(actor: Actor) -> QuerySet[Proposal]:
    return visible(actor)


def _is_member(a: Actor) -> bool:
    return (a.member_id is not None and a.has(Role.MEMBER)) or bool(
        a.body_ids and a.has(Role.COLLECTIVE))


def _is_unit(a: Actor) -> bool:
    return a.is_unit and bool(a.unit_ids)


def wl_to_cosign(actor: Actor) -> QuerySet[Proposal]:
    """Proposals that name me as a co-proposer and wait for my answer (what ``can_cosign``
    allows on each of them)."""
    if actor.member_id is None or not actor.has(Role.MEMBER):
        return scoped(actor, Proposal).none()
    return scoped(actor, Proposal).filter(
        status__in=(S.SUBMITTED, S.UNDER_REVIEW),
        pk__in=ProposalCoProposer.objects.filter(
            member_id=actor.member_id, confirmed_at__isnull=True,
            declined=False).values("proposal_id"))


def wl_to_approve(actor: Actor) -> QuerySet[Proposal]:
    """Replies my unit drafted that wait for the unit leader's approval (``unit_leader``)."""
    if not actor.has(Role.UNIT_LEADER):
        return scoped(actor, Proposal).none()
    return scoped(actor, Proposal).filter(status__in=(S.HANDLING, S.REHANDLING)).filter(
        _mine_units(actor, state=A.DRAFTED))


def _is_unit_leader(a: Actor) -> bool:
    return _is_unit(a) and a.has(Role.UNIT_LEADER)


@dataclass(frozen=True)
class Worklist:
    name: str
    label: str | Promise
    query: Callable[[Actor], QuerySet[Proposal]]
    allowed: Callable[[Actor], bool]
    order: int


WORKLISTS: dict[str, Worklist] = {w.name: w for w in [
    Worklist("to_cosign", _("Co-signatures to confirm"), wl_to_cosign,
             lambda a: a.member_id is not None and a.has(Role.MEMBER), 9),
    Worklist("mine", _("My proposals"), wl_mine, _is_member, 10),
    Worklist("cosigned", _("Co-signed proposals"), wl_cosigned,
             lambda a: a.member_id is not None and a.has(Role.MEMBER), 11),
    Worklist("to_rate", _("Replies to rate"), wl_to_rate, _is_member, 12),
    Worklist("to_review", _("Proposals to review"), wl_to_review, permissions.is_staff, 20),
    Worklist("to_assign", _("Proposals to assign"), wl_to_assign, permissions.is_staff, 21),
    Worklist("to_check", _("Replies to check"), wl_to_check, permissions.is_staff, 22),
    Worklist("overdue", _("Overdue proposals"), wl_overdue,
             lambda a: permissions.is_staff(a) or _is_unit(a), 23),
    Worklist("to_approve", _("Replies to approve"), wl_to_approve, _is_unit_leader, 29),
    Worklist("to_sign", _("Proposals to sign for"), wl_to_sign, _is_unit, 30),
    Worklist("to_handle", _("Proposals to handle"), wl_to_handle, _is_unit, 31),
    Worklist("waiting_co", _("Waiting for co-units"), wl_waiting_co, _is_unit, 32),
    Worklist("returned", _("Returned to my unit"), wl_returned, _is_unit, 33),
    Worklist("key", _("Key proposals"), wl_key,
             lambda a: a.has(Role.LEADER) or permissions.is_staff(a), 40),
]}


def counter(query: Callable[[Actor], QuerySet[Proposal]]) -> Callable[[Actor], int]:
    """The count of a worklist, for its card on the "my work" page."""
    def count(actor: Actor) -> int:
        return query(actor).count()
    return count


# --- filters and search -----------------------------------------------------------------------

FILTERS = ("session", "category", "status", "unit", "proposer", "sector", "result_class",
           "rating", "q", "kind", "submitted_from", "submitted_to", "fact", "body_kind")

# What a figure of the statistics page counts, as a filter of the list its number links to
# (``fact=…``; proposals.figures): the list then holds exactly the proposals counted.
FACTS: dict[str, tuple[Promise, Q]] = {
    "filed": (_("Filed"), Q(filed_at__isnull=False)),
    "replied": (_("Filed and replied"), Q(filed_at__isnull=False, replied_at__isnull=False)),
    "key": (_("Key proposals"), Q(filed_at__isnull=False, is_key=True)),
    "key_supervised": (_("Key proposals supervised by leaders"),
                       Q(filed_at__isnull=False, is_key=True, key_leader__isnull=False)),
    "rehandled": (_("Re-handled"), Q(filed_at__isnull=False, is_rehandled=True)),
    "members": (_("Proposals of members (individual or joint)"),
                Q(kind__in=[Proposal.Kind.INDIVIDUAL, Proposal.Kind.JOINT])),
    "routed": (_("Assigned with routing suggestions"), Q(Exists(RoutingRecord.objects.filter(
        proposal=OuterRef("pk"), decided_at__isnull=False)))),
}


def _int(value: str) -> int | None:
    return as_id(value)


def _text_filter(qs: QuerySet[Proposal], q: str, committee_id: int | None
                 ) -> QuerySet[Proposal]:
    """Proposals whose title or body contains ``q``. The search index finds them (a LIKE scan
    of every title and body costs a second at 100,000 proposals); the text itself is checked
    only where the index answer is a superset, and for proposals whose index task is still
    queued. Queries the index cannot answer (no Chinese in them) and queries matching more
    than MATCH_CAP proposals (a scan is cheaper then) scan."""
    index = fulltext.engine()
    contains = Q(title__contains=q) | Q(body__contains=q)
    match = (index.matching_ids(committee_id, q, kind="proposal")
             if index is not None and committee_id else None)
    pending = index.pending_ids("proposal") if index is not None and match is not None else None
    if match is None or pending is None:
        return qs.filter(contains)
    found = Q(pk__in=match.ids) | Q(pk__in=pending) if pending else Q(pk__in=match.ids)
    qs = qs.filter(found)
    return qs if match.exact and not pending else qs.filter(contains)


def apply_filters(qs: QuerySet[Proposal], params: dict[str, str], *,
                  committee_id: int | None = None) -> QuerySet[Proposal]:
    """Narrow a proposal list by the filter form; an unknown value matches nothing.
    ``committee_id``: the list's committee, whose search index answers the text filter."""
    for key in ("session", "category"):
        if params.get(key):
            v = _int(params[key])
            qs = qs.filter(**{f"{key}_id": v}) if v else qs.none()
    if params.get("status"):
        qs = qs.filter(status=params["status"]) if params["status"] in S.values else qs.none()
    if params.get("unit"):
        v = _int(params["unit"])
        qs = qs.filter(Exists(Assignment.objects.filter(
            proposal=OuterRef("pk"), unit_id=v).exclude(state=A.WITHDRAWN))) if v else qs.none()
    if params.get("proposer"):
        name = params["proposer"].strip()[:50]
        qs = qs.filter(Q(proposer__name__contains=name) | Q(body_proposer__name__contains=name))
    if params.get("sector"):
        v = _int(params["sector"])
        qs = qs.filter(proposer__sector_id=v) if v else qs.none()
    if params.get("result_class"):
        qs = qs.filter(Exists(Reply.objects.filter(proposal=OuterRef("pk"),
                                                   result_class=params["result_class"],
                                                   state=Reply.State.SENT)))
    if params.get("rating"):
        qs = qs.filter(Exists(Feedback.objects.filter(proposal=OuterRef("pk"),
                                                      rating=params["rating"])))
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"]) if params["kind"] in Proposal.Kind.values else qs.none()
    if params.get("fact"):
        fact = FACTS.get(params["fact"])
        qs = qs.filter(fact[1]) if fact else qs.none()
    if params.get("body_kind"):
        qs = qs.filter(body_proposer__kind=params["body_kind"])
    for key, lookup in (("submitted_from", "gte"), ("submitted_to", "lte")):
        if params.get(key):
            try:
                day = dt.date.fromisoformat(params[key])
            except ValueError:
                qs = qs.none()
                continue
            qs = qs.filter(**{f"submitted_at__date__{lookup}": day})
    if params.get("q") and params["q"].strip():
        qs = _text_filter(qs, params["q"].strip()[:50], committee_id)
    return qs


def proposal_list(actor: Actor, worklist: str | None, params: dict[str, str]) -> QuerySet[Proposal]:
    """A list page, its export and the API list: a worklist (or every proposal), always within
    what the actor may open."""
    base = visible(actor)
    if worklist and worklist in WORKLISTS:
        base = base.filter(pk__in=WORKLISTS[worklist].query(actor).values("pk"))
    committee_id = actor.committee.pk if actor.committee else None
    return with_related(apply_filters(base, params, committee_id=committee_id)).order_by(
        *LIST_ORDER)


# Newest session first, then by number: the index "proposal_list_order" (committee first) in
# this order, so a first page is read from the index instead of sorting the committee.
LIST_ORDER = ("-session_start", "serial_number", "-created_at", "-id")


# Relations of the proposal page that most proposals do not have: the page's query asks
# whether each has rows (an EXISTS on its indexed foreign key), and only those that do are
# fetched; the others are set empty without a query.
def _rare() -> dict[str, tuple[str, QuerySet[Any]]]:
    """Those relations: name → (its foreign key to the proposal, the query of the page)."""
    return {
        "attachments": ("proposal", ProposalAttachment.objects.all()),
        "feedback": ("proposal", Feedback.objects.select_related("member", "body")),
        "merged": ("merged_into", Proposal.objects.select_related("proposer", "body_proposer")),
        "contacts": ("proposal", ContactRecord.objects.all()),
        "supervision": ("proposal", SupervisionRecord.objects.all()),
    }


def proposal_detail(actor: Actor, pk: int) -> Proposal:
    """The proposal page's fetch: 404 unless the actor may open it (:func:`visible`)."""
    # The committee is the actor's (scoped): not joined. Assignments and co-proposers are
    # asked for like the rarer relations (a submitted or just filed proposal has none).
    related = {**_rare(), **_api_related()}
    qs = _fetch_query(actor, "page", lambda: _with_exists(visible(actor).select_related(
        "session__term", "category", "proposer__sector", "body_proposer", "merged_into",
        "key_leader",
    ), related))
    return _fetch_with(actor, qs, pk, related, "suggested_units", "events")


# The fetch of one proposal, built once per actor and kind and then reused for every id
# (a clone and one more condition instead of building :func:`visible`, the joins and the
# EXISTS again on each request: building was a third of an API fetch). The key holds
# everything :func:`visible` reads from the actor, so the query is the one visible() builds
# for that actor; nothing about the data is kept. Bounded: cleared when full.
_FETCH_QUERIES: dict[tuple[Any, ...], QuerySet[Proposal]] = {}
_FETCH_QUERIES_MAX = 512


def _actor_key(actor: Actor) -> tuple[Any, ...] | None:
    if actor.committee is None or actor.user is None or actor.system:
        return None
    return (actor.committee.pk, actor.user.pk, actor.roles, actor.member_id, actor.body_ids,
            actor.unit_ids)


def _fetch_query(actor: Actor, kind: str,
                 build: Callable[[], QuerySet[Proposal]]) -> QuerySet[Proposal]:
    key = _actor_key(actor)
    if key is None:
        return build()
    key = (kind, *key)
    qs = _FETCH_QUERIES.get(key)
    if qs is None:
        if len(_FETCH_QUERIES) >= _FETCH_QUERIES_MAX:
            _FETCH_QUERIES.clear()
        qs = _FETCH_QUERIES[key] = build()
    # .all(): a clone, so that the kept query is never evaluated (or its rows kept).
    return qs.all()


def _with_exists(qs: QuerySet[Proposal],
                 related: dict[str, tuple[str, QuerySet[Any]]]) -> QuerySet[Proposal]:
    """``qs`` with an EXISTS per relation of ``related`` (``_has_<name>``)."""
    return qs.annotate(**{
        f"_has_{name}": Exists(rows.filter(**{fk: OuterRef("pk")}))
        for name, (fk, rows) in related.items()
    })


def _fetch_with(actor: Actor, qs: QuerySet[Proposal], pk: int,
                related: dict[str, tuple[str, QuerySet[Any]]], *always: str) -> Proposal:
    """One proposal of ``qs`` (a query of :func:`visible` for ``actor``, with the EXISTS of
    :func:`_with_exists` for ``related``; 404 if it is not there): only the relations it has
    are fetched, the others are set empty (no query); ``always`` are prefetched as they are."""
    try:
        p = qs.get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404(_("Not found.")) from exc
    prefetch_related_objects(
        [p], *always,
        *(Prefetch(name, queryset=rows) for name, (_fk, rows) in related.items()
          if getattr(p, f"_has_{name}")))
    for name in related:
        if not getattr(p, f"_has_{name}"):
            _set_empty(p, name)
    return _share_committee(actor, p)


def _set_empty(p: Proposal, name: str) -> None:
    # What prefetch_related leaves for a relation without rows (its cache is keyed by the
    # related name), set without asking the database a question answered above.
    empty = getattr(p, name).all()
    empty._result_cache = []
    empty._prefetch_done = True
    p.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty


def _api_related() -> dict[str, tuple[str, QuerySet[Any]]]:
    """What the API answers besides the row (name → foreign key to the proposal, query)."""
    return {
        "assignments": ("proposal", Assignment.objects.select_related("unit")),
        "co_proposers": ("proposal", ProposalCoProposer.objects.select_related("member")
                         .defer(*_without_id_number("member"))),
    }


def proposal_for_api(actor: Actor, pk: int) -> Proposal:
    """The API's fetch of one proposal: :func:`visible`, with only what the API answers
    (the page's events, feedback, attachments and records are not part of it). The committee
    is the actor's (``scoped``), so it is not joined; the members' encrypted ID numbers are
    not read (nothing the API answers shows them; decrypting one costs a Fernet check).
    Assignments and co-proposers are fetched only when the row's query found some (an EXISTS
    each, as the page does for its rarer relations): a new proposal has neither."""
    related = _api_related()
    qs = _fetch_query(actor, "api", lambda: _with_exists(visible(actor).select_related(
        "session__term", "category", "proposer", "body_proposer",
    ).defer(*_without_id_number("proposer")), related))
    return _fetch_with(actor, qs, pk, related)


def _without_id_number(path: str) -> tuple[str, ...]:
    return (f"{path}__id_number", f"{path}__id_number_index")


def proposal_for_step(actor: Actor, pk: int) -> Proposal:
    """The proposal a workflow step is taken on, or 404 as :func:`proposal_for_api` answers:
    the row alone (the step locks and reads it again with what its rules need)."""
    return _share_committee(actor, get_scoped_or_404(actor, visible(actor), pk=pk))


def proposal_for_step_locked(actor: Actor, pk: int) -> Proposal:
    """:func:`proposal_for_step` read ``select_for_update`` (the proposal's row only, as
    ``Lifecycle.lock`` locks it), for a step taken in the transaction that is open: the 404
    and the lock are one read."""
    rows = visible(actor).select_for_update(of=("self",))
    return _share_committee(actor, get_scoped_or_404(actor, rows, pk=pk))


def _share_committee(actor: Actor, proposal: Proposal) -> Proposal:
    # The actor's committee object already knows its parents once a policy was read (the
    # navigation reads one): the proposal's copy would read them again.
    if actor.committee is not None and proposal.committee_id == actor.committee.pk:
        Proposal.committee.field.set_cached_value(proposal, actor.committee)
    return proposal


def replies_for_page(actor: Actor, proposal: Proposal) -> QuerySet[Reply]:
    return visible_replies(actor).filter(proposal=proposal).select_related("assignment__unit")


# --- similarity (replaceable) -----------------------------------------------------------------

def bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace() and c not in "，。、；：！？（）《》“”‘’,.;:!?()"]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


STOP_BIGRAMS = {"关于", "建议", "的建", "议的", "加强", "进一", "一步", "推进", "提升", "我县"}


def _similarity_model(committee_id: int) -> tuple[Any, list[int], list[tuple[int, str]]]:
    """The committee's fitted similarity model, the proposals' ids, and the (id, text) of
    proposals added since it was fitted; (None, [], []) while its first fit is queued
    (proposals/similar.py: fitted by a task, off the request path)."""
    found = similar.model_for(committee_id)
    return found if found is not None else (None, [], [])


def similar_proposals(actor: Actor, text: str, limit: int = 5, exclude_pk: int | None = None,
                      *, visible_only: bool = False) -> list[tuple[Proposal, float]]:
    """Earlier proposals of this committee that look alike, best first, with a score in [0, 1]
    (textmining.similarity: character and word TF-IDF on canonical text plus word order).

    ``visible_only`` (a member typing a new proposal): only proposals the actor may open, so
    the list never shows another member's unfiled proposal; more candidates are scored so that
    hidden ones do not leave the list short."""
    if actor.committee is None or not text.strip():
        return []
    model, ids, fresh = _similarity_model(actor.committee.pk)
    if not ids:
        return []
    pool = limit * 4 + 1 if visible_only else limit + 1
    with segment.using(dictionary_for(actor.committee.pk)):
        nearest = [(ids[i], score) for i, score in model.nearest(text, k=pool)]
        if fresh:  # added since the model was fitted: scored against the text directly
            scores = model.pair_scores([text] * len(fresh), [t for _pk, t in fresh])
            nearest += [(pk, score) for (pk, _t), score in zip(fresh, scores, strict=True)]
            nearest.sort(key=lambda x: -x[1])
    ranked = [(pk, score) for pk, score in nearest[:pool] if pk != exclude_pk and score > 0.2]
    among = visible(actor) if visible_only else scoped(actor, Proposal)
    found = {p.pk: p for p in with_related(among.filter(pk__in=[pk for pk, _s in ranked]))}
    return [(found[pk], round(score, 3)) for pk, score in ranked if pk in found][:limit]


# --- public record ----------------------------------------------------------------------------

def public_cutoff(committee: Committee, today: dt.date | None = None) -> dt.date:
    """Replies sent on or before this day may be published (the configured working days)."""
    days = int(policies.get(committee, "disclosure_days"))
    return WorkCalendar(committee).add_working_days(today or clock.today(), -days).date


def public_proposals(committee: Committee) -> QuerySet[Proposal]:
    cutoff = public_cutoff(committee)
    end = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min,
                              tzinfo=timezone.get_current_timezone())
    return (Proposal.objects.filter(committee=committee, status__in=(S.REPLIED, S.CLOSED),
                                    replied_at__lt=end, merged_into__isnull=True)
            .select_related("session__term", "category", "proposer", "body_proposer")
            .prefetch_related(Prefetch("replies", queryset=Reply.objects.filter(
                state=Reply.State.SENT).select_related("assignment__unit")))
            .order_by("-replied_at", "-id"))


# --- the yearly excellent selection (优秀提案) ------------------------------------------------

def visible_nominations(actor: Actor) -> QuerySet[ExcellentNomination]:
    """Excellent nominations the actor may see: every one of the committee for the office and
    the leaders (the review list); a nominator — a handling unit or a members' group — those it
    put forward."""
    qs = scoped(actor, N).select_related(
        "proposal", "proposal__proposer", "proposal__body_proposer", "proposal__category", "unit",
        "nominating_unit", "nominating_body", "nominated_by").order_by("-year", "kind", "id")
    if actor.committee is None:
        return qs.none()
    if permissions.can_manage_excellent(actor):
        return qs
    cond = Q(pk__in=[])
    if actor.unit_ids:
        cond |= Q(nominating_unit_id__in=actor.unit_ids)
    if actor.body_ids:
        cond |= Q(nominating_body_id__in=actor.body_ids)
    return qs.filter(cond)


def nominable_proposals(actor: Actor) -> QuerySet[Proposal]:
    """Answered proposals the actor may put forward: any of the committee for the office and a
    members' group, those it handled for a handling unit."""
    qs = visible(actor).filter(status__in=[S.REPLIED, S.CLOSED])
    if not permissions.can_manage_excellent(actor) and actor.is_unit and not actor.body_ids:
        qs = qs.filter(assignments__unit_id__in=actor.unit_ids).distinct()
    return qs.order_by("-submitted_at", "-id")


def excellent_years(committee: Committee) -> list[int]:
    years = set(N.objects.filter(committee=committee).values_list("year", flat=True))
    return sorted(years | {clock.today().year}, reverse=True)


def public_excellent(committee: Committee) -> QuerySet[ExcellentNomination]:
    """The decided lists, as the committee's website shows them: selected proposals and units,
    newest year first."""
    return N.objects.filter(committee=committee, selected=True,
                            resolution_date__isnull=False).select_related(
        "proposal", "proposal__proposer", "proposal__body_proposer", "unit").order_by(
        "-year", "kind", "proposal__serial_number", "id")
