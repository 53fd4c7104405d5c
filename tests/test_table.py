"""The declared-steps kernel: tables checked when defined, record then judge (X-1, X-2, X-5).

A small routine written here exercises the machinery every routine is built on:
``decide`` refusing only what must never be recorded, ``evolve`` and ``replay`` strict
and lenient, obligations with due times becoming required actions and deviations,
flags judged by the policy in force, recording order apart from when things happened.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import attrs
import pytest

from arendefordelning import IllegalTransition, InvalidDefinition, InvalidInput, NotPermitted, Sex
from arendefordelning.errors import ForbiddenStep
from arendefordelning.kernel import (
    ActionKind,
    Actor,
    AnomalyKind,
    CaseState,
    Check,
    Command,
    Decided,
    DelayReason,
    Deviation,
    DeviationKind,
    Ended,
    Event,
    Executed,
    Finding,
    Flag,
    Interrupted,
    LegalBasis,
    Milestone,
    MilestoneKind,
    Opened,
    Resumed,
    Role,
    Routine,
    RoutinePolicy,
    Severity,
    Table,
    recorded,
)

SE = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SE)  # a Monday
WORKER = Actor("ss-1", Role.SOCIAL_WORKER)
THERAPIST = Actor("beh-1", Role.THERAPIST)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# --------------------------------------------------------------------------- a small routine


@attrs.frozen(kw_only=True)
class Policy(RoutinePolicy):
    answer_within: timedelta = timedelta(days=1)
    """How long the therapist has to answer. X-4."""


@attrs.frozen(kw_only=True, repr=False)
class State(CaseState):
    opened_at: datetime | None = None
    consent: bool = False
    answers: int = 0
    reminders: int = 0


@attrs.frozen(kw_only=True)
class Opened_(Event):  # the kernel has an Opened of its own
    routine: ClassVar[str] = "T"
    consent: bool = False


@attrs.frozen(kw_only=True)
class Answered(Event):
    routine: ClassVar[str] = "T"


@attrs.frozen(kw_only=True)
class Reminded(Event):
    routine: ClassVar[str] = "T"
    number: int = 1


@attrs.frozen(kw_only=True)
class Closed(Event):
    routine: ClassVar[str] = "T"


@attrs.frozen(kw_only=True)
class Remind(Command):
    """A request the routine completes: the reminder's number comes from the state."""


rows = Table(State, Policy)


def answer_due(record: Opened[Opened_], policy: Policy) -> datetime:
    return record.at + policy.answer_within


def on_a_weekend(before: State, event: Answered, policy: Policy) -> Finding | None:
    """X-5: answer on a working day."""
    if event.at.weekday() < 5:
        return None
    return Finding(kind=DeviationKind.OUTSIDE_WINDOW, severity=Severity.WARNING)


def without_consent(state: State, event: Closed) -> str | None:
    return None if state.consent else "the case was opened without consent"


def remind(command: Remind, state: State, policy: Policy) -> Reminded:
    return Reminded(
        case=command.case,
        at=command.at,
        recorded_at=command.recorded_at,
        actor=command.actor,
        number=state.reminders + 1,
    )


ANSWER = rows.obligation(
    "answer",
    Opened_,
    requirement="X-5",
    roles=Role.THERAPIST,
    sv="svara",
    en="answer",
    met_by=("answer",),
    due=answer_due,
    since=("öppnandet", "the opening"),
    rule=("svara inom ett dygn", "answer within a day"),
    kind=ActionKind.MESSAGE,
    recipient="socialsekreteraren",
)

