"""Benchmark of the event stores (issue 19): appends, their latency, and reading.

Run from the project root with the package and its ``test`` and ``postgres`` extras
installed::

    python benchmarks/bench_store.py [--appends 2000] [--writers 1,8,32] [--repeat 3]
                                     [--postgres postgresql://user@127.0.0.1:5432/db]

In one run, for each store (SQLite in a temporary directory; PostgreSQL when a server is
given with ``--postgres`` or ``ARENDEFORDELNING_TEST_POSTGRES``, in tables of its own
that it drops at the end), it

1. times ``--appends`` appends of one event each, shared out among 1, 8 and 32 writer
   threads, each writer appending to a case of its own at the version it last wrote
   (no conflicts: the cost measured is the store's, not a race's), and prints appends
   per second and the p50 and p99 latency of one append;
2. times the same number of bare inserts of the same rows (the event's envelope, its
   case, version, routine and type) by the same writers, each ``INSERT`` and commit in
   the same database mode: for SQLite a file of its own in WAL mode with the store's
   ``synchronous=FULL``, one connection per writer; for PostgreSQL over the same pool
   the store uses, one autocommit ``INSERT`` per append. Store and bare runs alternate,
   ``--repeat`` times, and the best of each counts;
3. times ``read_all`` over everything appended, in pages of 1,000 (events per second);
4. checks, untimed, that every appended event is in the store once, at positions
   1..N without a gap, equal to what was appended; it exits with status 1 otherwise;
5. prints the ratios store ÷ bare against the targets of issue 19 (≥ 0.5), met or not.

Writers are threads: both ``sqlite3`` and psycopg let go of the GIL while the database
works, and a thread per writer keeps 32 writers affordable on a small machine. Timings
are printed, never asserted: this is a benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from time import perf_counter
from typing import Any, Final

from arendefordelning.eventlog import dumps_event
from arendefordelning.store import EventStore, SQLiteEventStore
from arendefordelning.store.contract import events_for

TARGET: Final = 0.5
"""Store appends of one event ÷ bare inserts, at least (issue 19)."""
PAGE: Final = 1000
POSTGRES_URL: Final = "ARENDEFORDELNING_TEST_POSTGRES"

Append = Callable[[int, int], None]
"""Append the ``n``-th event (from 0) of writer ``w``: called as ``append(w, n)``."""


class Run:
    """One timed run: appends per second and the latencies of single appends."""

    def __init__(self, count: int, seconds: float, latencies: list[float]) -> None:
        self.count = count
        self.seconds = seconds
        self.latencies = sorted(latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile of the latencies, in milliseconds (nearest rank)."""
        index = min(len(self.latencies) - 1, max(0, round(p / 100 * len(self.latencies)) - 1))
        return self.latencies[index] * 1000


def timed(writers: int, per_writer: int, prepare: Callable[[int], Append]) -> Run:
    """Run ``writers`` threads, each appending ``per_writer`` times; time them together."""
    appends = [prepare(w) for w in range(writers)]
    latencies: list[list[float]] = [[] for _ in range(writers)]
    failures: list[BaseException] = []
    start = threading.Barrier(writers + 1)

    def work(w: int) -> None:
        append, mine = appends[w], latencies[w]
        start.wait()
        try:
            for n in range(per_writer):
                began = perf_counter()
                append(w, n)
                mine.append(perf_counter() - began)
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = perf_counter()
    for thread in threads:
        thread.join()
    seconds = perf_counter() - began
    if failures:
        raise failures[0]
    return Run(writers * per_writer, seconds, [x for mine in latencies for x in mine])


# --------------------------------------------------------------------------- the events


class Events:
    """The events each writer appends, made beforehand, with their encoded rows."""

    def __init__(self, tag: str, writers: int, per_writer: int) -> None:
        self.cases = [f"{tag}-{w}" for w in range(writers)]
        self.events = [events_for(case, per_writer) for case in self.cases]
        self.rows = [
            [(case, n + 1, "OV", type(e).__name__, dumps_event(e)) for n, e in enumerate(mine)]
            for case, mine in zip(self.cases, self.events, strict=True)
        ]


def store_append(store: EventStore, events: Events) -> Callable[[int], Append]:
    def prepare(_w: int) -> Append:
        def append(w: int, n: int) -> None:
            store.append(events.cases[w], [events.events[w][n]], expected_version=n)

        return append

    return prepare


