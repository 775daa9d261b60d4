"""The lifecycle of a proposal clue: waiting → in the library → turned into a proposal; or not
used; or merged into another clue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.clues import permissions
from xieshang.clues.models import Clue, ClueEvent
from xieshang.core.permissions import Actor
from xieshang.core.workflow import Changes, Lifecycle, Step, StepIn

S = Clue.Status


class ClueNoteIn(StepIn):
    note: str = ""


class ClueReasonIn(StepIn):
    note: str


class ClueAcceptIn(StepIn):
    note: str = ""
    category_id: int | None = None


def _accept(actor: Actor, clue: Clue, data: ClueAcceptIn) -> Changes:
    from xieshang.proposals.models import ProposalCategory

    if data.category_id is None:
        return Changes()
    category = ProposalCategory.objects.filter(pk=data.category_id,
                                               committee_id=clue.committee_id).first()
    if category is None:
        raise ValidationError({"category_id": _("No such record in this committee.")})
    return Changes(fields={"category": category})


def _reason(actor: Actor, clue: Clue, data: ClueReasonIn) -> Changes:
    if not data.note.strip():
        raise ValidationError({"note": _("Give the reason.")})
    return Changes(note=data.note.strip())


CLUE: Lifecycle[Clue] = Lifecycle(
    name="clue", model=Clue, event_model=ClueEvent, event_field="clue",
    audit_prefix="clue", schema_prefix="Clue", url_name="clues:act",
    stale_message=gettext_lazy("This clue was changed by someone else; reload and retry."),
    steps=[
        Step("accept", S.NEW, S.ACCEPTED, permissions.can_screen,
             gettext_lazy("Put in the clue library"), input=ClueAcceptIn, run=_accept),
        Step("not_use", (S.NEW, S.ACCEPTED), S.NOT_USED, permissions.can_screen,
             gettext_lazy("Do not use"), input=ClueReasonIn, run=_reason),
        Step("reopen", S.NOT_USED, S.NEW, permissions.can_screen,
             gettext_lazy("Screen again"), input=ClueNoteIn),
        Step("merge", (S.NEW, S.ACCEPTED), S.MERGED, permissions.can_screen,
             gettext_lazy("Merge into another clue"), input=ClueNoteIn,
             only_via=gettext_lazy("Merge it from the clue's page.")),
        Step("adopt", S.ACCEPTED, S.ADOPTED, permissions.can_adopt,
             gettext_lazy("Turn into a proposal draft"), input=ClueNoteIn,
             only_via=gettext_lazy("Turn it into a proposal from the clue's page.")),
    ])
