"""Deadline rules: VAL-6, HC-5, VAL-18, OV-8, OV-9 and UP-3, with their policies (X-3, X-4)."""

from __future__ import annotations

import itertools
import pickle
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from arendefordelning import (
    QUARTER_HOUR,
    Deadline,
    ExecutionDeadlinePolicy,
    FollowUpPolicy,
    ImplementationPlanPolicy,
    InvalidInput,
    ProviderKind,
    SummonPolicy,
    SwitchWindowPolicy,
    WorkCalendar,
    execution_deadline,
    implementation_plan_due,
    next_follow_up_due,
    round_up_to_quarter,
    summon_deadline,
    switch_window,
)

SE = ZoneInfo("Europe/Stockholm")
CAL = WorkCalendar.swedish()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Stockholm wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=SE)


def due_of(moment: datetime, **kwargs: object) -> datetime:
    return execution_deadline(moment, **kwargs).due  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- VAL-6


def test_val6_at_the_cutoff_counts_from_the_given_time() -> None:
    """VAL-6: 14:00:00 is not after 14:00, so the 24 hours run from it."""
    deadline = execution_deadline(at(2026, 3, 4, 14, 0))
    assert deadline.counted_from == at(2026, 3, 4, 14, 0)
    assert deadline.due == at(2026, 3, 5, 14, 0)
    assert not deadline.after_cutoff


@pytest.mark.parametrize("after", [timedelta(seconds=1), timedelta(microseconds=1)])
def test_val6_strictly_after_the_cutoff_counts_from_seven_next_working_day(
    after: timedelta,
) -> None:
    """VAL-6: 14:00:01 (even 14:00:00.000001) counts as 07:00 on the next working day."""
    deadline = execution_deadline(at(2026, 3, 4, 14, 0) + after)
    assert deadline.counted_from == at(2026, 3, 5, 7, 0)
    assert deadline.due == at(2026, 3, 6, 7, 0)
    assert deadline.after_cutoff


def test_val6_before_seven_in_the_morning_counts_from_the_given_time() -> None:
    """VAL-6: only 'after 14:00' moves the start; 05:30 runs from 05:30."""
    deadline = execution_deadline(at(2026, 3, 4, 5, 30))
    assert deadline.counted_from == at(2026, 3, 4, 5, 30)
    assert deadline.due == at(2026, 3, 5, 5, 30)


def test_val6_friday_afternoon_counts_from_monday_seven() -> None:
    """VAL-6: a Friday 15:10 distribution is due Tuesday 07:00."""
    deadline = execution_deadline(at(2026, 3, 6, 15, 10))
    assert deadline.counted_from == at(2026, 3, 9, 7, 0)
    assert deadline.due == at(2026, 3, 10, 7, 0)


def test_val6_every_day_of_the_week_is_alike() -> None:
    """VAL-6: a Saturday 10:00 distribution is due Sunday 10:00."""
    assert due_of(at(2026, 3, 7, 10, 0)) == at(2026, 3, 8, 10, 0)
    # Late on a Saturday or Sunday counts from Monday 07:00.
    assert due_of(at(2026, 3, 7, 18, 0)) == at(2026, 3, 10, 7, 0)
    assert due_of(at(2026, 3, 8, 14, 30)) == at(2026, 3, 10, 7, 0)


@pytest.mark.parametrize(
    ("late", "next_working_day", "what"),
    [
        (at(2025, 12, 31, 15, 0), date(2026, 1, 2), "nyårsafton, nyårsdagen"),
        (at(2026, 1, 5, 15, 0), date(2026, 1, 7), "trettondedag jul"),
        (at(2026, 4, 2, 15, 0), date(2026, 4, 7), "långfredagen, påsk, annandag påsk"),
        (at(2026, 4, 30, 15, 0), date(2026, 5, 4), "första maj"),
        (at(2026, 5, 13, 15, 0), date(2026, 5, 15), "Kristi himmelsfärdsdag"),
        (at(2027, 6, 4, 15, 0), date(2027, 6, 7), "nationaldagen on a Sunday"),
        (at(2028, 6, 5, 15, 0), date(2028, 6, 7), "nationaldagen on a Tuesday"),
        (at(2026, 6, 18, 15, 0), date(2026, 6, 22), "midsommarafton, midsommardagen"),
        (at(2026, 10, 30, 15, 0), date(2026, 11, 2), "alla helgons dag on Saturday"),
        (at(2026, 12, 23, 15, 0), date(2026, 12, 28), "julafton, juldagen, annandag jul"),
        (at(2026, 12, 30, 15, 0), date(2027, 1, 4), "nyårsafton, nyårsdagen, weekend"),
        (at(2004, 5, 28, 15, 0), date(2004, 6, 1), "annandag pingst, a holiday until 2004"),
        (at(2009, 5, 29, 15, 0), date(2009, 6, 1), "annandag pingst, a working day since 2005"),
    ],
)
def test_val6_late_distribution_skips_every_kind_of_holiday_and_eve(
    late: datetime, next_working_day: date, what: str
) -> None:
    """VAL-6: the next working day skips public holidays and the three eves."""
    deadline = execution_deadline(late)
    assert deadline.counted_from.date() == next_working_day, what
    assert deadline.counted_from.time() == time(7, 0)
    assert deadline.due == deadline.counted_from + timedelta(hours=24)


def test_val6_the_24_hours_are_elapsed_when_summer_time_starts() -> None:
    """VAL-6: 29 March 2026 has 23 hours, so Saturday 10:00 is due Sunday 11:00."""
    deadline = execution_deadline(at(2026, 3, 28, 10, 0))
    assert deadline.due == at(2026, 3, 29, 11, 0)
    # Same-zone subtraction in Python is wall-clock time: 25 hours on the clock.
    assert deadline.due - deadline.counted_from == timedelta(hours=25)
    assert deadline.due.astimezone(UTC) - deadline.counted_from.astimezone(UTC) == timedelta(
        hours=24
    )
    assert "ställs fram" in deadline.explain()
    assert "clocks go forward" in deadline.explain("en")


def test_val6_the_24_hours_are_elapsed_when_summer_time_ends() -> None:
    """VAL-6: 25 October 2026 has 25 hours, so Saturday 12:00 is due Sunday 11:00."""
    deadline = execution_deadline(at(2026, 10, 24, 12, 0))
    assert deadline.due == at(2026, 10, 25, 11, 0)
    assert deadline.due.utcoffset() == timedelta(hours=1)
    assert "ställs tillbaka" in deadline.explain()


def test_val6_late_start_before_a_dst_change() -> None:
    """VAL-6: Friday 27 March 2026 15:00 counts from Monday 07:00; no change in between."""
    deadline = execution_deadline(at(2026, 3, 27, 15, 0))
    assert deadline.due == at(2026, 3, 31, 7, 0)
    assert deadline.due.utcoffset() == timedelta(hours=2)


def test_val6_a_skipped_local_time_is_normalised() -> None:
    """VAL-6, X-3: 02:30 does not exist on 29 March 2026; it is 03:30 summer time."""
    deadline = execution_deadline(at(2026, 3, 29, 2, 30))
    assert deadline.counted_from.utcoffset() == timedelta(hours=2)
    assert deadline.counted_from.replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
    assert deadline.due == at(2026, 3, 30, 3, 30)


def test_val6_the_repeated_hour_uses_the_instant_given() -> None:
    """VAL-6, X-3: 02:30 occurs twice on 25 October 2026; each is 24 elapsed hours."""
    first = execution_deadline(datetime(2026, 10, 25, 2, 30, tzinfo=SE, fold=0))
    second = execution_deadline(datetime(2026, 10, 25, 2, 30, tzinfo=SE, fold=1))
    assert first.due.astimezone(UTC) == datetime(2026, 10, 26, 0, 30, tzinfo=UTC)
    assert second.due.astimezone(UTC) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)
    assert (first.due.hour, second.due.hour) == (1, 2)
    assert first.counted_from.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given_time", "expected_due"),
    [
        # 13:10 UTC is 14:10 in Stockholm in winter: after the cut-off.
        (datetime(2026, 3, 4, 13, 10, tzinfo=UTC), at(2026, 3, 6, 7, 0)),
        # 12:59 UTC is 13:59 in Stockholm: before it.
        (datetime(2026, 3, 4, 12, 59, tzinfo=UTC), at(2026, 3, 5, 13, 59)),
        # 12:10 UTC is 14:10 in Stockholm in summer.
        (datetime(2026, 6, 3, 12, 10, tzinfo=UTC), at(2026, 6, 5, 7, 0)),
        # 09:00 in New York is 15:00 in Stockholm.
        (datetime(2026, 3, 4, 9, 0, tzinfo=ZoneInfo("America/New_York")), at(2026, 3, 6, 7, 0)),
        # 23:30 UTC on 23 December is 00:30 on julafton in Stockholm.
        (datetime(2026, 12, 23, 23, 30, tzinfo=UTC), at(2026, 12, 25, 0, 30)),
        (datetime(2026, 3, 4, 15, 0, tzinfo=timezone(timedelta(hours=3))), at(2026, 3, 5, 13, 0)),
    ],
)
def test_val6_input_in_other_time_zones_is_converted(
    given_time: datetime, expected_due: datetime
) -> None:
    """VAL-6, X-3: any aware datetime is read as the Stockholm time it is."""
    deadline = execution_deadline(given_time)
    assert deadline.due == expected_due
    assert deadline.due.tzinfo is SE
    assert deadline.counted_from.tzinfo is SE
    assert deadline.occurred_at == given_time


def test_val6_a_naive_datetime_is_refused() -> None:
    """VAL-6, X-3: a naive datetime has no meaning as a distribution time."""
    with pytest.raises(InvalidInput, match="naive datetime"):
        execution_deadline(datetime(2026, 3, 4, 15, 0))


@pytest.mark.parametrize("bad", [date(2026, 3, 4), "2026-03-04T15:00", None, 1_700_000_000])
def test_val6_a_non_datetime_is_refused_without_repeating_it(bad: object) -> None:
    """VAL-6, X-7: the message names the type and what is accepted, never the value."""
    with pytest.raises(InvalidInput, match="timezone-aware datetime") as error:
        execution_deadline(bad)  # type: ignore[arg-type]
    assert str(bad) not in str(error.value) or bad is None


def test_val6_an_identity_number_passed_by_mistake_is_not_repeated() -> None:
    """VAL-6, X-7: a personnummer given as the time never reaches the message."""
    with pytest.raises(InvalidInput) as error:
        execution_deadline("19121212-1212")  # type: ignore[arg-type]
    assert "1212" not in str(error.value)


def test_val6_an_agreed_later_start_moves_the_deadline() -> None:
    """VAL-6: with an agreed later start, due = max(computed due, agreed start)."""
    agreed = at(2026, 3, 16, 9, 0)
    deadline = execution_deadline(at(2026, 3, 6, 15, 10), agreed_start=agreed)
    assert deadline.due == agreed
    assert deadline.computed_due == at(2026, 3, 10, 7, 0)
    assert deadline.agreed_start_applies
    assert "överenskomna senare starten" in deadline.explain()
    assert "2026-03-10 07:00" in deadline.explain()


