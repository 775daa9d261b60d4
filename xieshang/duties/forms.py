from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.duties.facts import known_kinds
from xieshang.duties.models import Rule
from xieshang.duties.templates_rules import TEMPLATES


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=[
        (key, spec["name"]) for key, spec in TEMPLATES.items()])


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["kind", "label", "points", "cap"]

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"].strip()
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
