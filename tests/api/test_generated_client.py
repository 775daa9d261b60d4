"""An integrator's client, generated from the live document, walks every lifecycle.

openapi-python-client (pinned in the test extra) generates a Python package from
``/api/v1/openapi.json`` as served by a running server (pytest-django's ``live_server``), into a
temporary directory; the tests import it and take every step through its typed functions and
models only, with a bearer token issued by the token service. Every answer the server sends is
checked against the document (schemathesis): its status must be documented for the operation,
its content type too, and its body must match the schema. A generator warning fails the test,
as does an answer the client cannot parse.

Run them alone with ``pytest -m client_walk -s`` to see the walk (docs/api.md, "A generated
client").
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import schemathesis

from tests.factories import HandlingUnitFactory, user_with_role
from tests.proposals.factories import build_world
from xieshang.core import tokens
from xieshang.core.models import Committee, Role, User
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.client_walk  # live_server brings transactional_db

CONFIG = Path(__file__).resolve().parents[2] / "docs" / "openapi-python-client.yaml"
PACKAGE = "xs_client"


# --- the generated package --------------------------------------------------------------------

@dataclass
class Generated:
    document: dict[str, Any]
    schema: Any  # schemathesis' view of the document
    package: ModuleType

    def op(self, name: str) -> ModuleType:
        """The module of one operation, e.g. op("proposals.proposal_submit")."""
        return importlib.import_module(f"{PACKAGE}.api.{name}")

    @property
    def models(self) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.models")


def generate(document: dict[str, Any], into: Path) -> str:
    """Generate the client package into ``into``; return the generator's output."""
    spec = into / "openapi.json"
    spec.write_text(json.dumps(document, ensure_ascii=False))
    command = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert command, "openapi-python-client is not installed: pip install -e '.[test]'"
    done = subprocess.run(  # noqa: S603 - our own generator on our own document
        [command, "generate", "--path", str(spec), "--output-path", str(into / PACKAGE),
         "--meta", "none", "--config", str(CONFIG)],
        capture_output=True, text=True, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "warning" not in output.lower(), f"the generator warned:\n{output}"
    return output


@pytest.fixture
def generated(live_server, tmp_path) -> Iterator[Generated]:
    # The document as an integrator gets it: over HTTP from a running server.
    document = httpx.get(f"{live_server.url}/api/v1/openapi.json", timeout=30).json()
    generate(document, tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module(PACKAGE)
        schema = schemathesis.openapi.from_dict(document)
        yield Generated(document, schema, package)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


# --- checking every answer against the document -----------------------------------------------

@dataclass
class Walk:
    """The clients of one walk, and the log of every call with what the document says of it."""

    generated: Generated
    base_url: str
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    clients: list[Any] = field(default_factory=list)

    def check(self, response: httpx.Response) -> None:
        response.read()
        method, path = response.request.method, response.request.url.path
        operation = self.generated.schema.find_operation_by_path(method, path)
        where = f"{method} {path} → {response.status_code}"
        if operation is None:
            self.problems.append(f"{where}: no such operation in the document")
            return
        documented = operation.definition.raw.get("responses", {})
        if str(response.status_code) not in documented:
            self.problems.append(f"{where}: status not documented ({sorted(documented)})")
            return
        media = response.headers.get("content-type", "").split(";")[0].strip()
        content = documented[str(response.status_code)].get("content", {})
        if response.content and media not in content:
            self.problems.append(f"{where}: content type {media} not documented "
                                 f"({sorted(content)})")
            return
        try:
            operation.validate_response(response)
        except Exception as exc:  # noqa: BLE001 - every failure is reported with its call
            self.problems.append(f"{where}: body does not match the document: {exc}"[:2000])
            return
        self.lines.append(f"  {where:<72} {operation.definition.raw.get('operationId')} ✓")

    def client(self, user: User, committee: Committee, *, header: bool = True) -> Any:
        """A typed client acting as ``user`` (in ``committee`` unless ``header`` is False: then
        each call names its committee, or the user's first is taken), with a token issued by
        the token service."""
        _token, key = tokens.token_issue(actor=actor_for(user, committee), name="接口演练")
        client = self.generated.package.AuthenticatedClient(
            base_url=self.base_url, token=key,
            headers={"X-Committee": committee.code} if header else {},
            raise_on_unexpected_status=True,
            httpx_args={"event_hooks": {"response": [self.check]}})
        self.clients.append(client)
        return client

    def say(self, text: str) -> None:
        self.lines.append(text)

    def finish(self) -> None:
        for client in self.clients:  # no keep-alive connection outlives the live server
            client.get_httpx_client().close()
        print("\n".join(self.lines))  # noqa: T201 - the walk's output (pytest -s)
        assert not self.problems, "answers that differ from the document:\n" + "\n".join(
            self.problems)


@pytest.fixture
def walk(generated, live_server, frozen_clock) -> Iterator[Walk]:
    w = Walk(generated, live_server.url)
    yield w
    w.finish()


def ok[T](result: Any, expected: type[T]) -> T:
    """The typed answer, or the test fails with the server's error message."""
    assert isinstance(result, expected), (
        f"expected {expected.__name__}, got {type(result).__name__}: "
        f"{getattr(result, 'message', result)} {getattr(result, 'errors', '')}")
    return result


def call(g: Generated, name: str) -> Callable[..., Any]:
    return g.op(name).sync


# --- the proposal lifecycle -------------------------------------------------------------------

def test_a_generated_client_walks_the_whole_proposal_lifecycle(county, walk):
    g, m = walk.generated, walk.generated.models
    world = build_world(county)
    member = walk.client(world.users["member"], county)
    co = walk.client(world.users["co_member"], county)
    staff = walk.client(world.users["staff"], county)
    clerk = walk.client(world.users["clerk_a"], county)
    leader = walk.client(world.users["leader_a"], county)

    walk.say("proposal: draft (with a co-signer)")
    categories = ok(call(g, "proposals.proposals_categories")(client=member), m.PagedCategoryOut)
    p = ok(call(g, "proposals.proposals_create_draft")(client=member, body=m.DraftIn(
        title="关于加强农村饮水安全保障的建议", category_id=categories.items[0].id,
        body="近年来我县农村饮水工程逐步完善，但部分山区村组仍存在季节性缺水、水质不稳定等问题。"
             "建议：一是加大投入，二是完善管护机制，三是加强水质监测。",
        suggested_unit_ids=[world.units["a"].pk], co_proposer_ids=[world.co_member.pk])),
        m.ProposalDetailOut)
    assert p.status == "draft" and m.ProposalAction.SUBMIT in p.actions
    assert [c.state for c in p.co_proposers] == [m.CoSigning.PENDING]

    def step(client: Any, name: str, body: Any) -> Any:
        walk.say(f"proposal: {name}")
        return ok(call(g, f"proposals.proposal_{name}")(p.id, client=client, body=body),
                  m.ProposalDetailOut)

    p = step(member, "submit", m.ProposalNoteIn(version=p.version))
    walk.say("proposal: the co-signer confirms")
    seen = ok(call(g, "proposals.proposals_get_proposal")(p.id, client=co), m.ProposalDetailOut)
    assert seen.may_cosign
    p = ok(call(g, "proposals.proposals_cosign")(p.id, client=co, body=m.CosignIn(accept=True)),
           m.ProposalDetailOut)
    assert [c.state for c in p.co_proposers] == [m.CoSigning.CONFIRMED]

    # A stale version is the one conflict answer, typed like every error.
    stale = call(g, "proposals.proposal_start_review")(
        p.id, client=staff, body=m.ProposalNoteIn(version=p.version - 1))
    assert isinstance(stale, m.ErrorOut) and stale.code == "conflict"

    p = step(staff, "start_review", m.ProposalNoteIn(version=p.version))
    while m.ProposalAction.FILE not in ok(call(g, "proposals.proposals_get_proposal")(
            p.id, client=staff), m.ProposalDetailOut).actions:
        p = step(staff, "pass_round", m.ProposalNoteIn(version=p.version))
    p = step(staff, "file", m.ProposalNoteIn(version=p.version, note="同意立案"))
    assert p.number and p.kind == "joint"
    p = step(staff, "assign", m.ProposalAssignIn(version=p.version, kind="single",
                                                  unit_ids=[world.units["a"].pk]))
    assert [a.unit_id for a in p.assignments] == [world.units["a"].pk]

    todo = ok(call(g, "proposals.proposals_list_proposals")(client=clerk, page_size=100),
              m.PagedProposalOut)
    assert p.id in [row.id for row in todo.items]
    p = step(clerk, "sign", m.ProposalNoteIn(version=p.version))
    p = step(clerk, "draft_reply", m.ProposalReplyIn(
        version=p.version, result_class="A", body="经研究，已将该事项列入明年重点工作计划。",
        contact_person="赵科长", contact_phone="0771-1234567"))
    p = step(leader, "approve", m.ProposalNoteIn(version=p.version))
    p = step(staff, "release", m.ProposalNoteIn(version=p.version))
    assert p.status == "replied"
    p = step(member, "rate", m.ProposalRateIn(version=p.version, rating="satisfied",
                                               comments="答复具体，措施可行。"))
    assert p.status == "closed"
    walk.say(f"proposal {p.number}: {p.status_label}")


# --- 社情民意: submit, merge, edit, sign off, bulletin, report up to the city ---------------------

def test_a_generated_client_walks_the_opinion_chain_with_a_merge_up_to_the_city(county, walk):
    g, m = walk.generated, walk.generated.models
    city = county.parent
    author = walk.client(user_with_role(county, Role.MEMBER), county)
    second = walk.client(user_with_role(county, Role.MEMBER), county)
    editor = walk.client(user_with_role(county, Role.STAFF_OPINION), county)
    city_editor = walk.client(user_with_role(city, Role.STAFF_OPINION), city, header=False)

    def submit(client: Any, title: str) -> Any:
        walk.say(f"opinion: submit “{title}”")
        return ok(call(g, "opinions.opinions_submit_report")(client=client, body=m.ReportIn(
            title=title, category="society", situation="老旧小区居民上下楼困难。",
            analysis="加装电梯审批环节多，费用分摊难。", suggestion="建议出台加装电梯补贴办法。")),
            m.ReportOut)

    def step(client: Any, report: Any, name: str, body: Any) -> Any:
        walk.say(f"opinion: {name}")
        return ok(call(g, f"opinions.opinion_report_{name}")(report.id, client=client, body=body),
                  m.ReportOut)

    report = submit(author, "关于加快推进老旧小区加装电梯的建议")
    duplicate = submit(second, "关于老旧小区加装电梯的建议")
    report = step(editor, report, "start_edit", m.OpinionNoteIn(version=report.version))
    merged = step(editor, duplicate, "merge", m.OpinionMergeIn(version=duplicate.version,
                                                              into=report.id, note="内容相近"))
    assert merged.status == "merged"
    walk.say("opinion: edit the text")
    report = ok(call(g, "opinions.opinions_edit_report")(report.id, client=editor, body=m.EditIn(
        version=report.version, title=report.title, category="society",
        situation=report.situation, analysis=report.analysis,
        suggestion="建议尽快出台加装电梯财政补贴办法，简化审批。", note="合并两篇信息")),
        m.ReportOut)
    report = step(editor, report, "sign_off", m.OpinionNoteIn(version=report.version))

    walk.say("opinion: bulletin, publish, Word file")
    bulletin = ok(call(g, "opinions.opinions_create_bulletin")(client=editor, body=m.BulletinIn(
        kind="single", report_ids=[report.id])), m.BulletinOut)
    bulletin = ok(call(g, "opinions.opinions_bulletin_publish")(bulletin.id, client=editor),
                  m.BulletinOut)
    assert bulletin.status == "published"
    docx = call(g, "opinions.opinions_bulletin_docx")(bulletin.id, client=editor)
    assert docx.payload.read(2) == b"PK"  # a Word file is a zip
    report = ok(call(g, "opinions.opinions_get_report")(report.id, client=editor), m.ReportOut)
    assert report.status == "published" and m.OpinionAction.REPORT_UP in report.actions
    report = step(editor, report, "report_up", m.OpinionNoteIn(version=report.version,
                                                               note="请市政协关注"))

    walk.say("opinion: the city receives it and starts editing")
    inbox = ok(call(g, "opinions.opinions_list_reports")(client=city_editor,
                                                          x_committee=city.code),
               m.PagedReportOut)
    [copy] = [r for r in inbox.items if r.origin_id == report.id]
    assert copy.committee == city.code and copy.root_id == report.id
    copy = step(city_editor, copy, "start_edit", m.OpinionNoteIn(version=copy.version))
    assert copy.status == "editing"

    mine = ok(call(g, "opinions.opinions_list_reports")(client=author, mine=True),
              m.PagedReportOut)
    assert [r.id for r in mine.items] == [report.id] and mine.items[0].status == "sent"
    outcomes = ok(call(g, "opinions.opinions_outcomes")(report.id, client=author),
                  m.PagedOutcomeOut)
    assert [o.kind for o in outcomes.items] == ["adopted"]


# --- an activity: invitations, leave, QR sign-in ---------------------------------------------

def test_a_generated_client_walks_an_activity_with_invitations_leave_and_qr_sign_in(
        county, walk):
    g, m = walk.generated, walk.generated.models
    office_user = user_with_role(county, Role.STAFF_OFFICE)
    first_user = user_with_role(county, Role.MEMBER)
    second_user = user_with_role(county, Role.MEMBER)
    office = walk.client(office_user, county)
    first, second = walk.client(first_user, county), walk.client(second_user, county)
    HandlingUnitFactory(committee=county)

    walk.say("activity: create")
    types = ok(call(g, "activities.activities_list_types")(client=office, page_size=100),
               m.PagedTypeOut)
    forum = next(t for t in types.items if t.code == "forum")
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)  # the frozen clock
    activity = ok(call(g, "activities.activities_create_activity")(client=office, body=(
        m.ActivityIn(type_=forum.code, title="民生实事协商座谈会", start=start,
                     end=start + dt.timedelta(hours=2), place="县政协三楼会议室",
                     topic="老旧小区改造"))), m.ActivityOut)

    walk.say("activity: invite two members")
    members = [first_user.roles.get().member_id, second_user.roles.get().member_id]
    sent = ok(call(g, "activities.activities_invite")(activity.id, client=office, body=(
        m.InviteIn(member_ids=members))), m.Done)
    assert sent.count == 2

    def mine(client: Any) -> Any:
        [invitation] = ok(call(g, "activities.activities_my_invitations")(client=client),
                          m.PagedInvitationOut).items
        return invitation

    def step(client: Any, invitation: Any, name: str, body: Any) -> Any:
        walk.say(f"invitation: {name}")
        return ok(call(g, f"activities.invitation_{name}")(invitation.id, client=client,
                                                             body=body), m.InvitationOut)

    coming = mine(first)
    assert m.InvitationAction.CONFIRM in coming.actions
    coming = step(first, coming, "confirm", m.InvitationNoteIn(version=coming.version))
    away = mine(second)
    away = step(second, away, "request_leave", m.InvitationLeaveIn(version=away.version,
                                                                   reason="外出学习"))
    away = step(office, away, "approve_leave", m.InvitationNoteIn(version=away.version))
    assert (coming.status, away.status) == ("confirmed", "leave_approved")

    walk.say("activity: QR code opened, a member signs in")
    qr = ok(call(g, "activities.activities_open_qr")(activity.id, client=office), m.QrOut)
    signed = ok(call(g, "activities.activities_qr_sign_in")(client=first, body=m.QrTokenIn(
        token=qr.token)), m.InvitationOut)
    assert signed.attendance == "attended" and signed.attendance_source == "qr"
    again = call(g, "activities.activities_qr_sign_in")(client=first, body=m.QrTokenIn(
        token=qr.token))
    assert isinstance(again, m.ErrorOut) and again.code == "reused"

    walk.say("activity: held")
    held = ok(call(g, "activities.activities_set_status")(activity.id, client=office, body=(
        m.StatusIn(status=m.ActivityStatus.HELD))), m.ActivityOut)
    assert held.status == "held"
    listed = ok(call(g, "activities.activities_list_invitations")(activity.id, client=office),
                m.PagedInvitationOut)
    assert sorted(i.status for i in listed.items) == ["confirmed", "leave_approved"]


# --- a plenary meeting: registration, a secret vote, an election -----------------------------

def test_a_generated_client_walks_a_plenary_vote_and_election(county, walk):
    g, m = walk.generated, walk.generated.models
    office = walk.client(user_with_role(county, Role.STAFF_OFFICE), county)
    users = [user_with_role(county, Role.MEMBER) for _ in range(3)]
    voters = [walk.client(u, county) for u in users]

    walk.say("meeting: the plenary activity, everyone invited, the meeting set up on it")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)  # the frozen clock
    activity = ok(call(g, "activities.activities_create_activity")(client=office, body=(
        m.ActivityIn(type_="plenary", title="第一次全体会议", start=start,
                     end=start + dt.timedelta(hours=4), place="县会议中心"))), m.ActivityOut)
    ok(call(g, "activities.activities_invite")(activity.id, client=office, body=(
        m.InviteIn(everyone=True))), m.Done)
    meeting = ok(call(g, "meetings.meetings_create_meeting")(client=office, body=(
        m.MeetingIn(activity_id=activity.id))), m.MeetingOut)

    walk.say("meeting: two members registered at the desk")
    for u in users[:2]:
        meeting = ok(call(g, "meetings.meetings_register")(meeting.id, client=office, body=(
            m.MeetingRegisterIn(member_id=u.roles.get().member_id))), m.MeetingOut)
    assert meeting.counts.registered == 2 and meeting.counts.quorum_reached

    walk.say("poll: a secret vote, opened, cast, closed")
    poll = ok(call(g, "meetings.meetings_create_poll")(meeting.id, client=office, body=(
        m.MeetingPollIn(title="政治决议", secret=True))), m.PollOut)
    poll = ok(call(g, "meetings.poll_open")(poll.id, client=office, body=(
        m.PollStepIn(version=poll.version))), m.PollOut)
    for client in voters[:2]:
        ok(call(g, "meetings.meetings_vote")(poll.id, client=client, body=(
            m.MeetingVoteIn(choice="yes"))), m.MeetingDone)
    refused = call(g, "meetings.meetings_vote")(poll.id, client=voters[2], body=(
        m.MeetingVoteIn(choice="yes")))
    assert isinstance(refused, m.ErrorOut)  # not registered
    poll = ok(call(g, "meetings.poll_close")(poll.id, client=office, body=(
        m.PollStepIn(version=poll.version))), m.PollOut)
    assert (poll.yes, poll.present, poll.passed) == (2, 2, True)  # 2 of 3 members

    walk.say("election: 差额, a write-in, counted")
    election = ok(call(g, "meetings.meetings_create_election")(meeting.id, client=office, body=(
        m.MeetingElectionIn(title="选举常务委员", positions=[m.MeetingPositionIn(
            name="常务委员", seats=1, candidates=["甲", "乙"])]))), m.ElectionOut)
    election = ok(call(g, "meetings.election_open")(election.id, client=office, body=(
        m.ElectionStepIn(version=election.version))), m.ElectionOut)
    position = election.positions[0].id
    for client, names in zip(voters[:2], (["甲"], ["丙"]), strict=True):
        ok(call(g, "meetings.meetings_cast_ballot")(election.id, client=client, body=(
            m.MeetingBallotIn.from_dict({"marks": {str(position): names}}))), m.MeetingDone)
    election = ok(call(g, "meetings.election_close")(election.id, client=office, body=(
        m.ElectionStepIn(version=election.version))), m.ElectionOut)
    [result] = election.result
    assert result.elected == [] and result.runoff_seats == 1  # 1 of 2 ballots: no majority
    assert {(v.name, v.votes, v.written_in) for v in result.votes} == {
        ("甲", 1, False), ("乙", 0, False), ("丙", 1, True)}


