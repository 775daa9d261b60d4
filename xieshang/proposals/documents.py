"""Official documents of the proposals work as .docx (python-docx) and lists as .xlsx."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from xieshang.core import clock
from xieshang.core.files import xlsx_bytes
from xieshang.core.models import Committee, Session
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.proposals import permissions, policies
from xieshang.proposals.models import Assignment, ExcellentNomination, Proposal, Reply, Status

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
RED = RGBColor(0xE0, 0x00, 0x00)
BODY_PT = 16  # 三号, GB/T 9704's body size
LINE_PT = 28  # a fixed line pitch, 22 lines a page on A4 with the margins below


def _fonts(obj: Any, name: str) -> None:
    """Set the font of a run or style for Latin and East Asian text (Word takes Chinese
    glyphs from ``w:eastAsia``)."""
    obj.font.name = name
    element = obj.element if hasattr(obj, "element") else obj._element
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number(section: Any) -> None:
    """"— 1 —" centred in the footer (a PAGE field), as official documents number pages."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ")
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    para.add_run(" —")
    for r in para.runs:
        r.font.size = Pt(14)


def _doc() -> Any:
    """An A4 document laid out like an official one (GB/T 9704): margins 37/35/28/26 mm, 仿宋
    三号 body on a fixed 28 pt line, headings in 黑体, page numbers at the foot."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    style = doc.styles["Normal"]
    _fonts(style, FONT)
    style.font.size = Pt(BODY_PT)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    for name, size in (("Heading 1", 16), ("Heading 2", 16)):
        heading = doc.styles[name]
        _fonts(heading, HEADING_FONT)
        heading.font.size = Pt(size)
        heading.font.bold = False
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(0)
        heading.paragraph_format.space_after = Pt(LINE_PT / 2)
    _page_number(section)
    return doc


def _title(doc: Any, text: str, size: int = 22) -> None:
    """The title: 方正小标宋 二号, centred, a blank line's space below."""
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.line_spacing = Pt(max(LINE_PT, size * 1.5))
    para.paragraph_format.space_after = Pt(LINE_PT)
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    _fonts(run, TITLE_FONT)


def _red_head(doc: Any, issuer: str) -> None:
    """红头: the issuing body's name in red 小标宋, and a red rule across the type area."""
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.line_spacing = Pt(60)
    para.paragraph_format.space_after = Pt(LINE_PT)
    run = para.add_run(issuer)
    run.font.size = Pt(30 if len(issuer) <= 12 else 24)
    run.font.color.rgb = RED
    _fonts(run, TITLE_FONT)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "8"), ("color", "E00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    para._p.get_or_add_pPr().append(border)


def _para(doc: Any, text: str, *, indent: bool = True) -> Any:
    """A body paragraph, first line indented two characters."""
    para = doc.add_paragraph(text)
    if indent:
        para.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    return para


def _signature(doc: Any, *lines: str) -> None:
    """Issuer and date at the right, four characters in from the margin."""
    for line in lines:
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = Pt(BODY_PT * 2)


def _bytes(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _session_label(p: Proposal) -> str:
    return p.session.label if p.session_id and p.session else ""


def _table(doc: Any, rows: Iterable[tuple[str, str]]) -> None:
    """A two-column form: labels in a narrow bold column, values beside; 四号 text on a looser
    line so each row reads like a printed form."""
    rows = list(rows)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Mm(38), Mm(118))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by; cell widths are for Word
    for i, (k, v) in enumerate(rows):
        table.rows[i].height = Mm(11)
        for j, text in enumerate((k, v)):
            cell = table.cell(i, j)
            cell.width = widths[j]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            cell.text = text
            para = cell.paragraphs[0]
            para.paragraph_format.line_spacing = Pt(22)
            if j == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in para.runs:
                run.font.size = Pt(14)
                run.bold = j == 0


def _co_names(p: Proposal) -> str:
    return "、".join(c.member.name for c in p.co_proposers.all() if c.confirmed)


def proposal_form(p: Proposal) -> bytes:
    """提案表."""
    doc = _doc()
    committee = p.committee
    _title(doc, f"{committee.name}{_session_label(p)}提案")
    doc.add_paragraph(f"提案号：{p.number or '（未立案）'}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _table(doc, [
        ("案由", p.title),
        ("提案人", p.proposer_name),
        ("联名提案人", _co_names(p) or "无"),
        ("提案类型", str(p.get_kind_display())),
        ("类别", str(p.category or "")),
        ("提交时间", f"{clock.written(p.submitted_at)}" if p.submitted_at
         else ""),
        ("建议承办单位", "、".join(u.name for u in p.suggested_units.all()) or "无"),
        ("是否同意公开", "同意" if p.consent_disclosure else f"不同意（{p.nondisclosure_reason}）"),
    ])
    doc.add_paragraph()
    doc.add_heading("提案内容", level=2)
    for line in p.body.splitlines() or [""]:
        _para(doc, line)
    return _bytes(doc)


