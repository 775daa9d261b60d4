"""Reads of the participation channels, and the one ``visible(actor)`` per kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core import clock
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.participation import permissions
from xieshang.participation.models import (
    Answer,
    Channel,
    ChannelStatus,
    Post,
    Problem,
    Question,
    Response,
    Room,
    Studio,
    StudioEvent,
    Survey,
)


def _drafts_for_keepers[C: Channel](actor: Actor, qs: QuerySet[C]) -> QuerySet[C]:
    """A draft is the staff's work in progress: nobody else sees it anywhere."""
    return qs if permissions.can_keep(actor) else qs.exclude(status=ChannelStatus.DRAFT)


def visible_rooms(actor: Actor) -> QuerySet[Room]:
    """Staff and leaders: every room here (drafts: the staff only); others: public rooms and
    those they are invited to (as a member, an official of a unit concerned or an expert),
    once published."""
    qs = _drafts_for_keepers(actor, scoped(actor, Room))
    if permissions.can_read_all(actor):
        return qs
    cond = Q(is_public=True)
    if actor.member_id is not None:
        cond |= Q(members=actor.member_id)
    if actor.unit_ids:
        cond |= Q(units__in=actor.unit_ids)
    if actor.user is not None:
        cond |= Q(experts=actor.user.pk)
    return qs.filter(pk__in=qs.filter(cond).values("pk"))


def public_rooms(committee: Committee | None = None) -> QuerySet[Room]:
    """Rooms on the public website (read-only, no login): marked open to residents, published
    (not a draft) and already opened (open now or ended); one committee's, or every
    committee's (sitemap).
    The website's list, room page and sitemap all fetch through this."""
    qs = Room.objects.filter(is_public=True, opens_at__lte=clock.now(),
                             committee__is_active=True).exclude(status=ChannelStatus.DRAFT)
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs.select_related("committee").order_by("-opens_at", "-id")


def public_thread(room: Room) -> list[tuple[Post, int]]:
    """The posts of a room that are not hidden, in thread order with their depth, for readers
    outside the committee. A hidden post is left out with its text (only its id and parent
    are read); its replies move up to its place."""
    shown = list(room.posts.filter(hidden_at__isnull=True).order_by("created_at", "id"))
    hidden = dict(room.posts.filter(hidden_at__isnull=False).values_list("pk", "parent_id"))

    def visible_parent(parent: int | None) -> int | None:
        seen: set[int] = set()
        while parent is not None and parent in hidden and parent not in seen:
            seen.add(parent)
            parent = hidden[parent]
        return parent

    return threaded(shown, parent_of=lambda p: visible_parent(p.parent_id))


