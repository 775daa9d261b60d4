from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xieshang.core import clock, throttle
from xieshang.core.auth_backends import find_user


def form_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal on the form: each field's errors on that field (if the form has
    it), everything else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def error_text(exc: ValidationError) -> str:
    """A service's refusal as one line for a page's message."""
    return "；".join(str(m) for m in exc.messages)


def run_service(request: HttpRequest, fn: Callable[[], Any], ok: str) -> bool:
    """Call a service for a page: its refusal becomes an error message, success the ``ok``
    message (instead of an error page). True when the service ran."""
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, ok)
    return True


def honeypot_field() -> forms.CharField:
    """The ``website`` field of a public form: hidden from people by CSS, filled by bots (with
    :class:`HoneypotMixin`, which refuses a filled one). Declare it last."""
    return forms.CharField(label=_("Leave this empty"), required=False,
                           widget=forms.TextInput(attrs={"tabindex": "-1",
                                                         "autocomplete": "off"}))


class HoneypotMixin:
    """Refuses a public form whose hidden ``website`` field (:func:`honeypot_field`) is filled."""

    cleaned_data: dict[str, Any]

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise ValidationError(_("Your submission could not be accepted."))
        return value


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or mobile number"), max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {  # noqa: RUF012 - Django's own attribute
        "invalid_login": _("Wrong username/mobile number or password."),
        "inactive": _("This account is disabled."),
        "locked": _("Too many failed logins: this account is locked for a while. Try again "
                    "later, log in from a device you have used before, or ask the "
                    "administrator."),
        "throttled": _("Too many failed logins from your network: wait %(minutes)s minutes "
                       "before trying again."),
    }

    def clean(self) -> dict[str, Any]:
        """The same answers whether the account exists or not (``core.throttle``)."""
        from xieshang.core.middleware import client_ip

        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        wait = throttle.ip_wait(ip)
        if wait is not None:
            minutes = max(1, -(-int((wait - clock.now()).total_seconds()) // 60))
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled",
                                        params={"minutes": minutes})
        subject = throttle.subject_for(find_user(username) if username else None, username)
        if not throttle.may_try(subject, self.request):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            throttle.failed(subject, self.request, ip)
            if not throttle.may_try(subject, self.request):
                raise forms.ValidationError(self.error_messages["locked"],
                                            code="locked") from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app (or a recovery code)"), max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code",
                                      "inputmode": "text", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code or any(not c.isalnum() and c != "-" for c in code):
            raise forms.ValidationError(_("Enter the six digits shown in the app."))
        return code


class SmsPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"), max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "tel",
                                      "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        from xieshang.core.validators import validate_mobile

        return validate_mobile(self.cleaned_data["phone"])


class SmsCodeForm(SmsPhoneForm):
    code = forms.CharField(
        label=_("Code from the text message"), max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits of the text message."))
        return code
