"""A committee's user dictionary: its own place, unit and policy terms for segmentation.

``dictionary_for(committee_id)`` gives the terms as a ``segment.UserDictionary``; code that
segments a committee's text (similar proposals, routing, hot topics) does it inside
``segment.using(dictionary_for(committee_id))``, reading the terms through
``core.dictionary`` (the source this module installs), so that it need not import search.
Adding or removing a term queues ``refresh_task``, which sends ``core.dictionary.
dictionary_changed``: the proposals app retrains the committee's router and refits its
similarity model. Per-process caches notice a change by the dictionary's version (count and
last change).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.tasks import task
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core import dictionary as core_dictionary
from xieshang.core.dictionary import dictionary_changed
from xieshang.core.permissions import Actor, require
from xieshang.search import permissions
from xieshang.search.models import DictionaryTerm
from xieshang.textmining import segment

MAX_TERMS = 5000
_WORD = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff0-9A-Za-z·\-]{2,30}$")
_CACHE: dict[int, tuple[tuple[object, ...], segment.UserDictionary]] = {}


def _version(committee_ids: Iterable[int]) -> tuple[object, ...]:
    stats = DictionaryTerm.objects.filter(committee_id__in=list(committee_ids)).aggregate(
        n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return stats["n"], stats["last"], stats["top"]


def dictionary_for(committee_id: int | None) -> segment.UserDictionary:
    """The committee's terms (cached in this process until one is added or removed)."""
    if committee_id is None:
        return segment.UserDictionary()
    version = _version([committee_id])
    cached = _CACHE.get(committee_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    terms = tuple(DictionaryTerm.objects.filter(committee_id=committee_id).order_by("word")
                  .values_list("word", "part_of_speech", "weight"))
    dictionary = segment.UserDictionary(terms)
    _CACHE[committee_id] = (version, dictionary)
    return dictionary


def dictionary_for_many(committee_ids: Iterable[int]) -> segment.UserDictionary:
    """The union of several committees' terms (a leader's view over a committee tree)."""
    ids = sorted(set(committee_ids))
    if len(ids) == 1:
        return dictionary_for(ids[0])
    terms = tuple(DictionaryTerm.objects.filter(committee_id__in=ids).order_by("word", "-weight")
                  .distinct().values_list("word", "part_of_speech", "weight"))
    return segment.UserDictionary(terms)


def clean_word(word: str) -> str:
    word = segment.normalise(word or "").replace(" ", "")
    if not _WORD.match(word):
        raise ValidationError({"word": _(
            "A term is 2 to 30 Chinese characters, letters or digits, without spaces or "
            "punctuation.")})
    return word


def term_add(*, actor: Actor, word: str, part_of_speech: str = "", weight: int = 5
             ) -> DictionaryTerm:
    require(permissions.can_edit_dictionary(actor))
    assert actor.committee is not None
    word = clean_word(word)
    if part_of_speech not in ("", *DictionaryTerm.PartOfSpeech.values):
        raise ValidationError({"part_of_speech": _("Choose a part of speech from the list.")})
    if not 1 <= int(weight) <= 100:
        raise ValidationError({"weight": _("The weight is a whole number from 1 to 100.")})
    if DictionaryTerm.objects.filter(committee=actor.committee).count() >= MAX_TERMS:
        raise ValidationError(_("The dictionary is full (%(n)d terms).") % {"n": MAX_TERMS})
    try:
        with transaction.atomic():
            term = DictionaryTerm.objects.create(
                committee=actor.committee, word=word, part_of_speech=part_of_speech,
                weight=int(weight), created_by=actor.user)
            audit.record(actor, "dictionary.add", term, after=audit.snapshot(term))
    except IntegrityError:
        raise ValidationError({"word": _("This term is already in the dictionary.")}) from None
    _queue_refresh(actor.committee.pk)
    return term


def term_remove(*, actor: Actor, term: DictionaryTerm) -> None:
    require(permissions.can_edit_dictionary(actor) and actor.acts_in(term))
    with transaction.atomic():
        audit.record(actor, "dictionary.remove", term, before=audit.snapshot(term))
        term.delete()
    _queue_refresh(term.committee_id)


def _queue_refresh(committee_id: int) -> None:
    transaction.on_commit(lambda: refresh_task.enqueue(committee_id))


@task()
def refresh_task(committee_id: int) -> str:
    """After a change: tell the apps that keep models built with the terms (the proposals
    router and similarity model) to rebuild them; web processes refit theirs when they see the
    new dictionary version."""
    notes = [str(note) for _receiver, note in dictionary_changed.send(
        sender=DictionaryTerm, committee_id=committee_id) if note]
    return "; ".join(notes) or "nothing to refresh"


SOURCE = core_dictionary.Source(one=dictionary_for, many=dictionary_for_many)
