"""系统管理: the committee administrator's pages (audit log, accounts and roles, terms and
sessions, working-day calendar, policy). Everything is per committee: an admin sees and changes
only the committee they act in; other committees' ids give 404.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from itertools import chain
from typing import Any

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xieshang.core import (
    admin_forms,
    audit_labels,
    clock,
    mfa,
    permissions,
    policy,
    selectors,
    services,
    tokens,
)
from xieshang.core.calendar import WorkCalendar
from xieshang.core.files import xlsx_response
from xieshang.core.forms import error_text, form_errors
from xieshang.core.http import XRequest, query_int
from xieshang.core.models import (
    AuditLog,
    CalendarDay,
    CalendarYear,
    Committee,
    Role,
    RoleAssignment,
    Session,
    Term,
    User,
)
from xieshang.core.paging import CappedPaginator
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped

View = Callable[..., HttpResponse]

AUDIT_PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def admin_page(check: Callable[[Actor], bool]) -> Callable[[View], View]:
    """Log in first; then the check on the acting committee's roles, or 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: XRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.actor):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _committee(request: XRequest) -> Committee:
    committee = request.actor.committee
    assert committee is not None  # every check above needs one
    return committee


# --- landing page -------------------------------------------------------------------------

@admin_page(permissions.can_open_administration)
def home(request: XRequest) -> HttpResponse:
    actor, committee = request.actor, _committee(request)
    today = clock.today()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    locked = _users_here(actor).filter(locked_until__gt=clock.now()).count()
    return render(request, "core/manage/home.html", {
        "missing_years": [y for y in (today.year, today.year + 1) if y not in known],
        "locked": locked,
        "overrides": len(committee.policy or {}),
        "tab": "home",
    })


# --- audit log ----------------------------------------------------------------------------

def _audit_form(request: XRequest) -> admin_forms.AuditFilterForm:
    params = request.GET.copy()
    params.pop("page", None)
    return admin_forms.AuditFilterForm(
        params or None, actor=request.actor,
        allow_sub=permissions.can_view_sub_committee_audit(request.actor))


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _fields(object_type: str) -> dict[str, Any]:
    try:
        model = django_apps.get_model(object_type)
    except (LookupError, ValueError):
        return {}
    return {f.name: f for f in model._meta.get_fields()}


def _value(field: Any, value: Any) -> str:
    """A stored value as the page says it: a choice's words, not its code (状态 "已立案", not
    "filed"); a text kept as HTML (an article's body) as its words, without the tags."""
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, str) and "<" in value and ">" in value:
        return strip_tags(value)
    return _plain(value)


def audit_changes(entry: AuditLog) -> list[dict[str, Any]]:
    """Before/after as rows of a table: one per key (named as on the model), changes marked."""
    before = entry.before if isinstance(entry.before, dict) else {"": entry.before}
    after = entry.after if isinstance(entry.after, dict) else {"": entry.after}
    fields = _fields(entry.object_type) if entry.object_type else {}
    keys = list(before) + [k for k in after if k not in before]
    return [{"key": k, "label": audit_labels.key_label(k, fields.get(k)),
             "before": _value(fields.get(k), before.get(k)) if k in before else "",
             "after": _value(fields.get(k), after.get(k)) if k in after else "",
             "changed": k in before and k in after and before[k] != after[k]} for k in keys]


@require_safe
@admin_page(permissions.can_view_audit_log)
def audit_list(request: XRequest) -> HttpResponse:
    form = _audit_form(request)
    page = CappedPaginator(form.queryset(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "action": audit_labels.label(e.action, e.object_type),
             "actor": audit_labels.actor_name(e.actor_name, e.actor_id),
             "type": admin_forms.object_type_label(e.object_type) if e.object_type else "",
             "changes": audit_changes(e)} for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    assert request.actor.committee is not None
    return render(request, "core/manage/audit_list.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(), "tab": "audit",
        "chain": selectors.audit_chain_state(request.actor.committee),
    })


