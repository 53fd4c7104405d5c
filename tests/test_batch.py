"""Deadlines and working days in bulk (arendefordelning.batch) against the per-call rules.

VAL-6 and X-3: element by element, ``execution_deadlines`` must give what
``execution_deadline(t, agreed_start=a, policy=p).due`` gives, for numpy, pandas and
sequence input, and ``workdays`` / ``next_workdays`` / ``roll_forward`` what the
calendar's own methods give. The instants tested include every change of Stockholm's
UTC offset 1975–2199 and every Swedish holiday and eve, around the cut-off, the next
day's start and midnight; the reference transitions and holidays are found here
from ``zoneinfo`` and ``holidays`` alone, not from the module under test.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning import (
    ExecutionDeadlinePolicy,
    InvalidInput,
    SummonPolicy,
    WorkCalendar,
    batch,
    execution_deadline,
)
from arendefordelning.batch import execution_deadlines, next_workdays, roll_forward, workdays

SE = ZoneInfo("Europe/Stockholm")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
NAT = int(np.iinfo(np.int64).min)
SECOND = 1_000_000
HOUR = 3_600 * SECOND
DAY = 24 * HOUR

Micros = int | None
"""An instant as µs since 1970 UTC, None for a missing one."""


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // ONE_US


def utc(value: int) -> datetime:
    return EPOCH + value * ONE_US


LO = micros(datetime(1975, 1, 1, tzinfo=SE))
"""The first instant of 1975 in Stockholm: the first the batch functions accept."""
HI = micros(datetime(2200, 1, 1, tzinfo=SE))
"""The first instant of 2200 in Stockholm: the first they refuse."""

EXTRA = frozenset(
    {
        date(1980, 4, 7),  # the Monday after the first summer time
        date(2026, 3, 5),
        date(2026, 3, 6),
        date(2026, 10, 26),  # the Monday after summer time ends
        date(2199, 12, 27),
    }
)
CALENDARS = (
    WorkCalendar.swedish(),
    WorkCalendar.swedish(include_eves=False),
    WorkCalendar.swedish(extra_non_working_days=EXTRA),
    WorkCalendar.swedish(include_eves=False, extra_non_working_days=EXTRA),
)
POLICIES = (
    ExecutionDeadlinePolicy(),
    ExecutionDeadlinePolicy(cutoff=time(15), next_day_start=time(8), calendar=CALENDARS[3]),
    # Every wall-clock time in the hour that is skipped or repeated, and a short window.
    ExecutionDeadlinePolicy(
        cutoff=time(2, 30),
        next_day_start=time(2, 30),
        window=timedelta(hours=1, minutes=30, microseconds=1),
        calendar=CALENDARS[2],
    ),
)
ZONES: tuple[tzinfo, ...] = (
    UTC,
    SE,
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Tokyo"),
    timezone(timedelta(hours=5, minutes=30)),
)


# --------------------------------------------------------------------------- references


@functools.cache
def transitions() -> tuple[int, ...]:
    """Every change of Stockholm's UTC offset 1975–2199 (UTC µs), from zoneinfo alone."""
    found: list[int] = []
    moment = datetime(1975, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(SE).utcoffset()
    while moment < datetime(2200, 1, 1, tzinfo=UTC):
        following = moment + timedelta(days=1)
        changed = following.astimezone(SE).utcoffset()
        if changed != offset:
            low, high = micros(moment) // SECOND, micros(following) // SECOND
            while high - low > 1:
                middle = (low + high) // 2
                if utc(middle * SECOND).astimezone(SE).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(high * SECOND)
            offset = changed
        moment = following
    return tuple(found)


@functools.cache
def holidays_and_eves() -> tuple[date, ...]:
    """Every Swedish public holiday and eve 1975–2199, from the holidays package alone."""
    import holidays
    from holidays.countries.sweden import Sweden

    class Through2199(Sweden):
        end_year = 2199

    categories = (holidays.PUBLIC, holidays.DE_FACTO)
    return tuple(sorted(Through2199(years=range(1975, 2200), categories=categories)))


def test_x3_the_references_are_complete() -> None:
    """X-3: two changes a year from 1980 (none 1975–1979), and 16 holidays a year or so."""
    assert len(transitions()) == 2 * (2199 - 1980 + 1)
    assert utc(transitions()[0]) == datetime(1980, 4, 6, 1, 0, tzinfo=UTC)
    assert 15 * 225 < len(holidays_and_eves()) < 17 * 225
    assert date(2199, 12, 31) in holidays_and_eves()


def local_instant(day: date, shift: int, clock: time, delta: int, fold: int) -> int:
    """The instant of a Stockholm wall-clock time: ``clock`` on ``day + shift days`` + delta µs."""
    wall = datetime.combine(day + timedelta(days=shift), clock) + delta * ONE_US
    return micros(wall.replace(tzinfo=SE, fold=fold))


def around_changes() -> list[int]:
    """Instants 2 h, 1 h, 1 µs before and after every offset change, and at it."""
    steps = (-2 * HOUR, -HOUR, -1, 0, 1, HOUR, 2 * HOUR)
    return [change + step for change in transitions() for step in steps]


def around_holidays(policy: ExecutionDeadlinePolicy) -> list[int]:
    """Instants around the cut-off, next-day start and midnight of every holiday and eve.

    On the day before each one and on the day itself, both passes of a repeated hour.
    """
    found: set[int] = set()
    clocks = ((policy.cutoff, (-1, 0, 1)), (policy.next_day_start, (0,)), (time(0), (-1, 0)))
    for day in holidays_and_eves():
        for shift in (-1, 0):
            for clock, deltas in clocks:
                for delta in deltas:
                    for fold in (0, 1):
                        found.add(local_instant(day, shift, clock, delta, fold))
    return sorted(value for value in found if LO <= value < HI - 3 * DAY)


# --------------------------------------------------------------------------- converters


def as_numpy(values: Sequence[Micros]) -> npt.NDArray[np.datetime64]:
    raw = [NAT if value is None else value for value in values]
    return np.array(raw, dtype=np.int64).view("datetime64[us]")


def as_index(values: Sequence[Micros], zone: tzinfo = SE) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(as_numpy(values)).tz_localize("UTC").tz_convert(zone)


def as_series(values: Sequence[Micros], zone: tzinfo = SE, **kwargs: Any) -> pd.Series[Any]:
    series: pd.Series[Any] = pd.Series(as_index(values, zone), **kwargs)
    return series


def as_datetimes(values: Sequence[Micros], zones: Sequence[tzinfo]) -> list[datetime | None]:
    return [
        None if value is None else utc(value).astimezone(zone)
        for value, zone in zip(values, zones, strict=True)
    ]


def numpy_micros(result: npt.NDArray[np.datetime64]) -> list[Micros]:
    assert result.dtype == np.dtype("datetime64[us]")
    return [None if value == NAT else int(value) for value in result.view(np.int64)]


def pandas_micros(result: pd.Series[Any] | pd.DatetimeIndex) -> list[Micros]:
    assert str(result.dtype) == "datetime64[us, Europe/Stockholm]"
    index = pd.DatetimeIndex(result)
    return [None if value == NAT else int(value) for value in index.asi8]


def same_moment(got: datetime | None, expected: datetime | None) -> bool:
    """The same instant, wall clock, UTC offset and zone (or both None)."""
    if got is None or expected is None:
        return got is expected
    return (
        got.astimezone(UTC) == expected.astimezone(UTC)
        and got.isoformat() == expected.isoformat()
        and got.utcoffset() == expected.utcoffset()
        and got.tzinfo is SE
    )


def per_call(
    times: Sequence[Micros], agreed: Sequence[Micros] | None, policy: ExecutionDeadlinePolicy
) -> list[datetime | None] | int:
    """The per-call due times in Stockholm time, or the first index it refuses."""
    starts: Sequence[Micros] = agreed if agreed is not None else [None] * len(times)
    dues: list[datetime | None] = []
    for index, (moment, start) in enumerate(zip(times, starts, strict=True)):
        if moment is None:
            dues.append(None)
            continue
        try:
            deadline = execution_deadline(
                utc(moment).astimezone(SE),
                agreed_start=None if start is None else utc(start),
                policy=policy,
            )
        except InvalidInput:
            return index
        dues.append(deadline.due)
    return dues


def check_all_kinds(
    times: Sequence[Micros],
    agreed: Sequence[Micros] | None,
    policy: ExecutionDeadlinePolicy | None,
    zones: Sequence[tzinfo],
) -> None:
    """Every kind of input gives the per-call due times (or refuses the same index)."""
    expected = per_call(times, agreed, policy or ExecutionDeadlinePolicy())
    index = pd.RangeIndex(start=100, stop=100 + len(times))
    kinds: list[tuple[Any, Any]] = [
        (as_numpy(times), None if agreed is None else as_numpy(agreed)),
        (
            as_series(times, ZONES[len(times) % len(ZONES)], index=index, name="fördelad"),
            None if agreed is None else as_series(agreed, UTC, index=index),
        ),
        (as_index(times, zones[0] if zones else UTC), None if agreed is None else as_index(agreed)),
        (as_datetimes(times, zones), None if agreed is None else as_datetimes(agreed, zones)),
    ]
    for given_times, given_agreed in kinds:
        if isinstance(expected, int):
            with pytest.raises(InvalidInput, match=rf"^times\[{expected}\] ") as error:
                execution_deadlines(given_times, agreed_starts=given_agreed, policy=policy)
            assert "lies beyond" in str(error.value)
            continue
        result = execution_deadlines(given_times, agreed_starts=given_agreed, policy=policy)
        if isinstance(given_times, np.ndarray):
            assert isinstance(result, np.ndarray)
            want = [None if due is None else micros(due) for due in expected]
            assert numpy_micros(result) == want
        elif isinstance(given_times, pd.Series):
            assert isinstance(result, pd.Series)
            assert result.index.equals(index)
            assert result.name == "fördelad"
            want = [None if due is None else micros(due) for due in expected]
            assert pandas_micros(result) == want
        elif isinstance(given_times, pd.DatetimeIndex):
            assert isinstance(result, pd.DatetimeIndex)
            want = [None if due is None else micros(due) for due in expected]
            assert pandas_micros(result) == want
        else:
            assert isinstance(result, list)
            assert len(result) == len(expected)
            for got, due in zip(result, expected, strict=True):
                assert same_moment(got, due), (got, due)


# --------------------------------------------------------------------------- VAL-6 examples


def test_val6_the_routines_examples_in_bulk() -> None:
    """VAL-6: 14:00 counts from itself, 14:00:00.000001 and Friday 15:10 from 07:00 next."""
    times = [
        datetime(2026, 3, 4, 14, 0, tzinfo=SE),
        datetime(2026, 3, 4, 14, 0, 0, 1, tzinfo=SE),
        datetime(2026, 3, 6, 15, 10, tzinfo=SE),
        datetime(2026, 3, 28, 10, 0, tzinfo=SE),  # 24 elapsed hours over the change
        datetime(2026, 12, 23, 23, 30, tzinfo=UTC),  # 00:30 on julafton
        None,
    ]
    assert execution_deadlines(times) == [
        datetime(2026, 3, 5, 14, 0, tzinfo=SE),
        datetime(2026, 3, 6, 7, 0, tzinfo=SE),
        datetime(2026, 3, 10, 7, 0, tzinfo=SE),
        datetime(2026, 3, 29, 11, 0, tzinfo=SE),
        datetime(2026, 12, 25, 0, 30, tzinfo=SE),
        None,
    ]


def test_val6_numpy_in_numpy_out() -> None:
    """VAL-6: datetime64 of any unit in, datetime64[us] UTC out; NaT stays NaT."""
    times = np.array(["2026-03-06T14:10", "NaT", "2026-03-04T08:00"], dtype="datetime64[m]")
    due = execution_deadlines(times)
    assert due.dtype == np.dtype("datetime64[us]")
    expected = ["2026-03-10T06:00", "NaT", "2026-03-05T08:00"]
    assert (due.astype("datetime64[m]").astype(str) == np.array(expected)).all()
    assert not np.shares_memory(due, times)


def test_val6_pandas_series_keeps_its_index_and_name() -> None:
    """VAL-6, X-3: a Series in any zone gives a Stockholm Series with its index and name."""
    times = pd.Series(
        pd.to_datetime(
            np.array(["2026-03-06T15:10", "NaT", "2026-03-04T09:00"], dtype="datetime64[us]")
        ).tz_localize(SE),
        index=["a", "b", "c"],
        name="fördelad",
    )
    due = execution_deadlines(times.dt.tz_convert("America/New_York"))
    assert list(due.index) == ["a", "b", "c"]
    assert due.name == "fördelad"
    assert str(due.dt.tz) == "Europe/Stockholm"
    assert due["a"] == pd.Timestamp("2026-03-10 07:00", tz=SE)
    assert due.isna().tolist() == [False, True, False]
    assert due["c"] == pd.Timestamp("2026-03-05 09:00", tz=SE)


def test_val6_pandas_index_gives_an_index() -> None:
    """VAL-6: a DatetimeIndex gives a Stockholm DatetimeIndex with its name."""
    times = pd.DatetimeIndex(["2026-03-06 14:10"], tz="UTC", name="t").as_unit("ns")
    agreed = pd.DatetimeIndex(["2026-03-16 08:00"], tz="UTC")
    due = execution_deadlines(times, agreed_starts=agreed)
    assert isinstance(due, pd.DatetimeIndex)
    assert due.name == "t"
    assert due[0] == pd.Timestamp("2026-03-16 09:00", tz=SE)


def test_val6_units_finer_than_a_microsecond_are_dropped() -> None:
    """VAL-6: 14:00:00.000000999 counts as 14:00:00.000000, as a Python datetime holds it."""
    cut = np.datetime64("2026-03-04T13:00:00", "ns")
    times = np.array([cut, cut + np.timedelta64(999, "ns"), cut + np.timedelta64(1000, "ns")])
    due = execution_deadlines(times).astype(str).tolist()
    assert due == [
        "2026-03-05T13:00:00.000000",
        "2026-03-05T13:00:00.000000",
        "2026-03-06T06:00:00.000000",
    ]


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s", "m", "h", "D", "M", "Y", "15m"])
def test_val6_every_datetime64_unit_gives_the_microsecond_answer(unit: str) -> None:
    """VAL-6: any unit is read as the instants it holds."""
    rng = np.random.default_rng(6)
    raw = rng.integers(LO, HI - 3 * DAY, 500).view("datetime64[us]")
    coarse = raw.astype(f"datetime64[{unit}]")
    coarse = coarse[coarse.astype("datetime64[us]").view(np.int64) >= LO]
    expected = execution_deadlines(coarse.astype("datetime64[us]"))
    assert (execution_deadlines(coarse) == expected).all()


def test_val6_an_agreed_start_is_a_maximum_and_nat_is_none() -> None:
    """VAL-6: due = the later of the rule's due and the agreed start; NaT agrees nothing."""
    times = np.array(["2026-03-06T14:10", "2026-03-06T14:10", "NaT"], dtype="datetime64[us]")
    agreed = np.array(["2026-03-16T08:00", "NaT", "2030-01-01"], dtype="datetime64[us]")
    due = execution_deadlines(times, agreed_starts=agreed).astype(str).tolist()
    assert due == ["2026-03-16T08:00:00.000000", "2026-03-10T06:00:00.000000", "NaT"]


def test_val6_the_last_days_of_the_calendar() -> None:
    """VAL-6: 2199-12-31 10:00 is due 2200-01-01 10:00; after 14:00 it has no next day."""
    early = [datetime(2199, 12, 31, 10, 0, tzinfo=SE)]
    assert execution_deadlines(early) == [datetime(2200, 1, 1, 10, 0, tzinfo=SE)]
    late = [datetime(2199, 12, 1, 10, tzinfo=SE), datetime(2199, 12, 30, 15, tzinfo=SE)]
    with pytest.raises(InvalidInput, match=r"^times\[1\] is after the cut-off.*2199-12-31"):
        execution_deadlines(late)
    no_eves = ExecutionDeadlinePolicy(calendar=WorkCalendar.swedish(include_eves=False))
    assert execution_deadlines(late, policy=no_eves)[1] == datetime(2200, 1, 1, 7, tzinfo=SE)


def test_val6_empty_input_gives_empty_output_of_its_kind() -> None:
    """VAL-6: nothing in, nothing out, of the same kind."""
    assert execution_deadlines([]) == []
    empty = execution_deadlines(np.array([], dtype="datetime64[ns]"))
    assert empty.dtype == np.dtype("datetime64[us]")
    assert empty.shape == (0,)
    series = execution_deadlines(as_series([], name="x"))
    assert len(series) == 0
    assert str(series.dtype) == "datetime64[us, Europe/Stockholm]"


def test_val6_input_is_left_as_it_was() -> None:
    """VAL-6: the input arrays are read, never written, and the answer is a new array."""
    times = as_numpy([LO, None, LO + DAY])
    before = times.copy()
    agreed = as_numpy([None, None, HI - DAY])
    due = execution_deadlines(times, agreed_starts=agreed)
    assert (times.view(np.int64) == before.view(np.int64)).all()
    assert not np.shares_memory(due, times)
    assert not np.shares_memory(due, agreed)
    series = as_series([LO, None], UTC)
    before_series = series.copy()
    result = execution_deadlines(series)
    assert series.equals(before_series)
    assert not np.shares_memory(pd.DatetimeIndex(result).asi8, pd.DatetimeIndex(series).asi8)


# --------------------------------------------------------------------------- VAL-6 property


@pytest.mark.parametrize("policy", POLICIES, ids=["routine", "15-08-local", "02:30"])
def test_val6_x3_every_offset_change_and_holiday_equals_the_per_call_rule(
    policy: ExecutionDeadlinePolicy,
) -> None:
    """VAL-6, X-3: ±2 h of every DST change 1975–2199 and every holiday and eve, as per call."""
    times: list[Micros] = [*around_changes(), *around_holidays(policy)]
    expected = per_call(times, None, policy)
    assert not isinstance(expected, int)
    want = [None if due is None else micros(due) for due in expected]
    assert numpy_micros(execution_deadlines(as_numpy(times), policy=policy)) == want
    assert pandas_micros(execution_deadlines(as_index(times), policy=policy)) == want
    sample = slice(None, None, 17)
    moments = execution_deadlines(
        as_datetimes(times[sample], [SE] * len(times[sample])), policy=policy
    )
    assert all(same_moment(*pair) for pair in zip(moments, expected[sample], strict=True))


clock_times = st.one_of(
    st.sampled_from(
        [time(14), time(15), time(7), time(0), time(2, 30), time(3), time(23, 59, 59, 999_999)]
    ),
    # fold=0: the per-call rule's memo is shared by equal policies, and two clock times
    # that differ only in fold compare equal (see the test of fold below).
    st.times().map(lambda clock: clock.replace(fold=0)),
)
windows = st.one_of(
    st.sampled_from([timedelta(hours=24), timedelta(hours=1), timedelta(days=31), ONE_US]),
    st.timedeltas(min_value=ONE_US, max_value=timedelta(days=31)),
)
policies = st.builds(
    ExecutionDeadlinePolicy,
    cutoff=clock_times,
    next_day_start=clock_times,
    window=windows,
    calendar=st.sampled_from(CALENDARS),
)
deltas = st.one_of(st.sampled_from([0, 1, -1, SECOND, -SECOND]), st.integers(-2 * HOUR, 2 * HOUR))


def instants(policy: ExecutionDeadlinePolicy, *, end: int) -> st.SearchStrategy[int]:
    """Instants before ``end``: uniform, near an offset change, near a holiday's clocks."""
    near_change = st.builds(
        int.__add__, st.sampled_from(transitions()), st.integers(-2 * HOUR, 2 * HOUR)
    )
    near_holiday = st.builds(
        local_instant,
        st.sampled_from(holidays_and_eves()),
        st.integers(-1, 1),
        st.sampled_from([policy.cutoff, policy.next_day_start, time(0)]),
        deltas,
        st.integers(0, 1),
    )
    edges = st.integers(LO, LO + 2 * DAY)
    anywhere = st.integers(LO, end - 1)
    return st.one_of(anywhere, near_change, near_holiday, edges).filter(
        lambda value: LO <= value < end
    )


@st.composite
def cases(
    draw: st.DrawFn, *, end: int = HI - 3 * DAY
) -> tuple[list[Micros], list[Micros] | None, ExecutionDeadlinePolicy | None, list[tzinfo]]:
    """A policy (or None), times with gaps, perhaps agreed starts, and a zone per time."""
    policy = draw(st.none() | policies)
    rule = policy or ExecutionDeadlinePolicy()
    size = draw(st.integers(0, 30))
    times = draw(st.lists(st.none() | instants(rule, end=end), min_size=size, max_size=size))
    zones = draw(st.lists(st.sampled_from(ZONES), min_size=size, max_size=size))
    if not draw(st.booleans()):
        return times, None, policy, zones
    agreed: list[Micros] = []
    for moment in times:
        near = st.integers(max(LO, (moment or LO) - 3 * DAY), min(HI - 1, (moment or LO) + 5 * DAY))
        agreed.append(draw(st.none() | near | st.integers(LO, HI - 1)))
    return times, agreed, policy, zones


@settings(max_examples=120)
@given(cases())
def test_val6_x3_property_batch_equals_per_call_for_every_kind(
    case: tuple[list[Micros], list[Micros] | None, ExecutionDeadlinePolicy | None, list[tzinfo]],
) -> None:
    """VAL-6, X-3: for random policies, times and agreed starts, every kind equals per call."""
    check_all_kinds(*case)


@settings(max_examples=40)
@given(cases(end=HI))
def test_val6_property_the_end_of_the_calendar_refuses_the_first_stranded_time(
    case: tuple[list[Micros], list[Micros] | None, ExecutionDeadlinePolicy | None, list[tzinfo]],
) -> None:
    """VAL-6: up to the calendar's last instant, equal per call or refusing the same index."""
    times, agreed, policy, zones = case
    tail = [HI - 1, HI - DAY - 3 * HOUR, HI - 2 * DAY]
    check_all_kinds(
        [*times, *tail],
        None if agreed is None else [*agreed, None, None, None],
        policy,
        [*zones, SE, UTC, SE],
    )


# --------------------------------------------------------------------------- VAL-6 errors


bad_instants = st.sampled_from(
    [LO - 1, LO - DAY, HI, HI + 400 * DAY, micros(datetime(1900, 1, 1, tzinfo=UTC))]
)


@settings(max_examples=60)
@given(
    st.lists(st.integers(LO, HI - 3 * DAY) | st.none(), min_size=1, max_size=20),
    st.data(),
)
def test_val6_property_an_instant_outside_the_years_is_named_by_its_first_index(
    good: list[Micros], data: st.DataObject
) -> None:
    """VAL-6, X-3: the first out-of-range time (or agreed start) is named, never its value."""
    times: list[Micros] = list(good)
    positions = data.draw(st.lists(st.integers(0, len(times)), min_size=1, max_size=3))
    for position in positions:
        times.insert(position, data.draw(bad_instants))
    first = next(i for i, value in enumerate(times) if value is not None and not LO <= value < HI)
    for given_times in (
        as_numpy(times),
        as_series(times),
        as_index(times),
        as_datetimes(times, [SE] * len(times)),
    ):
        with pytest.raises(InvalidInput, match=rf"^times\[{first}\] lies outside") as error:
            execution_deadlines(given_times)
        message = str(error.value)
        assert "1975–2199" in message
        for value in times:
            if value is not None:
                assert utc(value).isoformat()[:19] not in message
    # The same position in agreed_starts is named as agreed_starts, times first on a tie.
    plain: list[Micros] = [
        None if value is None or not LO <= value < HI else value for value in times
    ]
    with pytest.raises(InvalidInput, match=rf"^agreed_starts\[{first}\] lies outside"):
        execution_deadlines(as_numpy(plain), agreed_starts=as_numpy(times))
    with pytest.raises(InvalidInput, match=rf"^times\[{first}\] "):
        execution_deadlines(as_numpy(times), agreed_starts=as_numpy(times))


@settings(max_examples=60)
@given(
    st.lists(st.integers(LO, HI - 3 * DAY), min_size=0, max_size=10),
    st.sampled_from(
        [
            datetime(2026, 3, 4, 15, 0),  # naive
            date(2026, 3, 4),
            "19121212-1212",
            1_700_000_000,
            np.datetime64("2026-03-04T15:00"),
            datetime(2300, 1, 1, tzinfo=UTC),  # outside: the same first-index rule
        ]
    ),
    st.integers(0, 10),
)
def test_val6_property_a_sequence_names_its_first_bad_element(
    good: list[int], bad: object, position: int
) -> None:
    """VAL-6, X-3: naive, wrong-typed or outside: the first one is named, never repeated."""
    times: list[Any] = [utc(value) for value in good]
    position = min(position, len(times))
    times.insert(position, bad)
    times.append("also bad, but later")
    with pytest.raises(InvalidInput, match=rf"^times\[{position}\] ") as error:
        execution_deadlines(times)
    message = str(error.value)
    assert "1212" not in message
    assert "later" not in message
    assert "2026" not in message
    assert "[" + str(len(times) - 1) + "]" not in message


def test_val6_an_earlier_outside_time_comes_before_a_later_wrong_element() -> None:
    """VAL-6: the first offending position wins whatever the offence."""
    times: list[Any] = [utc(LO), utc(HI), "text", datetime(2026, 1, 1)]
    with pytest.raises(InvalidInput, match=r"^times\[1\] lies outside"):
        execution_deadlines(times)
    agreed: list[Any] = [None, None, None, utc(HI)]
    with pytest.raises(InvalidInput, match=r"^times\[1\] "):
        execution_deadlines([*times[:2], None, None], agreed_starts=agreed)
    with pytest.raises(InvalidInput, match=r"^agreed_starts\[3\] lies outside"):
        execution_deadlines([utc(LO)] * 4, agreed_starts=agreed)
    with pytest.raises(InvalidInput, match=r"^agreed_starts\[1\] is a naive datetime"):
        execution_deadlines([utc(LO)] * 2, agreed_starts=[None, datetime(2026, 1, 1)])


def test_val6_none_and_pandas_nat_are_missing_in_a_sequence() -> None:
    """VAL-6: None and pandas.NaT give None; as agreed starts they agree nothing."""
    moment = datetime(2026, 3, 4, 9, 0, tzinfo=SE)
    times: list[Any] = [None, pd.NaT, moment]
    agreed: list[Any] = [moment, moment, pd.NaT]
    assert execution_deadlines(times, agreed_starts=agreed) == [
        None,
        None,
        moment + timedelta(hours=24),
    ]


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (5, "not a value of type int"),
        ("2026-03-04T15:00", "not a value of type str"),
        (b"2026", "not a value of type bytes"),
        ({datetime(2026, 1, 1, tzinfo=UTC)}, "not a value of type set"),
        (np.array([1, 2]), "dtype int64"),
        (np.array(["2026-01-01"], dtype="datetime64[us]").reshape(1, 1), "one-dimensional"),
        (np.datetime64("2026-01-01", "us"), "not a value of type datetime64"),
        (pd.Series([1, 2]), "dtype int64"),
        (pd.Series([datetime(2026, 1, 1, tzinfo=UTC), "x"]), "dtype object"),
        (pd.Index([1, 2]), "dtype int64"),
        (pd.Series(as_numpy([None, LO])), r"^times\[1\] is a naive"),
        (pd.DatetimeIndex(["2026-03-04"]), r"^times\[0\] is a naive"),
    ],
)
def test_val6_x3_other_kinds_are_refused_saying_what_is_accepted(
    times: object, message: str
) -> None:
    """VAL-6, X-3: wrong kinds and naive pandas values are refused with what is accepted."""
    with pytest.raises(InvalidInput, match=message) as error:
        execution_deadlines(times)  # type: ignore[call-overload]
    if not message.startswith("^"):
        assert "timezone-aware" in str(error.value) or "dimension" in str(error.value)


