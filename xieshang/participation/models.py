"""The participation channels: online consultation rooms (网络议政), surveys (问卷) and
members' studios (委员工作室)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core import clock
from xieshang.core.models import WorkflowEvent
from xieshang.core.owned import CommitteeOwned


class ChannelStatus(models.TextChoices):
    """The lifecycle of a room and of a survey (``participation.workflow``): a draft is seen
    by the staff only; a published one is open between its dates; a closed one was ended
    early by the staff."""

    DRAFT = "draft", pgettext_lazy("participation", "Draft")
    PUBLISHED = "published", pgettext_lazy("participation", "Published")
    CLOSED = "closed", pgettext_lazy("participation", "Ended")


class Channel(CommitteeOwned):
    """What rooms and surveys share: the status, the period and the early closing."""

    Status = ChannelStatus

    status = models.CharField(_("status"), max_length=10, choices=ChannelStatus.choices,
                              default=ChannelStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=0)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    close_reason = models.CharField(_("reason for ending early"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return (self.status == ChannelStatus.PUBLISHED
                and self.opens_at <= clock.now() < self.closes_at)

    @property
    def is_draft(self) -> bool:
        return self.status == ChannelStatus.DRAFT

    @property
    def has_ended(self) -> bool:
        """Ended early, or published and past its closing time."""
        return self.status == ChannelStatus.CLOSED or (
            self.status == ChannelStatus.PUBLISHED and clock.now() >= self.closes_at)

    @property
    def stage(self) -> str:
        """What a page shows: the status, and a published one past its time as ended."""
        if self.has_ended:
            return str(ChannelStatus.CLOSED.label)
        if self.status == ChannelStatus.PUBLISHED and clock.now() < self.opens_at:
            return str(pgettext_lazy("participation", "Published, not yet open"))
        return str(ChannelStatus(self.status).label)

# --- online consultation rooms -----------------------------------------------------------------


class Room(Channel):
    """A room for one topic, open for a period to those invited (and, if public, to residents)."""

    title = models.CharField(_("title"), max_length=200)
    topic = models.TextField(_("topic"), blank=True)
    activity = models.ForeignKey("activities.Activity", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="rooms",
                                 verbose_name=_("consultation activity"))
    plan_item = models.ForeignKey("activities.PlanItem", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rooms",
                                  verbose_name=_("plan item"))
    is_public = models.BooleanField(_("open to residents"), default=False)
    members = models.ManyToManyField("members.Member", blank=True, related_name="rooms",
                                     verbose_name=_("invited members"))
    units = models.ManyToManyField("members.HandlingUnit", blank=True, related_name="rooms",
                                   verbose_name=_("units concerned"))
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="expert_rooms", verbose_name=_("experts"))
    summary = models.TextField(_("summary"), blank=True)
    summarized_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("consultation room")
        verbose_name_plural = _("consultation rooms")
        ordering = ["committee", "-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(URL_NAMES[type(self).__name__], args=[self.pk])


class RoomEvent(WorkflowEvent):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("consultation room history entry")
        verbose_name_plural = _("consultation room history entries")


class Post(CommitteeOwned):
    """A post in a room, answering another post or the topic."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="room_posts")
    author_name = models.CharField(max_length=100, blank=True)
    text = models.TextField(_("text"))
    attachment = models.FileField(_("attachment"), upload_to="participation/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["room", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class RoomSuggestion(CommitteeOwned):
    """A suggestion of a room's summary, and the ledger item it became."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="suggestions")
    suggestion = models.OneToOneField("activities.Suggestion", on_delete=models.CASCADE,
                                      related_name="room_link")

    class Meta:
        verbose_name = _("discussion room suggestion")
        verbose_name_plural = _("discussion room suggestions")
        ordering = ["room", "id"]


# --- surveys -------------------------------------------------------------------------------------


class Survey(Channel):
    class Audience(models.TextChoices):
        MEMBERS = "members", pgettext_lazy("survey audience", "Members")
        PUBLIC = "public", pgettext_lazy("survey audience", "The public")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices,
                                default=Audience.MEMBERS)
    counts_for_duty = models.BooleanField(_("counts for duty records"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["committee", "-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(URL_NAMES[type(self).__name__], args=[self.pk])


class SurveyEvent(WorkflowEvent):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("survey history entry")
        verbose_name_plural = _("survey history entries")


URL_NAMES = {"Room": "participation:room", "Survey": "participation:survey"}


class Question(CommitteeOwned):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        TEXT = "text", pgettext_lazy("survey question", "Text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(default=5)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_range(self) -> range:
        return range(1, self.scale_max + 1)


class Response(CommitteeOwned):
    """One person's answers: a login answers once; an anonymous device once (by its cookie)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="survey_responses")
    device = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["survey", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"],
                                    condition=models.Q(user__isnull=False),
                                    name="survey_response_one_per_user"),
            models.UniqueConstraint(fields=["survey", "device"], condition=~models.Q(device=""),
                                    name="survey_response_one_per_device"),
        ]


class Answer(CommitteeOwned):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # option indexes
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # scale
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["response", "question"]


# --- members' studios ------------------------------------------------------------------------


class Studio(CommitteeOwned):
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place"), max_length=200)
    themes = models.CharField(_("themes"), max_length=300, blank=True)
    lead = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("lead member"))
    members = models.ManyToManyField("members.Member", blank=True, related_name="studios",
                                     verbose_name=_("members"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("members' studio")
        verbose_name_plural = _("members' studios")
        ordering = ["committee", "name"]

    def __str__(self) -> str:
        return self.name


class StudioEvent(CommitteeOwned):
    """Something the studio did: receiving residents, a visit, a talk."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Receiving residents")
        VISIT = "visit", pgettext_lazy("studio event", "Visit")
        OTHER = "other", pgettext_lazy("studio event", "Other")

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    residents = models.PositiveIntegerField(_("residents received"), default=0)
    members = models.ManyToManyField("members.Member", blank=True, related_name="studio_events",
                                     verbose_name=_("members taking part"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("studio activity")
        verbose_name_plural = _("studio activities")
        ordering = ["studio", "-date", "-id"]

    def __str__(self) -> str:
        return self.title


class Problem(CommitteeOwned):
    """A problem residents raised at a studio, where it went and the answer back."""

    class Route(models.TextChoices):
        NONE = "", _("Not yet passed on")
        OPINION = "opinion", pgettext_lazy("passed on as", "Public-opinion report")
        PROPOSAL = "proposal", pgettext_lazy("passed on as", "Proposal")
        UNIT = "unit", pgettext_lazy("passed on as", "Department")

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="problems")
    event = models.ForeignKey(StudioEvent, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="problems")
    text = models.TextField(_("problem"))
    raised_by = models.CharField(_("raised by"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    route = models.CharField(_("passed on as"), max_length=10, choices=Route.choices,
                             default=Route.NONE, blank=True)
    opinion = models.ForeignKey("opinions.OpinionReport", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("members.HandlingUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    routed_on = models.DateField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("studio problem")
        verbose_name_plural = _("studio problems")
        ordering = ["studio", "-received_on", "-id"]

    def __str__(self) -> str:
        return self.text[:40]
