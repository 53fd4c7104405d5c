"""Tests of the Swedish working-day calendar (vardagar), VAL-6 and X-3.

VAL-6 (verkställighet inom 24 timmar) asks the calendar for the next working day, and
X-3 makes the Swedish calendar replaceable (no eves, local holidays). The calendar is
checked three ways: worked examples with hand-computed dates, a peer comparison with
``workalendar`` plus an independent rule-based reference written here, and
hypothesis properties that tie the methods to each other.
"""

from __future__ import annotations

import functools
import itertools
import pickle
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.easter import easter
from hypothesis import given
from hypothesis import strategies as st
from workalendar.europe import Sweden

from arendefordelning import ArendefordelningError, InvalidInput, WorkCalendar

ONE_DAY = timedelta(days=1)
FIRST_DAY = date(1975, 1, 1)
LAST_DAY = date(2199, 12, 31)
STOCKHOLM = ZoneInfo("Europe/Stockholm")

SWEDISH = WorkCalendar.swedish()
NO_EVES = WorkCalendar.swedish(include_eves=False)

IDENTITY_LIKE = "197001011234"
"""A string shaped like a personal identity number: it must never reach a message."""


# --------------------------------------------------------------------------- helpers


def _days(first: date, last: date) -> Iterator[date]:
    """Every day from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _first_saturday_from(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _whit_monday(year: int) -> date:
    return easter(year) + timedelta(days=50)


@functools.cache
def _reference_closed(year: int, include_eves: bool) -> frozenset[date]:
    """Swedish public holidays (and eves) of ``year``, written from the rules by hand.

    Independent of the ``holidays`` package the calendar uses: Act 1952:48 as amended,
    with 6 June replacing Whit Monday from 2005, and the eves of SFS 1930:173 2 §.
    Påskdagen and pingstdagen always fall on a Sunday and are listed for completeness;
    Marie bebådelsedag (a Sunday holiday until 1989) is left out, it never closes a
    weekday.
    """
    sunday = easter(year)
    midsummer_day = _first_saturday_from(date(year, 6, 20))
    closed = {
        date(year, 1, 1),  # nyårsdagen
        date(year, 1, 6),  # trettondedag jul
        sunday - 2 * ONE_DAY,  # långfredagen
        sunday,  # påskdagen
        sunday + ONE_DAY,  # annandag påsk
        date(year, 5, 1),  # första maj
        sunday + timedelta(days=39),  # Kristi himmelsfärdsdag
        sunday + timedelta(days=49),  # pingstdagen
        midsummer_day,  # midsommardagen
        _first_saturday_from(date(year, 10, 31)),  # alla helgons dag
        date(year, 12, 25),  # juldagen
        date(year, 12, 26),  # annandag jul
    }
    closed.add(_whit_monday(year) if year <= 2004 else date(year, 6, 6))
    if include_eves:
        closed |= {midsummer_day - ONE_DAY, date(year, 12, 24), date(year, 12, 31)}
    return frozenset(closed)


def _reference_is_workday(
    day: date, *, include_eves: bool = True, extra: frozenset[date] = frozenset()
) -> bool:
    return (
        day.weekday() < 5
        and day not in extra
        and day not in _reference_closed(day.year, include_eves)
    )


def _naive_add(is_workday: Callable[[date], bool], day: date, n: int) -> date:
    """The n-th working day after ``day``, stepping one day at a time."""
    while n > 0:
        day += ONE_DAY
        if is_workday(day):
            n -= 1
    return day


@functools.cache
def _peer() -> Any:
    """The workalendar Swedish calendar, built once (it caches holidays per year)."""
    return Sweden()


def _peer_is_working_day(day: date) -> bool:
    return bool(_peer().is_working_day(day))


# --------------------------------------------------------------------------- examples

HOLIDAYS_2026 = [
    ("nyårsdagen", date(2026, 1, 1)),  # Thursday
    ("trettondedag jul", date(2026, 1, 6)),  # Tuesday
    ("långfredagen", date(2026, 4, 3)),  # Friday; Easter Sunday is 5 April 2026
    ("påskdagen", date(2026, 4, 5)),  # Sunday
    ("annandag påsk", date(2026, 4, 6)),  # Monday
    ("första maj", date(2026, 5, 1)),  # Friday
    ("Kristi himmelsfärdsdag", date(2026, 5, 14)),  # Thursday, Easter + 39
    ("nationaldagen", date(2026, 6, 6)),  # Saturday
    ("pingstdagen", date(2026, 5, 24)),  # Sunday, Easter + 49
    ("midsommarafton", date(2026, 6, 19)),  # Friday 19–25 June
    ("midsommardagen", date(2026, 6, 20)),  # Saturday 20–26 June
    ("alla helgons dag", date(2026, 10, 31)),  # Saturday 31 October–6 November
    ("julafton", date(2026, 12, 24)),  # Thursday
    ("juldagen", date(2026, 12, 25)),  # Friday
    ("annandag jul", date(2026, 12, 26)),  # Saturday
    ("nyårsafton", date(2026, 12, 31)),  # Thursday
]


# Each id given with its parameters, not as a list of ids: pytest keeps a list's escaped
# ids on the mark and escapes them again when it runs twice in one process (as mutmut does).
@pytest.mark.parametrize(("name", "day"), [pytest.param(n, d, id=n) for n, d in HOLIDAYS_2026])
def test_val6_x3_every_swedish_holiday_of_2026_is_not_a_working_day(name: str, day: date) -> None:
    """VAL-6/X-3: each holiday and eve of 2026 is non-working."""
    assert not SWEDISH.is_workday(day), name
    assert SWEDISH.roll_forward(day) > day


def test_val6_x3_the_2026_holidays_are_all_the_reference_has() -> None:
    """X-3: the hand-computed 2026 list matches the rule-based reference, day for day."""
    assert {day for _, day in HOLIDAYS_2026} == _reference_closed(2026, True)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 2),  # Friday between nyårsdagen and the weekend (klämdag)
        date(2026, 1, 5),  # trettondagsafton, Monday: not an eve of the act
        date(2026, 1, 7),  # Wednesday
        date(2026, 3, 10),  # Tuesday
        date(2026, 4, 2),  # skärtorsdagen, Thursday: a working day
        date(2026, 4, 7),  # Tuesday after annandag påsk
        date(2026, 4, 30),  # valborgsmässoafton, Thursday: a working day
        date(2026, 5, 13),  # day before Kristi himmelsfärd
        date(2026, 5, 15),  # Friday after Kristi himmelsfärd (klämdag)
        date(2026, 5, 25),  # Monday after pingstdagen: not a holiday since 2005
        date(2026, 6, 5),  # Friday before nationaldagen
        date(2026, 10, 30),  # allhelgonaafton, Friday: a working day
        date(2026, 12, 23),  # Wednesday before julafton
        date(2026, 12, 28),  # Monday after Christmas
        date(2026, 12, 30),  # Wednesday before nyårsafton
    ],
)
def test_val6_ordinary_weekdays_are_working_days(day: date) -> None:
    """VAL-6: ordinary Monday–Friday days (including unofficial eves) are working days."""
    assert day.weekday() < 5
    assert SWEDISH.is_workday(day)
    assert SWEDISH.roll_forward(day) == day


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 3), date(2026, 1, 4), date(2026, 3, 7), date(2026, 3, 8), date(2026, 8, 15)],
)
def test_val6_weekends_are_not_working_days(day: date) -> None:
    """VAL-6: Saturdays and Sundays are never working days."""
    assert day.weekday() >= 5
    assert not SWEDISH.is_workday(day)
    assert not NO_EVES.is_workday(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2003, 6, 6), True),  # Friday: 6 June was not yet a holiday
        (date(2003, 6, 9), False),  # annandag pingst 2003, Monday
        (date(2004, 5, 31), False),  # annandag pingst 2004, Monday (6 June was a Sunday)
        (date(1995, 6, 5), False),  # annandag pingst 1995, Monday
        (date(1995, 6, 6), True),  # Tuesday: 6 June was not yet a holiday
        (date(1983, 6, 6), True),  # Monday, the first Svenska flaggans dag: a working day
        (date(2005, 5, 16), True),  # Whit Monday 2005: no longer a holiday
        (date(2005, 6, 6), False),  # Monday, the first nationaldagen as a holiday
        (date(2006, 6, 5), True),  # Whit Monday 2006
        (date(2006, 6, 6), False),  # nationaldagen 2006, Tuesday
        (date(2024, 6, 6), False),  # nationaldagen 2024, Thursday
        (date(2025, 6, 6), False),  # nationaldagen 2025, Friday
        (date(2025, 6, 9), True),  # Whit Monday 2025
    ],
)
def test_x3_history_whit_monday_until_2004_national_day_from_2005(
    day: date, *, working: bool
) -> None:
    """X-3: annandag pingst is a holiday until 2004, nationaldagen from 2005."""
    assert day.weekday() < 5
    assert SWEDISH.is_workday(day) is working


@pytest.mark.parametrize(
    "day", [date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 31), date(2025, 12, 24)]
)
def test_x3_without_eves_the_three_eves_are_working_days(day: date) -> None:
    """X-3: include_eves=False leaves midsommarafton, julafton and nyårsafton working."""
    assert not SWEDISH.is_workday(day)
    assert NO_EVES.is_workday(day)
    assert NO_EVES.roll_forward(day) == day
    assert NO_EVES.next_workday(day - ONE_DAY) == day


def test_x3_without_eves_public_holidays_stay_non_working() -> None:
    """X-3: dropping the eves keeps every public holiday of 2026 non-working."""
    eves = {date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 31)}
    for name, day in HOLIDAYS_2026:
        assert NO_EVES.is_workday(day) is (day in eves), name
    assert NO_EVES.next_workday(date(2026, 12, 23)) == date(2026, 12, 24)
    assert NO_EVES.next_workday(date(2026, 12, 24)) == date(2026, 12, 28)


def test_x3_extra_non_working_days_are_skipped_by_every_method() -> None:
    """X-3: a municipality's local holiday is non-working and skipped when counting."""
    local = date(2026, 3, 10)  # a Tuesday
    calendar = WorkCalendar.swedish(extra_non_working_days=[local])
    assert calendar.extra_non_working_days == frozenset({local})
    assert SWEDISH.is_workday(local)
    assert not calendar.is_workday(local)
    assert calendar.next_workday(date(2026, 3, 9)) == date(2026, 3, 11)
    assert calendar.roll_forward(local) == date(2026, 3, 11)
    assert calendar.add_workdays(date(2026, 3, 9), 1) == date(2026, 3, 11)
    assert calendar.add_workdays(date(2026, 3, 9), 2) == date(2026, 3, 12)
    assert SWEDISH.add_workdays(date(2026, 3, 9), 2) == date(2026, 3, 11)
    assert calendar.add_workdays(local, 0) == local
    # The rest of the year is unchanged.
    for day in _days(date(2026, 1, 1), date(2026, 12, 31)):
        if day != local:
            assert calendar.is_workday(day) == SWEDISH.is_workday(day), day


