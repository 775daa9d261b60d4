"""Documents: the bulletin as .docx (red-header internal publication) and PDF, and Excel lists."""

from __future__ import annotations

import io
from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from xieshang.core import clock
from xieshang.core.files import xlsx_bytes
from xieshang.core.numerals import chinese_number
from xieshang.core.pdf import OfficialPdf
from xieshang.opinions.models import Bulletin, OpinionReport

RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run: Any, size: float, *, bold: bool = False, red: bool = False,
          family: str = "宋体") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = family
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), family)
    if red:
        run.font.color.rgb = RED


def _rule(paragraph: Any, color: str = "C00000", size: int = 18) -> None:
    """A red rule under the masthead (a bottom border of the paragraph)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"),
                       ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def bulletin_docx(bulletin: Bulletin, reports: Iterable[OpinionReport]) -> bytes:
    doc = Document()
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run("社情民意"), 42, bold=True, red=True, family="方正小标宋简体")
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(f"{bulletin.year}年第{bulletin.number}期"), 16)
    meta = doc.add_paragraph()
    committee = bulletin.committee
    published = bulletin.published_at or clock.now()
    date = timezone.localtime(published).date()
    _font(meta.add_run(f"{committee.name}办公室编"), 14)
    meta.add_run("\t\t\t")
    _font(meta.add_run(f"{date.year}年{date.month}月{date.day}日"), 14)
    _rule(meta)
    if bulletin.kind == Bulletin.Kind.DIGEST:
        reports = list(reports)
        intro = doc.add_paragraph()
        _font(intro.add_run(f"本期要目（共{chinese_number(len(reports))}篇）"), 14, bold=True)
        for i, report in enumerate(reports, 1):
            _font(doc.add_paragraph().add_run(f"{i}. {report.title}"), 12)
    for report in reports:
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(title.add_run(report.title), 18, bold=True, family="黑体")
        for label, text in (("", report.situation), ("", report.analysis),
                            ("建议：", report.suggestion), ("", report.body)):
            for para in (p for p in text.split("\n") if p.strip()):
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(28)
                _font(p.add_run(f"{label}{para.strip()}" if label else para.strip()), 14,
                      family="仿宋")
                label = ""
        source = doc.add_paragraph()
        source.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(source.add_run(f"（{report.author_name}）"), 12, family="楷体")
    footer = doc.add_paragraph()
    _rule(footer, color="000000", size=6)
    _font(footer.add_run(f"报送：{bulletin.recipients or '—'}"), 12)
    sign = doc.add_paragraph()
    _font(sign.add_run(f"编辑：{bulletin.editor_name}"), 12)
    sec = doc.sections[0]
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(foot.add_run(f"{committee.name} · {bulletin.label} · 内部资料 注意保存"), 9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def bulletin_pdf(bulletin: Bulletin, reports: Iterable[OpinionReport]) -> bytes:
    """The bulletin as a PDF in the same layout as the Word file (core.pdf: no LibreOffice)."""
    committee = bulletin.committee
    published = bulletin.published_at or clock.now()
    date = timezone.localtime(published).date()
    pdf = OfficialPdf(title=f"社情民意 {bulletin.year}年第{bulletin.number}期",
                      author=f"{committee.name}办公室",
                      footer=f"{committee.name} · {bulletin.label} · 内部资料 注意保存")
    pdf.masthead("社情民意")
    pdf.centered_line(f"{bulletin.year}年第{bulletin.number}期")
    pdf.left_right(f"{committee.name}办公室编", f"{date.year}年{date.month}月{date.day}日")
    pdf.rule()
    reports = list(reports)
    if bulletin.kind == Bulletin.Kind.DIGEST:
        pdf.heading(f"本期要目（共{chinese_number(len(reports))}篇）")
        for i, report in enumerate(reports, 1):
            pdf.para(f"{i}. {report.title}", pdf.plain)
    for report in reports:
        pdf.doc_title(report.title)
        pdf.paragraphs(report.situation)
        pdf.paragraphs(report.analysis)
        pdf.paragraphs(report.suggestion, first_label="建议：")
        pdf.paragraphs(report.body)
        pdf.right(f"（{report.author_name}）")
    pdf.space(12)
    pdf.rule(red=False, thickness=0.5)
    pdf.para(f"报送：{bulletin.recipients or '—'}", pdf.plain)
    pdf.para(f"编辑：{bulletin.editor_name}", pdf.plain)
    return pdf.build()


def reports_xlsx(reports: Iterable[OpinionReport]) -> bytes:
    header = [
        pgettext("opinions", "No."),
        pgettext("opinions", "Title"),
        _("Author"),
        _("Sector"),
        _("Category"),
        _("Status"),
        _("Submitted at"),
        _("Reported by committee"),
        _("Length"),
    ]
    rows = ([r.pk, r.title, r.author_name, r.sector.name if r.sector else "",
             r.get_category_display(), r.get_status_display(),
             timezone.localtime(r.submitted_at).strftime("%Y-%m-%d"),
             r.source_committee.name if r.source_committee else "", r.length]
            for r in reports)
    return xlsx_bytes(chain([header], rows), title="社情民意",
                      widths=(8, 40, 24, 14, 16, 12, 12, 18, 8))
