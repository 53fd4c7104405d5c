"""Conformance review A: the calendar, the deadlines, identity numbers, routines VAL and OV.

Scenarios written from the routines' text (the seeds 003 and 004, the numbered spec
with its Interpretation notes, and the X requirements), through the public API only,
as an outside checker would. The reference data are written here as data, each
with a comment naming its published source; none is computed by the library.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning import (
    Actor,
    ArendefordelningError,
    Event,
    ExecutionDeadlinePolicy,
    FollowUpPolicy,
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    PersonalIdentityNumber,
    Provider,
    ProviderKind,
    Role,
    RotationList,
    Sex,
    WorkCalendar,
    execution_deadline,
    implementation_plan_due,
    next_follow_up_due,
    summon_deadline,
    switch_window,
)
from arendefordelning.errors import ForbiddenStep
from arendefordelning.identity import mask
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines import provider_choice as val
from arendefordelning.testing import check_judging

SE = ZoneInfo("Europe/Stockholm")


def se(  # noqa: PLR0917 - a date and a time, as datetime takes them
    y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0
) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=SE)


# --------------------------------------------------------------------------- the calendar

# Swedish public holidays (allmänna helgdagar, lag (1989:253) om allmänna helgdagar)
# and the three eves SFS 1930:173 2 § puts on a par with them (midsommarafton, julafton,
# nyårsafton), 2024–2028, written out by hand from the published Swedish calendars
# (e.g. Skatteverket's and kalender.se's "Röda dagar" for each year): Easter Sunday
# 2024-03-31, 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16; Ascension Day 39 days
# after it; Midsummer Day the Saturday 20–26 June, midsommarafton the Friday before;
# All Saints' Day the Saturday 31 October–6 November; National Day 6 June.
NON_WORKING: dict[int, tuple[str, ...]] = {
    2024: (
        "01-01", "01-06", "03-29", "03-31", "04-01", "05-01", "05-09", "05-19",
        "06-06", "06-21", "06-22", "11-02", "12-24", "12-25", "12-26", "12-31",
    ),
    2025: (
        "01-01", "01-06", "04-18", "04-20", "04-21", "05-01", "05-29", "06-08",
        "06-06", "06-20", "06-21", "11-01", "12-24", "12-25", "12-26", "12-31",
    ),
    2026: (
        "01-01", "01-06", "04-03", "04-05", "04-06", "05-01", "05-14", "05-24",
        "06-06", "06-19", "06-20", "10-31", "12-24", "12-25", "12-26", "12-31",
    ),
    2027: (
        "01-01", "01-06", "03-26", "03-28", "03-29", "05-01", "05-06", "05-16",
        "06-06", "06-25", "06-26", "11-06", "12-24", "12-25", "12-26", "12-31",
    ),
    2028: (
        "01-01", "01-06", "04-14", "04-16", "04-17", "05-01", "05-25", "06-04",
        "06-06", "06-23", "06-24", "11-04", "12-24", "12-25", "12-26", "12-31",
    ),
}  # fmt: skip

# Days that are not in the act's list and so are working days when they fall on a
# weekday: skärtorsdagen, valborgsmässoafton, trettondagsafton, allhelgonaafton and
# the day before Ascension (SFS 1930:173 2 § names only the three eves above).
WORKING_EVES = (
    date(2025, 4, 17),  # skärtorsdagen, Thursday
    date(2025, 4, 30),  # valborgsmässoafton, Wednesday
    date(2026, 1, 5),  # trettondagsafton, Monday
    date(2025, 10, 31),  # allhelgonaafton, Friday
    date(2026, 5, 13),  # the day before Ascension, Wednesday
    date(2027, 12, 23),  # the day before julafton, Thursday
)


def _reference_days(year: int) -> set[date]:
    return {date.fromisoformat(f"{year}-{md}") for md in NON_WORKING[year]}


def test_x3_reference_data_is_consistent() -> None:
    """The hand-written reference itself keeps the published weekday rules."""
    for year in NON_WORKING:
        days = _reference_days(year)
        assert len(days) == 16, year
        eve = next(d for d in days if d.month == 6 and 19 <= d.day <= 25 and d.weekday() == 4)
        assert eve + timedelta(days=1) in days  # midsommardagen, Saturday 20–26 June
        saints = [d for d in days if (d.month, d.day) >= (10, 31) and d.month < 12]
        assert len(saints) == 1
        assert saints[0].weekday() == 5


@pytest.mark.parametrize("year", sorted(NON_WORKING))
def test_x3_given_the_swedish_calendar_when_every_day_of_the_year_is_asked_then_it_matches_the_published_calendar(  # noqa: E501
    year: int,
) -> None:
    cal = WorkCalendar.swedish()
    off = _reference_days(year)
    day = date(year, 1, 1)
    while day.year == year:
        expected = day.weekday() < 5 and day not in off
        assert cal.is_workday(day) is expected, day
        day += timedelta(days=1)


def test_x3_given_eves_outside_the_act_when_asked_then_they_are_working_days() -> None:
    cal = WorkCalendar.swedish()
    for day in WORKING_EVES:
        assert day.weekday() < 5
        assert cal.is_workday(day), day


def test_x3_given_whit_monday_before_2005_and_national_day_after_then_history_is_right() -> None:
    cal = WorkCalendar.swedish()
    # SFS 2004:1320: from 2005 6 June is a public holiday and Whit Monday is not.
    assert not cal.is_workday(date(2003, 6, 9))  # annandag pingst 2003, a Monday
    assert cal.is_workday(date(2003, 6, 6))  # 6 June 2003, a Friday: a working day
    assert cal.is_workday(date(2005, 5, 16))  # annandag pingst 2005, a Monday
    assert not cal.is_workday(date(2005, 6, 6))  # nationaldagen 2005, a Monday


def test_x3_given_a_calendar_without_the_eves_when_asked_then_the_eves_are_working_days() -> None:
    cal = WorkCalendar(include_eves=False)
    assert cal.is_workday(date(2026, 6, 19))  # midsommarafton
    assert cal.is_workday(date(2026, 12, 24))  # julafton
    assert cal.is_workday(date(2026, 12, 31))  # nyårsafton
    assert not cal.is_workday(date(2026, 12, 25))


def test_x3_given_a_local_holiday_when_asked_then_it_is_not_a_working_day() -> None:
    cal = WorkCalendar(extra_non_working_days=frozenset({date(2026, 3, 4)}))
    assert not cal.is_workday(date(2026, 3, 4))
    assert cal.next_workday(date(2026, 3, 3)) == date(2026, 3, 5)
    assert WorkCalendar.swedish().next_workday(date(2026, 3, 3)) == date(2026, 3, 4)


def test_x3_given_christmas_when_stepping_then_stepping_agrees() -> None:
    cal = WorkCalendar.swedish()
    # 2025-12-23 Tue; 24 eve, 25–26 holidays, 27–28 weekend; 29 Mon, 30 Tue; 31 eve;
    # 2026-01-01 holiday; 2 Fri.
    assert cal.next_workday(date(2025, 12, 23)) == date(2025, 12, 29)
    assert cal.roll_forward(date(2025, 12, 24)) == date(2025, 12, 29)
    assert cal.roll_forward(date(2025, 12, 23)) == date(2025, 12, 23)
    assert cal.add_workdays(date(2025, 12, 23), 0) == date(2025, 12, 23)
    assert cal.add_workdays(date(2025, 12, 23), 1) == date(2025, 12, 29)
    assert cal.add_workdays(date(2025, 12, 23), 3) == date(2026, 1, 2)
    assert cal.next_workday(date(2025, 12, 30)) == date(2026, 1, 2)


def test_x3_given_an_aware_datetime_when_asked_then_its_stockholm_date_counts() -> None:
    cal = WorkCalendar.swedish()
    # 2026-06-18 23:30 UTC is 2026-06-19 01:30 in Stockholm: midsommarafton.
    assert not cal.is_workday(datetime(2026, 6, 18, 23, 30, tzinfo=UTC))
    assert cal.is_workday(datetime(2026, 6, 18, 21, 30, tzinfo=UTC))


def test_x3_given_a_date_outside_the_covered_years_when_asked_then_refused_clearly() -> None:
    cal = WorkCalendar.swedish()
    with pytest.raises(InvalidInput, match="1975"):
        cal.is_workday(date(1900, 1, 2))


@settings(max_examples=200, derandomize=True)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_x3_laws_next_workday_is_a_later_workday_and_roll_forward_is_idempotent(day: date) -> None:
    cal = WorkCalendar.swedish()
    nxt = cal.next_workday(day)
    assert nxt > day
    assert cal.is_workday(nxt)
    assert all(not cal.is_workday(day + timedelta(days=k)) for k in range(1, (nxt - day).days))
    rolled = cal.roll_forward(day)
    assert cal.roll_forward(rolled) == rolled
    assert rolled == (day if cal.is_workday(day) else nxt)
    # add_workdays(d, 1) is next_workday(d), as documented, working day or not.
    assert cal.add_workdays(day, 1) == nxt
    assert cal.add_workdays(day, 2) == cal.next_workday(nxt)


# --------------------------------------------------------------------------- VAL-6: deadline

# (given distribution or contact, Stockholm time) -> (counted from, due), per VAL-6 and
# its Interpretation: strictly after 14:00:00 counts as 07:00 on the next working day
# (Monday–Friday, not a public holiday, not midsommarafton, julafton or nyårsafton);
# 24 elapsed hours; every day of the week alike.
VAL6_CASES = [
    # Tuesday, exactly at the cut-off: not after 14:00, counted as given.
    (se(2026, 3, 3, 14, 0, 0), se(2026, 3, 3, 14, 0), se(2026, 3, 4, 14, 0)),
    # One second later: after 14:00, counted from 07:00 on Wednesday.
    (se(2026, 3, 3, 14, 0, 1), se(2026, 3, 4, 7, 0), se(2026, 3, 5, 7, 0)),
    # One microsecond later is also "after 14:00".
    (se(2026, 3, 3, 14, 0, 0, 1), se(2026, 3, 4, 7, 0), se(2026, 3, 5, 7, 0)),
    # Before 07:00 on a working day: counted as given (the rule moves only late times).
    (se(2026, 3, 3, 6, 0), se(2026, 3, 3, 6, 0), se(2026, 3, 4, 6, 0)),
    # Friday afternoon: Monday 07:00, due Tuesday 07:00.
    (se(2026, 3, 6, 15, 0), se(2026, 3, 9, 7, 0), se(2026, 3, 10, 7, 0)),
    # Saturday morning: the rule applies literally, due Sunday 10:00.
    (se(2026, 3, 14, 10, 0), se(2026, 3, 14, 10, 0), se(2026, 3, 15, 10, 0)),
    # Saturday afternoon: Monday 07:00.
    (se(2026, 3, 14, 15, 0), se(2026, 3, 16, 7, 0), se(2026, 3, 17, 7, 0)),
    # Thursday before midsommarafton (Friday 2026-06-19): Monday 07:00.
    (se(2026, 6, 18, 15, 0), se(2026, 6, 22, 7, 0), se(2026, 6, 23, 7, 0)),
    # 23 December 2025 (Tuesday) after 14:00: 24, 25, 26 and the weekend pass.
    (se(2025, 12, 23, 14, 30), se(2025, 12, 29, 7, 0), se(2025, 12, 30, 7, 0)),
    # 30 December 2025 after 14:00: nyårsafton and nyårsdagen pass; Friday 2 January.
    (se(2025, 12, 30, 15, 0), se(2026, 1, 2, 7, 0), se(2026, 1, 3, 7, 0)),
    # Skärtorsdagen 2026-04-02 after 14:00: Easter passes; Tuesday 7 April.
    (se(2026, 4, 2, 16, 0), se(2026, 4, 7, 7, 0), se(2026, 4, 8, 7, 0)),
    # Before Ascension (Thursday 2026-05-14): Friday 15 May.
    (se(2026, 5, 13, 14, 1), se(2026, 5, 15, 7, 0), se(2026, 5, 16, 7, 0)),
    # On julafton itself in the morning: counted as given, due 25 December.
    (se(2025, 12, 24, 9, 0), se(2025, 12, 24, 9, 0), se(2025, 12, 25, 9, 0)),
    # Valborgsmässoafton (a working day) after 14:00: 1 May is a holiday; Friday 2 May 2025.
    (se(2025, 4, 30, 14, 5), se(2025, 5, 2, 7, 0), se(2025, 5, 3, 7, 0)),
    # Daylight saving begins 2026-03-29 02:00: 24 elapsed hours read 11:00 on the clock.
    (se(2026, 3, 28, 10, 0), se(2026, 3, 28, 10, 0), se(2026, 3, 29, 11, 0)),
    # Daylight saving ends 2026-10-25 03:00: 24 elapsed hours read 09:00 on the clock.
    (se(2026, 10, 24, 10, 0), se(2026, 10, 24, 10, 0), se(2026, 10, 25, 9, 0)),
]


@pytest.mark.parametrize(("given_at", "counted", "due"), VAL6_CASES)
def test_val6_given_a_distribution_when_the_deadline_is_computed_then_it_follows_the_rule(
    given_at: datetime, counted: datetime, due: datetime
) -> None:
    deadline = execution_deadline(given_at)
    assert deadline.counted_from == counted
    assert deadline.due == due
    assert deadline.requirement == "VAL-6"
    # Both in Stockholm, on the wall clock too (not merely the same instant).
    assert deadline.due.utcoffset() == due.utcoffset()
    assert (deadline.due.hour, deadline.due.minute) == (due.hour, due.minute)
    assert deadline.due.astimezone(UTC) - deadline.counted_from.astimezone(UTC) == timedelta(
        hours=24
    )


def test_val6_given_a_time_in_another_zone_when_computed_then_the_stockholm_clock_decides() -> None:
    # 13:00:00 UTC on 3 March is 14:00:00 in Stockholm: not after the cut-off.
    exactly = execution_deadline(datetime(2026, 3, 3, 13, 0, 0, tzinfo=UTC))
    assert exactly.due == se(2026, 3, 4, 14, 0)
    # 13:00:01 UTC is after it.
    late = execution_deadline(datetime(2026, 3, 3, 13, 0, 1, tzinfo=UTC))
    assert late.due == se(2026, 3, 5, 7, 0)
    # In summer Stockholm is UTC+2: 12:30 UTC is 14:30.
    summer = execution_deadline(datetime(2026, 8, 4, 12, 30, tzinfo=UTC))
    assert summer.counted_from == se(2026, 8, 5, 7, 0)
    # New York 08:00 (UTC-5) is 14:00 Stockholm (UTC+1) on 3 March 2026.
    ny = execution_deadline(datetime(2026, 3, 3, 8, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert ny.due == se(2026, 3, 4, 14, 0)
    assert ny.due.utcoffset() == timedelta(hours=1)


def test_val6_given_a_naive_time_when_computed_then_invalid_input_says_what_is_accepted() -> None:
    with pytest.raises(InvalidInput) as caught:
        execution_deadline(datetime(2026, 3, 3, 10, 0))
    message = str(caught.value).lower()
    assert "aware" in message or "timezone" in message or "time zone" in message


def test_val6_given_an_agreed_later_start_when_computed_then_the_deadline_moves_to_it() -> None:
    given_at = se(2026, 3, 3, 10, 0)
    later = execution_deadline(given_at, agreed_start=se(2026, 3, 10, 8, 0))
    assert later.due == se(2026, 3, 10, 8, 0)
    earlier = execution_deadline(given_at, agreed_start=se(2026, 3, 3, 18, 0))
    assert earlier.due == se(2026, 3, 4, 10, 0)


def test_val6_given_deadline_when_explained_then_one_sentence_with_the_due_time_sv_en() -> None:
    deadline = execution_deadline(se(2026, 3, 3, 14, 0, 1))
    sv = deadline.explain()
    en = deadline.explain("en")
    assert "2026-03-05 07:00" in sv
    assert "2026-03-05 07:00" in en
    assert "vardag" in sv
    assert "14:00" in sv
    assert "working day" in en
    assert sv.endswith("(VAL-6).")
    assert en.endswith("(VAL-6).")
    assert sv.startswith("Uppdraget ska vara verkställt senast 2026-03-05 07:00")
    with pytest.raises(InvalidInput):
        deadline.explain("de")  # type: ignore[arg-type]


def test_val6_given_other_numbers_in_a_policy_when_computed_then_they_are_used() -> None:
    policy = ExecutionDeadlinePolicy(cutoff=time(12, 0), window=timedelta(hours=48))
    deadline = execution_deadline(se(2026, 3, 3, 12, 30), policy=policy)
    assert deadline.counted_from == se(2026, 3, 4, 7, 0)
    assert deadline.due == se(2026, 3, 6, 7, 0)


@settings(max_examples=300, derandomize=True)
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2090, 12, 31),
        timezones=st.just(SE),
    )
)
def test_val6_laws_due_after_counted_from_after_given_and_counted_from_is_given_or_7_on_a_workday(
    given_at: datetime,
) -> None:
    deadline = execution_deadline(given_at)
    cal = WorkCalendar.swedish()
    # Compared as instants (Python compares equal zones by wall clock).
    assert deadline.due.astimezone(UTC) >= deadline.counted_from.astimezone(UTC)
    assert deadline.counted_from.astimezone(UTC) >= given_at.astimezone(UTC)
    assert deadline.due.astimezone(UTC) - deadline.counted_from.astimezone(UTC) == timedelta(
        hours=24
    )
    local = given_at.astimezone(SE)
    if local.time().replace(tzinfo=None) > time(14, 0):
        counted = deadline.counted_from.astimezone(SE)
        assert counted.time().replace(tzinfo=None) == time(7, 0)
        assert counted.date() == cal.next_workday(local.date())
    else:
        assert deadline.counted_from.astimezone(UTC) == given_at.astimezone(UTC)


# ------------------------------------------------------------------- HC-5, VAL-18, OV-8, OV-9


def test_hc5_given_an_allocation_when_the_summons_is_due_then_three_weeks_rolled_forward() -> None:
    assert summon_deadline(date(2026, 3, 2)) == date(2026, 3, 23)  # a Monday: as is
    # 2026-05-03 + 21 days = Whitsunday 24 May: Monday 25 May (a working day since 2005).
    assert summon_deadline(date(2026, 5, 3)) == date(2026, 5, 25)
    # 2025-12-04 + 21 days = juldagen: Monday 29 December.
    assert summon_deadline(date(2025, 12, 4)) == date(2025, 12, 29)
    # 2026-05-29 + 21 = midsommarafton 19 June: Monday 22 June.
    assert summon_deadline(date(2026, 5, 29)) == date(2026, 6, 22)
    # The team leader's own time replaces it.
    assert summon_deadline(date(2026, 3, 2), override=date(2026, 4, 30)) == date(2026, 4, 30)
    assert summon_deadline(date(2026, 3, 2), override=date(2026, 3, 5)) == date(2026, 3, 5)


def test_hc5_given_an_aware_datetime_when_the_summons_is_due_then_its_stockholm_date_counts() -> (
    None
):
    # 2026-03-01 23:30 UTC is 2 March 00:30 in Stockholm.
    assert summon_deadline(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == date(2026, 3, 23)


def test_val18_given_two_notifications_then_the_window_is_7_to_14_days_from_the_later() -> None:
    first, last = switch_window(date(2026, 3, 2), date(2026, 3, 3))
    assert (first, last) == (date(2026, 3, 10), date(2026, 3, 17))
    assert switch_window(date(2026, 3, 3), date(2026, 3, 2)) == (first, last)
    # Calendar days: a window ending on julafton is not moved (Interpretation).
    assert switch_window(date(2026, 12, 10), date(2026, 12, 10)) == (
        date(2026, 12, 17),
        date(2026, 12, 24),
    )


def test_ov8_given_a_first_meeting_when_the_plan_is_due_then_three_weeks_rolled_forward() -> None:
    assert implementation_plan_due(date(2026, 3, 2)) == date(2026, 3, 23)
    # 2026-12-03 + 21 = julafton (Thursday): Monday 28 December.
    assert implementation_plan_due(date(2026, 12, 3)) == date(2026, 12, 28)
    # 2026-03-14 (Saturday) + 21 = Saturday 4 April, then Easter: Tuesday 7 April.
    assert implementation_plan_due(date(2026, 3, 14)) == date(2026, 4, 7)


# (previous follow-up or start) -> due: three calendar months, a month end clamps to the
# shorter month's last day, rolled forward to a working day (OV-9 Interpretation).
OV9_CASES = [
    (date(2026, 3, 2), date(2026, 6, 2)),  # plain
    (date(2025, 11, 30), date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday: Monday 2 March
    (date(2023, 11, 30), date(2024, 2, 29)),  # a leap year: Thursday 29 February
    (date(2023, 11, 29), date(2024, 2, 29)),
    (date(2026, 8, 31), date(2026, 11, 30)),  # 31 → 30 November, a Monday
    (date(2026, 3, 31), date(2026, 6, 30)),  # 31 → 30 June, a Tuesday
    (date(2026, 9, 24), date(2026, 12, 28)),  # julafton 2026: Monday 28 December
    (date(2026, 3, 19), date(2026, 6, 22)),  # midsommarafton 19 June: Monday 22 June
    (date(2025, 10, 1), date(2026, 1, 2)),  # nyårsdagen: Friday 2 January
]


@pytest.mark.parametrize(("previous", "due"), OV9_CASES)
def test_ov9_given_a_start_or_follow_up_when_the_next_is_due_then_three_months_clamped_and_rolled(
    previous: date, due: date
) -> None:
    assert next_follow_up_due(previous) == due


def test_ov9_given_no_roll_forward_when_the_next_is_due_then_the_clamped_date_stands() -> None:
    policy = FollowUpPolicy(roll_forward=False)
    assert next_follow_up_due(date(2025, 11, 30), policy=policy) == date(2026, 2, 28)


@settings(max_examples=300, derandomize=True)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_ov9_law_the_due_date_is_the_first_working_day_on_or_after_three_months(
    previous: date,
) -> None:
    cal = WorkCalendar.swedish()
    due = next_follow_up_due(previous)
    month = previous.month + 3
    year = previous.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    plain = date(year, month, min(previous.day, monthrange(year, month)[1]))
    assert due == cal.roll_forward(plain)
    assert cal.is_workday(due)


# --------------------------------------------------------------------------- identity numbers

TODAY = date(2026, 12, 6)


def _luhn(nine: str) -> int:
    """The check digit of Skatteverket's form (SKV 704): Luhn over YYMMDDNNN, weights 2,1,2…"""
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _number(yymmdd: str, birth: str) -> str:
    """Ten digits YYMMDDNNNC with a valid check digit."""
    return f"{yymmdd}{birth}{_luhn(yymmdd + birth)}"