# --- a self-report, and the figures -----------------------------------------------------------

def test_a_generated_client_walks_a_self_report_and_reads_the_figures(county, walk):
    g, m = walk.generated, walk.generated.models
    member_user = user_with_role(county, Role.MEMBER)
    member = walk.client(member_user, county)
    office = walk.client(user_with_role(county, Role.STAFF_OFFICE), county)
    leader = walk.client(user_with_role(county, Role.LEADER), county)
    year = 2026  # the frozen clock's year

    walk.say("self-report: save a draft")
    report = ok(call(g, "duties.duties_self_report_save")(year, client=member, body=(
        m.SelfReportIn(overview="全年参加协商活动六次。", achievements="提交提案两件。"))),
        m.SelfReportOut)
    assert report.status == "draft" and report.figures is None

    def step(client: Any, name: str, body: Any) -> Any:
        walk.say(f"self-report: {name}")
        return ok(call(g, f"duties.self_report_{name}")(report.id, client=client, body=body),
                  m.SelfReportOut)

    report = step(member, "submit", m.SelfReportNoteIn(version=report.version))
    assert isinstance(report.figures, m.SelfReportFiguresOut) and report.figures.year == year
    report = step(office, "return", m.SelfReportNoteIn(version=report.version,
                                                       note="请补充参加调研情况。"))
    report = ok(call(g, "duties.duties_self_report_save")(year, client=member, body=(
        m.SelfReportIn(overview="全年参加协商活动六次、调研两次。", achievements="提交提案两件。",
                       submit=True))), m.SelfReportOut)
    assert report.status == "submitted"
    report = step(office, "accept", m.SelfReportNoteIn(version=report.version))
    assert report.status == "accepted"
    collection = ok(call(g, "duties.duties_self_reports")(client=office, year=year),
                    m.CollectionOut)
    assert [r.id for r in collection.submitted] == [report.id]

    walk.say("figures: the year")
    figures = ok(call(g, "reports.reports_figures")(
        client=leader, from_=dt.date(year, 1, 1), to=dt.date(year, 12, 31)), m.FiguresOut)
    assert figures.committee == county.code and figures.figures
    assert all(isinstance(f.value, float | int) for f in figures.figures)


