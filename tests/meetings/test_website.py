"""After the meeting: a closed vote's or election's result, and a final text, go on the
committee's public website as an article that follows the website's own review (issue #22)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import user_with_role
from tests.meetings.factories import plenary
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.core.workflow import transition
from xieshang.meetings import services
from xieshang.meetings.models import Paper
from xieshang.portal.models import Article
from xieshang.portal.workflow import ARTICLE

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def p(county, clock):
    p = plenary(county, 3)
    p.register(0, 1, 2)
    return p


def _client(client, user, committee):
    client.force_login(user)
    session = client.session
    session["xieshang_committee_id"] = committee.pk
    session.save()
    return client


def _closed_poll(p, title="政治决议"):
    poll = services.poll_open(actor=p.staff_actor, poll=services.poll_create(
        actor=p.staff_actor, meeting=p.meeting, title=title, secret=False))
    for i, choice in enumerate(["yes", "yes", "no"]):
        services.vote_cast(actor=p.members[i][2], poll=poll, choice=choice)
    return services.poll_close(actor=p.staff_actor, poll=poll)


def test_staff_publishes_a_closed_vote_once_and_a_reviewer_puts_it_online(client, county, p):
    poll = _closed_poll(p)
    c = _client(client, p.staff, county)
    page = c.get(reverse("meetings:detail", args=[p.meeting.pk])).content.decode()
    assert reverse("meetings:poll-publish", args=[poll.pk]) in page
    r = c.post(reverse("meetings:poll-publish", args=[poll.pk]), follow=True)
    assert r.status_code == 200
    article = Article.objects.get(committee=county)
    assert article.status == Article.Status.REVIEW  # the website's own review follows
    assert article.column.slug == "meetings"
    assert article.title == "第一次全体会议表决结果：政治决议"
    text = article.body
    assert "2026年3月2日" in text and "赞成2票，反对1票，弃权0票" in text
    assert "应到委员3人，实到3人" in text and "表决通过" in text
    # An open vote records who chose what; the website never says it.
    assert not any(m.name in text for _u, m, _a in p.members)
    # Twice: still one article, linked from the vote.
    c.post(reverse("meetings:poll-publish", args=[poll.pk]))
    assert Article.objects.filter(committee=county).count() == 1
    poll.refresh_from_db()
    assert poll.article_id == article.pk
    assert "已送网站审核" in c.get(reverse("meetings:poll", args=[poll.pk])).content.decode()
    # Four eyes: another reviewer publishes it; then the meeting page links the public page.
    reviewer = actor_for(user_with_role(county, Role.STAFF_OFFICE), county)
    transition(ARTICLE, actor=reviewer, obj=article, step="publish", version=article.version)
    page = c.get(reverse("meetings:poll", args=[poll.pk])).content.decode()
    public = reverse("portal-article", args=[county.code, article.pk])
    assert "已发布到网站" in page and public in page
    anonymous = client.__class__()
    assert "赞成2票" in anonymous.get(public).content.decode()
    assert public in anonymous.get("/sitemap.xml").content.decode()


def test_a_vote_not_closed_cannot_be_published(client, county, p):
    poll = services.poll_open(actor=p.staff_actor, poll=services.poll_create(
        actor=p.staff_actor, meeting=p.meeting, title="政治决议"))
    c = _client(client, p.staff, county)
    r = c.post(reverse("meetings:poll-publish", args=[poll.pk]), follow=True)
    assert r.status_code == 200 and "表决结束后" in r.content.decode()
    assert not Article.objects.exists()


def test_member_leader_and_other_committees_staff_are_refused(client, county, other_county, p):
    poll = _closed_poll(p)
    url = reverse("meetings:poll-publish", args=[poll.pk])
    member = _client(client, p.members[0][0], county)
    assert reverse("meetings:poll-publish", args=[poll.pk]) not in member.get(
        reverse("meetings:poll", args=[poll.pk])).content.decode()
    assert member.post(url).status_code == 403
    leader = _client(client.__class__(), user_with_role(county, Role.LEADER), county)
    assert leader.post(url).status_code == 403
    other = _client(client.__class__(), user_with_role(other_county, Role.STAFF_OFFICE),
                    other_county)
    assert other.post(url).status_code == 404
    assert not Article.objects.exists()
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.result_publish(actor=p.members[0][2], obj=poll)


def test_election_result_names_the_elected_with_their_votes_only(client, county, p):
    e = services.election_open(actor=p.staff_actor, election=services.election_create(
        actor=p.staff_actor, meeting=p.meeting, title="增选常务委员",
        positions=[services.PositionSpec("常务委员", 1, ["张明", "李华"])]))
    pos = e.positions.get()
    for i, names in enumerate([["张明"], ["张明"], ["王某某"]]):
        services.ballot_cast(actor=p.members[i][2], election=e, marks={pos.pk: names})
    c = _client(client, p.staff, county)
    url = reverse("meetings:election-publish", args=[e.pk])
    c.post(url)
    assert not Article.objects.exists()  # still open
    e = services.election_close(actor=p.staff_actor, election=e)
    assert url in c.get(reverse("meetings:detail", args=[p.meeting.pk])).content.decode()
    c.post(url)
    article = Article.objects.get()
    assert article.title == "第一次全体会议选举结果：增选常务委员"
    assert "当选：张明（2票）" in article.body and "发出并收回选票3张" in article.body
    assert "李华" not in article.body and "王某某" not in article.body
    c.post(url)
    assert Article.objects.count() == 1


def test_a_final_text_goes_on_the_website_and_a_draft_does_not(client, county, p):
    item = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting, title="审议决议")
    final = services.paper_add(actor=p.staff_actor, item=item, title="政治决议",
                               text="第一段。\n第二段。", kind=Paper.Kind.FINAL)
    draft = services.paper_add(actor=p.staff_actor, item=item, title="决议（讨论稿）",
                               text="草稿", kind=Paper.Kind.DRAFT)
    c = _client(client, p.staff, county)
    assert reverse("meetings:paper-publish", args=[final.pk]) in c.get(
        reverse("meetings:paper", args=[final.pk])).content.decode()
    r = c.post(reverse("meetings:paper-publish", args=[draft.pk]), follow=True)
    assert "定稿" in r.content.decode() and not Article.objects.exists()
    c.post(reverse("meetings:paper-publish", args=[final.pk]))
    article = Article.objects.get()
    assert article.title == "政治决议" and "<p>第二段。</p>" in article.body
    assert timezone.localtime(article.created_at).date() == dt.date(2026, 3, 2)
