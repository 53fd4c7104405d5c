"""Command line (kommandorad): ``arendefordelning frist TIME`` prints a deadline and why.

The edge of the package: it parses what a person types, calls the pure rules and
prints. A TIME without a UTC offset is read as Stockholm local time (the API itself
accepts only timezone-aware datetimes). ``arendefordelning diagram CODE`` prints the
diagram of a registered routine, drawn from its table of steps: a Mermaid flowchart,
or with ``--format table`` who may do what (X-2), in Swedish or, with ``--lang en``,
in English; the routine is read from the registry (:mod:`arendefordelning.routines`),
never imported here by name.

Exit codes: 0 when the answer (or the help, or the version) was printed; 1 when the
output could not be written (a broken pipe, a full disk, an encoding the output
cannot be written in); 2 for bad input (a usage error, a time that cannot be read,
a date outside the calendar, a routine that is not registered or has no table of
steps). The calendar's rule is one: every date the command reads or prints must lie
in 1975–2199, whatever the hour (the time given, the agreed start and the deadline;
the working days are not known outside those years). ``diagram`` takes the code in
any case (``val`` is ``VAL``). ``--json`` writes å, ä and ö as JSON escapes when
standard output cannot write them. Every failure is one line on stderr,
``arendefordelning: error: ...``, never a traceback: digit runs shaped like a
personal identity number are masked and a caller's text is cut (X-7). If even that
line cannot be written, the program exits quietly with its code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final, NoReturn, TextIO

from . import routines
from ._pii import mask
from ._time import STOCKHOLM, as_stockholm
from ._validators import MAX_SHOWN, describe, shown
from .calendar import WorkCalendar
from .deadlines import Deadline, ProviderKind, execution_deadline
from .errors import ArendefordelningError, InvalidInput
from .kernel import Routine, diagram, diagram_formats

__all__ = ["main", "parse_time"]

_PROG = "arendefordelning"
_EXIT_OK = 0
_EXIT_OUTPUT = 1
_EXIT_USAGE = 2
_LANGUAGES = ("sv", "en")

# An error line shows at most this many characters after its prefix, and no word
# longer than twice what shown() quotes (room for its escapes): argparse repeats
# some values whole.
_MAX_MESSAGE = 240
_MAX_WORD = 2 * MAX_SHOWN

_ACCEPTED = (
    "write it as YYYY-MM-DDTHH:MM (Stockholm time), optionally with seconds and a UTC "
    "offset, such as 2026-03-06T15:10 or 2026-03-06T15:10+01:00"
)
# The extended ISO 8601 shape a person writes: date, T or space, hours and minutes.
_TIME_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


class _UsageError(Exception):
    """A command line the program cannot use; the message goes through :func:`_one_line`."""


class _Finished(Exception):
    """The parser printed the help or the version and would have exited."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing errors and exiting."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            raise _UsageError(message)
        raise _Finished(status)


