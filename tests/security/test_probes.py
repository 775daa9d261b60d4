"""Re-run the penetration test's probes (tests/security/probes.py) against a live server.

    .venv/bin/pytest -s tests/security/test_probes.py     # prints one line per finding
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest
import time_machine
from django.core.cache import cache
from django.test.utils import override_settings
from django.utils import timezone

from tests.factories import MemberFactory, user_with_role
from tests.proposals.factories import S, reach
from tests.security import probes
from tests.security.world import attacker, build_victim
from xieshang.activities import services as activity_services
from xieshang.activities.models import Activity, LearningMaterial, ReadingRecord
from xieshang.core import audit, mfa
from xieshang.core.models import AuditLog, Role, User
from xieshang.core.permissions import Actor, actor_for
from xieshang.portal import services as portal_services
from xieshang.portal import workflow
from xieshang.portal.models import Article, Column, Site
from xieshang.proposals.models import Proposal, Reply

ROOT = Path(__file__).resolve().parents[2]
UNDISCLOSED = "基本情况：未同意公开的探针正文。分析：涉及个人。建议：不公开。"


class Backdoor:
    """What the pentest did besides HTTP: the database behind the application's back, the
    clock, the files on disk, a fresh server process."""

    def __init__(self, committee, users, uploads: Path) -> None:
        self.committee = committee
        self.users = users
        self.uploads = uploads

    def rewrite_audit_chain(self) -> str | None:
        audit.checkpoint_write()
        rows = list(AuditLog.objects.filter(chain=self.committee.pk).order_by("seq"))
        AuditLog.objects.filter(pk=rows[1].pk).update(after={"forged": True})
        rows = list(AuditLog.objects.filter(chain=self.committee.pk).order_by("seq"))
        for pk, prev, digest in probes.forged_sha256_chain(rows):
            AuditLog.objects.filter(pk=pk).update(prev_hash=prev, hash=digest)
        if not audit.verify():
            return "an edited row with the chain recomputed passes audit_verify"
        newest = AuditLog.objects.filter(chain=self.committee.pk).order_by("-seq")[:2]
        AuditLog.objects.filter(pk__in=[r.pk for r in newest])._raw_delete(AuditLog.objects.db)
        if not any("missing" in p for _pk, p in audit.verify()):
            return "removing the newest rows passes audit_verify"
        return None

    def site_host(self) -> str:
        return Site.objects.get(committee=self.committee).host_name

    def forget_process_memory(self) -> None:
        cache.clear()

    def rotated_qr_still_signs_in(self) -> str | None:
        from xieshang.activities.selectors import visible
        from xieshang.activities.services import QrRefused, qr_sign_in, qr_window_open

        activity = visible(Actor.for_system(self.committee)).get(title__contains="受害方活动戊")
        member = self.users["victim_member"]
        system = Actor.for_system(self.committee)
        _w, old = qr_window_open(actor=system, activity=activity)
        _w, _new = qr_window_open(actor=system, activity=activity)
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
            try:
                qr_sign_in(actor=actor_for(member, self.committee), token=old)
            except QrRefused:
                return None
        return "the old code signs in five minutes after it was rotated"

    def recovery_codes_with_session_only(self, base: str) -> str | None:
        user = self.users["member"]
        secret = mfa.new_secret()
        mfa.totp_enrol(user=user, secret=secret, code=pyotp.TOTP(secret).now())
        before = list(User.objects.get(pk=user.pk).totp_recovery_hashes)
        b = probes.Browser(base)
        b.login(user.username)
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
            b.post("/login/verify/", {"code": pyotp.TOTP(secret).now()})
        b.post("/account/second-factor/", {"action": "recovery"})
        if User.objects.get(pk=user.pk).totp_recovery_hashes != before:
            return "new codes were issued without the password or a code"
        mfa.totp_reset(actor=Actor.for_system(self.committee), user=user)
        return None

    def reading_seconds(self, user, material_pk: int) -> int:
        member_id = actor_for(user, self.committee).member_id
        row = ReadingRecord.objects.filter(material_id=material_pk, member_id=member_id).first()
        return row.seconds if row else 0

    def clear_id_numbers_on_disk(self) -> str | None:
        for path in self.uploads.rglob("*"):
            if path.is_file():
                raw = path.read_bytes()
                if raw.startswith(b"PK\x03\x04") or b"110105198001010016" in raw:
                    return f"{path.name} holds the spreadsheet in clear"
        if not any(self.uploads.rglob("*.enc")):
            return "no upload was stored (cannot probe)"
        return None

    def starts_with_demo_key(self) -> str | None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XIESHANG_", "DJANGO_"))}
        env["XIESHANG_VAR_DIR"] = str(self.uploads / "fresh")
        result = subprocess.run([sys.executable, "-c", "import xieshang.wsgi"], cwd=ROOT,
                                env=env, capture_output=True, text=True, check=False,
                                timeout=300)
        return "the WSGI application loads with the demo key" if result.returncode == 0 else None

    def article(self, title: str) -> Article:
        return Article.objects.get(title=title)


@pytest.mark.django_db(transaction=True)
def test_the_pentests_probes_find_nothing(live_server, county, tmp_path, settings, capsys):
    settings.XIESHANG_ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = tmp_path / "media"
    victim = build_victim(county)
    w = victim.world
    users = {
        "member": w.users["member"], "other_member": w.users["other_member"],
        "staff_proposal": w.users["staff"], "staff_office": w.users["office"],
        "clerk_x": w.users["clerk_x"], "leader": w.users["leader"], "admin": w.users["admin"],
        "staff_committee": user_with_role(county, Role.STAFF_COMMITTEE),
        "all_roles": attacker(county),
        "victim_member": User.objects.get(roles__member__name="受害委员"),
    }
    system = Actor.for_system(county)
    column = Column.objects.get(committee=county, slug="news")
    article = portal_services.article_save(
        actor=system, committee=county, column=column, title="定时文章VICTIM", body="<p>x</p>",
        publish_at=timezone.now() + dt.timedelta(days=5))
    for action in ("submit", "publish"):
        article = workflow.ARTICLE.take(actor=system, obj=article, step=action,
                                        data={"version": article.version})
    review = reach(w, S.REPLY_REVIEW, title="答复审核中探针")
    undisclosed = reach(w, S.CLOSED, title="未同意公开探针", body=UNDISCLOSED,
                        consent_disclosure=False, nondisclosure_reason="隐私")
    Proposal.objects.filter(pk=undisclosed.pk).update(
        replied_at=timezone.now() - dt.timedelta(days=120))
    staff = actor_for(users["staff_office"], county)
    records = {
        "committee": county, "column": column,
        "activity": victim.rows_of(Activity)[0],
        "reply_review": (review, Reply.objects.get(proposal=review)),
        "material": activity_services.material_create(actor=staff, committee=county,
                                                      title="探针材料", text="正文"),
        "standing_material": activity_services.material_create(
            actor=staff, committee=county, title="常委探针材料", text="正文",
            audience=LearningMaterial.Audience.STANDING),
        "member": MemberFactory(committee=county, name="探针委员"),
        "undisclosed_text": "未同意公开的探针正文",
    }
    target = probes.Target(live_server.url, users, records,
                           Backdoor(county, users, tmp_path / "uploads"))
    with override_settings(DEBUG=False):
        results = probes.run(target)
    with capsys.disabled():
        print()
        for r in results:
            print(f"  finding {r.finding:2}: {r.title:<70} "
                  f"{'FOUND: ' + r.found if r.found else 'gone'}")
    assert len(results) == 19
    assert [r for r in results if r.found] == []
