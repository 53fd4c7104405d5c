"""Personal identity numbers (personnummer, samordningsnummer): X-7.

The numbers are validated, and neither ``str``, ``repr``, ``format``, a log line nor an
error message shows them in full. A samordningsnummer may have an incomplete birth date
(month 00, day 60 or both), as Skatteverket issues them. Validity is cross-checked
against python-stdnum, which knows no samordningsnummer and accepts birth number 000,
and against an oracle built on ``datetime.date``. Every number here is constructed by
hand or generated, with its Luhn digit computed by stdnum.
"""

from __future__ import annotations

import copy
import logging
import pickle
import re
from datetime import UTC, date, datetime
from typing import NamedTuple

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.se import personnummer

from arendefordelning import identity
from arendefordelning.errors import InvalidInput
from arendefordelning.identity import PersonalIdentityNumber, Sex, mask

TODAY = date(2026, 11, 25)


def with_check(eleven: str) -> str:
    """Append the Luhn check digit (computed by stdnum) to ``YYYYMMDDNNN``."""
    return eleven + luhn.calc_check_digit(eleven[2:])


def parse(text: str, today: date = TODAY) -> PersonalIdentityNumber:
    return PersonalIdentityNumber.parse(text, today=today)


def assert_digits_not_repeated(text: str, error: BaseException) -> None:
    """No run of 4 digits of ``text`` is in the message, and nothing is chained (X-7)."""
    shown = f"{error} {error!r}"
    for run in re.findall(r"\d{4,}", text):
        for start in range(len(run) - 3):
            assert run[start : start + 4] not in shown, (text, shown)
    assert error.__cause__ is None
    assert error.__context__ is None


# --------------------------------------------------------------------------- strategies


def earliest(year: int, month: int, day: int) -> tuple[int, int, int]:
    """The earliest possible birth date as a tuple; 0 is an unknown month or day."""
    return (year, 1, 1) if month == 0 else (year, month, day or 1)


def as_tuple(day: date) -> tuple[int, int, int]:
    return (day.year, day.month, day.day)


class Case(NamedTuple):
    """A valid number: the reading date, the known parts of the birth date, the digits."""

    today: date
    year: int
    month: int  # 0 when unknown
    day: int  # the calendar day, 0 when unknown
    digits: str

    @property
    def born(self) -> date | None:
        return None if self.month == 0 or self.day == 0 else date(self.year, self.month, self.day)

    @property
    def coordination(self) -> bool:
        return int(self.digits[6:8]) >= 60


@st.composite
def valid_numbers(draw: st.DrawFn, incomplete: bool | None = None) -> Case:
    """A reading date and a valid number born on or before it, complete or not.

    An incomplete date is a samordningsnummer that hides the month, the day or both of
    a birth date on or before the reading date.
    """
    today = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
    born = draw(st.dates(min_value=date(today.year - 199, 1, 1), max_value=today))
    hide = draw(st.booleans()) if incomplete is None else incomplete
    hidden = draw(st.sampled_from(["month", "day", "both"])) if hide else ""
    coordination = bool(hidden) or draw(st.booleans())
    month = 0 if hidden in ("month", "both") else born.month
    day = 0 if hidden in ("day", "both") else born.day
    written_day = day + (60 if coordination else 0)
    birth_number = draw(st.integers(1, 999))
    digits = with_check(f"{born.year:04d}{month:02d}{written_day:02d}{birth_number:03d}")
    return Case(today, born.year, month, day, digits)


def written_forms(case: Case) -> list[str]:
    """Every form a person may write the number in on ``case.today`` (an oracle).

    The 10-digit form with - (or none) when the century is the latest that puts the
    earliest possible birth date on or before today; with + when the person turns 100
    in today's year or earlier, but not 200; the 12-digit form with + from the year of
    the 100th birthday.
    """
    today, year, month, day, digits = case
    short, tail = digits[2:8], digits[8:]
    forms = [f"{digits[:8]}-{tail}", digits]
    if today.year - year >= 100:
        forms.append(f"{digits[:8]}+{tail}")
    if earliest(year + 100, month, day) > as_tuple(today):
        forms += [f"{short}-{tail}", short + tail]
    if year <= today.year - 100 < year + 100:
        forms.append(f"{short}+{tail}")
    return forms


@st.composite
def mutated_numbers(draw: st.DrawFn) -> str:
    """A valid number in one of its forms with one digit changed, dropped or added."""
    form = draw(st.sampled_from(written_forms(draw(valid_numbers()))))
    places = [i for i, char in enumerate(form) if char.isdigit()]
    at = draw(st.sampled_from(places))
    kind = draw(st.sampled_from(["change", "drop", "add"]))
    digit = draw(st.sampled_from("0123456789"))
    if kind == "change":
        return form[:at] + digit + form[at + 1 :]
    if kind == "drop":
        return form[:at] + form[at + 1 :]
    return form[:at] + digit + form[at:]


# ----------------------------------------------------------------------------- parse


def test_x7_skatteverket_test_number_is_valid() -> None:
    """X-7: 19121212-1212, Skatteverket's test number, in both lengths."""
    number = parse("19121212-1212")
    assert number.reveal() == "191212121212"
    assert number.birth_date == date(1912, 12, 12)
    assert not number.is_coordination_number
    assert parse("191212121212") == number
    assert parse(" 121212+1212\n") == number


def test_x7_ten_digits_under_100_take_the_latest_century_not_in_the_future() -> None:
    """X-7: with - (or none) the birth date is the latest one on or before today."""
    assert parse("121212-1212").birth_date == date(2012, 12, 12)
    assert parse("1212121212").birth_date == date(2012, 12, 12)
    assert parse("121212-1212", today=date(2012, 12, 12)).birth_date == date(2012, 12, 12)
    assert parse("121212-1212", today=date(2012, 12, 11)).birth_date == date(1912, 12, 12)


def test_x7_plus_means_100_from_the_calendar_year_of_the_birthday() -> None:
    """X-7: with + the person turns 100 in today's calendar year or earlier (FOL 18 §)."""
    assert parse("121212+1212").birth_date == date(1912, 12, 12)
    number = with_check("19261231123")
    plus, dash = f"{number[2:8]}+{number[8:]}", f"{number[2:8]}-{number[8:]}"
    # Turns 100 later in 2026: the + is already in use, and a - cannot mean 2026.
    assert parse(plus, today=date(2026, 3, 6)).birth_date == date(1926, 12, 31)
    assert parse(dash, today=date(2026, 3, 6)).birth_date == date(1926, 12, 31)
    assert parse(plus, today=date(2025, 12, 31)).birth_date == date(1826, 12, 31)


