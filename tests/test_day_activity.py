"""Routine DV's life: an assignment of day activity from receipt to the end (DV-1…DV-8).

Given/when/then examples per requirement, read from the routine's text; the role of
every step (X-2); DV-5's review due by the end of the next working day, as a required
action before it passes and as a deviation after (X-5); record, then judge: a late
review is recorded, a wrong role records nothing; the places the centres hold derived
from the record across cases and fed to the placement engine; the event log; the
testing kit on the table; property tests for the laws of the review's due time and
of the occupancy.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final, cast
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from arendefordelning import IllegalTransition, InvalidInput, NotPermitted, WorkCalendar, routines
from arendefordelning import strategies as strategies_
from arendefordelning.eventlog import dump_events, load_events
from arendefordelning.kernel import (
    ActionKind,
    Actor,
    AnomalyKind,
    DeviationKind,
    Event,
    Role,
    Severity,
)
from arendefordelning.routines import day_activity as dv
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines.placement import (
    CrossDistrictCause,
    CrossDistrictProposal,
    DayCentre,
    District,
    Location,
    Orientation,
    Weekday,
    place,
)
from arendefordelning.testing import check_judging, check_role_matrix, machine_for

SE: Final = ZoneInfo("Europe/Stockholm")
CASE: Final = "DV-2026-0007"
T0: Final = datetime(2026, 1, 12, 9, 0, tzinfo=SE)  # a Monday

SOCIAL_WORKER: Final = Actor("ss-4", Role.SOCIAL_WORKER)
ASSESSOR: Final = Actor("bh-2", Role.NEEDS_ASSESSOR)
RECEIVER: Final = Actor("ur-1", Role.ASSIGNMENT_RECEIVER)
STAND_IN: Final = Actor("dv-7", Role.ASSIGNMENT_RECEIVER)
SOUTH_RECEIVER: Final = Actor("ur-3", Role.ASSIGNMENT_RECEIVER)
UNIT_MANAGER: Final = Actor("ec-1", Role.UNIT_MANAGER)
CENTRE_STAFF: Final = Actor("dv-9", Role.STAFF_MEMBER)

NORR: Final = District("Norr", unit_manager="ec-1", receivers=("ur-1", "ur-2"), stand_ins=("dv-7",))
SODER: Final = District("Söder", unit_manager="ec-2", receivers=("ur-3", "ur-4"))

FIELDS: Final[dict[str, st.SearchStrategy[Any]]] = {"days": st.integers(1, 5)}
"""The kit's strategies for DV: the days granted are 1 to 5 (an int field's type says no more)."""

DV: Final = dv.DAY_ACTIVITY
DV_ROLES: Final = frozenset(role for roles in DV.role_matrix().values() for role in roles)

State = dv.DayActivityState


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


Request = dv.DayActivityEvent | dv.DayActivityCommand
"""What decide takes: a step's event, or one of DV-8's three commands."""


def run(*commands: Request, state: State = dv.initial_state) -> State:
    for command in commands:
        state = dv.replay(dv.decide(command, state), state)
    return state


def history(*commands: Request) -> list[dv.DayActivityEvent]:
    state = dv.initial_state
    events: list[dv.DayActivityEvent] = []
    for command in commands:
        new = dv.decide(command, state)
        events += new
        state = dv.replay(new, state)
    return events


def actions(state: State) -> list[tuple[str, Role]]:
    return [(a.requirement, a.role) for a in dv.required_actions(state)]


def send(
    case: str = CASE, when: datetime = T0, *, days: int = 2, district: str = "Norr"
) -> dv.AssignmentReceived:
    return dv.AssignmentReceived(
        case=case,
        at=when,
        actor=SOCIAL_WORKER,
        district=district,
        orientation=Orientation.DEMENTIA,
        days=days,
        queue_date=date(2026, 1, 5),
    )


def placed(
    case: str = CASE,
    when: datetime = T0,
    *,
    centre: str = "Solgården",
    weekdays: Sequence[Weekday] = (Weekday.MONDAY, Weekday.WEDNESDAY),
) -> list[Request]:
    """DV-1, DV-5, DV-7: received, reviewed within the hour, placed the next day."""
    return [
        send(case, when, days=len(weekdays)),
        dv.AssignmentReviewed(case=case, at=when + timedelta(hours=1), actor=RECEIVER),
        dv.AssignmentPlaced(
            case=case, at=when + timedelta(days=1), actor=RECEIVER, centre=centre,
            weekdays=weekdays,
        ),
    ]  # fmt: skip


# --------------------------------------------------------------------------- DV-1


def test_dv1_the_authority_sends_the_assignment_and_the_district_receives_it() -> None:
    """DV-1: received with orientation, days and queue date; review and distribution due."""
    state = run(send())
    assert (state.district, state.orientation, state.days, state.queue_date) == (
        "Norr",
        Orientation.DEMENTIA,
        2,
        date(2026, 1, 5),
    )
    assert state.stage is dv.Stage.RECEIVED
    assert actions(state) == [
        ("DV-5", Role.ASSIGNMENT_RECEIVER),
        ("DV-1", Role.ASSIGNMENT_RECEIVER),
    ]
    distribute = dv.required_actions(state)[1]
    assert distribute.explain().startswith(
        "Uppdragsmottagare: fördela uppdraget till en dagverksamhet i stadsområde Norr"
    )
    assessor = attrs.evolve(send(), actor=ASSESSOR)
    assert run(assessor).received_at == T0
    with pytest.raises(NotPermitted, match="'uppdragsmottagare'"):
        dv.decide(attrs.evolve(send(), actor=RECEIVER), dv.initial_state)


def test_dv1_bad_input_names_what_is_accepted_and_never_an_identity_number() -> None:
    """DV-1, X-7: days per week 1–5; identifiers without a personal identity number."""
    with pytest.raises(InvalidInput, match="from 1 to 5") as caught:
        send(days=6)
    assert "6" not in str(caught.value)  # no message repeats a number given
    with pytest.raises(InvalidInput, match="personal identity number") as leaked:
        send(district="19121212-1212")
    assert "1212" not in str(leaked.value)
    with pytest.raises(InvalidInput, match="at least one weekday"):
        dv.AssignmentPlaced(case=CASE, at=T0, actor=RECEIVER, centre="Solgården", weekdays=[])
    with pytest.raises(InvalidInput, match="each weekday once"):
        dv.AssignmentPlaced(
            case=CASE, at=T0, actor=RECEIVER, centre="Solgården",
            weekdays=[Weekday.MONDAY, dv.PlaceDay.MONDAY],
        )  # fmt: skip


def test_dv1_placing_before_the_assignment_is_received_makes_no_sense() -> None:
    """DV-1: the step is refused (IllegalTransition), naming what the state allows."""
    command = placed()[2]
    with pytest.raises(IllegalTransition, match="allowed in that state: AssignmentReceived"):
        dv.decide(command, dv.initial_state)


def test_dv1_starting_before_the_assignment_is_placed_makes_no_sense() -> None:
    """DV-1: the individual starts at the centre only once placed there."""
    state = run(*placed()[:2])
    start = dv.ActivityStarted(case=CASE, at=at(2), actor=CENTRE_STAFF)
    with pytest.raises(IllegalTransition, match="ActivityStarted is not allowed"):
        dv.decide(start, state)


def test_dv1_the_case_is_placed_started_and_ended_and_its_place_freed() -> None:
    """DV-1: the centre's staff receive the individual; ending closes the case."""
    state = run(*placed())
    assert state.stage is dv.Stage.PLACED
    assert state.weekdays == (dv.PlaceDay.MONDAY, dv.PlaceDay.WEDNESDAY)
    (start,) = dv.required_actions(state)
    assert (start.requirement, start.role) == ("DV-1", Role.STAFF_MEMBER)
    assert start.explain() == (
        "Medarbetare: ta emot den enskilde på Solgården och registrera starten (DV-1)."
    )
    state = run(dv.ActivityStarted(case=CASE, at=at(7), actor=CENTRE_STAFF), state=state)
    assert (state.stage, dv.required_actions(state)) == (dv.Stage.STARTED, ())
    assert state.holds_place
    state = run(
        dv.AssignmentEnded(case=CASE, at=at(90), actor=RECEIVER, reason="flyttat"), state=state
    )
    assert dv.is_terminal(state)
    assert state.stage is dv.Stage.ENDED
    assert not state.holds_place
    assert dv.allowed_commands(state) == frozenset()


