"""The event stores: the shipped contract on both, record, schemas, dump/load, URLs (X-1, X-2).

The PostgreSQL tests run against a real server: the one .ci/run starts (through
``ARENDEFORDELNING_TEST_POSTGRES``), or one the session starts with ``.ci/postgres``
(tests/conftest.py). In CI they fail, never skip, when no server can be had.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from arendefordelning import Actor, IllegalTransition, InvalidInput, NotPermitted, Role
from arendefordelning.eventlog import dumps_event, load_events
from arendefordelning.kernel import Event
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.store import (
    SCHEMA_VERSION,
    ConcurrencyConflict,
    CorruptStore,
    EventStore,
    History,
    NewerSchema,
    NotAnEventStore,
    PostgresEventStore,
    Recorded,
    SQLiteEventStore,
    StoreError,
    TrackingConflict,
    dump,
    events_from,
    is_store_url,
    load,
    open_store,
    record,
    tail,
)
from arendefordelning.store import _postgres as postgres_module
from arendefordelning.store import _sqlite as sqlite_module
from arendefordelning.store.contract import StoreContract, events_for, store_machine
from arendefordelning.testing import store_contract

STOCKHOLM_AT = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
WORKER = Actor("ss-1", Role.SOCIAL_WORKER)
MANAGER = Actor("ec-1", Role.UNIT_MANAGER)
THERAPIST = Actor("beh-1", Role.THERAPIST)


def new_sqlite(**options: Any) -> SQLiteEventStore:
    return SQLiteEventStore(Path(tempfile.mkdtemp()) / "events.db", **options)


def new_table() -> str:
    return f"t_{uuid.uuid4().hex[:16]}"


# --------------------------------------------------------------------------- the contract


TestSQLiteContract = store_contract(new_sqlite, name="TestSQLiteContract")


class TestPostgresContract(StoreContract):
    """The same contract, on a real PostgreSQL server."""

    url = ""

    @pytest.fixture(autouse=True)
    def _server(self, postgres_url: str) -> None:
        self.url = postgres_url

    def make_store(self) -> EventStore:
        return PostgresEventStore(self.url, table=new_table(), max_size=8)


def test_x1_the_contract_is_one_suite_and_its_base_is_not_collected() -> None:
    """X-1: the kit's binding and a subclass run the same tests; the base runs none."""
    assert StoreContract.__test__ is False
    assert TestSQLiteContract.__test__ is True
    assert TestPostgresContract.__test__ is True
    names = {name for name in dir(StoreContract) if name.startswith("test_")}
    assert len(names) >= 9
    assert names <= set(dir(TestSQLiteContract))
    with pytest.raises(NotImplementedError):
        StoreContract().make_store()


@pytest.mark.slow
def test_x1_the_sqlite_store_behaves_as_the_model() -> None:
    """X-1: random appends, reads and consumers on SQLite, against the in-memory model."""
    run_state_machine_as_test(
        store_machine(lambda: new_sqlite(synchronous="NORMAL")),
        settings=settings(max_examples=40, stateful_step_count=30),
    )


@pytest.mark.slow
def test_x1_the_postgres_store_behaves_as_the_model(postgres_url: str) -> None:
    """X-1: the same state machine on PostgreSQL."""
    run_state_machine_as_test(
        store_machine(lambda: PostgresEventStore(postgres_url, table=new_table(), max_size=2)),
        settings=settings(max_examples=25, stateful_step_count=30),
    )


def test_x1_the_state_machine_finds_a_store_that_loses_a_batch() -> None:
    """X-1: the machine is no test that cannot fail: a store that drops a batch is caught."""

    class Forgetful(SQLiteEventStore):
        calls = 0

        def append(self, case: str, events: Sequence[Event], *, expected_version: int) -> list[int]:
            self.calls += 1
            if self.calls % 3 == 0:
                return [self.head() + 1]  # says it wrote, writes nothing
            return super().append(case, events, expected_version=expected_version)

    def forgetful() -> SQLiteEventStore:
        return Forgetful(Path(tempfile.mkdtemp()) / "events.db", synchronous="NORMAL")

    with pytest.raises(AssertionError):
        run_state_machine_as_test(
            store_machine(forgetful),
            settings=settings(
                max_examples=30,
                stateful_step_count=20,
                database=None,
                phases=(Phase.generate,),
                report_multiple_bugs=False,
            ),
        )


