"""Errors (fel) raised by the package.

Every error the package raises on purpose is an :class:`ArendefordelningError`, so a
caller can catch the package's errors in one place. Messages say what was wrong and
what is accepted, and never repeat a full personal identity number (X-7).
"""

from __future__ import annotations

__all__ = ["ArendefordelningError", "InvalidInput"]


class ArendefordelningError(Exception):
    """Base error (fel) of the package: every deliberate error is one of these."""


class InvalidInput(ArendefordelningError, ValueError):
    """Invalid input (ogiltig indata): an argument the package cannot accept.

    Also a :class:`ValueError`, so code that already catches ``ValueError`` around
    parsing keeps working. The message names the argument, what was wrong and what
    is accepted.
    """
