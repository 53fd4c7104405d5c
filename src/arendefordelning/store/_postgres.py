"""PostgreSQL event store (händelselager i PostgreSQL): for services, X-1.

Needs the extra ``[postgres]`` (psycopg 3 and its connection pool). Positions are
committed in position order, as eventsourcing's recorders commit theirs: a writer
takes the events table's ``EXCLUSIVE`` lock (readers are never blocked by it), reads
the head and the case's version, inserts with ``RETURNING`` and commits, so no writer
is given positions while another holds lower ones uncommitted, and a reader that has
seen position p never later finds a new event below p. Positions have no gaps: they
are counted from the head under the lock, not drawn from a sequence that a rolled-back
write would leave holes in. A stale write is caught by the database too:
``UNIQUE (case_id, version)``.

The tables are ``<table>_events``, ``<table>_tracking`` and ``<table>_meta`` (the
format and schema version), created on first use under an advisory lock and upgraded
there; tables of those names without the store's metadata, or of a newer schema, are
refused before anything is changed.

Because the lock is held until the commit has reached the disk, writers through one
table lock commit one after another, each waiting for its own flush. Within one
store object the appends of concurrent threads are therefore committed together:
the first thread to find no write under way takes every batch waiting, checks each
against its case's version under the lock (a batch that does not stand at it is not
written and raises :class:`ConcurrencyConflict` in its own thread), inserts the others
in one statement and commits them in one transaction, one flush; the others wait for
it and get their positions, or write the next group. A writer that wrote n batches
together last time waits up to 2 ms for n to gather, as PostgreSQL's own
``commit_delay`` does, so that a group is not written by the first to come back alone.
Each batch stays all or nothing, and positions are still committed in order.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, overload

from .._pii import mask
from .._validators import describe
from ..errors import InvalidInput
from ..kernel import Event
from ._base import (
    FORMAT,
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
    check_prefix,
    check_routines,
    check_seconds,
    decoder,
    encode_batch,
)

try:
    import psycopg
    from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout
except ImportError as error:  # pragma: no cover - the extra is installed for the tests
    raise ImportError(
        "the PostgreSQL event store needs the extra [postgres]: "
        "pip install 'arendefordelning[postgres]'"
    ) from error

if TYPE_CHECKING:
    from ..kernel import Routine

__all__ = ["MIGRATIONS", "PostgresEventStore"]


_GATHER: Final = 0.002
"""Seconds a writer waits for as many appends as it wrote together last time."""


def _parameters(group: Sequence[_Waiting]) -> dict[str, list[Any]]:
    """Return the insert's parameters for a group of batches: the batches, then their rows."""
    batches: list[int] = []
    numbers: list[int] = []
    columns: tuple[list[str], list[str], list[str]] = ([], [], [])
    for index, waiting in enumerate(group, start=1):
        for n, row in enumerate(waiting.rows, start=1):
            batches.append(index)
            numbers.append(n)
            for column, value in zip(columns, row, strict=True):
                column.append(value)
    return {
        "cases": [waiting.case for waiting in group],
        "expected": [waiting.expected for waiting in group],
        "sizes": [len(waiting.rows) for waiting in group],
        "batches": batches,
        "numbers": numbers,
        "routines": columns[0],
        "types": columns[1],
        "envelopes": columns[2],
    }


class _Waiting:
    """One append waiting to be written with others: its batch, then its outcome."""

    __slots__ = ("case", "done", "error", "expected", "positions", "rows")

    def __init__(self, case: str, rows: list[tuple[str, str, str]], expected: int) -> None:
        self.case, self.rows, self.expected = case, rows, expected
        self.done = False
        self.positions: list[int] | None = None
        self.error: BaseException | None = None


MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE {t}_meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE TABLE {t}_events ("
        " position bigint PRIMARY KEY CHECK (position >= 1),"
        " case_id text NOT NULL,"
        " version bigint NOT NULL CHECK (version >= 1),"
        " routine text NOT NULL,"
        " type text NOT NULL,"
        " envelope text NOT NULL,"
        " UNIQUE (case_id, version))",
        "CREATE INDEX {t}_events_by_routine ON {t}_events (routine, position)",
        "CREATE TABLE {t}_tracking ("
        " name text PRIMARY KEY,"
        " position bigint NOT NULL CHECK (position >= 0))",
    ),
}
"""The statements that bring the tables from the version before to each schema version
(``{t}`` is the table prefix)."""

