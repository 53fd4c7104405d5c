"""Personal identity numbers (personnummer, samordningsnummer): X-7.

The numbers are validated, and neither ``str``, ``repr``, ``format``, a log line nor an
error message shows them in full. Validity is cross-checked against python-stdnum,
which knows no samordningsnummer and accepts birth number 000.
"""

from __future__ import annotations

import copy
import logging
import pickle
import re
from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.se import personnummer

from arendefordelning import identity
from arendefordelning.errors import InvalidInput
from arendefordelning.identity import PersonalIdentityNumber, mask

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


@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[date, date, str]:
    """A reading date, a birth date on or before it, and the number's 12 digits."""
    today = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
    born = draw(st.dates(min_value=date(today.year - 199, 1, 1), max_value=today))
    birth_number = draw(st.integers(1, 999))
    day = born.day + (60 if draw(st.booleans()) else 0)
    digits = with_check(f"{born.year:04d}{born.month:02d}{day:02d}{birth_number:03d}")
    return today, born, digits


def written_forms(today: date, born: date, digits: str) -> list[str]:
    """Every form a person may write the number in on ``today``."""
    short, tail = digits[2:8], digits[8:]
    forms = [f"{digits[:8]}-{tail}", digits]
    if born.year > today.year - 100:
        forms += [f"{short}-{tail}", short + tail]
    else:
        forms.append(f"{short}+{tail}")
    return forms


@st.composite
def mutated_numbers(draw: st.DrawFn) -> str:
    """A valid number in one of its forms with one digit changed, dropped or added."""
    today, born, digits = draw(valid_numbers())
    form = draw(st.sampled_from(written_forms(today, born, digits)))
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
        (with_check("19121260121"), "not a valid date"),  # samordningsnummer day 0
        (with_check("19121292121"), "not a valid date"),  # samordningsnummer day 32
        (with_check("19110231121"), "not a valid date"),
        (with_check("20991212121"), "after today"),
        (with_check("20261126121"), "after today"),
        ("19121212+1212", "only in the 10-digit form"),
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
def test_x7_every_written_form_parses_back_to_the_number(
    case: tuple[date, date, str],
) -> None:
    """X-7: all accepted forms of a valid number read back to its 12 digits."""
    today, born, digits = case
    for form in written_forms(today, born, digits):
        number = PersonalIdentityNumber.parse(form, today=today)
        assert number.reveal() == digits
        assert number.birth_date == born
        assert number.is_coordination_number == (int(digits[6:8]) > 60)
        assert PersonalIdentityNumber.parse(number.reveal(), today=today) == number
        assert str(number) == number.masked == digits[:8] + "-****"
        assert repr(number) == f"PersonalIdentityNumber('{digits[:8]}-****')"


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
    assert got.year % 100 == born.year % 100
    assert (got.month, got.day) == (born.month, born.day)
    assert got <= today
    if separator == "+":
        assert got.year <= today.year - 100 < got.year + 100
    else:
        assert (got.year + 100, got.month, got.day) > (today.year, today.month, today.day)


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
    separator=st.sampled_from(["-", ""]),
)
def test_x7_twelve_digits_agree_with_stdnum(
    *, year: int, month: int, day: int, birth_number: int, check: int | None, separator: str
) -> None:
    """X-7: for personnummer with birth number ≠ 000, we accept what stdnum accepts."""
    digits = with_check(f"{year:04d}{month:02d}{day:02d}{birth_number:03d}")
    if check is not None:
        digits = digits[:11] + str(check)
    text = f"{digits[:8]}{separator}{digits[8:]}"
    try:
        ours: PersonalIdentityNumber | None = parse(text)
    except InvalidInput:
        ours = None
    assert (ours is not None) == personnummer.is_valid(text)
    if ours is not None:
        assert ours.birth_date == personnummer.get_birth_date(text)


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
    """X-7: we refuse birth number 000 and 12 digits with +, stdnum accepts them.

    stdnum refuses a samordningsnummer, which we accept.
    """
    zero = with_check("19121212000")
    assert personnummer.is_valid(zero)
    with pytest.raises(InvalidInput, match="001–999"):
        parse(zero)
    assert personnummer.is_valid("19121212+1212")
    with pytest.raises(InvalidInput, match="only in the 10-digit form"):
        parse("19121212+1212")
    assert not personnummer.is_valid("701063-2391")
    assert parse("701063-2391").is_coordination_number


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
def test_x7_mask_masks_every_written_form(
    case: tuple[date, date, str], data: st.DataObject
) -> None:
    """X-7: in text, every accepted form keeps its date part and loses its last four."""
    today, born, digits = case
    form = data.draw(st.sampled_from(written_forms(today, born, digits)))
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
