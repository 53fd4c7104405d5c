"""Routine UP: designing and sending assignments to providers, and who tells whom (UP-1…UP-14).

Given/when/then examples per requirement, read from the routine's text (LRU2.2.1);
the deviations of UP-2, UP-3, UP-5 and UP-8 as recorded steps judged after the fact
(X-5); the notification rules as a table over every combination of their inputs and
as properties (every situation yields at least what the seed names, none twice); the
table's duties agree with the pure function; the testing kit on the table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arendefordelning import IllegalTransition, InvalidInput, NotPermitted, routines
from arendefordelning import strategies as strategies_
from arendefordelning.deadlines import round_up_to_quarter
from arendefordelning.errors import ForbiddenStep
from arendefordelning.kernel import ActionKind, Actor, Channel, DeviationKind, Role
from arendefordelning.providers import Provider, ProviderKind
from arendefordelning.routines import assignment_dispatch as up
from arendefordelning.testing import check_judging, check_role_matrix, machine_for

SE: Final = ZoneInfo("Europe/Stockholm")
CASE: Final = "UP-2026-0017"
T0: Final = datetime(2026, 1, 12, 9, 0, tzinfo=SE)  # a Monday
FRIDAY_AFTERNOON: Final = datetime(2026, 1, 16, 15, 0, tzinfo=SE)

ASSESSOR: Final = Actor("bh-2", Role.NEEDS_ASSESSOR)
PROVIDER: Final = Actor("ut-5", Role.PROVIDER)
INSTALLER: Final = Actor("li-1", Role.ALARM_INSTALLER)
NIGHT: Final = Actor("np-3", Role.NIGHT_PATROL)

NORR: Final = Provider("Hemtjänst Norr")
SOUTH: Final = Provider("Hemtjänst Söder")
PRIVATE: Final = Provider("Omsorg AB", ProviderKind.PRIVATE)

IV = up.Intervention
HOME_CARE, ALARM, DAY, TRANSPORT = (
    IV.HOME_CARE,
    IV.SAFETY_ALARM,
    IV.DAY_ACTIVITY,
    IV.SCHEDULED_TRANSPORT,
)
UP: Final = up.ASSIGNMENT_DISPATCH
State = up.AssignmentDispatchState

FIELDS: Final[dict[str, st.SearchStrategy[Any]]] = {
    "granted_minutes": st.integers(0, 1200),
    "stated_minutes": st.integers(0, 1200),
    "provider": st.sampled_from([NORR, SOUTH, PRIVATE]),
    "stay": st.none() | st.sampled_from(["vistelse-1", "vistelse-2", "vistelse-3"]),
}
"""The kit's strategies for UP: times of a day's care, three providers, three stays (or
none, as a notification of another subject than a hospital stay names)."""

ROLE_FIELDS: Final[dict[str, st.SearchStrategy[Any]]] = {
    **FIELDS,
    "interventions": st.sampled_from(
        [(ALARM,), (HOME_CARE, ALARM), (HOME_CARE,), (DAY, TRANSPORT)]
    ),
    "subject": st.sampled_from(
        [up.Subject.ALARM_RETURNED, up.Subject.ADMISSION, up.Subject.ADMISSION, *up.Subject]
    ),
}
"""For the role matrix: an alarm and an admission often, so the installer's report of a
returned alarm (UP-12) and the night patrol's of an admission (UP-14) are reached in the
drawn histories and tried in every role."""


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def run(*commands: Any, state: State = up.initial_state) -> State:
    for command in commands:
        state = up.replay(up.decide(command, state), state)
    return state


def send(
    *interventions: up.Intervention,
    provider: Provider = NORR,
    when: datetime = T0,
    **fields: Any,
) -> up.AssignmentSent:
    return up.AssignmentSent(
        case=CASE,
        at=when,
        actor=ASSESSOR,
        provider=provider,
        interventions=interventions or (HOME_CARE,),
        granted_minutes=fields.pop("granted_minutes", 440),
        **fields,
    )


def notify(
    subject: up.Subject,
    recipient: up.Recipient,
    *,
    actor: Actor = ASSESSOR,
    when: datetime = T0,
    channel: Channel = Channel.SYSTEM_MESSAGE,
    stay: str | None = None,
) -> up.NotificationSent:
    return up.NotificationSent(
        case=CASE,
        at=when,
        actor=actor,
        subject=subject,
        recipient=recipient,
        channel=channel,
        stay=stay,
    )


def found(state: State, as_of: datetime, requirement: str | None = None) -> list[Any]:
    return [
        (d.requirement, d.kind)
        for d in up.deviations(state, as_of=as_of)
        if requirement is None or d.requirement == requirement
    ]


def actions(state: State, requirement: str | None = None) -> list[Any]:
    return [
        (a.requirement, a.role, a.channel)
        for a in up.required_actions(state)
        if requirement is None or a.requirement == requirement
    ]


def executed(
    intervention: up.Intervention, started: date, when: datetime | None = None
) -> up.InterventionExecuted:
    return up.InterventionExecuted(
        case=CASE,
        at=when or datetime.combine(started, time(10), SE),
        actor=PROVIDER,
        intervention=intervention,
        started_on=started,
    )


# --------------------------------------------------------------------------- UP-1 … UP-4


def test_up1_the_interventions_are_the_routines_closed_set_and_the_assignment_holds_them() -> None:
    """UP-1: six interventions; an assignment holds one or more, each once, in UP-1's order."""
    assert [i.label("en") for i in up.Intervention] == [
        "home care",
        "safety alarm",
        "day activity",
        "scheduled transport",
        "relief at home",
        "HAFFA",
    ]
    assignment = up.Assignment(
        case=CASE, provider=NORR, interventions=[ALARM, HOME_CARE], granted_minutes=60
    )
    assert assignment.interventions == (HOME_CARE, ALARM)
    with pytest.raises(InvalidInput, match="at least one intervention of UP-1"):
        up.Assignment(case=CASE, provider=NORR, interventions=[], granted_minutes=60)
    with pytest.raises(InvalidInput, match="must hold Intervention members"):
        up.Assignment(case=CASE, provider=NORR, interventions=["hemtjänst"], granted_minutes=60)
    with pytest.raises(InvalidInput, match="each intervention once"):
        up.Assignment(case=CASE, provider=NORR, interventions=[DAY, DAY], granted_minutes=60)
    event = up.AssignmentSent.of(assignment, at=T0, actor=ASSESSOR, new_recipient=True)
    assert event.assignment == assignment
    state = run(event)
    assert state.stage is up.Stage.SENT
    assert state.interventions == (HOME_CARE, ALARM)


def test_up3_the_stated_time_is_the_granted_time_rounded_up_to_a_quarter_hour() -> None:
    """UP-3: 440 minutes granted states 450; the assignment keeps both; 450 stays 450."""
    assignment = up.Assignment(
        case=CASE, provider=NORR, interventions=[HOME_CARE], granted_minutes=440
    )
    assert (assignment.granted_minutes, assignment.stated_minutes) == (440, 450)
    assert send(granted_minutes=450).stated_minutes == 450
    assert send(granted_minutes=0).stated_minutes == 0
    assert found(run(send(granted_minutes=440)), at(30), "UP-3") == []


