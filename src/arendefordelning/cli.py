"""Command line (kommandorad): ``arendefordelning frist TIME`` prints a deadline and why.

The edge of the package: it parses what a person types, calls the pure rules and
prints. A TIME without a UTC offset is read as Stockholm local time (the API itself
accepts only timezone-aware datetimes). Bad input gives one line on stderr and exit
code 2, never a traceback; digit runs that look like a personal identity number are
masked in every message (X-7).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NoReturn

from ._pii import mask
from ._time import STOCKHOLM, as_stockholm
from ._validators import shown
from .deadlines import Deadline, ProviderKind, execution_deadline
from .errors import ArendefordelningError, InvalidInput

__all__ = ["main", "parse_time"]

_PROG = "arendefordelning"
_EXIT_USAGE = 2

# The extended ISO 8601 shape a person writes: date, T or space, hours and minutes.
_ACCEPTED = (
    "write it as YYYY-MM-DDTHH:MM (Stockholm time), optionally with seconds and a UTC "
    "offset, such as 2026-03-06T15:10 or 2026-03-06T15:10+01:00"
)
_TIME_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


class _UsageError(Exception):
    """A command line the program cannot use; the message is shown as is."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and never a traceback."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


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
    cleaned = text.strip()
    if not _TIME_SHAPE.match(cleaned):
        raise InvalidInput(f"{shown(cleaned)} is not a date and time; {_ACCEPTED}")
    try:
        moment = datetime.fromisoformat(cleaned)
    except (ValueError, OverflowError):
        raise InvalidInput(f"{shown(cleaned)} is not a date and time; {_ACCEPTED}") from None
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


def _build_parser() -> _Parser:
    from . import __version__  # noqa: PLC0415 - the package imports this module lazily

    parser = _Parser(
        prog=_PROG,
        description="Swedish case-allocation routines as executable rules.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    frist = commands.add_parser(
        "frist",
        aliases=["deadline"],
        help="execution deadline of a home-care assignment (VAL-6)",
        description=(
            "Print when a home-care assignment distributed (or, with --private, "
            "contacted) at TIME must have been executed, and why (VAL-6). A TIME "
            "without a UTC offset is Stockholm local time."
        ),
    )
    frist.add_argument(
        "time",
        metavar="TIME",
        type=_time_argument,
        help="distribution or contact time, e.g. 2026-03-06T15:10",
    )
    frist.add_argument(
        "--private",
        action="store_true",
        help="private provider: TIME is the needs assessor's contact with the provider",
    )
    frist.add_argument(
        "--agreed-start",
        metavar="TIME",
        type=_time_argument,
        help="a later start agreed with the customer; the deadline is then the later one",
    )
    frist.add_argument(
        "--lang",
        choices=("sv", "en"),
        default="sv",
        help="language of the explanation (default: sv)",
    )
    frist.add_argument("--json", action="store_true", help="print a JSON object")
    return parser


def _as_json(deadline: Deadline, explanation: str) -> str:
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
        ensure_ascii=False,
        indent=2,
    )


def _run(arguments: argparse.Namespace) -> str:
    provider = ProviderKind.PRIVATE if arguments.private else ProviderKind.MUNICIPAL
    deadline = execution_deadline(
        arguments.time, agreed_start=arguments.agreed_start, provider=provider
    )
    explanation = deadline.explain(arguments.lang)
    if arguments.json:
        return _as_json(deadline, explanation)
    return f"{deadline.due.strftime('%Y-%m-%d %H:%M')}\n{explanation}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _build_parser()
    try:
        arguments = parser.parse_args(argv)
        if arguments.command is None:
            raise _UsageError("choose a command: frist (or its alias deadline); see --help")
        output = _run(arguments)
    except (_UsageError, ArendefordelningError) as error:
        print(f"{_PROG}: error: {mask(str(error))}", file=sys.stderr)
        return _EXIT_USAGE
    print(output)
    return 0
