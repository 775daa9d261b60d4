"""A committee's site at its own host name: "/" there is the site's home; nothing else moves."""

import pytest
from django.urls import reverse

from xieshang.portal.forms import SiteForm

pytestmark = pytest.mark.django_db

HOST = "zx.qinghe.example"


@pytest.fixture
def hosted(site, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "other.example"]
    site.title, site.host_name = "清河县政协网", HOST
    site.save()
    return site


def test_the_root_of_the_site_host_is_the_site_home(hosted, client):
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "<h1>清河县政协网</h1>" in response.content.decode()


def test_a_port_does_not_matter(hosted, client):
    assert "清河县政协网" in client.get("/", HTTP_HOST=f"{HOST}:8000").content.decode()


def test_the_host_name_is_matched_without_case(hosted, client):
    assert "清河县政协网" in client.get("/", HTTP_HOST=HOST.upper()).content.decode()


def test_other_hosts_keep_the_platform_home(hosted, client):
    for host in ("testserver", "other.example"):
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_other_paths_on_the_site_host_are_unchanged(hosted, client):
    assert client.get("/login/", HTTP_HOST=HOST).status_code == 200
    response = client.get(reverse("portal-column", args=[hosted.committee.code, "news"]),
                          HTTP_HOST=HOST)
    assert response.status_code == 200 and "<h1>政协新闻</h1>" in response.content.decode()


def test_an_unpublished_site_is_not_served_at_its_host(hosted, client):
    hosted.is_public = False
    hosted.save()
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_changing_the_host_name_in_the_settings_takes_effect_at_once(hosted, client, staff):
    assert "清河县政协网" in client.get("/", HTTP_HOST=HOST).content.decode()
    client.force_login(staff)
    client.post(reverse("portal-settings"), {"title": "清河县政协网", "host_name": "",
                                             "is_public": "on"})
    client.logout()
    assert client.get("/", HTTP_HOST=HOST).status_code == 302


def test_the_host_page_is_cached_like_the_path_page(hosted, client):
    client.get("/", HTTP_HOST=HOST)
    assert client.get("/", HTTP_HOST=HOST)["X-Cache"] == "hit"


def test_the_host_name_is_checked_and_kept_in_lower_case(site, county, other_county):
    data = {"title": "清河县政协", "banner_text": "", "contact": "", "icp_number": "",
            "is_public": "on"}
    form = SiteForm({**data, "host_name": "ZX.Qinghe.Example."}, instance=site)
    assert form.is_valid(), form.errors
    assert form.save().host_name == HOST
    for bad in ("https://zx.qinghe.example/", "zx.qinghe.example/c/", "zx qinghe"):
        assert not SiteForm({**data, "host_name": bad}, instance=site).is_valid()
    from xieshang.core.permissions import Actor
    from xieshang.portal import services

    theirs = services.site_ensure(actor=Actor.for_system(other_county), committee=other_county)
    taken = SiteForm({**data, "host_name": HOST}, instance=theirs)
    assert not taken.is_valid()
