"""The lifecycle of a public article: draft → review → published → withdrawn."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.core.permissions import Actor
from xieshang.core.workflow import Changes, Lifecycle, Step, StepIn
from xieshang.portal import permissions, services
from xieshang.portal.models import Article, ArticleEvent, Column

S = Article.Status


class ArticleNoteIn(StepIn):
    note: str = ""


def _learning(sync: bool) -> Callable[[Actor, Article, ArticleNoteIn], Changes]:
    """A learning-library article's material follows it: made when it is published, retired
    when it is withdrawn (after the article's new status is saved, in the same transaction)."""
    def run(actor: Actor, article: Article, data: ArticleNoteIn) -> Changes:
        if article.column.kind != Column.Kind.LEARNING:
            return Changes()

        def follow() -> None:
            if sync:
                services.learning_material_sync(actor=actor, article=article)
                article.refresh_from_db(fields=["learning_material"])
            else:
                services.learning_material_retire(actor=actor, article=article)
        return Changes(after_save=[follow])
    return run


ARTICLE: Lifecycle[Article] = Lifecycle(
    name="article", model=Article, event_model=ArticleEvent, event_field="article",
    audit_prefix="article", schema_prefix="Article", url_name="portal-act",
    stale_message=gettext_lazy("This article was changed by someone else; reload and retry."),
    after_commit=lambda article: services.public_pages_changed(),
    steps=[
        Step("submit", S.DRAFT, S.REVIEW, permissions.can_edit_article,
             gettext_lazy("Submit for review"), input=ArticleNoteIn),
        Step("publish", S.REVIEW, S.PUBLISHED, permissions.can_publish,
             pgettext_lazy("website", "Publish"), input=ArticleNoteIn, run=_learning(True)),
        Step("return", S.REVIEW, S.DRAFT, permissions.can_review_article,
             gettext_lazy("Return for changes"), input=ArticleNoteIn),
        Step("withdraw", S.PUBLISHED, S.WITHDRAWN, permissions.can_review_article,
             pgettext_lazy("portal", "Withdraw"), input=ArticleNoteIn, run=_learning(False)),
        Step("reopen", S.WITHDRAWN, S.DRAFT, permissions.can_edit_article,
             gettext_lazy("Edit again"), input=ArticleNoteIn),
    ])
TRANSITIONS = ARTICLE.table
