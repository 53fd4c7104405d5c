"""The testing kit on routine OV and small routines: role matrix, state machine (X-1, X-2, X-5).

OV gets the tests any user of the kit writes for a routine: the generated role
matrix (X-2), the stateful machine, and a property over drawn histories (X-1, X-5).
Small broken routines show that each check can fail.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from arendefordelning import InvalidInput, strategies
from arendefordelning.kernel import (
    CaseState,
    Command,
    Event,
    Role,
    Routine,
    RoutinePolicy,
    Table,
)
from arendefordelning.routines import outpatient_care as ov
from arendefordelning.routines.outpatient_care import OUTPATIENT_CARE, OutpatientCareEvent
from arendefordelning.testing import check_role_matrix, machine_for

OV_ROLES = frozenset(role for roles in OUTPATIENT_CARE.role_matrix().values() for role in roles)

# --------------------------------------------------------------------------- routine OV


def test_x2_ov_every_step_refuses_exactly_the_roles_the_table_does_not_name() -> None:
    """X-2: OV-1…OV-11, each step in every role: NotPermitted for the others, nothing recorded."""
    assert check_role_matrix(OUTPATIENT_CARE) == OUTPATIENT_CARE.role_matrix()


TestOutpatientCare = machine_for(OUTPATIENT_CARE).TestCase
TestOutpatientCare.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None, database=None
)
pytest.mark.slow(TestOutpatientCare)  # run with -m slow


@settings(max_examples=60)
@given(strategies.histories(OUTPATIENT_CARE))
def test_x5_every_drawn_ov_history_replays_and_is_judged(
    history: list[OutpatientCareEvent],
) -> None:
    """X-1, X-5: a drawn OV history replays strictly; its actions and deviations compute.

    Deviations judged long after the latest step name OV requirements only, and an
    open obligation with a due time (OV-8, OV-9) is then a deviation, not an action.
    """
    state = OUTPATIENT_CARE.replay(history, strict=True)
    assert state.count == len(history)
    actions = OUTPATIENT_CARE.required_actions(state)
    assert {action.role for action in actions} <= OV_ROLES
    assert all(action.requirement.startswith("OV-") for action in actions)
    if not history:
        return
    later = history[-1].at + timedelta(days=400)
    deviations = OUTPATIENT_CARE.deviations(state, as_of=later)
    assert all(d.routine == "OV" and d.requirement.startswith("OV-") for d in deviations)
    missing = {d.requirement for d in deviations if d.kind.name == "MISSING"}
    due = {a.requirement for a in actions if a.due is not None}
    assert due <= missing
    if OUTPATIENT_CARE.is_terminal(state):
        assert actions == ()


def holding(kind: type[Event]) -> Callable[[list[OutpatientCareEvent]], bool]:
    return lambda history: any(isinstance(event, kind) for event in history)


@pytest.mark.parametrize(
    "kind",
    [ov.ImplementationPlanChanged, ov.ClosingConversationHeld, ov.TherapistsCoordinated],
    ids=lambda kind: kind.__name__,
)
def test_x1_drawn_ov_histories_reach_the_end_of_the_routine(kind: type[Event]) -> None:
    """X-1: the walk gets past OV's special fields: plans changed, cases closed, coordination."""
    search = settings(database=None, phases=[Phase.generate], max_examples=2000)
    found = find(strategies.histories(OUTPATIENT_CARE), holding(kind), settings=search)
    assert OUTPATIENT_CARE.replay(found, strict=True).count == len(found)
    if kind is ov.TherapistsCoordinated:
        assert len(OUTPATIENT_CARE.replay(found).therapists) > 1


# --------------------------------------------------------------------------- small routines


@attrs.frozen(kw_only=True, repr=False)
class SState(CaseState):
    level: int = 0


class SEvent(Event):
    routine: ClassVar[str] = "S"


@attrs.frozen(kw_only=True)
class Started(SEvent):
    level: int = 0


@attrs.frozen(kw_only=True)
class Escalated(SEvent):
    pass


@attrs.frozen(kw_only=True)
class Stopped(SEvent):
    pass


rows = Table(SState, RoutinePolicy)

AT_A_SPECIAL_LEVEL = rows.condition(
    ("ärendet startades på en särskild nivå", "the case was started at a special level"),
    lambda state: state.level == 7654321,
)
"""The case was started at a level no drawn integer comes near."""

STEPS = (
    rows.step(
        "start",
        Started,
        requirements=("X-1",),
        roles=frozenset({Role.SOCIAL_WORKER, Role.UNIT_MANAGER}),
        label=("starta", "start"),
        apply=lambda s, e, p: {"level": e.level},
    ),
    rows.step(
        "escalate",
        Escalated,
        requirements=("X-2",),
        roles=frozenset({Role.UNIT_MANAGER}),
        label=("eskalera", "escalate"),
        after=("start",),
        when=AT_A_SPECIAL_LEVEL,
    ),
    rows.step(
        "stop",
        Stopped,
        requirements=("X-2",),
        roles=frozenset({Role.SOCIAL_WORKER}),
        label=("avsluta", "stop"),
        after=("start",),
        terminal=True,
    ),
)