def test_val6_a_generic_unit_array_of_nat_is_all_missing() -> None:
    """VAL-6: a datetime64 array without a unit may hold only NaT, and gives NaT."""
    due = execution_deadlines(np.array(["NaT", "NaT"], dtype="datetime64"))
    assert np.isnat(due).all()


def test_val6_a_coarse_unit_far_outside_is_refused_not_wrapped() -> None:
    """VAL-6: a year too far for microseconds is refused, not overflowed into range."""
    years = np.array([2026 - 1970, 290_000, 2027 - 1970], dtype="datetime64[Y]")
    with pytest.raises(InvalidInput, match=r"^times\[1\] lies outside"):
        execution_deadlines(years)


def test_val6_agreed_starts_must_match_times_in_kind_length_and_index() -> None:
    """VAL-6: agreed starts of another kind or length, or another index, are refused."""
    times = as_numpy([LO, LO + DAY])
    with pytest.raises(InvalidInput, match=r"same kind as times \(a numpy datetime64 array\)"):
        execution_deadlines(times, agreed_starts=[None, None])  # type: ignore[call-overload]
    with pytest.raises(InvalidInput, match=r"agreed_starts has 3 values and times 2.*position 2"):
        execution_deadlines(times, agreed_starts=as_numpy([LO, LO, LO]))
    with pytest.raises(InvalidInput, match="agreed_starts has 1 values and times 2"):
        execution_deadlines(as_datetimes([LO, LO], [UTC, UTC]), agreed_starts=[None])
    series = as_series([LO, LO + DAY], index=[1, 2])
    with pytest.raises(InvalidInput, match="same index as times"):
        execution_deadlines(series, agreed_starts=as_series([LO, LO], index=[2, 1]))
    # A DatetimeIndex of agreed starts goes by position.
    due = execution_deadlines(series, agreed_starts=as_index([HI - DAY, None]))
    assert pandas_micros(due)[0] == HI - DAY


