"""The committee's public website: columns, articles (news, notices, publications, learning)."""

from __future__ import annotations

import re

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


class Site(CommitteeOwned):
    """Per-committee site settings (one row per committee)."""

    title = models.CharField(_("site title"), max_length=100)
    banner_text = models.CharField(_("banner text"), max_length=200, blank=True)
    host_name = models.CharField(_("host name"), max_length=100, blank=True, db_index=True,
                                 help_text=_("Optional: serve this site at its own host name."))
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    icp_number = models.CharField(_("ICP filing number"), max_length=50, blank=True)
    is_public = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("website")
        verbose_name_plural = _("websites")
        constraints = [
            models.UniqueConstraint(fields=["committee"], name="site_one_per_committee"),
            # One site per host name (the host-name middleware must find exactly one).
            models.UniqueConstraint(
                fields=["host_name"], condition=~models.Q(host_name=""),
                name="site_host_name_unique",
                violation_error_message=_("Another committee's site uses this host name.")),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.host_name = normalise_host(self.host_name)
        problem = host_problem(self.host_name)
        if problem:
            raise ValidationError({"host_name": problem})


LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST = re.compile(rf"^(?=.{{1,100}}$){LABEL}(\.{LABEL})*$")


def normalise_host(host: str) -> str:
    return (host or "").strip().lower().rstrip(".")


def platform_hosts() -> set[str]:
    """The host names the platform itself answers on (its login, its pages): never a
    committee site's. ``XIESHANG_PLATFORM_HOSTS``, by default the first ``ALLOWED_HOSTS``
    entry (the platform's own name comes first there; committees' sites after it), and
    always the loopback names."""
    names = list(getattr(settings, "XIESHANG_PLATFORM_HOSTS", None) or settings.ALLOWED_HOSTS[:1])
    return {normalise_host(h) for h in names if h and h not in ("*", ".")} | {
        "localhost", "127.0.0.1", "::1", "testserver"}


def host_problem(host: str) -> str:
    """Why ``host`` cannot be a committee site's own host name ("" when it can)."""
    if not host:
        return ""
    if not HOST.match(host):
        return str(_("Enter a host name such as www.example.gov.cn (no http:// and no path)."))
    if host.replace(".", "").isdigit() or host in platform_hosts() or any(
            host == h.lstrip(".") or (h.startswith(".") and host.endswith(h))
            for h in platform_hosts()):
        return str(_("This is a host name of the platform itself (or an address): a "
                     "committee's site cannot take it over."))
    return ""


class Column(CommitteeOwned):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        NOTICE = "notice", _("Notices")
        PUBLICATION = "publication", _("Publications")
        LEARNING = "learning", _("Learning library")

    slug = models.SlugField(_("address"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["committee", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "slug"], name="column_slug")]

    def __str__(self) -> str:
        return self.name


class Image(CommitteeOwned):
    """An uploaded picture, checked by content, re-encoded and at most MAX_WIDTH px wide."""

    file = models.FileField(_("file"), upload_to="portal/images/%Y/")
    alt = models.CharField(_("description (alt text)"), max_length=200,
                           help_text=_("What the picture shows, for readers who cannot see "
                                       "it."))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey("core.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.alt

    def public_url(self) -> str:
        """Served through the site (so it works wherever /media/ is not published)."""
        return reverse("portal-image", args=[self.committee.code, self.pk])


class Article(CommitteeOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Waiting for review")
        PUBLISHED = "published", pgettext_lazy("website", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("portal", "Withdrawn")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Members only")

    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="articles",
                               verbose_name=_("column"))
    title = models.CharField(pgettext_lazy("portal", "title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(pgettext_lazy("website", "text"),
                            help_text=_("Basic formatting is kept; scripts and unsafe markup are "
                                        "removed."))
    attachment = models.FileField(_("attachment"), upload_to="portal/%Y/", blank=True)
    cover = models.ForeignKey(Image, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("cover image"))
    # A published learning-library article is also a learning material of the activities app,
    # so that members' reading records on the site count in the learning coverage.
    learning_material = models.OneToOneField(
        "activities.LearningMaterial", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="portal_article", verbose_name=_("learning material"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    audience = models.CharField(pgettext_lazy("website", "audience"), max_length=10,
                                choices=Audience.choices, default=Audience.PUBLIC)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now,
                                      help_text=_("A later time schedules the publication."))
    author = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # Who saved the text last: with the author and the submitter, not the one who publishes
    # (four eyes, ``permissions.can_publish``).
    edited_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["committee", "status", "-publish_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The article on the committee's public site."""
        return reverse("portal-article", args=[self.committee.code, self.pk])

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= clock.now()

    @property
    def is_learning(self) -> bool:
        return self.column.kind == Column.Kind.LEARNING


class ArticleEvent(WorkflowEvent):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("article history entry")
        verbose_name_plural = _("article history entries")
        pass