@require_safe
@admin_page(permissions.can_view_audit_log)
def audit_export(request: XRequest) -> HttpResponse:
    form = _audit_form(request)
    back = reverse("manage-audit") + ("?" + request.GET.urlencode() if request.GET else "")
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    qs = form.queryset()
    total = qs.count()
    if total > EXPORT_LIMIT:
        messages.error(request, _("%(n)s entries match: narrow the filters to at most %(max)s "
                                  "before exporting.") % {"n": total, "max": EXPORT_LIMIT})
        return redirect(back)
    # The operation in words; its code last, for filtering the sheet (as on the page's filter).
    header = [_("Time"), _("Operator"), _("Committee"), _("Operation"), _("Object type"),
              _("Object ID"), _("Object"), _("IP address"), _("Before"), _("After"),
              _("Operation code")]
    rows = ([timezone.localtime(entry.created_at).replace(tzinfo=None),
             audit_labels.actor_name(entry.actor_name, entry.actor_id),
             str(entry.committee or ""),
             audit_labels.label(entry.action, entry.object_type),
             admin_forms.object_type_label(entry.object_type) if entry.object_type else "",
             entry.object_id, entry.object_repr, entry.ip or "",
             json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
             json.dumps(entry.after, ensure_ascii=False) if entry.after else "", entry.action]
            for entry in qs.iterator(chunk_size=1000))
    response = xlsx_response(
        chain([header], rows), filename=_("audit-log") + f"-{clock.today():%Y%m%d}.xlsx",
        title=_("Audit log"), widths=(20, 14, 18, 24, 18, 10, 30, 16, 50, 50, 24))
    services.audit_export_record(actor=request.actor, filters=form.active_filters(), rows=total)
    return response


# --- accounts and roles -------------------------------------------------------------------

def _users_here(actor: Actor) -> Any:
    """Accounts that hold (or held) a role in the actor's committee."""
    return User.objects.filter(pk__in=scoped(actor, RoleAssignment).values("user_id"))


def _user_or_404(actor: Actor, pk: int) -> User:
    user: User | None = _users_here(actor).filter(pk=pk).first()
    if user is None:
        raise Http404(_("Not found."))
    return user


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@admin_page(permissions.can_manage_users)
def user_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    here = scoped(actor, RoleAssignment)
    qs = _users_here(actor)
    q = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    state = request.GET.get("state", "")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q)
                       | Q(phone__contains=q))
    if role in Role.values:
        qs = qs.filter(pk__in=here.filter(role=role, is_active=True).values("user_id"))
    if state == "locked":
        qs = qs.filter(locked_until__gt=clock.now())
    elif state == "no_role":
        qs = qs.exclude(pk__in=here.filter(is_active=True).values("user_id"))
    qs = qs.prefetch_related(Prefetch(
        "roles", queryset=here.filter(is_active=True).select_related("unit", "member", "body"),
        to_attr="roles_here")).order_by("username")
    return render(request, "core/manage/user_list.html", {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")),
        "q": q, "role": role, "state": state, "roles": Role.choices, "now": clock.now(),
        "tab": "users",
    })


