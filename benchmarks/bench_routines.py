"""Benchmark of the declared-steps kernel on routines VAL and OV against one evolve.

Run from the project root with the package and its ``test`` extra installed::

    python benchmarks/bench_routines.py [--cases 600] [--seed 2026] [--repeat 5]

The reference is one ``attrs.evolve`` of a frozen slotted class with 23 fields (the
size of VAL's state before the kernel's ledger joined it): what any immutable fold
must at least do per event. In one run, for each routine, it

1. builds ``--cases`` cases by deciding every command of a whole flow (VAL: the
   municipal first choice, the private first choice and a re-choice, a third each;
   OV: decision to follow-up) and folding each event;
2. checks, untimed, that replay and the JSON Lines round trip give back the states
   and events deciding built (exit status 1 otherwise);
3. times, best of ``--repeat`` interleaved passes with the garbage collector off:
   ``decide(command, state)``, ``evolve(state, event)``, ``replay`` of a case's first
   10 events, and ``loads_event(line)`` (with every check of the hardening: identity
   numbers in text, lone surrogates, UTF-8) against ``json.loads`` of the same line;
4. prints µs per call and the ratios against the targets.

Targets: decide ≤ 0.7x the reference (Kernel v3: the event is the request, checked
once), evolve ≤ 2x, replay of 10 events ≤ 2x ten
references, loads_event ≤ 5x json.loads. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs
from bench_deadlines import best_per_call, verdict

from arendefordelning import Actor, Provider, ProviderKind, Role
from arendefordelning.eventlog import dump_events, dumps_event, load_events, loads_event
from arendefordelning.kernel import Command, Event, Routine
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines import provider_choice as val

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
TARGETS: Final = {"decide": 0.7, "evolve": 2.0, "replay": 2.0, "loads_event": 5.0}


@attrs.frozen
class Reference23:
    """A frozen slotted class of 23 fields: the reference fold's state."""

    f00: object = None
    f01: object = None
    f02: object = None
    f03: object = None
    f04: object = None
    f05: object = None
    f06: object = None
    f07: object = None
    f08: object = None
    f09: object = None
    f10: object = None
    f11: object = None
    f12: object = None
    f13: object = None
    f14: object = None
    f15: object = None
    f16: object = None
    f17: object = None
    f18: object = None
    f19: object = None
    f20: object = None
    f21: object = None
    f22: object = None


# --------------------------------------------------------------------------- the flows

ASSESSOR: Final = Actor("bh-1", Role.NEEDS_ASSESSOR)
PROVIDER: Final = Actor("ut-1", Role.PROVIDER)
NORR: Final = Provider("Hemtjänst Norr")
OMSORG: Final = Provider("Omsorg AB", ProviderKind.PRIVATE)


def val_commands(case: str, start: datetime, kind: int) -> list[Event | Command]:
    """One VAL case, its requests: municipal (0), private (1) or re-choice (2) flow."""

    def t(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    a: dict[str, Any] = {"case": case, "actor": ASSESSOR}
    p: dict[str, Any] = {"case": case, "actor": PROVIDER}
    written = val.ChoiceForm.WRITTEN
    if kind == 1:
        return [
            val.ChoiceRegistered(**a, at=t(0), provider=OMSORG, form=written),
            val.AssignmentPrepared(**a, at=t(0.1), relatives_phone_numbers=("070-123 45 67",)),
            val.DistributeAssignment(**a, at=t(0.2)),
            val.ProviderContacted(
                **a, at=t(0.3), channel=val.ContactChannel.EMAIL, delivery=val.Delivery.POST
            ),
            val.ReceiptConfirmed(**p, at=t(1)),
            val.ReceiptFiled(**a, at=t(2)),
            val.FirstInterventionReported(
                **p, at=t(30), first_intervention=(start + timedelta(days=1)).date()
            ),
            val.RegisterExecution(**a, at=t(31)),
            val.ConfirmExecutionDate(**a, at=t(32)),
        ]
    first: list[Event | Command] = [
        val.ChoiceRegistered(**a, at=t(0), provider=NORR, form=written, home_health_care=True),
        val.DistributeAssignment(**a, at=t(0.1)),
        val.NotifyHomeHealthCare(**a, at=t(0.2)),
        val.ExecutionStarted(**p, at=t(5)),
    ]
    if kind == 0:
        return first
    notified = t(24 * 20)
    takeover = notified.date() + timedelta(days=10)
    return [
        *first,
        val.RegisterRechoice(
            **a, at=notified, incoming=OMSORG, form=written, home_health_care=True
        ),
        val.OutgoingProviderNotified(**a, at=notified, channel=val.ContactChannel.SYSTEM),
        val.IncomingProviderNotified(**a, at=notified, channel=val.ContactChannel.EMAIL),
        val.LastDayAgreed(
            **p,
            at=notified + timedelta(days=1),
            last_day=takeover - timedelta(days=1),
            documentation_consent=True,
        ),
        val.TakeoverAnnounced(**p, at=notified + timedelta(days=1, hours=1), takeover=takeover),
        val.DocumentationHandedOver(**p, at=notified + timedelta(days=1, hours=2)),
        val.TakeoverDateReported(**p, at=notified + timedelta(days=2), takeover=takeover),
        val.DocumentTakeoverDate(**a, at=notified + timedelta(days=2, hours=1)),
        val.HomeHealthCareToldOfSwitch(
            **p, at=notified + timedelta(days=3), incoming_contact="08-123 45 67"
        ),
    ]


SOCIAL_WORKER: Final = Actor("ss-1", Role.SOCIAL_WORKER)
UNIT_MANAGER: Final = Actor("ec-1", Role.UNIT_MANAGER)
THERAPIST: Final = Actor("beh-1", Role.THERAPIST)
PARTIES: Final = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)


