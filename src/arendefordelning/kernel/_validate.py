"""Checking a routine's table when it is defined (kontroll av tabellen), X-1, X-2.

As python-statemachine checks a machine when its class is created, every problem of a
table is found at once and reported together (in
:class:`~arendefordelning.errors.InvalidDefinition`): names, classes, requirement IDs,
references between steps, obligations, labels, reachability and the milestones of a
decision (X-6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._validators import class_name
from ..requirements import is_requirement
from ._base import Command, Event, Role
from ._milestones import Milestone, MilestoneKind
from ._table import Check, Condition, Flag, Obligation, Step

if TYPE_CHECKING:
    from ._routine import Routine

__all__ = ["validate"]


def validate(routine: Routine[Any, Any, Any]) -> list[str]:
    """Return every problem of a routine's table; an empty list when it holds."""
    problems: list[str] = []
    names: dict[str, Step[Any, Any]] = {}
    rows: tuple[object, ...] = routine.steps
    for step in rows:
        if not isinstance(step, Step):
            problems.append(f"{step!r} is not a Step (build rows with Table.step)")
            continue
        if step.name in names:
            problems.append(f"two steps are named {step.name!r}")
        names[step.name] = step
    steps = list(names.values())
    problems += _roles_and_guards(steps)
    problems += _classes(routine, steps)
    problems += _references(steps, names)
    problems += _obligations(steps, names)
    problems += _reachability(routine, steps, names)
    problems += _milestones(routine, steps)
    return problems


def _classes(routine: Routine[Any, Any, Any], steps: list[Step[Any, Any]]) -> list[str]:
    """Each step's event and command are classes of the routine, each used by one step."""
    problems: list[str] = []
    owners: dict[type, str] = {}
    for step in steps:
        pairs: list[tuple[object, type, str]] = [(step.event, Event, "event")]
        if step.command is not None:
            pairs.append((step.command, Command, "command"))
        for given, base, label in pairs:
            if not (isinstance(given, type) and issubclass(given, base)):
                problems.append(
                    f"step {step.name!r}: {label} {given!r} is not a {class_name(base)} class"
                )
            elif given in owners:
                problems.append(
                    f"step {step.name!r}: {label} {class_name(given)} is also used by step "
                    f"{owners[given]!r}"
                )
            else:
                owners[given] = step.name
        if getattr(step.event, "routine", None) != routine.code:
            problems.append(
                f"step {step.name!r}: event {class_name(step.event)} "
                f"belongs to routine {getattr(step.event, 'routine', None)!r}, not "
                f"{routine.code!r}"
            )
        if (step.command is None) != (step.build is None):
            problems.append(
                f"step {step.name!r}: a command needs build (to make the event) and build "
                "needs a command"
            )
    for cls in routine.extra_events:
        if getattr(cls, "routine", None) != routine.code:
            problems.append(f"extra event {class_name(cls)} belongs to another routine")
    return problems


def _roles_and_guards(steps: list[Step[Any, Any]]) -> list[str]:
    """Every step names Role members that may take it, and its condition has a label."""
    problems: list[str] = []
    for step in steps:
        if not step.roles:
            problems.append(f"step {step.name!r} names no role that may take it (X-2)")
        roles: tuple[object, ...] = tuple(step.roles)
        if not all(isinstance(role, Role) for role in roles):
            problems.append(f"step {step.name!r}: roles must be Role members")
        when: object = step.when
        if when is not None and not isinstance(when, Condition):
            problems.append(f"step {step.name!r}: when must be a Condition (with its label)")
    return problems


def _references(steps: list[Step[Any, Any]], names: Mapping[str, Step[Any, Any]]) -> list[str]:
    """Every step and requirement a step names exists, and every rule is labelled."""
    problems: list[str] = []
    for step in steps:
        if not step.requirements:
            problems.append(f"step {step.name!r} names no requirement")
        given: list[object] = [*step.checks, *step.flags]
        rules = [rule for rule in given if isinstance(rule, Check | Flag)]
        problems += [
            f"step {step.name!r}: {rule!r} is not a Check or Flag"
            for rule in given
            if not isinstance(rule, Check | Flag)
        ]
        cited = [*step.requirements, *(rule.requirement for rule in rules)]
        problems += [
            f"step {step.name!r}: unknown requirement {requirement!r}"
            for requirement in cited
            if not is_requirement(requirement)
        ]
        for field in ("after", "after_any", "not_after", "resets"):
            problems += [
                f"step {step.name!r}: {field} names an unknown step {name!r}"
                for name in getattr(step, field)
                if name not in names
            ]
    return problems


