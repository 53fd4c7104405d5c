"""SQLite event store (händelselager i SQLite): one file, the embedded default, X-1.

Standard library only. The file is in WAL mode (readers never wait for the writer, a
crash never leaves half a transaction), every write runs in ``BEGIN IMMEDIATE`` (one
writer at a time, so positions are committed in position order and a reader never
sees a gap that is filled later), and ``synchronous=FULL`` by default (a committed
event survives a crash of the machine, not only of the process).

The file says what it is: its ``application_id`` is the store's, its ``user_version``
the schema version. A file of another application, or one written by a newer version
of the library, is refused before anything is changed; an older schema is upgraded in
one transaction on first use.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from .._pii import mask
from ..errors import InvalidInput
from ..kernel import Event
from ._base import (
    SCHEMA_VERSION,
    ConcurrencyConflict,
    CorruptStore,
    E,
    Handler,
    History,
    NewerSchema,
    NotAnEventStore,
    Recorded,
    StoreError,
    TrackingConflict,
    check_case,
    check_count,
    check_limit,
    check_name,
    check_routines,
    check_seconds,
    decoder,
    encode_batch,
)

if TYPE_CHECKING:
    from ..kernel import Routine

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SQLiteEventStore"]

APPLICATION_ID: Final = 0x41524644
"""The file's ``PRAGMA application_id``: ``ARFD``, this library's event store."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE events ("
        " position INTEGER PRIMARY KEY,"
        " case_id TEXT NOT NULL CHECK (typeof(case_id) = 'text'),"
        " version INTEGER NOT NULL CHECK (typeof(version) = 'integer' AND version >= 1),"
        " routine TEXT NOT NULL,"
        " type TEXT NOT NULL,"
        " envelope TEXT NOT NULL CHECK (typeof(envelope) = 'text'),"
        " UNIQUE (case_id, version))",
        "CREATE INDEX events_by_routine ON events (routine, position)",
        "CREATE TABLE tracking ("
        " name TEXT PRIMARY KEY,"
        " position INTEGER NOT NULL CHECK (position >= 0))",
    ),
}
"""The statements that bring the file from the version before to each schema version."""

_NOT_A_DATABASE: Final = 26  # SQLITE_NOTADB
_CORRUPT: Final = 11  # SQLITE_CORRUPT
_BUSY: Final = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED

