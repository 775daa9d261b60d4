from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.core.forms import HoneypotMixin, honeypot_field


class ClueForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=100)
    body = forms.CharField(label=_("Clue"), max_length=3000,
                           help_text=_("The problem, where and whom it concerns, and what you "
                                       "suggest."),
                           widget=forms.Textarea(attrs={"rows": 8}))


class PublicClueForm(HoneypotMixin, ClueForm):
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False,
                            help_text=_("Leave a number if you want to hear when a member takes "
                                        "your clue up."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    website = honeypot_field()  # hidden from people by CSS; bots fill every field
