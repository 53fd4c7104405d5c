"""The stores under failure and load: writers killed mid-append, eight writers at once (X-1).

Each test runs real writer processes (tests/_store_worker.py) against both stores,
prints its figures (run with ``-s`` to see them) and checks, from the store itself:

* a writer killed with SIGKILL in the middle of appending loses no batch it was told
  was committed and leaves no part of the batch it was writing;
* eight writers recording in one case: every accepted request's event is there once,
  at the position it was told, every loser was decided again (and accepted) or
  reported, and the once-only step was taken once; eight writers in eight cases all
  succeed; a reader following the store meanwhile never sees a gap in the positions.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from arendefordelning.errors import IllegalTransition
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.store import EventStore, open_store, record
from arendefordelning.store.contract import events_for

pytestmark = pytest.mark.slow

WORKER = Path(__file__).resolve().parent / "_store_worker.py"
sys.path.insert(0, str(WORKER.parent))
from _store_worker import meeting, opening_steps  # noqa: E402

WRITERS = 8


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite://{tmp_path / 'events.db'}"
    server = request.getfixturevalue("postgres_url")
    return f"{server}?table=t_{uuid.uuid4().hex[:16]}"


def writer(url: str, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def lines_of(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, err = process.communicate(timeout=600)
    assert process.returncode in (0, -signal.SIGKILL), err[-2000:]
    return [json.loads(line) for line in out.splitlines() if line.strip()]


class Follower(threading.Thread):
    """A reader that follows the store while writers write, and checks it sees no gap."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.stop = threading.Event()
        self.seen = 0
        self.reads = 0
        self.problems: list[str] = []

    def run(self) -> None:
        store = open_store(self.url)
        try:
            while True:
                done = self.stop.is_set()
                records = store.read_all(after_position=self.seen)
                self.reads += 1
                wanted = list(range(self.seen + 1, self.seen + 1 + len(records)))
                if [r.position for r in records] != wanted:
                    self.problems.append(f"after {self.seen}: a gap in what a reader sees")
                    return
                if records:
                    self.seen = records[-1].position
                if done:
                    return
                time.sleep(0.005)
        finally:
            store.close()


@pytest.fixture
def following(url: str) -> Iterator[Follower]:
    follower = Follower(url)
    follower.start()
    try:
        yield follower
    finally:
        follower.stop.set()
        follower.join(timeout=120)


