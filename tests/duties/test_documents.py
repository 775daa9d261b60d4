"""The printable duty record (.docx and PDF) says who, when, what and how many points."""

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from tests.factories import MemberFactory, TermFactory, user_with_role
from xieshang.core.models import Role, Term
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import documents, engine, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(county, staff, django_capture_on_commit_callbacks):
    """A member with two awards and an outside duty in 2025, one award in 2024; scored."""
    user = user_with_role(county, Role.MEMBER)
    member = user.roles.get().member
    member.workplace = "清河县第一中学 校长"
    member.save()
    actor = actor_for(staff, county)
    system = Actor.for_system(county)
    with django_capture_on_commit_callbacks(execute=True):
        for year in (2024, 2025):
            services.ruleset_create_from_template(actor=system, committee=county, year=year)
        services.manual_item_add(actor=actor, member=member, date=dt.date(2025, 4, 1),
                                 code="award", description="获评市级优秀政协委员")
        services.manual_item_add(actor=actor, member=member, date=dt.date(2025, 6, 1),
                                 code="award", description="获评乡村振兴先进个人")
        services.manual_item_add(actor=actor, member=member, date=dt.date(2025, 7, 1),
                                 code="outside", description="受聘担任特邀调解员")
        services.manual_item_add(actor=actor, member=member, date=dt.date(2024, 7, 1),
                                 code="award", description="获评优秀提案个人")
    engine.recompute(county, 2025)
    engine.recompute(county, 2024)
    return user, member


def docx_text(content):
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_year_record_as_word(client, recorded, county):
    user, member = recorded
    client.force_login(user)
    response = client.get(reverse("duty-mine-print"), {"year": 2025})
    assert response["Content-Type"] == documents.DOCX
    text = docx_text(response.content)
    assert f"{county.name}委员履职档案" in text
    assert member.name in text and member.sector.name in text and "清河县第一中学" in text
    assert "六、其他履职事项" in text
    assert "获评市级优秀政协委员" in text and "受聘担任特邀调解员" in text
    assert "获评优秀提案个人" not in text  # 2024
    assert "2025年度得分：15分" in text  # three items × 5 points
    doc = Document(BytesIO(response.content))
    counts = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["机关录入的履职事项", "3"] in counts


def test_term_record_as_pdf(client, recorded, county, staff):
    _user, member = recorded
    term = Term.objects.get(committee=county)
    client.force_login(staff)
    response = client.get(reverse("duty-member-print", args=[member.pk]),
                          {"term": term.pk, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert member.name in text and member.sector.name in text
    assert f"第{term.label}届" in text
    assert "获评优秀提案个人" in text and "获评市级优秀政协委员" in text
    assert "2024年度得分：5分" in text and "2025年度得分：15分" in text
    assert "（1）" in text  # items are numbered (the CID font has no bullet glyph)
    artifacts = Path(__file__).resolve().parents[1] / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "duty-record-term.pdf").write_bytes(response.content)  # for a look


def test_pdf_of_an_empty_year_says_so(recorded, county):
    _user, member = recorded
    doc = documents.build(member, *documents.year_period(2019))
    text = pdf_text(documents.to_pdf(doc))
    assert "本期间暂无履职记录" in text and "尚未计算积分" in text


def test_a_member_cannot_print_another_members_record(client, recorded, county):
    _user, member = recorded
    other = user_with_role(county, Role.MEMBER)
    client.force_login(other)
    assert client.get(reverse("duty-member-print", args=[member.pk])).status_code == 404
    # Their own print is theirs only: no member record of someone else leaks into it.
    text = docx_text(client.get(reverse("duty-mine-print"), {"year": 2025}).content)
    assert member.name not in text


def test_other_county_gets_404_and_a_foreign_term_too(client, recorded, county, other_county):
    _user, member = recorded
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    assert client.get(reverse("duty-member-print", args=[member.pk])).status_code == 404
    client.force_login(user_with_role(county, Role.STAFF_OFFICE))
    foreign_term = TermFactory(committee=other_county, number=99)
    url = reverse("duty-member-print", args=[member.pk])
    assert client.get(url, {"term": foreign_term.pk}).status_code == 404
    assert client.get(url, {"term": "abc"}).status_code == 404


def test_unit_clerk_is_refused(client, county):
    member = MemberFactory(committee=county)
    client.force_login(user_with_role(county, Role.UNIT_CLERK))
    assert client.get(reverse("duty-member-print", args=[member.pk])).status_code == 404
    assert client.get(reverse("duty-mine-print")).status_code == 403