# Skatteverket's and the personnummer literature's classic examples (SKV 704,
# "Personnummer"; Wikipedia "Personnummer i Sverige"): (as written, today) ->
# (twelve digits, birth date, samordningsnummer, sex by the ninth digit's parity).
IDENTITY_CASES = [
    ("19121212-1212", "191212121212", date(1912, 12, 12), False, Sex.MALE),
    ("191212121212", "191212121212", date(1912, 12, 12), False, Sex.MALE),
    ("121212+1212", "191212121212", date(1912, 12, 12), False, Sex.MALE),
    # Without "+" a 10-digit form is under 100: in 2026 that is 2012.
    ("121212-1212", "201212121212", date(2012, 12, 12), False, Sex.MALE),
    ("1212121212", "201212121212", date(2012, 12, 12), False, Sex.MALE),
    ("811218-9876", "198112189876", date(1981, 12, 18), False, Sex.MALE),
    ("8112189876", "198112189876", date(1981, 12, 18), False, Sex.MALE),
    ("19811218-9876", "198112189876", date(1981, 12, 18), False, Sex.MALE),
    # Samordningsnummer: the day plus 60.
    ("701063-2391", "197010632391", date(1970, 10, 3), True, Sex.MALE),
    ("640883-3231", "196408833231", date(1964, 8, 23), True, Sex.MALE),
    ("  19701063-2391 ", "197010632391", date(1970, 10, 3), True, Sex.MALE),
]


