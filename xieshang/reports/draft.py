"""The first draft of the committee's work report (.docx), written from the figures.

The structure follows a real county committee's term report (reference/000_…txt): political
leadership and learning, consultation, research and inspection, serving the people,
self-building. Each sentence appears only when its figures exist; staff then edit the draft.
The document is Chinese whatever the user's language: it is an official text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xieshang.core import clock
from xieshang.core.figures import Figure, Scope
from xieshang.core.numerals import chinese_number


class Facts:
    """What a sentence reads: ``g("key")`` is a figure's value (None when the figure does not
    exist); ``g.detail(key, name)`` a list from its detail; ``g.starting(prefix)`` the figures
    whose key starts with the prefix (the categories, say), largest first."""

    def __init__(self, figures: dict[str, Figure]) -> None:
        self.figures = figures
        self.read: set[str] = set()  # the keys the sentences read (their 统计口径 is appended)

    def __call__(self, key: str) -> int | float | None:
        self.read.add(key)
        figure = self.figures.get(key)
        return None if figure is None else figure.value

    def detail(self, key: str, name: str) -> list[Any]:
        figure = self.figures.get(key)
        found = figure.detail.get(name) if figure is not None else None
        return list(found) if isinstance(found, list) else []

    def starting(self, prefix: str) -> list[tuple[str, int | float]]:
        rows = [(k[len(prefix):], f.value) for k, f in self.figures.items()
                if k.startswith(prefix) and f.value]
        return sorted(rows, key=lambda r: (-r[1], r[0]))


Sentence = Callable[[Facts], str | None]


def _n(v: int | float | None) -> str:
    if v is None:
        return "0"
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def _need(get: Facts, *keys: str) -> bool:
    return all(get(k) is not None for k in keys)


SECTIONS: list[tuple[str, list[Sentence]]] = [
    ("坚持党的领导，在强化政治引领上持续用力", [
        lambda g: (f"充分发挥政协党组的领导核心作用，共召开党组会议{_n(g('activities.party_group_meetings'))}次。"
                   if _need(g, "activities.party_group_meetings") else None),
        lambda g: (f"开展学习研讨活动{_n(g('activities.learning_sessions'))}次，举办学习专题培训班"
                   f"{_n(g('activities.training_courses'))}期，对政协委员的覆盖面达"
                   f"{_n(g('activities.learning_coverage'))}%。"
                   if _need(g, "activities.learning_sessions", "activities.training_courses")
                   else None),
    ]),
    ("坚守主责主业，在推进协商民主上担当政协使命", [
        lambda g: (f"组织召开全体会议{_n(g('activities.plenaries'))}次，对政府工作报告和其他工作报告提出意见和建议。"
                   if _need(g, "activities.plenaries") else None),
        lambda g: (f"召开常委会议{_n(g('activities.standing_meetings'))}次，开展专题协商"
                   f"{_n(g('activities.thematic_consultations'))}次。"
                   if _need(g, "activities.standing_meetings") else None),
        lambda g: (f"全体会议和常委会议共进行表决{_n(g('meetings.polls'))}项、选举"
                   f"{_n(g('meetings.elections'))}次，安排大会发言{_n(g('meetings.oral_speeches'))}人次。"
                   if g("meetings.polls") or g("meetings.elections") or g("meetings.oral_speeches")
                   else None),
        lambda g: (f"主席会议及各专门委员会与{_n(g('activities.counterpart_departments'))}个相关部门开展对口协商"
                   f"{_n(g('activities.counterpart_consultations'))}次。"
                   if _need(g, "activities.counterpart_consultations") else None),
        lambda g: (f"开展界别协商{_n(g('activities.sector_consultations'))}次、提案办理协商"
                   f"{_n(g('activities.proposal_consultations'))}次、“有事好商量”基层协商"
                   f"{_n(g('activities.grassroots_consultations'))}次。"
                   if _need(g, "activities.sector_consultations") else None),
    ]),
    ("深入调研视察，在破解发展难题上贡献政协智慧", [
        lambda g: (f"围绕全县经济社会发展的重点问题，开展专题调研{_n(g('activities.research_topics'))}个方面，"
                   f"开展界别调研活动{_n(g('activities.sector_research'))}次。"
                   if _need(g, "activities.research_topics") else None),
        lambda g: (f"重点视察{_n(g('activities.inspections'))}项工作，提出意见建议"
                   f"{_n(g('activities.inspection_suggestions'))}条。"
                   if _need(g, "activities.inspections") else None),
        lambda g: (f"召开政协委员座谈会{_n(g('activities.forums'))}次，组织专题交流研讨活动"
                   f"{_n(g('activities.seminars'))}次，提出意见和建议"
                   f"{_n(g('activities.forum_seminar_suggestions'))}条。"
                   if _need(g, "activities.forums", "activities.seminars") else None),
        lambda g: (f"开展民主监督活动{_n(g('activities.supervisions'))}次。"
                   if g("activities.supervisions") else None),
    ]),
    ("坚持履职为民，在促进民生改善上展现政协情怀", [
        lambda g: (f"共收到提案{_n(g('proposals.submitted'))}件，经审查立案{_n(g('proposals.filed'))}件，"
                   f"立案率{_n(g('proposals.filing_rate'))}%；已办复{_n(g('proposals.replied'))}件，"
                   f"按期办复率{_n(g('proposals.on_time_rate'))}%，委员满意和基本满意率"
                   f"{_n(g('proposals.satisfied_rate'))}%。"
                   if _need(g, "proposals.submitted", "proposals.filed") else None),
        lambda g: (f"遴选重点提案{_n(g('proposals.key'))}件，评选优秀提案{_n(g('proposals.excellent'))}件。"
                   if g("proposals.key") or g("proposals.excellent") else None),
        lambda g: (f"共收到社情民意信息{_n(g('opinions.submitted'))}篇，累计向上级政协报送"
                   f"{_n(g('opinions.reported_up'))}篇；被采用{_n(g('opinions.adopted'))}篇，其中被上级政协采用"
                   f"{_n(g('opinions.adopted_upper'))}篇，获领导批示{_n(g('opinions.instructions'))}篇。"
                   if _need(g, "opinions.submitted") else None),
        lambda g: (f"依托{_n(g('participation.studios'))}个委员工作室开展接待群众、走访等活动"
                   f"{_n(g('participation.studio_events'))}次，接待群众{_n(g('participation.studio_residents'))}人次，"
                   f"收集问题{_n(g('participation.studio_problems'))}个，已获答复"
                   f"{_n(g('participation.studio_problems_answered'))}个。"
                   if g("participation.studio_events") else None),
        lambda g: (f"开设网络议政室{_n(g('participation.rooms'))}个，委员和各方发言"
                   f"{_n(g('participation.room_posts'))}条，形成意见建议"
                   f"{_n(g('participation.room_suggestions'))}条；发布问卷"
                   f"{_n(g('participation.surveys'))}份，收回{_n(g('participation.survey_responses'))}份。"
                   if g("participation.rooms") or g("participation.surveys") else None),
        lambda g: (f"开展走访慰问{_n(g('activities.visits'))}次、志愿服务"
                   f"{_n(g('activities.volunteer_services'))}次。"
                   if _need(g, "activities.visits") else None),
    ]),
    ("夯实履职基础，在加强自身建设上树立政协形象", [
        lambda g: (f"举办{_n(g('activities.cultural_events'))}项文化活动。"
                   if _need(g, "activities.cultural_events") else None),
        lambda g: (f"现有委员{_n(g('members.serving'))}名，其中常委{_n(g('members.standing'))}名。"
                   if _need(g, "members.serving") else None),
        lambda g: (f"委员履职平均得分{_n(g('duties.average_score'))}分。"
                   if g("duties.average_score") else None),
    ]),
]


BODY_KINDS = [("party", "民主党派"), ("organisation", "人民团体"), ("sector_group", "界别"),
              ("special_committee", "专门委员会")]


def _bodies(g: Facts) -> str | None:
    parts = [f"{label}{_n(g(f'proposals.body.{kind}'))}件" for kind, label in BODY_KINDS
             if g(f"proposals.body.{kind}")]
    return f"集体提案中，{'、'.join(parts)}。" if parts else None


def _categories(g: Facts) -> str | None:
    rows = g.starting("proposals.category.")
    if not rows:
        return None
    return "按内容分，" + "、".join(f"{name}类{_n(n)}件" for name, n in rows) + "。"


def _top_units(g: Facts) -> str | None:
    units = [u for u in g.detail("units.top", "units") if u.get("proposals")]
    if not units:
        return None
    return ("承办提案较多的单位有：" + "、".join(f"{u['name']}（{u['proposals']}件）"
                                               for u in units) + "。")


def _key_examples(g: Facts) -> str | None:
    titles = g.detail("proposals.key", "titles")
    if not titles:
        return None
    return "重点提案包括" + "、".join(f"《{t}》" for t in titles) + ("等。" if len(titles) > 1
                                                                   else "。")


PROPOSAL_SECTIONS: list[tuple[str, list[Sentence]]] = [
    ("提案提交和审查立案情况", [
        lambda g: (f"本期共收到委员和各参加单位、界别、专门委员会提交的提案{_n(g('proposals.submitted'))}件，"
                   f"经审查立案{_n(g('proposals.filed'))}件，立案率{_n(g('proposals.filing_rate'))}%。"
                   if _need(g, "proposals.submitted", "proposals.filed") else None),
        lambda g: (f"其中委员个人和联名提案{_n(g('proposals.members'))}件，党派、团体、界别和专门委员会"
                   f"集体提案{_n(g('proposals.collective'))}件。"
                   if _need(g, "proposals.members", "proposals.collective") else None),
        _bodies,
        _categories,
        lambda g: (f"对内容相近的提案作并案处理{_n(g('proposals.merged'))}件，不予立案"
                   f"{_n(g('proposals.not_filed'))}件，转为其他形式办理{_n(g('proposals.converted'))}件。"
                   if _need(g, "proposals.merged", "proposals.not_filed") else None),
    ]),
    ("提案交办和办理情况", [
        lambda g: (f"立案提案交由{_n(g('units.with_parts'))}个承办单位办理，共交办"
                   f"{_n(g('units.assigned'))}件次，按时签收率{_n(g('units.signed_on_time_rate'))}%。"
                   if g("units.assigned") else None),
        lambda g: (f"已办复{_n(g('proposals.replied'))}件，按期办复率{_n(g('proposals.on_time_rate'))}%；"
                   f"答复中A类（已解决或采纳）{_n(g('proposals.a_class'))}件、B类（正在解决或列入计划解决）"
                   f"{_n(g('proposals.b_class'))}件、C类（留作参考）{_n(g('proposals.c_class'))}件，"
                   f"分别占{_n(g('proposals.class_a_share'))}%、{_n(g('proposals.class_b_share'))}%、"
                   f"{_n(g('proposals.class_c_share'))}%。"
                   if _need(g, "proposals.replied", "proposals.a_class") else None),
        lambda g: (f"提案人反馈意见中，满意{_n(g('proposals.rated_satisfied'))}件、基本满意"
                   f"{_n(g('proposals.rated_basically'))}件、不满意{_n(g('proposals.rated_dissatisfied'))}件，"
                   f"满意和基本满意率{_n(g('proposals.satisfied_rate'))}%；对不满意的提案重新办理"
                   f"{_n(g('proposals.rehandled'))}件。"
                   if _need(g, "proposals.rated_satisfied") else None),
        _top_units,
        lambda g: (f"目前仍有{_n(g('units.overdue_now'))}件次超过办理期限，经批准延期办理"
                   f"{_n(g('units.extensions'))}次。"
                   if g("units.overdue_now") or g("units.extensions") else None),
    ]),
    ("重点提案督办和优秀提案评选情况", [
        lambda g: (f"遴选重点提案{_n(g('proposals.key'))}件，其中由领导领衔督办"
                   f"{_n(g('proposals.key_supervised'))}件。"
                   if g("proposals.key") else None),
        _key_examples,
        lambda g: (f"评选优秀提案{_n(g('proposals.excellent'))}件。"
                   if g("proposals.excellent") else None),
    ]),
    ("下一步工作", []),
]


@dataclass(frozen=True)
class DraftKind:
    """One kind of draft: the same figures → sentences → .docx mechanism, other words."""

    key: str
    title: Callable[[Scope], str]
    opening: str
    sections: list[tuple[str, list[Sentence]]]
    filename: str


DRAFTS: dict[str, DraftKind] = {
    "work": DraftKind("work", lambda s: f"{s.committee.name}常务委员会工作报告",
                      "现将本期以来常务委员会的主要工作报告如下，请予审议。", SECTIONS,
                      "work-report"),
    "proposals": DraftKind("proposals",
                           lambda s: f"{s.committee.name}常务委员会关于提案工作情况的报告",
                           "现将本期以来的提案工作情况报告如下，请予审议。", PROPOSAL_SECTIONS,
                           "proposal-report"),
}


def sentences(figures: dict[str, Figure], kind: str = "work") -> list[tuple[str, list[str]]]:
    return _written(figures, kind)[0]


def _written(figures: dict[str, Figure], kind: str
             ) -> tuple[list[tuple[str, list[str]]], set[str]]:
    """The sections' sentences, and the keys of the figures they read."""
    get = Facts(figures)
    out = []
    for heading, builders in DRAFTS[kind].sections:
        lines = [s for b in builders if (s := b(get))]
        out.append((heading, lines))
    return out, get.read


