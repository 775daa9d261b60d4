"""Issue #18: one regression test per finding of the penetration test, named after it.

Finding 1 is in test_search_access.py (with the property test), finding 13's fuzz in
test_param_fuzz.py; tests/security/probes.py re-runs the pentest's probes over HTTP.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from tests.activities.factories import invite, make_activity, member_with_login, started
from tests.factories import MemberFactory
from tests.proposals.factories import S, build_world, reach
from xieshang.activities import services as activity_services
from xieshang.activities.models import LearningMaterial, ReadingRecord
from xieshang.core import audit, counters, crypto
from xieshang.core.models import ApiToken, AuditLog, Role, User
from xieshang.core.permissions import Actor, actor_for
from xieshang.members import roster
from xieshang.opinions.models import Topic
from xieshang.portal import services as portal_services
from xieshang.portal import workflow as portal_workflow
from xieshang.portal.models import Article, Column, Site
from xieshang.portal.sanitize import clean_html
from xieshang.proposals.models import Proposal, Reply

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Passw0rd!x"


def login(client: Client, user: User, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": password},
                       **extra)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- 2. the audit chain --------------------------------------------------------------------

def _forge_chain(chain: int) -> None:
    """What the pentest did: edit a row, then recompute every hash after it the way the old
    code did (SHA-256, no key), so each row links to the previous one again."""
    import hashlib

    prev = ""
    for row in AuditLog.objects.filter(chain=chain).order_by("seq"):
        content = [row.created_at.isoformat(), row.actor_id, row.actor_name, row.committee_id,
                   row.action, row.object_type, row.object_id, row.object_repr, row.before,
                   row.after, row.ip]
        digest = hashlib.sha256(json.dumps([prev, *content], ensure_ascii=False, sort_keys=True,
                                           separators=(",", ":"), default=str).encode())
        AuditLog.objects.filter(pk=row.pk).update(prev_hash=prev, hash=digest.hexdigest())
        prev = digest.hexdigest()


def test_finding_02_the_audit_chain_cannot_be_rewritten(county, other_county):
    actor = Actor.for_system(county)
    rows = [audit.record(actor, f"test.{i}", county) for i in range(5)]
    audit.record(Actor.for_system(other_county), "test.other", other_county)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]  # numbered without gaps per committee
    audit.checkpoint_write()  # the day's checkpoint, outside the database
    assert audit.verify() == []
    # An edit with the chain recomputed (no key): caught.
    AuditLog.objects.filter(pk=rows[2].pk).update(after={"forged": True})
    _forge_chain(county.pk)
    assert rows[2].pk in {pk for pk, _problem in audit.verify()}
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_finding_02_a_checkpoint_is_written_after_the_first_change_of_the_day(
        county, settings, django_capture_on_commit_callbacks):
    settings.XIESHANG_AUDIT_CHECKPOINTS = True
    with django_capture_on_commit_callbacks(execute=True):
        row = audit.record(Actor.for_system(county), "test.a", county)
    [path] = audit.checkpoint_files()
    assert path.name == f"{timezone.localdate().isoformat()}.json"
    marks, problem = audit.read_checkpoint(path)
    assert problem == "" and [(m.chain, m.seq, m.hash) for m in marks] == [
        (county.pk, 1, row.hash)]


def test_finding_02_truncation_and_a_removed_chain_are_caught(county, other_county):
    actor = Actor.for_system(county)
    rows = [audit.record(actor, f"test.{i}", county) for i in range(4)]
    other = audit.record(Actor.for_system(other_county), "test.other", other_county)
    audit.checkpoint_write()
    # The newest rows removed: every remaining row still fits, the checkpoint does not.
    AuditLog.objects.filter(pk__in=[rows[2].pk, rows[3].pk])._raw_delete(AuditLog.objects.db)
    problems = [p for _pk, p in audit.verify()]
    assert any("rows 3–4" in p and "missing" in p for p in problems), problems
    # A whole committee's chain removed.
    AuditLog.objects.filter(pk=other.pk)._raw_delete(AuditLog.objects.db)
    assert any(f"chain of committee {other_county.pk} is missing" in p
               for _pk, p in audit.verify())


def test_finding_02_a_forged_checkpoint_file_is_not_trusted(county):
    audit.record(Actor.for_system(county), "test.a", county)
    path = audit.checkpoint_write()
    data = json.loads(path.read_text())
    data["heads"][0]["seq"] = 1000  # claims more rows, to raise a false alarm
    path.write_text(json.dumps(data))
    problems = [p for _pk, p in audit.verify()]
    assert any("signature that does not match" in p for p in problems)
    assert not any("missing" in p for p in problems)


def test_finding_02_the_key_is_not_in_the_database(county, settings):
    row = audit.record(Actor.for_system(county), "test.a", county)
    settings.XIESHANG_AUDIT_KEY = "another-key-" + "k" * 40  # a copy of the data, no key
    assert audit.verify() == [(row.pk, "the row was changed after it was written")]


def test_finding_02_admin_edits_are_audited(client, county, django_user_model):
    from django.contrib import admin

    from xieshang.core.admin import AuditedAdmin
    from xieshang.members.models import Sector

    ours = [a for m, a in admin.site._registry.items()
            if m._meta.app_label in {"core", "members", "proposals", "opinions", "activities",
                                     "duties", "portal", "search", "reports"}]
    assert ours and all(isinstance(a, AuditedAdmin) for a in ours)
    root = django_user_model.objects.create_superuser("root", PASSWORD, is_staff=True)
    sector = Sector.objects.create(committee=county, name="经济界")
    client.force_login(root)
    url = reverse("admin:members_sector_change", args=[sector.pk])
    response = client.post(url, {"name": "经济界别", "committee": county.pk, "order": 1,
                                 "is_active": "on"})
    assert response.status_code == 302, response.content[:500]
    row = AuditLog.objects.get(action="admin.sector.change")
    assert row.after["name"] == "经济界别" and row.actor_id == root.pk
    assert audit.verify() == []


def test_finding_02_the_audit_page_shows_the_checkpoint(client, county, admin_user):
    audit.record(Actor.for_system(county), "test.a", county)
    audit.checkpoint_write()
    client.force_login(admin_user)
    body = client.get(reverse("manage-audit")).content.decode()
    assert 'data-testid="audit-chain"' in body and "检查点" in body


# --- 3. the zip bomb -----------------------------------------------------------------------

def _bomb(rows: int, header: str = "") -> bytes:
    """A small .xlsx whose sheet unpacks to many megabytes of rows."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
                   'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   'worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="r1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                   'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship'
                   ' Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        body = (header + '<row><c t="inlineStr"><is><t>张三</t></is></c>'
                '<c t="inlineStr"><is><t>11010519491231002X</t></is></c></row>' * rows)
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://'
                   'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   f"{body}</sheetData></worksheet>")
    return out.getvalue()


