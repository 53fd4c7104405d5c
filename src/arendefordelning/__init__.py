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
from .errors import (
    ArendefordelningError,
    IllegalTransition,
    InvalidInput,
    NoProviderAvailable,
    NotPermitted,
)
from .identity import PersonalIdentityNumber
from .kernel import (
    ActionKind,
    Actor,
    Command,
    Decider,
    Event,
    RequiredAction,
    Role,
    Suspension,
    suspended_due,
)
from .providers import Provider
from .routines.provider_choice import PROVIDER_CHOICE, ProviderChoicePolicy
from .routines.rotation import RotationList

__version__ = "0.1.0.dev0"

__all__ = [
    "PROVIDER_CHOICE",
    "QUARTER_HOUR",
    "ActionKind",
    "Actor",
    "ArendefordelningError",
    "Command",
    "Deadline",
    "Decider",
    "Event",
    "ExecutionDeadlinePolicy",
    "FollowUpPolicy",
    "IllegalTransition",
    "ImplementationPlanPolicy",
    "InvalidInput",
    "Language",
    "NoProviderAvailable",
    "NotPermitted",
    "PersonalIdentityNumber",
    "Provider",
    "ProviderChoicePolicy",
    "ProviderKind",
    "RequiredAction",
    "Role",
    "RotationList",
    "SummonPolicy",
    "Suspension",
    "SwitchWindowPolicy",
    "WorkCalendar",
    "__version__",
    "execution_deadline",
    "implementation_plan_due",
    "next_follow_up_due",
    "round_up_to_quarter",
    "summon_deadline",
    "suspended_due",
    "switch_window",
]
