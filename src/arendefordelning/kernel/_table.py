"""The rows of a routine's table (rutinens tabell): steps, obligations, rules, texts, X-1, X-2, X-5.

A routine is declared as a table of :class:`Step` rows, each built with
:meth:`Table.step` so that mypy checks every callable of the row against the step's
event: ``apply``, ``build``, the flags, the checks and the obligations the step opens.
A row names:

* the **event** that records the step, which is also the request to take it (the
  embedding system reports what happened; the routine checks it may be recorded), or,
  where the request differs from the record, a **command** and the ``build`` function
  that completes the event from the case's state;
* its requirement IDs, the roles that may take it (X-2) and, where the roles depend on
  the event, ``roles_for``; its label in Swedish and English;
* when it is enabled: the steps it comes after, ``after_any``, ``not_after``, a
  :class:`Condition` (a labelled guard), ``once``;
* the :class:`Check` rules that refuse it (recording nothing) or, found in an imported
  log, make it a deviation; the :class:`Flag` rules that record it and judge it a
  deviation; the :class:`Obligation` values it opens;
* the :class:`~arendefordelning.kernel.Milestone` of a decision it reaches (made,
  executed, interrupted, resumed, ended, a delay's reason), read from its event, X-6.

Every text a person reads is declared here, in Swedish and English, as a
:data:`Label` or a callable of the obligation's record: nothing is read from a
docstring or a function's name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from ..errors import InvalidInput
from ._base import ActionKind, Channel, Command, Event, Role
from ._deviations import Anomaly, DeviationKind, Severity
from ._milestones import Milestone, Reached
from ._policy import RoutinePolicy

__all__ = [
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
]

S = TypeVar("S", bound="CaseState")
P = TypeVar("P", bound=RoutinePolicy)
E = TypeVar("E", bound=Event)
C = TypeVar("C", bound=Command)
E_co = TypeVar("E_co", bound=Event, covariant=True)
E_contra = TypeVar("E_contra", bound=Event, contravariant=True)

Label: TypeAlias = tuple[str, str]
"""A text in Swedish and English: ``("fatta beslut", "make the decision")``."""


def _label(value: object, name: str = "label") -> Label:
    """Check a declared label: a pair of non-empty texts, Swedish first."""
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(words, str) and words.strip() for words in value)
    ):
        raise InvalidInput(
            f"{name} must be a pair of non-empty texts, Swedish then English "
            '(("fatta beslut", "make the decision"))'
        )
    return value


# --------------------------------------------------------------------------- the ledger


@attrs.frozen(kw_only=True)
class Opened(Generic[E_co]):
    """An obligation opened in a case (öppnad skyldighet), and what became of it, X-5.

    One record per opening (and per item, for an obligation with ``per``): it keeps
    the ``event`` that opened it and its ``key``, so that its due time, whether it
    applies and its texts are read from that opening, never from a later state.
    Every change carries when it was recorded, so that the record can be judged as
    it was known at any moment: ``applies_recorded_at`` when its condition first held
    while it was open (it then never stops applying to the deviations),
    ``updates`` the events of the steps that move its due time (a later start
    agreed), ``met_at`` when the step that met it happened (``met`` that event), and
    ``void_at`` when a later step made it void (a re-choice ending the first choice's
    steps, a terminal step ending the case). An obligation already overdue when made
    void stays a MISSING deviation (X-5).
    """

    name: str
    """The obligation's name in the routine's table."""
    step: str
    """The step that opened it."""
    event: E_co
    """The event that opened it."""
    key: Hashable
    """The item it is for (an intervention, a hospital stay, a recipient), or None."""
    at: datetime
    """When the opening step happened (the opening event's ``at``)."""
    recorded_at: datetime
    """When the opening step was recorded."""
    applies_recorded_at: datetime | None = None
    """When it was first known to apply (its condition held while open); None: not yet."""
    updates: tuple[Event, ...] = ()
    """The events, in recording order, of the steps that move its due time."""
    met_at: datetime | None = None
    """When the step that met it happened (or counts as happened), or None."""
    met_recorded_at: datetime | None = None
    """When the step that met it was recorded, or None."""
    met: Event | None = None
    """The event that met it, or None."""
    void_at: datetime | None = None
    """When the step that made it void happened, or None."""
    void_recorded_at: datetime | None = None
    """When the step that made it void was recorded, or None."""

    @property
    def open(self) -> bool:
        """Whether the obligation is neither met nor void."""
        return self.met_recorded_at is None and self.void_recorded_at is None


@attrs.frozen(kw_only=True)
class _Judged:
    """A recorded step with flags, judged when deviations are asked for."""

    step: str
    before: Any
    event: Event


@attrs.frozen(kw_only=True, repr=False)
class CaseState:
    """State of a case (ärendets läge): the kernel's ledger every routine's state carries, X-1.

    A routine's state class subclasses it with the routine's own facts, declared with
    ``@attrs.frozen(kw_only=True, repr=False)`` and without validators, converters or
    ``__attrs_post_init__`` (the kernel copies states slot by slot; a routine whose
    state class breaks this is refused when defined). Nothing is stored apart from the
    events: the routine's ``replay`` rebuilds it. Its repr is short: the class, the
    case, the stage where the routine has one, and counts.
    """

    case: str | None = None
    """The case number; None before the first event."""
    recorded_until: datetime | None = None
    """When the latest event was recorded; a later one may not be recorded before it."""
    taken: frozenset[str] = frozenset()
    """The names of the steps taken (since the step that resets them, if any)."""
    obligations: tuple[Opened[Any], ...] = ()
    """The obligations opened in the case, open, met or void, in the order opened."""
    open_positions: tuple[int, ...] = ()
    """The positions in ``obligations`` of the records still open, in order."""
    judged: tuple[_Judged, ...] = ()
    """The recorded steps with flags, judged when deviations are asked for."""
    anomalies: tuple[Anomaly, ...] = ()
    """What a lenient replay kept but could not explain (X-5)."""
    milestones: tuple[Reached, ...] = ()
    """The milestones the case's steps reached (a decision, its execution…), in the
    order recorded (X-6)."""
    count: int = 0
    """How many events were replayed into the state (the next event's index)."""

    def _summary(self) -> str:
        parts = [f"case={self.case!r}"]
        stage = getattr(self, "stage", None)
        if stage is not None:
            parts.append(f"stage={getattr(stage, 'name', stage)}")
        open_ = sum(1 for record in self.obligations if record.open)
        parts.append(f"{self.count} events")
        parts.append(f"{open_} open obligations")
        if self.anomalies:
            parts.append(f"{len(self.anomalies)} anomalies")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"

    def _repr_html_(self) -> str:
        from html import escape  # noqa: PLC0415 - only a notebook asks for it

        shown = [
            (field.name, _short(getattr(self, field.name)))
            for field in attrs.fields(type(self))
            if field.name not in ("obligations", "judged", "anomalies", "taken", "milestones")
        ]
        rows = "".join(f"<tr><th>{escape(n)}</th><td>{escape(v)}</td></tr>" for n, v in shown)
        return (
            f"<table><caption>{escape(type(self).__name__)}: {escape(self._summary())}"
            f"</caption>{rows}</table>"
        )


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- rules


@attrs.frozen
class Condition(Generic[S]):
    """A condition (villkor) on a case's facts, with its label: a step's or an obligation's guard.

    ``test(state)`` says whether it holds; ``label`` says it in Swedish and English
    (``("kunden är inskriven i hemsjukvården", "the customer is enrolled in home health
    care")``), for diagrams and messages.
    """

    test: Callable[[S], bool]
    """Whether the condition holds in a state."""
    label: Label = attrs.field(converter=_label)
    """The condition in words, Swedish then English."""

    def __call__(self, state: S) -> bool:
        return self.test(state)


@attrs.frozen
class Check(Generic[S, E_contra]):
    """A check (kontroll) of a step against the case: a refusal or, in a log, a deviation, X-5.

    ``reason(state, event)`` returns why the step may not be recorded here (English,
    naming no caller data), or None. ``decide`` refuses such a step, recording
    nothing: with :class:`~arendefordelning.errors.ForbiddenStep` (an
    :class:`~arendefordelning.errors.IllegalTransition`) for a step the routine
    forbids outright, with :class:`~arendefordelning.errors.InvalidInput` when
    ``invalid`` (the event's data contradicts the case). A lenient replay of a log
    from another system runs the same check: the step happened, it is folded, and it
    is a deviation of ``kind`` citing ``requirement``, worded by ``label`` (what the
    routine asks).
    """

    requirement: str
    """The requirement the check comes from."""
    reason: Callable[[S, E_contra], str | None]
    """Why the step may not be recorded in this state, or None."""
    label: Label = attrs.field(converter=_label)
    """What the routine asks, Swedish then English (the deviation's text)."""
    invalid: bool = False
    """True: refused as invalid input; False: as a step the routine forbids."""
    kind: DeviationKind = DeviationKind.FORBIDDEN_STEP
    """The kind of deviation the step is when a log holds it."""


@attrs.frozen(kw_only=True)
class Finding:
    """What a flag found (fynd): the deviation a recorded step is, before it is placed, X-5.

    The kernel adds the case, the routine, the requirement and, unless given, when the
    step happened and what the routine asks (the flag's label).
    """

    kind: DeviationKind
    """How the step departs from the routine."""
    sv: str | None = None
    """What the routine asks, in Swedish; None: the flag's label."""
    en: str | None = None
    """What the routine asks, in English; None: the flag's label."""
    severity: Severity = Severity.ERROR
    """A broken rule or a missed recommendation."""
    due: datetime | None = None
    """When the step should have happened, if the rule sets a time."""
    due_on: date | None = None
    """The last day it should have happened on, for a rule due on a date."""
    happened_at: datetime | None = None
    """When the step happened; None means the event's ``at``."""
    happened_on: date | None = None
    """A date the step names that the rule judges (a takeover date)."""
    detail_sv: str | None = None
    """What happened, in terms of the rule, in Swedish."""
    detail_en: str | None = None
    """What happened, in terms of the rule, in English."""


@attrs.frozen
class Flag(Generic[S, E_contra, P]):
    """A flagging rule (avvikelsekontroll): a norm of time or manner a recorded step may break, X-5.

    ``judge(before, event, policy)`` sees the state before the step (its facts: the
    kernel's ledger of obligations, flagged steps and anomalies is left out), the step's
    event and the policy in force when it happened (or at the moment ``policy_at``
    names), and returns a :class:`Finding` or None.
    Judged when deviations are asked for, never when the step is recorded. ``label``
    says what the routine asks (``("meddela båda utförarna vid samma tidpunkt",
    "notify both providers at the same time")``).
    """

    requirement: str
    """The requirement the norm comes from."""
    judge: Callable[[S, E_contra, P], Finding | None]
    """The judgement."""
    label: Label = attrs.field(converter=_label)
    """What the routine asks, Swedish then English."""
    policy_at: Callable[[S, E_contra], datetime] | None = attrs.field(default=None, kw_only=True)
    """The moment whose policy judges the step, read from the state before it and the
    event; None: when the step happened. A norm counted from an earlier step (VAL-18's
    window, counted from a re-choice) names that step's moment, so that the flag and
    the obligations it shares a rule with read the same revision of the policy (X-4)."""


Text: TypeAlias = str | Callable[[Opened[E_contra]], str]
"""An obligation's text: fixed, or made from its record (the opening event, the key)."""


@attrs.frozen(kw_only=True)
class Obligation(Generic[S, E_contra, P]):
    """An obligation (skyldighet): what someone must do after a step, and by when, X-5.

    Opened by the steps whose ``opens`` name it (one record per key of ``per``, or
    one), met by a later step of ``met_by`` (the earliest open record, or every record
    ``met_if`` matches), made void by a step of ``void_by`` or one that resets the
    opening step. While open and its condition ``when`` holds, it is a required
    action for ``roles``; once the condition has held while open, it applies to the
    deviations for good. With a ``due`` time, a record met after it is a LATE
    deviation (or ``late_kind``) and one not met by then a MISSING one.

    Every callable reads the record (:class:`Opened`: the opening event of type
    ``event``, the key, the updates), never the latest state, so that a record is
    judged as it was known at any moment.
    """

    name: str
    """Its name in the table."""
    event: type[Event]
    """The event class (or base class) of the steps that open it: what its callables read."""
    requirement: str
    """The requirement it comes from."""
    roles: tuple[Role, ...]
    """The roles that may act on it (either of two, say), the first the one named first."""
    sv: Text[E_contra]
    """What must be done, in Swedish, as an imperative clause."""
    en: Text[E_contra]
    """What must be done, in English."""
    met_by: tuple[str, ...]
    """The steps that meet it."""
    kind: ActionKind = ActionKind.TASK
    """A task or a message."""
    channel: Channel | Callable[[Opened[E_contra]], Channel | None] | None = None
    """How the task or message goes (telephone, system message, task list…), if said;
    made from the record where it depends on the item (the recipient)."""
    due: Callable[[Opened[E_contra], P], datetime | date | None] | None = None
    """By when, from the record and the policy in force: an instant, or a date (due by
    the end of that day); None while it cannot be known."""
    since: Label | Callable[[Opened[E_contra]], Label] | None = None
    """What the due time counts from, in words (``("fördelningen", "the distribution")``)."""
    rule: Label | Callable[[Opened[E_contra], P], Label] | None = None
    """The rule in words (``("verkställ inom 24 timmar", "execute within 24 hours")``)."""
    note: Callable[[Opened[E_contra], P], Label | None] | None = None
    """More on how the due time was counted (the deadline's own explanation), if any."""
    counted_from: Callable[[Opened[E_contra]], datetime] | None = None
    """The instant the due time counts from; None: the opening step's ``at``."""
    moved_by: tuple[str, ...] = ()
    """Steps whose events, recorded while it is open, may move its due time (kept in
    the record's ``updates``); one recorded after the due time has passed moves nothing."""
    when: Condition[S] | None = None
    """When it applies (a private provider only, …); None: always."""
    per: Callable[[S, E_contra, P], Iterable[Hashable]] | None = None
    """The items to open one record each for, from the state after the opening step,
    its event and the policy; None: one record."""
    met_if: Callable[[Opened[E_contra], Any], bool] | None = None
    """Which open records a meeting step meets (a notification to this recipient); None:
    the earliest open one."""
    void_by: tuple[str, ...] = ()
    """Steps that make it void while it is open."""
    assignee: Text[E_contra] | None = None
    """Who in the role must act (a provider's name), if the routine says."""
    recipient: Text[E_contra] | None = None
    """Who a message goes to."""
    text: Callable[[Opened[E_contra]], str | None] | None = None
    """The text the routine prescribes for the message or note, if any."""
    severity: Severity = Severity.ERROR
    """How serious a missed due time is."""
    late_kind: DeviationKind = DeviationKind.LATE
    """The kind of deviation a met-late obligation is (LATE, or NOT_SAME_DAY…)."""
    met_at: Callable[[Any], datetime] | None = None
    """When the meeting event counts as having happened; None means its ``at``."""

    @property
    def role(self) -> Role:
        """The role named first."""
        return self.roles[0]


# --------------------------------------------------------------------------- steps


@attrs.frozen(kw_only=True)
class Step(Generic[S, P]):
    """A step of a routine (steg): its event, who may take it and when, X-1, X-2.

    Built with :meth:`Table.step`, which types every callable against the event.
    Enabled when every step of ``after`` and at least one of ``after_any`` (if any)
    has been taken, none of ``not_after`` has, ``when`` holds, and a ``once`` step has
    not been taken. The request to take it is its ``event`` itself, or its ``command``
    where it has one (``build`` then makes the event from the command, the state and
    the policy); ``apply`` returns the changes the event makes to the routine's own
    facts, and may read the policy in force.
    """

    name: str
    """The step's name in the table (snake case: ``"distribute"``); never shown to people."""
    event: type[Event]
    """The event that records it."""
    requirements: tuple[str, ...]
    """The requirement IDs the step implements."""
    roles: frozenset[Role]
    """The roles that may take it (X-2); with ``roles_for``, every role it may name."""
    label: Label
    """The step as an imperative, Swedish then English (``("boka möte", "book the meeting")``)."""
    command: type[Command] | None = None
    """The command that requests it, where the request differs from the record."""
    build: Callable[[Any, Any, Any], Event] | None = None
    """Make the event from the command, the state and the policy (commands only)."""
    roles_for: Callable[[Any], Iterable[Role]] | None = None
    """The roles that may take the step with this event, where they depend on its data."""
    after: tuple[str, ...] = ()
    """Steps that must all have been taken."""
    after_any: tuple[str, ...] = ()
    """Steps of which at least one must have been taken (none listed: no condition)."""
    not_after: tuple[str, ...] = ()
    """Steps that must not have been taken."""
    when: Condition[Any] | None = None
    """When the step makes sense, from the routine's facts."""
    once: bool = True
    """Whether the step is taken at most once (until a step resets it)."""
    resets: tuple[str, ...] = ()
    """Steps this one makes takeable again (their open obligations become void)."""
    opens: tuple[Obligation[Any, Any, Any], ...] = ()
    """Obligations the step opens."""
    checks: tuple[Check[Any, Any], ...] = ()
    """Rules that refuse the step (and judge it, found in a log)."""
    flags: tuple[Flag[Any, Any, Any], ...] = ()
    """Rules that flag the recorded step as a deviation."""
    apply: Callable[[Any, Any, Any], Mapping[str, Any]] | None = None
    """The changes the event makes to the routine's own facts, from state, event, policy."""
    terminal: bool = False
    """Whether the step ends the case: no step is enabled after it, open obligations end."""
    milestone: Milestone[Any, Any] | None = None
    """The milestone of a decision the step reaches (X-6), with the reading of its facts."""

    @property
    def request(self) -> type[Event] | type[Command]:
        """The class a caller passes to ``decide`` for the step: its command, or its event."""
        return self.command if self.command is not None else self.event


def _names(value: object, name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput(f"{name} must be a tuple of step names, not a single text")
    return tuple(value)


class Table(Generic[S, P]):
    """The typed builder of a routine's rows (tabell): one per routine, for its state and policy.

    ``Table(ProviderChoiceState, ProviderChoicePolicy)`` gives ``step`` and
    ``obligation`` methods whose callables mypy checks against the step's event, the
    routine's state and its policy::

        rows = Table(OutpatientCareState, OutpatientCarePolicy)
        BOOK = rows.step("book", MeetingBooked, requirements=(...), roles=MEETING,
                         label=("boka möte", "book the meeting"),
                         apply=lambda s, e, p: {"meeting_at": e.meeting_at})

    A row written against the wrong event (``e.meeting_at`` on an event that has no
    such field, an obligation opened by a step whose event it cannot read) is a type
    error, not a surprise at run time.
    """

    def __init__(self, state: type[S], policy: type[P]) -> None:
        self.state = state
        self.policy = policy

    def step(
        self,
        name: str,
        event: type[E],
        *,
        requirements: Sequence[str],
        roles: Iterable[Role],
        label: Label,
        command: type[C] | None = None,
        build: Callable[[C, S, P], E] | None = None,
        roles_for: Callable[[E], Iterable[Role]] | None = None,
        after: Sequence[str] = (),
        after_any: Sequence[str] = (),
        not_after: Sequence[str] = (),
        when: Condition[S] | None = None,
        once: bool = True,
        resets: Sequence[str] = (),
        opens: Sequence[Obligation[S, E, P]] = (),
        checks: Sequence[Check[S, E]] = (),
        flags: Sequence[Flag[S, E, P]] = (),
        apply: Callable[[S, E, P], Mapping[str, Any]] | None = None,
        terminal: bool = False,
        milestone: Milestone[E, Any] | None = None,
    ) -> Step[S, P]:
        """Declare a step (steg) of the routine: a row of its table, typed against ``event``.

        Args:
            name: The step's name in the table (snake case), never shown to people.
            event: The event that records the step; the request too, unless
                ``command`` is given.
            requirements: The requirement IDs the step implements.
            roles: The roles that may take it (X-2).
            label: The step as an imperative, Swedish then English.
            command: Where the request differs from the record: the command class.
            build: With ``command``: make the event from the command, state and policy.
            roles_for: Where the roles depend on the event's data: the roles for it.
            after: Steps that must all have been taken first.
            after_any: Steps of which one must have been taken first.
            not_after: Steps after which this one may no longer be taken.
            when: A labelled condition on the case's facts.
            once: Whether the step is taken at most once (until reset).
            resets: Steps this one makes takeable again.
            opens: Obligations the step opens.
            checks: Rules that refuse the step or, in a log, judge it.
            flags: Rules that judge the recorded step.
            apply: The changes the event makes to the state's own facts.
            terminal: Whether the step ends the case.
            milestone: The milestone of a decision the step reaches (X-6): its kind
                of facts and how they are read from the event.
        """
        return Step(
            name=name,
            event=event,
            requirements=tuple(requirements),
            roles=frozenset(roles),
            label=_label(label),
            command=command,
            build=build,
            roles_for=roles_for,
            after=_names(after, "after"),
            after_any=_names(after_any, "after_any"),
            not_after=_names(not_after, "not_after"),
            when=when,
            once=once,
            resets=_names(resets, "resets"),
            opens=tuple(opens),
            checks=tuple(checks),
            flags=tuple(flags),
            apply=apply,
            terminal=terminal,
            milestone=milestone,
        )

    def obligation(
        self,
        name: str,
        event: type[E],
        *,
        requirement: str,
        roles: Role | Iterable[Role],
        sv: Text[E],
        en: Text[E],
        met_by: Sequence[str],
        kind: ActionKind = ActionKind.TASK,
        channel: Channel | Callable[[Opened[E]], Channel | None] | None = None,
        due: Callable[[Opened[E], P], datetime | date | None] | None = None,
        since: Label | Callable[[Opened[E]], Label] | None = None,
        rule: Label | Callable[[Opened[E], P], Label] | None = None,
        note: Callable[[Opened[E], P], Label | None] | None = None,
        counted_from: Callable[[Opened[E]], datetime] | None = None,
        moved_by: Sequence[str] = (),
        when: Condition[S] | None = None,
        per: Callable[[S, E, P], Iterable[Hashable]] | None = None,
        met_if: Callable[[Opened[E], Any], bool] | None = None,
        void_by: Sequence[str] = (),
        assignee: Text[E] | None = None,
        recipient: Text[E] | None = None,
        text: Callable[[Opened[E]], str | None] | None = None,
        severity: Severity = Severity.ERROR,
        late_kind: DeviationKind = DeviationKind.LATE,
        met_at: Callable[[Any], datetime] | None = None,
    ) -> Obligation[S, E, P]:
        """Declare an obligation (skyldighet) opened by steps whose events are ``event``s.

        ``event`` is the class the obligation's callables read from the record (the
        opening event's class, or a base class of every opening step's event); see
        :class:`Obligation` for the rest.
        """
        roles_given: tuple[Role, ...] = (roles,) if isinstance(roles, Role) else tuple(roles)
        if isinstance(since, tuple):
            _label(since, "since")
        if isinstance(rule, tuple):
            _label(rule, "rule")
        return Obligation(
            name=name,
            event=event,
            requirement=requirement,
            roles=roles_given,
            sv=sv,
            en=en,
            met_by=_names(met_by, "met_by"),
            kind=kind,
            channel=channel,
            due=due,
            since=since,
            rule=rule,
            note=note,
            counted_from=counted_from,
            moved_by=_names(moved_by, "moved_by"),
            when=when,
            per=per,
            met_if=met_if,
            void_by=_names(void_by, "void_by"),
            assignee=assignee,
            recipient=recipient,
            text=text,
            severity=severity,
            late_kind=late_kind,
            met_at=met_at,
        )

    def condition(self, label: Label, test: Callable[[S], bool]) -> Condition[S]:
        """Declare a labelled condition (villkor) on the routine's state."""
        return Condition(test, label)
