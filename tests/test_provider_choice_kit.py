"""The testing kit on routine VAL: role matrix, state machine and drawn histories (X-1, X-2, X-5).

The tests any user of :mod:`arendefordelning.testing` writes for a routine, here for
VAL: every step tried in every role (X-2), the stateful machine over the table, and
properties over drawn histories: a strict replay explains them (X-1), the log gives
back the same state, and what must happen next and what went against the routine
(X-5) can always be computed and name VAL's requirements only.

``LaterStartAgreed`` (VAL-6) is the one step whose roles depend on its fields
(``roles_for``): the provider may record an agreement with the customer, only the
needs assessor may instruct a later start. The kit draws agreements for it;
``test_provider_choice.py`` covers the instruction in both roles.
"""

from __future__ import annotations

import io
from datetime import timedelta
from random import Random
from typing import Any, Final

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from arendefordelning import strategies
from arendefordelning.eventlog import dump_events, load_events
from arendefordelning.kernel import DeviationKind, Event
from arendefordelning.routines import provider_choice as val
from arendefordelning.testing import check_judging, check_role_matrix, machine_for

VAL = val.VAL
FIELDS: Final[dict[str, st.SearchStrategy[Any]]] = {
    "basis": st.just(val.LaterStartBasis.AGREEMENT),
}
VAL_ROLES: Final = frozenset(role for roles in VAL.role_matrix().values() for role in roles)


@pytest.mark.slow
def test_x2_val_every_step_refuses_exactly_the_roles_the_table_does_not_name() -> None:
    """X-2: VAL-1…VAL-19, each step in every role: NotPermitted for the others, nothing recorded."""
    assert check_role_matrix(VAL, fields=FIELDS) == VAL.role_matrix()


@pytest.mark.slow
def test_x2_the_kit_finds_the_instruction_only_the_assessor_may_give() -> None:
    """X-2, VAL-6: drawn instructions as well, the provider is refused a named step."""
    with pytest.raises(AssertionError, match="the roles utförare the table names were never"):
        check_role_matrix(VAL, fields={"basis": st.just(val.LaterStartBasis.INSTRUCTION)})


TestProviderChoice = machine_for(VAL, fields=FIELDS).TestCase
TestProviderChoice.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, database=None
)
pytest.mark.slow(TestProviderChoice)  # run with -m slow


@settings(max_examples=60, deadline=None)
@given(strategies.histories(VAL, max_size=25, fields=FIELDS))
def test_x5_every_drawn_val_history_replays_and_is_judged(
    history: list[val.ProviderChoiceEvent],
) -> None:
    """X-1, X-5: a drawn VAL history replays strictly; its actions and deviations compute.

    Judged long after the latest step, every deviation is of routine VAL and names a
    VAL requirement, and every action with a due time is then a deviation instead.
    """
    state = VAL.replay(history, strict=True)
    assert state.count == len(history)
    actions = VAL.required_actions(state)
    assert {action.role for action in actions} <= VAL_ROLES
    assert all(action.requirement.startswith("VAL-") for action in actions)
    if not history:
        return
    later = history[-1].at + timedelta(days=400)
    deviations = VAL.deviations(state, as_of=later)
    assert all(d.routine == "VAL" and d.requirement.startswith("VAL-") for d in deviations)
    missing = {d.requirement for d in deviations if d.kind is DeviationKind.MISSING}
    assert {a.requirement for a in actions if a.due is not None} <= missing


@settings(max_examples=40, deadline=None)
@given(strategies.histories(VAL, max_size=25, fields=FIELDS))
def test_x1_a_drawn_val_history_comes_back_from_its_log(
    history: list[val.ProviderChoiceEvent],
) -> None:
    """X-1: written as JSON Lines and read back for routine VAL, a history is the same record."""
    stream = io.StringIO()
    dump_events(history, stream)
    stream.seek(0)
    loaded: list[val.ProviderChoiceEvent] = list(load_events(stream, routine=VAL))
    assert loaded == history
    assert VAL.replay(loaded) == VAL.replay(history)


@pytest.mark.parametrize(
    "kind",
    [val.TakeoverDateDocumented, val.ExecutionRegistered, val.HomeHealthCareToldOfSwitch],
    ids=lambda kind: kind.__name__,
)
def test_x1_drawn_val_histories_reach_the_end_of_both_flows(kind: type[Event]) -> None:
    """X-1: the walk gets through a first choice (VAL-11) and a re-choice (VAL-17, VAL-19)."""
    search = settings(database=None, phases=[Phase.generate], max_examples=3000, deadline=None)
    found = find(
        strategies.histories(VAL, max_size=30, fields=FIELDS),
        lambda history: any(isinstance(event, kind) for event in history),
        settings=search,
    )
    assert VAL.replay(found, strict=True).count == len(found)


@settings(max_examples=40, deadline=None)
@given(strategies.histories(VAL, max_size=25, fields=FIELDS))
def test_x5_a_drawn_val_history_is_judged_as_known_then(
    history: list[val.ProviderChoiceEvent],
) -> None:
    """X-5, VAL-6, VAL-13, VAL-18: at every moment where an answer may change, the
    deviations of the whole history's state are those of the events recorded by then;
    a passed deadline stays a deviation; the answer is deterministic; nothing is due or
    happened after the moment judged."""
    check_judging(VAL, history)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(strategies.histories(VAL, max_size=15, fields=FIELDS), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_x1_shuffled_val_events_fold_to_the_same_states(
    histories: list[list[val.ProviderChoiceEvent]], random: Random
) -> None:
    """X-1, VAL-2: VAL.fold of many cases' events in any order gives the same states
    and the same anomalies (the canonical order decides, not the input's)."""
    events = [event for history in histories for event in history]
    folded = VAL.fold(events)
    shuffled = list(events)
    random.shuffle(shuffled)
    again = VAL.fold(shuffled)
    assert dict(again) == dict(folded)
    assert again.anomalies == folded.anomalies
    assert set(folded) == {event.case for event in events}