def test_val6_x3_a_clock_time_with_fold_1_is_the_second_pass_of_the_repeated_hour() -> None:
    """VAL-6, X-3: cut-off 02:30 fold=1 is the later 02:30 of 25 October 2026, as combine reads it.

    The two policies compare unequal (their cut-offs differ by fold), and their tables
    are kept apart; 02:45 of the first pass lies between the two 02:30s.
    """
    first_pass = ExecutionDeadlinePolicy(cutoff=time(2, 30))
    second_pass = ExecutionDeadlinePolicy(cutoff=time(2, 30, fold=1))
    assert first_pass != second_pass
    moment = as_numpy([micros(datetime(2026, 10, 25, 0, 45, tzinfo=UTC))])
    late = execution_deadlines(moment, policy=first_pass)
    in_time = execution_deadlines(moment, policy=second_pass)
    assert str(late[0]) == "2026-10-27T06:00:00.000000"  # 07:00 on Monday + 24 hours
    assert str(in_time[0]) == "2026-10-26T00:45:00.000000"  # 24 hours later
    assert batch._rule(second_pass) is not batch._rule(first_pass)


def test_val6_x3_a_policy_of_another_type_is_refused() -> None:
    """VAL-6, X-3: the policy is an ExecutionDeadlinePolicy or None."""
    with pytest.raises(InvalidInput, match="ExecutionDeadlinePolicy or None, not SummonPolicy"):
        execution_deadlines([], policy=SummonPolicy())  # type: ignore[call-overload]