@pytest.mark.parametrize(("written", "digits", "born", "coordination", "sex"), IDENTITY_CASES)
def test_x7_given_a_valid_number_when_parsed_then_its_parts_are_read_and_it_is_never_shown(
    written: str, digits: str, born: date, coordination: bool, sex: Sex
) -> None:
    number = PersonalIdentityNumber.parse(written, today=TODAY)
    assert number.reveal() == digits
    assert number.birth_date == born
    assert number.birth_year == born.year
    assert number.is_coordination_number is coordination
    assert number.sex is sex
    shown = (str(number), repr(number), f"{number}", f"{number:>20}")
    for text in shown:
        assert digits not in text
        assert text.strip().endswith(("-****", "-****')"))
    assert str(number) == f"{digits[:8]}-****"


def test_x7_given_an_even_ninth_digit_when_parsed_then_the_sex_is_female() -> None:
    ten = _number("820411", "238")
    assert PersonalIdentityNumber.parse(ten, today=TODAY).sex is Sex.FEMALE


def test_x7_given_a_leap_day_when_parsed_then_only_a_leap_year_has_it() -> None:
    assert PersonalIdentityNumber.parse(
        "20" + _number("000229", "123"), today=TODAY
    ).birth_date == date(2000, 2, 29)
    with pytest.raises(InvalidInput):
        PersonalIdentityNumber.parse("20" + _number("010229", "123"), today=TODAY)
    # Samordningsnummer of 29 February: day 89.
    number = PersonalIdentityNumber.parse("20" + _number("000289", "123"), today=TODAY)
    assert number.birth_date == date(2000, 2, 29)
    assert number.is_coordination_number


def test_x7_given_samordningsnummer_with_an_unknown_month_or_day_then_accepted() -> None:
    unknown_day = PersonalIdentityNumber.parse("19" + _number("800560", "123"), today=TODAY)
    assert unknown_day.birth_date is None
    assert unknown_day.birth_year == 1980
    assert unknown_day.is_coordination_number
    unknown_both = PersonalIdentityNumber.parse("19" + _number("800060", "123"), today=TODAY)
    assert unknown_both.birth_date is None
    assert str(unknown_both) == "19800060-****"


