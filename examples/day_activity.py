"""Routine DV: an assignment of day activity from receipt to start, and what went wrong.

Run with ``python examples/day_activity.py``. Two assignments already hold places at
Solgården; a third is received on a Friday afternoon, reviewed on Tuesday by a
day-centre staff member standing in for the receiver (late: DV-5 asks for the end of
the next working day, Monday), clarified with the relatives (DV-6), and placed by the
placement engine on the weekdays still vacant (DV-1, DV-7), the places held derived
from the record of all three cases. The script prints the case's history (each step
by its label), the required actions after each step and, at the end, the deviations
the record shows and the places the centre holds. Everything is printed in Swedish,
as a receiver or the unit manager would read it. Each step is recorded by passing its
event to ``decide``: the embedding system reports what happened.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from arendefordelning import (
    Actor,
    DayCentre,
    District,
    Event,
    Location,
    Orientation,
    Role,
    Weekday,
    place,
)
from arendefordelning.routines import day_activity as dv

SE = ZoneInfo("Europe/Stockholm")
CASE = "DV-2026-0042"
FRIDAY = datetime(2026, 3, 6, 15, 30, tzinfo=SE)
SOCIAL_WORKER = Actor("ss-4", Role.SOCIAL_WORKER)
RECEIVER = Actor("ur-1", Role.ASSIGNMENT_RECEIVER)
STAND_IN = Actor("dv-7", Role.ASSIGNMENT_RECEIVER)  # day-centre staff, standing in (DV-3)
CENTRE_STAFF = Actor("dv-9", Role.STAFF_MEMBER)
NORR = District("Norr", unit_manager="ec-1", receivers=("ur-1", "ur-2"), stand_ins=("dv-7",))
SOLGARDEN = DayCentre(
    id="Solgården",
    district=NORR,
    orientation=Orientation.DEMENTIA,
    places=2,
    location=Location(59.3467, 18.0569),
)


def day(days: float, hour: int = 9) -> datetime:
    return (FRIDAY + timedelta(days=days)).replace(hour=hour, minute=0)


def record(
    steps: list[dv.DayActivityEvent],
    state: dv.DayActivityState = dv.initial_state,
    *,
    show: bool = True,
) -> tuple[list[dv.DayActivityEvent], dv.DayActivityState]:
    """Decide each step in turn; print each step's label and the actions after it if ``show``."""
    events: list[dv.DayActivityEvent] = []
    for step in steps:
        dv.check_staff(step, NORR)  # the embedding system knows the district's people
        new = dv.decide(step, state)
        events += new
        state = dv.replay(new, state)
        if not show:
            continue
        for event in new:
            who = f"{event.actor.id} ({event.actor.role.value})"
            if event.stands_in_for is not None:
                who += f", ersätter {event.stands_in_for}"
            label = dv.DAY_ACTIVITY.step_of(type(event)).label[0]  # the step, in Swedish
            print(f"{event.at:%Y-%m-%d %H:%M}  {label}, {who}")
        for action in dv.required_actions(state):
            print(f"    att göra: {action.explain()}")
    return events, state


def earlier_case(case: str, weekdays: tuple[Weekday, ...]) -> list[dv.DayActivityEvent]:
    """An assignment received, reviewed and placed a month before."""
    start = FRIDAY - timedelta(days=30)
    return [
        dv.AssignmentReceived(
            case=case,
            at=start,
            actor=SOCIAL_WORKER,
            district="Norr",
            orientation=Orientation.DEMENTIA,
            days=len(weekdays),
            queue_date=date(2026, 1, 26),
        ),
        dv.AssignmentReviewed(case=case, at=start + timedelta(hours=1), actor=RECEIVER),
        dv.AssignmentPlaced(
            case=case, at=start + timedelta(days=1), actor=RECEIVER, centre="Solgården",
            weekdays=weekdays,
        ),
    ]  # fmt: skip


def main() -> None:
    log: list[Event] = []
    for case, weekdays in (
        ("DV-2026-0031", (Weekday.MONDAY, Weekday.TUESDAY)),
        ("DV-2026-0035", (Weekday.MONDAY, Weekday.WEDNESDAY)),
    ):
        log += record(earlier_case(case, weekdays), show=False)[0]

    print(f"Ärende {CASE}")
    events, state = record(
        [
            dv.AssignmentReceived(
                case=CASE,
                at=FRIDAY,
                actor=SOCIAL_WORKER,
                district="Norr",
                orientation=Orientation.DEMENTIA,
                days=2,
                queue_date=date(2026, 3, 2),
            ),
            # Tuesday: a day late (DV-5), and recorded as it happened.
            dv.AssignmentReviewed(case=CASE, at=day(4), actor=STAND_IN, stands_in_for="ur-1"),
            dv.ClarificationAsked(
                case=CASE, at=day(4, 10), actor=STAND_IN, stands_in_for="ur-1",
                contacted=dv.Contacted.RELATIVES,
            ),
            dv.AssignmentClarified(case=CASE, at=day(5, 11), actor=RECEIVER),
        ]
    )  # fmt: skip
    log += events

    occupancy = dv.occupancy_of(log)  # the places held, from the record of every case
    plan = place([dv.request_of(state)], [SOLGARDEN], occupancy=occupancy)
    (placement,) = plan.placements
    print(f"    fördelning: {placement.explain()}")
    more, state = record(
        [
            dv.AssignmentPlaced.of(placement, at=day(5, 14), actor=RECEIVER),
            dv.ActivityStarted(case=CASE, at=day(10), actor=CENTRE_STAFF),
        ],
        state,
    )
    events += more
    log += more
    assert dv.replay(events) == state

    as_of = day(11, 12)
    print(f"Avvikelser per {as_of:%Y-%m-%d}:")
    for deviation in dv.deviations(state, as_of=as_of):
        print(f"    {deviation.explain()}")
    print("Platser på Solgården (måndag–fredag):", dv.occupancy_of(log)["Solgården"])
    labels = {step.name: step.label[0] for step in dv.DAY_ACTIVITY.steps}
    for stand_in in state.stand_ins:
        print(f"Ersättare: {stand_in.actor} för {stand_in.stands_in_for} ({labels[stand_in.step]})")


if __name__ == "__main__":
    main()