def parse_time(text: str) -> datetime:
    """Read a time as a person writes it: ISO 8601, with or without a UTC offset.

    ``2026-03-06T15:10``, ``2026-03-06 15:10`` and ``2026-03-06T15:10:00+01:00`` are
    accepted; without an offset the time is Stockholm local time. A local time that
    does not exist (the hour skipped when summer time starts) or that occurs twice
    (the hour repeated when it ends) is refused: give the offset then. The result is
    in Stockholm time.

    Raises:
        InvalidInput: for every time that cannot be read, including one whose
            Stockholm time Python cannot represent (the edges of the years 1 and
            9999); the message says what is accepted and quotes the text only
            masked and cut (X-7).
    """
    if not isinstance(text, str):
        raise InvalidInput(f"the time must be given as a str, not {describe(text)}; {_ACCEPTED}")
    cleaned = text.strip()
    if not _TIME_SHAPE.match(cleaned):
        raise InvalidInput(f"{shown(cleaned)} is not a date and time; {_ACCEPTED}")
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(cleaned)
    except (ValueError, OverflowError):
        moment = None  # refused below: the ValueError repeats the text, so it is not chained
    if moment is None:
        raise InvalidInput(f"{shown(cleaned)} is not a date and time; {_ACCEPTED}")
    if moment.tzinfo is not None:
        return as_stockholm(moment, shown(cleaned))
    first = moment.replace(tzinfo=STOCKHOLM, fold=0)
    second = moment.replace(tzinfo=STOCKHOLM, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Either repeated (a real second occurrence) or skipped (no real occurrence).
        # Daylight-saving changes lie far from the edges of the years 1 and 9999.
        round_trip = first.astimezone(UTC).astimezone(STOCKHOLM)
        if round_trip.replace(tzinfo=None) != moment:
            raise InvalidInput(
                f"{shown(cleaned)} does not exist in Stockholm (the clocks skip that "
                "hour); give a UTC offset such as +01:00 or +02:00"
            )
        raise InvalidInput(
            f"{shown(cleaned)} occurs twice in Stockholm (the clocks go back that night); "
            "give a UTC offset, +02:00 for the first or +01:00 for the second"
        )
    return as_stockholm(first, shown(cleaned))


def _time_argument(text: str) -> datetime:
    try:
        return parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _language(text: str) -> str:
    if text not in _LANGUAGES:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a language of the explanation; choose sv or en"
        )
    return text


_DEADLINE_COMMANDS: Final = ("frist", "deadline")
"""The deadline command and its English alias; each has its own usage line."""

_FIRST_YEAR: Final = WorkCalendar.FIRST_YEAR
_LAST_YEAR: Final = WorkCalendar.LAST_YEAR
_CALENDAR_RULE: Final = (
    f"every date the command reads or prints must lie in {_FIRST_YEAR}–{_LAST_YEAR}, "
    "whatever the hour"
)
"""The one rule for dates outside the calendar (exit code 2), as --help and README say."""