def _refused(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        PersonalIdentityNumber.parse(text, today=TODAY)
    message = str(caught.value)
    digits = "".join(ch for ch in text if ch.isdigit())
    # Never a run of the input's digits: not the number, not its date, not its tail.
    for width in (4, 6):
        for start in range(len(digits) - width + 1):
            assert digits[start : start + width] not in message, (text, message)
    return message


def test_x7_given_a_wrong_check_digit_when_parsed_then_refused_without_the_number() -> None:
    message = _refused("19121212-1213")
    assert "check digit" in message
    assert "Luhn" in message


def test_x7_given_bad_numbers_when_parsed_then_each_is_refused_saying_what_is_accepted() -> None:
    forms = _refused("1912121-21212")
    assert "YYMMDD-NNNC" in forms
    assert "YYYYMMDD" in forms
    _refused("19" + _number("121212", "000"))  # birth number 000
    _refused("19" + _number("801332", "123"))  # day 32
    _refused("19" + _number("800491", "123"))  # 31 April + 60
    _refused("19" + _number("800015", "123"))  # month 00 in a personnummer
    _refused("19" + _number("801300", "123"))  # month 13
    _refused("20" + _number("300101", "123"))  # born after today
    _refused("20121212+1212")  # "+" for a person of 14
    _refused("19121212/1212")  # another separator
    _refused("")


def test_x7_given_a_number_that_is_not_text_when_parsed_then_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="str"):
        PersonalIdentityNumber.parse(1912121212, today=TODAY)  # type: ignore[arg-type]


def test_x7_given_free_text_with_numbers_when_masked_then_the_last_four_digits_are_hidden() -> None:
    assert mask("Kund 19121212-1212 ringde") == "Kund 19121212-**** ringde"
    assert mask("samordningsnummer 701063-2391.") == "samordningsnummer 701063-****."
    assert mask("beslut 2026-03-06 kl. 14:00") == "beslut 2026-03-06 kl. 14:00"
    assert "9876" not in mask("8112189876")


@settings(max_examples=200, derandomize=True)
@given(
    st.dates(min_value=date(1927, 1, 1), max_value=date(2026, 12, 6)),
    st.integers(min_value=1, max_value=999),
    st.booleans(),
)
def test_x7_law_every_valid_number_round_trips_in_each_form_and_a_changed_digit_is_refused(
    born: date, birth: int, coordination: bool
) -> None:
    day = born.day + (60 if coordination else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    ten = _number(yymmdd, f"{birth:03d}")
    twelve = f"{born.year // 100:02d}{ten}"
    age_this_year = TODAY.year - born.year
    separator = "+" if age_this_year >= 100 else "-"
    for written in (twelve, f"{twelve[:8]}-{twelve[8:]}", f"{ten[:6]}{separator}{ten[6:]}"):
        number = PersonalIdentityNumber.parse(written, today=TODAY)
        assert number.reveal() == twelve
        assert number.birth_date == born
        assert number.is_coordination_number is coordination
        assert repr(number) == f"PersonalIdentityNumber('{twelve[:8]}-****')"
    wrong = f"{twelve[:11]}{(int(twelve[11]) + 1) % 10}"
    with pytest.raises(InvalidInput):
        PersonalIdentityNumber.parse(wrong, today=TODAY)


# --------------------------------------------------------------------------- routine VAL

CASE = "K-1"
ASSESSOR = Actor("bh-17", Role.NEEDS_ASSESSOR)
PROVIDER = Actor("u-1", Role.PROVIDER)
NIGHT = Actor("np-1", Role.NIGHT_PATROL)
NORR = Provider("Hemtjänst Norr")
OMSORG = Provider("Omsorg Privat AB", ProviderKind.PRIVATE)


def _run(
    requests: list[object], state: val.ProviderChoiceState | None = None
) -> tuple[val.ProviderChoiceState, list[Event]]:
    """Decide and record each request in turn, as an embedding system does."""
    current = val.initial_state if state is None else state
    log: list[Event] = []
    for request in requests:
        events = val.decide(request, current)  # type: ignore[arg-type]
        current = val.replay(events, current)
        log.extend(events)
    return current, log


def _kinds(state: val.ProviderChoiceState, as_of: datetime) -> list[tuple[str, str]]:
    return [(d.requirement, d.kind.name) for d in val.deviations(state, as_of=as_of)]


def _municipal(at: datetime, distributed: datetime) -> tuple[val.ProviderChoiceState, list[Event]]:
    return _run(
        [
            val.ChoiceRegistered(
                case=CASE, at=at, actor=ASSESSOR, provider=NORR, form=val.ChoiceForm.WRITTEN
            ),
            val.DistributeAssignment(case=CASE, at=distributed, actor=ASSESSOR),
        ]
    )


def test_val6_given_distribution_after_14_executed_at_due_then_no_deviation() -> None:
    state, _ = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 14, 0, 1))
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline.due == se(2026, 3, 5, 7, 0)
    done, _ = _run(
        [val.ExecutionStarted(case=CASE, at=se(2026, 3, 5, 7, 0), actor=PROVIDER)], state
    )
    assert _kinds(done, se(2026, 4, 1)) == []


def test_val6_given_distribution_at_14_sharp_executed_a_second_late_then_late() -> None:
    state, _ = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 14, 0, 0))
    late, _ = _run(
        [val.ExecutionStarted(case=CASE, at=se(2026, 3, 4, 14, 0, 1), actor=PROVIDER)], state
    )
    assert _kinds(late, se(2026, 4, 1)) == [("VAL-6", "LATE")]


def test_val6_given_no_execution_when_judged_then_missing_only_after_the_due_time() -> None:
    state, log = _municipal(se(2026, 3, 6, 9, 0), se(2026, 3, 6, 15, 0))  # Friday after 14
    # Due Tuesday 07:00 (Monday 07:00 + 24 hours).
    assert _kinds(state, se(2026, 3, 10, 7, 0)) == []
    assert _kinds(state, se(2026, 3, 10, 7, 0, 1)) == [("VAL-6", "MISSING")]
    assert val.deviations_of(log, as_of=se(2026, 3, 10, 8)) == val.deviations(
        state, as_of=se(2026, 3, 10, 8)
    )


def test_val6_given_a_later_start_agreed_in_time_when_judged_then_the_deadline_moves() -> None:
    state, _ = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 10, 0))
    moved, _ = _run(
        [
            val.LaterStartAgreed(
                case=CASE,
                at=se(2026, 3, 3, 11, 0),
                actor=ASSESSOR,
                start=se(2026, 3, 9, 8, 0),
                basis=val.LaterStartBasis.AGREEMENT,
            )
        ],
        state,
    )
    deadline = val.execution_deadline_of(moved)
    assert deadline is not None
    assert deadline.due == se(2026, 3, 9, 8, 0)
    assert _kinds(moved, se(2026, 3, 9, 8, 0)) == []
    assert _kinds(moved, se(2026, 3, 9, 8, 1)) == [("VAL-6", "MISSING")]


def test_x5_val6_given_later_start_recorded_after_the_due_time_then_deviation_stays() -> None:
    state, _ = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 10, 0))  # due 4 March 10:00
    after, _ = _run(
        [
            val.LaterStartAgreed(
                case=CASE,
                at=se(2026, 3, 5, 9, 0),
                actor=ASSESSOR,
                start=se(2026, 3, 9, 8, 0),
                basis=val.LaterStartBasis.INSTRUCTION,
            )
        ],
        state,
    )
    assert _kinds(after, se(2026, 3, 4, 11, 0)) == [("VAL-6", "MISSING")]
    assert ("VAL-6", "MISSING") in _kinds(after, se(2026, 3, 6, 0, 0))
    done, _ = _run([val.ExecutionStarted(case=CASE, at=se(2026, 3, 6, 8), actor=PROVIDER)], after)
    assert _kinds(done, se(2026, 3, 7)) == [("VAL-6", "LATE")]
    # As known on 4 March at 11:00 the execution was missing; the record since changes nothing.
    assert _kinds(done, se(2026, 3, 4, 11, 0)) == [("VAL-6", "MISSING")]


def test_val6_given_saturday_distribution_when_judged_then_due_on_sunday_at_the_same_time() -> None:
    state, _ = _municipal(se(2026, 3, 14, 9, 0), se(2026, 3, 14, 10, 0))
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline.due == se(2026, 3, 15, 10, 0)


def test_x2_given_an_unnamed_role_when_registering_a_choice_then_refused_nothing_recorded() -> None:
    for role in (Role.SOCIAL_WORKER, Role.PROVIDER, Role.NIGHT_PATROL, Role.UNIT_MANAGER):
        request = val.ChoiceRegistered(
            case=CASE,
            at=se(2026, 3, 3, 9),
            actor=Actor("x-1", role),
            provider=NORR,
            form=val.ChoiceForm.ORAL,
        )
        with pytest.raises(NotPermitted) as caught:
            val.decide(request, val.initial_state)
        assert "biståndshandläggare" in str(caught.value)
        assert "x-1" not in str(caught.value)


def test_x2_given_a_distributed_case_when_the_assessor_starts_execution_then_refused() -> None:
    state, _ = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 10, 0))
    with pytest.raises(NotPermitted):
        val.decide(val.ExecutionStarted(case=CASE, at=se(2026, 3, 3, 12), actor=ASSESSOR), state)
    assert val.execution_deadline_of(state) is not None  # unchanged state


