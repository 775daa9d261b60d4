"""Every write of the opinions app: one transaction each, permission-checked and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xieshang.core import audit, clock, counters, policy, uploads
from xieshang.core.models import Committee, Role, RoleAssignment, User
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor, require
from xieshang.core.uploads import Upload
from xieshang.core.workflow import StaleVersion, actor_label, step_input, transition
from xieshang.members.models import CollectiveBody, Member
from xieshang.opinions import permissions, workflow
from xieshang.opinions.models import (
    AuthorKind,
    Bulletin,
    BulletinItem,
    BulletinRecipient,
    Category,
    Correspondent,
    OpinionAttachment,
    OpinionEvent,
    OpinionOutcome,
    OpinionReport,
    Topic,
    text_length,
)
from xieshang.opinions.policies import (
    ALLOWED_ATTACHMENT_TYPES,
    ATTACHMENT_MAX_MB,
    MAX_LENGTH,
    TOPICS_PER_IP_HOUR,
)
from xieshang.opinions.workflow import (  # re-exported: callers reach them through services
    add_event,
    author_users,
    lineage_ids,
    role_users,
    save_version,
)

S = OpinionReport.Status
TEXT_FIELDS = ("title", "category", "situation", "analysis", "suggestion", "body")


# --- helpers ------------------------------------------------------------------

def _clean_text(committee: Committee, data: dict[str, str]) -> dict[str, str]:
    out = {k: (data.get(k) or "").strip() for k in TEXT_FIELDS}
    errors: dict[str, str] = {}
    if not out["title"]:
        errors["title"] = _("Give the report a title, e.g. “关于…的建议”.")
    elif len(out["title"]) > 200:
        errors["title"] = _("The title may have at most 200 characters.")
    if out["category"] not in Category.values:
        errors["category"] = _("Choose a category.")
    parts = [out["situation"], out["analysis"], out["suggestion"], out["body"]]
    if not any(parts):
        errors["body"] = _("Write the situation, analysis and suggestion, or the whole text.")
    limit = int(policy.get(committee, MAX_LENGTH))
    length = text_length(*parts)
    if length > limit:
        errors["body"] = _("The text may have at most %(limit)s characters; it has %(n)s.") % {
            "limit": limit, "n": length}
    if errors:
        raise ValidationError(errors)
    return out


def _check_attachment(committee: Committee, upload: Upload) -> None:
    uploads.check_upload(upload, allowed={f".{e}" for e in ALLOWED_ATTACHMENT_TYPES},
                         max_mb=int(policy.get(committee, ATTACHMENT_MAX_MB)),
                         field="attachments")


# --- reports --------------------------------------------------------------------

@transaction.atomic
def report_submit(
    *, actor: Actor, title: str, category: str = Category.OTHER, situation: str = "",
    analysis: str = "", suggestion: str = "", body: str = "", as_body: int | None = None,
    attachments: Iterable[Upload] = (),
) -> OpinionReport:
    """A member, collective body or invited correspondent submits a report."""
    require(permissions.can_submit(actor) and not actor.system,
            _("Only members, collective bodies and invited correspondents submit reports."))
    committee = actor.committee
    assert committee is not None and actor.user is not None
    text = _clean_text(committee, {"title": title, "category": category, "situation": situation,
                                   "analysis": analysis, "suggestion": suggestion, "body": body})
    files = list(attachments)
    for upload in files:
        _check_attachment(committee, upload)
    member: Member | None = None
    collective: CollectiveBody | None = None
    if as_body is not None:
        require(as_body in actor.body_ids, _("You cannot submit in the name of this body."))
        collective = CollectiveBody.objects.get(pk=as_body, committee=committee)
        kind, name = AuthorKind.BODY, collective.name
    elif actor.member_id is not None and actor.has(Role.MEMBER):
        member = Member.objects.select_related("sector").get(pk=actor.member_id,
                                                             committee=committee)
        kind, name = AuthorKind.MEMBER, member.name
    elif actor.body_ids and actor.has(Role.COLLECTIVE):
        collective = CollectiveBody.objects.get(pk=min(actor.body_ids), committee=committee)
        kind, name = AuthorKind.BODY, collective.name
    else:
        corr = Correspondent.objects.get(committee=committee, user=actor.user, is_active=True)
        kind = AuthorKind.CORRESPONDENT
        name = f"{corr.name}（{corr.organisation}）" if corr.organisation else corr.name
    report = OpinionReport.objects.create(
        committee=committee, author_kind=kind, author_member=member, author_body=collective,
        author_name=name, sector=member.sector if member else None, submitted_by=actor.user,
        **text,
    )
    report.root = report
    report.save(update_fields=["root"])
    save_version(report, actor, _("As submitted"))
    OpinionEvent.objects.create(committee=committee, report=report, action="submit",
                                to_status=report.status, actor=actor.user,
                                actor_name=actor_label(actor))
    for upload in files:
        OpinionAttachment.objects.create(committee=committee, report=report, file=upload,
                                         name=(upload.name or "")[:200], size=upload.size or 0,
                                         uploaded_by=actor.user)
    audit.record(actor, "opinion.submit", report, after=audit.snapshot(report))
    notify_on_commit(recipients=role_users(committee, Role.STAFF_OPINION), committee=committee,
                     title=_("New public-opinion report: %(t)s") % {"t": report.title},
                     url=report.get_absolute_url())
    return report


@transaction.atomic
def report_edit(
    *, actor: Actor, report: OpinionReport, expected_version: int, title: str, category: str,
    situation: str = "", analysis: str = "", suggestion: str = "", body: str = "",
    note: str = "",
) -> OpinionReport:
    """Change the text (the author while submitted, an editor while editing); keeps a version."""
    locked = OpinionReport.objects.select_for_update(of=("self",)).select_related("committee").get(
        pk=report.pk)
    require(permissions.can_edit_text(actor, locked))
    if locked.version != expected_version:
        raise StaleVersion()
    text = _clean_text(locked.committee, {
        "title": title, "category": category, "situation": situation, "analysis": analysis,
        "suggestion": suggestion, "body": body})
    before = audit.snapshot(locked, list(TEXT_FIELDS))
    if all(getattr(locked, k) == v for k, v in text.items()):
        return locked
    for key, value in text.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save(update_fields=[*TEXT_FIELDS, "version", "updated_at"])
    version = save_version(locked, actor, note[:200])
    add_event(locked, actor, "edit", note or _("Version %(n)s") % {"n": version.number})
    audit.record(actor, "opinion.edit", locked, before=before,
                 after=audit.snapshot(locked, list(TEXT_FIELDS)))
    return locked


@transaction.atomic
def attachment_add(*, actor: Actor, report: OpinionReport,
                   upload: Upload) -> OpinionAttachment:
    require(permissions.can_add_attachment(actor, report))
    _check_attachment(report.committee, upload)
    row = OpinionAttachment.objects.create(committee=report.committee, report=report,
                                           file=upload, name=(upload.name or "")[:200],
                                           size=upload.size or 0, uploaded_by=actor.user)
    audit.record(actor, "opinion.attach", report, after={"attachment": row.name})
    return row


OUTCOME_REQUIRED: dict[str, tuple[str, ...]] = {
    OpinionOutcome.Kind.ADOPTED: (),
    OpinionOutcome.Kind.INSTRUCTION: ("person", "text"),
    OpinionOutcome.Kind.HANDLED: ("department", "reply"),
    OpinionOutcome.Kind.MEDIA: ("publication",),
}


def _create_outcome(*, actor: Actor, report: OpinionReport, kind: str, date: dt.date,
                    **fields: Any) -> OpinionOutcome:
    outcome = OpinionOutcome.objects.create(
        committee=report.committee, report=report, kind=kind, level=report.committee.level,
        date=date, recorded_by=actor.user, **fields)
    outcome.lineage.set(lineage_ids(report))
    add_event(report, actor, "outcome",
              f"{outcome.get_kind_display()} {fields.get('text', '')}".strip())
    audit.record(actor, "opinion.outcome", report, after=audit.snapshot(outcome))
    users = author_users(report)
    root = report.root or report
    notify_on_commit(recipients=users, committee=root.committee,
                     title=_("News on your report “%(t)s”: %(k)s") % {
                         "t": root.title, "k": outcome.get_kind_display()},
                     body=f"{report.committee.name} {outcome.get_kind_display()}",
                     url=root.get_absolute_url())
    return outcome


@transaction.atomic
def outcome_record(
    *, actor: Actor, report: OpinionReport, kind: str, date: dt.date | None = None,
    bulletin: Bulletin | None = None, publication: str = "", person: str = "",
    person_level: str = "", text: str = "", department: str = "", reply: str = "",
    instruction: OpinionOutcome | None = None,
) -> OpinionOutcome:
    """Record what this level did: adopted, a leader's instruction, its handling, media use."""
    require(permissions.can_record_outcome(actor, report))
    if kind not in OUTCOME_REQUIRED:
        raise ValidationError({"kind": _("Choose the kind of outcome.")})
    values = {"publication": publication.strip(), "person": person.strip(),
              "person_level": person_level.strip(), "text": text.strip(),
              "department": department.strip(), "reply": reply.strip()}
    errors = {f: _("This field is required.") for f in OUTCOME_REQUIRED[kind] if not values[f]}
    if kind == OpinionOutcome.Kind.ADOPTED and bulletin is None and not values["publication"]:
        errors["publication"] = _("Name the bulletin or publication that adopted it.")
    if bulletin is not None and bulletin.committee_id != report.committee_id:
        errors["bulletin"] = _("Choose a bulletin of this committee.")
    if instruction is not None and (instruction.kind != OpinionOutcome.Kind.INSTRUCTION
                                    or instruction.report_id != report.pk):
        errors["instruction"] = _("Choose a leader's instruction on this report.")
    if errors:
        raise ValidationError(errors)
    return _create_outcome(actor=actor, report=report, kind=kind,
                           date=date or clock.today(), bulletin=bulletin,
                           instruction=instruction, **values)


