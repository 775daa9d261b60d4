"""Forms of the administration pages (core/admin_views.py). Messages are in Chinese via gettext."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import math
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from xieshang.core import audit_labels, services
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import (
    UNIT_ROLES,
    AuditLog,
    Committee,
    Role,
    RoleAssignment,
    Session,
    Term,
    User,
)
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.core.validators import validate_mobile

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]+$")
IP_CHARS_RE = re.compile(r"^[0-9A-Fa-f.:]+$")


# --- audit log --------------------------------------------------------------

class AuditFilterForm(forms.Form):
    """Filters of the audit log (GET). ``queryset()`` applies them to the admin's scope."""

    actor = forms.CharField(label=gettext_lazy("Operator"), max_length=64, required=False)
    # A code or its beginning ("role" finds role.grant and role.revoke); the page offers the
    # operations in the scope by name, their codes only as the options' values.
    action = forms.CharField(label=gettext_lazy("Operation"), max_length=64, required=False,
                             widget=forms.Select)
    object_type = forms.ChoiceField(label=gettext_lazy("Object type"), required=False)
    date_from = forms.DateField(
        label=pgettext_lazy("core", "From"), required=False, widget=DATE_WIDGET
    )
    date_to = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DATE_WIDGET)
    ip = forms.CharField(label=gettext_lazy("IP address"), max_length=45, required=False,
                         help_text=gettext_lazy("A full address or its beginning, e.g. 10.1.2."))
    include_sub = forms.BooleanField(label=gettext_lazy("Include the committees below"),
                                     required=False)
    include_accounts = forms.BooleanField(
        label=gettext_lazy("Include logins of this committee's users"), required=False)

    def __init__(self, *args: Any, actor: Actor, allow_sub: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = actor
        self.allow_sub = allow_sub
        if not allow_sub:
            del self.fields["include_sub"]
        types = (self.scope(include_sub=allow_sub, include_accounts=True)
                 .order_by().values_list("object_type", flat=True).distinct())
        field = self.fields["object_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All types"))] + [
            (t, object_type_label(t)) for t in sorted(set(types)) if t]
        actions = dict(self.scope(include_sub=allow_sub, include_accounts=True).order_by()
                       .values_list("action", "object_type").distinct())
        self.fields["action"].widget.choices = [("", _("All operations"))] + [
            (code, audit_labels.label(code, actions[code])) for code in sorted(actions)]

    def clean_ip(self) -> str:
        value: str = self.cleaned_data["ip"].strip()
        if value and not IP_CHARS_RE.match(value):
            raise ValidationError(_("Enter an IP address or its beginning, e.g. 10.1.2."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def scope(self, *, include_sub: bool, include_accounts: bool) -> QuerySet[AuditLog]:
        """Rows of the admin's committee (or its subtree), plus login events of its users."""
        committee = self.viewer.committee
        if committee is None:
            return AuditLog.objects.none()
        where = Q(committee=committee)
        if include_sub and self.allow_sub:
            where = Q(committee__path__startswith=committee.path)
        if include_accounts:
            # Logins are not tied to a committee: show those of the accounts holding roles here.
            user_ids = list(scoped(self.viewer, RoleAssignment)
                            .values_list("user_id", flat=True).distinct())
            where |= Q(committee__isnull=True) & (
                Q(actor_id__in=user_ids)
                | Q(object_type="core.user", object_id__in=[str(i) for i in user_ids]))
        return AuditLog.objects.filter(where)

    def queryset(self) -> QuerySet[AuditLog]:
        """The filtered rows; none while a filter is invalid (never silently all of them)."""
        if self.is_bound and not self.is_valid():
            return AuditLog.objects.none()
        data = self.cleaned_data if self.is_bound else {}
        qs = self.scope(include_sub=bool(data.get("include_sub")),
                        include_accounts=bool(data.get("include_accounts")))
        if data.get("actor"):
            qs = qs.filter(actor_name__icontains=data["actor"])
        if data.get("action"):
            qs = qs.filter(action__startswith=data["action"].strip())
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("date_from"):
            qs = qs.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(created_at__date__lte=data["date_to"])
        if data.get("ip"):
            ip = data["ip"]
            try:
                qs = qs.filter(ip=str(ipaddress.ip_address(ip)))
            except ValueError:
                qs = qs.filter(ip__startswith=ip)
        return qs.select_related("committee").order_by("-created_at", "-id")

    def active_filters(self) -> dict[str, str]:
        """The filters in use, for the export's own audit row."""
        if not (self.is_bound and self.is_valid()):
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "", False)}


def object_type_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):  # a kind of record no longer kept: no code on the page
        return pgettext("audit", "Other record")