def _add_deadline_command(commands: Any, command: str) -> None:
    """Add ``frist`` or its alias ``deadline``: the same arguments, its own name in --help."""
    alias = command != "frist"
    parser = commands.add_parser(
        command,
        help=(
            "the same as frist, in English"
            if alias
            else "execution deadline of a home-care assignment (VAL-6); alias: deadline"
        ),
        description=(
            "Print when a home-care assignment distributed (or, with --private, "
            "contacted) at TIME must have been executed, and why (VAL-6). A TIME "
            "without a UTC offset is Stockholm local time. Exit code 2 for bad input; "
            f"{_CALENDAR_RULE} (the working days are not known outside those years)."
        ),
    )
    parser.add_argument(
        "time",
        metavar="TIME",
        type=_time_argument,
        help="distribution or contact time, e.g. 2026-03-06T15:10",
    )
    parser.add_argument(
        "--private",
        action="store_true",
        help="private provider: TIME is the needs assessor's contact with the provider",
    )
    parser.add_argument(
        "--agreed-start",
        metavar="TIME",
        type=_time_argument,
        help="a later start agreed with the customer; the deadline is then the later one",
    )
    parser.add_argument(
        "--lang",
        metavar="{sv,en}",
        type=_language,
        default="sv",
        help="language of the explanation (default: sv)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.set_defaults(run=_run_frist)


def _build_parser() -> _Parser:
    from . import __version__  # noqa: PLC0415 - the package imports this module lazily

    parser = _Parser(
        prog=_PROG,
        description="Swedish case-allocation routines as executable rules.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in _DEADLINE_COMMANDS:
        _add_deadline_command(commands, command)
    drawing = commands.add_parser(
        "diagram",
        help="diagram of a routine's steps, or who may do what (X-2)",
        description=(
            "Print the diagram of routine CODE, drawn from its table of steps: a "
            "Mermaid flowchart (the default) or, with --format table, a Markdown table "
            "of who may do what (X-2), wholly in Swedish (the default) or, with "
            "--lang en, in English. Registered routines: "
            f"{', '.join(routines.codes())}."
        ),
    )
    drawing.add_argument(
        "code", metavar="CODE", help="the routine's code, e.g. OV (any case: ov too)"
    )
    drawing.add_argument(
        "--format",
        choices=diagram_formats(),
        default="mermaid",
        help="mermaid (default) or table",
    )
    drawing.add_argument(
        "--lang",
        choices=("sv", "en"),
        default="sv",
        help="the language of every text of the diagram: sv (default) or en",
    )
    drawing.set_defaults(run=_run_diagram)
    _add_ivo_command(commands)
    _add_audit_commands(commands)
    _add_example_log_commands(commands)
    return parser


_IVO_FORMATS: Final = ("csv", "json", "html")


def _add_ivo_command(commands: Any) -> None:
    """Add ``ivo``: the report to IVO of decisions not executed, from event logs (X-6).

    ``arendefordelning ivo LOG... --quarter 2026Q1 [--format csv|json|html] [--lang
    sv|en]`` reads the logs as :func:`~arendefordelning.load_events` does, a ``.csv`` file
    as ``granska`` reads it (``-`` reads standard input; several files are one log),
    and prints the report of the quarter:
    CSV (the default), JSON or one self-contained HTML page. Exit code 0 when printed,
    2 for bad input (a quarter that is not one, a log that cannot be read or holds a
    line that is not an event), 1 when the output cannot be written.
    """
    parser = commands.add_parser(
        "ivo",
        help="report to IVO of decisions not executed within three months (X-6)",
        description=(
            "Print the report to IVO for a quarter: every granted social-services "
            "decision not executed within three months, and every execution "
            "interrupted and not resumed within three months, as of the quarter's "
            "last day, read from the event logs LOG (JSON Lines, or CSV for a .csv file "
            "as granska reads it; - reads standard input; several files are one log). "
            "Exit code 2 for bad input."
        ),
    )
    parser.add_argument("logs", metavar="LOG", nargs="+", help="an event log, or - for stdin")
    parser.add_argument(
        "--quarter", metavar="YYYYQn", required=True, help="the quarter, such as 2026Q1"
    )
    parser.add_argument(
        "--format", choices=_IVO_FORMATS, default="csv", help="csv (default), json or html"
    )
    parser.add_argument(
        "--lang", choices=_LANGUAGES, default="sv", help="language of the texts: sv or en"
    )
    parser.set_defaults(run=_run_ivo)


def _run_ivo(arguments: argparse.Namespace) -> str:
    """Read the logs and make the report to IVO of the quarter (X-6)."""
    from . import ivo  # noqa: PLC0415 - only this command needs the report
    from .audit._reader import _is_csv, _name  # noqa: PLC0415 - as granska names a log
    from .csvlog import load_csv_events  # noqa: PLC0415 - only this command reads logs
    from .eventlog import load_events  # noqa: PLC0415

    quarter = ivo.Quarter.parse(arguments.quarter)  # bad input before any log is read
    events: list[Any] = []
    for number, log in enumerate(arguments.logs, start=1):
        try:
            # A .csv log is CSV, as granska reads it (issue 18); anything else JSON Lines.
            csv = _is_csv(log)
            events += load_csv_events(log) if csv else load_events(sys.stdin if log == "-" else log)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise InvalidInput(
                f"cannot read log {number} ({shown(str(log))}): {reason}; give a readable "
                "JSON Lines file, or - for standard input"
            ) from None
        except InvalidInput as error:  # a bad line: name its log, as granska does (issue 18)
            raise InvalidInput(f"{_name(log)}: {error}") from None
    report = ivo.ivo_report(events, quarter=quarter)
    if arguments.format == "json":
        return report.to_json(arguments.lang)
    if arguments.format == "html":
        return report.to_html(arguments.lang)
    return report.to_csv(arguments.lang).rstrip("\n")


def _as_json(deadline: Deadline, explanation: str) -> str:
    """Write the deadline as a JSON object; å, ä, ö as escapes where stdout cannot write them."""
    agreed = deadline.agreed_start
    return json.dumps(
        {
            "due": deadline.due.isoformat(),
            "counted_from": deadline.counted_from.isoformat(),
            "occurred_at": deadline.occurred_at.isoformat(),
            "agreed_start": None if agreed is None else agreed.isoformat(),
            "provider": deadline.provider.value,
            "requirement": deadline.requirement,
            "explanation": explanation,
        },
        ensure_ascii=not _writes_swedish(sys.stdout),
        indent=2,
    )


def _writes_swedish(stream: TextIO | None) -> bool:
    """Whether ``stream``'s encoding can write the explanation's å, ä and ö."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "åäöÅÄÖ–".encode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def _in_calendar(moment: datetime, what: str) -> None:
    """Refuse a time given whose Stockholm date lies outside the calendar's years (exit 2)."""
    if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
        raise InvalidInput(f"{what} lies outside the years the calendar covers: {_CALENDAR_RULE}")


def _run_frist(arguments: argparse.Namespace) -> str:
    """Print the VAL-6 deadline of TIME; exit 2 when a date read or printed is outside 1975–2199."""
    provider = ProviderKind.PRIVATE if arguments.private else ProviderKind.MUNICIPAL
    time: datetime = arguments.time
    agreed: datetime | None = arguments.agreed_start
    _in_calendar(time, "TIME")
    if agreed is not None:
        _in_calendar(agreed, "--agreed-start")
    try:
        deadline = execution_deadline(time, agreed_start=agreed, provider=provider)
    except InvalidInput:
        # TIME and the agreed start lie in the calendar's years: what is left near its
        # end is a time after the cut-off whose next working day it does not know.
        if time.year < _LAST_YEAR:
            raise
        deadline = None
    if deadline is None or deadline.due.astimezone(STOCKHOLM).year > _LAST_YEAR:
        raise InvalidInput(
            f"the deadline for TIME falls after {_LAST_YEAR}-12-31, the last day the "
            f"calendar covers: {_CALENDAR_RULE}"
        )
    explanation = deadline.explain(arguments.lang)
    if arguments.json:
        return _as_json(deadline, explanation)
    return f"{deadline.due.strftime('%Y-%m-%d %H:%M')}\n{explanation}"


def _routine(text: str) -> tuple[str, object]:
    """Find the code ``text`` names in any case (``val`` is ``VAL``) and its routine, X-2."""
    codes = routines.codes()
    code = text
    if text not in codes:
        code = next((each for each in codes if each.casefold() == text.casefold()), text)
    try:
        return code, routines.get(code)
    except InvalidInput:
        pass  # refused below with a hint, without chaining the registry's message
    raise InvalidInput(
        f"no routine is registered under that code; registered: {', '.join(codes)} "
        f"(upper or lower case), such as {_PROG} diagram {codes[0]}"
    )


def _run_diagram(arguments: argparse.Namespace) -> str:
    code, routine = _routine(arguments.code)
    if not isinstance(routine, Routine):
        raise InvalidInput(
            f"routine {code} is not a table of steps yet, so it has no diagram to print"
        )
    return diagram(routine, arguments.format, lang=arguments.lang)


def _escaped(char: str) -> str:
    r"""Write a character that cannot be printed as ``repr`` escapes it (``\n``)."""
    return repr(char)[1:-1]


def _one_line(message: str) -> str:
    """Make a message one short printable line with identity numbers masked (X-7).

    Masked before it is cut or escaped, and masked again after escaping, since an
    escape's hex digits can join the digits around it. argparse's own messages
    repeat what was typed: every word is cut to ``_MAX_WORD`` characters and the
    line to ``_MAX_MESSAGE``.
    """
    text = mask(message)
    if not text.isprintable():
        text = mask("".join(char if char.isprintable() else _escaped(char) for char in text))
    if len(text) > _MAX_WORD:
        text = " ".join(
            word if len(word) <= _MAX_WORD else word[: _MAX_WORD - 1] + "…"
            for word in text.split(" ")
        )
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1] + "…"
    return text


def _discard(stream: TextIO) -> None:
    """Point a stream that failed at the null device, so the flush at exit cannot fail.

    The interpreter flushes stdout and stderr once more when it shuts down; if
    anything is still buffered and that write fails, it prints a traceback and exits
    with 120 (see "Note on SIGPIPE" in the documentation of :mod:`signal`). CPython
    drops what a failed flush could not write, so this is a safeguard.
    """
    try:
        descriptor = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):  # no file descriptor: nothing will be flushed to one
        return
    try:
        os.dup2(null, descriptor)
    except OSError:
        pass
    finally:
        os.close(null)


