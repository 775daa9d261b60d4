"""Article lifecycle: draft → review → published → withdrawn (table-driven)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.core import audit
from xieshang.core.permissions import Actor
from xieshang.portal.models import Article, ArticleEvent, Column
from xieshang.portal.permissions import can_edit, can_publish, can_review

S = Article.Status
Rule = Callable[[Actor, Article], bool]

TRANSITIONS: dict[tuple[str, str], tuple[str, Rule]] = {
    (S.DRAFT, "submit"): (S.REVIEW, lambda a, o: can_edit(a)),
    (S.REVIEW, "publish"): (S.PUBLISHED, can_publish),
    (S.REVIEW, "return"): (S.DRAFT, lambda a, o: can_review(a)),
    (S.PUBLISHED, "withdraw"): (S.WITHDRAWN, lambda a, o: can_review(a)),
    (S.WITHDRAWN, "reopen"): (S.DRAFT, lambda a, o: can_edit(a)),
}

LABELS = {"submit": gettext_lazy("Submit for review"),
          "publish": pgettext_lazy("website", "Publish"),
          "return": gettext_lazy("Return for changes"), "withdraw": gettext_lazy("Withdraw"),
          "reopen": gettext_lazy("Edit again")}


def allowed_actions(actor: Actor, article: Article) -> list[str]:
    if actor.committee is None or actor.committee.id != article.committee_id:
        return []
    return [action for (status, action), (_to, rule) in TRANSITIONS.items()
            if status == article.status and rule(actor, article)]


@transaction.atomic
def transition(*, actor: Actor, article: Article, action: str, version: int,
               note: str = "") -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.version != version:
        raise ValidationError(_("This article was changed by someone else; reload and retry."))
    key = (locked.status, action)
    if key not in TRANSITIONS:
        raise ValidationError(_("This action is not possible now."))
    to_status, rule = TRANSITIONS[key]
    if actor.committee is None or actor.committee.id != locked.committee_id or not rule(
            actor, locked):
        raise PermissionDenied
    from_status = locked.status
    locked.status = to_status
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    ArticleEvent.objects.create(committee_id=locked.committee_id, article=locked,
                                actor=actor.user, action=action, from_status=from_status,
                                to_status=to_status, note=note[:300])
    audit.record(actor, f"article.{action}", locked, before={"status": from_status},
                 after={"status": to_status})
    if locked.column.kind == Column.Kind.LEARNING:
        from xieshang.portal import services

        if to_status == S.PUBLISHED:
            services.learning_material_sync(actor=actor, article=locked)
            locked.refresh_from_db(fields=["learning_material"])
        elif to_status == S.WITHDRAWN:
            services.learning_material_retire(actor=actor, article=locked)
    return locked
