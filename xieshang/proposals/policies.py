"""Policy numbers of the proposals work, with the defaults from reference/domain.md §2."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xieshang.core import policy
from xieshang.core.models import Committee
from xieshang.proposals.models import Rating

DEFAULT_CLASS_LABELS = {
    "A": "已解决或采纳",
    "B": "正在解决或列入计划解决",
    "C": "留作参考",
}

policy.register("proposal_review_rounds", 2, _("Review rounds before a proposal is filed"))
policy.register("proposal_cosign_days", 5, _("Working days for co-proposers to confirm"))
policy.register("proposal_plenary_months_before", 3,
                _("Months before the plenary from which proposals count as plenary proposals"))
policy.register("proposal_reply_months", 3, _("Months for a unit to reply"))
policy.register("proposal_urgent_reply_months", 1, _("Months for a unit to reply (urgent)"))
policy.register("proposal_extension_months", 1, _("Months added by an approved extension"))
policy.register("proposal_co_opinion_months", 1,
                _("Months for a co-unit to give its opinion to the lead unit"))
policy.register("proposal_return_request_days", 5,
                _("Working days in which a unit may ask to return a proposal"))
policy.register("proposal_feedback_days", 15, _("Working days for the proposer to rate a reply"))
policy.register("proposal_feedback_default", "basically",
                _("Rating counted when the proposer does not answer"), choices=Rating.choices)
policy.register("proposal_rehandle_months", 3, _("Months for re-handling after dissatisfaction"))
policy.register("proposal_remind_days", 5, _("Working days before a deadline to send a reminder"))
policy.register("proposal_disclosure_days", 20,
                _("Working days after the reply before it is published"))
policy.register("proposal_max_units", 5, _("Most handling units a proposer may suggest"))
policy.register("proposal_attachment_mb", 10, _("Largest attachment (MB)"))
policy.register("proposal_class_labels", DEFAULT_CLASS_LABELS,
                _("Labels of the reply classes A/B/C"))


def get(committee: Committee | None, key: str) -> Any:
    return policy.get(committee, f"proposal_{key}")


def class_labels(committee: Committee | None) -> dict[str, str]:
    labels = get(committee, "class_labels")
    return {**DEFAULT_CLASS_LABELS, **(labels if isinstance(labels, dict) else {})}
