"""Consultations, meetings, research, inspection, supervision, learning and volunteer activities.

One ``Activity`` model with a configurable ``ActivityType`` (per committee) and typed details in a
JSON field checked per type category (``DETAIL_SCHEMAS``). Invitations carry the leave and
attendance of each member; the suggestion ledger (意见建议台账) follows each suggestion from the
activity to the body it was sent to and back. Lifecycles are tables in ``workflow.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core import clock
from xieshang.core.models import WorkflowEvent
from xieshang.core.owned import CommitteeOwned


class Category(models.TextChoices):
    """What kind of work a type is; decides which details an activity of the type carries."""

    MEETING = "meeting", _("Meeting")
    CONSULTATION = "consultation", _("Consultation")
    COUNTERPART = "counterpart", _("Counterpart consultation")
    RESEARCH = "research", _("Research")
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Democratic supervision")
    DISCUSSION = "discussion", _("Forum or seminar")
    LEARNING = "learning", _("Learning and training")
    CULTURE = "culture", _("Cultural event")
    SERVICE = "service", _("Visits and volunteer service")
    OTHER = "other", _("Other")


# Fields an activity's ``details`` may hold, per category: name → (python type, label).
# Departments and supervised units are the ``units`` many-to-many; materials are ``materials``.
DETAIL_SCHEMAS: dict[str, dict[str, tuple[type, Any]]] = {
    Category.MEETING: {"session_label": (str, _("Meeting number"))},
    Category.CONSULTATION: {"public_topic": (str, _("Public topic")),
                            "proposal_numbers": (str, _("Proposals handled"))},
    Category.COUNTERPART: {"question_count": (int, _("Questions put to departments"))},
    Category.RESEARCH: {"report_title": (str, _("Research report"))},
    Category.INSPECTION: {"report_title": (str, _("Inspection report"))},
    Category.SUPERVISION: {"follow_up_on": (str, _("Later check (回头看) on")),
                           "letter_no": (str, _("Supervision letter number"))},
    Category.DISCUSSION: {"moderator": (str, _("Moderator"))},
    Category.LEARNING: {"lecturer": (str, _("Lecturer")), "hours": (float, _("Hours"))},
    Category.CULTURE: {"audience_size": (int, _("Audience"))},
    Category.SERVICE: {"beneficiaries": (int, _("People served"))},
    Category.OTHER: {},
}
# Categories whose activities must name the departments / units they deal with.
UNITS_REQUIRED = frozenset({Category.COUNTERPART, Category.SUPERVISION})


class ActivityType(CommitteeOwned):
    """A kind of activity, configurable per committee (label, counting for duty, points)."""

    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=50)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    counts_for_duty = models.BooleanField(_("counts for duty scores"), default=True)
    points = models.DecimalField(_("points per attendance"), max_digits=5, decimal_places=1,
                                 default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("activities", "active"), default=True)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["committee", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "code"],
                                               name="activity_type_unique_code")]

    def __str__(self) -> str:
        return self.label


class LearningMaterial(CommitteeOwned):
    """Something members read online (自主学): a link, an uploaded file or a text."""

    class Audience(models.TextChoices):
        ALL = "all", _("All members")
        STANDING = "standing", _("Standing committee members")

    title = models.CharField(pgettext_lazy("activities", "title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="activities/materials/%Y/", blank=True)
    text = models.TextField(_("text"), blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices,
                                default=Audience.ALL)
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("learning material")
        verbose_name_plural = _("learning materials")
        ordering = ["committee", "-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not (self.url or self.file or self.text.strip()):
            raise ValidationError(_("Give a link, a file or a text."))


class Activity(CommitteeOwned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Organiser(models.TextChoices):
        OFFICE = "office", _("General office")
        SPECIAL_COMMITTEE = "special_committee", _("Special committee")
        GROUP = "group", _("Activity group")

    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("type"))
    title = models.CharField(pgettext_lazy("activities", "title"), max_length=200)
    topic = models.TextField(_("topic"), blank=True)
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=20, choices=Organiser.choices,
                                 default=Organiser.OFFICE)
    special_committee = models.ForeignKey(
        "members.SpecialCommittee", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activities", verbose_name=_("special committee"))
    group = models.ForeignKey("members.ActivityGroup", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="activities",
                              verbose_name=_("activity group"))
    lead = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="led_activities", verbose_name=_("leading leader"))
    description = models.TextField(pgettext_lazy("activities", "description"), blank=True)
    minutes = models.TextField(_("minutes (纪要)"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PLANNED, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    units = models.ManyToManyField("members.HandlingUnit", blank=True, related_name="activities",
                                   verbose_name=_("departments / units"))
    materials = models.ManyToManyField(LearningMaterial, blank=True, related_name="activities",
                                       verbose_name=_("materials"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["committee", "-start", "-id"]
        indexes = [models.Index(fields=["committee", "start"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end is before the start.")
        if self.organiser == self.Organiser.SPECIAL_COMMITTEE and not self.special_committee_id:
            errors["special_committee"] = _("Choose the special committee that organises it.")
        if self.organiser == self.Organiser.GROUP and not self.group_id:
            errors["group"] = _("Choose the activity group that organises it.")
        if self.type_id:
            try:
                self.details = clean_details(self.type.category, self.details)
            except ValidationError as exc:
                errors["details"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def category(self) -> str:
        return self.type.category

    @property
    def detail_items(self) -> list[tuple[Any, Any]]:
        """(label, value) of the typed details, for display."""
        schema = DETAIL_SCHEMAS.get(self.type.category, {})
        return [(schema[k][1] if k in schema else k, v) for k, v in (self.details or {}).items()]


def clean_details(category: str, details: Any) -> dict[str, Any]:
    """Check ``details`` against the schema of ``category``; blank values are dropped."""
    if details in (None, ""):
        return {}
    if not isinstance(details, dict):
        raise ValidationError(_("Details must be a set of named values."))
    schema = DETAIL_SCHEMAS.get(category, {})
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key not in schema:
            raise ValidationError(_("“%(key)s” is not a detail of this type of activity.")
                                  % {"key": key})
        if value in (None, ""):
            continue
        kind, label = schema[key]
        try:
            out[key] = kind(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("%(label)s: enter a valid value.") % {"label": label}) from exc
        if kind in (int, float) and out[key] < 0:
            raise ValidationError(_("%(label)s cannot be negative.") % {"label": label})
    if "follow_up_on" in out:
        try:
            dt.date.fromisoformat(out["follow_up_on"])
        except ValueError as exc:
            raise ValidationError(_("Enter the later-check date as YYYY-MM-DD.")) from exc
    return out


class ActivityFile(CommitteeOwned):
    """Attachments, photos and reports of an activity. Reports and 建议案 feed the ledger."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("Attachment")
        PHOTO = "photo", _("Photo")
        REPORT = "report", _("Research / inspection report")
        RECOMMENDATION = "recommendation", _("Consultation report (建议案)")
        SIGN_IN = "sign_in", _("Signed sign-in sheet")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("activities", "title"), max_length=200)
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/")
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        ordering = ["activity", "kind", "id"]

    def __str__(self) -> str:
        return self.title


