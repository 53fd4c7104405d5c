"""Swedish case-allocation routines as executable, tested rules (ärendefördelning).

The package turns the written routines of Swedish municipal and healthcare case
allocation into pure functions and values: working days for statutory time
(:class:`WorkCalendar`), the deadlines of every routine, and the policies that hold
their numbers. Importing it is cheap; the holiday table is built on first use.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from arendefordelning import execution_deadline
>>> d = execution_deadline(datetime(2026, 3, 6, 15, 10, tzinfo=ZoneInfo("Europe/Stockholm")))
>>> d.due.isoformat()
'2026-03-10T07:00:00+01:00'
"""

from __future__ import annotations

from .calendar import WorkCalendar
from .deadlines import (
    QUARTER_HOUR,
    Deadline,
    ExecutionDeadlinePolicy,
    FollowUpPolicy,
    ImplementationPlanPolicy,
    Language,
    ProviderKind,
    SummonPolicy,
    SwitchWindowPolicy,
    execution_deadline,
    implementation_plan_due,
    next_follow_up_due,
    round_up_to_quarter,
    summon_deadline,
    switch_window,
)
from .errors import ArendefordelningError, InvalidInput

__version__ = "0.1.0.dev0"

__all__ = [
    "QUARTER_HOUR",
    "ArendefordelningError",
    "Deadline",
    "ExecutionDeadlinePolicy",
    "FollowUpPolicy",
    "ImplementationPlanPolicy",
    "InvalidInput",
    "Language",
    "ProviderKind",
    "SummonPolicy",
    "SwitchWindowPolicy",
    "WorkCalendar",
    "__version__",
    "execution_deadline",
    "implementation_plan_due",
    "next_follow_up_due",
    "round_up_to_quarter",
    "summon_deadline",
    "switch_window",
]