def _report(message: str) -> None:
    """Write ``message`` as the one error line on stderr; quietly nothing if that fails."""
    stream: TextIO | None = sys.stderr
    if stream is None:
        return
    line = f"{_PROG}: error: {_one_line(message)}\n"
    encoding = getattr(stream, "encoding", None) or "utf-8"
    with contextlib.suppress(LookupError, UnicodeError):
        line = line.encode(encoding, "backslashreplace").decode(encoding)
    try:
        stream.write(line)
        stream.flush()
    except (OSError, ValueError):
        _discard(stream)


def _write(text: str) -> int:
    """Write ``text`` to stdout; return the exit code, 1 after one error line if it fails."""
    stream: TextIO | None = sys.stdout
    if stream is None:
        _report("cannot write the output: there is no standard output")
        return _EXIT_OUTPUT
    try:
        stream.write(text)
        stream.flush()
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "unknown"
        reason = (
            f"cannot write the output in the {encoding} encoding of standard output; "
            "set PYTHONIOENCODING=utf-8 or use a UTF-8 locale"
        )
    except BrokenPipeError:
        reason = "cannot write the output: the program reading it has stopped (broken pipe)"
    except OSError as error:
        reason = f"cannot write the output: {error.strerror or type(error).__name__}"
    except ValueError:
        reason = "cannot write the output: standard output is closed"
    else:
        return _EXIT_OK
    _discard(stream)
    _report(reason)
    return _EXIT_OUTPUT