# --------------------------------------------------------------------------- tables


def test_x3_the_zone_table_matches_zoneinfo_on_every_day() -> None:
    """X-3: every Stockholm midnight 1975–2199 and the local day on either side of it."""
    zone = batch._zone()
    first = date(1975, 1, 1).toordinal() - date(1970, 1, 1).toordinal()
    days = range(first, first + (date(2200, 1, 1) - date(1975, 1, 1)).days + 1)
    expected = [
        micros(datetime.combine(date(1970, 1, 1) + timedelta(d), time(0), SE)) for d in days
    ]
    assert zone.midnight[first : days.stop].tolist() == expected
    rule = batch._rule(ExecutionDeadlinePolicy())
    edges = np.array([m + step for m in expected[1:-1] for step in (-1, 0)], dtype=np.int64)
    edges = np.concatenate([edges, np.array(around_changes(), dtype=np.int64)])
    found = batch._local_days(rule, edges, np.empty_like(edges), np.empty_like(edges))
    local = [utc(int(value)).astimezone(SE).date() for value in edges]
    assert (found == np.array([d.toordinal() - 719163 for d in local])).all()


def test_val6_x3_tables_are_built_once_per_policy_value_and_read_only() -> None:
    """VAL-6, X-3: equal policies share one memoised table, which cannot be written."""
    first = batch._rule(ExecutionDeadlinePolicy(cutoff=time(14, 30)))
    assert batch._rule(ExecutionDeadlinePolicy(cutoff=time(14, 30))) is first
    assert batch._rule(ExecutionDeadlinePolicy()) is not first
    assert batch._calendar_days(WorkCalendar.swedish()) is batch._calendar_days(WorkCalendar())
    with pytest.raises(ValueError, match="read-only"):
        first.cutoff[0] = 0


