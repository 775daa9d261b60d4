"""Writes of the duty app: rule sets from templates, rules, manual items, warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from functools import partial
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core import audit, clock, uploads
from xieshang.core.inputs import refuse_nul
from xieshang.core.models import Committee, Role, Term
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor, require
from xieshang.core.selectors import users_with_role
from xieshang.core.uploads import Upload
from xieshang.core.workflow import step_input, transition
from xieshang.duties import engine, workflow
from xieshang.duties.facts import collect, kind_matches
from xieshang.duties.models import (
    Band,
    DutyRecomputeRequest,
    DutyWarning,
    ManualItem,
    Rule,
    RuleSet,
    SelfReport,
    WarningRule,
)
from xieshang.duties.permissions import can_edit_self_report, can_manage, can_review_self_reports
from xieshang.duties.selectors import self_report_collection
from xieshang.duties.templates_rules import TEMPLATES, WARNING_TEMPLATES
from xieshang.members.models import Member


def _may_manage(actor: Actor, committee: Committee) -> None:
    require(actor.system or (can_manage(actor) and actor.acts_in(committee)))


# A burst of writes (a rule page saved field by field, a roster of manual items) should cost
# one recomputation, not one each: the task waits this long before it starts (where the backend
# can defer), and every write in the meantime only bumps the pending request.
RECOMPUTE_DELAY = dt.timedelta(seconds=10)
# A request still pending this long after its task was queued lost its task (a crash, a
# purged queue): the next write queues another.
RECOMPUTE_STALE = dt.timedelta(minutes=15)


def recompute_pending(committee_id: int, year: int) -> int:
    """Recompute a committee-year while a request for it is pending; return how many runs.

    Clears the request only if its generation is still the one the run started from: a write
    that arrives during the run bumps it, so the loop runs again and that write is scored too.
    """
    runs = 0
    while True:
        pending = (DutyRecomputeRequest.objects.filter(committee_id=committee_id, year=year)
                   .values_list("generation", flat=True).first())
        if pending is None:
            return runs
        committee = Committee.objects.get(pk=committee_id)
        engine.recompute(committee, year)
        runs += 1
        done, _rows = DutyRecomputeRequest.objects.filter(
            committee_id=committee_id, year=year, generation=pending).delete()
        if done:
            return runs


@task()
def recompute_task(committee_id: int, year: int) -> str:
    runs = recompute_pending(committee_id, year)
    return f"{runs} recomputations"


def _enqueue_recompute(committee_id: int, year: int) -> None:
    backend = recompute_task.get_backend()
    if backend.supports_defer:
        recompute_task.using(run_after=clock.now() + RECOMPUTE_DELAY).enqueue(
            committee_id, year)
    else:
        recompute_task.enqueue(committee_id, year)


def schedule_recompute(committee: Committee | int, year: int) -> None:
    """Ask for the committee-year's scores to be recomputed after this transaction commits.

    Upserts the one pending request of the committee-year; only the write that creates it
    (or finds it stale) queues a task, so many writes leave at most one queued recomputation.
    ``committee`` may be given by its id (the watch of saved records has only the id: reading
    the committee row for it was a query on every proposal step).
    """
    now = clock.now()
    committee_id = committee if isinstance(committee, int) else committee.pk
    if _upsert_request(committee_id, year, now):
        transaction.on_commit(partial(_enqueue_recompute, committee_id, year))


def _upsert_request(committee_id: int, year: int, now: dt.datetime) -> bool:
    """Create the committee-year's pending request or bump it, in one statement (this runs
    after every save of a watched row: get_or_create and an update were four statements
    with their savepoint); True when it was created or found stale, i.e. a task is due.

    The row read back has ``queued_at`` = ``now`` exactly when this statement set it (new or
    stale); otherwise it keeps the time an earlier write queued its task."""
    ops = connection.ops
    table = ops.quote_name(DutyRecomputeRequest._meta.db_table)
    stamp = ops.adapt_datetimefield_value(now)
    stale = ops.adapt_datetimefield_value(now - RECOMPUTE_STALE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (committee_id, year, requested_at, queued_at, generation) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, 1) ON CONFLICT (committee_id, year) DO UPDATE SET "
            f"generation = {table}.generation + 1, requested_at = excluded.requested_at, "
            f"queued_at = CASE WHEN {table}.queued_at < %s THEN excluded.queued_at "
            f"ELSE {table}.queued_at END RETURNING queued_at",
            [committee_id, year, stamp, stamp, stale])
        row = cursor.fetchone()
    queued = row[0]
    col = DutyRecomputeRequest._meta.get_field("queued_at").get_col(
        DutyRecomputeRequest._meta.db_table)
    for convert in [*ops.get_db_converters(col), *col.get_db_converters(connection)]:
        queued = convert(queued, col, connection)
    return bool(queued == now)


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
                    description: str, evidence: Upload | None = None) -> ManualItem:
    _may_manage(actor, member.committee)
    item = ManualItem(committee=member.committee, member=member, date=date, code=code,
                      description=description, created_by=actor.user)
    if evidence is not None:
        _check_evidence(evidence)
        item.evidence = evidence
    item.full_clean()
    item.save()
    audit.record(actor, "duty.manual_item_add", item, after=audit.snapshot(item))
    schedule_recompute(member.committee, date.year)
    return item


MANUAL_FIELDS = ["date", "code", "description", "evidence"]
EVIDENCE_TYPES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".wps"}


def _check_evidence(upload: Upload) -> None:
    uploads.check_upload(upload, allowed=EVIDENCE_TYPES, max_mb=20, field="evidence")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item is changed.")})
    return reason


@transaction.atomic
def manual_item_update(*, actor: Actor, item: ManualItem, date: dt.date, code: str,
                       description: str, reason: str,
                       evidence: Upload | None = None) -> ManualItem:
    """Correct an item; the reason and the old values go into the audit log."""
    _may_manage(actor, item.committee)
    why = _reason(reason)
    locked = ManualItem.objects.select_for_update().get(pk=item.pk)
    if locked.voided_at is not None:
        raise ValidationError(_("A voided item cannot be changed."))
    before = audit.snapshot(locked, MANUAL_FIELDS)
    old_year = locked.date.year
    locked.date, locked.code, locked.description = date, code, description
    if evidence is not None:
        _check_evidence(evidence)
        locked.evidence = evidence
    locked.full_clean()
    locked.save(update_fields=MANUAL_FIELDS)
    changed_before, changed_after = audit.diff(before, audit.snapshot(locked, MANUAL_FIELDS))
    audit.record(actor, "duty.manual_item_update", locked, before=changed_before,
                 after={**changed_after, "reason": why})
    for year in {old_year, date.year}:
        schedule_recompute(locked.committee, year)
    return locked


@transaction.atomic
def manual_item_void(*, actor: Actor, item: ManualItem, reason: str) -> ManualItem:
    """Withdraw an item recorded in error: it stays on file, marked, and no longer counts."""
    _may_manage(actor, item.committee)
    why = _reason(reason)
    locked = ManualItem.objects.select_for_update().get(pk=item.pk)
    if locked.voided_at is not None:
        raise ValidationError(_("This item is already voided."))
    locked.voided_at, locked.voided_by, locked.void_reason = clock.now(), actor.user, why
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit.record(actor, "duty.manual_item_void", locked, after={"reason": why})
    schedule_recompute(locked.committee, locked.date.year)
    return locked


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


@transaction.atomic
def warning_rule_add(*, actor: Actor, committee: Committee, name: str, kinds: list[str],
                     period: str, comparison: str, threshold: int, from_month: int,
                     message: str) -> WarningRule:
    """A committee's own warning rule, beside the installed defaults."""
    _may_manage(actor, committee)
    if WarningRule.objects.filter(committee=committee, name=name).exists():
        raise ValidationError({"name": _("A warning rule with this name already exists.")})
    rule = WarningRule(committee=committee, name=name, kinds=list(kinds), period=period,
                       comparison=comparison, threshold=threshold, from_month=from_month,
                       message=message)
    rule.full_clean()
    rule.save()
    audit.record(actor, "duty.warning_rule_create", rule, after=audit.snapshot(rule))
    return rule