# --- users and roles --------------------------------------------------------

def _target_model(field: str) -> type[models.Model]:
    """The model a role is tied to through ``RoleAssignment.<field>``: the handling unit, member
    record and collective body are the members app's, which core names by label only (it is the
    layer above core), so the forms follow the relation instead of importing it."""
    model = RoleAssignment._meta.get_field(field).related_model
    assert isinstance(model, type) and issubclass(model, models.Model)
    return model


class RoleTargetMixin(forms.Form):
    """A role with the record it is tied to, each chosen among this committee's own."""

    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    unit: forms.ModelChoiceField[models.Model] = forms.ModelChoiceField(
        label=gettext_lazy("Handling unit"), queryset=None,
        empty_label="—", required=False,
        help_text=gettext_lazy("For the handling unit clerk and leader roles."))
    member: forms.ModelChoiceField[models.Model] = forms.ModelChoiceField(
        label=gettext_lazy("Member record"), queryset=None,
        empty_label="—", required=False,
        help_text=gettext_lazy("For the member role."))
    body: forms.ModelChoiceField[models.Model] = forms.ModelChoiceField(
        label=gettext_lazy("Collective body"), queryset=None,
        empty_label="—", required=False,
        help_text=gettext_lazy("For the collective proposer role."))

    def setup_targets(self, actor: Actor) -> None:
        choices = {
            "unit": scoped(actor, _target_model("unit")).order_by("name"),
            # Serving members only (Member.Status.ACTIVE).
            "member": scoped(actor, _target_model("member")).filter(status="active")
            .order_by("name"),
            "body": scoped(actor, _target_model("body")).order_by("name"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def clean_targets(self, data: dict[str, Any]) -> None:
        role = data.get("role")
        if role in UNIT_ROLES:
            if not data.get("unit"):
                self.add_error("unit", _("Choose the handling unit for this role."))
        else:
            data["unit"] = None
        if role == Role.MEMBER:
            if not data.get("member"):
                self.add_error("member", _("Choose the member record for this role."))
        else:
            data["member"] = None
        if role == Role.COLLECTIVE:
            if not data.get("body"):
                self.add_error("body", _("Choose the collective body for this role."))
        else:
            data["body"] = None


class PasswordChoiceMixin(forms.Form):
    generate = forms.TypedChoiceField(
        label=gettext_lazy("Password"), coerce=lambda v: v == "1", initial="1",
        choices=[("1", gettext_lazy("Generate a random password")),
                 ("0", gettext_lazy("Set it myself"))],
        widget=forms.RadioSelect)
    password1 = forms.CharField(label=gettext_lazy("New password"), required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=gettext_lazy("New password again"), required=False,
                                strip=False, widget=forms.PasswordInput(
                                    attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts())

    def clean_password_choice(self, data: dict[str, Any], user: User) -> None:
        if data.get("generate", True):
            data["password1"] = ""
            return
        first, second = data.get("password1") or "", data.get("password2") or ""
        if not first:
            self.add_error("password1", _("Enter the password, or choose a generated one."))
            return
        if first != second:
            self.add_error("password2", _("The two passwords differ."))
            return
        try:
            password_validation.validate_password(first, user)
        except ValidationError as exc:
            self.add_error("password1", exc)


def _clean_phone(value: str, exclude: User | None = None) -> str | None:
    value = value.strip()
    if not value:
        return None
    phone = validate_mobile(value)
    clash = User.objects.filter(phone=phone)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(_("Another account already uses this mobile number."))
    return phone


class UserCreateForm(RoleTargetMixin, PasswordChoiceMixin):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=64,
                               help_text=gettext_lazy("Letters, digits and _ . - @ only."))
    display_name = forms.CharField(label=gettext_lazy("Full name"), max_length=64)
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20, required=False,
                            help_text=gettext_lazy("Can be used to log in."))
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)

    field_order = ["username", "display_name", "phone", "email", "role", "unit", "member",
                   "body", "generate", "password1", "password2"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_targets(actor)

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"].strip()
        if not USERNAME_RE.match(value):
            raise ValidationError(_("Use letters, digits and _ . - @ only."))
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError(_("This username is taken."))
        return value

    def clean_phone(self) -> str | None:
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.clean_targets(data)
        probe = User(username=data.get("username", ""), display_name=data.get("display_name", ""),
                     email=data.get("email", ""))
        self.clean_password_choice(data, probe)
        return data


class RoleGrantForm(RoleTargetMixin):
    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_targets(actor)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.clean_targets(data)
        return data


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Full name"), max_length=64)
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_phone(self) -> str | None:
        return _clean_phone(self.cleaned_data["phone"], exclude=self.user)


class PasswordResetForm(PasswordChoiceMixin):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.clean_password_choice(data, self.user)
        return data


# --- terms and sessions -----------------------------------------------------

class TermForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Term number"), min_value=1, max_value=99,
                                help_text=gettext_lazy("14 for the 14th term (第十四届)."))
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=gettext_lazy("End date"), required=False, widget=DATE_WIDGET,
                               help_text=gettext_lazy("Leave empty while the term lasts."))

    def __init__(self, *args: Any, actor: Actor, instance: Term | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"number": instance.number, "start_date": instance.start_date,
                                 "end_date": instance.end_date}
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.instance = instance

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        number, start, end = data.get("number"), data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
            return data
        others = scoped(self.actor, Term)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if number and others.filter(number=number).exists():
            self.add_error("number", _("This committee already has term %(n)s.")
                           % {"n": Term(number=number).label})
        if start:
            far = dt.date.max
            for other in others:
                if start <= (other.end_date or far) and other.start_date <= (end or far):
                    self.add_error(None, _("The dates overlap term %(n)s (%(start)s – %(end)s).")
                                   % {"n": other.label, "start": other.start_date,
                                      "end": other.end_date or _("to date")})
                    break
        if self.instance is not None and start:
            beyond = Q(start_date__lt=start)
            if end:
                beyond |= Q(end_date__gt=end)
            outside = self.instance.sessions.filter(beyond)
            if outside.exists():
                self.add_error(None, _("Session %(s)s would fall outside the term's dates.")
                               % {"s": outside.first()})
        return data


class SessionForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Session number"), min_value=1, max_value=20,
                                help_text=gettext_lazy("2 for the second session (二次会议)."))
    start_date = forms.DateField(label=gettext_lazy("Opening date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=gettext_lazy("Closing date"), widget=DATE_WIDGET)
    proposal_window_start = forms.DateField(
        label=gettext_lazy("Plenary proposals accepted from"), required=False, widget=DATE_WIDGET,
        help_text=gettext_lazy("Proposals submitted from this date to the closing date count as "
                        "plenary proposals (大会提案)."))

    def __init__(self, *args: Any, term: Term, instance: Session | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "number": instance.number, "start_date": instance.start_date,
                "end_date": instance.end_date,
                "proposal_window_start": instance.proposal_window_start}
        super().__init__(*args, **kwargs)
        self.term = term
        self.instance = instance

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        number, start, end = data.get("number"), data.get("start_date"), data.get("end_date")
        window = data.get("proposal_window_start")
        if start and end and end < start:
            self.add_error("end_date", _("The closing date is before the opening date."))
        others = self.term.sessions.all()
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if number and others.filter(number=number).exists():
            self.add_error("number", _("Term %(t)s already has session %(n)s.")
                           % {"t": self.term.label, "n": number})
        if start and start < self.term.start_date:
            self.add_error("start_date", _("The session opens before the term starts (%(d)s).")
                           % {"d": self.term.start_date})
        if end and self.term.end_date and end > self.term.end_date:
            self.add_error("end_date", _("The session closes after the term ends (%(d)s).")
                           % {"d": self.term.end_date})
        if window and end and window > end:
            self.add_error("proposal_window_start",
                           _("This date must not be after the closing date."))
        return data


# --- working-day calendar ---------------------------------------------------

class LocalDayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("Kind"), coerce=lambda v: v == "1",
        choices=[("0", gettext_lazy("Local day off")), ("1", gettext_lazy("Make-up working day"))])
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50,
                           help_text=gettext_lazy("E.g. 县庆 or 补班."))

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.committee = committee

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, is_workday = data.get("date"), data.get("is_workday")
        if day is None or is_workday is None:
            return data
        # Without this committee's own rows (a date has at most one), what would the day be?
        usual = WorkCalendar(self.committee.parent).is_workday(day)
        if is_workday and usual:
            self.add_error("date", _("%(date)s is a working day already.")
                           % {"date": day.isoformat()})
        if not is_workday and not usual:
            self.add_error("date", _("%(date)s is a day off already.") % {"date": day.isoformat()})
        return data


