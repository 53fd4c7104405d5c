"""The command line: ``arendefordelning frist TIME`` (VAL-6), errors on one line (X-7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from arendefordelning._pii import holds_identity_number, mask
from arendefordelning.cli import main, parse_time
from arendefordelning.errors import InvalidInput

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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["frist", "2026-03-29T02:30"], "does not exist in Stockholm"),
        (["frist", "2026-10-25T02:30"], "occurs twice in Stockholm"),
        (["frist", "2026-03-06"], "not a date and time"),
        (["frist", "tomorrow"], "not a date and time"),
        (["frist", "2026-03-06T15:10", "--lang", "de"], "invalid choice"),
        (["frist"], "required"),
        ([], "choose a command"),
        (["frist", "2300-01-01T10:00"], "outside the years"),
        (["frist", "2026-03-06T15:10", "--agreed-start", "soon"], "not a date and time"),
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


def test_parse_time_reads_local_and_offset_times() -> None:
    assert parse_time("2026-03-06T15:10") == datetime(2026, 3, 6, 15, 10, tzinfo=SE)
    assert parse_time(" 2026-03-06 15:10:30 ") == datetime(2026, 3, 6, 15, 10, 30, tzinfo=SE)
    moment = parse_time("2026-10-25T02:30+01:00")
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert moment.tzinfo is SE


def test_help_and_version_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frist", "--help"])
    assert exit_info.value.code == 0
    assert "TIME" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("arendefordelning ")


def run_module(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m arendefordelning`` with ``argv`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "arendefordelning", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def test_python_dash_m_works_the_same() -> None:
    """``python -m arendefordelning`` is the same program, with the same exit codes."""
    good = run_module("frist", "2026-12-23T15:00")
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines()[0] == "2026-12-29 07:00"
    bad = run_module("frist", "nonsense")
    assert bad.returncode == 2
    assert len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.stderr
