"""Working days (vardagar) for computing statutory time, SFS 1930:173.

A working day is a Monday to Friday that is neither a Swedish public holiday nor one
of the three eves the act on computing statutory time puts on a par with them:
midsommarafton, julafton and nyårsafton (lag (1930:173) om beräkning av lagstadgad
tid, 2 §). The holidays come from the `holidays` package with their history: until
2004 Whit Monday (annandag pingst) was a public holiday and 6 June was not; from 2005
it is the other way round. The calendar is Swedish by default and replaceable (X-3):
a municipality can add local non-working days or leave the eves out.

Answers come from a table built lazily, one decade at a time, the first time a date
of that decade is asked about; after that every question is one dictionary look-up.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Final

import attrs

from ._memo import SharedMemo
from ._time import as_date
from ._validators import flag
from .errors import ArendefordelningError, InvalidInput

__all__ = ["WorkCalendar"]

_FIRST_YEAR: Final = 1975
"""First year covered: the first whole year under the present wording of SFS 1930:173 2 §.

Nyårsafton entered the act's list with SFS 1974:756 (prop. 1974:147), in force from
December 1974; the wording before it (SFS 1965:127) named only midsommarafton and
julafton, and earlier wordings (SFS 1961:70) Saturdays only in summer and påskafton.
The calendar applies one list of eves to every year, so it starts where that list
became law rather than answer earlier years wrong."""
_LAST_YEAR: Final = 2199
"""Last year covered: beyond it the holiday rules are guesswork, not law.