# --- bulletins ------------------------------------------------------------------

@transaction.atomic
def bulletin_create(
    *, actor: Actor, kind: str, reports: Sequence[OpinionReport], recipients: str | None = None,
    editor_name: str = "", year: int | None = None,
) -> Bulletin:
    require(permissions.can_manage_bulletins(actor))
    committee = actor.committee
    assert committee is not None
    if kind not in Bulletin.Kind.values:
        raise ValidationError({"kind": _("Choose single or digest.")})
    wanted = list(dict.fromkeys(r.pk for r in reports))
    fresh = OpinionReport.objects.select_for_update().in_bulk(wanted)
    reports = [fresh[pk] for pk in wanted if pk in fresh]
    if kind == Bulletin.Kind.SINGLE and len(reports) != 1:
        raise ValidationError({"reports": _(
            "A single-report bulletin carries exactly one report.")})
    if kind == Bulletin.Kind.DIGEST and len(reports) < 2:
        raise ValidationError({"reports": _("A digest carries at least two reports.")})
    for report in reports:
        if report.committee_id != committee.pk or report.status != S.SIGNED_OFF:
            raise ValidationError({"reports": _(
                "“%(t)s” is not a signed-off report of this committee.") % {"t": report.title}})
    # Lock the committee row so that two editors never take the same issue number.
    Committee.objects.select_for_update().get(pk=committee.pk)
    year = year or clock.today().year
    last = Bulletin.objects.filter(committee=committee, year=year).aggregate(
        n=Max("number"))["n"] or 0
    if recipients is None:
        recipients = "、".join(BulletinRecipient.objects.filter(
            committee=committee, is_active=True).values_list("name", flat=True))
    bulletin = Bulletin.objects.create(
        committee=committee, year=year, number=last + 1, kind=kind, recipients=recipients,
        editor_name=editor_name or actor_label(actor), created_by=actor.user)
    BulletinItem.objects.bulk_create([
        BulletinItem(committee=committee, bulletin=bulletin, report=r, order=i)
        for i, r in enumerate(reports)])
    audit.record(actor, "bulletin.create", bulletin, after={
        **audit.snapshot(bulletin), "reports": [r.pk for r in reports]})
    return bulletin