def test_val6_an_agreed_earlier_start_does_not_shorten_the_deadline() -> None:
    """VAL-6: an agreed start before the computed due leaves the due as computed."""
    deadline = execution_deadline(
        at(2026, 3, 6, 15, 10), agreed_start=datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    )
    assert deadline.due == at(2026, 3, 10, 7, 0)
    assert deadline.agreed_start == at(2026, 3, 9, 9, 0)
    assert not deadline.agreed_start_applies


def test_val6_a_naive_agreed_start_is_refused() -> None:
    with pytest.raises(InvalidInput, match="agreed_start"):
        execution_deadline(at(2026, 3, 6, 12, 0), agreed_start=datetime(2026, 3, 9))


def test_val6_deadline_fields_and_requirement() -> None:
    """VAL-6: a Deadline is frozen and says which requirement it implements."""
    deadline = execution_deadline(at(2026, 3, 4, 9, 0))
    assert deadline.requirement == "VAL-6"
    assert isinstance(deadline, Deadline)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        deadline.due = at(2030, 1, 1)  # type: ignore[misc]
    assert deadline == execution_deadline(at(2026, 3, 4, 9, 0))
    assert pickle.loads(pickle.dumps(deadline)) == deadline
    assert deadline.provider is ProviderKind.MUNICIPAL


def test_val6_explain_in_swedish_and_english() -> None:
    """VAL-6: one sentence with the due time as YYYY-MM-DD HH:MM and why."""
    deadline = execution_deadline(at(2026, 3, 6, 15, 10))
    assert deadline.explain() == (
        "Uppdraget ska vara verkställt senast 2026-03-10 07:00, 24 timmar från kl. 07:00 "
        "nästa vardag (2026-03-09 07:00), eftersom fördelningen 2026-03-06 15:10 skedde "
        "efter kl. 14:00 (VAL-6)."
    )
    assert deadline.explain("en") == (
        "The assignment must be executed by 2026-03-10 07:00, 24 hours from 07:00 on the "
        "next working day (2026-03-09 07:00), because the distribution at 2026-03-06 15:10 "
        "came after 14:00 (VAL-6)."
    )
    early = execution_deadline(at(2026, 3, 6, 9, 5), provider=ProviderKind.PRIVATE)
    assert early.explain() == (
        "Uppdraget ska vara verkställt senast 2026-03-07 09:05, 24 timmar efter kontakten "
        "med utföraren 2026-03-06 09:05 (VAL-6)."
    )
    assert "contact with the provider" in early.explain("en")
    # The due time is always HH:MM; seconds are dropped, which errs on the safe side.
    seconds = execution_deadline(datetime(2026, 3, 6, 9, 5, 30, tzinfo=SE))
    assert seconds.explain().startswith("Uppdraget ska vara verkställt senast 2026-03-07 09:05,")
    assert "fördelningen 2026-03-06 09:05:30" in seconds.explain()
    with pytest.raises(InvalidInput, match="'sv' or 'en'"):
        deadline.explain("de")  # type: ignore[arg-type]


def test_val6_x4_a_policy_with_other_numbers() -> None:
    """VAL-6, X-4: a municipality with a 15:00 cut-off passes another policy."""
    policy = ExecutionDeadlinePolicy(cutoff=time(15, 0), next_day_start=time(8, 0))
    assert due_of(at(2026, 3, 4, 14, 30), policy=policy) == at(2026, 3, 5, 14, 30)
    assert due_of(at(2026, 3, 4, 15, 30), policy=policy) == at(2026, 3, 6, 8, 0)
    short = ExecutionDeadlinePolicy(window=timedelta(hours=4))
    deadline = execution_deadline(at(2026, 3, 4, 9, 0), policy=short)
    assert deadline.due == at(2026, 3, 4, 13, 0)
    assert "4 timmar" in deadline.explain()


def test_val6_x3_a_local_holiday_moves_the_next_working_day() -> None:
    """VAL-6, X-3: a calendar with a local non-working day skips it."""
    local = WorkCalendar.swedish(extra_non_working_days={date(2026, 3, 5)})
    policy = ExecutionDeadlinePolicy(calendar=local)
    assert due_of(at(2026, 3, 4, 15, 0), policy=policy) == at(2026, 3, 7, 7, 0)
    no_eves = ExecutionDeadlinePolicy(calendar=WorkCalendar.swedish(include_eves=False))
    assert due_of(at(2026, 12, 23, 15, 0), policy=no_eves) == at(2026, 12, 25, 7, 0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cutoff", "14:00", "datetime.time"),
        ("cutoff", time(14, 0, tzinfo=UTC), "without tzinfo"),
        ("window", timedelta(0), "longer than zero"),
        ("window", 24, "timedelta"),
        ("calendar", None, "WorkCalendar"),
    ],
)
def test_x4_execution_policy_refuses_bad_numbers(field: str, value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ExecutionDeadlinePolicy(**{field: value})  # type: ignore[arg-type]


def test_x4_a_policy_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(InvalidInput, match="ExecutionDeadlinePolicy"):
        execution_deadline(at(2026, 3, 4, 9, 0), policy=SummonPolicy())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="SummonPolicy"):
        summon_deadline(date(2026, 3, 4), policy=FollowUpPolicy())  # type: ignore[arg-type]


def test_x4_policies_are_frozen_values() -> None:
    """X-4: policies compare by their numbers and cannot be changed."""
    assert ExecutionDeadlinePolicy() == ExecutionDeadlinePolicy()
    assert hash(ExecutionDeadlinePolicy()) == hash(ExecutionDeadlinePolicy())
    assert ExecutionDeadlinePolicy() != ExecutionDeadlinePolicy(cutoff=time(15, 0))
    policy = FollowUpPolicy()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.months = 6  # type: ignore[misc]


stockholm_times = st.datetimes(
    min_value=datetime(1975, 1, 2), max_value=datetime(2199, 12, 20), timezones=st.just(SE)
)


@given(stockholm_times)
def test_val6_property_due_after_counted_from_after_input(moment: datetime) -> None:
    """VAL-6: due ≥ counted_from ≥ the given time; counted_from is it or 07:00 on a workday.

    Compared as instants: hypothesis also generates wall-clock times that do not exist
    or occur twice in Stockholm, which the rule reads as the instant they denote.
    """
    deadline = execution_deadline(moment)
    due, start, given_at = (
        t.astimezone(UTC) for t in (deadline.due, deadline.counted_from, moment)
    )
    assert due >= start >= given_at
    assert due - start == timedelta(hours=24)
    if moment.timetz().replace(tzinfo=None) > time(14, 0):
        assert deadline.counted_from.time() == time(7, 0)
        assert CAL.is_workday(deadline.counted_from.date())
        assert deadline.counted_from.date() == CAL.next_workday(moment.date())
    else:
        assert start == given_at


@given(stockholm_times, st.sampled_from(["UTC", "America/New_York", "Asia/Tokyo"]))
def test_val6_property_the_zone_of_the_input_does_not_matter(moment: datetime, zone: str) -> None:
    """VAL-6, X-3: the same instant in another zone gives the same deadline."""
    assert due_of(moment.astimezone(ZoneInfo(zone))) == due_of(moment)


@given(stockholm_times, stockholm_times)
def test_val6_property_agreed_start_is_a_maximum(moment: datetime, agreed: datetime) -> None:
    """VAL-6: due with an agreed start is the later of the computed due and the start.

    Compared as instants: an agreed start in the hour skipped in March is kept as the
    canonical time of its instant (02:30 becomes 03:30+02:00), and two Stockholm times
    compare by wall clock, which is wrong across the hour repeated in October.
    """
    computed = due_of(moment).astimezone(UTC)
    deadline = execution_deadline(moment, agreed_start=agreed)
    assert deadline.due.astimezone(UTC) == max(computed, agreed.astimezone(UTC))
    assert deadline.due.tzinfo is SE
    canonical = deadline.due.astimezone(UTC).astimezone(SE)
    assert deadline.due.isoformat() == canonical.isoformat()


# ----------------------------------------------------------------------------- HC-5


def test_hc5_three_weeks_after_allocation() -> None:
    """HC-5: allocation date + 21 days when that is a working day."""
    assert summon_deadline(date(2026, 3, 4)) == date(2026, 3, 25)


def test_hc5_rolled_forward_over_holidays() -> None:
    """HC-5: 10 December + 21 days is nyårsafton; rolled to Monday 4 January."""
    assert summon_deadline(date(2026, 12, 10)) == date(2027, 1, 4)
    assert summon_deadline(date(2026, 3, 7)) == date(2026, 3, 30)  # Saturday → Monday


def test_hc5_an_aware_datetime_counts_by_its_stockholm_date() -> None:
    """HC-5, X-3: 23:30 UTC on 3 March is 4 March in Stockholm."""
    assert summon_deadline(datetime(2026, 3, 3, 23, 30, tzinfo=UTC)) == date(2026, 3, 25)


def test_hc5_the_team_leaders_override_replaces_the_date() -> None:
    """HC-5: an explicit override from the team leader replaces the computed date."""
    assert summon_deadline(date(2026, 3, 4), override=date(2026, 5, 2)) == date(2026, 5, 2)
    with pytest.raises(InvalidInput, match="before the allocation"):
        summon_deadline(date(2026, 3, 4), override=date(2026, 3, 3))


def test_hc5_x4_policy() -> None:
    """HC-5, X-4: the three weeks and the rolling are policy values."""
    assert summon_deadline(date(2026, 3, 4), policy=SummonPolicy(period=timedelta(days=14))) == (
        date(2026, 3, 18)
    )
    unrolled = SummonPolicy(roll_forward=False)
    assert summon_deadline(date(2026, 12, 10), policy=unrolled) == date(2026, 12, 31)
    with pytest.raises(InvalidInput, match="whole number of days"):
        SummonPolicy(period=timedelta(hours=36))
    with pytest.raises(InvalidInput, match="True or False"):
        SummonPolicy(roll_forward=1)  # type: ignore[arg-type]


@given(st.dates(min_value=date(1975, 1, 1), max_value=date(2199, 11, 1)))
def test_hc5_property_due_is_a_working_day_at_least_three_weeks_later(day: date) -> None:
    """HC-5: the due date is a working day, 21 days after or the first working day after."""
    due = summon_deadline(day)
    assert CAL.is_workday(due)
    assert due == CAL.roll_forward(day + timedelta(days=21))
    assert due >= day + timedelta(days=21)


# ----------------------------------------------------------------------------- VAL-18


def test_val18_window_counts_from_the_later_notification() -> None:
    """VAL-18: both providers notified; the switch lies 7–14 days after the later one."""
    assert switch_window(date(2026, 3, 1), date(2026, 3, 3)) == (
        date(2026, 3, 10),
        date(2026, 3, 17),
    )
    assert switch_window(date(2026, 3, 3), date(2026, 3, 1)) == (
        date(2026, 3, 10),
        date(2026, 3, 17),
    )