@pytest.mark.parametrize(
    ("stated", "problem"),
    [(440, "not a whole quarter hour"), (435, "below the granted time"), (465, "above")],
)
def test_up3_a_stated_time_other_than_the_quarter_hour_up_is_recorded_and_a_deviation(
    stated: int, problem: str
) -> None:
    """UP-3: a stated time not a whole quarter hour, below the granted, or above, is found."""
    state = run(send(granted_minutes=440, stated_minutes=stated))
    assert state.sent[-1].stated_minutes == stated
    (deviation,) = [d for d in up.deviations(state, as_of=at(1)) if d.requirement == "UP-3"]
    assert deviation.kind is up.STATED_TIME
    assert problem in deviation.explain("en")
    assert "beviljat 440 min" in deviation.explain("sv")


@settings(max_examples=200)
@given(st.integers(0, 100_000), st.integers(0, 100_000))
def test_up3_only_the_quarter_hour_up_is_without_a_problem(granted: int, stated: int) -> None:
    """UP-3: the stated default is a whole quarter hour, never below, less than 15 above."""
    assignment = up.Assignment(
        case=CASE, provider=NORR, interventions=[HOME_CARE], granted_minutes=granted
    )
    assert assignment.stated_minutes % 15 == 0
    assert granted <= assignment.stated_minutes < granted + 15
    assert up.stated_time_problem(granted, assignment.stated_minutes) is None
    expected_ok = stated == round_up_to_quarter(granted)
    assert (up.stated_time_problem(granted, stated) is None) == expected_ok


def test_up4_double_staffing_names_only_the_assignments_own_interventions() -> None:
    """UP-4: the double-staffed interventions are kept; naming another is bad input."""
    event = send(HOME_CARE, IV.RELIEF_AT_HOME, double_staffed=[HOME_CARE])
    assert run(event).sent[-1].double_staffed == (HOME_CARE,)
    with pytest.raises(InvalidInput, match=r"only interventions of the assignment \(UP-4\)"):
        send(HOME_CARE, double_staffed=[IV.RELIEF_AT_HOME])
    with pytest.raises(InvalidInput, match="UP-4"):
        up.Assignment(
            case=CASE,
            provider=NORR,
            interventions=[DAY],
            granted_minutes=10,
            double_staffed=[HOME_CARE],
        )


# --------------------------------------------------------------------------- UP-2


@pytest.mark.parametrize(
    "interventions",
    [
        combination
        for size in range(len(up.Intervention) + 1)
        for combination in itertools.combinations(up.Intervention, size)
    ],
    ids=lambda c: "+".join(i.name for i in c) or "none",
)
def test_up2_time_recording_is_required_unless_only_day_activity_and_transport(
    interventions: tuple[up.Intervention, ...],
) -> None:
    """UP-2: every combination of UP-1's interventions: ordered unless only DV and transport."""
    others = set(interventions) - {DAY, TRANSPORT}
    assert up.time_recording_required(interventions) == bool(others)
    assert up.time_recording_required(reversed(interventions)) == bool(others)


def test_up2_the_order_is_due_the_day_the_assignment_is_sent_and_missing_after() -> None:
    """UP-2: the assessor orders in Phoniro the same day; no order by then is missing."""
    state = run(send(HOME_CARE, DAY))
    assert ("UP-2", Role.NEEDS_ASSESSOR, None) in actions(state)
    assert found(state, at(0, 14), "UP-2") == []
    assert found(state, at(1), "UP-2") == [("UP-2", DeviationKind.MISSING)]
    ordered = run(
        up.TimeRecordingOrdered(case=CASE, at=at(0, 1), actor=ASSESSOR, provider=NORR),
        state=state,
    )
    assert actions(ordered, "UP-2") == []
    assert found(ordered, at(30), "UP-2") == []


def test_up2_an_order_for_only_day_activity_and_transport_is_recorded_and_not_required() -> None:
    """UP-2: no order is due; one placed anyway is recorded and a NOT_REQUIRED deviation."""
    state = run(send(DAY, TRANSPORT))
    assert actions(state, "UP-2") == []
    state = run(
        up.TimeRecordingOrdered(case=CASE, at=at(0, 1), actor=ASSESSOR, provider=NORR),
        state=state,
    )
    assert state.ordered == (NORR,)
    assert found(state, at(2), "UP-2") == [("UP-2", DeviationKind.NOT_REQUIRED)]
    with pytest.raises(InvalidInput, match="no assignment to that provider"):
        up.decide(
            up.TimeRecordingOrdered(case=CASE, at=at(0, 1), actor=ASSESSOR, provider=SOUTH), state
        )


# --------------------------------------------------------------------------- UP-5, UP-7


def hand_over(*channels: Channel, provider: Provider = NORR, when: datetime = T0) -> up.HandOver:
    return up.HandOver(case=CASE, at=when, actor=ASSESSOR, provider=provider, channels=channels)


def test_up5_a_new_recipient_is_handed_over_by_telephone() -> None:
    """UP-5: the duty names the telephone; a telephone handover meets it, no deviation."""
    state = run(send(new_recipient=True))
    assert ("UP-5", Role.NEEDS_ASSESSOR, Channel.TELEPHONE) in actions(state)
    state = run(hand_over(Channel.TELEPHONE, Channel.SYSTEM_MESSAGE), state=state)
    assert actions(state, "UP-5") == []
    assert found(state, at(5), "UP-5") == []


def test_up5_a_new_recipient_handed_over_by_message_only_is_a_wrong_channel() -> None:
    """UP-5: recorded, the duty met, and found as WRONG_CHANNEL; another recipient may."""
    state = run(send(new_recipient=True), hand_over(Channel.SYSTEM_MESSAGE))
    assert state.handovers[-1].channels == (Channel.SYSTEM_MESSAGE,)
    assert found(state, at(1), "UP-5") == [("UP-5", DeviationKind.WRONG_CHANNEL)]
    known = run(send(), hand_over(Channel.SYSTEM_MESSAGE))
    assert found(known, at(1), "UP-5") == []
    by_letter = run(send(), hand_over(Channel.LETTER))
    assert found(by_letter, at(1), "UP-5") == [("UP-5", DeviationKind.WRONG_CHANNEL)]


def test_up5_no_handover_by_the_day_is_missing_and_a_new_recipient_only_once() -> None:
    """UP-5: the handover is due the day the assignment is sent; new only for the first."""
    state = run(send())
    assert found(state, at(1), "UP-5") == [("UP-5", DeviationKind.MISSING)]
    with pytest.raises(InvalidInput, match="not new"):
        up.decide(send(provider=SOUTH, new_recipient=True, when=at(3)), state)
    with pytest.raises(InvalidInput, match="no assignment to that provider"):
        up.decide(hand_over(Channel.TELEPHONE, provider=SOUTH), state)


def test_up7_before_a_weekend_from_14_the_special_contact_path_applies() -> None:
    """UP-7: Friday from 14:00 to Monday's start; Thursday afternoon or Friday morning not."""
    friday = date(2026, 1, 16)
    assert up.special_contact_path(datetime.combine(friday, time(14), SE))
    assert not up.special_contact_path(datetime.combine(friday, time(13, 59), SE))
    assert not up.special_contact_path(datetime(2026, 1, 15, 16, 0, tzinfo=SE))
    assert up.special_contact_path(datetime(2026, 1, 17, 10, 0, tzinfo=SE))
    assert up.special_contact_path(datetime(2026, 1, 18, 23, 59, tzinfo=SE))
    assert not up.special_contact_path(datetime(2026, 1, 19, 0, 0, tzinfo=SE))


