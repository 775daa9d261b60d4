"""The installable app: manifest, icons, service worker (site scope), offline page, the install
prompt on the member's home, and the version check that makes offline copies conflict."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.proposals import services

pytestmark = pytest.mark.django_db


def test_manifest_names_the_app_in_chinese_with_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "政协履职平台" and data["display"] == "standalone"
    assert data["scope"] == "/" and data["start_url"].startswith("/")
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "/static/xieshang/app.css" in body and "/offline/" in body
    assert "http://" not in body and "https://" not in body  # nothing from another site


def test_offline_page_shows_nothing_of_the_user(client, member_user):
    client.force_login(member_user)
    response = client.get("/offline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有网络" in page and str(member_user) not in page


def test_every_page_links_the_manifest_and_the_worker_script(client, member_user):
    client.force_login(member_user)
    page = client.get(reverse("home")).content.decode()
    assert 'rel="manifest"' in page and "xieshang/pwa.js" in page and 'data-sw="/sw.js"' in page
    assert "<script>" not in page  # no inline script (CSP)


def test_install_prompt_is_on_the_members_home(client, member_user):
    client.force_login(member_user)
    assert 'data-testid="install-app"' in client.get(reverse("home")).content.decode()


def test_install_prompt_is_not_on_staff_home(client, staff):
    client.force_login(staff)
    assert 'data-testid="install-app"' not in client.get(reverse("home")).content.decode()


def test_draft_forms_are_marked_for_offline_copies(client, member_user):
    client.force_login(member_user)
    assert "data-offline-draft" in client.get(reverse("proposal-new")).content.decode()
    assert "data-offline-draft" in client.get(reverse("opinions:submit")).content.decode()


@pytest.fixture
def draft(county, member_user):
    return services.proposal_save_draft(actor=actor_for(member_user, county),
                                        title="关于改善老旧小区加装电梯的建议", body="旧内容")


def _post(client, draft, **extra):
    data = {"title": "关于推进老旧小区加装电梯工作的建议", "body": "新内容",
            "consent_disclosure": "on", "save": "1", **extra}
    return client.post(reverse("proposal-edit", args=[draft.pk]), data)


def test_a_changed_draft_gets_a_new_version(client, member_user, draft):
    client.force_login(member_user)
    before = draft.version
    assert _post(client, draft, base_version=str(before)).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "关于推进老旧小区加装电梯工作的建议" and draft.version == before + 1


def test_an_offline_copy_of_an_older_version_is_a_conflict(client, member_user, draft):
    client.force_login(member_user)
    _post(client, draft, base_version=str(draft.version))
    stale = str(draft.version)
    response = _post(client, draft, base_version=stale, title="关于老旧小区加装电梯资金补助的建议",
                     offline_sync="1")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.title == "关于推进老旧小区加装电梯工作的建议"


def test_the_form_shows_the_conflict_and_keeps_the_text(client, member_user, draft):
    client.force_login(member_user)
    _post(client, draft, base_version=str(draft.version))
    response = _post(client, draft, base_version="0", title="关于老旧小区加装电梯审批简化的建议")
    assert response.status_code == 409
    page = response.content.decode()
    assert "关于老旧小区加装电梯审批简化的建议" in page and "已在别处修改" in page
    draft.refresh_from_db()
    assert draft.title == "关于推进老旧小区加装电梯工作的建议"


def test_offline_copy_of_someone_elses_draft_is_refused(client, county, draft, make_user):
    other = make_user(county, Role.MEMBER)
    client.force_login(other)
    response = _post(client, draft, base_version=str(draft.version), offline_sync="1")
    assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.title == "关于改善老旧小区加装电梯的建议"