def assignment_notice(a: Assignment) -> bytes:
    """交办通知单, one per unit."""
    p = a.proposal
    doc = _doc()
    _red_head(doc, f"{p.committee.name}提案委员会")
    _title(doc, "提案交办通知单")
    _table(doc, [
        ("承办单位", a.unit.name),
        ("承办方式", str(a.get_role_display())),
        ("提案号", p.number),
        ("案由", p.title),
        ("提案人", p.proposer_name),
        ("交办日期", f"{clock.written(a.assigned_at)}"),
        ("办理时限", f"{clock.written(a.due_date)}前"),
    ])
    doc.add_paragraph()
    _para(doc, "请按照《政协提案工作条例》的规定认真办理，在办理前与提案人联系沟通，"
               "并在规定时限内书面答复提案人，同时抄送政协提案委员会。")
    for w in a.due_warnings:
        _para(doc, f"注：{w}")
    doc.add_paragraph()
    _signature(doc, f"{p.committee.name}提案委员会",
               f"{clock.written(a.assigned_at)}")
    return _bytes(doc)


def reply_title(p: Proposal, co: bool = False) -> str:
    label = p.session.label if p.session else ""
    return f"关于{label}{p.number}提案的{'会办意见' if co else '答复'}"


_TITLES = ("委员", "代表", "同志", "先生", "女士")
_COURTESY = re.compile(r"^(您好|你好)[!！。，,]?$")
_SENTENCE = re.compile(r"[，,。；;？?]")


def _flat(text: str) -> str:
    """The text with no whitespace (half- or full-width) and half-width punctuation, to compare."""
    return re.sub(r"\s+", "", text).replace("：", ":").replace("！", "!").replace("，", ",")


def _addresses(flat: str, names: list[str]) -> bool:
    """Whether a short head (no sentence inside it) is a salutation to the member(s): "尊敬的…",
    "王建国委员", "王委员", "各位委员们", "王建国委员,您好!"."""
    head = re.sub(r",?(您好|你好)!?$", "", flat)
    if not head or len(head) > 30 or _SENTENCE.search(head):  # noqa: PLR2004
        return False
    if head.startswith(("尊敬的", "亲爱的")):
        return True
    head = head.removesuffix("们")
    for name in filter(None, map(_flat, names)):
        head = head.replace(name, "")
    return head.strip("、") in ("", *_TITLES) or (head.endswith(_TITLES) and len(head) <= 12)  # noqa: PLR2004


def reply_salutation(body: str, names: list[str]) -> tuple[str, list[str]]:
    """Split a unit's reply text into the salutation it opens with ("" when it opens with no
    greeting to the member) and its lines after that salutation, so that the letter greets
    the member once. The unit's salutation is kept as written, ending in a full-width colon."""
    lines = body.strip().splitlines()
    if not lines:
        return "", []
    first, rest = lines[0].strip(), lines[1:]
    colon = re.search(r"[:：]", first)
    if colon and _addresses(_flat(first[:colon.start()]), names):
        after = first[colon.end():].strip()
        return f"{first[:colon.start()].strip()}：", [after, *rest] if after else rest
    if not colon and _addresses(_flat(first), names) and not _COURTESY.match(_flat(first)):
        return first, rest
    return "", lines


