"""Writes for members and organisation. Each is one transaction and leaves an audit row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save

from xieshang.core import audit, clock
from xieshang.core.models import Committee, Term
from xieshang.core.permissions import Actor, require
from xieshang.members.models import (
    ActivityGroup,
    CollectiveBody,
    HandlingUnit,
    Member,
    Position,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
    TermMembership,
)
from xieshang.members.permissions import can_edit_organisation

MEMBER_FIELDS = ("name", "gender", "ethnicity", "birth_date", "party", "sector", "workplace",
                 "phone", "id_number", "is_standing", "joined_on")


def _may_edit(actor: Actor, committee: Committee) -> None:
    require(actor.system or (can_edit_organisation(actor) and actor.acts_in(committee)))


def current_term(committee: Committee, on: dt.date | None = None) -> Term | None:
    on = on or clock.today()
    terms = Term.objects.filter(committee=committee, start_date__lte=on).order_by("-start_date")
    return terms.first()


@transaction.atomic
def sector_create(*, actor: Actor, committee: Committee, name: str, order: int = 0,
                  code: str = "") -> Sector:
    _may_edit(actor, committee)
    sector = Sector(committee=committee, name=name, order=order, code=code)
    sector.full_clean()
    sector.save()
    audit.record(actor, "sector.create", sector, after=audit.snapshot(sector))
    return sector


@transaction.atomic
def member_create(*, actor: Actor, committee: Committee, term: Term | None = None,
                  **fields: Any) -> Member:
    _may_edit(actor, committee)
    unknown = set(fields) - set(MEMBER_FIELDS) - {"user"}
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    member = Member(committee=committee, **fields)
    member.full_clean()
    member.save()
    term = term or current_term(committee, member.joined_on)
    if term is not None:
        TermMembership.objects.create(
            committee=committee, member=member, term=term, sector=member.sector,
            is_standing=member.is_standing, start_date=max(member.joined_on, term.start_date),
        )
    audit.record(actor, "member.create", member, after=audit.snapshot(member))
    return member


@transaction.atomic
def member_update(*, actor: Actor, member: Member, **fields: Any) -> Member:
    """Change personal data; a change of sector or standing status closes the current tenure."""
    _may_edit(actor, member.committee)
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member)
    old_sector, old_standing = member.sector_id, member.is_standing
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save(update_fields=list(fields))
    if member.sector_id != old_sector or member.is_standing != old_standing:
        _roll_tenure(member, reason="sector or standing status changed")
    b, a = audit.diff(before, audit.snapshot(member))
    audit.record(actor, "member.update", member, before=b, after=a)
    return member


def _roll_tenure(member: Member, *, reason: str) -> None:
    today = clock.today()
    current = TermMembership.objects.filter(member=member, end_date__isnull=True).first()
    if current is None:
        term = current_term(member.committee)
        if term is None:
            return
    else:
        term = current.term
        current.end_date = today
        current.end_reason = reason
        current.save(update_fields=["end_date", "end_reason"])
    TermMembership.objects.create(committee=member.committee, member=member, term=term,
                                  sector=member.sector, is_standing=member.is_standing,
                                  start_date=today)


@transaction.atomic
def member_leave(*, actor: Actor, member: Member, left_on: dt.date, reason: str) -> Member:
    """The member leaves the committee; every past record keeps pointing at them."""
    _may_edit(actor, member.committee)
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.status = Member.Status.LEFT
    member.left_on = left_on
    member.left_reason = reason
    member.save(update_fields=["status", "left_on", "left_reason"])
    TermMembership.objects.filter(member=member, end_date__isnull=True).update(
        end_date=left_on, end_reason=reason)
    Position.objects.filter(member=member, end_date__isnull=True).update(end_date=left_on)
    SpecialCommitteeMembership.objects.filter(member=member, end_date__isnull=True).update(
        end_date=left_on)
    audit.record(actor, "member.leave", member, after={"left_on": left_on, "reason": reason})
    return member


@transaction.atomic
def position_assign(*, actor: Actor, member: Member, term: Term, kind: str,
                    start_date: dt.date) -> Position:
    _may_edit(actor, member.committee)
    position = Position(committee=member.committee, member=member, term=term, kind=kind,
                        start_date=start_date)
    position.full_clean()
    position.save()
    audit.record(actor, "position.assign", position, after=audit.snapshot(position))
    return position


@transaction.atomic
def special_committee_create(*, actor: Actor, committee: Committee, term: Term, name: str,
                             established_on: dt.date, duties: str = "") -> SpecialCommittee:
    _may_edit(actor, committee)
    sc = SpecialCommittee(committee=committee, term=term, name=name,
                          established_on=established_on, duties=duties)
    sc.full_clean()
    sc.save()
    audit.record(actor, "special_committee.create", sc, after=audit.snapshot(sc))
    return sc


@transaction.atomic
def special_committee_rename(*, actor: Actor, special_committee: SpecialCommittee, name: str,
                             on: dt.date) -> SpecialCommittee:
    _may_edit(actor, special_committee.committee)
    sc = SpecialCommittee.objects.select_for_update().get(pk=special_committee.pk)
    old = sc.name
    sc.former_names = [*sc.former_names, {"name": old, "until": on.isoformat()}]
    sc.name = name
    sc.full_clean()
    sc.save(update_fields=["name", "former_names"])
    audit.record(actor, "special_committee.rename", sc, before={"name": old}, after={"name": name})
    return sc


@transaction.atomic
def special_committee_merge(*, actor: Actor, sources: list[SpecialCommittee],
                            target: SpecialCommittee, on: dt.date) -> SpecialCommittee:
    """Dissolve ``sources`` into ``target``; their current members move to the target."""
    _may_edit(actor, target.committee)
    for source in sources:
        require(source.committee_id == target.committee_id and source.pk != target.pk)
        source.dissolved_on = on
        source.merged_into = target
        source.save(update_fields=["dissolved_on", "merged_into"])
        for m in SpecialCommitteeMembership.objects.filter(special_committee=source,
                                                           end_date__isnull=True):
            m.end_date = on
            m.save(update_fields=["end_date"])
            SpecialCommitteeMembership.objects.get_or_create(
                committee=target.committee, member=m.member, special_committee=target,
                end_date=None, defaults={"role": SpecialCommitteeMembership.Role.MEMBER,
                                         "start_date": on})
        audit.record(actor, "special_committee.merge", source, after={"into": target.pk})
    return target


@transaction.atomic
def special_committee_join(*, actor: Actor, member: Member, special_committee: SpecialCommittee,
                           role: str = "member", start_date: dt.date | None = None,
                           ) -> SpecialCommitteeMembership:
    _may_edit(actor, member.committee)
    require(member.committee_id == special_committee.committee_id)
    row = SpecialCommitteeMembership.objects.create(
        committee=member.committee, member=member, special_committee=special_committee,
        role=role, start_date=start_date or clock.today())
    audit.record(actor, "special_committee.join", row)
    return row


@transaction.atomic
def group_create(*, actor: Actor, committee: Committee, term: Term, name: str,
                 kind: str = ActivityGroup.Kind.SECTOR) -> ActivityGroup:
    _may_edit(actor, committee)
    group = ActivityGroup(committee=committee, term=term, name=name, kind=kind)
    group.full_clean()
    group.save()
    audit.record(actor, "group.create", group, after=audit.snapshot(group))
    return group


@transaction.atomic
def collective_body_create(*, actor: Actor, committee: Committee, name: str, kind: str,
                           **fields: Any) -> CollectiveBody:
    _may_edit(actor, committee)
    body = CollectiveBody(committee=committee, name=name, kind=kind, **fields)
    body.full_clean()
    body.save()
    audit.record(actor, "collective_body.create", body, after=audit.snapshot(body))
    return body


UNIT_FIELDS = ("name", "short_name", "kind", "contact_name", "contact_phone", "address",
               "keywords", "order", "is_active")


@transaction.atomic
def unit_create(*, actor: Actor, committee: Committee, **fields: Any) -> HandlingUnit:
    _may_edit(actor, committee)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = HandlingUnit(committee=committee, **fields)
    unit.full_clean()
    unit.save()
    audit.record(actor, "unit.create", unit, after=audit.snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit: HandlingUnit, **fields: Any) -> HandlingUnit:
    _may_edit(actor, unit.committee)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save(update_fields=list(fields))
    b, a = audit.diff(before, audit.snapshot(unit))
    audit.record(actor, "unit.update", unit, before=b, after=a)
    return unit


@transaction.atomic
def special_committee_leave(*, actor: Actor, membership: SpecialCommitteeMembership,
                            end_date: dt.date) -> SpecialCommitteeMembership:
    """End a member's current membership of a special committee (the row is kept as history)."""
    _may_edit(actor, membership.committee)
    row = SpecialCommitteeMembership.objects.select_for_update().get(pk=membership.pk)
    if row.end_date is None:
        row.end_date = max(end_date, row.start_date)
        row.save(update_fields=["end_date"])
        audit.record(actor, "special_committee.leave", row,
                     after={"member": row.member_id, "end_date": row.end_date})
    return row


