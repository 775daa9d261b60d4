"""社情民意: reports, their versions and events, outcomes, bulletins, correspondents, and the
public 有事好商量 topics.

A report reported upward is copied into the parent committee as a report of its own: ``origin``
points at the report it came from and ``root`` at the original (county) report, so every level
keeps its own text, status and history while outcomes flow back down the chain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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
    ECONOMY = "economy", _("Economy and development")
    AGRICULTURE = "agriculture", _("Agriculture and rural areas")
    SOCIETY = "society", _("Social affairs and livelihood")
    EDUCATION = "education", _("Education, science and culture")
    HEALTH = "health", _("Health and medical care")
    ENVIRONMENT = "environment", _("Ecology and environment")
    LAW = "law", _("Rule of law and public safety")
    OTHER = "other", _("Other")


class AuthorKind(models.TextChoices):
    MEMBER = "member", _("Member")
    BODY = "body", _("Collective body")
    CORRESPONDENT = "correspondent", _("Invited correspondent")
    COMMITTEE = "committee", _("Reported by a lower committee")


class OpinionReport(CommitteeOwned):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EDITING = "editing", _("Editing")
        SIGNED_OFF = "signed_off", _("Signed off")
        NOT_USED = "not_used", _("Not used")
        PUBLISHED = "published", _("Published in a bulletin")
        SENT = "sent", pgettext_lazy("opinions", "Sent on")
        MERGED = "merged", pgettext_lazy("opinions", "Merged")
        WITHDRAWN = "withdrawn", pgettext_lazy("opinions", "Withdrawn")

    title = models.CharField(pgettext_lazy("opinions", "title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices,
                                default=Category.OTHER)
    situation = models.TextField(_("situation"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    suggestion = models.TextField(_("suggestion"), blank=True)
    # A report may be written as one text instead of the three parts.
    body = models.TextField(_("text"), blank=True)

    author_kind = models.CharField(_("author type"), max_length=16, choices=AuthorKind.choices)
    author_member = models.ForeignKey("members.Member", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="opinion_reports",
                                      verbose_name=_("member"))
    author_body = models.ForeignKey("members.CollectiveBody", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="opinion_reports",
                                    verbose_name=pgettext_lazy("opinions", "collective body"))
    author_name = models.CharField(_("author"), max_length=200)
    sector = models.ForeignKey("members.Sector", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("sector"))
    submitted_by = models.ForeignKey("core.User", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("submitted by"))
    source_committee = models.ForeignKey("core.Committee", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("reported by committee"))

    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    origin = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="copies", verbose_name=_("reported up from"))
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="lineage_reports", verbose_name=_("original report"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
        verbose_name=pgettext_lazy("opinions", "merged into"),
    )
    not_used_reason = models.TextField(_("reason for not using"), blank=True)
    # A proposal the proposal office converted into this report (提案转社情民意).
    source_proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("converted from proposal"))

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_off_by = models.ForeignKey("core.User", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    sent_to_leaders_at = models.DateTimeField(_("sent to leaders at"), null=True, blank=True)
    reported_up_at = models.DateTimeField(_("reported up at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public-opinion report")
        verbose_name_plural = _("public-opinion reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["committee", "status"]),
                   models.Index(fields=["committee", "-submitted_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:report-detail", args=[self.pk])

    @property
    def full_text(self) -> str:
        parts = [self.situation, self.analysis, self.suggestion, self.body]
        return "\n\n".join(p for p in parts if p.strip())

    @property
    def length(self) -> int:
        return text_length(self.situation, self.analysis, self.suggestion, self.body)

    @property
    def is_root(self) -> bool:
        return self.origin_id is None


def text_length(*parts: str) -> int:
    """Characters that count toward the limit (whitespace is not counted)."""
    return sum(len("".join(p.split())) for p in parts)


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("This record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("This record is append-only.")


class OpinionVersion(CommitteeOwned, AppendOnly):
    """The text as it stood after each edit (number 1 is the text as submitted or received)."""

    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    situation = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    suggestion = models.TextField(blank=True)
    body = models.TextField(blank=True)
    editor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    editor_name = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"],
                                               name="opinion_version_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class OpinionEvent(WorkflowEvent):
    """A step of a report's lifecycle, or another thing done to it (edited, an outcome, …)."""

    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")


def attachment_path(instance: OpinionAttachment, filename: str) -> str:
    return f"opinions/{instance.committee_id}/{clock.now():%Y/%m}/{filename}"