@transaction.atomic
def warning_rule_pause(*, actor: Actor, rule: WarningRule, unreported_kinds: list[str]
                       ) -> WarningRule:
    """Switch a rule off while kinds it counts are reported by no installed area (an "at most"
    rule would otherwise warn every member); the kinds are kept in the audit row."""
    _may_manage(actor, rule.committee)
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    audit.record(actor, "duty.warning_rule_pause", rule,
                 after={"is_active": False, "unreported_kinds": list(unreported_kinds)})
    return rule


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
    today = today or clock.today()
    raised: list[DutyWarning] = []
    members = {m.id: m for m in Member.objects.filter(committee=committee,
                                                       status=Member.Status.ACTIVE)
               .select_related("user")}
    staff_users = list(users_with_role(committee, Role.STAFF_OFFICE, Role.ADMIN))
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
            notify_on_commit(recipients=[member.user], committee=committee, title=rule.name,
                             body=rule.message, sms=True)
            notify_on_commit(recipients=staff_users, committee=committee,
                             title=_("Duty warning: %(name)s") % {"name": member.name},
                             body=rule.name, email=False)
        for member_id, row in open_rows.items():
            if member_id not in holds and row.resolved_at is None:
                row.resolved_at = clock.now()
                row.save(update_fields=["resolved_at"])
    audit.record(actor, "duty.warnings_check", None, committee=committee,
                 after={"raised": len(raised)})
    return raised


