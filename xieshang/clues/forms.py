from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ClueForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=100)
    body = forms.CharField(label=_("Clue"), max_length=3000,
                           help_text=_("The problem, where and whom it concerns, and what you "
                                       "suggest."),
                           widget=forms.Textarea(attrs={"rows": 8}))


class PublicClueForm(ClueForm):
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False,
                            help_text=_("Leave a number if you want to hear when a member takes "
                                        "your clue up."),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise ValidationError(_("Your submission could not be accepted."))
        return value
