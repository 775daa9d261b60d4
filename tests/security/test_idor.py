"""No IDOR anywhere: every URL with an id, tried with another committee's records.

The routes come from walking the URL resolver; which model an id names is found by running the
route once with a sentinel id and reading the SQL it issues (so a new page is covered the day
it is mounted, with nothing to list here). The attacker holds every role in a neighbouring
committee, so only tenancy can stop them. Expected: 302 to the login page / 401 / 403 / 404 /
405 — never a 500, never a page showing the other committee's records or serving its files,
never a changed row. An API body refused as incomplete is filled in until the id is looked up.
Every route that still is not probed must be in EXPLAINED, with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security.urlwalk import Route, is_int, model_for_table, routes_with_ids
from tests.security.world import Victim, attacker, build_victim
from xieshang.core.models import ApiToken
from xieshang.core.permissions import Actor
from xieshang.portal.services import site_ensure

pytestmark = pytest.mark.django_db

SENTINEL = 9_000_001
SQL_HIT = re.compile(r'"(\w+)"\."(\w+)"\s*(?:=|IN\s*\()\s*(9\d{6})\b')
ID_NAMES = {"pk", "att", "sub", "role_pk", "term_pk", "unit_id", "report_id", "session"}
VALUES = {"fmt": "docx", "year": 2026, "kind": "docx", "key": "x", "token": "x",
          "tracking": "x", "action": "x", "slug": "x"}
API_METHODS = ("get", "post", "put", "patch", "delete")
PAGE_METHODS = ("get", "post")
MARKERS = ("VICTIM", "受害")
OK_STATUSES = {204, 301, 302, 303, 400, 401, 403, 404, 405, 409, 422}
# An API body refused as incomplete (422 naming the fields) is filled in and sent again, so the
# id in the URL is looked up: the likely value for a field first, then each of a few kinds.
BODY_GUESSES: dict[str, object] = {
    "version": 1, "approve": True, "approved_on": "2026-03-01", "left_on": "2026-03-01",
    "planned_month": 6, "attendance": "attended", "status": "held", "kind": ("report", "award"),
    "action": "x", "to_month": 7, "sectors": ({}, [])}
BODY_KINDS: tuple[object, ...] = ("x", 1, True, "2026-03-01", [])
UPLOAD = object()  # a body field the API wants as an uploaded file (sent as multipart)
# Values for one route, where the generic ones stop the request before the id is looked up.
ROUTE_VALUES: dict[str, dict[str, object]] = {
    "api/v1/proposals/<int:pk>/actions/<action>": {"action": "submit"},  # unknown action: 404 first
    "reference/<slug:slug>/<int:pk>/": {"slug": "sectors"},  # unknown kind: 404 first
}
# Routes with a parameter in the URL that are not probed, and why. A route missing here fails
# the test (a new page whose id is never looked up, or a model the victim has no row of, must
# be looked at); an entry for a route that is probed now fails it too (the list stays true).
PUBLIC_BY_CODE = "public page of a committee by its code (no row id); tenancy by that code"
EXPLAINED: dict[str, str] = {
    "reference/<slug:slug>/": "a kind of reference data; its rows are those of the actor's "
                              "committee (core.refdata.rows)",
    "reference/<slug:slug>/new/": "a kind of reference data; a new row belongs to the actor's "
                                  "committee",
    "activities/sign-in/<str:token>/": "a signed, expiring QR token, not a row id; another "
                                       "committee's code is refused (tests/activities/test_qr)",
    "api/v1/activities/plans/<int:year>": "a year, read in the actor's committee (a leak of the "
                                       "victim's 2026 plan would show its marker)",
    "api/v1/activities/types/<code>": "an activity-type code, looked up in the actor's committee",
    "api/v1/docs/assets/<name>": "static files of the API documentation",
    "api/v1/proposals/excellent/<int:year>/decision": "a year; decides the actor's own "
                                                      "committee's nominations",
    "api/v1/duties/self-reports-remind/<year>": "a year; reminds the actor's own committee",
    "api/v1/duties/self-reports/mine/<year>": "a year; the actor's own self-report",
    "api/v1/opinions/public/<code>/topics": PUBLIC_BY_CODE,
    "api/v1/opinions/public/<code>/topics/<tracking>": "a random tracking code given to the "
                                                    "resident (public on purpose), per code",
    "c/<slug:code>/": PUBLIC_BY_CODE,
    "clues/public/<slug:code>/": PUBLIC_BY_CODE,
    "c/<slug:code>/<slug:slug>/": PUBLIC_BY_CODE + "; a column slug of that committee",
    "c/<slug:code>/feed/": PUBLIC_BY_CODE,
    "c/<slug:code>/search/": PUBLIC_BY_CODE,
    "c/<slug:code>/participation/": PUBLIC_BY_CODE + "; its public rooms and open public "
                                    "surveys (participation.selectors)",
    "manage/calendar/<int:year>/": "a year of the actor's committee's calendar",
    "manage/calendar/<int:year>/local/": "a year of the actor's committee's calendar",
    "manage/policy/<str:key>/": "a policy key of the actor's committee",
    "manage/policy/<str:key>/clear/": "a policy key of the actor's committee",
    "members/roster/export/<str:kind>/": "a file format; the actor's committee's roster",
    "members/roster/template/<str:kind>/": "a file format of an empty import template",
    "opinions/public/<slug:code>/topics/": PUBLIC_BY_CODE,
    "opinions/public/<slug:code>/topics/track/": PUBLIC_BY_CODE + "; tracking code in the query",
    "proposals/public/<slug:code>/": PUBLIC_BY_CODE,
    "proposals/public/<slug:code>/excellent/": PUBLIC_BY_CODE,
    "proposals/excellent/<int:year>/decide/": "a year; the actor's committee's nominations "
                                              "(proposals.selectors.visible_nominations)",
    "proposals/excellent/<int:year>/notice.docx": "a year; the actor's committee's decided list",
    "reports/dashboard/<str:key>.xlsx": "a dashboard key; figures of the actor's committee",
}


def is_id(name: str, conv: str) -> bool:
    return name in ID_NAMES or name.endswith(("_pk", "_id")) or (is_int(conv) and name != "year")


@dataclass
class Sweep:
    victim: Victim
    attacker_client: Client
    anonymous: Client
    token: str
    code: str
    probed: list[str] = field(default_factory=list)
    unprobed: list[str] = field(default_factory=list)
    unprobed_routes: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    bodies: dict[tuple[str, str], dict[str, object]] = field(default_factory=dict)

    def call(self, client: Client, method: str, route: Route, values: dict[str, object],
             auth: bool = True):
        url = route.url(values)
        headers = {"Authorization": f"Bearer {self.token}"} if route.is_api and auth else {}
        if route.is_api and method != "get":
            body = self.bodies.get((route.template, method), {})
            if UPLOAD in body.values():
                data = {k: SimpleUploadedFile("a.pdf", b"%PDF-1.4\n") if v is UPLOAD else v
                        for k, v in body.items()}
                return getattr(client, method)(url, data, headers=headers)
            return getattr(client, method)(url, json.dumps(body),
                                           content_type="application/json", headers=headers)
        return getattr(client, method)(url, headers=headers)

    def _call_filling_body(self, method: str, route: Route, values: dict[str, object]):
        """Send the request; while the API answers 422 for named fields, fill them and resend."""
        key = (route.template, method)
        body = self.bodies.setdefault(key, {})
        tried: dict[str, int] = {}
        while True:
            response = self.call(self.attacker_client, method, route, values)
            if not route.is_api or method == "get" or response.status_code != 422:  # noqa: PLR2004
                return response
            fields = [e.get("field") for e in response.json().get("errors", [])]
            fields = [f for f in fields if isinstance(f, str) and f and f != "__all__"]
            if not fields or any(tried.get(f, 0) > len(BODY_KINDS) for f in fields):
                return response
            for name in fields:
                if name in ("file", "upload"):
                    body[name] = UPLOAD
                    tried[name] = len(BODY_KINDS) + 1
                    continue
                known = BODY_GUESSES.get(name, ())
                guesses = list(known) if isinstance(known, tuple) else [known]
                guesses += list(BODY_KINDS)
                body[name] = guesses[min(tried.get(name, 0), len(guesses) - 1)]
                tried[name] = tried.get(name, 0) + 1

    def base_values(self, route: Route) -> dict[str, object]:
        values: dict[str, object] = {}
        for i, (name, conv) in enumerate(route.params):
            if name == "code":
                values[name] = self.code
            elif is_id(name, conv):
                values[name] = SENTINEL + i
            else:
                values[name] = VALUES.get(name, "x")
        return {**values, **ROUTE_VALUES.get(route.template, {})}

    def discover(self, route: Route, method: str) -> dict[str, type[models.Model]]:
        """Which model each id parameter names, read from the SQL of a sentinel request."""
        values = self.base_values(route)
        sentinels = {v: k for k, v in values.items() if isinstance(v, int) and v >= SENTINEL}
        with CaptureQueriesContext(connection) as queries:
            response = self._call_filling_body(method, route, values)
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {route.url(values)} (sentinel) → 500")
        elif _shows_marker(response):  # e.g. a year or a code of the victim's, not an id
            self.failures.append(f"{method.upper()} {route.url(values)} (sentinel) → the other "
                                 "committee's data")
        found: dict[str, type[models.Model]] = {}
        for q in queries.captured_queries:
            for table, column, number in SQL_HIT.findall(q["sql"]):
                name = sentinels.get(int(number))
                model = model_for_table(table)
                if name is None or name in found or model is None:
                    continue
                for f in model._meta.concrete_fields:
                    if f.column == column:
                        found[name] = model if f.primary_key else f.related_model  # type: ignore[assignment]
        return found

    def attack(self, route: Route, method: str, found: dict[str, type[models.Model]]) -> None:
        values = self.base_values(route)
        targets: list[models.Model] = []
        for name, model in found.items():
            rows = self.victim.rows_of(model)
            if not rows:
                continue
            values[name] = rows[0].pk
            targets.append(rows[0])
        label = f"{method.upper()} {route.template}"
        if not targets:
            names = sorted(m.__name__ for m in found.values())
            self.unprobed.append(f"{label}: no victim row of {names}")
            self.unprobed_routes.add(route.template)
            return
        before = [_snapshot(t) for t in targets]
        response = self.call(self.attacker_client, method, route, values)
        self.probed.append(label)
        self._judge(f"{label} as other committee", response)
        if [_snapshot(t) for t in targets] != before:
            self.failures.append(f"{label}: another committee's row was changed")
        if method == "get":
            anon = self.call(self.anonymous, "get", route, values, auth=False)
            if route.is_public:
                self._judge(f"{label} anonymous", anon, public=True)
            elif not (anon.status_code in (401, 403, 404, 405) or (
                    anon.status_code == 302 and "/login" in anon["Location"])):
                self.failures.append(f"{label} anonymous → {anon.status_code}")

    def _judge(self, label: str, response, public: bool = False) -> None:
        if response.status_code >= 500:
            self.failures.append(f"{label} → {response.status_code}")
            return
        if response.status_code == 200 and getattr(response, "streaming", False):
            # A file (a picture, an attachment) of the other committee's, marker or not.
            self.failures.append(f"{label} → 200 serving the other committee's file")
        elif response.status_code == 200 and _shows_marker(response):
            self.failures.append(f"{label} → 200 with the other committee's data")
        elif response.status_code not in OK_STATUSES | {200}:
            self.failures.append(f"{label} → unexpected {response.status_code}")


def _shows_marker(response) -> bool:
    if response.status_code != 200:  # noqa: PLR2004
        return False
    body = b"".join(response) if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", "replace")
    return any(m in text for m in MARKERS)


def _snapshot(row: models.Model) -> dict[str, object] | None:
    found = type(row)._default_manager.filter(pk=row.pk).values().first()
    return found


@pytest.fixture
def sweep(county, other_county):
    victim = build_victim(other_county)
    bad = attacker(county)
    client = Client()
    client.force_login(bad)
    _t, key = ApiToken.issue(bad, "attack")
    # The attacker's committee has a public site, so /c/<own code>/… looks ids up.
    site_ensure(actor=Actor.for_system(county), committee=county)
    return Sweep(victim, client, Client(), key, county.code)


def test_no_url_with_an_id_serves_or_changes_another_committees_record(sweep):
    routes = routes_with_ids()
    assert len(routes) > 100, "the resolver walk found too few routes"
    for route in routes:
        methods = API_METHODS if route.is_api else PAGE_METHODS
        seen = False
        for method in methods:
            found = sweep.discover(route, method)
            if found:
                seen = True
                sweep.attack(route, method, found)
        if not seen:
            sweep.unprobed.append(f"{route.template}: no id lookup seen")
            sweep.unprobed_routes.add(route.template)
    print(f"\nIDOR sweep: {len(sweep.probed)} route×method probed with another committee's ids; "
          f"{len(sweep.unprobed)} not probed")
    for line in sweep.unprobed:
        print("  not probed:", line)
    assert not sweep.failures, "\n".join(sweep.failures)
    unexplained = sorted(sweep.unprobed_routes - EXPLAINED.keys())
    assert not unexplained, (
        "routes not probed for IDOR: give the victim a row of the model (tests/security/"
        "world.py), make the id looked up, or say why in EXPLAINED: " + ", ".join(unexplained))
    stale = sorted(EXPLAINED.keys() - sweep.unprobed_routes)
    assert not stale, "EXPLAINED lists routes that are probed now (remove them): " + str(stale)
    # A regression in discovery (e.g. a changed SQL format) must not make the test vacuous.
    assert len(sweep.probed) >= 60, sweep.probed
