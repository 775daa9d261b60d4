from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordChangeView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieshang.core import clock, mfa, services, smslogin, throttle
from xieshang.core.forms import CodeForm, LoginForm, SmsCodeForm, SmsPhoneForm
from xieshang.core.http import XRequest
from xieshang.core.middleware import MFA_VERIFIED_KEY, SESSION_KEY, client_ip
from xieshang.core.models import Notification, Role, User
from xieshang.core.notifications import notification_mark_all_read, notification_mark_read
from xieshang.core.paging import CappedPaginator
from xieshang.core.permissions import Actor
from xieshang.core.public_sites import public_sites
from xieshang.core.worklist import actions_for, worklist_for

MFA_PENDING_KEY = "xieshang_mfa_pending"
MFA_NEW_SECRET_KEY = "xieshang_mfa_new_secret"
MFA_PENDING_SECONDS = 300


class XieshangLoginView(LoginView):
    """Password first; an account with a second factor is logged in only after its code."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if not user.has_totp:
            response = super().form_valid(form)
            throttle.succeeded(user, response)
            return response
        # Not logged in yet: the session only remembers who passed the password, briefly.
        self.request.session.cycle_key()
        self.request.session[MFA_PENDING_KEY] = {
            "uid": user.pk, "backend": getattr(user, "backend", ""),
            "at": clock.now().timestamp(), "next": self.get_success_url(),
        }
        return redirect("login-verify")


PASSWORD_BACKEND = "xieshang.core.auth_backends.PhoneOrUsernameBackend"


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return str(resolve_url(settings.LOGIN_REDIRECT_URL))


@never_cache
def sms_login(request: HttpRequest) -> HttpResponse:
    """Log in with a code sent by SMS (``core.smslogin``): first the number, then the code. The
    page answers the same whether the number belongs to an account or not."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    ip = client_ip(request)
    step = request.POST.get("step", "")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form: SmsPhoneForm = SmsPhoneForm(request.POST if step == "send" else None)
    if request.method == "POST" and step == "send" and form.is_valid():
        asked = smslogin.code_request(phone=form.cleaned_data["phone"], ip=ip)
        if asked == smslogin.Asked.TOO_MANY:
            form.add_error(None, _("Too many codes asked for: try again in an hour, or log in "
                                   "with your password."))
        else:
            if asked == smslogin.Asked.WAIT:
                messages.info(request, _("A code was sent less than a minute ago: use it, or "
                                         "wait a minute before asking for another."))
            else:
                messages.success(request, _(
                    "If this number is registered on the platform, a text message with a "
                    "six-digit code is on its way. The code lasts five minutes."))
            form = SmsCodeForm(initial={"phone": form.cleaned_data["phone"]})
            return render(request, "core/login_sms.html",
                          {"form": form, "step": "check", "next": next_url})
    if request.method == "POST" and step == "check":
        form = SmsCodeForm(request.POST)
        if form.is_valid():
            result, user = smslogin.code_check(
                phone=form.cleaned_data["phone"], code=form.cleaned_data["code"],
                request=request, ip=ip)
            if result == smslogin.Checked.OK and user is not None:
                return _logged_in_by_code(request, user, _safe_next(request, next_url))
            if result == smslogin.Checked.LOCKED:
                form.add_error(None, LoginForm.error_messages["locked"])
            elif result == smslogin.Checked.THROTTLED:
                form.add_error(None, _("Too many failed logins from your network: wait a few "
                                       "minutes before trying again."))
            else:
                form.add_error("code", _("Wrong or expired code."))
        return render(request, "core/login_sms.html",
                      {"form": form, "step": "check", "next": next_url})
    return render(request, "core/login_sms.html", {"form": form, "step": "send",
                                                   "next": next_url})


