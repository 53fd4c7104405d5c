"""Event stores (händelselager): where each case's history is kept, X-1.

An :class:`EventStore` keeps every case's events as the event log writes them (the
envelope of :func:`~arendefordelning.eventlog.dumps_event`, ``recorded_at`` kept), so a
store dumps to and loads from JSON Lines losslessly (:func:`dump`, :func:`load`):

* ``append(case, events, *, expected_version)`` writes one case's batch all or
  nothing, at the version the case was read at; a stale write is caught by the
  database (``UNIQUE (case_id, version)``) and raised as :class:`ConcurrencyConflict`;
* ``read(case)`` gives the case's :class:`History` (its events, and the version it
  stands at); ``read_all(after_position=…, limit=…, routines=…)`` every event as
  :class:`Recorded` in the order of its global position, which is unique, increasing
  and committed in that order, so a reader that has seen position p never later
  finds a new event below p; ``head()`` the last position;
* ``process(name, handle)`` hands a consumer (the audit) its next page and moves its
  tracked position in the same transaction as the consumer's own writes, so it
  resumes where it stopped and processes each position exactly once; :func:`tail`
  follows a store as a generator.

:func:`record` is the recording step over a store: read the case, replay it, let the
routine decide, append at the version read, and on a conflict read and decide again.

Two stores ship: :class:`SQLiteEventStore` (standard library, one file, the embedded
default) and :class:`PostgresEventStore` (extra ``[postgres]``: psycopg 3 and a
connection pool). Both pass the shipped contract suite
(:mod:`arendefordelning.store.contract`), which a store of one's own can run too.
:func:`open_store` and :func:`events_from` open a store by its URL
(``sqlite:///path``, ``postgresql://…``). See ``docs/stores.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import (
    FORMAT,
    SCHEMA_VERSION,
    ConcurrencyConflict,
    CorruptStore,
    EventStore,
    History,
    NewerSchema,
    NotAnEventStore,
    Recorded,
    StoreError,
    TrackingConflict,
)
from ._record import record
from ._sqlite import SQLiteEventStore
from ._transfer import dump, load, tail
from ._url import events_from, is_store_url, open_store

if TYPE_CHECKING:
    from ._postgres import PostgresEventStore

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "ConcurrencyConflict",
    "CorruptStore",
    "EventStore",
    "History",
    "NewerSchema",
    "NotAnEventStore",
    "PostgresEventStore",
    "Recorded",
    "SQLiteEventStore",
    "StoreError",
    "TrackingConflict",
    "dump",
    "events_from",
    "is_store_url",
    "load",
    "open_store",
    "record",
    "tail",
]


def __getattr__(name: str) -> Any:
    if name == "PostgresEventStore":  # psycopg is imported only when it is asked for
        from ._postgres import PostgresEventStore  # noqa: PLC0415

        return PostgresEventStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