def test_x3_extra_non_working_days_with_eves_dropped() -> None:
    """X-3: local holidays combine with include_eves=False."""
    local = date(2026, 12, 23)
    calendar = WorkCalendar.swedish(include_eves=False, extra_non_working_days={local})
    assert not calendar.is_workday(local)
    assert calendar.is_workday(date(2026, 12, 24))
    assert calendar.next_workday(date(2026, 12, 22)) == date(2026, 12, 24)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 6), date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 9), date(2026, 3, 10)),  # Monday → Tuesday
        (date(2025, 12, 31), date(2026, 1, 2)),  # nyårsafton, nyårsdagen → Friday
        (date(2026, 1, 5), date(2026, 1, 7)),  # over trettondedag jul
        (date(2026, 4, 2), date(2026, 4, 7)),  # over Easter: Good Friday..Easter Monday
        (date(2026, 4, 3), date(2026, 4, 7)),  # from långfredagen
        (date(2026, 4, 30), date(2026, 5, 4)),  # over första maj (Friday) and the weekend
        (date(2026, 5, 13), date(2026, 5, 15)),  # over Kristi himmelsfärd
        (date(2026, 6, 18), date(2026, 6, 22)),  # over midsommarafton and the weekend
        (date(2026, 12, 23), date(2026, 12, 28)),  # over Christmas
        (date(2026, 12, 25), date(2026, 12, 28)),  # from juldagen
        (date(2026, 12, 27), date(2026, 12, 28)),  # from a Sunday
        (date(2026, 12, 30), date(2027, 1, 4)),  # nyårsafton, nyårsdagen, weekend
    ],
)
def test_val6_next_workday_examples(day: date, expected: date) -> None:
    """VAL-6: the next working day (nästa vardag) over weekends and holidays."""
    assert SWEDISH.next_workday(day) == expected
    assert SWEDISH.add_workdays(day, 1) == expected
    assert SWEDISH.roll_forward(day + ONE_DAY) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 10), date(2026, 3, 10)),  # a working day is returned as it is
        (date(2026, 3, 7), date(2026, 3, 9)),  # Saturday
        (date(2026, 3, 8), date(2026, 3, 9)),  # Sunday
        (date(2026, 12, 24), date(2026, 12, 28)),  # julafton
        (date(2026, 12, 31), date(2027, 1, 4)),  # nyårsafton
        (date(2026, 4, 6), date(2026, 4, 7)),  # annandag påsk
    ],
)
def test_val6_roll_forward_examples(day: date, expected: date) -> None:
    """VAL-6: a last day on a non-working day moves to the next working day (2 §)."""
    assert SWEDISH.roll_forward(day) == expected


