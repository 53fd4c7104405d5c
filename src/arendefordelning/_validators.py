"""Field validators and message helpers shared by the package's attrs classes.

Each validator raises :class:`~arendefordelning.errors.InvalidInput` naming the field,
what was wrong and what is accepted. A wrong value is described by its type only
(:func:`describe`), never by its content, which might be a personal identity number
(X-7). Where a message must show a caller's text (a provider's name in a refusal),
it goes through :func:`shown`, which masks identity numbers and cuts long text.

Text that people write (a reason, a note, a provider's name) is refused when it holds
a personal identity number (:func:`refuse_identity_number`): it would otherwise reach
``repr``, explanations and the event log.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any, Final

import attrs

from ._pii import holds_identity_number, mask
from .errors import InvalidInput

__all__ = [
    "MAX_NAME",
    "MAX_SHOWN",
    "MAX_TAG",
    "TELEPHONE",
    "check_name",
    "degrees",
    "describe",
    "finite_number",
    "flag",
    "instance_of",
    "language_code",
    "language_set",
    "name",
    "non_negative",
    "optional_language",
    "optional_non_negative",
    "optional_plain_date",
    "optional_text",
    "phone_number",
    "plain_date",
    "positive",
    "real_number",
    "reason",
    "refuse_identity_number",
    "refuse_unwritable",
    "shown",
    "tag_set",
    "text",
    "tuple_of",
    "unique_identifiers",
    "whole_number",
    "written_forms",
]

MAX_NAME: Final = 200
"""The longest name (of a provider, an area) the package accepts."""

MAX_SHOWN: Final = 40
"""The most characters of a caller's text a message shows."""

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

IDENTITY_HINT: Final = (
    "must not contain a personal identity number (X-7): refer to the person by case "
    "number; write a telephone number with spaces or dashes, as people do (070-123 45 67)"
)
"""What a refusal of text holding an identity number says after the field's name."""


def describe(value: object) -> str:
    """Describe a value by its type only, so that no personal data reaches a message."""
    if value is None:
        return "None"
    return f"a value of type {type(value).__name__}"


def shown(value: str, limit: int = MAX_SHOWN) -> str:
    """Quote a caller's text for a message: identity numbers masked, cut to ``limit``, X-7.

    The text is quoted (as ``repr`` quotes, so line breaks and control characters
    are written out) before it is masked, and masked before it is cut: an escape's
    hex digits cannot join other digits into an unmasked number, and a cut never
    leaves part of a number readable.
    """
    masked = mask(repr(value))
    if len(masked) > limit:
        masked = masked[: limit - 1] + "…"
    return masked


def class_name(kind: object) -> str:
    """Return the name of a class for a developer's error message, never for a text people read."""
    return str(getattr(kind, "__name__", "?"))


def _type_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(class_name(k) for k in kind)
    return class_name(kind)


def instance_of(kind: type | tuple[type, ...], *, optional: bool = False) -> _Validator:
    """Return a validator accepting instances of ``kind`` (or None if ``optional``).

    Unlike attrs' own, it raises InvalidInput naming the field and the accepted type,
    and never repeats the value.
    """
    accepted = _type_name(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        accepted = f"{accepted} member"
    if optional:
        accepted += " or None"

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, kind):
            raise InvalidInput(f"{attribute.name} must be a {accepted}, not {describe(value)}")

    return check


def tuple_of(kind: type) -> _Validator:
    """Return a validator for a tuple whose items are all instances of ``kind``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise InvalidInput(
                f"{attribute.name} must be a tuple of {kind.__name__}, not {describe(value)}"
            )
        for item in value:
            if not isinstance(item, kind):
                raise InvalidInput(
                    f"{attribute.name} must hold only {kind.__name__} values, not {describe(item)}"
                )

    return check


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


def written_forms(value: str) -> tuple[str, ...]:
    r"""Return the text as it is and, if it has characters that are escaped, as written, X-7.

    A ``repr`` (every ``repr`` of a value that holds the text) and an event's log line
    (JSON) write a character that cannot be printed as an escape whose last characters
    may be digits (``\x19``, ``\u0019``, ``\u2028``), and those digits join the digits
    after it: a text that holds eight digits can be written with ten. Printable text is
    written as it is, so only it is returned then.
    """
    if value.isprintable():
        return (value,)
    return (value, repr(value), json.dumps(value, ensure_ascii=False))


def refuse_unwritable(field: str, value: str) -> None:
    """Refuse text that UTF-8 cannot write, one holding a lone surrogate, X-1.

    The event log is UTF-8, so an event holding such text could not be written.

    Raises:
        InvalidInput: naming ``field``, never repeating the text.
    """
    if value.isascii():  # ASCII is UTF-8 (and the test is a flag, not a scan)
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        pass  # raised below, outside the handler: the UnicodeEncodeError holds the text
    else:
        return
    raise InvalidInput(
        f"{field} must be text that UTF-8 can write; it holds a lone surrogate (half "
        "of a character, as from a badly decoded text), which an event log cannot hold"
    )


def refuse_identity_number(field: str, value: str) -> None:
    """Refuse text that holds a personal identity number that could be real, X-7.

    The text is judged as it is and as a ``repr`` and the event log write it
    (:func:`written_forms`).

    Raises:
        InvalidInput: naming ``field``, never repeating the text.
    """
    if (
        holds_identity_number(value)
        if value.isprintable()  # written as it is (see written_forms)
        else any(holds_identity_number(form) for form in written_forms(value))
    ):
        raise InvalidInput(f"{field} {IDENTITY_HINT}")


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept free text (fritext): not blank, and holding no personal identity number (X-7)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{attribute.name} must be non-empty text, not {describe(value)}")
    refuse_unwritable(attribute.name, value)
    refuse_identity_number(attribute.name, value)


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept free text as :func:`text` does, or None."""
    if value is not None:
        text(instance, attribute, value)