def test_val9_to_val11_given_a_private_provider_contacted_after_14_then_counted_from_it() -> None:
    state, _ = _run(
        [
            val.ChoiceRegistered(
                case=CASE, at=se(2026, 3, 3, 9), actor=ASSESSOR, provider=OMSORG,
                form=val.ChoiceForm.WRITTEN,
            ),
            val.AssignmentPrepared(case=CASE, at=se(2026, 3, 3, 9, 30), actor=ASSESSOR),
            val.DistributeAssignment(case=CASE, at=se(2026, 3, 3, 10), actor=ASSESSOR),
            val.ProviderContacted(
                case=CASE, at=se(2026, 3, 3, 15), actor=ASSESSOR,
                channel=val.ContactChannel.EMAIL, delivery=val.Delivery.POST,
            ),
        ]
    )  # fmt: skip
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline.counted_from == se(2026, 3, 4, 7, 0)
    assert deadline.due == se(2026, 3, 5, 7, 0)
    assert "kontakten med utföraren" in deadline.explain()
    done, _ = _run(
        [
            val.ReceiptConfirmed(case=CASE, at=se(2026, 3, 3, 16), actor=PROVIDER),
            val.ReceiptFiled(case=CASE, at=se(2026, 3, 3, 16, 30), actor=ASSESSOR),
            val.FirstInterventionReported(
                case=CASE,
                at=se(2026, 3, 4, 12),
                actor=PROVIDER,
                first_intervention=date(2026, 3, 4),
            ),
            val.RegisterExecution(case=CASE, at=se(2026, 3, 4, 13), actor=ASSESSOR),
            val.ConfirmExecutionDate(case=CASE, at=se(2026, 3, 4, 13, 5), actor=ASSESSOR),
        ],
        state,
    )
    assert done.executed_from == date(2026, 3, 4)
    assert _kinds(done, se(2026, 4, 1)) == []


def test_val9_given_a_private_provider_when_contacted_through_the_system_then_refused() -> None:
    state, _ = _run(
        [
            val.ChoiceRegistered(
                case=CASE, at=se(2026, 3, 3, 9), actor=ASSESSOR, provider=OMSORG,
                form=val.ChoiceForm.WRITTEN,
            ),
            val.AssignmentPrepared(case=CASE, at=se(2026, 3, 3, 9, 30), actor=ASSESSOR),
            val.DistributeAssignment(case=CASE, at=se(2026, 3, 3, 10), actor=ASSESSOR),
        ]
    )  # fmt: skip
    request = val.ProviderContacted(
        case=CASE, at=se(2026, 3, 3, 11), actor=ASSESSOR,
        channel=val.ContactChannel.SYSTEM, delivery=val.Delivery.PICK_UP,
    )  # fmt: skip
    with pytest.raises(ArendefordelningError) as caught:
        val.decide(request, state)
    message = str(caught.value)
    assert "e-post" in message or "e-mail" in message


def test_val2_given_abstention_when_registered_then_provider_next_in_turn_gets_it() -> None:
    providers = [Provider("Östra Omsorg"), Provider("Ängens Hemtjänst"), Provider("Björk Vård")]
    rotation = RotationList.alphabetical("Norr", providers, joined=date(2026, 1, 1))
    # Swedish alphabetical order: B … Ä … Ö (å, ä, ö after z).
    assert [p.name for p in rotation.providers] == [
        "Björk Vård",
        "Ängens Hemtjänst",
        "Östra Omsorg",
    ]
    chosen = []
    for day in range(2, 8):
        provider, rotation = rotation.take(date(2026, 3, day))
        chosen.append(provider.name)
    assert chosen == ["Björk Vård", "Ängens Hemtjänst", "Östra Omsorg"] * 2
    state, _ = _run(
        [
            val.RegisterAbstention(
                case=CASE, at=se(2026, 3, 9, 9), actor=ASSESSOR,
                rotation=RotationList.alphabetical("Norr", providers, joined=date(2026, 1, 1)),
            )
        ]
    )  # fmt: skip
    assert state.provider == Provider("Björk Vård")
    assert state.abstained


def test_val2_given_paused_provider_when_its_turn_comes_then_it_keeps_its_turn() -> None:
    a, b, c = Provider("A"), Provider("B"), Provider("C")
    rotation = RotationList.alphabetical("Syd", [a, b, c], joined=date(2026, 1, 1))
    rotation = rotation.pause(a, date(2026, 3, 1), date(2026, 3, 10), "full")
    first, rotation = rotation.take(date(2026, 3, 2))
    second, rotation = rotation.take(date(2026, 3, 3))
    assert (first, second) == (b, c)
    # A is back: it is served on the turn it kept, before the order moves on.
    third, rotation = rotation.take(date(2026, 3, 11))
    assert third == a
    assert rotation.counts == {a: 1, b: 1, c: 1}


@settings(max_examples=50, derandomize=True)
@given(st.integers(min_value=2, max_value=6), st.integers(min_value=1, max_value=40))
def test_val2_law_without_caps_or_pauses_counts_differ_by_at_most_one(
    size: int, takes: int
) -> None:
    providers = [Provider(f"Utförare {chr(65 + i)}") for i in range(size)]
    rotation = RotationList.alphabetical("Väst", providers, joined=date(2026, 1, 1))
    for k in range(takes):
        _, rotation = rotation.take(date(2026, 1, 1) + timedelta(days=k))
    counts = list(rotation.counts.values())
    assert max(counts) - min(counts) <= 1
    assert sum(counts) == takes


def test_val7_given_customer_with_provider_urgent_then_that_provider_gets_it() -> None:
    rotation = RotationList.alphabetical(
        "Norr", [Provider("A"), Provider("B")], joined=date(2026, 1, 1)
    )
    urgent = val.AssignUrgently(
        case=CASE, at=se(2026, 3, 3, 22), actor=NIGHT, start_by=se(2026, 3, 4, 8),
        rotation=rotation, current_provider=NORR,
    )  # fmt: skip
    state, log = _run([urgent])
    assert state.provider == NORR
    assert isinstance(log[0], val.UrgentlyAssigned)
    assert log[0].provider == NORR
    new = val.AssignUrgently(
        case="K-2", at=se(2026, 3, 3, 22), actor=NIGHT, start_by=se(2026, 3, 4, 8),
        rotation=rotation,
    )  # fmt: skip
    other, _ = _run([new])
    assert other.provider == Provider("A")
    with pytest.raises(NotPermitted):
        val.decide(
            val.AssignUrgently(
                case="K-3", at=se(2026, 3, 3, 22), actor=PROVIDER, start_by=se(2026, 3, 4, 8),
                rotation=rotation,
            ),
            val.initial_state,
        )  # fmt: skip


def _rechoice(
    notified_out: datetime, notified_in: datetime, channel_in: val.ContactChannel | None = None
) -> val.ProviderChoiceState:
    state, _ = _municipal(se(2026, 1, 5, 9), se(2026, 1, 5, 10))
    state, _ = _run([val.ExecutionStarted(case=CASE, at=se(2026, 1, 5, 12), actor=PROVIDER)], state)
    incoming = OMSORG
    state, _ = _run(
        [
            val.RegisterRechoice(
                case=CASE, at=se(2026, 3, 2, 9), actor=ASSESSOR, incoming=incoming,
                form=val.ChoiceForm.WRITTEN, chosen_on=date(2026, 3, 2),
            ),
            val.OutgoingProviderNotified(
                case=CASE, at=notified_out, actor=ASSESSOR, channel=val.ContactChannel.SYSTEM
            ),
            val.IncomingProviderNotified(
                case=CASE, at=notified_in, actor=ASSESSOR,
                channel=channel_in or val.ContactChannel.EMAIL,
            ),
        ],
        state,
    )  # fmt: skip
    return state


def test_val12_val13_given_both_providers_notified_together_then_no_deviation() -> None:
    state = _rechoice(se(2026, 3, 2, 10), se(2026, 3, 2, 10))
    assert state.rechoice is not None
    assert state.rechoice.outgoing == NORR
    assert state.rechoice.incoming == OMSORG
    assert not [k for k in _kinds(state, se(2026, 3, 3)) if k[0] == "VAL-13"]


def test_val13_given_the_providers_notified_an_hour_apart_then_not_at_the_same_time() -> None:
    state = _rechoice(se(2026, 3, 2, 10), se(2026, 3, 2, 11))
    assert ("VAL-13", "NOT_SIMULTANEOUS") in _kinds(state, se(2026, 3, 3))


def test_val13_given_the_providers_notified_the_day_after_the_choice_then_not_the_same_day() -> (
    None
):
    state = _rechoice(se(2026, 3, 3, 10), se(2026, 3, 3, 10))
    found = _kinds(state, se(2026, 3, 4))
    assert ("VAL-13", "NOT_SAME_DAY") in found
    assert ("VAL-13", "NOT_SIMULTANEOUS") not in found


def test_val13_given_private_incoming_provider_when_notified_by_system_then_refused() -> None:
    with pytest.raises(ArendefordelningError):
        _rechoice(se(2026, 3, 2, 10), se(2026, 3, 2, 10), val.ContactChannel.SYSTEM)


def test_val13_given_a_municipal_outgoing_provider_when_notified_by_email_then_refused() -> None:
    state, _ = _municipal(se(2026, 1, 5, 9), se(2026, 1, 5, 10))
    state, _ = _run(
        [
            val.ExecutionStarted(case=CASE, at=se(2026, 1, 5, 12), actor=PROVIDER),
            val.RegisterRechoice(
                case=CASE, at=se(2026, 3, 2, 9), actor=ASSESSOR, incoming=OMSORG,
                form=val.ChoiceForm.WRITTEN, chosen_on=date(2026, 3, 2),
            ),
        ],
        state,
    )  # fmt: skip
    with pytest.raises(ArendefordelningError):
        val.decide(
            val.OutgoingProviderNotified(
                case=CASE, at=se(2026, 3, 2, 10), actor=ASSESSOR, channel=val.ContactChannel.EMAIL
            ),
            state,
        )


