"""Proposal figures and duty facts, from proposals walked through the real workflow."""

import datetime as dt

import pytest

from tests.proposals.factories import S, build_world, reach
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
