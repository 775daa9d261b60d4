"""The demo county: ``xieshang demo`` builds a realistic committee and every login it prints works.

Most tests share one build of the members demo (a class-scoped fixture, rolled back at the end);
``test_demo_command_*`` runs the whole registry (every app's ``demo.py``) through the command.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import STORY_DAY
from xieshang.core.models import (
    AuditLog,
    CalendarDay,
    Committee,
    Role,
    RoleAssignment,
    User,
)
from xieshang.core.validators import validate_id_number, validate_mobile
from xieshang.devdata import members as members_demo
from xieshang.devdata.demo import DEMO_PASSWORD, DemoContext, Login
from xieshang.members.models import (
    CollectiveBody,
    HandlingUnit,
    Member,
    Position,
    Sector,
    SpecialCommittee,
    TermMembership,
)

COUNTY, CITY, PROVINCE = "demo-county", "demo-city", "demo-prov"


def build_members(seed: int = 2026) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), verbose=False)
    members_demo.build(ctx)
    return ctx


def log_in(login: Login | str, password: str = DEMO_PASSWORD) -> tuple[Client, int]:
    client = Client()
    username = login if isinstance(login, str) else login.username
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response.status_code


class TestBuiltDemo:
    @pytest.fixture(scope="class")
    def demo(self, django_db_setup, django_db_blocker):
        with (time_machine.travel(STORY_DAY, tick=True), django_db_blocker.unblock(),
              transaction.atomic()):
            yield build_members()
            transaction.set_rollback(True)

    @pytest.fixture(autouse=True)
    def _db(self, demo, db):
        """Each test runs in a savepoint inside the shared build."""

    def test_county_has_about_250_members_across_at_least_20_sectors(self, demo):
        county = demo.county
        serving = Member.objects.filter(committee=county, status=Member.Status.ACTIVE)
        assert 240 <= serving.count() <= 260
        assert len(demo.members[COUNTY]) == serving.count()
        assert Sector.objects.filter(committee=county).count() >= 20
        empty = Sector.objects.filter(committee=county, members__isnull=True)
        assert not empty.exists()
        assert Member.objects.filter(committee=demo.city).count() >= 40
        assert Member.objects.filter(committee=demo.province).count() >= 30

    def test_the_three_committees_form_a_tree_with_contacts(self, demo):
        assert demo.county.parent == demo.city and demo.city.parent == demo.province
        assert demo.province.level == Committee.Level.PROVINCE
        for committee in (demo.county, demo.city, demo.province):
            assert committee.contact_address and committee.contact_phone

    def test_county_sessions_are_14th_term_first_to_fifth(self, demo):
        sessions = demo.sessions[COUNTY]
        assert [s.label for s in sessions] == [
            "十四届一次会议", "十四届二次会议", "十四届三次会议", "十四届四次会议",
            "十四届五次会议"]
        term = demo.terms[COUNTY]
        assert term.number == 14 and term.start_date.year == 2022
        assert sessions[0].start_date == dt.date(2022, 1, 10)
        for session in sessions:
            assert session.start_date.month in (1, 2)
            assert term.start_date <= session.start_date <= session.end_date <= term.end_date
        assert demo.extra["current_session"][COUNTY] == sessions[-1]
        assert demo.sessions[CITY] and demo.sessions[PROVINCE]

    def test_every_id_number_is_valid_and_agrees_with_birth_and_gender(self, demo):
        members = list(Member.objects.filter(committee__code__in=[COUNTY, CITY, PROVINCE]))
        assert len(members) > 300
        for m in members:
            assert validate_id_number(m.id_number) == m.id_number
            assert m.id_number[6:14] == m.birth_date.strftime("%Y%m%d")
            assert int(m.id_number[16]) % 2 == (1 if m.gender == Member.Gender.MALE else 0)
            assert validate_mobile(m.phone) == m.phone
            assert dt.date(1960, 1, 1) <= m.birth_date <= dt.date(1990, 12, 31)

    def test_population_looks_like_a_county_committee(self, demo):
        members = demo.members[COUNTY]
        genders = Counter(m.gender for m in members)
        assert 0.6 <= genders[Member.Gender.MALE] / len(members) <= 0.8
        han = sum(m.ethnicity == "汉族" for m in members)
        assert 0.7 <= han / len(members) < 1
        assert len({m.name for m in members}) == len(members)
        cpc = sum(m.party == "中共党员" for m in members)
        assert cpc / len(members) < 0.5  # non-CPC members are the majority

    def test_parties_agree_with_sectors(self, demo):
        by_sector: dict[str, set[str]] = {}
        for m in demo.members[COUNTY]:
            by_sector.setdefault(m.sector.name, set()).add(m.party)
        assert by_sector["中共"] == {"中共党员"}
        assert by_sector["民盟"] == {"民盟盟员"}
        assert by_sector["九三学社"] == {"九三学社社员"}
        assert by_sector["无党派人士"] == {"无党派人士"}
        assert len(by_sector["经济界"]) > 1

    def test_leadership_of_the_county(self, demo):
        positions = Counter(Position.objects.filter(committee=demo.county, end_date__isnull=True)
                            .values_list("kind", flat=True))
        assert positions[Position.Kind.CHAIR] == 1
        assert 4 <= positions[Position.Kind.VICE_CHAIR] <= 5
        assert positions[Position.Kind.SECRETARY_GENERAL] == 1
        standing = Member.objects.filter(committee=demo.county, is_standing=True,
                                         status=Member.Status.ACTIVE).count()
        assert 25 <= standing <= 35
        leaders = demo.extra["leaders"][COUNTY]
        assert leaders["chair"].user == demo.users["zhuxi"]

    def test_special_committees_show_a_new_committee_a_merge_and_a_rename(self, demo):
        active = demo.extra["special_committees"][COUNTY]
        assert 3 <= len(active) <= 5
        agri = SpecialCommittee.objects.get(committee=demo.county, name="农业和农村委员会")
        assert agri.established_on.year == 2023
        merged = SpecialCommittee.objects.get(committee=demo.county, merged_into=agri)
        assert merged.dissolved_on is not None and not merged.memberships.filter(
            end_date__isnull=True).exists()
        assert agri.memberships.filter(end_date__isnull=True).count() > 5
        renamed = SpecialCommittee.objects.get(committee=demo.county, name="文化文史和学习委员会")
        assert renamed.former_names[0]["name"] == "文史和学习委员会"
        bodies = CollectiveBody.objects.filter(committee=demo.county)
        assert bodies.filter(kind=CollectiveBody.Kind.SPECIAL_COMMITTEE).count() == len(active)
        assert bodies.filter(kind=CollectiveBody.Kind.PARTY, name="民盟清河县委员会").exists()

    def test_activity_groups_cover_every_serving_member(self, demo):
        groups = demo.extra["groups"][COUNTY]
        kinds = Counter(g.kind for g in groups)
        assert kinds["sector"] >= 5 and kinds["town"] + kinds["street"] >= 3
        in_a_sector_group = Member.objects.filter(
            committee=demo.county, groups__kind="sector").distinct().count()
        assert in_a_sector_group == len(demo.members[COUNTY])

    def test_units_are_real_county_departments_with_routing_keywords(self, demo):
        units = HandlingUnit.objects.filter(committee=demo.county)
        assert units.count() >= 30
        assert set(units.values_list("kind", flat=True)) >= {
            "party_organ", "government", "peoples_congress", "court", "procuratorate"}
        assert all(u.keywords and u.contact_name and u.contact_phone for u in units)
        education = demo.extra["unit_by_short"][COUNTY]["县教育局"]
        assert {"教育", "学校", "教师"} <= set(education.keywords.split())

    def test_history_shows_a_member_who_left_and_one_who_changed_sector(self, demo):
        left = demo.extra["left_members"][COUNTY]
        assert len(left) == 1 and left[0].left_on == dt.date(2024, 6, 30)
        assert left[0] not in demo.members[COUNTY]
        assert not TermMembership.objects.filter(member=left[0], end_date__isnull=True).exists()
        moved = [m for m in demo.members[COUNTY]
                 if TermMembership.objects.filter(member=m).count() == 2]
        assert len(moved) == 1
        tenures = list(TermMembership.objects.filter(member=moved[0]).order_by("id"))
        assert tenures[0].sector.name == "无党派人士" and tenures[1].sector.name == "民盟"

    def test_every_login_logs_in_and_sees_its_committee(self, demo):
        assert {login.username for login in demo.logins} >= {
            "weiyuan", "changwei", "jiti", "tiweiban", "xinxike", "zhuanwei", "bangongshi",
            "jiaoyuju", "jiaoyuju_ld", "zhuxi", "admin", "shi_admin", "sheng_admin", "liangji"}
        names = {c.short_name: c.name for c in Committee.objects.all()}
        for login in demo.logins:
            client, status = log_in(login)
            assert status == 302, login.username
            response = client.get(reverse("home"))
            assert response.status_code == 200, login.username
            first = login.committee.split("、")[0]
            assert names[first] in response.content.decode(), login.username

    def test_one_login_per_county_role(self, demo):
        roles = set(RoleAssignment.objects.filter(committee=demo.county, is_active=True)
                    .values_list("role", flat=True))
        # the correspondent (特邀信息员) is the opinions demo's (tests/devdata/test_portal_demo.py)
        assert roles == set(Role.values) - {Role.CORRESPONDENT}
        assert demo.users["jiaoyuju"].roles.get().unit.short_name == "县教育局"
        assert demo.users["jiti"].roles.get().body.name == "民盟清河县委员会"

    def test_member_logs_in_with_phone_number(self, demo):
        member = demo.extra["login_members"][COUNTY]["weiyuan"]
        assert member.user == demo.users["weiyuan"]
        _client, status = log_in(member.phone)
        assert status == 302

    def test_member_of_two_committees_can_switch_between_them(self, demo):
        client, _status = log_in("liangji")
        page = client.get(reverse("home")).content.decode()
        assert 'name="committee"' in page
        assert demo.county.name in page and demo.city.name in page

    def test_office_sees_the_roster_and_units(self, demo):
        client, _status = log_in("bangongshi")
        page = client.get(reverse("member-list")).content.decode()
        chair = demo.extra["leaders"][COUNTY]["chair"]
        assert chair.name in page
        assert client.get(reverse("member-detail", args=[chair.pk])).status_code == 200
        assert "县教育局" in client.get(reverse("unit-list")).content.decode()

    def test_admin_is_a_django_superuser(self, demo):
        client, _status = log_in("admin")
        assert client.get("/admin/").status_code == 200

    def test_context_is_filled_for_later_apps(self, demo):
        assert demo.county and demo.city and demo.province
        for code in (COUNTY, CITY, PROVINCE):
            assert demo.terms[code] and demo.sessions[code] and demo.members[code]
            assert len(demo.sectors[code]) >= 20 and demo.units[code]
        assert len(demo.units[COUNTY]) >= 30
        assert {login.username for login in demo.logins} <= set(demo.users)
        assert demo.extra["password"] == DEMO_PASSWORD
        assert demo.extra["bodies"][COUNTY] and demo.extra["standing"][COUNTY]


def test_same_seed_gives_the_same_county(db, frozen_clock):
    def names_of(seed: int) -> list[str]:
        savepoint = transaction.savepoint()
        try:
            ctx = build_members(seed)
            return [m.name for code in (COUNTY, CITY, PROVINCE) for m in ctx.members[code]]
        finally:
            transaction.savepoint_rollback(savepoint)

    first = names_of(7)
    assert len(first) > 300
    assert names_of(7) == first
    other = members_demo.People(random.Random(8))
    same = members_demo.People(random.Random(7))
    assert ([other.name("male", "x") for _ in range(20)]
            != [same.name("male", "x") for _ in range(20)])


def test_demo_command_twice_then_reset(db, frozen_clock):
    out = io.StringIO()
    call_command("demo", stdout=out, verbosity=0)
    first = out.getvalue()
    assert "weiyuan" in first and DEMO_PASSWORD in first and "http://127.0.0.1:8000/" in first
    stored = AuditLog.objects.get(action="demo.build")
    assert "password" not in str(stored.after)
    members = Member.objects.count()

    out = io.StringIO()
    call_command("demo", stdout=out, verbosity=0)
    second = out.getvalue()
    assert "already" in second and "weiyuan" in second and DEMO_PASSWORD in second
    assert Member.objects.count() == members

    for row in stored.after["logins"]:
        client, status = log_in(row["username"])
        assert status == 302, row["username"]
        assert client.get(reverse("home")).status_code == 200, row["username"]

    user = User.objects.get(username="weiyuan")
    user.set_password("Changed2026x")
    user.save()
    out = io.StringIO()
    call_command("demo", stdout=out, verbosity=0)
    rows = {line.split()[1]: line for line in out.getvalue().splitlines()
            if len(line.split()) > 2}
    assert "（已修改）" in rows["weiyuan"] and DEMO_PASSWORD in rows["changwei"]

    # Deferred foreign-key checks from the build must fire before PostgreSQL's TRUNCATE.
    connection.check_constraints()
    try:
        call_command("demo", "--reset", "--seed", "3", stdout=io.StringIO(), verbosity=0)
        assert Committee.objects.count() == 3
        assert AuditLog.objects.filter(action="demo.build").count() == 1
        assert AuditLog.objects.get(action="demo.build").after["seed"] == 3
        assert CalendarDay.objects.exists()  # the holidays seeded by a migration are put back
    finally:
        ContentType.objects.clear_cache()  # flush recreated content types inside this test


def test_demo_command_refuses_a_database_with_other_committees(db):
    from django.core.management.base import CommandError

    Committee.objects.create(name="真实县政协", code="real", level=Committee.Level.COUNTY)
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", stdout=io.StringIO(), verbosity=0)
    assert not Member.objects.exists()


# Fields that may lie ahead of today in a current demo: ends of the term, sessions to come,
# deadlines, planned activities and scheduled articles. Every other date says when something
# happened, and nothing can have happened after now.
MAY_LIE_AHEAD = {
    ("Term", "end_date"), ("Session", "start_date"), ("Session", "end_date"),
    ("Session", "proposal_window_start"), ("Proposal", "feedback_due"),
    ("Assignment", "due_date"), ("Suggestion", "deadline"), ("Activity", "start"),
    ("Activity", "end"), ("Article", "publish_at"), ("ApiToken", "expires_at"),
    ("CalendarDay", "date"), ("Counter", "expires_at"),
    # a proposal handed in before its session opens carries that session's start date
    ("Proposal", "session_start"),
    ("Room", "closes_at"), ("Survey", "closes_at"),  # the periods of open rooms and surveys
    # an upcoming activity's (or scheduled article's) search entry is dated by its start
    # (checked below: no other kind of entry lies ahead)
    ("SearchEntry", "date"),
}


def test_demo_looks_current_whatever_the_date(db):
    """Built on any day (the real one here; .ci/run moves the clock to awkward days), the demo's
    term is under way, its last session has opened, its last full year is last year and nothing
    it shows as done lies in the future."""
    from django.apps import apps
    from django.db import models

    from xieshang.activities.models import Activity
    from xieshang.core import clock
    from xieshang.core.models import Session, Term

    call_command("demo", stdout=io.StringIO(), verbosity=0)
    today, now = clock.today(), clock.now()
    county = Committee.objects.get(code=COUNTY)
    term = Term.objects.get(committee=county)
    assert term.start_date <= today <= term.end_date
    opened = Session.objects.filter(term=term, start_date__lte=today).order_by("start_date")
    assert opened.exists()
    assert (today - opened.last().start_date).days < 400
    last_year = Activity.objects.filter(committee=county, status="held",
                                        start__year=today.year - 1).count()
    assert last_year > 100, last_year

    ahead = []
    for model in apps.get_models():
        if not model.__module__.startswith("xieshang."):
            continue
        for f in model._meta.get_fields():
            if (model.__name__, f.name) in MAY_LIE_AHEAD:
                continue
            if isinstance(f, models.DateTimeField):
                late = model.objects.filter(**{f"{f.name}__gt": now + dt.timedelta(minutes=5)})
            elif isinstance(f, models.DateField):
                late = model.objects.filter(**{f"{f.name}__gt": today})
            else:
                continue
            if late.exists():
                ahead.append(f"{model.__name__}.{f.name}: {late.count()}")
    assert not ahead, f"dated after today ({today}): " + ", ".join(ahead)
    from xieshang.search.models import SearchEntry

    assert set(SearchEntry.objects.filter(date__gt=now + dt.timedelta(minutes=5))
               .values_list("kind", flat=True)) <= {"activity", "article"}
    assert not Activity.objects.filter(start__gt=now).exclude(status="planned").exists()
    held_ahead = Activity.objects.filter(start__gt=now, invitations__attendance__in=[
        "attended", "late"])
    assert not held_ahead.exists()