STEPS = (
    rows.step(
        "open",
        Opened_,
        requirements=("X-1",),
        roles=frozenset({Role.SOCIAL_WORKER}),
        label=("öppna ärendet", "open the case"),
        opens=(ANSWER,),
        apply=lambda s, e, p: {"opened_at": e.at, "consent": e.consent},
    ),
    rows.step(
        "answer",
        Answered,
        requirements=("X-5",),
        roles=frozenset({Role.THERAPIST}),
        label=("svara", "answer"),
        after=("open",),
        once=False,
        flags=(Flag("X-5", on_a_weekend, ("svara på en vardag", "answer on a working day")),),
        apply=lambda s, e, p: {"answers": s.answers + 1},
    ),
    rows.step(
        "remind",
        Reminded,
        command=Remind,
        build=remind,
        requirements=("X-5",),
        roles=frozenset({Role.SOCIAL_WORKER}),
        label=("påminna behandlaren", "remind the therapist"),
        after=("open",),
        once=False,
        apply=lambda s, e, p: {"reminders": e.number},
    ),
    rows.step(
        "close",
        Closed,
        requirements=("X-2",),
        roles=frozenset({Role.SOCIAL_WORKER}),
        label=("avsluta ärendet", "close the case"),
        after=("answer",),
        checks=(
            Check(
                "X-2",
                without_consent,
                ("avsluta bara med samtycke", "close only with consent"),
            ),
        ),
        terminal=True,
    ),
)


def routine(steps: Any = STEPS, **more: Any) -> Routine[State, Event, Policy]:
    return Routine(
        code="T",
        title="Testrutin",
        title_en="Test routine",
        initial=State(),
        policy=Policy(),
        steps=steps,
        **more,
    )


T = routine()


def history(*requests: Event | Command, policy: Any = None) -> tuple[list[Any], State]:
    events: list[Any] = []
    state = T.initial_state
    for request in requests:
        new, state = T.handle(request, state, policy=policy)
        events += new
    return events, state


# --------------------------------------------------------------------------- the table


def test_x5_a_table_is_checked_when_defined_reporting_every_problem_at_once() -> None:
    """X-5: unknown steps, requirements and roles, unreachable steps: all in one error."""
    bad = (
        attrs.evolve(STEPS[0], requirements=("X-99",)),
        attrs.evolve(STEPS[1], after=("nowhere",)),
        STEPS[2],
        attrs.evolve(
            STEPS[3],
            terminal=False,
            opens=(attrs.evolve(ANSWER, name="later", roles=(Role.GUARDIAN,), met_by=("open",)),),
        ),
    )
    with pytest.raises(InvalidDefinition) as caught:
        routine(bad)
    problems = caught.value.problems
    text = "\n".join(problems)
    assert "unknown requirement 'X-99'" in text
    assert "after names an unknown step 'nowhere'" in text
    assert "the roles 'vårdnadshavare' take none of the steps that meet it" in text
    assert "no terminal step can be reached" in text
    assert len(problems) >= 4
    assert str(caught.value).count("\n  - ") == len(problems)


def test_x5_an_open_ended_routine_needs_no_terminal_step() -> None:
    """X-5: a routine without a closing step says so with open_ended=True."""
    steps = (STEPS[0], STEPS[1])
    with pytest.raises(InvalidDefinition, match="no terminal step"):
        routine(steps)
    assert routine(steps, open_ended=True).commands == (Opened_, Answered)


def test_x5_a_step_that_comes_after_itself_only_can_never_be_taken() -> None:
    """X-5: reachability follows `after`: a cycle with no way in is reported."""
    steps = (STEPS[0], attrs.evolve(STEPS[1], after=("close",)), STEPS[2], STEPS[3])
    with pytest.raises(InvalidDefinition, match="'answer' can never be taken"):
        routine(steps)


def test_x2_the_role_matrix_comes_from_the_table() -> None:
    """X-2: who may do what is read off the steps."""
    assert T.role_matrix() == {
        Opened_: frozenset({Role.SOCIAL_WORKER}),
        Answered: frozenset({Role.THERAPIST}),
        Remind: frozenset({Role.SOCIAL_WORKER}),
        Closed: frozenset({Role.SOCIAL_WORKER}),
    }


# --------------------------------------------------------------------------- deciding


def test_x2_a_role_the_step_does_not_name_is_refused_and_nothing_recorded() -> None:
    """X-2: NotPermitted names the command and the roles allowed."""
    with pytest.raises(NotPermitted, match="Opened_ may not be issued by the role 'behandlare'"):
        T.decide(Opened_(case="K-1", at=T0, actor=THERAPIST), T.initial_state)


