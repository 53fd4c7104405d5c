"""Personal identity numbers in text (personnummer i fritext): find and mask them, X-7.

Private, and free of imports from the rest of the package, so that every module can
use it: the validators refuse text that holds a number, messages mask what they must
show of a caller's text, and :func:`arendefordelning.identity.mask` is :func:`mask`.

Two questions are asked of a text, and they differ on purpose:

* **shape** (:func:`has_identity_shape`, :func:`mask`): does any run of digits look
  like a number, valid or not? Ten or more digits in a row, or six or more digits,
  one separator and four or more digits. Masking by shape is the safe side for a log
  line: a mistyped number is hidden too.
* **validity** (:func:`holds_identity_number`): does any such run hold a number whose
  date is possible (complete, or incomplete as in a samordningsnummer with month 00 or
  day 60) and whose Luhn check digit is right? That is what free text is refused for:
  refusing every ten-digit run would refuse amounts and reference numbers. About one
  in ten mobile numbers written without spaces (``0701234567``) passes the test too;
  written as people write them (``070-123 45 67``) none does.

A separator is any one of ``-``, ``+``, a space, a no-break space, and the Unicode
hyphens and dashes (U+2010–U+2015, U+2212), since a number copied from a document
often carries an en dash. Digits are any Unicode decimal digits, so look-alike digits
are found as well.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "COORDINATION_OFFSET",
    "SEPARATORS",
    "date_possible",
    "has_identity_shape",
    "holds_identity_number",
    "luhn_check_digit",
    "mask",
]

COORDINATION_OFFSET: Final = 60
"""What a samordningsnummer adds to the day of birth (60; day 60 is an unknown day)."""

SEPARATORS: Final = "-+ \u00a0\u202f\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
"""Characters that may stand between the date part and the last four digits."""

# A digit run, then optionally one separator and another digit run. Matched with an
# overlapping scan (see _runs) so that a separator between two numbers is seen twice.
_DIGITS: Final = re.compile(r"\d+")
# Every shape needs six digits in a row (a date part, or ten digits): without them a
# text holds no number, which settles most texts with one search.
_SIX_DIGITS: Final = re.compile(r"\d{6}")
_DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def luhn_check_digit(nine: str) -> int:
    """Return the Luhn check digit of the nine ASCII digits ``YYMMDDNNN``."""
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def date_possible(year: int, month: int, day: int) -> bool:
    """Whether ``month``/``day`` (as written, day plus 60 in a samordningsnummer) can be a date.

    ``year`` decides whether 29 February exists; for the 10-digit form, whose century
    is unknown, pass ``2000 + YY`` (a leap year exactly when some century makes one).
    A samordningsnummer (day 60 or more) may leave the day (day 60) or the month
    (month 00) unknown, as Skatteverket issues them; a day that does not exist in its
    month (31 + 60 in April) is never possible.
    """
    coordination = day >= COORDINATION_OFFSET
    if coordination:
        day -= COORDINATION_OFFSET
    if month == 0:
        return coordination and 0 <= day <= 31
    if not 1 <= month <= 12:
        return False
    if day == 0:
        return coordination
    if month == 2 and day == 29:
        return _leap(year)
    return 1 <= day <= _DAYS[month - 1]


def _valid(digits: str) -> bool:
    """Whether 10 or 12 ASCII digits have a possible date and a right Luhn digit."""
    if len(digits) == 12:
        year, tail = int(digits[:4]), digits[2:]
        if year == 0:
            return False
    else:
        year, tail = 2000 + int(digits[:2]), digits
    return date_possible(year, int(tail[2:4]), int(tail[4:6])) and luhn_check_digit(
        tail[:9]
    ) == int(tail[9])


def _ascii(run: str) -> str:
    """Turn any Unicode decimal digits into ASCII ones."""
    return run if run.isascii() else "".join(str(int(char)) for char in run)


def _runs(text: str) -> list[re.Match[str]]:
    return list(_DIGITS.finditer(text))


def _pairs(text: str, runs: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Indexes of adjacent runs with exactly one separator between them."""
    found: list[tuple[int, int]] = []
    for index in range(len(runs) - 1):
        left, right = runs[index], runs[index + 1]
        if right.start() - left.end() == 1 and text[left.end()] in SEPARATORS:
            found.append((index, index + 1))
    return found


def has_identity_shape(text: str) -> bool:
    """Whether any digit run of ``text`` is shaped like a personal identity number, X-7.

    Ten or more digits in a row, or six or more digits, one separator and four or
    more digits: what :func:`mask` masks.
    """
    if _SIX_DIGITS.search(text) is None:
        return False
    runs = _runs(text)
    if any(len(run.group()) >= 10 for run in runs):
        return True
    return any(
        len(runs[a].group()) >= 6 and len(runs[b].group()) >= 4 for a, b in _pairs(text, runs)
    )


def holds_identity_number(text: str) -> bool:
    """Whether ``text`` holds a personal identity number that could be real, X-7.

    A digit run (alone, or six or eight digits, a separator and four digits) of 10 or
    12 digits with a possible date, complete or incomplete, and a right Luhn digit.
    A number touching other digits is found too (``019121212-1212``).
    """
    if _SIX_DIGITS.search(text) is None:
        return False
    runs = _runs(text)
    for run in runs:
        digits = run.group()
        if len(digits) < 10:
            continue
        digits = _ascii(digits)
        for width in (10, 12):
            for start in range(len(digits) - width + 1):
                if _valid(digits[start : start + width]):
                    return True
    for a, b in _pairs(text, runs):
        left, right = runs[a].group(), runs[b].group()
        if len(left) < 6 or len(right) < 4:
            continue
        left, right = _ascii(left), _ascii(right[:4])
        for width in (6, 8):
            if len(left) >= width and _valid(left[-width:] + right):
                return True
    return False


def mask(text: str) -> str:
    """Mask every digit run shaped like a personal identity number (maskera), X-7.

    Shape alone decides (see :func:`has_identity_shape`), so a mistyped number is
    masked too. A number written as one is keeps its date part and separator and
    loses its last four digits: ``19121212-1212`` and ``191212121212`` become
    ``19121212-****``, ``121212+1212`` becomes ``121212+****``, ``19121212 1212``
    becomes ``19121212 ****``. Any other run that holds such a shape is masked
    whole: ``1212121212121`` becomes ``*************``, and in ``19121212-12120`` every
    digit after the separator is masked.
    """
    if _SIX_DIGITS.search(text) is None:
        return text
    runs = _runs(text)
    hidden: dict[int, str] = {}
    for index, run in enumerate(runs):
        digits = run.group()
        if len(digits) in (10, 12):
            hidden[index] = f"{digits[:-4]}-****"
        elif len(digits) >= 10:
            hidden[index] = "*" * len(digits)
    for a, b in _pairs(text, runs):
        left, right = runs[a].group(), runs[b].group()
        if len(left) >= 6 and len(right) >= 4:
            hidden[b] = "*" * len(right)
    if not hidden:
        return text
    parts: list[str] = []
    position = 0
    for index, run in enumerate(runs):
        if index not in hidden:
            continue
        start = run.start()
        parts.append(text[position:start])
        parts.append(hidden[index])
        position = run.end()
    parts.append(text[position:])
    return "".join(parts)
