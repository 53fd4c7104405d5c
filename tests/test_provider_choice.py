"""Routine VAL: choice, re-choice and assignment to home-care providers.

Given/when/then examples per requirement (VAL-1…VAL-20), the role-by-command matrix
read off the seed (X-2), and a stateful hypothesis test of the decider: random command
sequences never break ``replay(decide(...))`` and a refused command records nothing.
"""

from __future__ import annotations

import io
import signal
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from random import Random
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from arendefordelning import (
    Actor,
    ArendefordelningError,
    ExecutionDeadlinePolicy,
    IllegalTransition,
    InvalidInput,
    NoProviderAvailable,
    NotPermitted,
    Provider,
    ProviderKind,
    Role,
    RotationList,
    SwitchWindowPolicy,
    execution_deadline,
)
from arendefordelning.eventlog import dump_events, load_events
from arendefordelning.kernel import ActionKind, AnomalyKind, DeviationKind, Event, Severity
from arendefordelning.routines import provider_choice as val
from arendefordelning.testing import check_judging, judging_moments

SE = ZoneInfo("Europe/Stockholm")
CASE = "K-2026-7"
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=SE)  # Monday
FRIDAY_LATE = datetime(2026, 3, 6, 15, 10, tzinfo=SE)

ASSESSOR = Actor("bh-17", Role.NEEDS_ASSESSOR)
PROVIDER = Actor("ut-3", Role.PROVIDER)
NIGHT_PATROL = Actor("np-1", Role.NIGHT_PATROL)

NORR = Provider("Hemtjänst Norr")
SODER = Provider("Hemtjänst Söder")
OMSORG = Provider("Omsorg AB", ProviderKind.PRIVATE)
VARD = Provider("Vård i hemmet AB", ProviderKind.PRIVATE)

State = val.ProviderChoiceState
Command = val.ProviderChoiceEvent | val.ProviderChoiceCommand
"""What decide takes: a step's event, or its command where the routine completes the event."""
_C = TypeVar("_C", bound=Command)


def at(hours: float = 0, *, days: int = 0) -> datetime:
    """T0 plus some hours and days."""
    return T0 + timedelta(days=days, hours=hours)


def rotation() -> RotationList:
    return RotationList.alphabetical("Norr", [SODER, OMSORG, NORR], joined=date(2026, 1, 1))


def run(
    *commands: Command,
    state: State = val.initial_state,
    policy: val.ProviderChoicePolicy | None = None,
) -> tuple[list[val.ProviderChoiceEvent], State]:
    """Decide each command in turn, folding its events; return all events and the state."""
    history: list[val.ProviderChoiceEvent] = []
    for command in commands:
        events = val.decide(command, state, policy=policy)
        history += events
        state = val.replay(events, state)
    return history, state


def pick(commands: Sequence[Command], index: int, cls: type[_C]) -> _C:
    """The command at ``index``, checked to be of ``cls`` (for typed ``attrs.evolve``)."""
    command = commands[index]
    assert isinstance(command, cls)
    return command


def actions(state: State, requirement: str) -> list[str]:
    """The Swedish explanations of the required actions that cite ``requirement``."""
    return [a.explain() for a in val.required_actions(state) if a.requirement == requirement]


# --------------------------------------------------------------------------- the three flows


def choose(
    provider: Provider = NORR, *, when: datetime = T0, home_health_care: bool = False
) -> val.ChoiceRegistered:
    return val.ChoiceRegistered(
        case=CASE,
        at=when,
        actor=ASSESSOR,
        provider=provider,
        form=val.ChoiceForm.WRITTEN,
        home_health_care=home_health_care,
    )


def distribute(when: datetime = T0) -> val.DistributeAssignment:
    return val.DistributeAssignment(case=CASE, at=when, actor=ASSESSOR)


def municipal_flow() -> list[Command]:
    """First choice, municipal provider, enrolled in home health care (VAL-1…VAL-8)."""
    return [
        choose(NORR, home_health_care=True),
        distribute(at(0.5)),
        val.NotifyHomeHealthCare(case=CASE, at=at(1), actor=ASSESSOR),
        val.LaterStartAgreed(
            case=CASE,
            at=at(2),
            actor=PROVIDER,
            start=at(48),
            basis=val.LaterStartBasis.AGREEMENT,
        ),
        val.InterventionNotExecuted(
            case=CASE, at=at(3), actor=PROVIDER, intervention="Dusch", reason="Kunden avböjde"
        ),
        val.ExecutionStarted(case=CASE, at=at(20), actor=PROVIDER),
    ]


def private_flow() -> list[Command]:
    """First choice, private provider (VAL-9…VAL-11)."""
    return [
        choose(OMSORG),
        val.AssignmentPrepared(
            case=CASE, at=at(0.5), actor=ASSESSOR, relatives_phone_numbers=("070-111 22 33",)
        ),
        distribute(at(0.6)),
        val.ProviderContacted(
            case=CASE,
            at=at(1),
            actor=ASSESSOR,
            channel=val.ContactChannel.EMAIL,
            delivery=val.Delivery.POST,
        ),
        val.ReceiptConfirmed(case=CASE, at=at(2), actor=PROVIDER),
        val.ReceiptFiled(case=CASE, at=at(3), actor=ASSESSOR),
        val.FirstInterventionReported(
            case=CASE, at=at(days=2), actor=PROVIDER, first_intervention=date(2026, 3, 3)
        ),
        val.RegisterExecution(case=CASE, at=at(1, days=2), actor=ASSESSOR),
        val.ConfirmExecutionDate(case=CASE, at=at(2, days=2), actor=ASSESSOR),
    ]


NOTIFIED = at(days=30)  # 2026-04-01, a Wednesday
TAKEOVER = NOTIFIED.date() + timedelta(days=10)


def rechoice_flow() -> list[Command]:
    """Re-choice from the municipal provider to a private one (VAL-12…VAL-19)."""
    return [
        *municipal_flow(),
        val.RegisterRechoice(
            case=CASE,
            at=NOTIFIED,
            actor=ASSESSOR,
            incoming=OMSORG,
            form=val.ChoiceForm.ORAL,
            home_health_care=True,
        ),
        val.OutgoingProviderNotified(
            case=CASE, at=NOTIFIED, actor=ASSESSOR, channel=val.ContactChannel.SYSTEM
        ),
        val.IncomingProviderNotified(
            case=CASE, at=NOTIFIED, actor=ASSESSOR, channel=val.ContactChannel.EMAIL
        ),
        val.TakeoverWishRecorded(
            case=CASE, at=NOTIFIED, actor=ASSESSOR, requested_takeover=TAKEOVER
        ),
        val.ProvidersMediated(
            case=CASE, at=NOTIFIED + timedelta(hours=1), actor=ASSESSOR, note="Önskat datum"
        ),
        val.LastDayAgreed(
            case=CASE,
            at=NOTIFIED + timedelta(days=1),
            actor=PROVIDER,
            last_day=TAKEOVER - timedelta(days=1),
            documentation_consent=True,
        ),
        val.TakeoverAnnounced(
            case=CASE, at=NOTIFIED + timedelta(days=1, hours=1), actor=PROVIDER, takeover=TAKEOVER
        ),
        val.DocumentationHandedOver(
            case=CASE, at=NOTIFIED + timedelta(days=1, hours=2), actor=PROVIDER
        ),
        val.TakeoverDateReported(
            case=CASE, at=NOTIFIED + timedelta(days=2), actor=PROVIDER, takeover=TAKEOVER
        ),
        val.DocumentTakeoverDate(
            case=CASE, at=NOTIFIED + timedelta(days=2, hours=1), actor=ASSESSOR
        ),
        val.HomeHealthCareToldOfSwitch(
            case=CASE,
            at=NOTIFIED + timedelta(days=3),
            actor=PROVIDER,
            incoming_contact="Omsorg AB, 08-123 45 67",
        ),
    ]


def abstention(when: datetime = T0, **more: object) -> val.RegisterAbstention:
    return val.RegisterAbstention(
        case=CASE,
        at=when,
        actor=ASSESSOR,
        rotation=more.pop("rotation", rotation()),  # type: ignore[arg-type]
        **more,  # type: ignore[arg-type]
    )


def urgent(when: datetime = T0, **more: object) -> val.AssignUrgently:
    fields: dict[str, object] = {"start_by": when + timedelta(hours=4), **more}
    return val.AssignUrgently(case=CASE, at=when, actor=ASSESSOR, **fields)  # type: ignore[arg-type]


FLOWS: tuple[Callable[[], list[Command]], ...] = (
    municipal_flow,
    private_flow,
    rechoice_flow,
    lambda: [abstention()],
    lambda: [urgent(rotation=rotation())],
)


def before(cls: type[Command]) -> tuple[Command, State]:
    """The first command of class ``cls`` in the flows, and the state it is decided in."""
    for flow in FLOWS:
        commands = flow()
        for index, command in enumerate(commands):
            if type(command) is cls:
                return command, run(*commands[:index])[1]
    raise AssertionError(f"no flow issues {cls.__name__}")


def test_every_flow_runs_to_its_end_and_replays() -> None:
    """X-1: each flow's events, replayed from nothing, give the state step by step."""
    for flow in FLOWS:
        history, state = run(*flow())
        assert val.replay(history) == state
        assert val.PROVIDER_CHOICE.replay(history) == state
        assert all(event.case == CASE for event in history)


def test_the_flows_issue_every_command() -> None:
    for cls in val.COMMANDS:
        command, state = before(cls)
        assert cls in val.allowed_commands(state)
        assert type(command) is cls


# --------------------------------------------------------------------------- VAL-1 … VAL-3


def test_val1_written_or_oral_choice_is_registered_with_the_provider() -> None:
    """VAL-1, VAL-3: given a new case, when the assessor registers an oral choice of a
    private provider, then ChoiceRegistered records provider, form, time and actor: the
    event given is the request, and decide returns it as it is."""
    command = attrs.evolve(choose(OMSORG), form=val.ChoiceForm.ORAL)
    [event] = val.decide(command, val.initial_state)
    assert event == val.ChoiceRegistered(
        case=CASE, at=T0, actor=ASSESSOR, provider=OMSORG, form=val.ChoiceForm.ORAL
    )
    assert event is command
    state = val.evolve(val.initial_state, event)
    assert (state.provider, state.chosen_at, state.abstained) == (OMSORG, T0, False)
    assert state.stage is val.Stage.CHOSEN


def test_val1_val2_abstainer_gets_the_provider_next_in_turn() -> None:
    """VAL-1, VAL-2: given the area's list, when the customer abstains, then the
    provider next in turn is registered, exactly as the list's own take gives it."""
    listing = rotation().set_cap(NORR, 0)  # NORR is first in turn but full
    [event] = val.decide(abstention(rotation=listing), val.initial_state)
    assert isinstance(event, val.AbstentionRegistered)
    assert event.provider == listing.take(T0).provider == SODER
    assert event.area == "Norr"
    state = val.evolve(val.initial_state, event)
    assert state.abstained
    assert state.provider == SODER
    assert state.area == "Norr"


def test_val2_no_provider_on_the_list_records_nothing() -> None:
    """VAL-2: when every provider is paused, NoProviderAvailable and no event."""
    listing = rotation()
    for provider in listing.providers:
        listing = listing.pause(provider, date(2026, 1, 1))
    with pytest.raises(NoProviderAvailable, match="paused"):
        val.decide(abstention(rotation=listing), val.initial_state)


def test_val3_the_registration_is_an_event_in_the_log() -> None:
    """VAL-3: the choice or non-choice is a recorded event that survives the log."""
    history, _ = run(abstention())
    buffer = io.StringIO()
    dump_events(history, buffer)
    assert '"type": "abstention_registered"' in buffer.getvalue()
    assert list(load_events(io.StringIO(buffer.getvalue()))) == history


def test_val3_a_second_registration_is_refused() -> None:
    """VAL-3: a case registers one first choice; a second is an illegal transition."""
    _, state = run(choose())
    with pytest.raises(IllegalTransition, match="ChoiceRegistered is not allowed"):
        val.decide(choose(SODER, when=at(1)), state)


# --------------------------------------------------------------------------- VAL-4, VAL-5


def test_val4_assignment_is_distributed_to_the_chosen_provider() -> None:
    """VAL-4: given a choice, the assessor is asked to distribute; when done, the event
    names the chosen provider and the task is gone."""
    _, state = run(choose(SODER))
    assert actions(state, "VAL-4") == [
        "Biståndshandläggare: fördela uppdraget i verksamhetssystemet till Hemtjänst Söder (VAL-4)."
    ]
    [event] = val.decide(distribute(at(1)), state)
    assert event == val.AssignmentDistributed(case=CASE, at=at(1), actor=ASSESSOR, provider=SODER)
    state = val.evolve(state, event)
    assert actions(state, "VAL-4") == []
    assert state.stage is val.Stage.DISTRIBUTED


def test_val4_private_assignment_is_prepared_before_it_is_distributed() -> None:
    """VAL-4, VAL-9: a private provider's assignment is prepared on paper first."""
    _, state = run(choose(OMSORG))
    with pytest.raises(IllegalTransition, match="AssignmentPrepared"):
        val.decide(distribute(at(1)), state)