def test_up7_before_a_public_and_a_major_holiday_the_special_contact_path_applies() -> None:
    """UP-7: Wednesday 13 May 2026 before Ascension Day, Wednesday 23 Dec before Christmas
    Eve (storhelg); the policy moves the hour."""
    assert up.special_contact_path(datetime(2026, 5, 13, 15, 0, tzinfo=SE))
    assert not up.special_contact_path(datetime(2026, 5, 12, 15, 0, tzinfo=SE))
    assert up.special_contact_path(datetime(2026, 12, 23, 14, 30, tzinfo=SE))
    policy = up.AssignmentDispatchPolicy(special_path_from=time(12, 0))
    assert up.special_contact_path(datetime(2026, 1, 16, 12, 30, tzinfo=SE), policy=policy)
    with pytest.raises(InvalidInput, match="wall-clock"):
        up.AssignmentDispatchPolicy(special_path_from=time(12, 0, tzinfo=SE))


def test_up7_a_handover_to_municipal_home_care_before_a_weekend_is_flagged_not_a_deviation() -> (
    None
):
    """UP-7: the handover records the special contact path; a private provider's does not."""
    state = run(send(when=FRIDAY_AFTERNOON), hand_over(Channel.TELEPHONE, when=FRIDAY_AFTERNOON))
    assert state.handovers[-1].special_contact_path
    assert found(state, FRIDAY_AFTERNOON + timedelta(days=1), "UP-7") == []
    private = run(
        send(provider=PRIVATE, when=FRIDAY_AFTERNOON),
        hand_over(Channel.TELEPHONE, provider=PRIVATE, when=FRIDAY_AFTERNOON),
    )
    assert not private.handovers[-1].special_contact_path
    monday = run(send(), hand_over(Channel.TELEPHONE))
    assert not monday.handovers[-1].special_contact_path


# --------------------------------------------------------------------------- UP-8, UP-9, UP-11


def confirm(when: datetime, channel: Channel = Channel.SYSTEM_MESSAGE) -> Any:
    return up.AssignmentReceiptConfirmed(
        case=CASE, at=when, actor=PROVIDER, provider=NORR, channel=channel
    )


def test_up8_the_provider_confirms_receipt_by_system_message_by_the_next_working_day() -> None:
    """UP-8: the duty is the provider's, by system message; met on time, no deviation."""
    state = run(send())
    assert ("UP-8", Role.PROVIDER, Channel.SYSTEM_MESSAGE) in actions(state)
    state = run(confirm(at(1, 2)), state=state)
    assert actions(state, "UP-8") == []
    assert found(state, at(30), "UP-8") == []


def test_up8_receipt_missing_by_the_policy_time_late_after_it_or_by_email_is_a_deviation() -> None:
    """UP-8: none by Tuesday's end is MISSING; Wednesday's is LATE; by e-mail WRONG_CHANNEL."""
    state = run(send())
    assert found(state, at(1, 14), "UP-8") == []
    assert found(state, at(2), "UP-8") == [("UP-8", DeviationKind.MISSING)]
    late = run(confirm(at(2, 1)), state=state)
    assert found(late, at(3), "UP-8") == [("UP-8", DeviationKind.LATE)]
    by_mail = run(confirm(at(0, 3), Channel.EMAIL), state=state)
    assert found(by_mail, at(3), "UP-8") == [("UP-8", DeviationKind.WRONG_CHANNEL)]
    lenient = up.AssignmentDispatchPolicy(receipt_within=3)
    assert [
        d for d in UP.deviations(state, as_of=at(2), policy=lenient) if d.requirement == "UP-8"
    ] == []


def test_up9_each_intervention_is_executed_on_its_own_start_date() -> None:
    """UP-9: one duty per intervention, met only by its own execution; the dates kept."""
    state = run(send(HOME_CARE, DAY, IV.RELIEF_AT_HOME))
    assert len(actions(state, "UP-9")) == 3
    state = run(executed(HOME_CARE, date(2026, 1, 13)), state=state)
    assert len(actions(state, "UP-9")) == 2
    state = run(executed(DAY, date(2026, 1, 14)), state=state)
    assert up.execution_dates_of(state) == {DAY: date(2026, 1, 14), HOME_CARE: date(2026, 1, 13)}
    assert state.stage is up.Stage.SENT
    state = run(executed(IV.RELIEF_AT_HOME, date(2026, 1, 15)), state=state)
    assert state.stage is up.Stage.EXECUTED
    assert actions(state, "UP-9") == []
    with pytest.raises(IllegalTransition):
        up.decide(executed(DAY, date(2026, 1, 20)), state)


def test_up9_at_a_reassessment_each_intervention_is_executed_again_from_its_new_date() -> None:
    """UP-9: a re-assessment's assignment opens the executions again; billing reads both."""
    first = run(send(HOME_CARE, DAY), executed(HOME_CARE, date(2026, 1, 13)))
    first = run(executed(DAY, date(2026, 1, 13)), state=first)
    again = run(send(HOME_CARE, when=at(60), reassessment=True), state=first)
    assert up.execution_dates_of(again) == {DAY: date(2026, 1, 13)}
    assert len(actions(again, "UP-9")) == 1
    again = run(executed(HOME_CARE, date(2026, 3, 16)), state=again)
    assert up.execution_dates_of(again) == {HOME_CARE: date(2026, 3, 16), DAY: date(2026, 1, 13)}
    assert again.executions == (
        (HOME_CARE, date(2026, 1, 13)),
        (DAY, date(2026, 1, 13)),
        (HOME_CARE, date(2026, 3, 16)),
    )


def test_up9_execution_registered_after_the_start_is_late_and_before_it_is_bad_input() -> None:
    """UP-9: registered days after the start is recorded and LATE; a future start refused."""
    state = run(send(), executed(HOME_CARE, date(2026, 1, 13), when=at(4)))
    assert found(state, at(5), "UP-9") == [("UP-9", DeviationKind.LATE)]
    with pytest.raises(InvalidInput, match="once it has started"):
        executed(HOME_CARE, date(2026, 1, 20), when=at(1))
    with pytest.raises(InvalidInput, match="holds no such intervention"):
        up.decide(executed(IV.HAFFA, date(2026, 1, 12)), run(send()))


def test_up11_the_alarm_installer_executes_the_safety_alarm_on_installation() -> None:
    """UP-11: only the installer; the provider may not, nor as an intervention executed."""
    state = run(send(HOME_CARE, ALARM))
    assert ("UP-11", Role.ALARM_INSTALLER, None) in actions(state)
    assert len(actions(state, "UP-9")) == 1
    installed = up.AlarmInstalled(
        case=CASE, at=at(1), actor=INSTALLER, installed_on=date(2026, 1, 13)
    )
    with pytest.raises(NotPermitted):
        up.decide(
            up.AlarmInstalled(case=CASE, at=at(1), actor=PROVIDER, installed_on=date(2026, 1, 13)),
            state,
        )
    with pytest.raises(InvalidInput, match="record AlarmInstalled"):
        up.decide(executed(ALARM, date(2026, 1, 13)), state)
    state = run(installed, state=state)
    assert up.execution_dates_of(state) == {ALARM: date(2026, 1, 13)}
    assert actions(state, "UP-11") == []


