"""The event store contract (lagrets kontrakt): one suite every store passes, X-1.

Both shipped stores run it, and a store of one's own can too. In a test module::

    from arendefordelning.testing import store_contract, store_machine

    TestMyStore = store_contract(lambda: MyStore(...))            # the example tests
    TestMyStoreMachine = store_machine(lambda: MyStore(...)).TestCase   # hypothesis

The factory must give a new, empty store on every call (a new file, new tables), and
the store must be safe to share between threads. The example tests check: a round
trip (every field, ``recorded_at`` included, positions and versions); a duplicate
version refused; a conflicting batch writes nothing; cases kept apart; ranges of
positions and the routine filter; batches written at once by several threads that do
not interleave and leave no gap; writers racing on one case, of whom exactly one wins
each version; and a consumer that stops (its handler fails, or it breaks off a tail)
and resumes, seeing each position once. The state machine appends, reads and
consumes at random and compares every answer with a model kept in memory.

This module needs hypothesis (``arendefordelning[hypothesis]``) and pytest, which runs it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar, Final

try:
    import pytest
    from hypothesis import settings
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
except ImportError:  # pragma: no cover - exercised without hypothesis
    raise ImportError(
        "arendefordelning.store.contract needs hypothesis and pytest: "
        "pip install 'arendefordelning[hypothesis]' pytest"
    ) from None

from .._time import STOCKHOLM
from ..errors import InvalidInput
from ..kernel import Actor, Event, Role
from ._base import ConcurrencyConflict, EventStore, Recorded
from ._transfer import tail

__all__ = ["StoreContract", "events_for", "store_contract", "store_machine"]

StoreFactory = Callable[[], EventStore]

_START: Final = datetime(2026, 3, 2, 8, 0, tzinfo=STOCKHOLM)
_WORKER: Final = Actor("ss-1", Role.SOCIAL_WORKER)
_THERAPIST: Final = Actor("beh-2", Role.THERAPIST)


def events_for(case: str, count: int, *, start: int = 0) -> list[Event]:
    """Make ``count`` distinct events of one case (routine OV's), numbered from ``start``.

    Of several types and fields, some recorded later than they happened, so that a
    round trip shows every field kept.
    """
    from ..routines import outpatient_care as ov  # noqa: PLC0415 - the routines load on use

    made: list[Event] = []
    for n in range(start, start + count):
        at = _START + timedelta(minutes=7 * n)
        later = at + timedelta(hours=n % 5) if n % 3 == 0 else None
        if n % 2 == 0:
            made.append(
                ov.DecisionMade(
                    case=case, at=at, actor=_WORKER, recorded_at=later, intervention=f"insats {n}"
                )
            )
        else:
            made.append(
                ov.MeetingBooked(
                    case=case,
                    at=at,
                    actor=_THERAPIST,
                    recorded_at=later,
                    meeting_at=at + timedelta(days=n),
                )
            )
    return made


def _positions(records: list[Recorded[Event]]) -> list[int]:
    return [r.position for r in records]


class StoreContract:
    """The store contract's example tests (lagrets kontrakt), X-1.

    Subclass it and give ``make_store`` (a new, empty store on every call), or use
    :func:`store_contract`. Each test closes the stores it makes.
    """

    __test__: ClassVar[bool] = False
    threads: ClassVar[int] = 4
    """How many threads the concurrent tests write from."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__test__" not in cls.__dict__:
            cls.__test__ = True  # a subclass is a suite to collect

    def make_store(self) -> EventStore:
        """Return a new, empty store."""
        raise NotImplementedError("a store contract needs make_store (a new, empty store)")

    @contextlib.contextmanager
    def _store(self) -> Iterator[EventStore]:
        store = self.make_store()
        try:
            yield store
        finally:
            store.close()

    # ----------------------------------------------------------------------- the tests

    def test_x1_round_trip_keeps_every_field_position_and_version(self) -> None:
        """X-1: what is appended is read back equal, ``recorded_at`` kept, in order."""
        with self._store() as store:
            assert store.head() == 0
            assert store.read_all() == []
            first = events_for("K-1", 3)
            positions = store.append("K-1", first, expected_version=0)
            assert positions == sorted(positions)
            assert len(set(positions)) == 3
            history = store.read("K-1")
            assert list(history) == first
            assert [e.recorded_at for e in history] == [e.recorded_at for e in first]
            assert history.version == 3
            assert history.positions == tuple(positions)
            more = events_for("K-1", 2, start=3)
            later = store.append("K-1", more, expected_version=3)
            assert min(later) > max(positions)
            records = store.read_all()
            assert [r.event for r in records] == first + more
            assert [r.version for r in records] == [1, 2, 3, 4, 5]
            assert _positions(records) == positions + later
            assert store.head() == later[-1]
            assert list(store.read("K-1", after_version=3)) == more
            assert store.read("K-1", after_version=3).version == 5

    def test_x1_a_duplicate_version_is_refused(self) -> None:
        """X-1: a second append at the same expected version is a conflict."""
        with self._store() as store:
            store.append("K-1", events_for("K-1", 2), expected_version=0)
            with pytest.raises(ConcurrencyConflict) as refused:
                store.append("K-1", events_for("K-1", 1, start=5), expected_version=0)
            conflict = refused.value
            assert (conflict.case, conflict.expected, conflict.actual) == ("K-1", 0, 2)
            assert store.read("K-1").version == 2
            assert len(store.read_all()) == 2

    def test_x1_a_conflicting_batch_writes_nothing(self) -> None:
        """X-1: a batch at a wrong version writes none of its events, before or after."""
        with self._store() as store:
            store.append("K-1", events_for("K-1", 2), expected_version=0)
            head = store.head()
            for expected in (1, 3, 0):
                batch = events_for("K-1", 4, start=10)
                with pytest.raises(ConcurrencyConflict) as refused:
                    store.append("K-1", batch, expected_version=expected)
                assert (refused.value.expected, refused.value.actual) == (expected, 2)
            assert store.head() == head
            assert list(store.read("K-1")) == events_for("K-1", 2)

    def test_x1_bad_input_is_refused_and_writes_nothing(self) -> None:
        """X-1: no events, an event of another case, a bad version: InvalidInput."""
        with self._store() as store:
            bad: list[Callable[[], object]] = [
                lambda: store.append("K-1", [], expected_version=0),
                lambda: store.append("K-1", events_for("K-2", 1), expected_version=0),
                lambda: store.append(
                    "K-1", [*events_for("K-1", 1), *events_for("K-2", 1)], expected_version=0
                ),
                lambda: store.append("K-1", events_for("K-1", 1), expected_version=-1),
                lambda: store.append("K-1", ["not an event"], expected_version=0),  # type: ignore[list-item]
                lambda: store.read_all(limit=0),
                lambda: store.read("K-1", after_version=-1),
            ]
            for call in bad:
                with pytest.raises(InvalidInput):
                    call()
            assert store.head() == 0

    def test_x1_cases_are_kept_apart(self) -> None:
        """X-1: each case has its own versions; reading one never shows another's events."""
        with self._store() as store:
            a, b = events_for("K-A", 4), events_for("K-B", 3, start=20)
            for i in range(4):
                store.append("K-A", [a[i]], expected_version=i)
                if i < 3:
                    store.append("K-B", [b[i]], expected_version=i)
            assert list(store.read("K-A")) == a
            assert list(store.read("K-B")) == b
            assert store.read("K-C").version == 0
            assert list(store.read("K-C")) == []
            versions = {r.case: [] for r in store.read_all()}  # type: dict[str, list[int]]
            for r in store.read_all():
                versions[r.case].append(r.version)
            assert versions == {"K-A": [1, 2, 3, 4], "K-B": [1, 2, 3]}

    def test_x1_position_ranges_and_routines(self) -> None:
        """X-1: ``read_all`` gives the positions after one, at most ``limit``, of some routines."""
        with self._store() as store:
            for n in range(5):
                store.append(f"K-{n}", events_for(f"K-{n}", 2), expected_version=0)
            every = _positions(store.read_all())
            assert len(every) == 10
            assert every == sorted(every)
            for after in (0, every[0], every[4], every[-1]):
                for limit in (None, 1, 3, 20):
                    got = _positions(store.read_all(after_position=after, limit=limit))
                    wanted = [p for p in every if p > after]
                    assert got == (wanted if limit is None else wanted[:limit])
            assert _positions(store.read_all(routines=("OV",))) == every
            assert store.read_all(routines=("VAL",)) == []
            assert store.head() == every[-1]

    def test_x1_concurrent_batches_do_not_interleave_or_leave_gaps(self) -> None:
        """X-1: batches appended at once by several threads keep contiguous positions."""
        with self._store() as store:
            size, count = 30, self.threads
            start = threading.Barrier(count)
            written: dict[str, list[int]] = {}
            errors: list[BaseException] = []

            def write(case: str) -> None:
                batch = events_for(case, size)
                try:
                    start.wait()
                    written[case] = store.append(case, batch, expected_version=0)
                except BaseException as error:  # reported below
                    errors.append(error)

            workers = [threading.Thread(target=write, args=(f"T-{i}",)) for i in range(count)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            assert not errors, errors
            for positions in written.values():
                assert positions == list(range(positions[0], positions[0] + size))
            every = _positions(store.read_all())
            assert every == list(range(every[0], every[0] + size * count))
            for case, positions in written.items():
                assert list(store.read(case).positions) == positions

    def test_x1_writers_racing_on_one_case_win_each_version_once(self) -> None:
        """X-1: of writers appending at the same version, one wins; the others conflict."""
        with self._store() as store:
            rounds, count = 5, self.threads
            wins: list[tuple[int, int]] = []
            conflicts: list[int] = []
            lock = threading.Lock()
            barrier = threading.Barrier(count)
            errors: list[BaseException] = []

            def write(writer: int) -> None:
                try:
                    for version in range(rounds):
                        barrier.wait()
                        event = events_for("ONE", 1, start=100 * writer + version)
                        try:
                            store.append("ONE", event, expected_version=version)
                        except ConcurrencyConflict:
                            with lock:
                                conflicts.append(version)
                        else:
                            with lock:
                                wins.append((version, writer))
                except BaseException as error:  # reported below
                    errors.append(error)
                    barrier.abort()

            workers = [threading.Thread(target=write, args=(i,)) for i in range(count)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            assert not errors, errors
            assert sorted(v for v, _ in wins) == list(range(rounds))
            assert len(conflicts) == rounds * (count - 1)
            history = store.read("ONE")
            assert history.version == rounds
            winners = dict(wins)
            assert list(history) == [
                events_for("ONE", 1, start=100 * winners[v] + v)[0] for v in range(rounds)
            ]

    def test_x1_a_resumed_consumer_sees_every_position_once(self) -> None:
        """X-1: a consumer whose handler fails, or that breaks off, resumes without a gap."""
        with self._store() as store:
            for n in range(4):
                store.append(f"K-{n}", events_for(f"K-{n}", 3), expected_version=0)
            every = _positions(store.read_all())
            seen: list[int] = []
            calls = 0

            def handle(records: list[Recorded[Event]], connection: object) -> None:
                nonlocal calls
                calls += 1
                if calls == 2:
                    raise RuntimeError("the consumer fails in the middle of a page")
                pending.extend(r.position for r in records)

            pending: list[int] = []
            while True:
                pending.clear()
                try:
                    handed = store.process("audit", handle, limit=5)
                except RuntimeError:
                    continue  # its transaction was rolled back: nothing counts
                seen.extend(pending)  # committed with the position
                if handed == 0:
                    break
            assert seen == every
            assert store.tracked("audit") == every[-1]
            assert store.process("audit", handle, limit=5) == 0

            # A tail broken off after handling some events resumes after them.
            followed: list[int] = []
            for stop in (3, 7, 100):
                for record in tail(store, "tail", page=4):
                    if len(followed) == stop:
                        break
                    followed.append(record.position)
            assert followed == every
            assert store.tracked("tail") == every[-1]
            store.append("K-9", events_for("K-9", 2), expected_version=0)
            assert [r.position for r in tail(store, "tail")] == _positions(store.read_all())[-2:]


def store_contract(
    make_store: StoreFactory, *, name: str = "StoreContractTests"
) -> type[StoreContract]:
    """Return the contract's example tests for a store factory, to bind to a ``Test*`` name.

    ``make_store`` must return a new, empty store on every call.
    """
    return type(name, (StoreContract,), {"make_store": lambda self: make_store()})


# --------------------------------------------------------------------------- the state machine


class _Model:
    """The store as it must be: the events in position order, with their cases."""

    def __init__(self) -> None:
        self.records: list[tuple[str, int, Event]] = []  # (case, version, event)
        self.tracked: dict[str, int] = {}

    def version(self, case: str) -> int:
        return sum(1 for c, _, _ in self.records if c == case)


_CASES: Final = ("M-1", "M-2", "M-3")


def store_machine(
    make_store: StoreFactory, *, max_examples: int = 20, steps: int = 25
) -> type[RuleBasedStateMachine]:
    """Return a hypothesis state machine that checks a store against a model, X-1.

    Its rules append (at the right version, or a wrong one), read a case, read
    ranges of positions and consume pages; after each, every answer must be what a
    store kept in memory would give: the positions unique and increasing without a
    gap the reader sees, each case's versions counted from 1, a refused batch leaving
    no trace. Run it with ``store_machine(factory).TestCase``.
    """

    class StoreMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.store = make_store()
            self.model = _Model()
            self.positions: list[int] = []
            self.counter = 0

        def teardown(self) -> None:
            self.store.close()

        @rule(
            case=st.sampled_from(_CASES),
            count=st.integers(1, 4),
            offset=st.sampled_from((0, 0, 0, -1, 1, 2)),
        )
        def append(self, case: str, count: int, offset: int) -> None:
            actual = self.model.version(case)
            expected = actual + offset
            batch = events_for(case, count, start=self.counter)
            self.counter += count
            if expected < 0:
                return
            refused: ConcurrencyConflict | None = None
            try:
                positions = self.store.append(case, batch, expected_version=expected)
            except ConcurrencyConflict as conflict:
                refused = conflict
            if refused is not None:
                assert offset != 0
                assert (refused.expected, refused.actual) == (expected, actual)
                return
            assert offset == 0
            assert len(positions) == count
            if self.positions:
                assert positions[0] > self.positions[-1]
            assert positions == sorted(positions)
            self.positions.extend(positions)
            for i, event in enumerate(batch, 1):
                self.model.records.append((case, actual + i, event))

        @rule(case=st.sampled_from(_CASES), after=st.integers(0, 5))
        def read(self, case: str, after: int) -> None:
            history = self.store.read(case, after_version=after)
            mine = [(v, e) for c, v, e in self.model.records if c == case and v > after]
            assert list(history) == [e for _, e in mine]
            assert history.version == self.model.version(case)

        @rule(data=st.data())
        def read_all(self, data: st.DataObject) -> None:
            after = data.draw(st.sampled_from([0, *self.positions, 10**6]))
            limit = data.draw(st.none() | st.integers(1, 6))
            records = self.store.read_all(after_position=after, limit=limit)
            wanted = [
                (p, c, v, e)
                for p, (c, v, e) in zip(self.positions, self.model.records, strict=True)
                if p > after
            ]
            if limit is not None:
                wanted = wanted[:limit]
            assert [(r.position, r.case, r.version, r.event) for r in records] == wanted

        @rule(name=st.sampled_from(("a", "b")), limit=st.integers(1, 4), fail=st.booleans())
        def consume(self, name: str, limit: int, fail: bool) -> None:
            start = self.model.tracked.get(name, 0)
            got: list[int] = []

            def handle(records: list[Recorded[Event]], connection: object) -> None:
                got.extend(r.position for r in records)
                if fail:
                    raise LookupError("the consumer fails")

            try:
                handed = self.store.process(name, handle, limit=limit)
            except LookupError:
                assert fail
                assert self.store.tracked(name) == start
                return
            wanted = [p for p in self.positions if p > start][:limit]
            assert got == wanted
            assert handed == len(wanted)
            if wanted:
                self.model.tracked[name] = wanted[-1]
            assert self.store.tracked(name) == self.model.tracked.get(name, 0)

        @precondition(lambda self: bool(self.positions))
        @invariant()
        def head_is_the_last_position(self) -> None:
            assert self.store.head() == self.positions[-1]

    StoreMachine.TestCase.settings = settings(
        max_examples=max_examples, stateful_step_count=steps, deadline=None
    )
    return StoreMachine