@pytest.mark.parametrize(
    ("takeover", "inside"),
    [
        (date(2026, 3, 9), False),  # later notification (3 March) + 6 days
        (date(2026, 3, 10), True),  # + 7 days: the first day of the window
        (date(2026, 3, 17), True),  # + 14 days: the last day of the window
        (date(2026, 3, 18), False),  # + 15 days
    ],
)
def test_val18_given_takeover_date_when_reported_then_it_must_lie_7_to_14_days_after_the_later_notification(  # noqa: E501
    takeover: date, inside: bool
) -> None:
    state = _rechoice(se(2026, 3, 2, 10), se(2026, 3, 3, 10))  # the later: 3 March
    assert val.switch_window_of(state) == (date(2026, 3, 10), date(2026, 3, 17))
    reported, _ = _run(
        [
            val.TakeoverDateReported(
                case=CASE, at=se(2026, 3, 4, 10), actor=PROVIDER, takeover=takeover
            )
        ],
        state,
    )
    found = [k for k in _kinds(reported, se(2026, 4, 30)) if k[0] == "VAL-18"]
    assert found == ([] if inside else [("VAL-18", "OUTSIDE_WINDOW")])


def test_val15_val16_given_no_consent_when_documentation_is_handed_over_then_refused() -> None:
    state = _rechoice(se(2026, 3, 2, 10), se(2026, 3, 2, 10))
    refused, _ = _run(
        [
            val.LastDayAgreed(
                case=CASE, at=se(2026, 3, 3, 10), actor=PROVIDER, last_day=date(2026, 3, 12),
                documentation_consent=False,
            )
        ],
        state,
    )  # fmt: skip
    with pytest.raises(ForbiddenStep):
        val.decide(
            val.DocumentationHandedOver(case=CASE, at=se(2026, 3, 4, 10), actor=PROVIDER), refused
        )
    consented, _ = _run(
        [
            val.LastDayAgreed(
                case=CASE, at=se(2026, 3, 3, 10), actor=PROVIDER, last_day=date(2026, 3, 12),
                documentation_consent=True,
            ),
            val.DocumentationHandedOver(case=CASE, at=se(2026, 3, 4, 10), actor=PROVIDER),
        ],
        state,
    )  # fmt: skip
    assert consented.rechoice is not None
    assert consented.rechoice.documentation_handed_over


def test_x7_given_full_identity_number_in_free_text_then_refused_without_repeating_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        val.InterventionNotExecuted(
            case=CASE, at=se(2026, 3, 3, 9), actor=PROVIDER,
            intervention="dusch", reason="kunden 19121212-1212 var inte hemma",
        )  # fmt: skip
    assert "1212" not in str(caught.value)
    assert "case number" in str(caught.value) or "ärendenummer" in str(caught.value)


# --------------------------------------------------------------------------- routine OV

SOCIAL = Actor("ss-1", Role.SOCIAL_WORKER)
MANAGER = Actor("ec-1", Role.UNIT_MANAGER)
THERAPIST = Actor("b-1", Role.THERAPIST)
COUNSELLOR = Actor("k-1", Role.COUNSELLOR)
ALL_THREE = (Role.INDIVIDUAL, Role.SOCIAL_WORKER, Role.THERAPIST)


def _ov(
    requests: list[object], state: ov.OutpatientCareState | None = None
) -> tuple[ov.OutpatientCareState, list[Event]]:
    current = ov.initial_state if state is None else state
    log: list[Event] = []
    for request in requests:
        events = ov.decide(request, current)  # type: ignore[arg-type]
        current = ov.replay(events, current)
        log.extend(events)
    return current, log


def _ov_kinds(state: ov.OutpatientCareState, as_of: datetime) -> list[tuple[str, str]]:
    return [(d.requirement, d.kind.name) for d in ov.deviations(state, as_of=as_of)]


def _start_requests(start: datetime, therapists: tuple[str, ...] = ("b-1",)) -> list[object]:
    """OV-1…OV-4: decided, unit manager informed, therapists assigned and told, started."""
    day = start - timedelta(days=3)
    return [
        ov.DecisionMade(case="O-1", at=day, actor=SOCIAL, intervention="samtalsstöd"),
        ov.UnitManagerInformed(case="O-1", at=day + timedelta(hours=1), actor=SOCIAL),
        ov.TherapistsAssigned(
            case="O-1", at=day + timedelta(days=1), actor=MANAGER, therapists=therapists
        ),
        ov.TherapistsBriefed(case="O-1", at=day + timedelta(days=1, hours=1), actor=MANAGER),
        ov.SocialWorkerToldOfTherapists(
            case="O-1", at=day + timedelta(days=1, hours=2), actor=MANAGER
        ),
        ov.AssignmentStarted(case="O-1", at=start, actor=SOCIAL),
    ]


def _started(start: datetime, therapists: tuple[str, ...] = ("b-1",)) -> ov.OutpatientCareState:
    state, _ = _ov(_start_requests(start, therapists))
    return state


def _met(start: datetime, meeting: datetime) -> ov.OutpatientCareState:
    """…OV-5…OV-7: contact, care plan, meeting booked and held."""
    state, _ = _ov(
        [
            ov.SocialWorkerContacted(case="O-1", at=start + timedelta(hours=1), actor=THERAPIST),
            ov.CarePlanSent(case="O-1", at=start + timedelta(hours=2), actor=SOCIAL),
            ov.MeetingBooked(
                case="O-1", at=start + timedelta(hours=3), actor=SOCIAL, meeting_at=meeting
            ),
            ov.FirstMeetingHeld(case="O-1", at=meeting, actor=THERAPIST, participants=ALL_THREE),
            ov.TreatmentStarted(case="O-1", at=meeting + timedelta(hours=1), actor=THERAPIST),
        ],
        _started(start),
    )
    return state


def test_ov1_to_ov7_given_the_routine_followed_then_no_deviation_and_the_plan_is_due() -> None:
    state = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))
    assert state.stage is ov.Stage.IN_TREATMENT
    due = ov.implementation_plan_due_of(state)
    assert due is not None
    assert due.requirement == "OV-8"
    assert due.day == date(2026, 3, 31)
    assert due.due == se(
        *(date(2026, 3, 31) + timedelta(days=1)).timetuple()[:3]
    )  # the whole day counts  # Tuesday 10 March + 21 days
    assert _ov_kinds(state, se(2026, 3, 31, 12)) == []


def test_ov8_given_a_first_meeting_3_december_when_plan_comes_on_28_december_then_in_time() -> None:
    # 3 + 21 = julafton (Thursday); 25, 26 and the weekend: Monday 28 December.
    state = _met(se(2026, 11, 30, 9), se(2026, 12, 3, 10))
    due = ov.implementation_plan_due_of(state)
    assert due is not None
    assert due.day == date(2026, 12, 28)
    assert due.due == se(
        *(date(2026, 12, 28) + timedelta(days=1)).timetuple()[:3]
    )  # the whole day counts
    assert ("OV-8", "MISSING") not in _ov_kinds(state, se(2026, 12, 28, 23, 59, 59))
    assert ("OV-8", "MISSING") in _ov_kinds(state, se(2026, 12, 29, 0, 0, 1))
    written, _ = _ov(
        [ov.ImplementationPlanWritten(case="O-1", at=se(2026, 12, 28, 16), actor=THERAPIST)], state
    )
    assert [k for k in _ov_kinds(written, se(2027, 1, 10)) if k[0] == "OV-8"] == []


def test_ov8_given_the_plan_a_day_late_then_late_and_without_the_client_incomplete() -> None:
    state = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))
    late, _ = _ov(
        [
            ov.ImplementationPlanWritten(
                case="O-1", at=se(2026, 4, 1, 9), actor=COUNSELLOR, with_client=False
            )
        ],
        state,
    )
    found = [k for k in _ov_kinds(late, se(2026, 4, 2)) if k[0] == "OV-8"]
    assert sorted(found) == [("OV-8", "INCOMPLETE"), ("OV-8", "LATE")]
    # As known on 31 March at noon, nothing was wrong yet.
    assert _ov_kinds(late, se(2026, 3, 31, 12)) == []


def test_ov9_given_a_start_on_30_november_and_no_follow_up_then_missing_after_2_march() -> None:
    # 30 November 2025 + 3 months clamps to 28 February 2026, a Saturday: Monday 2 March.
    state = _started(se(2025, 11, 30, 10))
    due = ov.follow_up_due_of(state)
    assert due is not None
    assert due.requirement == "OV-9"
    assert due.day == date(2026, 3, 2)
    assert due.due == se(
        *(date(2026, 3, 2) + timedelta(days=1)).timetuple()[:3]
    )  # the whole day counts
    assert ("OV-9", "MISSING") not in _ov_kinds(state, se(2026, 3, 2, 23, 59))
    assert ("OV-9", "MISSING") in _ov_kinds(state, se(2026, 3, 3, 0, 1))


