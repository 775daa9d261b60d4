"""基础数据: the office's pages for reference rows (core.refdata), for every registered kind."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xieshang.core import refdata
from xieshang.core.forms import form_errors
from xieshang.core.http import XRequest


def _kind_or_404(request: XRequest, slug: str) -> refdata.RefKind:
    k = refdata.kind(slug)
    if k is None:
        raise Http404(_("Not found."))
    if request.actor.committee is None or not k.may_manage(request.actor):
        raise PermissionDenied
    return k


def _cells(k: refdata.RefKind, row: Any) -> list[str]:
    out = []
    for name in k.columns:
        display = getattr(row, f"get_{name}_display", None)
        value = display() if callable(display) else getattr(row, name)
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        out.append("—" if value in (None, "") else str(value))
    return out


@login_required
def index(request: XRequest) -> HttpResponse:
    allowed = refdata.kinds_for(request.actor)
    if not allowed:
        raise PermissionDenied
    entries = [{"kind": k, "count": refdata.rows(request.actor, k).count()} for k in allowed]
    return render(request, "core/refdata/index.html", {"entries": entries})


@login_required
def kind_list(request: XRequest, slug: str) -> HttpResponse:
    k = _kind_or_404(request, slug)
    model = k.model
    headers = [str(getattr(model._meta.get_field(name), "verbose_name", name))
               for name in k.columns]
    table = [{"row": row, "cells": list(zip(headers, _cells(k, row), strict=True)),
              "retired": k.retired(row)}
             for row in refdata.rows(request.actor, k)]
    return render(request, "core/refdata/list.html", {
        "kind": k, "headers": headers, "table": table,
        "kinds": refdata.kinds_for(request.actor)})


@login_required
def kind_edit(request: XRequest, slug: str, pk: int | None = None) -> HttpResponse:
    k = _kind_or_404(request, slug)
    row = None
    if pk is not None:
        row = refdata.rows(request.actor, k).filter(pk=pk).first()
        if row is None:
            raise Http404(_("Not found."))
    form = refdata.form_class(request.actor, k)(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            refdata.refdata_save(actor=request.actor, kind=k, row=row,
                                 cleaned=form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("refdata-list", k.slug)
    return render(request, "core/refdata/form.html", {"kind": k, "form": form, "row": row})