def test_x1_a_step_that_makes_no_sense_is_refused_naming_what_is_allowed() -> None:
    """X-1: answering a case not opened is IllegalTransition, naming the allowed requests."""
    with pytest.raises(IllegalTransition, match="requests allowed in that state: Opened_"):
        T.decide(Answered(case="K-1", at=T0, actor=THERAPIST), T.initial_state)
    _, state = history(Opened_(case="K-1", at=T0, actor=WORKER))
    with pytest.raises(IllegalTransition, match="not allowed again"):
        T.decide(Opened_(case="K-1", at=at(1), actor=WORKER), state)


def test_x2_a_step_the_routine_forbids_is_refused_with_its_reason() -> None:
    """X-2: a refusing rule records nothing and says why."""
    _, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER), Answered(case="K-1", at=at(1), actor=THERAPIST)
    )
    with pytest.raises(ForbiddenStep, match="opened without consent \\(X-2\\)") as caught:
        T.decide(Closed(case="K-1", at=at(2), actor=WORKER), state)
    assert caught.value.requirement == "X-2"
    assert isinstance(caught.value, IllegalTransition)


def test_x1_another_case_and_recording_out_of_order_are_invalid_input() -> None:
    """X-1: a command for another case, or recorded before the latest event, is refused."""
    _, state = history(Opened_(case="K-1", at=T0, actor=WORKER))
    with pytest.raises(InvalidInput, match="for case 'K-2' but the state is case 'K-1'"):
        T.decide(Answered(case="K-2", at=at(1), actor=THERAPIST), state)
    with pytest.raises(InvalidInput, match="before the case's latest event was recorded"):
        T.decide(Answered(case="K-1", at=at(-1), actor=THERAPIST), state)


def test_x1_a_fact_is_recorded_after_a_later_fact_with_recorded_at() -> None:
    """X-1: a step that happened earlier is recorded later: `at` earlier, `recorded_at` later."""
    events, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER),
        Answered(case="K-1", at=at(-1), recorded_at=at(2), actor=THERAPIST),
    )
    assert events[1].at == at(-1)
    assert recorded(events[1]) == at(2)
    assert state.recorded_until == at(2)
    with pytest.raises(InvalidInput, match="must not be before at"):
        Answered(case="K-1", at=at(3), recorded_at=at(2), actor=THERAPIST)


def test_x5_a_late_step_is_recorded_and_judged_late() -> None:
    """X-5: record, then judge: an answer after its due time is recorded, then LATE."""
    events, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
        Answered(case="K-1", at=at(30), actor=THERAPIST),
    )
    assert len(events) == 2
    deviations = T.deviations(state, as_of=at(40))
    assert [(d.kind, d.requirement, d.due, d.happened_at) for d in deviations] == [
        (DeviationKind.LATE, "X-5", at(24), at(30))
    ]
    assert deviations[0].explain("en") == (
        "Deviation, late: answer (due by 2026-03-03 09:00, happened at 2026-03-03 15:00); "
        "case K-1, X-5."
    )


def test_x5_a_deadline_not_yet_passed_is_a_required_action_then_missing() -> None:
    """X-5: before the due time an action with its due; after it, MISSING; as_of decides."""
    _, state = history(Opened_(case="K-1", at=T0, actor=WORKER))
    (action,) = T.required_actions(state)
    assert (action.requirement, action.role, action.due, action.recipient) == (
        "X-5",
        Role.THERAPIST,
        at(24),
        "socialsekreteraren",
    )
    assert T.deviations(state, as_of=at(23)) == []
    (missing,) = T.deviations(state, as_of=at(25))
    assert missing == Deviation(
        case="K-1",
        routine="T",
        requirement="X-5",
        severity=Severity.ERROR,
        kind=DeviationKind.MISSING,
        sv="svara",
        en="answer",
        due=at(24),
    )
    assert "har inte skett" in missing.explain()