def test_finding_03_a_zip_bomb_is_refused_before_any_write(client, county, staff):
    activity = make_activity(county, title="协商会", start=started())
    bomb = _bomb(600_000)
    assert len(bomb) < 1_000_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert sum(i.file_size for i in z.infolist()) > 20 * 1024 * 1024
    client.force_login(staff)
    before = AuditLog.objects.count()
    response = client.post(reverse("activities:attendance-import", args=[activity.pk]),
                           {"file": io.BytesIO(bomb)}, follow=True)
    assert response.status_code == 200
    assert "解压后超过" in response.content.decode()
    assert AuditLog.objects.count() == before
    # The roster reads through the same reader: a header, then more rows than it takes.
    head = ('<row><c t="inlineStr"><is><t>姓名</t></is></c>'
            '<c t="inlineStr"><is><t>身份证号</t></is></c>'
            '<c t="inlineStr"><is><t>性别</t></is></c></row>')
    sheet, errors = roster.read_sheet(_bomb(200_000, head), "members")
    assert sheet is None and "行" in errors[0].message


def test_finding_03_too_many_rows_are_refused(county):
    data = _bomb(6_000)  # small when unpacked, but more rows than an attendance sheet holds
    activity = make_activity(county, title="协商会", start=started())
    with pytest.raises(ValidationError, match="5,000"):
        activity_services.attendance_import(actor=Actor.for_system(county),
                                            activity=activity, fh=io.BytesIO(data))