@transaction.atomic
def bulletin_delete(*, actor: Actor, bulletin: Bulletin) -> None:
    require(permissions.can_manage_bulletins(actor) and actor.acts_in(bulletin))
    if bulletin.status != Bulletin.Status.DRAFT:
        raise ValidationError(_("A published bulletin cannot be deleted."))
    audit.record(actor, "bulletin.delete", bulletin, before=audit.snapshot(bulletin))
    bulletin.items.all().delete()
    bulletin.delete()


@transaction.atomic
def bulletin_publish(*, actor: Actor, bulletin: Bulletin) -> Bulletin:
    """Publish: each report becomes published and is recorded as adopted at this level."""
    require(permissions.can_manage_bulletins(actor) and actor.acts_in(bulletin))
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.status != Bulletin.Status.DRAFT:
        raise ValidationError(_("This bulletin has already been published."))
    now = clock.now()
    for item in locked.items.select_related("report__committee", "report__root"):
        report = transition(workflow.REPORT, actor=actor, obj=item.report, step="publish",
                            version=None,
                            data=step_input(workflow.OpinionNoteIn, note=locked.label))
        _create_outcome(actor=actor, report=report, kind=OpinionOutcome.Kind.ADOPTED,
                        date=clock.today(), bulletin=locked, publication=locked.label)
    locked.status = Bulletin.Status.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at"])
    audit.record(actor, "bulletin.publish", locked, after={"published_at": now})
    return locked


