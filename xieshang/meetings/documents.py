"""Documents of a meeting (.docx): the agenda, an election's ballot paper, the result
announcement (选举结果公告). Built with the activities app's python-docx helpers."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.activities.documents import _docx_base, _save
from xieshang.activities.models import Speech
from xieshang.core import clock
from xieshang.meetings.models import DiscussionGroup, Election, Meeting
from xieshang.members.models import Member


def agenda_docx(meeting: Meeting) -> bytes:
    doc = _docx_base(_("%(t)s — agenda") % {"t": meeting.title})
    a = meeting.activity
    doc.add_paragraph(_("Time: %(s)s   Place: %(p)s") % {
        "s": timezone.localtime(a.start).strftime("%Y-%m-%d %H:%M"), "p": a.place or "—"})
    for n, item in enumerate(meeting.items.all(), start=1):
        when = f"（{timezone.localtime(item.starts_at):%H:%M}）" if item.starts_at else ""
        doc.add_paragraph(f"{n}. {item.title}{when}")
    return _save(doc)


def speeches_docx(meeting: Meeting, speeches: Iterable[Speech]) -> bytes:
    """The written speeches (书面发言) of the meeting compiled in one document: the oral ones
    first, in the order of the list of speakers, then the others as submitted."""
    doc = _docx_base(_("%(t)s — speeches") % {"t": meeting.title})
    for n, speech in enumerate(speeches, start=1):
        head = doc.add_paragraph()
        run = head.add_run(f"{n}. {speech.title}")
        run.bold = True
        doc.add_paragraph(speech.member.name)
        for para in speech.text.splitlines():
            if para.strip():
                doc.add_paragraph(para.strip())
    return _save(doc)


def ballot_docx(election: Election) -> bytes:
    """The paper ballot: per position the candidates with a box each and blank lines to write
    in names; the rule printed on it."""
    doc = _docx_base(_("%(t)s — ballot") % {"t": election.title})
    for position in election.positions.prefetch_related("candidates"):
        doc.add_paragraph(_("%(p)s (%(n)s to elect; mark at most %(n)s names, a ballot with "
                            "more is invalid)") % {"p": position.name, "n": position.seats})
        candidates = list(position.candidates.all())
        table = doc.add_table(rows=2, cols=len(candidates) + position.seats)
        table.style = "Table Grid"
        for i, c in enumerate(candidates):
            table.cell(0, i).text = c.name
        for j in range(position.seats):
            table.cell(0, len(candidates) + j).text = _("(write in)")
    doc.add_paragraph(_("Mark ○ in the box under a name you vote for; write in another name in "
                        "the blank boxes."))
    return _save(doc)


def result_docx(election: Election) -> bytes:
    """选举结果公告: per position the ballots, the valid and invalid, each name's votes, the
    elected and the runoff, if any."""
    doc = _docx_base(_("Announcement of the election result"))
    doc.add_paragraph(_("%(t)s was held on %(d)s. Members of the body: %(total)s; present: "
                        "%(present)s; ballots cast: %(b)s.") % {
        "t": election.title,
        "d": timezone.localtime(election.closed_at or clock.now()).strftime("%Y年%m月%d日"),
        "total": election.members_total, "present": election.present, "b": election.ballots})
    for r in election.result.get("positions", []):
        doc.add_paragraph(_("%(p)s: %(s)s seats; %(v)s valid and %(i)s invalid ballots.")
                          % {"p": r["position"], "s": r["seats"], "v": r["valid"],
                             "i": r["invalid"]})
        for name, votes, written in r["votes"]:
            mark = _(" (written in)") if written else ""
            doc.add_paragraph(_("%(n)s%(w)s: %(v)s votes") % {"n": name, "w": mark, "v": votes})
        if r["elected"]:
            doc.add_paragraph(_("Elected: %(names)s") % {"names": "、".join(r["elected"])})
        if r["runoff_seats"]:
            doc.add_paragraph(_("%(s)s seat(s) not filled: a runoff is needed among %(names)s.")
                              % {"s": r["runoff_seats"],
                                 "names": "、".join(r["runoff_names"]) or _("new nominees")})
    for runoff in election.runoffs.all():
        doc.add_paragraph(_("The seats left empty are filled by a runoff: %(t)s.")
                          % {"t": runoff.title})
    doc.add_paragraph(_("Record digest: %(d)s") % {"d": election.digest})
    return _save(doc)


def groups_docx(meeting: Meeting, groups: Iterable[DiscussionGroup],
                ungrouped: Iterable[Member]) -> bytes:
    """分组讨论名单: per group its venue, time, convener, sectors and members (name, sector);
    then the members not placed in any group."""
    doc = _docx_base(_("%(t)s — discussion groups") % {"t": meeting.title})
    for group in groups:
        head = doc.add_paragraph()
        head.add_run(group.name).bold = True
        when = (timezone.localtime(group.starts_at).strftime("%Y-%m-%d %H:%M")
                if group.starts_at else "—")
        doc.add_paragraph(_("Venue: %(v)s   Time: %(t)s   Convener: %(c)s") % {
            "v": group.venue or "—", "t": when,
            "c": group.convener.name if group.convener else "—"})
        sectors = "、".join(s.name for s in group.sectors.all())
        if sectors:
            doc.add_paragraph(_("Sectors: %(s)s") % {"s": sectors})
        placed: list[Member] = getattr(group, "placed", [])
        doc.add_paragraph(_("Members (%(n)s): %(names)s") % {
            "n": len(placed), "names": "、".join(m.name for m in placed) or "—"})
    rest = list(ungrouped)
    if rest:
        head = doc.add_paragraph()
        head.add_run(_("Not in a group")).bold = True
        doc.add_paragraph("、".join(m.name for m in rest))
    return _save(doc)