def test_val5_home_health_care_nurses_are_told_when_enrolled() -> None:
    """VAL-5: given an enrolled customer, a message to the nurses is required; when
    sent, it is recorded with the provider; a customer not enrolled needs none."""
    _, state = run(choose(NORR, home_health_care=True))
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-5"]
    assert action.kind is ActionKind.MESSAGE
    assert action.role is Role.NEEDS_ASSESSOR
    assert action.recipient == "sjuksköterskor för hemsjukvård"
    assert action.text == f"Vald utförare för ärende {CASE}: Hemtjänst Norr."
    assert "gemensam sändlista" in action.explain()
    assert "shared mailing list" in action.explain("en")
    [event] = val.decide(val.NotifyHomeHealthCare(case=CASE, at=at(1), actor=ASSESSOR), state)
    assert event == val.HomeHealthCareNotified(case=CASE, at=at(1), actor=ASSESSOR, provider=NORR)
    assert actions(val.evolve(state, event), "VAL-5") == []

    _, not_enrolled = run(choose(NORR))
    assert actions(not_enrolled, "VAL-5") == []
    with pytest.raises(IllegalTransition):
        val.decide(val.NotifyHomeHealthCare(case=CASE, at=at(1), actor=ASSESSOR), not_enrolled)


# --------------------------------------------------------------------------- VAL-6 … VAL-8


def test_val6_execution_is_due_24_hours_after_distribution_with_the_cutoff() -> None:
    """VAL-6: distributed Friday 15:10 → counted from Monday 07:00, due Tuesday 07:00."""
    _, state = run(choose(when=FRIDAY_LATE), distribute(FRIDAY_LATE))
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline == execution_deadline(FRIDAY_LATE)
    assert deadline.due == datetime(2026, 3, 10, 7, 0, tzinfo=SE)
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-6"]
    assert (action.role, action.assignee, action.due) == (Role.PROVIDER, NORR.name, deadline.due)
    assert action.explain() == (
        "Utförare Hemtjänst Norr: verkställ uppdraget; meddela biståndshandläggaren om någon "
        "insats inte verkställs, och orsak, senast 2026-03-10 07:00 (VAL-6)."
    )


def test_val6_a_later_agreed_start_moves_the_due_time() -> None:
    """VAL-6: the due time is derived anew from the events: a later start moves it."""
    _, state = run(choose(), distribute())
    first = val.execution_deadline_of(state)
    assert first is not None
    assert first.due == at(24)
    later = val.LaterStartAgreed(
        case=CASE, at=at(1), actor=ASSESSOR, start=at(72), basis=val.LaterStartBasis.INSTRUCTION
    )
    _, moved = run(later, state=state)
    deadline = val.execution_deadline_of(moved)
    assert deadline is not None
    assert deadline.due == at(72)
    assert [a.due for a in val.required_actions(moved) if a.requirement == "VAL-6"] == [at(72)]


def test_val6_a_provider_may_record_an_agreement_but_not_an_instruction() -> None:
    """VAL-6, X-2: only the assessor instructs a later start; nothing is recorded."""
    _, state = run(choose(), distribute())
    instruction = val.LaterStartAgreed(
        case=CASE, at=at(1), actor=PROVIDER, start=at(72), basis=val.LaterStartBasis.INSTRUCTION
    )
    with pytest.raises(NotPermitted, match="biståndshandläggare"):
        val.decide(instruction, state)
    agreement = attrs.evolve(instruction, basis=val.LaterStartBasis.AGREEMENT)
    assert len(val.decide(agreement, state)) == 1


def test_val6_a_later_start_must_lie_after_the_agreement() -> None:
    """VAL-6: the event refuses a start not after the agreement; no state is needed."""
    with pytest.raises(InvalidInput, match="VAL-6") as caught:
        val.LaterStartAgreed(
            case=CASE, at=at(1), actor=ASSESSOR, start=at(1), basis=val.LaterStartBasis.AGREEMENT
        )
    assert "2026" not in str(caught.value), "the message repeats no value"


def test_val6_execution_started_ends_the_obligation() -> None:
    """VAL-6: when the provider starts, no execution task remains and start is refused twice."""
    _, state = run(choose(), distribute())
    start = val.ExecutionStarted(case=CASE, at=at(5), actor=PROVIDER)
    _, state = run(start, state=state)
    assert state.executed
    assert state.stage is val.Stage.EXECUTING
    assert actions(state, "VAL-6") == []
    with pytest.raises(IllegalTransition):
        val.decide(attrs.evolve(start, at=at(6)), state)


def test_val6_private_deadline_counts_from_the_contact() -> None:
    """VAL-6, VAL-9: for a private provider the 24 hours run from the assessor's contact."""
    commands = private_flow()[:4]
    _, state = run(*commands)
    contact = commands[-1].at
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline.counted_from == contact
    assert deadline.due == contact + timedelta(hours=24)
    assert "Private" not in deadline.explain("en") or True  # explanation is the rule's own
    assert deadline == execution_deadline(contact, provider=ProviderKind.PRIVATE)


def test_val7_urgent_start_takes_the_next_provider_on_the_list() -> None:
    """VAL-7: a customer without a provider gets the one next in turn, due at start_by."""
    command = urgent(rotation=rotation())
    [event] = val.decide(command, val.initial_state)
    assert isinstance(event, val.UrgentlyAssigned)
    assert event.provider == rotation().take(T0).provider
    assert event.area == "Norr"
    state = val.evolve(val.initial_state, event)
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-7"]
    assert action.due == command.start_by
    assert actions(state, "VAL-6") == []


def test_val7_a_customer_with_a_provider_keeps_it() -> None:
    """VAL-7: the customer's provider gets the urgent assignment, not the list's."""
    _, state = run(choose(VARD))
    [event] = val.decide(urgent(at(1), rotation=rotation()), state)
    assert isinstance(event, val.UrgentlyAssigned)
    assert (event.provider, event.area) == (VARD, None)
    [elsewhere] = val.decide(urgent(current_provider=SODER), val.initial_state)
    assert isinstance(elsewhere, val.UrgentlyAssigned)
    assert elsewhere.provider == SODER


def test_val7_the_night_patrol_may_give_an_urgent_assignment() -> None:
    """VAL-7, X-2: the municipal safety alarm and night patrol may act too."""
    command = attrs.evolve(urgent(rotation=rotation()), actor=NIGHT_PATROL)
    [event] = val.decide(command, val.initial_state)
    assert event.actor == NIGHT_PATROL


def test_val7_urgent_means_sooner_than_24_hours_and_needs_a_list_or_provider() -> None:
    """VAL-7: a start_by at or after VAL-6's due time is refused; so is a missing list."""
    normal = execution_deadline(T0).due
    with pytest.raises(InvalidInput, match="sooner than the 24 hours"):
        val.decide(urgent(start_by=normal, rotation=rotation()), val.initial_state)
    with pytest.raises(InvalidInput, match="pass rotation"):
        val.decide(urgent(), val.initial_state)


@pytest.mark.parametrize(
    ("area", "phrase"),
    [
        (datetime(2026, 3, 2, tzinfo=SE), "area must be non-empty text, not a value of type"),
        (" ", "area must be non-empty text"),
        ("Norr 19121212-1212", "area must not contain a personal identity number"),
    ],
    ids=["datetime", "blank", "identity-number"],
)
def test_val7_the_area_of_an_urgent_assignment_is_checked_text(area: object, phrase: str) -> None:
    """VAL-7, X-1, X-7: the area is checked like every area, so the event log can write it."""
    with pytest.raises(InvalidInput, match=phrase) as caught:
        val.UrgentlyAssigned(
            case=CASE,
            at=T0,
            actor=ASSESSOR,
            provider=NORR,
            start_by=at(2),
            area=area,  # type: ignore[arg-type]
        )
    assert "1212" not in str(caught.value)
    event = val.UrgentlyAssigned(
        case=CASE, at=T0, actor=ASSESSOR, provider=NORR, start_by=at(2), area="Norr"
    )
    assert event.area == "Norr"


def test_val8_an_intervention_not_executed_is_reported_with_its_reason() -> None:
    """VAL-8: the provider reports the intervention and the reason; both are kept."""
    _, state = run(choose(), distribute())
    report = val.InterventionNotExecuted(
        case=CASE, at=at(2), actor=PROVIDER, intervention="Inköp", reason="Kunden inte hemma"
    )
    [event] = val.decide(report, state)
    state = val.evolve(state, event)
    assert [(e.intervention, e.reason) for e in state.not_executed] == [
        ("Inköp", "Kunden inte hemma")
    ]
    with pytest.raises(IllegalTransition):
        val.decide(report, run(choose())[1])


# --------------------------------------------------------------------------- VAL-9 … VAL-11


def test_val9_private_provider_is_contacted_by_email_with_the_case_number_only() -> None:
    """VAL-9: after prepare and distribute, a message to the provider is required whose
    text names the case number only; contact by e-mail or telephone is recorded."""
    commands = private_flow()
    _, state = run(*commands[:3])
    assert state.prepared
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-9"]
    assert action.kind is ActionKind.MESSAGE
    assert action.recipient == OMSORG.name
    assert action.text == f"Det finns ett uppdrag till er. Ärendenummer: {CASE}."
    [event] = val.decide(commands[3], state)
    assert event == val.ProviderContacted(
        case=CASE,
        at=at(1),
        actor=ASSESSOR,
        channel=val.ContactChannel.EMAIL,
        delivery=val.Delivery.POST,
    )


def test_val9_a_private_provider_is_not_contacted_through_the_system() -> None:
    commands = private_flow()
    _, state = run(*commands[:3])
    command = attrs.evolve(
        pick(commands, 3, val.ProviderContacted), channel=val.ContactChannel.SYSTEM
    )
    with pytest.raises(InvalidInput, match="e-mail or telephone"):
        val.decide(command, state)


def test_val9_relatives_telephone_numbers_are_written_on_the_assignment() -> None:
    """VAL-9: the prepared assignment keeps the relatives' numbers."""
    [_, event] = run(*private_flow()[:2])[0]
    assert isinstance(event, val.AssignmentPrepared)
    assert event.relatives_phone_numbers == ("070-111 22 33",)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs a POSIX interval timer")
@pytest.mark.parametrize("bad", ["1" * 40 + "x", "070 " + "1" * 60 + "-", "(08)" + "9" * 50 + "("])
def test_val9_a_long_digit_run_is_refused_at_once_not_after_exponential_backtracking(
    bad: str,
) -> None:
    """VAL-9, X-7: the telephone check is linear; 40 digits and a letter took hours before."""

    def too_slow(signum: int, frame: object) -> None:
        raise TimeoutError("the telephone number check did not finish within 2 seconds")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        with pytest.raises(InvalidInput, match="must be a telephone number"):
            val.AssignmentPrepared(case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=(bad,))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    for fine in ("070-123 45 67", "+46 70 123 45 67", "08 (123) 456", "+46 (0)8 123 456"):
        command = val.AssignmentPrepared(
            case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=(fine,)
        )
        assert command.relatives_phone_numbers == (fine,)


@pytest.mark.parametrize("fine", ["(08) 123 456", "(08)123 45 67", "(0470) 12 34 56"])
def test_val9_a_number_may_begin_with_its_area_code_in_brackets(fine: str) -> None:
    """VAL-9: (08) 123 456 is accepted, as the telephone check's documentation says."""
    command = val.AssignmentPrepared(
        case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=(fine,)
    )
    assert command.relatives_phone_numbers == (fine,)
    for bad in ("+(08) 123 456", "(08) 123 456)", "()08 123 456"):
        with pytest.raises(InvalidInput, match="must be a telephone number"):
            val.AssignmentPrepared(case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=(bad,))


def test_val10_receipt_is_confirmed_then_filed() -> None:
    """VAL-10: the provider confirms receipt; then the assessor files it; in that order."""
    commands = private_flow()
    _, state = run(*commands[:4])
    assert [a.role for a in val.required_actions(state) if a.requirement == "VAL-10"] == [
        Role.PROVIDER
    ]
    with pytest.raises(IllegalTransition, match="ReceiptFiled is not allowed"):
        val.decide(attrs.evolve(commands[5], at=at(2)), state)
    _, state = run(commands[4], state=state)
    assert [a.role for a in val.required_actions(state) if a.requirement == "VAL-10"] == [
        Role.NEEDS_ASSESSOR
    ]
    _, state = run(commands[5], state=state)
    assert state.receipt_filed
    assert actions(state, "VAL-10") == []


def test_val11_execution_is_registered_from_the_first_intervention_and_confirmed() -> None:
    """VAL-11: reported date → registered from that date → confirmed to the provider."""
    commands = private_flow()
    _, state = run(*commands[:7])
    assert state.first_intervention == date(2026, 3, 3)
    assert actions(state, "VAL-6") == [], "the report ends the execution obligation"
    [task] = actions(state, "VAL-11")
    assert "från och med 2026-03-03" in task
    [event] = val.decide(commands[7], state)
    assert event == val.ExecutionRegistered(
        case=CASE, at=commands[7].at, actor=ASSESSOR, executed_from=date(2026, 3, 3)
    )
    state = val.evolve(state, event)
    [message] = [a for a in val.required_actions(state) if a.requirement == "VAL-11"]
    assert message.text == f"Uppdraget i ärende {CASE} är verkställt från och med 2026-03-03."
    _, state = run(commands[8], state=state)
    assert state.execution_confirmed
    assert val.required_actions(state) == ()


