"""The workflow engine (core.workflow): one order of checks, one event, one audit row, notices
after the commit; append-only events; every lifecycle complete (a template per offered step)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import get_template

from tests.factories import user_with_role
from xieshang.core.models import AuditLog, Notification, Role, WorkflowEvent
from xieshang.core.permissions import Actor, actor_for
from xieshang.core.workflow import (
    STAY,
    Changes,
    Lifecycle,
    Notice,
    StaleVersion,
    Step,
    StepIn,
    lifecycles,
    transition,
)
from xieshang.duties.models import SelfReport, SelfReportEvent

pytestmark = pytest.mark.django_db
S = SelfReport.Status


class ToyIn(StepIn):
    note: str = ""


def toy(calls: list[str], *, allow: bool = True, reason: str | None = None,
        run_changes: Changes | None = None, run_touches: bool = False) -> Lifecycle[SelfReport]:
    """A lifecycle over self-reports whose rule, guard and run write down when they are asked."""

    def rule(actor: Actor, report: SelfReport) -> bool:
        calls.append("rule")
        return allow

    def guard(actor: Actor, report: SelfReport) -> str | None:
        calls.append("guard")
        return reason

    def run(actor: Actor, report: SelfReport, data: ToyIn) -> Changes | None:
        calls.append("run")
        if run_touches:
            report.return_note = "changed behind the engine's back"
        return run_changes

    return Lifecycle(
        name="toy", model=SelfReport, event_model=SelfReportEvent, event_field="report",
        audit_prefix="toy", schema_prefix="Toy", url_name="duty-self-report-act", register=False,
        steps=[Step("go", S.DRAFT, S.SUBMITTED, rule, "go", guard=guard, input=ToyIn, run=run),
               Step("stay", (S.DRAFT, S.ACCEPTED), STAY, rule, "stay", also=frozenset({S.ACCEPTED}),
                    input=ToyIn, run=run)])


@pytest.fixture
def report(county):
    user = user_with_role(county, Role.MEMBER)
    member = user.roles.get().member
    return SelfReport.objects.create(committee=county, member=member, year=2025)


@pytest.fixture
def actor(county, staff):
    return actor_for(staff, county)


def _data(**kw):
    return ToyIn.model_construct(**kw)


def test_a_step_runs_its_checks_in_the_fixed_order_and_leaves_one_event_and_one_audit_row(
        report, actor):
    calls: list[str] = []
    life = toy(calls, run_changes=Changes(fields={"return_note": "见附件"}, note="已提交"))
    saved = transition(life, actor=actor, obj=report, step="go", version=report.version,
                       data=_data())
    assert calls == ["rule", "guard", "run"]
    assert (saved.status, saved.version, saved.return_note) == (S.SUBMITTED, 1, "见附件")
    fresh = SelfReport.objects.get(pk=report.pk)
    assert (fresh.status, fresh.version, fresh.return_note) == (S.SUBMITTED, 1, "见附件")
    [event] = SelfReportEvent.objects.filter(report=report)
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "go", S.DRAFT, S.SUBMITTED, "已提交")
    assert event.actor == actor.user and event.actor_name == str(actor.user)
    [row] = AuditLog.objects.filter(action="toy.go")
    assert row.before == {"status": S.DRAFT, "version": 0, "return_note": ""}
    assert row.after == {"status": S.SUBMITTED, "version": 1, "return_note": "见附件"}


def test_the_version_is_checked_before_anything_else(report, actor):
    calls: list[str] = []
    with pytest.raises(StaleVersion):
        transition(toy(calls, allow=False), actor=actor, obj=report, step="go", version=7)
    assert calls == []


def test_the_table_is_checked_before_the_rule(report, actor):
    calls: list[str] = []
    SelfReport.objects.filter(pk=report.pk).update(status=S.ACCEPTED)
    with pytest.raises(ValidationError) as exc:
        transition(toy(calls, allow=False), actor=actor, obj=report, step="go", version=0)
    assert exc.value.code == "invalid_state" and calls == []


def test_the_rule_refuses_before_the_guard_and_the_guard_before_the_run(report, actor):
    calls: list[str] = []
    with pytest.raises(PermissionDenied):
        transition(toy(calls, allow=False), actor=actor, obj=report, step="go", version=0)
    assert calls == ["rule"]
    calls.clear()
    with pytest.raises(ValidationError, match="还不行"):
        transition(toy(calls, reason="还不行"), actor=actor, obj=report, step="go", version=0)
    assert calls == ["rule", "guard"]


def test_a_refused_step_leaves_nothing_behind(report, actor, django_capture_on_commit_callbacks):
    def failing(actor: Actor, report: SelfReport, data: ToyIn) -> Changes:
        SelfReportEvent.objects.create(committee=report.committee, report=report, action="x")
        raise ValidationError({"note": "不行"})

    life = Lifecycle(name="toy", model=SelfReport, event_model=SelfReportEvent,
                     event_field="report", audit_prefix="toy", schema_prefix="Toy",
                     url_name="duty-self-report-act", register=False,
                     steps=[Step("go", S.DRAFT, S.SUBMITTED, lambda a, r: True, "go",
                                 run=failing)])
    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError):
        transition(life, actor=actor, obj=report, step="go", version=0)
    assert queued == []
    assert not SelfReportEvent.objects.exists() and not AuditLog.objects.filter(
        action="toy.go").exists()
    assert SelfReport.objects.get(pk=report.pk).status == S.DRAFT


def test_a_run_returns_its_changes_instead_of_changing_the_record(report, actor):
    with pytest.raises(AssertionError, match="return the fields"):
        transition(toy([], run_touches=True), actor=actor, obj=report, step="go", version=0)


def test_a_run_may_only_choose_a_status_the_step_leads_to(report, actor):
    stays = transition(toy([], run_changes=Changes()), actor=actor, obj=report, step="stay",
                       version=0)
    assert stays.status == S.DRAFT and stays.version == 1
    accepted = transition(toy([], run_changes=Changes(status=S.ACCEPTED)), actor=actor,
                          obj=stays, step="stay", version=1)
    assert accepted.status == S.ACCEPTED
    with pytest.raises(AssertionError, match="cannot end in"):
        transition(toy([], run_changes=Changes(status=S.RETURNED)), actor=actor,
                   obj=accepted, step="stay", version=2)


def test_notices_go_out_only_after_the_commit_and_not_to_the_actor(
        report, actor, county, django_capture_on_commit_callbacks):
    other = user_with_role(county, Role.STAFF_OFFICE)
    life = toy([], run_changes=Changes(notices=[Notice([actor.user, other, None], "已提交")]))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        transition(life, actor=actor, obj=report, step="go", version=0, data=_data(note="请审阅"))
        assert not Notification.objects.exists()
    assert len(queued) == 1
    queued[0]()
    [note] = Notification.objects.all()
    assert (note.recipient, note.title, note.body) == (other, "已提交", f"{report}\n请审阅")


def test_the_page_and_the_api_read_the_same_input_schema(report, actor):
    life = toy([])
    with pytest.raises(ValidationError) as exc:
        life.take(actor=actor, obj=report, step="go", data={"version": "七"})
    assert exc.value.message_dict == {"version": ["请输入整数。"]}
    with pytest.raises(ValidationError, match="空字符"):
        life.take(actor=actor, obj=report, step="go", data={"version": 0, "note": "a\x00b"})
    assert life.take(actor=actor, obj=report, step="go", data={"version": 0}).version == 1


# --- every event model is append-only ---------------------------------------------------------

EVENT_MODELS = sorted({life.event_model for life in lifecycles()}, key=lambda m: m.__name__)


def test_every_lifecycle_appends_to_a_workflow_event_model():
    names = {life.name for life in lifecycles()}
    assert names >= {"proposal", "opinion_report", "topic", "invitation", "suggestion",
                     "self_report", "article"}
    for life in lifecycles():
        assert issubclass(life.event_model, WorkflowEvent), life
        assert any(f.name == "version" for f in life.model._meta.concrete_fields), life


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m.__name__)
def test_events_cannot_be_changed_or_removed(model, county):
    life = next(x for x in lifecycles() if x.event_model is model)
    event = model(committee=county, action="x", **{f"{life.event_field}_id": None})
    with pytest.raises(ValidationError):
        event.delete()
    event.pk = 1  # as if it had been saved: saving it again is an update
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        model.objects.filter(pk=1).update(note="x")
    with pytest.raises(ValidationError):
        model.objects.filter(pk=1).delete()
    with pytest.raises(ValidationError):
        model.objects.bulk_update([event], ["note"])


# --- every lifecycle is complete ----------------------------------------------------------------

STEPS = [(life, step) for life in lifecycles() for step in life.steps.values()
         if not step.only_via]


@pytest.mark.parametrize(("life", "step"), STEPS, ids=[f"{x.name}.{s.name}" for x, s in STEPS])
def test_every_offered_step_has_its_template(life, step):
    template = get_template(life.template(step))
    assert "includes/step_form.html" in template.template.source


def test_schema_and_enum_names_are_the_lifecycles_own():
    seen: dict[str, type] = {}
    for life in lifecycles():
        assert life.Action.__name__ == f"{life.schema_prefix}Action"
        for step in life.steps.values():
            name = step.input.__name__
            assert name.startswith(life.schema_prefix) or step.input is StepIn, (life, step)
            assert seen.setdefault(name, step.input) is step.input, name


def test_a_row_the_caller_locked_is_not_read_again_and_a_refusal_undoes_the_callers_work(
        report, actor):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    calls: list[str] = []
    life = toy(calls)
    with transaction.atomic():
        row = SelfReport.objects.select_for_update().get(pk=report.pk)
        with CaptureQueriesContext(connection) as ctx:
            saved = transition(life, actor=actor, obj=row, step="go", version=0, data=_data(),
                               prelocked=True)
    assert saved is row and saved.status == S.SUBMITTED
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT")
                and 'FROM "duties_selfreport"' in q["sql"]]
    assert SelfReportEvent.objects.filter(report=report, action="go").exists()
    # Refused inside the caller's transaction: what the caller wrote before goes too.
    other = SelfReport.objects.create(committee=report.committee, member=report.member,
                                      year=2024)
    with pytest.raises(PermissionDenied), transaction.atomic():
        locked = SelfReport.objects.select_for_update().get(pk=other.pk)
        SelfReportEvent.objects.create(committee=other.committee, report=other, action="x")
        transition(toy(calls, allow=False), actor=actor, obj=locked, step="go", version=0,
                   data=_data(), prelocked=True)
    assert not SelfReportEvent.objects.filter(report=other).exists()