# --------------------------------------------------------------------------- UP-6, UP-10, UP-12


def alarm_then_home_care(provider: Provider = NORR) -> State:
    installed = up.AlarmInstalled(
        case=CASE, at=at(1), actor=INSTALLER, installed_on=date(2026, 1, 13)
    )
    return run(
        send(ALARM, granted_minutes=0),
        installed,
        send(HOME_CARE, provider=provider, when=at(10)),
    )


def test_up6_only_an_alarm_then_home_care_the_alarm_group_learns_the_provider() -> None:
    """UP-6: the assessor tells the on-call alarm group; met only by a message to it."""
    state = alarm_then_home_care()
    assert ("UP-6", Role.NEEDS_ASSESSOR, Channel.SYSTEM_MESSAGE) in actions(state)
    state = run(
        notify(up.Subject.CURRENT_PROVIDER, up.Recipient.ALARM_GROUP, when=at(10, 1)), state=state
    )
    assert actions(state, "UP-6") == []
    untold = alarm_then_home_care()
    assert found(untold, at(12), "UP-6") == [("UP-6", DeviationKind.MISSING)]


def test_up10_an_alarm_is_registered_on_the_municipal_home_care_and_sent_to_the_list() -> None:
    """UP-10: the alarm list is told; an alarm registered on a private provider is found."""
    state = run(send(ALARM, granted_minutes=0))
    assert ("UP-10", Role.NEEDS_ASSESSOR, Channel.SYSTEM_MESSAGE) in actions(state)
    assert found(state, at(0, 2), "UP-10") == []
    private = run(send(ALARM, provider=PRIVATE, granted_minutes=0))
    assert (("UP-10", up.WRONG_PROVIDER)) in found(private, at(0, 2), "UP-10")
    told = run(
        notify(up.Subject.ALARM_ASSIGNMENT, up.Recipient.ALARM_GROUP, when=at(0, 1)), state=state
    )
    assert actions(told, "UP-10") == []
    by_phone = run(
        notify(
            up.Subject.ALARM_ASSIGNMENT,
            up.Recipient.ALARM_GROUP,
            when=at(0, 1),
            channel=Channel.TELEPHONE,
        ),
        state=state,
    )
    assert ("UP-10", DeviationKind.WRONG_CHANNEL) in found(by_phone, at(5), "UP-10")


def test_up10_the_alarm_group_is_told_again_at_every_change_of_provider() -> None:
    """UP-10: home care moving to another provider while the alarm is held: told again."""
    state = alarm_then_home_care()
    state = run(
        notify(up.Subject.CURRENT_PROVIDER, up.Recipient.ALARM_GROUP, when=at(10, 1)), state=state
    )
    state = run(
        notify(up.Subject.ALARM_ASSIGNMENT, up.Recipient.ALARM_GROUP, when=at(10, 2)), state=state
    )
    assert actions(state, "UP-10") == []
    same = run(send(HOME_CARE, when=at(20)), state=state)
    assert actions(same, "UP-10") == []
    moved = run(send(HOME_CARE, provider=SOUTH, when=at(20)), state=state)
    assert actions(moved, "UP-10") == [("UP-10", Role.NEEDS_ASSESSOR, Channel.SYSTEM_MESSAGE)]
    (notification,) = [
        n
        for n in up.required_notifications(up.situation_of(state, moved.sent[-1]) or _no())
        if n.requirement == "UP-10"
    ]
    assert (notification.recipient, notification.subject) == (
        up.Recipient.ALARM_GROUP,
        up.Subject.CURRENT_PROVIDER,
    )


def test_up12_a_returned_alarm_is_reported_to_the_assessor_by_the_installer() -> None:
    """UP-12: declined or deceased, the installer tells the assessor; the alarm is not held."""
    state = alarm_then_home_care()
    returned = up.AlarmReturned(
        case=CASE, at=at(30), actor=INSTALLER, reason=up.ReturnReason.DECEASED
    )
    state = run(returned, state=state)
    assert state.returned is up.ReturnReason.DECEASED
    assert ALARM not in state.interventions
    assert actions(state, "UP-12") == [("UP-12", Role.ALARM_INSTALLER, Channel.SYSTEM_MESSAGE)]
    assert found(state, at(32), "UP-12") == [("UP-12", DeviationKind.MISSING)]
    with pytest.raises(NotPermitted):
        up.decide(
            notify(up.Subject.ALARM_RETURNED, up.Recipient.NEEDS_ASSESSOR, when=at(30, 1)), state
        )
    told = run(
        notify(
            up.Subject.ALARM_RETURNED,
            up.Recipient.NEEDS_ASSESSOR,
            actor=INSTALLER,
            when=at(30, 1),
        ),
        state=state,
    )
    assert actions(told, "UP-12") == []
    assert found(told, at(32), "UP-12") == []
    with pytest.raises(IllegalTransition):
        up.decide(attrs.evolve(returned, at=at(31)), told)


# --------------------------------------------------------------------------- UP-13, UP-14


def test_up13_a_discharge_with_a_new_application_is_told_to_the_provider_and_night_patrol() -> None:
    """UP-13: one duty per recipient, due by the discharge, met only by a message to it."""
    state = run(send())
    state = run(
        up.DischargeAnnounced(
            case=CASE, at=at(5), actor=ASSESSOR, stay="vistelse-1", discharge_at=at(6)
        ),
        state=state,
    )
    assert sorted(
        a.recipient or "" for a in up.required_actions(state) if a.requirement == "UP-13"
    ) == [
        "nattpatrullen",
        "utföraren",
    ]
    state = run(
        notify(up.Subject.DISCHARGE, up.Recipient.NIGHT_PATROL, when=at(5, 1), stay="vistelse-1"),
        state=state,
    )
    (left,) = [a for a in up.required_actions(state) if a.requirement == "UP-13"]
    assert left.recipient == "utföraren"
    assert found(state, at(6, 1), "UP-13") == [("UP-13", DeviationKind.MISSING)]


def admit(when: datetime, stay: str = "vistelse-1", actor: Actor = PROVIDER) -> Any:
    return up.AdmittedToHospital(case=CASE, at=when, actor=actor, stay=stay)


def test_up14_admitted_in_the_day_the_day_provider_tells_the_night_patrol_by_message() -> None:
    """UP-14: by system message, before the night; the recipient is in hospital."""
    state = run(send(), admit(at(2, 1)))
    assert state.stage is up.Stage.IN_HOSPITAL
    assert actions(state, "UP-14") == [("UP-14", Role.PROVIDER, Channel.SYSTEM_MESSAGE)]
    by_phone = run(
        notify(
            up.Subject.ADMISSION,
            up.Recipient.NIGHT_PATROL,
            actor=PROVIDER,
            when=at(2, 2),
            channel=Channel.TELEPHONE,
            stay="vistelse-1",
        ),
        state=state,
    )
    assert found(by_phone, at(3), "UP-14") == [("UP-14", DeviationKind.WRONG_CHANNEL)]


