"""The event store's values, protocol and errors; shared by both stores. X-1.

Re-exported by :mod:`arendefordelning.store`; see there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar, overload

import attrs

from .._validators import describe, shown
from ..errors import ArendefordelningError, InvalidInput
from ..eventlog import dumps_event, load_events
from ..kernel import Event, check_identifier

if TYPE_CHECKING:
    from ..kernel import Routine

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "ConcurrencyConflict",
    "CorruptStore",
    "EventStore",
    "History",
    "NewerSchema",
    "NotAnEventStore",
    "Recorded",
    "StoreError",
    "TrackingConflict",
]

E = TypeVar("E", bound=Event)
E_co = TypeVar("E_co", bound=Event, covariant=True)

FORMAT: Final = "arendefordelning-event-store"
"""What the store's own metadata says it is: a store of this library's events."""

SCHEMA_VERSION: Final = 1
"""The version of the store's tables this library writes (see ``docs/stores.md``)."""

_TABLE_PREFIX: Final = re.compile(r"[a-z_][a-z0-9_]{0,39}")


# --------------------------------------------------------------------------- errors


class StoreError(ArendefordelningError):
    """Event store error (fel i händelselagret): the store cannot do what was asked, X-1.

    The base of the store's own errors; a bad argument is
    :class:`~arendefordelning.errors.InvalidInput`, as everywhere in the package.
    """


class ConcurrencyConflict(StoreError):
    """Concurrency conflict (samtidig skrivning): the case moved on since it was read, X-1.

    Raised by ``append`` when the case does not stand at ``expected_version``: another
    writer recorded in the case after it was read (``actual`` is then larger), or the
    caller counted wrong. Nothing of the batch is written. Read the case again, decide
    again, and append at the new version (:func:`~arendefordelning.store.record` does).
    """

    def __init__(self, case: str, expected: int, actual: int) -> None:
        self.case = case
        self.expected = expected
        self.actual = actual
        why = (
            "another writer recorded in it since it was read"
            if actual > expected
            else "the case has fewer events than expected"
        )
        super().__init__(
            f"case {shown(case)} stands at version {actual}, not at the expected version "
            f"{expected}: {why}; read the case again, decide again and append at its "
            "version (nothing was written)"
        )


class TrackingConflict(StoreError):
    """Tracking conflict (spårningskonflikt): another consumer of the same name moved on, X-1.

    Raised by a tail when the position it tracks was advanced by someone else since it
    read it; nothing of its own progress is written.
    """


class NotAnEventStore(StoreError):
    """Not an event store (inte ett händelselager): the file or tables are someone else's.

    The store refuses to write into a database it did not create: a SQLite file of
    another application, a PostgreSQL table of the same name without the store's own
    metadata. Nothing is changed.
    """


class NewerSchema(StoreError):
    """Newer schema (nyare schema): the store was written by a newer version of the library.

    Its tables are of a schema version this library does not know; upgrade the library
    (nothing is changed, so the newer version can still read it).
    """

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"the store's tables are of schema version {found}, newer than the version "
            f"this library knows ({known}); upgrade arendefordelning to read it (nothing "
            "was changed)"
        )


class CorruptStore(StoreError):
    """Corrupt store (skadat händelselager): the file or a stored event cannot be read.

    Raised instead of a partial answer: a read that meets a damaged page or a stored
    line that is not an event returns nothing. The message names the position, never
    the event's content (X-7).
    """


# --------------------------------------------------------------------------- values


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int or value < 0:
        raise InvalidInput(f"{attribute.name} must be a whole number >= 0, not {describe(value)}")


@attrs.frozen(kw_only=True)
class Recorded(Generic[E_co]):
    """Recorded event (lagrad händelse): an event with its place in the store, X-1.

    ``position`` is its place among every event of the store (unique, increasing, and
    committed in that order); ``version`` its place in its case (1 for the first).
    """

    position: int = attrs.field(validator=_non_negative)
    """The event's global position in the store, from 1."""
    version: int = attrs.field(validator=_non_negative)
    """The event's version in its case: 1 for the case's first event."""
    event: E_co
    """The event, as it was appended (``recorded_at`` kept)."""

    @property
    def case(self) -> str:
        """The event's case number."""
        return self.event.case


@attrs.frozen(kw_only=True, eq=False)
class History(Sequence[E_co]):
    """Case history (ärendets historik): a case's events as read, with their version, X-1.

    A sequence of the events (so ``routine.replay(store.read(case))`` works) that also
    says the version the case stood at when it was read: ``expected_version`` for the
    next ``append``. ``positions`` gives each event's global position.
    """

    case: str
    """The case number."""
    events: tuple[E_co, ...]
    """The events read, in the order of the case."""
    version: int
    """The version the case stood at when it was read (0 for a case with no events)."""
    positions: tuple[int, ...] = ()
    """The global position of each event."""

    @overload
    def __getitem__(self, index: int) -> E_co: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[E_co, ...]: ...
    def __getitem__(self, index: int | slice) -> E_co | tuple[E_co, ...]:
        return self.events[index]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[E_co]:
        return iter(self.events)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return (self.case, self.events, self.version) == (other.case, other.events, other.version)

    def __hash__(self) -> int:
        return hash((self.case, self.events, self.version))

    def __repr__(self) -> str:
        return (
            f"History(case={shown(self.case)}, {len(self.events)} events, version={self.version})"
        )


# --------------------------------------------------------------------------- the protocol