@pytest.mark.parametrize("day", [date(2026, 3, 10), date(2026, 12, 25), date(2026, 3, 7)])
def test_val6_add_zero_workdays_returns_the_day_itself(day: date) -> None:
    """VAL-6: n = 0 gives the day itself, working day or not."""
    result = SWEDISH.add_workdays(day, 0)
    assert result == day
    assert type(result) is date


@pytest.mark.parametrize(
    "day",
    [date(2026, 3, 6), date(2026, 12, 23), date(2026, 12, 24), date(2099, 12, 30), FIRST_DAY],
)
def test_val6_add_one_workday_is_next_workday(day: date) -> None:
    """VAL-6: add_workdays(d, 1) == next_workday(d)."""
    assert SWEDISH.add_workdays(day, 1) == SWEDISH.next_workday(day)


@pytest.mark.parametrize(
    ("day", "n"),
    [
        (date(2029, 12, 20), 10),  # across a year and a decade boundary
        (date(2029, 12, 24), 3),  # from a non-working day across the decade boundary
        (date(1999, 12, 1), 40),  # across the millennium
        (date(2004, 12, 1), 150),  # across the 2004/2005 change of holidays
        (date(1975, 1, 1), 20_000),  # across eight decades
        (date(2019, 6, 3), 2_600),  # across a decade
    ],
)
def test_val6_add_workdays_across_boundaries_matches_a_naive_loop(day: date, n: int) -> None:
    """VAL-6: counting working days over year and decade boundaries."""
    result = SWEDISH.add_workdays(day, n)
    assert result == _naive_add(SWEDISH.is_workday, day, n)
    assert result == _naive_add(_reference_is_workday, day, n)


def test_val6_add_ten_workdays_from_2029_12_20() -> None:
    """VAL-6: a worked example across Christmas, New Year and the 2030 decade."""
    # 21 Dec (1); 24–26 Dec closed; 27, 28 (2, 3); 31 Dec and 1 Jan closed; 2, 3, 4 Jan
    # (4–6); 6 Jan is a Sunday; 7–10 Jan (7–10).
    assert SWEDISH.add_workdays(date(2029, 12, 20), 10) == date(2030, 1, 10)


def test_val6_aware_datetimes_use_their_stockholm_date() -> None:
    """VAL-6/X-3: an aware datetime in another zone counts by its Stockholm date."""
    late_utc = datetime(2026, 12, 23, 23, 30, tzinfo=UTC)  # 00:30 on julafton in Stockholm
    assert SWEDISH.is_workday(date(2026, 12, 23))
    assert not SWEDISH.is_workday(late_utc)
    assert SWEDISH.next_workday(late_utc) == date(2026, 12, 28)
    assert SWEDISH.roll_forward(late_utc) == date(2026, 12, 28)
    assert SWEDISH.add_workdays(late_utc, 0) == date(2026, 12, 24)
    assert SWEDISH.add_workdays(late_utc, 2) == date(2026, 12, 29)
    assert type(SWEDISH.add_workdays(late_utc, 0)) is date
    # Summer time: UTC+2 in Stockholm.
    assert SWEDISH.is_workday(datetime(2026, 6, 18, 21, 30, tzinfo=UTC))
    assert not SWEDISH.is_workday(datetime(2026, 6, 18, 22, 30, tzinfo=UTC))
    # A Friday evening in New York is Saturday in Stockholm.
    new_york = timezone(timedelta(hours=-5))
    assert not SWEDISH.is_workday(datetime(2026, 3, 6, 20, 0, tzinfo=new_york))
    assert SWEDISH.is_workday(datetime(2026, 3, 6, 17, 0, tzinfo=new_york))
    # A Stockholm datetime on a working day rolls to its own plain date.
    in_stockholm = datetime(2026, 3, 10, 12, 0, tzinfo=STOCKHOLM)
    rolled = SWEDISH.roll_forward(in_stockholm)
    assert rolled == date(2026, 3, 10)
    assert type(rolled) is date


def test_x3_aware_datetimes_at_the_edges_of_coverage() -> None:
    """X-3: coverage is decided by the Stockholm date, not the zone's own date."""
    # 1974-12-31 23:30 UTC is 1975-01-01 00:30 in Stockholm: covered (nyårsdagen).
    assert not SWEDISH.is_workday(datetime(1974, 12, 31, 23, 30, tzinfo=UTC))
    # 2199-12-31 23:30 UTC is 2200-01-01 in Stockholm: not covered.
    with pytest.raises(InvalidInput, match="outside the years the calendar covers"):
        SWEDISH.is_workday(datetime(2199, 12, 31, 23, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=5))),
    ],
    ids=["year-9999-utc", "year-1-utc+5"],
)
def test_x3_aware_datetimes_far_outside_coverage_raise_invalid_input(moment: datetime) -> None:
    """X-3: every date outside 1975–2199 is refused with InvalidInput, however given."""
    with pytest.raises(InvalidInput, match="outside the dates Python can represent"):
        SWEDISH.is_workday(moment)


# --------------------------------------------------------------------------- errors

_METHODS: dict[str, Callable[[WorkCalendar, Any], object]] = {
    "is_workday": lambda calendar, value: calendar.is_workday(value),
    "next_workday": lambda calendar, value: calendar.next_workday(value),
    "roll_forward": lambda calendar, value: calendar.roll_forward(value),
    "add_workdays_0": lambda calendar, value: calendar.add_workdays(value, 0),
    "add_workdays_1": lambda calendar, value: calendar.add_workdays(value, 1),
}

