"""Personal identity numbers (personnummer): validated, and never shown in full, X-7.

A :class:`PersonalIdentityNumber` holds a personnummer or a samordningsnummer
(coordination number: the day of birth plus 60) as its twelve digits. It is read with
:meth:`PersonalIdentityNumber.parse`, which checks the date, the birth number and the
Luhn check digit. Its ``str``, ``repr`` and ``format`` show only the date part, never
the last four digits (``19121212-****``); :meth:`PersonalIdentityNumber.reveal` is the
one intended way to get the full number. :func:`mask` masks numbers in free text, for
log lines.

A samordningsnummer may have an incomplete birth date, as Skatteverket issues them
when the date is not known: month ``00`` for an unknown month, day ``60`` (day 00 plus
60) for an unknown day, or both. A personnummer always has a complete date. The
birth year is always known (:attr:`PersonalIdentityNumber.birth_year`);
:attr:`PersonalIdentityNumber.birth_date` is None when the date is incomplete.

Error messages say what is wrong and what is accepted and never repeat any digit of
the input; they are raised without a chained exception, so neither ``__cause__`` nor
``__context__`` carries the text either.
"""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import Final

import attrs

from ._pii import COORDINATION_OFFSET
from ._pii import date_possible as _date_possible
from ._pii import luhn_check_digit as _luhn_check_digit
from ._pii import mask as _mask
from ._time import as_date
from .errors import InvalidInput

__all__ = ["PersonalIdentityNumber", "Sex", "mask"]

_COORDINATION_OFFSET: Final = COORDINATION_OFFSET
_CENTENARIAN: Final = 100
_FORMS: Final = (
    "YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC, YYYYMMDDNNNC, or YYYYMMDD+NNNC "
    "for a person of 100 or more"
)
_DAYS: Final = "the day plus 60 in a samordningsnummer"
# ASCII digits only: other Unicode digits are refused, not silently converted.
_WRITTEN: Final = re.compile(r"(?P<date>[0-9]{6}|[0-9]{8})(?P<sep>[-+]?)(?P<tail>[0-9]{4})")


class Sex(enum.Enum):
    """Sex (kön) as a personal identity number records it, X-7.

    The second-to-last digit (the last digit of the birth number) is even for a woman
    and odd for a man, in a personnummer and a samordningsnummer alike. The values
    are the Swedish words.
    """

    FEMALE = "kvinna"
    """Female (kvinna): an even second-to-last digit."""
    MALE = "man"
    """Male (man): an odd second-to-last digit."""


