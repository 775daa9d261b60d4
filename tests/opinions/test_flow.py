"""The issue's "Done when": a county report goes up to the city and province and back."""

import io

import pytest
from docx import Document

from tests.factories import user_with_role
from tests.opinions.factories import act, submit
from xieshang.core.models import Notification, Role
from xieshang.core.permissions import actor_for
from xieshang.opinions import selectors, services
from xieshang.opinions.models import OpinionOutcome, OpinionReport

pytestmark = pytest.mark.django_db


def test_report_travels_from_county_to_province_and_outcomes_flow_back(
        county, client, django_capture_on_commit_callbacks):
    city, province = county.parent, county.parent.parent
    author = user_with_role(county, Role.MEMBER)
    county_ed = actor_for(user_with_role(county, Role.STAFF_OPINION), county)
    city_user = user_with_role(city, Role.STAFF_OPINION)
    city_ed = actor_for(city_user, city)
    prov_user = user_with_role(province, Role.STAFF_OPINION)
    prov_ed = actor_for(prov_user, province)
    unrelated = submit(county, title="关于县内另一件事的建议")

    # County: submit, edit, sign off, bulletin, report up.
    report = submit(county, user=author)
    act(county_ed, report, "start_edit")
    report.refresh_from_db()
    services.report_edit(actor=county_ed, report=report, expected_version=report.version,
                         title="关于加快推进老旧小区加装电梯的建议", category="society",
                         situation=report.situation, analysis=report.analysis,
                         suggestion="建议尽快出台加装电梯财政补贴办法。")
    act(county_ed, report, "sign_off")
    bulletin = services.bulletin_create(actor=county_ed, kind="single", reports=[report])
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_publish(actor=county_ed, bulletin=bulletin)
    assert Notification.objects.filter(recipient=author).exists()
    act(county_ed, report, "report_up", note="请市政协关注")

    # City: the report arrives as a report of its own, is edited, published and sent up.
    city_copy = OpinionReport.objects.get(committee=city, origin=report)
    assert city_copy.root_id == report.pk and city_copy.status == "submitted"
    assert city_copy.author_kind == "committee" and county.name in city_copy.author_name
    assert set(selectors.inbox(city_ed, "received")) == {city_copy}
    act(city_ed, city_copy, "start_edit")
    act(city_ed, city_copy, "sign_off")
    city_bulletin = services.bulletin_create(actor=city_ed, kind="single", reports=[city_copy])
    services.bulletin_publish(actor=city_ed, bulletin=city_bulletin)
    act(city_ed, city_copy, "report_up")

    # Province: adopted in its bulletin and instructed by a leader; handled by a department.
    prov_copy = OpinionReport.objects.get(committee=province, origin=city_copy)
    assert prov_copy.root_id == report.pk
    act(prov_ed, prov_copy, "start_edit")
    act(prov_ed, prov_copy, "sign_off")
    prov_bulletin = services.bulletin_create(actor=prov_ed, kind="single", reports=[prov_copy])
    services.bulletin_publish(actor=prov_ed, bulletin=prov_bulletin)
    prov_copy.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        instruction = services.outcome_record(
            actor=prov_ed, report=prov_copy, kind="instruction", person="王副省长",
            person_level="副省级", text="请省住建厅研究落实。")
    services.outcome_record(actor=prov_ed, report=prov_copy, kind="handled",
                            department="省住建厅", reply="已制定补贴办法。",
                            instruction=instruction)
    told = Notification.objects.filter(recipient=author, url=f"/opinions/reports/{report.pk}/")
    assert told.count() == 2  # adopted in the county bulletin, then the leader's instruction

    # The author's view of the original shows every level's outcome and the chain.
    client.force_login(author)
    page = client.get(f"/opinions/reports/{report.pk}/").content.decode()
    for text in ("王副省长", "请省住建厅研究落实。", "省住建厅", "已制定补贴办法。",
                 bulletin.label, city_bulletin.label, prov_bulletin.label,
                 city.name, province.name):
        assert text in page, text

    # The duty record sees the same outcomes through the selector.
    member = report.author_member
    kinds = [(o.committee_id, o.kind) for o in selectors.outcomes_for_member(member)]
    assert (county.pk, "adopted") in kinds and (city.pk, "adopted") in kinds
    assert (province.pk, "adopted") in kinds and (province.pk, "instruction") in kinds
    assert (province.pk, "handled") in kinds
    assert OpinionOutcome.objects.filter(lineage=unrelated).count() == 0

    # The city and province see only what was reported to them.
    assert set(selectors.report_list(city_ed)) == {city_copy}
    assert set(selectors.report_list(prov_ed)) == {prov_copy}
    client.force_login(city_user)
    assert client.get(f"/opinions/reports/{report.pk}/").status_code == 404
    assert client.get(f"/opinions/reports/{unrelated.pk}/").status_code == 404
    assert client.get(f"/opinions/reports/{prov_copy.pk}/").status_code == 404
    city_page = client.get(f"/opinions/reports/{city_copy.pk}/").content.decode()
    assert "王副省长" in city_page  # outcomes flow back down through the city too
    client.force_login(prov_user)
    assert client.get(f"/opinions/reports/{city_copy.pk}/").status_code == 404
    assert client.get(f"/opinions/reports/{prov_copy.pk}/").status_code == 200


