"""The meeting pages: who reaches what, and the refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.activities.factories import member_with_login
from tests.factories import user_with_role
from tests.meetings.factories import plenary
from xieshang.activities import services as activity_services
from xieshang.core.models import Role
from xieshang.meetings import services
from xieshang.meetings.models import Paper, PaperRead, Speaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(county):
    p = plenary(county, 3)
    item = services.agenda_item_add(actor=p.staff_actor, meeting=p.meeting, title="审议工作报告")
    services.paper_add(actor=p.staff_actor, item=item, title="常委会工作报告（讨论稿）",
                       text="报告正文", kind=Paper.Kind.DRAFT)
    return p


def _client(client, user, committee):
    client.force_login(user)
    session = client.session
    session["xieshang_committee_id"] = committee.pk
    session.save()
    return client


def test_staff_sees_counts_and_the_setup_forms(client, county, p):
    c = _client(client, p.staff, county)
    r = c.get(reverse("meetings:detail", args=[p.meeting.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "审议工作报告" in body and 'data-count="quorum"' in body
    assert reverse("meetings:register", args=[p.meeting.pk]) in body
    assert c.get(reverse("meetings:list")).status_code == 200
    assert c.get(reverse("meetings:counts", args=[p.meeting.pk])).status_code == 200


def test_staff_registers_at_the_desk(client, county, p):
    c = _client(client, p.staff, county)
    member = p.members[0][1]
    c.post(reverse("meetings:register", args=[p.meeting.pk]), {"member": member.pk})
    from xieshang.meetings import selectors
    assert selectors.is_registered(p.meeting, member.pk)


def test_member_cannot_register_others_or_open_the_projector(client, county, p):
    user, member, _a = p.members[0]
    c = _client(client, user, county)
    assert c.post(reverse("meetings:register", args=[p.meeting.pk]),
                  {"member": member.pk}).status_code == 403
    assert c.get(reverse("meetings:projector", args=[p.meeting.pk])).status_code == 403
    assert c.get(reverse("meetings:speeches", args=[p.meeting.pk])).status_code == 403


def test_uninvited_member_and_other_committee_get_404(client, county, other_county, p):
    user, _m, _a = member_with_login(county)
    c = _client(client, user, county)
    assert c.get(reverse("meetings:detail", args=[p.meeting.pk])).status_code == 404
    paper = Paper.objects.get()
    assert c.get(reverse("meetings:paper", args=[paper.pk])).status_code == 404
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    c = _client(client, outsider, other_county)
    assert c.get(reverse("meetings:detail", args=[p.meeting.pk])).status_code == 404
    assert c.post(reverse("meetings:register", args=[p.meeting.pk]),
                  {"member": p.members[0][1].pk}).status_code == 404


def test_participant_reads_a_watermarked_paper_and_confirms(client, county, p):
    user, member, _a = p.members[0]
    c = _client(client, user, county)
    paper = Paper.objects.get()
    r = c.get(reverse("meetings:paper", args=[paper.pk]))
    assert r.status_code == 200 and member.name in r.content.decode()
    assert 'class="wm"' in r.content.decode()
    c.post(reverse("meetings:paper-read", args=[paper.pk]))
    assert PaperRead.objects.filter(paper=paper, member=member).count() == 1


def test_paper_marked_so_is_withdrawn_after_the_meeting(client, county, p):
    paper = Paper.objects.get()
    Paper.objects.filter(pk=paper.pk).update(withdraw_after=True)
    activity = p.meeting.activity
    activity_services.activity_update(actor=p.staff_actor, activity=activity,
                                      start=activity.start.replace(year=activity.start.year - 1),
                                      end=activity.end.replace(year=activity.end.year - 1))
    user, _m, _a = p.members[0]
    c = _client(client, user, county)
    assert c.get(reverse("meetings:paper", args=[paper.pk])).status_code == 404
    c = _client(client, p.staff, county)
    assert c.get(reverse("meetings:paper", args=[paper.pk])).status_code == 200


def test_member_votes_on_the_page(client, county, p):
    p.register(0)
    poll = services.poll_open(actor=p.staff_actor, poll=services.poll_create(
        actor=p.staff_actor, meeting=p.meeting, title="表决工作报告"))
    user, _m, _a = p.members[0]
    c = _client(client, user, county)
    assert "待我表决" in c.get(reverse("home")).content.decode()
    r = c.get(reverse("meetings:poll", args=[poll.pk]))
    assert 'name="choice"' in r.content.decode()
    c.post(reverse("meetings:vote", args=[poll.pk]), {"choice": "yes"})
    r = c.get(reverse("meetings:poll", args=[poll.pk]))
    assert 'name="choice"' not in r.content.decode()
    # a member cannot close it
    assert c.post(reverse("meetings:poll-act", args=[poll.pk, "close"]),
                  {"version": poll.version}).status_code == 403
    c = _client(client, p.staff, county)
    c.post(reverse("meetings:poll-act", args=[poll.pk, "close"]), {"version": poll.version})
    poll.refresh_from_db()
    assert poll.status == "closed" and poll.yes == 1


def test_oral_speech_page_picks_and_orders_and_projector_follows(client, county, p, settings):
    from xieshang.activities.models import Speech
    item = p.meeting.items.get()
    speeches = [Speech.objects.create(committee=county, activity=p.meeting.activity,
                                      member=p.members[i][1], title=f"发言{i}", text="正文")
                for i in range(2)]
    c = _client(client, p.staff, county)
    page = reverse("meetings:speeches", args=[p.meeting.pk])
    assert "发言0" in c.get(page).content.decode()
    for s in speeches:
        c.post(page, {"speech": s.pk, "item": item.pk, "minutes": 5})
    rows = list(Speaker.objects.order_by("position"))
    assert [r.speech_id for r in rows] == [s.pk for s in speeches]
    assert all(Speech.objects.filter(is_oral=True).values_list("is_oral", flat=True))
    c.post(reverse("meetings:speaker-action", args=[rows[1].pk, "up"]))
    assert list(Speaker.objects.order_by("position").values_list("pk", flat=True)) == \
        [rows[1].pk, rows[0].pk]
    c.post(reverse("meetings:speaker-action", args=[rows[1].pk, "start"]))
    panel = c.get(reverse("meetings:projector-panel", args=[p.meeting.pk])).content.decode()
    assert p.members[1][1].name in panel and "data-timer" in panel
    r = c.get(reverse("meetings:speeches-docx", args=[p.meeting.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    import io

    import docx
    text = [para.text for para in docx.Document(io.BytesIO(r.content)).paragraphs]
    assert text.index("1. 发言1") < text.index("2. 发言0")  # the oral order
    member = _client(client.__class__(), p.members[0][0], county)
    assert member.get(reverse("meetings:speeches-docx", args=[p.meeting.pk])).status_code == 403
    full = c.get(reverse("meetings:projector", args=[p.meeting.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in full and "<form" not in full


def test_election_ballot_page_and_result_documents(client, county, p):
    p.register(0, 1)
    e = services.election_open(actor=p.staff_actor, election=services.election_create(
        actor=p.staff_actor, meeting=p.meeting, title="补选副主席",
        positions=[services.PositionSpec("副主席", 1, ["甲", "乙"])]))
    pos = e.positions.get()
    user, _m, _a = p.members[0]
    c = _client(client, user, county)
    assert f'name="p{pos.pk}"' in c.get(reverse("meetings:election", args=[e.pk])) \
        .content.decode()
    c.post(reverse("meetings:ballot", args=[e.pk]), {f"p{pos.pk}": ["甲"]})
    c2 = _client(client.__class__(), p.members[1][0], county)
    c2.post(reverse("meetings:ballot", args=[e.pk]), {f"w{pos.pk}": "丙"})
    assert c.get(reverse("meetings:ballot-docx", args=[e.pk])).status_code == 403
    s = _client(client.__class__(), p.staff, county)
    assert s.get(reverse("meetings:ballot-docx", args=[e.pk])).status_code == 200
    s.post(reverse("meetings:election-act", args=[e.pk, "close"]), {"version": e.version})
    e.refresh_from_db()
    assert e.status == "closed" and e.ballots == 2
    r = s.get(reverse("meetings:result-docx", args=[e.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert s.get(reverse("meetings:agenda-docx", args=[p.meeting.pk])).status_code == 200


def test_bad_election_lines_give_a_clear_message(client, county, p):
    c = _client(client, p.staff, county)
    r = c.post(reverse("meetings:election-add", args=[p.meeting.pk]),
               {"title": "选举", "positions": "主席 两 张三"}, follow=True)
    assert r.status_code == 200 and p.meeting.elections.count() == 0
    assert "第1行" in r.content.decode()