_MARKED: Final = "INSERT INTO {t}_meta (key, value) VALUES ('format', %s), ('schema', %s)"


def _store_error(error: psycopg.Error) -> StoreError:
    """Return the store's typed error for a database error, without the URL (X-7)."""
    words = mask(str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
    if isinstance(error, psycopg.errors.DataCorrupted | psycopg.errors.IndexCorrupted):
        return CorruptStore(f"the store's tables are damaged ({words}); nothing was read")
    if isinstance(error, psycopg.errors.LockNotAvailable):
        return StoreError(f"the events table stayed locked past the lock timeout ({words})")
    return StoreError(f"the PostgreSQL store cannot be used: {words}")


class PostgresEventStore:
    """PostgreSQL event store (händelselager i PostgreSQL), through a connection pool, X-1.

    Args:
        conninfo: A libpq connection string or URL (``postgresql://user@host/db``).
        table: The prefix of the store's tables (``arendefordelning_events``, …).
        types: The event classes to know when reading, instead of every registered
            routine's.
        min_size, max_size: The pool's size (connections kept open, and at most).
        timeout: Seconds to wait for a connection from the pool.
        lock_timeout: Seconds a writer waits for the events table's lock.
        pool: A psycopg ``ConnectionPool`` of the caller's to use instead (its
            connections must be in autocommit mode); the store does not close it.

    Safe to share between threads. See :class:`EventStore` for the methods.

    Raises:
        NotAnEventStore: on first use, for tables of these names that are not the store's.
        NewerSchema: on first use, for tables written by a newer version.
    """

    def __init__(
        self,
        conninfo: str = "",
        *,
        table: str = "arendefordelning",
        types: Iterable[type[Event]] | None = None,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 30.0,
        lock_timeout: float = 30.0,
        pool: ConnectionPool[Any] | None = None,
    ) -> None:
        if not isinstance(conninfo, str):
            raise InvalidInput(f"conninfo must be a connection string, not {describe(conninfo)}")
        self.table = check_prefix(table)
        lowest = check_count("min_size", min_size, 1)
        highest = check_count("max_size", max_size, 1)
        if highest < lowest:
            raise InvalidInput("max_size must not be smaller than min_size")
        self._types = None if types is None else tuple(types)
        self._decode = decoder(self._types)
        self._timeout = check_seconds("timeout", timeout)
        milliseconds = max(1, round(check_seconds("lock_timeout", lock_timeout) * 1000))
        self._own_pool = pool is None
        if pool is None:

            def configure(connection: psycopg.Connection[Any]) -> None:
                connection.execute(f"SET lock_timeout = {milliseconds}")

            pool = ConnectionPool(
                conninfo,
                min_size=lowest,
                max_size=highest,
                kwargs={"autocommit": True},
                configure=configure,
                timeout=self._timeout,
                open=True,
                name="arendefordelning-store",
            )
        self._pool = pool
        t = self.table
        self._sql = {
            "lock": f"LOCK TABLE {t}_events IN EXCLUSIVE MODE",
            "insert": (
                "WITH b AS (SELECT * FROM unnest(%(cases)s::text[], %(expected)s::bigint[],"
                " %(sizes)s::bigint[]) WITH ORDINALITY AS b(case_id, expected, size, batch)),"
                " standing AS (SELECT DISTINCT ON (b.case_id) b.* FROM b WHERE b.expected ="
                f" (SELECT coalesce(max(e.version), 0) FROM {t}_events e"
                " WHERE e.case_id = b.case_id) ORDER BY b.case_id, b.batch),"
                " placed AS (SELECT standing.*, sum(standing.size) OVER (ORDER BY"
                " standing.batch) - standing.size AS before FROM standing),"
                f" head AS (SELECT coalesce(max(position), 0) AS p FROM {t}_events),"
                " r AS (SELECT * FROM unnest(%(batches)s::bigint[], %(numbers)s::bigint[],"
                " %(routines)s::text[], %(types)s::text[], %(envelopes)s::text[])"
                " AS r(batch, n, routine, type, envelope)) "
                f"INSERT INTO {t}_events (position, case_id, version, routine, type, envelope) "
                "SELECT head.p + placed.before + r.n, placed.case_id, placed.expected + r.n,"
                " r.routine, r.type, r.envelope"
                " FROM placed JOIN r ON r.batch = placed.batch CROSS JOIN head "
                "RETURNING (SELECT placed.batch FROM placed WHERE placed.case_id ="
                f" {t}_events.case_id), position"
            ),
            "version": f"SELECT coalesce(max(version), 0) FROM {t}_events WHERE case_id = %s",
            "versions": (
                f"SELECT c.case_id, (SELECT coalesce(max(version), 0) FROM {t}_events e"
                " WHERE e.case_id = c.case_id) FROM unnest(%s::text[]) AS c(case_id)"
            ),
            "read": (
                f"SELECT position, version, envelope FROM {t}_events "
                "WHERE case_id = %s AND version > %s "
                "UNION ALL "
                f"SELECT NULL, coalesce(max(version), 0), NULL FROM {t}_events WHERE case_id = %s "
                "ORDER BY 1 NULLS LAST"
            ),
            "head": f"SELECT coalesce(max(position), 0) FROM {t}_events",
            "tracked": f"SELECT position FROM {t}_tracking WHERE name = %s",
            "track": (
                f"INSERT INTO {t}_tracking (name, position) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position"
            ),
            "hold": (
                f"INSERT INTO {t}_tracking (name, position) VALUES (%s, 0) "
                "ON CONFLICT (name) DO NOTHING"
            ),
            "claim": f"SELECT position FROM {t}_tracking WHERE name = %s FOR UPDATE",
        }
        self._ready = False
        self._waiting: list[_Waiting] = []
        self._turn = threading.Condition()
        self._writing = False
        self._last_group = 1

    def __repr__(self) -> str:
        return f"PostgresEventStore(table={self.table!r})"  # never the URL: it may hold a password

    def __enter__(self) -> PostgresEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store's pool, unless the caller gave it."""
        if self._own_pool:
            self._pool.close()

    # ----------------------------------------------------------------------- connections

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as connection:
                if not self._ready:
                    try:
                        self._prepare(connection)
                    except (NotAnEventStore, NewerSchema):
                        self.close()  # the store cannot be used: its pool is let go
                        raise
                yield connection
        except psycopg.Error as error:
            raise _store_error(error) from None
        except PoolClosed:
            raise StoreError("the store is closed") from None
        except PoolTimeout:
            raise StoreError(
                f"no connection to the PostgreSQL store within {self._timeout:g} s: is the "
                "server running, and the URL right?"
            ) from None

    def _prepare(self, connection: psycopg.Connection[Any]) -> None:
        """Check the tables are ours (or absent) and bring them up to date, on first use."""
        t = self.table
        with connection.transaction():
            connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"arendefordelning:{t}",)
            )
            found = {
                suffix: connection.execute(
                    "SELECT to_regclass(%s) IS NOT NULL", (f"{t}_{suffix}",)
                ).fetchone()
                == (True,)
                for suffix in ("meta", "events", "tracking")
            }
            version = 0
            if found["meta"]:
                meta = dict(connection.execute(f"SELECT key, value FROM {t}_meta").fetchall())
                if meta.get("format") != FORMAT or not str(meta.get("schema", "")).isdigit():
                    raise NotAnEventStore(
                        f"the table {t}_meta is not the event store's (it does not say it "
                        "holds arendefordelning's events); choose another table prefix "
                        "(nothing was changed)"
                    )
                version = int(meta["schema"])
                if version > SCHEMA_VERSION:
                    raise NewerSchema(version, SCHEMA_VERSION)
            elif found["events"] or found["tracking"]:
                raise NotAnEventStore(
                    f"tables named {t}_events or {t}_tracking exist but are not the event "
                    "store's (there is no metadata beside them); choose another table prefix "
                    "(nothing was changed)"
                )
            for target in sorted(MIGRATIONS):
                if target > version:
                    for statement in MIGRATIONS[target]:
                        connection.execute(statement.format(t=t))
                    if version == 0:
                        connection.execute(_MARKED.format(t=t), (FORMAT, str(target)))
                    else:
                        connection.execute(
                            f"UPDATE {t}_meta SET value = %s WHERE key = 'schema'", (str(target),)
                        )
                    version = target
        self._ready = True

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
        mine = _Waiting(case, rows, expected)
        turn, leading = self._turn, False
        with turn:
            self._waiting.append(mine)
            turn.notify_all()  # a writer gathering a group counts this one
            while not mine.done and self._writing:
                turn.wait()
            if not mine.done:  # no write under way: this thread writes every waiting batch
                self._writing = leading = True
                # As many appends came together last time: wait a moment for the others,
                # which are on their way back from the last group, to join this one.
                until = time.monotonic() + _GATHER
                while len(self._waiting) < self._last_group:
                    left = until - time.monotonic()
                    if left <= 0:
                        break
                    turn.wait(left)
                group, self._waiting = self._waiting, []
                self._last_group = len(group)
        if leading:
            try:
                self._write_group(group)
            finally:
                with turn:
                    self._writing = False
                    turn.notify_all()
        if mine.error is not None:
            raise mine.error
        assert mine.positions is not None
        return mine.positions

    def _write_group(self, group: list[_Waiting]) -> None:
        """Write the batches of a group in one transaction, one flush; set each outcome.

        One statement inserts every batch that stands at its case's version under the
        lock (of several batches read at the same version of a case, the first in the
        group), at positions counted from the head in the group's order, and returns
        them; another reads the versions the group's cases stand at then, for the
        batches refused. Both are sent with the lock and the commit in one pipeline:
        one round trip to the server, whatever the group's size.
        """
        sql = self._sql
        cases = [waiting.case for waiting in group]
        parameters = _parameters(group)
        try:
            with self._connection() as connection:
                try:
                    with connection.pipeline():  # sent together, answered together
                        connection.execute("BEGIN")
                        connection.execute(sql["lock"], prepare=True)
                        inserted = connection.execute(sql["insert"], parameters, prepare=True)
                        standing = connection.execute(sql["versions"], (cases,), prepare=True)
                        connection.execute("COMMIT")
                    rows = inserted.fetchall()
                    versions = {str(case): int(version) for case, version in standing.fetchall()}
                except psycopg.Error as error:
                    connection.rollback()  # a statement failed: the rest was not run
                    if isinstance(error, psycopg.errors.UniqueViolation):  # a writer past the lock
                        raise StoreError(
                            "another writer changed the events table without taking its lock; "
                            "nothing of this write was committed: read the cases again and retry"
                        ) from None
                    raise
        except BaseException as error:
            failed = (
                error
                if isinstance(error, Exception)
                else StoreError("the write was interrupted; whether it was committed is not known")
            )
            for waiting in group:
                waiting.error, waiting.done = failed, True
            if failed is not error:
                raise
            return
        written: dict[int, list[int]] = {}
        for batch, position in sorted((int(batch), int(position)) for batch, position in rows):
            written.setdefault(batch, []).append(position)
        for index, waiting in enumerate(group, start=1):
            if index in written:
                waiting.positions = written[index]
            else:
                waiting.error = ConcurrencyConflict(
                    waiting.case, waiting.expected, versions[waiting.case]
                )
            waiting.done = True

    def _append_batches(
        self, batches: Sequence[tuple[str, list[tuple[str, str, str]], int]]
    ) -> list[list[int]]:
        """Append several cases' batches in one transaction, all or nothing (``load``)."""
        sql = self._sql
        group = [_Waiting(case, rows, expected) for case, rows, expected in batches]
        with self._connection() as connection:
            try:
                with connection.transaction():
                    connection.execute(sql["lock"], prepare=True)
                    rows = connection.execute(
                        sql["insert"], _parameters(group), prepare=True
                    ).fetchall()
                    written = {int(batch) for batch, _ in rows}
                    for index, waiting in enumerate(group, start=1):
                        if index not in written:
                            found = connection.execute(sql["version"], (waiting.case,))
                            actual = found.fetchone()
                            raise ConcurrencyConflict(
                                waiting.case, waiting.expected, int(actual[0]) if actual else 0
                            )
            except psycopg.errors.UniqueViolation:  # another writer, past the lock
                raise ConcurrencyConflict(batches[0][0], batches[0][2], batches[0][2] + 1) from None
        positions: dict[int, list[int]] = {}
        for batch, position in sorted((int(batch), int(position)) for batch, position in rows):
            positions.setdefault(batch, []).append(position)
        return [positions[index] for index in range(1, len(group) + 1)]

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

        One statement, so the events and the version are of one snapshot.

        Raises:
            CorruptStore: for a stored line that is not an event.
        """
        case = check_case(case)
        after = check_count("after_version", after_version)
        decode = self._decode if routine is None else decoder(None, routine)
        with self._connection() as connection:
            rows = connection.execute(
                self._sql["read"], (case, after, case), prepare=True
            ).fetchall()
        version = int(rows[-1][1])  # the last row holds the case's version
        events: list[Event] = []
        positions: list[int] = []
        for position, _, line in rows[:-1]:
            for event in decode(position, line):
                events.append(event)
                positions.append(int(position))
        return History(case=case, events=tuple(events), version=version, positions=tuple(positions))

    def read_all(
        self, *, after_position: int = 0, limit: int | None = None, routines: Iterable[str] = ()
    ) -> list[Recorded[Event]]:
        """Read every event after a position, in position order, X-1.

        Raises:
            CorruptStore: for a stored line that is not an event; nothing is returned then.
        """
        after = check_count("after_position", after_position)
        most = check_limit(limit)
        codes = check_routines(routines)
        with self._connection() as connection:
            rows = self._page(connection, after, most, codes)
        return self._records(rows)

    def _page(
        self,
        connection: psycopg.Connection[Any],
        after: int,
        limit: int | None,
        codes: tuple[str, ...],
    ) -> list[tuple[int, int, str]]:
        query = f"SELECT position, version, envelope FROM {self.table}_events WHERE position > %s"
        parameters: list[object] = [after]
        if codes:
            query += " AND routine = ANY(%s)"
            parameters.append(list(codes))
        query += " ORDER BY position"
        if limit is not None:
            query += " LIMIT %s"
            parameters.append(limit)
        return connection.execute(query, parameters, prepare=True).fetchall()

    def _records(self, rows: Iterable[tuple[int, int, str]]) -> list[Recorded[Event]]:
        decode = self._decode
        return [
            Recorded(position=int(position), version=int(version), event=event)
            for position, version, line in rows
            for event in decode(position, line)
        ]

    def head(self) -> int:
        """Return the last position in the store, 0 when it is empty, X-1."""
        with self._connection() as connection:
            row = connection.execute(self._sql["head"], prepare=True).fetchone()
        return int(row[0]) if row else 0

    # ----------------------------------------------------------------------- tracking

    def tracked(self, name: str) -> int:
        """Return the last position the consumer ``name`` has processed, 0 if none, X-1."""
        name = check_name(name)
        with self._connection() as connection:
            row = connection.execute(self._sql["tracked"], (name,), prepare=True).fetchone()
        return 0 if row is None else int(row[0])

    def _claim(self, connection: psycopg.Connection[Any], name: str) -> int:
        """Lock the consumer's row (made if new) for this transaction; return its position."""
        connection.execute(self._sql["hold"], (name,), prepare=True)
        row = connection.execute(self._sql["claim"], (name,), prepare=True).fetchone()
        return 0 if row is None else int(row[0])

    def process(
        self,
        name: str,
        handle: Handler | Callable[[list[Recorded[Event]], psycopg.Connection[Any]], object],
        *,
        limit: int = 100,
        routines: Iterable[str] = (),
    ) -> int:
        """Hand the consumer ``name`` its next page, and track it in the same transaction, X-1.

        In one transaction: lock the consumer's row (``FOR UPDATE``: consumers of the
        same name take turns), read up to ``limit`` events after its position, call
        ``handle(records, connection)`` — the consumer writes its own results through
        ``connection`` in the same transaction — and move its position past the page.
        If ``handle`` raises, nothing is written and the error propagates: the page
        comes again next time, so each position is processed exactly once. Writers are
        not blocked. ``handle`` must not commit.

        Returns:
            The number of events handed over (0: the consumer is at the head).
        """
        name = check_name(name)
        most = check_count("limit", limit, 1)
        codes = check_routines(routines)
        with self._connection() as connection, connection.transaction():
            start = self._claim(connection, name)
            rows = self._page(connection, start, most, codes)
            if not rows:
                return 0
            records = self._records(rows)
            handle(records, connection)
            connection.execute(self._sql["track"], (name, int(rows[-1][0])), prepare=True)
        return len(records)

    def advance(self, name: str, position: int, *, expected: int) -> None:
        """Move the consumer ``name`` from position ``expected`` to ``position``, X-1.

        Raises:
            TrackingConflict: when the consumer does not stand at ``expected``.
        """
        name = check_name(name)
        target = check_count("position", position)
        start = check_count("expected", expected)
        with self._connection() as connection, connection.transaction():
            current = self._claim(connection, name)
            if current != start:
                raise TrackingConflict(
                    f"the consumer stands at position {current}, not at {start}: another "
                    "consumer of the same name moved it; read from where it stands"
                )
            connection.execute(self._sql["track"], (name, target), prepare=True)