def _obligations(steps: list[Step[Any, Any]], names: Mapping[str, Step[Any, Any]]) -> list[str]:
    """Obligations: unique names, known requirements and steps, roles, readable events."""
    problems: list[str] = []
    found: dict[str, Obligation[Any, Any, Any]] = {}
    openers: dict[str, list[Step[Any, Any]]] = {}
    for step in steps:
        opened: tuple[object, ...] = step.opens
        for obligation in opened:
            if not isinstance(obligation, Obligation):
                problems.append(f"step {step.name!r} opens {obligation!r}, not an Obligation")
                continue
            if found.get(obligation.name, obligation) is not obligation:
                problems.append(f"two obligations are named {obligation.name!r}")
            found[obligation.name] = obligation
            openers.setdefault(obligation.name, []).append(step)
    for obligation in found.values():
        problems += _obligation(obligation, openers[obligation.name], names)
    return problems


def _obligation(
    obligation: Obligation[Any, Any, Any],
    openers: list[Step[Any, Any]],
    names: Mapping[str, Step[Any, Any]],
) -> list[str]:
    """One obligation's problems: requirement, steps, roles, words, the events it reads."""
    label = f"obligation {obligation.name!r}"
    problems: list[str] = []
    if not is_requirement(obligation.requirement):
        problems.append(f"{label}: unknown requirement {obligation.requirement!r}")
    if not obligation.met_by:
        problems.append(f"{label} names no step that meets it")
    roles: tuple[object, ...] = obligation.roles
    if not roles or not all(isinstance(r, Role) for r in roles):
        problems.append(f"{label} names no role (Role members) that must act")
    problems += [
        f"{label} names an unknown step {name!r}"
        for name in (*obligation.met_by, *obligation.void_by, *obligation.moved_by)
        if name not in names
    ]
    meeting = [names[n] for n in obligation.met_by if n in names]
    if meeting and not any(role in step.roles for step in meeting for role in obligation.roles):
        named = ", ".join(repr(role.value) for role in obligation.roles)
        problems.append(f"{label}: the roles {named} take none of the steps that meet it")
    if obligation.due is not None and (obligation.since is None or obligation.rule is None):
        problems.append(f"{label} has a due time: declare since= and rule= (its words)")
    when: object = obligation.when
    if when is not None and not isinstance(when, Condition):
        problems.append(f"{label}: when must be a Condition (with its label)")
    problems += [
        f"{label} reads {class_name(obligation.event)} events, but step {step.name!r} "
        f"opens it with {class_name(step.event)}"
        for step in openers
        if not issubclass(step.event, obligation.event)
    ]
    return problems


def _reachability(
    routine: Routine[Any, Any, Any],
    steps: list[Step[Any, Any]],
    names: Mapping[str, Step[Any, Any]],
) -> list[str]:
    """List the steps that can never become enabled, and a terminal step out of reach.

    A step is reachable once all of ``after`` and one of ``after_any`` are; conditions
    and ``not_after`` are taken as satisfiable.
    """
    reached: set[str] = set()
    changed = True
    while changed:
        changed = False
        for step in steps:
            if step.name in reached:
                continue
            if all(n in reached for n in step.after) and (
                not step.after_any or any(n in reached for n in step.after_any)
            ):
                reached.add(step.name)
                changed = True
    problems = [
        f"step {step.name!r} can never be taken: a step it comes after is unreachable"
        for step in steps
        if step.name not in reached and all(n in names for n in (*step.after, *step.after_any))
    ]
    if steps and not any(step.after == () and step.after_any == () for step in steps):
        problems.append("no step can be the first: every step comes after another")
    if not routine.open_ended and not any(step.terminal and step.name in reached for step in steps):
        problems.append(
            "no terminal step can be reached; mark the closing step terminal=True, or "
            "define the routine with open_ended=True"
        )
    return problems


def _milestones(routine: Routine[Any, Any, Any], steps: list[Step[Any, Any]]) -> list[str]:
    """List the problems of the milestones (X-6): declared with Milestone, enough of them.

    A routine of social-services decisions declares where a decision is made and where
    it is executed; a routine that records an interruption records the resumption too.
    """
    problems: list[str] = []
    kinds: set[MilestoneKind] = set()
    for step in steps:
        given: object = step.milestone
        if given is None:
            continue
        if not isinstance(given, Milestone):
            problems.append(f"step {step.name!r}: milestone must be a Milestone (X-6)")
            continue
        kinds.add(given.kind)
    flag: object = routine.social_services
    if not isinstance(flag, bool):
        problems.append("social_services must be True or False (X-6)")
    elif flag:
        problems += [
            f"a routine of social-services decisions declares the step where {words} "
            f"(a step with a {kind.name} milestone) (X-6)"
            for kind, words in (
                (MilestoneKind.DECISION, "a decision is made"),
                (MilestoneKind.EXECUTED, "a decision is executed"),
            )
            if kind not in kinds
        ]
    pairs = (
        (MilestoneKind.INTERRUPTED, MilestoneKind.RESUMED),
        (MilestoneKind.RESUMED, MilestoneKind.INTERRUPTED),
    )
    problems += [
        f"a step reaches a {have.name} milestone but none a {need.name} one: declare both (X-6)"
        for have, need in pairs
        if have in kinds and need not in kinds
    ]
    return problems