# --- 4. host takeover ----------------------------------------------------------------------

def test_finding_04_a_county_cannot_take_over_the_platform_host(client, county, staff,
                                                                settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "zx.example.gov.cn", "www.county.gov.cn"]
    settings.XIESHANG_PLATFORM_HOSTS = ["zx.example.gov.cn"]
    site = portal_services.site_ensure(actor=Actor.for_system(county), committee=county)
    editor = actor_for(staff, county)
    # The committee's editors no longer set the host at all.
    with pytest.raises(PermissionDenied):
        portal_services.site_update(actor=editor, site=site, title=site.title,
                                    host_name="www.county.gov.cn")
    client.force_login(staff)
    client.post(reverse("portal-settings"), {"title": "网站", "host_name": "127.0.0.1",
                                             "is_public": "on"})
    assert Site.objects.get(pk=site.pk).host_name == ""
    # Not even a platform administrator can give a site the platform's own hosts.
    root = Actor(user=User.objects.create_superuser("root", PASSWORD), committee=county)
    for host in ("127.0.0.1", "zx.example.gov.cn", "localhost", "10.0.0.8"):
        with pytest.raises(ValidationError):
            portal_services.site_update(actor=root, site=site, title=site.title,
                                        host_name=host)
    portal_services.site_update(actor=root, site=site, title=site.title,
                                host_name="www.county.gov.cn")
    # The platform's root still serves the platform; the county's host serves the county.
    assert client.get("/", HTTP_HOST="zx.example.gov.cn").status_code in (200, 302)
    assert "/c/" not in client.get("/", HTTP_HOST="zx.example.gov.cn").get("Location", "")
    response = Client().get("/", HTTP_HOST="www.county.gov.cn")
    assert response.status_code == 200 and site.title in response.content.decode()


def test_finding_04_a_stored_platform_host_is_ignored(client, county, settings):
    """A row written before the fix (or by hand) cannot take over the root either."""
    site = portal_services.site_ensure(actor=Actor.for_system(county), committee=county)
    Site.objects.filter(pk=site.pk).update(host_name="127.0.0.1")
    response = Client().get("/", HTTP_HOST="127.0.0.1")
    # The platform's own root (for an anonymous visitor: the list of public sites and the
    # login), not the site's home served in its place.
    assert response.status_code == 200 and response.resolver_match.view_name == "home"


# --- 5. API tokens -------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["logout_everywhere", "password_change",
                                    "admin_logout_everywhere", "admin_password", "mfa_reset"])
def test_finding_05_security_actions_revoke_api_tokens(client, county, member_user,
                                                       admin_user, action):
    from xieshang.core import mfa, services

    _token, key = ApiToken.issue(member_user, "脚本")
    assert client.get("/api/core/me", headers=bearer(key)).status_code == 200
    me = actor_for(member_user, county)
    admin = actor_for(admin_user, county)
    if action == "logout_everywhere":
        services.user_logout_everywhere(actor=me)
    elif action == "password_change":
        client.force_login(member_user)
        client.post(reverse("password_change"), {
            "old_password": PASSWORD, "new_password1": "Xq9newpass!", "new_password2":
            "Xq9newpass!"})
        client.logout()
    elif action == "admin_logout_everywhere":
        services.user_end_sessions(actor=admin, user=member_user)
    elif action == "admin_password":
        services.user_set_password(actor=admin, user=member_user)
    else:
        mfa.totp_reset(actor=admin, user=member_user)
    assert client.get("/api/core/me", headers=bearer(key)).status_code == 401
    assert ApiToken.objects.get().revoked_reason