def test_dv1_a_placement_on_more_weekdays_than_granted_is_refused_or_forbidden_in_a_log() -> None:
    """DV-1: refused, recording nothing; found in a log, it is a FORBIDDEN_STEP deviation."""
    state = run(*placed()[:2])
    too_many = dv.AssignmentPlaced(
        case=CASE, at=at(1), actor=RECEIVER, centre="Solgården",
        weekdays=[Weekday.MONDAY, Weekday.TUESDAY, Weekday.FRIDAY],
    )  # fmt: skip
    with pytest.raises(IllegalTransition, match=r"grants 2 days a week.*3 weekdays.*DV-1"):
        dv.decide(too_many, state)
    event = dv.AssignmentPlaced(
        case=CASE, at=at(1), actor=RECEIVER, centre="Solgården", weekdays=too_many.weekdays
    )
    log = [*history(*placed()[:2]), event]
    with pytest.raises(InvalidInput, match=r"event 2: .*exceeds it"):
        dv.replay(log)
    kept = dv.replay(log, strict=False)
    assert [a.kind for a in kept.anomalies] == [AnomalyKind.FORBIDDEN]
    (forbidden,) = dv.deviations(kept, as_of=at(2))
    assert (forbidden.requirement, forbidden.kind) == ("DV-1", DeviationKind.FORBIDDEN_STEP)


def test_dv1_an_assignment_may_end_before_it_is_placed() -> None:
    """DV-1: the authority ends a decision that was never placed; nothing is due after."""
    state = run(send(), dv.AssignmentEnded(case=CASE, at=at(0, 3), actor=SOCIAL_WORKER))
    assert dv.is_terminal(state)
    assert dv.required_actions(state) == ()
    assert dv.review_due_of(state) is None


# --------------------------------------------------------------------------- DV-2, DV-3, DV-4


def test_dv2_a_district_has_two_receivers_besides_the_unit_manager_and_only_they_distribute() -> (
    None
):
    """DV-2: fewer receivers is refused; check_staff refuses staff not of the district."""
    with pytest.raises(InvalidInput, match="at least 2 assignment receivers"):
        District("Väster", unit_manager="ec-3", receivers=("ur-5",))
    review = dv.AssignmentReviewed(case=CASE, at=at(1), actor=RECEIVER)
    dv.check_staff(review, NORR)
    with pytest.raises(NotPermitted, match="neither an assignment receiver of district Söder"):
        dv.check_staff(review, SODER)
    dv.check_staff(send(), SODER)  # the social worker is not the district's to check


def test_dv3_a_stand_in_is_recorded_with_the_receiver_stood_in_for() -> None:
    """DV-3: a day-centre staff member acts as receiver; the record says for whom."""
    review = dv.AssignmentReviewed(case=CASE, at=at(0, 2), actor=STAND_IN, stands_in_for="ur-1")
    (event,) = dv.decide(review, run(send()))
    assert (event.actor, event.stands_in_for) == (STAND_IN, "ur-1")
    state = run(send(), review)
    assert state.stand_ins == (
        dv.StandIn(step="review", actor="dv-7", stands_in_for="ur-1", at=at(0, 2)),
    )
    dv.check_staff(review, NORR)
    with pytest.raises(NotPermitted, match="must name, in stands_in_for"):
        dv.check_staff(attrs.evolve(review, stands_in_for=None), NORR)
    with pytest.raises(NotPermitted, match="must name, in stands_in_for"):
        dv.check_staff(attrs.evolve(review, stands_in_for="ur-3"), NORR)


def test_dv3_only_someone_in_the_receivers_role_stands_in_and_not_for_themselves() -> None:
    """DV-3: stands_in_for in another role, or naming the actor, is bad input."""
    with pytest.raises(InvalidInput, match="role of assignment receiver"):
        dv.AssignmentReviewed(case=CASE, at=T0, actor=CENTRE_STAFF, stands_in_for="ur-1")
    with pytest.raises(InvalidInput, match="not the actor"):
        dv.AssignmentReviewed(case=CASE, at=T0, actor=STAND_IN, stands_in_for="dv-7")
    with pytest.raises(InvalidInput, match="personal identity number"):
        dv.AssignmentReviewed(case=CASE, at=T0, actor=STAND_IN, stands_in_for="19121212-1212")


def test_dv4_no_place_gives_the_unit_manager_the_follow_up() -> None:
    """DV-4: the unit manager answers for distribution: a task when no place was found."""
    state = run(*placed()[:2], dv.NoPlaceRecorded(case=CASE, at=at(4), actor=RECEIVER))
    assert ("DV-4", Role.UNIT_MANAGER) in actions(state)
    follow_up = next(a for a in dv.required_actions(state) if a.requirement == "DV-4")
    assert follow_up.explain().startswith("Enhetschef: se till att ärendet fördelas")
    assert state.stage is dv.Stage.WAITING
    step = dv.DistributionFollowedUp(case=CASE, at=at(5), actor=UNIT_MANAGER)
    with pytest.raises(NotPermitted):
        dv.decide(attrs.evolve(step, actor=RECEIVER), state)
    dv.check_staff(step, NORR)
    with pytest.raises(NotPermitted, match="not the unit manager of district Söder"):
        dv.check_staff(step, SODER)
    state = run(step, state=state)
    assert ("DV-4", Role.UNIT_MANAGER) not in actions(state)
    assert ("DV-1", Role.ASSIGNMENT_RECEIVER) in actions(state)


def test_dv4_a_placement_ends_the_unit_managers_follow_up() -> None:
    """DV-4: once placed, the follow-up is no longer asked for."""
    commands = placed()
    no_place = dv.NoPlaceRecorded(case=CASE, at=at(0, 2), actor=RECEIVER)
    state = run(commands[0], commands[1], no_place, commands[2])
    assert [r for r, _ in actions(state)] == ["DV-1"]


# --------------------------------------------------------------------------- DV-5


def test_dv5_the_review_is_due_by_the_end_of_the_next_working_day() -> None:
    """DV-5: received Monday, due by the end of Tuesday (Wednesday 00:00 Stockholm)."""
    state = run(send())
    due = dv.review_due_of(state)
    assert due is not None
    assert (due.requirement, due.day) == ("DV-5", date(2026, 1, 13))
    assert due.due == datetime(2026, 1, 14, 0, 0, tzinfo=SE)
    assert due.explain() == (
        "Senast 2026-01-13 (DV-5): granskning senast nästa vardag från inkomsten 2026-01-12 09:00."
    )
    review = dv.required_actions(state)[0]
    assert review.explain() == (
        "Uppdragsmottagare: granska det inkomna uppdraget i stadsområde Norr, senast 2026-01-13 "
        "(DV-5)."
    )
    assert dv.deviations(state, as_of=datetime(2026, 1, 13, 23, 59, tzinfo=SE)) == []


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        (datetime(2026, 1, 16, 15, 0, tzinfo=SE), date(2026, 1, 19)),  # Friday → Monday
        (datetime(2026, 1, 17, 11, 0, tzinfo=SE), date(2026, 1, 19)),  # Saturday → Monday
        (datetime(2026, 4, 2, 10, 0, tzinfo=SE), date(2026, 4, 7)),  # Maundy Thursday → Easter
        (datetime(2026, 12, 23, 16, 0, tzinfo=SE), date(2026, 12, 28)),  # past Christmas
    ],
    ids=["friday", "saturday", "easter", "christmas"],
)
def test_dv5_the_next_working_day_skips_weekends_holidays_and_eves(
    received: datetime, due_day: date
) -> None:
    """DV-5, X-3: the Swedish working days (SFS 1930:173): eves and holidays are not."""
    due = dv.review_due(received)
    assert due.day == due_day
    assert due.due == datetime.combine(due_day + timedelta(days=1), datetime.min.time(), SE)


