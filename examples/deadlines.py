"""Every deadline rule once, as a case worker would meet it.

Run with ``python examples/deadlines.py`` after installing the package.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from arendefordelning import (
    ExecutionDeadlinePolicy,
    ProviderKind,
    WorkCalendar,
    execution_deadline,
    implementation_plan_due,
    next_follow_up_due,
    round_up_to_quarter,
    summon_deadline,
    switch_window,
)

SE = ZoneInfo("Europe/Stockholm")

# VAL-6: a home-care assignment distributed on the afternoon before julafton.
deadline = execution_deadline(datetime(2026, 12, 23, 15, 0, tzinfo=SE))
print(deadline.due.isoformat())
print(deadline.explain())
print(deadline.explain("en"))

# VAL-6 for a private provider, with a start agreed with the customer.
private = execution_deadline(
    datetime(2026, 3, 6, 11, 0, tzinfo=SE),
    agreed_start=datetime(2026, 3, 16, 9, 0, tzinfo=SE),
    provider=ProviderKind.PRIVATE,
)
print(private.explain())

# a municipality that uses 15:00 as its cut-off and has a local holiday.
local = ExecutionDeadlinePolicy(
    cutoff=time(15, 0),
    calendar=WorkCalendar.swedish(extra_non_working_days={date(2026, 3, 9)}),
)
print(execution_deadline(datetime(2026, 3, 6, 15, 30, tzinfo=SE), policy=local).explain())

# HC-5, VAL-18, OV-8, OV-9, UP-3.
print("summon by", summon_deadline(date(2026, 12, 10)))
print("switch window", switch_window(date(2026, 3, 1), date(2026, 3, 3)))
print("implementation plan by", implementation_plan_due(date(2026, 5, 29)))
print("next follow-up by", next_follow_up_due(date(2026, 11, 30)))
print("granted time", round_up_to_quarter(timedelta(minutes=50)))