def test_val18_calendar_days_by_default_and_rolled_on_request() -> None:
    """VAL-18: home care runs every day, so a window ending on a Sunday stays there."""
    first, last = switch_window(date(2026, 12, 17), date(2026, 12, 17))
    assert (first, last) == (date(2026, 12, 24), date(2026, 12, 31))
    rolled = switch_window(
        date(2026, 12, 17), date(2026, 12, 17), policy=SwitchWindowPolicy(roll_forward=True)
    )
    assert rolled == (date(2026, 12, 24), date(2027, 1, 4))


def test_val18_x4_policy_checks_its_numbers() -> None:
    """VAL-18, X-4: the 7 and 14 days are policy values; latest may not precede earliest."""
    policy = SwitchWindowPolicy(earliest=timedelta(days=5), latest=timedelta(days=10))
    assert switch_window(date(2026, 3, 1), date(2026, 3, 1), policy=policy) == (
        date(2026, 3, 6),
        date(2026, 3, 11),
    )
    with pytest.raises(InvalidInput, match="must not be before earliest"):
        SwitchWindowPolicy(earliest=timedelta(days=14), latest=timedelta(days=7))


@given(
    st.dates(min_value=date(1975, 1, 1), max_value=date(2199, 11, 1)),
    st.dates(min_value=date(1975, 1, 1), max_value=date(2199, 11, 1)),
)
def test_val18_property_window_is_seven_days_wide(a: date, b: date) -> None:
    """VAL-18: [later + 7, later + 14], symmetric in the two notifications."""
    first, last = switch_window(a, b)
    assert (first, last) == switch_window(b, a)
    assert first - max(a, b) == timedelta(days=7)
    assert last - first == timedelta(days=7)


# ----------------------------------------------------------------------------- OV-8


def test_ov8_three_weeks_after_the_first_meeting() -> None:
    """OV-8: first meeting + 21 days, same weekday, rolled forward to a working day."""
    assert implementation_plan_due(date(2026, 3, 4)) == date(2026, 3, 25)
    assert implementation_plan_due(date(2026, 5, 31)) == date(2026, 6, 22)  # Sunday 21 June
    assert implementation_plan_due(date(2026, 5, 29)) == date(2026, 6, 22)  # midsommarafton
    unrolled = ImplementationPlanPolicy(roll_forward=False)
    assert implementation_plan_due(date(2026, 5, 29), policy=unrolled) == date(2026, 6, 19)


# ----------------------------------------------------------------------------- OV-9


@pytest.mark.parametrize(
    ("previous", "due"),
    [
        (date(2026, 3, 4), date(2026, 6, 4)),
        (date(2026, 11, 30), date(2027, 3, 1)),  # 28 Feb 2027 is a Sunday → Monday
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year: clamps to 29 February
        (date(2026, 5, 31), date(2026, 8, 31)),
        (date(2026, 3, 31), date(2026, 6, 30)),  # June has 30 days
        (date(2026, 9, 24), date(2026, 12, 28)),  # julafton → juldagar → weekend → Monday
    ],
)
def test_ov9_three_calendar_months_with_month_end_clamping(previous: date, due: date) -> None:
    """OV-9: three calendar months, a month-end clamps, rolled forward to a working day."""
    assert next_follow_up_due(previous) == due


def test_ov9_x4_policy() -> None:
    """OV-9, X-4: the three months are a policy value."""
    assert next_follow_up_due(date(2026, 1, 31), policy=FollowUpPolicy(months=1)) == date(
        2026, 3, 2
    )  # 28 February 2026 is a Saturday
    assert next_follow_up_due(
        date(2026, 1, 31), policy=FollowUpPolicy(months=1, roll_forward=False)
    ) == date(2026, 2, 28)
    with pytest.raises(InvalidInput, match="from 1 to 24 months"):
        FollowUpPolicy(months=0)
    with pytest.raises(InvalidInput, match="from 1 to 24 months"):
        FollowUpPolicy(months=25)
    with pytest.raises(InvalidInput, match="an int"):
        FollowUpPolicy(months=3.0)  # type: ignore[arg-type]


@given(st.dates(min_value=date(1975, 1, 1), max_value=date(2199, 9, 1)))
def test_ov9_property_never_more_than_three_months_before_rolling(day: date) -> None:
    """OV-9: the due date is a working day and the first on or after the clamped date."""
    due = next_follow_up_due(day)
    assert CAL.is_workday(due)
    months = (due.year - day.year) * 12 + due.month - day.month
    assert months in {3, 4}
    unrolled = next_follow_up_due(day, policy=FollowUpPolicy(roll_forward=False))
    assert unrolled.day == day.day or unrolled.day < day.day
    assert due == CAL.roll_forward(unrolled)


def test_date_functions_refuse_bad_input() -> None:
    """X-3: a naive datetime or a string is refused with what is accepted."""
    with pytest.raises(InvalidInput, match="naive"):
        implementation_plan_due(datetime(2026, 3, 4))
    with pytest.raises(InvalidInput, match="date or a timezone-aware datetime"):
        next_follow_up_due("2026-03-04")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="outside the years"):
        next_follow_up_due(date(2199, 11, 1))
    with pytest.raises(InvalidInput, match="past the last date"):
        next_follow_up_due(date(9999, 11, 1), policy=FollowUpPolicy(roll_forward=False))


# ----------------------------------------------------------------------------- UP-3


@pytest.mark.parametrize(
    ("minutes", "rounded"), [(0, 0), (1, 15), (14, 15), (15, 15), (16, 30), (61, 75), (90, 90)]
)
def test_up3_granted_minutes_round_up_to_a_quarter(minutes: int, rounded: int) -> None:
    """UP-3: granted time is rounded up to the nearest quarter hour."""
    assert round_up_to_quarter(minutes) == rounded
    assert type(round_up_to_quarter(minutes)) is int


def test_up3_a_timedelta_stays_a_timedelta() -> None:
    """UP-3: seconds count; 1 h 0 min 1 s rounds to 1 h 15 min."""
    assert round_up_to_quarter(timedelta(hours=1, seconds=1)) == timedelta(hours=1, minutes=15)
    assert round_up_to_quarter(timedelta(minutes=45)) == timedelta(minutes=45)
    assert QUARTER_HOUR == 15


@pytest.mark.parametrize("bad", [-1, timedelta(minutes=-5)])
def test_up3_negative_time_is_refused(bad: int | timedelta) -> None:
    with pytest.raises(InvalidInput, match=r"0 .*or more"):
        round_up_to_quarter(bad)


@pytest.mark.parametrize("bad", [1.5, True, "30", None])
def test_up3_other_types_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInput, match=r"int or a datetime\.timedelta"):
        round_up_to_quarter(bad)  # type: ignore[call-overload]


@given(st.integers(min_value=0, max_value=10**9))
def test_up3_property_rounding_minutes(minutes: int) -> None:
    """UP-3: never rounds down, is idempotent, lands on a quarter, by less than 15."""
    rounded = round_up_to_quarter(minutes)
    assert rounded >= minutes
    assert rounded % QUARTER_HOUR == 0
    assert rounded - minutes < QUARTER_HOUR
    assert round_up_to_quarter(rounded) == rounded


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_up3_property_rounding_timedeltas(value: timedelta) -> None:
    """UP-3: the same laws for timedeltas, to the microsecond."""
    rounded = round_up_to_quarter(value)
    assert rounded >= value
    assert rounded % timedelta(minutes=15) == timedelta(0)
    assert rounded - value < timedelta(minutes=15)
    assert round_up_to_quarter(rounded) == rounded


@given(st.datetimes(timezones=st.just(SE)))
def test_val6_property_never_a_wrong_answer_outside_the_calendar(moment: datetime) -> None:
    """VAL-6: a time whose next working day lies outside 1975–2199 is refused, never guessed."""
    assume(moment.year < 1975 or moment.year > 2199)
    with pytest.raises(InvalidInput, match="outside the years"):
        execution_deadline(moment.replace(hour=15))


# ----------------------------------------------------------------------------- edges


def test_val6_a_time_before_the_cutoff_needs_no_working_day_so_the_last_covered_day_works() -> None:
    """VAL-6: 2199-12-31 10:00 is due 2200-01-01 10:00; after 14:00 it needs 2200's calendar."""
    assert due_of(at(2199, 12, 31, 10, 0)) == at(2200, 1, 1, 10, 0)
    with pytest.raises(InvalidInput, match="2199-12-31, the last day the calendar covers"):
        execution_deadline(at(2199, 12, 31, 15, 0))


@pytest.mark.parametrize(
    "build",
    [
        lambda: ExecutionDeadlinePolicy(window=timedelta.max),
        lambda: ExecutionDeadlinePolicy(window=timedelta(days=32)),
        lambda: SummonPolicy(period=timedelta(days=367)),
        lambda: SummonPolicy(period=timedelta(days=999_999_999)),
        lambda: ImplementationPlanPolicy(period=timedelta(days=367)),
        lambda: SwitchWindowPolicy(latest=timedelta(days=400)),
        lambda: FollowUpPolicy(months=25),
    ],
    ids=["window-max", "window-32d", "summon", "summon-max", "plan", "switch", "months"],
)
def test_x4_policies_refuse_unreasonable_numbers_at_construction(build: object) -> None:
    """X-4: a number far beyond any routine's is refused when the policy is made."""
    with pytest.raises(InvalidInput, match=r"at most|from 0 to|from 1 to"):
        build()  # type: ignore[operator]


def test_up3_rounding_refuses_what_cannot_be_represented_and_rounds_the_rest() -> None:
    """UP-3: the longest timedelta cannot be rounded up; just below, it rounds exactly."""
    with pytest.raises(InvalidInput, match="too long to round up"):
        round_up_to_quarter(timedelta.max)
    below = timedelta.max - timedelta(hours=1)
    rounded = round_up_to_quarter(below)
    assert rounded >= below
    assert rounded % timedelta(minutes=QUARTER_HOUR) == timedelta(0)
    assert rounded - below < timedelta(minutes=QUARTER_HOUR)


def test_up3_messages_never_repeat_the_number() -> None:
    """UP-3, X-7: a negative number of minutes shaped like an identity number is not echoed."""
    with pytest.raises(InvalidInput) as caught:
        round_up_to_quarter(-191212121212)
    assert "1212" not in str(caught.value)


