"""Writes of the core app. Each is one transaction and leaves an audit row."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core import audit, policy, tokens
from xieshang.core.models import (
    UNIT_ROLES,
    ApiToken,
    CalendarDay,
    CalendarYear,
    Committee,
    Role,
    RoleAssignment,
    Session,
    Term,
    User,
)
from xieshang.core.permissions import (
    Actor,
    can_grant_role,
    can_manage_account,
    can_manage_national_calendar,
    can_manage_reference_data,
    can_view_audit_log,
    require,
)


class RoleTarget(Protocol):
    """The record a role is tied to: a handling unit, member record or collective body. They are
    the members app's models, which ``RoleAssignment`` names by label only (members is the layer
    above core), so the services take them by what they use."""

    pk: Any
    committee_id: int


class MemberRecord(RoleTarget, Protocol):
    user_id: int | None

    def save(self, *, update_fields: Iterable[str] | None = ...) -> None: ...


@transaction.atomic
def committee_create(
    *, actor: Actor, name: str, code: str, level: str, parent: Committee | None = None,
    short_name: str = "",
) -> Committee:
    require(actor.system or (actor.is_admin and parent is not None and
                             actor.committee is not None and
                             parent.path.startswith(actor.committee.path)))
    committee = Committee(name=name, code=code, level=level, parent=parent, short_name=short_name)
    committee.full_clean()
    committee.save()
    audit.record(actor, "committee.create", committee, committee=committee,
                 after=audit.snapshot(committee))
    return committee


@transaction.atomic
def term_create(
    *, actor: Actor, committee: Committee, number: int, start_date: dt.date,
    end_date: dt.date | None = None,
) -> Term:
    require(actor.system or (actor.is_admin and actor.acts_in(committee)))
    term = Term(committee=committee, number=number, start_date=start_date, end_date=end_date)
    term.full_clean()
    term.save()
    audit.record(actor, "term.create", term, after=audit.snapshot(term))
    return term


@transaction.atomic
def session_create(
    *, actor: Actor, term: Term, number: int, start_date: dt.date, end_date: dt.date,
    proposal_window_start: dt.date | None = None,
) -> Session:
    require(actor.system or (actor.is_admin and actor.acts_in(term.committee)))
    session = Session(committee=term.committee, term=term, number=number, start_date=start_date,
                      end_date=end_date, proposal_window_start=proposal_window_start)
    session.full_clean()
    session.save()
    audit.record(actor, "session.create", session, after=audit.snapshot(session))
    return session


@transaction.atomic
def user_create(
    *, actor: Actor, username: str, password: str | None, display_name: str = "",
    phone: str | None = None, email: str = "",
) -> User:
    require(actor.system or actor.is_admin)
    user = User(username=username, display_name=display_name, phone=phone or None, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor, "user.create", user, after=audit.snapshot(user))
    return user


@transaction.atomic
def role_grant(
    *, actor: Actor, user: User, committee: Committee, role: str,
    unit: RoleTarget | None = None, member: MemberRecord | None = None,
    body: RoleTarget | None = None,
) -> RoleAssignment:
    require(actor.system or (actor.is_admin and actor.acts_in(committee)))
    if role == Role.ADMIN and not actor.system:
        require(actor.is_admin)
    _check_role_target(user=user, committee=committee, role=role, unit=unit, member=member,
                       body=body)
    targets = {f"{name}_id": target.pk if target is not None else None
               for name, target in (("unit", unit), ("member", member), ("body", body))}
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, committee=committee, role=role, **targets, defaults={"is_active": True},
    )
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    assignment.full_clean()
    audit.record(actor, "role.grant", assignment, after=audit.snapshot(assignment))
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    require(actor.system or (actor.is_admin and actor.acts_in(assignment.committee)))
    if assignment.role == Role.ADMIN and assignment.is_active and not actor.system:
        others = RoleAssignment.objects.filter(
            committee=assignment.committee, role=Role.ADMIN, is_active=True,
            user__is_active=True,
        ).exclude(pk=assignment.pk)
        if not others.exists():
            raise ValidationError(_("The last administrator of a committee cannot be removed: "
                                    "grant the role to someone else first."))
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    audit.record(actor, "role.revoke", assignment)


@transaction.atomic
def user_logout_everywhere(*, actor: Actor) -> None:
    user = actor.user
    require(user is not None)
    assert user is not None
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])
    audit.record(actor, "user.logout_everywhere", user)
    tokens.revoke_all(actor=actor, user=user, reason=ApiToken.Revoked.SESSIONS)


@transaction.atomic
def user_password_changed(*, actor: Actor) -> None:
    """The user changed their own password (Django's form saved it): audited, and every API
    token issued before stops working."""
    user = actor.user
    require(user is not None)
    assert user is not None
    audit.record(actor, "user.password_change", user)
    tokens.revoke_all(actor=actor, user=user, reason=ApiToken.Revoked.PASSWORD)


# --- administration pages (core/admin_views.py) -----------------------------

PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
ACCOUNT_FIELDS = ["display_name", "phone", "email"]


def generate_password(length: int = 12) -> str:
    """A random password that passes AUTH_PASSWORD_VALIDATORS; no 0/O/1/l/I to misread."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _check_role_target(
    *, user: User, committee: Committee, role: str, unit: RoleTarget | None,
    member: MemberRecord | None, body: RoleTarget | None,
) -> None:
    """The unit, member record or body of a role must fit the role and be of the same committee."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if unit is not None and role not in UNIT_ROLES:
        raise ValidationError(_("Only handling-unit roles are tied to a handling unit."))
    if member is not None and role != Role.MEMBER:
        raise ValidationError(_("Only the member role is tied to a member record."))
    if body is not None and role != Role.COLLECTIVE:
        raise ValidationError(_("Only the collective proposer role is tied to a collective body."))
    for target in (unit, member, body):
        if target is not None and target.committee_id != committee.pk:
            raise ValidationError(_("The chosen record belongs to another committee."))
    if member is not None:
        taken = RoleAssignment.objects.filter(
            member_id=member.pk, role=Role.MEMBER, is_active=True).exclude(user=user)
        if taken.exists():
            raise ValidationError(
                _("Another account already holds the member role for %(member)s.")
                % {"member": member})
        if member.user_id is None:
            member.user_id = user.pk
            member.save(update_fields=["user"])


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str
    generated: bool


@transaction.atomic
def user_create_with_role(
    *, actor: Actor, username: str, display_name: str, password: str | None, role: str,
    phone: str | None = None, email: str = "", unit: RoleTarget | None = None,
    member: MemberRecord | None = None, body: RoleTarget | None = None,
) -> NewAccount:
    """A new account with its first role in the admin's committee (so that it is never orphaned).

    With no password a random one is generated; either way it is returned once for the admin
    to hand over, and it is never stored or logged in clear.
    """
    committee = actor.committee
    require(committee is not None and can_grant_role(actor, committee, role))
    assert committee is not None
    generated = not password
    password = password or generate_password()
    password_validation.validate_password(
        password, User(username=username, display_name=display_name, email=email))
    user = user_create(actor=actor, username=username, password=password,
                       display_name=display_name, phone=phone, email=email)
    role_grant(actor=actor, user=user, committee=committee, role=role, unit=unit, member=member,
               body=body)
    return NewAccount(user=user, password=password, generated=generated)


@transaction.atomic
def committee_contact_update(*, actor: Actor, committee: Committee, contact_address: str,
                             contact_phone: str) -> Committee:
    """The committee's address and telephone (shown on its public site and letters)."""
    _may_edit_reference(actor, committee)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    fields = ["contact_address", "contact_phone"]
    before = audit.snapshot(committee, fields)
    committee.contact_address, committee.contact_phone = contact_address, contact_phone
    committee.full_clean()
    committee.save(update_fields=fields)
    old, new = audit.diff(before, audit.snapshot(committee, fields))
    if new:
        audit.record(actor, "committee.update", committee, committee=committee, before=old,
                     after=new)
    return committee


