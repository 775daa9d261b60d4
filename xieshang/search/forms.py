from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.search.models import DictionaryTerm


class TermForm(forms.Form):
    word = forms.CharField(label=pgettext_lazy("search", "Term"), max_length=60,
                           help_text=_("A place, unit or policy term, e.g. 桃花坞片区."))
    part_of_speech = forms.ChoiceField(
        label=_("Part of speech"), required=False,
        choices=[("", _("(not given)")), *DictionaryTerm.PartOfSpeech.choices])
    weight = forms.IntegerField(
        label=_("Weight"), min_value=1, max_value=100, initial=5, required=False,
        help_text=_("Where two terms overlap in a text, the heavier one is kept whole."))
