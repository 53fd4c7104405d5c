"""Routines as declared tables of steps (rutin som tabell av steg), X-1, X-2, X-5.

A :class:`Routine` is a table of :class:`~arendefordelning.kernel.Step` rows (built
with :class:`~arendefordelning.kernel.Table`). From the table the kernel builds
``decide``, ``evolve``, ``replay``, ``fold`` (many cases at once),
``allowed_commands``, ``required_actions``, ``deviations``, ``deviations_of``,
``is_terminal``, the role matrix and the diagram; the table is checked when it is
defined, every problem reported at once
(:class:`~arendefordelning.errors.InvalidDefinition`).

**Record, then judge.** ``decide`` refuses only what must never be recorded: a role
the step does not name (X-2), a request for another case, a step that makes no sense
in the case's state, a step the routine forbids outright, bad input. A step that
breaks a norm of time or manner is recorded, and the case's deviations show it (X-5),
judged as it was known at any moment: what is recorded later never erases an earlier
deviation.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, Generic, TypeVar

from .._time import STOCKHOLM, UTC, as_stockholm, format_local, wall_window
from .._validators import class_name, describe, shown
from ..errors import (
    ForbiddenStep,
    IllegalTransition,
    InvalidDefinition,
    InvalidInput,
    NotPermitted,
)
from ._base import Command, Event, RequiredAction, Role, event_type_name, recorded
from ._deviations import Anomaly, AnomalyKind, Deviation, DeviationKind
from ._due import Due
from ._generated import construct, fast_copy_problems, replace, setters, updater
from ._judge import Judge
from ._milestones import Reached
from ._order import (
    _canonical,
    _first,
    _foreign_key,
    _keyed,
    _later_or_same,
    _strictly_recorded_in_order,
    _utc,
)
from ._policy import RoutinePolicy, resolve_policy
from ._table import CaseState, Opened, Step, _Judged
from ._validate import validate

__all__ = ["Folded", "Routine"]

S = TypeVar("S", bound=CaseState)
E = TypeVar("E", bound=Event)
P = TypeVar("P", bound=RoutinePolicy)

_TAKEN_SETS_KEPT: Final = 4096
_new_opened: Final = construct(Opened)
_met: Final = updater(Opened, ("met_at", "met_recorded_at", "met"))
_void: Final = updater(Opened, ("void_at", "void_recorded_at"))
_moved: Final = updater(Opened, ("updates",))
_applies: Final = updater(Opened, ("applies_recorded_at",))
_new_judged: Final = construct(_Judged)
_new_anomaly: Final = construct(Anomaly)
_new_reached: Final = construct(Reached)


class _Row:
    """A step as the kernel runs it: the table's row with its guards as sets."""

    __slots__ = (
        "after",
        "after_any",
        "apply",
        "checks",
        "flags",
        "index",
        "meets",
        "milestone",
        "moves",
        "name",
        "not_after",
        "once",
        "opens",
        "plain",
        "resets",
        "roles",
        "step",
        "terminal",
        "touched",
        "touches",
        "voids",
        "when",
    )

    def __init__(self, step: Step[Any, Any], index: int, routine: Routine[Any, Any, Any]) -> None:
        self.step = step
        self.index = index
        self.name = step.name
        self.roles = tuple(step.roles)
        self.once = step.name if step.once else None
        self.after = frozenset(step.after)
        self.after_any = frozenset(step.after_any)
        self.not_after = frozenset(step.not_after) | routine._terminal
        self.when = step.when
        self.checks = step.checks
        self.flags = step.flags
        self.opens = step.opens
        obligations = routine._obligations.values()
        self.meets = frozenset(o.name for o in obligations if step.name in o.met_by)
        self.voids = frozenset(o.name for o in obligations if step.name in o.void_by)
        self.moves = frozenset(o.name for o in obligations if step.name in o.moved_by)
        self.resets = frozenset(step.resets)
        self.terminal = step.terminal
        self.touches = bool(self.meets or self.voids or self.moves or self.resets or self.terminal)
        # The names of the open records the step may change; None: any (a terminal step
        # makes every open record void, a reset those of the steps it resets).
        self.touched = (
            None if self.terminal or self.resets else self.meets | self.voids | self.moves
        )
        self.apply = step.apply
        # A step without checks or roles that depend on the event is judged by its role alone.
        self.plain = not step.checks and step.roles_for is None
        self.milestone = step.milestone


class _Ledger:
    """A case's obligation records while its events are folded: the fold's own lists.

    ``records`` is the state's ``obligations`` and ``open`` its ``open_positions`` as
    lists, changed in place step by step; ``waiting`` the positions of the open records
    of a conditional obligation not yet applying. No one else sees them: after every
    step that changes them the state is given them as tuples again, so every rule read
    during the fold (``per``, a condition, a check, ``apply``) reads the state's tuples,
    as they stood before the step, exactly as when each step copied the ledger.
    """

    __slots__ = ("open", "records", "waiting")

    def __init__(self, state: CaseState, conditional: Mapping[str, object]) -> None:
        records = self.records = list(state.obligations)
        self.open = list(state.open_positions)
        self.waiting = (
            [
                position
                for position in self.open
                if records[position].applies_recorded_at is None
                and records[position].name in conditional
            ]
            if conditional
            else []
        )