def test_dv5_a_late_review_is_recorded_and_judged_late() -> None:
    """DV-5, X-5: reviewed on Thursday, it is accepted, and deviations call it LATE."""
    late = at(3, 1)
    state = run(send(), dv.AssignmentReviewed(case=CASE, at=late, actor=RECEIVER))
    assert state.reviewed_at == late
    (deviation,) = dv.deviations(state, as_of=at(4))
    assert (deviation.requirement, deviation.kind, deviation.severity) == (
        "DV-5",
        DeviationKind.LATE,
        Severity.ERROR,
    )
    assert deviation.happened_at == late
    assert deviation.explain() == (
        "Avvikelse, för sent: granska det inkomna uppdraget i stadsområde Norr (senast "
        f"2026-01-13, skedde 2026-01-15 10:00); ärende {CASE}, DV-5."
    )


def test_dv5_a_review_that_never_came_is_missing_after_its_due_time() -> None:
    """DV-5, X-5: none by Wednesday 00:00 is MISSING; before that, a required action."""
    state = run(send())
    assert dv.deviations(state, as_of=datetime(2026, 1, 13, 23, 0, tzinfo=SE)) == []
    (missing,) = dv.deviations(state, as_of=datetime(2026, 1, 14, 0, 1, tzinfo=SE))
    assert (missing.requirement, missing.kind, missing.happened_at) == (
        "DV-5",
        DeviationKind.MISSING,
        None,
    )
    assert "har inte skett" in missing.explain()


def test_dv5_an_assignment_ended_unreviewed_after_its_due_time_stays_missing() -> None:
    """DV-5, X-5: ending the case on Friday does not erase that Tuesday's review never came.

    Ended before the review was due, nothing was owed any more: no deviation.
    """
    late_end = run(send(), dv.AssignmentEnded(case=CASE, at=at(4), actor=SOCIAL_WORKER))
    (missing,) = dv.deviations(late_end, as_of=at(10))
    assert (missing.requirement, missing.kind) == ("DV-5", DeviationKind.MISSING)
    early_end = run(send(), dv.AssignmentEnded(case=CASE, at=at(0, 3), actor=SOCIAL_WORKER))
    assert dv.deviations(early_end, as_of=at(10)) == []


def test_dv5_placing_clarifying_or_offering_elsewhere_reviews_the_assignment_too() -> None:
    """DV-5: a receiver who placed it, asked about it or offered a place elsewhere reviewed it."""
    offer = dv.ProposeOtherDistrict(
        case=CASE, at=at(0, 4), actor=RECEIVER, district="Söder", cause=CrossDistrictCause.WISH
    )
    ask = dv.ClarificationAsked(
        case=CASE, at=at(0, 4), actor=RECEIVER, contacted=dv.Contacted.RELATIVES
    )
    place_now = attrs.evolve(placed()[2], at=at(0, 4))
    for step in (offer, ask, place_now):
        state = run(send(), step)
        assert dv.review_due_of(state) is None
        assert dv.deviations(state, as_of=at(30)) == []


def test_dv5_x4_the_policy_sets_the_working_days_and_is_judged_when_in_force() -> None:
    """DV-5, X-4: a same-day review is a policy; revisions apply from their dates."""
    same_day = dv.DayActivityPolicy(review_within=0)
    friday = datetime(2026, 1, 16, 15, 0, tzinfo=SE)
    assert dv.review_due(friday, policy=same_day).day == date(2026, 1, 16)
    saturday = datetime(2026, 1, 17, 15, 0, tzinfo=SE)
    assert dv.review_due(saturday, policy=same_day).day == date(2026, 1, 19)
    two = dv.DayActivityPolicy(review_within=2)
    assert dv.review_due(friday, policy=two).rule_sv == "granskning inom 2 vardagar"
    assert dv.review_due(friday, policy=two).day == date(2026, 1, 20)
    with pytest.raises(InvalidInput, match=r"from 0 .* to 30"):
        dv.DayActivityPolicy(review_within=31)
    old = dv.DayActivityPolicy(valid_until=date(2026, 1, 13))
    new = dv.DayActivityPolicy(valid_from=date(2026, 1, 14), review_within=0)
    state = run(send())  # received on Monday, under the old revision
    reviewed = run(dv.AssignmentReviewed(case=CASE, at=at(1, 5), actor=RECEIVER), state=state)
    assert dv.deviations(reviewed, as_of=at(2), policy=[old, new]) == []
    assert dv.deviations(reviewed, as_of=at(2), policy=same_day)[0].kind is DeviationKind.LATE


# ------------------------------------------------------------------ DV-5, judged as known then


def test_dv5_a_missed_review_stays_a_deviation_whatever_is_recorded_later() -> None:
    """DV-5, X-5: a review recorded after its due time never erases that it was missed.

    Given an assignment received on Monday, when a review that happened on Tuesday is
    recorded only on Thursday and the case is placed on Friday, then as of Wednesday
    (as the record stood) the review is MISSING, and from Thursday on it is LATE,
    naming when it was recorded; judged on the whole history or on what was recorded
    by then, the answer is the same.
    """
    tuesday, thursday = at(1, 1), at(3)
    events = history(
        send(),
        dv.AssignmentReviewed(case=CASE, at=tuesday, recorded_at=thursday, actor=RECEIVER),
        dv.AssignmentPlaced(
            case=CASE, at=at(4), actor=RECEIVER, centre="Solgården",
            weekdays=(Weekday.MONDAY, Weekday.TUESDAY),
        ),
    )  # fmt: skip
    state = dv.replay(events)
    wednesday = datetime(2026, 1, 14, 12, 0, tzinfo=SE)
    (missing,) = dv.deviations(state, as_of=wednesday)
    assert (missing.requirement, missing.kind, missing.due_on) == (
        "DV-5",
        DeviationKind.MISSING,
        date(2026, 1, 13),
    )
    assert dv.deviations_of(events, as_of=wednesday) == [missing]
    for later in (thursday, at(5), at(400)):
        (late,) = dv.deviations(state, as_of=later)
        assert (late.kind, late.happened_at, late.recorded_at) == (
            DeviationKind.LATE,
            tuesday,
            thursday,
        )
        assert (late.sv, late.due) == (missing.sv, missing.due)
        assert dv.deviations_of(events, as_of=later) == [late]
    assert "dokumenterades 2026-01-15 09:00" in late.explain()


@pytest.mark.parametrize(
    "received",
    [datetime(2199, 12, 30, 15, 0, tzinfo=SE), datetime(1974, 12, 30, 15, 0, tzinfo=SE)],
    ids=["last-year", "before-the-calendar"],
)
def test_dv5_an_assignment_received_at_the_calendars_ends_cannot_be_judged_and_nothing_raises(
    received: datetime,
) -> None:
    """DV-5, X-5: given a receipt whose next working day the calendar cannot count.

    When it is recorded (decide accepts it) and judged at any moment, then DV-5 is a
    CANNOT_BE_JUDGED finding, never an exception; the required action has no due time
    and review_due_of gives none; only review_due, asked directly, refuses the day.
    """
    events = history(send(when=received))
    state = dv.replay(events)
    later = received + timedelta(days=30)
    (finding,) = dv.deviations(state, as_of=later)
    assert (finding.requirement, finding.kind, finding.due) == (
        "DV-5",
        DeviationKind.CANNOT_BE_JUDGED,
        None,
    )
    assert "the due time cannot be computed" in finding.explain("en")
    assert dv.deviations_of(events, as_of=later) == [finding]
    review, distribute = dv.required_actions(state)
    assert (review.requirement, review.due, distribute.requirement) == ("DV-5", None, "DV-1")
    assert dv.review_due_of(state) is None
    for extreme in (
        datetime.max.replace(tzinfo=ZoneInfo("UTC")),
        datetime.min.replace(tzinfo=SE),
        datetime(9999, 12, 31, 23, 30, tzinfo=SE),
    ):
        dv.deviations(state, as_of=extreme)  # any aware moment is judged
    with pytest.raises(InvalidInput, match="calendar covers"):
        dv.review_due(received)