def test_x7_today_may_be_an_aware_datetime() -> None:
    """X-7: an aware datetime as today counts by its Stockholm date."""
    late = datetime(2012, 12, 11, 23, 30, tzinfo=UTC)  # 00:30 on 12 December in Stockholm
    assert parse("121212-1212", today=late).birth_date == date(2012, 12, 12)


def test_x7_today_none_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """X-7: without today the system date (date.today()) decides the century."""

    class Clock(date):
        reading = date(2012, 12, 11)

        @classmethod
        def today(cls) -> Clock:
            return cls(cls.reading.year, cls.reading.month, cls.reading.day)

    monkeypatch.setattr(identity, "date", Clock)
    assert PersonalIdentityNumber.parse("121212-1212").birth_date == date(1912, 12, 12)
    Clock.reading = date(2012, 12, 12)
    assert PersonalIdentityNumber.parse("121212-1212").birth_date == date(2012, 12, 12)
    with pytest.raises(InvalidInput, match="after today"):
        PersonalIdentityNumber.parse(with_check("20121213121"))


def test_x7_samordningsnummer_is_the_day_plus_60() -> None:
    """X-7: 701063-2391 is a samordningsnummer for 3 October 1970."""
    number = parse("701063-2391")
    assert number.is_coordination_number
    assert number.birth_date == date(1970, 10, 3)
    assert number.reveal() == "197010632391"
    assert str(number) == "19701063-****"


def test_x7_leap_day_is_valid_in_a_leap_year_only() -> None:
    """X-7: 29 February is a date in 2024 and 2000, not in 2023 or 1900."""
    assert parse(with_check("20240229123")).birth_date == date(2024, 2, 29)
    assert parse(with_check("20000229123")[2:]).birth_date == date(2000, 2, 29)
    for eleven in ("20230229123", "19000229123"):
        with pytest.raises(InvalidInput, match="not a valid date"):
            parse(with_check(eleven))
    plus = with_check("19000229123")
    with pytest.raises(InvalidInput, match="not a valid date"):
        parse(f"{plus[2:8]}+{plus[8:]}")


def test_x7_samordningsnummer_may_leave_the_month_unknown() -> None:
    """X-7: month 00 in a samordningsnummer is an unknown month; the day may be known."""
    digits = with_check("19800072238")  # day 12 of an unknown month of 1980
    number = parse(f"{digits[:8]}-{digits[8:]}")
    assert number.reveal() == digits
    assert number.is_coordination_number
    assert number.birth_date is None
    assert number.birth_year == 1980
    assert parse(f"{digits[2:8]}-{digits[8:]}") == parse(digits[2:]) == number
    assert str(number) == "19800072-****"
    for day in ("61", "89", "90", "91"):  # any day 1–31 of an unknown month
        assert parse(with_check(f"198000{day}238")).birth_date is None


def test_x7_samordningsnummer_may_leave_the_day_unknown() -> None:
    """X-7: day 60 (day 00 plus 60) in a samordningsnummer is an unknown day of the month."""
    digits = with_check("19801060239")  # some day of October 1980
    number = parse(digits)
    assert number.is_coordination_number
    assert number.birth_date is None
    assert number.birth_year == 1980
    assert parse(f"{digits[2:8]}-{digits[8:]}") == number
    assert str(number) == "19801060-****"
    assert repr(number) == "PersonalIdentityNumber('19801060-****')"
    assert parse(with_check("19800260239")).birth_date is None  # February, no 29th needed


def test_x7_samordningsnummer_may_leave_month_and_day_unknown() -> None:
    """X-7: month 00 and day 60 together: only the birth year is known."""
    digits = with_check("19800060238")
    number = parse(digits)
    assert number.is_coordination_number
    assert number.birth_date is None
    assert number.birth_year == 1980
    assert str(number) == number.masked == "19800060-****"
    assert f"{number:>15}" == "  19800060-****"
    assert parse(f"{digits[2:8]}{digits[8:]}", today=TODAY) == number


def test_x7_personnummer_needs_a_complete_date() -> None:
    """X-7: month 00 or day 00 is refused in a personnummer; only day ≥ 60 may leave it out."""
    for eleven in ("19800012238", "19801000238", "19800000238"):
        with pytest.raises(InvalidInput, match="only a samordningsnummer") as caught:
            parse(with_check(eleven))
        assert_digits_not_repeated(with_check(eleven), caught.value)
        with pytest.raises(InvalidInput, match="only a samordningsnummer"):
            PersonalIdentityNumber(with_check(eleven))


@pytest.mark.parametrize(
    ("month", "written", "born"),
    [
        ("01", "61", date(1980, 1, 1)),
        ("01", "91", date(1980, 1, 31)),
        ("03", "91", date(1980, 3, 31)),
        ("04", "90", date(1980, 4, 30)),
        ("06", "75", date(1980, 6, 15)),
        ("12", "91", date(1980, 12, 31)),
        ("02", "88", date(1980, 2, 28)),
    ],
)
def test_x7_samordningsnummer_days_61_to_91_are_the_day_plus_60(
    month: str, written: str, born: date
) -> None:
    """X-7: days 61–91 are days 1–31, each only where its month has that day."""
    number = parse(with_check(f"1980{month}{written}238"))
    assert number.birth_date == born
    assert number.is_coordination_number


def test_x7_samordningsnummer_day_31_plus_60_only_in_a_31_day_month() -> None:
    """X-7: day 91 in April, June, September and November is refused, as Skatteverket does."""
    for month in ("04", "06", "09", "11"):
        digits = with_check(f"1980{month}91238")
        with pytest.raises(InvalidInput, match="does not exist in that month") as caught:
            parse(digits)
        assert_digits_not_repeated(digits, caught.value)
        with pytest.raises(InvalidInput, match="does not exist in that month"):
            PersonalIdentityNumber(digits)


