"""The "API tokens" page: each user issues and revokes tokens for their own scripts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieshang.core import tokens
from xieshang.core.forms import form_errors
from xieshang.core.http import XRequest

DAY_CHOICES = (7, 30, 90)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"), max_length=tokens.NAME_MAX_LENGTH,
        help_text=gettext_lazy("What uses the token, e.g. \"roster sync script\"."))
    days = forms.TypedChoiceField(label=gettext_lazy("Valid for"), coerce=int, required=False,
                                  empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = [d for d in DAY_CHOICES if d < tokens.max_days()] + [tokens.max_days()]
        field = self.fields["days"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(d, gettext_lazy("%(n)s days") % {"n": d}) for d in days]
        self.fields["days"].initial = tokens.max_days()


@never_cache
@login_required
def token_list(request: XRequest) -> HttpResponse:
    """List the user's tokens; a POST issues one and shows its key this once (never again)."""
    form = TokenForm(request.POST or None)
    issued_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, issued_key = tokens.token_issue(actor=request.actor,
                                                    name=form.cleaned_data["name"],
                                                    days=form.cleaned_data["days"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            # Shown in this response only (not by redirect and message): the key must never be
            # stored in the session or a cookie.
            form = TokenForm()
    return render(request, "core/api_tokens.html", {
        "form": form, "tokens": tokens.token_list(request.user), "issued_key": issued_key,
        "max_tokens": tokens.MAX_ACTIVE_TOKENS,
    })


@require_POST
@login_required
def token_revoke(request: XRequest, pk: int) -> HttpResponse:
    token = tokens.token_get_own_or_404(request.actor, pk)
    tokens.token_revoke(actor=request.actor, token=token)
    messages.success(request, _("The token \"%(name)s\" no longer works.") % {"name": token.name})
    return redirect("api-tokens")

