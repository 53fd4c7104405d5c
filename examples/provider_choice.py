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
    later = start + timedelta(days=21)
    requests: list[val.ProviderChoiceEvent | val.ProviderChoiceCommand] = [
        # The routine takes the provider next in turn from the list: a command.
        val.RegisterAbstention(case=CASE, at=start, actor=ASSESSOR, rotation=rotation),
        val.AssignmentPrepared(case=CASE, at=start, actor=ASSESSOR),
        val.DistributeAssignment(case=CASE, at=start, actor=ASSESSOR),
        # What happened is reported as it is: the event is the request.
        val.ProviderContacted(
            case=CASE,
            at=start + timedelta(minutes=45),
            actor=ASSESSOR,
            channel=val.ContactChannel.EMAIL,
            delivery=val.Delivery.POST,
        ),
        val.ReceiptConfirmed(case=CASE, at=start + timedelta(hours=2), actor=PRIVATE),
        val.ReceiptFiled(case=CASE, at=start + timedelta(hours=3), actor=ASSESSOR),
        val.FirstInterventionReported(
            case=CASE,
            at=start + timedelta(days=3),
            actor=PRIVATE,
            first_intervention=date(2026, 3, 7),
        ),
        val.RegisterExecution(case=CASE, at=start + timedelta(days=3), actor=ASSESSOR),
        val.ConfirmExecutionDate(case=CASE, at=start + timedelta(days=3), actor=ASSESSOR),
        val.RegisterRechoice(
            case=CASE,
            at=later,
            actor=ASSESSOR,
            incoming=Provider("Hemtjänst Norr"),
            form=val.ChoiceForm.ORAL,
        ),
        val.OutgoingProviderNotified(
            case=CASE, at=later, actor=ASSESSOR, channel=val.ContactChannel.EMAIL
        ),
        # An hour later: recorded, and judged (VAL-13).
        val.IncomingProviderNotified(
            case=CASE,
            at=later + timedelta(hours=1),
            actor=ASSESSOR,
            channel=val.ContactChannel.SYSTEM,
        ),
    ]
    state = val.initial_state
    history: list[val.ProviderChoiceEvent] = []
    for request in requests:
        events = val.decide(request, state)
        history += events
        state = val.replay(events, state)
        for event in events:
            print(f"— {val.VAL.step_of(type(event)).label[0]}, {event.at:%Y-%m-%d %H:%M}")
        for action in val.required_actions(state):
            print(f"    {action.explain()}")
    window = val.switch_window_of(state)
    assert window is not None
    print(f"Utförare: {state.provider}; bytet sker {window[0]}–{window[1]} (VAL-18)")
    # Record, then judge: the notifications an hour apart are recorded, and judged.
    for deviation in val.deviations(state, as_of=start + timedelta(days=22)):
        print(f"    {deviation.explain()}")
    assert val.replay(history) == state


if __name__ == "__main__":
    main()
