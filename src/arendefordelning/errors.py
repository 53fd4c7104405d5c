"""Errors (fel) raised by the package.

Every error the package raises on purpose is an :class:`ArendefordelningError`, so a
caller can catch the package's errors in one place. Messages say what was wrong and
what is accepted, and never repeat a full personal identity number (X-7).
"""

from __future__ import annotations

__all__ = [
    "ArendefordelningError",
    "ForbiddenStep",
    "IllegalTransition",
    "InvalidDefinition",
    "InvalidInput",
    "NoProviderAvailable",
    "NotPermitted",
]


class ArendefordelningError(Exception):
    """Base error (fel) of the package: every deliberate error is one of these."""


class InvalidInput(ArendefordelningError, ValueError):
    """Invalid input (ogiltig indata): an argument the package cannot accept.

    Also a :class:`ValueError`, so code that already catches ``ValueError`` around
    parsing keeps working. The message names the argument, what was wrong and what
    is accepted.
    """


class NotPermitted(ArendefordelningError, PermissionError):
    """Not permitted (ej behörig): the actor's role may not issue this command, X-2.

    Also a :class:`PermissionError`. The message names the command, the actor's role
    and the roles that may issue it. Nothing is recorded when it is raised.
    """


class IllegalTransition(ArendefordelningError):
    """Illegal transition (otillåten övergång): the case's state does not allow the command.

    The message names the state and the commands allowed in it. Nothing is recorded
    when it is raised.
    """


class NoProviderAvailable(ArendefordelningError):
    """No provider available (ingen utförare i tur): every provider on a list is passed over.

    Raised by the non-choice rotation (akut- och ickevalslistan) when every provider
    is paused, at its capacity cap, or not on the list on the day asked, VAL-2.
    """


class InvalidDefinition(ArendefordelningError):
    """Invalid definition (ogiltig definition): a routine's table of steps does not hold.

    Raised when a routine is defined, never while it runs. The message lists every
    problem found at once (a step naming an unknown step, an unreachable step, an
    obligation whose role cannot meet it, an unknown requirement ID…), one per line.
    """

    def __init__(self, routine: str, problems: list[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            f"routine {routine} is not a valid table of steps ({len(problems)} "
            f"problem{'s' if len(problems) != 1 else ''}):\n{lines}"
        )


class ForbiddenStep(IllegalTransition):
    """Forbidden step (otillåtet steg): a rule of the routine forbids the step here.

    An :class:`IllegalTransition` raised by one of a step's checks, X-5: the step is
    one the routine forbids outright here (documentation handed over without the
    customer's consent, VAL-16). ``requirement`` names the rule. Nothing is recorded;
    a log that holds such a step is judged a deviation instead.
    """

    def __init__(self, message: str, requirement: str) -> None:
        super().__init__(message)
        self.requirement = requirement