def test_x7_leap_day_plus_60_is_valid_in_a_leap_year_only() -> None:
    """X-7: 29 February + 60 (day 89) exists in 1980, 2000 and 2024, not in 1981 or 1900."""
    for eleven, born in (("19800289238", date(1980, 2, 29)), ("20240289238", date(2024, 2, 29))):
        assert parse(with_check(eleven)).birth_date == born
    # The 10-digit form: the century decides, 2000 is a leap year and 1900 is not.
    digits = with_check("20000289238")
    assert parse(f"{digits[2:8]}-{digits[8:]}").birth_date == date(2000, 2, 29)
    with pytest.raises(InvalidInput, match="does not exist in that month"):
        parse(f"{digits[2:8]}+{digits[8:]}")
    for eleven in ("19810289238", "19000289238", "21000289238"):
        with pytest.raises(InvalidInput, match="does not exist in that month"):
            PersonalIdentityNumber(with_check(eleven))
    # With the month unknown, day 29 (89) is possible in any year.
    assert parse(with_check("19810089238")).birth_year == 1981


def test_x7_ten_digit_century_of_an_unknown_month_compares_the_year() -> None:
    """X-7: month 00: born in that year; the century is the latest with the year ≤ today's."""
    digits = with_check("20260072238")
    short = f"{digits[2:8]}-{digits[8:]}"
    assert parse(short, today=date(2026, 1, 1)).birth_year == 2026
    assert parse(digits[2:], today=date(2026, 1, 1)).birth_year == 2026
    assert parse(short, today=date(2025, 12, 31)).birth_year == 1926
    both = with_check("20260060238")
    assert parse(f"{both[2:8]}-{both[8:]}", today=date(2026, 1, 1)).birth_year == 2026
    assert parse(f"{both[2:8]}-{both[8:]}", today=date(2025, 12, 31)).birth_year == 1926


def test_x7_ten_digit_century_of_an_unknown_day_compares_year_and_month() -> None:
    """X-7: day 60: the century is the latest with year and month ≤ today's."""
    digits = with_check("20261160238")  # November 2026 or 1926, day unknown
    short = f"{digits[2:8]}-{digits[8:]}"
    assert parse(short, today=date(2026, 11, 1)).birth_year == 2026
    assert parse(short, today=date(2026, 10, 31)).birth_year == 1926
    plus = f"{digits[2:8]}+{digits[8:]}"
    assert parse(plus, today=date(2026, 11, 1)).birth_year == 1926  # turns 100 this year
    assert parse(plus, today=date(2025, 12, 31)).birth_year == 1826


def test_x7_incomplete_birth_date_after_today_compares_the_known_parts() -> None:
    """X-7: month 00 is refused only after today's year; day 60 only after today's month."""
    year_only = with_check("20260072238")
    assert parse(year_only, today=date(2026, 1, 1)).birth_year == 2026
    with pytest.raises(InvalidInput, match=r"birth year .* after today's year") as caught:
        parse(year_only, today=date(2025, 12, 31))
    assert_digits_not_repeated(year_only, caught.value)
    month_only = with_check("20261160238")
    assert parse(month_only, today=date(2026, 11, 1)).birth_year == 2026
    with pytest.raises(InvalidInput, match=r"birth month .* after today's month") as caught:
        parse(month_only, today=date(2026, 10, 31))
    assert_digits_not_repeated(month_only, caught.value)
    # The constructor reads no clock, so it accepts these whenever.
    assert PersonalIdentityNumber(with_check("20990060238")).birth_year == 2099


def test_x7_twelve_digits_with_plus_when_100_or_older_this_year() -> None:
    """X-7: YYYYMMDD+NNNC is accepted when the person turns 100 this year or earlier.

    As the personnummer project's shared specification has it (19090527+1474 is valid);
    a + that does not fit the birth year is refused.
    """
    assert parse("19121212+1212") == parse("19121212-1212") == parse("121212+1212")
    digits = with_check("19261231123")
    plus = f"{digits[:8]}+{digits[8:]}"
    assert parse(plus, today=date(2026, 1, 1)).reveal() == digits  # turns 100 in 2026
    with pytest.raises(InvalidInput, match="turns 100") as caught:
        parse(plus, today=date(2025, 12, 31))
    assert_digits_not_repeated(plus, caught.value)
    incomplete = with_check("19260060238")
    assert parse(f"{incomplete[:8]}+{incomplete[8:]}", today=date(2026, 1, 1)).birth_date is None
    younger = with_check("19270101121")
    for text in ("20121212+1212", f"{younger[:8]}+{younger[8:]}"):
        with pytest.raises(InvalidInput, match="write it with - or without a separator"):
            parse(text, today=date(2026, 12, 31))


@pytest.mark.parametrize(
    ("eleven", "sex"),
    [
        ("19121212120", Sex.FEMALE),
        ("19121212122", Sex.FEMALE),
        ("19121212128", Sex.FEMALE),
        ("19121212121", Sex.MALE),
        ("19121212129", Sex.MALE),
        ("19701063239", Sex.MALE),
        ("19800060238", Sex.FEMALE),
        ("19800060239", Sex.MALE),
    ],
)
def test_x7_sex_is_female_for_even_and_male_for_odd(eleven: str, sex: Sex) -> None:
    """X-7: the second-to-last digit: even is a woman (kvinna), odd a man (man)."""
    assert parse(with_check(eleven)).sex is sex


def test_x7_sex_values_are_the_swedish_words() -> None:
    """X-7: Sex is a closed set of two, valued kvinna and man."""
    assert [member.value for member in Sex] == ["kvinna", "man"]
    assert Sex("kvinna") is Sex.FEMALE
    assert Sex("man") is Sex.MALE