def test_dv5_dv8_each_districts_review_is_judged_by_its_own_opening() -> None:
    """DV-5, DV-8, X-5: deviation and action texts read the step that opened them.

    Given an assignment received in Norr on Monday and first handled on Thursday (a
    place offered in Söder), when it is sent to Söder on Friday and Söder does not
    review it by the end of Monday, then two DV-5 deviations each name their own
    district, the Norr one as it read before the transfer; the distribution asked
    for is Söder's, and Norr's ended with the transfer.
    """
    norr_handled = at(3)
    events = history(
        send(),
        dv.ProposeOtherDistrict(
            case=CASE, at=norr_handled, actor=RECEIVER, district="Söder",
            cause=CrossDistrictCause.NO_PLACE,
        ),
        dv.SendToOtherDistrict(case=CASE, at=at(4), actor=SOCIAL_WORKER),
    )  # fmt: skip
    before = dv.replay(events[:2])
    (norr,) = dv.deviations(before, as_of=at(4))
    assert norr.sv == "granska det inkomna uppdraget i stadsområde Norr"
    state = dv.replay(events)
    tuesday = datetime(2026, 1, 20, 12, 0, tzinfo=SE)
    found = dv.deviations(state, as_of=tuesday)
    assert found[0] == norr
    assert [(d.kind, d.en) for d in found] == [
        (DeviationKind.LATE, "review the incoming assignment in the city district Norr"),
        (DeviationKind.MISSING, "review the incoming assignment in the city district Söder"),
    ]
    assert (norr.happened_at, found[1].due_on) == (norr_handled, date(2026, 1, 19))
    texts = [action.en for action in dv.required_actions(state)]
    assert any(
        "distribute the assignment to a day centre of the city district Söder" in t for t in texts
    )
    assert not any("Norr" in text for text in texts)


def test_dv5_dv8_a_transfer_and_the_new_review_logged_at_the_same_minute_fold_in_any_order() -> (
    None
):
    """DV-5, DV-8, X-1: steps logged at one instant fold as the case explains them.

    Given a log to the minute where the assignment is sent to Söder and Söder
    reviews it at the same minute (the review made takeable again by the transfer),
    when the record is folded in either order, then the review meets Söder's
    obligation, as a replay in recording order does, and nothing is missing.
    """
    minute = at(3)
    events = history(
        *offered(),
        dv.SendToOtherDistrict(case=CASE, at=minute, actor=SOCIAL_WORKER),
        dv.AssignmentReviewed(case=CASE, at=minute, actor=SOUTH_RECEIVER),
    )
    replayed = dv.replay(events)
    for record in (events, events[::-1]):
        folded = DV.fold(record)
        assert (folded[CASE], folded.anomalies) == (replayed, ())
    assert dv.deviations_of(events, as_of=at(30)) == dv.deviations(replayed, as_of=at(30)) == []
    check_judging(DV, events)


def test_dv8_an_imported_offer_in_the_own_district_is_refused_or_judged_by_the_same_rule() -> None:
    """DV-8, X-5: the rule decide applies is the one a lenient replay of a log judges by.

    Given a log from another system holding an offer of a place in the case's own
    district, then a strict replay refuses it and a lenient one folds it and reports
    a FORBIDDEN_STEP deviation worded by the rule.
    """
    own = dv.OtherDistrictProposed(
        case=CASE, at=at(1), actor=RECEIVER, from_district="Norr", district="Norr",
        cause=CrossDistrictCause.WISH,
    )  # fmt: skip
    log = [*history(send()), own]
    with pytest.raises(InvalidInput, match=r"event 1: .*another district than the case's own"):
        dv.replay(log)
    state = dv.replay(log, strict=False)
    assert [a.kind for a in state.anomalies] == [AnomalyKind.FORBIDDEN]
    (forbidden,) = dv.deviations(state, as_of=at(1, 1))
    assert (forbidden.requirement, forbidden.kind, forbidden.sv) == (
        "DV-8",
        DeviationKind.FORBIDDEN_STEP,
        "erbjud plats i ett annat stadsområde än ärendets eget",
    )


# --------------------------------------------------------------------------- DV-6


def test_dv6_an_assignment_awaiting_clarification_stays_outside_the_placement() -> None:
    """DV-6: asking waits; placing is refused, and the engine defers the request."""
    ask = dv.ClarificationAsked(case=CASE, at=at(0, 2), actor=RECEIVER, contacted=dv.Contacted.BOTH)
    state = run(send(), ask)
    assert state.stage is dv.Stage.AWAITING_CLARIFICATION
    assert actions(state) == [("DV-6", Role.ASSIGNMENT_RECEIVER)]
    with pytest.raises(IllegalTransition, match=r"awaits clarification.*DV-6"):
        dv.decide(attrs.evolve(placed()[2], at=at(0, 3)), state)
    with pytest.raises(IllegalTransition, match="not allowed again"):
        dv.decide(dv.AssignmentReviewed(case=CASE, at=at(2), actor=RECEIVER), run(*placed()))
    request = dv.request_of(state)
    assert request.awaiting_clarification
    plan = place([request], [solgarden()])
    assert [outcome.request for outcome in plan.deferred] == [CASE]
    clarified = run(dv.AssignmentClarified(case=CASE, at=at(2), actor=RECEIVER), state=state)
    assert not clarified.awaiting_clarification
    assert actions(clarified) == [("DV-1", Role.ASSIGNMENT_RECEIVER)]
    assert place([dv.request_of(clarified)], [solgarden()]).placements[0].request == CASE
    assert run(attrs.evolve(placed()[2], at=at(3)), state=clarified).centre == "Solgården"


# --------------------------------------------------------------------------- DV-7


def solgarden(places: int = 2) -> DayCentre:
    return DayCentre(
        id="Solgården", district=NORR, orientation=Orientation.DEMENTIA, places=places,
        location=Location(59.3467, 18.0569),
    )  # fmt: skip


def test_dv7_a_placement_on_fewer_weekdays_than_granted_is_recorded_and_flagged() -> None:
    """DV-7 (c): a vacant place on the days granted; fewer is recorded and INCOMPLETE."""
    commands = placed()
    commands[2] = dv.AssignmentPlaced(
        case=CASE, at=at(1), actor=RECEIVER, centre="Solgården", weekdays=(dv.PlaceDay.FRIDAY,)
    )
    state = run(*commands)
    assert state.weekdays == (dv.PlaceDay.FRIDAY,)
    (flagged,) = dv.deviations(state, as_of=at(2))
    assert (flagged.requirement, flagged.kind) == ("DV-7", DeviationKind.INCOMPLETE)
    assert "som beviljats (2), inte 1" in flagged.explain()


def test_dv7_the_engines_placement_is_recorded_as_it_decided() -> None:
    """DV-1, DV-7: AssignmentPlaced.of records the plan's centre and weekdays."""
    state = run(*placed()[:2])
    plan = place([dv.request_of(state, wished_weekdays={Weekday.FRIDAY})], [solgarden()])
    (placement,) = plan.placements
    command = dv.AssignmentPlaced.of(placement, at=at(1), actor=STAND_IN, stands_in_for="ur-1")
    state = run(command, state=state)
    assert state.centre == "Solgården"
    assert tuple(day.weekday for day in state.weekdays) == placement.days
    assert state.stand_ins[0].step == "place"
    with pytest.raises(InvalidInput, match="placement must be a Placement"):
        dv.AssignmentPlaced.of(plan, at=at(1), actor=RECEIVER)  # type: ignore[arg-type]


def test_dv7_place_days_are_the_engines_weekdays() -> None:
    """DV-7 (c): the record's Swedish weekdays and the engine's are one to one."""
    assert [day.weekday for day in dv.PlaceDay] == list(Weekday)
    assert [dv.PlaceDay.of(day) for day in Weekday] == list(dv.PlaceDay)
    assert [day.value for day in dv.PlaceDay] == [day.swedish for day in Weekday]
    with pytest.raises(InvalidInput, match="Weekday or a PlaceDay"):
        dv.PlaceDay.of("måndag")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- DV-8


def offered() -> list[Request]:
    """DV-8: received and reviewed in Norr; a place offered at Lönnen in Söder."""
    return [
        send(),
        dv.AssignmentReviewed(case=CASE, at=at(0, 1), actor=RECEIVER),
        dv.ProposeOtherDistrict(
            case=CASE, at=at(1), actor=RECEIVER, district="Söder", centre="Lönnen",
            cause=CrossDistrictCause.NO_PLACE,
        ),
    ]  # fmt: skip


