"""Rotation list (akut- och ickevalslistan): VAL-2 and VAL-7.

Examples first, given/when/then, then the laws as hypothesis properties, then a
stateful comparison with a small reference model of the rules.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from arendefordelning.errors import InvalidInput, NoProviderAvailable
from arendefordelning.providers import Provider, ProviderKind, swedish_sort_key
from arendefordelning.routines.rotation import (
    MAX_COUNT,
    Pause,
    RotationEntry,
    RotationList,
    RotationOrder,
    Take,
)

SE = ZoneInfo("Europe/Stockholm")
DAY = date(2026, 3, 2)
AREA = "Norr"

A = Provider("Alfa Omsorg")
B = Provider("Beta Hemtjänst", ProviderKind.PRIVATE)
C = Provider("Cura Vård", ProviderKind.PRIVATE)
ZETA = Provider("Zeta Vård", ProviderKind.PRIVATE)
ABO = Provider("Åbo Omsorg")
ALVDALEN = Provider("Älvdalen Vård", ProviderKind.PRIVATE)
OSTER = Provider("Öster Hemtjänst")

POOL = (A, B, C, ZETA, ABO, ALVDALEN, OSTER)


def abc() -> RotationList:
    return RotationList.alphabetical(AREA, [C, A, B], joined=DAY)


def serve(
    rotation: RotationList, on: date | datetime, times: int
) -> tuple[list[str], RotationList]:
    """Take ``times`` times on one day; return the names served and the last list."""
    names = []
    for _ in range(times):
        provider, rotation = rotation.take(on)
        names.append(provider.name)
    return names, rotation


def names(*providers: Provider) -> list[str]:
    return [provider.name for provider in providers]


# --------------------------------------------------------------------------- examples


def test_val2_alphabetical_order_puts_swedish_letters_after_z() -> None:
    """VAL-2: Given Åbo, Älvdalen, Öster and Zeta, the list runs Zeta, Åbo, Älvdalen, Öster."""
    rotation = RotationList.alphabetical(AREA, [OSTER, ALVDALEN, ZETA, ABO, A], joined=DAY)
    assert rotation.providers == (A, ZETA, ABO, ALVDALEN, OSTER)
    assert rotation.ordering is RotationOrder.ALPHABETICAL
    served, _ = serve(rotation, DAY, 6)
    assert served == names(A, ZETA, ABO, ALVDALEN, OSTER, A)


def test_val2_plain_rotation_serves_in_order_and_wraps_round() -> None:
    """VAL-2: Given A, B, C and no pauses or caps, takes go A, B, C, A, B, C, A."""
    served, rotation = serve(abc(), DAY, 7)
    assert served == names(A, B, C, A, B, C, A)
    assert rotation.counts == {A: 3, B: 2, C: 2}
    assert rotation.entry(A).assigned == 3
    assert rotation.turn == 1


def test_val2_take_unpacks_into_provider_and_new_list() -> None:
    """VAL-2: each take returns the chosen provider and the new list."""
    original = abc()
    take = original.take(DAY)
    provider, rotation = take
    assert isinstance(take, Take)
    assert provider == A
    assert rotation.next_in_turn(DAY) == B
    assert original.passed_over(DAY) == ()
    assert not original.entry(A).owed, "A is served on its turn in the order"
    assert original.next_in_turn(DAY) == A, "the old list is unchanged"


def test_val2_in_order_keeps_the_given_order() -> None:
    """VAL-2: a municipality's own order is kept as given, not sorted."""
    rotation = RotationList.in_order(AREA, [OSTER, A, ZETA], joined=DAY)
    assert rotation.ordering is RotationOrder.GIVEN
    served, _ = serve(rotation, DAY, 4)
    assert served == names(OSTER, A, ZETA, OSTER)


def test_val2_paused_provider_is_passed_over_and_keeps_its_turn() -> None:
    """VAL-2: A paused: B, C, B, C; A resumes: A (its kept turn), then B, C, A in order."""
    rotation = abc().pause(A, DAY, reason="Personalbrist")
    assert rotation.passed_over(DAY) == (A,)
    first = rotation.take(DAY)
    assert first.provider == B
    assert first.rotation.entry(A).owed
    served, rotation = serve(first.rotation, DAY, 3)
    assert served == names(C, B, C)
    rotation = rotation.resume(A, DAY + timedelta(days=1))
    take = rotation.take(DAY + timedelta(days=1))
    assert take.provider == A
    assert rotation.entry(A).owed, "A is served on the turn it kept"
    served, rotation = serve(take.rotation, DAY + timedelta(days=1), 4)
    assert served == names(B, C, A, B)


def test_val2_kept_turn_is_served_before_the_order_moves_on() -> None:
    """VAL-2: A resumes while C is next in order: A is served first, then C, A, B."""
    rotation = abc().pause(A, DAY)
    served, rotation = serve(rotation, DAY, 3)
    assert served == names(B, C, B)
    assert rotation.next_in_turn(DAY) == C
    rotation = rotation.resume(A, DAY)
    assert rotation.passed_over(DAY) == ()
    take = rotation.take(DAY)
    assert take.provider == A
    assert rotation.entry(A).owed
    assert take.rotation.turn == rotation.turn, "the order stays where it was"
    served, _ = serve(take.rotation, DAY, 4)
    assert served == names(C, A, B, C)