def test_x1_a_writer_killed_mid_append_loses_no_committed_event_and_leaves_no_partial_batch(
    url: str,
) -> None:
    """X-1: SIGKILL a process appending batches of 200, six times; then check the store."""
    size, kills = 200, 6
    store = open_store(url)
    store.head()  # the tables exist before the first writer
    told: dict[str, list[int]] = {}
    chance = random.Random(19)
    started = time.perf_counter()
    for round_ in range(kills):
        process = writer(url, "batches", f"R{round_}", str(size))
        assert process.stdout is not None
        first = process.stdout.readline()  # one batch committed: it is appending now
        assert first, process.stderr.read() if process.stderr else ""
        time.sleep(chance.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        rest = lines_of(process)
        for line in [json.loads(first), *rest]:
            told[line["case"]] = line["positions"]
    elapsed = time.perf_counter() - started
    records = store.read_all()
    by_case: dict[str, list[int]] = {}
    for r in records:
        by_case.setdefault(r.case, []).append(r.version)
    positions = [r.position for r in records]
    assert positions == list(range(1, len(records) + 1))  # no gap, nothing half-written
    for case, versions in by_case.items():
        assert versions == list(range(1, size + 1)), f"{case}: a partial batch"
        assert [r.event for r in records if r.case == case] == events_for(case, size)
    for case, written in told.items():
        assert list(store.read(case).positions) == written  # every committed batch is there
    unreported = sorted(set(by_case) - set(told))
    print(
        f"\n{url.partition(':')[0]}: {kills} writers killed; {len(told)} batches told "
        f"committed, all there; {len(unreported)} committed but killed before saying so; "
        f"{len(by_case)} batches of {size} in the store, no partial one; {elapsed:.1f} s"
    )
    # The store goes on after the kills.
    store.append("AFTER", events_for("AFTER", 2), expected_version=0)
    assert store.read("AFTER").version == 2
    store.close()


def _start_case(store: EventStore, case: str) -> None:
    for step in opening_steps(case):
        record(store, ov.OUTPATIENT_CARE, step)


def test_x1_eight_writers_on_one_case_each_accepted_request_once_each_loser_redecided_or_reported(
    url: str, following: Follower
) -> None:
    """X-1: eight processes record 15 meetings and the care plan in one case at once."""
    count = 15
    store = open_store(url)
    _start_case(store, "ONE")
    started = time.perf_counter()
    processes = [writer(url, "meetings", "ONE", str(w), str(count)) for w in range(WRITERS)]
    per_writer = [lines_of(p) for p in processes]
    outcomes = [line for lines in per_writer for line in lines]
    elapsed = time.perf_counter() - started
    assert all(p.returncode == 0 for p in processes)
    following.stop.set()
    following.join(timeout=120)
    assert not following.problems, following.problems
    # Every request has its outcome: accepted (perhaps after deciding again) or reported.
    assert len(outcomes) == WRITERS * (count + 1)
    assert len({o["request"] for o in outcomes}) == len(outcomes)
    accepted = {o["request"]: o["accepted"] for o in outcomes if "accepted" in o}
    refused = {o["request"]: o["refused"] for o in outcomes if "refused" in o}
    care_plans = {name for name in accepted if name.startswith("care-plan")}
    assert len(care_plans) == 1  # the once-only step: one writer wins it
    assert sorted(refused.values()) == [IllegalTransition.__name__] * (WRITERS - 1)
    assert set(refused) == {f"care-plan-{w}" for w in range(WRITERS)} - care_plans
    # Each accepted request's event is in the case once, where the writer was told.
    history = store.read("ONE")
    recorded = dict(zip(history.positions, history.events, strict=True))
    by_position = {position: name for name, position in accepted.items()}
    assert len(by_position) == len(accepted)
    for w in range(WRITERS):
        for n in range(count):
            name = f"meeting-{w}-{n}"
            assert recorded[accepted[name]] == meeting("ONE", w, n)
    assert len(history) == len(opening_steps("ONE")) + len(accepted)
    assert list(history.positions) == list(range(1, len(history) + 1))
    assert following.seen == store.head()
    conflicts = sum(lines[-1]["conflicts"] for lines in per_writer)  # each writer's count
    print(
        f"\n{url.partition(':')[0]}: {WRITERS} writers, one case: {len(accepted)} accepted "
        f"({len(accepted) / elapsed:.0f}/s), {len(refused)} reported (the care plan, sent "
        f"once), {conflicts} conflicts decided again; a reader followed "
        f"{following.seen} positions in {following.reads} reads, no gap; {elapsed:.1f} s"
    )
    store.close()


def test_x1_eight_writers_on_eight_cases_all_succeed_without_a_gap(
    url: str, following: Follower
) -> None:
    """X-1: eight processes each record a case of their own at once."""
    count = 20
    started = time.perf_counter()
    processes = [writer(url, "own", f"C-{w}", str(count)) for w in range(WRITERS)]
    outcomes = [line for p in processes for line in lines_of(p)]
    elapsed = time.perf_counter() - started
    following.stop.set()
    following.join(timeout=120)
    assert not following.problems, following.problems
    store = open_store(url)
    steps = len(opening_steps("C-0")) + count
    assert len(outcomes) == WRITERS * steps
    assert all("accepted" in o for o in outcomes)
    for w in range(WRITERS):
        case = f"C-{w}"
        wanted = [*opening_steps(case), *(meeting(case, 0, n) for n in range(count))]
        assert list(store.read(case)) == wanted
    every = [r.position for r in store.read_all()]
    assert every == list(range(1, WRITERS * steps + 1))
    assert sorted(o["accepted"] for o in outcomes) == every
    assert following.seen == every[-1]
    print(
        f"\n{url.partition(':')[0]}: {WRITERS} writers, {WRITERS} cases: "
        f"{len(outcomes)} steps recorded ({len(outcomes) / elapsed:.0f}/s), none lost; a "
        f"reader followed them in {following.reads} reads, no gap; {elapsed:.1f} s"
    )
    store.close()