def check(store: EventStore, runs: Sequence[Events], problems: list[str], name: str) -> None:
    """Every appended event once, at positions 1..N without a gap, as appended."""
    records = store.read_all()
    if [r.position for r in records] != list(range(1, len(records) + 1)):
        problems.append(f"{name}: the positions have a gap")
    wanted = sum(len(mine) for run in runs for mine in run.events)
    if len(records) != wanted:
        problems.append(f"{name}: {len(records)} events stored, {wanted} appended")
    for run in runs:
        for case, mine in zip(run.cases, run.events, strict=True):
            if list(store.read(case)) != mine:
                problems.append(f"{name}: case {case} differs from what was appended")


def read_rate(store: EventStore, repeat: int) -> tuple[float, int]:
    """Events per second of ``read_all`` over the whole store, in pages; best of ``repeat``.

    One untimed pass first: the first read of an event type builds its decoder.
    """
    store.read_all()
    best, total = 0.0, 0
    for _ in range(repeat):
        began = perf_counter()
        after, total = 0, 0
        while page := store.read_all(after_position=after, limit=PAGE):
            total += len(page)
            after = page[-1].position
        best = max(best, total / (perf_counter() - began))
    return best, total


# --------------------------------------------------------------------------- SQLite


def sqlite_bare(path: Path, events: Events) -> Callable[[int], Append]:
    """Bare ``INSERT`` + commit, WAL and ``synchronous=FULL`` as the store: one connection
    per writer."""
    with sqlite3.connect(path, isolation_level=None) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute(
            "CREATE TABLE IF NOT EXISTS bare (position INTEGER PRIMARY KEY, case_id TEXT,"
            " version INTEGER, routine TEXT, type TEXT, envelope TEXT)"
        )
    setup.close()
    connections: list[sqlite3.Connection] = []

    def prepare(_w: int) -> Append:
        connection = sqlite3.connect(
            path, isolation_level=None, timeout=60, check_same_thread=False
        )
        connection.execute("PRAGMA synchronous=FULL")
        connections.append(connection)

        def append(w: int, n: int) -> None:
            connection.execute("BEGIN")
            connection.execute(
                "INSERT INTO bare (case_id, version, routine, type, envelope)"
                " VALUES (?, ?, ?, ?, ?)",
                events.rows[w][n],
            )
            connection.execute("COMMIT")

        return append

    prepare.connections = connections  # type: ignore[attr-defined]
    return prepare


# --------------------------------------------------------------------------- PostgreSQL


def postgres_bare(pool: Any, table: str, events: Events) -> Callable[[int], Append]:
    """A bare autocommit ``INSERT`` of the same row over the store's pool."""

    def prepare(_w: int) -> Append:
        def append(w: int, n: int) -> None:
            with pool.connection() as connection:
                connection.execute(
                    f"INSERT INTO {table} (case_id, version, routine, type, envelope)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    events.rows[w][n],
                    prepare=True,
                )

        return append

    return prepare


# --------------------------------------------------------------------------- the run