def test_val11_the_first_intervention_is_not_before_the_contact() -> None:
    commands = private_flow()
    _, state = run(*commands[:6])
    early = attrs.evolve(
        pick(commands, 6, val.FirstInterventionReported), first_intervention=date(2026, 3, 1)
    )
    with pytest.raises(InvalidInput, match="VAL-11"):
        val.decide(early, state)


# --------------------------------------------------------------------------- VAL-12 … VAL-19


def rechoice_state(steps: int) -> tuple[list[Command], State]:
    """The re-choice flow's commands and the state after the municipal flow + ``steps``."""
    commands = rechoice_flow()
    first = len(municipal_flow())
    return commands[first:], run(*commands[: first + steps])[1]


def test_val12_rechoice_registers_outgoing_and_incoming() -> None:
    """VAL-12: the case's provider is outgoing, the new choice incoming."""
    commands, state = rechoice_state(0)
    [event] = val.decide(commands[0], state)
    assert isinstance(event, val.RechoiceRegistered)
    assert (event.outgoing, event.incoming) == (NORR, OMSORG)
    assert event.chosen_on == NOTIFIED.date()
    state = val.evolve(state, event)
    assert state.stage is val.Stage.RECHOICE
    assert state.provider == NORR, "the outgoing provider serves until the takeover"


def test_val12_rechoice_refuses_the_same_or_a_wrong_outgoing_provider() -> None:
    commands, state = rechoice_state(0)
    with pytest.raises(InvalidInput, match="must differ"):
        val.decide(attrs.evolve(pick(commands, 0, val.RegisterRechoice), incoming=NORR), state)
    with pytest.raises(InvalidInput, match="not the case's provider"):
        val.decide(attrs.evolve(pick(commands, 0, val.RegisterRechoice), outgoing=SODER), state)
    with pytest.raises(InvalidInput, match="must not be after"):
        val.decide(
            attrs.evolve(
                pick(commands, 0, val.RegisterRechoice), chosen_on=NOTIFIED.date() + timedelta(1)
            ),
            state,
        )


def test_val12_a_case_opened_for_the_rechoice_names_the_outgoing_provider() -> None:
    command = val.RegisterRechoice(
        case=CASE, at=T0, actor=ASSESSOR, incoming=OMSORG, form=val.ChoiceForm.WRITTEN
    )
    with pytest.raises(InvalidInput, match="outgoing="):
        val.decide(command, val.initial_state)
    [event] = val.decide(attrs.evolve(command, outgoing=NORR), val.initial_state)
    assert isinstance(event, val.RechoiceRegistered)
    assert event.outgoing == NORR


def test_val13_each_provider_is_notified_at_the_same_time_the_same_day() -> None:
    """VAL-13: a message to each provider, 'at the same time', preferably the day of the
    choice; each notification is its own fact."""
    commands, state = rechoice_state(1)
    messages = [a for a in val.required_actions(state) if a.requirement == "VAL-13"]
    assert [(a.kind, a.recipient) for a in messages] == [
        (ActionKind.MESSAGE, "Hemtjänst Norr"),
        (ActionKind.MESSAGE, "Omsorg AB"),
    ]
    assert "vid samma tidpunkt som tillträdande utförare" in messages[0].explain()
    assert "helst samma dag som kunden meddelade sitt val (2026-04-01)" in messages[0].explain()
    assert "at the same time as the incoming provider, preferably" in messages[0].explain("en")
    assert messages[0].explain().endswith("senast 2026-04-01 (VAL-13).")
    assert messages[0].due == datetime(2026, 4, 2, 0, 0, tzinfo=SE)
    [outgoing] = val.decide(commands[1], state)
    assert isinstance(outgoing, val.OutgoingProviderNotified)
    assert outgoing.channel is val.ContactChannel.SYSTEM
    state = val.evolve(state, outgoing)
    [incoming] = val.decide(commands[2], state)
    assert isinstance(incoming, val.IncomingProviderNotified)
    state = val.evolve(state, incoming)
    assert state.rechoice is not None
    assert state.rechoice.notified_at == NOTIFIED
    assert val.deviations(state, as_of=NOTIFIED + timedelta(days=3)) == []


def test_val13_providers_told_at_different_times_is_recorded_and_an_error() -> None:
    """VAL-13: notifications an hour apart are both recorded; the second is flagged."""
    commands, state = rechoice_state(2)
    later = attrs.evolve(
        pick(commands, 2, val.IncomingProviderNotified), at=NOTIFIED + timedelta(hours=1)
    )
    _, state = run(later, state=state)
    assert state.rechoice is not None
    assert state.rechoice.notified_at == NOTIFIED + timedelta(hours=1)
    [deviation] = val.deviations(state, as_of=NOTIFIED + timedelta(hours=2))
    assert (deviation.requirement, deviation.kind, deviation.severity) == (
        "VAL-13",
        DeviationKind.NOT_SIMULTANEOUS,
        Severity.ERROR,
    )
    assert deviation.happened_at == NOTIFIED + timedelta(hours=1)
    assert "vid samma tidpunkt (inom 15 minuter)" in deviation.explain()
    within = attrs.evolve(later, at=NOTIFIED + timedelta(minutes=15))
    _, state = run(within, state=rechoice_state(2)[1])
    assert val.deviations(state, as_of=NOTIFIED + timedelta(hours=2)) == []


def test_val13_a_notification_after_the_day_of_the_choice_is_a_warning() -> None:
    """VAL-13: 'preferably the same day': a day later is a NOT_SAME_DAY warning for each,
    and none at all by the end of the day is MISSING, a warning too."""
    commands, state = rechoice_state(1)
    assert [d.kind for d in val.deviations(state, as_of=NOTIFIED + timedelta(days=1))] == [
        DeviationKind.MISSING,
        DeviationKind.MISSING,
    ]
    next_day = NOTIFIED + timedelta(days=1)
    _, state = run(
        attrs.evolve(pick(commands, 1, val.OutgoingProviderNotified), at=next_day),
        attrs.evolve(pick(commands, 2, val.IncomingProviderNotified), at=next_day),
        state=state,
    )
    found = val.deviations(state, as_of=next_day + timedelta(hours=1))
    assert [(d.kind, d.severity) for d in found] == [
        (DeviationKind.NOT_SAME_DAY, Severity.WARNING),
        (DeviationKind.NOT_SAME_DAY, Severity.WARNING),
    ]


def test_val13_the_same_time_is_a_policy_field() -> None:
    """VAL-13, X-4: a municipality allowing an hour between the messages passes a policy."""
    policy = val.ProviderChoicePolicy(same_time=timedelta(hours=1))
    assert val.ProviderChoicePolicy().same_time == timedelta(minutes=15)
    commands, state = rechoice_state(2)
    later = attrs.evolve(
        pick(commands, 2, val.IncomingProviderNotified), at=NOTIFIED + timedelta(minutes=50)
    )
    _, state = run(later, state=state)
    assert val.deviations(state, as_of=NOTIFIED + timedelta(hours=2), policy=policy) == []
    assert len(val.deviations(state, as_of=NOTIFIED + timedelta(hours=2))) == 1


@pytest.mark.parametrize(
    ("index", "channel"),
    [(1, val.ContactChannel.EMAIL), (2, val.ContactChannel.SYSTEM)],
    ids=["outgoing-municipal-by-email", "incoming-private-by-system"],
)
def test_val13_municipal_by_system_private_by_email_or_telephone(
    index: int, channel: val.ContactChannel
) -> None:
    """VAL-13: a municipal provider is told through the system, a private one otherwise."""
    commands, state = rechoice_state(index)
    command = commands[index]
    assert isinstance(command, val.OutgoingProviderNotified | val.IncomingProviderNotified)
    command = attrs.evolve(command, channel=channel)
    with pytest.raises(InvalidInput, match=r"channel: the .* provider"):
        val.decide(command, state)


def test_val14_a_wish_is_mediated_by_the_assessor() -> None:
    """VAL-14: a recorded wish requires the assessor to mediate between the providers."""
    commands, state = rechoice_state(4)
    assert state.rechoice is not None
    assert state.rechoice.wish is not None
    assert state.rechoice.wish.requested_takeover == TAKEOVER
    [task] = actions(state, "VAL-14")
    assert task.startswith("Biståndshandläggare: förmedla information mellan utförarna")
    _, state = run(commands[4], state=state)
    assert actions(state, "VAL-14") == []


def test_val14_a_wish_must_say_something() -> None:
    """VAL-14: a wish names a date, no contact with the outgoing provider, or both."""
    with pytest.raises(InvalidInput, match="VAL-14"):
        val.TakeoverWishRecorded(case=CASE, at=T0, actor=ASSESSOR)
    wish = val.TakeoverWishRecorded(case=CASE, at=T0, actor=ASSESSOR, no_contact_with_outgoing=True)
    assert wish.requested_takeover is None


def test_val15_outgoing_provider_agrees_the_last_day_and_asks_for_consent() -> None:
    """VAL-15: after notification the outgoing provider must agree the last day."""
    commands, state = rechoice_state(5)
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-15"]
    assert (action.role, action.assignee) == (Role.PROVIDER, NORR.name)
    assert "dokumentationen" in action.sv
    _, state = run(commands[5], state=state)
    assert state.rechoice is not None
    assert state.rechoice.last_day == TAKEOVER - timedelta(days=1)
    assert state.rechoice.documentation_consent is True
    with pytest.raises(InvalidInput, match="VAL-15"):
        attrs.evolve(
            pick(commands, 5, val.LastDayAgreed), last_day=NOTIFIED.date() - timedelta(days=1)
        )


def test_val16_documentation_passes_only_with_consent() -> None:
    """VAL-16: without the customer's consent the handover is refused outright."""
    commands, state = rechoice_state(5)
    refused = attrs.evolve(pick(commands, 5, val.LastDayAgreed), documentation_consent=False)
    _, state = run(refused, commands[6], state=state)
    assert state.rechoice is not None
    assert state.rechoice.announced_takeover == TAKEOVER
    with pytest.raises(
        IllegalTransition, match=r"DocumentationHandedOver is refused: .*\(VAL-16\)"
    ):
        val.decide(commands[7], state)
    assert not [a for a in val.required_actions(state) if "dokumentationen" in a.sv]

    _, consented = run(*commands[5:7], state=rechoice_state(5)[1])
    [handover] = [a for a in val.required_actions(consented) if a.requirement == "VAL-16"]
    assert "samtyckt" in handover.sv
    _, consented = run(commands[7], state=consented)
    assert consented.rechoice is not None
    assert consented.rechoice.documentation_handed_over


def test_val17_incoming_reports_the_takeover_date_and_the_assessor_documents_it() -> None:
    """VAL-17: reported → documented; from then the incoming provider is the provider."""
    commands, state = rechoice_state(8)
    [message] = [a for a in val.required_actions(state) if a.requirement == "VAL-17"]
    assert (message.assignee, message.recipient) == (OMSORG.name, "biståndshandläggaren")
    _, state = run(commands[8], state=state)
    [task] = actions(state, "VAL-17")
    assert f"({TAKEOVER})" in task
    [event] = val.decide(commands[9], state)
    assert event == val.TakeoverDateDocumented(
        case=CASE, at=commands[9].at, actor=ASSESSOR, takeover=TAKEOVER
    )
    state = val.evolve(state, event)
    assert state.provider == OMSORG
    assert state.switches == 1


@pytest.mark.parametrize(("days", "ok"), [(6, False), (7, True), (14, True), (15, False)])
def test_val18_the_takeover_date_lies_7_to_14_days_after_notification(days: int, ok: bool) -> None:
    """VAL-18: the window is [notified + 7, notified + 14]; a switch outside it is
    recorded (a switch on day 18 happens) and is an OUTSIDE_WINDOW deviation."""
    commands, state = rechoice_state(6)
    assert val.switch_window_of(state) == (
        NOTIFIED.date() + timedelta(days=7),
        NOTIFIED.date() + timedelta(days=14),
    )
    takeover = NOTIFIED.date() + timedelta(days=days)
    announced = attrs.evolve(pick(commands, 6, val.TakeoverAnnounced), takeover=takeover)
    assert len(val.decide(announced, state)) == 1
    report = val.TakeoverDateReported(
        case=CASE, at=commands[6].at, actor=PROVIDER, takeover=takeover
    )
    _, state = run(report, state=state)
    found = [d for d in val.deviations(state, as_of=commands[6].at) if d.requirement == "VAL-18"]
    if ok:
        assert found == []
    else:
        [deviation] = found
        assert deviation.kind is DeviationKind.OUTSIDE_WINDOW
        assert str(takeover) in deviation.explain()


def test_val18_a_switch_on_day_18_is_recorded_and_the_case_goes_on() -> None:
    """VAL-18: the case is not stuck: the late switch is documented and deviates."""
    commands, state = rechoice_state(8)
    late = NOTIFIED.date() + timedelta(days=18)
    _, state = run(
        attrs.evolve(pick(commands, 8, val.TakeoverDateReported), takeover=late),
        commands[9],
        state=state,
    )
    assert state.provider == OMSORG
    assert state.rechoice is not None
    assert state.rechoice.documented_takeover == late
    kinds = [d.kind for d in val.deviations(state, as_of=commands[9].at)]
    assert kinds == [DeviationKind.OUTSIDE_WINDOW]


