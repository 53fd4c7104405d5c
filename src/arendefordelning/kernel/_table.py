"""Routines as declared tables of steps (rutin som tabell av steg), X-1, X-2, X-5.

A routine is a :class:`Routine`: a table of :class:`Step` values, each a command, the
event that records it, the requirement IDs, the roles that may take it, when it is
enabled (from the steps already recorded and, for special logic, a named guard),
whether it is taken once or repeatedly, the :class:`Obligation` values it opens (who
must do what by when), and its rules: :class:`Refusal` rules that refuse the step,
recording nothing, and :class:`Flag` rules that record it and judge it a deviation.
From the table the kernel builds ``decide``, the bookkeeping of ``evolve``,
``replay``, ``allowed_commands``, ``required_actions``, ``deviations``,
``is_terminal``, the role matrix and the diagram; the table is checked when it is
defined, every problem reported at once (:class:`~arendefordelning.errors.InvalidDefinition`).

**Record, then judge.** ``decide`` refuses only what must never be recorded: a role
the step does not name (X-2), a command for another case, a step that makes no sense
in the case's state, a step the routine forbids outright, bad input. A step that
breaks a norm of time or manner is recorded, and the case's deviations show it (X-5).

Every state of a routine is a :class:`CaseState`: the routine's own facts, folded by
its steps' ``apply`` functions, and the kernel's ledger (the steps taken, the
obligations opened and met, the steps to judge, the anomalies of a lenient replay).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from .._time import UTC, as_stockholm, format_local
from .._validators import describe, shown
from ..errors import IllegalTransition, InvalidDefinition, InvalidInput, NotPermitted
from ..requirements import is_requirement
from ._base import ActionKind, Command, Event, RequiredAction, Role, event_type_name, recorded
from ._deviations import Anomaly, AnomalyKind, Deviation, DeviationKind, Severity
from ._due import Due
from ._policy import RoutinePolicy, resolve_policy

__all__ = [
    "CaseState",
    "Finding",
    "Flag",
    "Obligation",
    "Opened",
    "Refusal",
    "Routine",
    "Step",
]

_T = TypeVar("_T")
S = TypeVar("S", bound="CaseState")
C = TypeVar("C", bound=Command)
E = TypeVar("E", bound=Event)
P = TypeVar("P", bound=RoutinePolicy)

Text = str | Callable[[Any], str]
"""A text of an obligation: fixed, or made from the case's state."""


# --------------------------------------------------------------------------- cheap evolve

_REPLACERS: dict[tuple[type, tuple[str, ...]], Callable[[Any, Mapping[str, Any]], Any]] = {}


def replace(instance: _T, changes: Mapping[str, Any]) -> _T:
    """Return a copy of a frozen slotted attrs value with ``changes``, cheaply.

    As ``attrs.evolve`` for the kernel's own values (states, obligation records):
    classes without validators, converters or ``__attrs_post_init__``, whose fields
    may be copied slot by slot. attrs builds a class's methods from generated code;
    this does the same for a copy: one function per class and set of changed fields
    (a step changes the same fields every time), each slot set once, in about a
    third of ``attrs.evolve``'s time.

    Raises:
        KeyError: naming a field the class does not have.
    """
    key = (type(instance), tuple(changes))
    replacer = _REPLACERS.get(key)
    if replacer is None:
        replacer = _REPLACERS[key] = _make_replacer(*key)
    result: _T = replacer(instance, changes)
    return result


def _make_replacer(cls: type, changed: tuple[str, ...]) -> Callable[[Any, Mapping[str, Any]], Any]:
    names = [field.name for field in attrs.fields(cls)]
    unknown = [name for name in changed if name not in names]
    if unknown:
        raise KeyError(f"{cls.__name__} has no field {unknown[0]!r}")
    setters: dict[str, Callable[[Any, Any], None]] = {}
    for name in names:
        descriptor = next(k.__dict__[name] for k in cls.__mro__ if name in k.__dict__)
        setters[name] = descriptor.__set__
    lines = ["def replace(old, changes):", "    new = _new(_cls)"]
    lines += [
        f"    _set_{name}(new, changes[{name!r}])"
        if name in changed
        else f"    _set_{name}(new, old.{name})"
        for name in names
    ]
    lines += ["    return new"]
    namespace: dict[str, Any] = {f"_set_{name}": setter for name, setter in setters.items()}
    namespace.update(_new=object.__new__, _cls=cls)
    exec("\n".join(lines), namespace)  # generated from attrs.fields, as attrs does
    replacer: Callable[[Any, Mapping[str, Any]], Any] = namespace["replace"]
    return replacer


# --------------------------------------------------------------------------- the ledger


@attrs.frozen(kw_only=True)
class Opened:
    """An obligation opened in a case (öppnad skyldighet), and whether it was met, X-5.

    ``at`` is when the step that opened it happened (what its due time counts from),
    ``met_at`` when the step that met it happened (None while open), and the
    ``*_recorded_at`` fields when each was recorded, so that deviations judge only
    what was recorded by a given moment. ``void_at`` and ``void_recorded_at`` are set
    when a later step made the obligation void (a re-choice ending the first choice's
    steps, a terminal step ending the case).
    """

    name: str
    """The obligation's name in the routine's table."""
    step: str
    """The step that opened it."""
    at: datetime
    """When the opening step happened."""
    recorded_at: datetime
    """When the opening step was recorded."""
    met_at: datetime | None = None
    """When the step that met it happened, or None."""
    met_recorded_at: datetime | None = None
    """When the step that met it was recorded, or None."""
    void_recorded_at: datetime | None = None
    """When a later step made it void was recorded, or None."""
    void_at: datetime | None = None
    """When the step that made it void happened, or None: an obligation already overdue
    then stays a MISSING deviation (X-5)."""

    @property
    def open(self) -> bool:
        """Whether the obligation is neither met nor void."""
        return self.met_at is None and self.void_recorded_at is None


