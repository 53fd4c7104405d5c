"""Kernel v3: judging as of any moment, obligations per item, one fold over many cases (X-5).

A small routine written here ("J") has what the routines need from the kernel:
obligations opened once per item and met only by a step for that item (``per``,
``met_if``), a due time a later step moves (``moved_by``), a condition that applies an
obligation for good once it held (``when``), a role rule that depends on the event
(``roles_for``), checks that refuse a step or, in a log, judge it, and a command where
the request differs from the record. Then the properties every routine keeps: a case
judged as of a moment is judged as it was known then, a deviation once found is never
erased, and a fold over many cases does not depend on the order of its input.
"""

from __future__ import annotations

import gc
import linecache
import pickle
import random
import re
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, ClassVar, Final
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import example, given, reject, settings
from hypothesis import strategies as st

from arendefordelning import InvalidDefinition, InvalidInput, NotPermitted, routines, strategies
from arendefordelning.errors import ForbiddenStep
from arendefordelning.kernel import (
    ActionKind,
    Actor,
    AnomalyKind,
    CaseState,
    Channel,
    Check,
    Command,
    Deviation,
    DeviationKind,
    Due,
    Event,
    Finding,
    Flag,
    Opened,
    RequiredAction,
    Role,
    Routine,
    RoutinePolicy,
    Severity,
    Table,
)
from arendefordelning.kernel._generated import replace
from arendefordelning.testing import check_judging, machine_for

SE = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SE)  # a Monday
ASSESSOR = Actor("bh-1", Role.NEEDS_ASSESSOR)
PROVIDER = Actor("ut-1", Role.PROVIDER)
PATROL = Actor("np-1", Role.NIGHT_PATROL)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# --------------------------------------------------------------------------- routine J


@attrs.frozen(kw_only=True)
class JPolicy(RoutinePolicy):
    within: timedelta = timedelta(days=2)
    """How long each item may take. X-4."""


@attrs.frozen(kw_only=True, repr=False)
class JState(CaseState):
    items: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    urgent: bool = False
    start: datetime | None = None


class JEvent(Event):
    routine: ClassVar[str] = "J"