def _unrecognized(extras: Sequence[str]) -> str:
    more = f" and {len(extras) - 1} more" if len(extras) > 1 else ""
    return f"unrecognized argument {shown(extras[0])}{more}; see {_PROG} --help"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    0: the answer, the help or the version was printed. 1: the output could not be
    written (broken pipe, full disk, an encoding that cannot write it). 2: bad input
    (a usage error, a time that cannot be read, a date outside the calendar: every
    date the command reads or prints must lie in 1975–2199, whatever the hour; a
    routine that is not registered or has no table of steps). A failure prints one
    masked line on stderr. Never raises, not even SystemExit for ``--help``.
    """
    parser = _build_parser()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            arguments, extras = parser.parse_known_args(argv)
        if extras:
            raise _UsageError(_unrecognized(extras))
        if arguments.command is None:
            raise _UsageError(
                "choose a command: frist (deadline), diagram, granska (audit), "
                "exempellogg (example-log) or ivo; see --help"
            )
        result = arguments.run(arguments)
        output, status = (result + "\n", _EXIT_OK) if isinstance(result, str) else result
    except _Finished as finished:
        code = _write(printed.getvalue())
        return code or finished.status
    except (_UsageError, ArendefordelningError) as error:
        _report(str(error))
        return _EXIT_USAGE
    return (_write(output) if output else _EXIT_OK) or status


# --------------------------------------------------------------------------- the audit

_AUDIT_COMMANDS: Final = ("granska", "audit")
_EXAMPLE_COMMANDS: Final = ("exempellogg", "example-log")
_AUDIT_FORMATS: Final = ("text", "json", "csv", "html")
_EXIT_DEVIATIONS: Final = 1
_PROGRESS_BYTES: Final = 32 * 2**20
"""A log at least this large gets a progress bar on a terminal's standard error."""