_BAD_DAYS: list[tuple[str, object, str]] = [
    ("naive-datetime", datetime(2026, 3, 10, 12, 0), "naive datetime"),
    ("string", "2026-03-10", "must be a date or a timezone-aware datetime"),
    ("none", None, "not None"),
    ("int", 20260310, "not a value of type int"),
    ("year-1974", date(1974, 12, 31), "outside the years the calendar covers"),
    ("year-2200", date(2200, 1, 1), "outside the years the calendar covers"),
    ("date-min", date.min, "outside the years the calendar covers"),
    ("date-max", date.max, "outside the years the calendar covers"),
]


@pytest.mark.parametrize("method", list(_METHODS.values()), ids=list(_METHODS))
@pytest.mark.parametrize(
    ("value", "phrase"), [(v, p) for _, v, p in _BAD_DAYS], ids=[i for i, _, _ in _BAD_DAYS]
)
def test_x3_bad_days_raise_invalid_input(
    method: Callable[[WorkCalendar, Any], object], value: object, phrase: str
) -> None:
    """X-3: naive datetimes, non-dates and dates outside 1975–2199 are refused."""
    with pytest.raises(InvalidInput, match=phrase) as caught:
        method(SWEDISH, value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("n", "phrase"),
    [
        (-1, "0 or more"),
        (1.5, "whole number"),
        (1.0, "whole number"),
        (True, "not bool"),
        (False, "not bool"),
        ("3", "whole number"),
        (None, "whole number"),
    ],
)
def test_val6_bad_n_raises_invalid_input(n: object, phrase: str) -> None:
    """VAL-6: n must be an int ≥ 0; bool and float are refused."""
    with pytest.raises(InvalidInput, match=phrase):
        SWEDISH.add_workdays(date(2026, 3, 10), n)  # type: ignore[arg-type]


def test_val6_counting_beyond_coverage_raises_invalid_input() -> None:
    """VAL-6: an answer beyond 2199-12-31 is refused, never made up."""
    with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
        SWEDISH.next_workday(LAST_DAY)
    with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
        SWEDISH.add_workdays(date(2199, 12, 20), 30)
    with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
        SWEDISH.add_workdays(FIRST_DAY, 10**9)
    with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
        SWEDISH.add_workdays(FIRST_DAY, 64_000)  # fewer than the bound, more than exist


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (date(2026, 3, 10), "must be a collection of dates"),
        ("2026-03-10", "must be a collection of dates"),
        (b"2026-03-10", "must be a collection of dates"),
        (20260310, "must be a collection of dates"),
        (None, "must be a collection of dates"),
        ([datetime(2026, 3, 10, tzinfo=UTC)], "must hold dates"),
        ([date(2026, 3, 10), "2026-03-11"], "must hold dates"),
        ([None], "must hold dates"),
        ([date(1974, 12, 31)], "outside the years the calendar covers"),
        ({date(2200, 1, 1)}, "outside the years the calendar covers"),
    ],
    ids=[
        "single-date",
        "string",
        "bytes",
        "int",
        "none",
        "datetime-inside",
        "string-inside",
        "none-inside",
        "year-1974",
        "year-2200",
    ],
)
def test_x3_bad_extra_non_working_days_raise_invalid_input(value: object, phrase: str) -> None:
    """X-3: local holidays must be a collection of plain dates within 1975–2199."""
    with pytest.raises(InvalidInput, match=phrase):
        WorkCalendar.swedish(extra_non_working_days=value)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=phrase):
        WorkCalendar(extra_non_working_days=value)


_WRONG: Any = IDENTITY_LIKE
"""The identity-like string, typed Any so the deliberately wrong calls type-check."""

_LEAKY_CALLS: dict[str, Callable[[], object]] = {
    "is_workday": lambda: SWEDISH.is_workday(_WRONG),
    "next_workday": lambda: SWEDISH.next_workday(_WRONG),
    "roll_forward": lambda: SWEDISH.roll_forward(_WRONG),
    "add_workdays-day": lambda: SWEDISH.add_workdays(_WRONG, 1),
    "add_workdays-n": lambda: SWEDISH.add_workdays(date(2026, 3, 10), _WRONG),
    "extra-string": lambda: WorkCalendar.swedish(extra_non_working_days=_WRONG),
    "extra-inside": lambda: WorkCalendar.swedish(extra_non_working_days=[_WRONG]),
    "extra-direct": lambda: WorkCalendar(extra_non_working_days=(date(2026, 3, 10), _WRONG)),
}


@pytest.mark.parametrize("call", list(_LEAKY_CALLS.values()), ids=list(_LEAKY_CALLS))
def test_x3_error_messages_never_repeat_a_bad_string_value(call: Callable[[], object]) -> None:
    """X-3 (and X-7): a wrong string may be an identity number; messages name its type."""
    with pytest.raises(InvalidInput) as caught:
        call()
    message = str(caught.value)
    assert message
    assert "str" in message
    assert IDENTITY_LIKE not in message
    assert IDENTITY_LIKE[2:] not in message
    assert all(IDENTITY_LIKE not in str(arg) for arg in caught.value.args)


# --------------------------------------------------------------------------- values


def test_x3_calendars_are_equal_by_configuration() -> None:
    """X-3: calendars compare (and hash) by include_eves and the extra days."""
    local = date(2026, 3, 10)
    assert WorkCalendar.swedish() == WorkCalendar() == SWEDISH
    assert WorkCalendar.swedish(extra_non_working_days=[local]) == WorkCalendar.swedish(
        extra_non_working_days=(local,)
    )
    assert hash(WorkCalendar.swedish(extra_non_working_days=[local, local])) == hash(
        WorkCalendar.swedish(extra_non_working_days={local})
    )
    assert WorkCalendar.swedish(include_eves=False) != SWEDISH
    assert WorkCalendar.swedish(extra_non_working_days=[local]) != SWEDISH
    assert SWEDISH.include_eves is True
    assert SWEDISH.extra_non_working_days == frozenset()


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize(
    "calendar",
    [
        SWEDISH,
        NO_EVES,
        WorkCalendar.swedish(include_eves=False, extra_non_working_days={date(2026, 3, 10)}),
    ],
    ids=["swedish", "no-eves", "no-eves-local"],
)
def test_x3_pickle_round_trip_keeps_equality_and_answers(
    calendar: WorkCalendar, protocol: int
) -> None:
    """X-3: a pickled calendar is equal to the original and answers the same."""
    calendar.is_workday(date(2026, 1, 1))  # build a table before pickling
    clone = pickle.loads(pickle.dumps(calendar, protocol=protocol))
    assert isinstance(clone, WorkCalendar)
    assert clone == calendar
    assert hash(clone) == hash(calendar)
    for day in _days(date(2026, 1, 1), date(2026, 12, 31)):
        assert clone.is_workday(day) == calendar.is_workday(day)
        assert clone.next_workday(day) == calendar.next_workday(day)
    assert clone.add_workdays(date(2026, 3, 9), 100) == calendar.add_workdays(date(2026, 3, 9), 100)


