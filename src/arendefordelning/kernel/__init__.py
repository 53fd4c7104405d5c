"""Kernel (kärna): actors, roles, events, commands, routines as tables of steps.

Every routine is built from the same parts (design principle 2):

* an **event** (:class:`Event`) is an immutable fact with the case, when it happened
  (``at``), when it was recorded (``recorded_at``), the actor and its own fields, X-1;
  a case's history is a list of them;
* a **command** (:class:`Command`) is a request to take a step, issued by an actor in
  a role (X-2);
* a **routine** (:class:`Routine`) is a declared table of :class:`Step` values, from
  which the kernel builds ``decide``, ``evolve``, ``replay``, the required actions,
  the deviations (:class:`Deviation`, X-5) and the diagram (:func:`diagram`, from the
  neutral model :class:`Diagram`);
* a **required action** (:class:`RequiredAction`) is what must happen next, for whom
  and by when, derived from the state by a pure function; an :class:`Obligation` of
  the table says which, and its :class:`Due` time;
* a **suspension** (:class:`Suspension`) stops a deadline's clock for a dated
  interval; :func:`suspended_due` does the interval arithmetic.

Nothing here reads a clock, does I/O or keeps mutable state.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._base import (
    ActionKind,
    Actor,
    Command,
    Decider,
    Event,
    RequiredAction,
    Role,
    Suspension,
    authorize,
    check_identifier,
    event_type_name,
    identifier,
    recorded,
    refuse_unless_allowed,
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
    from ._table import CaseState, Finding, Flag, Obligation, Opened, Refusal, Routine, Step

__all__ = [
    "ActionKind",
    "Actor",
    "Anomaly",
    "AnomalyKind",
    "CaseState",
    "Command",
    "Decider",
    "Deviation",
    "DeviationKind",
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "Due",
    "EdgeKind",
    "Event",
    "Finding",
    "Flag",
    "Obligation",
    "Opened",
    "Refusal",
    "RequiredAction",
    "Role",
    "Routine",
    "RoutinePolicy",
    "Severity",
    "Step",
    "Suspension",
    "authorize",
    "check_identifier",
    "diagram",
    "diagram_formats",
    "event_type_name",
    "extract_diagram",
    "identifier",
    "policy_in_force",
    "recorded",
    "refuse_unless_allowed",
    "resolve_policy",
    "role_table",
    "stopped_time",
    "suspended_due",
]

# The table of steps and the diagrams define many classes: they are imported when one
# of their names is first asked for, so that ``import arendefordelning`` stays cheap.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ("CaseState", "Finding", "Flag", "Obligation", "Opened", "Refusal", "Routine", "Step"),
        "._table",
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
