"""Every write to proposal clues (one transaction each, audited)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.clues import permissions, workflow
from xieshang.clues.models import Clue
from xieshang.core import audit, clock, counters
from xieshang.core.models import Committee, RoleAssignment, User
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor, require
from xieshang.core.workflow import step_input, transition

PUBLIC_PER_IP_HOUR = 5
LIMITS = {"title": 100, "body": 3000, "name": 50}


def _screeners(committee: Committee) -> list[User]:
    ids = RoleAssignment.objects.filter(committee=committee, is_active=True,
                                        role__in=permissions.SCREENERS).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _check_text(values: dict[str, str], required: tuple[str, ...]) -> None:
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name in required and not value:
            errors[name] = _("This field is required.")
        elif len(value) > LIMITS.get(name, 100):
            errors[name] = _("At most %(n)s characters.") % {"n": LIMITS.get(name, 100)}
    if errors:
        raise ValidationError(errors)


def _created(actor: Actor, clue: Clue) -> Clue:
    audit.record(actor, "clue.send", clue, after=audit.snapshot(clue, ["title", "source"]))
    notify_on_commit(recipients=_screeners(clue.committee), committee=clue.committee,
                     title=_("New proposal clue: %(t)s") % {"t": clue.title},
                     url=clue.get_absolute_url())
    return clue


@transaction.atomic
def clue_send_public(*, committee: Committee, title: str, body: str, name: str = "",
                     phone: str = "", ip: str | None = None) -> Clue:
    """Someone sends a clue on the committee's public page (no login; limited per address).
    Name and phone are optional: with a phone, they are told when a member takes the clue up."""
    values = {"title": title.strip(), "body": body.strip(), "name": name.strip()}
    _check_text(values, ("title", "body"))
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip() and not 7 <= len(digits) <= 15:
        raise ValidationError({"phone": _("Enter a phone number we can reach you at.")})
    key = f"clues:public:{committee.pk}:{ip or 'unknown'}"
    if counters.add(key, seconds=3600) > PUBLIC_PER_IP_HOUR:
        raise ValidationError(_("Too many clues from your network in the last hour; please try "
                                "again later."), code="rate_limited")
    clue = Clue.objects.create(committee=committee, title=values["title"], body=values["body"],
                               author_name=values["name"], contact_phone=digits, ip=ip,
                               source=Clue.Source.PUBLIC)
    return _created(Actor(user=None, committee=committee, ip=ip, system=True), clue)


@transaction.atomic
def clue_send(*, actor: Actor, title: str, body: str) -> Clue:
    """A member sends a clue from the platform."""
    require(permissions.can_send(actor))
    assert actor.committee is not None
    values = {"title": title.strip(), "body": body.strip()}
    _check_text(values, ("title", "body"))
    clue = Clue.objects.create(committee=actor.committee, source=Clue.Source.MEMBER,
                               author_user=actor.user, author_member_id=actor.member_id,
                               author_name=str(actor.user or ""), **values)
    return _created(actor, clue)


@transaction.atomic
def clue_merge(*, actor: Actor, clue: Clue, into: Clue, version: int | None) -> Clue:
    """Merge a duplicate into another clue of the same committee (the other one stays)."""
    require(permissions.can_screen(actor, clue))
    if into.pk == clue.pk or into.committee_id != clue.committee_id:
        raise ValidationError(_("Choose another clue of this committee."))
    if into.status in (Clue.Status.MERGED, Clue.Status.NOT_USED):
        raise ValidationError(_("A clue cannot be merged into one that was merged or not used."))
    note = _("Merged into: %(t)s") % {"t": into.title}
    merged = transition(workflow.CLUE, actor=actor, obj=clue, step="merge", version=version,
                        data=step_input(workflow.ClueNoteIn, note=note))
    Clue.objects.filter(pk=merged.pk).update(merged_into=into)
    merged.merged_into = into
    audit.record(actor, "clue.merged_into", merged, after={"into": into.pk})
    return merged


@transaction.atomic
def clue_adopt(*, actor: Actor, clue: Clue, version: int | None) -> Clue:
    """A member turns a library clue into a proposal draft of their own, linked to the clue; the
    clue's author is told (a member by a notification, the public by SMS if they left a phone)."""
    from xieshang.proposals import services as proposals

    if not permissions.can_adopt(actor, clue):
        raise PermissionDenied
    body = f"{clue.body}\n\n" + _("(From proposal clue no. %(n)s)") % {"n": clue.pk}
    try:
        with transaction.atomic():
            proposal = proposals.proposal_save_draft(actor=actor, title=clue.title, body=body,
                                                     category=clue.category)
    except ValidationError:
        # A clue's subject may not make a valid proposal title: the member completes it.
        proposal = proposals.proposal_save_draft(actor=actor, title="",
                                                 body=f"{clue.title}\n{body}",
                                                 category=clue.category)
    adopted = transition(workflow.CLUE, actor=actor, obj=clue, step="adopt", version=version,
                         data=step_input(workflow.ClueNoteIn, note=str(actor.user or "")))
    now = clock.now()
    Clue.objects.filter(pk=adopted.pk).update(proposal=proposal, adopted_at=now)
    adopted.proposal, adopted.adopted_at = proposal, now
    audit.record(actor, "clue.adopt", adopted, after={"proposal": proposal.pk})
    if adopted.author_user_id is not None and adopted.author_user_id != getattr(actor.user, "pk",
                                                                                None):
        notify_on_commit(recipients=[adopted.author_user], committee=adopted.committee,
                         title=_("A member has taken up your proposal clue: %(t)s")
                         % {"t": adopted.title}, url=adopted.get_absolute_url())
    elif adopted.author_user_id is None and adopted.contact_phone:
        from xieshang.clues.tasks import tell_author

        transaction.on_commit(partial(tell_author.enqueue, adopted.pk))
    return adopted