def _items(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Granted(JEvent):
    items: tuple[str, ...] = attrs.field(converter=_items)
    urgent: bool = False


@attrs.frozen(kw_only=True)
class ItemDone(JEvent):
    item: str
    by_patrol: bool = False


@attrs.frozen(kw_only=True)
class StartMoved(JEvent):
    start: datetime


@attrs.frozen(kw_only=True)
class Calmed(JEvent):
    pass


@attrs.frozen(kw_only=True)
class Reported(JEvent):
    number: int = 0


@attrs.frozen(kw_only=True)
class Ended(JEvent):
    pass


@attrs.frozen(kw_only=True)
class Report(Command):
    """The report's number comes from the state: a command."""


rows = Table(JState, JPolicy)


def item_due(record: Opened[Granted], policy: JPolicy) -> datetime:
    """Each item is due ``within`` from the grant or from the latest start moved to."""
    start = record.at
    for update in record.updates:
        assert isinstance(update, StartMoved)
        start = update.start
    return start + policy.within


def unknown_item(state: JState, event: ItemDone) -> str | None:
    return None if event.item in state.items else "the item was not granted"


def done_twice(state: JState, event: ItemDone) -> str | None:
    return "the item is done already" if event.item in state.done else None


def report(command: Report, state: JState, policy: JPolicy) -> Reported:
    return Reported(
        case=command.case,
        at=command.at,
        recorded_at=command.recorded_at,
        actor=command.actor,
        number=len(state.done),
    )


URGENT = rows.condition(("ärendet är brådskande", "the case is urgent"), lambda s: s.urgent)

DO_ITEM = rows.obligation(
    "do_item",
    Granted,
    requirement="UP-9",
    roles=(Role.PROVIDER, Role.NIGHT_PATROL),
    sv=lambda record: f"utför insatsen {record.key}",
    en=lambda record: f"carry out the intervention {record.key}",
    met_by=("done",),
    per=lambda state, event, policy: event.items,
    met_if=lambda record, event: event.item == record.key,
    due=item_due,
    since=("beviljandet", "the grant"),
    rule=("inom två dygn", "within two days"),
    moved_by=("move",),
    channel=lambda record: Channel.TELEPHONE if record.key == "larm" else Channel.SYSTEM_MESSAGE,
)
REPORT = rows.obligation(
    "report",
    Granted,
    requirement="UP-8",
    roles=Role.NEEDS_ASSESSOR,
    sv="rapportera det brådskande ärendet",
    en="report the urgent case",
    met_by=("report",),
    due=lambda record, policy: record.at.date() + timedelta(days=1),
    since=("beviljandet", "the grant"),
    rule=("senast nästa dag", "by the next day"),
    when=URGENT,
)

STEPS = (
    rows.step(
        "grant",
        Granted,
        requirements=("UP-1",),
        roles=(Role.NEEDS_ASSESSOR,),
        label=("bevilja insatser", "grant the interventions"),
        opens=(DO_ITEM, REPORT),
        apply=lambda s, e, p: {"items": e.items, "urgent": e.urgent},
    ),
    rows.step(
        "done",
        ItemDone,
        requirements=("UP-9",),
        roles=(Role.PROVIDER, Role.NIGHT_PATROL),
        roles_for=lambda e: (Role.NIGHT_PATROL,) if e.by_patrol else (Role.PROVIDER,),
        label=("utföra en insats", "carry out an intervention"),
        after=("grant",),
        once=False,
        checks=(
            Check(
                "UP-9",
                unknown_item,
                ("utför bara beviljade insatser", "carry out granted interventions only"),
                invalid=True,
            ),
            Check(
                "UP-9",
                done_twice,
                ("registrera en insats en gång", "register an intervention once"),
                kind=DeviationKind.NOT_REQUIRED,
            ),
        ),
        apply=lambda s, e, p: {"done": (*s.done, e.item)},
    ),
    rows.step(
        "move",
        StartMoved,
        requirements=("VAL-6",),
        roles=(Role.NEEDS_ASSESSOR,),
        label=("flytta starten", "move the start"),
        after=("grant",),
        once=False,
        apply=lambda s, e, p: {"start": e.start},
    ),
    rows.step(
        "calm",
        Calmed,
        requirements=("UP-8",),
        roles=(Role.NEEDS_ASSESSOR,),
        label=("ta bort brådskan", "take away the urgency"),
        after=("grant",),
        when=URGENT,
        apply=lambda s, e, p: {"urgent": False},
    ),
    rows.step(
        "report",
        Reported,
        command=Report,
        build=report,
        requirements=("UP-8",),
        roles=(Role.NEEDS_ASSESSOR,),
        label=("rapportera", "report"),
        after=("grant",),
    ),
    rows.step(
        "end",
        Ended,
        requirements=("UP-1",),
        roles=(Role.NEEDS_ASSESSOR,),
        label=("avsluta", "end"),
        after=("grant",),
        terminal=True,
    ),
)

J: Routine[JState, JEvent, JPolicy] = Routine(
    code="J",
    title="Bedömningsrutin",
    title_en="Judging routine",
    initial=JState(),
    policy=JPolicy(),
    steps=STEPS,
)


def granted(*items: str, hours: float = 0, urgent: bool = False, **more: Any) -> Granted:
    return Granted(case="K-1", at=at(hours), actor=ASSESSOR, items=items, urgent=urgent, **more)


def done(item: str, hours: float, **more: Any) -> ItemDone:
    return ItemDone(case="K-1", at=at(hours), actor=PROVIDER, item=item, **more)


def record(*requests: Event | Command) -> tuple[list[JEvent], JState]:
    events: list[JEvent] = []
    state = J.initial_state
    for request in requests:
        new, state = J.handle(request, state)
        events += new
    return events, state


def kinds(found: list[Deviation]) -> list[tuple[str, str]]:
    return [(d.requirement, d.kind.name) for d in found]


# --------------------------------------------------------------------------- items


def test_up_9_an_obligation_per_item_is_met_only_by_its_item() -> None:
    """UP-9: one record per intervention; the step for one meets that one only."""
    _, state = record(granted("hemtjänst", "larm"), done("larm", 1))
    open_items = [r.key for r in state.obligations if r.name == "do_item" and r.open]
    assert open_items == ["hemtjänst"]
    (action,) = J.required_actions(state)
    assert action.sv == "utför insatsen hemtjänst"
    assert action.roles == (Role.PROVIDER, Role.NIGHT_PATROL)
    assert action.channel is Channel.SYSTEM_MESSAGE  # per item: the alarm's goes by telephone
    _, both = record(granted("hemtjänst", "larm"))
    assert [a.channel for a in J.required_actions(both)] == [
        Channel.SYSTEM_MESSAGE,
        Channel.TELEPHONE,
    ]
    assert action.due == at(48)
    (missing,) = J.deviations(state, as_of=at(49))
    assert (missing.kind, missing.sv, missing.due) == (
        DeviationKind.MISSING,
        "utför insatsen hemtjänst",
        at(48),
    )


def test_x2_roles_that_depend_on_the_event_are_checked_by_decide_and_replay() -> None:
    """X-2: the night patrol may register an item only as the night patrol's step."""
    _, state = record(granted("larm"))
    by_patrol = ItemDone(case="K-1", at=at(1), actor=PATROL, item="larm", by_patrol=True)
    assert J.decide(by_patrol, state) == [by_patrol]
    wrong = ItemDone(case="K-1", at=at(1), actor=PATROL, item="larm")
    with pytest.raises(NotPermitted, match="roles allowed for them: utförare"):
        J.decide(wrong, state)
    logged = J.replay([granted("larm"), wrong], strict=False)
    assert [a.kind for a in logged.anomalies] == [AnomalyKind.WRONG_ROLE]
    assert kinds(J.deviations(logged, as_of=at(2))) == [("X-2", "WRONG_ROLE")]


def test_x5_checks_refuse_in_decide_and_judge_in_a_lenient_replay() -> None:
    """X-5: bad data for the state is InvalidInput; a forbidden step ForbiddenStep; a log
    holding either is folded (it happened) and is a deviation with the check's text."""
    _, state = record(granted("larm"), done("larm", 1))
    with pytest.raises(InvalidInput, match="the item was not granted \\(UP-9\\)"):
        J.decide(done("tvätt", 2), state)
    with pytest.raises(ForbiddenStep, match="the item is done already") as caught:
        J.decide(done("larm", 2), state)
    assert caught.value.requirement == "UP-9"
    logged = J.replay([granted("larm"), done("larm", 1), done("larm", 2)], strict=False)
    assert logged.done == ("larm", "larm")
    (deviation,) = J.deviations(logged, as_of=at(3))
    assert (deviation.kind, deviation.sv, deviation.happened_at) == (
        DeviationKind.NOT_REQUIRED,
        "registrera en insats en gång",
        at(2),
    )
    with pytest.raises(InvalidInput, match=r"event 2: .*done already"):
        J.replay([granted("larm"), done("larm", 1), done("larm", 2)])


def test_x1_a_command_where_the_record_needs_the_state() -> None:
    """X-1: the command completes the event from the state; the event itself is refused."""
    _, state = record(granted("larm"), done("larm", 1))
    (event,) = J.decide(Report(case="K-1", at=at(2), actor=ASSESSOR), state)
    assert event == Reported(case="K-1", at=at(2), actor=ASSESSOR, number=1)
    with pytest.raises(InvalidInput, match="Reported is recorded through Report"):
        J.decide(event, state)
    assert J.commands == (Granted, ItemDone, StartMoved, Calmed, Report, Ended)


# --------------------------------------------------------------------------- as known then


def test_x5_a_later_start_recorded_before_the_due_time_moves_it() -> None:
    """VAL-6-like: a start moved while the item was not yet due moves its due time."""
    moved = StartMoved(case="K-1", at=at(10), actor=ASSESSOR, start=at(72))
    _, state = record(granted("larm"), moved)
    assert J.required_actions(state)[0].due == at(120)
    assert J.deviations(state, as_of=at(100)) == []
    assert kinds(J.deviations(state, as_of=at(121))) == [("UP-9", "MISSING")]


def test_x5_a_start_agreed_in_time_but_recorded_after_the_due_time_moves_nothing() -> None:
    """X-5: agreed at 10 h, recorded at 60 h (after the 48 h due time): as of 50 h the
    item was missing, and it stays missing as of every later moment."""
    moved = StartMoved(case="K-1", at=at(10), recorded_at=at(60), actor=ASSESSOR, start=at(72))
    events, state = record(granted("larm"), moved)
    assert kinds(J.deviations(state, as_of=at(50))) == [("UP-9", "MISSING")]
    for hours in (61, 100, 200):
        (missing,) = J.deviations(state, as_of=at(hours))
        assert (missing.kind, missing.due) == (DeviationKind.MISSING, at(48))
    check_judging(J, events)


def test_x5_a_step_met_in_time_but_recorded_after_the_due_time_stays_a_deviation() -> None:
    """X-5: MISSING while not recorded; LATE, with when it happened and was recorded, once it is."""
    events, state = record(granted("larm"), done("larm", 10, recorded_at=at(50)))
    assert kinds(J.deviations(state, as_of=at(49))) == [("UP-9", "MISSING")]
    (late,) = J.deviations(state, as_of=at(51))
    assert (late.kind, late.happened_at, late.recorded_at) == (
        DeviationKind.LATE,
        at(10),
        at(50),
    )
    check_judging(J, events)


def test_x5_an_obligation_that_applied_once_applies_for_good() -> None:
    """X-5: urgent at the grant, calmed later: the report that was due stays a deviation,
    though the required actions follow the live condition."""
    calmed = Calmed(case="K-1", at=at(40), actor=ASSESSOR)
    events, state = record(granted("larm", urgent=True), calmed)
    assert [a.requirement for a in J.required_actions(state)] == ["UP-9"]
    assert ("UP-8", "MISSING") in kinds(J.deviations(state, as_of=at(41)))
    assert ("UP-8", "MISSING") in kinds(J.deviations(state, as_of=at(400)))
    _, never = record(granted("larm"))
    assert ("UP-8", "MISSING") not in kinds(J.deviations(never, as_of=at(400)))
    check_judging(J, events)


def test_x5_an_end_after_the_due_time_leaves_the_missing_step_missing() -> None:
    """X-5: ending the case voids what is open; what was overdue then stays MISSING."""
    _, early = record(granted("larm"), Ended(case="K-1", at=at(20), actor=ASSESSOR))
    assert J.deviations(early, as_of=at(400)) == []
    events, late = record(granted("larm"), Ended(case="K-1", at=at(60), actor=ASSESSOR))
    assert kinds(J.deviations(late, as_of=at(400))) == [("UP-9", "MISSING")]
    check_judging(J, events)


def test_x5_nothing_is_due_after_as_of_and_nothing_happened_after_it() -> None:
    """X-5: a deadline exactly at as_of is not yet a deviation; one a microsecond before is."""
    _, state = record(granted("larm"))
    assert J.deviations(state, as_of=at(48)) == []
    tick = at(48) + timedelta(microseconds=1)
    assert kinds(J.deviations(state, as_of=tick)) == [("UP-9", "MISSING")]


def test_x5_deviations_of_a_history_are_the_state_judged_as_known_then() -> None:
    """X-5: deviations(replay(all), as_of=t) == deviations_of(all, as_of=t) for every t."""
    events, state = record(
        granted("larm", "tvätt", urgent=True),
        done("larm", 10, recorded_at=at(30)),
        StartMoved(case="K-1", at=at(20), recorded_at=at(31), actor=ASSESSOR, start=at(30)),
        done("tvätt", 90),
    )
    for hours in range(0, 200, 7):
        moment = at(hours)
        assert J.deviations(state, as_of=moment) == J.deviations_of(events, as_of=moment)
    check_judging(J, events)


# --------------------------------------------------------------------------- never raising


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2199, 12, 31, 15, 0, tzinfo=SE),
        datetime(9999, 12, 31, 23, 30, tzinfo=SE),
        datetime(1, 1, 1, 0, 30, tzinfo=SE),
        datetime.max.replace(tzinfo=UTC),
        datetime.min.replace(tzinfo=UTC),
    ],
    ids=["calendar-end", "near-max-stockholm", "near-min-stockholm", "max-utc", "min-utc"],
)
def test_x5_any_aware_as_of_is_judged(moment: datetime) -> None:
    """X-5: as_of at or near Python's date limits never raises."""
    _, state = record(granted("larm"))
    found = J.deviations(state, as_of=moment)
    assert all(d.routine == "J" for d in found)