# --------------------------------------------------------------------------- values


def test_x1_history_is_the_events_with_the_version_read() -> None:
    """X-1: a History is a sequence of the events, with the case's version beside them."""
    events = events_for("K-1", 3)
    history = History(case="K-1", events=tuple(events), version=3, positions=(4, 5, 6))
    assert list(history) == events
    assert len(history) == 3
    assert history[1] == events[1]
    assert history[1:] == tuple(events[1:])
    assert history == History(case="K-1", events=tuple(events), version=3)
    assert history != History(case="K-1", events=tuple(events), version=4)
    assert "3 events" in repr(history)
    assert hash(history) == hash(History(case="K-1", events=tuple(events), version=3))


def test_x7_no_repr_shows_the_path_or_url_of_the_store(postgres_url: str) -> None:
    """X-7: a store file named after a person, a URL with a password: neither in a repr."""
    directory = Path(tempfile.mkdtemp())
    store = SQLiteEventStore(directory / "19121212-1212.db")
    assert "1212" not in repr(store)
    store.close()
    pg = PostgresEventStore(postgres_url, table=new_table())
    assert "127.0.0.1" not in repr(pg)
    assert "postgres" not in repr(pg).removeprefix("PostgresEventStore")
    pg.close()


def test_x1_recorded_refuses_a_negative_position() -> None:
    event = events_for("K-1", 1)[0]
    with pytest.raises(InvalidInput, match="position"):
        Recorded(position=-1, version=1, event=event)
    assert Recorded(position=3, version=1, event=event).case == "K-1"


# --------------------------------------------------------------------------- record


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> Iterator[EventStore]:
    made: EventStore
    if request.param == "sqlite":
        made = new_sqlite()
    else:
        url = request.getfixturevalue("postgres_url")
        made = PostgresEventStore(url, table=new_table(), max_size=4)
    try:
        yield made
    finally:
        made.close()


def started_case(store: EventStore, case: str = "ÖV-1") -> datetime:
    """Record OV's first five steps in a case; return when the last happened."""
    at = STOCKHOLM_AT
    steps: list[Event] = [
        ov.DecisionMade(case=case, at=at, actor=WORKER, intervention="samtalsstöd"),
        ov.UnitManagerInformed(case=case, at=at + timedelta(hours=1), actor=WORKER),
        ov.TherapistsAssigned(
            case=case, at=at + timedelta(days=1), actor=MANAGER, therapists=("beh-1",)
        ),
        ov.SocialWorkerToldOfTherapists(
            case=case, at=at + timedelta(days=1, hours=1), actor=MANAGER
        ),
        ov.AssignmentStarted(case=case, at=at + timedelta(days=2), actor=WORKER),
    ]
    for step in steps:
        record(store, ov.OUTPATIENT_CARE, step)
    return at + timedelta(days=2)


def test_x1_given_a_case_when_a_step_is_recorded_then_it_is_appended_at_the_next_version(
    store: EventStore,
) -> None:
    """X-1: record reads the case, decides, and appends at the version read."""
    at = started_case(store)
    booked = ov.MeetingBooked(
        case="ÖV-1", at=at + timedelta(hours=2), actor=THERAPIST, meeting_at=at + timedelta(days=5)
    )
    [written] = record(store, ov.OUTPATIENT_CARE, booked)
    assert written.event == booked
    assert written.version == 6
    assert written.position == store.head()
    history = store.read("ÖV-1", routine=ov.OUTPATIENT_CARE)
    assert history.version == 6
    state = ov.replay(history)
    assert state.meeting_at == booked.meeting_at


