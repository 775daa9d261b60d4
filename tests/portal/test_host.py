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
        # The platform's root: for an anonymous visitor the public sites and the login.
        assert response.status_code == 200 and response.resolver_match.view_name == "home"
        assert "/login/" in response.content.decode()


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


def test_changing_the_host_name_takes_effect_at_once(hosted, client, django_user_model,
                                                    django_capture_on_commit_callbacks):
    from xieshang.core.permissions import Actor
    from xieshang.portal import services

    assert "清河县政协网" in client.get("/", HTTP_HOST=HOST).content.decode()
    root = Actor(user=django_user_model.objects.create_superuser("root", "Passw0rd!x"),
                 committee=hosted.committee)  # the platform administrator sets host names
    with django_capture_on_commit_callbacks(execute=True):
        services.site_update(actor=root, site=hosted, title=hosted.title, host_name="")
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 200 and response.resolver_match.view_name == "home"


def test_the_host_page_is_cached_like_the_path_page(hosted, client):
    client.get("/", HTTP_HOST=HOST)
    assert client.get("/", HTTP_HOST=HOST)["X-Cache"] == "hit"


def test_the_host_name_is_checked_and_kept_in_lower_case(site, county, other_county,
                                                        django_user_model):
    from django.core.exceptions import ValidationError

    from xieshang.core.permissions import Actor
    from xieshang.portal import services

    root = Actor(user=django_user_model.objects.create_superuser("root", "Passw0rd!x"),
                 committee=county)
    site = services.site_update(actor=root, site=site, title=site.title,
                                host_name="ZX.Qinghe.Example.")
    assert site.host_name == HOST
    for bad in ("https://zx.qinghe.example/", "zx.qinghe.example/c/", "zx qinghe"):
        with pytest.raises(ValidationError):
            services.site_update(actor=root, site=site, title=site.title, host_name=bad)
    theirs = services.site_ensure(actor=Actor.for_system(other_county), committee=other_county)
    with pytest.raises(ValidationError):  # another committee's site already answers there
        services.site_update(actor=Actor(user=root.user, committee=other_county), site=theirs,
                             title=theirs.title, host_name=HOST)
    assert "host_name" not in SiteForm.Meta.fields  # the committee's own form never sets it
