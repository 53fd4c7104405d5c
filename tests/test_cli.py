"""The command line: ``frist TIME`` (VAL-6), ``diagram CODE`` (X-2), exit codes 0, 1, 2, X-7."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from arendefordelning import routines
from arendefordelning._pii import holds_identity_number, mask
from arendefordelning.cli import main, parse_time
from arendefordelning.errors import InvalidInput
from arendefordelning.identity import PersonalIdentityNumber
from arendefordelning.kernel import Routine, diagram
from arendefordelning.strategies import personal_identity_numbers

SE = ZoneInfo("Europe/Stockholm")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_val6_frist_prints_the_due_time_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "frist", "2026-03-06T15:10")
    assert code == 0
    assert err == ""
    due, explanation = out.splitlines()
    assert due == "2026-03-10 07:00"
    assert explanation.startswith("Uppdraget ska vara verkställt senast 2026-03-10 07:00,")
    assert explanation.endswith("(VAL-6).")


def test_val6_deadline_alias_in_english_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "deadline", "2026-03-06 15:10", "--lang", "en", "--json", "--private"
    )
    assert code == 0
    document = json.loads(out)
    assert document == {
        "due": "2026-03-10T07:00:00+01:00",
        "counted_from": "2026-03-09T07:00:00+01:00",
        "occurred_at": "2026-03-06T15:10:00+01:00",
        "agreed_start": None,
        "provider": "privat",
        "requirement": "VAL-6",
        "explanation": document["explanation"],
    }
    assert document["explanation"].startswith("The assignment must be executed by 2026-03-10 07:00")
    assert "contact with the provider" in document["explanation"]


def test_val6_agreed_start_and_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "frist", "2026-03-06T11:10Z", "--agreed-start", "2026-03-12T08:00+01:00"
    )
    assert code == 0
    assert out.splitlines()[0] == "2026-03-12 08:00"
    assert "överenskomna senare starten" in out


def test_x2_diagram_prints_the_routines_flowchart_from_the_registry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """X-2: ``diagram OV`` prints the Mermaid flowchart of the registered routine OV."""
    routine = routines.get("OV")
    code, out, err = run(capsys, "diagram", "OV")
    assert (code, err) == (0, "")
    assert out == diagram(routine) + "\n"
    assert out.startswith("flowchart TD\n")
    code, out, err = run(capsys, "diagram", "OV", "--format", "mermaid")
    assert (code, out) == (0, diagram(routine) + "\n")


def test_x2_diagram_in_english_is_wholly_in_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """X-2: ``--lang en`` prints the routine's diagram and table in English."""
    routine = routines.get("OV")
    code, out, err = run(capsys, "diagram", "ov", "--lang", "en")
    assert (code, err) == (0, "")
    assert out == diagram(routine, lang="en") + "\n"
    assert "make the decision and create the assignment" in out
    code, out, err = run(capsys, "diagram", "OV", "--format", "table", "--lang=en")
    assert out.splitlines()[0].startswith("| Step | Requirements | social worker")
    code, out, err = run(capsys, "diagram", "OV", "--lang", "fi")
    assert code == 2
    assert "--lang" in err