@transaction.atomic
def user_set_site_superuser(*, actor: Actor, user: User) -> User:
    """Make an account a superuser of the whole site (Django's /admin/): only the system does
    this (the demo's administrator, an install's first account), never a committee admin."""
    require(actor.system)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    audit.record(actor, "user.superuser", user, after={"is_staff": True, "is_superuser": True})
    return user


@transaction.atomic
def user_update(
    *, actor: Actor, user: User, display_name: str, phone: str | None, email: str,
) -> User:
    require(can_manage_account(actor, user))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, ACCOUNT_FIELDS)
    user.display_name = display_name
    user.phone = phone or None
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=ACCOUNT_FIELDS)
    old, new = audit.diff(before, audit.snapshot(user, ACCOUNT_FIELDS))
    if new:
        audit.record(actor, "user.update", user, before=old, after=new)
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str | None = None) -> str:
    """Set (or generate) a new password; the account is unlocked and all its sessions end."""
    require(can_manage_account(actor, user))
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError(_("Change your own password on the change-password page."))
    generated = not password
    password = password or generate_password()
    user = User.objects.select_for_update().get(pk=user.pk)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["password", "password_changed_at", "failed_logins", "locked_until",
                             "session_salt"])
    audit.record(actor, "user.set_password", user,
                 after={"generated": generated, "sessions_ended": True})
    tokens.revoke_all(actor=actor, user=user, reason=ApiToken.Revoked.PASSWORD)
    return password


