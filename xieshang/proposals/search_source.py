"""Proposals in the search (registered in ProposalsConfig.ready); who finds one is decided by
``selectors.visible``, the proposal page's own fetch."""

from __future__ import annotations

from django.urls import reverse

from xieshang.core.searchable import Document, register
from xieshang.proposals import selectors
from xieshang.proposals.models import Proposal


def proposal_document(proposal: Proposal) -> Document | None:
    if proposal.status == "withdrawn":
        return None
    return Document(
        title=proposal.title, body=proposal.body,
        url=reverse("proposal-detail", args=[proposal.pk]),
        date=proposal.submitted_at or proposal.created_at,
        facets={"status": proposal.status,
                "category": proposal.category.name if proposal.category else ""},
    )


def register_source() -> None:
    register("proposal", Proposal, proposal_document, visible=selectors.visible,
             queryset=lambda: Proposal.objects.select_related("category"))