def test_x7_ten_digit_form_refuses_a_century_before_year_one() -> None:
    """X-7: on a today early enough, + would give a year before one: refused."""
    with pytest.raises(InvalidInput, match="no year before year one") as caught:
        parse("121212+1212", today=date(50, 1, 1))
    assert_digits_not_repeated("121212+1212", caught.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("19121212-1213", "does not match \\(Luhn\\)"),
        ("121212-1213", "does not match \\(Luhn\\)"),
        (with_check("19121212000"), "must be 001–999"),
        (with_check("19121312121"), "not a valid date"),
        (with_check("19121232121"), "not a valid date"),
        (with_check("19121200121"), "not a valid date"),
        (with_check("19120012121"), "not a valid date"),
        (with_check("19121292121"), "not a valid date"),  # samordningsnummer day 32
        (with_check("19110231121"), "not a valid date"),
        (with_check("19121200121"), "only a samordningsnummer"),  # personnummer day 00
        (with_check("19120012121"), "only a samordningsnummer"),  # personnummer month 00
        (with_check("19120000121"), "only a samordningsnummer"),
        (with_check("19121245121"), "day must be 01–31"),  # neither 01–31 nor 60–91
        (with_check("19801292238"), "day must be 01–31"),  # samordningsnummer day 32
        (with_check("19800092238"), "day must be 01–31"),  # month unknown, day 32
        (with_check("19801360238"), "month must be 01–12"),  # month 13, day unknown
        (with_check("19800491238"), "does not exist in that month"),  # 31 April + 60
        (with_check("19800290238"), "does not exist in that month"),  # 30 Feb + 60
        (with_check("19810289238"), "does not exist in that month"),  # 29 Feb 1981 + 60
        (with_check("19000289238"), "does not exist in that month"),  # 29 Feb 1900 + 60
        ("000289+" + with_check("20000289238")[8:], "does not exist in that month"),  # 1900
        (with_check("00001212121"), "year zero does not exist"),
        (with_check("20991212121"), "birth date .* after today"),
        (with_check("20261126121"), "birth date .* after today"),
        (with_check("20270072238"), "birth year .* after today's year"),
        (with_check("20270060238"), "birth year .* after today's year"),
        (with_check("20261260238"), "birth month .* after today's month"),
        ("20121212+1212", "\\+\\) marks a person who turns 100"),
        ("20261125+" + with_check("20261125121")[8:], "turns 100"),
        ("12121212121", "10 or 12 digits"),
        ("1212121212121", "10 or 12 digits"),
        ("19121212-12AB", "10 or 12 digits"),
        ("ÅÄÖ", "10 or 12 digits"),
        ("", "10 or 12 digits"),
        ("1912-12121212", "10 or 12 digits"),
        ("191212 1212", "10 or 12 digits"),
        ("121212--1212", "10 or 12 digits"),
        ("١٩١٢١٢١٢-١٢١٢", "10 or 12 digits"),  # Arabic-Indic digits are not read
    ],
)
def test_x7_invalid_numbers_are_refused_without_repeating_them(text: str, fragment: str) -> None:
    """X-7: each defect gets its own message, and the message repeats no digits."""
    with pytest.raises(InvalidInput, match=fragment) as caught:
        parse(text)
    assert_digits_not_repeated(text, caught.value)


def test_x7_future_birth_date_is_refused_up_to_today() -> None:
    """X-7: a 12-digit number born tomorrow is refused, born today is accepted."""
    text = with_check("20261125121")
    assert parse(text).birth_date == TODAY
    with pytest.raises(InvalidInput, match="after today"):
        parse(text, today=date(2026, 11, 24))


@pytest.mark.parametrize("value", [191212121212, None, b"191212121212", ["19121212-1212"]])
def test_x7_non_str_is_refused_by_type(value: object) -> None:
    """X-7: the message names the type, never the value."""
    with pytest.raises(InvalidInput, match=f"not {type(value).__name__}") as caught:
        PersonalIdentityNumber.parse(value, today=TODAY)  # type: ignore[arg-type]
    assert "1212" not in str(caught.value)


def test_x7_today_must_be_a_date() -> None:
    """X-7: a today that is not a date is refused, naming the argument."""
    with pytest.raises(InvalidInput, match="today must be a date"):
        PersonalIdentityNumber.parse("19121212-1212", today="2026-11-25")  # type: ignore[arg-type]


def test_x7_constructor_checks_the_twelve_digits() -> None:
    """X-7: the constructor takes 12 digits and checks them as parse does."""
    assert PersonalIdentityNumber("191212121212") == parse("19121212-1212")
    for bad, fragment in [
        ("19121212-1212", "12 digits YYYYMMDDNNNC"),
        ("191212121213", "Luhn"),
        (with_check("19121212000"), "001–999"),
        (with_check("19121332121"), "not a valid date"),
    ]:
        with pytest.raises(InvalidInput, match=fragment) as caught:
            PersonalIdentityNumber(bad)
        assert_digits_not_repeated(bad, caught.value)
    with pytest.raises(InvalidInput, match="not int"):
        PersonalIdentityNumber(191212121212)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="Luhn"):
        attrs.evolve(parse("19121212-1212"), digits="191212121213")


@given(valid_numbers())
def test_x7_every_written_form_parses_back_to_the_number(case: Case) -> None:
    """X-7: all accepted forms of a valid number, complete or not, read back to one value."""
    today, year, _month, _day, digits = case
    expected = PersonalIdentityNumber(digits)
    for form in written_forms(case):
        number = PersonalIdentityNumber.parse(form, today=today)
        assert number == expected
        assert number.reveal() == digits
        assert number.birth_date == case.born
        assert number.birth_year == year
        assert number.is_coordination_number == case.coordination
        assert PersonalIdentityNumber.parse(number.reveal(), today=today) == number
        assert str(number) == number.masked == digits[:8] + "-****"
        assert repr(number) == f"PersonalIdentityNumber('{digits[:8]}-****')"


@given(valid_numbers())
def test_x7_birth_date_is_none_exactly_when_the_date_is_incomplete(case: Case) -> None:
    """X-7: birth_date is None iff month 00 or day 60 is written; birth_year is known."""
    number = PersonalIdentityNumber(case.digits)
    written_month, written_day = case.digits[4:6], case.digits[6:8]
    incomplete = written_month == "00" or written_day == "60"
    assert (number.birth_date is None) == incomplete
    assert number.birth_year == int(case.digits[:4])
    if number.birth_date is not None:
        assert number.birth_date.year == number.birth_year
    if incomplete:
        assert number.is_coordination_number


@given(valid_numbers())
def test_x7_sex_is_the_parity_of_the_second_to_last_digit(case: Case) -> None:
    """X-7: even second-to-last digit is a woman, odd a man; the next birth number flips it."""
    number = PersonalIdentityNumber(case.digits)
    assert number.sex is (Sex.MALE if int(case.digits[10]) % 2 else Sex.FEMALE)
    birth_number = int(case.digits[8:11])
    other = birth_number + 1 if birth_number < 999 else birth_number - 1
    sibling = PersonalIdentityNumber(with_check(f"{case.digits[:8]}{other:03d}"))
    assert sibling.sex is not number.sex
    assert sibling.birth_year == number.birth_year
    assert sibling.birth_date == number.birth_date