def test_up14_admitted_at_night_the_night_patrol_tells_the_day_provider() -> None:
    """UP-14: 23:00 is night by the policy; 06:59 too; 07:00 is not."""
    night = datetime(2026, 1, 13, 23, 0, tzinfo=SE)
    state = run(send(HOME_CARE, provider=PRIVATE), admit(night, actor=NIGHT))
    assert actions(state, "UP-14") == [("UP-14", Role.NIGHT_PATROL, None)]
    assert up.is_night(datetime(2026, 1, 14, 6, 59, tzinfo=SE))
    assert not up.is_night(datetime(2026, 1, 14, 7, 0, tzinfo=SE))
    policy = up.AssignmentDispatchPolicy(night_starts=time(21), night_ends=time(6))
    assert up.is_night(datetime(2026, 1, 14, 21, 30, tzinfo=SE), policy=policy)
    with pytest.raises(InvalidInput, match="must differ"):
        up.AssignmentDispatchPolicy(night_starts=time(7), night_ends=time(7))


def test_up14_each_hospital_stay_is_its_own_a_second_stays_message_never_meets_the_first() -> None:
    """UP-14: home from the first stay, admitted to a second; telling of the second stay
    leaves the first stay's duty open, and it is missing after its due time."""
    state = run(send(), admit(at(2, 1)))
    state = run(
        up.HomeFromHospital(case=CASE, at=at(4, 1), actor=PROVIDER, stay="vistelse-1"),
        admit(at(5, 1), stay="vistelse-2"),
        state=state,
    )
    assert len(actions(state, "UP-14")) == 3
    state = run(
        notify(
            up.Subject.ADMISSION,
            up.Recipient.NIGHT_PATROL,
            actor=PROVIDER,
            when=at(5, 2),
            stay="vistelse-2",
        ),
        state=state,
    )
    assert len(actions(state, "UP-14")) == 2
    missing = [d for d in up.deviations(state, as_of=at(6)) if d.requirement == "UP-14"]
    assert len(missing) == 2
    assert all(d.kind is DeviationKind.MISSING for d in missing)
    with pytest.raises(IllegalTransition):
        up.decide(admit(at(6), stay="vistelse-1"), state)
    with pytest.raises(InvalidInput, match="no hospital stay of that identifier"):
        up.decide(
            notify(
                up.Subject.ADMISSION,
                up.Recipient.NIGHT_PATROL,
                actor=PROVIDER,
                when=at(5, 3),
                stay="vistelse-9",
            ),
            state,
        )


def test_up14_a_recipient_without_interventions_is_no_one_to_tell_of() -> None:
    """UP-14: the rule is of a recipient with existing interventions: none, no admission step."""
    with pytest.raises(IllegalTransition):
        up.decide(admit(at(1)), up.initial_state)


def test_up13_up14_a_notification_names_a_recipient_of_its_subject_and_only_a_stays_a_stay() -> (
    None
):
    """UP-5, UP-12, UP-13, UP-14: bad input says what is accepted, never the value given."""
    with pytest.raises(InvalidInput, match="recipient must be one the routine tells") as wrong:
        notify(up.Subject.ALARM_RETURNED, up.Recipient.NIGHT_PATROL)
    assert "NIGHT_PATROL" not in str(wrong.value)
    assert "NEEDS_ASSESSOR" in str(wrong.value)
    with pytest.raises(InvalidInput, match="stay must name the hospital stay"):
        notify(up.Subject.ADMISSION, up.Recipient.NIGHT_PATROL)
    with pytest.raises(InvalidInput, match="stay must be None") as stay:
        notify(up.Subject.ALARM_ASSIGNMENT, up.Recipient.ALARM_GROUP, stay="vistelse-1")
    assert "vistelse-1" not in str(stay.value)
    with pytest.raises(InvalidInput, match="recorded with HandOver"):
        notify(up.Subject.HANDOVER, up.Recipient.PROVIDER)
    with pytest.raises(InvalidInput, match="stay must name the hospital stay"):
        up.Situation(occasion=up.Occasion.ADMITTED, at=T0, held=[HOME_CARE])
    with pytest.raises(InvalidInput, match="names its provider"):
        up.Situation(occasion=up.Occasion.ASSIGNMENT_SENT, at=T0, interventions=[HOME_CARE])
    with pytest.raises(InvalidInput, match="discharge_at"):
        up.Situation(occasion=up.Occasion.DISCHARGE_ANNOUNCED, at=T0, stay="vistelse-1")


# --------------------------------------------------------------------------- who tells whom


def situations() -> Iterable[up.Situation]:
    """Every combination of the rules' inputs, for each occasion."""
    kinds = (HOME_CARE, ALARM, DAY)
    subsets = [
        tuple(c) for size in range(len(kinds) + 1) for c in itertools.combinations(kinds, size)
    ]
    moments = (T0, FRIDAY_AFTERNOON, datetime(2026, 1, 13, 23, 30, tzinfo=SE))
    providers = (NORR, PRIVATE)
    for now, before, new, provider, moment, previous in itertools.product(
        [s for s in subsets if s],
        [s for s in subsets if DAY not in s],
        (False, True),
        providers,
        moments,
        (None, NORR, SOUTH),
    ):
        held = tuple(i for i in up.Intervention if i in now or i in before)
        yield up.Situation(
            occasion=up.Occasion.ASSIGNMENT_SENT,
            at=moment,
            provider=provider,
            interventions=now,
            held_before=before,
            held=held,
            home_care_provider_before=previous if HOME_CARE in before else None,
            new_recipient=new,
        )
    for occasion, held, provider, moment in itertools.product(
        [o for o in up.Occasion if o is not up.Occasion.ASSIGNMENT_SENT],
        subsets,
        providers,
        moments,
    ):
        yield up.Situation(
            occasion=occasion,
            at=moment,
            provider=provider,
            held=held,
            stay="vistelse-1",
            discharge_at=moment + timedelta(days=1),
        )


Key = tuple[str, Role, up.Recipient, up.Subject, Channel | None]


def seed_names(situation: up.Situation) -> set[Key]:  # noqa: PLR0911 - one per occasion
    """What the routine's text names for a situation, written out once more from the seed."""
    assessor, provider, installer = Role.NEEDS_ASSESSOR, Role.PROVIDER, Role.ALARM_INSTALLER
    r, s, message = up.Recipient, up.Subject, Channel.SYSTEM_MESSAGE
    occasion, now, before, held = (
        situation.occasion,
        set(situation.interventions),
        set(situation.held_before),
        set(situation.held),
    )
    if occasion is up.Occasion.ASSIGNMENT_SENT:
        phone = Channel.TELEPHONE if situation.new_recipient else None
        names: set[Key] = {("UP-5", assessor, r.PROVIDER, s.HANDOVER, phone)}
        only_alarm_gets_care = before == {ALARM} and HOME_CARE in now
        if only_alarm_gets_care:
            names.add(("UP-6", assessor, r.ALARM_GROUP, s.CURRENT_PROVIDER, message))
        changed = HOME_CARE in now and situation.home_care_provider_before != situation.provider
        if {ALARM, HOME_CARE} <= held and (ALARM in now or changed) and not only_alarm_gets_care:
            names.add(("UP-10", assessor, r.ALARM_GROUP, s.CURRENT_PROVIDER, message))
        if ALARM in now:
            names.add(("UP-10", assessor, r.ALARM_GROUP, s.ALARM_ASSIGNMENT, message))
        return names
    if occasion is up.Occasion.DISCHARGE_ANNOUNCED:
        return {
            ("UP-13", assessor, r.PROVIDER, s.DISCHARGE, None),
            ("UP-13", assessor, r.NIGHT_PATROL, s.DISCHARGE, None),
        }
    if occasion is up.Occasion.ALARM_RETURNED:
        return {("UP-12", installer, r.NEEDS_ASSESSOR, s.ALARM_RETURNED, message)}
    if not held:
        return set()
    if occasion is up.Occasion.HOME_FROM_HOSPITAL:
        return {("UP-14", provider, r.NIGHT_PATROL, s.HOME_FROM_HOSPITAL, message)}
    if situation.at.hour >= 22 or situation.at.hour < 7:
        return {("UP-14", Role.NIGHT_PATROL, r.PROVIDER, s.ADMISSION, None)}
    return {("UP-14", provider, r.NIGHT_PATROL, s.ADMISSION, message)}