The `holidays` package stops at 2100 by default; the calendar asks it for the years
up to this one, since the Swedish rules are computed, not listed."""
_DECADE: Final = 10
_ONE_DAY: Final = timedelta(days=1)
_MAX_WORKDAYS: Final = 262 * (_LAST_YEAR - _FIRST_YEAR + 1)
"""More working days than the covered years can hold (no year has more than 262)."""


class _Table:
    """The shared, append-only working-day table of one calendar configuration.

    ``codes`` maps every covered date to an integer: ``2 * r`` for a working day of
    rank ``r`` (working days have consecutive ranks), ``2 * r - 1`` for a non-working
    day whose next working day has rank ``r``. ``by_rank`` maps a rank back to its
    date. ``workdays`` maps every covered date to whether it is a working day: the
    answer of :meth:`WorkCalendar.is_workday` as one look-up. All only grow, a decade
    at a time, and a value once written never changes, so readers need no lock;
    ``by_rank`` is filled before ``codes`` so that a reader never sees a code whose
    rank is missing inside the covered span.
    """

    __slots__ = (
        "__weakref__",
        "by_rank",
        "codes",
        "first_year",
        "last_year",
        "lock",
        "workdays",
    )

    def __init__(self) -> None:
        self.codes: dict[date, int] = {}
        self.by_rank: dict[int, date] = {}
        self.workdays: dict[date, bool] = {}
        self.first_year = 0
        self.last_year = -1
        self.lock = threading.Lock()


_TABLES: Final[SharedMemo[tuple[bool, frozenset[date]], _Table]] = SharedMemo(_Table)
"""The table of each calendar configuration, shared by equal calendars."""


def _table_for(calendar: WorkCalendar) -> _Table:
    # attrs runs this factory before the validators: check the fields it keys on first,
    # so that a wrong include_eves is refused, not hashed (an unhashable one raised
    # TypeError).
    attrs.validate(calendar)
    return _TABLES.get((calendar.include_eves, calendar.extra_non_working_days))


def _non_working_set(values: object) -> frozenset[date]:
    """Convert the extra non-working days to a frozenset of plain dates, checking each."""
    if isinstance(values, date | str | bytes) or not isinstance(values, Iterable):
        raise InvalidInput(
            "extra_non_working_days must be a collection of dates (a set, list or tuple "
            f"of datetime.date), not {type(values).__name__}"
        )
    days: set[date] = set()
    for value in values:
        if isinstance(value, date) and not isinstance(value, datetime):
            day = date(value.year, value.month, value.day)
        else:
            raise InvalidInput(
                "extra_non_working_days must hold dates (datetime.date, not datetime), "
                f"not a value of type {type(value).__name__}"
            )
        if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
            raise InvalidInput(
                f"extra non-working day {day.isoformat()} is outside the years the "
                f"calendar covers ({_FIRST_YEAR}–{_LAST_YEAR})"
            )
        days.add(day)
    return frozenset(days)


@attrs.frozen
class WorkCalendar:
    """Working-day calendar (vardagar enligt lag (1930:173) om beräkning av lagstadgad tid).

    A working day is Monday–Friday that is neither a Swedish public holiday (allmän
    helgdag) nor, unless ``include_eves`` is false, midsommarafton, julafton or
    nyårsafton, nor one of ``extra_non_working_days`` (local holidays). The calendar
    covers 1975–2199: from the first whole year under the act's present list of eves
    (nyårsafton was added by SFS 1974:756, in force from December 1974) to where the
    rules stop being law and start being a guess; a date outside is refused with
    :class:`~arendefordelning.InvalidInput`, never answered wrong. History is right:
    until 2004 Whit Monday was a holiday and 6 June was not.

    Methods accept a :class:`~datetime.date` or a timezone-aware
    :class:`~datetime.datetime` (its Stockholm date, X-3) and answer in constant time
    from a table shared by all equal calendars and built lazily, a decade at a time.
    """

    FIRST_YEAR: ClassVar[int] = _FIRST_YEAR
    """First year the calendar covers."""
    LAST_YEAR: ClassVar[int] = _LAST_YEAR
    """Last year the calendar covers."""

    include_eves: bool = attrs.field(default=True, validator=flag)
    """Whether midsommarafton, julafton and nyårsafton are non-working (SFS 1930:173, 2 §)."""
    extra_non_working_days: frozenset[date] = attrs.field(
        default=frozenset(), converter=_non_working_set
    )
    """Further non-working days, such as a municipality's local holiday (X-3)."""

    _table: _Table = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_table_for, takes_self=True)
    )
    _codes: dict[date, int] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: self._table.codes, takes_self=True),
    )
    _by_rank: dict[int, date] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: self._table.by_rank, takes_self=True),
    )
    _workdays: dict[date, bool] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: self._table.workdays, takes_self=True),
    )

    @classmethod
    def swedish(
        cls, *, include_eves: bool = True, extra_non_working_days: Iterable[date] = ()
    ) -> WorkCalendar:
        """Return the Swedish working-day calendar (svenska vardagar), X-3.

        Args:
            include_eves: count midsommarafton, julafton and nyårsafton as non-working
                days, as SFS 1930:173 2 § does (the default); false gives a calendar
                of public holidays and weekends only.
            extra_non_working_days: local non-working days to add, as dates.
        """
        return cls(include_eves=include_eves, extra_non_working_days=extra_non_working_days)

    def __reduce__(self) -> tuple[Any, ...]:
        # The shared table (and its lock) stays behind; an unpickled calendar finds
        # or builds its own.
        return (type(self), (self.include_eves, self.extra_non_working_days))

    # -- questions ---------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Return whether ``day`` is a working day (vardag)."""
        try:
            return self._workdays[day]
        except (KeyError, TypeError):
            pass
        return not self._code(day) & 1

    def next_workday(self, day: date) -> date:
        """Return the first working day (nästa vardag) strictly after ``day``."""
        try:
            return self._by_rank[(self._codes[day] >> 1) + 1]
        except (KeyError, TypeError):
            pass
        return self._step(day, 1, what="the next working day")

    def roll_forward(self, day: date) -> date:
        """Return ``day`` if it is a working day, else the next working day (nästa vardag).

        This is how SFS 1930:173 2 § moves a last day that falls on a non-working day.
        For a datetime, the result is its Stockholm date.
        """
        try:
            code = self._codes[day]
            if not code & 1:
                return day
            return self._by_rank[(code >> 1) + 1]
        except (KeyError, TypeError):
            pass
        plain = self._resolve(day)
        code = self._codes[plain]
        return plain if not code & 1 else self._step(plain, 1, what="the next working day")

    def add_workdays(self, day: date, n: int) -> date:
        """Return the ``n``-th working day (vardag) after ``day``.

        ``add_workdays(day, 1)`` is :meth:`next_workday`, and each further unit is one
        more working day; ``n = 0`` returns ``day`` itself (as a date), working day or
        not. ``n`` must be an int ≥ 0.
        """
        if type(n) is not int:
            raise InvalidInput(
                f"n must be a whole number of working days (an int), not {type(n).__name__}"
            )
        if n < 0:
            raise InvalidInput("n must be 0 or more working days")
        if n == 0:
            return self._resolve(day)
        try:
            return self._by_rank[(self._codes[day] >> 1) + n]
        except (KeyError, TypeError):
            pass
        return self._step(day, n)

    # -- the slow path: input checks and table growth ------------------------------

    def _resolve(self, day: object) -> date:
        """Turn input into a covered plain date, building the table where needed."""
        plain = as_date(day, "day")
        year = plain.year
        if not _FIRST_YEAR <= year <= _LAST_YEAR:
            raise InvalidInput(
                f"{plain.isoformat()} is outside the years the calendar covers "
                f"({_FIRST_YEAR}–{_LAST_YEAR}): before {_FIRST_YEAR} SFS 1930:173 2 § "
                "listed other eves (nyårsafton since SFS 1974:756), and after "
                f"{_LAST_YEAR} the holidays are not known"
            )
        table = self._table
        if not table.first_year <= year <= table.last_year:
            _cover(table, year, self.include_eves, self.extra_non_working_days)
        return plain

    def _code(self, day: object) -> int:
        return self._codes[self._resolve(day)]

    def _step(self, day: object, n: int, *, what: str = "n working days") -> date:
        """Return the n-th working day after ``day`` (n ≥ 1), growing the table forward.

        ``what`` names the answer in a refusal: the caller's ``n`` for
        :meth:`add_workdays`, "the next working day" where the caller gave no ``n``
        (:meth:`next_workday`, :meth:`roll_forward`, the deadlines built on them).
        """
        plain = self._resolve(day)
        reach = "reach" if what.startswith("n ") else "lies"
        if n > _MAX_WORKDAYS:
            raise InvalidInput(
                f"{what} after {plain.isoformat()} {reach} beyond {_LAST_YEAR}-12-31, "
                "the last day the calendar covers"
            )
        rank = (self._codes[plain] >> 1) + n
        table = self._table
        while rank not in self._by_rank:
            if table.last_year >= _LAST_YEAR:
                raise InvalidInput(
                    f"{what} after {plain.isoformat()} {reach} beyond "
                    f"{_LAST_YEAR}-12-31, the last day the calendar covers"
                )
            _cover(table, table.last_year + 1, self.include_eves, self.extra_non_working_days)
        return self._by_rank[rank]