def test_x2_diagram_format_table_prints_who_may_do_what(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """X-2: ``--format table`` prints the role table: a row per command, ✓ per role."""
    code, out, err = run(capsys, "diagram", "OV", "--format=table")
    assert (code, err) == (0, "")
    assert out == diagram(routines.get("OV"), "table") + "\n"
    assert out.splitlines()[0].startswith("| Steg | Krav | socialsekreterare")


def test_x2_diagram_of_every_registered_code_is_printed_or_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """X-2: every registered code prints its diagram, or (not yet a table) one line, code 2."""
    for name in routines.codes():
        code, out, err = run(capsys, "diagram", name)
        if isinstance(routines.get(name), Routine):
            assert (code, err) == (0, "")
            assert out.startswith("flowchart TD\n")
        else:
            assert (code, out) == (2, "")
            assert err == (
                f"arendefordelning: error: routine {name} is not a table of steps yet, so it "
                "has no diagram to print\n"
            )


def test_x2_diagram_of_a_registered_value_that_is_no_routine_is_one_error_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-2: a registry entry that is not a table of steps (an old Decider) is exit code 2."""
    monkeypatch.setitem(routines._LOADED, "OLD", object())
    code, out, err = run(capsys, "diagram", "OLD")
    assert (code, out) == (2, "")
    assert err == (
        "arendefordelning: error: routine OLD is not a table of steps yet, so it has no "
        "diagram to print\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["frist", "2026-03-29T02:30"], "does not exist in Stockholm"),
        (["frist", "2026-10-25T02:30"], "occurs twice in Stockholm"),
        (["frist", "2026-03-06"], "not a date and time"),
        (["frist", "tomorrow"], "not a date and time"),
        (["frist", "2026-03-06T15:10", "--lang", "de"], "choose sv or en"),
        (["fristen", "2026-03-06T15:10"], "invalid choice"),
        (["frist", "2026-03-06T15:10", "extra", "more"], "'extra' and 1 more"),
        (["frist"], "required"),
        ([], "choose a command"),
        (["frist", "2300-01-01T15:00"], "outside the years"),
        (["frist", "2026-03-06T15:10", "--agreed-start", "soon"], "not a date and time"),
        (["diagram", "XX"], "no routine is registered under that code; registered: VAL"),
        (["diagram"], "required: CODE"),
        (["diagram", "OV", "--format", "svg"], "invalid choice: 'svg'"),
        (["diagram", "OV", "VAL"], "unrecognized argument 'VAL'"),
        (["diagram", "19121212-1212"], "no routine is registered"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("arendefordelning: error: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "identity", ["19121212-1212", "191212121212", "121212+1212", "19121212\u20131212"]
)
def test_x7_an_identity_number_typed_as_time_is_masked(
    capsys: pytest.CaptureFixture[str], identity: str
) -> None:
    """X-7: the number is masked by the package's one rule, en dash included."""
    code, _, err = run(capsys, "frist", identity)
    assert code == 2
    assert not holds_identity_number(err)
    assert mask(identity) in err
    assert "****" in err


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:59-05:00",
        "0001-01-01T00:30+05:00",
        "0001-01-01T00:30",
        "9999-12-31T23:59:59.999999-23:59",
    ],
)
def test_val6_a_time_beyond_the_years_python_covers_is_invalid_input(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """VAL-6: a Stockholm time outside the years 1-9999 is bad input, not OverflowError."""
    with pytest.raises(InvalidInput, match="years 1"):
        parse_time(text)
    code, out, err = run(capsys, "frist", text)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("arendefordelning: error: argument TIME: ")
    code, _, err = run(capsys, "frist", "2026-03-06T15:10", "--agreed-start", text)
    assert code == 2
    assert "argument --agreed-start: " in err


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "2026-03-06",
        "2026-13-01T10:00",
        "2026-02-30T10:00",
        "2026-03-06T25:00",
        "2026-03-06T15:10+24:00",
        "2026-03-06T15:10:60",
        "\uff12\uff10\uff12\uff16-03-06T15:10",
        "2026-03-29T02:30",
        "2026-10-25T02:30",
        "19121212-1212",
        "2026-03-06T15:10 19121212-1212",
        "\udcff",
    ],
)
def test_val6_parse_time_raises_invalid_input_for_every_bad_time(text: str) -> None:
    """VAL-6, X-7: InvalidInput saying what is accepted, the text only masked."""
    with pytest.raises(InvalidInput) as raised:
        parse_time(text)
    message = str(raised.value)
    assert "UTC offset" in message
    assert not holds_identity_number(message)
    assert "\n" not in message
    # no chained exception (the ValueError of fromisoformat) repeats the text.
    assert raised.value.__context__ is None
    assert raised.value.__cause__ is None


@pytest.mark.parametrize("value", [None, 191212121212, b"2026-03-06T15:10"], ids=repr)
def test_val6_parse_time_refuses_what_is_not_text(value: object) -> None:
    """VAL-6, X-7: a time that is not a str is InvalidInput by its type, not AttributeError."""
    with pytest.raises(InvalidInput, match="the time must be given as a str") as raised:
        parse_time(value)  # type: ignore[arg-type]
    assert "1212" not in str(raised.value)