@transaction.atomic
def user_unlock(*, actor: Actor, user: User) -> User:
    require(can_manage_account(actor, user))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(actor, "user.unlock", user, before=before,
                 after={"locked_until": None, "failed_logins": 0})
    return user


@transaction.atomic
def user_end_sessions(*, actor: Actor, user: User) -> None:
    """Log the user out on every device (an admin's "log out everywhere")."""
    require(can_manage_account(actor, user))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])
    audit.record(actor, "user.end_sessions", user)
    tokens.revoke_all(actor=actor, user=user, reason=ApiToken.Revoked.SESSIONS)


def _may_edit_reference(actor: Actor, committee: Committee) -> None:
    require(actor.system or (can_manage_reference_data(actor) and actor.acts_in(committee)))


@transaction.atomic
def term_update(
    *, actor: Actor, term: Term, number: int, start_date: dt.date, end_date: dt.date | None,
) -> Term:
    _may_edit_reference(actor, term.committee)
    term = Term.objects.select_for_update().get(pk=term.pk)
    before = audit.snapshot(term)
    term.number, term.start_date, term.end_date = number, start_date, end_date
    term.full_clean()
    term.save(update_fields=["number", "start_date", "end_date"])
    old, new = audit.diff(before, audit.snapshot(term))
    if new:
        audit.record(actor, "term.update", term, before=old, after=new)
    return term


@transaction.atomic
def session_update(
    *, actor: Actor, session: Session, number: int, start_date: dt.date, end_date: dt.date,
    proposal_window_start: dt.date | None = None,
) -> Session:
    _may_edit_reference(actor, session.committee)
    session = Session.objects.select_for_update().get(pk=session.pk)
    before = audit.snapshot(session)
    session.number, session.start_date, session.end_date = number, start_date, end_date
    session.proposal_window_start = proposal_window_start
    session.full_clean()
    session.save(update_fields=["number", "start_date", "end_date", "proposal_window_start"])
    old, new = audit.diff(before, audit.snapshot(session))
    if new:
        audit.record(actor, "session.update", session, before=old, after=new)
    return session


@dataclass(frozen=True)
class HolidayEntry:
    """One line of the State Council's list: a day off or a make-up working day."""

    date: dt.date
    is_workday: bool
    name: str


@transaction.atomic
def calendar_day_add(
    *, actor: Actor, committee: Committee, date: dt.date, is_workday: bool, name: str,
) -> CalendarDay:
    """A local day off (or make-up working day) of one committee and those below it."""
    _may_edit_reference(actor, committee)
    if CalendarDay.objects.filter(committee=committee, date=date).exists():
        raise ValidationError(_("%(date)s already has a local entry: remove it first.")
                              % {"date": date.isoformat()})
    day = CalendarDay(committee=committee, date=date, is_workday=is_workday, name=name)
    day.full_clean()
    day.save()
    audit.record(actor, "calendar.local_add", day, after=audit.snapshot(day))
    return day