def test_dv8_the_receivers_offer_a_place_elsewhere_and_ask_the_social_worker() -> None:
    """DV-8: the offer asks the receivers to message the social worker, then the worker acts."""
    state = run(*offered())
    assert state.stage is dv.Stage.PROPOSED_ELSEWHERE
    (message,) = dv.required_actions(state)
    assert (message.requirement, message.kind, message.recipient) == (
        "DV-8",
        ActionKind.MESSAGE,
        "socialsekreterare",
    )
    assert message.explain() == (
        "Uppdragsmottagare: meddela socialsekreteraren att skicka uppdraget till "
        "stadsområde Söder (DV-8)."
    )
    state = run(dv.AskSocialWorkerToSend(case=CASE, at=at(1, 2), actor=RECEIVER), state=state)
    (task,) = dv.required_actions(state)
    assert (task.requirement, task.role) == ("DV-8", Role.SOCIAL_WORKER)
    assert "skicka uppdraget till stadsområde Söder" in task.explain()


def test_dv8_sent_over_the_new_district_reviews_and_places_as_usual() -> None:
    """DV-8, DV-5: after sending, the new district's review is due from the arrival."""
    state = run(
        *offered(),
        dv.AskSocialWorkerToSend(case=CASE, at=at(1, 2), actor=RECEIVER),
        dv.SendToOtherDistrict(case=CASE, at=at(4), actor=SOCIAL_WORKER),  # a Friday
    )
    assert (state.district, state.sent_from, state.stage) == ("Söder", ("Norr",), dv.Stage.RECEIVED)
    assert actions(state) == [
        ("DV-1", Role.ASSIGNMENT_RECEIVER),
        ("DV-5", Role.ASSIGNMENT_RECEIVER),
    ]
    due = dv.review_due_of(state)
    assert due is not None
    assert (due.day, due.since_en) == (date(2026, 1, 19), "the arrival in the district")
    assert "stadsområde Söder" in dv.required_actions(state)[0].explain()
    state = run(
        dv.AssignmentReviewed(case=CASE, at=at(7), actor=SOUTH_RECEIVER),
        dv.AssignmentPlaced(
            case=CASE, at=at(7, 1), actor=SOUTH_RECEIVER, centre="Lönnen",
            weekdays=[Weekday.TUESDAY, Weekday.THURSDAY],
        ),
        state=state,
    )  # fmt: skip
    assert (state.centre, state.district) == ("Lönnen", "Söder")
    assert dv.deviations(state, as_of=at(8)) == []


def test_dv8_an_offer_names_another_district_and_may_come_from_the_engine() -> None:
    """DV-8: the own district is refused; the engine's proposal is recorded as it is."""
    state = run(*offered()[:2])
    own = dv.ProposeOtherDistrict(
        case=CASE, at=at(1), actor=RECEIVER, district="Norr", cause=CrossDistrictCause.WISH
    )
    with pytest.raises(InvalidInput, match="another district than the case's own"):
        dv.decide(own, state)
    lonnen = DayCentre(
        id="Lönnen", district=SODER, orientation=Orientation.DEMENTIA, places=3,
        location=Location(59.3081, 18.0770),
    )  # fmt: skip
    plan = place([dv.request_of(state)], [solgarden(), lonnen], occupancy={"Solgården": 2})
    (proposal,) = plan.proposals
    assert isinstance(proposal, CrossDistrictProposal)
    state = run(dv.ProposeOtherDistrict.of(proposal, at=at(1), actor=RECEIVER), state=state)
    assert (state.proposed_district, state.proposed_centre) == ("Söder", "Lönnen")


def test_dv8_placing_at_home_after_all_ends_the_offer() -> None:
    """DV-8: a place found in the district after all: no message to the social worker."""
    state = run(*offered(), attrs.evolve(placed()[2], at=at(2)))
    assert actions(state) == [("DV-1", Role.STAFF_MEMBER)]
    assert state.proposed_district is None


# --------------------------------------------------------------------------- record, then judge


def test_x2_placing_in_a_wrong_role_is_refused_and_records_nothing() -> None:
    """X-2: the social worker does not place; decide and handle raise, the state is as it was."""
    state = run(*placed()[:2])
    wrong = attrs.evolve(placed()[2], actor=SOCIAL_WORKER)
    with pytest.raises(NotPermitted, match="roles allowed: uppdragsmottagare"):
        dv.decide(wrong, state)
    with pytest.raises(NotPermitted):
        DV.handle(wrong, state)
    assert state == run(*placed()[:2])
    assert not state.holds_place


def test_x2_a_wrong_role_in_a_replayed_log_is_a_deviation() -> None:
    """X-2, X-5: a log holding a placement by the unit manager: folded, and WRONG_ROLE."""
    log = history(*placed()[:2])
    log.append(
        dv.AssignmentPlaced(
            case=CASE, at=at(1), actor=UNIT_MANAGER, centre="Solgården",
            weekdays=(dv.PlaceDay.MONDAY, dv.PlaceDay.TUESDAY),
        )
    )  # fmt: skip
    with pytest.raises(InvalidInput, match=r"event 2: .*role 'enhetschef'"):
        dv.replay(log)
    state = dv.replay(log, strict=False)
    assert state.centre == "Solgården"
    (wrong,) = dv.deviations(state, as_of=at(2))
    assert (wrong.kind, wrong.requirement) == (DeviationKind.WRONG_ROLE, "X-2")


def test_x1_a_lenient_replay_keeps_what_it_cannot_explain() -> None:
    """X-1: a start before any placement, and another case's event: anomalies, not folded."""
    log: list[dv.DayActivityEvent] = [
        *history(send()),
        dv.ActivityStarted(case=CASE, at=at(1), actor=CENTRE_STAFF),
        *history(send(case="DV-OTHER", when=at(2))),
    ]
    with pytest.raises(InvalidInput, match="event 1: ActivityStarted makes no sense"):
        dv.replay(log)
    state = dv.replay(log, strict=False)
    assert [a.kind for a in state.anomalies] == [AnomalyKind.IMPOSSIBLE, AnomalyKind.OTHER_CASE]
    assert state.started_at is None
    assert state.count == 3


def test_x1_the_events_decide_produced_replay_to_the_same_state_and_survive_the_log() -> None:
    """X-1: decide, replay, the event log (JSON Lines) and back give the same record."""
    events = history(
        *offered(),
        dv.AskSocialWorkerToSend(case=CASE, at=at(1, 2), actor=STAND_IN, stands_in_for="ur-2"),
        dv.SendToOtherDistrict(case=CASE, at=at(2), actor=ASSESSOR),
        dv.ClarificationAsked(
            case=CASE, at=at(3), actor=SOUTH_RECEIVER, contacted=dv.Contacted.INDIVIDUAL
        ),
        dv.AssignmentClarified(case=CASE, at=at(4), actor=SOUTH_RECEIVER),
        dv.NoPlaceRecorded(case=CASE, at=at(5), actor=SOUTH_RECEIVER),
        dv.DistributionFollowedUp(case=CASE, at=at(6), actor=Actor("ec-2", Role.UNIT_MANAGER)),
        dv.AssignmentPlaced(
            case=CASE, at=at(9), actor=SOUTH_RECEIVER, centre="Lönnen",
            weekdays=[Weekday.MONDAY, Weekday.FRIDAY],
        ),
        dv.ActivityStarted(case=CASE, at=at(14), actor=CENTRE_STAFF),
        dv.AssignmentEnded(case=CASE, at=at(200), actor=SOCIAL_WORKER, reason="beslutet upphört"),
    )  # fmt: skip
    assert {type(event) for event in events} == set(dv.EVENTS)
    stream = io.StringIO()
    dump_events(events, stream)
    stream.seek(0)
    # load_events is typed for the earlier four-parameter Routine: its element type is lost.
    loaded = cast(list[dv.DayActivityEvent], list(load_events(stream, routine=DV)))
    assert loaded == events
    assert dv.replay(loaded) == dv.replay(events)
    assert '"stands_in_for": "ur-2"' in stream.getvalue()
    assert '"weekdays": ["måndag", "fredag"]' in stream.getvalue()