def test_x5_a_due_time_beyond_the_calendar_is_a_finding_not_an_exception() -> None:
    """X-5: a case near the end of Python's dates: CANNOT_BE_JUDGED, with the reason."""
    far = datetime(9999, 12, 31, 12, 0, tzinfo=SE)
    grant = Granted(case="K-1", at=far, actor=ASSESSOR, items=("larm",), urgent=True)
    state = J.replay([grant])
    found = J.deviations(state, as_of=datetime.max.replace(tzinfo=UTC))
    assert {d.kind for d in found} == {DeviationKind.CANNOT_BE_JUDGED}
    assert all(d.severity is Severity.WARNING for d in found)
    assert all(d.detail_en and d.detail_en.startswith("the due time") for d in found)
    actions = J.required_actions(state)
    assert [a.due for a in actions] == [None, None]
    assert J.due_times(state) == []


# --------------------------------------------------------------------------- one fold


def test_x1_fold_groups_orders_and_reports_duplicates_and_other_routines() -> None:
    """X-1: fold over two cases, a duplicated line and an event of another routine."""
    other = Granted(case="K-2", at=at(1), actor=ASSESSOR, items=("tvätt",))

    @attrs.frozen(kw_only=True)
    class Foreign(Event):
        routine: ClassVar[str] = "Q"

    foreign = Foreign(case="K-9", at=at(2), actor=ASSESSOR)
    lines = [done("larm", 5), granted("larm"), other, foreign, done("larm", 5)]
    folded = J.fold(lines)
    assert list(folded) == ["K-1", "K-2"]
    assert folded["K-1"].done == ("larm",)
    assert folded["K-2"].items == ("tvätt",)
    assert [(a.case, a.kind) for a in folded.anomalies] == [
        ("K-1", AnomalyKind.DUPLICATE),
        ("K-9", AnomalyKind.OTHER_ROUTINE),
    ]
    assert repr(folded) == "Folded(2 cases, 2 anomalies)"
    with pytest.raises(InvalidInput, match="recorded twice"):
        J.fold(lines, strict=True)
    assert list(J.fold(lines, as_of=at(0))) == ["K-1"]
    with pytest.raises(InvalidInput, match="events must be an iterable"):
        J.fold("lines")  # type: ignore[arg-type]


@st.composite
def logs(draw: st.DrawFn) -> list[Event]:
    """Several drawn J histories, as one log."""
    events: list[Event] = []
    for case in draw(st.lists(st.sampled_from(["A-1", "A-2", "A-3"]), unique=True, max_size=3)):
        history = draw(strategies.histories(J, max_size=8))
        events += [attrs.evolve(event, case=case) for event in history]
    return events


@settings(max_examples=60, deadline=None)
@given(logs(), st.randoms(use_true_random=False))
def test_x1_a_shuffled_log_folds_to_the_same_states_and_anomalies(
    events: list[Event], shuffler: random.Random
) -> None:
    """X-1: any order of the same events gives the same states and the same anomalies."""
    duplicated = events + events[: len(events) // 3]
    first = J.fold(duplicated)
    shuffled = list(duplicated)
    shuffler.shuffle(shuffled)
    second = J.fold(shuffled)
    assert dict(first) == dict(second)
    assert first.anomalies == second.anomalies
    assert J.ordered(shuffled) == J.ordered(duplicated)
    assert sum(a.kind is AnomalyKind.DUPLICATE for a in first.anomalies) == len(events) // 3


_CHANGES: Final = (  # from T0 (08:00 UTC) to the night of each change of offset in 2026
    timedelta(0),
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC) - T0,
    datetime(2026, 10, 25, 0, 15, tzinfo=UTC) - T0,
)


@settings(max_examples=60, deadline=None)
@given(
    logs(),
    st.sampled_from(_CHANGES),
    st.integers(-240, 240),
    st.sampled_from([SE, UTC]),
)
@example(  # granted at the second 02:30 of 25 October; as of the first 02:45: not yet
    [Granted(case="K-1", at=at(1.25), actor=ASSESSOR, items=("larm",))], _CHANGES[2], 30, SE
)
def test_x5_fold_as_of_keeps_exactly_the_events_recorded_by_then(
    events: list[Event], shift: timedelta, minutes: int, zone: tzinfo
) -> None:
    """X-5: a fold as of a moment holds the events recorded by it as instants, at a change too."""

    def moved(moment: datetime) -> datetime:
        return moment.astimezone(UTC) + shift

    shifted = [
        attrs.evolve(
            event,
            at=moved(event.at),
            recorded_at=None if event.recorded_at is None else moved(event.recorded_at),
        )
        for event in events
    ]
    as_of = (T0.astimezone(UTC) + shift + timedelta(minutes=minutes)).astimezone(zone)
    kept = [e for e in shifted if (e.recorded_at or e.at).astimezone(UTC) <= as_of]
    folded, expected = J.fold(shifted, as_of=as_of), J.fold(kept)
    assert dict(folded) == dict(expected)
    assert folded.anomalies == expected.anomalies


@settings(max_examples=80, deadline=None)
@given(strategies.histories(J, max_size=12))
def test_x5_every_drawn_history_is_judged_as_known_then(history: list[JEvent]) -> None:
    """X-5: identity with deviations_of, monotone, deterministic, nothing ahead of its time."""
    check_judging(J, history)


def _fields_of(state: CaseState) -> dict[str, object]:
    return {field.name: getattr(state, field.name) for field in attrs.fields(type(state))}


def _evolved(routine: Routine[Any, Any, Any], events: list[Event]) -> CaseState:
    """Fold events one by one with ``evolve``, checking that it never changes its state."""
    state: CaseState = routine.initial_state
    for event in events:
        given = _fields_of(state)
        evolved = routine.evolve(state, event)
        assert evolved is not state
        after = _fields_of(state)
        assert all(after[name] is value for name, value in given.items()), event
        state = evolved
    return state


def _same_fields(first: CaseState, second: CaseState) -> None:
    assert type(first) is type(second)
    one, other = _fields_of(first), _fields_of(second)
    for name, value in one.items():
        assert value == other[name], name


def _restamped(events: list[Event]) -> list[Event]:
    """The events recorded one after another in the order given, a second apart.

    So a fold, which orders a case's events by when each was recorded, folds them in
    this order (events recorded at one instant it orders canonically, which need not
    be the order of a replay where two orders make sense).
    """
    if not events:
        return []
    start = max((event.recorded_at or event.at).astimezone(UTC) for event in events)
    try:
        return [
            attrs.evolve(event, recorded_at=start + timedelta(seconds=index + 1))
            for index, event in enumerate(events)
        ]
    except (OverflowError, InvalidInput):  # at the end of the calendar
        reject()


@st.composite
def _routine_histories(
    draw: st.DrawFn,
) -> tuple[Routine[Any, Any, Any], list[Event], list[Event]]:
    """A routine (J or a registered one), a drawn history of it, and a shuffle of it."""
    routine: Routine[Any, Any, Any] = draw(st.sampled_from([J, *routines.registered()]))
    history: list[Event] = draw(strategies.histories(routine, max_size=14))
    return routine, history, draw(st.permutations(history))


@settings(max_examples=150, deadline=None)
@given(_routine_histories(), st.integers(0, 14))
def test_x1_fold_replay_and_evolve_event_by_event_give_the_same_state(
    drawn: tuple[Routine[Any, Any, Any], list[Event], list[Event]], split: int
) -> None:
    """X-1: fold, replay and evolve one event at a time agree field for field.

    Drawn histories of every registered routine and of J, in recording order, resumed
    from a state part of the way (``replay`` from ``state``), and shuffled (a lenient
    replay and a fold keep what they cannot explain as anomalies); ``fold`` is given
    them recorded one after another, in that order. ``evolve`` never changes the state
    it is given.
    """
    routine, history, shuffled = drawn
    evolved = _evolved(routine, history)
    _same_fields(routine.replay(history), evolved)
    part = routine.replay(history[:split])
    _same_fields(routine.replay(history[split:], part), evolved)
    _same_fields(routine.replay(shuffled, strict=False), _evolved(routine, shuffled))
    for events in (_restamped(history), _restamped(shuffled)):
        if events:
            folded = routine.fold(events)
            _same_fields(folded[events[0].case], _evolved(routine, events))
            kept = [attrs.evolve(a, case=events[0].case) for a in folded[events[0].case].anomalies]
            assert folded.anomalies == tuple(sorted(kept, key=lambda a: (a.index, a.kind.value)))