def _logged_in_by_code(request: HttpRequest, user: User, target: str) -> HttpResponse:
    """The SMS code passed: the same end as a password login (second factor if the account has
    one, then the known-device cookie)."""
    if user.has_totp:
        request.session.cycle_key()
        request.session[MFA_PENDING_KEY] = {
            "uid": user.pk, "backend": PASSWORD_BACKEND,
            "at": clock.now().timestamp(), "next": target,
        }
        return redirect("login-verify")
    auth_login(request, user, backend=PASSWORD_BACKEND)
    response = redirect(target)
    throttle.succeeded(user, response)
    return response


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(MFA_PENDING_KEY) or {}
    age = clock.now().timestamp() - float(pending.get("at", 0))
    if not pending or not isinstance(pending.get("uid"), int) or age > MFA_PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=int(pending["uid"]), is_active=True).first()
    return user, pending


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the authenticator app, or a recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(MFA_PENDING_KEY, None)
        messages.error(request, _("Log in with your password first (the code step lasts five "
                                  "minutes)."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa.totp_verify(user=user, code=form.cleaned_data["code"],
                                 ip=client_ip(request))
        if result in (mfa.Result.OK, mfa.Result.RECOVERY):
            request.session.pop(MFA_PENDING_KEY, None)
            auth_login(request, user, backend=pending.get("backend") or None)
            request.session[MFA_VERIFIED_KEY] = clock.now().isoformat()
            if result == mfa.Result.RECOVERY:
                messages.warning(request, _(
                    "You logged in with a recovery code; %(n)s are left. Set up your "
                    "authenticator again or print new codes on the second-factor page.")
                    % {"n": len(User.objects.get(pk=user.pk).totp_recovery_hashes)})
            target = pending.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = resolve_url(settings.LOGIN_REDIRECT_URL)
            response = redirect(target)
            throttle.succeeded(user, response)
            return response
        if result == mfa.Result.LOCKED:
            request.session.pop(MFA_PENDING_KEY, None)
            messages.error(request, LoginForm.error_messages["locked"])
            return redirect("login")
        form.add_error("code", _("This code has already been used: wait for the next one.")
                       if result == mfa.Result.REUSED else _("Wrong code."))
    return render(request, "core/login_verify.html", {"form": form})


@never_cache
@login_required
def mfa_setup(request: XRequest) -> HttpResponse:
    """Turn the second factor on (QR code, then a code to confirm), print new recovery codes,
    or turn it off where it is not required."""
    user = request.user
    ip = client_ip(request)
    required = mfa.mfa_required_for(user)
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "recovery" and user.has_totp:
        # A session cookie alone is not enough for new codes: the password or a current code
        # too (a wrong one counts towards the lock, like at login).
        confirm = request.POST.get("confirm", "")[:128]
        result = (mfa.Result.OK if confirm and user.check_password(confirm)
                  else mfa.totp_verify(user=user, code=confirm, ip=ip))
        if result in (mfa.Result.OK, mfa.Result.RECOVERY):
            codes = mfa.totp_new_recovery_codes(user=user, ip=ip)
            return _no_store(render(request, "core/mfa_codes.html", {"codes": codes}))
        if result == mfa.Result.LOCKED:
            logout(request)
            messages.error(request, LoginForm.error_messages["locked"])
            return redirect("login")
        messages.error(request, _("Enter your password or the current code from the app to "
                                  "print new recovery codes."))
        return redirect("mfa-setup")
    if request.method == "POST" and action == "disable" and user.has_totp:
        if required:
            raise PermissionDenied
        if form.is_valid():
            result = mfa.totp_verify(user=user, code=form.cleaned_data["code"], ip=ip)
            if result in (mfa.Result.OK, mfa.Result.RECOVERY):
                mfa.totp_disable(user=user, ip=ip)
                request.session.pop(MFA_VERIFIED_KEY, None)
                messages.success(request, _("The second factor is off."))
                return redirect("mfa-setup")
            if result == mfa.Result.LOCKED:
                logout(request)
                messages.error(request, LoginForm.error_messages["locked"])
                return redirect("login")
            form.add_error("code", _("Wrong code."))
    secret = ""
    if not user.has_totp:
        secret = request.session.get(MFA_NEW_SECRET_KEY) or mfa.new_secret()
        request.session[MFA_NEW_SECRET_KEY] = secret
        if request.method == "POST" and action == "enrol" and form.is_valid():
            issued = mfa.totp_enrol(user=user, secret=secret, code=form.cleaned_data["code"],
                                    ip=ip)
            if issued is not None:
                request.session.pop(MFA_NEW_SECRET_KEY, None)
                request.session[MFA_VERIFIED_KEY] = clock.now().isoformat()
                messages.success(request, _("The second factor is on: from now on you will be "
                                            "asked for a code after your password."))
                return _no_store(render(request, "core/mfa_codes.html", {"codes": issued}))
            form.add_error("code", _("Wrong code: check the time on your phone and try the "
                                     "current code."))
    uri = mfa.provisioning_uri(user, secret) if secret else ""
    return render(request, "core/mfa_setup.html", {
        "form": form, "secret": secret, "qr": mfa.qr_svg(uri) if uri else "",
        "required": required, "left": len(user.totp_recovery_hashes),
    })


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


class XieshangPasswordChangeView(PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(
            actor=Actor(user=form.user, committee=None, ip=client_ip(self.request)))
        return response


def home(request: XRequest) -> HttpResponse:
    """The signed-in user's work; an anonymous visitor is offered the committees' public
    websites and the way to log in."""
    if not request.user.is_authenticated:
        sites = public_sites()
        if not sites:
            return redirect_to_login(request.get_full_path())
        return render(request, "core/welcome.html", {"sites": sites})
    actor = request.actor
    role_labels = "、".join(str(Role(r).label) for r in sorted(actor.roles))
    return render(request, "core/home.html",
                  {"cards": worklist_for(actor), "actions": actions_for(actor),
                   "role_labels": role_labels, "is_member": actor.has(Role.MEMBER)})


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
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_POST
@login_required
def notification_read(request: XRequest, pk: int) -> HttpResponse:
    note = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if note is not None:
        notification_mark_read(user=request.user, notification=note)
    target = note.url if note is not None and note.url else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@require_POST
@login_required
def notification_read_all(request: XRequest) -> HttpResponse:
    notification_mark_all_read(user=request.user)
    return redirect("notifications")
