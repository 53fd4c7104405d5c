"""Testing kit (teststöd) for routines: tests generated from a routine's table, X-1, X-2, X-5.

For any :class:`~arendefordelning.kernel.Routine` (the package's own or one a
municipality writes), two tests that need nothing but the table::

    from arendefordelning.testing import check_role_matrix, machine_for

    def test_who_may_do_what():
        check_role_matrix(MY_ROUTINE)          # X-2, every step and every role

    TestMyRoutine = machine_for(MY_ROUTINE).TestCase   # a hypothesis state machine

:func:`check_role_matrix` walks the table until every step has been taken, and tries
each step in a state where it is allowed in every :class:`~arendefordelning.kernel.Role`:
exactly the roles the step does not name must be refused with
:class:`~arendefordelning.errors.NotPermitted`. :func:`machine_for` builds a
:class:`hypothesis.stateful.RuleBasedStateMachine` whose rules take the steps the
state allows, try roles and steps the routine refuses, and check after every rule
that the record explains the state (X-1), that what must happen next is for the
routine's roles, and that the deviations (X-5) can be computed.

This module needs `hypothesis <https://hypothesis.readthedocs.io/>`_, as
:mod:`arendefordelning.strategies` does: install ``arendefordelning[hypothesis]``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

try:
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample
    from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
except ImportError:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise ImportError(
        "arendefordelning.testing needs hypothesis: pip install 'arendefordelning[hypothesis]'"
    ) from None

from ._time import STOCKHOLM, UTC
from .errors import (
    ArendefordelningError,
    ForbiddenStep,
    IllegalTransition,
    InvalidInput,
    NotPermitted,
)
from .kernel import (
    Actor,
    Command,
    Deviation,
    DeviationKind,
    Event,
    Role,
    Routine,
    Step,
    recorded,
)
from .strategies import FieldStrategy, _in_order, _later, _table, _Taken, _walk, commands

if TYPE_CHECKING:
    from .store.contract import StoreContract

__all__ = [
    "check_judging",
    "check_role_matrix",
    "judging_moments",
    "machine_for",
    "store_contract",
    "store_machine",
]

_BEFORE_ANY_EVENT: Final = datetime(2026, 1, 1, tzinfo=STOCKHOLM)
"""When a case with no event is judged: any moment does."""
_LONG_AFTER: Final = timedelta(days=400)
"""How long after the latest step the deviations are also judged (every due time passed)."""
_FAR: Final = datetime(9998, 12, 31, tzinfo=STOCKHOLM)
"""A moment after every due time a drawn history has."""


# --------------------------------------------------------------------------- the role matrix


@attrs.define
class _Matrix:
    """What the walks found: per command, the roles accepted and refused, and the problems."""

    routine: Routine[Any, Any, Any]
    accepted: dict[type[Event | Command], set[Role]]
    refused: dict[type[Event | Command], set[Role]]
    problems: dict[str, None] = attrs.field(factory=dict)

    def complete(self) -> bool:
        matrix = self.routine.role_matrix()
        return all(
            self.accepted[kind] == set(roles) and self.refused[kind] == set(Role) - roles
            for kind, roles in matrix.items()
        )

    def look(self, walk: list[_Taken]) -> bool:
        """Check the steps of a walk; whether the search can stop.

        It stops when the matrix is complete, or when problems were found and every
        step has been taken (nothing more to learn).
        """
        for taken in walk:
            self.check(taken)
        if self.problems and all(self.accepted.values()):
            return True
        return self.complete()

    def check(self, taken: _Taken) -> None:
        """Try the step just taken in every role, in the state it was taken in."""
        command = taken.command
        step = self.routine.step_of(type(command))
        name = type(command).__name__
        self.accepted[step.request].add(command.actor.role)
        self.recorded(step, taken.events, command.actor.role)
        for role in Role:
            if role is command.actor.role:
                continue
            named = role in step.roles
            try:
                other = attrs.evolve(command, actor=Actor(command.actor.id, role))
            except InvalidInput:  # the command itself refuses the role: nothing to decide
                continue
            try:
                events = self.routine.decide(other, taken.before)
            except NotPermitted:
                if named:
                    if step.roles_for is None:  # else the data may rule the role out
                        self.problem(f"{name}: the role {role.value!r} the table names was refused")
                    continue
                self.refused[step.request].add(role)
                self.records_nothing(other, taken.before, NotPermitted)
                continue
            except ArendefordelningError as error:
                if not named:
                    self.problem(
                        f"{name}: the role {role.value!r} was refused with "
                        f"{type(error).__name__}, not NotPermitted (X-2)"
                    )
                continue  # a role the step names, refused for the input: not a witness
            if not named:
                names = ", ".join(r.value for r in _in_order(step.roles))
                self.problem(
                    f"{name}: the role {role.value!r} was accepted; the table names {names} (X-2)"
                )
                continue
            self.accepted[step.request].add(role)
            self.recorded(step, events, role)

    def records_nothing(self, command: Event | Command, state: Any, error: type[Exception]) -> None:
        try:
            self.routine.handle(command, state)
        except error:
            return
        self.problem(f"{type(command).__name__}: decide refused it but handle recorded it")

    def recorded(self, step: Step[Any, Any], events: list[Event], role: Role) -> None:
        if not events or not all(
            isinstance(event, step.event) and event.actor.role is role for event in events
        ):
            self.problem(
                f"{step.request.__name__}: decide returned {[type(e).__name__ for e in events]}, "
                f"not {step.event.__name__} by the role {role.value!r}"
            )

    def problem(self, text: str) -> None:
        self.problems[text] = None


def check_role_matrix(
    routine: Routine[Any, Any, Any],
    *,
    max_examples: int = 500,
    max_size: int = 30,
    fields: Mapping[str, FieldStrategy] | None = None,
) -> dict[type[Event | Command], frozenset[Role]]:
    """Check the role matrix (rollmatris) of a routine: who may take each step, X-2.

    Walks through the table (histories as :func:`~arendefordelning.strategies.histories`
    draws them) until every step has been taken, and tries each step taken, in the
    state it was taken in, in every :class:`~arendefordelning.kernel.Role`: a role the
    step names must be accepted (in some drawn state) and record the step's event;
    every other role must be refused with
    :class:`~arendefordelning.errors.NotPermitted`, and ``handle`` must record
    nothing for it either. Deterministic: the same routine walks the same way.

    Call it from a plain test, not from inside a hypothesis ``@given`` test.

    Args:
        routine: A :class:`~arendefordelning.kernel.Routine`.
        max_examples: The most histories walked before a step never reached is
            reported.
        max_size: The most steps tried in one history.
        fields: Strategies for command fields by name, for a step only special
            values reach, or functions of the state returning one (see
            :func:`~arendefordelning.strategies.commands`).

    Returns:
        The roles found to be accepted for each command: ``routine.role_matrix()``.

    Raises:
        AssertionError: listing every problem found: a step never reached, a role
            the table names refused or one it does not name accepted, a refusal
            other than NotPermitted.
        InvalidInput: for a routine that is not a table of steps.
    """
    table = _table(routine, "check_role_matrix")
    found = _Matrix(
        routine=table,
        accepted={kind: set() for kind in table.commands},
        refused={kind: set() for kind in table.commands},
    )
    given = dict(fields or {})

    @st.composite
    def walked(draw: st.DrawFn) -> bool:
        """Walk once, check every step taken; whether the matrix is complete now."""
        try:
            walk = _walk(draw, table, max_size, given)
        except NotPermitted as error:  # a role the step names, refused while walking
            found.problem(str(error))
            return False
        return found.look(walk)

    search = settings(
        database=None,
        derandomize=True,
        deadline=None,
        max_examples=max_examples,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    with contextlib.suppress(NoSuchExample):  # a step never reached is reported below
        find(walked(), bool, settings=search)
    for step in table.steps:
        accepted = found.accepted[step.request]
        roles = ", ".join(role.value for role in _in_order(accepted))
        if not accepted:
            found.problem(
                f"step {step.name!r} ({step.request.__name__}) was never taken in "
                f"{max_examples} drawn histories; pass fields= for the values it needs"
            )
        elif accepted != set(step.roles):
            missing = ", ".join(r.value for r in _in_order(step.roles - accepted))
            found.problem(
                f"{step.request.__name__}: the roles {missing} the table names were never "
                f"accepted (accepted: {roles})"
            )
    if found.problems:
        lines = "\n".join(f"  - {text}" for text in found.problems)
        raise AssertionError(
            f"routine {table.code}: the role matrix does not hold ({len(found.problems)} "
            f"problem{'s' if len(found.problems) != 1 else ''}):\n{lines}"
        )
    return {kind: frozenset(roles) for kind, roles in found.accepted.items()}


# --------------------------------------------------------------------------- judging

_TICK: Final = timedelta(microseconds=1)


def judging_moments(
    routine: Routine[Any, Any, Any], events: Sequence[Event], *, state: Any = None
) -> list[datetime]:
    """Return the moments worth judging a history at, in order: where answers may change.

    Every time an event was recorded or happened, every due time the history gives (and
    a microsecond either side), and a moment long after the last: what
    :func:`check_judging` judges at.
    """
    current = routine.replay(events, strict=False) if state is None else state
    moments: set[datetime] = set()
    for event in events:
        for moment in (event.at, recorded(event)):
            moments.update((moment, _later(moment, _TICK)))
    for deviation in routine.deviations(current, as_of=_FAR):
        for found in (deviation.due, deviation.happened_at):
            if found is not None:
                moments.update((_later(found, -_TICK), found, _later(found, _TICK)))
    latest = max(moments, key=_utc_of, default=_BEFORE_ANY_EVENT)
    moments.add(_later(latest, _LONG_AFTER))
    return sorted(moments, key=_utc_of)


def _utc_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _lasting(deviation: Deviation) -> tuple[object, ...]:
    """Return what of a deviation stays when more is recorded: all but kind and times."""
    return (
        deviation.case,
        deviation.requirement,
        deviation.sv,
        deviation.en,
        deviation.due,
        deviation.due_on,
    )


def check_judging(
    routine: Routine[Any, Any, Any],
    events: Sequence[Event],
    *,
    state: Any = None,
    moments: Iterable[datetime] | None = None,
) -> None:
    """Check that a history is judged as it was known then (bedömd som den var känd då), X-5.

    At every moment of ``moments`` (by default :func:`judging_moments`), for the
    history ``events`` of one case in recording order (``state`` is its replay, if
    already made):

    * **as known then**: ``deviations(state, as_of=t)`` equals
      ``deviations_of(events, as_of=t)``, the judgement of the events recorded by ``t``;
    * **nothing ahead of its time**: no deviation happened after ``t``, and none of
      kind MISSING or LATE has a due time not yet passed at ``t``;
    * **monotone**: a deviation found at ``t`` is found at every later moment: the
      same, or (a MISSING one) the same rule and due time of another kind, as the step
      that was missing comes, late;
    * **deterministic**: judging the same state twice gives the same answer.

    Raises:
        AssertionError: naming the moment and what did not hold.
    """
    current = routine.replay(events, strict=False) if state is None else state
    earlier: list[Deviation] = []
    for moment in (
        moments if moments is not None else judging_moments(routine, events, state=current)
    ):
        found = routine.deviations(current, as_of=moment)
        assert found == routine.deviations(current, as_of=moment), f"not deterministic at {moment}"
        known = routine.deviations_of(events, as_of=moment)
        assert found == known, (
            f"as of {moment}: the whole history's state gives {found}, the history recorded "
            f"by then gives {known}"
        )
        limit = moment.astimezone(UTC)
        for deviation in found:
            happened = deviation.happened_at
            assert happened is None or happened.astimezone(UTC) <= limit, (moment, deviation)
            if deviation.kind in (DeviationKind.MISSING, DeviationKind.LATE):
                assert deviation.due is not None, deviation
                # A due time is in time at it; a due day's end (the next midnight) is not.
                due = deviation.due.astimezone(UTC)
                assert due < limit or (deviation.due_on is not None and due == limit), (
                    moment,
                    deviation,
                )
        lasting = {_lasting(deviation) for deviation in found}
        for deviation in earlier:
            assert deviation in found or _lasting(deviation) in lasting, (
                f"as of {moment}: {deviation} found earlier is gone"
            )
        earlier = found


# --------------------------------------------------------------------------- the state machine


def machine_for(
    routine: Routine[Any, Any, Any],
    *,
    fields: Mapping[str, FieldStrategy] | None = None,
) -> type[RuleBasedStateMachine]:
    """Build a hypothesis state machine (tillståndsmaskin) from a routine's table, X-1, X-2, X-5.

    The machine holds one case: its events and its state. Its rules take a step the
    state allows (a command drawn by :func:`~arendefordelning.strategies.commands`),
    issue a step in a role its step does not name, and issue a step the state does
    not allow. After every rule it checks:

    * a refused command records nothing: ``handle`` refuses it too (X-2);
    * ``replay`` of every event, strictly, gives the state (X-1);
    * a request the state allows is accepted, or refused for its input only
      (InvalidInput, or ForbiddenStep from one of the step's checks); one it does not
      allow is refused with IllegalTransition; a role the step does not name,
      NotPermitted;
    * every required action is for a role of the routine;
    * the deviations can be computed, now and long after (X-5), each of this routine,
      and are judged as known then (:func:`check_judging`);
    * a closed case allows no command.

    Use its ``TestCase`` in a test module, with settings of your own::

        TestOV = machine_for(OUTPATIENT_CARE).TestCase
        TestOV.settings = settings(max_examples=25, stateful_step_count=20)

    Args:
        routine: A :class:`~arendefordelning.kernel.Routine`.
        fields: Strategies for command fields by name, as for
            :func:`~arendefordelning.strategies.commands`.

    Raises:
        InvalidInput: for a routine that is not a table of steps.
    """
    table = _table(routine, "machine_for")
    given = dict(fields or {})
    everyone = frozenset(role for roles in table.role_matrix().values() for role in roles)
    every_command = table.commands

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.state: Any = table.initial_state
            self.events: list[Event] = []

        def allowed(self) -> frozenset[type[Event | Command]]:
            return table.allowed_commands(self.state)

        def records_nothing(self, command: Event | Command, error: Exception) -> None:
            """Check that a refused command records nothing: ``handle`` raises the same error."""
            try:
                table.handle(command, self.state)
            except type(error):
                return
            raise AssertionError(f"{type(command).__name__}: decide refused it, handle did not")

        @precondition(lambda self: bool(self.allowed()))
        @rule(data=st.data())
        def take_an_allowed_step(self, data: st.DataObject) -> None:
            command = data.draw(commands(table, self.state, fields=given), label="command")
            step = table.step_of(type(command))
            try:
                events = table.decide(command, self.state)
            except NotPermitted as error:
                if step.roles_for is not None:  # the event's data rule the role out
                    self.records_nothing(command, error)
                    return
                raise AssertionError(
                    f"{type(command).__name__} by a role its step names was refused: {error}"
                ) from None
            except ForbiddenStep as error:  # one of the step's checks: the input, here
                if error.requirement not in {check.requirement for check in step.checks}:
                    raise AssertionError(
                        f"{type(command).__name__} was refused by a check the step does not "
                        f"declare: {error}"
                    ) from None
                self.records_nothing(command, error)
                return
            except IllegalTransition as error:
                raise AssertionError(
                    f"allowed_commands names {type(command).__name__}, but decide "
                    f"refused it for the state: {error}"
                ) from None
            except ArendefordelningError as error:  # refused for the input only
                self.records_nothing(command, error)
                return
            assert events, f"{type(command).__name__} was accepted with no event"
            assert all(isinstance(event, step.event) for event in events)
            self.events += events
            self.state = table.replay(events, self.state)

        @rule(data=st.data())
        def try_a_role_the_step_does_not_name(self, data: st.DataObject) -> None:
            step = data.draw(st.sampled_from(table.steps), label="step")
            others = [role for role in Role if role not in step.roles]
            if not others:
                return
            command = data.draw(
                commands(table, self.state, kinds=[step.request], roles=others, fields=given),
                label="command",
            )
            try:
                events = table.decide(command, self.state)
            except NotPermitted as error:
                self.records_nothing(command, error)
                return
            except ArendefordelningError as error:
                raise AssertionError(
                    f"{type(command).__name__} in the role {command.actor.role.value!r} was "
                    f"refused with {type(error).__name__}, not NotPermitted (X-2)"
                ) from None
            raise AssertionError(
                f"{type(command).__name__} in the role {command.actor.role.value!r}, which "
                f"its step does not name, was accepted: {events}"
            )

        @precondition(lambda self: len(self.allowed()) < len(every_command))
        @rule(data=st.data())
        def try_a_step_the_state_does_not_allow(self, data: st.DataObject) -> None:
            allowed = self.allowed()
            kinds = [kind for kind in every_command if kind not in allowed]
            command = data.draw(
                commands(table, self.state, kinds=kinds, fields=given), label="command"
            )
            try:
                events = table.decide(command, self.state)
            except IllegalTransition as error:
                self.records_nothing(command, error)
                return
            except ArendefordelningError as error:
                raise AssertionError(
                    f"{type(command).__name__}, which the state does not allow, was refused "
                    f"with {type(error).__name__}, not IllegalTransition"
                ) from None
            raise AssertionError(
                f"{type(command).__name__}, which allowed_commands does not name, was "
                f"accepted: {events}"
            )

        @invariant()
        def replay_gives_the_state(self) -> None:
            assert table.replay(self.events, strict=True) == self.state

        @invariant()
        def required_actions_are_for_roles_of_the_routine(self) -> None:
            for action in table.required_actions(self.state):
                assert action.role in everyone, action

        @invariant()
        def deviations_can_be_computed(self) -> None:
            latest = self.state.recorded_until or _BEFORE_ANY_EVENT
            for moment in (latest, _later(latest, _LONG_AFTER)):
                for deviation in table.deviations(self.state, as_of=moment):
                    assert deviation.routine == table.code, deviation

        @invariant()
        def judged_as_known_then(self) -> None:
            check_judging(table, self.events, state=self.state)

        @invariant()
        def a_closed_case_allows_nothing(self) -> None:
            if table.is_terminal(self.state):
                assert not self.allowed()

    Machine.__name__ = Machine.__qualname__ = f"{table.code}Machine"
    return Machine


# --------------------------------------------------------------------------- event stores


def store_contract(
    make_store: Callable[[], Any], *, name: str = "StoreContractTests"
) -> type[StoreContract]:
    """Return the event store contract's tests for a store factory (lagrets kontrakt), X-1.

    Bind it to a ``Test*`` name in a test module: ``TestMyStore =
    store_contract(lambda: MyStore(...))``; the factory gives a new, empty store on
    every call. See :mod:`arendefordelning.store.contract`.
    """
    from .store.contract import store_contract as contract  # noqa: PLC0415 - loads the stores

    return contract(make_store, name=name)


def store_machine(
    make_store: Callable[[], Any], *, max_examples: int = 20, steps: int = 25
) -> type[RuleBasedStateMachine]:
    """Return the store contract's state machine for a store factory, X-1.

    ``TestMyStoreMachine = store_machine(lambda: MyStore(...)).TestCase``: appends,
    reads and consumers at random, each answer compared with a model in memory. See
    :mod:`arendefordelning.store.contract`.
    """
    from .store.contract import store_machine as machine  # noqa: PLC0415 - loads the stores

    return machine(make_store, max_examples=max_examples, steps=steps)
