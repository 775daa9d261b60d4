"""No IDOR anywhere: every URL with an id, tried with another committee's records.

The routes come from walking the URL resolver; which model an id names is found by running the
route once with a sentinel id and reading the SQL it issues (so a new page is covered the day
it is mounted, with nothing to list here). The attacker holds every role in a neighbouring
committee, so only tenancy can stop them. Expected: 302 to the login page / 401 / 403 / 404 /
405 — never a 500, never a page showing the other committee's records, never a changed row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security.urlwalk import Route, is_int, model_for_table, routes_with_ids
from tests.security.world import Victim, attacker, build_victim
from xieshang.core.models import ApiToken

pytestmark = pytest.mark.django_db

SENTINEL = 9_000_001
SQL_HIT = re.compile(r'"(\w+)"\."(\w+)"\s*(?:=|IN\s*\()\s*(9\d{6})\b')
ID_NAMES = {"pk", "att", "sub", "role_pk", "term_pk", "unit_id", "report_id", "session"}
VALUES = {"fmt": "docx", "year": 2026, "kind": "docx", "key": "x", "token": "x",
          "tracking": "x", "action": "x", "slug": "x"}
API_METHODS = ("get", "post", "put", "patch", "delete")
PAGE_METHODS = ("get", "post")
MARKERS = ("VICTIM", "受害")
OK_STATUSES = {301, 302, 303, 400, 401, 403, 404, 405, 409, 422}


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
    failures: list[str] = field(default_factory=list)

    def call(self, client: Client, method: str, route: Route, values: dict[str, object],
             auth: bool = True):
        url = route.url(values)
        headers = {"Authorization": f"Bearer {self.token}"} if route.is_api and auth else {}
        if route.is_api and method != "get":
            return getattr(client, method)(url, json.dumps({}), content_type="application/json",
                                           headers=headers)
        return getattr(client, method)(url, headers=headers)

    def base_values(self, route: Route) -> dict[str, object]:
        values: dict[str, object] = {}
        for i, (name, conv) in enumerate(route.params):
            if name == "code":
                values[name] = self.code
            elif is_id(name, conv):
                values[name] = SENTINEL + i
            else:
                values[name] = VALUES.get(name, "x")
        return values

    def discover(self, route: Route, method: str) -> dict[str, type[models.Model]]:
        """Which model each id parameter names, read from the SQL of a sentinel request."""
        values = self.base_values(route)
        sentinels = {v: k for k, v in values.items() if isinstance(v, int) and v >= SENTINEL}
        with CaptureQueriesContext(connection) as queries:
            response = self.call(self.attacker_client, method, route, values)
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {route.url(values)} (sentinel) → 500")
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
        body = b"".join(response) if getattr(response, "streaming", False) else response.content
        text = body.decode("utf-8", "replace")
        if response.status_code == 200 and any(m in text for m in MARKERS):
            self.failures.append(f"{label} → 200 with the other committee's data")
        elif response.status_code not in OK_STATUSES | {200}:
            self.failures.append(f"{label} → unexpected {response.status_code}")


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
    print(f"\nIDOR sweep: {len(sweep.probed)} route×method probed with another committee's ids; "
          f"{len(sweep.unprobed)} not probed")
    for line in sweep.unprobed:
        print("  not probed:", line)
    assert not sweep.failures, "\n".join(sweep.failures)
    # A regression in discovery (e.g. a changed SQL format) must not make the test vacuous.
    assert len(sweep.probed) >= 60, sweep.probed