TestJ = machine_for(J).TestCase
TestJ.settings = settings(max_examples=15, stateful_step_count=12, deadline=None, database=None)


# --------------------------------------------------------------------------- the kinds


def test_x5_a_routine_adds_a_kind_of_deviation_once_with_its_texts() -> None:
    """X-5: DeviationKind is an open vocabulary with enum-like identity."""
    kind = DeviationKind.define("NOT_BOOKED_TEST", sv="inte bokat", en="not booked")
    assert DeviationKind.define("NOT_BOOKED_TEST", sv="inte bokat", en="not booked") is kind
    assert kind in DeviationKind.members()
    assert (kind.name, kind.value, kind.en, kind.label("en")) == (
        "NOT_BOOKED_TEST",
        "inte bokat",
        "not booked",
        "not booked",
    )
    assert repr(kind) == "<DeviationKind.NOT_BOOKED_TEST: 'inte bokat'>"
    assert pickle.loads(pickle.dumps(kind)) is kind
    assert pickle.loads(pickle.dumps(DeviationKind.LATE)) is DeviationKind.LATE
    with pytest.raises(InvalidInput, match="defined already, with other texts"):
        DeviationKind.define("NOT_BOOKED_TEST", sv="annat", en="other")
    with pytest.raises(InvalidInput, match="upper-case letters"):
        DeviationKind.define("not booked", sv="x", en="y")
    with pytest.raises(TypeError, match=r"DeviationKind\.define"):
        DeviationKind("X", "y", "z")
    with pytest.raises(AttributeError):
        kind.value = "x"


def test_x5_every_kernel_kind_has_its_swedish_and_english_words() -> None:
    """X-5: the kinds every routine shares, each with distinct texts in both languages."""
    names = {kind.name for kind in DeviationKind.members()}
    assert {"LATE", "MISSING", "WRONG_ROLE", "WRONG_CHANNEL", "CANNOT_BE_JUDGED"} <= names
    for kind in DeviationKind.members():
        assert kind.value
        assert kind.en
        assert kind.value != kind.en or kind.value == kind.en.lower()


# --------------------------------------------------------------------------- hygiene


def test_generated_copies_show_their_source_in_a_traceback() -> None:
    """A generated function has a unique file name registered with linecache (as attrs)."""
    state = J.replay([granted("larm")])
    try:
        replace(state, {"no_such_field": 1})
    except KeyError:
        pass
    else:  # pragma: no cover - the field does not exist
        raise AssertionError("a copy setting an unknown field must fail")
    copy = replace(state, {"urgent": True})
    function_files = [
        name for name in linecache.cache if name.startswith("<arendefordelning generated")
    ]
    assert function_files
    assert len(set(function_files)) == len(function_files)
    source = "".join(linecache.getlines(function_files[0]))
    assert source.startswith(("def replace(", "def construct("))
    assert copy.urgent
    assert copy.items == state.items

    class Broken:
        __slots__ = ("x",)

    try:
        replace(state, {"items": Broken()})  # sets a slot; fine: no checks run
    except Exception as error:  # pragma: no cover - not expected
        traceback.print_exception(error)
        raise


def test_a_state_class_with_checks_is_refused_when_the_routine_is_defined() -> None:
    """The kernel copies states slot by slot: validators or converters there are refused."""

    @attrs.frozen(kw_only=True, repr=False)
    class Checked(CaseState):
        level: int = attrs.field(default=0, validator=attrs.validators.instance_of(int))

    with pytest.raises(InvalidDefinition, match=r"Checked\.level has a validator"):
        Routine[Any, Any, Any](
            code="J",
            title="t",
            title_en="t",
            initial=Checked(),
            policy=JPolicy(),
            steps=STEPS,
        )


def test_a_state_has_a_short_repr_and_an_html_table() -> None:
    """A state's repr says what it is in one short line; a notebook gets a table."""
    _, state = record(granted("larm", "tvätt"), done("larm", 1))
    assert repr(state) == "JState(case='K-1', 2 events, 2 open obligations)"
    html = state._repr_html_()
    assert html.startswith("<table><caption>JState: case=&#x27;K-1&#x27;")
    assert "<th>items</th>" in html


def test_a_table_with_unlabelled_or_wrongly_typed_parts_is_refused() -> None:
    """Labels are pairs of texts; a row must come from Table.step."""
    with pytest.raises(InvalidInput, match="pair of non-empty texts"):
        rows.step("x", Ended, requirements=("UP-1",), roles=(Role.THERAPIST,), label=("x",))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="pair of non-empty texts"):
        rows.condition(("", "x"), lambda s: True)
    with pytest.raises(InvalidDefinition, match="is not a Step"):
        Routine(
            code="J",
            title="t",
            title_en="t",
            initial=JState(),
            policy=JPolicy(),
            steps=(*STEPS, "row"),  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidDefinition, match="declare since= and rule="):
        Routine(
            code="J",
            title="t",
            title_en="t",
            initial=JState(),
            policy=JPolicy(),
            steps=(
                attrs.evolve(STEPS[0], opens=(attrs.evolve(DO_ITEM, since=None),)),
                *STEPS[1:],
            ),
        )


MYPY_SNIPPET = """
from arendefordelning.kernel import RoutinePolicy
from tests.test_judging import ItemDone, JState, JPolicy, rows, DO_ITEM

rows.step(
    "done",
    ItemDone,
    requirements=("UP-9",),
    roles=(),
    label=("a", "b"),
    apply=lambda s, e, p: {"x": e.no_such_field},
)
rows.step("grant2", ItemDone, requirements=(), roles=(), label=("a", "b"), opens=(DO_ITEM,))
"""


@pytest.mark.slow
def test_typed_rows_let_mypy_refuse_a_callable_written_for_another_event(tmp_path: Path) -> None:
    """A row's apply reading a field its event has not, or an obligation opened by a step
    whose event it cannot read, is a type error (``mypy --strict``)."""
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "rows.py"
    snippet.write_text(MYPY_SNIPPET, encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    out, _, status = api.run(
        [
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--follow-imports=silent",
            str(snippet),
        ]
    )
    assert status == 1, out
    assert '"ItemDone" has no attribute "no_such_field"' in out
    assert "opens" in out or 'type parameter "E"' in out or "incompatible type" in out
    assert root.is_dir()


EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


def _run(flags: list[str], code: str, cwd: Path) -> str:
    """Run code in a fresh interpreter; paths of temporary directories written as <tmp>."""
    out = subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        cwd=cwd,
    ).stdout
    return re.sub(re.escape(tempfile.gettempdir()) + r"[^\s]*", "<tmp>", out)


def test_diagrams_are_the_same_under_python_oo(tmp_path: Path) -> None:
    """Texts are declared data: -OO (no docstrings) changes no diagram of any routine."""
    code = (
        "from arendefordelning import routines\n"
        "for routine in routines.registered():\n"
        "    for lang in ('sv', 'en'):\n"
        "        print(routine.diagram(lang=lang)); print(routine.diagram('table', lang=lang))\n"
    )
    assert _run([], code, tmp_path) == _run(["-OO"], code, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_examples_print_the_same_under_python_oo(example: Path, tmp_path: Path) -> None:
    """Required actions and deviations, as the examples print them, do not need docstrings."""
    code = f"import runpy; runpy.run_path({str(example)!r}, run_name='__main__')"
    assert _run([], code, tmp_path) == _run(["-OO"], code, tmp_path)


def test_days_are_dates_and_instants_agree() -> None:
    """A rule due on a date: ``due_on`` is the date, ``due`` the end of that day."""
    _, state = record(granted("larm", urgent=True))
    (report_missing,) = [d for d in J.deviations(state, as_of=at(100)) if d.requirement == "UP-8"]
    assert report_missing.due_on == date(2026, 3, 3)
    assert report_missing.due == datetime(2026, 3, 4, 0, 0, tzinfo=SE)
    assert "senast 2026-03-03" in report_missing.explain()


TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("reported_at", "late"),
    [(at(39) - TICK, False), (at(39), True), (at(39) + TICK, True), (at(15), False)],
)
def test_x5_a_step_at_midnight_after_the_due_day_is_late(reported_at: datetime, late: bool) -> None:
    """X-5: due on 2026-03-03 means by the end of that day; 00:00 on 03-04 is the next day."""
    report_step = Report(case="K-1", at=reported_at, actor=ASSESSOR)
    events, state = record(granted("larm", urgent=True), report_step)
    found = kinds(J.deviations(state, as_of=at(100)))
    assert (("UP-8", "LATE") in found) is late
    assert ("UP-8", "MISSING") not in found
    check_judging(J, events)