@transaction.atomic
def member_groups_set(*, actor: Actor, member: Member, term: Term,
                      groups: list[ActivityGroup]) -> Member:
    """Make ``groups`` the member's activity groups in ``term``; other terms' groups are kept."""
    _may_edit(actor, member.committee)
    require(all(g.committee_id == member.committee_id and g.term_id == term.pk for g in groups))
    current = {g.pk: g for g in ActivityGroup.objects.filter(members=member, term=term)}
    wanted = {g.pk: g for g in groups}
    removed = [g for pk, g in current.items() if pk not in wanted]
    added = [g for pk, g in wanted.items() if pk not in current]
    for group in removed:
        group.members.remove(member)
    for group in added:
        group.members.add(member)
    if removed or added:
        audit.record(actor, "member.groups", member,
                     before={"groups": sorted(g.name for g in current.values())},
                     after={"groups": sorted(g.name for g in wanted.values())})
    return member


@dataclass
class NewMember:
    """One member for ``members_bulk_create``: MEMBER_FIELDS values and current memberships."""

    fields: dict[str, Any]
    special_committees: list[SpecialCommittee] = field(default_factory=list)
    groups: list[ActivityGroup] = field(default_factory=list)


@transaction.atomic
def members_bulk_create(*, actor: Actor, committee: Committee, new: list[NewMember],
                        group_term: Term | None = None, note: str = "") -> list[Member]:
    """Create many members at once (a roster import of a whole term).

    Writes the same rows as ``member_create`` + ``special_committee_join`` + ``member_groups_set``
    would, in a few statements instead of a dozen per member: every member is validated
    (``full_clean``; the sector, special committees and groups must belong to ``committee``),
    ``post_save`` is sent for each row as ``save()`` would (so the search index follows), and one
    audit row lists the members created. A ValidationError's keys are indexes into ``new``.
    """
    _may_edit(actor, committee)
    terms = list(Term.objects.filter(committee=committee).order_by("-start_date"))
    today = clock.today()
    members: list[Member] = []
    problems: dict[str, list[str]] = {}
    for idx, item in enumerate(new):
        unknown = set(item.fields) - set(MEMBER_FIELDS)
        if unknown:
            raise TypeError(f"unknown member fields: {sorted(unknown)}")
        member = Member(committee=committee, **item.fields)
        require(member.sector is None or member.sector.committee_id == committee.pk)
        require(all(sc.committee_id == committee.pk for sc in item.special_committees))
        require(all(g.committee_id == committee.pk and group_term is not None
                    and g.term_id == group_term.pk for g in item.groups))
        try:
            # The foreign keys were checked just above, without a query per member.
            member.full_clean(exclude=["committee", "sector", "user"])
        except ValidationError as exc:
            problems[str(idx)] = exc.messages
        members.append(member)
    if problems:
        raise ValidationError(problems)
    for member in members:
        member.spell_name()
    Member.objects.bulk_create(members, batch_size=500)
    tenures: list[TermMembership] = []
    specials: list[SpecialCommitteeMembership] = []
    links: list[Any] = []
    through = ActivityGroup.members.through
    for member, item in zip(members, new, strict=True):
        term = next((t for t in terms if t.start_date <= member.joined_on), None)
        if term is not None:
            tenures.append(TermMembership(
                committee=committee, member=member, term=term, sector=member.sector,
                is_standing=member.is_standing,
                start_date=max(member.joined_on, term.start_date)))
        specials.extend(SpecialCommitteeMembership(
            committee=committee, member=member, special_committee=sc,
            role=SpecialCommitteeMembership.Role.MEMBER, start_date=today)
            for sc in dict.fromkeys(item.special_committees))
        links.extend(through(activitygroup_id=g.pk, member_id=member.pk)
                     for g in dict.fromkeys(item.groups))
    TermMembership.objects.bulk_create(tenures, batch_size=500)
    SpecialCommitteeMembership.objects.bulk_create(specials, batch_size=500)
    through._default_manager.bulk_create(links, batch_size=500)
    using = transaction.get_connection().alias
    for row in (*members, *tenures, *specials):
        post_save.send(sender=type(row), instance=row, created=True, update_fields=None,
                       raw=False, using=using)
    audit.record(actor, "member.bulk_create", committee=committee, after={
        "count": len(members), "note": note[:200],
        "members": [{"id": m.pk, "name": m.name} for m in members],
        "special_committee_joins": len(specials), "group_links": len(links)})
    return members