def test_val6_an_agreed_start_in_the_second_pass_of_the_repeated_hour_applies() -> None:
    """VAL-6, X-3: 02:30+01:00 on 25 October is later than 02:30+02:00: compared by instant."""
    first = datetime(2026, 10, 25, 2, 30, tzinfo=SE)
    second = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=SE)
    deadline = execution_deadline(datetime(2026, 10, 24, 2, 30, tzinfo=SE), agreed_start=second)
    assert deadline.computed_due.utcoffset() == timedelta(hours=2)
    assert deadline.computed_due.astimezone(UTC) == first.astimezone(UTC)
    assert deadline.agreed_start_applies
    assert deadline.due.astimezone(UTC) == second.astimezone(UTC)
    text = deadline.explain()
    assert "den överenskomna senare starten" in text
    assert "2026-10-25 02:30 (UTC+01:00)" in text
    assert "2026-10-25 02:30 (UTC+02:00)" in text


def test_val6_deadlines_are_equal_by_instant_not_by_wall_clock() -> None:
    """VAL-6, X-3: two deadlines due at the two 02:30s of 25 October are not equal."""
    one = execution_deadline(datetime(2026, 10, 24, 2, 30, tzinfo=SE))
    other = execution_deadline(
        datetime(2026, 10, 24, 2, 30, tzinfo=SE),
        agreed_start=datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=SE),
    )
    assert one.due == other.due  # Python compares one zone's times by wall clock...
    assert one != other  # ...the deadline compares instants.
    assert attrs.evolve(other, agreed_start=None, due=one.due) == one


def test_val6_the_fraction_of_a_second_that_decides_is_shown() -> None:
    """VAL-6: 14:00:00.000001 is after 14:00, and the explanation shows why."""
    text = execution_deadline(datetime(2026, 3, 4, 14, 0, 0, 1, tzinfo=SE)).explain("en")
    assert "at 2026-03-04 14:00:00.000001 came after 14:00" in text
    assert "14:00:00 " not in text
    seconds = execution_deadline(datetime(2026, 3, 4, 14, 0, 1, tzinfo=SE)).explain()
    assert "fördelningen 2026-03-04 14:00:01 skedde efter kl. 14:00" in seconds


def test_val6_an_agreed_start_that_does_not_move_the_deadline_is_said_so() -> None:
    """VAL-6: an agreed start before the computed due is named, and said not to move it."""
    deadline = execution_deadline(at(2026, 3, 4, 9, 0), agreed_start=at(2026, 3, 4, 12, 0))
    assert deadline.due == at(2026, 3, 5, 9, 0)
    assert not deadline.agreed_start_applies
    assert deadline.explain().endswith(
        "; den överenskomna starten 2026-03-04 12:00 är inte senare än fristen och flyttar "
        "den inte (VAL-6)."
    )
    assert "is not later than the deadline and does not move it" in deadline.explain("en")


def test_val6_explain_refuses_a_language_without_repeating_it() -> None:
    """VAL-6, X-7: an unknown language is refused and not echoed."""
    deadline = execution_deadline(at(2026, 3, 4, 9, 0))
    with pytest.raises(InvalidInput, match="'sv' or 'en', not another text") as caught:
        deadline.explain("19121212-1212")  # type: ignore[arg-type]
    assert "1212" not in str(caught.value)


# ----------------------------------------------------------------------------- the lean Deadline


def _full(deadline: Deadline) -> Deadline:
    """The same deadline built through attrs' validating __init__ (every slot stored)."""
    return Deadline(
        due=deadline.due,
        counted_from=deadline.counted_from,
        occurred_at=deadline.occurred_at,
        agreed_start=deadline.agreed_start,
        provider=deadline.provider,
        policy=deadline.policy,
    )


LEAN_CASES = [
    {"counted_from": at(2026, 3, 4, 9, 0)},
    {"counted_from": at(2026, 3, 6, 15, 10)},
    {"counted_from": at(2026, 3, 6, 15, 10), "provider": ProviderKind.PRIVATE},
    {"counted_from": at(2026, 3, 4, 9, 0), "agreed_start": at(2026, 3, 9, 8, 0)},
    {"counted_from": at(2026, 3, 4, 9, 0), "policy": ExecutionDeadlinePolicy(cutoff=time(8))},
    {"counted_from": datetime(2026, 10, 24, 23, 30, tzinfo=UTC)},
]


@pytest.mark.parametrize("kwargs", LEAN_CASES)
def test_val6_a_lean_deadline_is_a_frozen_attrs_value_like_any_other(
    kwargs: dict[str, object],
) -> None:
    """VAL-6: equality, hashing, pickling, evolve, asdict and repr of a computed Deadline."""
    lean = execution_deadline(**kwargs)  # type: ignore[arg-type]
    full = _full(lean)
    assert lean == full
    assert hash(lean) == hash(full)
    assert repr(lean) == repr(full)
    assert attrs.asdict(lean) == attrs.asdict(full)
    assert pickle.loads(pickle.dumps(lean)) == lean
    moved = attrs.evolve(lean, due=lean.due + timedelta(hours=1))
    assert moved != lean
    assert moved.counted_from == full.counted_from
    assert moved.provider is full.provider
    assert attrs.evolve(lean) == lean
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        lean.due = lean.due  # type: ignore[misc]
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        lean.nonexistent  # type: ignore[attr-defined]  # noqa: B018


def test_val6_a_lean_deadline_derives_where_the_window_starts() -> None:
    """VAL-6: counted_from is derived from occurred_at and the policy when read."""
    late = execution_deadline(at(2026, 3, 6, 15, 10))
    assert late.counted_from == at(2026, 3, 9, 7, 0)
    assert late.after_cutoff
    early = execution_deadline(at(2026, 3, 6, 13, 10))
    assert early.counted_from == early.occurred_at
    assert not early.after_cutoff
    skipped = execution_deadline(datetime(2026, 3, 29, 2, 30, tzinfo=SE))  # in the gap
    assert skipped.counted_from.utcoffset() == timedelta(hours=2)
    assert skipped.counted_from == skipped.occurred_at


def _dst_changes(first: int, last: int) -> list[datetime]:
    """Every change of Stockholm's UTC offset in the years, found from the zone itself."""
    changes: list[datetime] = []
    moment = datetime(first, 1, 1, tzinfo=UTC)
    end = datetime(last + 1, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(SE).utcoffset()
    while moment < end:
        following = moment + timedelta(days=1)
        if following.astimezone(SE).utcoffset() != offset:
            low, high = moment, following  # the change lies in (low, high]
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(SE).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            changes.append(high.replace(second=0, microsecond=0))
            offset = following.astimezone(SE).utcoffset()
        moment = following
    return changes


DST_CHANGES = _dst_changes(1980, 2100)


@given(
    st.sampled_from(DST_CHANGES),
    st.integers(-3 * 3600 * 10**6, 3 * 3600 * 10**6),
    st.integers(-14 * 4, 14 * 4),
)
def test_x3_one_conversion_from_another_zone_equals_the_conversion_through_utc(
    change: datetime, microseconds: int, quarters: int
) -> None:
    """X-3: one astimezone gives the same Stockholm time as through UTC, at every DST change."""
    from arendefordelning._time import as_stockholm

    instant = change + timedelta(microseconds=microseconds)
    for zone in (UTC, timezone(timedelta(minutes=15 * quarters))):
        given = instant.astimezone(zone)
        through_utc = given.astimezone(UTC).astimezone(SE)
        for converted in (given.astimezone(SE), as_stockholm(given, "t")):
            assert converted.replace(tzinfo=None) == through_utc.replace(tzinfo=None)
            assert converted.fold == through_utc.fold
            assert converted.utcoffset() == through_utc.utcoffset()
        assert execution_deadline(given) == execution_deadline(through_utc)


def _same_moment(a: datetime | None, b: datetime | None) -> bool:
    """The same instant, Stockholm wall clock, fold and offset (None only with None)."""
    if a is None or b is None:
        return a is b
    return (
        a.astimezone(UTC) == b.astimezone(UTC)
        and a.tzinfo is b.tzinfo
        and (a.replace(tzinfo=None), a.fold, a.utcoffset())
        == (b.replace(tzinfo=None), b.fold, b.utcoffset())
    )


def _reference(
    moment: datetime,
    policy: ExecutionDeadlinePolicy,
    agreed: datetime | None,
) -> tuple[datetime, datetime, datetime]:
    """VAL-6 written out from the rule, by instants: occurred_at, counted_from and due."""
    local = moment.astimezone(UTC).astimezone(SE)
    cut = datetime.combine(local.date(), policy.cutoff).replace(tzinfo=SE)
    if moment.astimezone(UTC) > cut.astimezone(UTC):
        day = policy.calendar.next_workday(local.date())
        start = datetime.combine(day, policy.next_day_start).replace(tzinfo=SE)
        start = start.astimezone(UTC).astimezone(SE)
    else:
        start = local
    due = (start.astimezone(UTC) + policy.window).astimezone(SE)
    if agreed is not None and agreed.astimezone(UTC) > due.astimezone(UTC):
        due = agreed.astimezone(UTC).astimezone(SE)
    return local, start, due


_HOLIDAYS = sorted(
    day
    for day in (date(2020, 1, 1) + timedelta(days=k) for k in range(365 * 11))
    if not CAL.is_workday(day) and day.weekday() < 5
)
"""Every weekday holiday and eve 2020–2030: where a late time must skip days."""

_POLICIES = [
    ExecutionDeadlinePolicy(),
    ExecutionDeadlinePolicy(cutoff=time(0, 30)),
    ExecutionDeadlinePolicy(cutoff=time(23, 30), next_day_start=time(0, 0)),
    ExecutionDeadlinePolicy(cutoff=time(2, 30, fold=1), next_day_start=time(2, 30)),
    ExecutionDeadlinePolicy(cutoff=time(2, 30), next_day_start=time(2, 30, fold=1)),
    ExecutionDeadlinePolicy(window=timedelta(hours=1)),
    ExecutionDeadlinePolicy(window=timedelta(hours=72, minutes=30)),
    ExecutionDeadlinePolicy(calendar=WorkCalendar.swedish(include_eves=False)),
]

_instants = st.one_of(
    st.builds(
        lambda change, micros: change + timedelta(microseconds=micros),
        st.sampled_from(DST_CHANGES),
        st.integers(-50 * 3600 * 10**6, 50 * 3600 * 10**6),
    ),
    st.builds(
        lambda day, minutes: (
            datetime.combine(day, time(14), SE).astimezone(UTC) + timedelta(minutes=minutes)
        ),
        st.sampled_from(_HOLIDAYS),
        st.integers(-36 * 60, 36 * 60),
    ),
    st.datetimes(
        min_value=datetime(1975, 1, 2), max_value=datetime(2199, 12, 20), timezones=st.just(UTC)
    ),
)


@given(
    _instants,
    st.sampled_from(
        [UTC, timezone(timedelta(hours=-9, minutes=-30)), timezone(timedelta(hours=5))]
    ),
    st.sampled_from(_POLICIES),
    st.none() | st.integers(-3 * 86400, 5 * 86400),
    st.sampled_from(ProviderKind),
)
def test_x3_a_utc_time_gives_the_deadline_its_stockholm_time_gives_field_by_field(
    instant: datetime,
    zone: timezone,
    policy: ExecutionDeadlinePolicy,
    agreed_after: int | None,
    provider: ProviderKind,
) -> None:
    """VAL-6, X-3: a UTC time, moved to Stockholm time by arithmetic, equals the rule.

    Around every DST change 1980-2100 and every weekday holiday and eve 2020-2030,
    under policies whose cut-off or start falls at midnight, in the skipped or repeated
    hour, or whose window is not 24 hours, given in UTC or with another fixed offset:
    every field is the same instant, wall clock, fold and offset as the rule written
    out and as the deadline of the same instant given in Stockholm time.
    """
    agreed = None if agreed_after is None else instant + timedelta(seconds=agreed_after)
    given_in_zone = instant.astimezone(zone)
    lean = execution_deadline(given_in_zone, agreed_start=agreed, policy=policy, provider=provider)
    stockholm = execution_deadline(
        instant.astimezone(SE), agreed_start=agreed, policy=policy, provider=provider
    )
    occurred_at, counted_from, due = _reference(instant, policy, agreed)
    for deadline in (lean, stockholm):
        assert _same_moment(deadline.occurred_at, occurred_at)
        assert _same_moment(deadline.counted_from, counted_from)
        assert _same_moment(deadline.due, due)
        assert _same_moment(
            deadline.agreed_start, None if agreed is None else agreed.astimezone(SE)
        )
        assert deadline.provider is provider
        assert deadline.policy == policy
    assert lean == stockholm == _full(lean)
    assert hash(lean) == hash(stockholm)
    assert repr(lean) == repr(stockholm)
    assert lean.explain() == stockholm.explain()


@pytest.mark.slow
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30, the night summer time starts
        datetime(2026, 3, 4, 9, 15, 30, 1, tzinfo=UTC),  # 10:15, a Wednesday in winter
        datetime(2026, 6, 5, 12, 0, 0, 1, tzinfo=UTC),  # 14:00:00.000001, a Friday
    ],
)
def test_x3_a_utc_deadline_read_in_any_order_and_pickled_is_the_same_value(
    moment: datetime,
) -> None:
    """VAL-6, X-3: a deadline from UTC is the same value whichever field is read first."""
    reads = [
        lambda d: d.due,
        lambda d: d.occurred_at,
        lambda d: d.counted_from,
        lambda d: d.computed_due,
        lambda d: d.after_cutoff,
        attrs.asdict,
        lambda d: pickle.loads(pickle.dumps(d)),
        hash,
    ]
    expected = _full(execution_deadline(moment.astimezone(SE)))
    for first in reads:
        deadline = execution_deadline(moment)
        first(deadline)
        assert deadline == expected
        assert pickle.loads(pickle.dumps(deadline)) == expected
        assert attrs.asdict(deadline) == attrs.asdict(expected)
        assert _same_moment(deadline.due, expected.due)
    assert [f.name for f in attrs.fields(Deadline)] == [
        "due",
        "counted_from",
        "occurred_at",
        "agreed_start",
        "provider",
        "policy",
    ]


