"""Benchmark of the kernel on routine VAL: deciding, folding, the event log, the rotation.

Run from the project root with the package and its ``test`` extra installed::

    python benchmarks/bench_val.py [--cases 2000] [--seed 2026] [--repeat 5]

In one run it

1. builds ``--cases`` VAL cases at random times, a third each following the municipal
   first choice, the private first choice and a re-choice to its end, by deciding each
   command with :func:`provider_choice.decide` and folding with ``evolve``;
2. checks, untimed, that every history replays to the state built step by step and
   survives a round trip through the JSON Lines log (exit status 1 otherwise);
3. times each library call against a reference that does the least any
   implementation must do for the same result, over the same items, with the same
   loop, best of ``--repeat`` interleaved passes, the garbage collector off:

   - ``decide(command, state)`` against building the one event it returns
     (``attrs.evolve(event)``: the event's own validation and nothing else);
   - ``evolve(state, event)`` against one ``attrs.evolve`` of the state (the cost of
     any immutable fold);
   - ``loads_event(line)`` against ``json.loads(line)`` and ``dumps_event(event)``
     against ``json.dumps`` of the same envelope (parsing and printing alone);
   - ``RotationList.take(day)`` on a list of 10 providers against one ``attrs.evolve``
     of the list (a new list value);

4. prints µs per call, calls per second, the ratio to the reference and the targets.

Timings are printed, never asserted: this is a benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, Final

import attrs
from bench_deadlines import best_per_call, verdict
from bench_routines import build as build_cases
from bench_routines import val_commands

from arendefordelning import Provider, RotationList
from arendefordelning.eventlog import dump_events, dumps_event, load_events, loads_event
from arendefordelning.routines import provider_choice as val

TARGET_DECIDE_RATIO: Final = 5.0
TARGET_EVOLVE_RATIO: Final = 5.0
TARGET_LOADS_RATIO: Final = 15.0
TARGET_TAKE_RATIO: Final = 10.0

Step = tuple[
    val.ProviderChoiceEvent | val.ProviderChoiceCommand,
    val.ProviderChoiceState,
    val.ProviderChoiceEvent,
]


# --------------------------------------------------------------------------- inputs
# The flows are bench_routines.py's: municipal, private and re-choice, a third each.


def check(steps: Sequence[Step], histories: Sequence[list[val.ProviderChoiceEvent]]) -> bool:
    """Replay and the log round trip give back what deciding built."""
    ok = True
    for history in histories:
        buffer = io.StringIO()
        dump_events(history, buffer)
        buffer.seek(0)
        ok &= list(load_events(buffer)) == history
    for command, state, event in steps:
        ok &= val.decide(command, state) == [event]
    return ok


# --------------------------------------------------------------------------- report


def report(title: str, library: float, reference: float, target: float) -> bool:
    ratio = library / reference
    met = ratio <= target
    print(
        f"  {title:<44} {library * 1e6:>8.2f} µs {1 / library:>11,.0f}/s  "
        f"reference {reference * 1e6:>7.2f} µs  ratio {ratio:>5.2f}  "
        f"(target ≤ {target:g}: {verdict(met)})"
    )
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    built, built_histories = build_cases(val.VAL, val_commands, args.cases, rng)
    steps: list[Step] = [(c, s, e) for c, s, e in built]  # type: ignore[misc]
    histories: list[list[val.ProviderChoiceEvent]] = built_histories  # type: ignore[assignment]
    if not check(steps, histories):
        print("replay or the event log disagrees with deciding", file=sys.stderr)
        return 1
    events = [event for history in histories for event in history]
    lines = [dumps_event(event) for event in events]
    envelopes = [json.loads(line) for line in lines]
    listing = RotationList.alphabetical(
        "Norr", [Provider(f"Utförare {n:02d}") for n in range(10)], joined=date(2026, 1, 1)
    ).set_cap(Provider("Utförare 00"), 0)
    days = [date(2026, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(len(steps))]

    def pairs(
        library: Callable[[Any], object], reference: Callable[[Any], object], items: Sequence[Any]
    ) -> tuple[float, float]:
        best = best_per_call([("library", library), ("reference", reference)], items, args.repeat)
        return best["library"], best["reference"]

    decide = pairs(lambda s: val.decide(s[0], s[1]), lambda s: attrs.evolve(s[2]), steps)
    evolve = pairs(
        lambda s: val.evolve(s[1], s[2]), lambda s: attrs.evolve(s[1], count=s[1].count + 1), steps
    )
    loads = pairs(loads_event, json.loads, lines)
    dumps = pairs(
        lambda p: dumps_event(p[0]),
        lambda p: json.dumps(p[1], ensure_ascii=False),
        list(zip(events, envelopes, strict=True)),
    )
    take = pairs(listing.take, lambda d: attrs.evolve(listing, turn=1), days)

    print(f"Python {sys.version.split()[0]}; {args.cases} cases, {len(events)} events")
    results = [
        report("decide(command, state)", *decide, TARGET_DECIDE_RATIO),
        report("evolve(state, event)", *evolve, TARGET_EVOLVE_RATIO),
        report("loads_event(line)", *loads, TARGET_LOADS_RATIO),
        report("dumps_event(event)", *dumps, TARGET_LOADS_RATIO),
        report("RotationList.take(day), 10 providers", *take, TARGET_TAKE_RATIO),
    ]
    print(f"targets met: {sum(results)} of {len(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