def test_x2_given_a_case_when_the_role_may_not_take_the_step_then_nothing_is_recorded(
    store: EventStore,
) -> None:
    """X-2: record refuses what decide refuses, and appends nothing."""
    started_case(store)
    head = store.head()
    with pytest.raises(NotPermitted):
        record(
            store,
            ov.OUTPATIENT_CARE,
            ov.SocialWorkerContacted(
                case="ÖV-1", at=STOCKHOLM_AT + timedelta(days=3), actor=MANAGER
            ),
        )
    with pytest.raises(IllegalTransition):
        record(
            store,
            ov.OUTPATIENT_CARE,
            ov.DecisionMade(
                case="ÖV-1", at=STOCKHOLM_AT + timedelta(days=3), actor=WORKER, intervention="x"
            ),
        )
    with pytest.raises(InvalidInput):
        record(store, ov.OUTPATIENT_CARE, "not a request")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="attempts"):
        record(store, ov.OUTPATIENT_CARE, events_for("K", 1)[0], attempts=0)
    assert store.head() == head


class Interloper:
    """A store that lets another writer record in the case between a read and the append."""

    def __init__(self, store: EventStore, steps: Sequence[Event], times: int) -> None:
        self.store = store
        self.steps = list(steps)
        self.times = times
        self.reads = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def read(self, case: str, **options: Any) -> Any:
        history = self.store.read(case, **options)
        self.reads += 1
        if self.steps and self.times:
            self.times -= 1
            step = self.steps.pop(0)
            self.store.append(case, [step], expected_version=history.version)
        return history


def test_x1_given_another_writer_when_recording_then_the_step_is_decided_again(
    store: EventStore,
) -> None:
    """X-1: on a conflict, record reads the case again and decides against the new state."""
    at = started_case(store)
    others = [
        ov.SocialWorkerContacted(case="ÖV-1", at=at + timedelta(minutes=m), actor=THERAPIST)
        for m in (1, 2)
    ]
    racing = Interloper(store, others, times=2)
    booked = ov.MeetingBooked(
        case="ÖV-1", at=at + timedelta(hours=1), actor=THERAPIST, meeting_at=at + timedelta(days=4)
    )
    [written] = record(racing, ov.OUTPATIENT_CARE, booked)
    assert racing.reads == 3
    assert written.version == 8
    assert list(store.read("ÖV-1"))[-3:] == [*others, booked]


def test_x1_given_a_step_another_writer_made_impossible_then_the_loser_is_refused(
    store: EventStore,
) -> None:
    """X-1: re-deciding after a conflict refuses a once-only step the other writer took."""
    at = started_case(store)
    sent = ov.CarePlanSent(case="ÖV-1", at=at + timedelta(minutes=5), actor=WORKER)
    racing = Interloper(store, [sent], times=1)
    mine = ov.CarePlanSent(case="ÖV-1", at=at + timedelta(minutes=9), actor=WORKER)
    with pytest.raises(IllegalTransition, match="not allowed again"):
        record(racing, ov.OUTPATIENT_CARE, mine)
    assert list(store.read("ÖV-1")).count(sent) == 1
    assert mine not in list(store.read("ÖV-1"))


def test_x1_given_conflicts_on_every_attempt_then_record_raises_the_last(
    store: EventStore,
) -> None:
    """X-1: record re-decides up to its bound of attempts, then raises the conflict."""
    at = started_case(store)
    others = [
        ov.SocialWorkerContacted(case="ÖV-1", at=at + timedelta(minutes=m), actor=THERAPIST)
        for m in range(1, 5)
    ]
    racing = Interloper(store, others, times=3)
    mine = ov.SocialWorkerContacted(case="ÖV-1", at=at + timedelta(hours=1), actor=THERAPIST)
    with pytest.raises(ConcurrencyConflict) as refused:
        record(racing, ov.OUTPATIENT_CARE, mine, attempts=3)
    assert (refused.value.expected, refused.value.actual) == (7, 8)
    assert racing.reads == 3
    assert mine not in list(store.read("ÖV-1"))