def test_val6_a_late_utc_time_after_stockholm_midnight_skips_from_its_stockholm_day() -> None:
    """VAL-6, X-3: 23:45 UTC on Thursday 4 June 2026 is 01:45 on Friday in Stockholm.

    With a 00:30 cut-off that is late on Friday, so the window starts on Monday at
    07:00, not on Friday (the next working day of the UTC date). A policy of its own,
    so its tables are empty: the UTC day's second part is computed first here.
    """
    policy = ExecutionDeadlinePolicy(cutoff=time(0, 30), window=timedelta(hours=24, seconds=1))
    deadline = execution_deadline(datetime(2026, 6, 4, 23, 45, tzinfo=UTC), policy=policy)
    assert deadline.counted_from == at(2026, 6, 8, 7, 0)
    assert deadline.due == at(2026, 6, 9, 7, 0) + timedelta(seconds=1)
    earlier = execution_deadline(datetime(2026, 6, 4, 21, 45, tzinfo=UTC), policy=policy)
    assert earlier.counted_from == at(2026, 6, 5, 7, 0)  # 23:45 on Thursday: late Thursday


@pytest.mark.parametrize(
    "moment",
    [
        datetime(9999, 12, 31, 20, tzinfo=timezone(timedelta(hours=-14))),
        datetime(9999, 12, 30, 22, 30, tzinfo=UTC),
        datetime(9999, 12, 31, 22, 59, tzinfo=UTC),
        datetime(1, 1, 1, 0, tzinfo=timezone(timedelta(hours=14))),
    ],
)
def test_x3_a_utc_time_at_the_ends_of_the_representable_years_is_refused_cleanly(
    moment: datetime,
) -> None:
    """X-3: a fixed-offset time beyond what Stockholm time can hold is InvalidInput."""
    with pytest.raises(InvalidInput):
        execution_deadline(moment)


def test_x3_a_utc_time_on_the_first_days_there_are_counts_from_its_stockholm_time() -> None:
    """X-3: the first UTC days take the converting path and give the same deadline."""
    for moment in (datetime(1, 1, 1, 0, tzinfo=UTC), datetime(1, 1, 2, 10, tzinfo=UTC)):
        deadline = execution_deadline(moment)
        assert deadline.due.astimezone(UTC) == moment + timedelta(hours=24)
        assert _same_moment(deadline.occurred_at, moment.astimezone(SE))


def test_x3_the_dst_changes_listed_are_the_real_ones() -> None:
    """X-3: two changes a year at 01:00 UTC, in September (until 1995) or October."""
    assert len(DST_CHANGES) == 2 * 121
    for change in DST_CHANGES:
        before = (change - timedelta(minutes=1)).astimezone(SE).utcoffset()
        assert before != change.astimezone(SE).utcoffset()
        assert change.weekday() == 6
        assert (change.hour, change.minute) == (1, 0)
    assert {c.month for c in DST_CHANGES if c.year >= 1996} == {3, 10}


def test_val6_a_policy_keeps_the_fold_of_its_cutoff_and_compares_by_it() -> None:
    """VAL-6, X-4: cut-off 02:30 fold=1 is the later 02:30 of 25 October 2026.

    time(2, 30, fold=1) == time(2, 30) in Python, but the two policies compute
    differently that night, so they compare and hash apart: equal policies share their
    per-day tables, and one could otherwise fill the other's with its own answer.
    """
    first_pass = ExecutionDeadlinePolicy(cutoff=time(2, 30))
    second_pass = ExecutionDeadlinePolicy(cutoff=time(2, 30, fold=1))
    assert first_pass != second_pass
    assert hash(first_pass) != hash(second_pass)
    assert ExecutionDeadlinePolicy(cutoff=time(2, 30, fold=1)) == second_pass
    between = datetime(2026, 10, 25, 0, 45, tzinfo=UTC)  # 02:45 of the first pass
    for _ in range(2):  # asked twice in turn: each answer from its own table
        late = execution_deadline(between, policy=first_pass)
        in_time = execution_deadline(between, policy=second_pass)
        assert late.due == datetime(2026, 10, 27, 7, 0, tzinfo=SE)  # 07:00 Monday + 24 h
        assert in_time.due == between + timedelta(hours=24)


@pytest.mark.parametrize(
    "fields",
    [{"calendar": []}, {"cutoff": {}}, {"window": [1]}, {"next_day_start": set()}],
    ids=["calendar", "cutoff", "window", "next_day_start"],
)
def test_x4_an_unhashable_field_of_the_execution_policy_is_invalid_input(
    fields: dict[str, object],
) -> None:
    """X-4, VAL-6: a field of the wrong type is refused by name, not hashed into a TypeError."""
    name = next(iter(fields))
    with pytest.raises(InvalidInput, match=f"^{name} must be"):
        ExecutionDeadlinePolicy(**fields)  # type: ignore[arg-type]


def test_val6_a_due_time_past_the_year_9999_is_refused_and_the_day_before_is_answered() -> None:
    """VAL-6, X-3: 24 hours after 9999-12-31 10:00 cannot be represented: InvalidInput."""
    for day in range(20, 31):  # the day probe must stop at 9999-12-31, not step past it
        assert due_of(at(9999, 12, day, 10, 0)) == at(9999, 12, day + 1, 10, 0)
    for moment in (at(9999, 12, 31, 10, 0), datetime(9999, 12, 31, 12, 0, tzinfo=UTC)):
        with pytest.raises(InvalidInput, match="beyond the last date Python can represent"):
            execution_deadline(moment)
    late = Deadline(
        due=at(9999, 12, 31, 10, 0),
        counted_from=at(9999, 12, 31, 10, 0),
        occurred_at=at(9999, 12, 31, 10, 0),
    )
    with pytest.raises(InvalidInput, match="beyond the last date Python can represent"):
        late.explain()


def test_x3_a_deadline_built_by_hand_keeps_its_times_in_stockholm_time() -> None:
    """X-3, VAL-6: naive or unrepresentable times are refused; aware ones kept in Stockholm."""
    given = {
        "due": datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
        "counted_from": datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        "occurred_at": datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
    }
    deadline = Deadline(**given)  # type: ignore[arg-type]
    assert deadline.due.tzinfo is SE
    assert deadline == execution_deadline(datetime(2026, 3, 4, 10, 0, tzinfo=SE))
    assert "2026-03-05 10:00" in deadline.explain()
    for name, bad, phrase in (
        ("due", datetime(2026, 3, 5, 10, 0), "due is a naive datetime"),
        ("counted_from", "2026-03-04T10:00", "counted_from must be a timezone-aware datetime"),
        ("occurred_at", datetime.min.replace(tzinfo=timezone(timedelta(hours=23))), "outside"),
        ("agreed_start", datetime(2026, 3, 5), "agreed_start is a naive datetime"),
    ):
        with pytest.raises(InvalidInput, match=phrase):
            Deadline(**{**given, name: bad})  # type: ignore[arg-type]


def test_x3_a_stockholm_time_without_a_utc_instant_is_refused() -> None:
    """X-3, VAL-6: 0001-01-01 00:30 Stockholm (local mean time) precedes UTC's first instant."""
    with pytest.raises(InvalidInput, match="counted_from lies outside the dates Python can"):
        execution_deadline(datetime(1, 1, 1, 0, 30, tzinfo=SE))
    deadline = execution_deadline(datetime(1, 1, 1, 1, 30, tzinfo=SE))
    assert deadline.due == datetime(1, 1, 2, 1, 30, tzinfo=SE)
    assert "1-01-02 01:30" in deadline.explain()


# ----------------------------------------------------------------------------- exact edges
# Fixed given/when/then examples for edges a mutation run showed untested (issue 21):
# each fails on a rule weakened by one operator. Policies "of their own" get a calendar
# with a local non-working day far in 2199, so they answer as the routine's numbers do in
# the years asked about but share no memo with any other policy (equal policies share
# their per-day tables, and so do equal calendars).

_UNSHARED = itertools.count()