def test_val2_kept_turns_go_in_list_order_counted_from_the_turn() -> None:
    """VAL-2: A and B passed over and back when the order is at A: A, B, then on in order."""
    rotation = RotationList.alphabetical(AREA, [A, B, C, ZETA], joined=DAY)
    rotation = rotation.pause(A, DAY, DAY + timedelta(days=1))
    rotation = rotation.pause(B, DAY, DAY + timedelta(days=1))
    assert rotation.passed_over(DAY) == (A, B)
    served, rotation = serve(rotation, DAY, 2)
    assert served == names(C, ZETA)
    assert rotation.next_in_turn(DAY + timedelta(days=1)) == A
    served, _ = serve(rotation, DAY + timedelta(days=1), 5)
    assert served == names(A, B, C, ZETA, A)


def test_val2_kept_turns_go_first_when_the_order_is_elsewhere() -> None:
    """VAL-2: A and B back when Zeta is next in order: A, B, then Zeta, and on in order."""
    rotation = RotationList.alphabetical(AREA, [A, B, C, ZETA], joined=DAY)
    rotation = rotation.pause(A, DAY, DAY + timedelta(days=1))
    rotation = rotation.pause(B, DAY, DAY + timedelta(days=1))
    _, rotation = serve(rotation, DAY, 1)
    served, _ = serve(rotation, DAY + timedelta(days=1), 6)
    assert served == names(A, B, ZETA, A, B, C)


def test_val2_a_restored_list_serves_its_kept_turns() -> None:
    """VAL-2: a list built from stored entries serves a kept turn wherever it stands."""
    entries = (RotationEntry(A, DAY), RotationEntry(B, DAY), RotationEntry(C, DAY, owed=True))
    rotation = RotationList(AREA, entries)
    served, rotation = serve(rotation, DAY, 4)
    assert served == names(C, A, B, C)
    assert not any(entry.owed for entry in rotation.entries)


def test_val2_a_long_pause_keeps_one_turn_not_a_burst() -> None:
    """VAL-2: a provider passed over many times keeps one turn, not one per pass."""
    rotation = abc().pause(A, DAY)
    _, rotation = serve(rotation, DAY, 20)
    rotation = rotation.resume(A, DAY)
    served, _ = serve(rotation, DAY, 6)
    assert served.count(A.name) == 2
    assert served == names(A, B, C, A, B, C)


def test_val2_pause_with_an_end_ends_by_itself() -> None:
    """VAL-2: a pause from day 0 to day 2 passes A over on days 0 and 1, not on day 2."""
    rotation = abc().pause(A, DAY, DAY + timedelta(days=2))
    assert rotation.next_in_turn(DAY + timedelta(days=1)) == B
    assert rotation.next_in_turn(DAY + timedelta(days=2)) == A
    assert rotation.entry(A).pauses == (Pause(DAY, DAY + timedelta(days=2)),)


def test_val2_pause_from_a_later_day_does_not_stop_earlier_takes() -> None:
    """VAL-2: a pause that starts tomorrow leaves A in turn today."""
    rotation = abc().pause(A, DAY + timedelta(days=1))
    assert rotation.next_in_turn(DAY) == A
    assert rotation.next_in_turn(DAY + timedelta(days=1)) == B


def test_val2_resume_ends_only_the_pause_in_force() -> None:
    """VAL-2: resuming ends the pause in force that day and keeps a later one."""
    later = Pause(DAY + timedelta(days=10), None, "Semester")
    rotation = abc().pause(A, DAY - timedelta(days=3)).pause(A, later.start, reason="Semester")
    resumed = rotation.resume(A, DAY)
    assert resumed.entry(A).pauses == (Pause(DAY - timedelta(days=3), DAY), later)
    assert resumed.next_in_turn(DAY) == A
    assert resumed.next_in_turn(DAY + timedelta(days=10)) == B


def test_val2_resume_on_the_first_day_of_a_pause_drops_it() -> None:
    """VAL-2: a pause resumed on its first day never takes effect."""
    rotation = abc().pause(A, DAY).resume(A, DAY)
    assert rotation.entry(A).pauses == ()


def test_val2_capped_provider_is_passed_over_and_keeps_its_turn() -> None:
    """VAL-2: A with cap 1 holds one customer: it is passed over until one leaves it."""
    rotation = abc().set_cap(A, 1)
    served, rotation = serve(rotation, DAY, 5)
    assert served == names(A, B, C, B, C)
    assert rotation.entry(A).at_cap
    assert rotation.entry(A).owed
    rotation = rotation.release(A)
    take = rotation.take(DAY)
    assert take.provider == A
    assert not take.rotation.entry(A).owed
    served, _ = serve(take.rotation, DAY, 2)
    assert served == names(B, C)


def test_val2_raising_the_cap_brings_a_provider_back() -> None:
    """VAL-2: a provider at its cap receives again when the cap is raised or removed."""
    rotation = abc().set_cap(A, 0)
    assert rotation.next_in_turn(DAY) == B
    assert rotation.set_cap(A, 1).next_in_turn(DAY) == A
    assert rotation.set_cap(A, None).next_in_turn(DAY) == A


def test_val2_release_never_goes_below_zero() -> None:
    """VAL-2: releasing a provider that holds no customer through the list leaves it at 0."""
    rotation = abc().release(A)
    assert rotation.entry(A).assigned == 0
    _, rotation = serve(rotation, DAY, 1)
    assert rotation.entry(A).assigned == 1
    assert rotation.release(A).release(A).entry(A).assigned == 0


