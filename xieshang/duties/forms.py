from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.duties.facts import known_kinds
from xieshang.duties.models import ManualItem, Rule
from xieshang.duties.templates_rules import TEMPLATES
from xieshang.members.models import Member


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=[
        (key, spec["name"]) for key, spec in TEMPLATES.items()])


class RuleForm(forms.ModelForm[Rule]):
    class Meta:
        model = Rule
        fields = ["kind", "label", "points", "cap"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff pick a kind by its wording; the code is what is stored.
        kinds = sorted(known_kinds().items(), key=lambda item: item[1])
        self.fields["kind"].widget = forms.Select(
            choices=[("", pgettext_lazy("duties", "Choose a kind of record")), *kinds])
        self.fields["kind"].help_text = ""  # the model's help explains codes, not shown here

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"].strip()
        kinds = known_kinds()
        if kind in kinds or kind.endswith("*") or kind.startswith("manual:"):
            return kind
        raise forms.ValidationError(
            _("Unknown kind of record. Known kinds: %(kinds)s")
            % {"kinds": "、".join(sorted(kinds))})


class SelfReportForm(forms.Form):
    overview = forms.CharField(label=_("How I performed my duties"), required=False,
                               max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))
    achievements = forms.CharField(label=_("Main results"), required=False, max_length=20_000,
                                   widget=forms.Textarea(attrs={"rows": 6}))
    shortcomings = forms.CharField(label=_("Shortcomings"), required=False, max_length=20_000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    plans = forms.CharField(label=_("Plans for next year"), required=False, max_length=20_000,
                            widget=forms.Textarea(attrs={"rows": 4}))


class ManualItemForm(forms.Form):
    """An award, outside duty, volunteer service or penalty recorded by the office."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    code = forms.ChoiceField(label=_("Kind"), choices=ManualItem.Kind.choices)
    description = forms.CharField(label=_("What was it"), max_length=300,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence (certificate, letter of appointment…)"),
                               required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args: object, members: object, editing: bool = False,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        if editing:
            self.fields["member"].disabled = True
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is the item withdrawn?"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
