"""Who may do what with proposal clues.

- Anyone may send a clue on the committee's public page; a member may send one from the platform.
- The proposal office and the general office of the committee screen clues (accept, not use,
  merge, tag); leaders and admins read them all.
- Members of the committee browse the library (accepted and adopted clues) and their own clues,
  and turn an accepted clue into a proposal draft.
Nothing of another committee is visible to anyone (``selectors.visible``).
"""

from __future__ import annotations

from xieshang.clues.models import Clue
from xieshang.core.models import Role
from xieshang.core.permissions import Actor

SCREENERS = (Role.STAFF_PROPOSAL, Role.STAFF_OFFICE)


def _own_committee(actor: Actor, clue: Clue) -> bool:
    return actor.committee is not None and clue.committee_id == actor.committee.id


def can_screen_any(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*SCREENERS)


def can_read_all(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*SCREENERS, Role.LEADER, Role.ADMIN)


def is_member(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(Role.MEMBER) and actor.member_id is not None


def can_browse(actor: Actor) -> bool:
    return can_read_all(actor) or is_member(actor)


def can_send(actor: Actor) -> bool:
    return is_member(actor)


def can_screen(actor: Actor, clue: Clue) -> bool:
    """The proposal office or the general office of the clue's committee."""
    return _own_committee(actor, clue) and can_screen_any(actor)


def can_adopt(actor: Actor, clue: Clue) -> bool:
    """A member of the clue's committee (the page offers it on library clues only)."""
    return _own_committee(actor, clue) and is_member(actor)