def reply_letter(r: Reply, recipient: str = "") -> bytes:
    """答复函: class mark at the top right, title "关于X届X次会议第XXX号提案的答复"."""
    p = r.proposal
    doc = _doc()
    mark = doc.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = mark.add_run(f"{r.result_class}类")
    run.bold = True
    run.font.size = Pt(16)
    _fonts(run, HEADING_FONT)
    _red_head(doc, r.assignment.unit.name)
    _title(doc, reply_title(p), size=22)
    names = [recipient] if recipient else [
        g.proposer_name for g in permissions.group(p) if g.proposer_name]
    own, lines = reply_salutation(r.body, names)
    _para(doc, own or f"{'、'.join(names)}委员：", indent=False)
    if lines and _COURTESY.match(_flat(lines[0])):
        _para(doc, lines.pop(0))  # "您好！" stays right under the salutation
    if not any("收悉" in line for line in lines[:2]):
        _para(doc, f"您提出的《{p.title}》（{p.number}）收悉，现答复如下：")
    for line in lines:
        _para(doc, line)
    labels = policies.class_labels(p.committee)
    _para(doc, f"（答复类别：{r.result_class}类，{labels.get(r.result_class, '')}）")
    doc.add_paragraph()
    when = r.sent_at or r.approved_at or r.drafted_at
    _signature(doc, r.assignment.unit.name, f"{clock.written(when)}")
    doc.add_paragraph()
    _para(doc, f"联系人：{r.contact_person}　联系电话：{r.contact_phone}", indent=False)
    return _bytes(doc)


def feedback_form(p: Proposal) -> bytes:
    """征询意见表."""
    doc = _doc()
    _title(doc, f"{p.committee.name}提案办理情况征询意见表")
    units = "、".join(a.unit.name for a in p.assignments.all() if a.state != "withdrawn")
    _table(doc, [
        ("提案号", p.number), ("案由", p.title), ("提案人", p.proposer_name),
        ("承办单位", units),
        ("办理前是否与您联系", "□ 当面　□ 电话　□ 书面　□ 未联系"),
        ("承办人员态度", "□ 满意　□ 基本满意　□ 不满意"),
        ("是否登门走访", "□ 是　□ 否"),
        ("答复是否具有针对性", "□ 是　□ 否"),
        ("是否同意办理结果", "□ 是　□ 否"),
        ("对办理结果的总体评价", "□ 满意　□ 基本满意　□ 不满意"),
        ("意见和建议", ""),
    ])
    doc.add_paragraph()
    _signature(doc, "提案人（签名）：　　　　　　", "年　　月　　日")
    return _bytes(doc)


def _toc(doc: Any) -> None:
    """A Word table-of-contents field (updated when the file is opened in Word/WPS)."""
    para = doc.add_paragraph()
    run = para.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep):
        run._r.append(el)
    para.add_run("（目录：在 Word 中右键“更新域”可刷新页码）")
    para.add_run()._r.append(end)