def _within_days(before: JState, event: Calmed, policy: JPolicy) -> Finding | None:
    """A flag that says which revision of the policy judged it."""
    days = policy.within.days
    return Finding(
        kind=DeviationKind.OUTSIDE_WINDOW, detail_sv=f"{days} dagar", detail_en=f"{days} days"
    )


def _granted_at(before: JState, event: Calmed) -> datetime:
    assert before.start is not None
    return before.start


def _flagging(policy_at: Any) -> Routine[JState, JEvent, JPolicy]:
    table = Table(JState, JPolicy)
    return Routine(
        code="J",
        title="Flaggrutin",
        title_en="Flagging routine",
        initial=JState(),
        policy=JPolicy(),
        open_ended=True,
        steps=(
            table.step(
                "grant",
                Granted,
                requirements=("UP-1",),
                roles=(Role.NEEDS_ASSESSOR,),
                label=("bevilja", "grant"),
                apply=lambda s, e, p: {"start": e.at},
            ),
            table.step(
                "calm",
                Calmed,
                requirements=("UP-8",),
                roles=(Role.NEEDS_ASSESSOR,),
                label=("lugna", "calm"),
                after=("grant",),
                flags=(Flag("UP-8", _within_days, ("i tid", "in time"), policy_at=policy_at),),
            ),
        ),
    )


def test_x4_a_flag_is_judged_by_the_policy_in_force_at_the_moment_it_names() -> None:
    """X-4, VAL-20: by default the revision in force when the flagged step happened;
    with ``policy_at``, the one in force at the moment it names (the grant, here)."""
    revisions = (
        JPolicy(within=timedelta(days=2), valid_until=date(2026, 3, 2)),
        JPolicy(within=timedelta(days=5), valid_from=date(2026, 3, 3)),
    )
    events = [granted("larm"), Calmed(case="K-1", at=at(30), actor=ASSESSOR)]
    found = {}
    for name, policy_at in (("step", None), ("grant", _granted_at)):
        routine = _flagging(policy_at)
        state = routine.replay(events)
        (flagged,) = routine.deviations(state, as_of=at(100), policy=revisions)
        found[name] = flagged.detail_en
        check_judging(routine, events)
    assert found == {"step": "5 days", "grant": "2 days"}


def test_x5_a_due_day_is_missing_from_the_first_instant_of_the_next_day() -> None:
    """X-5: not yet missing at the day's last microsecond, missing at the next midnight."""
    events, state = record(granted("larm", urgent=True))
    assert ("UP-8", "MISSING") not in kinds(J.deviations(state, as_of=at(39) - TICK))
    assert ("UP-8", "MISSING") in kinds(J.deviations(state, as_of=at(39)))
    ended = Ended(case="K-1", at=at(39), actor=ASSESSOR)
    events, state = record(granted("larm", urgent=True), ended)
    assert ("UP-8", "MISSING") in kinds(J.deviations(state, as_of=at(100)))
    check_judging(J, events)


# --------------------------------------------------------------------------- every field judged
# Fixed examples for what a mutation run of the judging found unchecked (issue 21,
# docs/mutation-testing.md): each field of a due time, a required action and a
# deviation is compared whole, so a judge that drops or swaps one fails here.


def test_x5_due_times_carry_the_tables_words_for_an_instant_and_for_a_day() -> None:
    """X-5: a due instant and a due day, each with what it counts from and its rule in words."""
    _, state = record(granted("larm", urgent=True))
    item, report_record = state.obligations
    assert J.due_times(state) == [
        (
            item,
            Due(
                requirement="UP-9",
                due=at(48),
                counted_from=at(0),
                since_sv="beviljandet",
                since_en="the grant",
                rule_sv="inom två dygn",
                rule_en="within two days",
            ),
        ),
        (
            report_record,
            Due.on_day(
                "UP-8",
                date(2026, 3, 3),
                counted_from=at(0),
                since=("beviljandet", "the grant"),
                rule=("senast nästa dag", "by the next day"),
            ),
        ),
    ]
    (_, due), (_, day) = J.due_times(state)
    assert (due.day, due.note_sv, due.note_en) == (None, None, None)
    assert day.explain("sv") == (
        "Senast 2026-03-03 (UP-8): senast nästa dag från beviljandet 2026-03-02 09:00."
    )
    assert due.explain("en") == (
        "By 2026-03-04 09:00 (UP-9): within two days from the grant at 2026-03-02 09:00."
    )
    # A met obligation keeps its due time; one whose condition does not hold has one too.
    _, met = record(granted("larm"), done("larm", 1))
    assert [(r.name, d.due) for r, d in J.due_times(met)] == [
        ("do_item", at(48)),
        ("report", datetime(2026, 3, 4, 0, 0, tzinfo=SE)),
    ]


def test_x5_a_passed_due_day_is_missing_with_its_day_and_its_start_of_the_next_day() -> None:
    """X-5: MISSING for a rule due on a date names the date and the instant after it."""
    _, state = record(granted("larm", urgent=True))
    last = datetime(2026, 3, 4, 0, 0, tzinfo=SE) - TICK  # the due day's last instant
    assert J.deviations(state, as_of=last) == []
    (report_missing,) = J.deviations(state, as_of=datetime(2026, 3, 4, 0, 0, tzinfo=SE))
    assert report_missing == Deviation(
        case="K-1",
        routine="J",
        requirement="UP-8",
        severity=Severity.ERROR,
        kind=DeviationKind.MISSING,
        sv="rapportera det brådskande ärendet",
        en="report the urgent case",
        due=datetime(2026, 3, 4, 0, 0, tzinfo=SE),
        due_on=date(2026, 3, 3),
    )


def test_x5_a_step_late_and_recorded_late_names_when_it_happened_not_when_recorded() -> None:
    """X-5: LATE when it happened after the due time: happened_at set, recorded_at not."""
    events, state = record(granted("larm"), done("larm", 50, recorded_at=at(51)))
    assert J.deviations(state, as_of=at(50.5)) == [
        Deviation(
            case="K-1",
            routine="J",
            requirement="UP-9",
            severity=Severity.ERROR,
            kind=DeviationKind.MISSING,
            sv="utför insatsen larm",
            en="carry out the intervention larm",
            due=at(48),
        )
    ]
    assert J.deviations(state, as_of=at(51)) == [
        Deviation(
            case="K-1",
            routine="J",
            requirement="UP-9",
            severity=Severity.ERROR,
            kind=DeviationKind.LATE,
            sv="utför insatsen larm",
            en="carry out the intervention larm",
            due=at(48),
            happened_at=at(50),
        )
    ]
    # Met in time and recorded in time: nothing, as of the moment it is recorded and after.
    _, in_time = record(granted("larm"), done("larm", 47, recorded_at=at(48)))
    assert J.deviations(in_time, as_of=at(48)) == []
    assert J.deviations(in_time, as_of=at(400)) == []
    check_judging(J, events)


def test_x5_a_step_recorded_exactly_at_as_of_counts_and_one_after_it_does_not() -> None:
    """X-5: a meeting step recorded at as_of is known then; one recorded later is not."""
    _, state = record(granted("larm"), done("larm", 49, recorded_at=at(60)))
    assert kinds(J.deviations(state, as_of=at(60))) == [("UP-9", "LATE")]
    assert kinds(J.deviations(state, as_of=at(59))) == [("UP-9", "MISSING")]
    _, ended = record(
        granted("larm"), Ended(case="K-1", at=at(30), recorded_at=at(48), actor=ASSESSOR)
    )
    assert J.deviations(ended, as_of=at(100)) == []  # void, and recorded, by the due time
    _, ended_late = record(
        granted("larm"), Ended(case="K-1", at=at(30), recorded_at=at(49), actor=ASSESSOR)
    )
    assert kinds(J.deviations(ended_late, as_of=at(100))) == [("UP-9", "MISSING")]
    assert kinds(J.deviations(ended_late, as_of=at(48.5))) == [("UP-9", "MISSING")]


# A second small routine ("JF"): an obligation that is a message with every optional
# field (no words for its rule, a start and a note of its own, a warning met late as
# OUTSIDE_WINDOW), and flags that find, fail in the calendar, or overflow.