def test_x5_deviations_judge_only_what_was_recorded_by_as_of() -> None:
    """X-5: an answer recorded after as_of had not come then: MISSING, not met.

    Once recorded, the answer shows it came in time but was recorded after the due
    time: the deviation found before stays (LATE, with both times), and its text says
    when the step happened and when it was recorded.
    """
    _, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER),
        Answered(case="K-1", at=at(10), recorded_at=at(30), actor=THERAPIST),
    )
    assert [d.kind for d in T.deviations(state, as_of=at(26))] == [DeviationKind.MISSING]
    (late,) = T.deviations(state, as_of=at(31))
    assert (late.kind, late.due, late.happened_at, late.recorded_at) == (
        DeviationKind.LATE,
        at(24),
        at(10),
        at(30),
    )
    assert late.explain("en") == (
        "Deviation, late: answer (due by 2026-03-03 09:00, happened at 2026-03-02 19:00, "
        "recorded at 2026-03-03 15:00); case K-1, X-5."
    )
    # An answer recorded late but before the due time passed is simply in time.
    _, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER),
        Answered(case="K-1", at=at(10), recorded_at=at(20), actor=THERAPIST),
    )
    assert T.deviations(state, as_of=at(31)) == []


def test_x5_flags_are_judged_by_the_policy_and_reported_with_their_severity() -> None:
    """X-5: an answer on a Saturday is a WARNING of its own, beside the deadline."""
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=SE)
    _, state = history(
        Opened_(case="K-1", at=saturday - timedelta(hours=2), actor=WORKER),
        Answered(case="K-1", at=saturday, actor=THERAPIST),
    )
    (flagged,) = T.deviations(state, as_of=saturday + timedelta(days=3))
    assert (flagged.kind, flagged.severity, flagged.happened_at) == (
        DeviationKind.OUTSIDE_WINDOW,
        Severity.WARNING,
        saturday,
    )


def test_x5_the_policy_in_force_when_the_step_happened_decides() -> None:
    """X-5, X-4: revisions: the due time counts by the revision in force at the opening."""
    old = Policy(valid_until=date(2026, 2, 28))
    new = Policy(valid_from=date(2026, 3, 1), answer_within=timedelta(hours=2))
    _, state = history(Opened_(case="K-1", at=T0, actor=WORKER), policy=[old, new])
    (action,) = T.required_actions(state, policy=[old, new])
    assert action.due == at(2)
    with pytest.raises(InvalidInput, match="in force from 1975-01-01 to 2026-02-28"):
        T.decide(Opened_(case="K-1", at=T0, actor=WORKER), T.initial_state, policy=old)


def test_x5_a_terminal_step_ends_the_case() -> None:
    """X-5: after the closing step no command is allowed."""
    _, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
        Answered(case="K-1", at=at(1), actor=THERAPIST),
        Closed(case="K-1", at=at(2), actor=WORKER),
    )
    assert T.is_terminal(state)
    assert T.allowed_commands(state) == frozenset()
    with pytest.raises(IllegalTransition, match=r"none \(the case is closed\)"):
        T.decide(Answered(case="K-1", at=at(3), actor=THERAPIST), state)


def test_x1_recording_order_is_by_instant_across_the_repeated_hour() -> None:
    """X-1, X-3: 02:45 of the first pass comes before 02:30 of the second (25 Oct 2026)."""
    first_pass = datetime(2026, 10, 25, 2, 45, tzinfo=SE)  # 00:45 UTC
    second_pass = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=SE)  # 01:30 UTC
    opened = Opened_(case="K-1", at=first_pass - timedelta(hours=1), actor=WORKER)
    in_order = [
        opened,
        Answered(case="K-1", at=first_pass, actor=THERAPIST),
        Answered(case="K-1", at=second_pass, actor=THERAPIST),
    ]
    assert T.replay(in_order).count == 3
    shuffled = [opened, in_order[2], in_order[1]]
    with pytest.raises(InvalidInput, match=r"event 2: .*before the latest event"):
        T.replay(shuffled)
    state = T.replay(in_order[:1] + in_order[2:])
    with pytest.raises(InvalidInput, match="recorded in order"):
        T.decide(Answered(case="K-1", at=first_pass, actor=THERAPIST), state)
    assert T.decide(Answered(case="K-1", at=second_pass, actor=THERAPIST), state)