def test_val18_no_window_before_both_are_notified() -> None:
    """VAL-18: the window counts from the later notification: none before both."""
    _, state = rechoice_state(1)
    assert val.switch_window_of(state) is None
    _, state = rechoice_state(2)
    assert val.switch_window_of(state) is None
    assert val.switch_window_of(val.initial_state) is None


def test_val19_outgoing_provider_tells_home_health_care_of_the_switch() -> None:
    """VAL-19: with ongoing home health care the re-choice is not done until the
    outgoing provider has told home health care, with the incoming contact details."""
    commands, state = rechoice_state(10)
    assert state.stage is val.Stage.RECHOICE
    [message] = [a for a in val.required_actions(state) if a.requirement == "VAL-19"]
    assert (message.assignee, message.recipient) == (NORR.name, "hemsjukvården")
    assert OMSORG.name in message.sv
    [event] = val.decide(commands[10], state)
    assert isinstance(event, val.HomeHealthCareToldOfSwitch)
    state = val.evolve(state, event)
    assert state.stage is val.Stage.SWITCHED
    assert val.required_actions(state) == (), "the first choice's steps ended at the switch"
    assert state.first_provider == NORR
    first = execution_deadline(at(0.5), agreed_start=at(48))
    assert val.execution_deadline_of(state) == first, "still the first provider's deadline"
    assert val.allowed_commands(state) == {val.RegisterRechoice}


def test_val19_without_home_health_care_nothing_is_told() -> None:
    commands = rechoice_flow()
    first = len(municipal_flow())
    commands[first] = attrs.evolve(
        pick(commands, first, val.RegisterRechoice), home_health_care=False
    )
    _, state = run(*commands[:-1])
    assert state.stage is val.Stage.SWITCHED
    assert actions(state, "VAL-19") == []
    with pytest.raises(IllegalTransition):
        val.decide(commands[-1], state)


# --------------------------------------------------------------------------- VAL-20


def test_val20_policy_carries_a_validity_period_and_a_revision_date() -> None:
    """VAL-20: the routine's numbers live in a policy with a validity period."""
    policy = val.ProviderChoicePolicy(valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    assert policy.in_force(date(2026, 6, 1))
    assert not policy.in_force(date(2027, 1, 1))
    assert policy.revision_due == date(2027, 1, 1)
    assert val.ProviderChoicePolicy().execution == ExecutionDeadlinePolicy()
    assert val.ProviderChoicePolicy().switch == SwitchWindowPolicy()
    with pytest.raises(InvalidInput, match="must not be before valid_from"):
        val.ProviderChoicePolicy(valid_from=date(2026, 1, 1), valid_until=date(2025, 1, 1))


def test_val20_the_revision_in_force_is_picked_and_applied() -> None:
    """VAL-20: a 15:00 cut-off from 2026 changes a 14:30 distribution's deadline."""
    old = val.ProviderChoicePolicy(valid_until=date(2025, 12, 31))
    new = val.ProviderChoicePolicy(
        valid_from=date(2026, 1, 1), execution=ExecutionDeadlinePolicy(cutoff=time(15, 0))
    )
    assert val.policy_in_force([old, new], T0) is new
    assert val.policy_in_force([old, new], date(2020, 5, 5)) is old
    late = T0.replace(hour=14, minute=30)
    _, state = run(choose(when=late), distribute(late), policy=new)
    with_new = val.execution_deadline_of(state, policy=new)
    with_default = val.execution_deadline_of(state)
    assert with_new is not None
    assert with_default is not None
    assert with_new.due == late + timedelta(hours=24)
    assert with_default.due == datetime(2026, 3, 4, 7, 0, tzinfo=SE)
    with pytest.raises(InvalidInput, match="exactly one"):
        val.policy_in_force([old, new, new], T0)


@pytest.mark.parametrize(
    ("policies", "phrase"),
    [
        (None, "an iterable of ProviderChoicePolicy, not None"),
        ("VAL", "an iterable of ProviderChoicePolicy, not a value of type str"),
        ([None], "only ProviderChoicePolicy values, not None"),
        ([val.ProviderChoicePolicy(), "2026"], "not a value of type str"),
    ],
    ids=["none", "str", "none-item", "str-item"],
)
def test_val20_policy_in_force_refuses_what_is_not_policies(policies: object, phrase: str) -> None:
    """VAL-20, X-7: junk policies raise InvalidInput, not TypeError or AttributeError."""
    with pytest.raises(InvalidInput, match=phrase):
        val.policy_in_force(policies, T0)  # type: ignore[arg-type]


def test_val20_a_policy_not_in_force_is_refused() -> None:
    old = val.ProviderChoicePolicy(valid_until=date(2025, 12, 31))
    with pytest.raises(InvalidInput, match="not on 2026-03-02"):
        val.decide(choose(), val.initial_state, policy=old)


# --------------------------------------------------------------------------- guards


def test_x1_commands_must_not_run_backwards_in_time_or_change_case() -> None:
    """X-1: a case's events are in time order and of one case."""
    _, state = run(choose(when=at(2)))
    with pytest.raises(InvalidInput, match="before the case's latest event"):
        val.decide(distribute(at(1)), state)
    with pytest.raises(InvalidInput, match="case"):
        val.decide(attrs.evolve(distribute(at(3)), case="K-other"), state)


def test_x3_time_order_is_by_instant_across_the_repeated_hour() -> None:
    """X-1, X-3: 02:30 in the second (winter-time) pass of 25 October 2026 is after
    02:45 in the first pass, though its wall clock is earlier; 02:50 in the first pass
    is before it, though its wall clock is later."""
    first_pass = datetime(2026, 10, 25, 2, 45, tzinfo=SE)
    second_pass = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=SE)
    assert second_pass.utcoffset() == timedelta(hours=1)
    _, state = run(choose(when=first_pass))
    _, state = run(distribute(second_pass), state=state)
    assert state.distributed_at is not None
    assert state.distributed_at.utcoffset() == timedelta(hours=1)
    late_wall_clock = datetime(2026, 10, 25, 2, 50, tzinfo=SE)
    with pytest.raises(InvalidInput, match="before the case's latest event"):
        val.decide(val.ExecutionStarted(case=CASE, at=late_wall_clock, actor=PROVIDER), state)


def test_x3_a_wall_clock_time_that_does_not_exist_is_kept_as_its_instant() -> None:
    """X-1, X-3: 02:45 on 29 March 2026 does not exist in Stockholm; the event keeps the
    instant as 03:45+02:00, so it equals itself after a round trip through the log."""
    skipped = datetime(2026, 3, 29, 2, 45, tzinfo=SE)
    history, _ = run(choose(when=skipped))
    assert history[0].at.isoformat() == "2026-03-29T03:45:00+02:00"
    assert history[0].at.timestamp() == skipped.timestamp()
    buffer = io.StringIO()
    dump_events(history, buffer)
    buffer.seek(0)
    assert list(load_events(buffer)) == history


def test_x1_evolve_keeps_an_event_of_another_case_as_an_anomaly() -> None:
    """X-1: evolve never fails on an event of the routine; strict replay names it."""
    [event] = val.decide(choose(), val.initial_state)
    state = val.evolve(val.initial_state, event)
    other = val.evolve(state, attrs.evolve(event, case="K-other"))
    assert [a.kind for a in other.anomalies] == [AnomalyKind.OTHER_CASE]
    assert other.provider == state.provider
    with pytest.raises(InvalidInput, match=r"event 1: .*another case"):
        val.replay([event, attrs.evolve(event, case="K-other")])
    with pytest.raises(InvalidInput, match="routine VAL"):
        val.evolve(state, object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="command of routine VAL"):
        val.decide(object(), state)  # type: ignore[arg-type]


def test_illegal_transition_names_the_state_and_what_it_allows() -> None:
    _, state = run(choose())
    with pytest.raises(IllegalTransition) as raised:
        val.decide(val.ExecutionStarted(case=CASE, at=at(1), actor=PROVIDER), state)
    message = str(raised.value)
    assert "'val registrerat' (choice registered)" in message
    for cls in val.allowed_commands(state):
        assert cls.__name__ in message


def test_the_decider_bundle_is_the_module_functions() -> None:
    decider = val.PROVIDER_CHOICE
    assert decider is val.VAL
    assert decider.code == "VAL"
    assert decider.initial_state is val.initial_state
    assert set(decider.commands) == set(val.COMMANDS)
    assert set(decider.log_events) == set(val.EVENTS)
    events, state = decider.handle(choose(), decider.initial_state)
    assert state == val.replay(events)


def test_required_actions_explain_in_both_languages_for_every_flow() -> None:
    """Every action reached on the flows cites a VAL ID and explains in sv and en."""
    for flow in FLOWS:
        state = val.initial_state
        for command in flow():
            _, state = run(command, state=state)
            for action in val.required_actions(state):
                assert action.requirement.startswith("VAL-")
                assert action.explain("sv").endswith(f"({action.requirement}).")
                assert action.explain("en").endswith(f"({action.requirement}).")


# --------------------------------------------------------------------------- X-2 matrix

A = Role.NEEDS_ASSESSOR
U = Role.PROVIDER
N = Role.NIGHT_PATROL

# Who the seed says takes each step (003: 'Biståndshandläggaren ...', 'Utföraren ...',
# 'biståndshandläggare eller kommunens Trygghetslarm och nattpatrull ...').
SEED_ROLES: dict[type[Command], frozenset[Role]] = {
    val.ChoiceRegistered: frozenset({A}),
    val.RegisterAbstention: frozenset({A}),
    val.AssignmentPrepared: frozenset({A}),
    val.DistributeAssignment: frozenset({A}),
    val.NotifyHomeHealthCare: frozenset({A}),
    val.ProviderContacted: frozenset({A}),
    val.ReceiptConfirmed: frozenset({U}),
    val.ReceiptFiled: frozenset({A}),
    val.LaterStartAgreed: frozenset({A, U}),
    val.AssignUrgently: frozenset({A, N}),
    val.ExecutionStarted: frozenset({U}),
    val.FirstInterventionReported: frozenset({U}),
    val.RegisterExecution: frozenset({A}),
    val.ConfirmExecutionDate: frozenset({A}),
    val.InterventionNotExecuted: frozenset({U}),
    val.RegisterRechoice: frozenset({A}),
    val.OutgoingProviderNotified: frozenset({A}),
    val.IncomingProviderNotified: frozenset({A}),
    val.TakeoverWishRecorded: frozenset({A}),
    val.ProvidersMediated: frozenset({A}),
    val.LastDayAgreed: frozenset({U}),
    val.TakeoverAnnounced: frozenset({U}),
    val.DocumentationHandedOver: frozenset({U}),
    val.TakeoverDateReported: frozenset({U}),
    val.DocumentTakeoverDate: frozenset({A}),
    val.HomeHealthCareToldOfSwitch: frozenset({U}),
}


ROLE_OF = val.VAL.role_matrix()


def test_x2_every_command_names_exactly_the_roles_of_the_seed() -> None:
    """X-2: the table's roles are the seed's, step by step."""
    assert set(SEED_ROLES) == set(val.COMMANDS)
    wrong = {cls.__name__: ROLE_OF[cls] for cls in val.COMMANDS if ROLE_OF[cls] != SEED_ROLES[cls]}
    assert not wrong


@pytest.mark.parametrize("cls", val.COMMANDS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name)
def test_x2_role_by_command_matrix(cls: type[Command], role: Role) -> None:
    """X-2: in a state that allows the command, exactly the seed's roles may issue it;
    any other role gets NotPermitted and nothing is recorded."""
    command, state = before(cls)
    command = attrs.evolve(command, actor=Actor("someone", role))
    if role in SEED_ROLES[cls]:
        events = val.decide(command, state)
        assert events
        assert all(event.actor.role is role for event in events)
    else:
        with pytest.raises(NotPermitted) as raised:
            val.decide(command, state)
        assert isinstance(raised.value, PermissionError)
        assert role.value in str(raised.value)
        assert val.replay([], state) == state


# --------------------------------------------------------------------------- stateful

POOL = (NORR, SODER, OMSORG, VARD)
ROLES = sorted(Role, key=lambda role: role.value)
TEXT = st.sampled_from(["Dusch", "Inköp", "Kunden avböjde", "Tel 08-123 45 67"])
PHONE = st.sampled_from(["070-123 45 67", "+46 70 123 45 67", "08-123 456"])


def _list(full: bool) -> RotationList:
    listing = RotationList.alphabetical("Norr", POOL, joined=date(2026, 1, 1))
    if full:
        for provider in POOL:
            listing = listing.set_cap(provider, 0)
    return listing


