"""Plenary and standing committee meetings (全体会议、常委会议): agenda, papers, speakers,
votes (表决) and elections (选举).

A meeting is built on the activity that records it (``activities.Activity``): the invitations,
leave and attendance of that activity are the meeting's; registration (报到) is the activity's
sign-in, by staff or by QR code. Nothing about who attends is stored twice.

Secret ballots are unlinkable (docs/security.md): who took part is a ``Participation`` row;
what was chosen only increments a counter (``Tally``) that carries no member, no user and no
time, so no query joins a member to a choice.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import WorkflowEvent
from xieshang.core.owned import CommitteeOwned
from xieshang.meetings import counting


class Meeting(CommitteeOwned):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary session")
        STANDING = "standing", _("Standing committee meeting")

    activity = models.OneToOneField("activities.Activity", on_delete=models.PROTECT,
                                    related_name="meeting", verbose_name=_("activity"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.PLENARY)
    title = models.CharField(_("title"), max_length=200)
    # What the projector shows now.
    current_item = models.ForeignKey("AgendaItem", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    current_speaker = models.ForeignKey("Speaker", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    current_poll = models.ForeignKey("Poll", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    current_election = models.ForeignKey("Election", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["committee", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])


class AgendaItem(CommitteeOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Paper(CommitteeOwned):
    """A paper of an agenda item (a draft for discussion or a final text), read on the phone."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft for discussion")
        FINAL = "final", _("Final text")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DRAFT)
    text = models.TextField(_("text"))
    withdraw_after = models.BooleanField(_("withdrawn after the meeting"), default=False)
    # The public website's article of a final text (``services.result_publish``), once made.
    article = models.OneToOneField("portal.Article", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("website article"))

    class Meta:
        verbose_name = _("meeting paper")
        verbose_name_plural = _("meeting papers")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title


class PaperRead(CommitteeOwned):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("paper reading confirmation")
        verbose_name_plural = _("paper reading confirmations")
        constraints = [models.UniqueConstraint(fields=["paper", "member"],
                                               name="paper_read_once")]


