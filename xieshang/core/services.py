"""Writes of the core app. Each is one transaction and leaves an audit row."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.db import transaction

from xieshang.core import audit
from xieshang.core.models import Committee, Role, RoleAssignment, Session, Term, User
from xieshang.core.permissions import Actor, require

if TYPE_CHECKING:
    from xieshang.members.models import CollectiveBody, HandlingUnit, Member


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
    require(actor.system or (actor.is_admin and actor.committee == committee))
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
    require(actor.system or (actor.is_admin and actor.committee == term.committee))
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
    unit: HandlingUnit | None = None, member: Member | None = None,
    body: CollectiveBody | None = None,
) -> RoleAssignment:
    require(actor.system or (actor.is_admin and actor.committee == committee))
    if role == Role.ADMIN and not actor.system:
        require(actor.is_admin)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, committee=committee, role=role, unit=unit, member=member, body=body,
        defaults={"is_active": True},
    )
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    assignment.full_clean()
    audit.record(actor, "role.grant", assignment, after=audit.snapshot(assignment))
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    require(actor.system or (actor.is_admin and actor.committee == assignment.committee))
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
