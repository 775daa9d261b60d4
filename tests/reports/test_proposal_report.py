"""The proposal-work report (提案工作报告) draft, from proposals walked through the services."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from tests.proposals.factories import S, build_world, call, reach
from xieshang.core.figures import Scope, compute
from xieshang.reports.draft import DRAFTS, sentences

pytestmark = pytest.mark.django_db


def proposal_year(county):
    """Seven proposals: closed (satisfied), re-handled (dissatisfied), filed, key, not filed,
    and one merged into another filed one. Filed ones with units went to 县a局 (lead) and
    县b局 (co-unit)."""
    w = build_world(county)
    reach(w, S.CLOSED, title="关于加强农村饮水安全保障的建议")
    reach(w, S.REHANDLING, title="关于改善城区停车难问题的建议")
    reach(w, S.FILED, title="关于规范校外培训机构的建议")
    key = reach(w, S.FILED, title="关于推进县域医共体建设的建议")
    call(w, key, "mark_key", "leader")
    reach(w, S.NOT_FILED, title="关于某企业产品推广的建议")
    reach(w, S.MERGED)
    return w


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_proposal_report_draft_has_the_sentences_with_the_numbers(county, tmp_path):
    proposal_year(county)
    out = tmp_path / "proposals.docx"
    call_command("report", "draft", "--kind", "proposals", "--committee", county.code,
                 "--from", "2000-01-01", "--to", str(dt.date.today()), "--out", str(out))
    text = _text(out.read_bytes())
    assert "示范县政协常务委员会关于提案工作情况的报告" in text
    assert ("本期共收到委员和各参加单位、界别、专门委员会提交的提案7件，"
            "经审查立案5件，立案率71.4%。") in text
    assert "其中委员个人和联名提案7件，党派、团体、界别和专门委员会集体提案0件。" in text
    assert "对内容相近的提案作并案处理1件，不予立案1件，转为其他形式办理0件。" in text
    assert "立案提案交由2个承办单位办理，共交办4件次" in text
    assert "已办复2件" in text
    assert "A类（已解决或采纳）2件、B类（正在解决或列入计划解决）0件、C类（留作参考）0件" in text
    assert ("提案人反馈意见中，满意1件、基本满意0件、不满意1件，满意和基本满意率50%；"
            "对不满意的提案重新办理1件。") in text
    assert "承办提案较多的单位有：县a局（2件）、县b局（2件）。" in text
    assert "遴选重点提案1件，其中由领导领衔督办1件。" in text
    assert "重点提案包括《关于推进县域医共体建设的建议》。" in text
    # The work report is the other kind of the same mechanism, with its own title.
    call_command("report", "draft", "--committee", county.code, "--from", "2000-01-01",
                 "--to", str(dt.date.today()), "--out", str(tmp_path / "work.docx"))
    work = _text((tmp_path / "work.docx").read_bytes())
    assert "示范县政协常务委员会工作报告" in work
    assert "共收到提案7件，经审查立案5件" in work


def test_proposal_report_sentences_skip_missing_figures(county):
    parts = sentences({}, "proposals")
    assert [h for h, _lines in parts] == [h for h, _b in DRAFTS["proposals"].sections]
    assert all(not lines for _h, lines in parts)


def test_proposal_report_from_the_page(county, client, staff):
    proposal_year(county)
    client.force_login(staff)
    page = client.get(reverse("reports-figures"), {"from": "2000-01-01"})
    assert "kind=proposals" in page.content.decode()
    response = client.get(reverse("reports-draft"), {"from": "2000-01-01", "kind": "proposals"})
    assert response.status_code == 200
    assert "proposal-report-2000-01-01" in response["Content-Disposition"]
    assert "经审查立案5件" in _text(response.content)


def test_figures_of_a_period_without_proposals_are_zero(county):
    proposal_year(county)
    figures = compute(Scope(county, dt.date(2001, 1, 1), dt.date(2001, 12, 31)))
    assert figures["proposals.submitted"].value == 0
    assert figures["units.assigned"].value == 0