def reason(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a short note that may be empty: at most :data:`MAX_NAME` characters, X-7."""
    if not isinstance(value, str):
        raise InvalidInput(f"{attribute.name} must be a str, not {describe(value)}")
    if len(value) > MAX_NAME:
        raise InvalidInput(f"{attribute.name} must be at most {MAX_NAME} characters")
    refuse_unwritable(attribute.name, value)
    refuse_identity_number(attribute.name, value)


def name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a name: non-empty, no surrounding spaces, at most :data:`MAX_NAME` characters.

    A name holding a personal identity number is refused (X-7).
    """
    check_name(attribute.name, value)


def check_name(field: str, value: object, limit: int = MAX_NAME, example: str = "") -> str:
    """Check one name or tag named ``field`` as :func:`name` does and return it, X-7.

    ``limit`` is the longest accepted; ``example`` (such as ``"(such as 'musik')"``) is
    added to the message of a refusal.
    """
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a str, not {describe(value)}")
    if not value.strip() or value != value.strip() or len(value) > limit:
        hint = f" {example}" if example else ""
        raise InvalidInput(
            f"{field} must be a non-empty name of at most {limit} characters "
            f"without leading or trailing spaces{hint}"
        )
    refuse_unwritable(field, value)
    refuse_identity_number(field, value)
    return value


TELEPHONE: Final = "telephone numbers"
"""Field metadata value (under the key ``"kind"``) of a field of telephone numbers.

The public strategies draw telephone numbers for such a field instead of free text."""


# A telephone number as people write it: an optional + and digits, or a bracketed area
# code first, then digits in groups separated by single spaces, dashes or a bracketed
# area code; 7 to 15 digits in all (E.164). Written
# so that a text matches in one way only: digits follow digits only after a separator
# (or a closing bracket), so a long digit run cannot be split in exponentially many ways
# before a character that does not fit.
_PHONE: Final = re.compile(r"(?:\+?[0-9]+|\([0-9]+\))(?:[ -]?\([0-9]+\)|[ -][0-9]+|(?<=\))[0-9]+)*")


def phone_number(field: str, value: object) -> str:
    """Check one telephone number (telefonnummer) and return it, X-7.

    Accepted: ASCII digits in groups separated by single spaces or dashes, an optional
    leading ``+`` and an area code in brackets (``070-123 45 67``, ``+46 70 123 45 67``,
    ``(08) 123 456``), 7 to 15 digits in all. A number that could also be a personal
    identity number is refused: write it in groups, as people do.

    Raises:
        InvalidInput: naming ``field``, never repeating the value.
    """
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a telephone number as a str, not {describe(value)}")
    digits = sum(char.isdigit() for char in value)
    if not _PHONE.fullmatch(value) or not 7 <= digits <= 15:
        raise InvalidInput(
            f"{field} must be a telephone number: 7 to 15 digits in groups separated by "
            "spaces or dashes, an optional leading + and area code in brackets, such as "
            "070-123 45 67 or +46 70 123 45 67"
        )
    refuse_identity_number(field, value)
    return value


# --------------------------------------------------------------------------- numbers and sets

_LANGUAGE_CODE: Final = re.compile(r"[a-z]{2}")
MAX_TAG: Final = 40
"""The longest tag (a need, a centre's profile) the package accepts."""


def whole_number(field: str, value: object, low: int, high: int | None = None) -> int:
    """Check a whole number (an int, not a bool) from ``low`` to ``high`` and return it.

    Raises:
        InvalidInput: naming ``field`` and the range, never repeating the value: a
            number may be a personal identity number written without its dash.
    """
    if type(value) is not int or value < low or (high is not None and value > high):
        accepted = f"{low} or more" if high is None else f"from {low} to {high}"
        found = describe(value) if type(value) is not int else "a number outside that range"
        raise InvalidInput(f"{field} must be a whole number {accepted} (an int), not {found}")
    return value


def finite_number(value: object) -> float | None:
    """Return the value as a float if it is a finite int or float, never a bool; else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            return None
        if math.isfinite(number):
            return number
    return None


def real_number(field: str, value: object, low: float, high: float) -> float:
    """Check a finite int or float from ``low`` to ``high`` and return it as a float.

    Raises:
        InvalidInput: naming ``field`` and the range, never repeating the value.
    """
    number = finite_number(value)
    if number is None or not low <= number <= high:
        found = describe(value) if number is None else "a number outside that range"
        raise InvalidInput(
            f"{field} must be a finite number (int or float) from {low:g} to {high:g}, not {found}"
        )
    return number


def non_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a finite number 0 or more (int or float, not a bool)."""
    number = finite_number(value)
    if number is None or number < 0:
        raise InvalidInput(
            f"{attribute.name} must be a finite number 0 or more (int or float), "
            f"not {describe(value) if number is None else 'a negative one'}"
        )


def optional_non_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept None or a finite number 0 or more (int or float, not a bool)."""
    if value is not None:
        number = finite_number(value)
        if number is None or number < 0:
            raise InvalidInput(
                f"{attribute.name} must be None or a finite number 0 or more (int or float), "
                f"not {describe(value) if number is None else 'a negative one'}"
            )


def positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a finite number greater than 0 (int or float, not a bool)."""
    number = finite_number(value)
    if number is None or number <= 0:
        raise InvalidInput(
            f"{attribute.name} must be a finite number greater than 0 (int or float), "
            f"not {describe(value) if number is None else 'zero or a negative one'}"
        )


def degrees(limit: float) -> _Validator:
    """Return a validator of a float from ``-limit`` to ``limit`` degrees (WGS84)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not float or not math.isfinite(value) or not -limit <= value <= limit:
            what = describe(value) if type(value) is not float else "a value outside that range"
            raise InvalidInput(
                f"{attribute.name} must be a finite float from -{limit:g} to {limit:g} "
                f"degrees (WGS84), not {what}"
            )

    return check


def language_code(field: str, value: object) -> str:
    """Check an ISO 639-1 language code of two lower-case letters a-z and return it."""
    if not isinstance(value, str) or not _LANGUAGE_CODE.fullmatch(value):
        shape = (
            f"text of {len(value)} characters that is not two lower-case letters"
            if isinstance(value, str)
            else describe(value)
        )
        raise InvalidInput(
            f"{field} must be an ISO 639-1 language code of two lower-case letters a–z "
            f"(such as 'sv', 'fi', 'ar'), not {shape}"
        )
    return value


def optional_language(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept None or an ISO 639-1 language code."""
    if value is not None:
        language_code(attribute.name, value)


def language_set(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a frozenset of ISO 639-1 language codes."""
    if type(value) is not frozenset:
        raise InvalidInput(
            f"{attribute.name} must be a set of ISO 639-1 language codes (such as "
            f"{{'sv', 'fi'}}), not {describe(value)}"
        )
    for item in value:
        language_code(f"each of {attribute.name}", item)


def tag_set(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a frozenset of tags: short names of at most :data:`MAX_TAG` characters, X-7."""
    if type(value) is not frozenset:
        raise InvalidInput(
            f"{attribute.name} must be a set of tags (such as {{'musik', 'trädgård'}}), "
            f"not {describe(value)}"
        )
    for item in value:
        field = f"each of {attribute.name}"
        if not isinstance(item, str):
            raise InvalidInput(f"{field} must be a tag (a short text), not {describe(item)}")
        check_name(field, item, MAX_TAG, "(a tag such as 'musik' or 'trädgård')")


def unique_identifiers(
    check: Callable[[str, object], str], what: str = "identifiers"
) -> _Validator:
    """Return a validator of a tuple of identifiers, each checked by ``check``, none twice.

    ``check(field, value)`` checks one identifier (the kernel's ``check_identifier``).
    A duplicate is named by its positions, never by its text.
    """

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise InvalidInput(f"{attribute.name} must be a tuple of {what}, not {describe(value)}")
        seen: dict[str, int] = {}
        for position, item in enumerate(value):
            checked = check(f"each of {attribute.name}", item)
            if checked in seen:
                raise InvalidInput(
                    f"{attribute.name} names the same id twice, at positions {seen[checked]} and "
                    f"{position}; name each once"
                )
            seen[checked] = position

    return validate