class OpinionAttachment(CommitteeOwned):
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE,
                               related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey("core.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class Bulletin(CommitteeOwned):
    """社情民意 bulletin (单篇 single or 综合 digest), numbered per year: 社情民意第12期."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single report")
        DIGEST = "digest", _("Digest")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    editor_name = models.CharField(_("editor"), max_length=100, blank=True)
    recipients = models.TextField(_("recipients"), blank=True,
                                  help_text=_("Printed in the footer, e.g. 报：… 送：…"))
    reports: models.ManyToManyField[OpinionReport, BulletinItem] = models.ManyToManyField(
        OpinionReport, through="BulletinItem", related_name="bulletins",
        verbose_name=_("reports"))
    created_by = models.ForeignKey("core.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["committee", "year", "number"],
                                               name="bulletin_unique_number")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("opinions:bulletin-detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"{self.year}年社情民意第{self.number}期"


class BulletinItem(CommitteeOwned):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT,
                               related_name="bulletin_items")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bulletin item")
        verbose_name_plural = _("bulletin items")
        ordering = ["bulletin", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "report"],
                                               name="bulletin_item_unique")]

    def __str__(self) -> str:
        return f"{self.bulletin_id}:{self.report_id}"


class BulletinRecipient(CommitteeOwned):
    """A configured addressee of the committee's bulletins (e.g. 县委办公室)."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("notified account"))
    is_active = models.BooleanField(pgettext_lazy("opinions", "active"), default=True)

    class Meta:
        verbose_name = _("bulletin recipient")
        verbose_name_plural = _("bulletin recipients")
        ordering = ["committee", "name"]

    def __str__(self) -> str:
        return self.name


class OpinionOutcome(CommitteeOwned):
    """What a level did with a report. ``lineage`` holds the report it was recorded on and every
    report below it in the chain (and reports merged into it), so the outcome shows on each."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", pgettext_lazy("opinions", "Adopted")
        INSTRUCTION = "instruction", _("Leader's written instruction")
        HANDLED = "handled", _("Instruction handled by a department")
        MEDIA = "media", _("Used by the media")

    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="outcomes")
    lineage: models.ManyToManyField[OpinionReport, Any] = models.ManyToManyField(
        OpinionReport, related_name="visible_outcomes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16)
    date = models.DateField(_("date"), default=timezone.localdate)
    bulletin = models.ForeignKey(Bulletin, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("bulletin"))
    publication = models.CharField(_("publication"), max_length=200, blank=True)
    person = models.CharField(_("instructed by"), max_length=100, blank=True)
    person_level = models.CharField(_("leader's level"), max_length=50, blank=True)
    text = models.TextField(_("text"), blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    reply = models.TextField(pgettext_lazy("opinions", "reply"), blank=True)
    instruction = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="handlings", verbose_name=_("instruction"))
    recorded_by = models.ForeignKey("core.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.committee}"


class Correspondent(CommitteeOwned):
    """特邀信息员: a login that may submit reports without being a member."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("account"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    is_active = models.BooleanField(pgettext_lazy("opinions", "active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invited correspondent")
        verbose_name_plural = _("invited correspondents")
        ordering = ["committee", "name"]
        constraints = [models.UniqueConstraint(fields=["committee", "user"],
                                               name="correspondent_unique")]

    def __str__(self) -> str:
        return self.name


class Topic(CommitteeOwned):
    """A 有事好商量 topic raised by a resident on the public page."""

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting screening")
        ACCEPTED = "accepted", pgettext_lazy("opinions", "Accepted")
        MERGED = "merged", _("Merged into another topic")
        DECLINED = "declined", _("Declined")
        CONSULTING = "consulting", _("Under consultation")
        CONCLUDED = "concluded", _("Result published")

    # What the resident who raised the topic reads: the office's screening is its own business.
    PUBLIC_LABELS: ClassVar[dict[str, Any]] = {
        "new": pgettext_lazy("topic, to the public", "Received, being read")}

    @property
    def public_status_label(self) -> str:
        return str(self.PUBLIC_LABELS.get(self.status, self.get_status_display()))

    title = models.CharField(pgettext_lazy("opinions", "title"), max_length=100)
    description = models.TextField(pgettext_lazy("opinions", "description"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    name = models.CharField(_("your name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.NEW, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_topics",
        verbose_name=pgettext_lazy("opinions", "merged into"),
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    consultation_note = models.TextField(_("consultation arrangements"), blank=True)
    result = models.TextField(_("result"), blank=True)
    result_published_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    screened_by = models.ForeignKey("core.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    screened_at = models.DateTimeField(null=True, blank=True)
    # Hook for the consultations/activities app: the grassroots consultation held on the topic.
    consultation_type = models.ForeignKey(ContentType, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    consultation_id = models.PositiveBigIntegerField(null=True, blank=True)
    consultation = GenericForeignKey("consultation_type", "consultation_id")

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:topic-detail", args=[self.pk])


class TopicEvent(WorkflowEvent):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("topic history entry")
        verbose_name_plural = _("topic history entries")
        pass
