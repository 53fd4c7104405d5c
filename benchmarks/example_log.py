"""A realistic example log over the routines, built with their own API (exempellogg).

Each case is recorded as an embedding system would record it: every step is a request
decided by the routine (``routine.decide``) on the case's state, in the order the step
was recorded. Times are drawn around realistic delays, and a known share of the cases
departs from the routine: a step late or missing, a follow-up without everyone, a
step recorded days after it happened. The log is what ``benchmarks/bench_audit.py``
reads; ``write_log`` writes it as JSON Lines with :func:`~arendefordelning.eventlog.dump_events`.

Run on its own to write a log::

    python benchmarks/example_log.py --events 100000 --seed 2026 --output log.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from arendefordelning import Actor, Role
from arendefordelning.eventlog import dump_events
from arendefordelning.kernel import Command, Event, Routine
from arendefordelning.routines import outpatient_care as ov

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
FIRST: Final = datetime(2026, 1, 5, 8, 0, tzinfo=STOCKHOLM)


class Case:
    """One case being recorded: its routine, state and events, and a clock."""

    def __init__(self, routine: Routine[Any, Any, Any], number: str, start: datetime) -> None:
        self.routine = routine
        self.number = number
        self.now = start
        self.state = routine.initial_state
        self.events: list[Event] = []

    def later(self, rng: random.Random, low: float, high: float) -> datetime:
        """Move the clock on by a random number of hours between ``low`` and ``high``."""
        self.now += timedelta(hours=rng.uniform(low, high))
        return self.now

    def take(self, request: Event | Command) -> None:
        """Decide a request on the case's state and record the event."""
        new = self.routine.decide(request, self.state)
        self.state = self.routine.replay(new, self.state)
        self.events += new


def _staff(rng: random.Random, role: Role, prefix: str, count: int) -> Actor:
    return Actor(f"{prefix}-{rng.randrange(count)}", role)


def outpatient_case(rng: random.Random, number: str, start: datetime) -> list[Event]:
    """An OV case from the decision to its follow-ups and, for most, the closing."""
    case = Case(ov.OUTPATIENT_CARE, number, start)
    worker = _staff(rng, Role.SOCIAL_WORKER, "ss", 40)
    manager = _staff(rng, Role.UNIT_MANAGER, "ec", 5)
    therapist = _staff(rng, Role.THERAPIST, "beh", 60)
    c = {"case": number}
    all_three = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)
    case.take(ov.DecisionMade(**c, at=case.now, actor=worker, intervention="samtalsstöd"))
    case.take(ov.UnitManagerInformed(**c, at=case.later(rng, 1, 30), actor=worker))
    case.take(
        ov.TherapistsAssigned(
            **c, at=case.later(rng, 2, 72), actor=manager, therapists=(therapist.id,)
        )
    )
    case.take(ov.TherapistsBriefed(**c, at=case.later(rng, 0.5, 8), actor=manager))
    case.take(ov.SocialWorkerToldOfTherapists(**c, at=case.later(rng, 0.5, 8), actor=manager))
    case.take(ov.AssignmentStarted(**c, at=case.later(rng, 2, 48), actor=worker))
    case.take(ov.SocialWorkerContacted(**c, at=case.later(rng, 2, 48), actor=therapist))
    case.take(ov.CarePlanSent(**c, at=case.later(rng, 2, 48), actor=worker))
    meeting = case.later(rng, 1, 24)
    case.take(
        ov.MeetingBooked(**c, at=meeting, actor=worker, meeting_at=meeting + timedelta(days=5))
    )
    case.take(
        ov.FirstMeetingHeld(**c, at=case.later(rng, 100, 140), actor=worker, participants=all_three)
    )
    case.take(ov.TreatmentStarted(**c, at=case.later(rng, 20, 100), actor=therapist))
    roll = rng.random()
    if roll < 0.85:  # the plan in time (three weeks), late, or (below) never
        hours = rng.uniform(48, 400) if roll < 0.7 else rng.uniform(520, 900)
        recorded = None if rng.random() < 0.9 else case.now + timedelta(hours=hours + 40)
        case.take(
            ov.ImplementationPlanWritten(
                **c, at=case.later(rng, hours, hours), recorded_at=recorded, actor=therapist
            )
        )
    for _ in range(rng.randrange(1, 4)):  # follow-ups, most within three months
        hours = rng.uniform(24 * 40, 24 * 88) if rng.random() < 0.8 else rng.uniform(2300, 3000)
        present = all_three if rng.random() < 0.9 else (Role.INDIVIDUAL, Role.SOCIAL_WORKER)
        case.take(
            ov.FollowUpHeld(
                **c, at=case.later(rng, hours, hours), actor=worker, participants=present
            )
        )
    if rng.random() < 0.7:
        case.take(
            ov.ClosingConversationHeld(
                **c, at=case.later(rng, 24, 24 * 30), actor=worker, participants=all_three
            )
        )
    return case.events


Builder = Callable[[random.Random, str, datetime], list[Event]]

BUILDERS: Final[dict[str, Builder]] = {"OV": outpatient_case}
"""One case of each routine the log covers, by routine code."""


def cases(events: int, seed: int, codes: Sequence[str] | None = None) -> Iterator[list[Event]]:
    """Yield cases, each a list of events, until about ``events`` events are made."""
    rng = random.Random(seed)
    chosen = list(codes or BUILDERS)
    made = 0
    number = 0
    while made < events:
        code = chosen[number % len(chosen)]
        start = FIRST + timedelta(minutes=rng.randrange(60 * 24 * 300))
        history = BUILDERS[code](rng, f"{code}-{number:07d}", start)
        made += len(history)
        number += 1
        yield history


def write_log(path: str, events: int, seed: int, codes: Sequence[str] | None = None) -> int:
    """Write a log of about ``events`` events, the cases interleaved by recording time.

    A case's lines stay in their recording order; the cases are merged as a system
    writing as things happen would write them.
    """
    histories = list(cases(events, seed, codes))
    merged = sorted(
        (event for history in histories for event in history),
        key=lambda e: (e.recorded_at or e.at).timestamp(),
    )
    return dump_events(merged, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write an example log of the routines.")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    written = write_log(args.output, args.events, args.seed)
    print(f"{written} events written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
