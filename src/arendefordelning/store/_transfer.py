"""Between a store and JSON Lines (mellan lager och händelselogg): dump, load, tail, X-1.

Re-exported by :mod:`arendefordelning.store`; see there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Final, TextIO

from ..errors import InvalidInput
from ..eventlog import dumps_event, load_events
from ..kernel import Event
from ._base import (
    EventStore,
    Recorded,
    check_count,
    check_name,
    check_routines,
    encode_batch,
)

__all__ = ["dump", "load", "tail"]

_BEYOND: Final = 2**62
"""A version no case reaches."""

PAGE: Final = 1000
"""How many events a dump, a load or a tail moves at a time."""


def _pages(
    store: EventStore, after: int, page: int, routines: tuple[str, ...]
) -> Iterator[list[Recorded[Event]]]:
    while True:
        records = store.read_all(after_position=after, limit=page, routines=routines)
        if not records:
            return
        yield records
        after = records[-1].position


def dump(
    store: EventStore,
    target: str | os.PathLike[str] | TextIO,
    *,
    after_position: int = 0,
    routines: Iterable[str] = (),
    page: int = PAGE,
) -> int:
    """Write a store's events to a JSON Lines log (skriv lagret som händelselogg), X-1.

    Streams: ``page`` events are held at a time. The lines are the event log's
    (:func:`~arendefordelning.eventlog.dumps_event`), in position order, so
    :func:`load` into an empty store gives the same store, and the log reads with
    :func:`~arendefordelning.eventlog.load_events`. A path is written to a temporary
    file beside it and moved into place when every event is written, so a failed
    dump (a damaged store) leaves no partial log.

    Returns:
        The number of events written.
    """
    after = check_count("after_position", after_position)
    codes = check_routines(routines)
    size = check_count("page", page, 1)
    if not isinstance(target, str | os.PathLike):
        if not callable(getattr(target, "write", None)):
            raise InvalidInput(
                f"target must be a path or a text stream, not {type(target).__name__}"
            )
        return _write(store, target, after, size, codes)
    final = Path(target)
    handle, scratch = tempfile.mkstemp(prefix=".dump-", suffix=".jsonl", dir=final.parent)
    try:
        with open(handle, "w", encoding="utf-8", newline="\n") as stream:
            count = _write(store, stream, after, size, codes)
        os.replace(scratch, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise
    return count


def _write(store: EventStore, stream: TextIO, after: int, page: int, codes: tuple[str, ...]) -> int:
    count = 0
    for records in _pages(store, after, page, codes):
        stream.write("".join(dumps_event(r.event) + "\n" for r in records))
        count += len(records)
    return count


def load(
    store: EventStore,
    source: str | os.PathLike[str] | TextIO | Iterable[str],
    *,
    types: Iterable[type[Event]] | None = None,
    page: int = PAGE,
) -> int:
    """Append a JSON Lines log's events to a store (läs in en händelselogg), X-1.

    Streams: the log is read ``page`` events at a time, and each page is appended in
    one transaction where the store can (each case's events at the version the case
    stands at, in the log's order), so a log of any length loads. The events keep
    every field, ``recorded_at`` included.

    Returns:
        The number of events appended.

    Raises:
        InvalidInput: for a line that is not an event (naming its number); the pages
            before it are in the store.
    """
    size = check_count("page", page, 1)
    events = load_events(source, types=types)
    count = 0
    versions: dict[str, int] = {}
    batch: list[Event] = []
    try:
        for event in events:
            batch.append(event)
            if len(batch) >= size:
                count += _load_page(store, batch, versions)
                batch = []
        if batch:
            count += _load_page(store, batch, versions)
    finally:
        events.close()
    return count


def _load_page(store: EventStore, events: list[Event], versions: dict[str, int]) -> int:
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(event.case, []).append(event)
    for case in groups:
        if case not in versions:
            # No event lies after this version: the read gives the version alone.
            versions[case] = store.read(case, after_version=_BEYOND).version
    bulk = getattr(store, "_append_batches", None)
    if callable(bulk):
        bulk([(case, encode_batch(case, batch), versions[case]) for case, batch in groups.items()])
    else:
        for case, batch in groups.items():
            store.append(case, batch, expected_version=versions[case])
    for case, batch in groups.items():
        versions[case] += len(batch)
    return len(events)


def tail(
    store: EventStore, name: str, *, page: int = PAGE, routines: Iterable[str] = ()
) -> Generator[Recorded[Event], None, None]:
    """Follow a store from where the consumer ``name`` stopped (följ lagret), X-1.

    Yields every event after the consumer's tracked position, in position order, and
    moves the position as the consumer goes: an event counts as seen when the next
    one is asked for, or when the iteration ends. So a consumer that handles each
    event before asking for the next, and stops by ``break``/``close()`` or an error,
    sees each position once across its runs; the event it held when it stopped comes
    again. (A consumer killed outright sees again what it handled since the last
    page was tracked; :meth:`EventStore.process` tracks in the consumer's own
    transaction instead.)

    Raises:
        TrackingConflict: when another consumer of the same name moved the position.
    """
    consumer = check_name(name)
    size = check_count("page", page, 1)
    codes = check_routines(routines)
    return _tail(store, consumer, size, codes)


def _tail(
    store: EventStore, name: str, page: int, codes: tuple[str, ...]
) -> Generator[Recorded[Event], None, None]:
    tracked = store.tracked(name)
    seen = tracked
    advance = store.advance
    try:
        for records in _pages(store, tracked, page, codes):
            for item in records:
                yield item
                seen = item.position
            advance(name, seen, expected=tracked)
            tracked = seen
    finally:
        if seen != tracked:
            advance(name, seen, expected=tracked)