@transaction.atomic
def bulletin_send(*, actor: Actor, bulletin: Bulletin) -> Bulletin:
    """Send a published bulletin to the configured recipients and the committee's leaders."""
    require(permissions.can_manage_bulletins(actor) and actor.acts_in(bulletin))
    if bulletin.status != Bulletin.Status.PUBLISHED:
        raise ValidationError(_("Publish the bulletin before sending it."))
    users = [r.user for r in BulletinRecipient.objects.filter(
        committee=bulletin.committee, is_active=True, user__isnull=False).select_related("user")
        if r.user is not None]
    users += role_users(bulletin.committee, Role.LEADER)
    if not users:
        raise ValidationError(_("No recipients with an account are configured."))
    bulletin.sent_at = clock.now()
    bulletin.save(update_fields=["sent_at"])
    notify_on_commit(recipients=users, committee=bulletin.committee, title=bulletin.label,
                     body="；".join(bulletin.reports.values_list("title", flat=True)),
                     url=bulletin.get_absolute_url())
    audit.record(actor, "bulletin.send", bulletin, after={"recipients": [u.pk for u in users]})
    return bulletin


@transaction.atomic
def recipient_create(*, actor: Actor, name: str, user: User | None = None) -> BulletinRecipient:
    require(permissions.can_manage_bulletins(actor))
    assert actor.committee is not None
    if not name.strip():
        raise ValidationError({"name": _("This field is required.")})
    row = BulletinRecipient.objects.create(committee=actor.committee, name=name.strip()[:100],
                                           user=user)
    audit.record(actor, "bulletin_recipient.create", row, after=audit.snapshot(row))
    return row


# --- correspondents ---------------------------------------------------------------

@transaction.atomic
def correspondent_create(*, actor: Actor, user: User, name: str,
                         organisation: str = "") -> Correspondent:
    require(permissions.can_manage_correspondents(actor))
    assert actor.committee is not None
    if not name.strip():
        raise ValidationError({"name": _("This field is required.")})
    row, created = Correspondent.objects.get_or_create(
        committee=actor.committee, user=user,
        defaults={"name": name.strip()[:50], "organisation": organisation.strip()[:100]})
    if not created:
        row.name, row.organisation, row.is_active = name.strip()[:50], organisation[:100], True
        row.save(update_fields=["name", "organisation", "is_active"])
    audit.record(actor, "correspondent.create", row, after=audit.snapshot(row))
    _correspondent_role(actor, row, active=True)
    return row


