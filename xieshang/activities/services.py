"""Every write of the activities app: one transaction, a permission check and an audit row each."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.activities import permissions, reading, selectors, workflow
from xieshang.activities.models import (
    UNITS_REQUIRED,
    Activity,
    ActivityFile,
    ActivityType,
    AnnualPlan,
    Invitation,
    LearningMaterial,
    PlanItem,
    QrRedemption,
    QrWindow,
    ReadingRecord,
    Speech,
    Suggestion,
)
from xieshang.activities.types import DEFAULT_TYPES
from xieshang.core import audit, clock, policy, spreadsheets, uploads
from xieshang.core.models import Committee
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor, require
from xieshang.core.uploads import Upload
from xieshang.core.workflow import step_input, transition
from xieshang.members.models import (
    ActivityGroup,
    HandlingUnit,
    Member,
    SpecialCommittee,
    SpecialCommitteeMembership,
)

policy.register("activities.qr_minutes", 30, gettext_lazy("Minutes a sign-in QR code is valid"))
policy.register("activities.late_minutes", 15,
                gettext_lazy("Minutes after the start a sign-in counts as late"))
policy.register("activities.feedback_working_days", 30,
                gettext_lazy("Working days a body has to answer a suggestion"))
policy.register("activities.max_upload_mb", 20, gettext_lazy("Largest activity file (MB)"))

PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".wps", ".ofd",
                       *PHOTO_EXTENSIONS}


def _here(actor: Actor, committee_id: int | None) -> None:
    require(actor.system or (actor.committee is not None and actor.committee.pk == committee_id))


def _same_committee(committee_id: int, *objs: Any) -> None:
    for obj in objs:
        if obj is not None and getattr(obj, "committee_id", committee_id) != committee_id:
            raise ValidationError(_("%(obj)s belongs to another committee.") % {"obj": obj})


# --- activity types ------------------------------------------------------------------------


def activity_types_ensure(committee: Committee) -> dict[str, ActivityType]:
    """Create the default types a committee does not have yet; return all its types by code.

    Seeded lazily (on first use) rather than by a migration or a signal on Committee: a new
    committee needs nothing from this app until it records an activity, and a committee that
    renamed or deactivated a type keeps its choice because only missing codes are added.
    """
    existing = {t.code: t for t in ActivityType.objects.filter(committee=committee)}
    missing = [row for row in DEFAULT_TYPES if row[0] not in existing]
    if missing:
        with translation.override(settings.LANGUAGE_CODE):
            rows = [ActivityType(committee=committee, code=code, label=str(label),
                                 category=category, counts_for_duty=counts, points=points,
                                 order=(i + 1) * 10)
                    for i, (code, label, category, counts, points) in enumerate(DEFAULT_TYPES)
                    if code not in existing]
        ActivityType.objects.bulk_create(rows, ignore_conflicts=True)
        existing = {t.code: t for t in ActivityType.objects.filter(committee=committee)}
    return existing


@transaction.atomic
def activity_type_update(*, actor: Actor, activity_type: ActivityType, label: str | None = None,
                         counts_for_duty: bool | None = None, points: float | None = None,
                         is_active: bool | None = None) -> ActivityType:
    require(permissions.can_configure_types(actor))
    _here(actor, activity_type.committee_id)
    obj = ActivityType.objects.select_for_update().get(pk=activity_type.pk)
    before = audit.snapshot(obj)
    changes = {"label": label, "counts_for_duty": counts_for_duty, "points": points,
               "is_active": is_active}
    fields = [k for k, v in changes.items() if v is not None]
    for k in fields:
        setattr(obj, k, changes[k])
    obj.full_clean()
    obj.save(update_fields=fields)
    b, a = audit.diff(before, audit.snapshot(obj))
    audit.record(actor, "activity_type.update", obj, before=b, after=a)
    return obj


@transaction.atomic
def activity_type_create(*, actor: Actor, committee: Committee, code: str, label: str,
                         category: str, counts_for_duty: bool = True,
                         points: float = 1) -> ActivityType:
    require(permissions.can_configure_types(actor))
    _here(actor, committee.pk)
    obj = ActivityType(committee=committee, code=code, label=label, category=category,
                       counts_for_duty=counts_for_duty, points=points, order=1000)
    obj.full_clean()
    obj.save()
    audit.record(actor, "activity_type.create", obj, after=audit.snapshot(obj))
    return obj


# --- activities ----------------------------------------------------------------------------

ACTIVITY_FIELDS = ("type", "title", "topic", "start", "end", "place", "organiser",
                   "special_committee", "group", "lead", "description", "minutes", "details")


def _check_activity(activity: Activity, units: Sequence[HandlingUnit] | None,
                    materials: Sequence[LearningMaterial] | None) -> None:
    _same_committee(activity.committee_id, activity.type, activity.special_committee,
                    activity.group, activity.lead, *(units or ()), *(materials or ()))
    activity.full_clean()
    if units is not None and activity.type.category in UNITS_REQUIRED and not units:
        raise ValidationError({"units": _("Choose at least one department for a %(type)s.")
                                        % {"type": activity.type.label}})


@transaction.atomic
def activity_create(*, actor: Actor, committee: Committee, type: ActivityType, title: str,
                    start: dt.datetime, end: dt.datetime | None = None,
                    units: Sequence[HandlingUnit] = (),
                    materials: Sequence[LearningMaterial] = (),
                    status: str = Activity.Status.PLANNED, **fields: Any) -> Activity:
    require(permissions.can_manage_activities(actor) or actor.system)
    _here(actor, committee.pk)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    activity = Activity(committee=committee, type=type, title=title, start=start,
                        end=end or start + dt.timedelta(hours=2), status=status,
                        created_by=actor.user, **fields)
    _check_activity(activity, list(units), list(materials))
    activity.save()
    if units:
        activity.units.set(units)
    if materials:
        activity.materials.set(materials)
    audit.record(actor, "activity.create", activity,
                 after={**audit.snapshot(activity), "units": [u.pk for u in units]})
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity,
                    units: Sequence[HandlingUnit] | None = None,
                    materials: Sequence[LearningMaterial] | None = None,
                    **fields: Any) -> Activity:
    require(permissions.can_edit_activity(actor, activity) or actor.system)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    obj = Activity.objects.select_for_update().get(pk=activity.pk)
    before = audit.snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    _check_activity(obj, list(units) if units is not None else list(obj.units.all()),
                    list(materials) if materials is not None else None)
    obj.save()
    if units is not None:
        obj.units.set(units)
    if materials is not None:
        obj.materials.set(materials)
    b, a = audit.diff(before, audit.snapshot(obj))
    audit.record(actor, "activity.update", obj, before=b, after=a)
    return obj


@transaction.atomic
def activity_set_status(*, actor: Actor, activity: Activity, status: str) -> Activity:
    """Mark an activity held (plan items it carries out become done) or cancelled."""
    require(permissions.can_edit_activity(actor, activity) or actor.system)
    if status not in Activity.Status.values:
        raise ValidationError(_("Unknown status."))
    obj = Activity.objects.select_for_update().get(pk=activity.pk)
    before = obj.status
    obj.status = status
    obj.save(update_fields=["status"])
    if status == Activity.Status.HELD:
        PlanItem.objects.filter(activity=obj).update(status=PlanItem.Status.DONE)
    if status == Activity.Status.CANCELLED and before != status:
        users = [i.member.user for i in obj.invitations.select_related("member__user")
                 if i.member.user is not None]
        notify_on_commit(recipients=users, committee=obj.committee,
                         title=_("Cancelled: %(t)s") % {"t": obj.title},
                         url=obj.get_absolute_url())
    audit.record(actor, "activity.status", obj, before={"status": before},
                 after={"status": status})
    return obj


def _check_upload(committee: Committee, kind: str, upload: Upload) -> None:
    allowed = PHOTO_EXTENSIONS if kind == ActivityFile.Kind.PHOTO else DOCUMENT_EXTENSIONS
    uploads.check_upload(upload, allowed=allowed,
                         max_mb=int(policy.get(committee, "activities.max_upload_mb")))


@transaction.atomic
def activity_file_add(*, actor: Actor, activity: Activity, kind: str, title: str,
                      upload: Upload) -> ActivityFile:
    require(permissions.can_edit_activity(actor, activity) or actor.system)
    if kind not in ActivityFile.Kind.values:
        raise ValidationError(_("Unknown kind of file."))
    _check_upload(activity.committee, kind, upload)
    row = ActivityFile(committee_id=activity.committee_id, activity=activity, kind=kind,
                       title=title.strip() or Path(upload.name or "").stem, size=upload.size or 0,
                       uploaded_by=actor.user)
    row.file.save(Path(upload.name or "file").name, upload, save=False)
    row.full_clean()
    row.save()
    audit.record(actor, "activity.file_add", row, after={"kind": kind, "title": row.title,
                                                          "size": row.size})
    return row


# --- invitations, leave, attendance --------------------------------------------------------


def _serving(committee_id: int) -> Any:
    return Member.objects.filter(committee_id=committee_id, status=Member.Status.ACTIVE)


@transaction.atomic
def invitations_send(*, actor: Actor, activity: Activity, members: Iterable[Member] = (),
                     sector_ids: Iterable[int] = (), special_committee_ids: Iterable[int] = (),
                     group_ids: Iterable[int] = (), everyone: bool = False,
                     notify_members: bool = True) -> list[Invitation]:
    """Invite members by list, sector, special committee, group or all; returns new invitations.

    Members already invited are skipped, so sending twice invites nobody twice.
    """
    require(permissions.can_edit_activity(actor, activity) or actor.system)
    cid = activity.committee_id
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("The activity is cancelled."))
    listed = list(members)
    _same_committee(cid, *listed)
    sector_ids, special_committee_ids, group_ids = (
        list(sector_ids), list(special_committee_ids), list(group_ids))
    q = Q(pk__in=[m.pk for m in listed])
    if everyone:
        q |= Q(pk__isnull=False)
    if sector_ids:
        q |= Q(sector_id__in=sector_ids)
    if special_committee_ids:
        q |= Q(pk__in=SpecialCommitteeMembership.objects.filter(
            committee_id=cid, special_committee_id__in=special_committee_ids,
            end_date__isnull=True).values("member_id"))
    if group_ids:
        q |= Q(groups__in=ActivityGroup.objects.filter(committee_id=cid, pk__in=group_ids))
    targets = list(_serving(cid).filter(q).exclude(
        pk__in=Invitation.objects.filter(activity=activity).values("member_id")
    ).select_related("user"))
    if not targets:
        return []
    now = clock.now()
    rows = Invitation.objects.bulk_create(
        [Invitation(committee_id=cid, activity=activity, member=m, invited_at=now)
         for m in targets])
    audit.record(actor, "activity.invite", activity,
                 after={"members": [m.pk for m in targets], "sectors": sector_ids,
                        "special_committees": special_committee_ids, "groups": group_ids,
                        "everyone": everyone})
    if notify_members:
        notify_on_commit(
            recipients=[m.user for m in targets], committee=activity.committee,
            title=_("Invitation: %(t)s") % {"t": activity.title},
            body=_("%(when)s, %(place)s. Please confirm or ask for leave.")
            % {"when": timezone.localtime(activity.start).strftime("%Y-%m-%d %H:%M"),
               "place": activity.place},
            url=reverse("activities:my-invitations"), sms=True)
    return rows


def invitation_reply(*, actor: Actor, invitation: Invitation, action: str,
                     reason: str = "", version: int | None = None) -> Invitation:
    """The member confirms (``confirm``) or asks for leave (``request_leave``, with a reason)."""
    if action not in ("confirm", "request_leave"):
        raise ValidationError(_("Unknown reply."))
    schema = workflow.INVITATION.steps[action].input
    return transition(workflow.INVITATION, actor=actor, obj=invitation, step=action,
                      version=version, data=step_input(schema, reason=reason))


def leave_decide(*, actor: Actor, invitation: Invitation, approve: bool, note: str = "",
                 version: int | None = None) -> Invitation:
    return transition(workflow.INVITATION, actor=actor, obj=invitation,
                      step="approve_leave" if approve else "refuse_leave", version=version,
                      data=step_input(workflow.InvitationNoteIn, note=note))


# Members arrive and sign in before the start: attendance may be recorded from this long before.
ATTENDANCE_OPENS = dt.timedelta(hours=1)


def attendance_open(activity: Activity) -> None:
    """Refuse attendance on an activity that is cancelled or has not begun (attendance records
    what happened; an activity weeks ahead has no attendance yet)."""
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("The activity is cancelled; no attendance is recorded."),
                              code="cancelled")
    if clock.now() < activity.start - ATTENDANCE_OPENS:
        raise ValidationError(
            _("“%(t)s” has not begun yet (it starts %(when)s); attendance can be recorded from "
              "one hour before the start.")
            % {"t": activity.title,
               "when": timezone.localtime(activity.start).strftime("%Y-%m-%d %H:%M")},
            code="not_started")


@transaction.atomic
def attendance_record(*, actor: Actor, invitation: Invitation, attendance: str,
                      source: str = Invitation.Source.STAFF) -> Invitation:
    require(permissions.can_edit_activity(actor, invitation.activity) or actor.system)
    if attendance not in Invitation.Attendance.values:
        raise ValidationError(_("Unknown attendance value."))
    attendance_open(invitation.activity)
    inv = Invitation.objects.select_for_update().get(pk=invitation.pk)
    before = inv.attendance
    inv.attendance = attendance
    inv.attendance_source = source if attendance else ""
    if attendance in (Invitation.Attendance.ATTENDED, Invitation.Attendance.LATE):
        inv.signed_in_at = inv.signed_in_at or clock.now()
    inv.save(update_fields=["attendance", "attendance_source", "signed_in_at"])
    audit.record(actor, "invitation.attendance", inv, before={"attendance": before},
                 after={"attendance": attendance, "source": source})
    return inv


ATTENDANCE_WORDS = {
    "出席": Invitation.Attendance.ATTENDED, "参加": Invitation.Attendance.ATTENDED,
    "已签到": Invitation.Attendance.ATTENDED, "attended": Invitation.Attendance.ATTENDED,
    "迟到": Invitation.Attendance.LATE, "late": Invitation.Attendance.LATE,
    "缺席": Invitation.Attendance.ABSENT, "absent": Invitation.Attendance.ABSENT,
}


ATTENDANCE_LIMITS = spreadsheets.Limits(compressed_bytes=5 * 1024 * 1024,
                                       unpacked_bytes=20 * 1024 * 1024, rows=5_000,
                                       columns=20, seconds=10.0)


def attendance_import(*, actor: Actor, activity: Activity, fh: IO[bytes]) -> int:
    """Import attendance from an .xlsx sheet with columns 姓名, 手机 (optional), 出勤.

    The file is read first, through the one spreadsheet reader (``core.spreadsheets``: size,
    unpacked size, rows, columns and time limited), outside any transaction; then all rows are
    written in one transaction, or none: any unknown member or value stops the import with
    every problem listed.
    """
    require(permissions.can_edit_activity(actor, activity) or actor.system)
    attendance_open(activity)
    try:
        rows = spreadsheets.read_rows(
            fh.read(ATTENDANCE_LIMITS.compressed_bytes + 1), ATTENDANCE_LIMITS)
    except spreadsheets.Refused as exc:
        raise ValidationError(exc.message) from None
    if not rows:
        raise ValidationError(_("The sheet is empty."))
    header = [str(c or "").strip() for c in rows[0]]
    try:
        name_col, value_col = header.index("姓名"), header.index("出勤")
    except ValueError as exc:
        raise ValidationError(_("The first row must have the columns 姓名 and 出勤.")) from exc
    phone_col = header.index("手机") if "手机" in header else None
    invitations = list(activity.invitations.select_related("member"))
    errors: list[str] = []
    updates: list[tuple[Invitation, Invitation.Attendance]] = []
    for n, row in enumerate(rows[1:], start=2):
        name = str(row[name_col] or "").strip()
        if not name:
            continue
        phone = str(row[phone_col] or "").strip() if phone_col is not None else ""
        found = ATTENDANCE_WORDS.get(str(row[value_col] or "").strip().lower())
        matches = [i for i in invitations if i.member.name == name
                   and (not phone or i.member.phone == phone)]
        if found is None:
            errors.append(_("Row %(n)s: attendance must be 出席, 迟到 or 缺席.") % {"n": n})
        elif len(matches) != 1:
            errors.append(_("Row %(n)s: %(name)s is not (or not uniquely) among the invited.")
                          % {"n": n, "name": name})
        else:
            updates.append((matches[0], found))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for inv, value in updates:
            attendance_record(actor=actor, invitation=inv, attendance=value,
                              source=Invitation.Source.IMPORT)
    return len(updates)


# --- QR sign-in ----------------------------------------------------------------------------

QR_SALT = "xieshang.activities.qr"


class QrRefused(ValidationError):  # noqa: N818 - a refusal, shown to the member as is
    """A QR sign-in that is refused; ``reason`` is one of expired/tampered/closed/…"""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, code=reason)
        self.reason = reason


# A rotated code still signs in for this long (a member who scanned just before the change).
QR_GRACE = dt.timedelta(seconds=60)


@transaction.atomic
def qr_window_open(*, actor: Actor, activity: Activity) -> tuple[QrWindow, str]:
    """Show a new sign-in code (the display rotates by opening a new window every minute).

    Rotating ends the codes shown before, after QR_GRACE: a photo of an old code passed
    around does not sign anyone in for the rest of its window."""
    require(permissions.can_edit_activity(actor, activity))
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("The activity is cancelled."))
    minutes = int(policy.get(activity.committee, "activities.qr_minutes"))
    now = clock.now()
    QrWindow.objects.filter(activity=activity, closed_at__isnull=True,
                            expires_at__gt=now + QR_GRACE).update(expires_at=now + QR_GRACE)
    window = QrWindow.objects.create(committee_id=activity.committee_id, activity=activity,
                                     nonce=secrets.token_urlsafe(16), opened_by=actor.user,
                                     created_at=now,
                                     expires_at=now + dt.timedelta(minutes=minutes))
    token = signing.TimestampSigner(salt=QR_SALT).sign_object(
        {"a": activity.pk, "n": window.nonce})
    audit.record(actor, "activity.qr_open", activity, after={"window": window.pk})
    return window, token


@transaction.atomic
def qr_windows_close(*, actor: Actor, activity: Activity) -> int:
    require(permissions.can_edit_activity(actor, activity))
    closed = QrWindow.objects.filter(activity=activity, closed_at__isnull=True).update(
        closed_at=clock.now())
    audit.record(actor, "activity.qr_close", activity, after={"closed": closed})
    return closed


def _qr_window(token: str) -> QrWindow:
    signer = signing.TimestampSigner(salt=QR_SALT)
    try:
        # The signature's own age check first; the window's expiry below covers rotation.
        data = signer.unsign_object(token, max_age=dt.timedelta(hours=12))
    except signing.SignatureExpired as exc:
        raise QrRefused("expired", _("This sign-in code has expired. Scan the code shown now "
                                     "at the venue.")) from exc
    except signing.BadSignature as exc:
        raise QrRefused("tampered", _("This sign-in code is not valid.")) from exc
    window = (QrWindow.objects.select_related("activity__committee")
              .filter(nonce=data.get("n"), activity_id=data.get("a")).first())
    if window is None:
        raise QrRefused("tampered", _("This sign-in code is not valid."))
    if window.closed_at is not None:
        raise QrRefused("closed", _("Sign-in for this activity is closed."))
    if window.expires_at <= clock.now():
        raise QrRefused("expired", _("This sign-in code has expired. Scan the code shown now "
                                     "at the venue."))
    return window


def qr_activity(token: str) -> Activity | None:
    """The activity a genuine code names, however old or closed its window (None for a code
    that is not genuine): to tell a member who is signed in already, never to sign in."""
    try:
        data = signing.TimestampSigner(salt=QR_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    window = (QrWindow.objects.select_related("activity")
              .filter(nonce=data.get("n"), activity_id=data.get("a")).first())
    return window.activity if window else None


def qr_peek(token: str) -> Activity:
    """The activity a token is for (raises QrRefused), to show before the member confirms."""
    return _qr_window(token).activity


@transaction.atomic
def qr_sign_in(*, actor: Actor, token: str) -> Invitation:
    """A logged-in member scanned the code: mark them attended (or late).

    Refused: expired or tampered codes, closed sign-in, members of another committee, members
    not invited, and a code the same member has already used (that refusal changes nothing, so
    scanning twice never makes two records).
    """
    window = _qr_window(token)
    activity = window.activity
    if not actor.acts_in(activity):
        raise QrRefused("other_committee", _("This code belongs to another committee; switch "
                                             "to it first."))
    if actor.member_id is None:
        raise QrRefused("not_member", _("Only members sign in by QR code."))
    if activity.status == Activity.Status.CANCELLED:
        raise QrRefused("cancelled", _("The activity is cancelled."))
    if clock.now() < activity.start - ATTENDANCE_OPENS:
        raise QrRefused("not_started", _("“%(t)s” has not begun yet; sign in from one hour "
                                         "before the start.") % {"t": activity.title})
    invitation = (Invitation.objects.select_for_update()
                  .filter(activity=activity, member_id=actor.member_id).first())
    if invitation is None:
        raise QrRefused("not_invited", _("You are not on the list of invited members for "
                                         "“%(t)s”. Please see the staff at the desk.")
                        % {"t": activity.title})
    try:
        with transaction.atomic():
            QrRedemption.objects.create(committee_id=activity.committee_id, window=window,
                                        member_id=actor.member_id)
    except IntegrityError as exc:
        raise QrRefused("reused", _("You have already used this code; you are signed in.")
                        ) from exc
    if invitation.present:
        return invitation  # signed in already with an earlier code: nothing to change
    now = clock.now()
    late = now > activity.start + dt.timedelta(
        minutes=int(policy.get(activity.committee, "activities.late_minutes")))
    invitation.attendance = (Invitation.Attendance.LATE if late
                             else Invitation.Attendance.ATTENDED)
    invitation.attendance_source = Invitation.Source.QR
    invitation.signed_in_at = now
    invitation.save(update_fields=["attendance", "attendance_source", "signed_in_at"])
    audit.record(actor, "invitation.qr_sign_in", invitation,
                 after={"attendance": invitation.attendance, "window": window.pk})
    return invitation


# --- speeches ------------------------------------------------------------------------------


@transaction.atomic
def speech_submit(*, actor: Actor, activity: Activity, title: str, text: str) -> Speech:
    """A written speech, from an invited member, before the activity starts."""
    invitation = Invitation.objects.filter(activity=activity, member_id=actor.member_id).first() \
        if actor.member_id else None
    require(permissions.can_submit_speech(actor, invitation),
            _("Only invited members may submit a speech."))
    if activity.status != Activity.Status.PLANNED or activity.start <= clock.now():
        raise ValidationError(_("Speeches are accepted only before the activity starts."))
    if not title.strip() or not text.strip():
        raise ValidationError(_("Give the title and the text of the speech."))
    assert actor.member_id is not None
    speech = Speech.objects.create(committee_id=activity.committee_id, activity=activity,
                                   member_id=actor.member_id, title=title.strip()[:200],
                                   text=text.strip())
    audit.record(actor, "speech.submit", speech, after={"title": speech.title})
    return speech


@transaction.atomic
def speech_mark_oral(*, actor: Actor, speech: Speech, is_oral: bool = True) -> Speech:
    require(permissions.can_edit_activity(actor, speech.activity))
    speech.is_oral = is_oral
    speech.save(update_fields=["is_oral"])
    audit.record(actor, "speech.oral", speech, after={"is_oral": is_oral})
    return speech


# --- the suggestion ledger -----------------------------------------------------------------


@transaction.atomic
def suggestion_record(*, actor: Actor, activity: Activity, text: str,
                      recipient_unit: HandlingUnit | None = None, recipient_body: str = "",
                      document: ActivityFile | None = None) -> Suggestion:
    require((permissions.can_keep_ledger(actor) and actor.acts_in(activity))
            or actor.system)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Enter the suggestion.")})
    _same_committee(activity.committee_id, recipient_unit, document)
    if document is not None and document.activity_id != activity.pk:
        raise ValidationError(_("The report belongs to another activity."))
    row = Suggestion.objects.create(
        committee_id=activity.committee_id, activity=activity, text=text,
        recipient_unit=recipient_unit, recipient_body=recipient_body.strip()[:100],
        document=document, created_by=actor.user)
    audit.record(actor, "suggestion.record", row, after=audit.snapshot(row))
    return row


def suggestion_send(*, actor: Actor, suggestion: Suggestion, sent_on: dt.date,
                    recipient_unit: HandlingUnit | None = None,
                    recipient_body: str | None = None, version: int | None = None) -> Suggestion:
    return transition(workflow.SUGGESTION, actor=actor, obj=suggestion, step="send",
                      version=version, data=step_input(
                          workflow.SuggestionSendIn, sent_on=sent_on,
                          recipient_unit_id=recipient_unit.pk if recipient_unit else None,
                          recipient_body=recipient_body))


def suggestion_answer(*, actor: Actor, suggestion: Suggestion, feedback: str,
                      feedback_on: dt.date | None = None,
                      version: int | None = None) -> Suggestion:
    return transition(workflow.SUGGESTION, actor=actor, obj=suggestion, step="answer",
                      version=version, data=step_input(workflow.SuggestionAnswerIn,
                                                       feedback=feedback, feedback_on=feedback_on))


def suggestion_assess(*, actor: Actor, suggestion: Suggestion, adoption: str,
                      follow_up: str = "", version: int | None = None) -> Suggestion:
    return transition(workflow.SUGGESTION, actor=actor, obj=suggestion, step="assess",
                      version=version, data=step_input(workflow.SuggestionAssessIn,
                                                       adoption=adoption, follow_up=follow_up))


@transaction.atomic
def suggestion_follow_up(*, actor: Actor, suggestion: Suggestion, follow_up: str) -> Suggestion:
    require(permissions.can_keep_ledger(actor) and actor.acts_in(suggestion))
    if suggestion.status not in (Suggestion.Status.ANSWERED, Suggestion.Status.CLOSED):
        raise ValidationError(_("Follow-up is recorded after the feedback has come."))
    row = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    before = row.follow_up
    row.follow_up = follow_up.strip()
    row.save(update_fields=["follow_up"])
    audit.record(actor, "suggestion.follow_up", row, before={"follow_up": before},
                 after={"follow_up": row.follow_up})
    return row


@transaction.atomic
def suggestion_remind(*, actor: Actor, suggestion: Suggestion) -> Suggestion:
    """Remind the department of a sent item that has had no feedback."""
    require(actor.system or (permissions.can_keep_ledger(actor)
                             and actor.acts_in(suggestion)))
    if suggestion.status != Suggestion.Status.SENT:
        raise ValidationError(_("Only items waiting for feedback can be reminded."))
    row = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    row.last_reminded_at = clock.now()
    row.save(update_fields=["last_reminded_at"])
    if row.recipient_unit is not None:
        notify_on_commit(recipients=workflow.unit_users(row, row.recipient_unit),
                         committee=row.activity.committee,
                         title=_("Reminder: feedback due %(d)s") % {"d": row.deadline},
                         body=row.text[:300], url=row.get_absolute_url())
    notify_on_commit(recipients=[row.created_by], committee=row.activity.committee,
                     title=_("Ledger item overdue: %(t)s") % {"t": row},
                     url=row.get_absolute_url())
    audit.record(actor, "suggestion.remind", row)
    return row


def remind_overdue(committee: Committee, today: dt.date | None = None) -> int:
    """Remind every overdue item not reminded in the last 7 days (run daily by a task)."""
    today = today or clock.today()
    actor = Actor.for_system(committee)
    week_ago = clock.now() - dt.timedelta(days=7)
    rows = Suggestion.objects.filter(committee=committee, status=Suggestion.Status.SENT,
                                     deadline__lt=today).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=week_ago)
    ).select_related("recipient_unit", "activity__committee", "created_by")
    count = 0
    for row in rows:
        suggestion_remind(actor=actor, suggestion=row)
        count += 1
    return count


# --- annual plan ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Actor, committee: Committee, year: int, title: str) -> AnnualPlan:
    require(permissions.can_manage_plan(actor) or actor.system)
    _here(actor, committee.pk)
    if AnnualPlan.objects.filter(committee=committee, year=year).exists():
        raise ValidationError(_("There is already a plan for %(y)s.") % {"y": year})
    plan = AnnualPlan(committee=committee, year=year, title=title.strip())
    plan.full_clean()
    plan.save()
    audit.record(actor, "plan.create", plan, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def plan_item_add(*, actor: Actor, plan: AnnualPlan, type: ActivityType, topic: str,
                  planned_month: int, lead_special_committee: SpecialCommittee | None = None,
                  lead: Member | None = None,
                  units: Sequence[HandlingUnit] = ()) -> PlanItem:
    require((permissions.can_manage_plan(actor) and actor.acts_in(plan))
            or actor.system)
    if plan.status == AnnualPlan.Status.APPROVED:
        raise ValidationError(_("The plan is approved; items can only be moved or linked."))
    _same_committee(plan.committee_id, type, lead_special_committee, lead, *units)
    item = PlanItem(committee_id=plan.committee_id, plan=plan, type=type, topic=topic.strip(),
                    planned_month=planned_month, lead_special_committee=lead_special_committee,
                    lead=lead)
    item.full_clean()
    item.save()
    if units:
        item.units.set(units)
    audit.record(actor, "plan.item_add", item, after=audit.snapshot(item))
    return item


@transaction.atomic
def plan_approve(*, actor: Actor, plan: AnnualPlan, approved_on: dt.date,
                 meeting: Activity | None = None) -> AnnualPlan:
    """Record that the chair meeting approved the plan (a leader records it)."""
    require((permissions.can_approve_plan(actor) and actor.acts_in(plan))
            or actor.system)
    row = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if row.status == AnnualPlan.Status.APPROVED:
        raise ValidationError(_("The plan is already approved."))
    if not row.items.exists():
        raise ValidationError(_("The plan has no items."))
    if meeting is not None:
        _same_committee(row.committee_id, meeting)
        if meeting.type.code != "chair_meeting":
            raise ValidationError(_("Approval is given at a chair meeting."))
    row.status = AnnualPlan.Status.APPROVED
    row.approved_on = approved_on
    row.approved_by = actor.user
    row.approval_meeting = meeting
    row.save(update_fields=["status", "approved_on", "approved_by", "approval_meeting"])
    audit.record(actor, "plan.approve", row, after={"approved_on": approved_on,
                                                     "meeting": meeting.pk if meeting else None})
    return row


@transaction.atomic
def plan_item_link(*, actor: Actor, item: PlanItem, activity: Activity) -> PlanItem:
    """The activity that carries out the item; done once the activity has been held."""
    require((permissions.can_manage_plan(actor) and actor.acts_in(item))
            or actor.system)
    _same_committee(item.committee_id, activity)
    row = PlanItem.objects.select_for_update().get(pk=item.pk)
    row.activity = activity
    row.status = (PlanItem.Status.DONE if activity.status == Activity.Status.HELD
                  else PlanItem.Status.PENDING)
    row.save(update_fields=["activity", "status"])
    audit.record(actor, "plan.item_link", row, after={"activity": activity.pk,
                                                       "status": row.status})
    return row


@transaction.atomic
def plan_item_move(*, actor: Actor, item: PlanItem, to_month: int | None, note: str) -> PlanItem:
    require(permissions.can_manage_plan(actor) and actor.acts_in(item))
    if not note.strip():
        raise ValidationError({"note": _("Say where the item moved and why.")})
    row = PlanItem.objects.select_for_update().get(pk=item.pk)
    if row.status == PlanItem.Status.DONE:
        raise ValidationError(_("The item is done."))
    row.status = PlanItem.Status.MOVED
    row.moved_note = note.strip()[:200]
    fields = ["status", "moved_note"]
    if to_month is not None:
        if not 1 <= to_month <= 12:
            raise ValidationError({"to_month": _("Enter a month from 1 to 12.")})
        row.planned_month = to_month
        fields.append("planned_month")
    row.save(update_fields=fields)
    audit.record(actor, "plan.item_move", row, after={"note": row.moved_note,
                                                       "month": row.planned_month})
    return row


# --- learning ------------------------------------------------------------------------------


@transaction.atomic
def material_create(*, actor: Actor, committee: Committee, title: str, url: str = "",
                    text: str = "", upload: Upload | None = None,
                    audience: str = LearningMaterial.Audience.ALL,
                    published_on: dt.date | None = None) -> LearningMaterial:
    require(permissions.can_manage_activities(actor) or actor.system)
    _here(actor, committee.pk)
    row = LearningMaterial(committee=committee, title=title.strip(), url=url.strip(),
                           text=text, audience=audience, created_by=actor.user,
                           published_on=published_on or clock.today())
    if upload is not None:
        _check_upload(committee, ActivityFile.Kind.ATTACHMENT, upload)
        row.file.save(Path(upload.name or "file").name, upload, save=False)
    row.full_clean()
    row.save()
    audit.record(actor, "material.create", row, after={"title": row.title})
    return row


def _reader(actor: Actor, material: LearningMaterial) -> int:
    """The member id of an actor who may read ``material`` (its visible selector decides)."""
    require(actor.member_id is not None and actor.acts_in(material),
            _("Only members keep reading records."))
    if not selectors.visible_materials(actor).filter(pk=material.pk).exists():
        raise PermissionDenied(_("This material is not for you."))
    assert actor.member_id is not None
    return actor.member_id


@transaction.atomic
def reading_record(*, actor: Actor, material: LearningMaterial,
                   marked_read: bool = False) -> ReadingRecord:
    """A member opened (or marked as read) a material: one row per member. Time is added only
    by :func:`reading_report`."""
    member_id = _reader(actor, material)
    row, created = ReadingRecord.objects.select_for_update().get_or_create(
        material=material, member_id=member_id,
        defaults={"committee_id": material.committee_id, "marked_read": marked_read})
    if marked_read and not row.marked_read:
        row.marked_read = True
        row.save(update_fields=["marked_read"])
    if created or marked_read:
        audit.record(actor, "material.read", row, after={"seconds": row.seconds,
                                                          "marked_read": row.marked_read})
    return row


@transaction.atomic
def reading_report(*, actor: Actor, material: LearningMaterial, token: str,
                   seconds: int | None = None, marked_read: bool = False
                   ) -> ReadingRecord | None:
    """Reading time (and "mark as read") reported by the reader's page or an API client.

    Time counts only against the signed token of the actor's own opening of this material
    (``reading.token_for``), at most the time since that opening and only once per opening
    (``reading.credit``), and a member's total on one material stops at
    ``reading.MAX_MATERIAL_SECONDS``. A forged, stale or replayed token adds nothing;
    "mark as read" still counts. Returns the member's record (None: nothing recorded)."""
    member_id = _reader(actor, material)
    row = ReadingRecord.objects.select_for_update().filter(material=material,
                                                           member_id=member_id).first()
    added = 0
    opened = reading.opening(token, material_id=material.pk, member_id=member_id)
    if opened is not None:
        room = max(0, reading.MAX_MATERIAL_SECONDS - (row.seconds if row else 0))
        added = reading.credit(opened, room if seconds is None else min(max(seconds, 0), room))
    if not added and not (marked_read and not (row and row.marked_read)):
        return row
    if row is None:
        row = reading_record(actor=actor, material=material)
    row.seconds += added
    row.marked_read = row.marked_read or marked_read
    row.save(update_fields=["seconds", "marked_read"])
    audit.record(actor, "material.read", row, after={"seconds": row.seconds,
                                                      "marked_read": row.marked_read})
    return row


def bulk_attendance(*, actor: Actor, activity: Activity,
                    values: Mapping[int, str]) -> int:
    """Record attendance for many invitations of one activity (the staff's attendance page)."""
    require(permissions.can_edit_activity(actor, activity) or actor.system)
    attendance_open(activity)
    invitations = {i.pk: i for i in activity.invitations.all()}
    count = 0
    with transaction.atomic():
        for pk, value in values.items():
            inv = invitations.get(pk)
            if inv is None:
                raise PermissionDenied(_("That invitation is not part of this activity."))
            if inv.attendance != value:
                attendance_record(actor=actor, invitation=inv, attendance=value)
                count += 1
    return count
