import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.portal import services, workflow
from xieshang.portal.models import Article, Column

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def site(county):
    return services.site_ensure(actor=Actor.for_system(county), committee=county)


def publish(county, title, body="<p>正文</p>", audience="public", column="news", when=None):
    actor = Actor.for_system(county)
    col = Column.objects.get(committee=county, slug=column)
    article = services.article_save(actor=actor, committee=county, column=col, title=title,
                                    body=body, audience=audience, publish_at=when)
    article = workflow.ARTICLE.take(actor=actor, obj=article, step="submit",
                                    data={"version": article.version})
    return workflow.ARTICLE.take(actor=actor, obj=article, step="publish",
                                 data={"version": article.version})


def test_home_shows_published_news(client, county, site):
    publish(county, "县政协召开十四届五次会议")
    body = client.get(reverse("portal-home", args=[county.code])).content.decode()
    assert "县政协召开十四届五次会议" in body


def test_script_in_an_article_is_neutralised(client, county, site):
    article = publish(county, "含脚本", body='<p onclick="x()">好</p><script>alert(1)</script>'
                      '<a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)>')
    body = client.get(reverse("portal-article", args=[county.code, article.pk])).content.decode()
    assert "<script>" not in body and "onerror" not in body and "javascript:" not in body
    assert "onclick" not in body and "<p>好</p>" in body


def test_draft_is_not_reachable(client, county, site):
    col = Column.objects.get(committee=county, slug="news")
    draft = services.article_save(actor=Actor.for_system(county), committee=county, column=col,
                                  title="草稿", body="x")
    assert client.get(reverse("portal-article", args=[county.code, draft.pk])).status_code == 404
    assert "草稿" not in client.get(reverse("portal-home", args=[county.code])).content.decode()


def test_members_only_item_is_hidden_from_the_public(client, county, site, make_user):
    article = publish(county, "内部学习材料", audience="members", column="learning")
    url = reverse("portal-article", args=[county.code, article.pk])
    assert client.get(url).status_code == 404
    client.force_login(make_user(county, Role.MEMBER))
    assert client.get(url).status_code == 200


def test_members_of_another_committee_cannot_read_members_only(client, county, other_county,
                                                                site, make_user):
    article = publish(county, "内部学习材料", audience="members", column="learning")
    client.force_login(make_user(other_county, Role.MEMBER))
    assert client.get(reverse("portal-article", args=[county.code, article.pk])).status_code == 404


def test_scheduled_article_appears_only_when_due(client, county, site):
    article = publish(county, "定时发布", when=timezone.now() + dt.timedelta(days=1))
    assert client.get(reverse("portal-article", args=[county.code, article.pk])).status_code == 404


def test_rss_and_sitemap_list_public_news(client, county, site):
    publish(county, "公开新闻")
    publish(county, "委员专享", audience="members")
    feed = client.get(reverse("portal-feed", args=[county.code])).content.decode()
    assert "公开新闻" in feed and "委员专享" not in feed
    assert f"/c/{county.code}/" in client.get("/sitemap.xml").content.decode()


def test_public_page_is_cached_for_anonymous_visitors(client, county, site):
    url = reverse("portal-home", args=[county.code])
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"


def test_member_cannot_write_articles(client, county, site, make_user):
    user = make_user(county, Role.MEMBER)
    client.force_login(user)
    assert client.get(reverse("portal-manage")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.article_save(actor=actor_for(user, county), committee=county,
                              column=Column.objects.get(committee=county, slug="news"),
                              title="x", body="x")


def test_editor_cannot_publish_without_review_right(county, site, make_user):
    actor = actor_for(make_user(county, Role.STAFF_COMMITTEE), county)
    col = Column.objects.get(committee=county, slug="news")
    article = services.article_save(actor=actor, committee=county, column=col, title="稿",
                                    body="x")
    article = workflow.ARTICLE.take(actor=actor, obj=article, step="submit",
                                    data={"version": article.version})
    assert workflow.ARTICLE.allowed_names(actor, article) == []
    with pytest.raises(PermissionDenied):
        workflow.ARTICLE.take(actor=actor, obj=article, step="publish",
                              data={"version": article.version})


def test_stale_version_is_refused(county, site):
    actor = Actor.for_system(county)
    col = Column.objects.get(committee=county, slug="news")
    article = services.article_save(actor=actor, committee=county, column=col, title="稿",
                                    body="x")
    with pytest.raises(ValidationError):
        workflow.ARTICLE.take(actor=actor, obj=article, step="submit",
                              data={"version": 0})


def test_staff_of_other_county_gets_404(client, county, other_county, site, make_user):
    article = publish(county, "本县新闻")
    client.force_login(make_user(other_county, Role.STAFF_OFFICE))
    assert client.get(reverse("portal-edit", args=[article.pk])).status_code == 404
    assert client.post(reverse("portal-act", args=[article.pk, "withdraw"]),
                       {"version": article.version}).status_code == 404


def test_renamed_executable_is_refused(county, site):
    col = Column.objects.get(committee=county, slug="publications")
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services.article_save(actor=Actor.for_system(county), committee=county, column=col,
                              title="年鉴", body="x", attachment=fake)
    assert not Article.objects.filter(title="年鉴").exists()


def test_editor_page_flow(client, county, site, staff, make_user):
    client.force_login(staff)
    col = Column.objects.get(committee=county, slug="notices")
    response = client.post(reverse("portal-new"), {
        "column": col.pk, "title": "关于召开常委会议的通知", "body": "<p>定于……</p>",
        "audience": "public"})
    article = Article.objects.get(title="关于召开常委会议的通知")
    assert response.status_code == 302
    article.refresh_from_db()
    client.post(reverse("portal-act", args=[article.pk, "submit"]), {"version": article.version})
    # Four eyes: who wrote it does not publish it; a second person (a leader) does.
    client.force_login(make_user(county, Role.LEADER))
    article.refresh_from_db()
    client.post(reverse("portal-act", args=[article.pk, "publish"]), {"version": article.version})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    client.logout()
    assert "关于召开常委会议的通知" in client.get(
        reverse("portal-column", args=[county.code, "notices"])).content.decode()


def test_empty_title_shows_a_chinese_error(client, county, site, staff):
    client.force_login(staff)
    col = Column.objects.get(committee=county, slug="notices")
    body = client.post(reverse("portal-new"), {"column": col.pk, "title": "", "body": "x",
                                               "audience": "public"}).content.decode()
    assert "此项必填" in body


def test_site_search_uses_the_chinese_index(client, county, site, make_user,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(county, "县政协视察校车安全", body="<p>委员们查看了农村学校校车运行情况。</p>")
        publish(county, "学习材料", body="<p>校车安全管理条例解读</p>", audience="members",
                column="learning")
        publish(county, "定时稿件", body="<p>校车</p>", when=timezone.now() + dt.timedelta(days=2))
    url = reverse("portal-search", args=[county.code])
    body = client.get(url, {"q": "校车"}).content.decode()
    assert "县政协视察校车安全" in body
    assert "学习材料" not in body and "定时稿件" not in body
    client.force_login(make_user(county, Role.MEMBER))
    assert "学习材料" in client.get(url, {"q": "校"}).content.decode()