def _fields(digits: str) -> tuple[int, int, int]:
    """Return year, month and calendar day of twelve digits; 0 for an unknown part."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    if day >= _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
    return year, month, day


def _earliest(year: int, month: int, day: int) -> tuple[int, int, int]:
    """Return the earliest possible birth date of a possibly incomplete date, as a tuple.

    With the month unknown only the year is known (the first of January); with the day
    unknown, the first of the month.
    """
    if month == 0:
        return (year, 1, 1)
    return (year, month, day or 1)


def _date_problem(year: int, month: int, written_day: int) -> str | None:
    """Say what is wrong with a date as written (day plus 60 in a samordningsnummer).

    None when the date is possible (:func:`arendefordelning._pii.date_possible` decides);
    the message names no digit of the input.
    """
    if year >= 1 and _date_possible(year, month, written_day):
        return None
    coordination = written_day >= _COORDINATION_OFFSET
    day = written_day - _COORDINATION_OFFSET if coordination else written_day
    if year < 1:
        reason = "year zero does not exist; the year must be one or later"
    elif month > 12:
        reason = "the month must be 01–12, or 00 for an unknown month in a samordningsnummer"
    elif not coordination and (month == 0 or day == 0):
        reason = (
            "a personnummer has a complete date; only a samordningsnummer (the day plus 60) "
            "may leave the month (00) or the day (60) unknown"
        )
    elif day > 31:
        reason = f"the day must be 01–31, or {_DAYS} (60 for an unknown day)"
    else:
        reason = (
            "that day does not exist in that month (29 February only in a leap year); the "
            f"day must be a day of its month, or {_DAYS}"
        )
    return f"the date part of the personal identity number is not a valid date: {reason}"


def _check_digits(digits: object) -> None:
    """Check twelve canonical digits: date, birth number and check digit (X-7).

    The messages never repeat the digits, and nothing is raised while another exception
    is being handled, so no chained exception carries them either.
    """
    if not isinstance(digits, str):
        raise InvalidInput(
            f"a personal identity number's digits must be a str, not {type(digits).__name__}"
        )
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        raise InvalidInput(
            "a personal identity number's digits must be the 12 digits YYYYMMDDNNNC without "
            "separator; use PersonalIdentityNumber.parse to read other forms"
        )
    problem = _date_problem(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    if problem is not None:
        raise InvalidInput(problem)
    if digits[8:11] == "000":
        raise InvalidInput("the birth number (the three digits after the date) must be 001–999")
    if _luhn_check_digit(digits[2:11]) != int(digits[11]):
        raise InvalidInput(
            "the check digit (the last digit) of the personal identity number does not match "
            "(Luhn); check the number for a mistyped digit"
        )


def _century_year(yy: int, month: int, day: int, *, centenarian: bool, today: date) -> int:
    """Return the full year of a 10-digit form's two-digit year ``yy``.

    With ``-`` or no separator: the latest year ending in ``yy`` that puts the earliest
    possible birth date (see :func:`_earliest`) on or before ``today``. With ``+``: the
    latest year ending in ``yy`` no later than ``today.year - 100``, the person turning
    100 in this calendar year or earlier. A year below 1 is returned as is, and refused.
    """
    if centenarian:
        latest = today.year - _CENTENARIAN
        return latest - (latest - yy) % 100
    year = today.year - (today.year - yy) % 100
    if _earliest(year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def _future_problem(digits: str, today: date) -> str | None:
    """Say whether the known parts of the birth date lie after ``today``; None if not."""
    year, month, day = _fields(digits)
    if _earliest(year, month, day) <= (today.year, today.month, today.day):
        return None
    if month == 0:
        return (
            "the birth year (the month is unknown) of the personal identity number is after "
            "today's year; with the month unknown the birth year must be this year or earlier"
        )
    if day == 0:
        return (
            "the birth month (the day is unknown) of the personal identity number is after "
            "today's month; with the day unknown the birth month must be this month or earlier"
        )
    return (
        "the birth date of the personal identity number is after today; a birth date must "
        "be today or earlier"
    )


@attrs.frozen(repr=False, order=False)
class PersonalIdentityNumber:
    """Personal identity number (personnummer) or coordination number, X-7.

    Holds a personnummer or a samordningsnummer as its twelve digits ``YYYYMMDDNNNC``.
    ``str()`` gives ``19121212-****`` and ``repr()`` gives
    ``PersonalIdentityNumber('19121212-****')``: the date part as written (with the day
    plus 60 for a samordningsnummer, month ``00`` or day ``60`` when unknown) and never
    the last four digits. ``format()`` applies its format spec to that masked text.
    :meth:`reveal` is the only intended way to get the full number (``attrs.asdict``
    would also show it: do not use it on these).

    Two numbers are equal, and hash alike, when their digits are equal. Instances pickle
    and copy. Build one with :meth:`parse`; the constructor takes the twelve digits
    without separator, and checks them as :meth:`parse` does except that it reads no
    clock, so it does not refuse a birth date in the future.
    """

    _digits: str = attrs.field(repr=False, validator=lambda _i, _a, value: _check_digits(value))

    @classmethod
    def parse(cls, text: str, *, today: date | None = None) -> PersonalIdentityNumber:
        """Read a personnummer or samordningsnummer as a person writes it, X-7.

        Accepted, with surrounding whitespace ignored: ``YYMMDD-NNNC``,
        ``YYMMDD+NNNC``, ``YYMMDDNNNC``, ``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC`` and
        ``YYYYMMDD+NNNC``, with the day plus 60 for a samordningsnummer. A
        samordningsnummer may leave the month (``00``) or the day (``60``) unknown, as
        Skatteverket issues them; a personnummer may not. A day that does not exist in
        its month is refused, and 29 February is a date only in a leap year.

        The ``+`` marks a person in or past the calendar year of their 100th birthday.
        The century of the 10-digit form follows Skatteverket (folkbokföringslagen
        (1991:481) 18 §): with ``-`` or no separator, the latest century that puts the
        (earliest possible) birth date on or before ``today``; with ``+``, the latest
        century in which the person turns 100 in ``today``'s year or earlier. The
        12-digit form with ``+`` is accepted when it is consistent: the person turns 100
        in ``today``'s year or earlier. In every form the known parts of the birth date
        must not lie after ``today``: the year alone when the month is unknown, the year
        and month when the day is unknown.

        Args:
            text: The number as written.
            today: The date the number is read on; it decides the century of the
                10-digit form and which birth dates lie in the future. ``None`` reads
                the system clock (``date.today()``), the one place this module does.

        Returns:
            The number.

        Raises:
            InvalidInput: when ``text`` is not a str, has another shape, or has an
                invalid date, birth number 000, a wrong check digit, a birth date after
                ``today`` or a ``+`` that does not fit its birth year; the message never
                repeats the input's digits.
        """
        if not isinstance(text, str):
            raise InvalidInput(
                f"a personal identity number must be given as a str, not {type(text).__name__}"
            )
        # The one clock read of the module: the caller may pin it with today=.
        reference = date.today() if today is None else as_date(today, "today")  # noqa: DTZ011
        match = _WRITTEN.fullmatch(text.strip())
        if match is None:
            raise InvalidInput(
                "a personal identity number must have 10 or 12 digits, with an optional "
                f"separator before the last four: {_FORMS}"
            )
        written, separator, tail = match.group("date", "sep", "tail")
        centenarian = separator == "+"
        if len(written) == 8:
            digits = written + tail
        else:
            month, day = int(written[2:4]), int(written[4:6])
            if day >= _COORDINATION_OFFSET:
                day -= _COORDINATION_OFFSET
            year = _century_year(
                int(written[:2]), month, day, centenarian=centenarian, today=reference
            )
            if year < 1:
                raise InvalidInput(
                    "the date part of the personal identity number is not a valid date in "
                    "the century the separator gives: there is no year before year one"
                )
            digits = f"{year:04d}{written[2:]}{tail}"
        _check_digits(digits)
        problem = _future_problem(digits, reference)
        if problem is not None:
            raise InvalidInput(problem)
        if centenarian and reference.year - int(digits[:4]) < _CENTENARIAN:
            raise InvalidInput(
                "the plus sign (+) marks a person who turns 100 this year or earlier, and the "
                "birth year of this 12-digit number is less than 100 years ago; write it with "
                "- or without a separator"
            )
        return cls(digits)

    def reveal(self) -> str:
        """Return the full number as twelve digits ``YYYYMMDDNNNC``, X-7.

        The only intended way to get the last four digits: call it where the full
        number is needed (a register look-up), never to build a log line or a message.
        """
        return self._digits

    @property
    def birth_date(self) -> date | None:
        """The date of birth (födelsedatum), or None when it is incomplete, X-7.

        For a samordningsnummer the written day minus 60. None when the month (``00``)
        or the day (``60``) of a samordningsnummer is unknown; :attr:`birth_year` is
        always known.
        """
        year, month, day = _fields(self._digits)
        if month == 0 or day == 0:
            return None
        return date(year, month, day)

    @property
    def birth_year(self) -> int:
        """The year of birth (födelseår), always known, also for an incomplete date, X-7."""
        return int(self._digits[:4])

    @property
    def sex(self) -> Sex:
        """The sex (kön) the number records: the second-to-last digit, even or odd, X-7."""
        return Sex.MALE if int(self._digits[10]) % 2 else Sex.FEMALE

    @property
    def is_coordination_number(self) -> bool:
        """Whether the number is a samordningsnummer (coordination number, day plus 60)."""
        return int(self._digits[6:8]) >= _COORDINATION_OFFSET

    @property
    def masked(self) -> str:
        """The number with its last four digits hidden: ``YYYYMMDD-****``, X-7.

        The date part is as written: the day plus 60 in a samordningsnummer, and month
        ``00`` or day ``60`` when unknown (``19800060-****``).
        """
        return f"{self._digits[:8]}-****"

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __format__(self, format_spec: str) -> str:
        return format(self.masked, format_spec)


def mask(text: str) -> str:
    """Mask personal identity numbers in free text (maskera), for log lines, X-7.

    The shape alone decides, so a mistyped number is masked too, and so is any
    other run of ten or more digits (a telephone number written without spaces).
    A number written as one keeps its date part and separator and loses its last
    four digits: ``19121212-1212`` and ``191212121212`` become ``19121212-****``,
    ``121212+1212`` becomes ``121212+****`` and ``19121212 1212`` (a space, an en
    dash or another hyphen as separator) keeps that separator. Any other digit run
    that holds the shape is masked whole: ``1212121212121`` becomes
    ``*************``, and in ``19121212-12120`` every digit after the separator.
    Dates such as ``2026-03-06`` and numbers written in groups are left alone.

    Raises:
        InvalidInput: when ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise InvalidInput(f"the text to mask must be a str, not {type(text).__name__}")
    return _mask(text)