@attrs.frozen(kw_only=True)
class _Judged:
    """A recorded step whose flags are judged when deviations are asked for."""

    step: str
    before: Any
    event: Event


@attrs.frozen(kw_only=True)
class CaseState:
    """State of a case (ärendets läge): the kernel's ledger every routine's state carries, X-1.

    A routine's state class subclasses it with the routine's own facts. Nothing is
    stored apart from the events: the routine's ``replay`` rebuilds it.
    """

    case: str | None = None
    """The case number; None before the first event."""
    recorded_until: datetime | None = None
    """When the latest event was recorded; a later one may not be recorded before it."""
    taken: frozenset[str] = frozenset()
    """The names of the steps taken (since the step that resets them, if any)."""
    obligations: tuple[Opened, ...] = ()
    """The obligations opened in the case, open, met or void, in the order opened."""
    judged: tuple[_Judged, ...] = ()
    """The recorded steps with flags, judged when deviations are asked for."""
    anomalies: tuple[Anomaly, ...] = ()
    """What a lenient replay kept but could not explain (X-5)."""
    count: int = 0
    """How many events were replayed into the state (the next event's index)."""


_set_name = Opened.__dict__["name"].__set__
_set_step = Opened.__dict__["step"].__set__
_set_at = Opened.__dict__["at"].__set__
_set_recorded_at = Opened.__dict__["recorded_at"].__set__
_set_met_at = Opened.__dict__["met_at"].__set__
_set_met_recorded_at = Opened.__dict__["met_recorded_at"].__set__
_set_void_recorded_at = Opened.__dict__["void_recorded_at"].__set__
_set_void_at = Opened.__dict__["void_at"].__set__


def _opened(name: str, step: str, at: datetime, recorded_at: datetime) -> Opened:
    """Build an open obligation record from values the kernel made (no checks to run)."""
    record: Opened = object.__new__(Opened)
    _set_name(record, name)
    _set_step(record, step)
    _set_at(record, at)
    _set_recorded_at(record, recorded_at)
    _set_met_at(record, None)
    _set_met_recorded_at(record, None)
    _set_void_recorded_at(record, None)
    _set_void_at(record, None)
    return record


def _met(record: Opened, at: datetime, recorded_at: datetime) -> Opened:
    """Copy an open obligation record, met at ``at`` (recorded at ``recorded_at``)."""
    copy: Opened = object.__new__(Opened)
    _set_name(copy, record.name)
    _set_step(copy, record.step)
    _set_at(copy, record.at)
    _set_recorded_at(copy, record.recorded_at)
    _set_met_at(copy, at)
    _set_met_recorded_at(copy, recorded_at)
    _set_void_recorded_at(copy, None)
    _set_void_at(copy, None)
    return copy


def _void(record: Opened, at: datetime, recorded_at: datetime) -> Opened:
    """Copy an open obligation record, made void by a step taken ``at``, recorded later."""
    copy: Opened = object.__new__(Opened)
    _set_name(copy, record.name)
    _set_step(copy, record.step)
    _set_at(copy, record.at)
    _set_recorded_at(copy, record.recorded_at)
    _set_met_at(copy, None)
    _set_met_recorded_at(copy, None)
    _set_void_recorded_at(copy, recorded_at)
    _set_void_at(copy, at)
    return copy


# --------------------------------------------------------------------------- the table


@attrs.frozen(kw_only=True)
class Finding:
    """What a flag found (fynd): the deviation a recorded step is, before it is placed, X-5.

    The kernel adds the case, the routine, the requirement and, unless given, when the
    step happened.
    """

    kind: DeviationKind
    """How the step departs from the routine."""
    sv: str
    """What the routine asks, in Swedish."""
    en: str
    """What the routine asks, in English."""
    severity: Severity = Severity.ERROR
    """A broken rule or a missed recommendation."""
    due: datetime | None = None
    """When the step should have happened, if the rule sets a time."""
    happened_at: datetime | None = None
    """When the step happened; None means the event's ``at``."""


@attrs.frozen
class Refusal(Generic[S]):
    """A refusing rule (spärr): a step the routine forbids in the case's situation, X-5.

    ``check(state, step)`` returns why the step is forbidden (English, naming no
    caller data), or None; ``step`` is the command, or the event in a replayed log.
    A refused command records nothing; a forbidden step found in a log is an
    anomaly and a deviation.
    """

    requirement: str
    """The requirement that forbids it."""
    check: Callable[[S, Any], str | None]
    """Why the step is forbidden here, or None."""


@attrs.frozen
class Flag(Generic[S, E, P]):
    """A flagging rule (avvikelsekontroll): a norm of time or manner a recorded step may break, X-5.

    ``judge(before, event, policy)`` sees the state before the step, the step's event
    and the policy in force when it happened, and returns a :class:`Finding` or None.
    Judged when deviations are asked for, never when the step is recorded.
    """

    requirement: str
    """The requirement the norm comes from."""
    judge: Callable[[S, E, P], Finding | None]
    """The judgement."""