def keys(found_: Iterable[up.RequiredNotification]) -> list[Key]:
    return [(n.requirement, n.sender, n.recipient, n.subject, n.channel) for n in found_]


def test_up5_up6_up10_up12_up13_up14_the_notifications_over_every_combination() -> None:
    """UP-5, UP-6, UP-7, UP-10, UP-12, UP-13, UP-14: the table of every combination.

    For each occasion, the interventions sent, held before and after, a new recipient
    or not, a municipal or private provider, a weekday, a Friday afternoon and a night:
    exactly what the seed names, each once; the special contact path only on a
    handover or discharge message to the municipal home care before the weekend.
    """
    count = 0
    for situation in situations():
        found_ = up.required_notifications(situation)
        assert sorted(keys(found_), key=repr) == sorted(seed_names(situation), key=repr), situation
        assert len({n.key for n in found_}) == len(found_)
        for notification in found_:
            special = (
                notification.sender is Role.NEEDS_ASSESSOR
                and notification.recipient is up.Recipient.PROVIDER
                and situation.provider is NORR
                and situation.at == FRIDAY_AFTERNOON
                and (
                    situation.occasion is not up.Occasion.ASSIGNMENT_SENT
                    or bool({HOME_CARE, ALARM} & set(situation.interventions))
                )
            )
            assert notification.special_contact_path == special, (situation, notification)
            expected_stay = "vistelse-1" if notification.requirement in ("UP-13", "UP-14") else None
            assert notification.stay == expected_stay
        count += 1
    assert count == 7 * 4 * 2 * 2 * 3 * 3 + 4 * 8 * 2 * 3


@st.composite
def drawn_situations(draw: st.DrawFn) -> up.Situation:
    occasion = draw(st.sampled_from(up.Occasion))
    moment = draw(
        strategies_.aware_datetimes(
            min_value=datetime(2000, 1, 1, tzinfo=SE), max_value=datetime(2090, 1, 1, tzinfo=SE)
        )
    )
    some = st.lists(st.sampled_from(up.Intervention), unique=True, max_size=4).map(tuple)
    now = draw(some.filter(bool)) if occasion is up.Occasion.ASSIGNMENT_SENT else ()
    before = draw(some)
    held = tuple(i for i in up.Intervention if i in now or i in before)
    return up.Situation(
        occasion=occasion,
        at=moment,
        provider=draw(st.sampled_from([NORR, SOUTH, PRIVATE])),
        interventions=now,
        held_before=before,
        held=held,
        home_care_provider_before=draw(st.sampled_from([None, NORR, SOUTH, PRIVATE])),
        new_recipient=draw(st.booleans()),
        stay=draw(st.sampled_from(["vistelse-1", "vistelse-2"])),
        discharge_at=moment + timedelta(hours=draw(st.integers(1, 200))),
    )


@settings(max_examples=300, deadline=None)
@given(drawn_situations())
def test_up14_every_situation_yields_at_least_the_seeds_notifications_none_twice(
    situation: up.Situation,
) -> None:
    """UP-5…UP-14: at least the seed's notifications, none twice; each due after it happens.

    A channel the routine names is a system message or (UP-5, new recipient) the
    telephone; a hospital notification names its stay, another none.
    """
    found_ = up.required_notifications(situation)
    assert seed_names(situation) <= set(keys(found_))
    assert len({n.key for n in found_}) == len(found_)
    for notification in found_:
        assert notification.due.due.timestamp() > situation.at.timestamp() or (
            notification.due.day is not None
            and notification.due.day >= situation.at.astimezone(SE).date()
        )
        assert notification.channel in (None, Channel.SYSTEM_MESSAGE, Channel.TELEPHONE)
        assert notification.explain("sv").endswith(f"({notification.requirement}).")
        assert (notification.stay is not None) == (notification.requirement in ("UP-13", "UP-14"))
    with pytest.raises(InvalidInput, match="situation must be a Situation"):
        up.required_notifications("a situation")  # type: ignore[arg-type]


def test_up13_up14_the_table_opens_exactly_the_notifications_of_the_function() -> None:
    """UP-6, UP-10, UP-13, UP-14: each step's message duties are required_notifications of
    the situation the step makes: one per recipient, by the same sender and channel."""
    steps: list[Any] = [
        send(ALARM, granted_minutes=0, new_recipient=True),
        up.AlarmInstalled(case=CASE, at=at(1), actor=INSTALLER, installed_on=date(2026, 1, 13)),
        send(HOME_CARE, when=at(10)),
        send(HOME_CARE, provider=PRIVATE, when=at(11)),
        admit(datetime(2026, 1, 23, 23, 0, tzinfo=SE), actor=NIGHT),
        up.DischargeAnnounced(
            case=CASE, at=at(12), actor=ASSESSOR, stay="vistelse-1", discharge_at=at(13)
        ),
        up.HomeFromHospital(case=CASE, at=at(13), actor=PROVIDER, stay="vistelse-1"),
        up.AlarmReturned(case=CASE, at=at(14), actor=INSTALLER, reason=up.ReturnReason.DECLINED),
    ]
    state = up.initial_state
    for step in steps:
        situation = up.situation_of(state, step)
        opened_before = [a for a in up.required_actions(state) if a.kind is ActionKind.MESSAGE]
        state = run(step, state=state)
        opened_after = [a for a in up.required_actions(state) if a.kind is ActionKind.MESSAGE]
        new = [a for a in opened_after if a not in opened_before]
        expected = () if situation is None else up.required_notifications(situation)
        told = [(a.requirement, a.role, a.channel) for a in new if a.requirement != "UP-8"]
        assert sorted(told, key=repr) == sorted(
            ((n.requirement, n.sender, n.channel) for n in expected), key=repr
        ), step


# --------------------------------------------------------------------------- the whole