# --------------------------------------------------------------------------- X-3 working days

FIRST = date(1975, 1, 1)
LAST = date(2199, 12, 31)
every_day = np.arange(np.datetime64(FIRST), np.datetime64(LAST) + 1, dtype="datetime64[D]")


def test_x3_every_day_of_the_swedish_calendar_equals_the_per_call_methods() -> None:
    """X-3: is_workday, next_workday and roll_forward for every day 1975–2199."""
    calendar = WorkCalendar.swedish()
    days = [FIRST + timedelta(n) for n in range(len(every_day))]
    assert workdays(every_day).tolist() == [calendar.is_workday(day) for day in days]
    until = every_day < np.datetime64("2199-12-30")
    expected_next = [calendar.next_workday(day) for day in days[: int(until.sum())]]
    assert next_workdays(every_day[until]).tolist() == expected_next
    expected_rolled = [calendar.roll_forward(day) for day in days[: int(until.sum())]]
    assert roll_forward(every_day[until]).tolist() == expected_rolled


dates = st.dates(min_value=FIRST, max_value=LAST)


@settings(max_examples=60)
@given(st.sampled_from(CALENDARS), st.lists(dates | st.none(), max_size=30))
def test_x3_property_working_days_in_bulk_equal_the_per_call_methods(
    calendar: WorkCalendar, days: list[date | None]
) -> None:
    """X-3: for every calendar, the three functions equal the methods; None stays None."""
    array = np.array(
        [np.datetime64("NaT") if d is None else np.datetime64(d) for d in days],
        dtype="datetime64[D]",
    )
    expected_mask = [d is not None and calendar.is_workday(d) for d in days]
    assert workdays(array, calendar=calendar).tolist() == expected_mask
    assert workdays(days, calendar=calendar) == expected_mask
    for batch_function, method in (
        (next_workdays, calendar.next_workday),
        (roll_forward, calendar.roll_forward),
    ):
        expected: list[date | None] = []
        refused = None
        for index, day in enumerate(days):
            if day is None:
                expected.append(None)
                continue
            try:
                expected.append(method(day))
            except InvalidInput:
                refused = index
                break
        if refused is not None:
            with pytest.raises(InvalidInput, match=rf"^dates\[{refused}\]: the next working day"):
                batch_function(array, calendar=calendar)
            with pytest.raises(InvalidInput, match=rf"^dates\[{refused}\]: "):
                batch_function(days, calendar=calendar)
        else:
            assert batch_function(array, calendar=calendar).tolist() == expected
            assert batch_function(days, calendar=calendar) == expected


