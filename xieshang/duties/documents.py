"""The printable duty record of a member for a year or a term: .docx and PDF.

Both documents are built from one ``RecordDoc`` (what the record says), so the Word file and the
PDF always show the same figures. The documents are official papers and therefore in Chinese,
like the labels of the facts themselves.

PDF: ``core.pdf`` (reportlab and its built-in Chinese font: nothing to install on the server).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xieshang.core import clock
from xieshang.core.models import Term
from xieshang.core.pdf import OfficialPdf
from xieshang.duties.facts import Fact, collect, known_kinds
from xieshang.duties.models import Score, ScoreLine
from xieshang.duties.selectors import kind_label
from xieshang.members.models import Member

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"

# Sections of the record, by the first part of a fact's kind, in the order of the work report.
SECTIONS = (
    ("proposal", "一、提案工作"),
    ("opinion", "二、社情民意信息"),
    ("activity", "三、参加会议和活动"),
    ("speech", "四、会议发言"),
    ("suggestion", "五、意见建议"),
    ("manual", "六、其他履职事项"),
)


@dataclass
class Section:
    title: str
    counts: list[tuple[str, int]]
    items: list[Fact]


@dataclass
class YearScore:
    year: int
    total: Decimal | None
    band: str
    lines: list[ScoreLine] = field(default_factory=list)


@dataclass
class RecordDoc:
    member: Member
    committee_name: str
    period_label: str
    start: dt.date
    end: dt.date
    sections: list[Section]
    scores: list[YearScore]

    @property
    def sector(self) -> str:
        return self.member.sector.name if self.member.sector_id and self.member.sector else ""

    @property
    def filename(self) -> str:
        return f"duty-record-{self.member.pk}-{self.start:%Y}-{self.end:%Y}"


def year_period(year: int) -> tuple[dt.date, dt.date, str]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年度"


def term_period(term: Term) -> tuple[dt.date, dt.date, str]:
    end = term.end_date or dt.date(term.start_date.year + 4, 12, 31)
    return term.start_date, end, (f"第{term.label}届（{term.start_date.year}—{end.year}年）")


def build(member: Member, start: dt.date, end: dt.date, period_label: str) -> RecordDoc:
    labels = known_kinds()
    facts = collect(member.committee_id, start, end, {member.id})
    sections = []
    known = {prefix for prefix, _title in SECTIONS}
    for prefix, title in (*SECTIONS, ("", "七、其他")):
        items = [f for f in facts if _prefix(f.kind) == prefix
                 or (prefix == "" and _prefix(f.kind) not in known)]
        if not items:
            continue
        counts: dict[str, int] = {}
        for fact in items:
            label = kind_label(fact.kind, labels)
            counts[label] = counts.get(label, 0) + 1
        sections.append(Section(title, list(counts.items()), items))
    years = range(start.year, end.year + 1)
    scores = {s.year: s for s in Score.objects.filter(member=member, year__in=list(years))}
    lines: dict[int, list[ScoreLine]] = {}
    for line in ScoreLine.objects.filter(member=member, year__in=list(years)).select_related(
            "rule").order_by("year", "date", "id"):
        lines.setdefault(line.year, []).append(line)
    year_scores = [YearScore(y, scores[y].total if y in scores else None,
                             scores[y].band if y in scores else "", lines.get(y, []))
                   for y in years if y in scores or y in lines]
    return RecordDoc(member=member, committee_name=member.committee.name,
                     period_label=period_label, start=start, end=end, sections=sections,
                     scores=year_scores)


def _prefix(kind: str) -> str:
    return kind.split(":", maxsplit=1)[0].split(".", maxsplit=1)[0]


def _points(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value.normalize():f}"
    return text


def _head_rows(doc: RecordDoc) -> list[tuple[str, str]]:
    return [("委员姓名", doc.member.name), ("界别", doc.sector or "—"),
            ("工作单位及职务", doc.member.workplace or "—"),
            ("期间", f"{doc.period_label}（{doc.start:%Y-%m-%d}至{doc.end:%Y-%m-%d}）")]


def _title(doc: RecordDoc) -> str:
    return f"{doc.committee_name}委员履职档案"


def _line_rule(line: ScoreLine) -> str:
    label = line.rule.label if line.rule is not None else line.kind
    return label + ("（已达上限）" if line.capped else "")


# --- Word ------------------------------------------------------------------------------------

def to_docx(doc: RecordDoc) -> bytes:
    # python-docx and reportlab are loaded on the first document, not by every process.
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    word: Any = Document()
    style = word.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    def heading(text: str, size: int, center: bool = False, font: str = "黑体") -> None:
        para = word.add_paragraph()
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
        run.font.name = font
        run._element.rPr.rFonts.set(qn("w:eastAsia"), font)

    def table(rows: list[list[str]], header: bool = False) -> None:
        grid = word.add_table(rows=len(rows), cols=len(rows[0]))
        grid.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = grid.cell(i, j)
                cell.text = value
                if header and i == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True

    heading(_title(doc), 18, center=True, font=TITLE_FONT)
    sub = word.add_paragraph(doc.period_label)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table([[k, v] for k, v in _head_rows(doc)])
    if not doc.sections:
        word.add_paragraph("本期间暂无履职记录。")
    for section in doc.sections:
        heading(section.title, 14)
        table([["类别", "数量"], *[[label, str(n)] for label, n in section.counts]],
              header=True)
        for fact in section.items:
            word.add_paragraph(f"{fact.date:%Y-%m-%d}　{fact.label}", style="List Bullet")
    heading("履职积分", 14)
    if not doc.scores:
        word.add_paragraph("本期间尚未计算积分。")
    for ys in doc.scores:
        band = f"，等次：{ys.band}" if ys.band else ""
        word.add_paragraph(f"{ys.year}年度得分：{_points(ys.total)}分{band}")
        if ys.lines:
            table([["日期", "记录", "规则", "分值"],
                   *[[f"{line.date:%Y-%m-%d}", line.label, _line_rule(line),
                      _points(line.points)] for line in ys.lines]], header=True)
    foot = word.add_paragraph(f"{doc.committee_name}　{clock.written(clock.today())}打印")
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------

def to_pdf(doc: RecordDoc) -> bytes:
    """The same record as the Word file, laid out by core.pdf (no fonts to install)."""
    pdf = OfficialPdf(title=_title(doc), author=doc.committee_name, subject=doc.member.name,
                      footer=doc.committee_name)
    pdf.doc_title(_title(doc))
    pdf.centered_line(doc.period_label)
    pdf.table([[k, v] for k, v in _head_rows(doc)], [0.25, 0.75])
    if not doc.sections:
        pdf.para("本期间暂无履职记录。", pdf.plain)
    for section in doc.sections:
        pdf.heading(section.title)
        pdf.table([["类别", "数量"], *[[label, str(n)] for label, n in section.counts]],
                  [0.75, 0.25], header=True)
        pdf.space(4)
        for n, fact in enumerate(section.items, 1):
            pdf.para(f"（{n}）{fact.date:%Y-%m-%d}　{fact.label}", pdf.small)
    pdf.heading("履职积分")
    if not doc.scores:
        pdf.para("本期间尚未计算积分。", pdf.plain)
    for ys in doc.scores:
        band = f"，等次：{ys.band}" if ys.band else ""
        pdf.para(f"{ys.year}年度得分：{_points(ys.total)}分{band}", pdf.plain)
        if ys.lines:
            pdf.table([["日期", "记录", "规则", "分值"],
                       *[[f"{line.date:%Y-%m-%d}", line.label, _line_rule(line),
                          _points(line.points)] for line in ys.lines]],
                      [0.16, 0.48, 0.26, 0.10], header=True)
    pdf.space(12)
    pdf.right(f"{doc.committee_name}　{clock.written(clock.today())}打印")
    return pdf.build()