def _as_of_argument(text: str) -> datetime | None:
    """Read ``--as-of``: a time as :func:`parse_time` reads it, or ``now``."""
    if text.strip().lower() in {"now", "nu"}:
        return datetime.now(STOCKHOLM)
    return _time_argument(text)


def _jobs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a number of processes (1–64)")
    return int(text)


def _add_audit_commands(commands: Any) -> None:
    """Add ``granska`` and its alias ``audit``: the compliance audit of log files (X-5)."""
    for command in _AUDIT_COMMANDS:
        alias = command != "granska"
        parser = commands.add_parser(
            command,
            help=(
                "the same as granska, in English"
                if alias
                else "audit log files: every routine's deviations (X-5); alias: audit"
            ),
            description=(
                "Audit log files as one log: fold every case of every registered routine "
                "and judge it as of --as-of (default: the log's last line), listing each "
                "deviation with its requirement, the deadlines not yet passed, and the "
                "data-quality findings. LOG is JSON Lines in the event log's envelope, or "
                "CSV (a .csv file) with the columns case,routine,type,at,recorded_at,"
                "actor_id,actor_role,data; - reads standard input; an event store's URL "
                "(sqlite:///path.db, postgresql://user@host/db) reads the store's events. "
                "Exit code 0 without deviations, 1 with deviations (0 with --exit-zero), "
                "2 for unusable input (a bad line is named by its file and number; "
                "--skip-bad-lines skips and counts it)."
            ),
        )
        parser.add_argument(
            "logs", metavar="LOG", nargs="+", help="log file(s), - for stdin, or a store's URL"
        )
        parser.add_argument(
            "--as-of",
            metavar="TIME",
            type=_as_of_argument,
            default=None,
            help="judge the record as it stood then (a time, or now); default: the last line",
        )
        parser.add_argument(
            "--format",
            choices=_AUDIT_FORMATS,
            default="text",
            help="text (default), json, csv, html",
        )
        parser.add_argument("--output", metavar="FILE", help="write the report to FILE")
        parser.add_argument(
            "--jobs", metavar="N", type=_jobs, default=1, help="processes reading in parallel"
        )
        parser.add_argument(
            "--stream",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="audit each case once its last line is read, holding only the open cases "
            "(default: for JSON Lines files of 64 MiB and more)",
        )
        parser.add_argument(
            "--skip-bad-lines",
            action="store_true",
            help="skip a line that is no event and count it in the report, instead of stopping",
        )
        parser.add_argument(
            "--exit-zero",
            action="store_true",
            help="exit 0 even when deviations are found (unusable input still exits 2)",
        )
        parser.add_argument(
            "--lang", choices=_LANGUAGES, default="sv", help="language of the report: sv or en"
        )
        parser.set_defaults(run=_run_granska)


def _progress_bar(sources: Sequence[str]) -> tuple[Any, Any]:
    """Return a progress callback and the bar, on a terminal's stderr for a large log."""
    stream = sys.stderr
    if stream is None or not stream.isatty():
        return None, None
    try:
        size = sum(os.path.getsize(s) for s in sources if s != "-")
    except OSError:
        return None, None
    if size < _PROGRESS_BYTES:
        return None, None
    try:
        from tqdm import tqdm  # noqa: PLC0415 - optional: the extra [progress]
    except ImportError:
        return None, None
    bar = tqdm(total=size, unit="B", unit_scale=True, file=stream, leave=False, desc="granskar")

    def update(read: int) -> None:
        bar.update(read - bar.n)

    return update, bar