@given(
    born=st.dates(),
    today=st.dates(min_value=date(300, 1, 1)),
    separator=st.sampled_from(["-", "+", ""]),
)
def test_x7_ten_digit_century_rule(born: date, today: date, separator: str) -> None:
    """X-7: the 10-digit form's century: - or none under 100, + from the 100th year."""
    digits = with_check(f"{born.year:04d}{born.month:02d}{born.day:02d}123")
    try:
        number = PersonalIdentityNumber.parse(f"{digits[2:8]}{separator}{digits[8:]}", today=today)
    except InvalidInput:
        # Only 29 February can fail: its year may not be a leap year in that century.
        assert (born.month, born.day) == (2, 29)
        return
    got = number.birth_date
    assert got is not None
    assert got.year % 100 == born.year % 100
    assert (got.month, got.day) == (born.month, born.day)
    assert got <= today
    if separator == "+":
        assert got.year <= today.year - 100 < got.year + 100
    else:
        assert (got.year + 100, got.month, got.day) > (today.year, today.month, today.day)


def possible(year: int, month: int, written_day: int) -> bool:
    """An oracle on datetime.date: whether a written date is a complete or incomplete date.

    A personnummer needs a calendar date; a samordningsnummer (day ≥ 60) may write month
    00 (any day 1–31, or unknown) or day 60 (any month 1–12) when they are unknown.
    """
    if year == 0:
        return False
    day = written_day
    if written_day >= 60:
        day = written_day - 60
        if month == 0:
            return day <= 31
        if day == 0:
            return 1 <= month <= 12
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@given(
    year=st.integers(0, 9999) | st.sampled_from([1900, 1980, 1981, 2000, 2100]),
    month=st.integers(0, 13) | st.integers(0, 99),
    day=st.sampled_from([0, 1, 28, 29, 30, 31, 32, 59, 60, 61, 88, 89, 90, 91, 92])
    | st.integers(0, 99),
    birth_number=st.integers(1, 999),
)
def test_x7_constructor_accepts_exactly_the_possible_dates(
    *, year: int, month: int, day: int, birth_number: int
) -> None:
    """X-7: the 12 canonical digits are accepted iff their date is possible (an oracle)."""
    digits = with_check(f"{year:04d}{month:02d}{day:02d}{birth_number:03d}")
    try:
        number: PersonalIdentityNumber | None = PersonalIdentityNumber(digits)
    except InvalidInput as error:
        assert_digits_not_repeated(digits, error)
        number = None
    assert (number is not None) == possible(year, month, day)
    if number is not None:
        assert number.is_coordination_number == (day >= 60)
        assert (number.birth_date is None) == (month == 0 or day == 60)


@given(
    yy=st.integers(0, 99),
    month=st.integers(0, 12),
    known_day=st.integers(1, 31),
    today=st.dates(min_value=date(300, 1, 1)),
    separator=st.sampled_from(["-", "+", ""]),
)
def test_x7_ten_digit_century_rule_for_incomplete_dates(
    *, yy: int, month: int, known_day: int, today: date, separator: str
) -> None:
    """X-7: month 00 or day 60: the century rule compares the known parts with today.

    With - or none the latest century whose earliest possible birth date is on or before
    today; with + the latest in which the person turns 100 in today's year or earlier.
    """
    # Month unknown: the day may be known. Month known: the day is unknown (60).
    written_day = known_day + 60 if month == 0 else 60
    nine = f"{yy:02d}{month:02d}{written_day:02d}238"
    digits = with_check(f"00{nine}")[2:]
    number = PersonalIdentityNumber.parse(f"{digits[:6]}{separator}{digits[6:]}", today=today)
    year = number.birth_year
    assert number.birth_date is None
    assert year % 100 == yy
    assert earliest(year, month, 0) <= as_tuple(today)
    if separator == "+":
        assert year <= today.year - 100 < year + 100
    else:
        assert earliest(year + 100, month, 0) > as_tuple(today)


@given(valid_numbers(), st.dates(), st.sampled_from(["-", "", "+"]))
def test_x7_twelve_digits_are_refused_exactly_after_today_and_for_a_wrong_plus(
    case: Case, today: date, separator: str
) -> None:
    """X-7: a valid 12-digit number is accepted iff its known date parts are ≤ today.

    The earliest possible birth date decides: the year alone with month 00, the year and
    month with day 60. With + the person must also turn 100 in today's year or earlier.
    """
    text = f"{case.digits[:8]}{separator}{case.digits[8:]}"
    on_time = earliest(case.year, case.month, case.day) <= as_tuple(today)
    plus_fits = separator != "+" or today.year - case.year >= 100
    try:
        number = PersonalIdentityNumber.parse(text, today=today)
    except InvalidInput as error:
        assert not (on_time and plus_fits)
        assert_digits_not_repeated(text, error)
        return
    assert on_time
    assert plus_fits
    assert number == PersonalIdentityNumber(case.digits)


@given(valid_numbers(), st.data())
def test_x7_no_written_form_shows_the_last_four_digits(case: Case, data: st.DataObject) -> None:
    """X-7: str, repr, format and masked show the date part as written and ****."""
    number = PersonalIdentityNumber.parse(
        data.draw(st.sampled_from(written_forms(case))), today=case.today
    )
    date_part = case.digits[:8]
    spec = data.draw(st.sampled_from(["", ">20", "<20", "^30", "s"]))
    assert number.masked == f"{date_part}-****"
    assert str(number) == f"{number}" == "%s" % number == number.masked  # noqa: UP031
    assert repr(number) == f"{number!r}" == f"PersonalIdentityNumber('{date_part}-****')"
    assert format(number, spec).strip() == number.masked
    assert mask(number.reveal()) == number.masked


@given(st.one_of(mutated_numbers(), st.text(alphabet="0123456789-+ ", max_size=16), st.text()))
def test_x7_error_messages_never_repeat_the_input_digits(text: str) -> None:
    """X-7: for wrong input no 4 digits of it reach the message or a chained exception."""
    try:
        parse(text)
    except InvalidInput as error:
        assert_digits_not_repeated(text, error)


# ------------------------------------------------------------------ never shown in full


def test_x7_str_repr_and_format_mask_the_last_four_digits() -> None:
    """X-7: str, repr, f-strings, %-formatting and containers show only the date part."""
    number = parse("19121212-1212")
    assert str(number) == "19121212-****"
    assert repr(number) == "PersonalIdentityNumber('19121212-****')"
    assert f"{number}" == "19121212-****"
    assert f"{number!r}" == "PersonalIdentityNumber('19121212-****')"
    assert f"{number:>15}" == "  19121212-****"
    assert "%s" % number == "19121212-****"  # noqa: UP031 - %-formatting is what is tested
    assert str([number]) == "[PersonalIdentityNumber('19121212-****')]"
    with pytest.raises(ValueError, match="format code") as caught:
        format(number, "d")
    assert "1212121212" not in str(caught.value)


