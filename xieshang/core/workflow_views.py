"""The page side of the workflow engine: one view body that takes any step from a posted form.

Each app's detail page lists ``lifecycle.offers(actor, obj)`` with ``{% step_form offer %}``,
which renders ``<app>/actions/_<step>.html`` (a form extending ``includes/step_form.html``); the
form posts to the app's act URL, whose view fetches the record with access and calls ``act``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from xieshang.core.forms import error_text
from xieshang.core.http import XRequest
from xieshang.core.workflow import Lifecycle


def act[M: models.Model](request: XRequest, lifecycle: Lifecycle[M], obj: M, step: str, *,
                         next_url: str | None = None) -> HttpResponse:
    """Take ``step`` with the posted form; a refusal is shown as a message on the next page.

    An unknown step is a 404, a step the actor may not take a 403 (raised, as every page does);
    a stale version, a guard or a bad input come back as the message.
    """
    s = lifecycle.step(step)
    try:
        lifecycle.take_form(actor=request.actor, obj=obj, step=s.name, post=request.POST)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, str(s.done or _("Done.")))
    return redirect(_next(request) or next_url or getattr(obj, "get_absolute_url")())  # noqa: B009


def _next(request: XRequest) -> str:
    """The page the form came from (``next``, set by pages that list records), if it is ours."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return ""