def test_x3_an_aware_datetime_counts_by_its_stockholm_date() -> None:
    """X-3: 23:30 UTC on Friday 6 March 2026 is Saturday in Stockholm."""
    friday_night = datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    assert workdays([friday_night, date(2026, 3, 6)]) == [False, True]
    assert roll_forward([friday_night]) == [date(2026, 3, 9)]
    assert next_workdays([date(2026, 12, 23)]) == [date(2026, 12, 28)]


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ([date(2026, 1, 1), date(1974, 12, 31)], r"^dates\[1\] is outside the years"),
        ([date(2200, 1, 1), "x"], r"^dates\[0\] is outside the years"),
        ([date(2026, 1, 1), datetime(2026, 1, 1)], r"^dates\[1\] is a naive datetime"),
        (
            [None, "19121212-1212"],
            r"^dates\[1\] must be a datetime.date or None, not a value of type str",
        ),
        (np.array(["2026-01-01"], dtype="datetime64[us]"), r"datetime64\[D\]"),
        (np.array(["2026-01-01"], dtype="datetime64[D]").reshape(1, 1), "one-dimensional"),
        (np.array(["1974-12-31", "2200-01-01"], dtype="datetime64[D]"), r"^dates\[0\] is outside"),
        (date(2026, 1, 1), "not a value of type date"),
        ("2026-01-01", "not a value of type str"),
    ],
)
def test_x3_bad_dates_are_refused_naming_the_first(dates: object, message: str) -> None:
    """X-3: days outside 1975–2199, naive datetimes and other kinds are refused."""
    for function in (workdays, next_workdays, roll_forward):
        with pytest.raises(InvalidInput, match=message) as error:
            function(dates)  # type: ignore[call-overload]
        assert "1212" not in str(error.value)


