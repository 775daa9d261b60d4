"""The penetration test's probes (issue #18), re-run over HTTP against a live server.

    .venv/bin/pytest -s tests/security/test_probes.py

starts the application on a real socket (pytest-django's live server, DEBUG off), builds a
committee with a record of every kind and a login for every role (``tests/security/world.py``),
and sends each probe the way the pentest did: as a browser (session cookie, CSRF token) or as
a script (bearer token). Where the pentest needed more than HTTP — editing the database behind
the application's back, a day passing — the probe does that in the test process (``Backdoor``).
Each probe returns None when the finding is gone, or what it found; the test prints one line
per finding and fails if any came back.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

PASSWORD = "Passw0rd!x"


class Browser:
    """A browser session: logs in through the login form, sends the CSRF token."""

    def __init__(self, base: str, ip: str = "") -> None:
        self.base = base.rstrip("/")
        self.http = requests.Session()
        self.ip = ip

    def url(self, path: str) -> str:
        return self.base + path

    def _csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.url(path), allow_redirects=kw.pop("follow", True), **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> requests.Response:
        if not self._csrf():
            self.get("/login/")
        headers = {"X-CSRFToken": self._csrf(), "Referer": self.url(path),
                   **kw.pop("headers", {})}
        return self.http.post(self.url(path), data=data, headers=headers,
                              allow_redirects=kw.pop("follow", False), **kw)

    def login(self, username: str, password: str = PASSWORD) -> requests.Response:
        self.get("/login/")
        return self.post("/login/", {"username": username, "password": password})

    def api(self, method: str, path: str, key: str = "", **kw: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {key}"} if key else {
            "X-CSRFToken": self._csrf(), "Referer": self.url(path)}
        headers.update(kw.pop("headers", {}))
        return self.http.request(method, self.url(path), headers=headers, **kw)


@dataclass
class Target:
    base: str
    users: dict[str, Any]  # role name → User
    records: dict[str, Any]  # what the probes look for
    backdoor: Any  # the test process: database and clock


@dataclass
class Result:
    finding: int
    title: str
    found: str | None  # None: the finding is gone


PROBES: list[tuple[int, str, Callable[[Target], str | None]]] = []


def probe(number: int, title: str) -> Callable[[Callable[[Target], str | None]],
                                               Callable[[Target], str | None]]:
    def register(fn: Callable[[Target], str | None]) -> Callable[[Target], str | None]:
        PROBES.append((number, title, fn))
        return fn
    return register


def as_role(t: Target, role: str) -> Browser:
    b = Browser(t.base)
    response = b.login(t.users[role].username)
    assert response.status_code == 302, (role, response.status_code)
    return b


def hits(body: str) -> list[str]:
    """The titles of the search page's results (not the query it echoes)."""
    return re.findall(r'<li><a href="[^"]*"><strong>([^<]+)</strong>', body)


@probe(1, "search shows what the pages refuse")
def p01(t: Target) -> str | None:
    def found(role: str, query: str) -> list[str]:
        return hits(as_role(t, role).get("/search/", params={"q": query}).text)

    for role in ("staff_proposal", "staff_committee", "staff_office", "leader", "admin"):
        if any("受害方草稿乙" in h for h in found(role, "受害方草稿乙")):
            return f"{role} finds a member's draft"
    for role in ("staff_proposal", "staff_committee"):
        if any("社情民意" in h for h in found(role, "社情民意")):
            return f"{role} finds public-opinion reports"
    if any("受害方提案甲" in h for h in found("clerk_x", "受害方提案甲")):
        return "a unit clerk finds another unit's proposal"
    if any("受害方活动戊" in h for h in found("other_member", "受害方活动戊")):
        return "a member finds an activity he is not invited to"
    if any("定时文章" in h for h in found("member", "定时文章")):
        return "a scheduled article is listed"
    if found("admin", ""):
        return "an empty query lists records"
    if not found("staff_proposal", "受害方提案甲"):
        return "the search finds nothing at all (cannot probe)"
    return None


@probe(2, "the audit chain can be rewritten")
def p02(t: Target) -> str | None:
    return t.backdoor.rewrite_audit_chain()


def _bomb() -> bytes:
    out = io.BytesIO()
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxml'
        'formats.org/package/2006/content-types"><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxml'
        'formats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>'
        '姓名</t></is></c><c t="inlineStr"><is><t>出勤</t></is></c></row>'
        + '<row><c t="inlineStr"><is><t>张三</t></is></c><c t="inlineStr"><is><t>出席</t></is>'
        '</c></row>' * 1_090_000 + "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


