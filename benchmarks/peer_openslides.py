"""Xieshang against OpenSlides 3.3 (motions), the nearest open-source peer (issue #20).

Installs and starts nothing: it needs a running Xieshang and, for the comparison, a running
OpenSlides 3.3, both one process with DEBUG off, on SQLite, on this machine (the server CPU of
each request is read from /proc). Without OpenSlides it prints Xieshang's side alone.

OpenSlides 3.3 (Python 3.8)::

    ~/.pyenv/versions/3.8.18/bin/python -m venv /work/os-venv
    /work/os-venv/bin/pip install openslides==3.3 'twisted[tls]==20.3.0'
    cd /work/os-data && /work/os-venv/bin/openslides createsettings --local-installation
    # DEBUG = False in personal_data/var/settings.py, then:
    /work/os-venv/bin/openslides start --no-browser --host 127.0.0.1 --port 8765 \\
        --local-installation

Xieshang (the demo county; one gunicorn worker)::

    XIESHANG_DEMO=1 .venv/bin/gunicorn -w 1 -b 127.0.0.1:8010 xieshang.wsgi:application
    XIESHANG_DEMO=1 .venv/bin/python benchmarks/peer_openslides.py --n 50

Operations, interleaved one by one (OpenSlides then Xieshang, then the other way round) with the
same payloads (a title 关于完善社区公共服务体系的提案 第N号 and ~285 characters varying with N):
create (an OpenSlides motion; a Xieshang draft), submit (Xieshang only: a motion starts
submitted), a state change (``set_state`` against 立案 ``file``, after ``start_review``), fetch
one record (API; Xieshang's HTML page too), and the list (OpenSlides sends every motion;
Xieshang its first page). For each: the median wall time, the median server CPU of the request
(utime + stime of every process holding the listening socket, from /proc/<pid>/stat), their
ratio, and the load average beside them. API tokens for the member and the staff user are
issued in the local database (the server must use the same one) unless given.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")
BODY = ("近年来我县社区公共服务设施逐步完善，但仍存在布局不均衡、服务内容单一、专业人员不足、"
        "老年人和儿童服务供给薄弱等问题，部分老旧小区缺少养老托育和便民服务场所。建议：一是统筹规划"
        "社区综合服务设施，按照十五分钟生活圈配置养老、托育、医疗、文体等服务；二是建立政府购买服务"
        "和社会组织参与机制，培育专业社工队伍；三是推进智慧社区建设，整合政务服务和生活服务平台；"
        "四是完善考核评价，把群众满意度作为主要指标，确保各项措施落到实处。")


def payload(n: int) -> tuple[str, str]:
    title = f"关于完善社区公共服务体系的提案 第{n}号"
    return title, f"第{n}号：{BODY}（编号{n:06d}，第{n % 97}批）"


# --- server processes and their CPU ----------------------------------------------------------

def _listen_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    return inodes


def server_pids(port: int) -> list[int]:
    """Every process holding the socket listening on ``port`` (gunicorn: master and workers)."""
    inodes = _listen_inodes(port)
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    pids.append(int(entry.name))
                    break
        except OSError:
            continue
    return sorted(pids)


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICK


def rss_mib(pids: list[int]) -> list[float]:
    out = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        m = re.search(r"VmRSS:\s+(\d+)", status)
        out.append(int(m.group(1)) / 1024 if m else 0.0)
    return out


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- HTTP -------------------------------------------------------------------------------------

@dataclass
class Server:
    name: str
    base: str
    pids: list[int]
    headers: dict[str, str] = field(default_factory=dict)
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             form: bool = False) -> tuple[int, Any, float, float]:
        """(status, decoded body, wall seconds, server CPU seconds) of one request."""
        data = None
        hdrs = {**self.headers, **(headers or {})}
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                hdrs["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        cpu0, t0 = cpu_seconds(self.pids), time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        wall = time.perf_counter() - t0
        # The server may finish its accounting a moment after the answer is read.
        cpu = cpu_seconds(self.pids) - cpu0
        try:
            decoded: Any = json.loads(raw)
        except ValueError:
            decoded = raw
        return status, decoded, wall, cpu

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "") or ""


def openslides(base: str, port: int) -> Server | None:
    server = Server("OpenSlides", base, server_pids(port))
    try:
        status, _b, _w, _c = server.call("POST", "/apps/users/login/",
                                         {"username": "admin", "password": "admin"})
    except (urllib.error.URLError, OSError):
        return None
    if status != 200:
        print(f"OpenSlides at {base} refused the login ({status}): Xieshang alone.")
        return None
    server.headers["X-CSRFToken"] = server.cookie("OpenSlidesCsrfToken")
    return server


def xieshang_tokens(member: str, staff: str) -> tuple[str, str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieshang.settings")
    django.setup()
    from xieshang.core.models import ApiToken, User

    return tuple(ApiToken.issue(User.objects.get(username=u), "peer benchmark", days=1)[1]
                 for u in (member, staff))  # type: ignore[return-value]


# --- the run ----------------------------------------------------------------------------------

@dataclass
class Measure:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    def med(self) -> tuple[float, float]:
        if not self.wall:
            return float("nan"), float("nan")
        return statistics.median(self.wall) * 1000, statistics.mean(self.cpu) * 1000


OPS = ["create", "create + submit (per item)", "state change", "fetch one (API)",
       "fetch one (HTML page)", "list (first page / everything)"]


def run(args: argparse.Namespace) -> None:
    xs = Server("Xieshang", args.xs.rstrip("/"), server_pids(urllib.parse.urlsplit(args.xs).port
                                                             or 80))
    member_token, staff_token = args.member_token, args.staff_token
    if not (member_token and staff_token):
        member_token, staff_token = xieshang_tokens(args.member, args.staff)
    member = {"Authorization": f"Bearer {member_token}"}
    staff = {"Authorization": f"Bearer {staff_token}"}
    os_server = None if args.no_peer else openslides(args.os.rstrip("/"), urllib.parse.urlsplit(
        args.os).port or 80)
    page = Server("Xieshang", xs.base, xs.pids)  # a browser session for the HTML page
    page.call("GET", "/login/")
    page.call("POST", "/login/", {"username": args.member, "password": args.password,
                                  "csrfmiddlewaretoken": page.cookie("csrftoken")}, form=True)
    status, cats, _w, _c = xs.call("GET", "/api/v1/proposals/categories", headers=member)
    assert status == 200, (status, cats)
    category = (cats["items"] if isinstance(cats, dict) else cats)[0]["id"]

    print(f"Xieshang {xs.base} pids {xs.pids} RSS {[round(r) for r in rss_mib(xs.pids)]} MiB; "
          + (f"OpenSlides {os_server.base} pids {os_server.pids} RSS "
             f"{[round(r) for r in rss_mib(os_server.pids)]} MiB" if os_server
             else "OpenSlides: not running (Xieshang alone)"))
    print(f"load average before: {load()}  ({os.cpu_count()} cores)")
    results = {name: {op: Measure() for op in OPS} for name in ("Xieshang", "OpenSlides")}
    start = args.start or int(time.time()) % 100000 * 10
    for i in range(args.n):
        n = start + i
        title, text = payload(n)
        order = ["os", "xs"] if i % 2 == 0 else ["xs", "os"]
        for who in order:
            if who == "os" and os_server is not None:
                r = results["OpenSlides"]
                s, body, w, c = os_server.call("POST", "/rest/motions/motion/",
                                               {"title": title, "text": f"<p>{text}</p>"})
                assert s in (200, 201), (s, str(body)[:300])
                motion = body["autoupdate"]["changed"]["motions/motion"][0]["id"] \
                    if "autoupdate" in body else body["id"]
                r["create"].add(w, c)
                r["create + submit (per item)"].add(w, c)
                s, body, w, c = os_server.call("PUT", f"/rest/motions/motion/{motion}/set_state/",
                                               {"state": 2})
                assert s == 200, (s, str(body)[:300])
                r["state change"].add(w, c)
                s, body, w, c = os_server.call("GET", f"/rest/motions/motion/{motion}/")
                assert s == 200, s
                r["fetch one (API)"].add(w, c)
                if i % args.list_every == 0:
                    s, body, w, c = os_server.call("GET", "/rest/motions/motion/")
                    assert s == 200, s
                    r["list (first page / everything)"].add(w, c)
            elif who == "xs":
                r = results["Xieshang"]
                s, body, w1, c1 = xs.call("POST", "/api/v1/proposals/", {
                    "title": title, "body": text, "category_id": category}, headers=member)
                assert s == 201, (s, str(body)[:300])
                pk, version = body["id"], body["version"]
                r["create"].add(w1, c1)
                s, body, w2, c2 = xs.call("POST", f"/api/v1/proposals/{pk}/actions/submit",
                                          {"version": version}, headers=member)
                assert s == 200, (s, str(body)[:300])
                r["create + submit (per item)"].add(w1 + w2, c1 + c2)
                s, body, _w, _c = xs.call("POST", f"/api/v1/proposals/{pk}/actions/start_review",
                                          {"version": body["version"]}, headers=staff)
                assert s == 200, (s, str(body)[:300])
                for _round in range(args.review_rounds - 1):  # the committee's review rounds
                    s, body, _w, _c = xs.call("POST",
                                              f"/api/v1/proposals/{pk}/actions/pass_round",
                                              {"version": body["version"]}, headers=staff)
                    assert s == 200, (s, str(body)[:300])
                s, body, w, c = xs.call("POST", f"/api/v1/proposals/{pk}/actions/file",
                                        {"version": body["version"]}, headers=staff)
                assert s == 200, (s, str(body)[:300])
                r["state change"].add(w, c)
                s, body, w, c = xs.call("GET", f"/api/v1/proposals/{pk}", headers=member)
                assert s == 200, s
                r["fetch one (API)"].add(w, c)
                s, body, w, c = page.call("GET", f"/proposals/{pk}/")
                assert s == 200, s
                r["fetch one (HTML page)"].add(w, c)
                if i % args.list_every == 0:
                    s, body, w, c = xs.call("GET", "/api/v1/proposals/?page=1", headers=staff)
                    assert s == 200, (s, str(body)[:200])
                    r["list (first page / everything)"].add(w, c)
    print(f"load average after:  {load()}")
    counts = ""
    if os_server is not None:
        s, body, _w, _c = os_server.call("GET", "/rest/motions/motion/")
        counts = f"OpenSlides motions: {len(body)}; "
    s, body, _w, _c = xs.call("GET", "/api/v1/proposals/?page=1", headers=staff)
    counts += f"Xieshang proposals visible to staff: {body.get('count', '?')}"
    print(counts)
    print(f"\n{args.n} items each. Wall: median ms; CPU: server CPU ms per request (mean), "
          "from /proc/<pid>/stat (1/100 s ticks, so read means over many requests).\n")
    head = "| operation | OpenSlides wall / CPU | Xieshang wall / CPU | ratio wall / CPU |"
    print(head)
    print("|---|---|---|---|")
    for op in OPS:
        xw, xc = results["Xieshang"][op].med()
        ow, oc = results["OpenSlides"][op].med()
        ratio = (f"{xw / ow:.2f} / {xc / oc:.2f}" if os_server and ow == ow and oc
                 else "—")
        peer = f"{ow:.0f} / {oc:.1f} ms" if os_server and ow == ow else "—"
        print(f"| {op} | {peer} | {xw:.0f} / {xc:.1f} ms | {ratio} |")
    print(f"\nRSS after: Xieshang {[round(r) for r in rss_mib(xs.pids)]} MiB"
          + (f", OpenSlides {[round(r) for r in rss_mib(os_server.pids)]} MiB"
             if os_server else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--xs", default="http://127.0.0.1:8010")
    parser.add_argument("--os", default="http://127.0.0.1:8765")
    parser.add_argument("--no-peer", action="store_true", help="Xieshang alone")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--list-every", type=int, default=3,
                        help="fetch the list every this many items (OpenSlides' is slow)")
    parser.add_argument("--start", type=int, default=0, help="first N of the payloads")
    parser.add_argument("--review-rounds", type=int, default=2,
                        help="the committee's proposal_review_rounds policy")
    parser.add_argument("--member", default="weiyuan")
    parser.add_argument("--staff", default="tiweiban")
    parser.add_argument("--password", default="Demo2026xs")
    parser.add_argument("--member-token", default="")
    parser.add_argument("--staff-token", default="")
    run(parser.parse_args())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