def _unshared_calendar(*, include_eves: bool = True) -> WorkCalendar:
    """A calendar with a table of its own: a local non-working day in 2195–2199 no other has."""
    extra = date(2195, 1, 1) + timedelta(days=next(_UNSHARED) % 1826)
    return WorkCalendar.swedish(include_eves=include_eves, extra_non_working_days={extra})


def _unshared_policy(**numbers: object) -> ExecutionDeadlinePolicy:
    """An execution policy with empty memos: nothing asked before is remembered in it."""
    return ExecutionDeadlinePolicy(calendar=_unshared_calendar(), **numbers)  # type: ignore[arg-type]


def test_val_6_utc_time_exactly_at_stockholm_midnight() -> None:
    """VAL-6, X-3: 2026-03-04 23:00Z is 00:00 on Thursday 5 March in Stockholm.

    Given a UTC time exactly at the Stockholm midnight that splits its UTC day,
    when the deadline is computed, then it counts from 00:00 on 5 March (before the
    cut-off of its own Stockholm day) and is due 2026-03-06 00:00; a microsecond
    earlier is 23:59:59.999999 on 4 March, late, and due Friday 07:00.
    """
    for policy in (None, _unshared_policy()):
        midnight = execution_deadline(datetime(2026, 3, 4, 23, 0, tzinfo=UTC), policy=policy)
        assert at(2026, 3, 6, 0, 0) == midnight.due
        assert at(2026, 3, 5, 0, 0) == midnight.counted_from
        assert at(2026, 3, 5, 0, 0) == midnight.occurred_at
        assert not midnight.after_cutoff
        before = datetime(2026, 3, 4, 22, 59, 59, 999_999, tzinfo=UTC)
        late = execution_deadline(before, policy=policy)
        assert at(2026, 3, 6, 7, 0) == late.due
        assert at(2026, 3, 5, 7, 0) == late.counted_from
    # In summer the Stockholm midnight is 22:00Z.
    summer = execution_deadline(datetime(2026, 6, 3, 22, 0, tzinfo=UTC))
    assert at(2026, 6, 5, 0, 0) == summer.due


def test_val_6_a_late_utc_time_does_not_change_the_answer_for_the_rest_of_its_utc_day() -> None:
    """VAL-6, X-3: the memo of a UTC day keeps each Stockholm day's late due in its own part.

    Given a policy with empty memos, when 15:00Z on 4 March (16:00 in Stockholm, late:
    due Friday 6 March 07:00) is computed first, then 23:30Z the same UTC day (00:30 on
    5 March, before that day's cut-off) is still due 6 March 00:30, and the reverse
    order gives the same two answers.
    """
    late, early = datetime(2026, 3, 4, 15, 0, tzinfo=UTC), datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    for order in ((late, early), (early, late)):
        policy = _unshared_policy()
        answers = {moment: execution_deadline(moment, policy=policy).due for moment in order}
        assert at(2026, 3, 6, 7, 0) == answers[late]
        assert at(2026, 3, 6, 0, 30) == answers[early]
    # A policy whose cut-off is 00:30, where both parts of a UTC day can be late: on the
    # UTC day 5 March, 23:45Z is 00:45 on Friday 6 March (due Tuesday 07:00, after the
    # weekend) and 21:00Z is 22:00 on Thursday 5 March (due Saturday 07:00).
    night = _unshared_policy(cutoff=time(0, 30))
    friday, thursday = (
        datetime(2026, 3, 5, 23, 45, tzinfo=UTC),
        datetime(2026, 3, 5, 21, 0, tzinfo=UTC),
    )
    assert at(2026, 3, 10, 7, 0) == due_of(friday, policy=night)
    assert at(2026, 3, 7, 7, 0) == due_of(thursday, policy=night)
    assert at(2026, 3, 10, 7, 0) == due_of(friday, policy=night)


def test_val_6_at_exactly_the_cutoff_on_the_saturday_before_summer_time() -> None:
    """VAL-6, X-3: Saturday 28 March 2026 14:00:00 is not after 14:00; the night has 23 hours.

    Given 14:00:00 on the Saturday before the clocks go forward, when the deadline is
    computed, then it counts from 14:00 and is due 24 elapsed hours later, Sunday
    15:00 summer time; a microsecond later counts from Monday 07:00, due Tuesday 07:00.
    """
    for policy in (None, _unshared_policy()):
        on_time = execution_deadline(at(2026, 3, 28, 14, 0), policy=policy)
        assert at(2026, 3, 29, 15, 0) == on_time.due
        assert at(2026, 3, 28, 14, 0) == on_time.counted_from
        assert not on_time.after_cutoff
        late = execution_deadline(at(2026, 3, 28, 14, 0) + timedelta(microseconds=1), policy=policy)
        assert at(2026, 3, 31, 7, 0) == late.due
        assert at(2026, 3, 30, 7, 0) == late.counted_from


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        # 11:00 CET; 24 elapsed hours later it is 12:00 CEST.
        (datetime(2026, 3, 28, 10, 0, tzinfo=UTC), at(2026, 3, 29, 12, 0)),
        # 14:00:00 CET exactly: in time.
        (datetime(2026, 3, 28, 13, 0, tzinfo=UTC), at(2026, 3, 29, 15, 0)),
        # 14:00:01 CET: Monday 07:00 CEST.
        (datetime(2026, 3, 28, 13, 0, 1, tzinfo=UTC), at(2026, 3, 31, 7, 0)),
        # 23:30Z on Saturday is 00:30 CET on Sunday, the night the clocks go forward.
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), at(2026, 3, 30, 1, 30)),
        # The Saturday before winter time: 11:00 CEST, due 10:00 CET.
        (datetime(2026, 10, 24, 9, 0, tzinfo=UTC), at(2026, 10, 25, 10, 0)),
    ],
)
def test_val_6_a_utc_time_on_a_saturday_before_a_clock_change(
    moment: datetime, due: datetime
) -> None:
    """VAL-6, X-3: a UTC time on the day before a clock change counts 24 elapsed hours.

    Given a UTC time on Saturday 28 March 2026 (or 24 October), when its deadline is
    computed, then the due time is the instant 24 hours later (or Monday 07:00 + 24 h
    when late), shown in the offset of its own day.
    """
    for policy in (None, _unshared_policy()):
        deadline = execution_deadline(moment, policy=policy)
        assert due.astimezone(UTC) == deadline.due.astimezone(UTC)
        assert due.utcoffset() == deadline.due.utcoffset()


# Call order: every memo answers as an empty one would.

_ORDER_DAYS = [
    date(2026, 3, 4),  # an ordinary Wednesday in winter
    date(2026, 3, 5),
    date(2026, 3, 6),  # a Friday: late counts from Monday
    date(2026, 3, 28),  # the Saturday before summer time
    date(2026, 3, 29),  # the day summer time starts
    date(2026, 6, 18),  # before midsommarafton
    date(2026, 10, 24),  # the Saturday before winter time
    date(2026, 10, 25),  # the day winter time starts
    date(2026, 12, 23),  # before julafton
]

_order_moments = st.builds(
    lambda day, quarter, second: (
        datetime.combine(day, time(0), UTC) + timedelta(minutes=15 * quarter, seconds=second)
    ),
    st.sampled_from(_ORDER_DAYS),
    st.integers(0, 95),
    st.sampled_from([0, 0, 0, 1]),
)


@given(
    st.lists(
        st.tuples(_order_moments, st.sampled_from(["utc", "stockholm", "+05:00"])),
        min_size=2,
        max_size=8,
    ),
    st.sampled_from([time(14, 0), time(0, 30), time(23, 30)]),
)
def test_val_6_property_the_answer_does_not_depend_on_what_was_asked_before(
    calls: list[tuple[datetime, str]], cutoff: time
) -> None:
    """VAL-6, X-3: the per-day and per-UTC-day memos never change an answer.

    Given a policy with empty memos and a sequence of times (UTC, Stockholm or another
    offset, several on the same UTC day, around midnight and the cut-off), when each is
    computed in turn, then each deadline equals, field by field and in wall clock, the
    one a policy with empty memos gives when asked that time alone.
    """
    zones = {"utc": UTC, "stockholm": SE, "+05:00": timezone(timedelta(hours=5))}
    policy = _unshared_policy(cutoff=cutoff)
    for moment, zone in calls:
        given_at = moment.astimezone(zones[zone])
        answer = execution_deadline(given_at, policy=policy)
        alone = execution_deadline(given_at, policy=_unshared_policy(cutoff=cutoff))
        assert _same_moment(alone.due, answer.due)
        assert _same_moment(alone.counted_from, answer.counted_from)
        assert _same_moment(alone.occurred_at, answer.occurred_at)
        assert alone.explain() == answer.explain()


# Policies: the accepted edge and the first refused value of each number.


@pytest.mark.parametrize("kind", [SummonPolicy, ImplementationPlanPolicy])
def test_x4_a_period_of_0_and_of_366_days_is_accepted_and_367_refused(kind: type) -> None:
    """HC-5, OV-8, X-4: a period is 0–366 whole days; the message says so, naming the field."""
    assert timedelta(0) == kind(period=timedelta(0)).period
    assert timedelta(days=366) == kind(period=timedelta(days=366)).period
    for bad in (timedelta(days=367), timedelta(days=-1), timedelta(days=1, microseconds=1)):
        with pytest.raises(InvalidInput) as caught:
            kind(period=bad)
        assert str(caught.value) == "period must be a whole number of days from 0 to 366"
    assert date(2026, 3, 4) == summon_deadline(
        date(2026, 3, 4), policy=SummonPolicy(period=timedelta(0))
    )
    assert date(2027, 3, 5) == summon_deadline(
        date(2026, 3, 4), policy=SummonPolicy(period=timedelta(days=366))
    )


def test_x4_the_switch_window_ends_are_0_to_366_days() -> None:
    """VAL-18, X-4: earliest and latest may each be 0–366 days; each is named when refused."""
    widest = SwitchWindowPolicy(earliest=timedelta(0), latest=timedelta(days=366))
    assert (date(2026, 3, 4), date(2027, 3, 5)) == switch_window(
        date(2026, 3, 4), date(2026, 3, 1), policy=widest
    )
    same = SwitchWindowPolicy(earliest=timedelta(days=9), latest=timedelta(days=9))
    assert (date(2026, 3, 13), date(2026, 3, 13)) == switch_window(
        date(2026, 3, 4), date(2026, 3, 4), policy=same
    )
    for field in ("earliest", "latest"):
        with pytest.raises(InvalidInput) as caught:
            SwitchWindowPolicy(**{field: timedelta(days=367)})  # type: ignore[arg-type]
        assert f"{field} must be a whole number of days from 0 to 366" == str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        SwitchWindowPolicy(earliest=timedelta(days=8), latest=timedelta(days=7))
    assert str(caught.value) == "latest (7 days) must not be before earliest (8 days)"


