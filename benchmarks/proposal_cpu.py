"""CPU per request of the operations of the peer benchmark (issue #20), in process: the Django
test ``Client`` against the database in the settings (the demo county: ``XIESHANG_DEMO=1``),
``time.process_time`` around each request, medians over ``--n`` items; steadier than the
/proc figures of ``peer_openslides.py`` on a shared machine.

    XIESHANG_DEMO=1 .venv/bin/python benchmarks/proposal_cpu.py --n 30
    XIESHANG_DEMO=1 .venv/bin/python benchmarks/proposal_cpu.py --n 30 --profile fetch_api
    XIESHANG_DEMO=1 .venv/bin/python benchmarks/proposal_cpu.py --wsgi --n 10 --repeat 10

``--profile OP`` prints cProfile's top functions (cumulative and own time) for one operation:
create, submit, file, fetch_api or fetch_page. The items created are real proposals of the
demo county (like the peer benchmark's).
``--sql OP`` prints the statements of its last request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.peer_openslides import payload  # noqa: E402
from xieshang.core.models import ApiToken, User  # noqa: E402


class WsgiClient:
    """Calls the WSGI application as gunicorn does: one environ per request, the response
    closed afterwards (``request_finished`` closes the database connection unless
    ``CONN_MAX_AGE`` keeps it), unlike the test ``Client``, which keeps its connection."""

    def __init__(self, **defaults: str) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        self.handler = WSGIHandler()
        self.factory = RequestFactory(**defaults)
        self.cookies: dict[str, str] = {}

    def force_login(self, user: User) -> None:
        client = Client()
        client.force_login(user)
        self.cookies = {k: v.value for k, v in client.cookies.items()}

    def _call(self, method: str, path: str, data: Any = None, content_type: str = "") -> Any:
        from django.http import HttpResponse

        kw: dict[str, Any] = {}
        if data is not None:
            kw = {"data": data, "content_type": content_type}
        if self.cookies:
            kw["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        environ = getattr(self.factory, method)(path, **kw).environ
        status: list[str] = []
        headers: list[tuple[str, str]] = []

        def start_response(s: str, h: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(s)
            headers.extend(h)
            return lambda _b: None

        result = self.handler(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        response = HttpResponse(content, status=int(status[0].split()[0]))
        for k, v in headers:
            response[k] = v
        response.json = lambda: __import__("json").loads(content)  # type: ignore[attr-defined]
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self._call("get", path, **kw)

    def post(self, path: str, data: Any = None, content_type: str = "") -> Any:
        import json

        return self._call("post", path, json.dumps(data), content_type)


OPS = ["create", "submit", "create + submit", "file", "fetch_api", "fetch_page"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--member", default="weiyuan")
    parser.add_argument("--staff", default="tiweiban")
    parser.add_argument("--review-rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1,
                        help="fetch each item this many times (steadier fetch medians)")
    parser.add_argument("--profile", default="", choices=["", *OPS])
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", default="", choices=["", *OPS],
                        help="print the statements of the last request of this operation")
    parser.add_argument("--wsgi", action="store_true",
                        help="call the WSGI handler as gunicorn does (a connection per request)")
    args = parser.parse_args()
    make: Any = WsgiClient if args.wsgi else Client
    tokens = [ApiToken.issue(User.objects.get(username=u), "cpu benchmark", days=1)[1]
              for u in (args.member, args.staff)]
    member = make(HTTP_AUTHORIZATION=f"Bearer {tokens[0]}", HTTP_HOST="127.0.0.1")
    staff = make(HTTP_AUTHORIZATION=f"Bearer {tokens[1]}", HTTP_HOST="127.0.0.1")
    page = make(HTTP_HOST="127.0.0.1")
    page.force_login(User.objects.get(username=args.member))
    page.get("/")
    category = member.get("/api/v1/proposals/categories").json()["items"][0]["id"]
    cpu: dict[str, list[float]] = {op: [] for op in OPS}
    queries: dict[str, int] = {}
    # CPU time, not wall time: on a loaded machine a wall-clock profile charges whatever ran
    # when the process was descheduled.
    profiler = cProfile.Profile(time.process_time)
    statements: list[str] = []

    def timed(op: str, client: Any, method: str, path: str, body: Any = None) -> Any:
        fn = getattr(client, method)
        kw = {"data": body, "content_type": "application/json"} if body is not None else {}
        with CaptureQueriesContext(connection) as ctx:
            if op == args.profile:
                profiler.enable()
            t0 = time.process_time()
            response = fn(path, **kw)
            spent = time.process_time() - t0
            if op == args.profile:
                profiler.disable()
        assert response.status_code in (200, 201), (op, response.status_code,
                                                    response.content[:300])
        cpu[op].append(spent * 1000)
        queries[op] = len(ctx.captured_queries)
        if op == args.sql:
            statements[:] = [q["sql"] for q in ctx.captured_queries]
        return response.json() if "json" in response.get("Content-Type", "") else None

    start = int(time.time()) % 100000 * 10
    for i in range(args.n):
        title, text = payload(start + i)
        body = timed("create", member, "post", "/api/v1/proposals/",
                     {"title": title, "body": text, "category_id": category})
        pk = body["id"]
        body = timed("submit", member, "post", f"/api/v1/proposals/{pk}/actions/submit",
                     {"version": body["version"]})
        cpu["create + submit"].append(cpu["create"][-1] + cpu["submit"][-1])
        body = staff.post(f"/api/v1/proposals/{pk}/actions/start_review",
                          {"version": body["version"]}, content_type="application/json").json()
        for _r in range(args.review_rounds - 1):
            body = staff.post(f"/api/v1/proposals/{pk}/actions/pass_round",
                              {"version": body["version"]},
                              content_type="application/json").json()
        timed("file", staff, "post", f"/api/v1/proposals/{pk}/actions/file",
              {"version": body["version"]})
        for _k in range(args.repeat):
            timed("fetch_api", member, "get", f"/api/v1/proposals/{pk}")
            timed("fetch_page", page, "get", f"/proposals/{pk}/")
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}, "
          f"{args.n} items; CPU ms of the request in process (median; the first excluded)")
    for op in OPS:
        xs = cpu[op][1:] or cpu[op]
        print(f"{op:16} median {statistics.median(xs):6.1f}  min {min(xs):6.1f}  "
              f"queries {queries.get(op, '')}")
    for sql in statements:
        print(sql[:240])
    if args.profile:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
        print("own time by package (share of the profiled requests):")
        groups: dict[str, float] = {}
        for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
            groups[_package(filename)] = groups.get(_package(filename), 0.0) + row[2]
        total = sum(groups.values()) or 1.0
        for name, own in sorted(groups.items(), key=lambda kv: -kv[1])[:25]:
            print(f"  {own / total:6.1%}  {name}")


def _package(filename: str) -> str:
    if "site-packages/" in filename:
        parts = filename.split("site-packages/", 1)[1].split("/")
        return "/".join(parts[:3] if parts[0] == "django" else parts[:1])
    if "/xieshang/" in filename:
        return "xieshang/" + filename.split("/xieshang/", 1)[1]
    return "stdlib/" + filename.rsplit("/", 1)[-1] if "/" in filename else filename


if __name__ == "__main__":
    main()
