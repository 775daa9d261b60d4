"""Scoring rule sets (per committee and year), manual duty items, scores and their trace."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import WorkflowEvent
from xieshang.core.owned import CommitteeOwned


class RuleSet(CommitteeOwned):
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    base_points = models.DecimalField(_("base points"), max_digits=7, decimal_places=2,
                                      default=0)
    max_points = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2,
                                     null=True, blank=True)
    template = models.CharField(_("based on template"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")
        ordering = ["committee", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="ruleset_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Rule(CommitteeOwned):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind of record"), max_length=80,
                            help_text=_("A kind such as proposal.first_filed; end with * to "
                                        "match a family, e.g. activity.attended:*"))
    label = models.CharField(_("label"), max_length=100)
    points = models.DecimalField(_("points each"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("cap per year"), max_digits=7, decimal_places=2, null=True,
                              blank=True, help_text=_("Most points this rule can give in a "
                                                      "year (or take, for a penalty)."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["rule_set", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.points:+}"


class Band(CommitteeOwned):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("name"), max_length=30)
    min_score = models.DecimalField(_("from score"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["rule_set", "-min_score"]

    def __str__(self) -> str:
        return f"{self.name} ≥{self.min_score}"


class ManualItem(CommitteeOwned):
    """A duty item staff record by hand (award, outside duty…) with evidence.

    Changed or voided only with a reason (audited); a voided item stays, struck through, and no
    longer counts."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Commendation or award")
        OUTSIDE = "outside", _("Outside or invited duty")
        VOLUNTEER = "volunteer", _("Volunteer service")
        PENALTY = "penalty", _("Breach of discipline")
        OTHER = "other", _("Other duty")

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                               related_name="manual_duty_items", verbose_name=_("member"))
    date = models.DateField(_("date"))
    code = models.SlugField(_("kind"), max_length=40,
                            help_text=_("Scored by rules of kind manual:<kind>, e.g. award."))
    description = models.CharField(pgettext_lazy("duties", "description"), max_length=300)
    evidence = models.FileField(_("evidence"), upload_to="duties/evidence/%Y/", blank=True)
    created_by = models.ForeignKey("core.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey("core.User", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("manual duty item")
        verbose_name_plural = _("manual duty items")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.description

    @property
    def kind_label(self) -> str:
        return str(dict(self.Kind.choices).get(self.code, self.code))


class Score(CommitteeOwned):
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE,
                               related_name="duty_scores")
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    band = models.CharField(_("band"), max_length=30, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("duty score")
        verbose_name_plural = _("duty scores")
        ordering = ["-total"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="score_one_per_year"),
        ]
        indexes = [models.Index(fields=["committee", "year", "-total"])]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.total}"


class ScoreLine(CommitteeOwned):
    """One contribution to a score, traced to the record that produced it."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    rule = models.ForeignKey(Rule, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=80)
    date = models.DateField()
    ref_type = models.CharField(max_length=64)
    ref_id = models.CharField(max_length=64)
    label = models.CharField(max_length=300)
    points = models.DecimalField(max_digits=7, decimal_places=2)
    capped = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["member", "date", "id"]
        indexes = [models.Index(fields=["committee", "year", "member"])]

    def __str__(self) -> str:
        return f"{self.label} {self.points:+}"


class WarningRule(CommitteeOwned):
    """Raise a warning when a member's count of some kinds in a period crosses a threshold."""

    class Period(models.TextChoices):
        YEAR = "year", _("Calendar year")
        TERM = "term", pgettext_lazy("duties", "Term")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    name = models.CharField(_("name"), max_length=100)
    kinds = models.JSONField(_("kinds of record"), default=list)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices,
                              default=Period.YEAR)
    comparison = models.CharField(_("when the count is"), max_length=10,
                                  choices=Comparison.choices)
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    from_month = models.PositiveSmallIntegerField(
        _("check from month"), default=1,
        help_text=_("For 'at most' rules: only warn from this month on, so the member can act."))
    message = models.CharField(_("message to the member"), max_length=300)
    is_active = models.BooleanField(pgettext_lazy("duties", "active"), default=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")

    def __str__(self) -> str:
        return self.name


class DutyWarning(CommitteeOwned):
    rule = models.ForeignKey(WarningRule, on_delete=models.CASCADE, related_name="warnings")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE,
                               related_name="duty_warnings")
    period_label = models.CharField(max_length=30)
    count = models.PositiveIntegerField()
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("duty warning")
        verbose_name_plural = _("duty warnings")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "member", "period_label"],
                                    name="duty_warning_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.rule}"


class DutyRecomputeRequest(CommitteeOwned):
    """A pending recomputation of one committee-year: many writes, one row, one queued task.

    ``generation`` goes up on every write, so the task clears the row only if no write came in
    while it was computing; otherwise it computes again. ``queued_at`` says when a task was last
    queued for it: a request left pending long after (its task failed or was lost) queues a new
    one at the next write, so no recomputation is lost for good.
    """

    year = models.PositiveSmallIntegerField()
    requested_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)
    generation = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("pending score recomputation")
        verbose_name_plural = _("pending score recomputations")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="duty_recompute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}"


class SelfReport(CommitteeOwned):
    """A member's yearly report on their duties (年度履职述职), written against their record."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", pgettext_lazy("duties", "Accepted")

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                               related_name="duty_self_reports", verbose_name=_("member"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    overview = models.TextField(_("How I performed my duties"), blank=True)
    achievements = models.TextField(_("Main results"), blank=True)
    shortcomings = models.TextField(_("Shortcomings"), blank=True)
    plans = models.TextField(_("Plans for next year"), blank=True)
    figures = models.JSONField(_("figures of the record"), default=dict, blank=True,
                               help_text=_("The record's counts and score when submitted."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    return_note = models.CharField(_("reason for returning"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    SECTIONS = ("overview", "achievements", "shortcomings", "plans")

    class Meta:
        verbose_name = _("yearly self-report")
        verbose_name_plural = _("yearly self-reports")
        ordering = ["-year", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="self_report_one_per_year"),
        ]
        indexes = [models.Index(fields=["committee", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("duty-self-report", args=[self.pk])


class SelfReportEvent(WorkflowEvent):
    """One step of a self-report's lifecycle (append-only)."""

    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("self-report history entry")
        verbose_name_plural = _("self-report history entries")
        pass