def _run_granska(arguments: argparse.Namespace) -> tuple[str, int]:
    """Audit the logs; exit 1 when any deviation is found, 0 when none (X-5)."""
    from .audit import audit_files  # noqa: PLC0415 - the audit loads the routines

    update, bar = _progress_bar(arguments.logs) if arguments.jobs == 1 else (None, None)
    try:
        report = audit_files(
            arguments.logs,
            as_of=arguments.as_of,
            jobs=arguments.jobs,
            skip_bad_lines=arguments.skip_bad_lines,
            progress=update,
            stream=arguments.stream,
        )
    finally:
        if bar is not None:
            bar.close()
    language = arguments.lang
    rendered = {
        "text": lambda: report.text(language),
        "json": lambda: report.to_json(language),
        "csv": lambda: report.to_csv(language),
        "html": lambda: report.html(language),
    }[arguments.format]()
    found = report.has_deviations and not arguments.exit_zero
    status = _EXIT_DEVIATIONS if found else _EXIT_OK
    if arguments.output is None:
        return rendered, status
    _write_file(arguments.output, rendered)
    return "", status


def _write_file(path: str, text: str) -> None:
    """Write ``text`` to the file at ``path`` as UTF-8; an error names no path (X-7)."""
    problem: str
    try:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    except OSError as error:
        problem = error.strerror or type(error).__name__
    except ValueError:
        problem = "the path holds a NUL character"
    raise InvalidInput(f"cannot write the output file: {problem}")


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10_000_000:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a number of cases (1–10000000)")
    return int(text)


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number") from None


def _add_example_log_commands(commands: Any) -> None:
    """Add ``exempellogg`` and its alias ``example-log``: a log with known deviations."""
    for command in _EXAMPLE_COMMANDS:
        alias = command != "exempellogg"
        parser = commands.add_parser(
            command,
            help=(
                "the same as exempellogg, in English"
                if alias
                else "write a realistic example log with known deviations; alias: example-log"
            ),
            description=(
                "Write a realistic log of N cases over every registered routine that has a "
                "builder, recorded with the routines' own rules, with deviations injected at "
                "known rates; --truth writes each injected deviation (case, requirement, "
                "kind): what granska finds on the log as of its last line. A .csv OUTPUT is "
                "written as CSV, anything else as JSON Lines."
            ),
        )
        parser.add_argument("--cases", metavar="N", type=_count, required=True)
        parser.add_argument("--seed", metavar="S", type=_seed, default=2026)
        parser.add_argument("--output", metavar="FILE", required=True)
        parser.add_argument("--truth", metavar="FILE", help="write the injected deviations here")
        parser.set_defaults(run=_run_example_log)


def _run_example_log(arguments: argparse.Namespace) -> tuple[str, int]:
    from . import example_log  # noqa: PLC0415 - builds cases with the routines

    log, truth = example_log.build(arguments.cases, arguments.seed)
    try:
        if arguments.output.lower().endswith(".csv"):
            from .csvlog import dump_csv_events  # noqa: PLC0415

            dump_csv_events(log, arguments.output)
        else:
            from .eventlog import dump_events  # noqa: PLC0415

            dump_events(log, arguments.output)
        if arguments.truth is not None:
            example_log.write_truth(truth, arguments.truth)
    except OSError as error:
        raise InvalidInput(
            f"cannot write the output file: {error.strerror or type(error).__name__}"
        ) from None
    _report_note(
        f"{len(log)} händelser i {arguments.cases} ärenden, {len(truth)} injicerade avvikelser"
    )
    return "", _EXIT_OK


def _report_note(message: str) -> None:
    """Write one informational line on stderr; quietly nothing if that fails."""
    stream: TextIO | None = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        stream.write(f"{_PROG}: {_one_line(message)}\n")
        stream.flush()