def test_x3_dates_at_the_edges_of_coverage() -> None:
    """X-3: 1975-01-01 and 2199-12-31 are answered; beyond them is refused."""
    assert WorkCalendar.FIRST_YEAR == 1975
    assert WorkCalendar.LAST_YEAR == 2199
    assert not SWEDISH.is_workday(FIRST_DAY)  # nyårsdagen, a Thursday
    assert SWEDISH.next_workday(FIRST_DAY) == date(1975, 1, 2)
    assert SWEDISH.roll_forward(FIRST_DAY) == date(1975, 1, 2)
    assert SWEDISH.add_workdays(FIRST_DAY, 0) == FIRST_DAY
    assert SWEDISH.add_workdays(FIRST_DAY, 2) == date(1975, 1, 3)
    assert SWEDISH.is_workday(date(2199, 12, 30))  # an ordinary Monday
    assert SWEDISH.next_workday(date(2199, 12, 28)) == date(2199, 12, 30)  # Saturday
    assert SWEDISH.roll_forward(date(2199, 12, 30)) == date(2199, 12, 30)
    assert SWEDISH.add_workdays(LAST_DAY, 0) == LAST_DAY
    SWEDISH.is_workday(LAST_DAY)  # answered, not refused
    with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
        SWEDISH.next_workday(LAST_DAY)


@pytest.mark.parametrize(
    "day",
    [
        date(2101, 1, 6),  # trettondedag jul, Thursday
        date(2150, 12, 24),  # julafton, Thursday
        date(2150, 12, 25),  # juldagen, Friday
        date(2199, 6, 6),  # nationaldagen, Thursday
        date(2199, 12, 31),  # nyårsafton, Tuesday: the last covered day
    ],
)
def test_x3_holidays_after_2100_are_not_working_days(day: date) -> None:
    """X-3: the calendar covers 2199, so the holidays of 2101–2199 must be there."""
    assert not SWEDISH.is_workday(day)


def test_x3_roll_forward_from_the_last_nyarsafton_is_refused() -> None:
    """X-3: nyårsafton 2199 is non-working and its next working day is beyond coverage."""
    with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
        SWEDISH.roll_forward(LAST_DAY)


def test_x3_table_grows_backward_and_forward_in_any_order() -> None:
    """X-3: far future first, then far past, then further on, all stay right.

    A configuration no other test uses gets a fresh table, so the order of questions
    below is the order the table grows in.
    """
    extra = frozenset({date(2077, 3, 17)})
    calendar = WorkCalendar.swedish(extra_non_working_days=extra)

    def reference(day: date) -> bool:
        return _reference_is_workday(day, extra=extra)

    # The first question builds the 2090s, the second grows the table forward into the
    # 2100s, the next ones grow it backward a few decades at a time, down to 1975.
    in_2094 = calendar.add_workdays(date(2094, 3, 2), 5)
    after_2099 = calendar.next_workday(date(2099, 12, 30))
    local_day = calendar.roll_forward(date(2077, 3, 17))
    after_2029 = calendar.next_workday(date(2029, 12, 31))
    in_1985 = calendar.roll_forward(date(1985, 6, 6))
    first = calendar.add_workdays(FIRST_DAY, 1)
    assert in_2094 == _naive_add(reference, date(2094, 3, 2), 5)
    assert after_2099 == date(2100, 1, 4)  # nyårsafton, nyårsdagen, a weekend
    assert local_day == date(2077, 3, 18)
    assert after_2029 == date(2030, 1, 2)
    assert in_1985 == _naive_add(reference, date(1985, 6, 5), 1)
    assert first == date(1975, 1, 2)

    working = [day for day in _days(FIRST_DAY, date(2100, 12, 31)) if reference(day)]
    wrong = [
        day
        for day in _days(FIRST_DAY, date(2099, 12, 31))
        if calendar.is_workday(day) != reference(day)
        or calendar.next_workday(day) != working[bisect_right(working, day)]
    ]
    assert wrong == []
    # Counting across every seam the table was built with.
    for start, n in [(FIRST_DAY, 30_000), (date(1980, 2, 29), 25_000), (date(2029, 12, 31), 1)]:
        assert calendar.add_workdays(start, n) == working[bisect_right(working, start) + n - 1]


# --------------------------------------------------------------------------- peer


def test_x3_agrees_with_workalendar_2005_to_2099() -> None:
    """X-3: every day of 2005–2099 agrees with workalendar's Swedish calendar."""
    disagreements = [
        day
        for day in _days(date(2005, 1, 1), date(2099, 12, 31))
        if SWEDISH.is_workday(day) != _peer_is_working_day(day)
    ]
    assert disagreements == []


def test_x3_differs_from_workalendar_before_2005_only_where_workalendar_is_wrong() -> None:
    """X-3: before 2005 workalendar has 6 June every year and no Whit Monday; we do not.

    The only disagreements are weekday Whit Mondays (a holiday until 2004: we say
    non-working) and weekday 6 Junes (not a holiday until 2005: we say working); in
    1975–2004 the two never fall on the same day.
    """
    years = range(1975, 2005)
    disagreements = [
        day
        for day in _days(date(years[0], 1, 1), date(years[-1], 12, 31))
        if SWEDISH.is_workday(day) != _peer_is_working_day(day)
    ]
    whit_mondays = {_whit_monday(year) for year in years}
    national_days = {date(year, 6, 6) for year in years}
    expected = {day for day in whit_mondays ^ national_days if day.weekday() < 5}
    assert len(disagreements) == len(set(disagreements))
    assert set(disagreements) == expected
    assert {date(2003, 6, 6), date(2003, 6, 9), date(2004, 5, 31)} <= expected
    assert not whit_mondays & national_days
    for day in expected:
        assert SWEDISH.is_workday(day) is (day in national_days), day