@admin_page(permissions.can_manage_users)
def user_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    form = admin_forms.UserCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create_with_role(
                actor=actor, username=data["username"], display_name=data["display_name"],
                phone=data["phone"], email=data["email"], password=data["password1"] or None,
                role=data["role"], unit=data["unit"], member=data["member"], body=data["body"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The account %(u)s has been created.")
                             % {"u": account.user.username})
            if not account.generated:
                return redirect("manage-user", pk=account.user.pk)
            return _no_store(render(request, "core/manage/password_shown.html", {
                "account": account.user, "password": account.password, "tab": "users"}))
    return render(request, "core/manage/user_create.html", {"form": form, "tab": "users"})


def _user_detail(request: XRequest, user: User, grant_form: Form | None = None,
                 status: int = 200) -> HttpResponse:
    actor = request.actor
    roles = (scoped(actor, RoleAssignment).filter(user=user)
             .select_related("unit", "member", "body").order_by("-is_active", "role"))
    return render(request, "core/manage/user_detail.html", {
        "account": user, "roles": roles,
        "grant_form": grant_form or admin_forms.RoleGrantForm(actor=actor),
        "may_manage_account": permissions.can_manage_account(actor, user),
        "api_tokens": tokens.token_list(user) if permissions.can_manage_account(actor, user)
        else [],
        "is_self": actor.user is not None and actor.user.pk == user.pk,
        "tab": "users",
    }, status=status)


@admin_page(permissions.can_manage_users)
def user_detail(request: XRequest, pk: int) -> HttpResponse:
    return _user_detail(request, _user_or_404(request.actor, pk))


@require_POST
@admin_page(permissions.can_manage_users)
def user_token_revoke(request: XRequest, pk: int, token: int) -> HttpResponse:
    """Revoke one API token of an account the administrator may manage."""
    user = _user_or_404(request.actor, pk)
    row = tokens.token_get_or_404(request.actor, user, token)
    tokens.token_revoke(actor=request.actor, token=row)
    messages.success(request, _("The token \"%(name)s\" no longer works.") % {"name": row.name})
    return redirect("manage-user", pk=user.pk)


@admin_page(permissions.can_manage_users)
def user_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    user = _user_or_404(actor, pk)
    if not permissions.can_manage_account(actor, user):
        raise PermissionDenied
    initial = {"display_name": user.display_name, "phone": user.phone or "",
               "email": user.email}
    form = admin_forms.UserEditForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=actor, user=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("manage-user", pk=user.pk)
    return render(request, "core/manage/user_edit.html",
                  {"form": form, "account": user, "tab": "users"})


@require_POST
@admin_page(permissions.can_manage_users)
def role_grant(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    user = _user_or_404(actor, pk)
    form = admin_forms.RoleGrantForm(request.POST, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        if not permissions.can_grant_role(actor, _committee(request), data["role"]):
            raise PermissionDenied
        try:
            services.role_grant(actor=actor, user=user, committee=_committee(request),
                                role=data["role"], unit=data["unit"], member=data["member"],
                                body=data["body"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("manage-user", pk=user.pk)
    return _user_detail(request, user, grant_form=form, status=400)


@require_POST
@admin_page(permissions.can_manage_users)
def role_revoke(request: XRequest, pk: int, role_pk: int) -> HttpResponse:
    actor = request.actor
    user = _user_or_404(actor, pk)
    assignment = get_scoped_or_404(actor, RoleAssignment, pk=role_pk, user=user)
    try:
        services.role_revoke(actor=actor, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The role has been revoked."))
    return redirect("manage-user", pk=user.pk)


def _account_action(request: XRequest, pk: int) -> User:
    user = _user_or_404(request.actor, pk)
    if not permissions.can_manage_account(request.actor, user):
        raise PermissionDenied
    return user


@require_POST
@admin_page(permissions.can_manage_users)
def user_unlock(request: XRequest, pk: int) -> HttpResponse:
    user = _account_action(request, pk)
    services.user_unlock(actor=request.actor, user=user)
    messages.success(request, _("The account has been unlocked."))
    return redirect("manage-user", pk=user.pk)


@require_POST
@admin_page(permissions.can_manage_users)
def user_end_sessions(request: XRequest, pk: int) -> HttpResponse:
    user = _account_action(request, pk)
    services.user_end_sessions(actor=request.actor, user=user)
    messages.success(request, _("%(u)s has been logged out on every device.") % {"u": user})
    return redirect("manage-user", pk=user.pk)


@require_POST
@admin_page(permissions.can_manage_users)
def user_mfa_reset(request: XRequest, pk: int) -> HttpResponse:
    user = _account_action(request, pk)
    mfa.totp_reset(actor=request.actor, user=user)
    messages.success(request, _("The second factor of %(u)s has been removed; they set it up "
                                "again at their next login.") % {"u": user})
    return redirect("manage-user", pk=user.pk)


@never_cache
@admin_page(permissions.can_manage_users)
def user_password(request: XRequest, pk: int) -> HttpResponse:
    user = _account_action(request, pk)
    form = admin_forms.PasswordResetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            password = services.user_set_password(
                actor=request.actor, user=user, password=form.cleaned_data["password1"] or None)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The password of %(u)s has been reset; the account is "
                                        "logged out everywhere.") % {"u": user})
            if form.cleaned_data["password1"]:
                return redirect("manage-user", pk=user.pk)
            return _no_store(render(request, "core/manage/password_shown.html", {
                "account": user, "password": password, "tab": "users"}))
    return render(request, "core/manage/user_password.html",
                  {"form": form, "account": user, "tab": "users"})


# --- terms and sessions -------------------------------------------------------------------

@admin_page(permissions.can_manage_reference_data)
def term_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    terms = scoped(actor, Term).prefetch_related(
        Prefetch("sessions", queryset=scoped(actor, Session).order_by("number"))
    ).order_by("-number")
    return render(request, "core/manage/term_list.html", {
        "terms": terms, "today": clock.today(), "tab": "terms"})


@admin_page(permissions.can_manage_reference_data)
def term_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    form = admin_forms.TermForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=actor, committee=_committee(request),
                                        **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Term %(n)s has been created.") % {"n": term.label})
            return redirect("manage-terms")
    return render(request, "core/manage/term_form.html", {"form": form, "tab": "terms"})


@admin_page(permissions.can_manage_reference_data)
def term_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    term = get_scoped_or_404(actor, Term, pk=pk)
    form = admin_forms.TermForm(request.POST or None, actor=actor, instance=term)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_update(actor=actor, term=term, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Term %(n)s has been saved.") % {"n": term.label})
            return redirect("manage-terms")
    return render(request, "core/manage/term_form.html",
                  {"form": form, "term": term, "tab": "terms"})


@admin_page(permissions.can_manage_reference_data)
def session_create(request: XRequest, term_pk: int) -> HttpResponse:
    actor = request.actor
    term = get_scoped_or_404(actor, Term, pk=term_pk)
    form = admin_forms.SessionForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=actor, term=term, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(s)s has been created.") % {"s": session.label})
            return redirect("manage-terms")
    return render(request, "core/manage/session_form.html",
                  {"form": form, "term": term, "tab": "terms"})


@admin_page(permissions.can_manage_reference_data)
def session_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    session = get_scoped_or_404(actor, scoped(actor, Session).select_related("term"), pk=pk)
    form = admin_forms.SessionForm(request.POST or None, term=session.term, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(actor=actor, session=session, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(s)s has been saved.") % {"s": session.label})
            return redirect("manage-terms")
    return render(request, "core/manage/session_form.html",
                  {"form": form, "term": session.term, "session": session, "tab": "terms"})


# --- working-day calendar -----------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 2004, 2100


def _calendar_page(request: XRequest, year: int, local_form: Form | None = None,
                   status: int = 200) -> HttpResponse:
    actor, committee = request.actor, _committee(request)
    today = clock.today()
    known = sorted(CalendarYear.objects.values_list("year", flat=True))
    in_year = Q(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    national = CalendarDay.objects.filter(in_year, committee__isnull=True).order_by("date")
    local = CalendarDay.objects.filter(in_year, committee=committee).order_by("date")
    inherited = CalendarDay.objects.filter(
        in_year, committee__in=committee.ancestors()).select_related("committee").order_by("date")
    check = None
    start_text, days_text = request.GET.get("from", ""), request.GET.get("days", "")
    if start_text and days_text:
        try:
            start, days = dt.date.fromisoformat(start_text), int(days_text)
            if not -1000 <= days <= 1000:
                raise ValueError
            check = {"start": start, "days": days,
                     "deadline": WorkCalendar(committee).add_working_days(start, days)}
        except (ValueError, OverflowError):
            messages.error(request, _("Enter a date and a number of working days (at most "
                                      "1000)."))
    return render(request, "core/manage/calendar.html", {
        "year": year, "has_data": year in known, "known_years": known,
        "next_missing": year == today.year and (year + 1) not in known,
        "national": national, "local": local, "inherited": inherited,
        "local_form": local_form or admin_forms.LocalDayForm(
            committee=committee, initial={"date": dt.date(year, 1, 1) if year != today.year
                                          else today}),
        "may_import": permissions.can_manage_national_calendar(actor),
        "check": check, "start_text": start_text, "days_text": days_text,
        "prev_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None, "tab": "calendar",
    }, status=status)


def _year_or_404(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("Not found."))
    return year


@admin_page(permissions.can_manage_reference_data)
def calendar_year(request: XRequest, year: int | None = None) -> HttpResponse:
    return _calendar_page(request, _year_or_404(year or clock.today().year))


@require_POST
@admin_page(permissions.can_manage_reference_data)
def calendar_local_add(request: XRequest, year: int) -> HttpResponse:
    committee = _committee(request)
    form = admin_forms.LocalDayForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            day = services.calendar_day_add(actor=request.actor, committee=committee,
                                            **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(date)s %(name)s has been added.")
                             % {"date": day.date.isoformat(), "name": day.name})
            return redirect("manage-calendar-year", year=day.date.year)
    return _calendar_page(request, _year_or_404(year), local_form=form, status=400)


@require_POST
@admin_page(permissions.can_manage_reference_data)
def calendar_local_remove(request: XRequest, pk: int) -> HttpResponse:
    # CalendarDay is not CommitteeOwned (national rows have no committee): filter explicitly.
    day = CalendarDay.objects.filter(pk=pk, committee=_committee(request)).first()
    if day is None:
        raise Http404(_("Not found."))
    year = day.date.year
    services.calendar_day_remove(actor=request.actor, day=day)
    messages.success(request, _("The local day has been removed."))
    return redirect("manage-calendar-year", year=year)


@admin_page(permissions.can_manage_reference_data)
def calendar_national_import(request: XRequest) -> HttpResponse:
    if not permissions.can_manage_national_calendar(request.actor):
        raise PermissionDenied(_("National holidays are entered by the provincial committee's "
                                 "administrator."))
    year = query_int(request.GET, "year", clock.today().year + 1, low=2000, high=2100)
    form = admin_forms.NationalImportForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_year_import(actor=request.actor, year=data["year"],
                                          entries=data["entries"], source=data["source"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The national holidays of %(y)s have been saved "
                                        "(%(n)s days).") % {"y": data["year"],
                                                            "n": len(data["entries"])})
            return redirect("manage-calendar-year", year=data["year"])
    existing = CalendarYear.objects.filter(year=year).exists()
    return render(request, "core/manage/calendar_import.html",
                  {"form": form, "year": year, "existing": existing, "tab": "calendar"})


# --- committee policy ---------------------------------------------------------------------

def _effective(committee: Committee, key: str) -> tuple[Any, Committee | None]:
    """The value ``policy.get`` returns and the committee it comes from (None: the default)."""
    node: Committee | None = committee
    while node is not None:
        if key in (node.policy or {}):
            return node.policy[key], node
        node = node.parent
    return policy.DEFAULTS[key][0], None


def _show(value: Any, key: str = "") -> str:
    value = policy.shown(key, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@admin_page(permissions.can_manage_reference_data)
def policy_list(request: XRequest) -> HttpResponse:
    committee = _committee(request)
    rows = []
    for key, (default, label) in sorted(policy.DEFAULTS.items()):
        value, source = _effective(committee, key)
        rows.append({"key": key, "label": label, "default": _show(default, key),
                     "value": _show(value, key), "source": source,
                     "own": source is not None and source.pk == committee.pk})
    return render(request, "core/manage/policy_list.html", {"rows": rows, "tab": "policy"})


def _policy_key_or_404(key: str) -> tuple[Any, Any]:
    if key not in policy.DEFAULTS:
        raise Http404(_("Not found."))
    return policy.DEFAULTS[key]


@admin_page(permissions.can_manage_reference_data)
def policy_edit(request: XRequest, key: str) -> HttpResponse:
    committee = _committee(request)
    default, label = _policy_key_or_404(key)
    value, source = _effective(committee, key)
    initial = {"value": ("true" if value else "false") if isinstance(default, bool)
               else json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict)
               else value}
    form = admin_forms.PolicyForm(request.POST or None, default=default, initial=initial,
                                  choices=policy.CHOICES.get(key))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_set(actor=request.actor, committee=committee, key=key,
                                value=form.cleaned_data["value"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("“%(label)s” has been set for this committee.")
                             % {"label": label})
            return redirect("manage-policy")
    return render(request, "core/manage/policy_form.html", {
        "form": form, "key": key, "label": label, "default": _show(default, key),
        "value": _show(value, key), "source": source,
        "own": source is not None and source.pk == committee.pk,
        "kind": admin_forms.type_label(default), "tab": "policy",
    })


@require_POST
@admin_page(permissions.can_manage_reference_data)
def policy_clear(request: XRequest, key: str) -> HttpResponse:
    _default, label = _policy_key_or_404(key)
    services.policy_clear(actor=request.actor, committee=_committee(request), key=key)
    messages.success(request, _("“%(label)s” now follows the parent committee or the default.")
                     % {"label": label})
    return redirect("manage-policy")


# --- scheduled jobs ---------------------------------------------------------------------------

@require_safe
@admin_page(permissions.can_view_schedule)
def schedule_list(request: XRequest) -> HttpResponse:
    """Each job of the timetable with its last run here, its result and its next time."""
    from xieshang.core import schedule
    from xieshang.core.models import ScheduledRun

    committee = _committee(request)
    user = request.user
    show_install = bool(getattr(user, "is_superuser", False))
    timetable = [j for j in schedule.jobs() if j.per_committee or show_install]
    scopes = [str(committee.pk)] + ([""] if show_install else [])
    runs = ScheduledRun.objects.filter(scope__in=scopes)
    latest: dict[str, ScheduledRun] = {}
    for run in runs.filter(job__in=[j.key for j in timetable]).order_by("job", "-fired_at"):
        latest.setdefault(run.job, run)
    now = clock.now()
    rows = [{"job": j, "last": latest.get(j.key),
             "result": schedule.describe(j, latest[j.key].result) if j.key in latest else "",
             "next": schedule.next_firing(j, now)} for j in timetable]
    labels = {j.key: j.label for j in schedule.jobs()}
    recent = [{"run": run, "label": labels.get(run.job, run.job)}
              for run in runs.order_by("-claimed_at", "-id")[:20]]
    return render(request, "core/manage/schedule.html",
                  {"rows": rows, "recent": recent, "tab": "schedule"})
