"""PDFs in the layout of official papers, with nothing installed on the server.

reportlab with its built-in Adobe CID font ``STSong-Light``: no system font, no LibreOffice, a
few kilobytes a file; every PDF reader ships or substitutes the Adobe Chinese (Simplified)
fonts. (WeasyPrint would need a Debian CJK font and seconds per page — DESIGN.md.) Every PDF
the platform offers is built here: the duty record (``duties/documents.py``) and the 社情民意
bulletin (``opinions/documents.py``).

``OfficialPdf`` collects flowables — a red masthead, the issue line, a red rule, headings,
body paragraphs indented by two characters, tables, right-aligned signatures — and ``build()``
lays them out on A4 with the page number and an optional footer line on every page.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "STSong-Light"
PDF = "application/pdf"
RED = colors.HexColor("#C00000")
MARGIN = 20 * mm
WIDTH = A4[0] - 2 * MARGIN


def font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


class OfficialPdf:
    """One document, built flowable by flowable."""

    def __init__(self, *, title: str, author: str = "", subject: str = "",
                 footer: str = "") -> None:
        name = font()
        self.title, self.author, self.subject, self.footer = title, author, subject, footer
        self.story: list[Any] = []
        self.body = ParagraphStyle("body", fontName=name, fontSize=12, leading=21,
                                   wordWrap="CJK", firstLineIndent=24)
        self.plain = ParagraphStyle("plain", parent=self.body, firstLineIndent=0)
        self.small = ParagraphStyle("small", parent=self.plain, fontSize=10.5, leading=16)
        self.masthead_style = ParagraphStyle("masthead", parent=self.plain, fontSize=36,
                                             leading=46, alignment=TA_CENTER, textColor=RED)
        self.title_style = ParagraphStyle("title", parent=self.plain, fontSize=18, leading=28,
                                          alignment=TA_CENTER, spaceBefore=8, spaceAfter=6)
        self.centered = ParagraphStyle("centered", parent=self.plain, alignment=TA_CENTER,
                                       spaceAfter=6)
        self.heading_style = ParagraphStyle("heading", parent=self.plain, fontSize=14,
                                            leading=22, spaceBefore=10, spaceAfter=4)
        self.right_style = ParagraphStyle("right", parent=self.plain, alignment=TA_RIGHT)

    # --- flowables ----------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.story.append(Paragraph(escape(text), style or self.body))

    def paragraphs(self, text: str, *, first_label: str = "") -> None:
        """Each non-empty line of ``text`` as an indented paragraph (the first labelled)."""
        label = first_label
        for line in (s.strip() for s in text.split("\n")):
            if line:
                self.para(f"{label}{line}")
                label = ""

    def masthead(self, text: str) -> None:
        self.para(text, self.masthead_style)

    def doc_title(self, text: str) -> None:
        self.para(text, self.title_style)

    def centered_line(self, text: str) -> None:
        self.para(text, self.centered)

    def heading(self, text: str) -> None:
        self.para(text, self.heading_style)

    def right(self, text: str) -> None:
        self.para(text, self.right_style)

    def left_right(self, left: str, right: str) -> None:
        """One line with text at both margins (the issuer and the date under a masthead)."""
        table = Table([[Paragraph(escape(left), self.plain),
                        Paragraph(escape(right), self.right_style)]],
                      colWidths=[WIDTH * 0.6, WIDTH * 0.4])
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self.story.append(table)

    def rule(self, *, red: bool = True, thickness: float = 1.5) -> None:
        self.story.append(HRFlowable(width="100%", thickness=thickness,
                                     color=RED if red else colors.black, spaceBefore=2,
                                     spaceAfter=8))

    def space(self, points: float = 6) -> None:
        self.story.append(Spacer(1, points))

    def table(self, rows: list[list[str]], widths: list[float], *, header: bool = False
              ) -> None:
        """A grid; ``widths`` are shares of the text width."""
        grid = Table([[Paragraph(escape(c), self.small) for c in row] for row in rows],
                     colWidths=[w * WIDTH for w in widths], repeatRows=1 if header else 0)
        commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
        grid.setStyle(TableStyle(commands))
        self.story.append(grid)

    # --- the file -----------------------------------------------------------------------

    def _page(self, canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        bottom = MARGIN / 2
        if self.footer:
            canvas.drawCentredString(A4[0] / 2, bottom + 11, self.footer)
        canvas.drawCentredString(A4[0] / 2, bottom, f"— {document.page} —")
        canvas.restoreState()

    def build(self) -> bytes:
        out = io.BytesIO()
        document = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                     topMargin=MARGIN, bottomMargin=MARGIN, title=self.title,
                                     author=self.author, subject=self.subject)
        document.build(self.story or [Spacer(1, 1)], onFirstPage=self._page,
                       onLaterPages=self._page)
        return out.getvalue()
