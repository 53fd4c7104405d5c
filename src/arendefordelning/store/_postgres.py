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
"""

from __future__ import annotations

import contextlib
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
                f"WITH head AS (SELECT (SELECT coalesce(max(position), 0) FROM {t}_events) AS p,"
                f" (SELECT coalesce(max(version), 0) FROM {t}_events WHERE case_id = %(case)s)"
                " AS v) "
                f"INSERT INTO {t}_events (position, case_id, version, routine, type, envelope) "
                "SELECT head.p + b.n, %(case)s, head.v + b.n, b.routine, b.type, b.envelope "
                "FROM head, unnest(%(routines)s::text[], %(types)s::text[], "
                "%(envelopes)s::text[]) WITH ORDINALITY AS b(routine, type, envelope, n) "
                "WHERE head.v = %(expected)s "
                "RETURNING position"
            ),
            "version": f"SELECT coalesce(max(version), 0) FROM {t}_events WHERE case_id = %s",
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
        return self._append_batches([(case, rows, expected)])[0]

    def _append_batches(
        self, batches: Sequence[tuple[str, list[tuple[str, str, str]], int]]
    ) -> list[list[int]]:
        """Append several cases' batches in one transaction (all or nothing)."""
        sql = self._sql
        positions: list[list[int]] = []
        with self._connection() as connection:
            try:
                with connection.transaction():
                    connection.execute(sql["lock"], prepare=True)
                    for case, rows, expected in batches:
                        found = connection.execute(
                            sql["insert"],
                            {
                                "case": case,
                                "expected": expected,
                                "routines": [row[0] for row in rows],
                                "types": [row[1] for row in rows],
                                "envelopes": [row[2] for row in rows],
                            },
                            prepare=True,
                        ).fetchall()
                        if len(found) != len(rows):
                            actual = connection.execute(sql["version"], (case,)).fetchone()
                            raise ConcurrencyConflict(
                                case, expected, int(actual[0]) if actual else 0
                            )
                        positions.append([int(row[0]) for row in found])
            except psycopg.errors.UniqueViolation:
                # Another writer of the table that bypassed the lock.
                raise ConcurrencyConflict(batches[0][0], batches[0][2], batches[0][2] + 1) from None
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