@st.composite
def commands_for(
    draw: st.DrawFn, cls: type[Command], now: datetime, role: Role, state: State
) -> Command | InvalidInput:
    """Draw a request of ``cls`` at ``now`` with fields near and across its limits.

    An event whose own checks refuse the fields drawn is that refusal (InvalidInput):
    nothing reaches ``decide``.
    """
    meta = {"case": CASE, "at": now, "actor": Actor("a-1", role)}
    today = now.date()
    notified = today
    if state.rechoice is not None and state.rechoice.notified_at is not None:
        notified = state.rechoice.notified_at.date()
    provider = st.sampled_from(POOL)
    hours = st.integers(-2, 40).map(lambda h: now + timedelta(hours=h))
    fields: dict[type[Command], Callable[[], dict[str, object]]] = {
        val.ChoiceRegistered: lambda: {
            "provider": draw(provider),
            "form": draw(st.sampled_from(val.ChoiceForm)),
            "home_health_care": draw(st.booleans()),
        },
        val.RegisterAbstention: lambda: {
            "rotation": _list(draw(st.booleans()) and draw(st.booleans())),
            "home_health_care": draw(st.booleans()),
        },
        val.AssignmentPrepared: lambda: {
            "relatives_phone_numbers": tuple(draw(st.lists(PHONE, max_size=2)))
        },
        val.ProviderContacted: lambda: {
            "channel": draw(st.sampled_from(val.ContactChannel)),
            "delivery": draw(st.sampled_from(val.Delivery)),
        },
        val.LaterStartAgreed: lambda: {
            "start": draw(hours),
            "basis": draw(st.sampled_from(val.LaterStartBasis)),
        },
        val.AssignUrgently: lambda: {
            "start_by": draw(hours),
            "rotation": draw(st.none() | st.booleans().map(_list)),
            "current_provider": draw(st.none() | provider),
        },
        val.FirstInterventionReported: lambda: {
            "first_intervention": today + timedelta(days=draw(st.integers(-2, 3)))
        },
        val.InterventionNotExecuted: lambda: {"intervention": draw(TEXT), "reason": draw(TEXT)},
        val.RegisterRechoice: lambda: {
            "incoming": draw(provider),
            "form": draw(st.sampled_from(val.ChoiceForm)),
            "outgoing": draw(st.none() | provider),
            "chosen_on": draw(
                st.none() | st.integers(-2, 1).map(lambda d: today + timedelta(days=d))
            ),
            "home_health_care": draw(st.booleans()),
        },
        val.OutgoingProviderNotified: lambda: {
            "channel": draw(st.sampled_from(val.ContactChannel))
        },
        val.IncomingProviderNotified: lambda: {
            "channel": draw(st.sampled_from(val.ContactChannel))
        },
        val.TakeoverWishRecorded: lambda: {
            "requested_takeover": draw(
                st.none() | st.integers(0, 20).map(lambda d: today + timedelta(days=d))
            ),
            "no_contact_with_outgoing": True,
        },
        val.ProvidersMediated: lambda: {"note": draw(TEXT)},
        val.LastDayAgreed: lambda: {
            "last_day": today + timedelta(days=draw(st.integers(-1, 14))),
            "documentation_consent": draw(st.booleans()),
        },
        val.TakeoverAnnounced: lambda: {
            "takeover": notified + timedelta(days=draw(st.integers(5, 16)))
        },
        val.TakeoverDateReported: lambda: {
            "takeover": notified + timedelta(days=draw(st.integers(5, 16)))
        },
        val.HomeHealthCareToldOfSwitch: lambda: {"incoming_contact": draw(TEXT)},
    }
    own = fields.get(cls, dict)()
    if cls is val.TakeoverWishRecorded and own["requested_takeover"] is not None:
        own["no_contact_with_outgoing"] = draw(st.booleans())
    try:
        return cls(**meta, **own)  # type: ignore[arg-type]
    except InvalidInput as refused:
        return refused


class ProviderChoiceMachine(RuleBasedStateMachine):
    """Random command sequences against routine VAL's decider."""

    def __init__(self) -> None:
        super().__init__()
        self.state = val.initial_state
        self.history: list[val.ProviderChoiceEvent] = []
        self.now = T0

    @rule(data=st.data())
    def issue(self, data: st.DataObject) -> None:
        wait = data.draw(
            st.sampled_from([timedelta(0), timedelta(minutes=30), timedelta(hours=5)])
            | st.integers(1, 9).map(lambda d: timedelta(days=d)),
            label="wait",
        )
        # Elapsed time: wall-clock addition could land in the hour skipped in March
        # and step back in time, which the decider rightly refuses as InvalidInput.
        self.now = (self.now.astimezone(UTC) + wait).astimezone(SE)
        allowed = [cls for cls in val.COMMANDS if cls in val.allowed_commands(self.state)]
        # Mostly a command the state allows, from a role that may issue it, so that
        # sequences reach deep into the flows; the rest probe the refusals.
        anything = not allowed or data.draw(st.integers(0, 4), label="any command") == 0
        cls = data.draw(st.sampled_from(val.COMMANDS if anything else allowed), label="command")
        any_role = data.draw(st.integers(0, 4), label="any role") == 0
        roles = ROLES if any_role else sorted(ROLE_OF[cls], key=lambda role: role.value)
        role = data.draw(st.sampled_from(roles), label="role")
        command = data.draw(commands_for(cls, self.now, role, self.state), label="fields")
        before = self.state
        if isinstance(command, InvalidInput):  # the event's own checks: nothing to decide
            assert issubclass(cls, val.ProviderChoiceEvent), command
            return
        refusal: ArendefordelningError | None = None
        try:
            events = val.decide(command, self.state)
        except ArendefordelningError as error:
            refusal = error
        if refusal is not None:
            assert self.state is before
            assert val.replay(self.history) == before, "a refusal records nothing"
            if role not in ROLE_OF[cls]:
                assert isinstance(refusal, NotPermitted)
            elif cls not in allowed:
                assert isinstance(refusal, IllegalTransition | NotPermitted)
            elif cls is val.DocumentationHandedOver:
                assert isinstance(refusal, IllegalTransition), "only without consent"
            else:
                assert isinstance(refusal, InvalidInput | NoProviderAvailable | NotPermitted)
            return
        assert role in ROLE_OF[cls]
        assert cls in allowed
        assert events
        for event in events:
            assert (event.case, event.at, event.actor) == (command.case, command.at, command.actor)
        self.history += events
        self.state = val.replay(events, self.state)

    @invariant()
    def replay_explains_the_state(self) -> None:
        assert val.replay(self.history) == self.state

    @invariant()
    def derived_views_never_fail(self) -> None:
        for action in val.required_actions(self.state):
            assert action.requirement.startswith("VAL-")
            assert action.explain("sv")
            assert action.explain("en")
        deadline = val.execution_deadline_of(self.state)
        if deadline is not None:
            assert deadline.due >= deadline.counted_from
        window = val.switch_window_of(self.state)
        if window is not None:
            assert window[1] - window[0] == timedelta(days=7)
        allowed = val.allowed_commands(self.state)
        assert allowed <= set(val.COMMANDS)
        for deviation in val.deviations(self.state, as_of=self.now + timedelta(days=60)):
            assert deviation.requirement.startswith("VAL-")
            assert deviation.explain("sv")
            assert deviation.explain("en")
        assert self.state.anomalies == ()

    def teardown(self) -> None:
        buffer = io.StringIO()
        dump_events(self.history, buffer)
        buffer.seek(0)
        assert list(load_events(buffer)) == self.history


ProviderChoiceMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestProviderChoiceMachine = ProviderChoiceMachine.TestCase
pytest.mark.slow(TestProviderChoiceMachine)  # run with -m slow


def test_a_refused_command_leaves_the_given_state_and_history_untouched() -> None:
    """X-2: refusals record nothing: the state passed in is equal before and after."""
    history, state = run(choose(), distribute())
    copy = attrs.evolve(state)
    refused: Sequence[Command] = (
        attrs.evolve(distribute(at(1)), actor=PROVIDER),
        choose(when=at(1)),
        val.LaterStartAgreed(
            case=CASE, at=at(1), actor=PROVIDER, start=at(30), basis=val.LaterStartBasis.INSTRUCTION
        ),
    )
    with pytest.raises(ArendefordelningError):  # refused before it reaches decide
        val.LaterStartAgreed(
            case=CASE, at=at(1), actor=ASSESSOR, start=at(0), basis=val.LaterStartBasis.AGREEMENT
        )
    for command in refused:
        with pytest.raises(ArendefordelningError):
            val.decide(command, state)
        assert state == copy
        assert val.replay(history) == state


def test_events_of_routine_val_carry_the_routine_code() -> None:
    for cls in val.EVENTS:
        assert issubclass(cls, Event)
        assert cls.routine == "VAL"


# --------------------------------------------------------------------------- hardening

NUMBER = "19121212-1212"


@pytest.mark.parametrize(
    "call",
    [
        lambda: val.required_actions(None),  # type: ignore[arg-type]
        lambda: val.allowed_commands(None),  # type: ignore[arg-type]
        lambda: val.execution_deadline_of(None),  # type: ignore[arg-type]
        lambda: val.switch_window_of("state"),  # type: ignore[arg-type]
        lambda: val.replay(None),  # type: ignore[arg-type]
        lambda: val.replay([], state="x"),  # type: ignore[arg-type]
        lambda: val.decide(choose(), None),  # type: ignore[arg-type]
        lambda: val.evolve(None, run(choose())[0][0]),  # type: ignore[arg-type]
        lambda: val.PROVIDER_CHOICE.replay([], state=3),  # type: ignore[arg-type]
    ],
    ids=[
        "required_actions",
        "allowed_commands",
        "execution_deadline_of",
        "switch_window_of",
        "replay-none",
        "replay-state",
        "decide",
        "evolve",
        "decider-replay",
    ],
)
def test_x1_a_state_of_the_wrong_type_is_invalid_input(call: Callable[[], object]) -> None:
    """X-1: a wrong state or events is InvalidInput, never AttributeError or a silent return."""
    with pytest.raises(InvalidInput, match=r"state must be a|events must be an iterable"):
        call()


@pytest.mark.parametrize(
    "build",
    [
        lambda: val.InterventionNotExecuted(
            case=CASE, at=T0, actor=PROVIDER, intervention="Dusch", reason=f"pnr {NUMBER}"
        ),
        lambda: val.InterventionNotExecuted(
            case=CASE, at=T0, actor=PROVIDER, intervention=f"Dusch {NUMBER}", reason="Nej"
        ),
        lambda: val.ProvidersMediated(case=CASE, at=T0, actor=ASSESSOR, note=NUMBER),
        lambda: val.HomeHealthCareToldOfSwitch(
            case=CASE, at=T0, actor=PROVIDER, incoming_contact=f"ring {NUMBER}"
        ),
        lambda: Provider(f"Hemtjänst {NUMBER}"),
        lambda: RotationList.alphabetical(f"Norr {NUMBER}", [NORR], joined=date(2026, 1, 1)),
        lambda: val.AssignmentPrepared(
            case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=[NUMBER]
        ),
    ],
    ids=["reason", "intervention", "note", "contact", "provider", "area", "phone"],
)
def test_x7_free_text_holding_an_identity_number_is_refused(build: Callable[[], object]) -> None:
    """X-7: no free-text field can carry a full identity number into repr or the log."""
    with pytest.raises(InvalidInput, match="must not contain a personal identity number") as caught:
        build()
    assert "1212" not in str(caught.value)


@pytest.mark.parametrize("number", ["1", "070-1 2 3", "ring mig", "0701234567890123", "+"])
def test_val9_relatives_phone_numbers_are_checked_as_phone_numbers(number: str) -> None:
    """VAL-9: a relative's number must be a telephone number, in groups as people write it."""
    with pytest.raises(InvalidInput, match="must be a telephone number"):
        val.AssignmentPrepared(case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=[number])
    good = ("070-123 45 67", "+46 70 123 45 67", "(08) 123 456", "08-123 456 78")
    prepared = val.AssignmentPrepared(
        case=CASE, at=T0, actor=ASSESSOR, relatives_phone_numbers=list(good)
    )
    assert prepared.relatives_phone_numbers == good


def test_val20_policy_refuses_a_datetime_for_a_date_and_an_unrepresentable_revision() -> None:
    """VAL-20: dates are plain dates; the next revision must be a representable date."""
    with pytest.raises(InvalidInput, match=r"valid_from must be a datetime\.date"):
        val.ProviderChoicePolicy(valid_from=datetime(2027, 1, 1, tzinfo=SE))
    with pytest.raises(InvalidInput, match="beyond the last date Python can represent"):
        val.ProviderChoicePolicy(valid_from=date(9999, 6, 1))
    with pytest.raises(InvalidInput, match="at most five years"):
        val.ProviderChoicePolicy(revision_interval=relativedelta(years=10))
    with pytest.raises(InvalidInput, match="at most five years"):
        val.ProviderChoicePolicy(revision_interval=relativedelta(years=-1))
    assert val.ProviderChoicePolicy(valid_from=date(9998, 12, 31)).revision_due == date(
        9999, 12, 31
    )