def test_val2_joiner_is_not_eligible_before_its_join_date() -> None:
    """VAL-2: a provider that joins from day 3 is skipped before day 3, and keeps nothing."""
    joined = DAY + timedelta(days=3)
    rotation = RotationList.alphabetical(AREA, [B, C], joined=DAY).join(A, joined)
    assert rotation.providers == (A, B, C)
    assert rotation.active(DAY) == (B, C)
    assert rotation.passed_over(DAY) == ()
    take = rotation.take(DAY)
    assert take.provider == B
    assert not take.rotation.entry(A).owed
    assert rotation.active(joined) == (A, B, C)
    assert rotation.next_in_turn(joined) == A


def test_val2_joiner_takes_its_alphabetical_place() -> None:
    """VAL-2: a joiner whose place is before the turn waits for the order to come round."""
    _, rotation = serve(abc(), DAY, 2)  # A, B served; C is next
    rotation = rotation.join(Provider("Aros Omsorg"), DAY)
    assert rotation.providers == (A, Provider("Aros Omsorg"), B, C)
    served, _ = serve(rotation, DAY, 5)
    assert served == ["Cura Vård", "Alfa Omsorg", "Aros Omsorg", "Beta Hemtjänst", "Cura Vård"]


def test_val2_joiner_at_the_turn_is_next() -> None:
    """VAL-2: a joiner whose alphabetical place is where the turn stands is next in turn."""
    _, rotation = serve(abc(), DAY, 1)  # A served; B is next
    newcomer = Provider("Bagge Vård")
    rotation = rotation.join(newcomer, DAY)
    served, _ = serve(rotation, DAY, 4)
    assert served == names(newcomer, B, C, A)


def test_val2_joiner_on_a_given_order_is_put_last() -> None:
    """VAL-2: on a list in a given order a joiner is put last."""
    rotation = RotationList.in_order(AREA, [C, B], joined=DAY).join(A, DAY, cap=2)
    assert rotation.providers == (C, B, A)
    assert rotation.entry(A).cap == 2
    served, _ = serve(rotation, DAY, 4)
    assert served == names(C, B, A, C)


def test_val2_leaver_is_chosen_before_and_not_from_its_leave_date() -> None:
    """VAL-2: a provider leaving on day 2 is in turn on day 1 and skipped from day 2."""
    rotation = abc().leave(A, DAY + timedelta(days=2))
    assert rotation.next_in_turn(DAY + timedelta(days=1)) == A
    assert rotation.active(DAY + timedelta(days=2)) == (B, C)
    served, _ = serve(rotation, DAY + timedelta(days=2), 3)
    assert served == names(B, C, B)


def test_val2_leaver_loses_its_kept_turn_and_rejoins_at_its_place() -> None:
    """VAL-2: a passed-over provider that leaves loses its turn; it may rejoin later."""
    rotation = abc().pause(A, DAY)
    _, rotation = serve(rotation, DAY, 1)
    assert rotation.entry(A).owed
    rotation = rotation.leave(A, DAY + timedelta(days=1))
    _, rotation = serve(rotation, DAY + timedelta(days=1), 1)
    assert not rotation.entry(A).owed
    rejoined = rotation.join(A, DAY + timedelta(days=5)).resume(A, DAY + timedelta(days=5))
    assert rejoined.providers == (A, B, C)
    assert rejoined.entry(A).joined == DAY + timedelta(days=5)
    assert rejoined.entry(A).left is None
    assert not rejoined.entry(A).owed
    take = rejoined.take(DAY + timedelta(days=5))
    assert take.provider == A
    served, _ = serve(take.rotation, DAY + timedelta(days=5), 3)
    assert served == names(B, C, A)


def test_val2_rejoining_provider_keeps_no_turn_from_before() -> None:
    """VAL-2: a provider passed over, then leaving and rejoining, starts without a kept turn."""
    rotation = abc().pause(A, DAY, DAY + timedelta(days=1))
    _, rotation = serve(rotation, DAY, 1)
    assert rotation.entry(A).owed
    rotation = rotation.leave(A, DAY + timedelta(days=1)).join(A, DAY + timedelta(days=1))
    assert not rotation.entry(A).owed
    served, _ = serve(rotation, DAY + timedelta(days=1), 3)
    assert served == names(C, A, B)


def test_val2_no_provider_available_names_the_area_and_why() -> None:
    """VAL-2: when every provider is passed over, take raises with counts of why."""
    rotation = (
        abc()
        .pause(A, DAY)
        .set_cap(B, 0)
        .leave(C, DAY + timedelta(days=1))
        .join(ZETA, DAY + timedelta(days=9))
    )
    assert rotation.next_in_turn(DAY) == C
    with pytest.raises(NoProviderAvailable) as raised:
        rotation.take(DAY + timedelta(days=1))
    message = str(raised.value)
    assert AREA in message
    assert "2026-03-03" in message
    assert "1 paused" in message
    assert "1 at the capacity cap" in message
    assert "2 not on the list that day" in message
    with pytest.raises(NoProviderAvailable):
        rotation.next_in_turn(DAY + timedelta(days=1))


def test_val2_empty_list_has_no_provider() -> None:
    """VAL-2: a list without providers says so."""
    with pytest.raises(NoProviderAvailable, match="has no providers"):
        RotationList(AREA).take(DAY)


def test_val7_urgent_start_takes_the_stockholm_date_of_an_aware_time() -> None:
    """VAL-7: an urgent assignment at 23:30 UTC on 1 March is a take on 2 March in Stockholm."""
    rotation = RotationList.alphabetical(AREA, [B], joined=DAY).join(A, DAY)
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert rotation.take(late).provider == A
    early = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # 23:30 on 1 March in Stockholm
    with pytest.raises(NoProviderAvailable):
        rotation.take(early)


