from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core import services
from xieshang.core.forms import LoginForm
from xieshang.core.http import XRequest
from xieshang.core.middleware import SESSION_KEY
from xieshang.core.models import Notification, Role
from xieshang.core.worklist import worklist_for


class XieshangLoginView(LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: XRequest) -> HttpResponse:
    actor = request.actor
    role_labels = "、".join(str(Role(r).label) for r in sorted(actor.roles))
    return render(request, "core/home.html",
                  {"cards": worklist_for(actor), "role_labels": role_labels})


@require_POST
@login_required
def switch_committee(request: XRequest) -> HttpResponse:
    wanted = request.POST.get("committee", "")
    allowed = {str(c.id): c for c in request.committees}
    if wanted in allowed:
        request.session[SESSION_KEY] = allowed[wanted].id
        messages.success(request, _("You are now working in %(c)s.") % {"c": allowed[wanted]})
    else:
        messages.error(request, _("You have no role in that committee."))
    return redirect("home")


@require_POST
@login_required
def logout_everywhere(request: XRequest) -> HttpResponse:
    services.user_logout_everywhere(actor=request.actor)
    logout(request)
    messages.success(request, _("You have been logged out on every device."))
    return redirect("login")


@login_required
def notification_list(request: XRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user).select_related("committee")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_POST
@login_required
def notification_read(request: XRequest, pk: int) -> HttpResponse:
    note = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if note is not None and note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    target = note.url if note is not None and note.url else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@require_POST
@login_required
def notification_read_all(request: XRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications")