# A variant in which the case may be closed without the answer: closing voids it.
T_EARLY_CLOSE = routine((*STEPS[:3], attrs.evolve(STEPS[3], after=("open",))))


@pytest.mark.parametrize(
    ("closed_after_hours", "missing"),
    [(12, False), (24, False), (30, True), (72, True)],
    ids=["in-time", "at-the-due-time", "after-the-due-time", "days-later"],
)
def test_x5_an_obligation_made_void_after_its_due_time_stays_missing(
    closed_after_hours: float, missing: bool
) -> None:
    """X-5: closing a case voids what is open; what was already overdue stays a deviation.

    The answer was due 24 hours after the opening. Closed before or at that time, the
    answer is no longer owed; closed after it, the record still shows it never came.
    """
    state = T_EARLY_CLOSE.initial_state
    for request in (
        Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
        Closed(case="K-1", at=at(closed_after_hours), actor=WORKER),
    ):
        _, state = T_EARLY_CLOSE.handle(request, state)
    assert T_EARLY_CLOSE.is_terminal(state)
    assert T_EARLY_CLOSE.required_actions(state) == ()
    found = T_EARLY_CLOSE.deviations(state, as_of=at(200))
    assert [(d.kind, d.due) for d in found] == (
        [(DeviationKind.MISSING, at(24))] if missing else []
    )
    (record,) = state.obligations
    assert record.void_at == at(closed_after_hours)


def test_x5_a_void_recorded_after_as_of_does_not_yet_count() -> None:
    """X-5: a close in time but recorded after ``as_of`` is not yet known then: MISSING.

    Recorded after the due time had passed, it does not erase the deviation later either:
    a record judged as it was known then never loses a deviation it once showed.
    """
    state = T_EARLY_CLOSE.initial_state
    for request in (
        Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
        Closed(case="K-1", at=at(12), actor=WORKER, recorded_at=at(48)),
    ):
        _, state = T_EARLY_CLOSE.handle(request, state)
    assert [d.kind for d in T_EARLY_CLOSE.deviations(state, as_of=at(30))] == [
        DeviationKind.MISSING
    ]
    # Known then, and never erased: the close came in time, but it was recorded after
    # the due time had passed; the record showed the answer missing in between.
    assert [d.kind for d in T_EARLY_CLOSE.deviations(state, as_of=at(49))] == [
        DeviationKind.MISSING
    ]


# --------------------------------------------------------------------------- replay


def _answered(case: str = "K-1", hours: float = 1, **more: Any) -> Answered:
    return Answered(case=case, at=at(hours), actor=THERAPIST, **more)


def test_x1_strict_replay_names_the_index_and_why() -> None:
    """X-1: another case, out of recording order, impossible: InvalidInput with the index."""
    opened = Opened_(case="K-1", at=T0, actor=WORKER)
    cases: list[tuple[list[Event], str]] = [
        ([_answered()], "event 0: Answered makes no sense"),
        ([opened, _answered("K-2")], "event 1: Answered belongs to another case"),
        ([opened, _answered(hours=5), _answered(hours=3)], "event 2: Answered was recorded"),
        ([opened, opened], "event 1: Opened_ is recorded once"),
    ]
    for events, message in cases:
        with pytest.raises(InvalidInput, match=message):
            T.replay(events)


def test_x5_lenient_replay_keeps_what_it_cannot_explain_as_anomalies() -> None:
    """X-5: strict=False never raises on well-formed events; anomalies say what and where."""
    opened = Opened_(case="K-1", at=T0, actor=WORKER)
    wrong_role = Answered(case="K-1", at=at(2), actor=WORKER)
    state = T.replay([_answered(), opened, _answered("K-2"), wrong_role], strict=False)
    assert [(a.index, a.kind) for a in state.anomalies] == [
        (0, AnomalyKind.IMPOSSIBLE),
        (2, AnomalyKind.OTHER_CASE),
        (3, AnomalyKind.WRONG_ROLE),
    ]
    assert state.answers == 1  # the wrong-role answer happened: it is folded
    (deviation,) = [
        d for d in T.deviations(state, as_of=at(3)) if d.kind is DeviationKind.WRONG_ROLE
    ]
    assert deviation.requirement == "X-2"