@probe(3, "a zip bomb in the attendance import")
def p03(t: Target) -> str | None:
    bomb = _bomb()
    b = as_role(t, "staff_office")
    path = f"/activities/{t.records['activity'].pk}/attendance/import/"
    response = b.post(path, files={"file": ("a.xlsx", bomb)}, follow=True)
    if response.status_code >= 500:
        return f"{len(bomb) // 1024} KB answered {response.status_code}"
    if "解压后超过" not in response.text and "行" not in response.text:
        return "the file was read"
    return None


@probe(4, "a county editor takes over the platform's root")
def p04(t: Target) -> str | None:
    b = as_role(t, "staff_office")
    b.post("/portal/settings/", {"title": "受害网站", "host_name": "127.0.0.1",
                                 "is_public": "on"})
    home = Browser(t.base).get("/", follow=False)
    if home.status_code == 200 and "受害网站" in home.text:
        return "/ serves the county's website"
    if t.backdoor.site_host() == "127.0.0.1":
        return "the platform's host was stored for a county site"
    return None


@probe(5, "API tokens outlive security actions")
def p05(t: Target) -> str | None:
    b = as_role(t, "member")
    key = b.api("post", "/api/core/tokens", json={"name": "probe"}).json()["key"]
    if b.api("get", "/api/core/me", key).status_code != 200:
        return "a new token does not work (cannot probe)"
    b.post("/logout/everywhere/")
    if Browser(t.base).api("get", "/api/core/me", key).status_code == 200:
        return "the token works after log out everywhere"
    b = as_role(t, "member")
    listed = b.api("get", "/api/v1/core/tokens").json()["items"]
    if not listed or not all(row.get("expires_at") for row in listed):
        return "tokens have no expiry"
    return None


@probe(6, "anyone locks any account; the lock tells who exists")
def p06(t: Target) -> str | None:
    device = Browser(t.base)  # the real user's own browser, used before the attack
    if device.login(t.users["leader"].username).status_code != 302:
        return "the real user cannot log in (cannot probe)"
    device.post("/logout/")

    def answers(name: str) -> list[str]:
        out = []
        for _i in range(6):
            text = Browser(t.base).login(name, "wrong-password").text
            out.append(" ".join(re.findall(r'class="errorlist nonfield"><li>([^<]+)', text)))
        return out

    if answers(t.users["leader"].username) != answers("13999999999"):
        return "a real account answers differently from an unknown one"
    if Browser(t.base).login(t.users["leader"].username).status_code == 302:
        return "the account is not locked for others (cannot probe the lock)"
    if device.login(t.users["leader"].username).status_code != 302:
        return "the real user is locked out of their own device too"
    return None


@probe(7, "rate limits live in each process's memory; the API skips the honeypot")
def p07(t: Target) -> str | None:
    code = t.records["committee"].code
    body = {"title": "路灯不亮", "description": "夜里很黑", "name": "居民", "phone": "13800001111"}
    b = Browser(t.base)
    if b.api("post", f"/api/opinions/public/{code}/topics", json=body).status_code == 201:
        return "the API accepts a topic without the honeypot field"
    t.backdoor.forget_process_memory()
    accepted = 0
    for _i in range(8):
        t.backdoor.forget_process_memory()  # as if each request came to another worker
        response = b.api("post", f"/api/opinions/public/{code}/topics",
                         json={**body, "website": ""})
        accepted += response.status_code == 201
    if accepted > 5:
        return f"{accepted} topics accepted from one address in an hour"
    return None


@probe(8, "a rotated sign-in code stays valid")
def p08(t: Target) -> str | None:
    return t.backdoor.rotated_qr_still_signs_in()


@probe(9, "a reply under the leader's review is visible to members")
def p09(t: Target) -> str | None:
    p, reply = t.records["reply_review"]
    for role in ("other_member", "member"):
        b = as_role(t, role)
        if reply.body in b.get(f"/proposals/{p.pk}/").text:
            return f"{role} reads the reply"
        if b.get(f"/proposals/{p.pk}/documents/reply/{reply.pk}/").status_code == 200:
            return f"{role} downloads the reply letter"
    return None


@probe(10, "recovery codes regenerated with a session cookie only")
def p10(t: Target) -> str | None:
    return t.backdoor.recovery_codes_with_session_only(t.base)


@probe(11, "reading time inflated through the API")
def p11(t: Target) -> str | None:
    b = as_role(t, "member")
    key = b.api("post", "/api/core/tokens", json={"name": "read"}).json()["key"]
    material = t.records["material"].pk
    for _i in range(5):
        b.api("post", f"/api/activities/materials/{material}/read", key,
              json={"seconds": 14400})
    seconds = t.backdoor.reading_seconds(t.users["member"], material)
    if seconds > 3600:
        return f"{seconds} s recorded"
    return None