def test_x5_someone_has_a_task_at_every_state_until_the_individual_starts() -> None:
    """X-5: from receipt to the start, a required action names who acts next."""
    state = dv.initial_state
    for command in [
        *offered(),
        dv.AskSocialWorkerToSend(case=CASE, at=at(1, 2), actor=RECEIVER),
        dv.SendToOtherDistrict(case=CASE, at=at(2), actor=SOCIAL_WORKER),
        dv.ClarificationAsked(
            case=CASE, at=at(3), actor=SOUTH_RECEIVER, contacted=dv.Contacted.INDIVIDUAL
        ),
        dv.AssignmentClarified(case=CASE, at=at(4), actor=SOUTH_RECEIVER),
        dv.NoPlaceRecorded(case=CASE, at=at(5), actor=SOUTH_RECEIVER),
        dv.AssignmentPlaced(
            case=CASE, at=at(9), actor=SOUTH_RECEIVER, centre="Lönnen", weekdays=[Weekday.MONDAY]
        ),
    ]:
        state = run(command, state=state)
        assert dv.required_actions(state), type(command).__name__


def test_x2_every_step_names_the_roles_of_the_routine() -> None:
    """X-2: who may do what, as the routine's text assigns the steps."""
    matrix = DV.role_matrix()
    receiver = {Role.ASSIGNMENT_RECEIVER}
    authority = {Role.SOCIAL_WORKER, Role.NEEDS_ASSESSOR}
    assert matrix[dv.AssignmentReceived] == authority
    assert matrix[dv.AssignmentReviewed] == receiver
    assert matrix[dv.ClarificationAsked] == receiver
    assert matrix[dv.AssignmentPlaced] == receiver
    assert matrix[dv.ProposeOtherDistrict] == receiver
    assert matrix[dv.SendToOtherDistrict] == authority
    assert matrix[dv.DistributionFollowedUp] == {Role.UNIT_MANAGER}
    assert matrix[dv.ActivityStarted] == {Role.ASSIGNMENT_RECEIVER, Role.STAFF_MEMBER}


def test_x1_dv8_alone_has_commands_every_other_step_is_requested_with_its_event() -> None:
    """X-1, DV-8: the event is the request, except where the routine completes the record.

    Only DV-8's three steps take a command (the routine adds the districts from the
    case); their events are refused as requests, naming the command to pass.
    """
    commanded = [step.request for step in DV.steps if step.command is not None]
    assert commanded == [dv.ProposeOtherDistrict, dv.AskSocialWorkerToSend, dv.SendToOtherDistrict]
    assert all(step.request is step.event for step in DV.steps if step.command is None)
    state = run(*offered()[:2])
    direct = dv.OtherDistrictProposed(
        case=CASE, at=at(1), actor=RECEIVER, from_district="Norr", district="Söder",
        cause=CrossDistrictCause.WISH,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="recorded through ProposeOtherDistrict"):
        dv.decide(direct, state)
    (event,) = dv.decide(offered()[2], state)
    assert isinstance(event, dv.OtherDistrictProposed)
    assert (event.from_district, event.district, event.centre) == ("Norr", "Söder", "Lönnen")


def test_x1_dv_is_registered_and_read_by_the_event_log() -> None:
    """X-1: routines.get('DV') is the table; the registry lists it."""
    assert routines.get("DV") is DV
    assert "DV" in routines.codes()
    assert DV.title == "Rutin för fördelning av ärenden i Treserva på dagverksamhet"


# --------------------------------------------------------------------------- across cases


def of_case(log: Sequence[Event], case: str) -> list[dv.DayActivityEvent]:
    return [e for e in log if isinstance(e, dv.DayActivityEvent) and e.case == case]


def test_dv1_dv7_the_places_held_are_derived_from_the_record_and_feed_the_engine() -> None:
    """DV-1, DV-7: placed and not ended cases hold their weekdays; place() takes it."""
    log: list[Event] = [
        *history(*placed("DV-1", T0)),
        *ov.decide(
            ov.DecisionMade(case="ÖV-1", at=T0, actor=SOCIAL_WORKER, intervention="samtal"),
            ov.initial_state,
        ),  # another routine's event: skipped
        *history(*placed("DV-2", at(1), weekdays=(Weekday.MONDAY, Weekday.TUESDAY))),
        *history(*placed("DV-3", at(2), weekdays=(Weekday.MONDAY,))),
        *history(send("DV-4", at(3))),  # waiting: holds nothing
    ]
    ended = dv.AssignmentEnded(case="DV-3", at=at(20), actor=RECEIVER)
    log += dv.decide(ended, dv.replay(of_case(log, "DV-3")))
    occupancy = dv.occupancy_of(log)
    assert occupancy == {"Solgården": (2, 1, 1, 0, 0)}
    assert dv.occupancy_of(log, as_of=at(4))["Solgården"] == (3, 1, 1, 0, 0)
    assert dv.occupancy_of(log, as_of=T0 - timedelta(seconds=1)) == {}
    waiting = dv.request_of(dv.replay(of_case(log, "DV-4")))
    plan = place([waiting], [solgarden(places=2)], occupancy=occupancy)
    (placement,) = plan.placements
    assert Weekday.MONDAY not in placement.days  # both of Monday's places are held
    assert plan.occupancy["Solgården"][0] == 2
    assert sum(plan.occupancy["Solgården"]) == sum(occupancy["Solgården"]) + 2


def test_dv1_only_a_case_waiting_for_a_place_is_a_request_and_the_record_gives_its_fields() -> None:
    """DV-1: request_of refuses a placed or new case and fields the record holds."""
    with pytest.raises(InvalidInput, match="only a case waiting for a place"):
        dv.request_of(run(*placed()))
    with pytest.raises(InvalidInput, match="only a case waiting for a place"):
        dv.request_of(dv.initial_state)
    with pytest.raises(InvalidInput, match="must not set days"):
        dv.request_of(run(send()), days=3)
    request = dv.request_of(run(send()), language="fi", needs={"musik"})
    assert (request.id, request.district, request.days, request.language) == (CASE, "Norr", 2, "fi")
    with pytest.raises(InvalidInput, match="events must be an iterable"):
        dv.occupancy_of("not events")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the testing kit


@pytest.mark.slow
def test_x2_dv_every_step_refuses_exactly_the_roles_the_table_does_not_name() -> None:
    """X-2: DV-1…DV-8, each step in every role: NotPermitted for the others, nothing recorded."""
    assert check_role_matrix(DV, fields=FIELDS) == DV.role_matrix()


TestDayActivity = machine_for(DV, fields=FIELDS).TestCase
TestDayActivity.settings = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    database=None,
)
pytest.mark.slow(TestDayActivity)  # run with -m slow

HISTORIES: Final = strategies_.histories(DV, max_size=25, fields=FIELDS)


@settings(max_examples=60, deadline=None)
@given(HISTORIES)
def test_x5_every_drawn_dv_history_replays_and_is_judged(
    events: list[dv.DayActivityEvent],
) -> None:
    """X-1, X-5: a drawn DV history replays strictly; its actions and deviations compute.

    Judged long after the latest step, every deviation is of routine DV and names a DV
    requirement, and an open review (DV-5) is then a deviation, not an action. Until
    the individual starts, someone always has a task.
    """
    state = DV.replay(events, strict=True)
    assert state.count == len(events)
    actions_now = DV.required_actions(state)
    assert {action.role for action in actions_now} <= DV_ROLES
    assert all(action.requirement.startswith("DV-") for action in actions_now)
    if state.received_at is not None and state.started_at is None and not dv.is_terminal(state):
        assert actions_now
    if not events:
        return
    later = events[-1].at + timedelta(days=400)
    found = DV.deviations(state, as_of=later)
    assert all(d.routine == "DV" and d.requirement.startswith("DV-") for d in found)
    missing = {d.requirement for d in found if d.kind is DeviationKind.MISSING}
    assert {a.requirement for a in actions_now if a.due is not None} <= missing
    assert (dv.review_due_of(state) is None) == all(a.due is None for a in actions_now)


@settings(max_examples=40, deadline=None)
@given(HISTORIES)
def test_x1_a_drawn_dv_history_comes_back_from_its_log(events: list[dv.DayActivityEvent]) -> None:
    """X-1: written as JSON Lines and read back for routine DV, a history is the same record."""
    stream = io.StringIO()
    dump_events(events, stream)
    stream.seek(0)
    # load_events is typed for the earlier four-parameter Routine: its element type is lost.
    loaded = cast(list[dv.DayActivityEvent], list(load_events(stream, routine=DV)))
    assert loaded == events
    assert DV.replay(loaded) == DV.replay(events)