def test_x3_no_next_working_day_beyond_the_calendar() -> None:
    """X-3: the next working day after 2199-12-30 lies beyond the calendar, as per call."""
    with pytest.raises(InvalidInput):
        WorkCalendar.swedish().next_workday(date(2199, 12, 30))
    with pytest.raises(InvalidInput, match=r"^dates\[1\]: the next working day lies beyond"):
        next_workdays([date(2199, 12, 1), date(2199, 12, 30)])
    with pytest.raises(InvalidInput, match=r"^dates\[0\]: "):
        roll_forward(np.array(["2199-12-31"], dtype="datetime64[D]"))
    assert roll_forward([date(2199, 12, 30)]) == [date(2199, 12, 30)]
    no_eves = WorkCalendar.swedish(include_eves=False)
    assert next_workdays([date(2199, 12, 30)], calendar=no_eves) == [date(2199, 12, 31)]


def test_x3_a_calendar_of_another_type_is_refused() -> None:
    """X-3: the calendar is a WorkCalendar or None."""
    with pytest.raises(InvalidInput, match="WorkCalendar"):
        workdays([], calendar=ExecutionDeadlinePolicy())  # type: ignore[call-overload]


# --------------------------------------------------------------------------- laziness


def run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True)


def test_x3_importing_the_package_loads_neither_numpy_nor_pandas() -> None:
    """X-3: the core never imports numpy; only arendefordelning.batch needs it."""
    run(
        "import sys, datetime, arendefordelning as a; "
        "a.execution_deadline(datetime.datetime(2026, 3, 4, 15, tzinfo=datetime.UTC)); "
        "assert 'numpy' not in sys.modules, 'numpy imported'; "
        "assert 'pandas' not in sys.modules, 'pandas imported'"
    )