def compare(  # noqa: PLR0917 - one measurement's every input
    name: str,
    store: EventStore,
    bare: Callable[[Events], Callable[[int], Append]],
    writer_counts: Sequence[int],
    appends: int,
    repeat: int,
    problems: list[str],
    lines: list[str],
) -> list[float]:
    """Time the store against the bare inserts for each number of writers; the ratios."""
    ratios: list[float] = []
    runs: list[Events] = []
    for writers in writer_counts:
        per_writer = max(1, appends // writers)
        best_store: Run | None = None
        best_bare: Run | None = None
        for r in range(repeat):
            tag = f"w{writers}r{r}"
            events = Events(tag, writers, per_writer)
            bare_run = timed(writers, per_writer, bare(events))
            store_run = timed(writers, per_writer, store_append(store, events))
            runs.append(events)
            if best_store is None or store_run.rate > best_store.rate:
                best_store = store_run
            if best_bare is None or bare_run.rate > best_bare.rate:
                best_bare = bare_run
        assert best_store is not None
        assert best_bare is not None
        ratio = best_store.rate / best_bare.rate
        ratios.append(ratio)
        lines.append(
            f"{name:<10} {writers:>3} writers  store {best_store.rate:>8.0f}/s "
            f"p50 {best_store.percentile(50):>6.2f} ms p99 {best_store.percentile(99):>7.2f} ms"
            f" | bare {best_bare.rate:>8.0f}/s p50 {best_bare.percentile(50):>6.2f} ms "
            f"p99 {best_bare.percentile(99):>7.2f} ms | ratio {ratio:.2f} "
            f"(target >= {TARGET}: {'met' if ratio >= TARGET else 'NOT MET'})"
        )
    rate, total = read_rate(store, repeat)
    lines.append(f"{name:<10} read_all    {rate:>10.0f} events/s over {total} events")
    check(store, runs, problems, name)
    return ratios


def run_sqlite(args: argparse.Namespace, problems: list[str], lines: list[str]) -> list[float]:
    with tempfile.TemporaryDirectory() as directory:
        bare_path = Path(directory) / "bare.db"
        opened: list[sqlite3.Connection] = []

        def bare(events: Events) -> Callable[[int], Append]:
            prepare = sqlite_bare(bare_path, events)
            opened.extend(prepare.connections)  # type: ignore[attr-defined]
            return prepare

        store = SQLiteEventStore(Path(directory) / "events.db", timeout=60)
        try:
            return compare(
                "SQLite", store, bare, args.writers, args.appends, args.repeat, problems, lines
            )
        finally:
            store.close()
            for connection in opened:
                connection.close()


def run_postgres(
    url: str, args: argparse.Namespace, problems: list[str], lines: list[str]
) -> list[float]:
    from psycopg_pool import ConnectionPool  # the extra [postgres]

    from arendefordelning.store import PostgresEventStore

    prefix = f"bench_{uuid.uuid4().hex[:12]}"
    bare_table = f"{prefix}_bare"
    size = max(args.writers)
    pool: ConnectionPool[Any] = ConnectionPool(
        url, min_size=size, max_size=size, kwargs={"autocommit": True}, open=True
    )
    try:
        pool.wait(timeout=60)
        with pool.connection() as connection:
            connection.execute(
                f"CREATE TABLE {bare_table} (position BIGSERIAL PRIMARY KEY, case_id TEXT"
                " NOT NULL, version INTEGER NOT NULL, routine TEXT NOT NULL, type TEXT NOT NULL,"
                " envelope TEXT NOT NULL, UNIQUE (case_id, version))"
            )
        store = PostgresEventStore(table=prefix, pool=pool)
        try:
            return compare(
                "PostgreSQL",
                store,
                lambda events: postgres_bare(pool, bare_table, events),
                args.writers,
                args.appends,
                args.repeat,
                problems,
                lines,
            )
        finally:
            with pool.connection() as connection:
                for table in (bare_table, f"{prefix}_events", f"{prefix}_tracking"):
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
                connection.execute(f"DROP TABLE IF EXISTS {prefix}_meta")
    finally:
        pool.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--appends", type=int, default=2000, help="appends per measurement")
    parser.add_argument(
        "--writers",
        type=lambda text: [int(part) for part in text.split(",") if part],
        default=[1, 8, 32],
        help="numbers of concurrent writers, comma-separated (default 1,8,32)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(POSTGRES_URL, ""),
        help=f"a PostgreSQL server's URL (default: ${POSTGRES_URL}); without it, SQLite only",
    )
    args = parser.parse_args(argv)
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"arendefordelning {version('arendefordelning')}, {os.cpu_count()} CPUs; "
        f"{args.appends} appends of one event per measurement, best of {args.repeat}"
    )
    problems: list[str] = []
    lines: list[str] = []
    ratios = {"SQLite": run_sqlite(args, problems, lines)}
    if args.postgres:
        ratios["PostgreSQL"] = run_postgres(args.postgres, args, problems, lines)
    else:
        lines.append("PostgreSQL: no server given (--postgres or $" + POSTGRES_URL + ")")
    for line in lines:
        print(line)
    for name, found in ratios.items():
        worst = min(found)
        verdict = "met" if worst >= TARGET else "NOT MET"
        print(f"target {name}: store >= {TARGET} x bare at every writer count: {verdict}")
    if problems:
        for problem in problems:
            print(f"WRONG: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