class Invitation(CommitteeOwned):
    """One member invited to one activity: reply, leave and attendance."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Awaiting reply")
        CONFIRMED = "confirmed", _("Will attend")
        LEAVE_REQUESTED = "leave_requested", _("Leave requested")
        LEAVE_APPROVED = "leave_approved", _("Leave approved")
        LEAVE_REFUSED = "leave_refused", _("Leave refused")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        NONE = "", _("—")
        STAFF = "staff", _("Recorded by staff")
        QR = "qr", _("QR code")
        IMPORT = "import", _("Imported")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                               related_name="activity_invitations", verbose_name=_("member"))
    status = models.CharField(
        pgettext_lazy("activities", "reply"),
        max_length=20,
        choices=Status.choices,
        default=Status.INVITED,
    )
    leave_reason = models.CharField(_("reason for leave"), max_length=300, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices,
                                  default=Attendance.UNKNOWN, blank=True)
    attendance_source = models.CharField(_("recorded by"), max_length=10, choices=Source.choices,
                                         default=Source.NONE, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["activity", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "member"],
                                               name="invitation_unique_member")]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.activity}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id])

    @property
    def present(self) -> bool:
        return self.attendance in (self.Attendance.ATTENDED, self.Attendance.LATE)


class QrWindow(CommitteeOwned):
    """One displayed sign-in code: a random nonce, valid until ``expires_at`` or closing."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="qr_windows")
    nonce = models.CharField(max_length=32, unique=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("QR sign-in window")
        verbose_name_plural = _("QR sign-in windows")
        ordering = ["-created_at"]


class QrRedemption(CommitteeOwned):
    """A member used a window's code: each code signs a member in once."""

    window = models.ForeignKey(QrWindow, on_delete=models.CASCADE, related_name="redemptions")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("QR sign-in use")
        verbose_name_plural = _("QR sign-in uses")
        constraints = [models.UniqueConstraint(fields=["window", "member"],
                                               name="qr_redemption_once")]


class Speech(CommitteeOwned):
    """A written speech (书面发言) a member submits before a consultation."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="speeches")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="speeches",
                               verbose_name=_("member"))
    title = models.CharField(pgettext_lazy("activities", "title"), max_length=200)
    text = models.TextField(_("text"))
    is_oral = models.BooleanField(_("chosen for oral delivery"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["activity", "submitted_at"]

    def __str__(self) -> str:
        return self.title


class Suggestion(CommitteeOwned):
    """One item of the suggestion ledger (意见建议台账)."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        SENT = "sent", _("Sent")
        ANSWERED = "answered", _("Feedback received")
        CLOSED = "closed", _("Closed")

    class Adoption(models.TextChoices):
        UNKNOWN = "", _("Not assessed")
        ADOPTED = "adopted", pgettext_lazy("activities", "Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="suggestions",
                                 verbose_name=_("activity"))
    document = models.ForeignKey(ActivityFile, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="suggestions", verbose_name=_("from report"))
    text = models.TextField(_("suggestion"))
    recipient_unit = models.ForeignKey(
        "members.HandlingUnit", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activity_suggestions", verbose_name=_("sent to department"))
    recipient_body = models.CharField(_("sent to (party / government body)"), max_length=100,
                                      blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RECORDED, db_index=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    deadline = models.DateField(_("feedback due"), null=True, blank=True)
    deadline_warnings = models.JSONField(default=list, blank=True)
    feedback = models.TextField(pgettext_lazy("activities", "feedback"), blank=True)
    feedback_on = models.DateField(_("feedback received on"), null=True, blank=True)
    adoption = models.CharField(_("adopted"), max_length=12, choices=Adoption.choices,
                                default=Adoption.UNKNOWN, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestion ledger")
        ordering = ["committee", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("activities:ledger")

    @property
    def recipient(self) -> str:
        return str(self.recipient_unit) if self.recipient_unit_id else self.recipient_body

    def is_overdue(self, today: Any = None) -> bool:
        today = today or clock.today()
        return self.status == self.Status.SENT and self.deadline is not None and \
            self.deadline < today


class ActivityEvent(WorkflowEvent):
    """One status change of an invitation (reply, leave) or of a ledger item."""

    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="events")
    suggestion = models.ForeignKey(Suggestion, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("activity history entry")
        verbose_name_plural = _("activity history entries")
        pass


class AnnualPlan(CommitteeOwned):
    """年度协商计划 / annual work plan, approved by the chair meeting."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("activities", "title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approval_meeting = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("approved at chair meeting"))

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["committee", "-year"]
        constraints = [models.UniqueConstraint(fields=["committee", "year"],
                                               name="annual_plan_unique_year")]

    def __str__(self) -> str:
        return self.title


class PlanItem(CommitteeOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", pgettext_lazy("activities", "Done")
        MOVED = "moved", _("Moved")

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("type"))
    topic = models.CharField(_("topic"), max_length=200)
    lead_special_committee = models.ForeignKey(
        "members.SpecialCommittee", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("lead special committee"))
    lead = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("leading leader"))
    planned_month = models.PositiveSmallIntegerField(_("planned month"))
    units = models.ManyToManyField("members.HandlingUnit", blank=True, related_name="+",
                                   verbose_name=_("departments involved"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    moved_note = models.CharField(_("moved to / why"), max_length=200, blank=True)
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="plan_items", verbose_name=_("carried out by"))

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "planned_month", "id"]

    def __str__(self) -> str:
        return self.topic

    def clean(self) -> None:
        if not 1 <= (self.planned_month or 0) <= 12:
            raise ValidationError({"planned_month": _("Enter a month from 1 to 12.")})


class ReadingRecord(CommitteeOwned):
    """A member opened a learning material (once per member and material; time accumulates)."""

    material = models.ForeignKey(LearningMaterial, on_delete=models.CASCADE,
                                 related_name="readings")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE,
                               related_name="readings")
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    seconds = models.PositiveIntegerField(default=0)
    marked_read = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("reading record")
        verbose_name_plural = _("reading records")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["material", "member"],
                                               name="reading_record_once")]

    def __str__(self) -> str:
        return f"{self.member}：{self.material}"