def test_x2_every_step_names_the_roles_of_the_routine() -> None:
    """X-2, UP-2, UP-8, UP-11, UP-14: who may take each step, as the routine assigns them."""
    matrix = UP.role_matrix()
    assert matrix[up.AssignmentSent] == {Role.NEEDS_ASSESSOR}
    assert matrix[up.TimeRecordingOrdered] == {Role.NEEDS_ASSESSOR}
    assert matrix[up.HandOver] == {Role.NEEDS_ASSESSOR}
    assert matrix[up.AssignmentReceiptConfirmed] == {Role.PROVIDER}
    assert matrix[up.InterventionExecuted] == {Role.PROVIDER}
    assert matrix[up.AlarmInstalled] == {Role.ALARM_INSTALLER}
    assert matrix[up.AlarmReturned] == {Role.ALARM_INSTALLER}
    assert matrix[up.NotificationSent] == {
        Role.NEEDS_ASSESSOR,
        Role.PROVIDER,
        Role.NIGHT_PATROL,
        Role.ALARM_INSTALLER,
    }
    with pytest.raises(NotPermitted):
        up.decide(send().__class__(**{**_fields(send()), "actor": PROVIDER}), up.initial_state)
    assert routines.get("UP") is UP


def _no() -> up.Situation:
    raise AssertionError("an assignment sent makes a situation")


def _fields(event: Any) -> dict[str, Any]:
    return {f.name: getattr(event, f.name) for f in attrs.fields(type(event)) if f.init}


def test_x5_the_whole_case_judged_as_known_then_and_closed() -> None:
    """X-5, UP-1: a whole case is judged as known at every moment; closing ends the duties."""
    events: list[Any] = []
    state = up.initial_state
    for step in (
        send(HOME_CARE, ALARM, new_recipient=True),
        hand_over(Channel.SYSTEM_MESSAGE, when=at(0, 1)),
        up.TimeRecordingOrdered(case=CASE, at=at(0, 2), actor=ASSESSOR, provider=NORR),
        confirm(at(3)),
        executed(HOME_CARE, date(2026, 1, 13), when=at(3, 1)),
        up.AssignmentClosed(case=CASE, at=at(20), actor=ASSESSOR),
    ):
        new = up.decide(step, state)
        events += new
        state = up.replay(new, state)
    assert up.is_terminal(state)
    assert up.required_actions(state) == ()
    check_judging(UP, events)
    kinds = {(d.requirement, d.kind) for d in up.deviations(state, as_of=at(30))}
    assert ("UP-5", DeviationKind.WRONG_CHANNEL) in kinds
    assert ("UP-8", DeviationKind.LATE) in kinds
    with pytest.raises((IllegalTransition, ForbiddenStep)):
        up.decide(send(when=at(21)), state)


@pytest.mark.slow
def test_x2_up_every_step_refuses_exactly_the_roles_the_table_does_not_name() -> None:
    """X-2: UP-1…UP-14, each step in every role: NotPermitted for the others."""
    assert check_role_matrix(UP, fields=ROLE_FIELDS, max_examples=2000) == UP.role_matrix()


TestAssignmentDispatch = machine_for(UP, fields=FIELDS).TestCase
TestAssignmentDispatch.settings = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    database=None,
    # A notification's recipient and stay are drawn apart from its subject, and most
    # pairs are bad input (NotificationSent refuses them): many draws are filtered.
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
pytest.mark.slow(TestAssignmentDispatch)  # run with -m slow

HISTORIES: Final = strategies_.histories(UP, max_size=20, fields=FIELDS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORIES)
def test_x5_a_drawn_up_history_is_judged_as_it_was_known_then(
    events: list[up.AssignmentDispatchEvent],
) -> None:
    """X-5, UP-2, UP-8, UP-14: at every moment that matters a drawn history is judged as
    known then (arendefordelning.testing.check_judging); every deviation is UP's."""
    check_judging(UP, events)
    state = UP.replay(events, strict=True)
    if events:
        later = events[-1].at + timedelta(days=400)
        assert all(d.requirement.startswith("UP-") for d in UP.deviations(state, as_of=later))


def test_up2_up5_the_example_prints_labels_actions_and_deviations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """UP-2, UP-5, UP-14: the example's case: a new recipient handed over by message only."""
    import runpy
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "assignment_dispatch.py"
    runpy.run_path(str(example), run_name="__main__")
    printed = capsys.readouterr().out
    assert "skicka uppdraget (biståndshandläggare)" in printed
    assert "Avvikelse, fel kanal: överrapportera alltid per telefon vid ny omsorgstagare" in printed
    assert "Nattpatrull" in printed
    assert "AssignmentSent" not in printed


# ------------------------------------------------- texts and edges (mutation testing)


def details(state: State, as_of: datetime, requirement: str) -> list[tuple[Any, ...]]:
    """Each deviation of ``requirement``: its kind, what is asked and what happened, sv and en."""
    return [
        (d.kind, d.sv, d.en, d.detail_sv, d.detail_en)
        for d in up.deviations(state, as_of=as_of)
        if d.requirement == requirement
    ]


def test_up10_an_alarm_on_a_private_provider_says_so_in_both_languages() -> None:
    """UP-10: the WRONG_PROVIDER finding, word for word, in Swedish and English."""
    private = run(send(ALARM, provider=PRIVATE, granted_minutes=0))
    assert details(private, at(0, 2), "UP-10") == [
        (
            up.WRONG_PROVIDER,
            "registrera trygghetslarmet på hemtjänsten i egen regi",
            "register the safety alarm on the municipal home care",
            "registrerat på en privat utförare",
            "registered on a private provider",
        )
    ]


def test_up2_an_order_not_required_says_why_in_both_languages() -> None:
    """UP-2: the NOT_REQUIRED finding names what the assignment holds, sv and en."""
    state = run(
        send(DAY, TRANSPORT),
        up.TimeRecordingOrdered(case=CASE, at=at(0, 1), actor=ASSESSOR, provider=NORR),
    )
    assert details(state, at(2), "UP-2") == [
        (
            DeviationKind.NOT_REQUIRED,
            "beställ aldrig dagverksamhet eller turbundna resor i Phoniro",
            "never order day activity or scheduled transport in the time-recording system",
            "uppdraget har bara dagverksamhet och/eller turbundna resor",
            "the assignment holds only day activity and/or scheduled transport",
        )
    ]


def test_up5_a_new_recipient_handed_over_by_message_says_telephone_in_both_languages() -> None:
    """UP-5: the WRONG_CHANNEL finding for a new care recipient, word for word."""
    state = run(send(new_recipient=True), hand_over(Channel.SYSTEM_MESSAGE, when=at(0, 1)))
    assert details(state, at(2), "UP-5") == [
        (
            DeviationKind.WRONG_CHANNEL,
            "överrapportera alltid per telefon vid ny omsorgstagare",
            "always hand a new care recipient over by telephone",
            "ny omsorgstagare, inte per telefon",
            "a new care recipient, not by telephone",
        )
    ]


def test_up9_a_late_registration_says_when_it_started_and_was_registered() -> None:
    """UP-9: the LATE finding gives the start and the registration, sv and en."""
    state = run(send(), executed(HOME_CARE, date(2026, 1, 13), when=at(4)))
    (late,) = [d for d in up.deviations(state, as_of=at(5)) if d.requirement == "UP-9"]
    assert (late.kind, late.due_on, late.happened_on) == (
        DeviationKind.LATE,
        date(2026, 1, 13),
        date(2026, 1, 13),
    )
    assert (late.detail_sv, late.detail_en) == (
        "startade 2026-01-13, verkställd 2026-01-16 09:00",
        "started 2026-01-13, registered as executed 2026-01-16 09:00",
    )


