"""Kernel (kärna): actors, roles, events, commands, routines as tables of steps.

Every routine is built from the same parts (design principle 2):

* an **event** (:class:`Event`) is an immutable fact with the case, when it happened
  (``at``), when it was recorded (``recorded_at``), the actor and its own fields, X-1;
  a case's history is a list of them;
* a **command** (:class:`Command`) is a request to take a step, issued by an actor in
  a role (X-2);
* a **required action** (:class:`RequiredAction`) is what must happen next, for whom
  and by when, derived from the state by a pure function;
* a **suspension** (:class:`Suspension`) stops a deadline's clock for a dated
  interval; :func:`suspended_due` does the interval arithmetic.

Nothing here reads a clock, does I/O or keeps mutable state.
"""

from __future__ import annotations

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
    event_type_name,
    identifier,
    refuse_unless_allowed,
    stopped_time,
    suspended_due,
)

__all__ = [
    "ActionKind",
    "Actor",
    "Command",
    "Decider",
    "Event",
    "RequiredAction",
    "Role",
    "Suspension",
    "authorize",
    "event_type_name",
    "identifier",
    "refuse_unless_allowed",
    "stopped_time",
    "suspended_due",
]
