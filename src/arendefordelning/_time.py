"""Stockholm time (svensk tid): the time zone every rule computes in (X-3).

Private helpers that turn caller input into Stockholm dates and times, refusing
naive datetimes and non-date values with :class:`~arendefordelning.errors.InvalidInput`.
The messages name the argument and its type, never its value: a caller who passes the
wrong string by mistake may have passed a personal identity number (X-7).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

from ._validators import describe
from .errors import InvalidInput

__all__ = [
    "STOCKHOLM",
    "UTC",
    "as_date",
    "as_stockholm",
    "at_local_time",
    "format_due",
    "format_local",
]

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
"""The zone every rule computes in (X-3)."""


def as_stockholm(value: object, name: str) -> datetime:
    """Return an aware datetime converted to Stockholm time (X-3).

    The result is canonical: a Stockholm wall-clock time that does not exist (in the
    hour skipped when summer time starts) becomes the existing time of the same
    instant, and ``fold`` matches the offset. So two results of the same instant are
    equal and print the same offset. Compare results through UTC: Python compares
    two datetimes of one zone by their wall clocks, which is wrong across the hour
    repeated when summer time ends.

    Raises InvalidInput for a naive datetime or anything that is not a datetime.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(
                f"{name} is a naive datetime (it has no time zone); give a timezone-aware "
                "datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')"
            )
        try:
            return value.astimezone(UTC).astimezone(STOCKHOLM)
        except OverflowError:
            raise InvalidInput(
                f"{name} lies outside the dates Python can represent in Stockholm time "
                "(years 1–9999)"
            ) from None
    raise InvalidInput(f"{name} must be a timezone-aware datetime, not {describe(value)}")


def as_date(value: object, name: str) -> date:
    """Return a plain date: a date as it is, an aware datetime as its Stockholm date.

    Raises InvalidInput for a naive datetime or anything that is not a date.
    """
    if isinstance(value, datetime):
        return as_stockholm(value, name).date()
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    raise InvalidInput(f"{name} must be a date or a timezone-aware datetime, not {describe(value)}")


def at_local_time(day: date, clock: time) -> datetime:
    """Return ``day`` at the Stockholm wall-clock time ``clock``.

    A wall-clock time that does not exist on that day (it falls in the hour skipped
    when summer time starts) is moved forward by the length of the gap, as a clock on
    the wall would show it; an ambiguous one (the repeated hour when summer time ends)
    is its first occurrence.
    """
    naive = datetime.combine(day, clock)
    return naive.replace(tzinfo=STOCKHOLM).astimezone(UTC).astimezone(STOCKHOLM)


def format_local(moment: datetime) -> str:
    """Format a Stockholm datetime as ``YYYY-MM-DD HH:MM`` (``:SS`` only when non-zero)."""
    if moment.second or moment.microsecond:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


def format_due(moment: datetime) -> str:
    """Write a due time as explanations have it, ``YYYY-MM-DD HH:MM``.

    Seconds are dropped, never rounded up: a due time shown a few seconds early is on
    the safe side.
    """
    return moment.strftime("%Y-%m-%d %H:%M")