def test_finding_05_tokens_expire_and_refuse_a_locked_account(client, member_user):
    _token, key = ApiToken.issue(member_user, "脚本")
    assert ApiToken.objects.get().expires_at.date() == (
        timezone.now() + dt.timedelta(days=90)).date()
    User.objects.filter(pk=member_user.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=10))
    assert client.get("/api/core/me", headers=bearer(key)).status_code == 401
    User.objects.filter(pk=member_user.pk).update(locked_until=None)
    assert client.get("/api/core/me", headers=bearer(key)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert client.get("/api/core/me", headers=bearer(key)).status_code == 401


def test_finding_05_administrators_list_and_revoke_tokens(client, county, member_user,
                                                          admin_user, make_user):
    token, key = ApiToken.issue(member_user, "同步脚本")
    assert ApiToken.objects.get().key_hash != key  # stored hashed
    client.force_login(admin_user)
    page = client.get(reverse("manage-user", args=[member_user.pk])).content.decode()
    assert "同步脚本" in page
    # Another committee's administrator may not touch it.
    outsider = Client()
    from tests.factories import CommitteeFactory

    elsewhere = CommitteeFactory()
    outsider.force_login(make_user(elsewhere, Role.ADMIN))
    url = reverse("manage-user-token-revoke", args=[member_user.pk, token.pk])
    assert outsider.post(url).status_code in (403, 404)
    assert client.get("/api/core/me", headers=bearer(key)).status_code == 200
    assert client.post(url).status_code == 302
    assert ApiToken.objects.get().revoked_reason == ApiToken.Revoked.ADMIN
    assert Client().get("/api/core/me", headers=bearer(key)).status_code == 401


# --- 6. login throttling -------------------------------------------------------------------

def test_finding_06_unknown_and_real_accounts_get_the_same_answers(client, member_user,
                                                                   settings):
    settings.LOCKOUT_THRESHOLD = 3

    def answers(name: str) -> list[str]:
        out = []
        for _i in range(4):
            response = client.post(reverse("login"), {"username": name, "password": "bad"},
                                   REMOTE_ADDR="10.9.9.9")
            out.append(" ".join(response.context["form"].non_field_errors()))
        return out

    real, unknown = answers(member_user.username), answers("13912345678")
    assert real == unknown
    assert "锁定" in real[-1]


def test_finding_06_an_address_is_throttled_with_growing_waits(client, settings):
    settings.XIESHANG_LOGIN_IP_THRESHOLD = 4
    for i in range(4):
        client.post(reverse("login"), {"username": f"nobody{i}", "password": "x"},
                    REMOTE_ADDR="10.8.8.8")
    response = client.post(reverse("login"), {"username": "nobody", "password": "x"},
                           REMOTE_ADDR="10.8.8.8")
    assert "网络" in " ".join(response.context["form"].non_field_errors())
    first = counters.ends_at("login:ip:10.8.8.8:wait")
    assert first is not None
    # Another address is not held up.
    other = client.post(reverse("login"), {"username": "nobody", "password": "x"},
                        REMOTE_ADDR="10.8.8.9")
    assert "网络" not in " ".join(other.context["form"].non_field_errors())
    with time_machine.travel(first + dt.timedelta(seconds=1)):
        for i in range(4):
            client.post(reverse("login"), {"username": f"again{i}", "password": "x"},
                        REMOTE_ADDR="10.8.8.8")
        second = counters.ends_at("login:ip:10.8.8.8:wait")
        assert second is not None and second - timezone.now() > dt.timedelta(seconds=90)


def test_finding_06_the_real_user_gets_in_from_a_known_device(client, member_user, settings):
    settings.LOCKOUT_THRESHOLD = 3
    device = Client()
    assert login(device, member_user).status_code == 302  # a device the user has used
    device.post(reverse("logout"))  # (Client.logout() would also drop the browser's cookies)
    attacker = Client()
    for _i in range(3):
        login(attacker, member_user, "wrong", REMOTE_ADDR="10.7.7.7")
    member_user.refresh_from_db()
    assert member_user.is_locked()
    assert login(attacker, member_user).status_code == 200  # the right password, elsewhere
    assert login(device, member_user).status_code == 302  # the user's own browser


def test_finding_06_the_lock_ends_after_a_delay(client, member_user, settings):
    settings.LOCKOUT_THRESHOLD = 3
    for _i in range(3):
        login(client, member_user, "wrong")
    member_user.refresh_from_db()
    assert member_user.is_locked()
    with time_machine.travel(member_user.locked_until + dt.timedelta(seconds=1)):
        assert login(Client(), member_user).status_code == 302


# --- 7. rate limits across processes, and the API honeypot ---------------------------------

def test_finding_07_the_topic_limit_is_shared_by_every_worker(county, settings):
    """Each worker process has its own memory; the limit is counted in the database, which
    they share (here: the local-memory cache is cleared between submissions, as if each came
    to another worker)."""
    from django.core.cache import cache

    from xieshang.opinions import services

    accepted = 0
    for i in range(8):
        cache.clear()
        try:
            services.topic_raise(committee=county, title=f"议题{i}", description="描述",
                                 name="居民", phone="13800001111", ip="10.6.6.6")
            accepted += 1
        except ValidationError as exc:
            assert exc.code == "rate_limited"
    assert accepted == 5 and Topic.objects.count() == 5


def test_finding_07_the_api_honeypot_must_be_sent_empty(client, county):
    url = f"/api/opinions/public/{county.code}/topics"
    body = {"title": "路灯不亮", "description": "晚上很黑", "name": "居民", "phone": "13800001111"}
    assert client.post(url, body, content_type="application/json").status_code == 400
    assert client.post(url, {**body, "website": "spam"},
                       content_type="application/json").status_code == 400
    assert client.post(url, {**body, "website": ""},
                       content_type="application/json").status_code == 201


# --- 8. QR rotation ------------------------------------------------------------------------

def test_finding_08_a_rotated_code_ends_after_a_short_grace(county):
    from xieshang.activities.services import QR_GRACE, QrRefused, qr_sign_in, qr_window_open

    activity = make_activity(county, title="视察", start=timezone.now())
    _user, member, member_actor = member_with_login(county)
    invite(activity, member)
    staff = Actor.for_system(county)
    _w1, old = qr_window_open(actor=staff, activity=activity)
    _w2, new = qr_window_open(actor=staff, activity=activity)
    with time_machine.travel(timezone.now() + QR_GRACE + dt.timedelta(seconds=5)):
        with pytest.raises(QrRefused) as refused:
            qr_sign_in(actor=member_actor, token=old)
        assert refused.value.reason == "expired"
        assert qr_sign_in(actor=member_actor, token=new).attendance


# --- 9. replies under review ---------------------------------------------------------------

def test_finding_09_a_reply_under_review_is_not_for_members(client, county):
    w = build_world(county)
    p = reach(w, S.REPLY_REVIEW)
    reply = Reply.objects.get(proposal=p)
    url = reverse("proposal-document-sub", args=[p.pk, "reply", reply.pk])
    for role in ("other_member", "member"):  # another member; the proposer before it is sent
        c = Client()
        c.force_login(w.users[role])
        page = c.get(reverse("proposal-detail", args=[p.pk]))
        assert page.status_code == 200 and reply.body not in page.content.decode()
        assert c.get(url).status_code == 404
    for role in ("staff", "clerk_a"):
        c = Client()
        c.force_login(w.users[role])
        assert c.get(url).status_code == 200
    replied = reach(w, S.REPLIED, title="关于另一件事的建议")
    sent = Reply.objects.get(proposal=replied)
    client.force_login(w.users["member"])
    assert client.get(reverse("proposal-document-sub",
                              args=[replied.pk, "reply", sent.pk])).status_code == 200


# --- 10. recovery codes --------------------------------------------------------------------

def test_finding_10_new_recovery_codes_need_the_password_or_a_code(client, member_user):
    from xieshang.core import mfa

    secret = mfa.new_secret()
    import pyotp

    mfa.totp_enrol(user=member_user, secret=secret, code=pyotp.TOTP(secret).now())
    member_user.refresh_from_db()
    before = list(member_user.totp_recovery_hashes)
    client.force_login(member_user)
    session = client.session
    session["xieshang_mfa_at"] = timezone.now().isoformat()
    session.save()
    response = client.post(reverse("mfa-setup"), {"action": "recovery"})
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.totp_recovery_hashes == before
    response = client.post(reverse("mfa-setup"), {"action": "recovery", "confirm": PASSWORD})
    assert response.status_code == 200
    member_user.refresh_from_db()
    assert member_user.totp_recovery_hashes != before


# --- 11. reading time ----------------------------------------------------------------------

def test_finding_11_reading_time_cannot_be_inflated_through_the_api(client, county, staff):
    material = activity_services.material_create(actor=actor_for(staff, county),
                                                 committee=county, title="学习材料", text="正文")
    user, _member, _actor = member_with_login(county)
    _t, key = ApiToken.issue(user, "读")
    url = f"/api/activities/materials/{material.pk}"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # The pentest's call: no opening, a claim of four hours, five times.
        for _i in range(5):
            client.post(f"{url}/read", {"seconds": 14400}, content_type="application/json",
                        headers=bearer(key))
        assert not ReadingRecord.objects.filter(seconds__gt=0).exists()
        token = client.post(f"{url}/open", headers=bearer(key)).json()["token"]
        traveller.shift(dt.timedelta(minutes=10))
        for _i in range(5):  # the same opening, replayed
            client.post(f"{url}/read", {"token": token, "seconds": 14400},
                        content_type="application/json", headers=bearer(key))
        assert ReadingRecord.objects.get().seconds == 600
        # However often it is opened, one material counts at most four hours.
        for _i in range(6):
            token = client.post(f"{url}/open", headers=bearer(key)).json()["token"]
            traveller.shift(dt.timedelta(hours=2))
            client.post(f"{url}/read", {"token": token}, content_type="application/json",
                        headers=bearer(key))
    assert ReadingRecord.objects.get().seconds == 4 * 3600


# --- 12. learning material for the standing committee ---------------------------------------

def test_finding_12_standing_committee_material_is_for_its_members(client, county, staff):
    material = activity_services.material_create(
        actor=actor_for(staff, county), committee=county, title="常委会学习材料", text="正文",
        audience=LearningMaterial.Audience.STANDING)
    ordinary, _m, _a = member_with_login(county, is_standing=False)
    standing, _m2, _a2 = member_with_login(county, is_standing=True)
    client.force_login(ordinary)
    assert "常委会学习材料" not in client.get(reverse("activities:learning")).content.decode()
    assert client.get(reverse("activities:material", args=[material.pk])).status_code == 404
    _t, key = ApiToken.issue(ordinary, "x")
    listed = client.get("/api/v1/activities/materials", headers=bearer(key)).json()["items"]
    assert material.pk not in {m["id"] for m in listed}
    client.force_login(standing)
    assert client.get(reverse("activities:material", args=[material.pk])).status_code == 200


# --- 14. the members API validates like the form --------------------------------------------

def test_finding_14_the_api_refuses_what_the_form_refuses(client, county, staff):
    member = MemberFactory(committee=county, name="张三")
    client.force_login(staff)
    url = f"/api/members/members/{member.pk}"
    for body in ({"id_number": "<b>x</b>"}, {"phone": "not-a-phone"},
                 {"id_number": crypto.TOKEN_PREFIX + "AAAAAAAA"}):
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["errors"]
    member.refresh_from_db()
    assert member.id_number == "11010519491231002X" and member.name == "张三"


# --- 15. roster uploads on disk --------------------------------------------------------------

def test_finding_15_a_waiting_roster_upload_is_never_on_disk_in_clear(county, staff,
                                                                      settings, tmp_path):
    settings.XIESHANG_ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    book = Workbook()
    book.active.append(["姓名", "身份证号"])
    book.active.append(["张三", "11010519491231002X"])
    data = io.BytesIO()
    book.save(data)
    actor = actor_for(staff, county)
    token = roster.pending_store(actor=actor, data=data.getvalue(), kind="members",
                                 create_sectors=False, filename="名册.xlsx")
    for path in (tmp_path / "uploads").iterdir():
        raw = path.read_bytes()
        assert b"PK\x03\x04" not in raw and b"11010519491231002X" not in raw
    assert roster.pending_load(actor=actor, token=token).data == data.getvalue()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert roster.pending_load(actor=actor, token=token) is None
        assert not any((tmp_path / "uploads").iterdir())


# --- 16. the sanitiser ------------------------------------------------------------------------

@pytest.mark.parametrize("src", ["/\\evil.example/p.png", "//evil.example/p.png",
                                 "/\t/evil.example/p.png", "https://evil.example/p.png",
                                 "\\\\evil.example\\p.png"])
def test_finding_16_images_come_from_this_site_only(src):
    cleaned = clean_html(f'<p>x<img src="{src}" alt="a"></p>')
    assert "evil" not in cleaned and "<img" not in cleaned


def test_finding_16_the_sites_own_images_stay():
    assert '<img src="/c/county-a/img/3/"' in clean_html('<img src="/c/county-a/img/3/" alt="a">')


# --- 17. the demo secret key ------------------------------------------------------------------

def _clean_env(tmp_path: Path, **env: str) -> dict[str, str]:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("XIESHANG_", "DJANGO_"))}
    clean.update(XIESHANG_VAR_DIR=str(tmp_path), **env)
    return clean


