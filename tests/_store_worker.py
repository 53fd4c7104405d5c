"""A writer process for the store's reliability tests (tests/test_store_reliability.py).

Run as ``python tests/_store_worker.py URL MODE ...``; prints one JSON object per line
on standard output, flushed, for every request whose outcome it knows:

* ``batches PREFIX SIZE``: append batches of SIZE events to new cases PREFIX-0,
  PREFIX-1, … until killed; after each append returns, ``{"case": ..., "positions":
  [...]}`` (the batch is committed).
* ``meetings CASE WRITER COUNT``: record COUNT meetings in one started OV case, each
  with a meeting time that names the writer and the request, then try the once-only
  step of sending the care plan; ``{"request": ..., "accepted": [position]}`` or
  ``{"request": ..., "refused": "ErrorClass"}``, and the conflicts met on the way.
* ``own CASE COUNT``: record OV's first steps and COUNT meetings in a case of its own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from arendefordelning import Actor, ArendefordelningError, Role
from arendefordelning.kernel import Event
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.store import ConcurrencyConflict, EventStore, open_store, record
from arendefordelning.store.contract import events_for

START = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
WORKER = Actor("ss-1", Role.SOCIAL_WORKER)
MANAGER = Actor("ec-1", Role.UNIT_MANAGER)
THERAPIST = Actor("beh-1", Role.THERAPIST)
REQUEST_AT = START + timedelta(days=3)
"""Every racing request happened at the same moment, so none is refused as recorded
out of order: a loser is re-decided against the new state, or reported."""


def say(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class Counting:
    """The store, counting the conflicts its appends meet."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.conflicts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def append(self, case: str, events: Sequence[Event], *, expected_version: int) -> list[int]:
        try:
            return self.store.append(case, events, expected_version=expected_version)
        except ConcurrencyConflict:
            self.conflicts += 1
            raise


def opening_steps(case: str) -> list[Event]:
    """OV's steps up to the assignment's start, after which meetings can be booked."""
    return [
        ov.DecisionMade(case=case, at=START, actor=WORKER, intervention="samtalsstöd"),
        ov.UnitManagerInformed(case=case, at=START + timedelta(hours=1), actor=WORKER),
        ov.TherapistsAssigned(
            case=case, at=START + timedelta(days=1), actor=MANAGER, therapists=("beh-1",)
        ),
        ov.SocialWorkerToldOfTherapists(
            case=case, at=START + timedelta(days=1, hours=1), actor=MANAGER
        ),
        ov.AssignmentStarted(case=case, at=START + timedelta(days=2), actor=WORKER),
    ]


def meeting(case: str, writer: int, n: int) -> ov.MeetingBooked:
    """A meeting whose time names the writer and the request (minutes since a base)."""
    return ov.MeetingBooked(
        case=case,
        at=REQUEST_AT,
        actor=THERAPIST,
        meeting_at=START + timedelta(days=10, minutes=1000 * writer + n),
    )


def batches(store: EventStore, prefix: str, size: int) -> None:
    n = 0
    while True:
        case = f"{prefix}-{n}"
        positions = store.append(case, events_for(case, size), expected_version=0)
        say(case=case, positions=positions)
        n += 1


def meetings(store: EventStore, case: str, writer: int, count: int) -> None:
    counting = Counting(store)
    requests: list[tuple[str, Event]] = [
        (f"meeting-{writer}-{n}", meeting(case, writer, n)) for n in range(count)
    ]
    sent = ov.CarePlanSent(case=case, at=REQUEST_AT, actor=WORKER)
    requests.insert(count // 2, (f"care-plan-{writer}", sent))
    for name, request in requests:
        try:
            [written] = record(counting, ov.OUTPATIENT_CARE, request, attempts=200)
        except ArendefordelningError as error:  # refused, or conflicts past the bound
            say(request=name, refused=type(error).__name__, conflicts=counting.conflicts)
        else:
            say(request=name, accepted=written.position, conflicts=counting.conflicts)


def own(store: EventStore, case: str, count: int) -> None:
    steps: list[Event] = [*opening_steps(case), *(meeting(case, 0, n) for n in range(count))]
    for n, step in enumerate(steps):
        [written] = record(store, ov.OUTPATIENT_CARE, step)
        say(request=f"{case}-{n}", accepted=written.position)


def main(argv: list[str]) -> None:
    url, mode, *rest = argv
    store = open_store(url)
    try:
        if mode == "batches":
            batches(store, rest[0], int(rest[1]))
        elif mode == "meetings":
            meetings(store, rest[0], int(rest[1]), int(rest[2]))
        elif mode == "own":
            own(store, rest[0], int(rest[1]))
        else:
            raise SystemExit(f"unknown mode {mode}")
    finally:
        store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