def small(cls: type[Routine[Any, Any, Any]] = Routine) -> Routine[Any, Any, Any]:
    return cls(
        code="S",
        title="Liten rutin",
        title_en="Small routine",
        initial=SState(),
        policy=RoutinePolicy(),
        steps=STEPS,
    )


SPECIAL = {"level": st.just(7654321)}


def test_x2_a_step_only_special_values_reach_is_reported_until_fields_give_them() -> None:
    """X-2: a guard no drawn level meets leaves a step untried: reported, then reached."""
    routine = small()
    with pytest.raises(AssertionError) as caught:
        check_role_matrix(routine, max_examples=100)
    message = str(caught.value)
    assert message.startswith("routine S: the role matrix does not hold (1 problem):")
    assert "step 'escalate' (Escalated) was never taken in 100 drawn histories" in message
    assert check_role_matrix(routine, fields=SPECIAL) == routine.role_matrix()


class LetsEveryoneStop(Routine[Any, Any, Any]):
    """A routine whose decide forgets the role check for one step (a bug to find)."""

    def decide(self, command: Any, state: Any, *, policy: Any = None) -> list[Any]:
        # Only the role check is missing: a Stop the state does not allow is still
        # refused, so the role is the one bug the machine can find.
        if isinstance(command, Stopped) and Stopped in self.allowed_commands(state):
            return [command]
        return super().decide(command, state, policy=policy)


def test_x2_a_role_accepted_that_the_table_does_not_name_is_reported() -> None:
    """X-2: every role wrongly accepted is listed, naming the roles the table names."""
    with pytest.raises(AssertionError) as caught:
        check_role_matrix(small(LetsEveryoneStop), fields=SPECIAL)
    problems = str(caught.value).splitlines()[1:]
    assert len(problems) == len(Role) - 1
    assert (
        "  - Stopped: the role 'enhetschef' was accepted; the table names socialsekreterare (X-2)"
        in (problems)
    )


class RefusesManagers(Routine[Any, Any, Any]):
    """A routine whose decide refuses a role its table names, with the wrong error."""

    def decide(self, command: Any, state: Any, *, policy: Any = None) -> list[Any]:
        if isinstance(command, Escalated) and command.actor.role is not Role.UNIT_MANAGER:
            raise InvalidInput("no")
        return super().decide(command, state, policy=policy)


def test_x2_a_refusal_other_than_not_permitted_is_reported() -> None:
    """X-2: a role the step does not name must be refused with NotPermitted, nothing else."""
    with pytest.raises(
        AssertionError,
        match="Escalated: the role 'socialsekreterare' was refused "
        "with InvalidInput, not NotPermitted",
    ):
        check_role_matrix(small(RefusesManagers), fields=SPECIAL)


class AllowsEverything(Routine[Any, Any, Any]):
    """A routine whose allowed_commands names steps its decide refuses (a bug to find)."""

    def allowed_commands(self, state: Any) -> frozenset[type[Event | Command]]:
        return (
            frozenset(self.commands) if state.case is not None else super().allowed_commands(state)
        )


class AcceptsTooMuch(Routine[Any, Any, Any]):
    """A routine whose decide accepts a step its state does not allow (a bug to find)."""

    def decide(self, command: Any, state: Any, *, policy: Any = None) -> list[Any]:
        if isinstance(command, Escalated) and command.actor.role is Role.UNIT_MANAGER:
            return [command]
        return super().decide(command, state, policy=policy)


# Derandomised: the machine's search for a planted bug is the same every run, so the
# test cannot pass on one machine and fail on another by the draw alone.
QUICK = settings(
    max_examples=200,
    derandomize=True,
    stateful_step_count=10,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (AllowsEverything, "allowed_commands names"),
        (AcceptsTooMuch, "which allowed_commands does not name, was accepted"),
        (LetsEveryoneStop, "which its step does not name, was accepted"),
    ],
)
def test_x2_the_machine_finds_a_routine_that_breaks_its_table(
    cls: type[Routine[Any, Any, Any]], message: str
) -> None:
    """X-2: a refusal the state does not explain, or a step or role accepted wrongly, fails."""
    # A random walk of 200 histories misses the planted bug about once in 40 seeds, and
    # in CI the derandomised walk still missed it after the whole suite; 1,000 make a
    # miss negligible.
    with pytest.raises(AssertionError, match=message):
        run_state_machine_as_test(
            machine_for(small(cls)), settings=settings(QUICK, max_examples=1000)
        )


def test_x1_the_machine_passes_a_routine_that_keeps_its_table() -> None:
    """X-1: the small routine, as the kernel builds it, passes every rule and invariant."""
    machine = machine_for(small(), fields=SPECIAL)
    assert machine.__name__ == "SMachine"
    run_state_machine_as_test(machine, settings=settings(QUICK, max_examples=40))


def test_the_kit_refuses_what_is_no_table_of_steps() -> None:
    """Anything but a Routine has no table to generate tests from."""
    with pytest.raises(InvalidInput, match="check_role_matrix draws from a routine's table"):
        check_role_matrix(object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="machine_for draws from a routine's table"):
        machine_for(object())  # type: ignore[arg-type]


def test_without_hypothesis_the_import_error_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import arendefordelning.testing\n"
        "except ImportError as error:\n    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "arendefordelning.testing needs hypothesis" in done.stdout
