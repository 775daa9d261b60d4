"""提案转社情民意: a proposal the proposal office converts becomes a report in the opinions inbox.

Registered with ``proposals.workflow.register_conversion_handler`` in ``OpinionsConfig.ready``.
The handler runs inside the proposal's "convert" step (one transaction with it): the report is
written as if its proposer had submitted it — the first proposer, or the collective body that
proposed it — so the existing rules say who sees it (the editors, signers and leaders, and the
author). The report keeps the proposal (``source_proposal``); the proposal keeps
``"opinions.report:<id>"`` in ``conversion_ref``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.models import Role
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor
from xieshang.core.workflow import actor_label
from xieshang.opinions import selectors
from xieshang.opinions.models import AuthorKind, Category, OpinionEvent, OpinionReport
from xieshang.opinions.workflow import role_users, save_version
from xieshang.proposals.models import Proposal

REF_PREFIX = "opinions.report:"

# Words of a proposal category → the report's category (the first that matches wins).
_CATEGORY_WORDS = (
    (("教育", "科技", "文化", "体育", "科教"), Category.EDUCATION),
    (("医", "卫生", "健康"), Category.HEALTH),
    (("农", "乡村"), Category.AGRICULTURE),
    (("生态", "环境", "环保"), Category.ENVIRONMENT),
    (("法", "安全", "政法"), Category.LAW),
    (("经济", "产业", "发展", "营商", "财政"), Category.ECONOMY),
    (("社会", "民生", "养老", "就业"), Category.SOCIETY),
)


def category_for(proposal: Proposal) -> str:
    name = proposal.category.name if proposal.category_id else ""  # type: ignore[union-attr]
    for words, category in _CATEGORY_WORDS:
        if any(w in name for w in words):
            return category
    return Category.OTHER


def report_ref(report: OpinionReport) -> str:
    return f"{REF_PREFIX}{report.pk}"


def report_id(ref: str) -> int | None:
    """The report's id in a proposal's ``conversion_ref``, if it names one."""
    if ref.startswith(REF_PREFIX) and ref[len(REF_PREFIX):].isdigit():
        return int(ref[len(REF_PREFIX):])
    return None


def report_link(actor: Actor, ref: str) -> str | None:
    """The report's page for a proposal's page, when the actor may open the report."""
    pk = report_id(ref)
    if pk is None:
        return None
    report = selectors.visible(actor).filter(pk=pk).first()
    return report.get_absolute_url() if report is not None else None


def proposal_to_report(actor: Actor, proposal: Proposal) -> str:
    """Create the report for a converted proposal; answers the reference kept on the proposal.

    Called by the proposal's "convert" step, which has checked the actor's permission and runs
    in its transaction (a refusal later in the step leaves no report behind)."""
    committee = proposal.committee
    if proposal.body_proposer_id is not None:
        kind, member, body = AuthorKind.BODY, None, proposal.body_proposer
    else:
        kind, member, body = AuthorKind.MEMBER, proposal.proposer, None
    report = OpinionReport.objects.create(
        committee=committee, title=proposal.title[:200], category=category_for(proposal),
        body=proposal.body, author_kind=kind, author_member=member, author_body=body,
        author_name=proposal.proposer_name or proposal.title[:20],
        sector=member.sector if member is not None else None,
        submitted_by=proposal.created_by, source_proposal=proposal)
    report.root = report
    report.save(update_fields=["root"])
    save_version(report, actor, _("As converted from a proposal"))
    OpinionEvent.objects.create(committee=committee, report=report, action="submit",
                                to_status=report.status, actor=actor.user,
                                actor_name=actor_label(actor),
                                note=_("Converted from proposal %(t)s") % {"t": proposal.title})
    audit.record(actor, "opinion.convert_from_proposal", report,
                 after={**audit.snapshot(report), "proposal": proposal.pk})
    notify_on_commit(recipients=role_users(committee, Role.STAFF_OPINION), committee=committee,
                     title=_("New public-opinion report: %(t)s") % {"t": report.title},
                     url=report.get_absolute_url())
    return report_ref(report)