@probe(12, "standing-committee material open to every member")
def p12(t: Target) -> str | None:
    b = as_role(t, "other_member")
    material = t.records["standing_material"]
    if material.title in b.get("/activities/learning/").text:
        return "listed"
    if b.get(f"/activities/learning/{material.pk}/").status_code == 200:
        return "opens"
    return None


@probe(13, "bad query parameters answer 500")
def p13(t: Target) -> str | None:
    b = as_role(t, "all_roles")
    for path in ("/search/?q=x&page=1e20", "/search/?q=x&page=99999999999999999999",
                 "/activities/?month=1-1", "/activities/?month=9999-12",
                 "/opinions/quota/?year=99999999999",
                 "/api/core/calendar/deadline?start=9999-12-01&months=120"):
        if b.get(path).status_code >= 500:
            return f"{path} answers 500"
    big = b.api("post", "/api/members/members", data=b"{" + b" " * (21 * 1024 * 1024) + b"}",
                headers={"Content-Type": "application/json"})
    if big.status_code != 413:
        return f"a 21 MB body answers {big.status_code}"
    return None


@probe(14, "the members API stores what the form refuses")
def p14(t: Target) -> str | None:
    b = as_role(t, "staff_office")
    member = t.records["member"]
    for body in ({"id_number": "<b>x</b>"}, {"phone": "not-a-phone"},
                 {"id_number": "gAAAAAxyz"}):
        response = b.api("patch", f"/api/members/members/{member.pk}", json=body)
        if response.status_code != 400:
            return f"{body} answers {response.status_code}"
    return None


@probe(15, "an unconfirmed roster upload keeps ID numbers in clear")
def p15(t: Target) -> str | None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "性别", "身份证号"])
    book.active.append(["探针", "男", "110105198001010016"])
    data = io.BytesIO()
    book.save(data)
    b = as_role(t, "staff_office")
    b.post("/members/roster/import/", {"kind": "members"},
           files={"file": ("名册.xlsx", data.getvalue())})
    return t.backdoor.clear_id_numbers_on_disk()


@probe(16, "the sanitiser keeps an image from another host")
def p16(t: Target) -> str | None:
    from xieshang.portal.sanitize import clean_html

    for src in ("/\\evil.example/p.png", "/\t/evil.example/p.png"):
        if "evil" in clean_html(f'<img src="{src}" alt="x">'):
            return f"{src!r} kept"
    return None


@probe(17, "the server starts with the public demo key")
def p17(t: Target) -> str | None:
    return t.backdoor.starts_with_demo_key()


@probe(18, "one person writes, approves and publishes an article")
def p18(t: Target) -> str | None:
    b = as_role(t, "staff_office")
    b.post("/portal/new/", {"column": t.records["column"].pk, "title": "一人发布探针",
                            "body": "<p>x</p>", "audience": "public"})
    article = t.backdoor.article("一人发布探针")
    for action in ("submit", "publish"):
        article = t.backdoor.article("一人发布探针")
        b.post(f"/portal/{article.pk}/act/", {"action": action, "version": article.version})
    if t.backdoor.article("一人发布探针").status == "published":
        return "published by its own writer"
    return None


@probe(19, "the public page shows a proposal whose proposer refused disclosure")
def p19(t: Target) -> str | None:
    code = t.records["committee"].code
    body = Browser(t.base).get(f"/proposals/public/{code}/").text
    if t.records["undisclosed_text"] in body:
        return "its text is published"
    return None


def run(target: Target) -> list[Result]:
    return [Result(n, title, fn(target)) for n, title, fn in sorted(PROBES, key=lambda p: p[0])]


def forged_sha256_chain(rows: list[Any]) -> list[tuple[int, str, str]]:
    """(pk, prev_hash, hash) the way the old code chained rows: SHA-256, no key."""
    out, prev = [], ""
    for row in rows:
        content = [row.created_at.isoformat(), row.actor_id, row.actor_name, row.committee_id,
                   row.action, row.object_type, row.object_id, row.object_repr, row.before,
                   row.after, row.ip]
        digest = hashlib.sha256(json.dumps([prev, *content], ensure_ascii=False, sort_keys=True,
                                           separators=(",", ":"), default=str).encode())
        out.append((row.pk, prev, digest.hexdigest()))
        prev = digest.hexdigest()
    return out
