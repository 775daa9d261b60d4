"""The "my work" home page: each app registers cards that count what waits for the actor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from xieshang.core.permissions import Actor


@dataclass(frozen=True)
class Card:
    label: str | Promise
    url_name: str
    count: Callable[[Actor], int]
    allowed: Callable[[Actor], bool]
    order: int = 100
    hint: str | Promise = ""
    # What the card lists under its count, each (label, url): a few records to open directly.
    items: Callable[[Actor], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class Action:
    """A big button on the home page for the one thing a role comes to do (写提案). ``allowed``
    is the permission function the target view checks, so the button shows only to whom the
    page opens."""

    label: str | Promise
    url_name: str
    allowed: Callable[[Actor], bool]
    order: int = 100


CARDS: list[Card] = []
ACTIONS: list[Action] = []


def register_action(action: Action) -> None:
    if all(a.url_name != action.url_name for a in ACTIONS):
        ACTIONS.append(action)


def actions_for(actor: Actor) -> list[dict[str, str]]:
    if actor.committee is None:
        return []
    out = []
    for action in sorted(ACTIONS, key=lambda a: a.order):
        if action.allowed(actor):
            try:
                out.append({"label": str(action.label), "url": reverse(action.url_name)})
            except NoReverseMatch:
                continue
    return out


def register(card: Card) -> None:
    if all(c.label != card.label for c in CARDS):
        CARDS.append(card)


def worklist_for(actor: Actor) -> list[dict[str, object]]:
    if actor.committee is None:
        return []
    out: list[dict[str, object]] = []
    for card in sorted(CARDS, key=lambda c: c.order):
        if not card.allowed(actor):
            continue
        try:
            url = reverse(card.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": str(card.label), "url": url, "count": card.count(actor),
                    "hint": str(card.hint),
                    "items": card.items(actor) if card.items is not None else []})
    return out