Handler = Callable[[list[Recorded[Event]], Any], object]
"""A consumer's handler: the page of records, and the store's connection in the
transaction that also writes the consumer's tracking position."""


class EventStore(Protocol):
    """Event store (händelselager): where each case's history is kept, X-1.

    ``append`` writes a batch of one case's events all or nothing, at the version the
    case was read at (a stale write raises :class:`ConcurrencyConflict`); ``read``
    gives one case's events in order; ``read_all`` every event in the order of its
    global position, which is unique, increasing and committed in that order; ``head``
    the last position. ``tracked`` and ``process`` let a consumer tail the store and
    resume where it stopped, seeing each position once.
    """

    def append(self, case: str, events: Sequence[Event], *, expected_version: int) -> list[int]:
        """Append events to a case at its version; return their global positions."""
        ...

    @overload
    def read(self, case: str, *, after_version: int = 0) -> History[Event]: ...
    @overload
    def read(
        self, case: str, *, after_version: int = 0, routine: Routine[Any, E, Any]
    ) -> History[E]: ...
    def read(
        self, case: str, *, after_version: int = 0, routine: Routine[Any, Any, Any] | None = None
    ) -> History[Any]:
        """Read a case's events after ``after_version``, with the version it stands at."""
        ...

    def read_all(
        self, *, after_position: int = 0, limit: int | None = None, routines: Iterable[str] = ()
    ) -> list[Recorded[Event]]:
        """Read every event after a position, in position order, of some routines only if asked."""
        ...

    def head(self) -> int:
        """Return the last position in the store, 0 when it is empty."""
        ...

    def tracked(self, name: str) -> int:
        """Return the last position the consumer ``name`` has processed, 0 if none."""
        ...

    def process(
        self, name: str, handle: Handler, *, limit: int = 100, routines: Iterable[str] = ()
    ) -> int:
        """Hand the consumer its next page and track it in the same transaction."""
        ...

    def advance(self, name: str, position: int, *, expected: int) -> None:
        """Move the consumer ``name`` from position ``expected`` to ``position``."""
        ...

    def close(self) -> None:
        """Close the store's connections."""
        ...


# --------------------------------------------------------------------------- shared checks


def check_case(case: object) -> str:
    """Check a case number as events check it (X-7); return it."""
    return check_identifier("case", case)


def check_count(name: str, value: object, low: int = 0) -> int:
    """Check a whole-number argument (a version, a position, a limit)."""
    if type(value) is not int or value < low:
        raise InvalidInput(f"{name} must be a whole number >= {low}, not {describe(value)}")
    return value


def check_seconds(name: str, value: object) -> float:
    """Check a time in seconds: a number > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInput(f"{name} must be a number of seconds > 0, not {describe(value)}")
    return float(value)


def check_limit(value: object) -> int | None:
    """Check ``limit``: None for no limit, or a whole number >= 1."""
    if value is None:
        return None
    return check_count("limit", value, 1)


def check_routines(value: object) -> tuple[str, ...]:
    """Check ``routines``: an iterable of routine codes as text."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(
            f'routines must be an iterable of routine codes such as ("VAL",), not {describe(value)}'
        )
    codes = tuple(dict.fromkeys(value))
    if not all(type(code) is str for code in codes):
        raise InvalidInput("routines must hold routine codes as str")
    return codes


def check_name(value: object) -> str:
    """Check a consumer's tracking name: an identifier."""
    return check_identifier("name", value)


def check_prefix(value: object) -> str:
    """Check a table prefix: lower-case letters, digits and underscores, at most 40."""
    if type(value) is not str or not _TABLE_PREFIX.fullmatch(value):
        raise InvalidInput(
            "table must be a name of lower-case letters, digits and underscores, at most "
            "40 characters, beginning with a letter or underscore"
        )
    return value


def encode_batch(case: str, events: object) -> list[tuple[str, str, str]]:
    """Check a batch and encode each event as (routine, type, envelope line), X-1.

    Raises:
        InvalidInput: for no events, an item that is not an Event, or an event of another
            case; nothing is written then.
    """
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidInput(f"events must be a sequence of Event values, not {describe(events)}")
    rows: list[tuple[str, str, str]] = []
    for index, event in enumerate(events):
        if not isinstance(event, Event):
            raise InvalidInput(f"events[{index}] must be an Event, not {describe(event)}")
        if event.case != case:
            raise InvalidInput(
                f"events[{index}] is for case {shown(event.case)}, not for case {shown(case)}: "
                "a batch holds one case's events"
            )
        rows.append((type(event).routine, event.type_name(), dumps_event(event)))
    if not rows:
        raise InvalidInput("events must hold at least one event")
    return rows


def decoder(
    types: Iterable[type[Event]] | None, routine: Routine[Any, Any, Any] | None = None
) -> Callable[[int, str], list[Event]]:
    """Return a function decoding one stored line at a position into its events.

    A line of an event type an earlier version wrote and has since split gives the
    events it is now. A line that is not an event raises :class:`CorruptStore` naming
    the position and the field, never the value (X-7).
    """
    chosen = tuple(types) if types is not None else None

    def decode(position: int, line: str) -> list[Event]:
        message: str
        try:
            if routine is not None:
                return list(load_events((line,), routine=routine))
            return list(load_events((line,), types=chosen))
        except InvalidInput as error:
            message = str(error).removeprefix("line 1: ")
        raise CorruptStore(f"the event at position {position} cannot be read: {message}")

    return decode
