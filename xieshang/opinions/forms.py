from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.forms import HoneypotMixin, honeypot_field
from xieshang.opinions.models import Bulletin, Category, OpinionOutcome


class ReportForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("opinions", "Title"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": "关于……的建议"}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    situation = forms.CharField(label=_("Situation"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
    analysis = forms.CharField(label=_("Analysis"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    suggestion = forms.CharField(label=_("Suggestion"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    body = forms.CharField(label=_("Or the whole text"), required=False,
                           help_text=_("Use this instead of the three parts if you prefer."),
                           widget=forms.Textarea(attrs={"rows": 5}))


class EditForm(ReportForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("What was changed"), required=False, max_length=200)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OpinionOutcome.Kind.choices)
    date = forms.DateField(label=_("Date"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    publication = forms.CharField(label=_("Publication or media"), required=False,
                                  max_length=200)
    person = forms.CharField(
        label=pgettext_lazy("opinions", "Leader"), required=False, max_length=100
    )
    person_level = forms.CharField(label=_("Leader's level"), required=False, max_length=50)
    text = forms.CharField(
        label=_("Instruction text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    department = forms.CharField(
        label=pgettext_lazy("opinions", "Department"), required=False, max_length=200
    )
    reply = forms.CharField(label=_("Department's reply"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Bulletin.Kind.choices)
    recipients = forms.CharField(label=_("Recipients"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class TopicForm(HoneypotMixin, forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=100)
    description = forms.CharField(label=pgettext_lazy("opinions", "Description"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel",
                                                          "autocomplete": "tel"}))
    website = honeypot_field()  # hidden from people by CSS; bots fill every field


class CorrespondentForm(forms.Form):
    username = forms.CharField(label=_("Username or mobile phone of the account"),
                               max_length=64)
    name = forms.CharField(label=_("Name"), max_length=50)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)


def form_text(form: forms.Form) -> dict[str, Any]:
    return {k: form.cleaned_data.get(k, "") for k in
            ("title", "category", "situation", "analysis", "suggestion", "body")}
