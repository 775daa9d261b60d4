"""The search index: one row per searchable record, with bigram/unigram token columns.

SQLite: an FTS5 table ``search_fts`` (external content) over the token columns, kept in step by
triggers. PostgreSQL: GIN indexes on ``to_tsvector('simple', …)`` of the same columns. Both are
created by migration 0002 for the database in use.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.owned import CommitteeOwned


class SearchEntry(CommitteeOwned):
    """Who may see an entry is not stored: the search asks the kind's ``visible(actor)``."""

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    object_id = models.CharField(max_length=64)
    title = models.CharField(pgettext_lazy("search", "title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    date = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    facets = models.JSONField(default=dict, blank=True)
    bi = models.TextField(blank=True)
    uni = models.TextField(blank=True)
    # "c12 kproposal": committee and kind as tokens (entries written before 0006 may also hold
    # the retired visibility and owner tokens, which no query reads).
    scope = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]
        indexes = [models.Index(fields=["committee", "kind", "-date"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class DictionaryTerm(CommitteeOwned):
    """A committee's own word for segmentation: a place, a unit, a policy term."""

    class PartOfSpeech(models.TextChoices):
        PLACE = "ns", _("Place name")
        ORGANISATION = "nt", _("Unit or organisation")
        TERM = "nz", _("Policy or other term")
        NOUN = "n", _("Common noun")

    word = models.CharField(pgettext_lazy("search", "term"), max_length=30)
    part_of_speech = models.CharField(_("part of speech"), max_length=2, blank=True,
                                      choices=PartOfSpeech.choices)
    # Where two terms overlap in a text, the heavier one is kept whole.
    weight = models.PositiveSmallIntegerField(_("weight"), default=5)
    created_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dictionary term")
        verbose_name_plural = _("dictionary terms")
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "word"], name="search_term_unique"),
        ]

    def __str__(self) -> str:
        return self.word
