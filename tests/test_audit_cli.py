"""``arendefordelning granska`` and ``exempellogg`` on the command line (X-5, X-7).

Given an example log and its truth written by ``exempellogg``, when ``granska`` reads
it (JSON Lines or CSV, from files or standard input, in one process or two), then it
reports exactly the truth and exits 1; a clean log exits 0; unusable input exits 2,
naming the file and line; a bad line is skipped and counted only on request.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from arendefordelning import example_log as ex
from arendefordelning.cli import main
from arendefordelning.csvlog import dump_csv_events
from arendefordelning.eventlog import dump_events, dumps_event

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An example log of 240 cases and its truth, written by the command line."""
    folder = tmp_path_factory.mktemp("example")
    log, truth = folder / "logg.jsonl", folder / "facit.csv"
    assert main(["exempellogg", "--cases", "240", "--seed", "5", "--output", str(log),
                 "--truth", str(truth)]) == 0  # fmt: skip
    return log, truth


def _truth(path: Path) -> Counter[tuple[str, str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["case", "requirement", "kind"]
    return Counter((r[0], r[1], r[2]) for r in rows[1:])


def _reported(text: str) -> Counter[tuple[str, str, str]]:
    return Counter(
        (r["case"], r["requirement"], r["kind"]) for r in csv.DictReader(io.StringIO(text))
    )


def test_x5_granska_reports_exactly_the_truth_and_exits_1(
    example: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: the example log's injected deviations, no more, no fewer; exit code 1."""
    log, truth = example
    assert main(["granska", str(log), "--format", "csv"]) == 1
    assert _reported(capsys.readouterr().out) == _truth(truth)


def test_x5_audit_is_granska_in_english_and_writes_a_file(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: the alias audit, --output FILE, --lang en, JSON."""
    log, truth = example
    out = tmp_path / "rapport.json"
    assert main(["audit", str(log), "--format", "json", "--lang", "en", "--output", str(out)]) == 1
    assert capsys.readouterr().out == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sum(item["deviations"] for item in data["counts"]) == sum(_truth(truth).values())
    assert data["deviations"][0]["explanation"].startswith(("Deviation", "Warning"))


def test_x5_a_csv_log_and_standard_input_give_the_same_report(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-1, X-5: a CSV log (by its extension) and - for stdin give the JSON Lines log's report."""
    log, _ = example
    assert main(["granska", str(log), "--format", "json"]) == 1
    expected = capsys.readouterr().out
    from arendefordelning.eventlog import load_events

    events = list(load_events(log))
    as_csv = tmp_path / "logg.csv"
    dump_csv_events(events, as_csv)
    assert main(["granska", str(as_csv), "--format", "json"]) == 1
    assert capsys.readouterr().out == expected
    for source in (log, as_csv):
        done = subprocess.run(
            [sys.executable, "-m", "arendefordelning", "granska", "-", "--format", "json"],
            input=source.read_text(encoding="utf-8"),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert done.stdout == expected
        assert done.stderr == ""  # no progress bar in a pipe


def test_x5_several_files_are_one_log(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: a log split in two files (by line) is audited as one."""
    log, truth = example
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("".join(lines[::2]), encoding="utf-8")
    second.write_text("".join(lines[1::2]), encoding="utf-8")
    assert main(["granska", str(first), str(second), "--format", "csv"]) == 1
    assert _reported(capsys.readouterr().out) == _truth(truth)


def test_x5_two_processes_give_the_report_of_one(
    example: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: --jobs 2 reads whole cases in two processes and merges: the same report."""
    log, _ = example
    assert main(["granska", str(log), "--format", "json"]) == 1
    one = capsys.readouterr().out
    assert main(["granska", str(log), "--format", "json", "--jobs", "2"]) == 1
    assert capsys.readouterr().out == one


def test_x5_stream_and_no_stream_give_the_same_report(
    example: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5: --stream audits each case once its last line is read; --no-stream reads whole."""
    from arendefordelning.audit import _run, _stream

    log, truth = example
    chosen: list[bool | None] = []
    real = _stream.should_stream

    def spied(sources: list[str], stream: bool | None) -> bool:
        chosen.append(stream)
        return real(sources, stream)

    monkeypatch.setattr(_run, "should_stream", spied)
    outputs = []
    for flag in ("--stream", "--no-stream"):
        assert main(["granska", str(log), "--format", "csv", flag]) == 1
        outputs.append(capsys.readouterr().out)
    assert chosen == [True, False]
    assert outputs[0] == outputs[1]
    assert _reported(outputs[0]) == _truth(truth)


def test_x5_two_processes_report_a_kind_a_routine_defines_in_a_fresh_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5, UP-3: --jobs 2 in a new process reads back a routine's own kind of deviation.

    Given a log of routine UP with every stated time wrong (UP-3, the kind
    WRONG_STATED_TIME that routine UP defines), when a new process that has not
    imported UP audits it in two processes, then the parent reads the parts' reports
    back and reports exactly the truth.
    """
    monkeypatch.setitem(ex.RATES["UP"], "wrong_stated_time", 1.0)
    events, truth = ex.build(20, seed=4, codes=["UP"])
    assert ("UP-3", "WRONG_STATED_TIME") in {(row.requirement, row.kind) for row in truth}
    log = tmp_path / "up.jsonl"
    dump_events(events, log)
    done = subprocess.run(
        [sys.executable, "-m", "arendefordelning", "granska", str(log), "--format", "csv",
         "--jobs", "2"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert _reported(done.stdout) == Counter(truth)


def test_x5_a_clean_log_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-5: no deviation: exit code 0, and the text says so; an injected one: exit code 1."""
    for table in ex.RATES.values():
        for name in table:
            monkeypatch.setitem(table, name, 0.0)
    events, truth = ex.build(20, seed=1)
    assert truth == []
    path = tmp_path / "ren.jsonl"
    dump_events(events, path)
    assert main(["granska", str(path)]) == 0
    assert "Inga avvikelser." in capsys.readouterr().out
    monkeypatch.setitem(ex.RATES["DV"], "reviewed_late", 1.0)
    events, truth = ex.build(20, seed=1, codes=["DV"])
    assert truth
    dump_events(events, path)
    assert main(["granska", str(path)]) == 1
    assert "Inga avvikelser." not in capsys.readouterr().out
    empty = tmp_path / "tom.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["granska", str(empty)]) == 0


def test_x1_a_bad_line_stops_the_audit_naming_file_and_line(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-1, X-7: exit 2 and one error line naming the file and the line; nothing printed."""
    log, _ = example
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "trasig.jsonl"
    bad.write_text("".join([*lines[:3], '{"case": "19121212-1212"}\n', *lines[3:]]), "utf-8")
    assert main(["granska", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "trasig.jsonl: line 4:" in captured.err
    assert "19121212" not in captured.err
    assert main(["granska", str(bad), "--jobs", "2"]) == 2
    assert "trasig.jsonl: line 4:" in capsys.readouterr().err


def test_x1_skip_bad_lines_skips_and_counts_them(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-1, X-5: with --skip-bad-lines the bad lines are findings; the deviations stay."""
    log, truth = example
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "trasig.jsonl"
    bad.write_bytes(("".join([*lines[:3], "inte json\n", *lines[3:]])).encode() + b"\xff\n")
    assert main(["granska", str(bad), "--skip-bad-lines", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    skipped = [q for q in data["quality"] if q["kind"] == "BAD_LINE"]
    assert [q["line"] for q in skipped] == [4, len(lines) + 2]
    assert sum(item["deviations"] for item in data["counts"]) == sum(_truth(truth).values())


def test_x5_lines_out_of_order_are_counted_per_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: the file's order is the reader's finding; the audit's report is unchanged."""
    events, _ = ex.build(2, seed=4, codes=["OV"])
    case = [e for e in events if e.case == events[0].case]
    path = tmp_path / "ordning.jsonl"
    path.write_text(
        "".join(dumps_event(e) + "\n" for e in [case[2], *case[:2], *case[3:]]), "utf-8"
    )
    main(["granska", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    order = [q for q in data["quality"] if q["kind"] == "OUT_OF_ORDER"]
    assert [(q["case"], q["count"]) for q in order] == [(case[0].case, 2)]


@pytest.mark.parametrize(
    "arguments",
    [
        ["granska"],
        ["granska", "saknas.jsonl"],
        ["granska", "x.jsonl", "--as-of", "igår"],
        ["granska", "x.jsonl", "--jobs", "0"],
        ["granska", "x.jsonl", "--format", "pdf"],
        ["exempellogg", "--cases", "0", "--output", "x.jsonl"],
        ["exempellogg", "--cases", "3"],
    ],
)
def test_unusable_input_exits_2_with_one_line(
    arguments: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """X-7: a missing file, a bad time or number: exit 2, one error line, no traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.jsonl").write_text("", encoding="utf-8")
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert err.startswith("arendefordelning: error: ")
    assert err.count("\n") == 1


def test_a_progress_bar_only_on_a_terminal_for_a_large_log(
    example: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extra [progress]: a bar on a terminal's stderr when the log is large; never in pipes."""
    from arendefordelning import cli

    log, _ = example
    monkeypatch.setattr(cli, "_PROGRESS_BYTES", 1)
    assert main(["granska", str(log), "--format", "csv"]) == 1
    assert capsys.readouterr().err == ""  # captured: no terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["granska", str(log), "--format", "csv"]) == 1
    assert "granskar" in terminal.getvalue()


def _stored(url: str, log: Path) -> None:
    from arendefordelning.store import load, open_store

    store = open_store(url)
    try:
        assert load(store, log) > 0
    finally:
        store.close()


def test_x5_granska_audits_a_sqlite_store_as_it_audits_its_log(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-1, X-5: granska sqlite:///path reads the store's events: the log's report."""
    log, truth = example
    assert main(["granska", str(log), "--format", "json"]) == 1
    expected = capsys.readouterr().out
    url = f"sqlite:///{(tmp_path / 'händelser.db').as_posix()}"
    _stored(url, log)
    assert main(["granska", url, "--format", "json"]) == 1
    assert capsys.readouterr().out == expected
    assert main(["granska", url, "--format", "csv", "--jobs", "2"]) == 1
    assert _reported(capsys.readouterr().out) == _truth(truth)


def test_x5_granska_audits_a_postgres_store_as_it_audits_its_log(
    example: tuple[Path, Path], postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-1, X-5: granska postgresql://… reads the store's events: the log's report."""
    import uuid

    log, truth = example
    url = f"{postgres_url}?table=t_{uuid.uuid4().hex[:16]}"
    _stored(url, log)
    assert main(["granska", url, "--format", "csv"]) == 1
    assert _reported(capsys.readouterr().out) == _truth(truth)


def test_x5_exit_zero_keeps_the_report_and_exits_0_but_not_for_bad_input(
    example: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X-5: --exit-zero prints the same report with exit 0; unusable input still exits 2."""
    log, _ = example
    assert main(["granska", str(log), "--format", "json"]) == 1
    report = capsys.readouterr().out
    assert main(["granska", str(log), "--format", "json", "--exit-zero"]) == 0
    assert capsys.readouterr().out == report
    bad = tmp_path / "trasig.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert main(["granska", str(bad), "--exit-zero"]) == 2