def _font(run: Any, size: int = 16, bold: bool = False, name: str = "仿宋") -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def work_report_docx(scope: Scope, figures: dict[str, Figure]) -> bytes:
    return draft_docx("work", scope, figures)


def draft_docx(kind: str, scope: Scope, figures: dict[str, Figure]) -> bytes:
    draft = DRAFTS[kind]
    # python-docx is loaded with the first draft, not by every web process (the statistics
    # page uses this module's sentences).
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(draft.title(scope)), size=22, bold=True, name="方正小标宋简体")
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(sub.add_run(f"（初稿 · {clock.written(scope.start)}至{clock.written(scope.end)}）"), size=16,
          name="楷体")
    intro = doc.add_paragraph()
    _font(intro.add_run("各位委员："), size=16)
    body = doc.add_paragraph()
    _font(body.add_run(draft.opening), size=16)
    written, read = _written(figures, kind)
    for i, (heading, lines) in enumerate(written, start=1):
        h = doc.add_paragraph()
        _font(h.add_run(f"（{chinese_number(i)}）{heading}"), size=16, bold=True, name="黑体")
        if not lines:
            p = doc.add_paragraph()
            _font(p.add_run("（本部分暂无统计数据，请补充。）"), size=16)
        for j, line in enumerate(lines, start=1):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _font(p.add_run(f"{j}. {line}"), size=16)
    defined = [f for f in figures.values() if f.definition and f.key in read]
    if defined:
        h = doc.add_paragraph()
        _font(h.add_run("附：统计口径"), size=16, bold=True, name="黑体")
        for f in defined:
            p = doc.add_paragraph()
            _font(p.add_run(f"{f.label}：{f.definition}"), size=14)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