def test_version_history_shows_exactly_what_the_editor_changed(county, client):
    ed_user = user_with_role(county, Role.STAFF_OPINION)
    ed = actor_for(ed_user, county)
    report = submit(county, suggestion="建议加大财政补贴力度。")
    act(ed, report, "start_edit")
    report.refresh_from_db()
    services.report_edit(actor=ed, report=report, expected_version=report.version,
                         title=report.title, category=report.category,
                         situation=report.situation, analysis=report.analysis,
                         suggestion="建议适当加大省级财政补贴力度。", note="核稿")
    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].editor == ed_user
    assert versions[1].suggestion == "建议适当加大省级财政补贴力度。"
    _a, _b, segments = selectors.version_diff(report, 1, 2)
    changed = [(op, text) for op, text in segments if op != "equal"]
    assert changed == [("insert", "适当"), ("insert", "省级")]
    client.force_login(ed_user)
    html = client.get(f"/opinions/reports/{report.pk}/diff/?a=1&b=2").content.decode()
    assert "<ins" in html and "适当</ins>" in html and "省级</ins>" in html
    assert "<del" not in html.split('data-testid="diff"')[1].split("</div>")[0]


def test_deletions_show_as_deleted_marks():
    segments = selectors.diff_segments("建议加大财政补贴", "建议补贴")
    assert ("delete", "加大财政") in segments


def test_bulletin_docx_opens_and_lists_the_right_reports(county, client):
    from tests.opinions.factories import editor, signed_off

    first = signed_off(county, title="关于规范校外培训的建议")
    second = signed_off(county, title="关于改善农村饮水的建议")
    left_out = signed_off(county, title="关于另一件事的建议")
    ed = editor(county)
    bulletin = services.bulletin_create(actor=ed, kind="digest", reports=[first, second],
                                        recipients="县委、县政府领导")
    assert bulletin.number == 1 and bulletin.label.endswith("社情民意第1期")
    client.force_login(ed.user)
    response = client.get(f"/opinions/bulletins/{bulletin.pk}/file.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "社情民意" in text and "第1期" in text
    assert first.title in text and second.title in text and left_out.title not in text
    assert "县委、县政府领导" in text
    head = doc.paragraphs[0].runs[0]
    assert head.text == "社情民意" and str(head.font.color.rgb) == "C00000"
    second_bulletin = services.bulletin_create(actor=ed, kind="single", reports=[left_out])
    assert second_bulletin.number == 2


def test_bulletin_pdf_needs_no_libreoffice_and_reads_like_the_word_file(county, client,
                                                                       monkeypatch):
    import shutil

    from pypdf import PdfReader

    from tests.opinions.factories import editor, signed_off

    monkeypatch.setattr(shutil, "which", lambda name: None)  # no soffice on this server
    ed = editor(county)
    report = signed_off(county)
    bulletin = services.bulletin_create(actor=ed, kind="single", reports=[report])
    client.force_login(ed.user)
    response = client.get(f"/opinions/bulletins/{bulletin.pk}/file.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "%E7%A4%BE%E6%83%85%E6%B0%91%E6%84%8F" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "社情民意" in text and f"{bulletin.year}年第{bulletin.number}期" in text
    assert report.title in text and "内部资料" in text