def test_val6_next_workday_agrees_with_workalendar_2020_to_2035() -> None:
    """VAL-6: next_workday matches a day-by-day walk over workalendar's working days."""
    disagreements = []
    for day in _days(date(2020, 1, 1), date(2035, 12, 31)):
        expected = _naive_add(_peer_is_working_day, day, 1)
        if SWEDISH.next_workday(day) != expected:
            disagreements.append((day, SWEDISH.next_workday(day), expected))
    assert disagreements == []


@pytest.mark.parametrize("include_eves", [True, False], ids=["eves", "no-eves"])
def test_x3_agrees_with_the_rule_based_reference_1975_to_2100(*, include_eves: bool) -> None:
    """X-3: both configurations match the hand-written rules of this file, every day."""
    calendar = WorkCalendar.swedish(include_eves=include_eves)
    disagreements = [
        day
        for day in _days(FIRST_DAY, date(2100, 12, 31))
        if calendar.is_workday(day) != _reference_is_workday(day, include_eves=include_eves)
    ]
    assert disagreements == []


def test_x3_agrees_with_workalendar_2100_to_2199() -> None:
    """X-3: the covered years after 2100 agree with workalendar too."""
    disagreements = [
        day
        for day in _days(date(2100, 1, 1), LAST_DAY)
        if SWEDISH.is_workday(day) != _peer_is_working_day(day)
    ]
    assert disagreements == []


# --------------------------------------------------------------------------- properties

DATES = st.dates(min_value=FIRST_DAY, max_value=date(2199, 12, 1))
CALENDARS = st.sampled_from([SWEDISH, NO_EVES])


@given(CALENDARS, DATES)
def test_val6_property_next_workday_is_the_first_working_day_after(
    calendar: WorkCalendar, day: date
) -> None:
    """VAL-6: next_workday is later, a working day, and nothing in between is one."""
    following = calendar.next_workday(day)
    assert following > day
    assert calendar.is_workday(following)
    between = day + ONE_DAY
    while between < following:
        assert not calendar.is_workday(between), between
        between += ONE_DAY


@given(CALENDARS, DATES)
def test_val6_property_roll_forward(calendar: WorkCalendar, day: date) -> None:
    """VAL-6: roll_forward is idempotent, ≥ d, and returns d iff d is a working day."""
    rolled = calendar.roll_forward(day)
    assert rolled >= day
    assert calendar.roll_forward(rolled) == rolled
    assert calendar.is_workday(rolled)
    assert (rolled == day) is calendar.is_workday(day)
    if rolled != day:
        assert rolled == calendar.next_workday(day)


@given(CALENDARS, DATES, st.integers(min_value=0, max_value=60))
def test_val6_property_add_workdays_is_repeated_next_workday(
    calendar: WorkCalendar, day: date, n: int
) -> None:
    """VAL-6: add_workdays(d, n) is next_workday applied n times (d itself for n = 0)."""
    expected: date | None = day
    try:
        for _ in range(n):
            assert expected is not None
            expected = calendar.next_workday(expected)
    except InvalidInput:
        expected = None  # beyond 2199-12-31
    if expected is None:
        with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
            calendar.add_workdays(day, n)
    else:
        assert calendar.add_workdays(day, n) == expected


@given(
    CALENDARS,
    DATES,
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=60),
)
def test_val6_property_add_workdays_composes(
    calendar: WorkCalendar, day: date, a: int, b: int
) -> None:
    """VAL-6: add_workdays(d, a + b) == add_workdays(add_workdays(d, a), b) for a ≥ 1."""
    try:
        whole = calendar.add_workdays(day, a + b)
    except InvalidInput:
        with pytest.raises(InvalidInput, match="beyond 2199-12-31"):
            calendar.add_workdays(calendar.add_workdays(day, a), b)
    else:
        assert calendar.add_workdays(calendar.add_workdays(day, a), b) == whole


@given(CALENDARS, DATES, st.booleans())
def test_val6_property_weekends_are_never_working_days(
    calendar: WorkCalendar, day: date, sunday: bool
) -> None:
    """VAL-6: no Saturday or Sunday is a working day."""
    weekend_day = _first_saturday_from(day) + (ONE_DAY if sunday else timedelta(0))
    assert weekend_day.weekday() == (6 if sunday else 5)
    assert not calendar.is_workday(weekend_day)


@pytest.mark.slow
@given(
    st.frozensets(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        min_size=1,
        max_size=5,
    ),
    st.booleans(),
)
def test_x3_property_extra_days_are_closed_and_nothing_else_changes(
    extra: frozenset[date], include_eves: bool
) -> None:
    """X-3: local holidays are never working days; every other day is as before."""
    plain = WorkCalendar.swedish(include_eves=include_eves)
    local = WorkCalendar.swedish(include_eves=include_eves, extra_non_working_days=sorted(extra))
    assert local.extra_non_working_days == extra
    for day in extra:
        assert not local.is_workday(day)
        assert local.next_workday(day - ONE_DAY) != day
        assert local.roll_forward(day) > day
    for day in _days(date(2020, 1, 1), date(2030, 12, 31)):
        if day not in extra:
            assert local.is_workday(day) == plain.is_workday(day), day
    for day in extra:
        before = day - ONE_DAY
        expected = _naive_add(lambda d: plain.is_workday(d) and d not in extra, before, 1)
        assert local.next_workday(before) == expected


def test_x3_include_eves_takes_a_bool_only_and_says_so() -> None:
    """X-3: include_eves=1 is refused with InvalidInput naming the field, not TypeError."""
    with pytest.raises(InvalidInput, match=r"^include_eves must be True or False"):
        WorkCalendar(include_eves=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"^include_eves must be True or False"):
        WorkCalendar.swedish(include_eves="no")  # type: ignore[arg-type]


def test_x3_add_workdays_never_repeats_n() -> None:
    """X-3, X-7: a huge n shaped like an identity number is not echoed."""
    for n in (191212121212, -191212121212):
        with pytest.raises(InvalidInput) as caught:
            SWEDISH.add_workdays(date(2026, 3, 2), n)
        assert "1212" not in str(caught.value)


def test_x3_dates_before_1975_are_refused_citing_the_act() -> None:
    """X-3: 1974-12-31 is outside the years the act's present list of eves covers."""
    with pytest.raises(InvalidInput, match=r"1975–2199.*SFS 1974:756"):
        SWEDISH.is_workday(date(1974, 12, 31))
    assert not SWEDISH.is_workday(date(1975, 12, 31))  # nyårsafton 1975