def test_val2_active_and_eligible_list_providers_in_order() -> None:
    """VAL-2: active lists the providers on the list; eligible those that can receive."""
    rotation = abc().pause(B, DAY).set_cap(C, 0)
    assert rotation.active(DAY) == (A, B, C)
    assert rotation.eligible(DAY) == (A,)
    assert rotation.eligible(DAY - timedelta(days=1)) == ()


def test_val2_provider_of_another_kind_is_not_on_the_list() -> None:
    """VAL-2: a provider is matched by name and kind."""
    other = Provider(A.name, ProviderKind.PRIVATE)
    with pytest.raises(InvalidInput, match="Alfa Omsorg"):
        abc().release(other)
    with pytest.raises(InvalidInput, match="another provider named"):
        abc().join(other, DAY)


# --------------------------------------------------------------------------- bad input


def test_val2_naive_datetime_is_refused() -> None:
    """VAL-2: a naive datetime is refused, with the argument named."""
    with pytest.raises(InvalidInput, match="on is a naive datetime"):
        abc().take(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(InvalidInput, match="start is a naive datetime"):
        abc().pause(A, datetime(2026, 3, 2, 9, 0))
    with pytest.raises(InvalidInput, match="joined"):
        RotationList.alphabetical(AREA, [A], joined=datetime(2026, 3, 2, 9, 0))


def test_val2_a_day_that_is_not_a_date_is_refused_by_type() -> None:
    """VAL-2: a string day is refused by its type, not echoed (X-7)."""
    with pytest.raises(InvalidInput) as raised:
        abc().take("19121212-1212")  # type: ignore[arg-type]
    assert "1212" not in str(raised.value)
    assert "str" in str(raised.value)


def test_val2_unknown_provider_is_refused_with_its_name_and_the_area() -> None:
    """VAL-2: changing a provider that is not on the list names it and the area."""
    rotation = abc()
    changes: list[Callable[[], object]] = [
        lambda: rotation.leave(ZETA, DAY + timedelta(days=1)),
        lambda: rotation.pause(ZETA, DAY),
        lambda: rotation.resume(ZETA, DAY),
        lambda: rotation.set_cap(ZETA, 1),
        lambda: rotation.release(ZETA),
        lambda: rotation.entry(ZETA),
    ]
    for change in changes:
        with pytest.raises(
            InvalidInput, match=r"'Zeta Vård' \(privat\) is not on the list of area 'Norr'"
        ):
            change()
    with pytest.raises(InvalidInput, match="must be a Provider"):
        abc().release("Zeta Vård")  # type: ignore[arg-type]


@pytest.mark.parametrize("cap", [-1, True, 1.5, "2"])
def test_val2_bad_cap_is_refused(cap: object) -> None:
    """VAL-2: a cap is a whole number 0 or more, or None."""
    with pytest.raises(InvalidInput, match="cap"):
        abc().set_cap(A, cap)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="cap"):
        abc().join(ZETA, DAY, cap=cap)  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [191212121212, 1912121212, MAX_COUNT + 1])
def test_x7_a_count_too_large_for_any_list_is_refused_so_repr_cannot_hold_a_number(
    count: int,
) -> None:
    """VAL-2, X-7: 191212121212 as a cap would be an identity number in the list's repr."""
    for name in ("cap", "assigned", "served"):
        with pytest.raises(InvalidInput, match=rf"^{name} must be from 0 to 999999") as caught:
            RotationEntry(A, DAY, **{name: count})  # type: ignore[arg-type]
        assert "1212" not in str(caught.value)
    with pytest.raises(InvalidInput, match=r"^cap must be from 0 to 999999"):
        abc().set_cap(A, count)
    assert RotationEntry(A, DAY, cap=MAX_COUNT, served=MAX_COUNT).cap == MAX_COUNT


def test_val2_duplicate_provider_is_refused() -> None:
    """VAL-2: a provider is on a list at most once."""
    with pytest.raises(InvalidInput, match="'Alfa Omsorg' is on the list of area 'Norr' twice"):
        RotationList.alphabetical(AREA, [A, B, A], joined=DAY)
    with pytest.raises(InvalidInput, match="twice"):
        RotationList.in_order(AREA, [A, Provider(A.name, ProviderKind.PRIVATE)], joined=DAY)
    with pytest.raises(InvalidInput, match="already on the list"):
        abc().join(A, DAY + timedelta(days=1))
    with pytest.raises(InvalidInput, match="until 2026-03-10"):
        abc().leave(A, DAY + timedelta(days=8)).join(A, DAY + timedelta(days=7))


def test_val2_pause_end_must_be_after_its_start() -> None:
    """VAL-2: a pause ending before or on its start day is refused."""
    with pytest.raises(InvalidInput, match="end of a pause must be after its start"):
        abc().pause(A, DAY, DAY - timedelta(days=1))
    with pytest.raises(InvalidInput, match="end of a pause must be after its start"):
        abc().pause(A, DAY, DAY)
    with pytest.raises(InvalidInput, match="reason"):
        abc().pause(A, DAY, reason=None)  # type: ignore[arg-type]


def test_val2_resume_when_not_paused_is_refused() -> None:
    """VAL-2: resuming a provider that is not paused that day is a mistake."""
    with pytest.raises(InvalidInput, match="not paused on 2026-03-02"):
        abc().resume(A, DAY)
    with pytest.raises(InvalidInput, match="not paused"):
        abc().pause(A, DAY + timedelta(days=1)).resume(A, DAY)