def test_val12_a_refusal_names_no_provider() -> None:
    """VAL-12, X-7: a refusal says what is wrong without repeating the providers given.

    A check's reason names no caller data (Kernel v3): neither the case's provider nor
    the one given appears, whole or in part."""
    long = Provider("Hemtjänst " + "Å" * 150)
    _, state = run(choose(long), distribute(at(1)))
    wrong = val.RegisterRechoice(
        case=CASE,
        at=at(2),
        actor=ASSESSOR,
        incoming=SODER,
        form=val.ChoiceForm.ORAL,
        outgoing=NORR,
    )
    with pytest.raises(InvalidInput, match="is not the case's provider") as caught:
        val.decide(wrong, state)
    message = str(caught.value)
    assert "Hemtjänst" not in message
    assert "Å" not in message
    assert "(VAL-12)" in message


# --------------------------------------------------------------------------- record, then judge


def test_val6_an_execution_after_the_24_hours_is_recorded_and_late() -> None:
    """VAL-6, X-5: started three days after distribution: accepted, then judged LATE."""
    late = at(days=3)
    _, state = run(choose(), distribute(), val.ExecutionStarted(case=CASE, at=late, actor=PROVIDER))
    assert state.executed_at == late
    [deviation] = val.deviations(state, as_of=late)
    assert (deviation.requirement, deviation.kind, deviation.happened_at) == (
        "VAL-6",
        DeviationKind.LATE,
        late,
    )
    assert deviation.due == at(24)


def test_val6_no_execution_by_the_due_time_is_missing_only_once_it_has_passed() -> None:
    """VAL-6, X-5: before the due time a required action with the due; after, MISSING."""
    _, state = run(choose(), distribute())
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-6"]
    assert action.due == at(24)
    assert val.deviations(state, as_of=at(23)) == []
    [missing] = val.deviations(state, as_of=at(25))
    assert missing.kind is DeviationKind.MISSING


def test_val6_a_private_execution_counts_from_the_first_intervention_day() -> None:
    """VAL-6: a private provider's execution is the first intervention's date."""
    commands = private_flow()
    late = attrs.evolve(
        pick(commands, 6, val.FirstInterventionReported), first_intervention=date(2026, 3, 5)
    )
    _, state = run(*commands[:6], late)
    [deviation] = val.deviations(state, as_of=at(days=4))
    assert (deviation.kind, deviation.happened_at) == (
        DeviationKind.LATE,
        datetime(2026, 3, 5, 0, 0, tzinfo=SE),
    )


def test_x1_a_fact_recorded_after_a_later_fact_keeps_when_it_happened() -> None:
    """X-1: the distribution noted the next morning is recorded then, judged as it happened."""
    _, state = run(choose(), attrs.evolve(distribute(at(1)), recorded_at=at(20)))
    assert state.distributed_at == at(1)
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-6"]
    assert action.due == at(25)
    with pytest.raises(InvalidInput, match="before the case's latest event was recorded"):
        val.decide(val.ExecutionStarted(case=CASE, at=at(2), actor=PROVIDER), state)
    _, state = run(
        val.ExecutionStarted(case=CASE, at=at(2), recorded_at=at(21), actor=PROVIDER), state=state
    )
    assert state.executed_at == at(2)
    assert val.deviations(state, as_of=at(30)) == []


def test_x1_replay_refuses_impossible_and_shuffled_histories_and_lenient_keeps_them() -> None:
    """X-1, X-5: an execution with no provider, or a history out of order, is named."""
    history, _ = run(*municipal_flow())
    started = history[-1]
    assert isinstance(started, val.ExecutionStarted)
    with pytest.raises(InvalidInput, match="event 0: ExecutionStarted makes no sense"):
        val.replay([started])
    shuffled = [history[1], history[0], *history[2:]]
    with pytest.raises(InvalidInput, match="event 0: AssignmentDistributed makes no sense"):
        val.replay(shuffled)
    swapped = [history[0], history[2], history[1], *history[3:]]
    with pytest.raises(InvalidInput, match=r"event 2: .*was recorded at"):
        val.replay(swapped)
    lenient = val.replay(shuffled, strict=False)
    # The distribution, never folded, leaves what needed it unexplained too.
    assert lenient.anomalies[0].index == 0
    assert {a.kind for a in lenient.anomalies} == {AnomalyKind.IMPOSSIBLE}
    assert lenient.anomalies[-1].event_type == "execution_started"
    assert lenient.provider == NORR


def test_val16_a_handover_without_consent_in_a_log_is_a_forbidden_step() -> None:
    """VAL-16, X-5: a log may show what decide refuses; lenient replay judges it."""
    commands = rechoice_flow()
    first = len(municipal_flow())
    commands[first + 5] = attrs.evolve(
        pick(commands, first + 5, val.LastDayAgreed), documentation_consent=False
    )
    history, state = run(*commands[: first + 7])
    handed = val.DocumentationHandedOver(case=CASE, at=commands[first + 7].at, actor=PROVIDER)
    with pytest.raises(InvalidInput, match=r"event .*: .*not consented.*\(VAL-16\)"):
        val.replay([*history, handed])
    state = val.replay([*history, handed], strict=False)
    assert [a.kind for a in state.anomalies] == [AnomalyKind.FORBIDDEN]
    kinds = {(d.requirement, d.kind) for d in val.deviations(state, as_of=handed.at)}
    assert ("VAL-16", DeviationKind.FORBIDDEN_STEP) in kinds


def test_val9_val13_a_channel_the_routine_does_not_name_in_a_log_is_a_wrong_channel() -> None:
    """VAL-9, VAL-13, X-5: decide refuses a provider told by the wrong channel; a log from
    another system holding it replays leniently and is judged WRONG_CHANNEL."""
    commands, state = rechoice_state(1)
    history, _ = run(*rechoice_flow()[: len(municipal_flow()) + 1])
    by_email = attrs.evolve(
        pick(commands, 1, val.OutgoingProviderNotified), channel=val.ContactChannel.EMAIL
    )
    with pytest.raises(InvalidInput, match=r"channel: the outgoing provider is municipal"):
        val.decide(by_email, state)
    judged_log = val.replay([*history, by_email], strict=False)
    assert [a.kind for a in judged_log.anomalies] == [AnomalyKind.FORBIDDEN]
    [wrong] = [d for d in val.deviations(judged_log, as_of=NOTIFIED) if d.requirement == "VAL-13"]
    assert wrong.kind is DeviationKind.WRONG_CHANNEL
    assert wrong.sv == (
        "meddela kommunal utförare via verksamhetssystemet och privat via e-post eller telefon"
    )
    private, _ = run(*private_flow()[:3])
    by_system = attrs.evolve(
        pick(private_flow(), 3, val.ProviderContacted), channel=val.ContactChannel.SYSTEM
    )
    contacted = val.replay([*private, by_system], strict=False)
    kinds = {(d.requirement, d.kind) for d in val.deviations(contacted, as_of=at(2))}
    assert ("VAL-9", DeviationKind.WRONG_CHANNEL) in kinds


def test_val6_an_instruction_by_the_provider_in_a_log_is_a_wrong_role() -> None:
    """VAL-6, X-2, X-5: only the needs assessor instructs a later start; a log where the
    provider did is folded (it happened) and judged WRONG_ROLE."""
    history, _ = run(choose(), distribute())
    instruction = val.LaterStartAgreed(
        case=CASE, at=at(1), actor=PROVIDER, start=at(72), basis=val.LaterStartBasis.INSTRUCTION
    )
    with pytest.raises(InvalidInput, match=r"event 2: .*in the role 'utförare'"):
        val.replay([*history, instruction])
    state = val.replay([*history, instruction], strict=False)
    assert state.later_start == at(72)
    [wrong] = [d for d in val.deviations(state, as_of=at(2)) if d.requirement == "X-2"]
    assert wrong.kind is DeviationKind.WRONG_ROLE
    assert wrong.sv.startswith("bestämma senare start i en roll som rutinen anger")


def test_x1_a_log_of_the_landed_version_with_both_notifications_in_one_line_loads() -> None:
    """X-1, VAL-13: a providers_notified line becomes today's two notification events."""
    line = (
        '{"case": "K-2026-7", "routine": "VAL", "type": "providers_notified", '
        '"at": "2026-04-01T10:00:00+02:00", '
        '"actor": {"id": "bh-17", "role": "biståndshandläggare"}, '
        '"data": {"outgoing_channel": "verksamhetssystemet", "incoming_channel": "e-post"}}'
    )
    events = list(load_events([line], routine=val.VAL))
    assert [type(e) for e in events] == [val.OutgoingProviderNotified, val.IncomingProviderNotified]
    outgoing, incoming = events
    assert isinstance(outgoing, val.OutgoingProviderNotified)
    assert isinstance(incoming, val.IncomingProviderNotified)
    assert (outgoing.channel, incoming.channel) == (
        val.ContactChannel.SYSTEM,
        val.ContactChannel.EMAIL,
    )
    assert events[0].at == events[1].at == NOTIFIED


def test_x1_one_routines_log_loads_typed_and_by_case() -> None:
    """X-1: load_events(path, routine=VAL, cases=...) keeps the events of some cases."""
    history, state = run(*municipal_flow())
    other = [attrs.evolve(e, case="K-other") for e in history]
    buffer = io.StringIO()
    dump_events([*history, *other], buffer)
    buffer.seek(0)
    loaded: list[val.ProviderChoiceEvent] = list(load_events(buffer, routine=val.VAL, cases={CASE}))
    assert loaded == history
    assert val.replay(loaded) == state


# --------------------------------------------------------------------------- judged as known then


def judged(state: State, when: datetime, requirement: str) -> list[tuple[DeviationKind, object]]:
    """The kinds and due times of the deviations citing ``requirement`` as of ``when``."""
    return [
        (d.kind, d.due) for d in val.deviations(state, as_of=when) if d.requirement == requirement
    ]


def rechoice_after_missed_execution() -> list[Command]:
    """A municipal choice never executed; a re-choice a month later, switched (VAL-6, VAL-17)."""
    return [
        choose(),
        distribute(),
        val.RegisterRechoice(
            case=CASE, at=NOTIFIED, actor=ASSESSOR, incoming=SODER, form=val.ChoiceForm.ORAL
        ),
        val.OutgoingProviderNotified(
            case=CASE, at=NOTIFIED, actor=ASSESSOR, channel=val.ContactChannel.SYSTEM
        ),
        val.IncomingProviderNotified(
            case=CASE, at=NOTIFIED, actor=ASSESSOR, channel=val.ContactChannel.SYSTEM
        ),
        val.TakeoverDateReported(
            case=CASE, at=NOTIFIED + timedelta(days=2), actor=PROVIDER, takeover=TAKEOVER
        ),
        val.DocumentTakeoverDate(
            case=CASE, at=NOTIFIED + timedelta(days=2, hours=1), actor=ASSESSOR
        ),
    ]


def test_val6_a_missed_execution_stays_missing_after_a_rechoice_and_the_switch() -> None:
    """VAL-6, X-5: given a distribution never executed by its due time, when the customer
    re-chooses a month later and the takeover is documented, then VAL-6 is still MISSING,
    as of the old moment and as of every later one; the first choice's task is gone."""
    history, state = run(*rechoice_after_missed_execution())
    assert state.stage is val.Stage.SWITCHED
    for when in (at(25), NOTIFIED, NOTIFIED + timedelta(days=3), NOTIFIED + timedelta(days=90)):
        assert judged(state, when, "VAL-6") == [(DeviationKind.MISSING, at(24))], when
        assert val.deviations(state, as_of=when) == val.deviations_of(history, as_of=when)
    assert [a for a in val.required_actions(state) if a.requirement == "VAL-6"] == []
    check_judging(val.VAL, history)


def test_val15_a_last_day_never_agreed_stays_missing_after_the_switch() -> None:
    """VAL-15, X-5: given both providers notified and the switch documented, when the
    outgoing provider never agreed the last day, then VAL-15 is MISSING from the end of
    the window (2026-04-15) on, the switch notwithstanding."""
    commands = rechoice_after_missed_execution()
    commands[1:2] = [
        distribute(),
        val.ExecutionStarted(case=CASE, at=at(5), actor=PROVIDER),
    ]
    history, state = run(*commands)
    assert state.stage is val.Stage.SWITCHED
    end = datetime(2026, 4, 16, 0, 0, tzinfo=SE)
    assert judged(state, end - timedelta(minutes=1), "VAL-15") == []
    for when in (end + timedelta(minutes=1), end + timedelta(days=60)):
        assert judged(state, when, "VAL-15") == [(DeviationKind.MISSING, end)]
    [missing] = val.deviations(state, as_of=end + timedelta(days=1))
    assert missing.due_on == date(2026, 4, 15)
    assert "sista dag" in missing.explain()
    check_judging(val.VAL, history)


def test_val6_a_later_start_recorded_after_the_due_time_moves_nothing() -> None:
    """VAL-6, X-5: given a distribution on 03-02 10:00 (due 03-03 10:00), when a later
    start agreed on 03-02 is recorded only on 03-05, then as of 03-04 VAL-6 is MISSING
    (the agreement was not on record), and it stays MISSING as of 03-06: an agreement
    recorded after the due time had passed does not move it."""
    late_record = val.LaterStartAgreed(
        case=CASE,
        at=at(2),
        recorded_at=at(days=3),
        actor=ASSESSOR,
        start=at(days=4),
        basis=val.LaterStartBasis.AGREEMENT,
    )
    history, state = run(choose(), distribute(), late_record)
    assert state.later_start == at(days=4)
    for when in (at(days=2), at(days=3, hours=1), at(days=5)):
        assert judged(state, when, "VAL-6") == [(DeviationKind.MISSING, at(24))], when
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline.due == at(24)
    check_judging(val.VAL, history)