# --- the checks themselves can fail -----------------------------------------------------------

def _answer(method: str, path: str, status: int, body: Any,
            media: str = "application/json") -> httpx.Response:
    content = json.dumps(body).encode() if media == "application/json" else str(body).encode()
    response = httpx.Response(status, content=content, headers={"content-type": media},
                              request=httpx.Request(method, f"http://testserver{path}"))
    response.elapsed = dt.timedelta(0)  # as a received answer has
    return response


def test_the_walk_refuses_answers_the_document_does_not_describe(generated):
    w = Walk(generated, "http://testserver")
    me = {"id": 1, "username": "u", "display_name": "u", "committee": None, "roles": [],
          "member_id": None, "unit_ids": [], "body_ids": [], "committees": []}
    w.check(_answer("GET", "/api/v1/core/me", 200, me))
    assert not w.problems
    w.check(_answer("GET", "/api/v1/core/me", 200, {"id": 1}))  # required fields missing
    w.check(_answer("GET", "/api/v1/core/me", 418, me))  # a status the document does not list
    w.check(_answer("GET", "/api/v1/core/me", 200, "<html>", media="text/html"))
    w.check(_answer("GET", "/api/v1/core/nowhere", 200, {}))
    assert [p.split(": ", 1)[1].split(" ")[0] for p in w.problems] == [
        "body", "status", "content", "no"]


def test_a_generator_warning_fails_the_walk(tmp_path):
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {
        "/x": {"get": {"operationId": "x", "responses": {"200": {
            "description": "a file of a kind the generator cannot read",
            "content": {"application/x-unknown": {"schema": {"type": "string"}}}}}}}}}
    with pytest.raises(AssertionError, match="the generator warned"):
        generate(document, tmp_path)