def test_ov9_given_follow_ups_when_each_is_held_then_the_next_counts_from_the_latest() -> None:
    state = _met(se(2026, 8, 31, 9), se(2026, 9, 7, 10))
    first = ov.follow_up_due_of(state)
    assert first is not None
    assert first.day == date(2026, 11, 30)
    assert first.due == se(
        *(date(2026, 11, 30) + timedelta(days=1)).timetuple()[:3]
    )  # the whole day counts  # 31 August → 30 November
    held, _ = _ov(
        [
            ov.FollowUpHeld(
                case="O-1", at=se(2026, 11, 20, 10), actor=SOCIAL, participants=ALL_THREE
            )
        ],
        state,
    )
    nxt = ov.follow_up_due_of(held)
    assert nxt is not None
    assert nxt.day == date(2027, 2, 22)
    assert nxt.due == se(
        *(date(2027, 2, 22) + timedelta(days=1)).timetuple()[:3]
    )  # the whole day counts  # 20 Feb 2027 is a Saturday
    assert [k for k in _ov_kinds(held, se(2027, 2, 1)) if k[0] == "OV-9"] == []


def test_ov9_ov11_given_a_follow_up_or_closing_without_the_individual_then_incomplete() -> None:
    state = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))
    partial, _ = _ov(
        [
            ov.FollowUpHeld(
                case="O-1",
                at=se(2026, 5, 20, 10),
                actor=SOCIAL,
                participants=(Role.SOCIAL_WORKER, Role.COUNSELLOR),
            ),
            ov.ClosingConversationHeld(
                case="O-1",
                at=se(2026, 6, 1, 10),
                actor=SOCIAL,
                participants=(Role.INDIVIDUAL, Role.SOCIAL_WORKER),
            ),
        ],
        state,
    )
    found = _ov_kinds(partial, se(2026, 6, 2))
    assert ("OV-9", "INCOMPLETE") in found
    assert ("OV-11", "INCOMPLETE") in found
    assert ov.is_terminal(partial)
    texts = [d.sv for d in ov.deviations(partial, as_of=se(2026, 6, 2)) if d.requirement == "OV-9"]
    assert any("den enskilde" in text for text in texts)


def test_ov10_given_a_changed_care_plan_not_told_to_the_therapist_then_incomplete() -> None:
    state = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))
    changed, _ = _ov(
        [
            ov.CarePlanChanged(
                case="O-1",
                at=se(2026, 4, 1, 10),
                actor=SOCIAL,
                told_individual=True,
                told_therapist=False,
            )
        ],
        state,
    )
    assert ("OV-10", "INCOMPLETE") in _ov_kinds(changed, se(2026, 4, 2))


def test_x2_ov_given_roles_the_routine_names_not_when_steps_are_requested_then_refused() -> None:
    for actor in (MANAGER, THERAPIST, ASSESSOR, Actor("i-1", Role.INDIVIDUAL)):
        request = ov.DecisionMade(
            case="O-1", at=se(2026, 3, 2, 9), actor=actor, intervention="samtalsstöd"
        )
        with pytest.raises(NotPermitted) as caught:
            ov.decide(request, ov.initial_state)
        assert "socialsekreterare" in str(caught.value)
    state, _ = _ov(
        [
            ov.DecisionMade(case="O-1", at=se(2026, 3, 2, 9), actor=SOCIAL, intervention="stöd"),
            ov.UnitManagerInformed(case="O-1", at=se(2026, 3, 2, 10), actor=SOCIAL),
        ]
    )
    with pytest.raises(NotPermitted):
        ov.decide(
            ov.TherapistsAssigned(case="O-1", at=se(2026, 3, 3), actor=SOCIAL, therapists=("b-1",)),
            state,
        )
    # The unit manager may; a therapist or a counsellor may then coordinate.
    ov.decide(
        ov.TherapistsAssigned(case="O-1", at=se(2026, 3, 3), actor=MANAGER, therapists=("b-1",)),
        state,
    )


def test_ov5_given_several_therapists_when_assigned_then_they_are_asked_to_coordinate() -> None:
    state = _started(se(2026, 3, 2, 9), therapists=("b-1", "k-1"))
    actions = ov.required_actions(state)
    assert any(a.requirement == "OV-5" and "stäm av" in a.explain() for a in actions)
    single = _started(se(2026, 3, 2, 9))
    assert not any(
        a.requirement == "OV-5" and "stäm av" in a.explain() for a in ov.required_actions(single)
    )


def test_ov_given_closed_case_when_a_follow_up_is_requested_then_refused_nothing_due() -> None:
    state = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))
    closed, _ = _ov(
        [
            ov.ClosingConversationHeld(
                case="O-1", at=se(2026, 4, 1, 10), actor=SOCIAL, participants=ALL_THREE
            )
        ],
        state,
    )
    assert ov.follow_up_due_of(closed) is None
    with pytest.raises(IllegalTransition):
        ov.decide(
            ov.FollowUpHeld(
                case="O-1", at=se(2026, 5, 1, 10), actor=SOCIAL, participants=ALL_THREE
            ),
            closed,
        )
    # Nothing missing later: the case ended before the follow-up was due.
    assert [k for k in _ov_kinds(closed, se(2026, 12, 1)) if k[0] == "OV-9"] == []


def test_ov_given_another_case_when_a_step_is_requested_then_refused() -> None:
    state = _started(se(2026, 3, 2, 9))
    with pytest.raises(InvalidInput):
        ov.decide(ov.CarePlanSent(case="O-2", at=se(2026, 3, 3), actor=SOCIAL), state)


# Record, then judge: a step taken without the step the routine puts before it is
# recorded and is a deviation (the kernel's "without the step before it").


def test_ov8_given_treatment_started_before_the_first_meeting_then_deviation_not_refusal() -> None:
    state = _started(se(2026, 3, 2, 9))
    treated, _ = _ov(
        [ov.TreatmentStarted(case="O-1", at=se(2026, 3, 4, 10), actor=THERAPIST)], state
    )
    assert treated.treatment_started_at == se(2026, 3, 4, 10)
    assert ("OV-8", "WITHOUT_PRECONDITION") in _ov_kinds(treated, se(2026, 3, 5))
    # Judged as known then: before the step was taken nothing was wrong.
    assert ("OV-8", "WITHOUT_PRECONDITION") not in _ov_kinds(treated, se(2026, 3, 4, 9))
    # The first meeting held afterwards asks for the plan, not for treatment again.
    met, _ = _ov(
        [
            ov.MeetingBooked(
                case="O-1", at=se(2026, 3, 5, 9), actor=SOCIAL, meeting_at=se(2026, 3, 9, 10)
            ),
            ov.FirstMeetingHeld(
                case="O-1", at=se(2026, 3, 9, 10), actor=THERAPIST, participants=ALL_THREE
            ),
        ],
        treated,
    )
    texts = [a.explain() for a in ov.required_actions(met) if a.requirement == "OV-8"]
    assert texts
    assert not any("inled behandlingen" in text for text in texts)
    assert any("genomförandeplan" in text for text in texts)
    with pytest.raises(IllegalTransition):  # once: treatment starts once
        ov.decide(ov.TreatmentStarted(case="O-1", at=se(2026, 3, 10), actor=THERAPIST), met)


def test_ov7_given_first_meeting_held_without_a_booking_then_a_deviation_not_a_refusal() -> None:
    state = _started(se(2026, 3, 2, 9))
    met, _ = _ov(
        [
            ov.FirstMeetingHeld(
                case="O-1", at=se(2026, 3, 10, 10), actor=SOCIAL, participants=ALL_THREE
            )
        ],
        state,
    )
    assert met.stage is ov.Stage.IN_TREATMENT
    assert ("OV-7", "WITHOUT_PRECONDITION") in _ov_kinds(met, se(2026, 3, 11))
    due = ov.implementation_plan_due_of(met)
    assert due is not None
    assert due.day == date(2026, 3, 31)
    # With the booking first there is no such deviation.
    booked = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))
    assert ("OV-7", "WITHOUT_PRECONDITION") not in _ov_kinds(booked, se(2026, 3, 11))


def test_x7_given_plus_in_the_year_the_person_turns_100_then_accepted() -> None:
    assert PersonalIdentityNumber.parse("19121212+1212", today=TODAY).reveal() == "191212121212"
    # Born in 1926: 100 in 2026, so "+" from 1 January 2026 (Skatteverket, SKV 704).
    ten = _number("261231", "123")
    number = PersonalIdentityNumber.parse(f"{ten[:6]}+{ten[6:]}", today=date(2026, 1, 2))
    assert number.birth_year == 1926
    with pytest.raises(InvalidInput):
        PersonalIdentityNumber.parse(f"19{ten[:6]}+{ten[6:]}", today=date(2025, 12, 31))


