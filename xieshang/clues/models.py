"""Proposal clues (提案线索): ideas for proposals sent by the public on the committee's website or
by members, screened and tagged by the proposal office, kept in a library that members browse
and turn into proposal drafts."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import WorkflowEvent
from xieshang.core.owned import CommitteeOwned
from xieshang.core.validators import mask_phone


class Clue(CommitteeOwned):
    class Status(models.TextChoices):
        NEW = "new", _("Waiting for screening")
        ACCEPTED = "accepted", _("In the clue library")
        NOT_USED = "not_used", _("Not used")
        MERGED = "merged", _("Merged into another clue")
        ADOPTED = "adopted", _("Turned into a proposal")

    class Source(models.TextChoices):
        PUBLIC = "public", _("The public (website)")
        MEMBER = "member", _("A member")

    title = models.CharField(_("subject"), max_length=100)
    body = models.TextField(_("clue"), max_length=3000)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    category = models.ForeignKey("proposals.ProposalCategory", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("category"))
    author_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    author_user = models.ForeignKey("core.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    author_member = models.ForeignKey("members.Member", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("member"))
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.NEW, db_index=True)
    version = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_clues", verbose_name=_("merged into"))
    proposal = models.ForeignKey("proposals.Proposal", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("proposal"))
    adopted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("proposal clue")
        verbose_name_plural = _("proposal clues")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("clues:detail", args=[self.pk])

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""


class ClueEvent(WorkflowEvent):
    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("clue history entry")
        verbose_name_plural = _("clue history entries")
        pass