@pytest.mark.parametrize(
    "kind",
    [
        dv.AssignmentSentToDistrict,
        dv.ActivityStarted,
        dv.AssignmentClarified,
        dv.DistributionFollowedUp,
    ],
    ids=lambda kind: kind.__name__,
)
def test_x1_drawn_dv_histories_reach_every_branch_of_the_life(kind: type[Event]) -> None:
    """X-1: the walk gets through DV-8's transfer, the start, DV-6 and DV-4's follow-up."""
    search = settings(database=None, phases=[Phase.generate], max_examples=3000, deadline=None)
    found = find(
        HISTORIES, lambda events: any(isinstance(e, kind) for e in events), settings=search
    )
    assert DV.replay(found, strict=True).count == len(found)


# --------------------------------------------------------------------------- laws


@settings(max_examples=200, deadline=None)
@given(
    strategies_.aware_datetimes(
        min_value=datetime(1980, 1, 1, tzinfo=SE), max_value=datetime(2190, 1, 1, tzinfo=SE)
    ),
    st.integers(0, 5),
)
def test_dv5_the_review_is_due_at_the_end_of_a_working_day_never_before_the_receipt(
    received: datetime, within: int
) -> None:
    """DV-5: the due day is a working day, after the day of receipt (on it, for 0 days).

    It is due at the Stockholm start of the next day; exactly ``within`` working days
    lie after the day of receipt up to it; a later receipt is never due earlier.
    """
    calendar = WorkCalendar.swedish()
    policy = dv.DayActivityPolicy(review_within=within)
    due = dv.review_due(received, policy=policy)
    day = received.astimezone(SE).date()
    assert due.day is not None
    assert calendar.is_workday(due.day)
    assert due.due.astimezone(SE).time() == datetime.min.time()
    assert due.due.astimezone(SE).date() == due.day + timedelta(days=1)
    # Compared as instants: == between zones is False for a repeated hour's fold=1 (PEP 495).
    assert due.due.timestamp() > received.timestamp()
    assert due.counted_from.timestamp() == received.timestamp()
    between = [
        day + timedelta(days=n)
        for n in range(1, (due.day - day).days + 1)
        if calendar.is_workday(day + timedelta(days=n))
    ]
    if within == 0:
        assert due.day >= day
        assert between == ([] if due.day == day else [due.day])
    else:
        assert due.day > day
        assert len(between) == within
    later = dv.review_due(received + timedelta(hours=7), policy=policy)
    assert later.due.timestamp() >= due.due.timestamp()


@st.composite
def city_logs(draw: st.DrawFn) -> list[dv.DayActivityEvent]:
    """Several drawn DV cases, their events interleaved in recording order."""
    cases = draw(st.lists(HISTORIES, min_size=1, max_size=4))
    renamed = [
        [attrs.evolve(event, case=f"DV-{n}") for event in events] for n, events in enumerate(cases)
    ]
    merged = [event for events in renamed for event in events]
    keys = draw(st.permutations(range(len(merged))))
    # Any interleaving that keeps each case in its own order is a log of the city.
    order = sorted(range(len(merged)), key=lambda i: keys[i])
    queues = [list(events) for events in renamed]
    log: list[dv.DayActivityEvent] = []
    owner = [n for n, events in enumerate(renamed) for _ in events]
    for index in order:
        log.append(queues[owner[index]].pop(0))
    return log


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city_logs())
def test_dv7_the_places_held_are_the_placed_cases_not_ended_in_any_interleaving(
    log: list[dv.DayActivityEvent],
) -> None:
    """DV-1, DV-7: occupancy counts each placed, not ended case once per weekday placed.

    The interleaving of the cases in the log does not change it, and no count is
    negative.
    """
    occupancy = dv.occupancy_of(log)
    expected: dict[str, list[int]] = {}
    for case in {event.case for event in log}:
        state = dv.replay(of_case(log, case))
        if state.holds_place:
            assert state.centre is not None
            row = expected.setdefault(state.centre, [0] * 5)
            for day in state.weekdays:
                row[day.weekday] += 1
    assert occupancy == {centre: tuple(row) for centre, row in sorted(expected.items())}
    assert all(count >= 0 for row in occupancy.values() for count in row)
    by_case = sorted(log, key=lambda event: event.case)
    assert dv.occupancy_of(by_case) == occupancy


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORIES)
def test_x5_a_drawn_dv_history_is_judged_as_it_was_known_then(
    events: list[dv.DayActivityEvent],
) -> None:
    """X-5, DV-5: at every moment that matters, a drawn history is judged as known then.

    The whole history's state judged as of a moment equals the judgement of what was
    recorded by then; nothing is due after the moment; a deviation once found stays;
    the same state is judged the same twice (arendefordelning.testing.check_judging).
    """
    check_judging(DV, events)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city_logs(), st.data())
def test_dv7_any_order_of_the_record_folds_to_the_same_cases_and_places(
    log: list[dv.DayActivityEvent], data: st.DataObject
) -> None:
    """DV-1, DV-7, X-1: shuffled, the city's record folds to the same states and anomalies.

    DAY_ACTIVITY.fold orders each case's events canonically, so the occupancy derived
    from it does not depend on the order the events come in, as of any moment.
    """
    shuffled = data.draw(st.permutations(log), label="shuffled")
    folded, again = DV.fold(log), DV.fold(shuffled)
    assert dict(again) == dict(folded)
    assert again.anomalies == folded.anomalies
    assert dv.occupancy_of(shuffled) == dv.occupancy_of(log)
    if log:
        moment = data.draw(st.sampled_from(log), label="moment").at
        assert dv.occupancy_of(shuffled, as_of=moment) == dv.occupancy_of(log, as_of=moment)


