"""Swedish case-allocation routines as executable, tested rules (ärendefördelning).

The package turns the written routines of Swedish municipal and healthcare case
allocation into pure functions and values: working days for statutory time
(:class:`WorkCalendar`), the deadlines of every routine, and the policies that hold
their numbers. Importing it is cheap: the holiday table is built on first use, and the
routines' modules (with their many event and command classes) are imported when one
of their names is first used, as is the kernel.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from arendefordelning import execution_deadline
>>> d = execution_deadline(datetime(2026, 3, 6, 15, 10, tzinfo=ZoneInfo("Europe/Stockholm")))
>>> d.due.isoformat()
'2026-03-10T07:00:00+01:00'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    InvalidDefinition,
    InvalidInput,
    NoProviderAvailable,
    NotPermitted,
)
from .identity import PersonalIdentityNumber, Sex
from .providers import Provider

if TYPE_CHECKING:
    from .kernel import (
        ActionKind,
        Actor,
        Anomaly,
        AnomalyKind,
        CaseState,
        Channel,
        Check,
        Command,
        Condition,
        Deviation,
        DeviationKind,
        Diagram,
        Due,
        Event,
        Finding,
        Flag,
        Folded,
        Obligation,
        Opened,
        RequiredAction,
        Role,
        Routine,
        RoutinePolicy,
        Severity,
        Step,
        Suspension,
        Table,
        diagram,
        policy_in_force,
        suspended_due,
    )
    from .routines.day_activity import DAY_ACTIVITY, DayActivityPolicy
    from .routines.outpatient_care import OUTPATIENT_CARE, OutpatientCarePolicy
    from .routines.placement import (
        CrossDistrictProposal,
        DayCentre,
        Deferred,
        District,
        Location,
        NotPlaced,
        Orientation,
        Placement,
        PlacementPlan,
        PlacementPolicy,
        PlacementRequest,
        Weekday,
        distance_km,
        place,
        rank,
    )
    from .routines.placement_simulation import simulate, summarize
    from .routines.provider_choice import PROVIDER_CHOICE, ProviderChoicePolicy
    from .routines.rotation import RotationList

__version__ = "0.1.0.dev0"

__all__ = [
    "DAY_ACTIVITY",
    "OUTPATIENT_CARE",
    "PROVIDER_CHOICE",
    "QUARTER_HOUR",
    "ActionKind",
    "Actor",
    "Anomaly",
    "AnomalyKind",
    "ArendefordelningError",
    "CaseState",
    "Channel",
    "Check",
    "Command",
    "Condition",
    "CrossDistrictProposal",
    "DayActivityPolicy",
    "DayCentre",
    "Deadline",
    "Deferred",
    "Deviation",
    "DeviationKind",
    "Diagram",
    "District",
    "Due",
    "Event",
    "ExecutionDeadlinePolicy",
    "Finding",
    "Flag",
    "Folded",
    "FollowUpPolicy",
    "IllegalTransition",
    "ImplementationPlanPolicy",
    "InvalidDefinition",
    "InvalidInput",
    "Language",
    "Location",
    "NoProviderAvailable",
    "NotPermitted",
    "NotPlaced",
    "Obligation",
    "Opened",
    "Orientation",
    "OutpatientCarePolicy",
    "PersonalIdentityNumber",
    "Placement",
    "PlacementPlan",
    "PlacementPolicy",
    "PlacementRequest",
    "Provider",
    "ProviderChoicePolicy",
    "ProviderKind",
    "RequiredAction",
    "Role",
    "RotationList",
    "Routine",
    "RoutinePolicy",
    "Severity",
    "Sex",
    "Step",
    "SummonPolicy",
    "Suspension",
    "SwitchWindowPolicy",
    "Table",
    "Weekday",
    "WorkCalendar",
    "__version__",
    "diagram",
    "distance_km",
    "execution_deadline",
    "implementation_plan_due",
    "next_follow_up_due",
    "place",
    "policy_in_force",
    "rank",
    "round_up_to_quarter",
    "simulate",
    "summarize",
    "summon_deadline",
    "suspended_due",
    "switch_window",
]

# Routine modules define dozens of attrs classes, and the kernel a score of them;
# importing them only when one of their names is asked for keeps
# ``import arendefordelning`` (and the command line) cheap.
_LAZY: dict[str, str] = {
    "ActionKind": ".kernel",
    "Actor": ".kernel",
    "Anomaly": ".kernel",
    "AnomalyKind": ".kernel",
    "CaseState": ".kernel",
    "Channel": ".kernel",
    "Check": ".kernel",
    "Command": ".kernel",
    "Condition": ".kernel",
    "Deviation": ".kernel",
    "DeviationKind": ".kernel",
    "Diagram": ".kernel",
    "Due": ".kernel",
    "Event": ".kernel",
    "Finding": ".kernel",
    "Flag": ".kernel",
    "Folded": ".kernel",
    "Obligation": ".kernel",
    "Opened": ".kernel",
    "RequiredAction": ".kernel",
    "Role": ".kernel",
    "Routine": ".kernel",
    "RoutinePolicy": ".kernel",
    "Severity": ".kernel",
    "Step": ".kernel",
    "Suspension": ".kernel",
    "Table": ".kernel",
    "diagram": ".kernel",
    "policy_in_force": ".kernel",
    "suspended_due": ".kernel",
    "DAY_ACTIVITY": ".routines.day_activity",
    "DayActivityPolicy": ".routines.day_activity",
    "OUTPATIENT_CARE": ".routines.outpatient_care",
    "OutpatientCarePolicy": ".routines.outpatient_care",
    "CrossDistrictProposal": ".routines.placement",
    "DayCentre": ".routines.placement",
    "Deferred": ".routines.placement",
    "District": ".routines.placement",
    "Location": ".routines.placement",
    "NotPlaced": ".routines.placement",
    "Orientation": ".routines.placement",
    "Placement": ".routines.placement",
    "PlacementPlan": ".routines.placement",
    "PlacementPolicy": ".routines.placement",
    "PlacementRequest": ".routines.placement",
    "Weekday": ".routines.placement",
    "distance_km": ".routines.placement",
    "place": ".routines.placement",
    "rank": ".routines.placement",
    "simulate": ".routines.placement_simulation",
    "summarize": ".routines.placement_simulation",
    "PROVIDER_CHOICE": ".routines.provider_choice",
    "ProviderChoicePolicy": ".routines.provider_choice",
    "RotationList": ".routines.rotation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        # The registry itself imports no routine module (importlib: not through here).
        routines = importlib.import_module(".routines", __name__)
        if name in routines.codes():  # a routine by its code: arendefordelning.VAL
            return routines.get(name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