@attrs.frozen(kw_only=True)
class Obligation(Generic[S, P]):
    """An obligation (skyldighet): what someone must do after a step, and by when, X-5.

    Opened by the steps whose ``opens`` name it, met by the first later step in
    ``met_by``, made void by a step in ``void_by`` (or that resets the opening step).
    While open and ``when`` holds, it is a required action; with a ``due`` time, a
    met obligation whose step came after it is a LATE deviation (or ``late_kind``)
    and one not met by then a MISSING one.
    """

    name: str
    """Its name in the table."""
    requirement: str
    """The requirement it comes from."""
    role: Role
    """The role that must act."""
    sv: Text
    """What must be done, in Swedish, as an imperative clause (or made from the state)."""
    en: Text
    """What must be done, in English."""
    met_by: tuple[str, ...]
    """The steps that meet it."""
    kind: ActionKind = ActionKind.TASK
    """A task or a message."""
    due: Callable[[S, Opened, P], Due | None] | None = None
    """By when, from the state, the opening record and the policy in force; None if never."""
    when: Callable[[S], bool] | None = None
    """When it applies (a private provider only, …); None means always."""
    void_by: tuple[str, ...] = ()
    """Steps that make it void while it is open."""
    assignee: Callable[[S], str | None] | None = None
    """Who in the role must act (a provider's name), if the routine says."""
    recipient: Text | None = None
    """Who a message goes to."""
    text: Callable[[S], str | None] | None = None
    """The text the routine prescribes for the message or note, if any."""
    severity: Severity = Severity.ERROR
    """How serious a missed due time is."""
    late_kind: DeviationKind = DeviationKind.LATE
    """The kind of deviation a met-late obligation is (LATE, or NOT_SAME_DAY…)."""
    met_at: Callable[[Any], datetime] | None = None
    """When the meeting event counts as having happened; None means its ``at``."""


@attrs.frozen(kw_only=True)
class Step(Generic[S, C, E, P]):
    """A step of a routine (steg): a command, its event, who may take it and when, X-1, X-2.

    Enabled when every step of ``after`` and at least one of ``after_any`` (if any)
    has been taken, none of ``not_after`` has, ``when`` (special logic, a named
    function) holds, and a ``once`` step has not been taken. ``build`` makes the
    event from the command (by default: the event's fields from the command's fields
    of the same names), checking input that needs the state or the policy; ``apply``
    returns the changes the event makes to the routine's own facts.
    """

    name: str
    """The step's name in the table (snake case: ``"distribute"``)."""
    command: type[C]
    """The command that takes it."""
    event: type[E]
    """The event that records it."""
    requirements: tuple[str, ...]
    """The requirement IDs the step implements."""
    roles: frozenset[Role]
    """The roles that may take it (X-2)."""
    after: tuple[str, ...] = ()
    """Steps that must all have been taken."""
    after_any: tuple[str, ...] = ()
    """Steps of which at least one must have been taken (none listed: no condition)."""
    not_after: tuple[str, ...] = ()
    """Steps that must not have been taken."""
    when: Callable[[S], bool] | None = None
    """Special logic: when the step makes sense, from the routine's facts."""
    once: bool = True
    """Whether the step is taken at most once (until a step resets it)."""
    resets: tuple[str, ...] = ()
    """Steps this one makes takeable again (their open obligations become void)."""
    opens: tuple[Obligation[S, P], ...] = ()
    """Obligations the step opens."""
    refuses: tuple[Refusal[S], ...] = ()
    """Rules that refuse the step (nothing is recorded)."""
    flags: tuple[Flag[S, E, P], ...] = ()
    """Rules that flag the recorded step as a deviation."""
    build: Callable[[C, S, P], E] | None = None
    """Make the event from the command; None: copy the fields of the same names."""
    apply: Callable[[S, E], Mapping[str, Any]] | None = None
    """The changes the event makes to the routine's own facts."""
    terminal: bool = False
    """Whether the step ends the case: no step is enabled after it, open obligations end."""


# --------------------------------------------------------------------------- the routine


class _Problem(enum.Enum):
    OTHER_CASE = AnomalyKind.OTHER_CASE
    OUT_OF_ORDER = AnomalyKind.OUT_OF_ORDER
    IMPOSSIBLE = AnomalyKind.IMPOSSIBLE
    REPEATED = AnomalyKind.REPEATED


_Guard = tuple[str | None, frozenset[str], frozenset[str], frozenset[str], Any]
"""A step's guards: its name if once, after, after_any, not_after with the terminal steps, when."""

_BASE_FIELDS = frozenset(("case", "at", "recorded_at", "actor"))


