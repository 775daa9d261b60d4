from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.members.models import HandlingUnit, Member
from xieshang.proposals import services
from xieshang.proposals.models import ProposalCategory


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("proposals", "Title"),
        max_length=200,
        required=False,
        help_text=_("In the form “关于……的建议”."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=ProposalCategory.objects.none(),
                                      required=False)
    body = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("The situation, its analysis and concrete suggestions."))
    suggested_units = forms.ModelMultipleChoiceField(
        label=_("Suggested handling units"), queryset=HandlingUnit.objects.none(), required=False,
        help_text=_("At most five."), widget=forms.SelectMultiple(attrs={"size": 5}))
    co_proposers = forms.ModelMultipleChoiceField(
        label=_("Co-proposers"), queryset=Member.objects.none(), required=False,
        help_text=_("They are asked to confirm; only confirmed co-proposers count."),
        widget=forms.SelectMultiple(attrs={"size": 5}))
    consent_disclosure = forms.BooleanField(label=_("Agree to public disclosure"),
                                            required=False, initial=True)
    nondisclosure_reason = forms.CharField(label=_("Reason for not disclosing"), max_length=200,
                                           required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False,
                                 help_text=_("PDF, Word or image."))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert actor.committee is not None
        services.categories_ensure(actor.committee)
        fields: Any = self.fields
        fields["category"].queryset = scoped(actor, ProposalCategory).filter(is_active=True)
        fields["suggested_units"].queryset = scoped(actor, HandlingUnit).filter(is_active=True)
        fields["co_proposers"].queryset = scoped(actor, Member).filter(
            status=Member.Status.ACTIVE).exclude(pk=actor.member_id or 0)
        if not actor.member_id:
            del self.fields["co_proposers"]


class SupervisionForm(forms.Form):
    """A supervision record of a key proposal (the service checks the kind and the notes)."""

    kind = forms.CharField(label=_("Kind"), required=False, max_length=20)
    date = forms.DateField(label=_("Date"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