@attrs.frozen(kw_only=True)
class JFEvent(Event):
    routine: ClassVar[str] = "JF"


@attrs.frozen(kw_only=True)
class Referred(JFEvent):
    unit: str = "vc"
    sent: datetime | None = None
    """When the referral was sent, if before it was received; None: when received."""
    open_ended: bool = False


@attrs.frozen(kw_only=True)
class Confirmed(JFEvent):
    finding: str = ""
    """Which flag findings to make: "", "found", "elsewhere", "calendar", "overflow",
    "second" or "calendar then second"."""


jf_rows = Table(JState, JPolicy)


def jf_due(record: Opened[Referred], policy: JPolicy) -> datetime | date | None:
    if record.event.open_ended:
        return None
    if record.event.unit == "by the day":
        return (record.at + policy.within).date()
    if record.event.unit == "nowhere":
        raise InvalidInput("no calendar for the unit")
    return (record.event.sent or record.at) + policy.within


def jf_note(record: Opened[Referred], policy: JPolicy) -> tuple[str, str] | None:
    if record.event.sent is None:
        return None
    return ("räknat från när remissen skickades", "counted from when the referral was sent")


def jf_flag(before: JState, event: Confirmed, policy: JPolicy) -> Finding | None:
    if event.finding.startswith("calendar"):
        raise InvalidInput("the calendar ends")
    if event.finding == "overflow":
        raise OverflowError("too far")
    if event.finding == "found":
        return Finding(
            kind=DeviationKind.OUTSIDE_WINDOW,
            severity=Severity.WARNING,
            due_on=date(2026, 3, 3),
            happened_at=event.at - timedelta(hours=1),
            happened_on=date(2026, 3, 1),
            detail_sv="en timme före",
            detail_en="an hour before",
        )
    if event.finding == "elsewhere":
        return Finding(
            kind=DeviationKind.OUTSIDE_WINDOW,
            sv="bekräftat på fel ställe",
            en="confirmed in the wrong place",
            due=event.at - policy.within + timedelta(hours=47),
            due_on=date(2026, 3, 3),
            happened_at=event.at + timedelta(hours=5),
        )
    return None


def jf_second(before: JState, event: Confirmed, policy: JPolicy) -> Finding | None:
    if not event.finding.endswith("second"):
        return None
    return Finding(kind=DeviationKind.NOT_REQUIRED, severity=Severity.WARNING)


CONFIRM = jf_rows.obligation(
    "confirm",
    Referred,
    requirement="UP-8",
    roles=(Role.PROVIDER, Role.NEEDS_ASSESSOR),
    kind=ActionKind.MESSAGE,
    sv="bekräfta remissen",
    en="confirm the referral",
    met_by=("confirm",),
    channel=Channel.SYSTEM_MESSAGE,
    due=jf_due,
    since=lambda record: ("", "") if record.event.sent is None else ("sändningen", "sending"),
    rule=lambda record, policy: (
        ("", "")
        if record.event.sent is None
        else (f"inom {policy.within.days} dygn", f"within {policy.within.days} days")
    ),
    note=jf_note,
    counted_from=lambda record: record.event.sent or record.at,
    assignee=lambda record: f"enheten {record.event.unit}",
    recipient=lambda record: f"biståndshandläggaren i {record.event.case}",
    text=lambda record: f"Remissen till {record.event.unit} är mottagen.",
    severity=Severity.WARNING,
    late_kind=DeviationKind.OUTSIDE_WINDOW,
)
FILE = jf_rows.obligation(
    "file",
    Referred,
    requirement="UP-8",
    roles=Role.PROVIDER,
    sv="arkivera remissen",
    en="file the referral",
    met_by=("confirm",),
)
JF: Routine[JState, JFEvent, JPolicy] = Routine(
    code="JF",
    title="Bekräftelserutin",
    title_en="Confirmation routine",
    open_ended=True,
    initial=JState(),
    policy=JPolicy(),
    steps=(
        jf_rows.step(
            "refer",
            Referred,
            requirements=("UP-8",),
            roles=(Role.NEEDS_ASSESSOR,),
            label=("remittera", "refer"),
            opens=(CONFIRM, FILE),
        ),
        jf_rows.step(
            "confirm",
            Confirmed,
            requirements=("UP-8",),
            roles=(Role.PROVIDER,),
            label=("bekräfta", "confirm"),
            after=("refer",),
            once=False,
            flags=(
                Flag("UP-8", jf_flag, ("bekräfta i tid", "confirm in time")),
                Flag("UP-8", jf_second, ("bekräfta en gång", "confirm once")),
            ),
        ),
    ),
)


def referred(hours: float = 0, **more: Any) -> Referred:
    return Referred(case="K-1", at=at(hours), actor=ASSESSOR, **more)


def confirmed(hours: float, finding: str = "", **more: Any) -> Confirmed:
    return Confirmed(case="K-1", at=at(hours), actor=PROVIDER, finding=finding, **more)


def test_up_8_a_message_to_send_names_who_sends_it_to_whom_how_and_its_text() -> None:
    """UP-8: the required action carries every field the table declares, made from the record."""
    state = JF.replay([referred(unit="hemtjänst")])
    assert JF.required_actions(state) == (
        RequiredAction(
            requirement="UP-8",
            kind=ActionKind.MESSAGE,
            role=Role.PROVIDER,
            roles=(Role.PROVIDER, Role.NEEDS_ASSESSOR),
            sv="bekräfta remissen",
            en="confirm the referral",
            assignee="enheten hemtjänst",
            recipient="biståndshandläggaren i K-1",
            due=at(48),
            text="Remissen till hemtjänst är mottagen.",
            channel=Channel.SYSTEM_MESSAGE,
        ),
        RequiredAction(
            requirement="UP-8",
            kind=ActionKind.TASK,
            role=Role.PROVIDER,
            roles=(Role.PROVIDER,),
            sv="arkivera remissen",
            en="file the referral",
        ),
    )
    (action,) = J.required_actions(J.replay([granted("larm")]))
    assert (action.assignee, action.recipient, action.text) == (None, None, None)
    met = JF.replay([referred(), confirmed(1)])
    assert JF.required_actions(met) == ()
    open_ended = JF.replay([referred(open_ended=True)])
    assert [a.due for a in JF.required_actions(open_ended)] == [None, None]


def test_x5_a_due_time_without_words_counts_from_the_opening_by_its_requirement() -> None:
    """X-5: where its words are empty the due time says "the opening" and the requirement;
    a start, words and a note of the table's own are carried as given."""
    ((_, plain),) = JF.due_times(JF.replay([referred()]))
    assert plain == Due(
        requirement="UP-8",
        due=at(48),
        counted_from=at(0),
        since_sv="öppnandet",
        since_en="the opening",
        rule_sv="UP-8",
        rule_en="UP-8",
    )
    ((_, sent),) = JF.due_times(JF.replay([referred(sent=at(-10))]))
    assert sent == Due(
        requirement="UP-8",
        due=at(38),
        counted_from=at(-10),
        since_sv="sändningen",
        since_en="sending",
        rule_sv="inom 2 dygn",
        rule_en="within 2 days",
        note_sv="räknat från när remissen skickades",
        note_en="counted from when the referral was sent",
    )
    ((_, day),) = JF.due_times(JF.replay([referred(unit="by the day")]))
    assert day == Due.on_day(
        "UP-8",
        date(2026, 3, 4),
        counted_from=at(0),
        since=("öppnandet", "the opening"),
        rule=("UP-8", "UP-8"),
    )
    assert JF.due_times(JF.replay([referred(open_ended=True)])) == []
    assert JF.deviations(JF.replay([referred(open_ended=True)]), as_of=at(1000)) == []


def test_x5_a_message_sent_late_is_the_kind_and_severity_the_table_declares() -> None:
    """X-5: met late, the obligation is its ``late_kind`` with its severity; missed, MISSING."""
    late = JF.replay([referred(), confirmed(50)])
    assert JF.deviations(late, as_of=at(60)) == [
        Deviation(
            case="K-1",
            routine="JF",
            requirement="UP-8",
            severity=Severity.WARNING,
            kind=DeviationKind.OUTSIDE_WINDOW,
            sv="bekräfta remissen",
            en="confirm the referral",
            due=at(48),
            happened_at=at(50),
        )
    ]
    (missing,) = JF.deviations(JF.replay([referred()]), as_of=at(60))
    assert (missing.kind, missing.severity) == (DeviationKind.MISSING, Severity.WARNING)


