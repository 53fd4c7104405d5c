"""Routine OV: an outpatient-care case from decision to follow-up, and what went wrong.

Run with ``python examples/outpatient_care.py``. It records a case step by step,
prints its history, the required actions after each step and, at the end, the
deviations the record shows: the implementation plan came after its three weeks
(OV-8) and no follow-up was held within three months (OV-9). Everything is printed in
Swedish, as a coordinator would read it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from arendefordelning import Actor, Role
from arendefordelning.routines import outpatient_care as ov

SE = ZoneInfo("Europe/Stockholm")
CASE = "ÖV-2026-0042"
START = datetime(2026, 1, 12, 9, 0, tzinfo=SE)
SOCIAL_WORKER = Actor("ss-4", Role.SOCIAL_WORKER)
UNIT_MANAGER = Actor("ec-1", Role.UNIT_MANAGER)
THERAPIST = Actor("beh-2", Role.THERAPIST)
PARTIES = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)


def day(days: float, hour: int = 9) -> datetime:
    return (START + timedelta(days=days)).replace(hour=hour)


def main() -> None:
    steps: list[ov.OutpatientCareEvent] = [
        ov.DecisionMade(
            case=CASE, at=day(0), actor=SOCIAL_WORKER, intervention="samtalsbehandling"
        ),
        ov.UnitManagerInformed(case=CASE, at=day(0, 10), actor=SOCIAL_WORKER),
        ov.TherapistsAssigned(case=CASE, at=day(1), actor=UNIT_MANAGER, therapists=["beh-2"]),
        ov.TherapistsBriefed(case=CASE, at=day(1, 11), actor=UNIT_MANAGER),
        ov.SocialWorkerToldOfTherapists(case=CASE, at=day(1, 12), actor=UNIT_MANAGER),
        ov.AssignmentStarted(case=CASE, at=day(2), actor=SOCIAL_WORKER),
        ov.SocialWorkerContacted(case=CASE, at=day(2, 14), actor=THERAPIST),
        ov.CarePlanSent(case=CASE, at=day(3), actor=SOCIAL_WORKER),
        ov.MeetingBooked(case=CASE, at=day(3, 10), actor=SOCIAL_WORKER, meeting_at=day(9)),
        ov.FirstMeetingHeld(case=CASE, at=day(9), actor=SOCIAL_WORKER, participants=PARTIES),
        ov.TreatmentStarted(case=CASE, at=day(10), actor=THERAPIST),
        # Five weeks after the first meeting: two weeks late (OV-8), and recorded.
        ov.ImplementationPlanWritten(case=CASE, at=day(44), actor=THERAPIST),
    ]
    state = ov.initial_state
    history: list[ov.OutpatientCareEvent] = []
    print(f"Ärende {CASE}")
    for request in steps:  # each step is reported with its event: what happened
        events = ov.decide(request, state)
        history += events
        state = ov.replay(events, state)
        for event in events:
            label = ov.OUTPATIENT_CARE.step_of(type(event)).label[0]
            print(f"{event.at:%Y-%m-%d %H:%M}  {label} ({event.actor.role.value})")
        for action in ov.required_actions(state):
            print(f"    att göra: {action.explain()}")
    as_of = datetime(2026, 4, 20, 12, 0, tzinfo=SE)
    print(f"Avvikelser per {as_of:%Y-%m-%d}:")
    for deviation in ov.deviations(state, as_of=as_of):
        print(f"    {deviation.explain()}")
    assert ov.replay(history) == state


if __name__ == "__main__":
    main()