def test_dv5_dv6_the_example_prints_the_history_actions_and_deviations_in_swedish(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """DV-3, DV-5, DV-6: the example's review by a stand-in is late, and says so."""
    import runpy
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "day_activity.py"
    runpy.run_path(str(example), run_name="__main__")
    printed = capsys.readouterr().out
    assert "granska uppdraget, dv-7 (uppdragsmottagare), ersätter ur-1" in printed
    assert "att göra: Uppdragsmottagare: förtydliga uppdraget" in printed
    assert (
        "Avvikelse, för sent: granska det inkomna uppdraget i stadsområde Norr (senast 2026-03-09"
        in printed
    )
    assert "Platser på Solgården (måndag–fredag): (2, 1, 1, 1, 1)" in printed
    assert "Ersättare: dv-7 för ur-1 (granska uppdraget)" in printed
    assert "Assignment" not in printed  # labels, never class names


# --------------------------------------------------------------------------- X-6 milestones


def test_x6_dv_reads_the_decision_from_the_assignment_never_the_queue_date() -> None:
    """X-6: decided as the assignment records it, executed at the start, ended at the end."""
    from arendefordelning import Sex
    from arendefordelning.ivo import Status, ivo_report
    from arendefordelning.kernel import Decided, Ended, Executed, LegalBasis, MilestoneKind

    assert DV.social_services is True
    decision = date(2026, 1, 2)
    received = attrs.evolve(send(), decided_on=decision, legal_basis=LegalBasis.SOL, sex=Sex.MALE)
    events = history(received, *placed()[1:])
    (reached,) = dv.replay(events).milestones
    assert reached.facts == Decided(
        intervention="dagverksamhet", decided_on=decision, legal_basis=LegalBasis.SOL, sex=Sex.MALE
    )
    (row,) = ivo_report(events, quarter="2026Q2").rows
    assert (row.routine, row.status, row.sex) == ("DV", Status.NEW, Sex.MALE)
    started = dv.ActivityStarted(case=CASE, at=at(7), actor=CENTRE_STAFF)
    ended = dv.AssignmentEnded(case=CASE, at=at(90), actor=RECEIVER, reason="flyttat")
    state = run(started, ended, state=dv.replay(events))
    assert [r.kind for r in state.milestones] == [
        MilestoneKind.DECISION,
        MilestoneKind.EXECUTED,
        MilestoneKind.ENDED,
    ]
    assert state.milestones[1].facts == Executed(on=at(7).date())
    assert state.milestones[2].facts == Ended(on=at(90).date(), reason="flyttat")
    undated = history(*placed())
    assert ivo_report(undated, quarter="2026Q4").rows == ()
    assert [n.routine for n in ivo_report(undated, quarter="2026Q4").not_judged] == ["DV"]


# --------------------------------------------------------------------------- every refusal
# Fixed examples for what a mutation run of DV's table found unchecked (issue 21,
# docs/mutation-testing.md): each refusal word for word, the policy of review_due_of.


def test_dv5_x4_the_review_due_of_a_case_follows_the_policy_given() -> None:
    """DV-5, X-4: two working days under a policy of two; another kind of policy is refused."""
    state = run(send())
    due = dv.review_due_of(state, policy=dv.DayActivityPolicy(review_within=2))
    assert due is not None
    assert (due.day, due.rule_sv) == (date(2026, 1, 14), "granskning inom 2 vardagar")
    with pytest.raises(InvalidInput) as refused:
        dv.review_due_of(state, policy="two days")  # type: ignore[arg-type]
    assert (
        str(refused.value) == "policy must be a DayActivityPolicy or None, not a value of type str"
    )


@pytest.mark.parametrize("function", [dv.review_due_of, dv.request_of])
def test_dv1_dv5_a_case_is_asked_of_a_dv_state_only(function: Any) -> None:
    """DV-1, DV-5: another value is refused, naming what is accepted and the type given."""
    with pytest.raises(InvalidInput) as refused:
        function("DV-2026-0007")
    assert str(refused.value) == "state must be a DayActivityState, not a value of type str"


@pytest.mark.parametrize(
    "field", ["id", "district", "orientation", "days", "queue_date", "awaiting_clarification"]
)
def test_dv1_a_request_takes_from_the_record_every_field_it_holds(field: str) -> None:
    """DV-1: a detail the record gives is refused, naming it and what may be passed."""
    with pytest.raises(InvalidInput) as refused:
        dv.request_of(run(send()), **{field: None})
    assert str(refused.value) == (
        f"details must not set {field}: the record gives them; pass the wishes, language, "
        "location and needs"
    )
    with pytest.raises(InvalidInput, match=r"^details must not set days, id: the record"):
        dv.request_of(run(send()), id="x", days=3)


def test_dv2_dv4_check_staff_names_the_step_the_district_and_the_rule() -> None:
    """DV-2, DV-3, DV-4: each refusal word for word, with the step's class and the district."""
    review = dv.AssignmentReviewed(case=CASE, at=at(1), actor=RECEIVER)
    other_manager = attrs.evolve(review, actor=Actor("ec-9", Role.UNIT_MANAGER))
    stand_in = dv.AssignmentReviewed(case=CASE, at=at(0, 2), actor=STAND_IN, stands_in_for="ur-1")
    refusals = [
        (
            other_manager,
            NORR,
            "AssignmentReviewed: the actor is not the unit manager of district Norr, who "
            "answers for distribution there (DV-4)",
        ),
        (
            review,
            SODER,
            "AssignmentReviewed: the actor is neither an assignment receiver of district "
            "Söder nor one of its day-centre stand-ins (DV-2, DV-3)",
        ),
        (
            attrs.evolve(stand_in, stands_in_for=None),
            NORR,
            "AssignmentReviewed: a stand-in of district Norr must name, in stands_in_for, "
            "the district's assignment receiver stood in for (DV-3)",
        ),
    ]
    for request, district, message in refusals:
        with pytest.raises(NotPermitted) as refused:
            dv.check_staff(request, district)
        assert str(refused.value) == message
    dv.check_staff(attrs.evolve(review, actor=UNIT_MANAGER), NORR)
    with pytest.raises(InvalidInput) as wrong:
        dv.check_staff("review", NORR)  # type: ignore[arg-type]
    assert str(wrong.value) == (
        "request must be an event or command of routine DV, not a value of type str"
    )
    with pytest.raises(InvalidInput) as wrong:
        dv.check_staff(review, "Norr")  # type: ignore[arg-type]
    assert str(wrong.value) == "district must be a District, not a value of type str"


# ------------------------------------------------- texts and findings (mutation testing)


def test_dv5_a_same_day_review_is_worded_in_swedish_and_english() -> None:
    """DV-5, X-4: under a same-day policy the due time's rule reads as the routine words it.

    Given a policy with a review the same working day, when the review's due time is
    asked, then its rule is "granskning samma vardag" in Swedish and "review the same
    working day" in English (and the next working day and n days have their own words).
    """
    words = {
        within: (due.rule_sv, due.rule_en)
        for within in (0, 1, 3)
        for due in [dv.review_due(at(1), policy=dv.DayActivityPolicy(review_within=within))]
    }
    assert words == {
        0: ("granskning samma vardag", "review the same working day"),
        1: ("granskning senast nästa vardag", "review by the end of the next working day"),
        3: ("granskning inom 3 vardagar", "review within 3 working days"),
    }


def test_dv7_a_placement_on_fewer_weekdays_says_granted_and_placed_in_both_languages() -> None:
    """DV-7 (c): the INCOMPLETE finding names the days granted and placed, sv and en.

    Given a decision granting two days a week, when the case is placed on one, then
    the deviation says, word for word, that two were granted and one placed.
    """
    commands = placed()
    commands[2] = dv.AssignmentPlaced(
        case=CASE, at=at(1), actor=RECEIVER, centre="Solgården", weekdays=(dv.PlaceDay.FRIDAY,)
    )
    (flagged,) = dv.deviations(run(*commands), as_of=at(2))
    assert (flagged.sv, flagged.en) == (
        "placera på det antal dagar per vecka som beviljats (2), inte 1",
        "place on the number of days a week granted (2), not 1",
    )


def test_dv8_an_offer_in_the_own_district_is_refused_word_for_word() -> None:
    """DV-8: the refusal says the place must be elsewhere and what records one at home.

    Given a case of district Norr, when a place in Norr is offered as elsewhere, then
    decide refuses it with the rule's message, word for word.
    """
    state = run(*offered()[:2])
    own = dv.ProposeOtherDistrict(
        case=CASE, at=at(1), actor=RECEIVER, district="Norr", cause=CrossDistrictCause.WISH
    )
    with pytest.raises(InvalidInput) as refused:
        dv.decide(own, state)
    assert str(refused.value) == (
        "ProposeOtherDistrict is refused: a place offered elsewhere must be in another "
        "district than the case's own; a place in the district is recorded as "
        "AssignmentPlaced (DV-8)"
    )


def test_dv1_dv6_refusals_of_a_placement_say_why_word_for_word() -> None:
    """DV-1, DV-6: a placement on more days than one granted, or awaiting clarification.

    Given a decision granting one day a week, when a placement on two is decided,
    then the refusal says "1 day" in the singular; given an assignment awaiting
    clarification, when it is placed, then the refusal says it stays outside.
    """
    one_day = run(send(days=1), placed()[1])
    two = dv.AssignmentPlaced(
        case=CASE, at=at(1), actor=RECEIVER, centre="Solgården",
        weekdays=[Weekday.MONDAY, Weekday.TUESDAY],
    )  # fmt: skip
    with pytest.raises(IllegalTransition) as refused:
        dv.decide(two, one_day)
    assert str(refused.value) == (
        "AssignmentPlaced is refused: the decision grants 1 day a week; a placement on 2 "
        "weekdays exceeds it (DV-1)"
    )
    ask = dv.ClarificationAsked(case=CASE, at=at(0, 2), actor=RECEIVER, contacted=dv.Contacted.BOTH)
    with pytest.raises(IllegalTransition) as waiting:
        dv.decide(attrs.evolve(placed()[2], at=at(0, 3)), run(send(), ask))
    assert str(waiting.value) == (
        "AssignmentPlaced is refused: the assignment awaits clarification with the "
        "individual and/or relatives and stays outside the placement until it is "
        "clarified (DV-6)"
    )


def test_dv5_the_review_due_time_cites_dv5_and_refuses_a_naive_receipt() -> None:
    """DV-5: the due time is DV-5's; a receipt without a time zone is refused, naming it."""
    assert dv.review_due(at(1)).requirement == "DV-5"
    with pytest.raises(InvalidInput) as naive:
        dv.review_due(datetime(2026, 1, 13, 9))
    assert str(naive.value) == (
        "received is a naive datetime (it has no time zone); give a timezone-aware "
        "datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')"
    )
