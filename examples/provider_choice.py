"""Routine VAL from first choice to re-choice, printing what must happen at each step.

Run it with ``python examples/provider_choice.py``. A customer abstains from choosing
and gets the private provider next in turn on the area's non-choice list; the private
provider's flow runs to execution; three weeks later the customer re-chooses a
municipal provider and the switch is planned within the 7–14 day window.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from arendefordelning import Actor, Provider, ProviderKind, Role, RotationList
from arendefordelning.routines import provider_choice as val

SE = ZoneInfo("Europe/Stockholm")
CASE = "K-2026-0042"
ASSESSOR = Actor("bh-17", Role.NEEDS_ASSESSOR)
PRIVATE = Actor("omsorg-ab-3", Role.PROVIDER)
MUNICIPAL = Actor("norr-1", Role.PROVIDER)


def main() -> None:
    """Walk one case through the routine and print the events and required actions."""
    rotation = RotationList.alphabetical(
        "Norr",
        [
            Provider("Omsorg AB", ProviderKind.PRIVATE),
            Provider("Hemtjänst Norr"),
            Provider("Ängens omsorg", ProviderKind.PRIVATE),
        ],
        joined=date(2026, 1, 1),
    )
    # The turn is at Hemtjänst Norr, which is full this month: it keeps its turn.
    rotation = rotation.set_cap(Provider("Hemtjänst Norr"), 0)
    start = datetime(2026, 3, 6, 13, 30, tzinfo=SE)
    steps: list[tuple[str, val.ProviderChoiceCommand]] = [
        (
            "abstains",
            val.RegisterAbstention(case=CASE, at=start, actor=ASSESSOR, rotation=rotation),
        ),
        ("prepared", val.PrepareAssignment(case=CASE, at=start, actor=ASSESSOR)),
        ("distributed", val.DistributeAssignment(case=CASE, at=start, actor=ASSESSOR)),
        (
            "contacted",
            val.ContactProvider(
                case=CASE,
                at=start + timedelta(minutes=45),
                actor=ASSESSOR,
                channel=val.ContactChannel.EMAIL,
                delivery=val.Delivery.POST,
            ),
        ),
        ("receipt", val.ConfirmReceipt(case=CASE, at=start + timedelta(hours=2), actor=PRIVATE)),
        ("filed", val.FileReceipt(case=CASE, at=start + timedelta(hours=3), actor=ASSESSOR)),
        (
            "first intervention",
            val.ReportFirstIntervention(
                case=CASE,
                at=start + timedelta(days=3),
                actor=PRIVATE,
                first_intervention=date(2026, 3, 7),
            ),
        ),
        (
            "registered",
            val.RegisterExecution(case=CASE, at=start + timedelta(days=3), actor=ASSESSOR),
        ),
        (
            "confirmed",
            val.ConfirmExecutionDate(case=CASE, at=start + timedelta(days=3), actor=ASSESSOR),
        ),
        (
            "re-choice",
            val.RegisterRechoice(
                case=CASE,
                at=start + timedelta(days=21),
                actor=ASSESSOR,
                incoming=Provider("Hemtjänst Norr"),
                form=val.ChoiceForm.ORAL,
            ),
        ),
        (
            "outgoing notified",
            val.NotifyOutgoingProvider(
                case=CASE,
                at=start + timedelta(days=21),
                actor=ASSESSOR,
                channel=val.ContactChannel.EMAIL,
            ),
        ),
        (
            "incoming notified, an hour later",
            val.NotifyIncomingProvider(
                case=CASE,
                at=start + timedelta(days=21, hours=1),
                actor=ASSESSOR,
                channel=val.ContactChannel.SYSTEM,
            ),
        ),
    ]
    state = val.initial_state
    history: list[val.ProviderChoiceEvent] = []
    for label, command in steps:
        events = val.decide(command, state)
        history += events
        state = val.replay(events, state)
        print(f"— {label}: {', '.join(type(e).__name__ for e in events)}")
        for action in val.required_actions(state):
            print(f"    {action.explain()}")
    print(f"Provider: {state.provider}; switch window: {val.switch_window_of(state)}")
    # Record, then judge: the notifications an hour apart are recorded, and judged.
    for deviation in val.deviations(state, as_of=start + timedelta(days=22)):
        print(f"    {deviation.explain()}")
    assert val.replay(history) == state


if __name__ == "__main__":
    main()
