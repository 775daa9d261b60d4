"""The counting rules against a reference count written independently, on random ballots."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from xieshang.meetings import counting

NAMES = ["甲", "乙", "丙", "丁", "戊", "己"]


def reference(seats, ballots):
    """Naive count: tally the valid ballots, then seat the majority names in vote order,
    leaving tied seats at the boundary empty."""
    valid = [b for b in ballots if len(set(b)) <= seats]
    cast = len(ballots)
    tally = Counter(n for b in valid for n in set(b))
    winners = {n: v for n, v in tally.items() if 2 * v > cast}
    order = sorted(winners.values(), reverse=True)
    elected = set()
    for name, v in winners.items():
        better = sum(1 for w in order if w > v)
        same = sum(1 for w in order if w == v)
        if better + same <= seats:
            elected.add(name)
    return len(valid), cast - len(valid), dict(tally), elected


ballot = st.lists(st.sampled_from(NAMES), max_size=5)


@settings(max_examples=300, deadline=None)
@given(seats=st.integers(min_value=1, max_value=4), ballots=st.lists(ballot, max_size=40))
def test_count_matches_the_reference_count(seats, ballots):
    r = counting.count_ballots(seats, ballots)
    valid, invalid, tally, elected = reference(seats, ballots)
    assert (r.valid, r.invalid, r.votes) == (valid, invalid, tally)
    assert set(r.elected) == elected
    assert len(r.elected) <= seats
    assert r.runoff_seats == seats - len(r.elected)


def test_random_ballots_with_fixed_seeds_match_the_reference():
    for seed in range(200):
        rng = random.Random(seed)
        seats = rng.randint(1, 5)
        ballots = [rng.sample(NAMES, rng.randint(0, 6)) for _ in range(rng.randint(0, 80))]
        r = counting.count_ballots(seats, ballots)
        valid, invalid, tally, elected = reference(seats, ballots)
        assert (r.valid, r.invalid, r.votes, set(r.elected)) == (valid, invalid, tally, elected)


def test_a_ballot_with_more_marks_than_seats_is_invalid():
    r = counting.count_ballots(2, [["甲", "乙", "丙"], ["甲"], ["甲", "乙"]])
    assert (r.valid, r.invalid) == (2, 1)


def test_elected_needs_more_than_half_of_all_ballots_cast_invalid_included():
    # 甲 has 2 of 4 ballots cast (one invalid): exactly half is not a majority.
    r = counting.count_ballots(1, [["甲"], ["甲"], ["乙"], ["甲", "乙"]])
    assert r.elected == [] and r.runoff_seats == 1 and r.runoff_names == ["甲", "乙"]


def test_a_tie_for_the_last_seat_goes_to_a_runoff_between_the_tied():
    ballots = [["甲", "乙"]] * 3 + [["甲", "丙"]] * 3
    r = counting.count_ballots(2, ballots)
    assert r.elected == ["甲"] and r.runoff_seats == 1 and r.runoff_names == ["丙", "乙"]


def test_differential_election_seats_the_most_votes_within_the_seats():
    ballots = [["甲", "乙"]] * 5 + [["甲", "丙"]] * 4 + [["乙", "丙"]]
    r = counting.count_ballots(2, ballots)
    assert r.elected == ["甲", "乙"] and not r.runoff_needed


def test_motion_majority_of_all_members_or_of_those_present():
    assert counting.motion_passes(11, members_total=20, present=12, of_present=False)
    assert not counting.motion_passes(10, members_total=20, present=12, of_present=False)
    assert counting.motion_passes(7, members_total=20, present=12, of_present=True)
    assert not counting.motion_passes(6, members_total=20, present=12, of_present=True)
    assert counting.quorum(20) == 11 and counting.quorum(21) == 11


def reference_runoff(seats, ballots):
    """Naive runoff count: the most votes within the seats, each with at least a third of
    the ballots cast; a tie across the last seat leaves the tied seats empty."""
    valid = [b for b in ballots if len(set(b)) <= seats]
    cast = len(ballots)
    tally = Counter(n for b in valid for n in set(b))
    enough = {n: v for n, v in tally.items() if v > 0 and 3 * v >= cast}
    order = sorted(enough.values(), reverse=True)
    elected = set()
    for name, v in enough.items():
        better = sum(1 for w in order if w > v)
        same = sum(1 for w in order if w == v)
        if better + same <= seats:
            elected.add(name)
    return elected


@settings(max_examples=300, deadline=None)
@given(seats=st.integers(min_value=1, max_value=4), ballots=st.lists(ballot, max_size=40))
def test_runoff_count_matches_the_reference_count(seats, ballots):
    r = counting.count_ballots(seats, ballots, rule=counting.RUNOFF)
    assert set(r.elected) == reference_runoff(seats, ballots)
    assert len(r.elected) <= seats and r.runoff_seats == seats - len(r.elected)


def test_in_a_runoff_the_most_votes_elect_with_at_least_a_third_of_the_ballots():
    # 9 ballots: 甲 4 (not a majority, but ≥ 3), 乙 3 (exactly a third), 丙 2.
    ballots = [["甲"]] * 4 + [["乙"]] * 3 + [["丙"]] * 2
    assert counting.count_ballots(1, ballots).elected == []
    assert counting.count_ballots(1, ballots, rule=counting.RUNOFF).elected == ["甲"]
    r = counting.count_ballots(2, ballots, rule=counting.RUNOFF)
    assert r.elected == ["甲", "乙"] and not r.runoff_needed


def test_in_a_runoff_fewer_than_a_third_of_the_ballots_does_not_elect():
    # 10 ballots: 乙 3 < 10/3.
    ballots = [["甲"]] * 4 + [["乙"]] * 3 + [["丙"]] * 3
    r = counting.count_ballots(2, ballots, rule=counting.RUNOFF)
    assert r.elected == ["甲"] and r.runoff_seats == 1 and r.runoff_names == ["丙", "乙"]


def test_a_tie_in_a_runoff_goes_to_a_further_runoff():
    ballots = [["甲"]] * 3 + [["乙"]] * 3
    r = counting.count_ballots(1, ballots, rule=counting.RUNOFF)
    assert r.elected == [] and r.runoff_names == ["乙", "甲"]
