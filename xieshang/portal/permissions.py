from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.portal.models import Article, ArticleEvent

EDITORS = (Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.ADMIN)
REVIEWERS = (Role.STAFF_OFFICE, Role.ADMIN, Role.LEADER)


def can_edit(actor: Actor) -> bool:
    return actor.has(*EDITORS)


def is_platform_admin(actor: Actor) -> bool:
    """Platform-wide settings (a site's own host name): a site superuser, or the platform."""
    return actor.system or (actor.user is not None and actor.user.is_superuser)


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


def can_publish(actor: Actor, article: Article) -> bool:
    """Four eyes: a reviewer who neither wrote, last saved nor submitted the article.

    The review workflow: one person writes, a second approves."""
    if actor.system:
        return True
    if not can_review_article(actor, article) or actor.user is None:
        return False
    submitter = (ArticleEvent.objects.filter(article=article, action="submit")
                 .order_by("-id").values_list("actor_id", flat=True).first())
    return actor.user.pk not in {article.author_id, article.edited_by_id, submitter}