def test_parse_time_reads_local_and_offset_times() -> None:
    assert parse_time("2026-03-06T15:10") == datetime(2026, 3, 6, 15, 10, tzinfo=SE)
    assert parse_time(" 2026-03-06 15:10:30 ") == datetime(2026, 3, 6, 15, 10, 30, tzinfo=SE)
    moment = parse_time("2026-10-25T02:30+01:00")
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert moment.tzinfo is SE


def test_help_and_version_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """``main`` returns 0 for the help and the version instead of raising SystemExit."""
    code, out, err = run(capsys, "frist", "--help")
    assert (code, err) == (0, "")
    assert "TIME" in out
    assert "{sv,en}" in out
    code, out, err = run(capsys, "diagram", "--help")
    assert (code, err) == (0, "")
    assert "{mermaid,table}" in out
    assert f"Registered routines: {', '.join(routines.codes())}." in " ".join(out.split())
    code, out, err = run(capsys, "--version")
    assert (code, err) == (0, "")
    assert out.startswith("arendefordelning ")


@pytest.mark.parametrize(
    "argv",
    [
        ["frist", "2026-03-06T15:10", "a\nb\x1b[31m" * 50],
        ["frist", "2026-03-06T15:10", *["x"] * 10_000],
        ["x" * 100_000],
        ["frist", "2026-03-06T15:10", "--lang", "1" * 100_000],
        ["--=" + "19121212-1212 " * 10_000],
        ["frist", "2026-03-06T15:10", "--lang", "19121212\u20131212\n" * 10],
        ["frist", "x\u00a0" * 1000],
    ],
)
def test_x7_argparse_messages_are_one_short_masked_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """X-7: what argparse repeats of the input is masked, kept on one line and cut."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("arendefordelning: error: ")
    assert len(err.splitlines()) == 1
    assert err.endswith("\n")
    assert "\x1b" not in err
    assert len(err) <= 300
    assert not holds_identity_number(err)


class _FailingStream(io.StringIO):
    """A stream whose writes fail as a pipe, a full disk or a narrow encoding do."""

    def __init__(self, failure: Exception) -> None:
        super().__init__()
        self.failure = failure

    def write(self, text: str) -> int:
        raise self.failure


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), "broken pipe"),
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (UnicodeEncodeError("ascii", "\xe4", 0, 1, "ordinal not in range(128)"), "encoding"),
        (ValueError("I/O operation on closed file."), "closed"),
    ],
)
@pytest.mark.parametrize("argv", [["frist", "2026-03-06T15:10"], ["--help"]])
def test_an_output_failure_is_exit_code_1(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: Exception,
    message: str,
    argv: list[str],
) -> None:
    """VAL-6: output that cannot be written is exit code 1 and one line on stderr."""
    monkeypatch.setattr(sys, "stdout", _FailingStream(failure))
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith("arendefordelning: error: cannot write the output")
    assert message in err


def test_a_failed_stdout_is_pointed_at_the_null_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a broken pipe nothing can fail at the final flush: the descriptor is devnull.

    CPython drops what a failed flush could not write, but the interpreter flushes
    stdout once more at shutdown; the "Note on SIGPIPE" of the signal module points
    the descriptor at the null device so that nothing there can fail.
    """
    read_end, write_end = os.pipe()
    os.close(read_end)

    class _Pipe(_FailingStream):
        def fileno(self) -> int:
            return write_end

    monkeypatch.setattr(sys, "stdout", _Pipe(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    try:
        with pytest.raises(BrokenPipeError):
            os.write(write_end, b"x")
        assert main(["frist", "2026-03-06T15:10"]) == 1
        assert os.write(write_end, b"x") == 1
    finally:
        os.close(write_end)


@pytest.mark.parametrize(("argv", "expected"), [(["frist", "nonsense"], 2), (["--version"], 0)])
def test_a_failing_error_line_leaves_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: int
) -> None:
    """X-7: if stderr cannot be written either, ``main`` still returns its code quietly."""
    monkeypatch.setattr(sys, "stderr", _FailingStream(BrokenPipeError(errno.EPIPE, "")))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(argv) == expected


def run_module(
    *argv: str,
    stdout: int | IO[Any] = subprocess.PIPE,
    stderr: int | IO[Any] = subprocess.PIPE,
    encoding: str = "utf-8",
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m arendefordelning`` with ``argv`` in a fresh interpreter.

    ``encoding`` is the interpreter's PYTHONIOENCODING; ``stdout`` and ``stderr``
    are captured unless another file is given.
    """
    return subprocess.run(
        [sys.executable, "-m", "arendefordelning", *argv],
        stdout=stdout,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "PYTHONIOENCODING": encoding},
        check=False,
    )


def test_python_dash_m_works_the_same() -> None:
    """``python -m arendefordelning`` is the same program, with the same exit codes."""
    good = run_module("frist", "2026-12-23T15:00")
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines()[0] == "2026-12-29 07:00"
    drawn = run_module("diagram", "OV", "--format", "table")
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stdout == diagram(routines.get("OV"), "table") + "\n"
    bad = run_module("frist", "nonsense")
    assert bad.returncode == 2
    assert len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.stderr


def assert_one_error_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """Assert the exit code and that stderr is one error line; return that line."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("arendefordelning: error: ")
    return lines[0]


@pytest.mark.parametrize("argv", [["frist", "2026-03-06T15:10"], ["--help"]])
def test_val6_a_closed_pipe_is_exit_code_1_without_traceback(argv: list[str]) -> None:
    """VAL-6: ``| true``, the reader gone before the output: exit code 1, one line.

    Nothing is left for the interpreter's final flush either (the "Note on SIGPIPE"
    of the signal module), which would otherwise print a traceback and exit with 120.
    """
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run_module(*argv, stdout=write_end)
    finally:
        os.close(write_end)
    line = assert_one_error_line(result, 1)
    assert "broken pipe" in line


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="the platform has no /dev/full")
def test_val6_a_full_disk_is_exit_code_1_and_a_failing_stderr_is_quiet() -> None:
    """VAL-6: ``> /dev/full`` (ENOSPC) is exit code 1; ``2> /dev/full`` keeps code 2 quietly."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = run_module("frist", "2026-03-06T15:10", stdout=full)
        assert "No space left" in assert_one_error_line(result, 1)
        quiet = run_module("frist", "nonsense", stderr=full)
        assert (quiet.returncode, quiet.stdout) == (2, "")
        both = run_module("frist", "2026-03-06T15:10", stdout=full, stderr=full)
        assert both.returncode == 1


def test_val6_output_the_encoding_cannot_write_is_exit_code_1() -> None:
    """VAL-6: PYTHONIOENCODING=ascii cannot write å, ä, ö: exit code 1, one line, no output."""
    result = run_module("frist", "2026-03-06T15:10", encoding="ascii")
    line = assert_one_error_line(result, 1)
    assert "ascii" in line
    assert result.stdout == ""
    english = run_module("frist", "2026-03-06T15:10", "--lang", "en", encoding="ascii")
    assert english.returncode == 0, english.stderr
    strict = run_module("frist", "2300-01-01T15:00", encoding="ascii:strict")
    assert "outside the years" in assert_one_error_line(strict, 2)


# Linux takes at most 128 KiB in one argument: 60,000 two-byte characters fit.
@pytest.mark.parametrize(
    ("character", "count"), [("x", 100_000), ("1", 100_000), ("\u00e5", 60_000)]
)
def test_x7_a_huge_argument_is_not_echoed(character: str, count: int) -> None:
    """X-7: a 100,000-character TIME gives one short line on stderr, exit code 2."""
    result = run_module("frist", character * count)
    line = assert_one_error_line(result, 2)
    assert len(line) <= 300
    assert character * 50 not in line


_WORDS = st.sampled_from(
    [
        "frist",
        "deadline",
        "--help",
        "-h",
        "--version",
        "--private",
        "--json",
        "--lang",
        "--lang=en",
        "--lang=de",
        "en",
        "sv",
        "--agreed-start",
        "--agreed-start=2026-03-12T08:00",
        "--agr",
        "--",
        "-",
        "--=",
        "-x",
        "@args",
        "2026-03-06T15:10",
        "2026-03-06 15:10+01:00",
        "2026-03-29T02:30",
        "2026-10-25T02:30",
        "2300-01-01T15:00",
        "9999-12-31T23:59-05:00",
        "0001-01-01T00:30+05:00",
        "diagram",
        "OV",
        "VAL",
        "--format",
        "--format=table",
        "mermaid",
    ]
)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_OPTION_LIKE = st.builds(
    str.__add__, st.sampled_from(["-", "--", "--lang=", "--agreed-start=", "--json="]), _TEXT
)
_HUGE = st.builds(
    str.__mul__,
    st.sampled_from(["x", "1", "å", "-", "\n", " ", "2026-03-06T15:10 "]),
    st.integers(1_000, 100_000),
)


def _written(number: PersonalIdentityNumber, style: int) -> str:
    """One way people write a number: 12 or 10 digits, with or without separators."""
    digits = number.reveal()
    return [
        digits,
        f"{digits[:8]}-{digits[8:]}",
        digits[2:],
        f"{digits[2:8]}-{digits[8:]}",
        f"{digits[2:8]}+{digits[8:]}",
        f"{digits[:8]} {digits[8:]}",
        f"{digits[:8]}\u2013{digits[8:]}",
    ][style]


_IDENTITY = st.builds(_written, personal_identity_numbers(), st.integers(0, 6))
_WITH_IDENTITY = st.one_of(
    _IDENTITY,
    st.builds(lambda a, n, b: a + n + b, _TEXT, _IDENTITY, _TEXT),
    st.builds(lambda n: f"2026-03-06T15:10 {n}", _IDENTITY),
    st.builds(lambda n: f"--lang={n}", _IDENTITY),
    st.builds(lambda n: f"--agreed-start={n}", _IDENTITY),
)
_ANY = st.one_of(_WORDS, _WORDS, _TEXT, _OPTION_LIKE, _HUGE, _WITH_IDENTITY)
_TIMES = st.datetimes(datetime(1953, 1, 1), datetime(2199, 12, 31)).map(
    lambda moment: moment.isoformat(timespec="minutes")
)
# A command that may well succeed: a command, a time, then options or anything.
_COMMAND = st.builds(
    lambda command, time, rest: [command, time, *rest],
    st.sampled_from(["frist", "deadline"]),
    _TIMES,
    st.lists(st.one_of(st.sampled_from(["--private", "--json", "--lang=en"]), _ANY), max_size=3),
)
_ARGV = st.one_of(st.lists(_ANY, max_size=6), _COMMAND)


@settings(
    max_examples=150,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=_ARGV)
@example(argv=["frist", "2026-03-06T15:10"])
@example(argv=["frist", "19121212-1212"])
@example(argv=["frist", "2026-03-06T15:10", "--lang", "19121212-1212"])
@example(argv=["--=19121212-1212"])
@example(argv=["deadline", "19121212\u20131212", "\n" * 1000])
def test_x7_main_never_raises_and_never_prints_a_number(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """VAL-6, X-7: for any argv, an exit code; at most one line on stderr, no number."""
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in {0, 1, 2}
    assert err.count("\n") <= 1
    assert (code == 0) == (err == "")
    if code != 0:
        assert err.startswith("arendefordelning: error: ")
        assert err.endswith("\n")
        assert len(err) <= 300
    if any(holds_identity_number(arg) for arg in argv):
        assert not holds_identity_number(out)
        assert not holds_identity_number(err)


# --------------------------------------------------------------------------- the first hour

_RULE = "every date the command reads or prints must lie in 1975–2199, whatever the hour"


@pytest.mark.parametrize(
    "argv",
    [
        ["frist", "1974-12-31T10:00"],
        ["frist", "1974-12-31T15:10"],
        ["frist", "2200-01-01T10:00"],
        ["frist", "2200-01-01T15:10"],
        ["frist", "2199-12-31T10:00"],
        ["frist", "2199-12-31T15:10"],
        ["deadline", "2026-03-06T10:00", "--agreed-start", "2200-01-01T10:00"],
        ["frist", "2026-03-06T10:00", "--agreed-start", "1974-12-31T23:00"],
    ],
)
def test_val6_a_date_outside_the_calendar_exits_2_whatever_the_hour(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """VAL-6: one rule: a date read or printed outside 1975–2199 is exit 2, at 10:00 too."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert _RULE in err
    assert "TIME" in err or "--agreed-start" in err
    assert " n " not in err
    assert "after 2199-12-31 reach" not in err


@pytest.mark.parametrize("text", ["1975-01-01T10:00", "1975-01-01T15:10", "2199-12-30T10:00"])
def test_val6_dates_inside_the_calendar_are_answered(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """VAL-6: the first and last days whose answers lie in 1975–2199 are answered."""
    code, out, _ = run(capsys, "frist", text)
    assert code == 0
    assert out.startswith(("1975-", "2199-"))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.datetimes(datetime(1974, 12, 20), datetime(2200, 1, 10)), st.booleans())
@example(datetime(2199, 12, 31, 15, 10), False)
@example(datetime(1974, 12, 31, 10, 0), False)
@example(datetime(1999, 3, 28, 2, 0, fold=1), False)  # the skipped hour, drawn with fold=1
def test_val6_exit_2_exactly_when_a_date_read_or_printed_is_outside(
    capsys: pytest.CaptureFixture[str], moment: datetime, private: bool
) -> None:
    """VAL-6: the command answers exactly when TIME and its deadline lie in 1975–2199."""
    text = moment.isoformat(timespec="minutes")
    code, out, err = run(capsys, "frist", text, *(["--private"] if private else []))
    # Hypothesis may draw either fold; the text the command reads has none, so compare both.
    if (
        moment.replace(tzinfo=SE, fold=0).utcoffset()
        != moment.replace(tzinfo=SE, fold=1).utcoffset()
    ):
        assert code == 2  # the hour skipped or repeated at a daylight-saving change
        return
    inside = 1975 <= moment.year <= 2199
    if inside and code == 0:
        assert int(out[:4]) <= 2199
    else:
        assert code == 2
        assert _RULE in err
        if inside:
            assert "the deadline for TIME falls after 2199-12-31" in err


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_val6_the_calendar_rule_reads_the_same_in_code_readme_and_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """VAL-6: the exit-code rule for dates outside the calendar is one sentence everywhere."""
    from pathlib import Path

    from arendefordelning import cli

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert _RULE in _flat(readme)
    assert _RULE in _flat(cli.__doc__ or "")
    assert _RULE in _flat(cli.main.__doc__ or "")
    for command in ("frist", "deadline"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert _RULE in _flat(out)


def test_deadline_help_shows_its_own_name(capsys: pytest.CaptureFixture[str]) -> None:
    """The English alias's help says ``deadline``, and ``frist``'s says ``frist``."""
    for command in ("frist", "deadline"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert out.startswith(f"usage: arendefordelning {command} ")
    code, out, _ = run(capsys, "deadline", "2026-03-06T15:10")
    assert (code, out.splitlines()[0]) == (0, "2026-03-10 07:00")


@pytest.mark.parametrize("code", [code.lower() for code in routines.codes()])
def test_x2_diagram_takes_the_code_in_any_case(
    capsys: pytest.CaptureFixture[str], code: str
) -> None:
    """X-2: ``diagram val`` prints what ``diagram VAL`` prints."""
    lower = run(capsys, "diagram", code)
    upper = run(capsys, "diagram", code.upper())
    assert lower == upper
    assert lower[0] == 0


def test_x2_an_unknown_code_is_refused_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """X-2: the refusal names the registered codes and an example command."""
    code, _, err = run(capsys, "diagram", "xyz")
    assert code == 2
    assert f"registered: {', '.join(routines.codes())}" in err
    assert f"arendefordelning diagram {routines.codes()[0]}" in err


def test_val6_json_is_written_on_an_ascii_standard_output() -> None:
    """VAL-6: ``--json`` escapes å, ä and ö where stdout is ASCII: exit 0, the same JSON."""
    result = run_module("frist", "2026-03-06T15:10", "--json", encoding="ascii")
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    loaded = json.loads(result.stdout)
    utf8 = json.loads(run_module("frist", "2026-03-06T15:10", "--json").stdout)
    assert loaded == utf8
    assert "verkställt" in loaded["explanation"]