def test_val6_given_a_provider_claiming_the_assessors_instruction_then_refused() -> None:
    state, _ = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 10, 0))
    agreed = val.LaterStartAgreed(
        case=CASE, at=se(2026, 3, 3, 11), actor=PROVIDER, start=se(2026, 3, 9, 8),
        basis=val.LaterStartBasis.AGREEMENT,
    )  # fmt: skip
    moved, _ = _run([agreed], state)
    assert moved.later_start == se(2026, 3, 9, 8)
    instructed = val.LaterStartAgreed(
        case=CASE, at=se(2026, 3, 3, 11), actor=PROVIDER, start=se(2026, 3, 9, 8),
        basis=val.LaterStartBasis.INSTRUCTION,
    )  # fmt: skip
    with pytest.raises(NotPermitted):
        val.decide(instructed, state)


def test_val7_given_an_urgent_assignment_when_not_executed_by_its_start_then_missing() -> None:
    urgent = val.AssignUrgently(
        case=CASE, at=se(2026, 3, 3, 22), actor=NIGHT, start_by=se(2026, 3, 4, 8),
        current_provider=NORR,
    )  # fmt: skip
    state, _ = _run([urgent])
    assert _kinds(state, se(2026, 3, 4, 8)) == []
    assert _kinds(state, se(2026, 3, 4, 8, 0, 1)) == [("VAL-7", "MISSING")]
    done, _ = _run([val.ExecutionStarted(case=CASE, at=se(2026, 3, 4, 7), actor=PROVIDER)], state)
    assert _kinds(done, se(2026, 3, 5)) == []


@pytest.mark.parametrize(("fold", "late"), [(0, False), (1, True)])
def test_val6_given_the_repeated_october_hour_when_executed_then_instants_decide(
    fold: int, late: bool
) -> None:
    # Saturday 24 October 2026 02:30 CEST (00:30 UTC) + 24 elapsed hours = 00:30 UTC on
    # Sunday, the first 02:30 of the night the clocks go back. 02:15 the second time
    # (01:15 UTC) is late although its wall clock reads earlier.
    state, _ = _municipal(se(2026, 10, 24, 1), se(2026, 10, 24, 2, 30))
    deadline = val.execution_deadline_of(state)
    assert deadline is not None
    assert deadline.due.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    executed = datetime(2026, 10, 25, 2, 15, fold=fold, tzinfo=SE)
    done, _ = _run([val.ExecutionStarted(case=CASE, at=executed, actor=PROVIDER)], state)
    assert _kinds(done, se(2026, 10, 26)) == ([("VAL-6", "LATE")] if late else [])


def test_val19_given_ongoing_home_health_care_then_the_outgoing_provider_tells_it() -> None:
    state, _ = _municipal(se(2026, 1, 5, 9), se(2026, 1, 5, 10))
    state, _ = _run(
        [
            val.ExecutionStarted(case=CASE, at=se(2026, 1, 5, 12), actor=PROVIDER),
            val.RegisterRechoice(
                case=CASE, at=se(2026, 3, 2, 9), actor=ASSESSOR, incoming=OMSORG,
                form=val.ChoiceForm.WRITTEN, chosen_on=date(2026, 3, 2), home_health_care=True,
            ),
            val.OutgoingProviderNotified(
                case=CASE, at=se(2026, 3, 2, 10), actor=ASSESSOR, channel=val.ContactChannel.SYSTEM
            ),
            val.IncomingProviderNotified(
                case=CASE, at=se(2026, 3, 2, 10), actor=ASSESSOR, channel=val.ContactChannel.EMAIL
            ),
        ],
        state,
    )  # fmt: skip
    assert "VAL-19" in [a.requirement for a in val.required_actions(state)]
    told, _ = _run(
        [
            val.HomeHealthCareToldOfSwitch(
                case=CASE, at=se(2026, 3, 3, 10), actor=PROVIDER,
                incoming_contact="Omsorg Privat AB, 08-123 456 78",
            )
        ],
        state,
    )  # fmt: skip
    assert "VAL-19" not in [a.requirement for a in val.required_actions(told)]


def test_x5_ov9_given_a_follow_up_missed_when_the_case_closes_later_then_it_stays_missing() -> None:
    state = _met(se(2026, 3, 2, 9), se(2026, 3, 10, 10))  # follow-up due 2 June
    closed, _ = _ov(
        [
            ov.ClosingConversationHeld(
                case="O-1", at=se(2026, 7, 1, 10), actor=SOCIAL, participants=ALL_THREE
            )
        ],
        state,
    )
    assert ("OV-9", "MISSING") in _ov_kinds(closed, se(2026, 8, 1))
    assert ("OV-9", "MISSING") not in _ov_kinds(closed, se(2026, 6, 2, 23))


def test_hc5_given_an_override_before_the_allocation_then_refused_saying_what_is_accepted() -> None:
    with pytest.raises(InvalidInput, match="on or after"):
        summon_deadline(date(2026, 3, 2), override=date(2026, 3, 1))


def test_val2_given_joins_leaves_and_a_cap_then_the_list_gives_only_those_who_can_receive() -> None:
    a, b, c = Provider("A"), Provider("B"), Provider("C")
    rotation = RotationList.alphabetical("N", [a, b], joined=date(2026, 1, 1))
    rotation = rotation.join(c, date(2026, 3, 10))
    assert rotation.eligible(date(2026, 3, 9)) == (a, b)  # joins from its date
    assert rotation.eligible(date(2026, 3, 10)) == (a, b, c)
    left = rotation.leave(a, date(2026, 3, 12))
    assert left.eligible(date(2026, 3, 11)) == (a, b, c)
    assert left.eligible(date(2026, 3, 12)) == (b, c)  # leaves from its date
    capped = RotationList.alphabetical("N", [a, b, c], joined=date(2026, 1, 1)).set_cap(a, 1)
    chosen = []
    for day in range(1, 8):
        provider, capped = capped.take(date(2026, 3, day))
        chosen.append(provider)
    assert chosen == [a, b, c, b, c, b, c]  # A at its cap is passed over
    provider, _ = capped.release(a).take(date(2026, 3, 9))
    assert provider == a  # a released place: A is served on the turn it kept


def test_x5_given_the_scenarios_histories_when_judged_at_every_moment_then_as_known_then() -> None:
    # Treatment before the first meeting, a meeting held unbooked, a late plan.
    _, log = _ov(
        [
            *_start_requests(se(2026, 3, 2, 9)),
            ov.TreatmentStarted(case="O-1", at=se(2026, 3, 4, 10), actor=THERAPIST),
            ov.FirstMeetingHeld(
                case="O-1", at=se(2026, 3, 9, 10), actor=THERAPIST, participants=ALL_THREE
            ),
            ov.ImplementationPlanWritten(case="O-1", at=se(2026, 4, 2, 10), actor=THERAPIST),
        ]
    )
    check_judging(ov.OUTPATIENT_CARE, log)
    # VAL: a late execution after a later start agreed too late.
    _, val_log = _municipal(se(2026, 3, 3, 9, 0), se(2026, 3, 3, 10, 0))
    _, more = _run(
        [
            val.LaterStartAgreed(
                case=CASE, at=se(2026, 3, 5, 9), actor=ASSESSOR, start=se(2026, 3, 9, 8),
                basis=val.LaterStartBasis.INSTRUCTION,
            ),
            val.ExecutionStarted(case=CASE, at=se(2026, 3, 6, 8), actor=PROVIDER),
        ],
        val.replay(val_log),  # type: ignore[arg-type]
    )  # fmt: skip
    check_judging(val.VAL, [*val_log, *more])


def test_x3_val6_given_the_calendars_end_then_the_refusal_names_no_n_never_given() -> None:
    # 2199-12-31 after 14:00 counts from 07:00 on the next working day, in 2200.
    for call in (
        lambda: execution_deadline(se(2199, 12, 31, 15)),
        lambda: WorkCalendar.swedish().next_workday(date(2199, 12, 31)),
        lambda: WorkCalendar.swedish().roll_forward(date(2199, 12, 31)),
    ):
        with pytest.raises(InvalidInput) as caught:
            call()
        assert str(caught.value) == (
            "the next working day after 2199-12-31 lies beyond 2199-12-31, the last day the "
            "calendar covers"
        )


def test_val9_given_a_private_provider_to_contact_then_the_email_names_the_case_number_only() -> (
    None
):
    state, _ = _run(
        [
            val.ChoiceRegistered(
                case="K-77", at=se(2026, 3, 3, 9), actor=ASSESSOR, provider=OMSORG,
                form=val.ChoiceForm.WRITTEN,
            ),
            val.AssignmentPrepared(
                case="K-77", at=se(2026, 3, 3, 9, 30), actor=ASSESSOR,
                relatives_phone_numbers=("070-123 45 67",),
            ),
            val.DistributeAssignment(case="K-77", at=se(2026, 3, 3, 10), actor=ASSESSOR),
        ]
    )  # fmt: skip
    (contact,) = [a for a in val.required_actions(state) if a.requirement == "VAL-9"]
    assert contact.role is Role.NEEDS_ASSESSOR
    assert contact.recipient == "Omsorg Privat AB"
    assert contact.text is not None
    assert "K-77" in contact.text
    assert "070" not in contact.text
    assert "e-post eller telefon" in contact.explain()