def test_val2_leave_must_follow_join_and_come_once() -> None:
    """VAL-2: a provider leaves after the day it joined, and only once."""
    with pytest.raises(InvalidInput, match="must be after the day it joined"):
        abc().leave(A, DAY)
    with pytest.raises(InvalidInput, match="already leaves the list of area 'Norr' on 2026-03-05"):
        abc().leave(A, DAY + timedelta(days=3)).leave(A, DAY + timedelta(days=4))
    with pytest.raises(InvalidInput, match="after the day it joined"):
        RotationEntry(A, DAY, left=DAY)


def test_val2_list_values_are_validated() -> None:
    """VAL-2: the list refuses an unsorted alphabetical order, a bad turn and bad names."""
    entries = (RotationEntry(B, DAY), RotationEntry(A, DAY))
    with pytest.raises(InvalidInput, match="not in Swedish alphabetical order"):
        RotationList(AREA, entries)
    assert RotationList(AREA, entries, ordering=RotationOrder.GIVEN).providers == (B, A)
    with pytest.raises(InvalidInput, match="turn must be the index of an entry, 0 to 1"):
        RotationList(AREA, entries, ordering=RotationOrder.GIVEN, turn=2)
    with pytest.raises(InvalidInput, match="turn must be the index"):
        RotationList(AREA, turn=1)
    with pytest.raises(InvalidInput, match="area"):
        RotationList(" Norr")
    with pytest.raises(InvalidInput, match="area"):
        RotationList("")
    with pytest.raises(InvalidInput, match="entries must be a tuple"):
        RotationList(AREA, list(entries))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="providers must be an iterable"):
        RotationList.alphabetical(AREA, "Alfa", joined=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="each provider must be a Provider"):
        RotationList.alphabetical(AREA, ["Alfa"], joined=DAY)  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match=r"joined must be a datetime\.date"):
        RotationEntry(A, datetime(2026, 3, 2, tzinfo=SE))
    with pytest.raises(InvalidInput, match="owed must be True or False"):
        RotationEntry(A, DAY, owed=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="assigned must be from 0 to 999999"):
        RotationEntry(A, DAY, assigned=-1)


# --------------------------------------------------------------------------- properties

# Takes weigh most; days mostly stay the same so that takes meet pauses and caps.
KINDS_ALL = (
    *("take",) * 6,
    *("pause", "resume", "cap", "release", "release", "join", "leave"),
)
KINDS_NO_LIMITS = (*("take",) * 6, "join", "leave")

Op = tuple[str, int, int, int]


def ops(kinds: Sequence[str]) -> st.SearchStrategy[list[Op]]:
    return st.lists(
        st.tuples(
            st.sampled_from(kinds),
            st.integers(0, 6),
            st.integers(0, 4),
            st.sampled_from((0, 0, 0, 0, 1, 2)),
        ),
        min_size=10,
        max_size=80,
    )


@st.composite
def initial_lists(draw: st.DrawFn) -> RotationList:
    providers = draw(st.permutations(POOL))[: draw(st.integers(0, len(POOL)))]
    if draw(st.booleans()):
        return RotationList.alphabetical(AREA, providers, joined=DAY)
    return RotationList.in_order(AREA, providers, joined=DAY)


@dataclass(frozen=True)
class Step:
    kind: str
    day: date
    before: RotationList
    after: RotationList
    provider: Provider
    take: Take | None = None
    passed: tuple[Provider, ...] = ()
    kept: bool = False


def find(rotation: RotationList, provider: Provider) -> RotationEntry | None:
    for entry in rotation.entries:
        if entry.provider == provider:
            return entry
    return None


def on_list(entry: RotationEntry, day: date) -> bool:
    return entry.joined <= day and (entry.left is None or day < entry.left)


def paused(entry: RotationEntry, day: date) -> bool:
    return any(p.start <= day and (p.end is None or day < p.end) for p in entry.pauses)


def can_receive(entry: RotationEntry, day: date) -> bool:
    """Eligibility computed from the fields, independently of the module's methods."""
    at_cap = entry.cap is not None and entry.assigned >= entry.cap
    return on_list(entry, day) and not paused(entry, day) and not at_cap