def test_x7_log_lines_show_the_masked_number(caplog: pytest.LogCaptureFixture) -> None:
    """X-7: a number logged with %s or %r is masked in the log line."""
    number = parse("19121212-1212")
    with caplog.at_level(logging.INFO):
        logging.getLogger("arendefordelning.test").info("case for %s (%r)", number, number)
    assert caplog.messages == ["case for 19121212-**** (PersonalIdentityNumber('19121212-****'))"]


def test_x7_value_semantics_pickle_and_copy() -> None:
    """X-7: equal digits are equal and hash alike; pickling and copying keep the number."""
    number = parse("19121212-1212")
    assert number == parse("121212+1212") == PersonalIdentityNumber("191212121212")
    assert len({number, parse("121212+1212")}) == 1
    assert number != parse("701063-2391")
    digits: object = "191212121212"
    assert number != digits
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(number, protocol)) == number
    assert copy.copy(number) == number
    assert copy.deepcopy(number) == number
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        number._digits = "201212121212"  # type: ignore[misc]


# ---------------------------------------------------------------- stdnum cross-check


@given(
    year=st.integers(1900, 2025),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    birth_number=st.integers(1, 999),
    check=st.one_of(st.none(), st.integers(0, 9)),
    separator=st.sampled_from(["-", "", "+"]),
)
def test_x7_twelve_digits_agree_with_stdnum(
    *, year: int, month: int, day: int, birth_number: int, check: int | None, separator: str
) -> None:
    """X-7: for personnummer with birth number ≠ 000, we accept what stdnum accepts.

    Except a 12-digit + that does not fit the birth year, which stdnum ignores. The
    birth date and the sex agree with stdnum's.
    """
    digits = with_check(f"{year:04d}{month:02d}{day:02d}{birth_number:03d}")
    if check is not None:
        digits = digits[:11] + str(check)
    text = f"{digits[:8]}{separator}{digits[8:]}"
    try:
        ours: PersonalIdentityNumber | None = parse(text)
    except InvalidInput:
        ours = None
    plus_fits = separator != "+" or TODAY.year - year >= 100
    assert (ours is not None) == (personnummer.is_valid(text) and plus_fits)
    if ours is not None:
        assert ours.birth_date == personnummer.get_birth_date(text)
        assert ours.birth_year == year
        assert ours.sex is {"F": Sex.FEMALE, "M": Sex.MALE}[personnummer.get_gender(text)]


@given(
    yymmdd=st.from_regex(r"[0-9]{2}(0[0-9]|1[0-3])([0-2][0-9]|3[0-2])", fullmatch=True),
    birth_number=st.integers(1, 999),
    check=st.one_of(st.none(), st.integers(0, 9)),
    separator=st.sampled_from(["-", "+", ""]),
)
def test_x7_ten_digits_agree_with_stdnum(
    yymmdd: str, birth_number: int, check: int | None, separator: str
) -> None:
    """X-7: 10-digit personnummer agree with stdnum, except 29 February.

    stdnum picks the century from the system clock's year; away from 29 February the
    century does not change validity, so the comparison holds on any date.
    """
    if yymmdd[2:] == "0229":
        return
    digits = yymmdd + f"{birth_number:03d}"
    digits += luhn.calc_check_digit(digits) if check is None else str(check)
    text = f"{digits[:6]}{separator}{digits[6:]}"
    try:
        parse(text)
    except InvalidInput:
        accepted = False
    else:
        accepted = True
    assert accepted == personnummer.is_valid(text)


def test_x7_differences_from_stdnum() -> None:
    """X-7: we refuse birth number 000 and a 12-digit + under 100, stdnum accepts them.

    stdnum refuses a samordningsnummer, complete or not, which we accept. A 12-digit
    + that fits the birth year both accept.
    """
    zero = with_check("19121212000")
    assert personnummer.is_valid(zero)
    with pytest.raises(InvalidInput, match="001–999"):
        parse(zero)
    assert personnummer.is_valid("20121212+1212")
    with pytest.raises(InvalidInput, match="turns 100"):
        parse("20121212+1212")
    assert personnummer.is_valid("19121212+1212")
    assert parse("19121212+1212") == parse("19121212-1212")
    assert not personnummer.is_valid("701063-2391")
    assert parse("701063-2391").is_coordination_number
    unknown = with_check("19800060238")
    assert not personnummer.is_valid(unknown)
    assert parse(unknown).birth_date is None


# ---------------------------------------------------------------------------- mask


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("pnr 19121212-1212.", "pnr 19121212-****."),
        ("121212+1212", "121212+****"),
        ("(121212-1212)", "(121212-****)"),
        ("1212121212", "121212-****"),
        ("191212121212", "19121212-****"),
        ("19121212+1212", "19121212+****"),
        ("701063-2391 och 19701063-2391", "701063-**** och 19701063-****"),
        ("191212121212345", "***************"),
        ("1212121212121", "*************"),
        ("19121212-12120", "19121212-*****"),
        ("019121212-1212", "019121212-****"),
        ("19121212 1212", "19121212 ****"),
        ("19121212\u20131212", "19121212\u2013****"),
        ("19121212\u20101212", "19121212\u2010****"),
        ("tel 0701234567", "tel 070123-****"),
        ("800060-2383 och 19800060-2383", "800060-**** och 19800060-****"),
        ("198000722383", "19800072-****"),
    ],
)
def test_x7_mask_hides_the_last_four_digits(text: str, masked: str) -> None:
    """X-7: digit runs shaped like a personal identity number lose their last four."""
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "möte 2026-03-06 kl 15:10",
        "2026-03-06T15:10:00+01:00",
        "tel 070-123 45 67",
        "08-123 456 78",
        "ärende 12345-6789",
        "1212-1212 och 123456789",
    ],
)
def test_x7_mask_leaves_other_digits_alone(text: str) -> None:
    """X-7: dates, times, grouped phone numbers and short numbers are not masked."""
    assert mask(text) == text


