"""Stockholm time (svensk tid): the time zone every rule computes in (X-3).

Private helpers that turn caller input into Stockholm dates and times, refusing
naive datetimes and non-date values with :class:`~arendefordelning.errors.InvalidInput`.
The messages name the argument and its type, never its value: a caller who passes the
wrong string by mistake may have passed a personal identity number (X-7).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
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
    "format_deadline",
    "format_due",
    "format_local",
    "instant",
]

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
"""The zone every rule computes in (X-3)."""


_WALL_MARGIN: Final = timedelta(hours=3)
"""More than Stockholm's offsets have ever differed by (one hour, and 12 minutes for
local mean time): beyond it the wall clock orders two Stockholm moments as instants."""


def wall_window(moment: datetime) -> tuple[datetime, datetime] | None:
    """Return the Stockholm wall-clock times three hours before and after an aware moment.

    A Stockholm moment before the first is before ``moment`` as an instant, one after
    the second after it: compared in one zone, by their fields, without converting.
    Only moments between them need converting to be compared. None within hours of
    the calendar's ends.
    """
    try:
        wall = moment.astimezone(STOCKHOLM).replace(tzinfo=None)
        return (wall - _WALL_MARGIN).replace(tzinfo=STOCKHOLM), (wall + _WALL_MARGIN).replace(
            tzinfo=STOCKHOLM
        )
    except OverflowError:
        return None


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
        zone = value.tzinfo
        try:
            if zone is STOCKHOLM:
                # Through UTC: a wall-clock time in the skipped hour becomes canonical.
                return value.astimezone(UTC).astimezone(STOCKHOLM)
            if type(zone) is not timezone and (zone is None or value.utcoffset() is None):
                raise InvalidInput(
                    f"{name} is a naive datetime (it has no time zone); give a "
                    "timezone-aware datetime, for example with "
                    "tzinfo=ZoneInfo('Europe/Stockholm')"
                )
            # From any other zone one conversion is canonical: astimezone goes through
            # the instant (utcoffset, then Stockholm's fromutc).
            return value.astimezone(STOCKHOLM)
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


def instant(value: datetime | None) -> datetime | None:
    """Return an aware datetime as its UTC instant (None stays None), X-3.

    The key attrs fields compare and hash by: Python compares two datetimes of one
    zone by their wall clocks, so 02:30 before and 02:30 after the clocks go back in
    October would otherwise be equal.
    """
    return None if value is None else value.astimezone(UTC)


def _ambiguous(moment: datetime) -> bool:
    """Whether a Stockholm wall-clock time occurs twice (the repeated hour in October)."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f" (UTC{text[:3]}:{text[3:]})"


def format_local(moment: datetime) -> str:
    """Format a Stockholm datetime as ``YYYY-MM-DD HH:MM`` with the precision it has.

    Seconds are shown when they are not zero and the fraction of a second when it is
    not, since either may decide a rule (14:00:00.000001 is after 14:00). A time in
    the hour repeated when summer time ends carries its offset, ``(UTC+02:00)`` for
    the first and ``(UTC+01:00)`` for the second pass.
    """
    if moment.microsecond:
        text = moment.strftime("%Y-%m-%d %H:%M:%S.%f").rstrip("0")
    elif moment.second:
        text = moment.strftime("%Y-%m-%d %H:%M:%S")
    else:
        text = moment.strftime("%Y-%m-%d %H:%M")
    return text + _offset(moment) if _ambiguous(moment) else text


def format_due(moment: datetime) -> str:
    """Write a due time as explanations have it, ``YYYY-MM-DD HH:MM``.

    Seconds are dropped, never rounded up: a due time shown a few seconds early is on
    the safe side. A time in the repeated October hour carries its offset, as in
    :func:`format_local`.
    """
    text = moment.strftime("%Y-%m-%d %H:%M")
    return text + _offset(moment) if _ambiguous(moment) else text


def format_deadline(moment: datetime) -> str:
    """Write a deadline for a task list: as :func:`format_due`, a day's end as the day.

    A rule due on a date is due at the Stockholm start of the next day; written as
    that date alone (``2026-04-14`` for 2026-04-15 00:00), which says the same.
    """
    local = moment.astimezone(STOCKHOLM)
    if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
        return (local - timedelta(days=1)).strftime("%Y-%m-%d")
    return format_due(local)
