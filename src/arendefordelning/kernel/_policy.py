"""Policies in force (gällande parametrar): a routine's numbers with a validity period, X-4.

Every routine-level policy (:class:`RoutinePolicy`) carries ``valid_from`` and
``valid_until``, as OpenFisca parameters carry their dates: a municipality revises a
routine (VAL-20: yearly) and each revision is a new policy value. One resolver,
:func:`policy_in_force`, picks the revision in force at a moment; ``decide``, the
deadlines and the deviations all use it, so a step is judged by the numbers in force
when it happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVar

import attrs

from .._time import as_date
from .._validators import class_name, describe, optional_plain_date, plain_date
from ..errors import InvalidInput

__all__ = ["RoutinePolicy", "policy_in_force", "resolve_policy"]

_P = TypeVar("_P", bound="RoutinePolicy")


@attrs.frozen
class RoutinePolicy:
    """Routine policy (rutinens parametrar) with its validity period (giltighetstid), X-4.

    Subclassed once per routine with the routine's numbers as fields; the base holds
    the validity period every revision has (VAL-20: the routine is revised yearly and
    its parameters carry a validity period).
    """

    valid_from: date = attrs.field(default=date(1975, 1, 1), validator=plain_date)
    """First day the parameters apply (gäller fr o m). X-4."""
    valid_until: date | None = attrs.field(default=None, validator=optional_plain_date)
    """Last day the parameters apply, inclusive; None until a revision replaces them. X-4."""

    def __attrs_post_init__(self) -> None:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidInput(
                f"valid_until ({self.valid_until}) must not be before valid_from "
                f"({self.valid_from})"
            )

    def in_force(self, on: date | datetime) -> bool:
        """Whether the parameters apply on a day: a date or an aware datetime (its Stockholm date)."""  # noqa: E501
        day = as_date(on, "on")
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def _period(self) -> str:
        until = "onwards" if self.valid_until is None else f"to {self.valid_until}"
        return f"from {self.valid_from} {until}"


def policy_in_force(
    revisions: Iterable[_P], at: date | datetime, *, kind: type[RoutinePolicy] = RoutinePolicy
) -> _P:
    """Return the revision in force at a moment (gällande revision), X-4.

    Args:
        revisions: A municipality's revisions of one routine's policy.
        at: The moment (an aware datetime) or day the step happened.
        kind: The routine's policy class; a revision of another class is refused.

    Raises:
        InvalidInput: when no revision, or more than one, is in force then, or the
            revisions are not an iterable of ``kind`` values.
    """
    day = as_date(at, "at")
    given: object = revisions
    words = class_name(kind)
    if isinstance(given, RoutinePolicy | str | bytes) or not isinstance(given, Iterable):
        raise InvalidInput(
            f"revisions must be an iterable of {words}, not {describe(given)}; pass one "
            "policy as policy=, several revisions as a list"
        )
    found = []
    for revision in revisions:
        if not isinstance(revision, kind):
            raise InvalidInput(f"revisions must hold only {words} values, not {describe(revision)}")
        if revision.in_force(day):
            found.append(revision)
    if len(found) != 1:
        raise InvalidInput(
            f"exactly one revision must be in force on {day.isoformat()}, found "
            f"{len(found)}; give revisions whose validity periods do not overlap"
        )
    return found[0]


def resolve_policy(given: object, kind: type[_P], default: _P, at: datetime) -> _P:
    """Return the policy to judge a step at ``at`` by: the default, the one given, or a revision.

    ``given`` is None (the routine's own numbers), one policy of ``kind`` (which must
    be in force at ``at``), or an iterable of revisions (the one in force is chosen).

    Raises:
        InvalidInput: for a policy of another kind, one not in force at ``at``, or
            revisions of which not exactly one is in force.
    """
    if given is None:
        return default
    if isinstance(given, kind):
        if not given.in_force(at):
            raise InvalidInput(
                f"the {class_name(kind)} given is in force {given._period()}, not on "
                f"{as_date(at, 'at').isoformat()}; pass the revision in force then, or all "
                "revisions as a list"
            )
        return given
    if isinstance(given, RoutinePolicy):
        raise InvalidInput(f"policy must be a {class_name(kind)}, not {describe(given)}")
    chosen: _P = policy_in_force(given, at, kind=kind)  # type: ignore[arg-type]
    return chosen
