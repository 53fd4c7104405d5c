"""The canonical order of events (kanonisk ordning), X-1: by recording, then by fields.

A routine's events are ordered by the instant each was recorded, then the instant it
happened, then the step's place in the table, and where all of these tie by the
event's fields as written (its ``repr``): a total order, so any order of the same
events gives the same list. Event times are canonical Stockholm times (X-3), compared
as wall clocks where that is exact and as instants otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from .._time import UTC
from ._base import Event, event_type_name


def _later_or_same(moment: datetime, until: datetime) -> bool:
    """Whether ``moment`` is not before ``until``, for the kernel's Stockholm times.

    Event times are canonical Stockholm times (X-3): compared as wall clocks unless one
    lies in the second pass of the hour repeated in October or another zone is used.
    """
    if moment.fold or until.fold or moment.tzinfo is not until.tzinfo:
        return moment.astimezone(UTC) >= until.astimezone(UTC)
    return moment >= until


_FAR_PAST: Final = datetime.min.replace(tzinfo=UTC)
_FAR_FUTURE: Final = datetime.max.replace(tzinfo=UTC)


def _utc(moment: datetime) -> datetime:
    """Return an aware moment in UTC, clamped to what Python represents (never raises)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        offset = moment.utcoffset()
        return _FAR_PAST if offset is not None and offset.total_seconds() > 0 else _FAR_FUTURE


def _strictly_recorded_in_order(events: list[Event]) -> bool:
    """Say whether each event was recorded strictly after the one before.

    Then the list is in the canonical order already: ties are what that order breaks.
    """
    previous: datetime | None = None
    for event in events:
        moment = event.recorded_at or event.at
        if previous is not None:
            if moment.fold or previous.fold or moment.tzinfo is not previous.tzinfo:
                if moment.astimezone(UTC) <= previous.astimezone(UTC):
                    return False
            elif moment <= previous:
                return False
        previous = moment
    return True


def _foreign_key(event: Event) -> tuple[datetime, datetime, str]:
    at = event.at.astimezone(UTC)
    when = event.recorded_at
    return (at if when is None else when.astimezone(UTC), at, event_type_name(type(event)))


def _canonical(events: list[Event], key: Callable[[Event], tuple[Any, ...]]) -> list[Event]:
    """Sort events by ``key`` and, where keys tie, by their fields as written: a total order."""
    return [event for _, event in _keyed(events, key)]


def _keyed(events: list[Event], key: Callable[[Event], Any]) -> list[tuple[Any, Event]]:
    """Sort events as :func:`_canonical` does, each kept with its key."""
    keyed = sorted(((key(event), event) for event in events), key=_first)
    start = 0
    for position in range(1, len(keyed) + 1):
        if position == len(keyed) or keyed[position][0] != keyed[start][0]:
            if position - start > 1:
                keyed[start:position] = sorted(keyed[start:position], key=_fields)
            start = position
    return keyed


def _fields(pair: tuple[Any, Event]) -> str:
    return repr(pair[1])


def _first(pair: tuple[Any, Event]) -> Any:
    return pair[0]