def test_x5_a_flag_reports_its_finding_whole_and_its_label_where_it_has_no_words() -> None:
    """X-5: a flag's finding is the deviation, field for field; a moment it names after
    as_of is not known then, so the step's own time stands in for it."""
    state = JF.replay([referred(), confirmed(1, "found"), confirmed(2, "elsewhere")])
    assert JF.deviations(state, as_of=at(3)) == [
        Deviation(
            case="K-1",
            routine="JF",
            requirement="UP-8",
            severity=Severity.WARNING,
            kind=DeviationKind.OUTSIDE_WINDOW,
            sv="bekräfta i tid",
            en="confirm in time",
            due=datetime(2026, 3, 4, 0, 0, tzinfo=SE),
            due_on=date(2026, 3, 3),
            happened_at=at(0),
            happened_on=date(2026, 3, 1),
            detail_sv="en timme före",
            detail_en="an hour before",
        ),
        Deviation(
            case="K-1",
            routine="JF",
            requirement="UP-8",
            severity=Severity.ERROR,
            kind=DeviationKind.OUTSIDE_WINDOW,
            sv="bekräftat på fel ställe",
            en="confirmed in the wrong place",
            due=at(1),
            due_on=date(2026, 3, 3),
            happened_at=at(2),
        ),
    ]
    (_, elsewhere) = JF.deviations(state, as_of=at(7))
    assert elsewhere.happened_at == at(7)  # named a moment known by then: kept
    assert [d.kind for d in JF.deviations(state, as_of=at(1.5))] == [
        DeviationKind.OUTSIDE_WINDOW
    ]  # the second step is not yet recorded
    assert JF.deviations(JF.replay([referred(), confirmed(1)]), as_of=at(3)) == []


def test_x5_a_flag_the_calendar_cannot_judge_is_a_warning_with_the_reason() -> None:
    """X-5: a flag that fails in the calendar, or overflows, is CANNOT_BE_JUDGED, never raised."""
    state = JF.replay([referred(), confirmed(1, "calendar"), confirmed(2, "overflow")])
    found = JF.deviations(state, as_of=at(3))
    assert found == [
        Deviation(
            case="K-1",
            routine="JF",
            requirement="UP-8",
            severity=Severity.WARNING,
            kind=DeviationKind.CANNOT_BE_JUDGED,
            sv="bekräfta i tid",
            en="confirm in time",
            happened_at=at(hours),
            detail_sv="regeln kan inte bedömas i kalendern",
            detail_en=f"the rule cannot be judged: {reason}",
        )
        for hours, reason in ((1, "the calendar ends"), (2, "overflow"))
    ]


# --------------------------------------------------------------------------- deviations_of, fold


def test_x5_deviations_of_orders_by_case_then_time_and_skips_other_routines() -> None:
    """X-5: by case number, then time; an event of another routine is passed over, not an end."""
    other = attrs.evolve(granted("tvätt"), case="K-0")
    foreign = referred(5)  # routine JF's
    lines = [granted("larm"), foreign, other, done("larm", 60)]
    assert [
        (d.case, d.requirement, d.kind.name, d.due) for d in J.deviations_of(lines, as_of=at(100))
    ] == [
        ("K-0", "UP-9", "MISSING", at(48)),
        ("K-1", "UP-9", "LATE", at(48)),
    ]
    assert J.deviations_of([], as_of=at(100)) == []
    assert JF.deviations_of(lines, as_of=at(100)) == JF.deviations(
        JF.replay([foreign]), as_of=at(100)
    )


def test_x5_deviations_of_counts_what_was_recorded_by_as_of_in_the_order_recorded() -> None:
    """X-5: an event recorded exactly at as_of counts; a log given out of order is
    replayed in the order it was recorded, leniently, by the policy given."""
    late = done("larm", 49, recorded_at=at(60))
    assert kinds(J.deviations_of([late, granted("larm")], as_of=at(60))) == [("UP-9", "LATE")]
    assert kinds(J.deviations_of([late, granted("larm")], as_of=at(59))) == [("UP-9", "MISSING")]
    wrong = ItemDone(case="K-1", at=at(1), actor=PATROL, item="larm")
    assert kinds(J.deviations_of([granted("larm"), wrong], as_of=at(2))) == [("X-2", "WRONG_ROLE")]
    quick = JPolicy(within=timedelta(hours=1))
    (missing,) = J.deviations_of([granted("larm")], as_of=at(2), policy=quick)
    assert (missing.kind, missing.due) == (DeviationKind.MISSING, at(1))


@pytest.mark.parametrize("call", ["deviations", "deviations_of", "fold"])
def test_x5_a_naive_or_wrong_as_of_is_refused_naming_it(call: str) -> None:
    """X-5: as_of must be an aware datetime; the refusal names it and what is accepted."""
    state = J.replay([granted("larm")])
    judge: Callable[[Any], object] = {
        "deviations": lambda moment: J.deviations(state, as_of=moment),
        "deviations_of": lambda moment: J.deviations_of([granted("larm")], as_of=moment),
        "fold": lambda moment: J.fold([granted("larm")], as_of=moment),
    }[call]
    with pytest.raises(InvalidInput, match=r"^as_of is a naive datetime .* give a timezone-aware"):
        judge(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(InvalidInput, match=r"^as_of .*datetime"):
        judge(date(2026, 3, 2))
    judge(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))  # any aware moment is accepted


def test_x5_deviations_of_and_fold_refuse_what_is_not_a_log_of_events() -> None:
    """X-5: a string, or an item that is not an event, is refused naming its position."""
    calls: tuple[Callable[..., object], ...] = (J.deviations_of, J.fold)
    for call in calls:
        with pytest.raises(InvalidInput, match=r"^events must be an iterable of events, not"):
            call("lines", as_of=at(1))
        with pytest.raises(InvalidInput, match=r"^events must be an iterable of events, not"):
            call(42, as_of=at(1))
        with pytest.raises(InvalidInput, match=r"^event 1: not an event \(a value of type str\)$"):
            call([granted("larm"), "done"], as_of=at(1))


def test_x1_the_canonical_order_is_recorded_time_then_time_then_the_tables_order() -> None:
    """X-1: ordered() sorts by when recorded (the time itself when not said), then by the
    time it happened, then by the step's place in the table; others' events are left out."""
    grant = granted("larm")
    first = done("larm", 5, recorded_at=at(6))
    second = done("larm", 4, recorded_at=at(6))
    end = Ended(case="K-1", at=at(6), actor=ASSESSOR)
    move = StartMoved(case="K-1", at=at(6), actor=ASSESSOR, start=at(7))
    unrecorded_until_late = done("larm", 1, recorded_at=at(8))
    given = [unrecorded_until_late, end, referred(0), move, first, second, grant]
    assert J.ordered(given) == [grant, second, first, move, end, unrecorded_until_late]
    summer = datetime(2026, 10, 25, 2, 30, tzinfo=SE)  # the repeated hour: fold 0, then 1
    early, later = summer, summer.replace(fold=1)
    a = attrs.evolve(done("larm", 0), at=later)
    b = attrs.evolve(done("tvätt", 0), at=early)
    assert J.ordered([a, b]) == [b, a]


def test_x5_a_flagged_step_recorded_exactly_at_as_of_is_judged_and_every_flag_of_it() -> None:
    """X-5: a flag is judged once its step is recorded, at as_of too; a flag that finds
    nothing does not keep the next flag of the step from being judged."""
    state = JF.replay([referred(), confirmed(1, "second")])
    assert JF.deviations(state, as_of=at(1)) == [
        Deviation(
            case="K-1",
            routine="JF",
            requirement="UP-8",
            severity=Severity.WARNING,
            kind=DeviationKind.NOT_REQUIRED,
            sv="bekräfta en gång",
            en="confirm once",
            happened_at=at(1),
        )
    ]
    assert JF.deviations(state, as_of=at(1) - timedelta(microseconds=1)) == []


def test_x2_a_step_in_a_role_not_named_is_a_deviation_of_the_case_with_the_steps_words() -> None:
    """X-2: found in a lenient replay, it is an ERROR of the case and routine, in both languages."""
    wrong = Granted(case="K-1", at=at(0), actor=PROVIDER, items=("larm",))
    state = J.replay([wrong], strict=False)
    assert J.deviations(state, as_of=at(1)) == [
        Deviation(
            case="K-1",
            routine="J",
            requirement="X-2",
            severity=Severity.ERROR,
            kind=DeviationKind.WRONG_ROLE,
            sv="bevilja insatser i en roll som rutinen anger för steget",
            en="grant the interventions in a role the routine names for the step",
            happened_at=at(0),
        )
    ]
    assert J.deviations(state, as_of=at(0) - timedelta(microseconds=1)) == []


