"""Forms of the activities pages; choices are always limited to the actor's committee."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.activities.models import (
    DETAIL_SCHEMAS,
    Activity,
    ActivityFile,
    ActivityType,
    LearningMaterial,
    Suggestion,
)
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.members.forms import MemberChoices
from xieshang.members.models import ActivityGroup, HandlingUnit, Member, Sector, SpecialCommittee

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def detail_field_name(category: str, key: str) -> str:
    return f"d_{category}_{key}"


class ScopedForm(forms.Form):
    def _qs(self, name: str, qs: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = qs


class ActivityForm(ScopedForm):
    type = forms.ModelChoiceField(ActivityType.objects.none(), label=_("Type"))
    title = forms.CharField(label=pgettext_lazy("activities", "Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))
    start = forms.DateTimeField(label=_("Starts"), widget=DT)
    end = forms.DateTimeField(label=_("Ends"), widget=DT, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organiser = forms.ChoiceField(label=_("Organiser"), choices=Activity.Organiser.choices)
    special_committee = forms.ModelChoiceField(SpecialCommittee.objects.none(), required=False,
                                               label=_("Special committee"))
    group = forms.ModelChoiceField(ActivityGroup.objects.none(), required=False,
                                   label=_("Activity group"))
    lead = forms.ModelChoiceField(Member.objects.none(), required=False,
                                  label=_("Leading leader"))
    units = forms.ModelMultipleChoiceField(
        HandlingUnit.objects.none(), required=False, label=_("Departments / units"),
        help_text=_("Required for counterpart consultations and democratic supervision."))
    materials = forms.ModelMultipleChoiceField(LearningMaterial.objects.none(), required=False,
                                               label=_("Learning materials"))
    description = forms.CharField(label=pgettext_lazy("activities", "Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minutes (纪要)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._qs("type", scoped(actor, ActivityType).filter(is_active=True))
        self._qs("special_committee", scoped(actor, SpecialCommittee).filter(
            dissolved_on__isnull=True))
        self._qs("group", scoped(actor, ActivityGroup))
        self._qs("lead", scoped(actor, Member).filter(status="active"))
        self._qs("units", scoped(actor, HandlingUnit).filter(is_active=True))
        self._qs("materials", scoped(actor, LearningMaterial))
        for category, schema in DETAIL_SCHEMAS.items():
            for key, (kind, label) in schema.items():
                field: forms.Field
                if kind is int:
                    field = forms.IntegerField(min_value=0)
                elif kind is float:
                    field = forms.FloatField(min_value=0)
                elif key.endswith("_on"):
                    field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
                else:
                    field = forms.CharField(max_length=200)
                field.required = False
                field.label = label
                field.widget.attrs["data-category"] = category
                self.fields[detail_field_name(category, key)] = field

    def details(self) -> dict[str, Any]:
        """The detail values of the chosen type's category only."""
        activity_type = self.cleaned_data.get("type")
        if activity_type is None:
            return {}
        out: dict[str, Any] = {}
        for key in DETAIL_SCHEMAS.get(activity_type.category, {}):
            value = self.cleaned_data.get(detail_field_name(activity_type.category, key))
            if value not in (None, ""):
                out[key] = value.isoformat() if hasattr(value, "isoformat") else value
        return out

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("type", "title", "topic", "start", "end", "place", "organiser",
                                  "special_committee", "group", "lead", "description",
                                  "minutes")} | {"details": self.details()}

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {k: getattr(activity, k) for k in (
            "type", "title", "topic", "start", "end", "place", "organiser", "special_committee",
            "group", "lead", "description", "minutes")}
        initial["units"] = list(activity.units.all())
        initial["materials"] = list(activity.materials.all())
        for key, value in (activity.details or {}).items():
            initial[detail_field_name(activity.type.category, key)] = value
        return initial


class InviteForm(ScopedForm):
    members = MemberChoices(required=False, label=pgettext_lazy("activities", "Members"))
    sectors = forms.ModelMultipleChoiceField(Sector.objects.none(), required=False,
                                             label=_("Sectors"))
    special_committees = forms.ModelMultipleChoiceField(SpecialCommittee.objects.none(),
                                                        required=False,
                                                        label=_("Special committees"))
    groups = forms.ModelMultipleChoiceField(ActivityGroup.objects.none(), required=False,
                                            label=_("Activity groups"))
    everyone = forms.BooleanField(required=False, label=_("All serving members"))

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._qs("members", scoped(actor, Member).filter(status="active").select_related(
            "sector").order_by("name", "id"))
        self._qs("sectors", scoped(actor, Sector).filter(is_active=True))
        self._qs("special_committees", scoped(actor, SpecialCommittee))
        self._qs("groups", scoped(actor, ActivityGroup))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("members", "sectors", "special_committees", "groups",
                                          "everyone")):
            raise forms.ValidationError(_("Choose whom to invite."))
        return data


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityFile.Kind.choices)
    title = forms.CharField(
        label=pgettext_lazy("activities", "Title"), max_length=200, required=False
    )
    upload = forms.FileField(label=pgettext_lazy("activities", "File"))


class SuggestionForm(ScopedForm):
    text = forms.CharField(label=_("Suggestion"), widget=forms.Textarea(attrs={"rows": 3}))
    recipient_unit = forms.ModelChoiceField(HandlingUnit.objects.none(), required=False,
                                            label=pgettext_lazy("activities", "Department"))
    recipient_body = forms.CharField(label=_("Or party / government body"), max_length=100,
                                     required=False)
    document = forms.ModelChoiceField(ActivityFile.objects.none(), required=False,
                                      label=_("From report"))

    def __init__(self, actor: Actor, activity: Activity, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._qs("recipient_unit", scoped(actor, HandlingUnit).filter(
            is_active=True))
        self._qs("document", scoped(actor, ActivityFile).filter(
            activity=activity, kind__in=[ActivityFile.Kind.REPORT,
                                         ActivityFile.Kind.RECOMMENDATION]))


class MaterialForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("activities", "Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False)
    text = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    upload = forms.FileField(label=pgettext_lazy("activities", "File"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=LearningMaterial.Audience.choices)


ADOPTION_CHOICES = [c for c in Suggestion.Adoption.choices if c[0]]