@pytest.mark.parametrize("bad", [[], {}, None, 1, "ja"], ids=repr)
def test_x3_include_eves_must_be_true_or_false(bad: object) -> None:
    """X-3: include_eves is refused with InvalidInput before the shared table is looked up."""
    with pytest.raises(InvalidInput, match="include_eves must be True or False"):
        WorkCalendar(include_eves=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="include_eves must be True or False"):
        WorkCalendar.swedish(include_eves=bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- exact edges
# Fixed examples for edges a mutation run showed untested (issue 21). Equal calendars
# share one table, so a calendar "of its own" adds a local non-working day on a Sunday
# that no other calendar names: it answers as the Swedish calendar does everywhere, but
# its table starts empty and grows in the order asked here.

_UNSHARED = itertools.count()


def _unshared(*, include_eves: bool = True) -> WorkCalendar:
    """A calendar with an empty table of its own, answering as the Swedish one."""
    sunday = date(1975, 1, 5) + timedelta(weeks=next(_UNSHARED) % 11_000)
    return WorkCalendar.swedish(include_eves=include_eves, extra_non_working_days={sunday})


def _midsommarafton(year: int) -> date:
    return _first_saturday_from(date(year, 6, 20)) - ONE_DAY


def _eves(year: int) -> list[date]:
    return [_midsommarafton(year), date(year, 12, 24), date(year, 12, 31)]


@pytest.mark.parametrize("include_eves", [True, False], ids=["eves", "no-eves"])
def test_x3_the_eves_are_in_every_decade_however_the_table_grows(*, include_eves: bool) -> None:
    """X-3, SFS 1930:173 2 §: midsommarafton, julafton and nyårsafton in every decade built.

    Given a calendar whose table is empty, when it grows forward by counting working
    days across a decade (2039 → 2040s), backward to an earlier date (the 2010s and
    2020s, then the 1980s–2000s), forward to a later date (the 2050s and 2060s) and
    forward by counting again (2069 → 2070s), then in each of those decades the three
    eves are non-working days, or working days when the calendar leaves the eves out.
    """
    calendar = _unshared(include_eves=include_eves)
    reference = functools.partial(_reference_is_workday, include_eves=include_eves)
    asked = [
        (
            calendar.add_workdays(date(2039, 12, 1), 40),
            _naive_add(reference, date(2039, 12, 1), 40),
        ),
        (calendar.next_workday(date(2013, 6, 20)), _naive_add(reference, date(2013, 6, 20), 1)),
        (calendar.is_workday(date(2065, 1, 2)), reference(date(2065, 1, 2))),
        (calendar.roll_forward(date(1985, 12, 24)), _naive_add(reference, date(1985, 12, 23), 1)),
        (
            calendar.add_workdays(date(2069, 12, 15), 20),
            _naive_add(reference, date(2069, 12, 15), 20),
        ),
    ]
    assert [expected for _, expected in asked] == [answer for answer, _ in asked]
    years = [2037, 2042, 2013, 2019, 2025, 1985, 2003, 2053, 2065, 2070]
    eves = [eve for year in years for eve in _eves(year)]
    assert all(eve.weekday() < 5 for eve in eves)  # each eve closes a weekday
    assert [not include_eves] * len(eves) == [calendar.is_workday(eve) for eve in eves]
    closed_on_eves = [eve for eve in eves if calendar.next_workday(eve - ONE_DAY) != eve]
    assert (eves if include_eves else []) == closed_on_eves


def test_x3_local_non_working_days_in_the_first_and_the_last_covered_year() -> None:
    """X-3: a local non-working day may lie in 1975 or in 2199, the ends of the coverage.

    Given local non-working days on Tuesday 4 March 1975 and Wednesday 4 March 2199,
    when the calendar is built, then it accepts them and skips them, and a day in 1974
    or 2200 is refused naming the years covered.
    """
    first, last = date(1975, 3, 4), date(2199, 3, 4)
    calendar = WorkCalendar.swedish(extra_non_working_days=[first, last])
    assert frozenset({first, last}) == calendar.extra_non_working_days
    assert (calendar.is_workday(first), calendar.is_workday(last)) == (False, False)
    assert (SWEDISH.is_workday(first), SWEDISH.is_workday(last)) == (True, True)
    assert date(1975, 3, 5) == calendar.next_workday(date(1975, 3, 3))
    assert date(2199, 3, 5) == calendar.roll_forward(last)
    for outside in (date(1974, 12, 31), date(2200, 1, 1)):
        with pytest.raises(InvalidInput) as caught:
            WorkCalendar.swedish(extra_non_working_days=[outside])
        assert str(caught.value) == (
            f"extra non-working day {outside.isoformat()} is outside the years the calendar "
            "covers (1975–2199)"
        )


def test_val6_add_workdays_reaches_the_last_working_day_covered_and_no_further() -> None:
    """VAL-6, X-3: n = every working day up to 2199 gives the last one; n + 1 is refused.

    Given the count of working days from 1975-01-02 to 2199-12-31 by the rules written
    out in this file, when that many working days are added to 1975-01-01, then the
    answer is Monday 30 December 2199 (nyårsafton 2199 is an eve), and one more is
    refused as reaching beyond 2199-12-31.
    """
    every = sum(1 for day in _days(date(1975, 1, 2), LAST_DAY) if _reference_is_workday(day))
    assert date(2199, 12, 30) == SWEDISH.add_workdays(FIRST_DAY, every)
    # Counted on an empty table, which grows by counting decade by decade up to 2199.
    assert date(2199, 12, 30) == _unshared().add_workdays(FIRST_DAY, every)
    with pytest.raises(InvalidInput) as caught:
        SWEDISH.add_workdays(FIRST_DAY, every + 1)
    assert str(caught.value) == (
        "n working days after 1975-01-01 reach beyond 2199-12-31, the last day the calendar covers"
    )
    assert date(2199, 12, 30) == SWEDISH.add_workdays(date(2199, 12, 27), 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: SWEDISH.is_workday("2026-03-10"),  # type: ignore[arg-type]
            "day must be a date or a timezone-aware datetime, not a value of type str",
        ),
        (
            lambda: SWEDISH.next_workday(datetime(2026, 3, 10, 12, 0)),
            "day is a naive datetime (it has no time zone); give a timezone-aware datetime, "
            "for example with tzinfo=ZoneInfo('Europe/Stockholm')",
        ),
        (lambda: SWEDISH.add_workdays(date(2026, 3, 10), -1), "n must be 0 or more working days"),
        (
            lambda: SWEDISH.add_workdays(FIRST_DAY, 10**9),
            "n working days after 1975-01-01 reach beyond 2199-12-31, the last day the "
            "calendar covers",
        ),
        (
            lambda: SWEDISH.is_workday(date(1974, 12, 31)),
            "1974-12-31 is outside the years the calendar covers (1975–2199): before 1975 SFS "
            "1930:173 2 § listed other eves (nyårsafton since SFS 1974:756), and after 2199 the "
            "holidays are not known",
        ),
        (
            lambda: WorkCalendar.swedish(extra_non_working_days="2026-03-10"),  # type: ignore[arg-type]
            "extra_non_working_days must be a collection of dates (a set, list or tuple of "
            "datetime.date), not str",
        ),
        (
            lambda: WorkCalendar.swedish(extra_non_working_days=["2026-03-10"]),  # type: ignore[list-item]
            "extra_non_working_days must hold dates (datetime.date, not datetime), not a value "
            "of type str",
        ),
        (
            lambda: SWEDISH.add_workdays(date(2026, 3, 10), 1.0),  # type: ignore[arg-type]
            "n must be a whole number of working days (an int), not float",
        ),
    ],
    ids=[
        "day-str",
        "day-naive",
        "n-negative",
        "n-beyond-every-working-day",
        "day-before-1975",
        "extra-str",
        "extra-holds-str",
        "n-float",
    ],
)
def test_x3_messages_name_the_argument_and_what_is_accepted(
    call: Callable[[], object], message: str
) -> None:
    """X-3: a refusal names the argument (day, n) and says what it accepts, word for word."""
    with pytest.raises(InvalidInput) as caught:
        call()
    assert message == str(caught.value)


