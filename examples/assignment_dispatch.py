"""Routine UP: an assignment sent to home care, who must tell whom, and what went wrong.

Run with ``python examples/assignment_dispatch.py``. A new care recipient is granted
home care and a safety alarm on a Friday afternoon: the needs assessor sends the
assignment (440 minutes granted, 450 stated, UP-3), orders it in Phoniro (UP-2), hands
it over to the municipal home care by message only, though the recipient is new (UP-5,
a deviation), before the weekend, so the special contact path applies (UP-7), and tells
the alarm group (UP-10). The provider confirms receipt (UP-8) and registers the home
care as executed (UP-9), the installer the alarm (UP-11); the recipient is admitted to
hospital one night, and the night patrol must tell the day provider (UP-14). It prints
the history, the required actions after each step, who must tell whom at the
admission, and at the end the deviations. Everything in Swedish.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from arendefordelning import Actor, Role
from arendefordelning.kernel import Channel
from arendefordelning.providers import Provider
from arendefordelning.routines import assignment_dispatch as up

SE = ZoneInfo("Europe/Stockholm")
CASE = "UP-2026-0031"
FRIDAY = datetime(2026, 1, 16, 15, 0, tzinfo=SE)
ASSESSOR = Actor("bh-2", Role.NEEDS_ASSESSOR)
PROVIDER = Actor("ut-5", Role.PROVIDER)
INSTALLER = Actor("li-1", Role.ALARM_INSTALLER)
NIGHT_PATROL = Actor("np-3", Role.NIGHT_PATROL)
NORR = Provider("Hemtjänst Norr")


def at(days: float, hour: int = 9, minute: int = 0) -> datetime:
    return (FRIDAY + timedelta(days=days)).replace(hour=hour, minute=minute)


def main() -> None:
    assignment = up.Assignment(
        case=CASE,
        provider=NORR,
        interventions=[up.Intervention.HOME_CARE, up.Intervention.SAFETY_ALARM],
        granted_minutes=440,
    )
    steps: list[up.AssignmentDispatchEvent | up.AssignmentDispatchCommand] = [
        up.AssignmentSent.of(assignment, at=FRIDAY, actor=ASSESSOR, new_recipient=True),
        up.TimeRecordingOrdered(case=CASE, at=at(0, 15, 10), actor=ASSESSOR, provider=NORR),
        # By message only, though the care recipient is new (UP-5): recorded, and found.
        up.HandOver(
            case=CASE,
            at=at(0, 15, 20),
            actor=ASSESSOR,
            provider=NORR,
            channels=[Channel.SYSTEM_MESSAGE],
        ),
        up.NotificationSent(
            case=CASE,
            at=at(0, 15, 30),
            actor=ASSESSOR,
            subject=up.Subject.ALARM_ASSIGNMENT,
            recipient=up.Recipient.ALARM_GROUP,
            channel=Channel.SYSTEM_MESSAGE,
        ),
        up.NotificationSent(
            case=CASE,
            at=at(0, 15, 35),
            actor=ASSESSOR,
            subject=up.Subject.CURRENT_PROVIDER,
            recipient=up.Recipient.ALARM_GROUP,
            channel=Channel.SYSTEM_MESSAGE,
        ),
        up.AssignmentReceiptConfirmed(case=CASE, at=at(3, 8), actor=PROVIDER, provider=NORR),
        up.InterventionExecuted(
            case=CASE,
            at=at(3, 16),
            actor=PROVIDER,
            intervention=up.Intervention.HOME_CARE,
            started_on=date(2026, 1, 19),
        ),
        up.AlarmInstalled(case=CASE, at=at(4, 10), actor=INSTALLER, installed_on=date(2026, 1, 20)),
        up.AdmittedToHospital(case=CASE, at=at(12, 23, 30), actor=NIGHT_PATROL, stay="vistelse-1"),
    ]
    state = up.initial_state
    history: list[up.AssignmentDispatchEvent] = []
    print(f"Ärende {CASE}")
    for request in steps:  # each step is reported with its event (or command)
        before = state
        events = up.decide(request, state)
        history += events
        state = up.replay(events, state)
        for event in events:
            label = up.ASSIGNMENT_DISPATCH.step_of(type(event)).label[0]
            print(f"{event.at:%Y-%m-%d %H:%M}  {label} ({event.actor.role.value})")
            if isinstance(event, up.HandedOver) and event.special_contact_path:
                print("    särskild kontaktväg inför helg (LRU0005)")
            situation = up.situation_of(before, event)
            if isinstance(event, up.AdmittedToHospital) and situation is not None:
                for notification in up.required_notifications(situation):
                    print(f"    vem meddelar vem: {notification.explain()}")
        for action in up.required_actions(state):
            print(f"    att göra: {action.explain()}")
    as_of = at(14, 12)
    print(f"Avvikelser per {as_of:%Y-%m-%d}:")
    for deviation in up.deviations(state, as_of=as_of):
        print(f"    {deviation.explain()}")
    assert up.replay(history) == state


if __name__ == "__main__":
    main()