def threaded(posts: Iterable[Post],
             parent_of: Callable[[Post], int | None] = lambda p: p.parent_id,
             ) -> list[tuple[Post, int]]:
    """Posts in thread order (each followed by its replies, in the given order) with their
    depth, indented at most 4 levels; ``parent_of`` says under which post one is shown."""
    children: dict[int | None, list[Post]] = {}
    for p in posts:
        children.setdefault(parent_of(p), []).append(p)
    thread: list[tuple[Post, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for p in children.get(parent, []):
            thread.append((p, min(depth, 4)))
            walk(p.pk, depth + 1)

    walk(None, 0)
    return thread


def room_posts(actor: Actor, room: Room) -> QuerySet[Post]:
    """The room's posts; hidden ones stay in the thread (their text is shown to keepers only)."""
    return room.posts.select_related("member", "parent").order_by("created_at", "id")


def visible_surveys(actor: Actor) -> QuerySet[Survey]:
    """Staff and leaders: every survey here (drafts: the staff only); members: published
    members' and public surveys; anyone else with a role here: the published public ones."""
    qs = _drafts_for_keepers(actor, scoped(actor, Survey))
    if permissions.can_read_all(actor):
        return qs
    if actor.member_id is not None:
        return qs
    return qs.filter(audience=Survey.Audience.PUBLIC)


def public_surveys() -> QuerySet[Survey]:
    """Published (or ended) public surveys of every committee, for the anonymous answer page
    (by id)."""
    return (Survey.objects.filter(audience=Survey.Audience.PUBLIC)
            .exclude(status=ChannelStatus.DRAFT).select_related("committee"))


def open_public_surveys(committee: Committee | None = None) -> QuerySet[Survey]:
    """Public surveys open now (published, not ended early), listed on the committee's website
    (and its sitemap); each is answered at the anonymous page ``/participation/s/<id>/``."""
    now = clock.now()
    qs = public_surveys().filter(status=ChannelStatus.PUBLISHED, opens_at__lte=now,
                                 closes_at__gt=now, committee__is_active=True)
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs.order_by("closes_at", "id")


def questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("order", "id"))


def has_answered(survey: Survey, *, user_id: int | None, device: str) -> bool:
    if user_id is not None:
        return survey.responses.filter(user_id=user_id).exists()
    return bool(device) and survey.responses.filter(device=device).exists()


def results(survey: Survey) -> list[dict[str, object]]:
    """Per question: counts per option (choices), distribution and mean (scale), texts."""
    total = survey.responses.count()
    out: list[dict[str, object]] = []
    answers = Answer.objects.filter(question__survey=survey)
    by_question: dict[int, list[Answer]] = {}
    for a in answers.order_by("id"):
        by_question.setdefault(a.question_id, []).append(a)
    for q in questions(survey):
        rows = by_question.get(q.pk, [])
        row: dict[str, object] = {"question": q, "answered": len(rows), "total": total}
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            counts = [0] * len(q.options)
            for a in rows:
                for i in a.choices:
                    if 0 <= i < len(counts):
                        counts[i] += 1
            row["bars"] = _bars([(str(o), c) for o, c in zip(q.options, counts, strict=True)],
                                len(rows))
        elif q.kind == Question.Kind.SCALE:
            counts = [0] * q.scale_max
            values = [a.value for a in rows if a.value]
            for v in values:
                if 1 <= v <= q.scale_max:
                    counts[v - 1] += 1
            row["bars"] = _bars([(str(i + 1), c) for i, c in enumerate(counts)], len(values))
            row["mean"] = round(sum(values) / len(values), 2) if values else None
        else:
            row["texts"] = [a.text for a in rows if a.text]
        out.append(row)
    return out


def _bars(rows: list[tuple[str, int]], base: int) -> list[dict[str, object]]:
    return [{"label": label, "count": n, "percent": round(100 * n / base) if base else 0}
            for label, n in rows]


def responses(survey: Survey) -> QuerySet[Response]:
    return survey.responses.select_related("member").prefetch_related("answers").order_by(
        "submitted_at", "id")


def visible_studios(actor: Actor) -> QuerySet[Studio]:
    """Everyone with a role in the committee sees its studios (they are public bodies)."""
    if not permissions.can_open_channels(actor):
        return Studio.objects.none()
    return scoped(actor, Studio).select_related("lead").annotate(
        n_events=Count("events", distinct=True), n_problems=Count("problems", distinct=True))


def studio_events(studio: Studio) -> QuerySet[StudioEvent]:
    return studio.events.prefetch_related("members").order_by("-date", "-id")


def studio_problems(studio: Studio) -> QuerySet[Problem]:
    return studio.problems.select_related("unit", "opinion", "proposal").order_by(
        "-received_on", "-id")


def answered_ids(actor: Actor, surveys: list[Survey]) -> list[int]:
    if actor.user is None:
        return []
    return list(Response.objects.filter(survey__in=surveys, user=actor.user)
                .values_list("survey_id", flat=True))


def export_rows(survey: Survey) -> list[list[object]]:
    """One row per response, one column per question (choices by their text)."""
    qs = questions(survey)
    rows: list[list[object]] = [["序号", "提交时间", "委员", *[q.text for q in qs]]]
    for number, r in enumerate(responses(survey), start=1):
        by_q = {a.question_id: a for a in r.answers.all()}
        cells: list[object] = []
        for q in qs:
            a = by_q.get(q.pk)
            if a is None:
                cells.append("")
            elif q.kind == Question.Kind.SCALE:
                cells.append(a.value)
            elif q.kind == Question.Kind.TEXT:
                cells.append(a.text)
            else:
                cells.append("；".join(str(q.options[i]) for i in a.choices
                                      if 0 <= i < len(q.options)))
        rows.append([number, clock.local(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
                     r.member.name if r.member else "", *cells])
    return rows


def surveys_awaiting(actor: Actor) -> int:
    """Open surveys the actor may answer and has not answered (the "my work" card)."""
    if actor.user is None or actor.member_id is None:
        return 0
    now = clock.now()
    return (visible_surveys(actor).filter(status=ChannelStatus.PUBLISHED, opens_at__lte=now,
                                          closes_at__gt=now)
            .exclude(responses__user=actor.user).count())


def rooms_open_to(actor: Actor) -> int:
    """Open rooms the member is invited to (the "my work" card)."""
    if actor.member_id is None:
        return 0
    now = clock.now()
    return scoped(actor, Room).filter(members=actor.member_id, status=ChannelStatus.PUBLISHED,
                                      opens_at__lte=now, closes_at__gt=now).count()


def drafts_to_publish(actor: Actor) -> list[tuple[str, str]]:
    """Rooms and surveys of the committee still in draft, each (label, its page), for the
    staff who publish them (the "my work" card); nobody else has any."""
    if not permissions.can_keep(actor):
        return []
    rooms = scoped(actor, Room).filter(status=ChannelStatus.DRAFT).order_by("opens_at", "id")
    surveys = scoped(actor, Survey).filter(status=ChannelStatus.DRAFT).order_by("opens_at", "id")
    out = [(_("Online consultation: %(title)s") % {"title": r.title},
            reverse("participation:room", args=[r.pk])) for r in rooms]
    out += [(_("Survey: %(title)s") % {"title": s.title},
             reverse("participation:survey", args=[s.pk])) for s in surveys]
    return out


def drafts_to_publish_count(actor: Actor) -> int:
    return len(drafts_to_publish(actor))
