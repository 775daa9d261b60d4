"""The counting rules of votes and elections, as pure functions (no Django, no database).

Votes (表决): a motion passes with more "yes" than half of its base — all members of the body, or
the members present — per the rule chosen when the vote was set up.

Elections (选举), for one position with ``seats`` seats:
- a ballot marking more names than there are seats is invalid (for this position); a ballot
  marking none is valid (it elects nobody);
- a name is elected with more than half of the ballots cast (valid and invalid) and, among those
  with such a majority, the most votes within the seats;
- when two or more names tie for the last seat(s), none of the tied is elected and those seats
  go to a runoff between the tied names; seats still empty after that (too few with a majority)
  also need a runoff, between the names with the most votes not elected.

In a runoff (另行选举, ``rule=RUNOFF``) the names with the most votes are elected within the
seats, but a name needs at least one third of the ballots cast (得票多的当选，但得票数不得少于选票
的三分之一). Source: the rule the Electoral Law of the NPC and local people's congresses gives for
a runoff of county and township deputies (《全国人民代表大会和地方各级人民代表大会选举法》, the
article on 另行选举), which CPPCC sessions' election measures (选举办法) commonly adopt for
their own runoffs; docs/meetings.md. Ties for the last seat(s) go to a further runoff as in a
first round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAJORITY = "majority"
"""A first round: more than half of the ballots cast."""
RUNOFF = "runoff"
"""A runoff (另行选举): the most votes, at least one third of the ballots cast."""


def motion_passes(yes: int, *, members_total: int, present: int, of_present: bool) -> bool:
    base = present if of_present else members_total
    return base > 0 and yes * 2 > base


def quorum(members_total: int) -> int:
    """The least number present for a quorum: more than half of all members."""
    return members_total // 2 + 1


@dataclass
class PositionResult:
    seats: int
    cast: int
    valid: int
    invalid: int
    votes: dict[str, int]
    elected: list[str]
    runoff_seats: int = 0
    runoff_names: list[str] = field(default_factory=list)

    @property
    def runoff_needed(self) -> bool:
        return self.runoff_seats > 0


def is_valid(marks: Sequence[str], seats: int) -> bool:
    return len(set(marks)) <= seats


def count_ballots(seats: int, ballots: Iterable[Sequence[str]],
                  rule: str = MAJORITY) -> PositionResult:
    """Count the ballots of one position (each ballot: the names marked, candidates or
    written in)."""
    votes: Counter[str] = Counter()
    valid = invalid = 0
    for marks in ballots:
        if is_valid(marks, seats):
            valid += 1
            votes.update(set(marks))
        else:
            invalid += 1
    return decide(seats, valid=valid, invalid=invalid, votes=dict(votes), rule=rule)


def has_enough(n: int, cast: int, rule: str = MAJORITY) -> bool:
    """Whether ``n`` votes of ``cast`` ballots may elect under ``rule``."""
    if rule == RUNOFF:
        return n > 0 and n * 3 >= cast
    return n * 2 > cast


def decide(seats: int, *, valid: int, invalid: int, votes: dict[str, int],
           rule: str = MAJORITY) -> PositionResult:
    """Who is elected from the counts (used by ``count_ballots`` and by the stored tallies)."""
    cast = valid + invalid
    ranked = sorted(((n, name) for name, n in votes.items() if has_enough(n, cast, rule)),
                    key=lambda t: (-t[0], t[1]))
    elected: list[str] = []
    runoff_names: list[str] = []
    if len(ranked) <= seats:
        elected = [name for _n, name in ranked]
    else:
        cut = ranked[seats - 1][0] if seats else None
        above = [name for n, name in ranked if cut is not None and n > cut]
        at_cut = [name for n, name in ranked if n == cut]
        free = seats - len(above)
        elected = above
        if len(at_cut) <= free:
            elected = above + at_cut
        else:
            runoff_names = sorted(at_cut)
    remaining = seats - len(elected)
    if remaining and not runoff_names:
        others = sorted(((n, name) for name, n in votes.items() if name not in elected),
                        key=lambda t: (-t[0], t[1]))
        if others:
            # The best-placed names not elected, twice the seats left (差额), ties included.
            limit = min(len(others), remaining * 2)
            floor = others[limit - 1][0]
            runoff_names = [name for n, name in others if n >= floor]
    return PositionResult(seats=seats, cast=cast, valid=valid, invalid=invalid,
                          votes=dict(sorted(votes.items(), key=lambda t: (-t[1], t[0]))),
                          elected=elected, runoff_seats=remaining,
                          runoff_names=runoff_names)