def test_x5_a_forbidden_step_in_a_log_is_an_anomaly_and_a_deviation() -> None:
    """X-5: closing without consent cannot be decided, but a log may show it."""
    events = [
        Opened_(case="K-1", at=T0, actor=WORKER),
        _answered(),
        Closed(case="K-1", at=at(2), actor=WORKER),
    ]
    with pytest.raises(InvalidInput, match=r"event 2: .*without consent"):
        T.replay(events)
    state = T.replay(events, strict=False)
    assert [a.kind for a in state.anomalies] == [AnomalyKind.FORBIDDEN]
    assert T.is_terminal(state)
    kinds = [d.kind for d in T.deviations(state, as_of=at(3))]
    assert kinds == [DeviationKind.FORBIDDEN_STEP]


def test_x1_replay_of_what_decide_produced_gives_the_same_state() -> None:
    """X-1: folding the events decide returned, one by one or at once, agrees."""
    events, state = history(
        Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
        Answered(case="K-1", at=at(1), actor=THERAPIST),
        Answered(case="K-1", at=at(2), actor=THERAPIST),
    )
    assert T.replay(events) == state
    assert state.count == 3
    assert state.answers == 2
    with pytest.raises(InvalidInput, match="events must be an iterable"):
        T.replay(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="state must be a State"):
        T.replay([], state="x")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- milestones


def _with_milestones(**more: Any) -> Routine[State, Event, Policy]:
    """The test routine with a decision on opening, execution on the first answer, an end."""
    steps = (
        attrs.evolve(
            STEPS[0],
            milestone=Milestone(
                Decided,
                lambda e: (
                    Decided(
                        intervention="samtalsstöd",
                        decided_on=e.at.date(),
                        legal_basis=LegalBasis.SOL,
                        sex=Sex.FEMALE,
                    )
                    if e.consent
                    else None
                ),
            ),
        ),
        attrs.evolve(STEPS[1], milestone=Milestone(Executed, lambda e: Executed(on=e.at.date()))),
        STEPS[2],
        attrs.evolve(STEPS[3], milestone=Milestone(Ended, lambda e: Ended(on=e.at.date()))),
    )
    return routine(steps, **more)


def test_x6_a_fold_keeps_the_milestones_the_steps_reached_in_recording_order() -> None:
    """X-6: each step's declared milestone is read from its event and kept in the state."""
    routine_ = _with_milestones(social_services=True)
    events = [
        Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
        Answered(case="K-1", at=at(30), actor=THERAPIST),
        Answered(case="K-1", at=at(54), actor=THERAPIST),
        Closed(case="K-1", at=at(80), actor=WORKER),
    ]
    state = routine_.replay(events)
    assert [(r.step, r.kind) for r in state.milestones] == [
        ("open", MilestoneKind.DECISION),
        ("answer", MilestoneKind.EXECUTED),
        ("answer", MilestoneKind.EXECUTED),
        ("close", MilestoneKind.ENDED),
    ]
    decided = state.milestones[0].facts
    assert decided == Decided(
        intervention="samtalsstöd",
        decided_on=date(2026, 3, 2),
        legal_basis=LegalBasis.SOL,
        sex=Sex.FEMALE,
    )
    assert state.milestones[1].facts == Executed(on=date(2026, 3, 3))
    assert state.milestones[1].at == at(30)
    assert state.milestones[1].recorded_at == at(30)
    folded = routine_.fold(list(reversed(events)))
    assert folded["K-1"].milestones == state.milestones
    assert routine_.social_services is True
    assert T.social_services is False  # the default: never read by the report to IVO


