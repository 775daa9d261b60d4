"""Files made from activities: Excel lists, the .docx notice and sign-in sheet, the QR code."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xieshang.activities.models import Activity, Invitation, Suggestion
from xieshang.core import clock
from xieshang.core.files import xlsx_bytes


def _local(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
    return str(value)


def activities_xlsx(activities: Iterable[Activity]) -> bytes:
    header = [
        _("Type"),
        pgettext("activities", "Title"),
        _("Starts"),
        _("Ends"),
        _("Place"),
        _("Organiser"),
        _("Status"),
        _("Invited"),
        _("Present"),
    ]
    rows = []
    for a in activities:
        organiser = a.special_committee or a.group or a.get_organiser_display()
        rows.append([a.type.label, a.title, _local(a.start), _local(a.end), a.place,
                     str(organiser), a.get_status_display(), getattr(a, "n_invited", ""),
                     getattr(a, "n_present", "")])
    return xlsx_bytes([header, *rows], title=_("Activities"), widths=[18] * len(header))


def ledger_xlsx(items: Iterable[Suggestion]) -> bytes:
    header = [
        _("Activity"),
        _("Type"),
        _("Suggestion"),
        _("Sent to"),
        pgettext("activities", "Sent on"),
        _("Feedback due"),
        pgettext("activities", "Feedback"),
        pgettext("activities", "Adopted"),
        _("Follow-up"),
        _("Status"),
    ]
    rows = [[s.activity.title, s.activity.type.label, s.text, s.recipient, _local(s.sent_on),
             _local(s.deadline), s.feedback, s.get_adoption_display() if s.adoption else "",
             s.follow_up, s.get_status_display()] for s in items]
    return xlsx_bytes([header, *rows], title=_("Suggestion ledger"),
                      widths=[18] * len(header))


def _docx_base(title: str) -> Any:
    # python-docx (and lxml) are loaded on the first document, not by every process.
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    style.font.size = Pt(14)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title)
    run.bold = True
    run.font.size = Pt(20)
    return doc


def _save(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def notice_docx(activity: Activity) -> bytes:
    """关于召开/举办…的通知."""
    committee = activity.committee
    doc = _docx_base(_("Notice on %(title)s") % {"title": activity.title})
    doc.add_paragraph(_("To the members invited:"))
    start = timezone.localtime(activity.start)
    doc.add_paragraph(
        _("%(committee)s will hold “%(title)s” (%(type)s). The arrangements are as follows:")
        % {"committee": committee.name, "title": activity.title, "type": activity.type.label})
    doc.add_paragraph(_("1. Time: %(start)s to %(end)s") % {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(activity.end).strftime("%Y-%m-%d %H:%M")})
    doc.add_paragraph(_("2. Place: %(place)s") % {"place": activity.place or "—"})
    if activity.topic:
        doc.add_paragraph(_("3. Topic: %(topic)s") % {"topic": activity.topic})
    if activity.description:
        doc.add_paragraph(activity.description)
    doc.add_paragraph(_("Please confirm on the platform, or ask for leave with the reason, "
                        "before the activity."))
    names = "、".join(i.member.name for i in activity.invitations.select_related("member"))
    if names:
        doc.add_paragraph(_("Invited: %(names)s") % {"names": names})
    sign = doc.add_paragraph(f"{committee.name}\n{clock.written(clock.today())}")
    sign.alignment = 2  # right
    return _save(doc)


def sign_in_sheet_docx(activity: Activity) -> bytes:
    """签到表: one row per invited member, with the attendance recorded so far."""
    doc = _docx_base(_("Sign-in sheet"))
    start = timezone.localtime(activity.start)
    doc.add_paragraph(f"{activity.title}    {start:%Y-%m-%d %H:%M}    {activity.place}")
    invitations = list(activity.invitations.select_related("member__sector")
                       .order_by("member__name", "id"))
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            pgettext("activities", "No."),
            _("Name"),
            _("Sector"),
            _("Leave / attendance"),
            _("Signature"),
        ],
        strict=True,
    ):
        cell.text = text
    for n, inv in enumerate(invitations, start=1):
        cells = table.add_row().cells
        note = ""
        if inv.status == Invitation.Status.LEAVE_APPROVED:
            note = _("On leave")
        elif inv.attendance:
            note = inv.get_attendance_display()
        cells[0].text = str(n)
        cells[1].text = inv.member.name
        cells[2].text = inv.member.sector.name if inv.member.sector else ""
        cells[3].text = note
        cells[4].text = ""
    return _save(doc)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG (made here; no external service)."""
    import segno  # loaded when a QR code is drawn, not by every web process

    qr = segno.make(url, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
            title=_("Sign-in code"))
    return buf.getvalue().decode()