def test_x4_an_execution_window_of_31_days_is_accepted_and_a_microsecond_more_refused() -> None:
    """VAL-6, X-4: the window is longer than zero and at most 31 days."""
    longest = ExecutionDeadlinePolicy(window=timedelta(days=31))
    # 31 elapsed days, across the start of summer time: 09:00 CET becomes 10:00 CEST.
    assert at(2026, 4, 4, 10, 0) == due_of(at(2026, 3, 4, 9, 0), policy=longest)
    shortest = ExecutionDeadlinePolicy(window=timedelta(microseconds=1))
    assert at(2026, 3, 4, 9, 0) + timedelta(microseconds=1) == due_of(
        at(2026, 3, 4, 9, 0), policy=shortest
    )
    for bad in (timedelta(days=31, microseconds=1), timedelta(0), timedelta(hours=-1)):
        with pytest.raises(InvalidInput) as caught:
            ExecutionDeadlinePolicy(window=bad)
        assert str(caught.value) == "window must be longer than zero and at most 31 days"


def test_x4_follow_up_every_1_to_24_months() -> None:
    """OV-9, X-4: months is 1–24; 0 and 25 are refused with the range in the message."""
    assert date(2028, 3, 6) == next_follow_up_due(
        date(2026, 3, 4), policy=FollowUpPolicy(months=24)
    )  # 4 March 2028 is a Saturday
    assert date(2026, 4, 7) == next_follow_up_due(
        date(2026, 3, 4), policy=FollowUpPolicy(months=1)
    )  # 4 April 2026 is a Saturday, then påskdagen and annandag påsk
    for bad in (0, 25, -3):
        with pytest.raises(InvalidInput) as caught:
            FollowUpPolicy(months=bad)
        assert str(caught.value) == "months must be from 1 to 24 months"
    with pytest.raises(InvalidInput) as caught:
        FollowUpPolicy(months=True)
    assert (
        str(caught.value)
        == "months must be a whole number of months (an int), not a value of type bool"
    )


# Deadline.explain word for word.


def test_val_6_explain_an_agreed_start_across_the_clock_change_word_for_word() -> None:
    """VAL-6: the agreed later start, the computed due and the clocks going forward, said in full.

    Given a distribution on Saturday 28 March 2026 10:00 and an agreed start on Monday
    09:00, when the deadline is explained, then it names the agreed start as the due
    time, the due time without it (Sunday 11:00 summer time) and the change of clock.
    """
    deadline = execution_deadline(at(2026, 3, 28, 10, 0), agreed_start=at(2026, 3, 30, 9, 0))
    assert deadline.explain() == (
        "Uppdraget ska vara verkställt senast 2026-03-30 09:00, den överenskomna senare "
        "starten; utan den hade fristen varit 2026-03-29 11:00, 24 timmar efter "
        "fördelningen 2026-03-28 10:00 (klockan ställs fram en timme under tiden) (VAL-6)."
    )
    assert deadline.explain("en") == (
        "The assignment must be executed by 2026-03-30 09:00, the agreed later start; "
        "without it the deadline would have been 2026-03-29 11:00, 24 hours after the "
        "distribution at 2026-03-28 10:00 (the clocks go forward an hour in between) (VAL-6)."
    )


def test_val_6_explain_a_late_contact_an_agreed_start_that_does_not_move_it_and_winter_time() -> (
    None
):
    """VAL-6: late, private provider, the clocks going back and an earlier agreed start.

    Given a 72-hour window, a contact on Thursday 22 October 2026 15:00 and an agreed
    start on Saturday 12:00, when the deadline is explained, then it counts from
    Friday 07:00, says the clocks go back, and that the agreed start does not move it.
    """
    policy = ExecutionDeadlinePolicy(window=timedelta(hours=72))
    deadline = execution_deadline(
        at(2026, 10, 22, 15, 0),
        agreed_start=at(2026, 10, 24, 12, 0),
        policy=policy,
        provider=ProviderKind.PRIVATE,
    )
    assert at(2026, 10, 26, 6, 0) == deadline.due
    assert deadline.explain() == (
        "Uppdraget ska vara verkställt senast 2026-10-26 06:00, 72 timmar från kl. 07:00 "
        "nästa vardag (2026-10-23 07:00), eftersom kontakten med utföraren 2026-10-22 15:00 "
        "skedde efter kl. 14:00 (klockan ställs tillbaka en timme under tiden); den "
        "överenskomna starten 2026-10-24 12:00 är inte senare än fristen och flyttar den "
        "inte (VAL-6)."
    )
    assert deadline.explain("en") == (
        "The assignment must be executed by 2026-10-26 06:00, 72 hours from 07:00 on the "
        "next working day (2026-10-23 07:00), because the contact with the provider at "
        "2026-10-22 15:00 came after 14:00 (the clocks go back an hour in between); the "
        "agreed start at 2026-10-24 12:00 is not later than the deadline and does not move "
        "it (VAL-6)."
    )


@pytest.mark.parametrize(
    ("window", "moment", "swedish", "english"),
    [
        (
            timedelta(hours=1),
            at(2026, 3, 4, 9, 30),
            "Uppdraget ska vara verkställt senast 2026-03-04 10:30, 1 timme efter "
            "fördelningen 2026-03-04 09:30 (VAL-6).",
            "The assignment must be executed by 2026-03-04 10:30, 1 hour after the "
            "distribution at 2026-03-04 09:30 (VAL-6).",
        ),
        (
            # 01:30 winter time + 1 elapsed hour is 03:30 summer time.
            timedelta(hours=1),
            at(2026, 3, 29, 1, 30),
            "Uppdraget ska vara verkställt senast 2026-03-29 03:30, 1 timme efter "
            "fördelningen 2026-03-29 01:30 (klockan ställs fram en timme under tiden) "
            "(VAL-6).",
            "The assignment must be executed by 2026-03-29 03:30, 1 hour after the "
            "distribution at 2026-03-29 01:30 (the clocks go forward an hour in between) "
            "(VAL-6).",
        ),
        (
            timedelta(hours=1, minutes=30),
            at(2026, 3, 4, 15, 0),
            "Uppdraget ska vara verkställt senast 2026-03-05 08:30, 1 timme och 30 minuter "
            "från kl. 07:00 nästa vardag (2026-03-05 07:00), eftersom fördelningen "
            "2026-03-04 15:00 skedde efter kl. 14:00 (VAL-6).",
            "The assignment must be executed by 2026-03-05 08:30, 1 hour and 30 minutes "
            "from 07:00 on the next working day (2026-03-05 07:00), because the "
            "distribution at 2026-03-04 15:00 came after 14:00 (VAL-6).",
        ),
        (
            timedelta(hours=2, minutes=45),
            at(2026, 3, 4, 9, 0),
            "Uppdraget ska vara verkställt senast 2026-03-04 11:45, 2 timmar och 45 minuter "
            "efter fördelningen 2026-03-04 09:00 (VAL-6).",
            "The assignment must be executed by 2026-03-04 11:45, 2 hours and 45 minutes "
            "after the distribution at 2026-03-04 09:00 (VAL-6).",
        ),
        (
            timedelta(hours=2, minutes=1),
            at(2026, 3, 4, 9, 0),
            "Uppdraget ska vara verkställt senast 2026-03-04 11:01, 2 timmar och 1 minut "
            "efter fördelningen 2026-03-04 09:00 (VAL-6).",
            "The assignment must be executed by 2026-03-04 11:01, 2 hours and 1 minute "
            "after the distribution at 2026-03-04 09:00 (VAL-6).",
        ),
        (
            timedelta(minutes=30),
            at(2026, 3, 4, 9, 0),
            "Uppdraget ska vara verkställt senast 2026-03-04 09:30, 30 minuter efter "
            "fördelningen 2026-03-04 09:00 (VAL-6).",
            "The assignment must be executed by 2026-03-04 09:30, 30 minutes after the "
            "distribution at 2026-03-04 09:00 (VAL-6).",
        ),
        (
            timedelta(minutes=1),
            at(2026, 3, 4, 9, 0),
            "Uppdraget ska vara verkställt senast 2026-03-04 09:01, 1 minut efter "
            "fördelningen 2026-03-04 09:00 (VAL-6).",
            "The assignment must be executed by 2026-03-04 09:01, 1 minute after the "
            "distribution at 2026-03-04 09:00 (VAL-6).",
        ),
        (
            timedelta(days=2, minutes=2),
            at(2026, 3, 4, 9, 0),
            "Uppdraget ska vara verkställt senast 2026-03-06 09:02, 48 timmar och 2 minuter "
            "efter fördelningen 2026-03-04 09:00 (VAL-6).",
            "The assignment must be executed by 2026-03-06 09:02, 48 hours and 2 minutes "
            "after the distribution at 2026-03-04 09:00 (VAL-6).",
        ),
    ],
    ids=[
        "one-hour",
        "one-hour-over-the-clock-change",
        "one-and-a-half-hours",
        "2h45",
        "2h1",
        "half-an-hour",
        "one-minute",
        "48h2",
    ],
)
def test_val_6_explain_a_short_window_word_for_word(
    window: timedelta, moment: datetime, swedish: str, english: str
) -> None:
    """VAL-6, X-4: a window of one hour is "1 timme" / "1 hour"; minutes are named after it."""
    deadline = execution_deadline(moment, policy=ExecutionDeadlinePolicy(window=window))
    assert swedish == deadline.explain()
    assert english == deadline.explain("en")


def test_val_6_explain_a_cutoff_and_a_start_with_seconds() -> None:
    """VAL-6, X-4: a policy's clock times are shown with their seconds when they have any."""
    policy = ExecutionDeadlinePolicy(cutoff=time(13, 59, 30), next_day_start=time(6, 45, 15))
    deadline = execution_deadline(at(2026, 3, 4, 13, 59) + timedelta(seconds=45), policy=policy)
    assert deadline.explain("en") == (
        "The assignment must be executed by 2026-03-06 06:45, 24 hours from 06:45:15 on "
        "the next working day (2026-03-05 06:45:15), because the distribution at "
        "2026-03-04 13:59:45 came after 13:59:30 (VAL-6)."
    )


# Every refusal names its argument and what it accepts, word for word (X-3, X-4, X-7).