def test_x5_deviations_are_in_order_of_time_then_requirement_then_kind() -> None:
    """X-5: a met-late obligation is placed by when it happened, a flag by its step; at the
    same moment, by requirement and kind."""
    state = JF.replay([referred(), confirmed(50, "calendar")])
    assert [d.kind for d in JF.deviations(state, as_of=at(60))] == [
        DeviationKind.CANNOT_BE_JUDGED,
        DeviationKind.OUTSIDE_WINDOW,
    ]
    _, missing_and_late = record(granted("larm", "tvätt"), done("tvätt", 50))
    assert [(d.kind, d.sv) for d in J.deviations(missing_and_late, as_of=at(60))] == [
        (DeviationKind.MISSING, "utför insatsen larm"),  # due at 48 h
        (DeviationKind.LATE, "utför insatsen tvätt"),  # due at 48 h too, happened at 50 h
    ]


def test_x5_a_due_time_that_cannot_be_computed_says_why_in_both_languages() -> None:
    """X-5: the calendar's reason, or "beyond the year 9999" for Python's limit."""
    far = datetime(9999, 12, 31, 12, 0, tzinfo=SE)
    state = JF.replay([referred(unit="nowhere")])
    assert JF.deviations(state, as_of=at(1)) == [
        Deviation(
            case="K-1",
            routine="JF",
            requirement="UP-8",
            severity=Severity.WARNING,
            kind=DeviationKind.CANNOT_BE_JUDGED,
            sv="bekräfta remissen",
            en="confirm the referral",
            detail_sv="fristen kan inte beräknas i kalendern",
            detail_en="the due time cannot be computed: no calendar for the unit",
        )
    ]
    (overflow,) = JF.deviations(JF.replay([referred(sent=far)]), as_of=at(1))
    assert overflow.detail_en == "the due time cannot be computed: beyond the year 9999"


def test_x5_a_due_time_given_in_utc_is_reported_in_stockholm_time() -> None:
    """X-5: a deviation's due time is in Stockholm time whatever zone the rule gave it in."""
    sent = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    (missing,) = JF.deviations(JF.replay([referred(sent=sent)]), as_of=at(100))
    assert missing.due == datetime(2026, 3, 4, 7, 0, tzinfo=SE)
    assert missing.due is not None
    assert missing.due.tzname() == "CET"
    assert missing.explain("en") == JF.deviations(
        JF.replay([referred(sent=sent.astimezone(SE))]), as_of=at(100)
    )[0].explain("en")


def test_x5_a_due_time_is_moved_by_a_change_recorded_at_the_very_due_time() -> None:
    """X-5: at its due time a due time has not passed: a change recorded then still moves it."""
    moved = StartMoved(case="K-1", at=at(40), recorded_at=at(48), actor=ASSESSOR, start=at(72))
    _, state = record(granted("larm"), moved)
    assert J.deviations(state, as_of=at(100)) == []
    assert kinds(J.deviations(state, as_of=at(121))) == [("UP-9", "MISSING")]


def test_x5_a_step_at_the_very_due_time_recorded_after_it_is_late_by_its_recording() -> None:
    """X-5: met exactly at the due time, recorded after it: LATE, with when it was recorded."""
    _, state = record(granted("larm"), done("larm", 48, recorded_at=at(50)))
    assert J.deviations(state, as_of=at(60)) == [
        Deviation(
            case="K-1",
            routine="J",
            requirement="UP-9",
            severity=Severity.ERROR,
            kind=DeviationKind.LATE,
            sv="utför insatsen larm",
            en="carry out the intervention larm",
            due=at(48),
            happened_at=at(48),
            recorded_at=at(50),
        )
    ]


def test_x5_times_are_compared_as_instants_in_the_hour_repeated_in_autumn() -> None:
    """X-5: due at 02:30 summer time on 25 October 2026; done at 02:10 winter time, 40
    minutes later though earlier on the clock: LATE."""
    grant = Granted(
        case="K-1", at=datetime(2026, 10, 23, 2, 30, tzinfo=SE), actor=ASSESSOR, items=("larm",)
    )
    late = ItemDone(
        case="K-1",
        at=datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=SE),
        actor=PROVIDER,
        item="larm",
    )
    state = J.replay([grant, late])
    (deviation,) = J.deviations(state, as_of=datetime(2026, 10, 26, tzinfo=SE))
    assert deviation.due is not None
    assert deviation.happened_at is not None
    # Compared through UTC: Python never finds a time in the repeated hour equal to
    # one in another zone.
    assert (
        deviation.kind,
        deviation.due.astimezone(UTC),
        deviation.happened_at.astimezone(UTC),
    ) == (
        DeviationKind.LATE,
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
    )
    in_time = attrs.evolve(late, at=datetime(2026, 10, 25, 2, 20, fold=0, tzinfo=SE))
    assert J.deviations(J.replay([grant, in_time]), as_of=datetime(2026, 10, 26, tzinfo=SE)) == []


@pytest.mark.parametrize("enabled", [True, False], ids=["collecting", "paused"])
def test_x1_fold_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    """X-1: the fold pauses the collector while it runs, and restores it, also on an error."""
    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        assert list(J.fold([granted("larm")])) == ["K-1"]
        assert gc.isenabled() is enabled
        with pytest.raises(InvalidInput):
            J.fold([granted("larm"), 3])  # type: ignore[list-item]
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_x5_a_flag_that_cannot_be_judged_does_not_keep_the_next_flag_from_being_judged() -> None:
    """X-5: the step's first flag fails in the calendar; its second is still judged."""
    state = JF.replay([referred(), confirmed(1, "calendar then second")])
    assert [(d.kind, d.sv) for d in JF.deviations(state, as_of=at(2))] == [
        (DeviationKind.CANNOT_BE_JUDGED, "bekräfta i tid"),
        (DeviationKind.NOT_REQUIRED, "bekräfta en gång"),
    ]


# A third small routine ("JP"): what a step opens depends on the policy in force.


@attrs.frozen(kw_only=True)
class Asked(Event):
    routine: ClassVar[str] = "JP"


@attrs.frozen(kw_only=True)
class Answered(Event):
    routine: ClassVar[str] = "JP"


jp_rows = Table(JState, JPolicy)
CALL = jp_rows.obligation(
    "call",
    Asked,
    requirement="UP-8",
    roles=Role.NEEDS_ASSESSOR,
    sv=lambda record: f"ring {record.key}",
    en=lambda record: f"call {record.key}",
    met_by=("answer",),
    # Under a policy of less than a day, the next of kin are called too.
    per=lambda state, event, policy: (
        ("brukaren",) if policy.within >= timedelta(days=1) else ("brukaren", "anhöriga")
    ),
    due=lambda record, policy: record.at + policy.within,
    since=("frågan", "the question"),
    rule=("inom tiden", "within the time"),
)
JP: Routine[JState, Event, JPolicy] = Routine(
    code="JP",
    title="Policyrutin",
    title_en="Policy routine",
    open_ended=True,
    initial=JState(),
    policy=JPolicy(),
    steps=(
        jp_rows.step(
            "ask",
            Asked,
            requirements=("UP-8",),
            roles=(Role.NEEDS_ASSESSOR,),
            label=("fråga", "ask"),
            opens=(CALL,),
        ),
        jp_rows.step(
            "answer",
            Answered,
            requirements=("UP-8",),
            roles=(Role.NEEDS_ASSESSOR,),
            label=("svara", "answer"),
            after=("ask",),
        ),
    ),
)


def test_x5_deviations_of_replays_and_judges_by_the_policy_given() -> None:
    """X-5: the policy given decides what the steps open, as well as when it is due."""
    asked = Asked(case="K-1", at=at(0), actor=ASSESSOR)
    quick = JPolicy(within=timedelta(hours=1))
    assert [d.sv for d in JP.deviations_of([asked], as_of=at(2), policy=quick)] == [
        "ring brukaren",
        "ring anhöriga",
    ]
    assert [d.sv for d in JP.deviations_of([asked], as_of=at(49))] == ["ring brukaren"]
