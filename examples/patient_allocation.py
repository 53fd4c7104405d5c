"""Routine HC: two patient cases from the fictive resource to a booked start, and the queue.

Run with ``python examples/patient_allocation.py``. A team leader allocates a case
from the queue of assessments to a psychologist (the team note and the planning
comment word for word, HC-6); the patient declines both times offered and waits by
choice (HC-9); the case is allocated again, this time without contacting the staff
member first (HC-4), the times are offered a day after the deadline (HC-5), the
patient accepts and is summoned (HC-8, HC-11). The queue of the cases still waiting
is printed with their waiting times with and without patient-chosen waiting (HC-2),
then the deviations the record shows. Everything is printed in Swedish, as a team
leader would read it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from arendefordelning import Actor, Channel, Role
from arendefordelning.routines import patient_allocation as hc

SE = ZoneInfo("Europe/Stockholm")
CASE = "HC-2026-0042"
START = datetime(2026, 3, 2, 9, 0, tzinfo=SE)
TEAM_LEADER = Actor("tl-1", Role.TEAM_LEADER)
PSYCHOLOGIST = Actor("sm-1", Role.STAFF_MEMBER)
COUNSELLOR = Actor("sm-2", Role.STAFF_MEMBER)
ADMINISTRATOR = Actor("va-1", Role.CARE_ADMINISTRATOR)


def day(days: float, hour: int = 9) -> datetime:
    return (START + timedelta(days=days)).replace(hour=hour)


def allocation(when: datetime, staff: str, title: str, name: str) -> hc.CaseAllocated:
    return hc.CaseAllocated(
        case=CASE, at=when, actor=TEAM_LEADER, staff_id=staff, title=title, name=name,
        intervention="utredning", occasion=hc.Occasion.TREATMENT_CONFERENCE,
    )  # fmt: skip


def main() -> None:
    steps: list[hc.PatientAllocationEvent | hc.PatientAllocationCommand] = [
        hc.PlacedOnFictiveResource(
            case=CASE, at=day(0), actor=TEAM_LEADER, resource="Väntelista utredning",
            intervention="utredning", triage=2,
        ),
        hc.StaffMemberContacted(case=CASE, at=day(7), actor=TEAM_LEADER, staff_id="sm-1"),
        allocation(day(7, 10), "sm-1", "Leg. psykolog", "Anna Berg"),
        hc.TeamNoteWritten(case=CASE, at=day(7, 11), actor=TEAM_LEADER),
        hc.PlanningBasisCommented(case=CASE, at=day(7, 11), actor=TEAM_LEADER),
        hc.OfferTimes(
            case=CASE, at=day(10), actor=PSYCHOLOGIST, times=(day(17), day(18, 13)),
            to=hc.Recipient.PATIENT,
        ),
        hc.BothTimesDeclined(case=CASE, at=day(11), actor=PSYCHOLOGIST),
        hc.TelephoneNoteWritten(case=CASE, at=day(11, 10), actor=PSYCHOLOGIST),
        hc.PatientChosenWaitingRegistered(case=CASE, at=day(12), actor=ADMINISTRATOR),
        hc.PlacedOnFictiveResource(
            case=CASE, at=day(12, 10), actor=TEAM_LEADER, resource="Väntelista utredning",
            intervention="utredning", triage=2,
        ),
        hc.PatientAvailableAgain(case=CASE, at=day(40), actor=ADMINISTRATOR),
        # Allocated again without a contact first (HC-4), and offered two days late (HC-5).
        allocation(day(42), "sm-2", "Kurator", "Bo Ek"),
        hc.OfferTimes(
            case=CASE, at=day(65), actor=COUNSELLOR, times=(day(70), day(71)),
            to=hc.Recipient.BOTH,
        ),
        hc.TimeAccepted(case=CASE, at=day(66), actor=COUNSELLOR, start=day(70)),
        hc.TelephoneNoteWritten(case=CASE, at=day(66, 10), actor=COUNSELLOR),
        hc.PlanningBasisLinked(case=CASE, at=day(67), actor=ADMINISTRATOR),
        hc.SummonsSent(
            case=CASE, at=day(67, 10), actor=ADMINISTRATOR, channel=Channel.DIGITAL,
            to=hc.Recipient.BOTH,
        ),
    ]  # fmt: skip
    state = hc.initial_state
    history: list[hc.PatientAllocationEvent] = []
    print(f"Ärende {CASE}")
    for request in steps:  # each step is reported with its event (or the offer's command)
        events = hc.decide(request, state)
        history += events
        state = hc.replay(events, state)
        for event in events:
            label = hc.PATIENT_ALLOCATION.step_of(type(event)).label[0]
            print(f"{event.at:%Y-%m-%d %H:%M}  {label} ({event.actor.role.value})")
            if isinstance(event, hc.CaseAllocated):
                print(f"    teamanteckning: {hc.team_note(event)}")
                print(f"    planeringsunderlag: {hc.planning_comment(event)}")
    waited = hc.waiting_time(state, as_of=day(80))
    print(
        f"Väntetid till bokad start: {waited.total.days} dagar, "
        f"exklusive patientvald väntan {waited.excluding_patient_chosen.days} dagar"
    )

    # Two more cases still waiting in the queue of assessments, ordered by HC-2.
    others: list[hc.PatientAllocationEvent] = [
        hc.PlacedOnFictiveResource(
            case=case, at=day(days), actor=TEAM_LEADER, resource="Väntelista utredning",
            intervention="utredning", triage=triage,
        )
        for case, days, triage in (("HC-2026-0050", 20, 3), ("HC-2026-0051", 30, 1))
    ]  # fmt: skip
    print("Kö, fiktiv resurs:")
    for entry in hc.queue([*history, *others], as_of=day(80)):
        print(
            f"    {entry.case}  {entry.resource}  prioritet {entry.triage}  "
            f"väntat {entry.waiting.excluding_patient_chosen.days} dagar"
        )
    print("Avvikelser:")
    for deviation in hc.deviations(state, as_of=day(80)):
        print(f"    {deviation.explain()}")


if __name__ == "__main__":
    main()
