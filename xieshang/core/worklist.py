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


CARDS: list[Card] = []


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
                    "hint": str(card.hint)})
    return out
