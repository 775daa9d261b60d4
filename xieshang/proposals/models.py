"""Proposals (提案): the proposal, its co-proposers, review, assignment to handling units,
replies, member feedback, key-proposal supervision and the yearly excellent list.

The lifecycle itself (statuses, who may take which step) is ``workflow.PROPOSAL``; every status
change goes through ``core.workflow.transition()``, which appends one ``ProposalEvent``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core import clock
from xieshang.core.models import WorkflowEvent
from xieshang.core.owned import CommitteeOwned

DEFAULT_CATEGORIES = (
    "经济建设", "科教文卫", "社会法制", "农业农村", "城乡建设", "生态环境", "政党建设/统一战线",
)


class ProposalCategory(CommitteeOwned):
    """A category (分类) of proposals; each committee keeps its own list."""

    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("proposals", "active"), default=True)

    class Meta:
        verbose_name = _("proposal category")
        verbose_name_plural = _("proposal categories")
        ordering = ["committee", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="proposal_category_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposals", "Withdrawn")
    NOT_FILED = "not_filed", _("Not filed")
    CONVERTED = "converted", _("Converted")
    MERGED = "merged", pgettext_lazy("proposals", "Merged")
    FILED = "filed", _("Filed")
    ASSIGNED = "assigned", _("Assigned")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    HANDLING = "handling", _("Being handled")
    REPLY_REVIEW = "reply_review", _("Reply under review")
    REPLIED = "replied", _("Replied")
    REHANDLING = "rehandling", _("Being re-handled")
    CLOSED = "closed", _("Closed")


class NotFiledReason(models.TextChoices):
    """The ten national grounds for not filing a proposal (domain.md §2)."""

    STATE_SECRETS = "state_secrets", _("Involves state secrets")
    PROHIBITED = "prohibited", _("Concerns matters that may not be proposed")
    PARTY_PERSONNEL = "party_personnel", _("CPC members on the party's internal personnel")
    PARTY_INTERNAL = "party_internal", _("A party's internal affairs")
    LITIGATION = "litigation", _("A matter in litigation or arbitration")
    ACADEMIC = "academic", _("Academic discussion")
    PERSONAL = "personal", _("Personal or family problems")
    PROMOTION = "promotion", _("Promotes products or works")
    ACCUSATION = "accusation", _("Accuses named persons")
    EMPTY = "empty", _("No concrete suggestions")


class ConversionTarget(models.TextChoices):
    OPINION_LETTER = "opinion_letter", _("Opinion and suggestion letter")
    PUBLIC_OPINION = "public_opinion", _("Public-opinion report")


class AssignmentType(models.TextChoices):
    SINGLE = "single", _("Single unit")
    SPLIT = "split", _("Split among units")
    LEAD = "lead", _("Lead unit with co-units")


class ResultClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


def proposal_number(serial: int | None) -> str:
    return f"第{serial:03d}号" if serial else ""


class Proposal(CommitteeOwned):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        JOINT = "joint", _("Joint")
        COLLECTIVE = "collective", _("Collective")

    class Timing(models.TextChoices):
        PLENARY = "plenary", pgettext_lazy("proposals", "Plenary session")
        RECESS = "recess", _("Recess")

    session = models.ForeignKey(
        "core.Session",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=pgettext_lazy("proposals", "session"),
    )
    # The session's start date, copied here so that the lists' order (newest session first)
    # is read from one index instead of sorting a whole committee's proposals across the join;
    # kept by save() and, when a session's date changes, by proposals.signals.
    session_start = models.DateField(null=True, blank=True, editable=False)
    serial_number = models.PositiveIntegerField(
        pgettext_lazy("proposals", "number"), null=True, blank=True
    )
    timing = models.CharField(_("submitted during"), max_length=16, choices=Timing.choices,
                              blank=True)
    kind = models.CharField(_("proposer type"), max_length=16, choices=Kind.choices,
                            default=Kind.INDIVIDUAL)
    proposer = models.ForeignKey("members.Member", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="proposals",
                                 verbose_name=_("first proposer"))
    body_proposer = models.ForeignKey("members.CollectiveBody", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="proposals",
                                      verbose_name=_("collective proposer"))
    created_by = models.ForeignKey("core.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(pgettext_lazy("proposals", "title"), max_length=200,
                             help_text=_("In the form “关于……的建议”."))
    category = models.ForeignKey(ProposalCategory, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="proposals",
                                 verbose_name=_("category"))
    body = models.TextField(_("text"), blank=True,
                            help_text=_("The situation, its analysis and concrete suggestions."))
    suggested_units = models.ManyToManyField("members.HandlingUnit", blank=True,
                                             related_name="+",
                                             verbose_name=_("suggested handling units"))
    consent_disclosure = models.BooleanField(_("agree to public disclosure"), default=True)
    nondisclosure_reason = models.CharField(_("reason for not disclosing"), max_length=200,
                                            blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=0)
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    not_filed_reason = models.CharField(_("reason for not filing"), max_length=20,
                                        choices=NotFiledReason.choices, blank=True)
    review_message = models.TextField(_("message to the proposer"), blank=True)
    conversion_target = models.CharField(_("converted to"), max_length=20,
                                         choices=ConversionTarget.choices, blank=True)
    # Filled by the module that creates the converted record ("opinions.OpinionReport:12").
    conversion_ref = models.CharField(max_length=100, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        verbose_name=pgettext_lazy("proposals", "merged into"),
    )
    assignment_type = models.CharField(_("assignment type"), max_length=16,
                                       choices=AssignmentType.choices, blank=True)
    handling_round = models.PositiveSmallIntegerField(default=1)
    feedback_due = models.DateField(_("feedback due"), null=True, blank=True)
    is_key = models.BooleanField(_("key proposal"), default=False)
    key_leader = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="supervised_proposals",
                                   verbose_name=_("supervising leader"))
    is_excellent = models.BooleanField(_("excellent proposal"), default=False)
    is_rehandled = models.BooleanField(_("re-handled"), default=False)
    needs_meeting = models.BooleanField(_("face-to-face consultation needed"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "serial_number"],
                                    name="proposal_unique_serial"),
        ]
        indexes = [
            models.Index(fields=["committee", "session", "serial_number"]),
            models.Index(fields=["committee", "proposer"]),
            # The lists' order (selectors.LIST_ORDER), so their first page is read in order.
            models.Index(fields=["committee", "-session_start", "serial_number", "-created_at",
                                 "-id"], name="proposal_list_order"),
            # The same order within a status, a category or a session: the staff's filters
            # read a first page in order instead of sorting every match (a status holds 80%
            # of a committee). The status one also serves what (committee, status) served.
            models.Index(fields=["committee", "status", "-session_start", "serial_number",
                                 "-created_at", "-id"], name="proposal_status_order"),
            models.Index(fields=["category", "-session_start", "serial_number", "-created_at",
                                 "-id"], name="proposal_category_order"),
            models.Index(fields=["session", "-session_start", "serial_number", "-created_at",
                                 "-id"], name="proposal_session_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.serial_number else self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "session" in update_fields:
            session = self.session if self.session_id else None
            self.session_start = session.start_date if session is not None else None
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "session_start"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("proposal-detail", args=[self.pk])

    @property
    def number(self) -> str:
        return proposal_number(self.serial_number)

    @property
    def proposer_name(self) -> str:
        if self.body_proposer_id:
            return str(self.body_proposer)
        return str(self.proposer) if self.proposer_id else ""

    def clean(self) -> None:
        if self.title and len(self.title) < 4:
            raise ValidationError({"title": _("The title is too short.")})


class ProposalCoProposer(CommitteeOwned):
    """A member asked to join a proposal (联名); it counts only once confirmed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_proposers")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    invited_at = models.DateTimeField(default=timezone.now)
    due = models.DateField(_("confirm by"), null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("co-proposer")
        verbose_name_plural = _("co-proposers")
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="co_proposer_unique"),
        ]

    def __str__(self) -> str:
        return str(self.member)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None and not self.declined


def attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return f"proposals/{instance.committee_id}/{clock.now():%Y/%m}/{filename}"


class ProposalAttachment(CommitteeOwned):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["proposal", "id"]

    def __str__(self) -> str:
        return self.name


class ProposalEvent(WorkflowEvent):
    """One step of a proposal's life. Append-only: the timeline is the record."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")


class Assignment(CommitteeOwned):
    """One handling unit's part in answering a proposal (交办)."""

    class Role(models.TextChoices):
        SINGLE = "single", _("Sole unit")
        SPLIT = "split", _("Split unit")
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-unit")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Waiting for sign-for")
        SIGNED = "signed", _("Signed for")
        RETURN_REQUESTED = "return_requested", _("Return requested")
        OPINION_GIVEN = "opinion_given", _("Opinion given")
        DRAFTED = "drafted", _("Reply drafted")
        APPROVED = "approved", _("Reply approved")
        SENT_BACK = "sent_back", _("Reply sent back")
        DONE = "done", _("Reply sent")
        WITHDRAWN = "withdrawn", _("Withdrawn (reassigned)")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("members.HandlingUnit", on_delete=models.PROTECT,
                             related_name="proposal_assignments", verbose_name=_("unit"))
    role = models.CharField(_("part"), max_length=8, choices=Role.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.ASSIGNED, db_index=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("due"))
    due_warnings = models.JSONField(default=list, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for the return request"), blank=True)
    return_requested_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("co-unit opinion"), blank=True)
    opinion_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["proposal", "id"]
        indexes = [
            models.Index(fields=["committee", "unit", "state"]),
            models.Index(fields=["committee", "state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"

    ACTIVE_STATES = (State.ASSIGNED, State.SIGNED, State.RETURN_REQUESTED, State.DRAFTED,
                     State.APPROVED, State.SENT_BACK, State.OPINION_GIVEN)
    OPEN_STATES = (State.ASSIGNED, State.SIGNED, State.RETURN_REQUESTED, State.DRAFTED,
                   State.SENT_BACK)

    @property
    def is_replying(self) -> bool:
        """Co-units give an opinion to the lead; every other part replies to the proposer."""
        return self.role != self.Role.CO

    @property
    def is_overdue(self) -> bool:
        return self.state in self.OPEN_STATES and self.due_date < clock.today()


class ContactRecord(CommitteeOwned):
    """办前面商 and later contacts between a unit and the proposer; also face-to-face meetings."""

    class Way(models.TextChoices):
        MEETING = "meeting", _("Face to face")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Site visit")
        FORUM = "forum", _("Forum")
        OTHER = "other", _("Other")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="contacts")
    date = models.DateField(_("date"))
    way = models.CharField(_("way"), max_length=16, choices=Way.choices)
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["proposal", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_way_display()}"


class Reply(CommitteeOwned):
    """The reply letter (答复函) of one replying unit, in one handling round."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved by the unit leader")
        SENT_BACK = "sent_back", _("Sent back by the office")
        SENT = "sent", _("Sent to the proposer")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="replies")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(default=1)
    result_class = models.CharField(_("result class"), max_length=1,
                                    choices=ResultClass.choices)
    body = models.TextField(pgettext_lazy("proposals", "reply"))
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    drafted_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey("core.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_back_note = models.TextField(blank=True)

    class Meta:
        verbose_name = pgettext_lazy("proposals", "reply")
        verbose_name_plural = _("replies")
        ordering = ["proposal", "round", "id"]

    def __str__(self) -> str:
        return f"{self.assignment.unit} {self.result_class}"


class Feedback(CommitteeOwned):
    """A proposer's rating of the reply (征询意见表), one per proposer and round."""

    class Heard(models.TextChoices):
        MEETING = "meeting", _("Face to face")
        PHONE = "phone", _("By phone")
        LETTER = "letter", _("In writing")
        NONE = "none", _("Not consulted")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feedback")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    body = models.ForeignKey("members.CollectiveBody", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    rating = models.CharField(_("overall"), max_length=16, choices=Rating.choices)
    how_heard = models.CharField(_("how your views were heard"), max_length=16,
                                 choices=Heard.choices, blank=True)
    attitude = models.CharField(_("staff attitude"), max_length=16, choices=Rating.choices,
                                blank=True)
    agrees_with_result = models.BooleanField(_("agree with the result"), null=True, blank=True)
    visited = models.BooleanField(_("the unit visited you"), null=True, blank=True)
    on_point = models.BooleanField(_("the reply is on point"), null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    is_default = models.BooleanField(_("counted by default"), default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("proposals", "feedback")
        verbose_name_plural = pgettext_lazy("proposals", "feedback")
        ordering = ["proposal", "round", "id"]

    def __str__(self) -> str:
        return self.get_rating_display()


class SupervisionRecord(CommitteeOwned):
    """督办 of a key proposal: visits, forums, surveys, progress notes."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Site visit")
        FORUM = "forum", _("Forum")
        SURVEY = "survey", _("Survey")
        PROGRESS = "progress", _("Progress note")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supervision")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")
        ordering = ["proposal", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class NominatorKind(models.TextChoices):
    OFFICE = "office", _("Proposal office")
    UNIT = "unit", _("Handling unit")
    GROUP = "group", _("Members' group (sector or special committee)")


class ExcellentNomination(CommitteeOwned):
    """A nomination for the yearly excellent proposals (优秀提案) or handling units."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Excellent proposal")
        UNIT = "unit", _("Excellent handling unit")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="nominations")
    unit = models.ForeignKey("members.HandlingUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    nominated_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # Who put it forward: the office, a handling unit (a proposal it handled) or a members'
    # group (界别 or 专委会, through a member acting for its collective body).
    nominator_kind = models.CharField(_("nominated by"), max_length=16,
                                      choices=NominatorKind.choices, default="office")
    nominating_unit = models.ForeignKey("members.HandlingUnit", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("nominating unit"))
    nominating_body = models.ForeignKey("members.CollectiveBody", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("nominating group"))
    selected = models.BooleanField(_("on the final list"), default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The committee meeting's resolution that made the final list (常委会议/主席会议决定).
    resolution_no = models.CharField(_("resolution number"), max_length=60, blank=True)
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)

    class Meta:
        verbose_name = _("excellent nomination")
        verbose_name_plural = _("excellent nominations")
        ordering = ["year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "proposal"],
                                    condition=models.Q(proposal__isnull=False),
                                    name="excellent_unique_proposal"),
            models.UniqueConstraint(fields=["committee", "year", "unit"],
                                    condition=models.Q(unit__isnull=False),
                                    name="excellent_unique_unit"),
        ]

    def __str__(self) -> str:
        return str(self.proposal or self.unit)


class RoutingRecord(CommitteeOwned):
    """What the platform suggested for a proposal's units, and what staff then chose."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="routing_records")
    source = models.CharField(max_length=16)
    suggested = models.JSONField(default=list)  # [[unit id, confidence], …], best first
    decided = models.JSONField(default=list)  # unit ids chosen
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("routing suggestion")
        verbose_name_plural = _("routing suggestions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.suggested} → {self.decided}"