class Folded(Mapping[str, S]):
    """Cases folded from a record (vikta ärenden): each case's state by case number, X-1, X-5.

    What :meth:`Routine.fold` returns: a read-only mapping from case number to state,
    in case-number order, with ``anomalies`` beside it (what the fold could not
    explain: duplicated events, events of another routine, and each case's own
    anomalies, each naming its case) and ``extra`` (the routine's events that belong
    to no case's steps, such as a list's changes, in the canonical order).
    """

    __slots__ = ("_states", "anomalies", "extra")

    def __init__(
        self,
        states: dict[str, S],
        anomalies: tuple[Anomaly, ...],
        extra: tuple[Event, ...],
    ) -> None:
        self._states = states
        self.anomalies = anomalies
        self.extra = extra

    def __getitem__(self, case: str) -> S:
        return self._states[case]

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    def __repr__(self) -> str:
        return f"Folded({len(self._states)} cases, {len(self.anomalies)} anomalies)"


class Routine(Generic[S, E, P]):
    """A routine (rutin) as a declared table of steps, and everything built from it, X-1, X-2, X-5.

    Args:
        code: The routine's code (``"VAL"``); the events' ``routine``.
        title: The routine's title in Swedish (the document's own title).
        title_en: The title in English, for English diagrams.
        initial: The state of a case before its first event.
        policy: The routine's own numbers (its policy with the defaults).
        steps: The table: rows built with :class:`~arendefordelning.kernel.Table`.
        open_ended: True for a routine without a closing step (a home-care case
            goes on); otherwise a terminal step must be reachable.
        describe: Names a state for error messages (``"'fördelat' (distributed)"``).
        extra_events: Events of the routine that are no step of a case (the changes
            of a list kept across cases); the event log knows them too.
        upgrades: For an event type an earlier version wrote and that is no longer
            one, how its log line becomes today's lines (by the old type name).
        social_services: True for a routine whose decisions are social-services
            decisions (bistånd under SoL, insatser under LSS), which the report to
            IVO reads (X-6); it must declare the steps where a decision is made and
            where it is executed (``milestone=``). False (the default) for any other,
            such as a healthcare routine: the report never reads it.

    Raises:
        InvalidDefinition: listing every problem of the table at once.
    """

    def __init__(
        self,
        *,
        code: str,
        title: str,
        title_en: str,
        initial: S,
        policy: P,
        steps: Sequence[Step[S, P]],
        open_ended: bool = False,
        describe: Callable[[S], str] | None = None,
        extra_events: Sequence[type[E]] = (),
        upgrades: Mapping[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] | None = None,
        social_services: bool = False,
    ) -> None:
        self.code = code
        self.title = title
        self.title_en = title_en
        self.initial_state = initial
        self.default_policy = policy
        self.steps: tuple[Step[S, P], ...] = tuple(steps)
        self.open_ended = open_ended
        self.social_services = social_services
        self._describe = describe
        self.extra_events: tuple[type[E], ...] = tuple(extra_events)
        self.upgrades: Mapping[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = dict(
            upgrades or {}
        )
        self._state_type = type(initial)
        self._policy_type = type(policy)
        problems = validate(self)
        problems += [f"state class: {p}" for p in fast_copy_problems(self._state_type)]
        if problems:
            raise InvalidDefinition(code, problems)
        self._by_name = {step.name: step for step in self.steps}
        self._by_request: dict[type, Step[S, P]] = {step.request: step for step in self.steps}
        self._by_event: dict[type, Step[S, P]] = {step.event: step for step in self.steps}
        self._obligations = {o.name: o for step in self.steps for o in step.opens}
        self._conditional = {
            name: o.when for name, o in self._obligations.items() if o.when is not None
        }
        self._terminal = frozenset(step.name for step in self.steps if step.terminal)
        self._rows: dict[type, _Row] = {
            step.event: _Row(step, index, self) for index, step in enumerate(self.steps)
        }
        self._row_of: dict[str, _Row] = {row.name: row for row in self._rows.values()}
        self._order: dict[type, int] = {
            **{step.event: index for index, step in enumerate(self.steps)},
            **{cls: len(self.steps) + i for i, cls in enumerate(self.extra_events)},
        }
        self._setters = setters(self._state_type)
        self._copy = updater(self._state_type, ())
        self._taken_sets: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        # The state before a flagged step, kept for its flags: its facts, not the ledger
        # (which would keep every earlier version of the obligation records alive).
        self._facts = updater(
            self._state_type,
            ("obligations", "open_positions", "judged", "anomalies", "milestones"),
        )
        self._judge: Judge[S, P] = Judge(self)

    def __repr__(self) -> str:
        return f"Routine({self.code!r}, {len(self.steps)} steps)"

    # ----------------------------------------------------------------------- reading the table

    @property
    def commands(self) -> tuple[type[Event] | type[Command], ...]:
        """Every class ``decide`` takes, in the table's order: a step's command, or its event."""
        return tuple(step.request for step in self.steps)

    @property
    def events(self) -> tuple[type[E], ...]:
        """Every event of the routine's steps, in the table's order."""
        return tuple(step.event for step in self.steps)  # type: ignore[misc]

    @property
    def log_events(self) -> tuple[type[E], ...]:
        """Every event class a log of the routine may hold: its steps' and the extra ones."""
        return (*self.events, *self.extra_events)

    @property
    def obligations(self) -> tuple[Any, ...]:
        """Every obligation of the routine's steps, in the order first opened."""
        return tuple(self._obligations.values())

    def step_of(self, kind: type[Event] | type[Command]) -> Step[S, P]:
        """Return the step of a request, command or event class.

        Raises:
            InvalidInput: for a class that is no step's command or event.
        """
        found = self._by_request.get(kind) or self._by_event.get(kind)
        if found is None:
            raise InvalidInput(f"{class_name(kind)} is no command or event of routine {self.code}")
        return found

    def role_matrix(self) -> dict[type[Event] | type[Command], frozenset[Role]]:
        """Which roles may take each step, by the class ``decide`` takes for it (X-2)."""
        return {step.request: step.roles for step in self.steps}

    def diagram(self, format: str = "mermaid", *, lang: str = "sv") -> str:
        """Render the routine's diagram (flödesschema): ``"mermaid"`` or ``"table"``, X-2.

        Wholly in the chosen language (``"sv"`` or ``"en"``); see
        :func:`arendefordelning.kernel.diagram`.
        """
        from ._diagram import diagram  # noqa: PLC0415 - the diagram module imports this one

        return diagram(self, format, lang=lang)

    # ----------------------------------------------------------------------- the state

    def _state(self, state: object) -> S:
        if not isinstance(state, self._state_type):
            raise InvalidInput(
                f"state must be a {class_name(self._state_type)} of routine {self.code} "
                f"(from replay or initial_state), not {describe(state)}"
            )
        return state

    def describe(self, state: S) -> str:
        """Name the state of a case for messages."""
        if self._describe is not None:
            return self._describe(state)
        if not state.taken:
            return "new (no step taken)"
        return "after " + ", ".join(s.name for s in self.steps if s.name in state.taken)

    def _enabled(self, row: _Row, state: S) -> AnomalyKind | None:
        taken = state.taken
        if row.once is not None and row.once in taken:
            return AnomalyKind.REPEATED
        if (
            row.after <= taken
            and taken.isdisjoint(row.not_after)
            and (not row.after_any or not taken.isdisjoint(row.after_any))
            and (row.when is None or row.when.test(state))
        ):
            return None
        return AnomalyKind.IMPOSSIBLE

    def allowed_commands(self, state: S) -> frozenset[type[Event] | type[Command]]:
        """Return the classes ``decide`` accepts in the case's state, whatever the actor's role."""
        current = self._state(state)
        return frozenset(
            row.step.request for row in self._rows.values() if self._enabled(row, current) is None
        )

    def is_terminal(self, state: S) -> bool:
        """Whether the case has ended: a terminal step of the table has been taken."""
        current = self._state(state)
        return not self._terminal.isdisjoint(current.taken)

    def _policy(self, policy: object, at: datetime) -> P:
        if policy is None:
            return self.default_policy
        if isinstance(policy, self._policy_type) and policy.in_force(at):
            return policy
        return resolve_policy(policy, self._policy_type, self.default_policy, at)

    # ----------------------------------------------------------------------- deciding

    def decide(
        self, request: Event | Command, state: S, *, policy: P | Iterable[P] | None = None
    ) -> list[E]:
        """Decide a request: return the event to record, or refuse it and record nothing, X-2.

        The request is the step's event (what happened, reported by the embedding
        system), or its command where the step has one (the routine then completes
        the event from the case's state). Checks, in this order: that the request is
        one of the routine's; the actor's role
        (:class:`~arendefordelning.errors.NotPermitted`, X-2); the case number and the
        recording order (InvalidInput); the policy in force when the step happened;
        that the step makes sense in the state
        (:class:`~arendefordelning.errors.IllegalTransition`, naming the state and the
        requests it allows); the event (built once from a command); the step's checks
        (:class:`~arendefordelning.errors.ForbiddenStep` or InvalidInput); the roles
        the event's data allows (NotPermitted). A step that breaks a norm of time or
        manner is not refused: it is recorded and :meth:`deviations` shows it. The
        event given is returned as it is: it was checked when it was made.

        Args:
            request: An event or command of one of the routine's steps.
            state: The case's state, from :meth:`replay` or ``initial_state``.
            policy: The routine's numbers: None for its own, one policy (in force when
                the step happened), or a municipality's revisions (the one in force
                then is chosen).
        """
        step = self._by_request.get(type(request))
        if step is None:
            raise InvalidInput(self._not_a_request(request))
        current = self._state(state)
        row = self._rows[step.event]
        actor = request.actor
        if actor.role not in row.roles:
            raise NotPermitted(
                self._wrong_role_message(class_name(type(request)), actor.role, step)
            )
        if current.case is not None and request.case != current.case:
            raise InvalidInput(
                f"the request is for case {shown(request.case)} but the state is case "
                f"{shown(current.case)}"
            )
        until = current.recorded_until
        moment = request.recorded_at or request.at
        if until is not None and not _later_or_same(moment, until):
            raise InvalidInput(
                f"the request is recorded at {format_local(moment)}, before the case's "
                f"latest event was recorded ({format_local(until)}); a history is "
                "recorded in order (give recorded_at, or a later one)"
            )
        rule = self._policy(policy, request.at)
        problem = self._enabled(row, current)
        if problem is not None:
            raise IllegalTransition(self._not_allowed_message(request, current, problem))
        if step.build is not None:
            event: Event = step.build(request, current, rule)
        else:
            event = request  # type: ignore[assignment]  # the event is the request
        for check in row.checks:
            reason = check.reason(current, event)
            if reason is not None:
                message = f"{class_name(type(request))} is refused: {reason} ({check.requirement})"
                if check.invalid:
                    raise InvalidInput(message)
                raise ForbiddenStep(message, check.requirement)
        if step.roles_for is not None and actor.role not in frozenset(step.roles_for(event)):
            allowed = frozenset(step.roles_for(event))
            names = ", ".join(sorted(r.value for r in allowed)) or "none"
            raise NotPermitted(
                f"{class_name(type(request))} with these details may not be taken in the role "
                f"{actor.role.value!r}; roles allowed for them: {names} (X-2)"
            )
        return [event]  # type: ignore[list-item]

    def _not_a_request(self, request: object) -> str:
        if isinstance(request, Event) and type(request) in self._by_event:
            step = self._by_event[type(request)]
            assert step.command is not None
            return (
                f"{class_name(type(request))} is recorded through {class_name(step.command)}: the "
                "routine completes the event from the case's state"
            )
        return (
            f"request must be an event or command of routine {self.code}, not {describe(request)}"
        )

    def _wrong_role_message(self, name: str, role: Role, step: Step[S, P]) -> str:
        names = ", ".join(sorted(r.value for r in step.roles)) or "none"
        return f"{name} may not be issued by the role {role.value!r}; roles allowed: {names} (X-2)"

    def _not_allowed_message(self, request: object, state: S, problem: AnomalyKind) -> str:
        allowed = sorted(class_name(k) for k in self.allowed_commands(state))
        names = ", ".join(allowed) or "none (the case is closed)"
        again = " again" if problem is AnomalyKind.REPEATED else ""
        return (
            f"{class_name(type(request))} is not allowed{again} when the case is "
            f"{self.describe(state)}; requests allowed in that state: {names}"
        )

    def handle(
        self, request: Event | Command, state: S, *, policy: P | Iterable[P] | None = None
    ) -> tuple[list[E], S]:
        """Decide a request and fold its events into the state, in one step."""
        new = self.decide(request, state, policy=policy)
        return new, self.replay(new, state, policy=policy)

    # ----------------------------------------------------------------------- folding

    def evolve(self, state: S, event: E, *, policy: P | Iterable[P] | None = None) -> S:
        """Fold one event into the state; never fails on an event of the routine, X-1.

        An event that cannot be explained (another case, recorded out of order,
        impossible in the state, a once-step again) is not folded: it is kept among
        the state's ``anomalies``. One taken in a role the step does not name, or that
        a check of the step refuses, is folded (it happened) and kept there too.

        Raises:
            InvalidInput: for a state of another routine or an event that is none of
                the routine's steps'.
        """
        current = replace(self._state(state), {})
        if type(event) not in self._rows:
            raise InvalidInput(
                f"event must be an event of routine {self.code}, not {describe(event)}"
            )
        self._fold_into(current, event, policy, _Ledger(current, self._conditional))
        return current

    def replay(
        self,
        events: Iterable[E],
        state: S | None = None,
        *,
        strict: bool = True,
        policy: P | Iterable[P] | None = None,
    ) -> S:
        """Fold a history into a state, from ``state`` or the initial state, X-1.

        Args:
            events: The case's events in recording order.
            state: Where to start; None for a new case.
            strict: True (the default) raises on the first event that cannot be
                explained; False never raises on well-formed events and keeps what it
                could not explain in the state's ``anomalies``.
            policy: The policy in force for the steps' ``apply``; None: the routine's.

        Raises:
            InvalidInput: naming the event's index (from 0) and why: another case,
                out of recording order, impossible in the state, a step taken in a
                role the routine does not name, or one a check refuses (strict only);
                an item that is not an event of the routine; a wrong ``state``.
        """
        start = self.initial_state if state is None else self._state(state)
        given: object = events
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidInput(
                f"events must be an iterable of events of routine {self.code}, "
                f"not {describe(given)}"
            )
        current = replace(start, {})
        ledger = _Ledger(current, self._conditional)
        rows = self._rows
        for position, event in enumerate(events):
            if type(event) not in rows:
                raise InvalidInput(
                    f"event {position}: not an event of routine {self.code} ({describe(event)})"
                )
            anomaly = self._fold_into(current, event, policy, ledger)
            if strict and anomaly is not None:
                raise InvalidInput(
                    f"event {position}: {anomaly.reason} ({anomaly.kind.value}); replay "
                    "with strict=False to keep what cannot be explained as anomalies"
                )
        return current

    def _fold_into(
        self, current: S, event: Event, policy: object, ledger: _Ledger
    ) -> Anomaly | None:
        """Fold one event into a state the caller owns (changed in place); the anomaly if any.

        The state must be a private copy: replay and fold make one per case and let no
        one see it before the last event is folded; ``ledger`` holds its obligation
        records as the fold's own lists (made from the state when its fold began).
        """
        row = self._rows[type(event)]
        put = self._setters
        index = current.count
        moment = event.recorded_at or event.at
        until = current.recorded_until
        if until is None:
            later = True
        elif moment.fold or until.fold or moment.tzinfo is not until.tzinfo:
            later = moment.astimezone(UTC) >= until.astimezone(UTC)
        else:
            later = moment >= until
        case = current.case
        if (
            not later
            or (case is not None and event.case != case)
            or self._enabled(row, current) is not None
        ):
            anomaly = self._unexplained(current, row, event, later)
            put["anomalies"](current, (*current.anomalies, anomaly))
            put["count"](current, index + 1)
            return anomaly
        found = (
            None
            if row.plain and event.actor.role in row.roles
            else self._departures(current, row, event, index)
        )
        rule = self.default_policy if policy is None else self._policy(policy, event.at)
        before = self._facts(current, (), (), (), (), ()) if row.flags else None
        if row.apply is not None:
            self._apply(current, row, event, rule)
        if case is None:
            put["case"](current, event.case)
        if later:
            put["recorded_until"](current, moment)
        taken = current.taken
        if row.resets or row.name not in taken:
            put["taken"](current, self._taken_after(taken, row))
        if row.touches or row.opens or self._conditional:
            self._ledger(current, row, event, rule, ledger)
        if before is not None:
            put["judged"](current, (*current.judged, _new_judged(row.name, before, event)))
        if row.milestone is not None:
            self._reach(current, row, event, moment)
        if found:
            put["anomalies"](current, (*current.anomalies, *found))
        put["count"](current, index + 1)
        return found[-1] if found else None

    def _reach(self, state: S, row: _Row, event: Event, moment: datetime) -> None:
        """Keep the milestone a step reached, with its facts read from the event (X-6)."""
        milestone = row.milestone
        assert milestone is not None
        facts = milestone.read(event)
        if facts is None:
            return
        if type(facts) is not milestone.facts:
            raise TypeError(
                f"step {row.name!r} of routine {self.code}: its milestone reads "
                f"{class_name(milestone.facts)} facts, but gave {describe(facts)}"
            )
        reached = _new_reached(row.name, facts, event.at, moment)
        self._setters["milestones"](state, (*state.milestones, reached))

    def _taken_after(self, taken: frozenset[str], row: _Row) -> frozenset[str]:
        """Return the steps taken after ``row``'s step: one shared set per combination.

        A routine has few combinations of steps taken; sharing the sets keeps a fold of
        many cases small.
        """
        key = (taken, row.name)
        found = self._taken_sets.get(key)
        if found is None:
            found = (taken - row.resets) | {row.name}
            if len(self._taken_sets) >= _TAKEN_SETS_KEPT:
                self._taken_sets.clear()
            self._taken_sets[key] = found
        return found

    def _departures(self, state: S, row: _Row, event: Event, index: int) -> list[Anomaly]:
        """List the departures a step taken is: a role the step does not name, a check failed."""
        found: list[Anomaly] = []
        step = row.step
        role = event.actor.role
        if role not in row.roles or (
            step.roles_for is not None and role not in frozenset(step.roles_for(event))
        ):
            found.append(self._wrong_role(index, event, step))
        for check in row.checks:
            reason = check.reason(state, event)
            if reason is not None:
                found.append(self._forbidden(index, event, check, reason))
        return found

    def _apply(self, state: S, row: _Row, event: Event, rule: P) -> None:
        """Set the changes a step's ``apply`` returns on the state (the caller's copy)."""
        step = row.step
        assert step.apply is not None
        put = self._setters
        try:
            for name, value in step.apply(state, event, rule).items():
                put[name](state, value)
        except KeyError as error:
            raise TypeError(
                f"step {step.name!r} of routine {self.code}: apply returned the field "
                f"{error.args[0]!r}, which {class_name(self._state_type)} does not have"
            ) from None

    def _ledger(self, state: S, row: _Row, event: Event, rule: P, ledger: _Ledger) -> None:
        """Update the obligations after a step: met, void, moved, opened, and now applying.

        Changes the fold's own lists (``ledger``) in place, then gives the state its
        tuples again. Only the open records the step may change are visited; a closed
        record never changes again. The rules called (``per``, ``met_if``, a condition)
        read the state as it stood before the step.
        """
        moment = event.recorded_at or event.at
        records = ledger.records
        still = ledger.open
        waiting = ledger.waiting
        changed = reopened = False
        if row.touches and still:
            changed, reopened = self._close(row, event, moment, ledger)
        if row.opens:
            for obligation in row.opens:
                keys = (
                    (None,) if obligation.per is None else tuple(obligation.per(state, event, rule))
                )
                conditional = obligation.when is not None
                applies = None if conditional else moment
                for key in keys:
                    position = len(records)
                    records.append(
                        _new_opened(
                            obligation.name,
                            row.name,
                            event,
                            key,
                            event.at,
                            moment,
                            applies,
                            (),
                            None,
                            None,
                            None,
                            None,
                            None,
                        )
                    )
                    still.append(position)
                    if conditional:
                        waiting.append(position)
            changed = reopened = True
        if waiting:
            conditions = self._conditional
            for position in tuple(waiting):
                record = records[position]
                if conditions[record.name].test(state):
                    records[position] = _applies(record, moment)
                    waiting.remove(position)
                    changed = True
        if changed:
            put = self._setters
            put["obligations"](state, tuple(records))
            if reopened:
                put["open_positions"](state, tuple(still))

    def _close(
        self, row: _Row, event: Event, moment: datetime, ledger: _Ledger
    ) -> tuple[bool, bool]:
        """Meet, make void or move the open records a step touches, in the fold's lists.

        Returns whether a record changed and whether one closed.
        """
        obligations = self._obligations
        records = ledger.records
        still = ledger.open
        touched = row.touched
        changed = False
        closed: list[int] = []
        met_once: set[str] = set()
        for position in still:
            record = records[position]
            name = record.name
            if touched is not None and name not in touched:
                continue
            new = None
            if name in row.meets:
                obligation = obligations[name]
                if (
                    name not in met_once
                    if obligation.met_if is None
                    else obligation.met_if(record, event)
                ):
                    met_once.add(name)
                    at = obligation.met_at(event) if obligation.met_at else event.at
                    new = _met(record, at, moment, event)
            if new is not None:
                closed.append(position)
            elif name in row.voids or row.terminal or record.step in row.resets:
                new = _void(record, event.at, moment)
                closed.append(position)
            elif name in row.moves:
                new = _moved(record, (*record.updates, event))
            if new is not None:
                records[position] = new
                changed = True
        if not closed:
            return changed, False
        waiting = ledger.waiting
        for position in closed:
            still.remove(position)
            if position in waiting:
                waiting.remove(position)
        return True, True

    def _unexplained(self, state: S, row: _Row, event: Event, later: bool) -> Anomaly:
        name = class_name(type(event))
        if state.case is not None and event.case != state.case:
            kind, reason = AnomalyKind.OTHER_CASE, f"{name} belongs to another case"
        elif not later:
            until = state.recorded_until
            assert until is not None
            kind = AnomalyKind.OUT_OF_ORDER
            reason = (
                f"{name} was recorded at {format_local(recorded(event))}, before the "
                f"latest event before it ({format_local(until)})"
            )
        elif self._enabled(row, state) is AnomalyKind.REPEATED:
            kind, reason = AnomalyKind.REPEATED, f"{name} is recorded once, and was already"
        else:
            kind = AnomalyKind.IMPOSSIBLE
            reason = f"{name} makes no sense when the case is {self.describe(state)}"
        return _new_anomaly(
            state.count,
            event_type_name(type(event)),
            kind,
            event.at,
            reason,
            None,
            event.recorded_at,
            None,
            None,
            None,
            None,
        )

    def _wrong_role(self, index: int, event: Event, step: Step[S, P]) -> Anomaly:
        names = ", ".join(sorted(r.value for r in step.roles))
        return _new_anomaly(
            index,
            event_type_name(type(event)),
            AnomalyKind.WRONG_ROLE,
            event.at,
            f"{class_name(type(event))} was taken in the role {event.actor.role.value!r}; "
            f"the routine names {names} for it (X-2)",
            "X-2",
            event.recorded_at,
            None,
            f"{step.label[0]} i en roll som rutinen anger för steget",
            f"{step.label[1]} in a role the routine names for the step",
            DeviationKind.WRONG_ROLE,
        )

    def _forbidden(self, index: int, event: Event, check: Any, reason: str) -> Anomaly:
        return _new_anomaly(
            index,
            event_type_name(type(event)),
            AnomalyKind.FORBIDDEN,
            event.at,
            f"{class_name(type(event))}: {reason} ({check.requirement})",
            check.requirement,
            event.recorded_at,
            None,
            check.label[0],
            check.label[1],
            check.kind,
        )

    # ----------------------------------------------------------------------- many cases

    def _key(self, event: Event) -> tuple[datetime, datetime, int]:
        """Return an event's place in the canonical order: recorded, happened, the table's order."""
        at = event.at.astimezone(UTC)
        when = event.recorded_at
        return (at if when is None else when.astimezone(UTC), at, self._order[type(event)])

    def ordered(self, events: Iterable[Event]) -> list[Event]:
        """Return the routine's events in the canonical order (kanonisk ordning), X-1.

        By the time each was recorded, then the time it happened, then the step's place
        in the table (the extra events after the steps), then the event's fields as
        written (``repr``): a total order, so any order of the same events gives the
        same list. Events of other routines are left out.
        """
        own = [event for event in events if type(event) in self._order]
        return _canonical(own, self._key)

    def fold(
        self,
        events: Iterable[Event],
        *,
        as_of: datetime | None = None,
        strict: bool = False,
        policy: P | Iterable[P] | None = None,
    ) -> Folded[S]:
        """Fold a record of many cases (vik många ärenden): each case's state, X-1, X-5.

        Groups the routine's events by case, orders each case's events canonically
        (:meth:`ordered`: recorded time, time, the table's order, then the event's
        fields; among events recorded and happening at the same instant, the one the
        case's state enables comes first), folds them as :meth:`replay` does, and
        returns the states by case number with the anomalies met beside them: an event
        recorded twice, field for field (DUPLICATE, folded once), an event of another
        routine (OTHER_ROUTINE, left out), and what each case's replay could not
        explain. Any order of the same
        events gives the same states and the same anomalies. With ``as_of``, only the
        events recorded by then count: the record as it was known then.

        The garbage collector is paused while the fold runs (the fold makes many small
        values and no cycles) and restored after.

        Args:
            events: Events of any cases, in any order.
            as_of: An aware moment: count only the events recorded by then.
            strict: True raises on the first anomaly, naming the case.
            policy: The policy in force for the steps' ``apply``; None: the routine's.

        Raises:
            InvalidInput: for an item that is not an event, a naive ``as_of``, or (with
                ``strict``) an event that cannot be explained.
        """
        given: object = events
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidInput(f"events must be an iterable of events, not {describe(given)}")
        moment: object = as_of
        if moment is not None and (not isinstance(moment, datetime) or moment.utcoffset() is None):
            as_stockholm(moment, "as_of")  # raises InvalidInput, naming what is wrong
        limit = None if as_of is None else _utc(as_of)  # any aware moment, clamped
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._fold(events, limit, strict, policy)
        finally:
            if paused:
                gc.enable()

    def _fold(
        self, events: Iterable[Event], limit: datetime | None, strict: bool, policy: object
    ) -> Folded[S]:
        by_case, extra, others = self._sorted_out(events, limit)
        anomalies = [self._foreign(index, event) for index, event in enumerate(others)]
        states: dict[str, S] = {}
        for case in sorted(by_case):
            states[case] = current = self._fold_case(case, by_case[case], strict, policy, anomalies)
            anomalies += [replace(a, {"case": case}) for a in current.anomalies]
        anomalies.sort(key=lambda a: (a.case or "", a.index, a.kind.value))
        return Folded(states, tuple(anomalies), tuple(_canonical(extra, self._key)))

    def _sorted_out(
        self, events: Iterable[Event], limit: datetime | None
    ) -> tuple[dict[str, list[Event]], list[Event], list[Event]]:
        """Split events recorded by ``limit``: each case's steps, the extra ones, others'."""
        rows = self._rows
        extra_types = frozenset(self.extra_events)
        by_case: dict[str, list[Event]] = {}
        extra: list[Event] = []
        others: list[Event] = []
        window = None if limit is None else wall_window(limit)
        for position, event in enumerate(events):
            cls = type(event)
            if cls not in rows and not isinstance(event, Event):
                raise InvalidInput(f"event {position}: not an event ({describe(event)})")
            if limit is not None:
                moment = event.recorded_at or event.at
                # far from the limit on Stockholm's wall clock, the clock decides;
                # near it (or in another zone), the instants.
                if (
                    window is None
                    or moment.tzinfo is not STOCKHOLM
                    or window[0] <= moment <= window[1]
                ):
                    if _utc(moment) > limit:
                        continue
                elif moment > window[1]:
                    continue
            if cls in rows:
                items = by_case.get(event.case)
                if items is None:
                    by_case[event.case] = [event]
                else:
                    items.append(event)
            elif cls in extra_types:
                extra.append(event)
            else:
                others.append(event)
        return by_case, extra, _canonical(others, _foreign_key)

    def _foreign(self, index: int, event: Event) -> Anomaly:
        return Anomaly(
            index=index,
            event_type=event_type_name(type(event)),
            kind=AnomalyKind.OTHER_ROUTINE,
            at=event.at,
            reason=f"{class_name(type(event))} is an event of routine "
            f"{type(event).routine or '?'}, not {self.code}",
            recorded_at=event.recorded_at,
            case=event.case,
        )

    def _fold_case(
        self,
        case: str,
        items: list[Event],
        strict: bool,
        policy: object,
        anomalies: list[Anomaly],
    ) -> S:
        """Fold one case's events, in order; a duplicate of the event before is skipped.

        Events recorded strictly one after another are in the canonical order already;
        otherwise they are ordered (:meth:`_explained`).
        """
        current = replace(self.initial_state, {})
        ledger = _Ledger(current, self._conditional)
        previous: Event | None = None
        ordered: Iterable[Event] = (
            items
            if _strictly_recorded_in_order(items)
            else self._explained(_keyed(items, self._key), current)
        )
        for event in ordered:
            if previous is not None and event == previous:
                duplicate = Anomaly(
                    index=current.count,
                    event_type=event_type_name(type(event)),
                    kind=AnomalyKind.DUPLICATE,
                    at=event.at,
                    reason=f"{class_name(type(event))} is recorded twice, field for field; "
                    "it counts once",
                    recorded_at=event.recorded_at,
                    case=case,
                )
                if strict:
                    raise InvalidInput(f"case {shown(case)}: {duplicate.reason}")
                anomalies.append(duplicate)
                continue
            previous = event
            anomaly = self._fold_into(current, event, policy, ledger)
            if anomaly is not None and strict:
                raise InvalidInput(
                    f"case {shown(case)}, event {current.count - 1}: {anomaly.reason} "
                    f"({anomaly.kind.value})"
                )
        return current

    def _explained(
        self, keyed: list[tuple[tuple[datetime, datetime, int], Event]], current: S
    ) -> Iterator[Event]:
        """Yield a case's events in canonical order, ties in the order the state explains.

        Events recorded and happening at the same instant (a step and the step it makes
        takeable again, logged to the minute) are yielded one at a time: first the one
        ``current`` (folded by the caller between yields) enables, in canonical order,
        with its duplicates after it; if none is enabled, the first. So any order of a
        history a replay explains folds as the replay does.
        """
        start, total = 0, len(keyed)
        while start < total:
            moment = keyed[start][0][:2]
            end = start + 1
            while end < total and keyed[end][0][:2] == moment:
                end += 1
            if end - start == 1:
                yield keyed[start][1]
                start = end
                continue
            group = [event for _, event in keyed[start:end]]
            while group:
                rows = self._rows
                chosen = next(
                    (e for e in group if self._enabled(rows[type(e)], current) is None), group[0]
                )
                for event in [e for e in group if e == chosen]:
                    group.remove(event)
                    yield event
            start = end

    # ----------------------------------------------------------------------- judging

    def due_times(
        self, state: S, *, policy: P | Iterable[P] | None = None
    ) -> list[tuple[Opened[Any], Due]]:
        """Return the due time of every obligation opened in the case that has one, X-5.

        As known now; one whose due time cannot be computed (beyond the calendar) is
        left out (:meth:`deviations` reports it as CANNOT_BE_JUDGED).
        """
        return self._judge.due_times(self._state(state), policy)

    def required_actions(
        self, state: S, *, policy: P | Iterable[P] | None = None
    ) -> tuple[RequiredAction, ...]:
        """Return what must happen next in the case (åtgärder), for whom, how and by when.

        One action per open obligation record whose condition holds now; each names
        its requirement, its roles and channel, and
        :meth:`~arendefordelning.kernel.RequiredAction.explain` words it in Swedish or
        English. Pure: the same state gives the same actions. Never raises for a state
        ``decide`` or a lenient replay made: a due time that cannot be computed is left
        out of the action (its deviation says why).
        """
        return self._judge.required_actions(self._state(state), policy)

    def deviations(
        self, state: S, *, as_of: datetime, policy: P | Iterable[P] | None = None
    ) -> list[Deviation]:
        """Return the case's deviations (avvikelser) as the record stood at ``as_of``, X-5.

        Judges only what was recorded by ``as_of``, as it was known then: the same
        answer as ``deviations(replay(events recorded by as_of), as_of=as_of)``
        (:meth:`deviations_of`). An obligation whose due time has not passed is no
        deviation (it is a required action); a passed one is LATE when the step that
        met it came, or was recorded, after it, and MISSING when it has not come. What
        is recorded after a due time has passed never erases its deviation: it does not
        move the due time, and a step that makes the obligation void then leaves it
        MISSING. Once an obligation has applied while open, it applies to the
        deviations for good. Every flagged step is judged by the policy in force when
        it happened; a step taken in a role the routine does not name, or one a check
        refuses, found in a lenient replay, is a deviation too. A due time beyond what
        the calendar or Python can compute is a CANNOT_BE_JUDGED finding, never an
        exception. In order of time.

        Raises:
            InvalidInput: for a naive ``as_of`` or a wrong state.
        """
        current = self._state(state)
        moment: object = as_of
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            as_stockholm(moment, "as_of")  # raises InvalidInput, naming what is wrong
        return self._judge.deviations(current, _utc(as_of), policy)

    def deviations_of(
        self,
        events: Iterable[Event],
        *,
        as_of: datetime,
        policy: P | Iterable[P] | None = None,
    ) -> list[Deviation]:
        """Return the deviations of the events recorded by ``as_of``, every case, X-5.

        Replays, case by case, the routine's events recorded by ``as_of`` (in the order
        they were recorded; events recorded at the same instant in the order given),
        leniently, and judges each case as of that moment: the record as it was known
        then. By case number, then time. For one case's history this is exactly what
        :meth:`deviations` gives on the whole history's state as of ``as_of``.

        Raises:
            InvalidInput: for items that are not events or a naive ``as_of``.
        """
        moment: object = as_of
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            as_stockholm(moment, "as_of")
        limit = _utc(as_of)
        given: object = events
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidInput(f"events must be an iterable of events, not {describe(given)}")
        by_case: dict[str, list[tuple[datetime, Event]]] = {}
        rows = self._rows
        for position, event in enumerate(events):
            if not isinstance(event, Event):
                raise InvalidInput(f"event {position}: not an event ({describe(event)})")
            if type(event) not in rows:
                continue
            moment = _utc(event.recorded_at or event.at)
            if moment <= limit:
                by_case.setdefault(event.case, []).append((moment, event))
        found: list[Deviation] = []
        for case in sorted(by_case):
            items = by_case[case]
            items.sort(key=_first)  # stable: the order given among equal recording times
            history: list[Any] = [event for _, event in items]
            state = self.replay(history, strict=False, policy=policy)
            found += self._judge.deviations(state, limit, policy)
        return found