@given(valid_numbers(), st.data())
def test_x7_mask_masks_every_written_form(case: Case, data: st.DataObject) -> None:
    """X-7: in text, every accepted form (complete or not) keeps its date part only."""
    form = data.draw(st.sampled_from(written_forms(case)))
    left = data.draw(st.text(alphabet="abc åäö:;.,()\n", max_size=5))
    right = data.draw(st.text(alphabet="abc åäö:;.,()\n", max_size=5))
    separator = form[-5] if form[-5] in "-+" else "-"
    date_part = form[:-5] if form[-5] in "-+" else form[:-4]
    assert mask(f"{left}{form}{right}") == f"{left}{date_part}{separator}****{right}"


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"[0-9]{1,5}", fullmatch=True),
            st.text(alphabet="abcåäö-+:/.", min_size=1, max_size=4),
        ),
        max_size=8,
    )
)
def test_x7_mask_keeps_text_without_long_digit_runs(tokens: list[str]) -> None:
    """X-7: text whose digit runs are at most 5 digits long comes back unchanged."""
    text = " ".join(tokens)
    assert mask(text) == text


@given(st.text(alphabet="0123456789-+ x"))
def test_x7_mask_is_idempotent_and_leaves_no_long_digit_run(text: str) -> None:
    """X-7: masking twice changes nothing; no number shape is left after masking."""
    once = mask(text)
    assert mask(once) == once
    assert re.search(r"\d{6}(\d{2})?[-+]?\d{4}", once) is None


def test_x7_mask_refuses_non_str() -> None:
    """X-7: mask names the type of a non-str argument."""
    with pytest.raises(InvalidInput, match="not bytes"):
        mask(b"19121212-1212")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- exact edges
# Fixed examples for edges a mutation run showed untested (issue 21).

_TWELVE_DIGITS = (
    "a personal identity number's digits must be the 12 digits YYYYMMDDNNNC without "
    "separator; use PersonalIdentityNumber.parse to read other forms"
)


@pytest.mark.parametrize(
    "digits",
    [
        "1912121212122",  # 13 digits whose first twelve are a valid number
        "19121212121",  # 11 digits
        "".join(chr(0x0660 + int(c)) for c in "191212121212"),  # Arabic-Indic digits
        "".join(chr(0xFF10 + int(c)) for c in "191212121212"),  # fullwidth digits
        "19121212121" + chr(0x0662),  # one look-alike digit (Arabic-Indic two)
        "19121212121a",
        "",
    ],
    ids=[
        "13-digits",
        "11-digits",
        "arabic-indic",
        "fullwidth",
        "one-look-alike",
        "letter",
        "empty",
    ],
)
def test_x7_the_constructor_refuses_all_but_twelve_ascii_digits(digits: str) -> None:
    """X-7: PersonalIdentityNumber(digits) takes exactly 12 ASCII digits, as parse does.

    Given digits built directly, not read with parse, when they are not twelve ASCII
    digits (thirteen, eleven, or look-alike Unicode digits that int() would read),
    then the constructor refuses them with InvalidInput saying what it takes, and the
    message repeats none of them.
    """
    with pytest.raises(InvalidInput) as caught:
        PersonalIdentityNumber(digits)
    assert str(caught.value) == _TWELVE_DIGITS
    assert_digits_not_repeated(digits, caught.value)


_DATE = "the date part of the personal identity number is not a valid date: "
_DAY_PLUS_60 = "the day plus 60 in a samordningsnummer"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "19121212-1213",
            "the check digit (the last digit) of the personal identity number does not match "
            "(Luhn); check the number for a mistyped digit",
        ),
        (
            with_check("19121212000"),
            "the birth number (the three digits after the date) must be 001–999",
        ),
        (
            with_check("00001212121"),
            _DATE + "year zero does not exist; the year must be one or later",
        ),
        (
            with_check("19121312121"),
            _DATE + "the month must be 01–12, or 00 for an unknown month in a samordningsnummer",
        ),
        (
            # Year one exists: month 13 is what is wrong.
            with_check("00011301121"),
            _DATE + "the month must be 01–12, or 00 for an unknown month in a samordningsnummer",
        ),
        (
            with_check("19121200121"),
            _DATE + "a personnummer has a complete date; only a samordningsnummer (the day plus "
            "60) may leave the month (00) or the day (60) unknown",
        ),
        (
            with_check("19121245121"),
            _DATE + f"the day must be 01–31, or {_DAY_PLUS_60} (60 for an unknown day)",
        ),
        (
            with_check("19110231121"),
            _DATE + "that day does not exist in that month (29 February only in a leap year); "
            f"the day must be a day of its month, or {_DAY_PLUS_60}",
        ),
        (
            with_check("20261126121"),
            "the birth date of the personal identity number is after today; a birth date must "
            "be today or earlier",
        ),
        (
            with_check("20270072238"),
            "the birth year (the month is unknown) of the personal identity number is after "
            "today's year; with the month unknown the birth year must be this year or earlier",
        ),
        (
            with_check("20261260238"),
            "the birth month (the day is unknown) of the personal identity number is after "
            "today's month; with the day unknown the birth month must be this month or earlier",
        ),
        (
            "20121212+1212",
            "the plus sign (+) marks a person who turns 100 this year or earlier, and the birth "
            "year of this 12-digit number is less than 100 years ago; write it with - or "
            "without a separator",
        ),
        (
            "1212121212121",
            "a personal identity number must have 10 or 12 digits, with an optional separator "
            "before the last four: YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC, "
            "YYYYMMDDNNNC, or YYYYMMDD+NNNC for a person of 100 or more",
        ),
    ],
    ids=[
        "luhn",
        "birth-number",
        "year-zero",
        "month-13",
        "year-one-month-13",
        "personnummer-day-00",
        "day-45",
        "11-february-31",
        "born-tomorrow",
        "year-after-today",
        "month-after-today",
        "plus-under-100",
        "shape",
    ],
)
def test_x7_each_defect_has_its_message_word_for_word(text: str, message: str) -> None:
    """X-7: the message names the part that is wrong and what is accepted, and no digit.

    Given a number with one defect, read on 25 November 2026, when it is parsed, then
    the message is exactly the one for that defect (the field and what it accepts),
    and no four digits of the input are in it.
    """
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    assert str(caught.value) == message
    assert_digits_not_repeated(text, caught.value)
    if len(text) == 12 and text.isdigit() and "after today" not in message:
        with pytest.raises(InvalidInput) as direct:
            PersonalIdentityNumber(text)
        assert str(direct.value) == message