_MESSAGES: dict[str, tuple[object, str]] = {
    "plan-first_meeting": (
        lambda: implementation_plan_due("2026-03-04"),  # type: ignore[arg-type]
        "first_meeting must be a date or a timezone-aware datetime, not a value of type str",
    ),
    "plan-past-9999": (
        lambda: implementation_plan_due(date(9999, 12, 20)),
        "first_meeting 9999-12-20 + 21 days is past the last date Python can represent",
    ),
    "follow-up-previous": (
        lambda: next_follow_up_due("2026-03-04"),  # type: ignore[arg-type]
        "previous must be a date or a timezone-aware datetime, not a value of type str",
    ),
    "follow-up-past-9999": (
        lambda: next_follow_up_due(date(9999, 11, 1), policy=FollowUpPolicy(roll_forward=False)),
        "previous 9999-11-01 + 3 months is past the last date Python can represent",
    ),
    "switch-first_notified": (
        lambda: switch_window("2026-03-01", date(2026, 3, 1)),  # type: ignore[arg-type]
        "first_notified must be a date or a timezone-aware datetime, not a value of type str",
    ),
    "switch-second_notified": (
        lambda: switch_window(date(2026, 3, 1), "2026-03-01"),  # type: ignore[arg-type]
        "second_notified must be a date or a timezone-aware datetime, not a value of type str",
    ),
    "switch-first-day-past-9999": (
        lambda: switch_window(date(9999, 12, 28), date(9999, 12, 1)),
        "the later notification 9999-12-28 + 7 days is past the last date Python can represent",
    ),
    "switch-last-day-past-9999": (
        lambda: switch_window(date(9999, 12, 20), date(9999, 12, 1)),
        "the later notification 9999-12-20 + 14 days is past the last date Python can represent",
    ),
    "summon-allocated": (
        lambda: summon_deadline("2026-03-04"),  # type: ignore[arg-type]
        "allocated must be a date or a timezone-aware datetime, not a value of type str",
    ),
    "summon-override": (
        lambda: summon_deadline(date(2026, 3, 4), override="2026-05-02"),  # type: ignore[arg-type]
        "override must be a date or a timezone-aware datetime, not a value of type str",
    ),
    "summon-past-9999": (
        lambda: summon_deadline(date(9999, 12, 20), policy=SummonPolicy(roll_forward=False)),
        "allocated 9999-12-20 + 21 days is past the last date Python can represent",
    ),
    "summon-override-before": (
        lambda: summon_deadline(date(2026, 3, 4), override=date(2026, 3, 3)),
        "override 2026-03-03 lies before the allocation 2026-03-04; the team leader's date "
        "must be on or after it",
    ),
    "quarter-negative-minutes": (
        lambda: round_up_to_quarter(-1),
        "granted time must be 0 minutes or more",
    ),
    "quarter-negative-timedelta": (
        lambda: round_up_to_quarter(timedelta(microseconds=-1)),
        "granted time must be 0 or more",
    ),
    "quarter-too-long": (
        lambda: round_up_to_quarter(timedelta.max),
        "granted time is too long to round up: the result would pass the longest timedelta "
        "Python can represent",
    ),
    "quarter-type": (
        lambda: round_up_to_quarter(1.5),  # type: ignore[call-overload]
        "granted time must be minutes as an int or a datetime.timedelta, not a value of type float",
    ),
    "explain-language": (
        lambda: execution_deadline(at(2026, 3, 4, 9, 0)).explain(b"sv"),  # type: ignore[arg-type]
        "language must be 'sv' or 'en', not a value of type bytes",
    ),
    "period-type": (
        lambda: SummonPolicy(period=21),  # type: ignore[arg-type]
        "period must be a datetime.timedelta of whole days, not a value of type int",
    ),
    "window-type": (
        lambda: ExecutionDeadlinePolicy(window=24),  # type: ignore[arg-type]
        "window must be a datetime.timedelta, not a value of type int",
    ),
    "cutoff-type": (
        lambda: ExecutionDeadlinePolicy(cutoff="14:00"),  # type: ignore[arg-type]
        "cutoff must be a datetime.time (a Stockholm wall-clock time such as time(14, 0)), not str",
    ),
    "next_day_start-zone": (
        lambda: ExecutionDeadlinePolicy(next_day_start=time(7, tzinfo=UTC)),
        "next_day_start must be a Stockholm wall-clock time without tzinfo, such as time(14, 0)",
    ),
    "calendar-type": (
        lambda: FollowUpPolicy(calendar="swedish"),  # type: ignore[arg-type]
        "calendar must be a WorkCalendar (for example WorkCalendar.swedish()), not str",
    ),
    "policy-kind": (
        lambda: summon_deadline(date(2026, 3, 4), policy=FollowUpPolicy()),  # type: ignore[arg-type]
        "policy must be a SummonPolicy or None, not FollowUpPolicy",
    ),
    "provider-kind": (
        lambda: execution_deadline(at(2026, 3, 4, 9, 0), provider="privat"),  # type: ignore[arg-type]
        "provider must be a ProviderKind (MUNICIPAL or PRIVATE), not a value of type str",
    ),
    "counted_from-type": (
        lambda: execution_deadline("2026-03-04T15:00"),  # type: ignore[arg-type]
        "counted_from must be a timezone-aware datetime, not a value of type str",
    ),
    "counted_from-naive": (
        lambda: execution_deadline(datetime(2026, 3, 4, 15, 0)),
        "counted_from is a naive datetime (it has no time zone); give a timezone-aware "
        "datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')",
    ),
    "agreed_start-naive": (
        lambda: execution_deadline(at(2026, 3, 4, 9, 0), agreed_start=datetime(2026, 3, 9)),
        "agreed_start is a naive datetime (it has no time zone); give a timezone-aware "
        "datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')",
    ),
    "deadline-occurred_at": (
        lambda: Deadline(
            due=at(2026, 3, 5, 9, 0),
            counted_from=at(2026, 3, 4, 9, 0),
            occurred_at=datetime(2026, 3, 4, 9, 0),
        ),
        "occurred_at is a naive datetime (it has no time zone); give a timezone-aware "
        "datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')",
    ),
    "deadline-counted_from": (
        lambda: Deadline(
            due=at(2026, 3, 5, 9, 0),
            counted_from=datetime(2026, 3, 4, 9, 0),
            occurred_at=at(2026, 3, 4, 9, 0),
        ),
        "counted_from is a naive datetime (it has no time zone); give a timezone-aware "
        "datetime, for example with tzinfo=ZoneInfo('Europe/Stockholm')",
    ),
    "deadline-due": (
        lambda: Deadline(
            due="2026-03-05",
            counted_from=at(2026, 3, 4, 9, 0),
            occurred_at=at(2026, 3, 4, 9, 0),
        ),
        "due must be a timezone-aware datetime, not a value of type str",
    ),
    "due-past-9999": (
        lambda: execution_deadline(datetime(9999, 12, 31, 10, tzinfo=UTC)),
        "the due time lies beyond the last date Python can represent in Stockholm time (the "
        "year 9999)",
    ),
}


@pytest.mark.parametrize(("call", "message"), list(_MESSAGES.values()), ids=list(_MESSAGES))
def test_x4_each_refusal_names_its_argument_and_what_it_accepts(call: object, message: str) -> None:
    """X-3, X-4: which argument is wrong, and what it accepts, is said in full.

    Given one wrong argument (a string for a date, a date past what Python represents,
    a number of the wrong type), when the rule or policy is called, then the message is
    exactly the one naming that argument (not another, not none).
    """
    with pytest.raises(InvalidInput) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == message


def test_up3_the_longest_quarter_is_rounded_and_a_microsecond_more_refused() -> None:
    """UP-3: the longest whole-quarter timedelta rounds to itself; a microsecond more is refused."""
    quarter = timedelta(minutes=15)
    longest = timedelta.max // quarter * quarter
    assert longest == round_up_to_quarter(longest)
    assert longest == round_up_to_quarter(longest - timedelta(microseconds=1))
    with pytest.raises(InvalidInput, match="too long to round up"):
        round_up_to_quarter(longest + timedelta(microseconds=1))


def test_hc5_the_team_leaders_date_may_be_the_allocation_day_itself() -> None:
    """HC-5: an override on the allocation day is on or after it, so it is the due date."""
    assert date(2026, 3, 4) == summon_deadline(date(2026, 3, 4), override=date(2026, 3, 4))
    assert date(2026, 3, 7) == summon_deadline(
        datetime(2026, 3, 3, 23, 30, tzinfo=UTC), override=date(2026, 3, 7)
    )  # allocated on 4 March in Stockholm; the override is kept as given (a Saturday)


def test_val_6_a_late_utc_time_after_stockholm_midnight_counts_from_its_own_stockholm_day() -> None:
    """VAL-6, X-3: 23:45Z on Monday 2 March 2026 is 00:45 on Tuesday in Stockholm.

    Given a cut-off at 00:30 and an empty memo, when the deadline of that UTC time is
    computed, then it is late on Tuesday: the window starts Wednesday 07:00 and ends
    Thursday 07:00 (not from the day after, nor from Monday).
    """
    policy = _unshared_policy(cutoff=time(0, 30))
    deadline = execution_deadline(datetime(2026, 3, 2, 23, 45, tzinfo=UTC), policy=policy)
    assert at(2026, 3, 4, 7, 0) == deadline.counted_from
    assert at(2026, 3, 5, 7, 0) == deadline.due
    again = execution_deadline(datetime(2026, 3, 2, 23, 50, tzinfo=UTC), policy=policy)
    assert at(2026, 3, 5, 7, 0) == again.due


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "Africa/Lagos", "America/New_York", "UTC"])
def test_x3_deadlines_do_not_depend_on_the_machines_time_zone(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-3: every rule computes in Stockholm time, whatever the machine's local zone is.

    Given the machine's zone set to Tokyo (ahead of Stockholm), Lagos (UTC+1 all year)
    or New York, and a policy with empty memos whose 27-hour window from Friday
    27 March 2026 23:30 crosses the start of summer time, when the deadline is
    computed, then it is Sunday 03:30 summer time (27 elapsed hours), as anywhere; and
    likewise across the end of summer time in October.
    """
    import time as clock

    monkeypatch.setenv("TZ", zone)
    clock.tzset()
    try:
        policy = _unshared_policy(cutoff=time(23, 59), window=timedelta(hours=27))
        friday = execution_deadline(at(2026, 3, 27, 23, 30), policy=policy)
        assert datetime(2026, 3, 29, 1, 30, tzinfo=UTC) == friday.due.astimezone(UTC)
        assert timedelta(hours=2) == friday.due.utcoffset()
        # 28 hours from Friday 23 October 23:30 summer time: the second 02:30 of Sunday.
        autumn = _unshared_policy(cutoff=time(23, 59), window=timedelta(hours=28))
        october = execution_deadline(at(2026, 10, 23, 23, 30), policy=autumn)
        assert datetime(2026, 10, 25, 1, 30, tzinfo=UTC) == october.due.astimezone(UTC)
        assert timedelta(hours=1) == october.due.utcoffset()
    finally:
        monkeypatch.undo()
        clock.tzset()


def test_x3_the_first_hour_of_year_one_is_refused_after_a_later_time_that_day() -> None:
    """X-3, VAL-6: 0001-01-01 is never remembered, so its first hour is refused every time.

    Given a policy that has just answered 01:30 on 1 January of the year 1, when 00:30
    that day (local mean time, before UTC's first instant) is asked, then it is still
    refused.
    """
    policy = _unshared_policy()
    assert datetime(1, 1, 2, 1, 30, tzinfo=SE) == due_of(
        datetime(1, 1, 1, 1, 30, tzinfo=SE), policy=policy
    )
    with pytest.raises(InvalidInput, match="counted_from lies outside the dates Python can"):
        execution_deadline(datetime(1, 1, 1, 0, 30, tzinfo=SE), policy=policy)