OFF_WORDS = {"休", "休息", "放假", "假"}
WORK_WORDS = {"班", "上班", "补班"}
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_holiday_lines(text: str, year: int) -> list[services.HolidayEntry]:
    """Lines like "2027-01-01 元旦 休" / "2027-02-07 春节调休 班"; errors name each bad line."""
    entries: list[services.HolidayEntry] = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) < 3:
            errors.append(_("Line %(n)s (%(line)s): write date, name and 休 or 班, e.g. "
                            "“2027-01-01 元旦 休”.") % {"n": number, "line": line})
            continue
        match = DATE_RE.match(parts[0])
        try:
            if match is None:
                raise ValueError
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            errors.append(_("Line %(n)s: “%(date)s” is not a date (write 2027-01-01).")
                          % {"n": number, "date": parts[0]})
            continue
        kind, name = parts[-1], " ".join(parts[1:-1])
        if kind in OFF_WORDS:
            is_workday = False
        elif kind in WORK_WORDS:
            is_workday = True
        else:
            errors.append(_("Line %(n)s: the last word must be 休 (day off) or 班 (working "
                            "day), not “%(kind)s”.") % {"n": number, "kind": kind})
            continue
        if day.year != year:
            errors.append(_("Line %(n)s: %(date)s is not in %(year)s.")
                          % {"n": number, "date": day.isoformat(), "year": year})
            continue
        if day in seen:
            errors.append(_("Line %(n)s: %(date)s is already on line %(first)s.")
                          % {"n": number, "date": day.isoformat(), "first": seen[day]})
            continue
        if len(name) > 50:
            errors.append(_("Line %(n)s: the name is longer than 50 characters.") % {"n": number})
            continue
        if is_workday and day.weekday() < 5:
            errors.append(_("Line %(n)s: %(date)s is a weekday; only a Saturday or Sunday can be "
                            "a make-up working day.") % {"n": number, "date": day.isoformat()})
            continue
        seen[day] = number
        entries.append(services.HolidayEntry(date=day, is_workday=is_workday, name=name))
    if errors:
        raise ValidationError(errors)
    if not entries:
        raise ValidationError(_("The list is empty."))
    return entries


class NationalImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2004, max_value=2100)
    text = forms.CharField(
        label=gettext_lazy("The State Council's list"), widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "One day a line: date, name, then 休 for a day off or 班 for a make-up working "
            "day, e.g. “2027-01-01 元旦 休”, “2027-02-07 春节调休 班”. Every day off must be "
            "listed, weekends inside a holiday included. The national days already entered "
            "for the year are replaced."))
    source = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False,
                             help_text=gettext_lazy(
                                 "E.g. the notice's number (国办发明电〔2026〕X号)."))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("year") and data.get("text"):
            try:
                data["entries"] = parse_holiday_lines(data["text"], data["year"])
            except ValidationError as exc:
                self.add_error("text", exc)
        return data


# --- committee policy -------------------------------------------------------

class PolicyForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("Value for this committee"), max_length=2000)

    def __init__(self, *args: Any, default: Any,
                 choices: Sequence[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        if choices:
            self.fields["value"] = forms.ChoiceField(
                label=gettext_lazy("Value for this committee"), choices=choices)
        elif isinstance(default, bool):
            self.fields["value"] = forms.ChoiceField(
                label=gettext_lazy("Value for this committee"),
                choices=[("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))])
        elif isinstance(default, list | dict):
            self.fields["value"].widget = forms.Textarea(attrs={"rows": 4})
            self.fields["value"].help_text = gettext_lazy("Written as JSON, like the default.")

    def clean_value(self) -> Any:
        return parse_policy_value(self.default, self.cleaned_data["value"])


def parse_policy_value(default: Any, raw: str) -> Any:
    """Text from the form → a value of the default's type, or a Chinese error."""
    raw = raw.strip()
    value: Any
    if isinstance(default, bool):
        if raw not in ("true", "false"):
            raise ValidationError(_("Choose yes or no."))
        value = raw == "true"
    elif isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError(_("Enter a whole number.")) from None
    elif isinstance(default, float):
        try:
            value = float(raw)
        except ValueError:
            raise ValidationError(_("Enter a number.")) from None
        if not math.isfinite(value):
            raise ValidationError(_("Enter a number."))
    elif isinstance(default, str):
        value = raw
    else:
        try:
            value = json.loads(raw)
        except ValueError:
            raise ValidationError(_("This is not valid JSON.")) from None
    numbers = isinstance(value, int | float) and isinstance(default, int | float)
    if numbers and not isinstance(value, bool) and default >= 0 and value < 0:
        raise ValidationError(_("The value cannot be negative."))
    if not services.policy_value_fits(default, value):
        raise ValidationError(_("The value must be of the same kind as the default (%(kind)s).")
                              % {"kind": type_label(default)})
    return value


def type_label(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes or no")
    if isinstance(value, int):
        return _("whole number")
    if isinstance(value, float):
        return pgettext("core", "number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("list")
    if isinstance(value, dict):
        return _("table")
    return type(value).__name__