class Speaker(CommitteeOwned):
    """One place on the list of speakers of an agenda item (an oral 大会发言 or a request)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speakers")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    speech = models.ForeignKey("activities.Speech", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    minutes = models.PositiveSmallIntegerField(_("speaking time (minutes)"), default=5)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("speaker on the list")
        verbose_name_plural = _("speakers on the list")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return str(self.member)


class Majority(models.TextChoices):
    ALL_MEMBERS = "all", _("More than half of all members")
    PRESENT = "present", _("More than half of the members present")


class Poll(CommitteeOwned):
    """A vote (表决) on an agenda item: yes / no / abstain."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("poll", "Not opened")
        OPEN = "open", pgettext_lazy("poll", "Voting")
        CLOSED = "closed", pgettext_lazy("poll", "Closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="polls")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="polls", verbose_name=_("agenda item"))
    title = models.CharField(_("title"), max_length=200)
    secret = models.BooleanField(_("secret ballot"), default=False)
    majority = models.CharField(_("majority required"), max_length=10, choices=Majority.choices,
                                default=Majority.ALL_MEMBERS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    version = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The record, fixed when the poll closes.
    members_total = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(null=True)
    digest = models.CharField(max_length=64, blank=True)
    # The public website's article of the result (``services.result_publish``), once made.
    article = models.OneToOneField("portal.Article", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("website article"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:poll", args=[self.pk])


class Choice(models.TextChoices):
    YES = "yes", pgettext_lazy("meeting", "In favour")
    NO = "no", pgettext_lazy("meeting", "Against")
    ABSTAIN = "abstain", pgettext_lazy("meeting", "Abstain")


class PollParticipation(CommitteeOwned):
    """Who voted. For an open vote also what; for a secret one never (``choice`` stays blank)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)

    class Meta:
        verbose_name = _("vote participation")
        verbose_name_plural = _("vote participations")
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="poll_vote_once")]


class PollTally(CommitteeOwned):
    """The electronic count of one choice: a counter, no member, no time (unlinkable)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="tallies")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("vote tally")
        verbose_name_plural = _("vote tallies")
        constraints = [models.UniqueConstraint(fields=["poll", "choice"],
                                               name="poll_tally_choice")]


class PaperBox(CommitteeOwned):
    """Counts of paper ballots from one ballot box (the fallback), entered by staff."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="boxes")
    label = models.CharField(_("ballot box"), max_length=50)
    yes = models.PositiveIntegerField(_("in favour"), default=0)
    no = models.PositiveIntegerField(_("against"), default=0)
    abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    voters = models.PositiveIntegerField(_("ballots"), default=0)

    class Meta:
        verbose_name = _("paper ballot box")
        verbose_name_plural = _("paper ballot boxes")
        constraints = [models.UniqueConstraint(fields=["poll", "label"], name="paper_box_once")]


class Election(CommitteeOwned):
    """An election (选举) by secret ballot: one ballot paper with one or more positions."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("poll", "Not opened")
        OPEN = "open", pgettext_lazy("poll", "Voting")
        CLOSED = "closed", pgettext_lazy("poll", "Closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="elections")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    version = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    members_total = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    ballots = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    # The public website's article of the result (``services.result_publish``), once made.
    article = models.OneToOneField("portal.Article", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("website article"))

    # A runoff (另行选举) of the seats an earlier election left empty; counted by the runoff
    # rule (``counting.RUNOFF``).
    runoff_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="runoffs", verbose_name=_("runoff of"))

    @property
    def rule(self) -> str:
        return counting.RUNOFF if self.runoff_of_id else counting.MAJORITY

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:election", args=[self.pk])


class Position(CommitteeOwned):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="positions")
    name = models.CharField(_("position"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    order = models.PositiveSmallIntegerField(default=0)
    # Counted as ballots arrive (each voter's part for this position: valid or invalid).
    valid = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("election position")
        verbose_name_plural = _("election positions")
        ordering = ["election", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Candidate(CommitteeOwned):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    member = models.ForeignKey("members.Member", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("election candidate")
        verbose_name_plural = _("election candidates")
        ordering = ["position", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["position", "name"],
                                               name="candidate_once")]

    def __str__(self) -> str:
        return self.name


class ElectionParticipation(CommitteeOwned):
    """Who has cast a ballot in an election; what they marked is in ``ElectionTally`` only."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE,
                                 related_name="participations")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot participation")
        verbose_name_plural = _("ballot participations")
        constraints = [models.UniqueConstraint(fields=["election", "member"],
                                               name="election_vote_once")]


class ElectionTally(CommitteeOwned):
    """Votes for one name (a candidate or a written-in name) for one position: a counter."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="tallies")
    name = models.CharField(max_length=50)
    written_in = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("election tally")
        verbose_name_plural = _("election tallies")
        constraints = [models.UniqueConstraint(fields=["position", "name"],
                                               name="election_tally_name")]


class MeetingEvent(WorkflowEvent):
    """One step of a vote or an election (opened, closed)."""

    poll = models.ForeignKey(Poll, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="events")
    election = models.ForeignKey(Election, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("meeting history entry")
        verbose_name_plural = _("meeting history entries")
        pass


class DiscussionGroup(CommitteeOwned):
    """A discussion group (分组讨论) of a meeting: members placed by sector, with a room, a time
    and a convener (召集人). A member is in at most one group of a meeting (``GroupMember``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    convener = models.ForeignKey("members.Member", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("convener"))
    sectors = models.ManyToManyField("members.Sector", blank=True, related_name="+",
                                     verbose_name=_("sectors"))
    # 讨论纪要, recorded by staff; sent on to the activity's suggestion ledger when asked.
    notes = models.TextField(_("discussion notes"), blank=True)
    notes_suggestion = models.ForeignKey("activities.Suggestion", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("discussion group")
        verbose_name_plural = _("discussion groups")
        ordering = ["meeting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"],
                                               name="discussion_group_name")]

    def __str__(self) -> str:
        return self.name


class GroupMember(CommitteeOwned):
    """A member's place in a discussion group; ``meeting`` is repeated so that the database
    itself keeps a member in one group per meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(DiscussionGroup, on_delete=models.CASCADE,
                              related_name="placements")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("discussion group member")
        verbose_name_plural = _("discussion group members")
        ordering = ["group", "member__sector__order", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="one_group_per_meeting")]