def _cover(table: _Table, year: int, include_eves: bool, extra: frozenset[date]) -> None:
    """Grow ``table`` so that it covers ``year`` (and stays one unbroken span)."""
    with table.lock:
        if table.first_year <= year <= table.last_year:
            return
        lo = max(_FIRST_YEAR, year - year % _DECADE)
        hi = min(_LAST_YEAR, lo - lo % _DECADE + _DECADE - 1)
        if table.last_year < table.first_year:  # empty
            _fill(table, lo, hi, include_eves, extra, forward=True)
            table.first_year, table.last_year = lo, hi
        elif year > table.last_year:
            _fill(table, table.last_year + 1, hi, include_eves, extra, forward=True)
            table.last_year = hi
        else:
            _fill(table, lo, table.first_year - 1, include_eves, extra, forward=False)
            table.first_year = lo


def _fill(
    table: _Table, lo: int, hi: int, include_eves: bool, extra: frozenset[date], *, forward: bool
) -> None:
    """Add the years ``lo..hi`` to the table, after its end or before its start."""
    closed = _non_working_days(lo, hi, include_eves) | extra
    codes: dict[date, int] = {}
    by_rank: dict[int, date] = {}
    if forward:
        # The rank the next working day gets: one after the table's last working day.
        rank = max(table.by_rank, default=-1) + 1
        day, end = date(lo, 1, 1), date(hi, 12, 31)
        while day <= end:
            if day.weekday() < 5 and day not in closed:
                codes[day] = 2 * rank
                by_rank[rank] = day
                rank += 1
            else:
                codes[day] = 2 * rank - 1
            day += _ONE_DAY
    else:
        # Walk backwards; ``following`` is the rank of the next working day.
        following = min(table.by_rank)
        day, start = date(hi, 12, 31), date(lo, 1, 1)
        while day >= start:
            if day.weekday() < 5 and day not in closed:
                following -= 1
                codes[day] = 2 * following
                by_rank[following] = day
            else:
                codes[day] = 2 * following - 1
            day -= _ONE_DAY
    table.by_rank.update(by_rank)
    table.workdays.update((day, not code & 1) for day, code in codes.items())
    table.codes.update(codes)


def _non_working_days(lo: int, hi: int, include_eves: bool) -> set[date]:
    """Swedish public holidays (and the three eves) of the years ``lo..hi``.

    Raises ArendefordelningError if the `holidays` package returns a year without
    juldagen (it returns nothing, silently, for years outside its range): a missing
    holiday would turn into a wrong working day.
    """
    import holidays  # noqa: PLC0415 - imported on first use: it costs ~100 ms
    from holidays.countries.sweden import Sweden  # noqa: PLC0415

    class _Sweden(Sweden):
        end_year = _LAST_YEAR

    categories = (holidays.PUBLIC, holidays.DE_FACTO) if include_eves else (holidays.PUBLIC,)
    days = set(_Sweden(years=range(lo, hi + 1), categories=categories))
    missing = [year for year in range(lo, hi + 1) if date(year, 12, 25) not in days]
    if missing:
        raise ArendefordelningError(
            f"the installed holidays package has no Swedish holidays for {missing[0]}; "
            f"the calendar needs {_FIRST_YEAR}–{_LAST_YEAR} (upgrade holidays)"
        )
    return days
