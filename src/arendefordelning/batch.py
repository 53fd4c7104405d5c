"""Deadlines and working days in bulk (i mängd) over numpy arrays and pandas, VAL-6, X-3.

The per-call rules answer one question at a time; this module answers a whole column
at once with the same results. :func:`execution_deadlines` is the VAL-6 rule of
:func:`~arendefordelning.execution_deadline` over many times, and :func:`workdays`,
:func:`next_workdays` and :func:`roll_forward` are the methods of
:class:`~arendefordelning.WorkCalendar` over many dates.

Every function takes a numpy array, a pandas ``Series``, a ``DatetimeIndex`` or a list,
and gives back the same kind (a Series keeps its index and name).

It needs numpy (``pip install 'arendefordelning[numpy]'``); pandas is optional and is
used only when the caller passes a pandas object, so the package itself never imports
either. Each policy's tables (for every day of 1975–2199 its cut-off instant and the
due instant of a late time) are built once from the policy's public numbers, the
calendar's public methods and Europe/Stockholm from ``zoneinfo``, and memoised; a call
is then a handful of array operations.

Inputs, computed in microseconds of UTC (as a Python datetime holds them):

* a numpy ``datetime64`` array of UTC instants (any unit; finer units are truncated to
  the microsecond), answered as ``datetime64[us]`` UTC;
* a timezone-aware pandas ``Series`` or ``DatetimeIndex``, answered as the same kind in
  Europe/Stockholm (a Series keeps its index and name);
* a sequence of timezone-aware datetimes, answered as a list of Stockholm datetimes.

A missing value (NaT, None) gives a missing answer. Every value must lie in the years
the calendar covers (by its Stockholm date), and an error names the position of the
first offending value, never the value itself.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeAlias, cast, overload

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "arendefordelning.batch needs numpy: pip install 'arendefordelning[numpy]'"
    ) from error

from ._time import STOCKHOLM
from ._validators import describe
from .calendar import WorkCalendar
from .deadlines import ExecutionDeadlinePolicy
from .errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["execution_deadlines", "next_workdays", "roll_forward", "workdays"]

_Int64s: TypeAlias = "npt.NDArray[np.int64]"
_Bools: TypeAlias = "npt.NDArray[np.bool_]"

_US: Final = 1_000_000
"""Microseconds per second."""
_DAY_US: Final = 86_400 * _US
_ONE_US: Final = timedelta(microseconds=1)
_NAT: Final = int(np.iinfo(np.int64).min)
"""NaT as an int64, in every datetime64 unit; also the largest lower bound of np.maximum."""
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_FIRST_DAY: Final = date(WorkCalendar.FIRST_YEAR, 1, 1).toordinal() - _EPOCH_ORDINAL
"""The first day the calendar covers, in days since 1970-01-01."""
_LAST_DAY: Final = date(WorkCalendar.LAST_YEAR, 12, 31).toordinal() - _EPOCH_ORDINAL
"""The last day the calendar covers, in days since 1970-01-01."""
_YEARS: Final = f"{WorkCalendar.FIRST_YEAR}–{WorkCalendar.LAST_YEAR}"
_MEMO: Final = 8
"""How many policies' (and calendars') tables are kept: each takes about 1.4 MB."""

_TIMES_ACCEPTED: Final = (
    "a numpy datetime64 array of UTC instants, a timezone-aware pandas Series or "
    "DatetimeIndex, or a sequence of timezone-aware datetimes (None for a missing one)"
)
_DATES_ACCEPTED: Final = (
    "a numpy datetime64[D] array, a pandas Series or DatetimeIndex of dates (timezone-aware "
    "values count by their Stockholm date), or a sequence of datetime.date (None for a "
    "missing one)"
)


# --------------------------------------------------------------------------- tables


def _utc_us(moment: datetime) -> int:
    """Microseconds since 1970-01-01 UTC of an aware datetime."""
    return (moment - _EPOCH) // _ONE_US


def _readonly(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    values.flags.writeable = False
    return values


class _Zone(NamedTuple):
    """Europe/Stockholm by day, from ``zoneinfo``; indexed by days since 1970-01-01."""

    midnight: _Int64s
    """UTC µs of 00:00 Stockholm time on each day (days 0 to the last covered + 2)."""
    day_end: _Int64s
    """By UTC day D: UTC µs of the last microsecond of Stockholm day D (just before D + 1)."""
    changes: _Bools
    """Whether the UTC offset changes during the day (between its midnight and the next)."""


@functools.cache
def _zone() -> _Zone:
    """Stockholm's midnights and offset changes, 1970 to the calendar's end, built once.

    An instant of UTC day D lies on Stockholm day D or D + 1 (the offset is between 0
    and 24 hours), and on D + 1 exactly from Stockholm's next midnight on: so one
    look-up by UTC day and one comparison give any instant's Stockholm date. A day
    whose midnights have the same offset has no change in between (Stockholm changes
    its offset at most twice a year, never at midnight); only on the about 450 days
    with a change do the tables below ask ``zoneinfo`` for each wall-clock time.
    """
    days = _LAST_DAY + 3
    offset = STOCKHOLM.utcoffset
    # A naive wall-clock time, as the zone is asked about midnights (fold 0).
    moment = datetime(1970, 1, 1)  # noqa: DTZ001
    step = timedelta(days=1)
    found: list[timedelta] = []
    for _ in range(days):
        value = offset(moment)
        if value is None or not timedelta(0) < value < timedelta(days=1):  # pragma: no cover
            raise AssertionError("Europe/Stockholm's UTC offset is not between 0 and 24 hours")
        found.append(value)
        moment += step
    micros = {value: value // _ONE_US for value in set(found)}
    offsets = np.array([micros[value] for value in found], dtype=np.int64)
    midnight = np.arange(days, dtype=np.int64) * _DAY_US - offsets
    day_end = np.append(midnight[1:], midnight[-1] + _DAY_US) - 1
    changes = np.append(offsets[1:] != offsets[:-1], False)
    return _Zone(_readonly(midnight), _readonly(day_end), _readonly(changes))


def _local_instants(zone: _Zone, days: _Int64s, clock: time) -> _Int64s:
    """UTC µs of ``clock`` Stockholm time on each day (days since 1970-01-01).

    As ``datetime.combine(day, clock, STOCKHOLM)``: a wall-clock time in the hour
    skipped in March is read with the offset before the change (so it lands an hour
    later on the clock), one in the repeated hour in October as its first occurrence.
    """
    since_midnight = (
        clock.hour * 3600 + clock.minute * 60 + clock.second
    ) * _US + clock.microsecond
    instants = zone.midnight[days] + since_midnight
    for position in np.flatnonzero(zone.changes[days]):
        day = date.fromordinal(_EPOCH_ORDINAL + int(days[position]))
        instants[position] = _utc_us(datetime.combine(day, clock, STOCKHOLM))
    return instants


class _Days(NamedTuple):
    """One calendar by day (days since 1970-01-01, up to the last covered day)."""

    workday: _Bools
    """Whether the day is a working day (False outside the covered years)."""
    next_workday: _Int64s
    """The first working day strictly after the day, or -1 if none is covered."""
    rolled: _Int64s
    """The day itself if a working day, else its next working day (-1 if none)."""


@functools.lru_cache(maxsize=_MEMO)
def _calendar_days(calendar: WorkCalendar) -> _Days:
    """Build the working days of one calendar value from its public ``is_workday``, once."""
    is_workday = calendar.is_workday
    from_ordinal = date.fromordinal
    covered = np.fromiter(
        (
            is_workday(from_ordinal(_EPOCH_ORDINAL + day))
            for day in range(_FIRST_DAY, _LAST_DAY + 1)
        ),
        dtype=np.bool_,
        count=_LAST_DAY + 1 - _FIRST_DAY,
    )
    workday = np.zeros(_LAST_DAY + 1, dtype=np.bool_)
    workday[_FIRST_DAY:] = covered
    working = np.flatnonzero(workday)
    following = np.searchsorted(working, np.arange(_LAST_DAY + 1), side="right")
    next_workday = np.append(working, -1)[following].astype(np.int64)
    rolled = np.where(workday, np.arange(_LAST_DAY + 1), next_workday).astype(np.int64)
    return _Days(_readonly(workday), _readonly(next_workday), _readonly(rolled))


class _Rule(NamedTuple):
    """One execution policy by day, ready for arrays of UTC microseconds."""

    day_end: _Int64s
    """By UTC day: the last microsecond of the Stockholm day of that number (see :class:`_Zone`)."""
    cutoff: _Int64s
    """By Stockholm day: UTC µs of the cut-off; a time strictly after it is late."""
    late_due: _Int64s
    """By Stockholm day: the due time of a late time, or NaT if no next working day."""
    window: int
    """The window in µs: the due time of a time at or before the cut-off is t + window."""
    stranded_from: int
    """UTC µs from which a late time has no next working day in the calendar."""


def _rule(policy: ExecutionDeadlinePolicy) -> _Rule:
    """Return the tables of one policy value, built once (in milliseconds) and kept.

    Two clock times that differ only in ``fold`` compare equal, so do their policies;
    but ``fold=1`` picks the second pass of the hour repeated in October, as
    ``datetime.combine`` reads it, so the folds are part of the key.
    """
    return _rule_of(policy, policy.cutoff.fold, policy.next_day_start.fold)


@functools.lru_cache(maxsize=_MEMO)
def _rule_of(policy: ExecutionDeadlinePolicy, cutoff_fold: int, start_fold: int) -> _Rule:
    """Build the tables of :func:`_rule` (the folds are the key's, not read again)."""
    zone = _zone()
    days = _calendar_days(policy.calendar)
    local = np.arange(_LAST_DAY + 1, dtype=np.int64)
    covered = local[_FIRST_DAY:]
    cutoff = np.full(_LAST_DAY + 1, _NAT, dtype=np.int64)
    cutoff[_FIRST_DAY:] = _local_instants(zone, covered, policy.cutoff)
    window = policy.window // _ONE_US
    late_due = np.full(_LAST_DAY + 1, _NAT, dtype=np.int64)
    following = days.next_workday[_FIRST_DAY:]
    has_next = following >= 0
    starts = _local_instants(zone, following[has_next], policy.next_day_start)
    late_due[_FIRST_DAY:][has_next] = starts + window
    stranded = covered[~has_next]
    # The calendar ends with a run of days whose next working day it does not know.
    first_stranded = int(stranded[0]) if stranded.size else _LAST_DAY + 1
    return _Rule(
        zone.day_end,
        _readonly(cutoff),
        _readonly(late_due),
        window,
        int(zone.midnight[first_stranded]),
    )


# --------------------------------------------------------------------------- input


class _Problem(NamedTuple):
    """The first offending value of an input: its position and what is wrong."""

    position: int
    message: str


def _first(*problems: _Problem | None) -> _Problem | None:
    """Return the problem at the lowest position (the earlier argument on a tie)."""
    found = [problem for problem in problems if problem is not None]
    return min(found, key=lambda problem: problem.position) if found else None


def _pandas() -> Any:
    """Return pandas if the caller has imported it, else None: it is never imported here."""
    return sys.modules.get("pandas")


def _is_pandas(values: object) -> bool:
    pd = _pandas()
    return pd is not None and isinstance(values, pd.Series | pd.Index)


def _bounds() -> tuple[int, int]:
    """Return the UTC µs of the first and one past the last instant of the covered years."""
    midnight = _zone().midnight
    return int(midnight[_FIRST_DAY]), int(midnight[_LAST_DAY + 1])


def _numpy_micros(values: npt.NDArray[Any], name: str) -> _Int64s:
    """UTC µs of a datetime64 array (NaT stays NaT); refuses other dtypes and shapes."""
    if values.dtype.kind != "M":
        raise InvalidInput(
            f"{name} must be {_TIMES_ACCEPTED}; this numpy array has dtype {values.dtype} "
            "(convert integers or strings with .astype('datetime64[us]'))"
        )
    if values.ndim != 1:
        raise InvalidInput(
            f"{name} must be a one-dimensional array, not one of {values.ndim} dimensions "
            "(use .ravel() and reshape the result)"
        )
    if values.dtype == np.dtype("datetime64[us]"):
        return values.view(np.int64)
    unit, _count = np.datetime_data(values.dtype)
    if unit == "generic":  # numpy holds only NaT without a unit
        return np.full(values.shape, _NAT, dtype=np.int64)
    lowest, end = _bounds()
    # A coarse unit (days, months, years) could overflow on the way to µs: values
    # outside the covered span by a whole unit are pinned to a bound first, so the
    # conversion stays in range and the range check below still refuses them.
    low = np.datetime64(lowest, "us").astype(values.dtype)
    high = np.datetime64(end, "us").astype(values.dtype)
    clipped = np.where((values < low) | (values > high), low - 1, values)
    micros = clipped.astype("datetime64[us]").view(np.int64)
    micros[np.isnat(values)] = _NAT
    return micros


def _pandas_micros(values: Any, name: str) -> _Int64s:
    """UTC µs of a timezone-aware pandas Series or DatetimeIndex."""
    pd = _pandas()
    assert pd is not None
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        # Dropping the zone gives the UTC instants as datetime64, without copying them.
        utc = (
            values.dt.tz_convert(None) if isinstance(values, pd.Series) else values.tz_convert(None)
        )
        return _numpy_micros(np.asarray(utc.to_numpy()), name)
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        missing = np.isnat(np.asarray(values.to_numpy()))
        index = int(np.argmin(missing)) if len(values) else 0
        raise InvalidInput(
            f"{name}[{index}] is a naive datetime (the pandas values have no time zone); "
            "give timezone-aware values, for example with .dt.tz_localize('Europe/Stockholm')"
            " or .tz_localize('UTC')"
        )
    raise InvalidInput(
        f"{name} must be {_TIMES_ACCEPTED}; this pandas object has dtype {dtype} "
        "(convert it with pandas.to_datetime(values, utc=True))"
    )


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    pd = _pandas()
    return pd is not None and value is pd.NaT


def _sequence_micros(values: Sequence[Any], name: str) -> tuple[_Int64s, _Problem | None]:
    """UTC µs of aware datetimes up to the first one that is not (None gives NaT)."""
    micros: list[int] = []
    append = micros.append
    epoch, one = _EPOCH, _ONE_US
    problem = None
    for index, value in enumerate(values):
        if value is None:
            append(_NAT)
        elif isinstance(value, datetime):
            if value.tzinfo is not None:
                try:
                    append((value - epoch) // one)
                    continue
                except TypeError:  # a tzinfo without an offset for this datetime
                    pass
            elif _is_missing(value):  # pandas.NaT is a datetime without a zone
                append(_NAT)
                continue
            problem = _Problem(
                index,
                f"{name}[{index}] is a naive datetime (it has no time zone); give a "
                "timezone-aware datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')",
            )
            break
        else:
            problem = _Problem(
                index,
                f"{name}[{index}] must be a timezone-aware datetime or None, not {describe(value)}",
            )
            break
    return np.array(micros, dtype=np.int64), problem


def _range_problem(micros: _Int64s, name: str) -> _Problem | None:
    """Find the first value (NaT aside) whose Stockholm date lies outside the covered years."""
    if not micros.size:
        return None
    lowest, end = _bounds()
    if int(micros.min()) >= lowest and int(micros.max()) < end:
        return None
    outside = ((micros < lowest) | (micros >= end)) & (micros != _NAT)
    if not outside.any():
        return None
    index = int(np.argmax(outside))
    return _Problem(
        index,
        f"{name}[{index}] lies outside the years the calendar covers ({_YEARS}, by its "
        f"Stockholm date); the batch functions answer only within them",
    )


def _after(bounds: _Int64s, micros: _Int64s) -> _Int64s:
    """Set ``bounds`` to -1 where ``micros`` is later than it, else to 0, in place.

    Branch-free: ``bounds - micros`` is negative exactly where the instant is later,
    and an arithmetic shift by 63 turns the sign into all ones or zeros. Both are
    covered instants, so the difference cannot overflow.
    """
    np.subtract(bounds, micros, out=bounds)
    return np.right_shift(bounds, 63, out=bounds)


def _local_days(rule: _Rule, micros: _Int64s, days: _Int64s, scratch: _Int64s) -> _Int64s:
    """Set ``days`` to the Stockholm day (since 1970-01-01) of covered instants, in place.

    An instant of UTC day D lies on Stockholm day D, or on D + 1 once it is later
    than the last microsecond of Stockholm day D; ``scratch`` is overwritten.
    """
    np.floor_divide(micros, _DAY_US, out=days)
    rule.day_end.take(days, out=scratch, mode="clip")
    return np.subtract(days, _after(scratch, micros), out=days)


def _stranded_problem(rule: _Rule, micros: _Int64s, name: str) -> _Problem | None:
    """Find the first late time whose next working day lies beyond the calendar's end."""
    if not micros.size or int(micros.max()) < rule.stranded_from:
        return None
    _lowest, end = _bounds()
    candidates = np.flatnonzero((micros >= rule.stranded_from) & (micros < end))
    if not candidates.size:
        return None
    chosen = micros[candidates]
    days = _local_days(rule, chosen, np.empty_like(chosen), np.empty_like(chosen))
    late = chosen > rule.cutoff.take(days)
    if not late.any():
        return None
    index = int(candidates[np.argmax(late)])
    return _Problem(
        index,
        f"{name}[{index}] is after the cut-off on a day whose next working day lies beyond "
        f"{WorkCalendar.LAST_YEAR}-12-31, the last day the calendar covers",
    )


_Kind: TypeAlias = Literal["numpy", "pandas", "sequence"]
"""What kind of input a function was given, and so what it answers with."""


def _kind(values: object, name: str) -> _Kind:
    if isinstance(values, np.ndarray):
        return "numpy"
    if _is_pandas(values):
        return "pandas"
    if isinstance(values, Sequence) and not isinstance(values, str | bytes):
        return "sequence"
    raise InvalidInput(f"{name} must be {_TIMES_ACCEPTED}, not {describe(values)}")


def _micros_of(values: Any, kind: _Kind, name: str) -> tuple[_Int64s, _Problem | None]:
    """UTC µs of an input of a known kind, and the first value that is not a time."""
    if kind == "numpy":
        return _numpy_micros(values, name), None
    if kind == "pandas":
        return _pandas_micros(values, name), None
    return _sequence_micros(values, name)


_DEFAULT_POLICY: Final = ExecutionDeadlinePolicy()


def _check_policy(policy: object) -> ExecutionDeadlinePolicy:
    if policy is None:
        return _DEFAULT_POLICY
    if type(policy) is not ExecutionDeadlinePolicy:
        raise InvalidInput(
            f"policy must be an ExecutionDeadlinePolicy or None, not {type(policy).__name__}"
        )
    return policy


# --------------------------------------------------------------------------- VAL-6


_CHUNK: Final = 1 << 16
"""Values per step of :func:`_due`: its four work arrays (512 KiB each) stay in cache."""


def _due(rule: _Rule, micros: _Int64s, agreed: _Int64s | None) -> _Int64s:
    """Return the VAL-6 due instants of checked UTC µs (NaT gives NaT), as int64 µs.

    Per value: its Stockholm day, whether it is after that day's cut-off, and then
    either the day's late due time or the value plus the window; every step is an
    array operation into preallocated work arrays, a chunk at a time.
    """
    missing = None
    if micros.size and int(micros.min()) == _NAT:
        missing = micros == _NAT
        micros = np.where(missing, _bounds()[0], micros)
    due = np.empty_like(micros)
    size = min(micros.size, _CHUNK)
    days, late, late_due = (np.empty(size, dtype=np.int64) for _ in range(3))
    for start in range(0, micros.size, _CHUNK):
        stop = min(start + _CHUNK, micros.size)
        count = stop - start
        part, out = micros[start:stop], due[start:stop]
        day, mask, when_late = days[:count], late[:count], late_due[:count]
        _local_days(rule, part, day, mask)
        rule.cutoff.take(day, out=mask, mode="clip")
        _after(mask, part)  # -1 where after the cut-off
        rule.late_due.take(day, out=when_late, mode="clip")
        np.add(part, rule.window, out=out)
        # out = when_late where mask is -1, else out; without a branch per value.
        np.bitwise_xor(when_late, out, out=when_late)
        np.bitwise_and(when_late, mask, out=when_late)
        np.bitwise_xor(out, when_late, out=out)
        if agreed is not None:
            # NaT is the smallest int64, so a missing agreed start never wins.
            np.maximum(out, agreed[start:stop], out=out)
    if missing is not None:
        due[missing] = _NAT
    return due


@overload
def execution_deadlines(
    times: npt.NDArray[np.datetime64],
    *,
    agreed_starts: npt.NDArray[np.datetime64] | None = None,
    policy: ExecutionDeadlinePolicy | None = None,
) -> npt.NDArray[np.datetime64]: ...
@overload
def execution_deadlines(
    times: pd.Series[pd.Timestamp],
    *,
    agreed_starts: pd.Series[pd.Timestamp] | pd.DatetimeIndex | None = None,
    policy: ExecutionDeadlinePolicy | None = None,
) -> pd.Series[pd.Timestamp]: ...
@overload
def execution_deadlines(
    times: pd.DatetimeIndex,
    *,
    agreed_starts: pd.Series[pd.Timestamp] | pd.DatetimeIndex | None = None,
    policy: ExecutionDeadlinePolicy | None = None,
) -> pd.DatetimeIndex: ...
@overload
def execution_deadlines(
    times: Sequence[datetime],
    *,
    agreed_starts: Sequence[datetime | None] | None = None,
    policy: ExecutionDeadlinePolicy | None = None,
) -> list[datetime]: ...
@overload
def execution_deadlines(
    times: Sequence[datetime | None],
    *,
    agreed_starts: Sequence[datetime | None] | None = None,
    policy: ExecutionDeadlinePolicy | None = None,
) -> list[datetime | None]: ...
def execution_deadlines(
    times: object,
    *,
    agreed_starts: object = None,
    policy: ExecutionDeadlinePolicy | None = None,
) -> object:
    """Return execution deadlines in bulk (verkställighetsfrister i mängd), VAL-6.

    Element by element the due time of :func:`~arendefordelning.execution_deadline`:
    a Stockholm time strictly after the policy's cut-off (14:00) counts from its
    ``next_day_start`` (07:00) on the next working day, any other from itself; the
    due time is that start plus the window (24 hours) in elapsed time; with an agreed
    start, the later of the two instants. Microseconds decide, as in the per-call
    rule: 14:00:00.000001 is after 14:00.

    Args:
        times: the distribution or contact times: a numpy ``datetime64`` array of
            UTC instants (any unit; below a microsecond is dropped), a
            timezone-aware pandas ``Series`` or ``DatetimeIndex``, or a sequence of
            timezone-aware datetimes. NaT or None gives NaT or None.
        agreed_starts: None, or agreed later starts of the same kind and length,
            matched by position (two Series must have the same index); NaT or None
            where there is none.
        policy: the numbers and calendar (an ``ExecutionDeadlinePolicy``); None means
            the routine's 14:00, 07:00, 24 hours and Swedish working days.

    Returns:
        The due instants, of the kind given: ``datetime64[us]`` UTC for numpy; for
        pandas the same kind in Europe/Stockholm (a Series keeps its index and
        name); for a sequence a list of Stockholm datetimes, each equal to
        ``execution_deadline(t, agreed_start=a, policy=policy).due``.

    Raises:
        InvalidInput: for another kind of input, naive times, inputs of different
            length or kind, or a time (or agreed start) whose Stockholm date is
            outside 1975–2199, or a late time whose next working day is beyond
            2199; the message names the position of the first offending value and
            never repeats a value.
    """
    rule = _rule(_check_policy(policy))
    kind = _kind(times, "times")
    micros, problem = _micros_of(times, kind, "times")
    agreed = None
    agreed_problem = None
    if agreed_starts is not None:
        agreed_kind = _kind(agreed_starts, "agreed_starts")
        if agreed_kind != kind:
            raise InvalidInput(
                f"agreed_starts must be of the same kind as times ({_KIND_NAMES[kind]}), "
                f"not {describe(agreed_starts)}"
            )
        _check_lengths(times, agreed_starts)
        agreed, agreed_problem = _micros_of(agreed_starts, kind, "agreed_starts")
    checked = micros if problem is None else micros[: problem.position]
    found = _first(
        problem,
        _range_problem(checked, "times"),
        _stranded_problem(rule, checked, "times"),
        agreed_problem,
        None if agreed is None else _range_problem(agreed, "agreed_starts"),
    )
    if found is not None:
        raise InvalidInput(found.message)
    due = _due(rule, micros, agreed)
    if kind == "numpy":
        return due.view("datetime64[us]")
    if kind == "pandas":
        return _to_pandas(times, due)
    return _to_datetimes(due)


_KIND_NAMES: Final = {
    "numpy": "a numpy datetime64 array",
    "pandas": "a timezone-aware pandas Series or DatetimeIndex",
    "sequence": "a sequence of datetimes",
}


def _check_lengths(times: Any, agreed: Any) -> None:
    if len(agreed) != len(times):
        raise InvalidInput(
            f"agreed_starts has {len(agreed)} values and times {len(times)}: they must have "
            f"the same length (position {min(len(agreed), len(times))} has no partner)"
        )
    pd = _pandas()
    if (
        pd is not None
        and isinstance(times, pd.Series)
        and isinstance(agreed, pd.Series)
        and not times.index.equals(agreed.index)
    ):
        raise InvalidInput(
            "agreed_starts must have the same index as times: values are matched by "
            "position, and pandas would match two Series by label"
        )


def _to_pandas(like: Any, due: _Int64s) -> Any:
    pd = _pandas()
    assert pd is not None
    # Integers with a UTC dtype are read as UTC microseconds, whether pandas takes them
    # as epoch values or as wall-clock times (the two agree in UTC), and are wrapped
    # without a copy; changing the zone to Stockholm then changes the dtype only.
    utc = pd.DatetimeIndex(due, dtype="datetime64[us, UTC]", copy=False, name=like.name)
    stockholm = utc.tz_convert(STOCKHOLM)
    if isinstance(like, pd.Series):
        return pd.Series(stockholm, index=like.index, name=like.name, copy=False)
    return stockholm


def _to_datetimes(due: _Int64s) -> list[datetime | None]:
    utc, zone = UTC, STOCKHOLM
    return [
        None if moment is None else moment.replace(tzinfo=utc).astimezone(zone)
        for moment in due.view("datetime64[us]").tolist()
    ]


# ---------------------------------------------------------------------------


_SWEDISH: Final = WorkCalendar.swedish()


def _check_calendar(calendar: object) -> WorkCalendar:
    if calendar is None:
        return _SWEDISH
    if not isinstance(calendar, WorkCalendar):
        raise InvalidInput(
            "calendar must be a WorkCalendar (for example WorkCalendar.swedish()) or None, "
            f"not {type(calendar).__name__}"
        )
    return calendar


def _sequence_days(values: Sequence[Any], name: str) -> tuple[_Int64s, _Problem | None]:
    """Days since 1970-01-01 of dates (an aware datetime by its Stockholm date)."""
    days: list[int] = []
    append = days.append
    problem = None
    for index, value in enumerate(values):
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                problem = _Problem(
                    index,
                    f"{name}[{index}] is a naive datetime; give a date, or a "
                    "timezone-aware datetime (its Stockholm date counts)",
                )
                break
            try:
                append(value.astimezone(STOCKHOLM).toordinal() - _EPOCH_ORDINAL)
            except OverflowError:  # year 1 or 9999 in Stockholm: outside, as -1 is
                append(-1)
        elif isinstance(value, date):
            append(value.toordinal() - _EPOCH_ORDINAL)
        elif _is_missing(value):
            append(_NAT)
        else:
            problem = _Problem(
                index,
                f"{name}[{index}] must be a datetime.date or None, not {describe(value)}",
            )
            break
    return np.array(days, dtype=np.int64), problem


def _pandas_days(dates: Any, name: str) -> tuple[_Int64s, _Problem | None]:
    """Days since 1970-01-01 of a pandas Series or Index (NaT stays NaT).

    A timezone-aware value counts by its Stockholm date; a naive one must be a date
    (midnight), since a naive time of day has no date the package can trust; an
    object column is read value by value as a sequence is.
    """
    pd = _pandas()
    assert pd is not None
    dtype = dates.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        local = (
            dates.dt.tz_convert(STOCKHOLM).dt.tz_localize(None)
            if isinstance(dates, pd.Series)
            else dates.tz_convert(STOCKHOLM).tz_localize(None)
        )
        wall = np.asarray(local.to_numpy())
        return _wall_days(wall), None
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        wall = np.asarray(dates.to_numpy())
        days = _wall_days(wall)
        stray = (wall != days.view("datetime64[D]")) & ~np.isnat(wall)
        if stray.any():
            index = int(np.argmax(stray))
            return days, _Problem(
                index,
                f"{name}[{index}] is a naive time of day (the pandas values have no time "
                "zone and are not at midnight); give dates, or timezone-aware values whose "
                "Stockholm date counts",
            )
        return days, None
    if dtype == np.dtype(object):
        return _sequence_days(dates.tolist(), name)
    raise InvalidInput(
        f"{name} must be {_DATES_ACCEPTED}; this pandas object has dtype {dtype} "
        "(convert it with pandas.to_datetime)"
    )


def _wall_days(wall: npt.NDArray[Any]) -> _Int64s:
    """Days since 1970-01-01 of wall-clock datetime64 values (NaT stays NaT)."""
    days = wall.astype("datetime64[D]").view(np.int64).copy()
    days[np.isnat(wall)] = _NAT
    return days


def _days_of(dates: object, name: str) -> tuple[_Int64s, _Kind]:
    """Days since 1970-01-01 (NaT stays NaT) and the kind; refuses the first bad value."""
    if isinstance(dates, np.ndarray):
        if dates.dtype != np.dtype("datetime64[D]"):
            raise InvalidInput(
                f"{name} must be {_DATES_ACCEPTED}; this numpy array has dtype "
                f"{dates.dtype} (for UTC instants, .astype('datetime64[D]') takes the UTC date)"
            )
        if dates.ndim != 1:
            raise InvalidInput(
                f"{name} must be a one-dimensional array, not one of {dates.ndim} dimensions"
            )
        days = dates.view(np.int64)
        problem = None
        kind: _Kind = "numpy"
    elif _is_pandas(dates):
        days, problem = _pandas_days(dates, name)
        kind = "pandas"
    elif isinstance(dates, Sequence) and not isinstance(dates, str | bytes):
        days, problem = _sequence_days(dates, name)
        kind = "sequence"
    else:
        raise InvalidInput(f"{name} must be {_DATES_ACCEPTED}, not {describe(dates)}")
    checked = days if problem is None else days[: problem.position]
    outside = ((checked < _FIRST_DAY) | (checked > _LAST_DAY)) & (checked != _NAT)
    if outside.any():
        index = int(np.argmax(outside))
        problem = _Problem(
            index,
            f"{name}[{index}] is outside the years the calendar covers ({_YEARS})",
        )
    if problem is not None:
        raise InvalidInput(problem.message)
    return days, kind


def _pandas_like(like: Any, values: npt.NDArray[Any] | list[Any]) -> Any:
    """Wrap answers as ``like`` is: a Series with its index and name, or an Index."""
    pd = _pandas()
    assert pd is not None
    if isinstance(like, pd.Series):
        return pd.Series(values, index=like.index, name=like.name)
    return pd.Index(values, name=like.name)


def _dates_as(like: object, kind: _Kind, found: _Int64s) -> object:
    """Answer days (since 1970-01-01, NaT for a missing one) as the input was given.

    numpy gives ``datetime64[D]``, a sequence a list of dates; pandas gives the same
    kind with its index and name: naive midnight datetimes (a date has no time zone) in
    the input's unit for datetime values, dates (None for a missing one) for an object
    column.
    """
    days = found.view("datetime64[D]")
    if kind == "numpy":
        return days
    if kind == "sequence":
        return days.tolist()
    pd = _pandas()
    assert pd is not None
    dtype = cast(Any, like).dtype
    if dtype == np.dtype(object):
        return _pandas_like(like, pd.array(days.tolist(), dtype=object))
    unit = dtype.unit if isinstance(dtype, pd.DatetimeTZDtype) else np.datetime_data(dtype)[0]
    return _pandas_like(like, days.astype(f"datetime64[{unit}]"))


def _look_up(days: _Int64s, table: _Int64s, name: str) -> _Int64s:
    """``table`` at each day (NaT stays NaT); refuses a day with no answer (-1)."""
    missing = days == _NAT
    found = table.take(np.where(missing, _FIRST_DAY, days))
    beyond = (found < 0) & ~missing
    if beyond.any():
        index = int(np.argmax(beyond))
        raise InvalidInput(
            f"{name}[{index}]: the next working day lies beyond "
            f"{WorkCalendar.LAST_YEAR}-12-31, the last day the calendar covers"
        )
    found[missing] = _NAT
    return found


@overload
def workdays(
    dates: npt.NDArray[np.datetime64], *, calendar: WorkCalendar | None = None
) -> npt.NDArray[np.bool_]: ...
@overload
def workdays(dates: pd.Series[Any], *, calendar: WorkCalendar | None = None) -> pd.Series[bool]: ...
@overload
def workdays(dates: pd.Index, *, calendar: WorkCalendar | None = None) -> pd.Index: ...
@overload
def workdays(
    dates: Sequence[date | None], *, calendar: WorkCalendar | None = None
) -> list[bool]: ...
def workdays(dates: object, *, calendar: WorkCalendar | None = None) -> object:
    """Return which dates are working days, in bulk (vardagar i mängd), X-3.

    Element by element ``calendar.is_workday(day)``; a missing day (NaT, None) is not
    a working day.

    Args:
        dates: a numpy ``datetime64[D]`` array, a pandas ``Series`` or
            ``DatetimeIndex`` of dates (timezone-aware values count by their Stockholm
            date; naive ones must be at midnight; an object column holds dates), or a
            sequence of dates (an aware datetime counts by its Stockholm date).
        calendar: the working-day calendar; None means ``WorkCalendar.swedish()``.

    Returns:
        A numpy bool array for an array, a list of bool for a sequence, a bool Series
        (index and name kept) for a Series and a bool Index (name kept) for an Index.

    Raises:
        InvalidInput: for another kind of input or a day outside 1975–2199, naming
            the position of the first offending value.
    """
    table = _calendar_days(_check_calendar(calendar)).workday
    days, kind = _days_of(dates, "dates")
    missing = days == _NAT
    mask = table.take(np.where(missing, _FIRST_DAY, days))
    mask[missing] = False
    if kind == "pandas":
        return _pandas_like(dates, mask)
    return mask if kind == "numpy" else mask.tolist()


@overload
def next_workdays(
    dates: npt.NDArray[np.datetime64], *, calendar: WorkCalendar | None = None
) -> npt.NDArray[np.datetime64]: ...
@overload
def next_workdays(
    dates: pd.Series[Any], *, calendar: WorkCalendar | None = None
) -> pd.Series[Any]: ...
@overload
def next_workdays(
    dates: pd.DatetimeIndex, *, calendar: WorkCalendar | None = None
) -> pd.DatetimeIndex: ...
@overload
def next_workdays(dates: pd.Index, *, calendar: WorkCalendar | None = None) -> pd.Index: ...
@overload
def next_workdays(dates: Sequence[date], *, calendar: WorkCalendar | None = None) -> list[date]: ...
@overload
def next_workdays(
    dates: Sequence[date | None], *, calendar: WorkCalendar | None = None
) -> list[date | None]: ...
def next_workdays(dates: object, *, calendar: WorkCalendar | None = None) -> object:
    """Return the next working days in bulk (nästa vardagar i mängd), X-3.

    Element by element ``calendar.next_workday(day)``: the first working day strictly
    after the day. NaT or None gives NaT or None.

    Args:
        dates: a numpy ``datetime64[D]`` array, a pandas ``Series`` or
            ``DatetimeIndex`` of dates (timezone-aware values count by their Stockholm
            date; naive ones must be at midnight; an object column holds dates), or a
            sequence of dates (an aware datetime counts by its Stockholm date).
        calendar: the working-day calendar; None means ``WorkCalendar.swedish()``.

    Returns:
        ``datetime64[D]`` for an array, a list of dates for a sequence; for pandas the
        same kind with its index and name, as naive midnight datetimes in the input's
        unit (a date has no time zone), or dates for an object column.

    Raises:
        InvalidInput: for another kind of input, a day outside 1975–2199 or one whose
            next working day is beyond 2199, naming the first offending position.
    """
    table = _calendar_days(_check_calendar(calendar)).next_workday
    days, kind = _days_of(dates, "dates")
    return _dates_as(dates, kind, _look_up(days, table, "dates"))


@overload
def roll_forward(
    dates: npt.NDArray[np.datetime64], *, calendar: WorkCalendar | None = None
) -> npt.NDArray[np.datetime64]: ...
@overload
def roll_forward(
    dates: pd.Series[Any], *, calendar: WorkCalendar | None = None
) -> pd.Series[Any]: ...
@overload
def roll_forward(
    dates: pd.DatetimeIndex, *, calendar: WorkCalendar | None = None
) -> pd.DatetimeIndex: ...
@overload
def roll_forward(dates: pd.Index, *, calendar: WorkCalendar | None = None) -> pd.Index: ...
@overload
def roll_forward(dates: Sequence[date], *, calendar: WorkCalendar | None = None) -> list[date]: ...
@overload
def roll_forward(
    dates: Sequence[date | None], *, calendar: WorkCalendar | None = None
) -> list[date | None]: ...
def roll_forward(dates: object, *, calendar: WorkCalendar | None = None) -> object:
    """Roll dates forward to working days in bulk (framflyttning till vardag i mängd), X-3.

    Element by element ``calendar.roll_forward(day)``: the day if it is a working day,
    else the next working day (SFS 1930:173 2 §). NaT or None gives NaT or None.

    Args:
        dates: a numpy ``datetime64[D]`` array, a pandas ``Series`` or
            ``DatetimeIndex`` of dates (timezone-aware values count by their Stockholm
            date; naive ones must be at midnight; an object column holds dates), or a
            sequence of dates (an aware datetime counts by its Stockholm date).
        calendar: the working-day calendar; None means ``WorkCalendar.swedish()``.

    Returns:
        ``datetime64[D]`` for an array, a list of dates for a sequence; for pandas the
        same kind with its index and name, as naive midnight datetimes in the input's
        unit (a date has no time zone), or dates for an object column.

    Raises:
        InvalidInput: for another kind of input, a day outside 1975–2199 or one that
            would roll beyond 2199, naming the first offending position.
    """
    table = _calendar_days(_check_calendar(calendar)).rolled
    days, kind = _days_of(dates, "dates")
    return _dates_as(dates, kind, _look_up(days, table, "dates"))