class Routine(Generic[S, C, E, P]):
    """A routine (rutin) as a declared table of steps, and everything built from it, X-1, X-2, X-5.

    Args:
        code: The routine's code (``"VAL"``); the events' ``routine``.
        title: The routine's Swedish title.
        initial: The state of a case before its first event.
        policy: The routine's own numbers (its policy with the defaults).
        steps: The table.
        open_ended: True for a routine without a closing step (a home-care case
            goes on); otherwise a terminal step must be reachable.
        describe: Names a state for messages (``"'fördelat' (distributed)"``).
        extra_events: Events of the routine that are no step of a case (the changes
            of a list kept across cases); the event log knows them too.
        upgrades: For an event type an earlier version wrote and that is no longer
            one, how its log line becomes today's lines (by the old type name).

    Raises:
        InvalidDefinition: listing every problem of the table at once.
    """

    def __init__(
        self,
        *,
        code: str,
        title: str,
        initial: S,
        policy: P,
        steps: Sequence[Step[S, Any, Any, P]],
        open_ended: bool = False,
        describe: Callable[[S], str] | None = None,
        extra_events: Sequence[type[E]] = (),
        upgrades: Mapping[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] | None = None,
    ) -> None:
        self.code = code
        self.title = title
        self.initial_state = initial
        self.default_policy = policy
        self.steps: tuple[Step[S, Any, Any, P], ...] = tuple(steps)
        self.open_ended = open_ended
        self._describe = describe
        self.extra_events: tuple[type[E], ...] = tuple(extra_events)
        self.upgrades: Mapping[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = dict(
            upgrades or {}
        )
        self._state_type = type(initial)
        self._policy_type = type(policy)
        _validate(self)
        self._by_name = {step.name: step for step in self.steps}
        self._by_command: dict[type[Command], Step[S, Any, Any, P]] = {
            step.command: step for step in self.steps
        }
        self._by_event: dict[type[Event], Step[S, Any, Any, P]] = {
            step.event: step for step in self.steps
        }
        self._obligations: dict[str, Obligation[S, P]] = {
            obligation.name: obligation for step in self.steps for obligation in step.opens
        }
        self._meets: dict[str, tuple[str, ...]] = {
            step.name: tuple(o.name for o in self._obligations.values() if step.name in o.met_by)
            for step in self.steps
        }
        self._voids: dict[str, frozenset[str]] = {
            step.name: frozenset(
                o.name for o in self._obligations.values() if step.name in o.void_by
            )
            for step in self.steps
        }
        self._terminal = frozenset(step.name for step in self.steps if step.terminal)
        self._touched: dict[str, frozenset[str]] = {
            step.name: frozenset(self._meets[step.name]) | self._voids[step.name]
            for step in self.steps
        }
        self._copied: dict[type[Command], tuple[str, ...]] = {
            step.command: _shared_fields(step.command, step.event) for step in self.steps
        }
        # A step's roles as a tuple: members are found by identity, without hashing.
        self._roles: dict[str, tuple[Role, ...]] = {
            step.name: tuple(step.roles) for step in self.steps
        }
        # A step's guards as sets, so that checking one is a few set operations.
        self._guards: dict[str, _Guard] = {
            step.name: (
                step.name if step.once else None,
                frozenset(step.after),
                frozenset(step.after_any),
                frozenset(step.not_after) | self._terminal,
                step.when,
            )
            for step in self.steps
        }

    def __repr__(self) -> str:
        return f"Routine({self.code!r}, {len(self.steps)} steps)"

    # ----------------------------------------------------------------------- reading the table

    @property
    def commands(self) -> tuple[type[C], ...]:
        """Every command of the routine, in the table's order."""
        return tuple(step.command for step in self.steps)

    @property
    def events(self) -> tuple[type[E], ...]:
        """Every event of the routine, in the table's order."""
        return tuple(step.event for step in self.steps)

    @property
    def log_events(self) -> tuple[type[E], ...]:
        """Every event class a log of the routine may hold: its steps' and the extra ones."""
        return (*self.events, *self.extra_events)

    @property
    def obligations(self) -> tuple[Obligation[S, P], ...]:
        """Every obligation of the routine's steps."""
        return tuple(self._obligations.values())

    def step_of(self, kind: type[Command] | type[Event]) -> Step[S, Any, Any, P]:
        """Return the step of a command or event class.

        Raises:
            InvalidInput: for a class that is no step's command or event.
        """
        found = self._by_command.get(kind) or self._by_event.get(kind)  # type: ignore[arg-type]
        if found is None:
            raise InvalidInput(
                f"{getattr(kind, '__name__', describe(kind))} is no command or event of "
                f"routine {self.code}"
            )
        return found

    def role_matrix(self) -> dict[type[C], frozenset[Role]]:
        """Which roles may take each command (vem får göra vad), X-2."""
        return {step.command: step.roles for step in self.steps}

    def diagram(self, format: str = "mermaid") -> str:
        """Render the routine's diagram (flödesschema): ``"mermaid"`` or ``"table"``, X-2.

        See :func:`arendefordelning.kernel.diagram`.
        """
        from ._diagram import diagram  # noqa: PLC0415 - the diagram module imports this one

        return diagram(self, format)

    # ----------------------------------------------------------------------- the state

    def _state(self, state: object) -> S:
        if not isinstance(state, self._state_type):
            raise InvalidInput(
                f"state must be a {self._state_type.__name__} of routine {self.code} "
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

    def _enabled(self, step: Step[S, Any, Any, P], state: S) -> _Problem | None:
        taken = state.taken
        once, after, after_any, not_after, when = self._guards[step.name]
        if once is not None and once in taken:
            return _Problem.REPEATED
        possible = (
            after <= taken
            and taken.isdisjoint(not_after)
            and (not after_any or not taken.isdisjoint(after_any))
            and (when is None or when(state))
        )
        return None if possible else _Problem.IMPOSSIBLE

    def allowed_commands(self, state: S) -> frozenset[type[C]]:
        """Return the commands the case's state allows, whatever the actor's role."""
        current = self._state(state)
        return frozenset(s.command for s in self.steps if self._enabled(s, current) is None)

    def is_terminal(self, state: S) -> bool:
        """Whether the case has ended: a terminal step of the table has been taken."""
        current = self._state(state)
        return any(step.terminal and step.name in current.taken for step in self.steps)

    # ----------------------------------------------------------------------- deciding

    def decide(self, command: C, state: S, *, policy: P | Iterable[P] | None = None) -> list[E]:
        """Decide a command: return its event, or refuse it and record nothing, X-2.

        Checks, in this order: that the command is one of the routine's; the actor's
        role (:class:`~arendefordelning.errors.NotPermitted`, X-2); the case number and
        the recording order (InvalidInput); the policy in force when the step happened;
        that the step makes sense in the state
        (:class:`~arendefordelning.errors.IllegalTransition`, naming the state and the
        commands it allows); the step's refusing rules (IllegalTransition); then the
        step's own input checks (InvalidInput). A step that breaks a norm of time or
        manner is not refused: it is recorded and :meth:`deviations` shows it.

        Args:
            command: One of the routine's commands.
            state: The case's state, from :meth:`replay` or ``initial_state``.
            policy: The routine's numbers: None for its own, one policy (in force when
                the step happened), or a municipality's revisions (the one in force
                then is chosen).
        """
        step = self._by_command.get(type(command))
        if step is None:
            raise InvalidInput(
                f"command must be a command of routine {self.code}, not {describe(command)}"
            )
        current = self._state(state)
        role = command.actor.role
        if role not in self._roles[step.name]:
            names = ", ".join(sorted(r.value for r in step.roles)) or "none"
            raise NotPermitted(
                f"{type(command).__name__} may not be issued by the role {role.value!r}; "
                f"roles allowed: {names} (X-2)"
            )
        if current.case is not None and command.case != current.case:
            raise InvalidInput(
                f"the command is for case {shown(command.case)} but the state is case "
                f"{shown(current.case)}"
            )
        until = current.recorded_until
        if until is not None and recorded(command).astimezone(UTC) < until.astimezone(UTC):
            raise InvalidInput(
                f"the command is recorded at {format_local(recorded(command))}, before the "
                f"case's latest event was recorded ({format_local(until)}); a history is "
                "recorded in order (give recorded_at, or a later one)"
            )
        rule = resolve_policy(policy, self._policy_type, self.default_policy, command.at)
        problem = self._enabled(step, current)
        if problem is not None:
            allowed = sorted(k.__name__ for k in self.allowed_commands(current))
            names = ", ".join(allowed) or "none (the case is closed)"
            again = " again" if problem is _Problem.REPEATED else ""
            raise IllegalTransition(
                f"{type(command).__name__} is not allowed{again} when the case is "
                f"{self.describe(current)}; commands allowed in that state: {names}"
            )
        for refusal in step.refuses:
            reason = refusal.check(current, command)
            if reason is not None:
                raise IllegalTransition(
                    f"{type(command).__name__} is refused: {reason} ({refusal.requirement})"
                )
        if step.build is not None:
            event = step.build(command, current, rule)
        else:
            event = self._copy(command, step)
        return [event]

    def _copy(self, command: Command, step: Step[S, Any, Any, P]) -> Any:
        fields = {name: getattr(command, name) for name in self._copied[type(command)]}
        return step.event(
            case=command.case,
            at=command.at,
            recorded_at=command.recorded_at,
            actor=command.actor,
            **fields,
        )

    # ----------------------------------------------------------------------- folding

    def evolve(self, state: S, event: E) -> S:
        """Fold one event into the state; never fails on an event of the routine, X-1.

        An event that cannot be explained (another case, recorded out of order,
        impossible in the state, a once-step again) is not folded: it is kept among
        the state's ``anomalies``. One taken in a role the step does not name, or
        forbidden by a refusing rule, is folded (it happened) and kept there too.

        Raises:
            InvalidInput: for a state of another routine or an event that is none of
                the routine's.
        """
        current = self._state(state)
        step = self._by_event.get(type(event))
        if step is None:
            raise InvalidInput(
                f"event must be an event of routine {self.code}, not {describe(event)}"
            )
        index = current.count
        moment = event.recorded_at or event.at
        until = current.recorded_until
        # Event times are canonical Stockholm times: compared as wall clocks
        # unless one lies in the second pass of the hour repeated in October.
        if until is None:
            later = True
        elif moment.fold or until.fold or moment.tzinfo is not until.tzinfo:
            later = moment.astimezone(UTC) >= until.astimezone(UTC)
        else:
            later = moment >= until
        case = current.case
        problem = (
            None
            if later
            and (case is None or event.case == case)
            and self._enabled(step, current) is None
            else self._problem(current, step, event, in_order=later)
        )
        if problem is not None:
            kind, reason = problem
            anomaly = Anomaly(
                index=index,
                event_type=event_type_name(type(event)),
                kind=kind,
                at=event.at,
                reason=reason,
            )
            return replace(
                current, {"anomalies": (*current.anomalies, anomaly), "count": index + 1}
            )
        kept = current.anomalies
        if event.actor.role not in self._roles[step.name]:
            kept = (*kept, self._wrong_role(index, event, step))
        for refusal in step.refuses:
            forbidden = refusal.check(current, event)
            if forbidden is not None:
                kept = (
                    *kept,
                    Anomaly(
                        index=index,
                        event_type=event_type_name(type(event)),
                        kind=AnomalyKind.FORBIDDEN,
                        at=event.at,
                        reason=f"{forbidden} ({refusal.requirement})",
                        requirement=refusal.requirement,
                    ),
                )
        changes: dict[str, Any] = dict(step.apply(current, event)) if step.apply else {}
        changes["case"] = event.case
        changes["recorded_until"] = moment if later else until
        taken = current.taken
        if step.name not in taken:
            taken = taken | {step.name}
        if step.resets:
            taken = taken - frozenset(step.resets) | {step.name}
        changes["taken"] = taken
        changes["obligations"] = self._ledger(current, step, event, moment)
        if step.flags:
            changes["judged"] = (
                *current.judged,
                _Judged(step=step.name, before=current, event=event),
            )
        if kept is not current.anomalies:
            changes["anomalies"] = kept
        changes["count"] = index + 1
        return replace(current, changes)

    def _wrong_role(self, index: int, event: Event, step: Step[S, Any, Any, P]) -> Anomaly:
        names = ", ".join(sorted(r.value for r in step.roles))
        return Anomaly(
            index=index,
            event_type=event_type_name(type(event)),
            kind=AnomalyKind.WRONG_ROLE,
            requirement="X-2",
            at=event.at,
            reason=(
                f"{type(event).__name__} was taken in the role {event.actor.role.value!r}; "
                f"the routine names {names} (X-2)"
            ),
        )

    def _problem(
        self, state: S, step: Step[S, Any, Any, P], event: Event, *, in_order: bool
    ) -> tuple[AnomalyKind, str] | None:
        name = type(event).__name__
        if state.case is not None and event.case != state.case:
            return AnomalyKind.OTHER_CASE, f"{name} belongs to another case"
        if not in_order:
            until = state.recorded_until
            assert until is not None
            return AnomalyKind.OUT_OF_ORDER, (
                f"{name} was recorded at {format_local(recorded(event))}, before the "
                f"latest event before it ({format_local(until)})"
            )
        problem = self._enabled(step, state)
        if problem is _Problem.REPEATED:
            return AnomalyKind.REPEATED, f"{name} is recorded once, and was already"
        if problem is not None:
            return AnomalyKind.IMPOSSIBLE, (
                f"{name} makes no sense when the case is {self.describe(state)}"
            )
        return None

    def _ledger(
        self, state: S, step: Step[S, Any, Any, P], event: Event, moment: datetime
    ) -> tuple[Opened, ...]:
        """Return the obligations after a step: met, made void, and its own opened."""
        records = state.obligations
        touched = self._touched[step.name]
        resets = step.resets
        if step.terminal:
            touched = frozenset(record.name for record in records)
        if touched or resets:
            meets = self._meets[step.name]
            changed: list[Opened] | None = None
            met: set[str] = set()
            for index, record in enumerate(records):
                name = record.name
                if (
                    (name not in touched and record.step not in resets)
                    or record.met_at is not None
                    or record.void_recorded_at is not None
                ):
                    continue
                if changed is None:
                    changed = list(records)
                if name in meets and name not in met:
                    obligation = self._obligations[name]
                    at = obligation.met_at(event) if obligation.met_at else event.at
                    changed[index] = _met(record, at, moment)
                    met.add(name)
                else:
                    changed[index] = _void(record, event.at, moment)
            if changed is not None:
                records = tuple(changed)
        if step.opens:
            at = event.at
            opens = step.opens
            if len(opens) == 1:
                records = (*records, _opened(opens[0].name, step.name, at, moment))
            else:
                records += tuple([_opened(o.name, step.name, at, moment) for o in opens])
        return records

    def replay(self, events: Iterable[E], state: S | None = None, *, strict: bool = True) -> S:
        """Fold a history into a state, from ``state`` or the initial state, X-1.

        Args:
            events: The case's events in recording order.
            state: Where to start; None for a new case.
            strict: True (the default) raises on the first event that cannot be
                explained; False never raises on well-formed events and keeps what it
                could not explain in the state's ``anomalies``.

        Raises:
            InvalidInput: naming the event's index (from 0) and why: another case,
                out of recording order, impossible in the state, a step taken in a
                role the routine does not name, or one it forbids (strict only); an
                item that is not an event of the routine; a wrong ``state``.
        """
        current = self.initial_state if state is None else self._state(state)
        given: object = events
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidInput(
                f"events must be an iterable of events of routine {self.code}, "
                f"not {describe(given)}"
            )
        for position, event in enumerate(events):
            if not isinstance(event, Event):
                raise InvalidInput(
                    f"event {position}: not an event of routine {self.code} ({describe(event)})"
                )
            before = len(current.anomalies)
            current = self.evolve(current, event)
            if strict and len(current.anomalies) > before:
                anomaly = current.anomalies[-1]
                raise InvalidInput(
                    f"event {position}: {anomaly.reason} ({anomaly.kind.value}); replay "
                    "with strict=False to keep what cannot be explained as anomalies"
                )
        return current

    def handle(
        self, command: C, state: S, *, policy: P | Iterable[P] | None = None
    ) -> tuple[list[E], S]:
        """Decide a command and fold its events into the state, in one step."""
        new = self.decide(command, state, policy=policy)
        return new, self.replay(new, state)

    # ----------------------------------------------------------------------- judging

    def _policy_at(self, policy: object, at: datetime) -> P:
        if isinstance(policy, self._policy_type):
            return policy
        return resolve_policy(policy, self._policy_type, self.default_policy, at)

    def due_times(
        self, state: S, *, policy: P | Iterable[P] | None = None
    ) -> list[tuple[Opened, Due]]:
        """Return the due time of every obligation opened in the case that has one, X-5."""
        current = self._state(state)
        found: list[tuple[Opened, Due]] = []
        for record in current.obligations:
            obligation = self._obligations[record.name]
            if obligation.due is None:
                continue
            due = obligation.due(current, record, self._policy_at(policy, record.at))
            if due is not None:
                found.append((record, due))
        return found

    def required_actions(
        self, state: S, *, policy: P | Iterable[P] | None = None
    ) -> tuple[RequiredAction, ...]:
        """Return what must happen next in the case (åtgärder), for whom and by when.

        One action per open obligation that applies; each names its requirement, and
        :meth:`~arendefordelning.kernel.RequiredAction.explain` words it in Swedish or
        English. Pure: the same state gives the same actions.
        """
        current = self._state(state)
        actions: list[RequiredAction] = []
        for record in current.obligations:
            if not record.open:
                continue
            obligation = self._obligations[record.name]
            if obligation.when is not None and not obligation.when(current):
                continue
            due = None
            if obligation.due is not None:
                found = obligation.due(current, record, self._policy_at(policy, record.at))
                due = None if found is None else found.due
            actions.append(
                RequiredAction(
                    requirement=obligation.requirement,
                    kind=obligation.kind,
                    role=obligation.role,
                    sv=_text(obligation.sv, current),
                    en=_text(obligation.en, current),
                    assignee=None if obligation.assignee is None else obligation.assignee(current),
                    recipient=(
                        None
                        if obligation.recipient is None
                        else _text(obligation.recipient, current)
                    ),
                    due=due,
                    text=None if obligation.text is None else obligation.text(current),
                )
            )
        return tuple(actions)

    def deviations(
        self, state: S, *, as_of: datetime, policy: P | Iterable[P] | None = None
    ) -> list[Deviation]:
        """Return the case's deviations (avvikelser) recorded by ``as_of``, X-5.

        Judges only what was recorded by ``as_of``: an obligation whose due time has
        not passed is no deviation (it is a required action); a passed one is LATE
        when its step came after it and MISSING when it has not come. Every flagged
        step is judged by the policy in force when it happened, and a step taken in a
        role the routine does not name, or one it forbids, is a deviation too. In
        order of time.

        Raises:
            InvalidInput: for a naive ``as_of`` or a wrong state.
        """
        current = self._state(state)
        moment = as_stockholm(as_of, "as_of").astimezone(UTC)
        case = current.case or "?"
        found = [
            *self._missed(current, case, moment, policy),
            *self._flagged(current, case, moment, policy),
            *self._departures(current, case, moment),
        ]
        found.sort(key=_when)
        return found

    def _missed(self, state: S, case: str, moment: datetime, policy: object) -> Iterable[Deviation]:
        """Obligations met after their due time, or not met by ``moment`` when it has passed."""
        for record in state.obligations:
            if record.recorded_at.astimezone(UTC) > moment:
                continue
            obligation = self._obligations[record.name]
            if obligation.due is None or (
                obligation.when is not None and not obligation.when(state)
            ):
                continue
            met = record.met_at
            if met is not None and _after(record.met_recorded_at, moment):
                met = None
            due = obligation.due(state, record, self._policy_at(policy, record.at))
            if due is None:
                continue
            deadline = due.due.astimezone(UTC)
            if met is not None:
                if met.astimezone(UTC) > deadline:
                    yield self._deviation(case, obligation, obligation.late_kind, due, happened=met)
            elif deadline < moment and not (
                # Made void in time (before it was due), and recorded by ``moment``.
                _before_or_at(record.void_recorded_at, moment)
                and record.void_at is not None
                and record.void_at.astimezone(UTC) <= deadline
            ):
                yield self._deviation(case, obligation, DeviationKind.MISSING, due)

    def _flagged(
        self, state: S, case: str, moment: datetime, policy: object
    ) -> Iterable[Deviation]:
        """Judge the flags of every step recorded by ``moment``."""
        for judged in state.judged:
            event = judged.event
            if recorded(event).astimezone(UTC) > moment:
                continue
            rule = self._policy_at(policy, event.at)
            for flag in self._by_name[judged.step].flags:
                finding = flag.judge(judged.before, event, rule)
                if finding is None:
                    continue
                yield Deviation(
                    case=case,
                    routine=self.code,
                    requirement=flag.requirement,
                    severity=finding.severity,
                    kind=finding.kind,
                    sv=finding.sv,
                    en=finding.en,
                    due=finding.due,
                    happened_at=finding.happened_at or event.at,
                )

    def _departures(self, state: S, case: str, moment: datetime) -> Iterable[Deviation]:
        """Report the steps of the record taken in a wrong role, or forbidden."""
        for anomaly in state.anomalies:
            words = _DEPARTURES.get(anomaly.kind)
            if words is None or anomaly.at.astimezone(UTC) > moment:
                continue
            kind, sv, en = words
            yield Deviation(
                case=case,
                routine=self.code,
                requirement=anomaly.requirement or "X-2",
                severity=Severity.ERROR,
                kind=kind,
                sv=sv,
                en=en,
                happened_at=anomaly.at,
            )

    def _deviation(
        self,
        case: str,
        obligation: Obligation[S, P],
        kind: DeviationKind,
        due: Due,
        *,
        happened: datetime | None = None,
    ) -> Deviation:
        return Deviation(
            case=case,
            routine=self.code,
            requirement=obligation.requirement,
            severity=obligation.severity,
            kind=kind,
            sv=_clause(obligation.sv),
            en=_clause(obligation.en),
            due=due.due,
            happened_at=happened,
        )


_DEPARTURES: dict[AnomalyKind, tuple[DeviationKind, str, str]] = {
    AnomalyKind.WRONG_ROLE: (
        DeviationKind.WRONG_ROLE,
        "ta steget i en roll som rutinen anger för det",
        "take the step in a role the routine names for it",
    ),
    AnomalyKind.FORBIDDEN: (
        DeviationKind.FORBIDDEN_STEP,
        "ta inte ett steg som rutinen förbjuder i ärendets läge",
        "do not take a step the routine forbids in the case's situation",
    ),
}


def _after(moment: datetime | None, limit: datetime) -> bool:
    return moment is not None and moment.astimezone(UTC) > limit


def _before_or_at(moment: datetime | None, limit: datetime) -> bool:
    return moment is not None and moment.astimezone(UTC) <= limit


def _when(deviation: Deviation) -> datetime:
    moment = deviation.happened_at or deviation.due
    assert moment is not None
    return moment.astimezone(UTC)


def _text(value: Text, state: object) -> str:
    return value if isinstance(value, str) else value(state)


def _clause(value: Text) -> str:
    if isinstance(value, str):
        return value
    doc = (getattr(value, "__doc__", None) or "").strip()
    return doc.splitlines()[0].rstrip(".") if doc else getattr(value, "__name__", "the step")


def _shared_fields(command: type, event: type) -> tuple[str, ...]:
    """Return the event's own init fields that the command has too (copied by default)."""
    commanded = {f.name for f in attrs.fields(command)}
    return tuple(
        f.alias or f.name
        for f in attrs.fields(event)
        if f.init and f.name not in _BASE_FIELDS and f.name in commanded
    )


# --------------------------------------------------------------------------- validation


def _validate(routine: Routine[Any, Any, Any, Any]) -> None:
    """Check a routine's table and raise listing every problem (python-statemachine style)."""
    problems: list[str] = []
    names: dict[str, Step[Any, Any, Any, Any]] = {}
    for step in routine.steps:
        if step.name in names:
            problems.append(f"two steps are named {step.name!r}")
        names[step.name] = step
    problems += _check_classes(routine)
    problems += _check_references(routine, names)
    problems += _check_obligations(routine, names)
    problems += _reachability(routine, names)
    if problems:
        raise InvalidDefinition(routine.code, problems)


def _check_classes(routine: Routine[Any, Any, Any, Any]) -> list[str]:
    """Each step's command and event are classes of the routine, each used by one step."""
    problems: list[str] = []
    owners: dict[type, str] = {}
    for step in routine.steps:
        for kind, base, label in ((step.command, Command, "command"), (step.event, Event, "event")):
            given: object = kind
            if not (isinstance(given, type) and issubclass(given, base)):
                problems.append(
                    f"step {step.name!r}: {label} {kind!r} is not a {base.__name__} class"
                )
            elif given in owners:
                problems.append(
                    f"step {step.name!r}: {label} {given.__name__} is also used by step "
                    f"{owners[given]!r}"
                )
            else:
                owners[given] = step.name
        if getattr(step.event, "routine", None) != routine.code:
            problems.append(
                f"step {step.name!r}: event {getattr(step.event, '__name__', step.event)} "
                f"belongs to routine {getattr(step.event, 'routine', None)!r}, not "
                f"{routine.code!r}"
            )
        if not step.roles:
            problems.append(f"step {step.name!r} names no role that may take it (X-2)")
    return problems


def _check_references(
    routine: Routine[Any, Any, Any, Any], names: Mapping[str, Step[Any, Any, Any, Any]]
) -> list[str]:
    """Every step and requirement a step names exists."""
    problems: list[str] = []
    for step in routine.steps:
        if not step.requirements:
            problems.append(f"step {step.name!r} names no requirement")
        rules: list[Refusal[Any] | Flag[Any, Any, Any]] = [*step.refuses, *step.flags]
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


def _check_obligations(
    routine: Routine[Any, Any, Any, Any], names: Mapping[str, Step[Any, Any, Any, Any]]
) -> list[str]:
    """Obligations: unique names, known requirements and steps, a role that can meet them."""
    problems: list[str] = []
    obligations: dict[str, Obligation[Any, Any]] = {}
    for step in routine.steps:
        for obligation in step.opens:
            if obligations.get(obligation.name, obligation) is not obligation:
                problems.append(f"two obligations are named {obligation.name!r}")
            obligations[obligation.name] = obligation
    for obligation in obligations.values():
        label = f"obligation {obligation.name!r}"
        if not is_requirement(obligation.requirement):
            problems.append(f"{label}: unknown requirement {obligation.requirement!r}")
        if not obligation.met_by:
            problems.append(f"{label} names no step that meets it")
        problems += [
            f"{label} names an unknown step {name!r}"
            for name in (*obligation.met_by, *obligation.void_by)
            if name not in names
        ]
        meeting = [names[n] for n in obligation.met_by if n in names]
        if meeting and not any(obligation.role in step.roles for step in meeting):
            problems.append(
                f"{label}: the role {obligation.role.value!r} takes none of the steps that meet it"
            )
    return problems


def _reachability(
    routine: Routine[Any, Any, Any, Any], names: Mapping[str, Step[Any, Any, Any, Any]]
) -> list[str]:
    """List the steps that can never become enabled, and a terminal step out of reach.

    A step is reachable once all of ``after`` and one of ``after_any`` are; guards
    (``when``) and ``not_after`` are taken as satisfiable.
    """
    reached: set[str] = set()
    changed = True
    while changed:
        changed = False
        for step in routine.steps:
            if step.name in reached:
                continue
            if all(n in reached for n in step.after) and (
                not step.after_any or any(n in reached for n in step.after_any)
            ):
                reached.add(step.name)
                changed = True
    problems = [
        f"step {step.name!r} can never be taken: a step it comes after is unreachable"
        for step in routine.steps
        if step.name not in reached and all(n in names for n in (*step.after, *step.after_any))
    ]
    if not any(step.after == () and step.after_any == () for step in routine.steps):
        problems.append("no step can be the first: every step comes after another")
    if not routine.open_ended and not any(
        step.terminal and step.name in reached for step in routine.steps
    ):
        problems.append(
            "no terminal step can be reached; mark the closing step terminal=True, or "
            "define the routine with open_ended=True"
        )
    return problems
