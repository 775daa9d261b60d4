"""Forms of the office's member, unit and roster pages. They check input; services write it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.core import clock
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.core.validators import validate_id_number, validate_mobile
from xieshang.core.widgets import Picker
from xieshang.members import roster, selectors
from xieshang.members.models import HandlingUnit, Member, Sector

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _plain_char(label: Any, max_length: int, *, required: bool = False,
                **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required,
                           validators=[roster.validate_plain_text], **kwargs)


class MemberForm(forms.Form):
    """Personal data of a member; the sector list holds only this committee's sectors."""

    name = _plain_char(gettext_lazy("Name"), 50, required=True)
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Member.Gender.choices,
                               widget=forms.RadioSelect)
    ethnicity = _plain_char(gettext_lazy("Ethnicity"), 20, required=True, initial="汉族")
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), required=False,
                                 input_formats=DATE_FORMATS, widget=DateInput())
    party = _plain_char(gettext_lazy("Political affiliation"), 30,
                        help_text=gettext_lazy("For example 中共党员, 民革党员, 无党派人士."))
    sector = forms.ModelChoiceField(label=gettext_lazy("Sector"), queryset=Sector.objects.none(),
                                    required=False, empty_label="—")
    workplace = _plain_char(gettext_lazy("Workplace and title"), 200)
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "off"}))
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=18, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    is_standing = forms.BooleanField(label=gettext_lazy("Standing committee member"),
                                     required=False)
    joined_on = forms.DateField(label=gettext_lazy("Took office on"),
                                input_formats=DATE_FORMATS, widget=DateInput())

    def __init__(self, *args: Any, actor: Actor, member: Member | None = None,
                 **kwargs: Any) -> None:
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(member, f) for f in (
                "name", "gender", "ethnicity", "birth_date", "party", "workplace", "phone",
                "id_number", "is_standing", "joined_on")} | {"sector": member.sector_id}
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.member = member
        sectors = scoped(actor, Sector).filter(is_active=True)
        if member is not None and member.sector_id:
            sectors = scoped(actor, Sector).filter(is_active=True) | scoped(
                actor, Sector).filter(pk=member.sector_id)
        sector_field = self.fields["sector"]
        assert isinstance(sector_field, forms.ModelChoiceField)
        sector_field.queryset = sectors.order_by("order", "id")
        if member is None:
            self.fields["joined_on"].initial = clock.today()

    def clean_name(self) -> str:
        try:
            return roster.person_name(self.cleaned_data["name"])
        except roster.CellError as exc:
            raise ValidationError(str(exc)) from None

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return validate_mobile(value) if value else ""

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if not value:
            return ""
        number = validate_id_number(value)
        if roster.birth_date_of(number) is None:
            raise ValidationError(_("The date of birth inside the ID number is not a real date."))
        return number

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["birth_date"]
        if value is not None and not dt.date(1900, 1, 1) <= value <= clock.today():
            raise ValidationError(_("Enter a date between 1900 and today."))
        return value

    def clean_joined_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["joined_on"]
        latest = clock.today() + dt.timedelta(days=366)
        if not dt.date(1949, 1, 1) <= value <= latest:
            raise ValidationError(_("Enter a date between 1949 and next year."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        phone, id_number = data.get("phone", ""), data.get("id_number", "")
        if "phone" in data and "id_number" in data and not phone and not id_number:
            self.add_error("phone", _(
                "Enter the mobile number or the ID number: one is needed to recognise the member."))
        if id_number:
            born = roster.birth_date_of(id_number)
            if data.get("birth_date") and born and data["birth_date"] != born:
                self.add_error("birth_date", _(
                    "The date of birth does not agree with the ID number (%(date)s).")
                    % {"date": born.isoformat()})
            elif "birth_date" in data and data["birth_date"] is None:
                data["birth_date"] = born
        exclude = self.member.pk if self.member is not None else None
        for other in selectors.members_with_identity(self.actor, id_number=id_number,
                                                     phone=phone, exclude_pk=exclude)[:5]:
            if id_number and other.id_number.upper() == id_number:
                self.add_error("id_number", _("Member %(name)s already has this ID number.")
                               % {"name": other.name})
            if phone and other.phone == phone:
                self.add_error("phone", _("Member %(name)s already has this mobile number.")
                               % {"name": other.name})
        return data

    def member_fields(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of services.member_create/member_update."""
        return {k: self.cleaned_data[k] for k in (
            "name", "gender", "ethnicity", "birth_date", "party", "sector", "workplace",
            "phone", "id_number", "is_standing", "joined_on")}

    def changed_member_fields(self) -> dict[str, Any]:
        assert self.member is not None
        out = {}
        for key, value in self.member_fields().items():
            current = self.member.sector if key == "sector" else getattr(self.member, key)
            if current != value:
                out[key] = value
        return out


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("Left on"), input_formats=DATE_FORMATS,
                              widget=DateInput())
    reason = _plain_char(gettext_lazy("Reason"), 200, required=True,
                         help_text=gettext_lazy("For example 工作调动, 辞去委员职务, 届满."))

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["left_on"].initial = clock.today()

    def clean_left_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["left_on"]
        if value > clock.today():
            raise ValidationError(_("The date cannot be in the future."))
        if self.member.joined_on and value < self.member.joined_on:
            raise ValidationError(_("The date is before the member took office (%(date)s).")
                                  % {"date": self.member.joined_on.isoformat()})
        return value


class UnitForm(forms.Form):
    name = _plain_char(gettext_lazy("Unit name"), 100, required=True)
    short_name = _plain_char(gettext_lazy("Short name"), 30)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=HandlingUnit.Kind.choices,
                             initial=HandlingUnit.Kind.GOVERNMENT)
    contact_name = _plain_char(gettext_lazy("Contact person"), 50)
    contact_phone = _plain_char(gettext_lazy("Contact phone"), 30,
                                widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = _plain_char(gettext_lazy("Address"), 200)
    keywords = forms.CharField(
        label=gettext_lazy("Routing keywords"), max_length=1000, required=False,
        validators=[roster.validate_plain_text], widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Words that suggest this unit, separated by spaces."))
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, max_value=32767,
                               initial=0)
    is_active = forms.BooleanField(
        label=gettext_lazy("In use"), required=False, initial=True,
        help_text=gettext_lazy("Units no longer in use are hidden from lists and assignment; "
                               "their history stays."))

    FIELDS = ("name", "short_name", "kind", "contact_name", "contact_phone", "address",
              "keywords", "order", "is_active")

    def __init__(self, *args: Any, actor: Actor, unit: HandlingUnit | None = None,
                 **kwargs: Any) -> None:
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(unit, f) for f in self.FIELDS}
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.unit = unit
        if unit is None:
            del self.fields["is_active"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = scoped(self.actor, HandlingUnit).filter(name=name)
        if self.unit is not None:
            others = others.exclude(pk=self.unit.pk)
        if others.exists():
            raise ValidationError(_("A unit with this name already exists."))
        return name

    def clean_contact_phone(self) -> str:
        try:
            return roster.parse_landline(self.cleaned_data["contact_phone"])
        except roster.CellError as exc:
            raise ValidationError(str(exc)) from None

    def clean_keywords(self) -> str:
        return " ".join(roster.LIST_SEPARATORS.split(self.cleaned_data["keywords"])).strip()

    def unit_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.FIELDS if k in self.cleaned_data}

    def changed_unit_fields(self) -> dict[str, Any]:
        assert self.unit is not None
        return {k: v for k, v in self.unit_fields().items() if getattr(self.unit, k) != v}


class RosterUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), widget=forms.RadioSelect,
        choices=[("members", pgettext_lazy("members", "Members")),
                 ("units", gettext_lazy("Handling units"))], initial="members")
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    create_sectors = forms.BooleanField(
        label=gettext_lazy("Create sectors that do not exist yet"), required=False,
        help_text=gettext_lazy("Otherwise a row naming an unknown sector is an error. "
                               "Special committees and activity groups are never created."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > roster.MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than %(n)s MB.")
                                  % {"n": roster.MAX_FILE_BYTES // (1024 * 1024)})
        return upload


def _member_words(member: Member) -> str:
    """What a member is found by in a picker besides the name: the name in pinyin (initials and
    syllables), sector and workplace."""
    sector = member.sector.name if member.sector_id and member.sector else ""
    return " ".join(w for w in (member.name_pinyin, sector, member.workplace) if w)


class MemberChoices(forms.ModelMultipleChoiceField[Member]):
    """Members to choose among many (co-proposers, invitations): a searchable picker whose
    choices read "name · sector" and are found by name, sector or workplace."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Member.objects.none())
        kwargs.setdefault("widget", Picker(search_text=_member_words))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        sector = obj.sector.name if obj.sector_id and obj.sector else ""
        return f"{obj.name} · {sector}" if sector else obj.name