def test_val6_batch_imports_pandas_only_for_pandas_input() -> None:
    """VAL-6: numpy and sequence input never import pandas."""
    run(
        "import sys, datetime, numpy as np; "
        "from arendefordelning.batch import execution_deadlines, workdays; "
        "execution_deadlines(np.array(['2026-03-04T15:00'], dtype='datetime64[us]')); "
        "execution_deadlines([datetime.datetime(2026, 3, 4, 15, tzinfo=datetime.UTC)]); "
        "workdays([datetime.date(2026, 3, 4)]); "
        "assert 'pandas' not in sys.modules, 'pandas imported'"
    )


def test_val6_without_numpy_the_import_error_says_what_to_install() -> None:
    """VAL-6: importing the batch module without numpy names the extra to install."""
    run(
        "import sys; sys.modules['numpy'] = None\n"
        "try:\n"
        "    import arendefordelning.batch\n"
        "except ImportError as error:\n"
        "    assert \"pip install 'arendefordelning[numpy]'\" in str(error), error\n"
        "else:\n"
        "    raise AssertionError('no ImportError')\n"
    )


# ------------------------------------------------------------------------ pandas for the calendar

_DATES = st.lists(
    st.none() | st.dates(date(1975, 1, 1), date(2199, 12, 20)), min_size=0, max_size=12
)
_DATE_FUNCTIONS: dict[str, Any] = {
    "workdays": (workdays, WorkCalendar.swedish().is_workday),
    "next_workdays": (next_workdays, WorkCalendar.swedish().next_workday),
    "roll_forward": (roll_forward, WorkCalendar.swedish().roll_forward),
}


def _expected(name: str, days: Sequence[date | None]) -> list[object]:
    function = _DATE_FUNCTIONS[name][1]
    missing: object = False if name == "workdays" else None
    return [missing if day is None else function(day) for day in days]


def _as_dates(values: object) -> list[object]:
    """A pandas answer as plain values: dates, bools, None for NaT."""
    out: list[object] = []
    for value in list(values):  # type: ignore[call-overload]
        if value is None or value is pd.NaT:
            out.append(None)
        elif isinstance(value, pd.Timestamp):
            assert value.tzinfo is None
            assert value == value.normalize()
            out.append(value.date())
        elif isinstance(value, np.bool_):
            out.append(bool(value))
        else:
            out.append(value)
    return out


@settings(max_examples=40)
@given(
    _DATES,
    st.sampled_from(sorted(_DATE_FUNCTIONS)),
    st.sampled_from(["series", "index", "aware series", "object series", "numpy", "list"]),
    st.sampled_from(["s", "ms", "us", "ns"]),
)
def test_x3_every_calendar_function_takes_every_kind_and_gives_back_the_same(
    days: list[date | None], name: str, kind: str, unit: str
) -> None:
    """X-3: numpy, a Series, a DatetimeIndex or a list; the same kind back, index and name kept."""
    function = _DATE_FUNCTIONS[name][0]
    want = _expected(name, days)
    dtype: Any = f"datetime64[{unit}]"
    stamps = pd.to_datetime(pd.Series(days, dtype=object)).astype(dtype)
    index = pd.Index([f"K-{n}" for n in range(len(days))], name="case")
    given: object
    if kind == "series":
        given = pd.Series(stamps.to_numpy(), index=index, name="received")
    elif kind == "aware series":
        # Midnight Stockholm time is 23:00 or 22:00 UTC the day before: the Stockholm date counts.
        aware = stamps.dt.tz_localize(SE).dt.tz_convert("UTC")
        given = pd.Series(aware.array, index=index, name="received")
    elif kind == "object series":
        given = pd.Series(days, index=index, name="received", dtype=object)
    elif kind == "index":
        given = pd.DatetimeIndex(stamps, name="received")
    elif kind == "numpy":
        given = np.array(days, dtype="datetime64[D]")
    else:
        given = list(days)
    result = function(given)
    if kind in {"series", "aware series", "object series"}:
        assert isinstance(result, pd.Series)
        assert result.index.equals(index)
        assert result.name == "received"
        assert _as_dates(result) == want
        if name != "workdays" and kind == "series":
            assert result.dtype == np.dtype(f"datetime64[{unit}]")
    elif kind == "index":
        assert isinstance(result, pd.Index)
        assert result.name == "received"
        if name != "workdays":
            assert isinstance(result, pd.DatetimeIndex)
        assert _as_dates(result) == want
    elif kind == "numpy":
        assert isinstance(result, np.ndarray)
        plain = [None if value is None else value for value in result.tolist()]
        assert plain == want
    else:
        assert result == want


def test_x3_a_naive_time_of_day_in_pandas_is_refused_by_position() -> None:
    """X-3: naive pandas values must be dates; the message names the position, not the value."""
    given = pd.Series(pd.to_datetime(["2026-12-23T00:00", "2026-12-24T10:17"]))
    for function in (workdays, next_workdays, roll_forward):
        with pytest.raises(InvalidInput, match=r"^dates\[1\] is a naive time of day") as caught:
            function(given)
        assert "10:17" not in str(caught.value)
    with pytest.raises(InvalidInput, match="dtype int64"):
        workdays(pd.Series([1, 2]))
    with pytest.raises(InvalidInput, match=r"dates\[0\] is outside the years"):
        roll_forward(pd.DatetimeIndex(["2200-01-01"]))
