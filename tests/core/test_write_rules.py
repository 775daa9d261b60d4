"""Where writes may happen, read from the code (like test_tenancy_rule.py):

- a record's ``status`` is set only by the workflow engine (``core/workflow.py``);
- views and API modules write nothing themselves (no ``.save()``, ``.create()``, ``.update()``…:
  they call a service or take a step);
- people are told only through ``notify_on_commit()`` (nobody hears of a write that rolls back);
- no URL is written as an f-string (``get_absolute_url`` on routed models, ``reverse`` elsewhere);
- a view shows a service's refusal with ``form_errors(form, exc)`` or ``error_text(exc)``;
- an API operation says what it returns (not ``Any``).

Each rule is checked on the code base and, to show it can fail, on a bad example.
Demo and generator modules (which write end states in bulk, and move to the devdata app) and
migrations are not application code and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "xieshang"
GENERATED = {"core/scale.py", "core/demo.py", "members/demo_names.py"}


def application_modules() -> list[Path]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if ("migrations" in path.parts or rel in GENERATED or path.name == "demo.py"
                or rel.startswith("devdata/")):
            continue
        out.append(path)
    return out


def view_modules() -> list[Path]:
    return [p for p in application_modules()
            if "views" in p.name or p.name == "api.py" or p.name.endswith("_api.py")]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- status ----------------------------------------------------------------------------------

# Statuses that are not lifecycles of the engine (yet), each with its reason.
STATUS_ELSEWHERE = {
    ("activities/services.py", "obj.status = status"):
        "an activity is planned, held or cancelled by activity_set_status (no table yet)",
    ("activities/services.py", "row.status = AnnualPlan.Status.APPROVED"):
        "the annual plan's approval (no table yet)",
    ("activities/services.py",
     "row.status = PlanItem.Status.DONE if activity.status == Activity.Status.HELD "
     "else PlanItem.Status.PENDING"): "a plan item follows the activity it is linked to",
    ("activities/services.py", "row.status = PlanItem.Status.MOVED"): "a plan item is moved",
    ("activities/services.py",
     "PlanItem.objects.filter(activity=obj).update(status=PlanItem.Status.DONE)"):
        "plan items follow their activity",
    ("opinions/services.py", "locked.status = Bulletin.Status.PUBLISHED"):
        "a bulletin is published once (its reports go through REPORT's publish step)",
    ("members/services.py", "member.status = Member.Status.LEFT"):
        "a member's standing, not a workflow",
    ("core/apiutils.py", "self.status = status"): "ApiError's HTTP status",
    ("core/management/commands/tasks_recover.py",
     "DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING)"
     ".update(status=TaskResultStatus.READY, started_at=None)"):
        "a background task's state in the task queue",
    ("core/workflow.py", "record.status = target"): "the engine itself",
}


def status_writes(tree: ast.AST) -> list[ast.stmt | ast.expr]:
    found: list[ast.stmt | ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in elts):
                    found.append(node)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"update", "bulk_update", "update_or_create"}
                and any(k.arg == "status" for k in node.keywords)):
            found.append(node)
    return found


def status_offenders(path_rel: str, source: str) -> list[str]:
    out = []
    for node in status_writes(ast.parse(source)):
        text = " ".join(ast.unparse(node).split())
        if (path_rel, text) not in STATUS_ELSEWHERE:
            out.append(f"{path_rel}:{node.lineno} {text}")
    return out


def test_status_is_set_only_by_the_workflow_engine():
    offenders = [o for p in application_modules()
                 for o in status_offenders(_rel(p), p.read_text())]
    assert not offenders, "take a step of the lifecycle instead: " + ", ".join(offenders)


def test_every_exception_to_the_status_rule_is_still_there():
    found = {(_rel(p), " ".join(ast.unparse(n).split())) for p in application_modules()
             for n in status_writes(ast.parse(p.read_text()))}
    assert set(STATUS_ELSEWHERE) <= found, set(STATUS_ELSEWHERE) - found


def test_the_status_rule_sees_a_write_outside_the_engine():
    bad = "def f(p):\n    p.status = 'closed'\n    P.objects.filter().update(status='x')\n"
    assert len(status_offenders("proposals/services.py", bad)) == 2


# --- views and API modules -------------------------------------------------------------------

WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create",
          "update_or_create"}
ROUTERS = {"router", "api"}  # @router.delete(...) declares an operation, it writes nothing


def view_writes(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id in ROUTERS)):
            out.append(f"{node.lineno} .{node.func.attr}()")
    return out


@pytest.mark.parametrize("path", view_modules(), ids=_rel)
def test_views_and_api_modules_write_only_through_services(path):
    offenders = view_writes(path.read_text())
    assert not offenders, f"{_rel(path)}: call a service instead: " + ", ".join(offenders)


def test_the_view_rule_sees_a_write():
    assert view_writes("def v(r):\n    r.note.save()\n    X.objects.filter().update(a=1)\n")
    assert not view_writes("@router.delete('/x')\ndef v(r):\n    return 1\n")


# --- notifications ---------------------------------------------------------------------------

def notification_offenders(path_rel: str, source: str) -> list[str]:
    if path_rel == "core/notifications.py":
        return []
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = func.value if isinstance(func, ast.Attribute) else None
        if name == "notify":
            out.append(f"{path_rel}:{node.lineno} notify()")
        if name == "Notification" or (
                name in {"create", "bulk_create"} and isinstance(owner, ast.Attribute)
                and isinstance(owner.value, ast.Name) and owner.value.id == "Notification"):
            out.append(f"{path_rel}:{node.lineno} a Notification row")
    return out


def test_people_are_told_only_through_notify_on_commit():
    offenders = [o for p in application_modules()
                 for o in notification_offenders(_rel(p), p.read_text())]
    assert not offenders, "use core.notifications.notify_on_commit: " + ", ".join(offenders)


def test_the_notification_rule_sees_a_direct_notice():
    bad = "def f(u, c):\n    notify(recipients=[u], committee=c, title='t')\n" \
          "    Notification.objects.create(recipient=u)\n"
    assert len(notification_offenders("activities/services.py", bad)) == 2


# --- URLs ------------------------------------------------------------------------------------

# f-strings that start with "/" but are not links to a page, with the reason.
NOT_LINKS = {
    "xieshang/api.py": "the prefix each app's API router is mounted at, and the versioned "
                       "path an unversioned /api/ path stands for",
    "portal/middleware.py": "the path a public site's own host name is served under",
}


def fstring_urls(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and str(first.value).startswith("/"):
                out.append(f"{node.lineno} {ast.unparse(node)}")
    return out


def test_no_url_is_written_as_an_f_string():
    offenders = []
    for path in application_modules():
        rel = "xieshang/api.py" if path == ROOT / "api.py" else _rel(path)
        if rel not in NOT_LINKS:
            offenders += [f"{rel}:{o}" for o in fstring_urls(path.read_text())]
    assert not offenders, "use get_absolute_url() or reverse(): " + ", ".join(offenders)


def test_the_url_rule_sees_an_f_string_url():
    assert fstring_urls('url = f"/proposals/{pk}/"\n')
    assert not fstring_urls('url = f"{reverse(\'x\')}?year={year}"\n')


# --- refusals shown on pages -----------------------------------------------------------------

HELPERS = {"form_errors", "error_text"}


def refusals_shown_by_hand(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.ExceptHandler) and node.type is not None
                and "ValidationError" in ast.unparse(node.type)):
            continue
        calls = {getattr(c.func, "id", getattr(c.func, "attr", "")) for n in node.body
                 for c in ast.walk(n) if isinstance(c, ast.Call)}
        raises = any(isinstance(n, ast.Raise) for b in node.body for n in ast.walk(b))
        if not (calls & HELPERS or raises):
            out.append(f"{node.lineno} except {ast.unparse(node.type)}")
    return out


@pytest.mark.parametrize("path", view_modules(), ids=_rel)
def test_views_show_refusals_with_the_one_helper(path):
    offenders = refusals_shown_by_hand(path.read_text())
    assert not offenders, (f"{_rel(path)}: use core.forms.form_errors(form, exc) or "
                           "error_text(exc): " + ", ".join(offenders))


def test_the_refusal_rule_sees_a_handwritten_handler():
    bad = ("def v(r, form):\n    try:\n        s()\n    except ValidationError as exc:\n"
           "        form.add_error(None, exc.messages)\n")
    assert refusals_shown_by_hand(bad)


# --- API operations are typed ----------------------------------------------------------------

def untyped_operations(source: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        routed = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                     and isinstance(d.func.value, ast.Name) and d.func.value.id in ROUTERS
                     for d in node.decorator_list)
        if routed and (node.returns is None or ast.unparse(node.returns) == "Any"):
            out.append(f"{node.lineno} {node.name}")
    return out


@pytest.mark.parametrize("path", [p for p in view_modules() if "api" in p.name], ids=_rel)
def test_api_operations_say_what_they_return(path):
    offenders = untyped_operations(path.read_text())
    assert not offenders, f"{_rel(path)}: annotate the return type, not Any: " + ", ".join(
        offenders)


def test_the_typing_rule_sees_an_untyped_operation():
    assert untyped_operations("@router.get('/x')\ndef x(request) -> Any:\n    return 1\n")
    assert not untyped_operations("@router.get('/x')\ndef x(request) -> int:\n    return 1\n")