def test_finding_17_an_install_that_is_not_a_demo_refuses_the_demo_key(tmp_path):
    for args in (["manage.py", "migrate", "--check"], ["-c", "import xieshang.wsgi"]):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=_clean_env(tmp_path),
                                capture_output=True, text=True, check=False, timeout=300)
        assert result.returncode != 0
        assert "XIESHANG_SECRET_KEY" in result.stdout + result.stderr


def test_finding_17_the_demo_says_so_on_every_page(client, county, member_user, settings):
    settings.XIESHANG_DEMO = True
    site = portal_services.site_ensure(actor=Actor.for_system(county), committee=county)
    client.force_login(member_user)
    for url in (reverse("home"), reverse("login"), f"/c/{site.committee.code}/"):
        assert 'data-testid="demo-notice"' in client.get(url, follow=True).content.decode()
    settings.SECRET_KEY = "a-real-secret-key-" + "z" * 40
    assert 'data-testid="demo-notice"' not in client.get(reverse("home")).content.decode()


def test_finding_17_testserver_is_not_a_default_host():
    from xieshang import settings as base

    assert "testserver" not in base.ALLOWED_HOSTS
    assert not crypto.uses_demo_secret_key() or crypto.is_demo_install()


# --- 18. four eyes on the website --------------------------------------------------------------

