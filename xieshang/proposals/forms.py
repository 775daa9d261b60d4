from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.members.forms import MemberChoices
from xieshang.members.models import CollectiveBody, HandlingUnit, Member
from xieshang.proposals import permissions, selectors, services
from xieshang.proposals.models import ExcellentNomination, Proposal, ProposalCategory


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
    co_proposers = MemberChoices(
        label=_("Co-proposers"), required=False,
        help_text=_("They are asked to confirm; only confirmed co-proposers count."))
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
            status=Member.Status.ACTIVE).exclude(pk=actor.member_id or 0).select_related(
            "sector").order_by("name", "id")
        if not actor.member_id:
            del self.fields["co_proposers"]


class SupervisionForm(forms.Form):
    """A supervision record of a key proposal (the service checks the kind and the notes)."""

    kind = forms.CharField(label=_("Kind"), required=False, max_length=20)
    date = forms.DateField(label=_("Date"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)


def _proposal_label(p: Proposal) -> str:
    return f"{p.number} {p.title}（{p.proposer_name}）"


def _nomination_label(n: ExcellentNomination) -> str:
    if n.proposal is not None:
        return _proposal_label(n.proposal)
    return f"{n.unit}（{n.get_kind_display()}）"


class NominationForm(forms.Form):
    """Put a proposal (or, for the office, a handling unit) forward for the year's list."""

    year = forms.IntegerField(label=_("Year"), min_value=2000)
    proposal = forms.ModelChoiceField(label=_("Proposal"), queryset=Proposal.objects.none(),
                                      required=False,
                                      help_text=_("Answered proposals only."))
    unit = forms.ModelChoiceField(label=_("Or a handling unit"),
                                  queryset=HandlingUnit.objects.none(), required=False)
    as_body = forms.TypedChoiceField(label=_("Nominate in the name of"), coerce=int,
                                     required=False, empty_value=None)
    reason = forms.CharField(label=_("Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("What the proposal achieved: adopted suggestions, "
                                         "results of the handling."))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["proposal"].queryset = selectors.nominable_proposals(actor)
        fields["proposal"].label_from_instance = _proposal_label
        if permissions.can_manage_excellent(actor):
            fields["unit"].queryset = scoped(actor, HandlingUnit).filter(is_active=True)
        else:
            del self.fields["unit"]
        bodies = scoped(actor, CollectiveBody).filter(pk__in=actor.body_ids).order_by("name")
        if bodies and actor.has(Role.COLLECTIVE):
            fields["as_body"].choices = [(b.pk, b.name) for b in bodies]
            if not permissions.can_manage_excellent(actor) and not actor.is_unit:
                fields["as_body"].required = True
            else:
                fields["as_body"].choices = [("", _("the office or unit I work for")),
                                             *fields["as_body"].choices]
        else:
            del self.fields["as_body"]


class DecisionForm(forms.Form):
    """The committee meeting's decision on the year's nominations."""

    selected = forms.ModelMultipleChoiceField(
        label=_("On the final list"), queryset=ExcellentNomination.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False)
    resolution_no = forms.CharField(label=_("Resolution number"), max_length=60, required=False,
                                    help_text=_("e.g. 县政协常委会议决定〔2026〕3号"))
    resolution_date = forms.DateField(label=_("Resolution date"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, nominations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["selected"].queryset = nominations
        fields["selected"].label_from_instance = _nomination_label
