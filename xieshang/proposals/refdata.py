"""Proposal categories, kept by the proposal office on the 基础数据 pages (core.refdata)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xieshang.core.refdata import RefKind
from xieshang.proposals.models import ProposalCategory
from xieshang.proposals.permissions import can_manage_categories

KINDS = [
    RefKind("proposal-categories", ProposalCategory, _("Proposal categories"),
            ("name", "order", "is_active"), ("name", "order", "is_active"),
            can_manage_categories, order=60, ordering=("order", "id"),
            help_text=_("The categories members choose when they write a proposal.")),
]
