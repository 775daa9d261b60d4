"""Background tasks of the clues app."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext as _

from xieshang.clues.models import Clue
from xieshang.core.sms import get_backend


@task()
def tell_author(clue_id: int) -> str:
    """Tell a member of the public by SMS that a member took up their clue."""
    clue = Clue.objects.select_related("committee").filter(pk=clue_id).first()
    if clue is None or not clue.contact_phone:
        return "skipped"
    committee = clue.committee.short_name or clue.committee.name
    get_backend().send(clue.contact_phone, _(
        "[%(committee)s] Thank you: a member has taken up your proposal clue \"%(title)s\" "
        "and is writing a proposal from it.") % {"committee": committee,
                                                   "title": clue.title[:30]})
    return f"sent via {settings.SMS_BACKEND.rsplit('.', 1)[-1]}"