def test_x6_an_event_that_reaches_no_milestone_or_is_not_explained_keeps_none() -> None:
    """X-6: read may say None; an event a lenient replay cannot explain is no milestone."""
    routine_ = _with_milestones()
    state = routine_.replay(
        [
            Opened_(case="K-1", at=T0, actor=WORKER),  # no consent: read gives None
            Answered(case="K-1", at=at(1), actor=THERAPIST),
            Opened_(case="K-1", at=at(2), actor=WORKER, consent=True),  # again: an anomaly
        ],
        strict=False,
    )
    assert [r.kind for r in state.milestones] == [MilestoneKind.EXECUTED]
    assert [a.kind for a in state.anomalies] == [AnomalyKind.REPEATED]


def test_x6_a_flagged_step_is_judged_on_the_facts_without_the_milestones() -> None:
    """X-6: the state a flag sees before a step keeps the facts, not the ledger."""
    routine_ = _with_milestones()
    state = routine_.replay(
        [
            Opened_(case="K-1", at=T0, actor=WORKER, consent=True),
            Answered(case="K-1", at=at(1), actor=THERAPIST),
        ]
    )
    (judged,) = state.judged
    assert judged.before.milestones == ()
    assert judged.before.opened_at == T0


def test_x6_a_reading_that_gives_the_wrong_facts_is_a_definition_error() -> None:
    """X-6: a milestone declared as one kind must read that kind's facts."""
    steps = (
        attrs.evolve(
            STEPS[0],
            milestone=Milestone(Executed, lambda e: Ended(on=e.at.date())),
        ),
        *STEPS[1:],
    )
    routine_ = routine(steps)
    with pytest.raises(TypeError, match=r"step 'open' of routine T: .*Executed facts, but gave"):
        routine_.replay([Opened_(case="K-1", at=T0, actor=WORKER)])


def test_x6_milestones_are_checked_when_the_routine_is_defined() -> None:
    """X-6: social services need a decision and an execution; interruption needs resumption."""
    with pytest.raises(InvalidDefinition) as caught:
        routine(social_services=True)
    text = "\n".join(caught.value.problems)
    assert "a decision is made (a step with a DECISION milestone)" in text
    assert "a decision is executed (a step with a EXECUTED milestone)" in text
    steps = (
        STEPS[0],
        attrs.evolve(
            STEPS[1],
            milestone=Milestone(Interrupted, lambda e: Interrupted(on=e.at.date())),
        ),
        attrs.evolve(STEPS[2], milestone="resumed"),  # type: ignore[arg-type]
        STEPS[3],
    )
    with pytest.raises(InvalidDefinition) as caught:
        routine(steps, social_services="yes")
    problems = caught.value.problems
    assert "step 'remind': milestone must be a Milestone (X-6)" in problems
    assert "social_services must be True or False (X-6)" in problems
    assert (
        "a step reaches a INTERRUPTED milestone but none a RESUMED one: declare both (X-6)"
        in problems
    )
    assert _with_milestones(social_services=True).social_services


def test_x6_a_milestone_reads_only_the_classes_of_facts() -> None:
    """X-6: the kind is known from the class of facts when the routine is defined."""
    assert Milestone(Resumed, lambda e: None).kind is MilestoneKind.RESUMED
    assert Milestone(DelayReason, lambda e: None).kind is MilestoneKind.DELAYED
    with pytest.raises(InvalidInput, match="facts must be one of the classes"):
        Milestone(State, lambda e: None)  # type: ignore[type-var]


def test_x6_the_facts_refuse_what_they_cannot_hold() -> None:
    """X-6: plain dates, a legal basis and a sex as values, never as text or times."""
    with pytest.raises(InvalidInput, match="decided_on"):
        Decided(intervention="hemtjänst", decided_on=T0)
    with pytest.raises(InvalidInput, match="sex"):
        Decided(intervention="hemtjänst", sex="kvinna")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="legal_basis"):
        Decided(intervention="hemtjänst", legal_basis="SoL")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="intervention"):
        Decided(intervention="")
    with pytest.raises(InvalidInput):
        Executed(on=T0)
    assert Interrupted(on=date(2026, 1, 20)).reason == ""
    assert DelayReason(reason="tackat nej till erbjudandet").kind is MilestoneKind.DELAYED