def test_finding_18_an_article_is_approved_by_a_second_person(county, make_user):
    office = actor_for(make_user(county, Role.STAFF_OFFICE), county)
    portal_services.site_ensure(actor=Actor.for_system(county), committee=county)
    column = Column.objects.get(committee=county, slug="news")
    article = portal_services.article_save(actor=office, committee=county, column=column,
                                           title="新闻", body="<p>x</p>")
    article = portal_workflow.ARTICLE.take(actor=office, obj=article, step="submit",
                                           data={"version": article.version})
    assert "publish" not in [o.name for o in portal_workflow.ARTICLE.offers(office, article)]
    with pytest.raises(PermissionDenied):
        portal_workflow.ARTICLE.take(actor=office, obj=article, step="publish",
                                     data={"version": article.version})
    other = actor_for(make_user(county, Role.STAFF_OFFICE), county)
    article = portal_workflow.ARTICLE.take(actor=other, obj=article, step="publish",
                                           data={"version": article.version})
    assert article.status == Article.Status.PUBLISHED


# --- 19. disclosure on the public proposals page ---------------------------------------------

def test_finding_19_a_proposal_not_for_disclosure_shows_no_text(client, county, settings):
    w = build_world(county)
    p = reach(w, S.CLOSED, body="基本情况：这段正文不应公开披露。分析：涉及个人。建议：不予公开。",
              consent_disclosure=False,
              nondisclosure_reason="涉及个人隐私")
    Proposal.objects.filter(pk=p.pk).update(replied_at=timezone.now() - dt.timedelta(days=90))
    reply = Reply.objects.get(proposal=p)
    body = client.get(reverse("proposal-public", args=[county.code])).content.decode()
    assert p.title in body
    assert "这段正文不应公开披露" not in body and reply.body not in body
    assert 'data-testid="not-disclosed"' in body