def play(rotation: RotationList, script: Sequence[Op], *, caps: bool = True) -> list[Step]:
    """Apply a script of operations on non-decreasing days, skipping ones that do not apply."""
    day = DAY
    steps: list[Step] = []
    for kind, who, number, advance in script:
        day += timedelta(days=advance)
        # Joins pick from the pool; other changes pick a provider of the list.
        listed = rotation.providers if kind != "join" and rotation.entries else POOL
        provider = listed[who % len(listed)]
        entry = find(rotation, provider)
        before = rotation
        if kind == "take":
            step = take_step(rotation, day, provider)
            steps.append(step)
            rotation = step.after
            continue
        if kind == "join":
            start = day + timedelta(days=number % 3)
            if entry is not None and (entry.left is None or entry.left > start):
                continue
            cap = number - 1 if caps and number >= 1 else None
            rotation = rotation.join(provider, start, cap=cap)
        elif kind == "leave":
            if entry is None or entry.left is not None:
                continue
            rotation = rotation.leave(provider, max(day, entry.joined) + timedelta(1 + number % 3))
        elif entry is None:
            continue
        elif kind == "pause":
            start = day + timedelta(days=number // 3)
            end = None if number == 4 else start + timedelta(days=number + 1)
            rotation = rotation.pause(provider, start, end)
        elif kind == "resume":
            if not paused(entry, day):
                continue
            rotation = rotation.resume(provider, day)
        elif kind == "cap":
            rotation = rotation.set_cap(provider, (None, 1, 2, 3, 0)[number])
        else:
            assert kind == "release"
            rotation = rotation.release(provider)
        steps.append(Step(kind, day, before, rotation, provider))
    return steps


def take_step(rotation: RotationList, day: date, provider: Provider) -> Step:
    """Take on a day, recording what the list said before: passed over, kept turn."""
    if not any(can_receive(e, day) for e in rotation.entries):
        with pytest.raises(NoProviderAvailable):
            rotation.take(day)
        with pytest.raises(NoProviderAvailable):
            rotation.passed_over(day)
        return Step("unavailable", day, rotation, rotation, provider)
    passed = rotation.passed_over(day)
    take = rotation.take(day)
    kept = rotation.entry(take.provider).owed
    return Step("take", day, rotation, take.rotation, take.provider, take, passed, kept)


@given(
    st.lists(st.sampled_from(POOL), min_size=1, unique=True),
    st.integers(0, 50),
    st.booleans(),
)
def test_val2_without_caps_or_pauses_counts_differ_by_at_most_one(
    providers: list[Provider], takes: int, alphabetical: bool
) -> None:
    """VAL-2: over any number of takes every provider's count is within one of every other's.

    And the takes go round the fixed order: any run of as many takes as there are
    providers serves each provider exactly once.
    """
    build = RotationList.alphabetical if alphabetical else RotationList.in_order
    rotation = build(AREA, providers, joined=DAY)
    order = sorted(providers, key=lambda p: swedish_sort_key(p.name)) if alphabetical else providers
    served, rotation = serve(rotation, DAY, takes)
    counts = {p.name: served.count(p.name) for p in providers}
    assert max(counts.values()) - min(counts.values()) <= 1
    assert served == [order[i % len(order)].name for i in range(takes)]
    assert rotation.counts == {p: counts[p.name] for p in order}
    for start in range(max(takes - len(order) + 1, 0)):
        assert sorted(served[start : start + len(order)]) == sorted(p.name for p in order)


@given(initial_lists(), ops(KINDS_NO_LIMITS))
def test_val2_no_provider_served_twice_before_every_active_provider_served_once(
    rotation: RotationList, script: list[Op]
) -> None:
    """VAL-2: without caps and pauses, joins and leaves included, between two turns of a
    provider every provider on the list throughout has had a turn.
    """
    steps = [s for s in play(rotation, script, caps=False) if s.kind in {"take", "unavailable"}]
    for step in steps:
        if step.take is not None:
            assert step.passed == ()
            assert not step.kept
    served_at: dict[Provider, list[int]] = {}
    for index, step in enumerate(steps):
        if step.take is not None:
            served_at.setdefault(step.take.provider, []).append(index)
    for provider, indices in served_at.items():
        for first, second in itertools.pairwise(indices):
            window = steps[first : second + 1]
            between = {s.take.provider for s in steps[first + 1 : second] if s.take is not None}
            for other in POOL:
                if other == provider:
                    continue
                always = all(
                    (entry := find(s.before, other)) is not None and on_list(entry, s.day)
                    for s in window
                )
                if always:
                    note(f"{provider.name} served at {first} and {second}")
                    assert other in between, f"{other.name} was skipped"


@given(initial_lists(), ops(KINDS_ALL))
def test_val2_capped_or_paused_provider_is_never_chosen(
    rotation: RotationList, script: list[Op]
) -> None:
    """VAL-2: every take chooses a provider that could receive on that day; a provider at
    its cap, paused, or not on the list is never chosen; take fails only when none can.
    """
    for step in play(rotation, script):
        eligible = tuple(e.provider for e in step.before.entries if can_receive(e, step.day))
        assert step.before.eligible(step.day) == eligible
        assert step.before.active(step.day) == tuple(
            e.provider for e in step.before.entries if on_list(e, step.day)
        )
        if step.kind == "unavailable":
            assert eligible == ()
        if step.take is None:
            continue
        assert step.take.provider in eligible
        before = find(step.before, step.take.provider)
        after = find(step.after, step.take.provider)
        assert before is not None
        assert after is not None
        assert after.assigned == before.assigned + 1
        assert after.cap is None or after.assigned <= after.cap
        for passed in step.passed:
            entry = find(step.before, passed)
            assert entry is not None
            assert on_list(entry, step.day)
            assert not can_receive(entry, step.day)


@pytest.mark.slow
@given(initial_lists(), ops(KINDS_ALL), st.integers(0, 30))
def test_val2_same_inputs_give_the_same_choice_and_take_never_mutates(
    rotation: RotationList, script: list[Op], offset: int
) -> None:
    """VAL-2: the same list and day give the same take; the old list is left as it was."""
    steps = play(rotation, script)
    final = steps[-1].after if steps else rotation
    day = DAY + timedelta(days=offset)
    snapshot = copy.deepcopy(final)
    try:
        first = final.take(day)
    except NoProviderAvailable:
        with pytest.raises(NoProviderAvailable):
            final.take(day)
        with pytest.raises(NoProviderAvailable):
            final.next_in_turn(day)
        assert final == snapshot
        return
    assert final.take(day) == first
    assert final.take(datetime.combine(day, datetime.min.time(), SE)) == first
    assert final.take(datetime.combine(day, datetime.max.time(), SE)) == first
    assert final.next_in_turn(day) == first.provider
    assert final == snapshot
    assert attrs.evolve(final) == final
    assert hash(final) == hash(snapshot)


@pytest.mark.slow
@given(initial_lists(), ops(KINDS_ALL))
def test_val2_passed_over_provider_keeps_its_turn(rotation: RotationList, script: list[Op]) -> None:
    """VAL-2: a provider passed over keeps one turn.

    Law: while a provider passed over has not been served since (and has not left or
    rejoined), no take serves a provider that was not passed over if a passed-over one
    can receive that day. So a passed-over provider that can receive again is served
    before any other provider gets another turn, and a take is on a kept turn exactly
    when its provider was passed over since its last turn (one kept turn, not a burst).
    """
    waiting: set[Provider] = set()
    for step in play(rotation, script):
        if step.kind == "join":
            waiting.discard(step.provider)
        if step.kind not in {"take", "unavailable"}:
            continue
        for provider in list(waiting):
            entry = find(step.before, provider)
            assert entry is not None
            if entry.left is not None and entry.left <= step.day:
                waiting.discard(provider)
        if step.take is None:
            continue
        owed = {p for p in waiting if (e := find(step.before, p)) and can_receive(e, step.day)}
        chosen = step.take.provider
        if owed:
            assert chosen in owed
        assert step.kept == (chosen in waiting)
        waiting.discard(chosen)
        waiting.update(step.passed)
        assert {e.provider for e in step.after.entries if e.owed} == waiting


# --------------------------------------------------------------------------- stateful


@dataclass
class RefEntry:
    joined: date
    left: date | None = None
    cap: int | None = None
    assigned: int = 0
    pauses: list[tuple[date, date | None]] = field(default_factory=list)


class ReferenceList:
    """The rules restated with names: the order, the provider in turn, the owed ones."""

    def __init__(self, providers: Sequence[Provider], alphabetical: bool) -> None:
        self.alphabetical = alphabetical
        self.order = list(providers)
        self.entries = {p: RefEntry(DAY) for p in providers}
        self.owed: set[Provider] = set()
        self.next: Provider | None = self.order[0] if self.order else None

    def on_list(self, p: Provider, day: date) -> bool:
        e = self.entries[p]
        return e.joined <= day and (e.left is None or day < e.left)

    def can_receive(self, p: Provider, day: date) -> bool:
        e = self.entries[p]
        capped = e.cap is not None and e.assigned >= e.cap
        stopped = any(s <= day and (t is None or day < t) for s, t in e.pauses)
        return self.on_list(p, day) and not capped and not stopped

    def take(self, day: date) -> tuple[Provider, tuple[Provider, ...], bool] | None:
        if self.next is None:
            return None
        start = self.order.index(self.next)
        cycle = self.order[start:] + self.order[:start]
        eligible = [p for p in cycle if self.can_receive(p, day)]
        if not eligible:
            return None
        regular = eligible[0]
        passed = tuple(p for p in cycle[: cycle.index(regular)] if self.on_list(p, day))
        owed = [p for p in eligible if p in self.owed]
        if owed and owed[0] != regular:
            # A passed-over provider further on keeps its turn; the order stays put.
            chosen, passed, kept = owed[0], (), True
        else:
            chosen, kept = regular, regular in self.owed
            self.next = self.order[(self.order.index(regular) + 1) % len(self.order)]
            self.owed |= set(passed)
        self.owed.discard(chosen)
        for p in list(self.owed):
            left = self.entries[p].left
            if left is not None and left <= day:
                self.owed.discard(p)
        self.entries[chosen].assigned += 1
        return chosen, passed, kept

    def join(self, p: Provider, day: date, cap: int | None) -> None:
        if p in self.entries:
            entry = self.entries[p]
            entry.joined, entry.left, entry.cap = day, None, cap
            self.owed.discard(p)
            return
        self.entries[p] = RefEntry(day, cap=cap)
        key = swedish_sort_key(p.name)
        if self.alphabetical:
            place = sum(1 for q in self.order if swedish_sort_key(q.name) < key)
        else:
            place = len(self.order)
        at_turn = self.next is not None and self.order.index(self.next) == place
        self.order.insert(place, p)
        if self.next is None or at_turn:
            self.next = p


class RotationMachine(RuleBasedStateMachine):
    """VAL-2: the list and the reference agree after any sequence of operations."""

    def __init__(self) -> None:
        super().__init__()
        self.day = DAY
        self.rotation = RotationList(AREA)
        self.model = ReferenceList([], alphabetical=True)

    @initialize(
        providers=st.lists(st.sampled_from(POOL), unique=True, max_size=5),
        alphabetical=st.booleans(),
    )
    def start(self, providers: list[Provider], alphabetical: bool) -> None:
        if alphabetical:
            self.rotation = RotationList.alphabetical(AREA, providers, joined=DAY)
            providers = sorted(providers, key=lambda p: swedish_sort_key(p.name))
        else:
            self.rotation = RotationList.in_order(AREA, providers, joined=DAY)
        self.model = ReferenceList(providers, alphabetical)

    @rule(days=st.integers(1, 3))
    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)

    @rule()
    def take(self) -> None:
        expected = self.model.take(self.day)
        if expected is None:
            with pytest.raises(NoProviderAvailable):
                self.rotation.take(self.day)
            return
        passed = self.rotation.passed_over(self.day)
        take = self.rotation.take(self.day)
        kept = self.rotation.entry(take.provider).owed
        assert (take.provider, passed, kept) == expected
        self.rotation = take.rotation

    @precondition(lambda self: bool(self.model.order))
    @rule(data=st.data(), offset=st.integers(0, 2), length=st.none() | st.integers(1, 4))
    def pause(self, data: st.DataObject, offset: int, length: int | None) -> None:
        p = data.draw(st.sampled_from(self.model.order))
        start = self.day + timedelta(days=offset)
        end = None if length is None else start + timedelta(days=length)
        self.rotation = self.rotation.pause(p, start, end, "Intagningsstopp")
        self.model.entries[p].pauses.append((start, end))

    @precondition(lambda self: bool(self.model.order))
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        p = data.draw(st.sampled_from(self.model.order))
        entry = self.model.entries[p]
        day = self.day
        if not any(s <= day and (t is None or day < t) for s, t in entry.pauses):
            with pytest.raises(InvalidInput, match="not paused"):
                self.rotation.resume(p, day)
            return
        self.rotation = self.rotation.resume(p, day)
        kept: list[tuple[date, date | None]] = []
        for s, t in entry.pauses:
            if not (s <= day and (t is None or day < t)):
                kept.append((s, t))
            elif s < day:
                kept.append((s, day))
        entry.pauses = kept

    @precondition(lambda self: bool(self.model.order))
    @rule(data=st.data(), cap=st.none() | st.integers(0, 3))
    def set_cap(self, data: st.DataObject, cap: int | None) -> None:
        p = data.draw(st.sampled_from(self.model.order))
        self.rotation = self.rotation.set_cap(p, cap)
        self.model.entries[p].cap = cap

    @precondition(lambda self: bool(self.model.order))
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        p = data.draw(st.sampled_from(self.model.order))
        self.rotation = self.rotation.release(p)
        entry = self.model.entries[p]
        entry.assigned = max(entry.assigned - 1, 0)

    @rule(p=st.sampled_from(POOL), offset=st.integers(0, 3), cap=st.none() | st.integers(0, 3))
    def join(self, p: Provider, offset: int, cap: int | None) -> None:
        day = self.day + timedelta(days=offset)
        entry = self.model.entries.get(p)
        if entry is not None and (entry.left is None or entry.left > day):
            with pytest.raises(InvalidInput, match="already on the list"):
                self.rotation.join(p, day, cap=cap)
            return
        self.rotation = self.rotation.join(p, day, cap=cap)
        self.model.join(p, day, cap)

    @precondition(lambda self: bool(self.model.order))
    @rule(data=st.data(), offset=st.integers(0, 3))
    def leave(self, data: st.DataObject, offset: int) -> None:
        p = data.draw(st.sampled_from(self.model.order))
        day = self.day + timedelta(days=offset)
        entry = self.model.entries[p]
        if entry.left is not None or day <= entry.joined:
            with pytest.raises(InvalidInput):
                self.rotation.leave(p, day)
            return
        self.rotation = self.rotation.leave(p, day)
        entry.left = day

    @invariant()
    def agrees_with_the_reference(self) -> None:
        assert list(self.rotation.providers) == self.model.order
        assert {e.provider for e in self.rotation.entries if e.owed} == self.model.owed
        for entry in self.rotation.entries:
            assert entry.assigned == self.model.entries[entry.provider].assigned
        if self.model.next is not None:
            assert self.rotation.entries[self.rotation.turn].provider == self.model.next
        assert self.rotation.eligible(self.day) == tuple(
            p for p in self.model.order if self.model.can_receive(p, self.day)
        )