_INSERT: Final = (
    "INSERT INTO events (position, case_id, version, routine, type, envelope) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _store_error(error: sqlite3.Error) -> StoreError:
    """Return the store's typed error for a SQLite error, without the file's path (X-7)."""
    code = getattr(error, "sqlite_errorcode", None)
    words = mask(str(error))
    if code == _NOT_A_DATABASE:
        return NotAnEventStore(
            f"the file is not a SQLite database ({words}); give the path of an event store "
            "or of a new file"
        )
    if code == _CORRUPT or "malformed" in words:
        return CorruptStore(
            f"the store file is damaged ({words}); nothing was read from it: restore it "
            "from a copy or dump what can be read with the sqlite3 tool's .recover"
        )
    if code in _BUSY:
        return StoreError(
            f"the store file stayed locked by another writer past the timeout ({words})"
        )
    return StoreError(f"the store file cannot be used: {words}")


class SQLiteEventStore:
    """SQLite event store (händelselager i SQLite): one file, the embedded default, X-1.

    Args:
        path: The store's file; created, with its tables, on first use.
        types: The event classes to know when reading, instead of every registered
            routine's (a caller's own routine's events).
        timeout: Seconds a writer waits for another writer's transaction to end.
        synchronous: ``"FULL"`` (the default: a committed event survives a power
            failure) or ``"NORMAL"`` (survives a crash of the process, may lose the
            last commits on a power failure; faster).

    Safe to share between threads (each thread has its own connection) and between
    processes (each opens the file itself). See :class:`EventStore` for the methods.

    Raises:
        NotAnEventStore: on first use, for a file of another application.
        NewerSchema: on first use, for a store written by a newer version.
        CorruptStore: for a damaged file, never a partial read.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        types: Iterable[type[Event]] | None = None,
        timeout: float = 30.0,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
    ) -> None:
        if not isinstance(path, str | os.PathLike):
            raise InvalidInput(f"path must be a path of a file, not {type(path).__name__}")
        if synchronous not in ("FULL", "NORMAL"):
            raise InvalidInput('synchronous must be "FULL" or "NORMAL"')
        self.path = os.fspath(path)
        self._types = None if types is None else tuple(types)
        self._decode = decoder(self._types)
        self._timeout = check_seconds("timeout", timeout)
        self._synchronous = synchronous
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._preparing = threading.Lock()
        self._ready = False
        self._closed = False

    def __repr__(self) -> str:
        return "SQLiteEventStore(...)"  # the path may name a person

    def __enter__(self) -> SQLiteEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------- connections

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        connection: sqlite3.Connection | None = getattr(local, "connection", None)
        if connection is not None and local.pid == os.getpid():
            return connection
        if self._closed:
            raise StoreError("the store is closed")
        try:
            connection = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _store_error(error) from None
        try:
            if not self._ready:
                with self._preparing:  # one thread brings the file up to date, once
                    if not self._ready:
                        self._prepare(connection)
            connection.execute(f"PRAGMA synchronous={self._synchronous}")
        except BaseException:
            connection.close()
            raise
        local.connection, local.pid = connection, os.getpid()
        with self._lock:
            self._opened.append(connection)
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Check the file is ours (or empty) and bring its schema up to date, on first use."""
        with self._errors():
            # The mark and the tables are read in one snapshot: read apart, another
            # writer's first use committed between them would look like a foreign file.
            connection.execute("BEGIN")
            try:
                self._check(connection)
            finally:
                connection.execute("COMMIT")
            mode = self._wal(connection)
            if str(mode).lower() != "wal":
                raise StoreError(f"the store file cannot be put in WAL mode (it is in {mode})")
            connection.execute("BEGIN IMMEDIATE")
            try:
                version = self._check(connection)
                for target in sorted(MIGRATIONS):
                    if target > version:
                        for statement in MIGRATIONS[target]:
                            connection.execute(statement)
                        connection.execute(f"PRAGMA user_version={int(target)}")
                if version == 0:
                    connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        self._ready = True

    def _wal(self, connection: sqlite3.Connection) -> str:
        """Put the file in WAL mode; return the mode it is in.

        Changing the mode needs the file to itself, and SQLite answers "locked" at once
        rather than waiting while another process reads it: asked again until the
        store's timeout has passed.
        """
        deadline = time.monotonic() + self._timeout
        pause = 0.005
        while True:
            try:
                return str(connection.execute("PRAGMA journal_mode=WAL").fetchone()[0])
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    @staticmethod
    def _check(connection: sqlite3.Connection) -> int:
        """Return the file's schema version (0: empty); refuse a foreign or newer one."""
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if application != APPLICATION_ID:
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if application != 0 or version != 0 or tables:
                raise NotAnEventStore(
                    "the file is a SQLite database of another application (it holds tables "
                    "but not the event store's mark); give the path of an event store or of "
                    "a new file (nothing was changed)"
                )
            return 0
        if version > SCHEMA_VERSION:
            raise NewerSchema(version, SCHEMA_VERSION)
        return int(version)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise _store_error(error) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
        connection = self._connection()
        with self._errors():
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query in it sees the same snapshot."""
        connection = self._connection()
        with self._errors():
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                if connection.in_transaction:
                    connection.execute("COMMIT")

    def close(self) -> None:
        """Close every connection the store opened, in any thread; it cannot be used after."""
        self._closed = True
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            with contextlib.suppress(sqlite3.Error):
                connection.close()

    # ----------------------------------------------------------------------- writing

    def append(self, case: str, events: Sequence[Event], *, expected_version: int) -> list[int]:
        """Append events to a case, all or nothing, at its version; return their positions, X-1.

        Raises:
            ConcurrencyConflict: when the case does not stand at ``expected_version``
                (nothing is written).
            InvalidInput: for no events, an item that is not an Event, an event of
                another case, or a version that is not a whole number >= 0.
        """
        case = check_case(case)
        expected = check_count("expected_version", expected_version)
        rows = encode_batch(case, events)
        return self._append_batches([(case, rows, expected)])[0]

    def _append_batches(
        self, batches: Sequence[tuple[str, list[tuple[str, str, str]], int]]
    ) -> list[list[int]]:
        """Append several cases' batches in one transaction (all or nothing)."""
        positions: list[list[int]] = []
        with self._write() as connection:
            head = connection.execute("SELECT max(position) FROM events").fetchone()[0] or 0
            for case, rows, expected in batches:
                actual = (
                    connection.execute(
                        "SELECT max(version) FROM events WHERE case_id = ?", (case,)
                    ).fetchone()[0]
                    or 0
                )
                if actual != expected:
                    raise ConcurrencyConflict(case, expected, actual)
                values = [
                    (head + i, case, expected + i, routine, kind, line)
                    for i, (routine, kind, line) in enumerate(rows, start=1)
                ]
                try:
                    connection.executemany(_INSERT, values)
                except sqlite3.IntegrityError:  # another writer of the file, not through us
                    raise ConcurrencyConflict(case, expected, expected + 1) from None
                positions.append([value[0] for value in values])
                head += len(values)
        return positions

    # ----------------------------------------------------------------------- reading

    @overload
    def read(self, case: str, *, after_version: int = 0) -> History[Event]: ...
    @overload
    def read(
        self, case: str, *, after_version: int = 0, routine: Routine[Any, E, Any]
    ) -> History[E]: ...
    def read(
        self, case: str, *, after_version: int = 0, routine: Routine[Any, Any, Any] | None = None
    ) -> History[Any]:
        """Read a case's events after ``after_version``, with the version it stands at, X-1.

        Args:
            case: The case number.
            after_version: Read only the events after this version (0: all).
            routine: Read the case as this routine's: its events come typed as the
                routine's, and an event of another routine is an error.

        Raises:
            CorruptStore: for a damaged file or a stored line that is not an event.
        """
        case = check_case(case)
        after = check_count("after_version", after_version)
        decode = self._decode if routine is None else decoder(None, routine)
        with self._read() as connection:
            rows = connection.execute(
                "SELECT position, version, envelope FROM events "
                "WHERE case_id = ? AND version > ? ORDER BY version",
                (case, after),
            ).fetchall()
            if rows:
                version = rows[-1][1]
            else:
                version = (
                    connection.execute(
                        "SELECT max(version) FROM events WHERE case_id = ?", (case,)
                    ).fetchone()[0]
                    or 0
                )
        events: list[Event] = []
        positions: list[int] = []
        for position, _, line in rows:
            for event in decode(position, line):
                events.append(event)
                positions.append(position)
        return History(case=case, events=tuple(events), version=version, positions=tuple(positions))

    def read_all(
        self, *, after_position: int = 0, limit: int | None = None, routines: Iterable[str] = ()
    ) -> list[Recorded[Event]]:
        """Read every event after a position, in position order, X-1.

        Args:
            after_position: Read the events after this position (0: from the first).
            limit: At most this many stored events (None: all).
            routines: Only the events of these routines (by code); all when empty.

        Raises:
            CorruptStore: for a damaged file or a stored line that is not an event;
                nothing is returned then.
        """
        after = check_count("after_position", after_position)
        most = check_limit(limit)
        codes = check_routines(routines)
        with self._read() as connection:
            rows = self._page(connection, after, most, codes)
        return self._records(rows)

    @staticmethod
    def _page(
        connection: sqlite3.Connection, after: int, limit: int | None, codes: tuple[str, ...]
    ) -> list[tuple[int, int, str]]:
        query = "SELECT position, version, envelope FROM events WHERE position > ?"
        parameters: list[object] = [after]
        if codes:
            query += f" AND routine IN ({', '.join('?' * len(codes))})"
            parameters.extend(codes)
        query += " ORDER BY position"
        if limit is not None:
            query += " LIMIT ?"
            parameters.append(limit)
        return connection.execute(query, parameters).fetchall()

    def _records(self, rows: Iterable[tuple[int, int, str]]) -> list[Recorded[Event]]:
        decode = self._decode
        return [
            Recorded(position=position, version=version, event=event)
            for position, version, line in rows
            for event in decode(position, line)
        ]

    def head(self) -> int:
        """Return the last position in the store, 0 when it is empty, X-1."""
        with self._read() as connection:
            found = connection.execute("SELECT max(position) FROM events").fetchone()[0]
        return int(found or 0)

    # ----------------------------------------------------------------------- tracking

    def tracked(self, name: str) -> int:
        """Return the last position the consumer ``name`` has processed, 0 if none, X-1."""
        name = check_name(name)
        with self._read() as connection:
            return self._tracked(connection, name)

    @staticmethod
    def _tracked(connection: sqlite3.Connection, name: str) -> int:
        row = connection.execute("SELECT position FROM tracking WHERE name = ?", (name,)).fetchone()
        return 0 if row is None else int(row[0])

    @staticmethod
    def _track(connection: sqlite3.Connection, name: str, position: int) -> None:
        connection.execute(
            "INSERT INTO tracking (name, position) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            (name, position),
        )

    def process(
        self,
        name: str,
        handle: Handler | Callable[[list[Recorded[Event]], sqlite3.Connection], object],
        *,
        limit: int = 100,
        routines: Iterable[str] = (),
    ) -> int:
        """Hand the consumer ``name`` its next page, and track it in the same transaction, X-1.

        In one write transaction: read where the consumer stands, read up to ``limit``
        events after it, call ``handle(records, connection)`` — the consumer writes
        its own results through ``connection`` in the same transaction — and move the
        consumer's position past the page. If ``handle`` raises, nothing is written
        (neither its writes nor the position) and the error propagates: the page comes
        again next time, so each position is processed exactly once. Writers wait while
        ``handle`` runs: keep it short. ``handle`` must not commit.

        Returns:
            The number of events handed over (0: the consumer is at the head).
        """
        name = check_name(name)
        most = check_count("limit", limit, 1)
        codes = check_routines(routines)
        with self._write() as connection:
            start = self._tracked(connection, name)
            rows = self._page(connection, start, most, codes)
            if not rows:
                return 0
            records = self._records(rows)
            handle(records, connection)
            self._track(connection, name, rows[-1][0])
        return len(records)

    def advance(self, name: str, position: int, *, expected: int) -> None:
        """Move the consumer ``name`` from position ``expected`` to ``position``, X-1.

        Raises:
            TrackingConflict: when the consumer does not stand at ``expected`` (another
                consumer of the same name moved it); nothing is written.
        """
        name = check_name(name)
        target = check_count("position", position)
        start = check_count("expected", expected)
        with self._write() as connection:
            current = self._tracked(connection, name)
            if current != start:
                raise TrackingConflict(
                    f"the consumer stands at position {current}, not at {start}: another "
                    "consumer of the same name moved it; read from where it stands"
                )
            self._track(connection, name, target)
