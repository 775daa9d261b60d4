"""The learning library: members' reading on the site feeds the activities app's learning
coverage through one learning material per published learning article."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import MemberFactory
from tests.portal.conftest import publish
from xieshang.activities import reading
from xieshang.activities.models import LearningMaterial, ReadingRecord
from xieshang.activities.selectors import learning_coverage
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import Actor
from xieshang.portal import workflow
from xieshang.portal.models import Article

pytestmark = pytest.mark.django_db


def member_id_of(user, committee):
    from xieshang.core.permissions import actor_for

    return actor_for(user, committee).member_id


@pytest.fixture
def learning(county, site):
    return publish(county, "政协委员履职手册", body="<h2>权利</h2><p>委员有权发表意见。</p>",
                   column="learning")


def url(county, article, name="portal-article"):
    return reverse(name, args=[county.code, article.pk])


def open_as(client, user, county, article):
    client.force_login(user)
    response = client.get(url(county, article))
    assert response.status_code == 200
    return response


def test_publishing_a_learning_article_makes_a_learning_material(county, learning):
    material = learning.learning_material
    assert material is not None and material.committee == county
    assert material.title == "政协委员履职手册"
    assert material.text == "权利\n\n委员有权发表意见。"
    assert material.published_on == timezone.localtime(learning.publish_at).date()
    assert AuditLog.objects.filter(action="material.create").exists()


def test_a_news_article_is_not_a_learning_material(county, site, make_user, client):
    news = publish(county, "县政协召开常委会议")
    assert news.learning_material is None
    open_as(client, make_user(county, Role.MEMBER), county, news)
    assert not LearningMaterial.objects.exists() and not ReadingRecord.objects.exists()


def test_member_opening_a_learning_article_records_a_reading(county, learning, make_user,
                                                             client):
    user = make_user(county, Role.MEMBER)
    body = open_as(client, user, county, learning).content.decode()
    record = ReadingRecord.objects.get()
    assert record.member_id == member_id_of(user, county)
    assert record.material == learning.learning_material
    assert record.seconds == 0 and not record.marked_read
    assert 'data-reading' in body and "标记为已读" in body


def test_reading_on_the_site_counts_in_the_learning_coverage(county, learning, make_user,
                                                             client):
    readers = [make_user(county, Role.MEMBER) for _ in range(2)]
    MemberFactory.create_batch(2, committee=county)  # serving members who read nothing
    today = timezone.localdate()
    before = learning_coverage(county, today.replace(month=1, day=1), today)
    for user in readers:
        open_as(client, user, county, learning)
    after = learning_coverage(county, today.replace(month=1, day=1), today)
    assert (before.reached, after.reached, after.total) == (0, 2, 4)


def test_reading_is_not_recorded_for_the_public(county, learning, client):
    assert client.get(url(county, learning)).status_code == 200  # a public item
    token = reading.token_for(learning.pk, 1)
    response = client.post(url(county, learning, "portal-reading"), {"token": token,
                                                                     "seconds": "60"})
    assert response.status_code == 204
    assert not ReadingRecord.objects.exists()


def test_reading_is_not_recorded_for_members_of_another_committee(county, other_county,
                                                                  learning, make_user, client):
    outsider = make_user(other_county, Role.MEMBER)
    body = open_as(client, outsider, county, learning).content.decode()
    assert "data-reading" not in body
    token = reading.token_for(learning.pk, member_id_of(outsider, other_county))
    client.post(url(county, learning, "portal-reading"), {"token": token, "seconds": "60",
                                                          "read": "1"})
    assert not ReadingRecord.objects.exists()


def test_reading_is_not_recorded_for_staff_who_are_not_members(county, learning, staff,
                                                                client):
    body = open_as(client, staff, county, learning).content.decode()
    assert "data-reading" not in body and not ReadingRecord.objects.exists()


def test_member_with_two_committees_reads_as_member_of_the_site(county, learning, make_user,
                                                                client):
    """The member acts in the city on the platform, yet reading the county's site counts for
    their county membership."""
    from tests.factories import RoleAssignmentFactory

    user = make_user(county, Role.MEMBER)
    city_member = MemberFactory(committee=county.parent, user=user)
    RoleAssignmentFactory(user=user, committee=county.parent, role=Role.MEMBER,
                          member=city_member)
    client.force_login(user)
    session = client.session
    session["xieshang_committee_id"] = county.parent.pk
    session.save()
    client.get(url(county, learning))
    assert ReadingRecord.objects.get().member_id == member_id_of(user, county)


class Clock:
    def __init__(self, traveller):
        self.traveller = traveller

    def advance(self, seconds):
        self.traveller.shift(dt.timedelta(seconds=seconds))


@pytest.fixture
def clock(settings):
    settings.SESSION_COOKIE_AGE = 6 * 3600  # the reader stays logged in while time passes
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield Clock(traveller)


def report(client, county, article, token, **data):
    return client.post(url(county, article, "portal-reading"), {"token": token, **data})


def token_on_page(response):
    return response.context["reading_token"]


def test_time_on_the_page_is_added(county, learning, make_user, client, clock):
    token = token_on_page(open_as(client, make_user(county, Role.MEMBER), county, learning))
    clock.advance(300)
    assert report(client, county, learning, token, seconds="120").status_code == 204
    assert ReadingRecord.objects.get().seconds == 120
    report(client, county, learning, token, seconds="90")
    assert ReadingRecord.objects.get().seconds == 210


def test_seconds_are_capped_by_the_time_since_opening(county, learning, make_user, client,
                                                      clock):
    token = token_on_page(open_as(client, make_user(county, Role.MEMBER), county, learning))
    clock.advance(300)
    report(client, county, learning, token, seconds="100000")
    report(client, county, learning, token, seconds="100000")  # sent twice
    assert ReadingRecord.objects.get().seconds == 300


def test_one_opening_counts_at_most_two_hours(county, learning, make_user, client, clock):
    token = token_on_page(open_as(client, make_user(county, Role.MEMBER), county, learning))
    clock.advance(int(2.5 * 3600))  # past two hours, while the token still holds
    report(client, county, learning, token, seconds=str(5 * 3600))
    assert ReadingRecord.objects.get().seconds == reading.MAX_VIEW_SECONDS == 7200


def test_negative_or_garbage_seconds_add_nothing(county, learning, make_user, client, clock):
    token = token_on_page(open_as(client, make_user(county, Role.MEMBER), county, learning))
    clock.advance(300)
    report(client, county, learning, token, seconds="-500")
    report(client, county, learning, token, seconds="lots")
    assert ReadingRecord.objects.get().seconds == 0


def test_a_token_of_another_member_or_article_adds_nothing(county, site, learning, make_user,
                                                           client, clock):
    other = publish(county, "提案撰写实务", column="learning")
    first = make_user(county, Role.MEMBER)
    token = token_on_page(open_as(client, first, county, learning))
    clock.advance(600)
    report(client, county, other, token, seconds="60")  # the token is for another article
    second = make_user(county, Role.MEMBER)
    client.force_login(second)
    report(client, county, learning, token, seconds="60")  # someone else's token
    report(client, county, learning, "forged:token", seconds="60")
    assert list(ReadingRecord.objects.values_list("seconds", flat=True)) == [0]


def test_mark_as_read_without_javascript(county, learning, make_user, client, clock):
    token = token_on_page(open_as(client, make_user(county, Role.MEMBER), county, learning))
    clock.advance(420)
    response = report(client, county, learning, token, read="1")
    assert response.status_code == 302 and response["Location"] == url(county, learning)
    record = ReadingRecord.objects.get()
    assert record.marked_read and record.seconds == 420
    body = client.get(url(county, learning)).content.decode()
    assert "已标记为已读" in body


def test_mark_as_read_with_the_seconds_the_script_counted(county, learning, make_user, client,
                                                          clock):
    token = token_on_page(open_as(client, make_user(county, Role.MEMBER), county, learning))
    clock.advance(420)
    report(client, county, learning, token, read="1", seconds="200")
    record = ReadingRecord.objects.get()
    assert record.marked_read and record.seconds == 200


def test_members_only_learning_item_stays_hidden_from_the_public(county, site, client,
                                                                 make_user):
    secret = publish(county, "委员读本", column="learning", audience="members")
    column = reverse("portal-column", args=[county.code, "learning"])
    assert "委员读本" not in client.get(column).content.decode()
    assert client.get(url(county, secret)).status_code == 404
    report(client, county, secret, reading.token_for(secret.pk, 1), read="1")
    assert not ReadingRecord.objects.exists()
    client.force_login(make_user(county, Role.MEMBER))
    assert "委员读本" in client.get(column).content.decode()


def test_the_learning_column_shows_what_a_member_has_read(county, site, make_user, client,
                                                          clock):
    first = publish(county, "章程", column="learning")
    publish(county, "手册", column="learning")
    user = make_user(county, Role.MEMBER)
    token = token_on_page(open_as(client, user, county, first))
    report(client, county, first, token, read="1")
    body = client.get(reverse("portal-column", args=[county.code, "learning"])).content.decode()
    assert body.count("tag ok") == 1 and "已读" in body


def test_scheduled_learning_article_becomes_a_material_only_when_due(county, site, make_user,
                                                                     client):
    later = publish(county, "下周的学习材料", column="learning",
                    when=timezone.now() + dt.timedelta(days=7))
    assert later.learning_material is None and not LearningMaterial.objects.exists()
    Article.objects.filter(pk=later.pk).update(publish_at=timezone.now() - dt.timedelta(
        minutes=1))
    open_as(client, make_user(county, Role.MEMBER), county, later)
    later.refresh_from_db()
    assert later.learning_material is not None
    assert ReadingRecord.objects.get().material == later.learning_material


def test_withdrawing_an_unread_learning_article_removes_its_material(county, learning):
    actor = Actor.for_system(county)
    workflow.ARTICLE.take(actor=actor, obj=learning, step="withdraw",
                          data={"version": learning.version})
    learning.refresh_from_db()
    assert learning.learning_material is None and not LearningMaterial.objects.exists()


def test_withdrawing_a_read_learning_article_keeps_the_readings(county, learning, make_user,
                                                                client):
    open_as(client, make_user(county, Role.MEMBER), county, learning)
    learning.refresh_from_db()
    workflow.ARTICLE.take(actor=Actor.for_system(county), obj=learning, step="withdraw",
                          data={"version": learning.version})
    assert ReadingRecord.objects.count() == 1 and LearningMaterial.objects.count() == 1


def test_republishing_updates_the_material(county, learning):
    actor = Actor.for_system(county)
    from xieshang.portal import services

    article = workflow.ARTICLE.take(actor=actor, obj=learning, step="withdraw",
                                    data={"version": learning.version})
    article = workflow.ARTICLE.take(actor=actor, obj=article, step="reopen",
                                    data={"version": article.version})
    article = services.article_save(actor=actor, committee=county, column=article.column,
                                    title="政协委员履职手册（修订）", body="<p>新版</p>",
                                    article=article)
    for action in ("submit", "publish"):
        article = workflow.ARTICLE.take(actor=actor, obj=article, step=action,
                                        data={"version": article.version})
    material = LearningMaterial.objects.get()
    assert (material.title, material.text) == ("政协委员履职手册（修订）", "新版")
    assert article.learning_material == material


def test_the_material_text_keeps_paragraphs_and_plain_characters(county, site):
    article = publish(county, "读本", column="learning",
                      body="<h2>一、总则</h2><p>委员 &amp; 界别</p>"
                           "<ul><li>提案</li><li>信息</li></ul>")
    assert article.learning_material.text == "一、总则\n\n委员 & 界别\n\n提案\n\n信息"