def ov_commands(case: str, start: datetime, kind: int) -> list[Event | Command]:
    """One OV case from decision to its second follow-up."""

    def t(days: float) -> datetime:
        return start + timedelta(days=days)

    s: dict[str, Any] = {"case": case, "actor": SOCIAL_WORKER}
    u: dict[str, Any] = {"case": case, "actor": UNIT_MANAGER}
    th: dict[str, Any] = {"case": case, "actor": THERAPIST}
    return [
        ov.DecisionMade(**s, at=t(0), intervention="samtalsbehandling"),
        ov.UnitManagerInformed(**s, at=t(0.1)),
        ov.TherapistsAssigned(**u, at=t(1), therapists=("beh-1",)),
        ov.TherapistsBriefed(**u, at=t(1.1)),
        ov.SocialWorkerToldOfTherapists(**u, at=t(1.2)),
        ov.AssignmentStarted(**s, at=t(2)),
        ov.SocialWorkerContacted(**th, at=t(2.1)),
        ov.CarePlanSent(**s, at=t(3)),
        ov.MeetingBooked(**s, at=t(3.1), meeting_at=t(9)),
        ov.FirstMeetingHeld(**s, at=t(9), participants=PARTIES),
        ov.TreatmentStarted(**th, at=t(10)),
        ov.ImplementationPlanWritten(**th, at=t(15 + kind)),
        ov.FollowUpHeld(**s, at=t(80), participants=PARTIES),
        ov.FollowUpHeld(**s, at=t(160), participants=PARTIES),
    ]


Step = tuple[Event | Command, Any, Event]


def build(
    routine: Routine[Any, Any, Any],
    flow: Callable[[str, datetime, int], list[Event | Command]],
    cases: int,
    rng: random.Random,
) -> tuple[list[Step], list[list[Event]]]:
    """Decide every command of every case; return the steps and the histories."""
    steps: list[Step] = []
    histories: list[list[Event]] = []
    first = datetime(2026, 1, 1, tzinfo=STOCKHOLM)
    for number in range(cases):
        start = first + timedelta(minutes=rng.randrange(60 * 24 * 365))
        state = routine.initial_state
        history: list[Event] = []
        for command in flow(f"K-{number}", start, number % 3):
            [event] = routine.decide(command, state)
            steps.append((command, state, event))
            state = routine.evolve(state, event)
            history.append(event)
        histories.append(history)
    return steps, histories


def check(
    routine: Routine[Any, Any, Any], steps: Sequence[Step], histories: Sequence[list[Event]]
) -> bool:
    """Replay and the log round trip give back what deciding built."""
    ok = True
    for history in histories:
        buffer = io.StringIO()
        dump_events(history, buffer)
        buffer.seek(0)
        ok &= list(load_events(buffer, routine=routine)) == history
        ok &= routine.replay(history) == routine.replay(list(history))
    for command, state, event in steps:
        ok &= routine.decide(command, state) == [event]
    return ok


def measure(
    routine: Routine[Any, Any, Any],
    flow: Callable[[str, datetime, int], list[Event | Command]],
    cases: int,
    rng: random.Random,
    repeat: int,
) -> dict[str, tuple[float, float]] | None:
    steps, histories = build(routine, flow, cases, rng)
    if not check(routine, steps, histories):
        return None
    reference = Reference23()

    def one(step: object) -> object:
        return attrs.evolve(reference, f00=step)

    def ten(history: object) -> object:
        state = reference
        for _ in range(10):
            state = attrs.evolve(state, f00=history)
        return state

    def pair(
        library: Callable[[Any], object], base: Callable[[Any], object], items: Sequence[Any]
    ) -> tuple[float, float]:
        best = best_per_call([("library", library), ("reference", base)], items, repeat)
        return best["library"], best["reference"]

    decide, evolve, replay = routine.decide, routine.evolve, routine.replay
    tens = [history[:10] for history in histories if len(history) >= 10] or list(histories)
    lines = [dumps_event(event) for history in histories for event in history]
    return {
        "decide": pair(lambda s: decide(s[0], s[1]), one, steps),
        "evolve": pair(lambda s: evolve(s[1], s[2]), one, steps),
        "replay": pair(replay, ten, tens),
        "loads_event": pair(loads_event, json.loads, lines),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; {args.cases} cases per routine, best of {args.repeat}")
    print("reference: attrs.evolve of a frozen slotted class of 23 fields")
    met = total = 0
    for code, routine, flow in (
        ("VAL", val.VAL, val_commands),
        ("OV", ov.OUTPATIENT_CARE, ov_commands),
    ):
        figures = measure(routine, flow, args.cases, random.Random(args.seed), args.repeat)
        if figures is None:
            print(f"{code}: replay or the event log disagrees with deciding", file=sys.stderr)
            return 1
        print(f"\nroutine {code}")
        for name, (library, reference) in figures.items():
            ratio = library / reference
            target = TARGETS[name]
            ok = ratio <= target
            met += ok
            total += 1
            unit = "10 events" if name == "replay" else "call"
            print(
                f"  {name:<12} {library * 1e6:>8.2f} µs/{unit:<9}"
                f" reference {reference * 1e6:>7.2f} µs"
                f"  ratio {ratio:>5.2f}  target ≤ {target:g}: {verdict(ok)}"
            )
    print(f"\ntargets met: {met} of {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
