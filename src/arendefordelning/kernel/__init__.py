"""Kernel (kärna): actors, roles, events, routines as tables of steps, and their judging.

Every routine is built from the same parts (design principle 2):

* an **event** (:class:`Event`) is an immutable fact with the case, when it happened
  (``at``), when it was recorded (``recorded_at``), the actor and its own fields, X-1;
  a case's history is a list of them, and the event is also the request to record it;
* a **command** (:class:`Command`) requests a step only where the request differs
  from the record (the routine computes facts of the event from the case's state);
* a **routine** (:class:`Routine`) is a declared table of :class:`Step` rows, built
  with the typed :class:`Table`, from which the kernel builds ``decide``, ``evolve``,
  ``replay``, ``fold``, the required actions, the deviations (:class:`Deviation`,
  X-5, judged as known at any moment) and the diagram (:func:`diagram`, from the
  neutral model :class:`Diagram`);
* a **required action** (:class:`RequiredAction`) is what must happen next, for whom,
  how and by when, derived from the state by a pure function; an :class:`Obligation`
  of the table says which, and its :class:`Due` time;
* a **suspension** (:class:`Suspension`) stops a deadline's clock for a dated
  interval; :func:`suspended_due` does the interval arithmetic;
* a **milestone** (:class:`Milestone`) is what a step reaches of a decision's life
  (made, executed, interrupted, resumed, ended, a delay's reason), declared on the step
  with the typed reading of its facts, so the report to IVO reads any routine (X-6).

Every text a person reads is declared in the table, in Swedish and English. Nothing
here reads a clock, does I/O or keeps mutable state. The public home of these names is
the package itself (``from arendefordelning import Routine, Table``); this module is
where they are defined.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._base import (
    ActionKind,
    Actor,
    Channel,
    Command,
    Event,
    RequiredAction,
    Role,
    Suspension,
    check_identifier,
    event_type_name,
    identifier,
    recorded,
    role_label,
    stopped_time,
    suspended_due,
)
from ._deviations import Anomaly, AnomalyKind, Deviation, DeviationKind, Severity
from ._due import Due
from ._policy import RoutinePolicy, policy_in_force, resolve_policy

if TYPE_CHECKING:
    from ._diagram import (
        Diagram,
        DiagramEdge,
        DiagramNode,
        EdgeKind,
        diagram,
        diagram_formats,
        extract_diagram,
        role_table,
    )
    from ._milestones import (
        Decided,
        DelayReason,
        Ended,
        Executed,
        Facts,
        Interrupted,
        LegalBasis,
        Milestone,
        MilestoneKind,
        Reached,
        Resumed,
    )
    from ._routine import Folded, Routine
    from ._table import (
        CaseState,
        Check,
        Condition,
        Finding,
        Flag,
        Label,
        Obligation,
        Opened,
        Step,
        Table,
    )

__all__ = [
    "ActionKind",
    "Actor",
    "Anomaly",
    "AnomalyKind",
    "CaseState",
    "Channel",
    "Check",
    "Command",
    "Condition",
    "Decided",
    "DelayReason",
    "Deviation",
    "DeviationKind",
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "Due",
    "EdgeKind",
    "Ended",
    "Event",
    "Executed",
    "Facts",
    "Finding",
    "Flag",
    "Folded",
    "Interrupted",
    "Label",
    "LegalBasis",
    "Milestone",
    "MilestoneKind",
    "Obligation",
    "Opened",
    "Reached",
    "RequiredAction",
    "Resumed",
    "Role",
    "Routine",
    "RoutinePolicy",
    "Severity",
    "Step",
    "Suspension",
    "Table",
    "check_identifier",
    "diagram",
    "diagram_formats",
    "event_type_name",
    "extract_diagram",
    "identifier",
    "policy_in_force",
    "recorded",
    "resolve_policy",
    "role_label",
    "role_table",
    "stopped_time",
    "suspended_due",
]

# The table of steps and the diagrams define many classes: they are imported when one
# of their names is first asked for, so that ``import arendefordelning`` stays cheap.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "CaseState",
            "Check",
            "Condition",
            "Finding",
            "Flag",
            "Label",
            "Obligation",
            "Opened",
            "Step",
            "Table",
        ),
        "._table",
    ),
    **dict.fromkeys(("Folded", "Routine"), "._routine"),
    **dict.fromkeys(
        (
            "Decided",
            "DelayReason",
            "Ended",
            "Executed",
            "Facts",
            "Interrupted",
            "LegalBasis",
            "Milestone",
            "MilestoneKind",
            "Reached",
            "Resumed",
        ),
        "._milestones",
    ),
    **dict.fromkeys(
        (
            "Diagram",
            "DiagramEdge",
            "DiagramNode",
            "EdgeKind",
            "diagram",
            "diagram_formats",
            "extract_diagram",
            "role_table",
        ),
        "._diagram",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