def test_x1_the_judged_record_from_a_store_is_the_log_judged(store: EventStore) -> None:
    """X-1, X-5: what a store gives back is judged as the events themselves."""
    at = started_case(store)
    history = store.read("ÖV-1", routine=ov.OUTPATIENT_CARE)
    later = at + timedelta(days=120)
    assert ov.deviations(ov.replay(history), as_of=later) == ov.deviations_of(
        list(history), as_of=later
    )
    assert ov.deviations(ov.replay(history), as_of=later)  # OV's duties are overdue by then


def test_x1_reading_as_a_routine_refuses_another_routines_event(store: EventStore) -> None:
    """X-1: a case read as OV's holds only OV's events; another's is named, not guessed."""
    from arendefordelning.routines import provider_choice as val

    foreign = val.ReceiptFiled(case="ÖV-1", at=STOCKHOLM_AT, actor=WORKER)
    store.append("ÖV-1", [foreign], expected_version=0)
    assert store.read("ÖV-1") == History(case="ÖV-1", events=(foreign,), version=1)
    with pytest.raises(CorruptStore, match="position 1"):
        store.read("ÖV-1", routine=ov.OUTPATIENT_CARE)


# --------------------------------------------------------------------------- dump and load


def test_x1_a_store_dumps_to_json_lines_and_loads_back_losslessly(
    store: EventStore, tmp_path: Path
) -> None:
    """X-1: dump → load into an empty store → dump gives the same lines, ``recorded_at`` kept."""
    for n in range(6):
        case = f"K-{n % 3}"
        store.append(case, events_for(case, 2, start=10 * n), expected_version=2 * (n // 3))
    first = tmp_path / "first.jsonl"
    assert dump(store, first, page=3) == len(store.read_all())
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines == [dumps_event(r.event) for r in store.read_all()]
    assert any('"recorded_at"' in line for line in lines)
    other = new_sqlite()
    try:
        assert load(other, first, page=2) == len(lines)
        second = tmp_path / "second.jsonl"
        dump(other, second)
        assert second.read_bytes() == first.read_bytes()
        assert [(r.case, r.version) for r in other.read_all()] == [
            (r.case, r.version) for r in store.read_all()
        ]
        assert list(load_events(second)) == [r.event for r in store.read_all()]
        # Loading again appends after what is there, each case at its own version.
        assert load(other, first) == len(lines)
        assert other.read("K-0").version == 2 * store.read("K-0").version
    finally:
        other.close()


def test_x1_dump_to_a_stream_and_of_some_routines(store: EventStore) -> None:
    import io

    store.append("K-1", events_for("K-1", 3), expected_version=0)
    stream = io.StringIO()
    assert dump(store, stream, routines=("OV",)) == 3
    assert len(stream.getvalue().splitlines()) == 3
    assert dump(store, io.StringIO(), routines=("VAL",)) == 0
    with pytest.raises(InvalidInput, match="target"):
        dump(store, 42)  # type: ignore[arg-type]


def test_x1_a_failed_dump_leaves_no_partial_log(tmp_path: Path) -> None:
    """X-1: a store line that cannot be read stops the dump, and no log is left half written."""
    store = new_sqlite()
    store.append("K-1", events_for("K-1", 5), expected_version=0)
    with sqlite3.connect(store.path) as raw:
        raw.execute("UPDATE events SET envelope = '{\"case\": 1}' WHERE position = 4")
    target = tmp_path / "log.jsonl"
    with pytest.raises(CorruptStore, match="position 4"):
        dump(store, target, page=2)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    store.close()


def test_x1_a_bad_log_line_is_named_by_its_number_on_load(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    good = [dumps_event(e) for e in events_for("K-1", 2)]
    log.write_text("\n".join([*good, "{not json"]) + "\n", encoding="utf-8")
    store = new_sqlite()
    with pytest.raises(InvalidInput, match="line 3"):
        load(store, log)
    store.close()


# --------------------------------------------------------------------------- schemas


def test_x1_a_sqlite_file_of_another_application_is_refused_unchanged(tmp_path: Path) -> None:
    """X-1: a database with tables but without the store's mark is not written to."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE events (id INTEGER)")
    before = path.read_bytes()
    store = SQLiteEventStore(path)
    with pytest.raises(NotAnEventStore, match="another application"):
        store.head()
    assert path.read_bytes() == before
    text = tmp_path / "log.jsonl"
    text.write_text(dumps_event(events_for("K-1", 1)[0]) + "\n", encoding="utf-8")
    with pytest.raises(NotAnEventStore, match="not a SQLite database"):
        SQLiteEventStore(text).read("K-1")


def test_x1_a_sqlite_store_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    made = SQLiteEventStore(path)
    made.head()
    made.close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(NewerSchema) as refused:
        SQLiteEventStore(path).head()
    assert (refused.value.found, refused.value.known) == (SCHEMA_VERSION + 1, SCHEMA_VERSION)


def test_x1_a_sqlite_store_of_an_older_schema_is_upgraded_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-1: the upgrade path: a store of schema 1 opened by a library of schema 2."""
    path = tmp_path / "events.db"
    old = SQLiteEventStore(path)
    old.append("K-1", events_for("K-1", 2), expected_version=0)
    old.close()
    upgraded = {
        **sqlite_module.MIGRATIONS,
        SCHEMA_VERSION + 1: ("CREATE INDEX events_by_case ON events (case_id)",),
    }
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", upgraded)
    monkeypatch.setattr(sqlite_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    new = SQLiteEventStore(path)
    assert list(new.read("K-1")) == events_for("K-1", 2)
    new.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert "events_by_case" in names


def test_x1_a_damaged_sqlite_file_is_a_typed_error_never_a_partial_read(tmp_path: Path) -> None:
    """X-1: a file whose pages are overwritten raises CorruptStore; no events come back."""
    path = tmp_path / "events.db"
    store = SQLiteEventStore(path)
    for n in range(40):
        store.append(f"K-{n}", events_for(f"K-{n}", 5), expected_version=0)
    store.close()  # the WAL is checkpointed into the file
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    size = path.stat().st_size
    with open(path, "r+b") as raw:
        raw.seek(size // 2)
        raw.write(b"\xff" * 8192)
    damaged = SQLiteEventStore(path)
    with pytest.raises(CorruptStore, match="damaged"):
        damaged.read_all()
    with pytest.raises(CorruptStore):
        dump(damaged, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()
    damaged.close()


def test_x1_a_postgres_table_that_is_not_ours_is_refused_unchanged(postgres_url: str) -> None:
    """X-1: a table of the store's name without its metadata is not written to."""
    table = new_table()
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute(f"CREATE TABLE {table}_events (id integer)")
    with pytest.raises(NotAnEventStore, match="not the event store's"):
        PostgresEventStore(postgres_url, table=table).head()
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        assert raw.execute("SELECT to_regclass(%s)", (f"{table}_meta",)).fetchone() == (None,)
    other = new_table()
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute(f"CREATE TABLE {other}_meta (key text, value text)")
        raw.execute(f"INSERT INTO {other}_meta VALUES ('format', 'someone else')")
    with pytest.raises(NotAnEventStore):
        PostgresEventStore(postgres_url, table=other).read("K-1")


def test_x1_a_postgres_store_of_a_newer_schema_is_refused(postgres_url: str) -> None:
    table = new_table()
    PostgresEventStore(postgres_url, table=table).head()
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute(f"UPDATE {table}_meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(NewerSchema, match="schema version 99"):
        PostgresEventStore(postgres_url, table=table).head()


def test_x1_a_postgres_store_of_an_older_schema_is_upgraded(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = new_table()
    old = PostgresEventStore(postgres_url, table=table)
    old.append("K-1", events_for("K-1", 2), expected_version=0)
    old.close()
    upgraded = {
        **postgres_module.MIGRATIONS,
        SCHEMA_VERSION + 1: ("CREATE INDEX {t}_events_by_case ON {t}_events (case_id)",),
    }
    monkeypatch.setattr(postgres_module, "MIGRATIONS", upgraded)
    monkeypatch.setattr(postgres_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    new = PostgresEventStore(postgres_url, table=table)
    assert list(new.read("K-1")) == events_for("K-1", 2)
    new.close()
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        meta: dict[str, str] = dict(raw.execute(f"SELECT key, value FROM {table}_meta").fetchall())
        index = raw.execute("SELECT to_regclass(%s)", (f"{table}_events_by_case",)).fetchone()
    assert meta["schema"] == str(SCHEMA_VERSION + 1)
    assert index is not None
    assert index[0] is not None


def test_x1_a_bad_stored_line_in_postgres_is_named_by_position(postgres_url: str) -> None:
    table = new_table()
    store = PostgresEventStore(postgres_url, table=table)
    store.append("K-1", events_for("K-1", 3), expected_version=0)
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute(f"UPDATE {table}_events SET envelope = '[]' WHERE position = 2")
    with pytest.raises(CorruptStore, match="position 2"):
        store.read_all()
    store.close()


def _waiting(case: str, count: int, expected: int, start: int = 0) -> Any:
    from arendefordelning.store._base import encode_batch

    rows = encode_batch(case, events_for(case, count, start=start))
    return postgres_module._Waiting(case, rows, expected)


def test_x1_a_postgres_group_commits_the_batches_that_stand_and_refuses_the_rest(
    postgres_url: str,
) -> None:
    """X-1: concurrent appends written together: each batch all or nothing, in order."""
    store = PostgresEventStore(postgres_url, table=new_table())
    store.append("G-2", events_for("G-2", 2), expected_version=0)
    group = [
        _waiting("G-1", 3, 0),  # stands: written at 3..5
        _waiting("G-1", 2, 0, start=50),  # read at the same version: a conflict
        _waiting("G-2", 1, 5),  # the case stands at 2: a conflict
        _waiting("G-2", 2, 2, start=60),  # stands: written at 6..7
        _waiting("G-3", 1, 0),  # stands: written at 8
    ]
    store._write_group(group)
    assert all(waiting.done for waiting in group)
    assert [waiting.positions for waiting in group] == [[3, 4, 5], None, None, [6, 7], [8]]
    conflicts = [waiting.error for waiting in group]
    assert isinstance(conflicts[1], ConcurrencyConflict)
    assert (conflicts[1].expected, conflicts[1].actual) == (0, 3)
    assert isinstance(conflicts[2], ConcurrencyConflict)
    assert (conflicts[2].expected, conflicts[2].actual) == (5, 4)  # as the group left it
    assert list(store.read("G-1")) == events_for("G-1", 3)
    assert list(store.read("G-2")) == [*events_for("G-2", 2), *events_for("G-2", 2, start=60)]
    assert [r.position for r in store.read_all()] == list(range(1, 9))
    store.close()


def test_x1_a_postgres_group_that_fails_writes_nothing_and_tells_every_writer(
    postgres_url: str,
) -> None:
    """X-1: a group the database refuses as a whole leaves no batch of it behind."""
    table = new_table()
    store = PostgresEventStore(postgres_url, table=table)
    store.append("F-1", events_for("F-1", 1), expected_version=0)
    group = [_waiting("F-4", 1, 0), _waiting("F-5", 1, 0)]
    with psycopg.connect(postgres_url, autocommit=True) as raw:
        raw.execute(f"DROP TABLE {table}_events")
    store._write_group(group)
    assert all(waiting.done for waiting in group)
    assert all(waiting.positions is None for waiting in group)
    errors = [waiting.error for waiting in group]
    assert errors[0] is errors[1]
    assert isinstance(errors[0], StoreError)
    assert not isinstance(errors[0], ConcurrencyConflict)  # not a conflict: the table is gone
    store.close()


def test_the_store_arguments_are_checked(postgres_url: str) -> None:
    with pytest.raises(InvalidInput, match="table"):
        PostgresEventStore(postgres_url, table="Robert'); DROP TABLE x;--")
    with pytest.raises(InvalidInput, match="max_size"):
        PostgresEventStore(postgres_url, min_size=4, max_size=2)
    with pytest.raises(InvalidInput, match="timeout"):
        PostgresEventStore(postgres_url, timeout=0)
    with pytest.raises(InvalidInput, match="synchronous"):
        SQLiteEventStore("x.db", synchronous="OFF")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="path"):
        SQLiteEventStore(42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tracking


def test_x1_a_consumer_writes_its_results_in_the_tracking_transaction(store: EventStore) -> None:
    """X-1: what the handler writes through the connection commits with the position, or not."""
    store.append("K-1", events_for("K-1", 4), expected_version=0)
    sqlite = isinstance(store, SQLiteEventStore)
    mark = "?" if sqlite else "%s"
    table = "results" if sqlite else f"{store.table}_results"  # type: ignore[attr-defined]
    with_connection: list[Any] = []

    def setup(records: list[Recorded[Event]], connection: Any) -> None:
        connection.execute(f"CREATE TABLE {table} (position bigint PRIMARY KEY)")
        for r in records:
            connection.execute(f"INSERT INTO {table} VALUES ({mark})", (r.position,))
        with_connection.append(connection)

    assert store.process("results", setup, limit=2) == 2

    def failing(records: list[Recorded[Event]], connection: Any) -> None:
        for r in records:
            connection.execute(f"INSERT INTO {table} VALUES ({mark})", (r.position,))
        raise KeyError("after writing")

    with pytest.raises(KeyError):
        store.process("results", failing, limit=2)
    assert store.tracked("results") == 2

    def counted(records: list[Recorded[Event]], connection: Any) -> None:
        for r in records:
            connection.execute(f"INSERT INTO {table} VALUES ({mark})", (r.position,))

    assert store.process("results", counted, limit=10) == 2
    rows: list[Any] = []
    store.process("results", lambda r, c: rows.extend(c.execute(f"SELECT * FROM {table}")))
    assert rows == []  # nothing new to hand over: the handler was not called
    with_connection.clear()

    def look(records: list[Recorded[Event]], connection: Any) -> None:
        rows.extend(connection.execute(f"SELECT position FROM {table} ORDER BY 1").fetchall())

    store.append("K-2", events_for("K-2", 1), expected_version=0)
    store.process("results", look)
    assert [int(row[0]) for row in rows] == [1, 2, 3, 4]


def test_x1_a_tail_of_another_consumer_of_the_same_name_is_a_conflict(store: EventStore) -> None:
    store.append("K-1", events_for("K-1", 3), expected_version=0)
    first = tail(store, "twice", page=10)
    next(first)
    store.advance("twice", 3, expected=0)
    with pytest.raises(TrackingConflict, match="stands at position 3"):
        list(first)
    with pytest.raises(InvalidInput):
        tail(store, "")


# --------------------------------------------------------------------------- URLs


def test_x1_a_store_is_opened_by_its_url(tmp_path: Path, postgres_url: str) -> None:
    """X-1: sqlite:///absolute, sqlite:relative and postgresql:// name stores."""
    path = tmp_path / "by url.db"
    store = open_store("sqlite://" + str(path).replace(" ", "%20"))
    assert isinstance(store, SQLiteEventStore)
    store.append("K-1", events_for("K-1", 2), expected_version=0)
    store.close()
    assert Path(store.path) == path
    os.chdir(tmp_path)
    relative = open_store("sqlite:by%20url.db")
    assert relative.read("K-1").version == 2
    relative.close()
    table = new_table()
    pg = open_store(f"{postgres_url}?table={table}")
    assert isinstance(pg, PostgresEventStore)
    assert pg.table == table
    pg.close()
    for bad in ("file.jsonl", "http://example.invalid/x", "sqlite://host/x.db", "sqlite:"):
        assert not is_store_url(bad) or bad.startswith("sqlite")
        with pytest.raises(InvalidInput):
            open_store(bad)


def test_x1_events_from_a_url_in_position_order_and_resumed_by_tracking(
    tmp_path: Path, postgres_url: str
) -> None:
    """X-1: what the audit reads a store with: every event, or those after a consumer's mark."""
    table = new_table()
    for url in (f"sqlite://{tmp_path / 'audit.db'}", f"{postgres_url}?table={table}"):
        store = open_store(url)
        for n in range(3):
            store.append(f"K-{n}", events_for(f"K-{n}", 2), expected_version=0)
        every = [r.event for r in store.read_all()]
        assert list(events_from(url)) == every
        assert list(events_from(url, routines=("VAL",))) == []
        seen: list[Event] = []
        for event in events_from(url, tracking="granska", page=2):
            if len(seen) == 4:
                break
            seen.append(event)
        seen.extend(events_from(url, tracking="granska", page=2))
        assert seen == every
        store.append("K-9", events_for("K-9", 1), expected_version=0)
        assert list(events_from(url, tracking="granska")) == [store.read_all()[-1].event]
        assert list(events_from(url, tracking="granska")) == []
        store.close()
    with pytest.raises(InvalidInput):
        events_from("log.jsonl")


def test_x1_a_dumped_line_is_the_event_logs_envelope(store: EventStore) -> None:
    """X-1: the store keeps each event as the log writes it: a JSON object per line."""
    store.append("K-1", events_for("K-1", 1), expected_version=0)
    [record_] = store.read_all()
    envelope = json.loads(dumps_event(record_.event))
    assert list(envelope) == ["case", "routine", "type", "at", "recorded_at", "actor", "data"]


# --------------------------------------------------------------------------- CI


def test_the_postgres_tests_fail_rather_than_skip_without_a_server(tmp_path: Path) -> None:
    """CI cannot pass without the PostgreSQL tests: a server that does not answer fails them."""
    import subprocess
    import sys

    import conftest

    environment = {
        **os.environ,
        conftest.POSTGRES_URL: "postgresql://postgres@127.0.0.1:1/postgres",
        conftest.REQUIRE_POSTGRES: "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "no_repr",
            str(Path(__file__)),
        ],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "does not answer" in done.stdout
    summary = done.stdout.strip().splitlines()[-1]  # "1 error, 63 deselected in 1.4s"
    assert "error" in summary
    assert "skipped" not in summary
    assert "passed" not in summary
    for flags, required in [({}, False), ({"CI": "true"}, True), ({"CI": "0"}, False)]:
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("CI", raising=False)
            patch.delenv(conftest.REQUIRE_POSTGRES, raising=False)
            for name, value in flags.items():
                patch.setenv(name, value)
            assert conftest.postgres_required() is required
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "export ARENDEFORDELNING_REQUIRE_POSTGRES=1" in ci
    assert ".ci/postgres start" in ci


def test_x1_threads_using_a_new_sqlite_file_at_once_all_write(tmp_path: Path) -> None:
    """X-1: the first use of a new file from several threads at once: every batch lands.

    The file's mark and its tables were read in two snapshots, so a thread could see
    another's first tables without the mark and refuse the file as foreign; and putting
    the file in WAL mode answered "locked" at once. Before the fix most trials failed.
    """
    import threading

    for trial in range(40):
        store = SQLiteEventStore(tmp_path / f"events-{trial}.db")
        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def write(
            case: str,
            store: SQLiteEventStore = store,
            start: Any = start,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                start.wait()
                store.append(case, events_for(case, 5), expected_version=0)
            except BaseException as error:  # reported below
                errors.append(error)

        workers = [threading.Thread(target=write, args=(f"T-{i}",)) for i in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        try:
            assert not errors, errors
            assert store.head() == 20
        finally:
            store.close()