@transaction.atomic
def calendar_day_remove(*, actor: Actor, day: CalendarDay) -> None:
    require(day.committee is not None)
    assert day.committee is not None
    _may_edit_reference(actor, day.committee)
    before = audit.snapshot(day)
    audit.record(actor, "calendar.local_remove", day, before=before)
    day.delete()


def validate_holiday_entries(year: int, entries: list[HolidayEntry]) -> None:
    if not entries:
        raise ValidationError(_("The list is empty."))
    seen: set[dt.date] = set()
    for entry in entries:
        if entry.date.year != year:
            raise ValidationError(_("%(date)s is not in %(year)s.")
                                  % {"date": entry.date.isoformat(), "year": year})
        if entry.date in seen:
            raise ValidationError(_("%(date)s appears twice.") % {"date": entry.date.isoformat()})
        seen.add(entry.date)
        if not entry.name.strip():
            raise ValidationError(_("%(date)s has no name.") % {"date": entry.date.isoformat()})
        if entry.is_workday and entry.date.weekday() < 5:
            raise ValidationError(
                _("%(date)s is a weekday: only a Saturday or Sunday can be a make-up working "
                  "day.") % {"date": entry.date.isoformat()})


@transaction.atomic
def calendar_year_import(
    *, actor: Actor, year: int, entries: list[HolidayEntry], source: str = "",
) -> CalendarYear:
    """Replace the national days of ``year`` with the State Council's list, all or nothing."""
    require(can_manage_national_calendar(actor))
    validate_holiday_entries(year, entries)
    old_rows = CalendarDay.objects.filter(committee__isnull=True, date__year=year)
    before = [[d.date.isoformat(), d.name, d.is_workday] for d in old_rows.order_by("date")]
    old_rows.delete()
    rows = [CalendarDay(committee=None, date=e.date, is_workday=e.is_workday, name=e.name.strip())
            for e in sorted(entries, key=lambda e: e.date)]
    for row in rows:
        row.full_clean(validate_constraints=False)
    CalendarDay.objects.bulk_create(rows)
    marker, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source[:200]})
    audit.record(actor, "calendar.national_import", marker, committee=actor.committee,
                 before={"days": before},
                 after={"days": [[r.date.isoformat(), r.name, r.is_workday] for r in rows],
                        "source": marker.source})
    return marker


def policy_value_fits(default: Any, value: Any) -> bool:
    """An override must have the default's type (a bool is not an int here)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


@transaction.atomic
def policy_set(*, actor: Actor, committee: Committee, key: str, value: Any) -> Committee:
    _may_edit_reference(actor, committee)
    if key not in policy.DEFAULTS:
        raise ValidationError(_("Unknown setting."))
    if not policy_value_fits(policy.DEFAULTS[key][0], value):
        raise ValidationError(_("The value has the wrong type."))
    if key in policy.CHOICES and value not in dict(policy.CHOICES[key]):
        raise ValidationError(_("Choose one of the values offered."))
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    overrides = dict(committee.policy or {})
    before = {key: overrides[key]} if key in overrides else {}
    overrides[key] = value
    committee.policy = overrides
    committee.save(update_fields=["policy"])
    audit.record(actor, "policy.set", committee, committee=committee, before=before,
                 after={key: value})
    return committee


@transaction.atomic
def policy_clear(*, actor: Actor, committee: Committee, key: str) -> Committee:
    """Drop this committee's override: the parent's value or the default applies again."""
    _may_edit_reference(actor, committee)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    overrides = dict(committee.policy or {})
    if key not in overrides:
        return committee
    old = overrides.pop(key)
    committee.policy = overrides
    committee.save(update_fields=["policy"])
    audit.record(actor, "policy.clear", committee, committee=committee, before={key: old})
    return committee


@transaction.atomic
def audit_export_record(*, actor: Actor, filters: dict[str, Any], rows: int) -> None:
    """Exporting the audit log is itself a security event, so it is logged too."""
    require(can_view_audit_log(actor))
    audit.record(actor, "audit.export", None, after={"filters": filters, "rows": rows})