def _correspondent_role(actor: Actor, row: Correspondent, *, active: bool) -> None:
    """The correspondent's role in the committee: what lets the account log in here, land on
    a home with its reports and the menu to submit one (granted and withdrawn with the row)."""
    role, _created = RoleAssignment.objects.get_or_create(
        user_id=row.user_id, committee_id=row.committee_id, role=Role.CORRESPONDENT,
        defaults={"is_active": active})
    if role.is_active != active:
        role.is_active = active
        role.save(update_fields=["is_active"])
    audit.record(actor, "role.grant" if active else "role.revoke", role,
                 after=audit.snapshot(role))


@transaction.atomic
def correspondent_set_active(*, actor: Actor, correspondent: Correspondent,
                             active: bool) -> Correspondent:
    require(permissions.can_manage_correspondents(actor) and actor.acts_in(correspondent))
    before = audit.snapshot(correspondent, ["is_active"])
    correspondent.is_active = active
    correspondent.save(update_fields=["is_active"])
    audit.record(actor, "correspondent.update", correspondent, before=before,
                 after={"is_active": active})
    _correspondent_role(actor, correspondent, active=active)
    return correspondent


# --- public topics ------------------------------------------------------------------

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    """12 characters from 32 symbols: 60 random bits, unguessable, easy to read aloud."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))


def _rate_key(committee: Committee, ip: str | None) -> str:
    return f"opinions:topics:{committee.pk}:{ip or 'unknown'}"


@transaction.atomic
def topic_raise(
    *, committee: Committee, title: str, description: str, name: str, phone: str,
    place: str = "", ip: str | None = None,
) -> Topic:
    """A resident raises a topic on the public page (no login; limited per address)."""
    limit = int(policy.get(committee, TOPICS_PER_IP_HOUR))
    key = _rate_key(committee, ip)
    if counters.get(key) >= limit:
        raise ValidationError(_("Too many topics from your network in the last hour; please try "
                                "again later."), code="rate_limited")
    values = {"title": title.strip(), "description": description.strip(), "name": name.strip(),
              "place": place.strip()}
    digits = "".join(c for c in phone if c.isdigit())
    errors: dict[str, str] = {}
    for field, limit_chars in (("title", 100), ("description", 2000), ("name", 50)):
        if not values[field]:
            errors[field] = _("This field is required.")
        elif len(values[field]) > limit_chars:
            errors[field] = _("At most %(n)s characters.") % {"n": limit_chars}
    if len(values["place"]) > 100:
        errors["place"] = _("At most %(n)s characters.") % {"n": 100}
    if not 7 <= len(digits) <= 15:
        errors["phone"] = _("Enter a phone number we can reach you at.")
    if errors:
        raise ValidationError(errors)
    # Counted in the database, shared by every worker process, in this transaction (a topic
    # that is not saved is not counted); the row lock makes two requests at once wait.
    if counters.add(key, seconds=3600) > limit:
        raise ValidationError(_("Too many topics from your network in the last hour; please try "
                                "again later."), code="rate_limited")
    code = new_tracking_code()
    while Topic.objects.filter(tracking_code=code).exists():  # pragma: no cover - 2**-60
        code = new_tracking_code()
    topic = Topic.objects.create(committee=committee, phone=digits, ip=ip, tracking_code=code,
                                 **values)
    system = Actor(user=None, committee=committee, ip=ip, system=True)
    audit.record(system, "topic.raise", topic, after=audit.snapshot(topic, ["title", "place"]))
    notify_on_commit(recipients=role_users(committee, Role.STAFF_OFFICE, Role.STAFF_COMMITTEE),
                     committee=committee,
                     title=_("New topic from the public: %(t)s") % {"t": topic.title},
                     url=topic.get_absolute_url())
    return topic


@transaction.atomic
def topic_link_consultation(*, actor: Actor, topic: Topic, consultation: models.Model) -> Topic:
    """Link the record of the grassroots consultation held on this topic (the step
    start_consultation links the activity it creates the same way)."""
    require(permissions.can_act_on_topic(actor, topic) or actor.system)
    fields = workflow.consultation_fields(topic, consultation)
    for name, value in fields.items():
        setattr(topic, name, value)
    topic.save(update_fields=list(fields))
    audit.record(actor, "topic.link", topic, after={
        "consultation": f"{fields['consultation_type'].app_label}.{consultation.pk}"})
    return topic