def test_x3_the_table_grows_one_decade_at_a_time() -> None:
    """X-3: the first question builds its decade only; later ones add whole decades.

    (The module's promise: answers from a table built lazily, a decade at a time.)
    """
    calendar = _unshared()
    calendar.is_workday(date(2026, 3, 4))
    assert (calendar._table.first_year, calendar._table.last_year) == (2020, 2029)
    calendar.next_workday(date(2029, 12, 31))  # counting past the end grows it forward
    assert (calendar._table.first_year, calendar._table.last_year) == (2020, 2039)
    calendar.is_workday(date(2003, 6, 6))
    assert (calendar._table.first_year, calendar._table.last_year) == (2000, 2039)
    calendar.roll_forward(date(1977, 1, 1))
    assert (calendar._table.first_year, calendar._table.last_year) == (1975, 2039)
    calendar.is_workday(date(2199, 1, 1))
    assert (calendar._table.first_year, calendar._table.last_year) == (1975, 2199)
    first = _unshared()  # the first decade covered is 1975–1979
    first.is_workday(date(1977, 6, 1))
    assert (first._table.first_year, first._table.last_year) == (1975, 1979)


def test_x3_growing_a_table_for_a_year_it_covers_changes_nothing() -> None:
    """X-3: a second thread that finds its decade already built leaves the table as it is.

    Readers take no lock; a thread that asked for a decade another thread built while
    it waited for the lock must not grow the table again (as if it were a reader
    before the lock). Simulated by asking _cover for every year already covered.
    """
    from arendefordelning.calendar import _cover

    calendar = _unshared()
    calendar.is_workday(date(2015, 1, 1))
    calendar.is_workday(date(2025, 1, 1))
    table = calendar._table
    before = (table.first_year, table.last_year, dict(table.codes), dict(table.by_rank))
    for year in range(2010, 2030):
        _cover(table, year, include_eves=True, extra=calendar.extra_non_working_days)
    assert before == (table.first_year, table.last_year, dict(table.codes), dict(table.by_rank))
    assert date(2020, 1, 2) == calendar.next_workday(date(2019, 12, 31))


def test_x3_a_holidays_package_without_juldagen_for_a_year_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """X-3: a year the `holidays` package returns without juldagen is an error, not a working day.

    Given a `holidays` package whose Swedish calendar lacks 25 December 2159 (as an old
    release lacks every year after its range), when a calendar builds the 2150s, then
    it refuses with ArendefordelningError naming the year, instead of counting
    juldagen 2159 as a working day.
    """
    import holidays.countries.sweden

    real = holidays.countries.sweden.Sweden

    class WithoutJuldagen2159(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            dict.pop(self, date(2159, 12, 25), None)

    monkeypatch.setattr(holidays.countries.sweden, "Sweden", WithoutJuldagen2159)
    calendar = _unshared()
    with pytest.raises(ArendefordelningError) as caught:
        calendar.is_workday(date(2155, 3, 1))
    assert type(caught.value) is ArendefordelningError
    assert str(caught.value) == (
        "the installed holidays package has no Swedish holidays for 2159; the calendar "
        "needs 1975–2199 (upgrade holidays)"
    )
    monkeypatch.undo()
    assert calendar.is_workday(date(2155, 3, 3))  # a Monday, once the package is whole
    assert not calendar.is_workday(date(2159, 12, 25))


@st.composite
def _questions(draw: st.DrawFn) -> tuple[str, date, int]:
    """A question to a calendar: a method, a day 1975–2189 and n for add_workdays."""
    method = draw(st.sampled_from(["is_workday", "next_workday", "roll_forward", "add_workdays"]))
    decade = draw(st.integers(1975, 2189) | st.sampled_from([1975, 2009, 2010, 2099, 2100, 2189]))
    day = draw(st.dates(min_value=date(decade, 1, 1), max_value=date(decade, 12, 31)))
    return method, day, draw(st.integers(0, 300))


def _ask(calendar: WorkCalendar, question: tuple[str, date, int]) -> object:
    method, day, n = question
    if method == "add_workdays":
        return calendar.add_workdays(day, n)
    answer: object = getattr(calendar, method)(day)
    return answer


@given(st.lists(_questions(), min_size=2, max_size=8), st.booleans())
def test_x3_property_the_answer_does_not_depend_on_what_was_asked_before(
    questions: list[tuple[str, date, int]], include_eves: bool
) -> None:
    """X-3: however a table has grown, each answer is the one an empty table gives.

    Given a calendar with an empty table and a sequence of questions about days from
    1975 to 2189 (so the table grows forward, backward and by counting, in any order),
    when each is asked in turn, then each answer equals that of a calendar with an
    empty table asked the same question alone.
    """
    calendar = _unshared(include_eves=include_eves)
    for question in questions:
        assert _ask(_unshared(include_eves=include_eves), question) == _ask(calendar, question)