def test_up7_a_handover_keeps_when_it_was_recorded() -> None:
    """UP-7, X-5: the handover's event keeps the time its command was recorded."""
    command = attrs.evolve(hand_over(Channel.TELEPHONE, when=at(0, 1)), recorded_at=at(0, 3))
    (event,) = up.decide(command, run(send()))
    assert isinstance(event, up.HandedOver)
    assert (event.at, event.recorded_at) == (at(0, 1), at(0, 3))


def test_up7_a_municipal_assignment_without_home_care_takes_no_special_contact_path() -> None:
    """UP-7: only the municipal home care (home care or an alarm) is handed over specially.

    Given a municipal provider's assignment of day activity only, when it is handed
    over on a Friday afternoon, then the special contact path is not flagged.
    """
    handover = hand_over(Channel.TELEPHONE, when=FRIDAY_AFTERNOON)
    state = run(send(DAY, when=FRIDAY_AFTERNOON), handover)
    assert not state.handovers[-1].special_contact_path
    home_care = run(send(when=FRIDAY_AFTERNOON), handover)
    assert home_care.handovers[-1].special_contact_path


def test_up13_up14_each_hospital_notice_is_due_by_its_own_rule_in_words() -> None:
    """UP-13, UP-14: before the discharge, before the night begins, before it ends.

    Given a discharge announced for two days on, an admission at 09:00 and one at
    23:00, when the notifications are asked, then the discharge's are due at the
    discharge, the provider's telling the night patrol of the day's admission at 22:00
    and the night patrol's telling the provider of the night's at 07:00 the next
    morning, each worded as its rule, in Swedish and English.
    """
    discharge = up.Situation(
        occasion=up.Occasion.DISCHARGE_ANNOUNCED, at=T0, stay="vistelse-1", provider=NORR,
        held=[HOME_CARE], discharge_at=at(2),
    )  # fmt: skip
    admitted = up.Situation(
        occasion=up.Occasion.ADMITTED, at=T0, stay="vistelse-1", provider=NORR, held=[HOME_CARE]
    )
    due = {
        (n.requirement, n.recipient): (n.due.due, n.due.rule_sv, n.due.rule_en)
        for situation in (discharge, admitted, attrs.evolve(admitted, at=at(0, 14)))
        for n in up.required_notifications(situation)
    }
    assert due == {
        ("UP-13", up.Recipient.PROVIDER): (at(2), "före utskrivningen", "before the discharge"),
        ("UP-13", up.Recipient.NIGHT_PATROL): (at(2), "före utskrivningen", "before the discharge"),
        ("UP-14", up.Recipient.NIGHT_PATROL): (
            datetime(2026, 1, 12, 22, 0, tzinfo=SE),
            "före nattens början (22:00)",
            "before the night begins (22:00)",
        ),
        ("UP-14", up.Recipient.PROVIDER): (
            datetime(2026, 1, 13, 7, 0, tzinfo=SE),
            "före nattens slut (07:00)",
            "before the night ends (07:00)",
        ),
    }


def test_up5_up10_x4_working_days_are_worded_by_the_policy() -> None:
    """UP-5, UP-10, X-4: the next working day and n working days, in Swedish and English."""
    policy = up.AssignmentDispatchPolicy(handover_within=1, inform_within=3)
    sent = up.Situation(
        occasion=up.Occasion.ASSIGNMENT_SENT, at=T0, provider=NORR, interventions=[HOME_CARE, ALARM]
    )
    words = {
        n.requirement: (n.due.day, n.due.rule_sv, n.due.rule_en)
        for n in up.required_notifications(sent, policy=policy)
    }
    assert words == {
        "UP-5": (date(2026, 1, 13), "senast nästa vardag", "by the end of the next working day"),
        "UP-10": (date(2026, 1, 15), "inom 3 vardagar", "within 3 working days"),
    }


def test_up7_a_notification_by_the_special_contact_path_says_so_in_both_languages() -> None:
    """UP-5, UP-7: the handover before a weekend is explained with LRU0005, sv and en."""
    sent = up.Situation(
        occasion=up.Occasion.ASSIGNMENT_SENT,
        at=FRIDAY_AFTERNOON,
        provider=NORR,
        interventions=[HOME_CARE],
    )
    (handover,) = up.required_notifications(sent)
    assert handover.special_contact_path
    assert handover.explain("sv") == (
        "Biståndshandläggare meddelar utföraren om överrapportering av uppdraget "
        "(särskild kontaktväg inför helg, LRU0005), senast 2026-01-16 (UP-5)."
    )
    assert handover.explain("en") == (
        "Needs assessor tells the provider of the handover of the assignment (the special "
        "contact path before a weekend or holiday, LRU0005), by 2026-01-16 (UP-5)."
    )


def test_up14_a_night_within_one_day_begins_at_its_start() -> None:
    """UP-14, X-4: a night of 00:00–06:00 holds 00:00 and 05:59, not 23:59 nor 06:00."""
    policy = up.AssignmentDispatchPolicy(night_starts=time(0), night_ends=time(6))
    moments = [time(23, 59), time(0, 0), time(5, 59), time(6, 0)]
    day = date(2026, 1, 13)
    night = [up.is_night(datetime.combine(day, m, SE), policy=policy) for m in moments]
    assert night == [False, True, True, False]


def test_up14_up7_bad_input_names_the_argument_and_what_is_accepted() -> None:
    """UP-7, UP-13, UP-14: each refusal names the argument and the type given, word for word."""
    naive = (
        "is a naive datetime (it has no time zone); give a timezone-aware datetime, for "
        "example with tzinfo=ZoneInfo('Europe/Stockholm')"
    )
    refusals: list[tuple[Any, str]] = [
        (lambda: up.is_night(datetime(2026, 1, 12, 23)), f"moment {naive}"),
        (lambda: up.special_contact_path(datetime(2026, 1, 16, 15)), f"moment {naive}"),
        (
            lambda: up.is_night(T0, policy="natt"),  # type: ignore[arg-type]
            "policy must be an AssignmentDispatchPolicy or None, not a value of type str",
        ),
        (
            lambda: up.required_notifications("a situation"),  # type: ignore[arg-type]
            "situation must be a Situation, not a value of type str",
        ),
        (
            lambda: up.situation_of("a state", None),  # type: ignore[arg-type]
            "state must be an AssignmentDispatchState, not a value of type str",
        ),
        (
            lambda: up.Situation(
                occasion=up.Occasion.ASSIGNMENT_SENT, at=T0, provider=NORR,
                interventions=[HOME_CARE], held_before="larm",
            ),
            "held_before must be an iterable of Intervention members (a tuple or list), "
            "not a value of type str",
        ),
        (
            lambda: up.Situation(
                occasion=up.Occasion.DISCHARGE_ANNOUNCED, at=T0, stay="vistelse-1",
                discharge_at=datetime(2026, 1, 14, 9),
            ),
            f"discharge_at {naive}",
        ),
    ]  # fmt: skip
    for call, message in refusals:
        with pytest.raises(InvalidInput) as refused:
            call()
        assert str(refused.value) == message
