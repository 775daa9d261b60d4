"""Proposal figures and duty facts, from proposals walked through the real workflow."""

import datetime as dt

import pytest

from tests.proposals.factories import S, build_world, call, reach
from xieshang.core.figures import Scope, compute
from xieshang.duties.facts import collect

pytestmark = pytest.mark.django_db


def test_proposal_figures_and_facts(county):
    from xieshang.proposals import services

    w = build_world(county)
    submitted = reach(w, S.SUBMITTED)
    services.proposal_cosign(actor=w.actor("co_member"), proposal=submitted, accept=True)
    closed = reach(w, S.CLOSED)  # filed, replied, rated satisfied
    reach(w, S.FILED, title="关于规范校外培训机构的建议")
    reach(w, S.NOT_FILED, title="关于某企业产品推广的建议")
    today = dt.date.today()
    figures = {k: f.value for k, f in compute(Scope(county, dt.date(2000, 1, 1), today)).items()
               if k.startswith("proposals.")}
    assert figures["proposals.submitted"] == 4
    assert figures["proposals.filed"] == 2
    assert figures["proposals.filing_rate"] == 50
    assert figures["proposals.not_filed"] == 1
    assert figures["proposals.replied"] == 1
    assert figures["proposals.satisfied_rate"] == 100
    assert figures["proposals.class_a_share"] + figures["proposals.class_b_share"] + \
        figures["proposals.class_c_share"] == 100

    facts = collect(county.id, dt.date(2000, 1, 1), today)
    of_closed = {(f.member_id, f.kind) for f in facts if f.ref_id == str(closed.pk)}
    assert of_closed == {(w.member.pk, "proposal.submitted"), (w.member.pk, "proposal.first_filed")}
    of_cosigned = {(f.member_id, f.kind) for f in facts if f.ref_id == str(submitted.pk)}
    assert (w.co_member.pk, "proposal.co_submitted") in of_cosigned


def test_each_proposal_figure_links_to_the_proposals_it_counts(county, client):
    """A figure's number opens the list of what it counts: for figures that count proposals
    the list holds exactly that many; figures counting reply letters or ratings open the
    proposals those belong to. The list says what it was narrowed to."""
    w = build_world(county)
    reach(w, S.SUBMITTED)
    reach(w, S.CLOSED, title="关于改善城区停车的建议")
    rehandled = reach(w, S.REHANDLING, title="关于规范农贸市场管理的建议")
    call(w, rehandled, "mark_key", "staff")
    reach(w, S.FILED, title="关于规范校外培训机构的建议")
    reach(w, S.NOT_FILED, title="关于某企业产品推广的建议")
    reach(w, S.CONVERTED, title="关于增设公交站点的建议")
    reach(w, S.MERGED)
    today = dt.date.today()
    figures = {k: f for k, f in compute(Scope(county, dt.date(2000, 1, 1), today)).items()
               if k.startswith("proposals.")}
    client.force_login(w.users["staff"])  # the proposals committee's staff (提案委)
    # Counts of reply letters or ratings: the list shows the proposals they belong to.
    letters = {"proposals.sent_replies", "proposals.a_class", "proposals.b_class",
               "proposals.c_class", "proposals.rated_satisfied", "proposals.rated_basically",
               "proposals.rated_dissatisfied"}
    checked = 0
    for key, figure in figures.items():
        if figure.unit != "件" or key == "proposals.excellent":
            continue
        assert figure.link.startswith("/proposals/?"), key
        response = client.get(figure.link)
        assert response.status_code == 200, key
        listed = response.context["page"].paginator.count
        if key in letters:
            assert (listed > 0) == (figure.value > 0), (key, listed, figure.value)
        else:
            assert listed == figure.value, (key, listed, figure.value)
        assert "统计口径" in response.content.decode() or "As counted" in response.content.decode()
        checked += 1
    assert checked >= 20
    assert figures["proposals.key"].value == 1 and figures["proposals.rehandled"].value == 1
    assert figures["proposals.not_filed"].value == 1 and figures["proposals.converted"].value == 1
    # A condition the list does not know narrows to nothing, and says so.
    response = client.get("/proposals/?fact=nonsense")
    assert response.context["page"].paginator.count == 0