TestRotationMachine = RotationMachine.TestCase
pytest.mark.slow(TestRotationMachine)  # run with -m slow


# --------------------------------------------------------------------------- hardening


def test_val2_messages_never_repeat_numbers_or_whole_names() -> None:
    """VAL-2, X-7: counts and turns are not echoed; names are quoted, masked and cut."""
    rotation = RotationList.alphabetical(AREA, [A, B], joined=DAY)
    for build in (
        lambda: attrs.evolve(rotation, turn=191212121212),
        lambda: RotationEntry(A, DAY, cap=-191212121212),
        lambda: RotationEntry(A, DAY, assigned=-191212121212),
    ):
        with pytest.raises(InvalidInput) as caught:
            build()
        assert "1212" not in str(caught.value)
    long = Provider("Vård " + "x" * 190)
    with pytest.raises(InvalidInput, match="is not on the list") as refused:
        rotation.entry(long)
    assert "x" * 60 not in str(refused.value)


def test_val2_a_pause_reason_may_not_hold_an_identity_number() -> None:
    """VAL-2, X-7: the assessors' note on a pause is free text: no identity number."""
    rotation = RotationList.alphabetical(AREA, [A, B], joined=DAY)
    with pytest.raises(InvalidInput, match="refer to the person by case number"):
        rotation.pause(A, DAY, reason="kund 19121212-1212")
    assert rotation.pause(A, DAY, reason="semester").entry(A).pauses[0].reason == "semester"


def test_val2_wrong_types_name_the_field() -> None:
    """VAL-2: an ordering or provider of the wrong type is InvalidInput naming the field."""
    with pytest.raises(InvalidInput, match=r"^ordering must be a RotationOrder member"):
        RotationList(AREA, (), ordering="alfabetisk")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"^provider must be a Provider"):
        RotationEntry("Alfa", DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"^kind must be a ProviderKind member"):
        Provider("A", "191212121212")  # type: ignore[arg-type]