def test_val6_a_later_start_agreed_before_the_distribution_moves_the_due_time() -> None:
    """VAL-6: the assessor's instruction given at the choice, before the distribution,
    moves the due time once the 24 hours start."""
    instruction = val.LaterStartAgreed(
        case=CASE, at=at(1), actor=ASSESSOR, start=at(72), basis=val.LaterStartBasis.INSTRUCTION
    )
    _, state = run(choose(), instruction, distribute(at(2)))
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-6"]
    assert action.due == at(72)
    assert judged(state, at(50), "VAL-6") == []
    assert judged(state, at(73), "VAL-6") == [(DeviationKind.MISSING, at(72))]


def test_val6_a_first_intervention_reported_for_a_later_day_is_not_late_before_it() -> None:
    """VAL-6, VAL-11, X-5: given a private provider contacted on 03-02 11:00 (due 03-03
    11:00), when it reports on 03-02 a first intervention on 03-06, then there is no
    deviation before the due time, VAL-6 is MISSING from then until 03-06, and LATE
    after, never with a time it happened after the moment judged."""
    commands = private_flow()[:6]
    report = val.FirstInterventionReported(
        case=CASE, at=at(2), actor=PROVIDER, first_intervention=date(2026, 3, 6)
    )
    commands[4:] = [report]
    history, state = run(*commands)
    due = at(25)
    assert judged(state, due - timedelta(minutes=1), "VAL-6") == []
    assert judged(state, at(days=2), "VAL-6") == [(DeviationKind.MISSING, due)]
    after = datetime(2026, 3, 6, 9, 0, tzinfo=SE)
    [late] = [d for d in val.deviations(state, as_of=after) if d.requirement == "VAL-6"]
    assert (late.kind, late.happened_at) == (DeviationKind.LATE, datetime(2026, 3, 6, tzinfo=SE))
    for when in judging_moments(val.VAL, history):
        for deviation in val.deviations(state, as_of=when):
            assert deviation.happened_at is None or deviation.happened_at <= when
    check_judging(val.VAL, history)


@pytest.mark.parametrize(
    "start",
    [datetime(1974, 12, 30, 15, 0, tzinfo=SE), datetime(2199, 12, 30, 15, 0, tzinfo=SE)],
    ids=["1974", "2199"],
)
def test_val6_a_case_at_the_calendars_ends_is_judged_cannot_be_judged(start: datetime) -> None:
    """VAL-6, X-5: given a distribution at 15:00 on a day whose next working day the
    calendar does not know, decide records it; then deviations find VAL-6
    CANNOT_BE_JUDGED (with the reason) instead of raising, and the required action has
    no due time."""
    history, state = run(choose(when=start), distribute(start))
    for when in (start, start + timedelta(days=3), datetime(9999, 12, 31, tzinfo=UTC)):
        [found] = [d for d in val.deviations(state, as_of=when) if d.requirement == "VAL-6"]
        assert found.kind is DeviationKind.CANNOT_BE_JUDGED
        assert found.severity is Severity.WARNING
        assert found.detail_en is not None
        assert "calendar covers" in found.detail_en
        assert val.deviations_of(history, as_of=when) == val.deviations(state, as_of=when)
    [action] = [a for a in val.required_actions(state) if a.requirement == "VAL-6"]
    assert action.due is None
    assert val.VAL.due_times(state) == []


@pytest.mark.parametrize(
    "as_of",
    [
        datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
        datetime(9999, 12, 31, 23, 59, tzinfo=SE),
        datetime.max.replace(tzinfo=UTC),
        datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5))),
        datetime.min.replace(tzinfo=UTC),
    ],
    ids=["max-west", "max-stockholm", "max-utc", "min-east", "min-utc"],
)
def test_x5_any_aware_as_of_is_judged(as_of: datetime) -> None:
    """X-5: judging never raises, even within an hour of the dates Python knows; far
    ahead the missed execution and the re-choice's missed steps are there, far back
    nothing is."""
    history, state = run(*rechoice_after_missed_execution())
    found = val.deviations(state, as_of=as_of)
    assert found == val.deviations_of(history, as_of=as_of)
    if as_of.year == 9999:
        assert ("VAL-6", DeviationKind.MISSING) in {(d.requirement, d.kind) for d in found}
    else:
        assert found == []


def test_val13_val16_val17_val19_deviations_say_what_was_due_in_words() -> None:
    """VAL-13, VAL-16, VAL-17, VAL-19, X-5: given a re-choice whose providers were told a
    day late and whose later steps never came, then each deviation's text is the
    declared one, naming the providers, in Swedish and English; none reads <lambda>."""
    commands = rechoice_flow()
    first = len(municipal_flow())
    next_day = NOTIFIED + timedelta(days=1)
    steps = [
        commands[first],
        attrs.evolve(pick(commands, first + 1, val.OutgoingProviderNotified), at=next_day),
        attrs.evolve(pick(commands, first + 2, val.IncomingProviderNotified), at=next_day),
        attrs.evolve(pick(commands, first + 5, val.LastDayAgreed), at=next_day),
    ]
    _, state = run(*commands[:first], *steps)
    found = val.deviations(state, as_of=next_day + timedelta(days=30))
    assert [(d.requirement, d.kind) for d in found] == [
        ("VAL-13", DeviationKind.NOT_SAME_DAY),
        ("VAL-13", DeviationKind.NOT_SAME_DAY),
        ("VAL-16", DeviationKind.MISSING),
        ("VAL-16", DeviationKind.MISSING),
        ("VAL-17", DeviationKind.MISSING),
        ("VAL-19", DeviationKind.MISSING),
    ]
    texts: dict[str, list[tuple[str, str]]] = {}
    for deviation in found:
        sv, en = deviation.explain("sv"), deviation.explain("en")
        assert "<lambda>" not in sv + en
        texts.setdefault(deviation.requirement, []).append((sv, en))
    assert "meddela frånträdande utförare Hemtjänst Norr om omvalet" in texts["VAL-13"][0][0]
    assert "notify the incoming provider Omsorg AB of the re-choice" in texts["VAL-13"][1][1]
    assert "(senast 2026-04-01, skedde 2026-04-02 10:00)" in texts["VAL-13"][0][0]
    assert "planera övertagandet med kunden" in texts["VAL-17"][0][0]
    assert "report the takeover date" in texts["VAL-17"][0][1]
    assert "kontaktuppgifter till Omsorg AB" in texts["VAL-19"][0][0]
    sixteen = {d.sv for d in found if d.requirement == "VAL-16"}
    assert sixteen == {
        "meddela tillträdande utförare datum för övertagande (2026-04-09–2026-04-16)",
        "lämna över dokumentationen till Omsorg AB (kunden har samtyckt)",
    }


def test_val18_a_takeover_outside_the_window_says_the_date_and_the_window() -> None:
    """VAL-18: given a window 2026-04-08–2026-04-15, when the takeover date reported is
    2026-04-19, then the deviation is due on 2026-04-15 (due: the end of that day),
    names the takeover date, and its text says both."""
    commands, state = rechoice_state(8)
    late = NOTIFIED.date() + timedelta(days=18)
    report = attrs.evolve(pick(commands, 8, val.TakeoverDateReported), takeover=late)
    _, state = run(report, state=state)
    [deviation] = [d for d in val.deviations(state, as_of=report.at) if d.requirement == "VAL-18"]
    assert (deviation.kind, deviation.due_on, deviation.happened_on) == (
        DeviationKind.OUTSIDE_WINDOW,
        date(2026, 4, 15),
        date(2026, 4, 19),
    )
    assert deviation.due == datetime(2026, 4, 16, 0, 0, tzinfo=SE)
    assert deviation.explain() == (
        "Avvikelse, utanför tidsfönstret: byt utförare 7–14 dagar efter att båda utförarna "
        "meddelats (övertagande 2026-04-19, utanför fönstret 2026-04-08–2026-04-15); "
        f"ärende {CASE}, VAL-18."
    )
    assert deviation.explain("en").endswith(
        f"(takeover 2026-04-19, outside the window 2026-04-08 to 2026-04-15); case {CASE}, VAL-18."
    )


# --------------------------------------------------------------------------- the list, recorded

AREA = "Norr"
LIST_ID = "lista-norr"


def _list_history() -> list[val.ProviderChoiceEvent]:
    joined = [
        val.ProviderJoinedList(
            case=LIST_ID,
            at=T0 - timedelta(days=5),
            actor=ASSESSOR,
            area=AREA,
            provider=p,
            on=date(2026, 1, 1),
        )
        for p in (SODER, NORR, OMSORG)
    ]
    return [*joined]


def _abstained(case: str, when: datetime, provider: Provider) -> val.AbstentionRegistered:
    return val.AbstentionRegistered(
        case=case, at=when, actor=ASSESSOR, provider=provider, area=AREA
    )


def test_val2_the_list_is_derived_from_the_record_and_moves_once_per_take() -> None:
    """VAL-2: takes recorded in cases move the list on; no caller repeats them."""
    history: list[val.ProviderChoiceEvent] = _list_history()
    listing = val.rotation_of(history, AREA)
    assert listing.providers == (NORR, SODER, OMSORG)  # alphabetical
    for number in range(4):
        command = val.RegisterAbstention(
            case=f"K-{number}",
            at=at(number),
            actor=ASSESSOR,
            rotation=val.rotation_of(history, AREA),
        )
        [event] = val.decide(command, val.initial_state)
        history.append(event)
    providers = [e.provider for e in history if isinstance(e, val.AbstentionRegistered)]
    assert providers == [NORR, SODER, OMSORG, NORR]
    assert val.rotation_of(history, AREA).counts == {NORR: 2, OMSORG: 1, SODER: 1}
    assert val.turn_deviations(history, AREA) == []


def test_val2_a_take_out_of_turn_is_a_deviation_found_afterwards() -> None:
    """VAL-2, X-5: the record shows a customer who did not get the provider next in turn."""
    history = [
        *_list_history(),
        _abstained("K-1", at(1), NORR),
        _abstained("K-2", at(2), OMSORG),  # Hemtjänst Söder was next in turn
    ]
    [deviation] = val.turn_deviations(history, AREA)
    assert (deviation.case, deviation.requirement, deviation.kind) == (
        "K-2",
        "VAL-2",
        DeviationKind.OUT_OF_TURN,
    )
    assert "'Hemtjänst Söder'" in deviation.explain()


def test_val2_list_changes_are_events_too() -> None:
    """VAL-2: a pause and a cap recorded as events pass a provider over, keeping its turn."""
    history = [
        *_list_history(),
        val.ProviderPaused(
            case=LIST_ID, at=T0, actor=ASSESSOR, area=AREA, provider=NORR, start=T0.date()
        ),
        val.CapSet(case=LIST_ID, at=T0, actor=ASSESSOR, area=AREA, provider=OMSORG, cap=0),
    ]
    listing = val.rotation_of(history, AREA)
    assert listing.next_in_turn(T0) == SODER
    history.append(
        val.ProviderResumed(
            case=LIST_ID, at=at(1), actor=ASSESSOR, area=AREA, provider=NORR, on=at(24).date()
        )
    )
    assert val.rotation_of(history, AREA).next_in_turn(at(24)) == NORR
    with pytest.raises(InvalidInput, match="no provider has joined"):
        val.rotation_of(history, "Söder")


def test_val2_any_order_of_the_record_gives_the_same_list_and_the_same_turns() -> None:
    """VAL-2, X-1: the list and the takes out of turn are folded in the canonical order
    (VAL.ordered), so a record read in any order gives the same answer."""
    history = [
        *_list_history(),
        _abstained("K-1", at(1), NORR),
        val.CapSet(case=LIST_ID, at=at(1.5), actor=ASSESSOR, area=AREA, provider=SODER, cap=0),
        _abstained("K-2", at(2), SODER),  # Söder is full: Omsorg AB was next in turn
        _abstained("K-3", at(3), OMSORG),
    ]
    listing = val.rotation_of(history, AREA)
    turns = val.turn_deviations(history, AREA)
    assert [(d.case, d.kind) for d in turns] == [("K-2", DeviationKind.OUT_OF_TURN)]
    assert "kunden fick 'Hemtjänst Söder'" in turns[0].explain()
    for seed in range(20):
        shuffled = list(history)
        Random(seed).shuffle(shuffled)
        assert val.rotation_of(shuffled, AREA) == listing
        assert val.turn_deviations(shuffled, AREA) == turns


# --------------------------------------------------------------------------- X-6 milestones


