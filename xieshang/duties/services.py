"""Writes of the duty app: rule sets from templates, rules, manual items, warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.models import Committee, Role, RoleAssignment, Term
from xieshang.core.notifications import notify
from xieshang.core.permissions import Actor, require
from xieshang.duties import engine
from xieshang.duties.facts import collect, kind_matches
from xieshang.duties.models import Band, DutyWarning, ManualItem, Rule, RuleSet, WarningRule
from xieshang.duties.permissions import can_manage
from xieshang.duties.templates_rules import TEMPLATES, WARNING_TEMPLATES
from xieshang.members.models import Member


def _may_manage(actor: Actor, committee: Committee) -> None:
    require(actor.system or (can_manage(actor) and actor.committee == committee))


@task()
def recompute_task(committee_id: int, year: int) -> str:
    committee = Committee.objects.get(pk=committee_id)
    result = engine.recompute(committee, year)
    return f"{result.members} members, {result.lines} lines"


def schedule_recompute(committee: Committee, year: int) -> None:
    transaction.on_commit(partial(recompute_task.enqueue, committee.pk, year))


@transaction.atomic
def ruleset_create_from_template(*, actor: Actor, committee: Committee, year: int,
                                 template: str = "standard") -> RuleSet:
    _may_manage(actor, committee)
    if template not in TEMPLATES:
        raise ValidationError(_("Unknown template."))
    if RuleSet.objects.filter(committee=committee, year=year).exists():
        raise ValidationError(_("A rule set for this year already exists."))
    spec = TEMPLATES[template]
    rule_set = RuleSet.objects.create(
        committee=committee, year=year, name=spec["name"], template=template,
        base_points=Decimal(str(spec["base"])),
        max_points=None if spec["max"] is None else Decimal(str(spec["max"])))
    Rule.objects.bulk_create([
        Rule(committee=committee, rule_set=rule_set, kind=kind, label=label,
             points=Decimal(str(points)), cap=None if cap is None else Decimal(str(cap)),
             order=i)
        for i, (kind, label, points, cap) in enumerate(spec["rules"])
    ])
    Band.objects.bulk_create([
        Band(committee=committee, rule_set=rule_set, name=name, min_score=Decimal(str(low)))
        for name, low in spec["bands"]
    ])
    audit.record(actor, "duty.ruleset_create", rule_set, after={"template": template,
                                                                "year": year})
    schedule_recompute(committee, year)
    return rule_set


@transaction.atomic
def rule_save(*, actor: Actor, rule_set: RuleSet, kind: str, label: str, points: Decimal,
              cap: Decimal | None = None, rule: Rule | None = None) -> Rule:
    _may_manage(actor, rule_set.committee)
    if rule is not None and rule.rule_set_id != rule_set.pk:
        raise ValidationError(_("The rule does not belong to this rule set."))
    before = audit.snapshot(rule) if rule else {}
    rule = rule or Rule(committee=rule_set.committee, rule_set=rule_set,
                        order=rule_set.rules.count())
    rule.kind, rule.label, rule.points, rule.cap = kind.strip(), label.strip(), points, cap
    rule.full_clean()
    rule.save()
    b, a = audit.diff(before, audit.snapshot(rule))
    audit.record(actor, "duty.rule_save", rule, before=b, after=a)
    schedule_recompute(rule_set.committee, rule_set.year)
    return rule


@transaction.atomic
def rule_delete(*, actor: Actor, rule: Rule) -> None:
    rule_set = rule.rule_set
    _may_manage(actor, rule_set.committee)
    audit.record(actor, "duty.rule_delete", rule, before=audit.snapshot(rule))
    rule.delete()
    schedule_recompute(rule_set.committee, rule_set.year)


@transaction.atomic
def manual_item_add(*, actor: Actor, member: Member, date: dt.date, code: str,
                    description: str, evidence: UploadedFile | None = None) -> ManualItem:
    _may_manage(actor, member.committee)
    item = ManualItem(committee=member.committee, member=member, date=date, code=code,
                      description=description, created_by=actor.user)
    if evidence is not None:
        item.evidence = evidence
    item.full_clean()
    item.save()
    audit.record(actor, "duty.manual_item_add", item, after=audit.snapshot(item))
    schedule_recompute(member.committee, date.year)
    return item


@transaction.atomic
def warning_rules_install_defaults(*, actor: Actor, committee: Committee) -> list[WarningRule]:
    _may_manage(actor, committee)
    rows = []
    for spec in WARNING_TEMPLATES:
        rule, _created = WarningRule.objects.get_or_create(committee=committee, name=spec["name"],
                                                           defaults=dict(spec))
        rows.append(rule)
    audit.record(actor, "duty.warning_rules_install", None, committee=committee)
    return rows


def _period(rule: WarningRule, committee: Committee, today: dt.date
            ) -> tuple[dt.date, dt.date, str] | None:
    if rule.period == WarningRule.Period.YEAR:
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), str(today.year)
    term = (Term.objects.filter(committee=committee, start_date__lte=today)
            .order_by("-start_date").first())
    if term is None:
        return None
    return term.start_date, term.end_date or today, f"term-{term.number}"


@transaction.atomic
def warnings_check(*, actor: Actor, committee: Committee, today: dt.date | None = None
                   ) -> list[DutyWarning]:
    """Raise the warnings whose condition holds now; resolve those that no longer hold."""
    _may_manage(actor, committee)
    today = today or timezone.localdate()
    raised: list[DutyWarning] = []
    members = {m.id: m for m in Member.objects.filter(committee=committee,
                                                       status=Member.Status.ACTIVE)
               .select_related("user")}
    staff_users = [ra.user for ra in RoleAssignment.objects.filter(
        committee=committee, role__in=[Role.STAFF_OFFICE, Role.ADMIN], is_active=True
    ).select_related("user")]
    for rule in WarningRule.objects.filter(committee=committee, is_active=True):
        period = _period(rule, committee, today)
        if period is None:
            continue
        start, end, label = period
        counts: Counter[int] = Counter()
        for fact in collect(committee.id, start, min(end, today)):
            if any(kind_matches(k, fact.kind) for k in rule.kinds):
                counts[fact.member_id] += 1
        holds: dict[int, int] = {}
        for member_id in members:
            n = counts.get(member_id, 0)
            at_least = rule.comparison == WarningRule.Comparison.AT_LEAST and n >= rule.threshold
            at_most = (rule.comparison == WarningRule.Comparison.AT_MOST
                       and n <= rule.threshold and today.month >= rule.from_month)
            if at_least or at_most:
                holds[member_id] = n
        open_rows = {w.member_id: w for w in DutyWarning.objects.filter(
            rule=rule, period_label=label)}
        for member_id, n in holds.items():
            row = open_rows.get(member_id)
            if row is not None and row.resolved_at is None:
                continue
            if row is None:
                row = DutyWarning.objects.create(committee=committee, rule=rule,
                                                 member_id=member_id, period_label=label, count=n)
            else:
                row.resolved_at, row.count = None, n
                row.save(update_fields=["resolved_at", "count"])
            raised.append(row)
            member = members[member_id]
            recipients = [u for u in [member.user] if u is not None]
            if recipients:
                notify(recipients=recipients, committee=committee, title=rule.name,
                       body=rule.message, sms=True)
            if staff_users:
                notify(recipients=staff_users, committee=committee,
                       title=_("Duty warning: %(name)s") % {"name": member.name},
                       body=rule.name, email=False)
        for member_id, row in open_rows.items():
            if member_id not in holds and row.resolved_at is None:
                row.resolved_at = timezone.now()
                row.save(update_fields=["resolved_at"])
    audit.record(actor, "duty.warnings_check", None, committee=committee,
                 after={"raised": len(raised)})
    return raised
