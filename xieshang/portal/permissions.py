from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.portal.models import Article

EDITORS = (Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.ADMIN)
REVIEWERS = (Role.STAFF_OFFICE, Role.ADMIN, Role.LEADER)


def can_edit(actor: Actor) -> bool:
    return actor.has(*EDITORS)


def can_review(actor: Actor) -> bool:
    return actor.has(*REVIEWERS)


def _here(actor: Actor, article: Article) -> bool:
    return actor.committee is not None and actor.committee.pk == article.committee_id


def can_edit_article(actor: Actor, article: Article) -> bool:
    """Write, submit and reopen an article of the actor's own committee's website."""
    return _here(actor, article) and can_edit(actor)


def can_review_article(actor: Actor, article: Article) -> bool:
    """Publish, return and withdraw an article of the actor's own committee's website."""
    return _here(actor, article) and can_review(actor)