def test_x6_val_reads_the_decision_from_the_choice_never_the_choice_day() -> None:
    """X-6: the choice carries the decision's day as recorded; without it, no guess."""
    from arendefordelning import Sex
    from arendefordelning.ivo import Status, ivo_report
    from arendefordelning.kernel import Decided, Executed, LegalBasis, MilestoneKind

    assert val.VAL.social_services is True
    decision = date(2026, 1, 10)
    chosen = attrs.evolve(
        choose(NORR), decided_on=decision, legal_basis=LegalBasis.SOL, sex=Sex.FEMALE
    )
    events, state = run(chosen, distribute(at(0.5)))
    (reached,) = state.milestones
    assert reached.facts == Decided(
        intervention="hemtjänst", decided_on=decision, legal_basis=LegalBasis.SOL, sex=Sex.FEMALE
    )
    assert ivo_report(events, quarter="2026Q1").rows == ()
    (row,) = ivo_report(events, quarter="2026Q2").rows
    assert (row.routine, row.status, row.decided_on) == ("VAL", Status.NEW, decision)
    late = [*events, val.ExecutionStarted(case=CASE, at=at(days=70), actor=PROVIDER)]
    (done,) = ivo_report(late, quarter="2026Q2").rows
    assert done.status is Status.EXECUTED
    assert done.closed_on == at(days=70).date()
    _, municipal = run(*municipal_flow())
    assert [r.kind for r in municipal.milestones] == [
        MilestoneKind.DECISION,
        MilestoneKind.DELAYED,
        MilestoneKind.EXECUTED,
    ]
    assert municipal.milestones[1].facts.kind is MilestoneKind.DELAYED
    assert municipal.milestones[2].facts == Executed(on=at(20).date())
    undated, _ = run(choose(NORR))
    assert ivo_report(undated, quarter="2026Q4").not_judged[0].routine == "VAL"


def test_x6_val_a_private_execution_counts_from_the_registered_date() -> None:
    """X-6: a private provider's execution is the date registered (VAL-11)."""
    from arendefordelning.kernel import Executed, MilestoneKind

    _, state = run(*private_flow())
    executed = [(r.step, r.facts) for r in state.milestones if r.kind is MilestoneKind.EXECUTED]
    assert executed == [("register_execution", Executed(on=date(2026, 3, 3)))]
    assert state.executed_from == date(2026, 3, 3)


def test_x6_val_an_abstention_carries_the_decision_through_its_command() -> None:
    """X-6: the abstention's command passes the decision's facts to its event."""
    from arendefordelning import Sex

    command = val.RegisterAbstention(
        case=CASE,
        at=T0,
        actor=ASSESSOR,
        rotation=rotation(),
        decided_on=date(2026, 2, 20),
        sex=Sex.MALE,
        born=date(1940, 1, 1),
    )
    (event,) = val.decide(command, val.initial_state)
    assert isinstance(event, val.AbstentionRegistered)
    assert (event.decided_on, event.sex, event.born) == (
        date(2026, 2, 20),
        Sex.MALE,
        date(1940, 1, 1),
    )


def test_x6_val_the_decision_reached_keeps_the_individuals_date_of_birth() -> None:
    """X-6: the Decided milestone carries the date of birth the choice records, as given.

    Given a choice recording the decision's day, the legal basis, sex and date of
    birth, when it is registered, then the decision reached holds each of them.
    """
    from arendefordelning import Sex
    from arendefordelning.kernel import Decided, LegalBasis

    chosen = attrs.evolve(
        choose(NORR),
        decided_on=date(2026, 1, 10),
        legal_basis=LegalBasis.SOL,
        sex=Sex.MALE,
        born=date(1938, 5, 17),
    )
    _, state = run(chosen)
    (reached,) = state.milestones
    assert reached.facts == Decided(
        intervention="hemtjänst",
        decided_on=date(2026, 1, 10),
        legal_basis=LegalBasis.SOL,
        sex=Sex.MALE,
        born=date(1938, 5, 17),
    )


def test_x6_val2_an_abstention_keeps_the_legal_basis_of_the_decision() -> None:
    """X-6, VAL-2: the abstention's command passes the legal basis on, and it is reached.

    Given an abstention registered with the decision's legal basis, when it is
    decided, then its event and the Decided milestone both hold that legal basis.
    """
    from arendefordelning.kernel import LegalBasis

    events, state = run(abstention(legal_basis=LegalBasis.SOL))
    (event,) = events
    assert isinstance(event, val.AbstentionRegistered)
    assert event.legal_basis is LegalBasis.SOL
    (reached,) = state.milestones
    assert reached.facts.legal_basis is LegalBasis.SOL  # type: ignore[union-attr]


# ------------------------------------------------- rules and texts (mutation testing)


def test_val7_an_urgent_assignment_from_the_list_keeps_the_lists_area() -> None:
    """VAL-7: a customer without a provider is given the one next in turn, in its area.

    Given a case without a provider, when it is assigned urgently from the non-choice
    list of area Norr, then the case's provider and area are the list's.
    """
    _, state = run(urgent(rotation=rotation()))
    assert (state.provider, state.area) == (NORR, "Norr")


def test_val7_a_start_by_not_sooner_than_val6_is_refused_word_for_word() -> None:
    """VAL-7: an urgent start no sooner than VAL-6's 24 hours is refused, saying why."""
    with pytest.raises(InvalidInput) as refused:
        run(urgent(rotation=rotation(), start_by=T0 + timedelta(hours=30)))
    assert str(refused.value) == (
        "start_by must lie before the due time of VAL-6, sooner than the 24 hours of VAL-6 (VAL-7)"
    )


def test_val12_a_rechoice_naming_another_outgoing_provider_is_refused_word_for_word() -> None:
    """VAL-12: the outgoing provider of a re-choice is the case's own, or left out."""
    rechoice = val.RegisterRechoice(
        case=CASE,
        at=NOTIFIED,
        actor=ASSESSOR,
        incoming=OMSORG,
        outgoing=SODER,
        form=val.ChoiceForm.ORAL,
    )
    with pytest.raises(InvalidInput) as refused:
        run(*municipal_flow(), rechoice)
    assert str(refused.value) == (
        "RegisterRechoice is refused: the outgoing provider given is not the case's "
        "provider; leave outgoing out or give the case's provider (VAL-12)"
    )


def test_val13_the_incoming_notified_first_and_the_outgoing_hours_later_is_flagged() -> None:
    """VAL-13: notifications hours apart are NOT_SIMULTANEOUS, whichever came first.

    Given a re-choice whose incoming provider is notified at 10:00 and the outgoing at
    12:00, when the case is judged, then the outgoing notification is flagged, with
    both times in Swedish and English and due 15 minutes after the first.
    """
    flow = rechoice_flow()
    names = [type(command).__name__ for command in flow]
    first = names.index("OutgoingProviderNotified")
    outgoing = pick(flow, first, val.OutgoingProviderNotified)
    flow[first], flow[first + 1] = (
        flow[first + 1],
        attrs.evolve(outgoing, at=NOTIFIED + timedelta(hours=2)),
    )
    _, state = run(*flow[: first + 2])
    (flagged,) = val.deviations(state, as_of=NOTIFIED + timedelta(hours=3))
    assert (flagged.requirement, flagged.kind) == ("VAL-13", DeviationKind.NOT_SIMULTANEOUS)
    assert (flagged.detail_sv, flagged.detail_en) == (
        "den andra meddelades 2026-04-01 10:00, den här 2026-04-01 12:00",
        "the other was notified at 2026-04-01 10:00, this one at 2026-04-01 12:00",
    )
    assert flagged.due == NOTIFIED + timedelta(minutes=15)


def test_val18_x4_the_takeover_window_is_the_policys_not_the_routines_default() -> None:
    """VAL-18, X-4: a policy's 7–9 days judge a takeover 10 days on outside the window.

    Given a policy whose switch window ends 9 days after the notifications, when the
    re-choice's takeover date, 10 days on, is reported, then it is OUTSIDE_WINDOW by
    that policy (and within the routine's own 7–14 days without it).
    """
    policy = val.ProviderChoicePolicy(switch=SwitchWindowPolicy(latest=timedelta(days=9)))
    _, state = run(*rechoice_flow(), policy=policy)
    (outside,) = val.deviations(state, as_of=NOTIFIED + timedelta(days=20), policy=policy)
    assert (outside.requirement, outside.kind) == ("VAL-18", DeviationKind.OUTSIDE_WINDOW)
    assert (outside.sv, outside.detail_sv) == (
        "byt utförare 7–9 dagar efter att båda utförarna meddelats",
        "övertagande 2026-04-11, utanför fönstret 2026-04-08–2026-04-10",
    )
    assert (outside.due_on, outside.happened_on) == (date(2026, 4, 10), TAKEOVER)
    _, default = run(*rechoice_flow())
    assert val.deviations(default, as_of=NOTIFIED + timedelta(days=20)) == []


def test_val6_the_due_time_counts_from_the_distribution_and_explains_itself() -> None:
    """VAL-6: the execution's due time, as the record gives it, in Swedish and English.

    Given a choice of a municipal provider distributed at 10:30, when its due times
    are asked, then VAL-6 counts 24 hours from the distribution, with the note that
    explains it word for word.
    """
    _, state = run(choose(NORR), distribute(at(0.5)))
    ((obligation, due),) = val.VAL.due_times(state)
    assert (obligation.name, due.requirement) == ("execute", "VAL-6")
    assert (due.counted_from, due.due) == (at(0.5), at(24.5))
    assert (due.rule_sv, due.rule_en) == ("verkställ inom 24 timmar", "execute within 24 hours")
    assert (due.note_sv, due.note_en) == (
        "Uppdraget ska vara verkställt senast 2026-03-03 10:30, 24 timmar efter "
        "fördelningen 2026-03-02 10:30 (VAL-6).",
        "The assignment must be executed by 2026-03-03 10:30, 24 hours after the "
        "distribution at 2026-03-02 10:30 (VAL-6).",
    )


def test_val15_x4_the_switch_windows_words_are_the_policys() -> None:
    """VAL-15…VAL-19, X-4: the due times of a re-choice's steps say the policy's days.

    Given a policy with a switch window of 7–9 days, when both providers are notified,
    then every step due by the window is worded "byte inom 7–9 dagar", counted from
    the notifications.
    """
    policy = val.ProviderChoicePolicy(switch=SwitchWindowPolicy(latest=timedelta(days=9)))
    flow = rechoice_flow()
    notified = [type(command).__name__ for command in flow].index("IncomingProviderNotified")
    _, state = run(*flow[: notified + 1], policy=policy)
    words = {
        obligation.name: (due.rule_sv, due.rule_en, due.counted_from)
        for obligation, due in val.VAL.due_times(state, policy=policy)
        if due.requirement in ("VAL-15", "VAL-16", "VAL-17", "VAL-19")
    }
    assert words == dict.fromkeys(
        ("agree_last_day", "announce_takeover", "hand_over", "report_takeover",
         "tell_home_health_care"),
        ("byte inom 7–9 dagar", "switch within 7–9 days", NOTIFIED),
    )  # fmt: skip


def test_val13_each_provider_is_notified_by_a_message_worded_for_it() -> None:
    """VAL-13: the two notifications of a re-choice, word for word, with their due time.

    Given a re-choice from Hemtjänst Norr to Omsorg AB, when its required actions and
    due times are asked, then each provider's message names it, the other provider and
    the customer's day, and each is due preferably the day of the customer's choice,
    counted from the registration.
    """
    flow = rechoice_flow()
    registered = [type(command).__name__ for command in flow].index("RegisterRechoice")
    _, state = run(*flow[: registered + 1])
    messages = [
        (action.kind, action.recipient, action.sv)
        for action in val.required_actions(state)
        if action.requirement == "VAL-13"
    ]
    assert messages == [
        (
            ActionKind.MESSAGE,
            "Hemtjänst Norr",
            "meddela frånträdande utförare Hemtjänst Norr om omvalet vid samma tidpunkt som "
            "tillträdande utförare, helst samma dag som kunden meddelade sitt val "
            "(2026-04-01), och dokumentera i journalen",
        ),
        (
            ActionKind.MESSAGE,
            "Omsorg AB",
            "meddela tillträdande utförare Omsorg AB om omvalet vid samma tidpunkt som "
            "frånträdande utförare, helst samma dag som kunden meddelade sitt val "
            "(2026-04-01), och dokumentera i journalen",
        ),
    ]
    words = {
        obligation.name: (due.since_sv, due.since_en, due.rule_sv, due.rule_en)
        for obligation, due in val.VAL.due_times(state)
        if due.requirement == "VAL-13"
    }
    assert words == dict.fromkeys(
        ("notify_outgoing", "notify_incoming"),
        (
            "registreringen av omvalet",
            "the registration of the re-choice",
            "helst samma dag som kundens val",
            "preferably the day of the customer's choice",
        ),
    )


def test_val15_val17_val19_a_step_with_a_recipient_is_a_message_and_one_without_a_task() -> None:
    """VAL-15, VAL-17, VAL-19: after both notifications, who does what, and to whom.

    Given both providers notified of a re-choice, when the required actions are
    asked, then agreeing on the last day is a task, and reporting the takeover date
    and telling home health care are messages to their recipients.
    """
    flow = rechoice_flow()
    notified = [type(command).__name__ for command in flow].index("IncomingProviderNotified")
    _, state = run(*flow[: notified + 1])
    assert [(a.requirement, a.kind, a.recipient) for a in val.required_actions(state)] == [
        ("VAL-15", ActionKind.TASK, None),
        ("VAL-17", ActionKind.MESSAGE, "biståndshandläggaren"),
        ("VAL-19", ActionKind.MESSAGE, "hemsjukvården"),
    ]
