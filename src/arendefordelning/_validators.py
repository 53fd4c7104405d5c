"""Field validators shared by the package's attrs classes.

Each raises :class:`~arendefordelning.errors.InvalidInput` naming the field, what was
wrong and what is accepted. A wrong value is described by its type only, never by its
content, which might be a personal identity number (X-7).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import attrs

from .errors import InvalidInput

__all__ = ["MAX_NAME", "describe", "flag", "name", "optional_plain_date", "plain_date", "text"]

MAX_NAME: Final = 200
"""The longest name (of a provider, an area) the package accepts."""


def describe(value: object) -> str:
    """Describe a value by its type only, so that no personal data reaches a message."""
    if value is None:
        return "None"
    return f"a value of type {type(value).__name__}"


def flag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept True or False only (not 0, 1 or other truthy values)."""
    if type(value) is not bool:
        raise InvalidInput(f"{attribute.name} must be True or False, not {describe(value)}")


def plain_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a plain ``datetime.date``, not a datetime."""
    if type(value) is not date:
        raise InvalidInput(
            f"{attribute.name} must be a datetime.date (a plain date, not a datetime), "
            f"not {describe(value)}"
        )


def optional_plain_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a plain ``datetime.date`` or None."""
    if value is not None and type(value) is not date:
        raise InvalidInput(
            f"{attribute.name} must be a datetime.date (a plain date, not a datetime) or "
            f"None, not {describe(value)}"
        )


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept text that is not blank."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{attribute.name} must be non-empty text, not {describe(value)}")


def name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a name: non-empty, no surrounding spaces, at most :data:`MAX_NAME` characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{attribute.name} must be a str, not {describe(value)}")
    if not value.strip() or value != value.strip() or len(value) > MAX_NAME:
        raise InvalidInput(
            f"{attribute.name} must be a non-empty name of at most {MAX_NAME} characters "
            "without leading or trailing spaces"
        )