# --- yearly self-reports (述职) ----------------------------------------------------------------

def _texts(overview: str, achievements: str, shortcomings: str, plans: str) -> dict[str, str]:
    texts = {"overview": overview, "achievements": achievements,
             "shortcomings": shortcomings, "plans": plans}
    refuse_nul(texts)
    for name, text in texts.items():
        if len(text) > SELF_REPORT_MAX_CHARS:
            raise ValidationError({name: _("At most %(n)s characters.")
                                   % {"n": SELF_REPORT_MAX_CHARS}})
    return {k: v.strip() for k, v in texts.items()}


SELF_REPORT_MAX_CHARS = 20_000


@transaction.atomic
def self_report_save(*, actor: Actor, member: Member, year: int, overview: str = "",
                     achievements: str = "", shortcomings: str = "", plans: str = ""
                     ) -> SelfReport:
    """Create or update the member's own draft (or returned report) for ``year``."""
    require(actor.member_id is not None and actor.member_id == member.pk
            and actor.acts_in(member))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Choose a year between 2000 and 2100."))
    texts = _texts(overview, achievements, shortcomings, plans)
    report = (SelfReport.objects.select_for_update().filter(member=member, year=year).first()
              or SelfReport(committee_id=member.committee_id, member=member, year=year))
    if report.pk is not None and not can_edit_self_report(actor, report):
        raise ValidationError(_("This report has been submitted and can no longer be edited."))
    before = audit.snapshot(report, list(texts)) if report.pk else {}
    for name, text in texts.items():
        setattr(report, name, text)
    report.save()
    b, a = audit.diff(before, audit.snapshot(report, list(texts)))
    if b or a or not before:
        audit.record(actor, "duty.self_report_save", report, before=b, after=a)
    return report


def self_report_submit(*, actor: Actor, report: SelfReport,
                       version: int | None = None) -> SelfReport:
    """Submit: the record's figures of that moment are kept with the report."""
    return transition(workflow.SELF_REPORT, actor=actor, obj=report, step="submit",
                      version=version)


def self_report_return(*, actor: Actor, report: SelfReport, note: str,
                       version: int | None = None) -> SelfReport:
    return transition(workflow.SELF_REPORT, actor=actor, obj=report, step="return",
                      version=version, data=step_input(workflow.SelfReportNoteIn, note=note))


def self_report_accept(*, actor: Actor, report: SelfReport,
                       version: int | None = None) -> SelfReport:
    return transition(workflow.SELF_REPORT, actor=actor, obj=report, step="accept",
                      version=version)


@transaction.atomic
def self_reports_remind(*, actor: Actor, committee: Committee, year: int) -> int:
    """Notify every member of ``year`` who has not submitted a self-report; return how many."""
    require(can_review_self_reports(actor) and actor.acts_in(committee))
    _done, missing = self_report_collection(actor, year)
    users = [m.user for m, _r in missing if m.user is not None]
    notify_on_commit(recipients=users, committee=committee,
                     title=_("Please submit your %(year)s self-report") % {"year": year},
                     body=_("Your duty record for %(year)s is filled in already: add your own "
                            "account and submit it.") % {"year": year},
                     url=reverse("duty-my-self-report") + "?" + urlencode({"year": year}),
                     sms=True)
    audit.record(actor, "duty.self_reports_remind", None, committee=committee,
                 after={"year": year, "reminded": len(users), "missing": len(missing)})
    return len(users)