def test_x7_the_ten_digit_form_reaches_year_one_and_no_further() -> None:
    """X-7: 010101+NNNC read in the year 101 is born 1 January of the year 1, not refused."""
    tail = with_check("00010101121")[8:]
    number = parse(f"010101+{tail}", today=date(101, 6, 1))
    assert date(1, 1, 1) == number.birth_date
    assert str(number) == "00010101-****"
    assert date(1, 1, 1) == PersonalIdentityNumber(with_check("00010101121")).birth_date
    with pytest.raises(InvalidInput) as caught:
        parse(f"010101+{tail}", today=date(100, 6, 1))
    assert str(caught.value) == (
        "the date part of the personal identity number is not a valid date in the century "
        "the separator gives: there is no year before year one"
    )


def test_x7_a_january_birthday_later_this_month_is_last_century() -> None:
    """X-7: on 10 January 2026, 260120-NNNC is born 20 January 1926, not 11 days from now.

    The 10-digit form takes the latest century that does not put the birth date after
    today, comparing the whole date also in January; the 12-digit form of the later
    date is refused as a birth date after today.
    """
    tail = with_check("19260120121")[8:]
    today = date(2026, 1, 10)
    assert date(1926, 1, 20) == parse(f"260120-{tail}", today=today).birth_date
    assert (
        date(2026, 1, 10)
        == parse(f"260110-{with_check('20260110121')[8:]}", today=today).birth_date
    )
    with pytest.raises(
        InvalidInput, match="birth date of the personal identity number is after today"
    ):
        parse(with_check("20260120121"), today=today)


def test_x7_non_str_digits_and_text_are_refused_by_type_word_for_word() -> None:
    """X-7: the constructor and parse name the type they were given, not the value."""
    with pytest.raises(InvalidInput) as built:
        PersonalIdentityNumber(191212121212)  # type: ignore[arg-type]
    assert str(built.value) == "a personal identity number's digits must be a str, not int"
    with pytest.raises(InvalidInput) as parsed:
        PersonalIdentityNumber.parse(b"19121212-1212", today=TODAY)  # type: ignore[arg-type]
    assert str(parsed.value) == "a personal identity number must be given as a str, not bytes"


# The shape and the validity of a number in free text (arendefordelning._pii), X-7.


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("1234567890", True),  # ten digits in a row
        ("ref 123456789012345", True),
        ("123456789", False),  # nine
        ("191212-1212", True),  # six, a separator, four
        ("19121212-1212", True),
        ("191212+1212", True),
        ("191212 1212", True),
        ("191212\u20131212", True),  # an en dash
        ("191212\u22121212", True),  # a minus sign
        ("١٩١٢١٢-١٢١٢", True),  # Arabic-Indic digits
        ("12345-1234", False),  # five before the separator
        ("191212-123", False),  # three after it
        ("191212--1212", False),  # two separators
        ("191212 - 1212", False),
        ("191212/1212", False),  # not a separator
        ("2026-03-06", False),
        ("tel 070-123 45 67", False),
        ("", False),
    ],
)
def test_x7_has_identity_shape_is_ten_digits_or_six_a_separator_and_four(
    text: str, *, shaped: bool
) -> None:
    """X-7: a run is shaped like a number with ten digits in a row, or six, one separator, four.

    This is what mask hides: its answer agrees with whether mask changes the text.
    """
    from arendefordelning._pii import has_identity_shape

    assert shaped is has_identity_shape(text)
    assert shaped is (mask(text) != text)


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("19121212-1212", True),
        ("191212-1215", True),  # born 1919-12-12
        ("191212-1212", False),  # the check digit of 1919-12-12 121 is 5
        ("121212+1212", True),
        ("191212121212", True),
        ("1212121212", True),
        ("pnr 19121212\u20131212.", True),
        ("019121212-1212", True),  # touching another digit
        ("91212121212", True),  # eleven digits holding 1212121212
        ("701063-2391", True),
        (with_check("19701063239"), True),  # a samordningsnummer, day 3 + 60
        (with_check("19800060238"), True),  # a samordningsnummer with an unknown day
        (with_check("19800072238")[2:], True),  # unknown month, day 12 + 60
        ("١٩١٢١٢١٢-١٢١٢", True),  # Arabic-Indic digits are read
        ("19121212-1213", False),  # wrong check digit
        ("1212121213", False),
        (with_check("19121312121"), False),  # month 13
        (with_check("19121200121")[2:], False),  # day 00 in a personnummer
        ("191212-121", False),  # three digits after the separator
        ("12121-1212", False),  # five before it
        ("191212--1212", False),  # two separators
        ("191212 - 1212", False),
        ("2026-03-06 15:10", False),
        ("", False),
        # 29 February: in the 10-digit form a leap year exactly when YY is a multiple of 4.
        (with_check("20200229123")[2:8] + "-" + with_check("20200229123")[8:], True),
        (with_check("20020229123")[2:8] + "-" + with_check("20020229123")[8:], False),
        # 29 February 1902 written with 12 digits (Luhn right): 1902 is no leap year,
        # and none of the run's 10-digit windows is a number either.
        (with_check("19020229123"), False),
        ("000000000000", False),  # year 0000 and no possible date in any window
        ("190101010101", False),  # possible dates in every window, no right Luhn digit
        ("ref 0010101010", False),
        ("ärende 12 av 1212121212", True),  # a short run first, then the number
        ("12-34 och 121212-1212", True),  # a short pair first, then the number
        ("12121212-12345", False),  # 1212121212 lies across the separator: not a number
        ("121212121-2000", False),
    ],
)
def test_x7_holds_identity_number_finds_a_number_that_could_be_real(
    text: str, *, holds: bool
) -> None:
    """X-7: free text holds a number when a run has a possible date and a right Luhn digit."""
    from arendefordelning._pii import holds_identity_number

    assert holds is holds_identity_number(text)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("191212 - 1212", "191212 - 1212"),  # two characters between: not one number
        ("12345678901", "***********"),  # eleven digits: masked whole
        ("ref 1234567890 och 123", "ref 123456-**** och 123"),
        ("a 191212-1212 b 191212-1212 c", "a 191212-**** b 191212-**** c"),
    ],
)
def test_x7_mask_examples_at_the_edges_of_the_shape(text: str, masked: str) -> None:
    """X-7: one separator exactly, runs of 11 digits, and every occurrence in a text."""
    assert masked == mask(text)