def compilation(actor: Actor, session: Session) -> bytes:
    """提案汇编 of a session: a contents list (and a Word TOC field), then every filed proposal."""
    qs = (scoped(actor, Proposal).filter(session=session, serial_number__isnull=False)
          .exclude(status__in=(Status.MERGED,))
          .select_related("category", "proposer", "body_proposer", "session__term")
          .prefetch_related("co_proposers__member").order_by("serial_number"))
    rows = list(qs)
    doc = _doc()
    _title(doc, f"{session.committee.name}{session.label}提案汇编", size=22)
    doc.add_heading("目　录", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _toc(doc)
    for p in rows:
        doc.add_paragraph(f"{p.number}　{p.title}　{p.proposer_name}")
    for p in rows:
        doc.add_page_break()
        _title(doc, f"{p.number}　{p.title}", size=18)
        byline = doc.add_paragraph(f"提案人：{p.proposer_name}" + (
            f"（联名：{_co_names(p)}）" if _co_names(p) else "") + f"　类别：{p.category or ''}")
        byline.alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_paragraph()
        for line in p.body.splitlines():
            _para(doc, line)
    return _bytes(doc)


def export_xlsx(qs: Iterable[Proposal]) -> bytes:
    header = ["提案号", "会次", "案由", "提案人", "类型", "类别", "状态", "承办单位", "重点提案",
              "提交时间"]
    rows = ([p.number, _session_label(p), p.title, p.proposer_name, str(p.get_kind_display()),
             str(p.category or ""), str(p.get_status_display()),
             "、".join(a.unit.name for a in p.assignments.all()),
             "是" if p.is_key else "",
             f"{timezone.localtime(p.submitted_at):%Y-%m-%d}" if p.submitted_at else ""]
            for p in qs)
    return xlsx_bytes(chain([header], rows), title="提案")


# --- the yearly excellent selection (优秀提案) ------------------------------------------------

def excellent_notice(committee: Committee, year: int,
                     rows: Iterable[ExcellentNomination]) -> bytes:
    """通报: the committee's notice of the year's excellent proposals (and units), red head,
    the resolution that decided them, the list, issuer and date."""
    rows = list(rows)
    proposals = [r for r in rows if r.proposal_id]
    units = [r for r in rows if r.unit_id]
    first = rows[0]
    assert first.resolution_date is not None
    day = f"{first.resolution_date:%Y年%m月%d日}"
    doc = _doc()
    _red_head(doc, f"{committee.name}")
    _title(doc, f"关于表彰{year}年度优秀提案" + ("和提案办理先进单位" if units else "") + "的通报")
    _para(doc, "各位委员，各承办单位：", indent=False)
    _para(doc, f"{year}年，广大政协委员和各参加单位围绕中心、服务大局，积极建言献策，"
               "各承办单位认真办理，提案工作取得新成效。经推荐、审核，"
               f"{committee.name}常务委员会议审议决定（{first.resolution_no}，{day}），"
               f"评选出优秀提案{len(proposals)}件"
               + (f"、提案办理先进单位{len(units)}个" if units else "") + "，现予通报表彰。")
    if proposals:
        doc.add_paragraph(f"一、{year}年度优秀提案（{len(proposals)}件）", style="Heading 1")
        for i, r in enumerate(proposals, 1):
            p = r.proposal
            assert p is not None
            _para(doc, f"{i}. {p.number} {p.title}（提案人：{p.proposer_name}）")
    if units:
        doc.add_paragraph(f"二、提案办理先进单位（{len(units)}个）", style="Heading 1")
        _para(doc, "、".join(r.unit.name for r in units if r.unit is not None))
    doc.add_paragraph()
    _para(doc, "希望受到表彰的委员和单位珍惜荣誉、再接再厉，进一步提高提案质量和办理实效。")
    doc.add_paragraph()
    _signature(doc, committee.name, day)
    return _bytes(doc)


def excellent_certificate(r: ExcellentNomination) -> bytes:
    """荣誉证书 for one excellent proposal (to its proposer) or one handling unit."""
    assert r.resolution_date is not None
    doc = _doc()
    doc.add_paragraph()
    _title(doc, "荣 誉 证 书", size=36)
    doc.add_paragraph()
    if r.proposal is not None:
        p = r.proposal
        _para(doc, f"{p.proposer_name}：", indent=False)
        _para(doc, f"您提出的《{p.title}》（{p.number}）被评为{r.year}年度优秀提案，特发此证，"
                   "以资鼓励。")
    else:
        assert r.unit is not None
        _para(doc, f"{r.unit.name}：", indent=False)
        _para(doc, f"被评为{r.year}年度提案办理先进单位，特发此证，以资鼓励。")
    doc.add_paragraph()
    _para(doc, f"依据：{r.resolution_no}")
    doc.add_paragraph()
    _signature(doc, r.committee.name, f"{r.resolution_date:%Y年%m月%d日}")
    return _bytes(doc)
