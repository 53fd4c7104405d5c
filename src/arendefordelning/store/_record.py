"""Recording a step in a store (registrera ett steg): read, replay, decide, append, X-1, X-2.

Re-exported by :mod:`arendefordelning.store`; see there.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, TypeVar

from .._validators import describe
from ..errors import InvalidInput
from ..kernel import Command, Event
from ._base import ConcurrencyConflict, EventStore, Recorded, check_count

if TYPE_CHECKING:
    from ..kernel import Routine, RoutinePolicy

__all__ = ["record"]

E = TypeVar("E", bound=Event)
P = TypeVar("P", bound="RoutinePolicy")

ATTEMPTS: Final = 10
"""How often :func:`record` reads and decides again after a conflict, by default."""

_PAUSE: Final = 0.002
"""The first pause after a conflict, in seconds; it doubles, at most to ``_LONGEST``."""
_LONGEST: Final = 0.05


def record(
    store: EventStore,
    routine: Routine[Any, E, P],
    request: Event | Command,
    *,
    policy: P | Iterable[P] | None = None,
    attempts: int = ATTEMPTS,
) -> list[Recorded[E]]:
    """Record a step in a store (registrera ett steg): read, decide, append, X-1, X-2.

    Reads the request's case from the store, folds it (``routine.replay``, keeping what
    it cannot explain as anomalies: the record is the record), lets the routine decide
    the request, and appends the events at the version the case was read at. When
    another writer recorded in the case in between (:class:`ConcurrencyConflict`), the
    case is read and the request decided again — against the new state, so a step
    that another writer's event made impossible is refused then — up to ``attempts``
    times, with a short random pause between tries.

    Args:
        store: Any :class:`EventStore`.
        routine: The routine the case follows.
        request: The step's event, or its command where the step has one.
        policy: The routine's numbers, as ``decide`` takes them.
        attempts: How many times to read and decide in all (>= 1).

    Returns:
        The events appended, with their positions and versions.

    Raises:
        NotPermitted, IllegalTransition, ForbiddenStep, InvalidInput: as ``decide``
            refuses the request (nothing is appended).
        ConcurrencyConflict: the last conflict, when every attempt met one.
    """
    if not isinstance(request, Event | Command):
        raise InvalidInput(f"request must be an event or command, not {describe(request)}")
    tries = check_count("attempts", attempts, 1)
    conflict: ConcurrencyConflict | None = None
    for attempt in range(tries):
        if attempt:
            time.sleep(random.uniform(0, min(_LONGEST, _PAUSE * 2 ** (attempt - 1))))
        history = store.read(request.case, routine=routine)
        state = routine.replay(history, strict=False, policy=policy)
        events = routine.decide(request, state, policy=policy)
        try:
            positions = store.append(request.case, events, expected_version=history.version)
        except ConcurrencyConflict as error:
            conflict = error
            continue
        return [
            Recorded(position=position, version=history.version + index, event=event)
            for index, (position, event) in enumerate(zip(positions, events, strict=True), 1)
        ]
    assert conflict is not None
    raise conflict
