"""Benchmark of the audit path: read a log, fold every case, judge every case (X-5).

Run from the project root with the package and its ``test`` extra installed::

    python benchmarks/bench_audit.py [--events 1000000] [--seed 2026] [--sizes 10000,100000]

It writes a realistic log of about ``--events`` events over the routines
(``arendefordelning.example_log``: cases recorded with the routines' own
API, deviations injected at known rates) with ``dump_events``, then times, in one
run, each phase of an audit of it:

1. **the floor**: ``json.loads`` of every line of the file (reading the file included);
2. ``load_events``: the events, every line checked (duplicate keys, lone surrogates,
   identity numbers in free text, each field's type);
3. ``fold``: each routine's ``fold`` of its events (group by case, canonical order,
   replay);
4. **deviations**: ``deviations(state, as_of=...)`` of every case, as of a moment after
   the last event.

It prints seconds, events per second, the ratio of each phase to the floor and its
target, and the peak memory of the whole audit (``tracemalloc``, in a second pass).

Then the whole command, as a user runs it: ``arendefordelning granska LOG --format
csv`` in a new process (start-up, reading, folding, judging and writing), with
``--jobs 1`` and ``--jobs 2``, as the default install reads (the standard library's
JSON scanner) and with the extra ``[fast]`` (msgspec) where it is installed, and once
more streamed if the log is read whole by default or whole if it is streamed, each
against the floor, its peak resident memory (the
process and its workers, from ``wait4``), and whether it reported exactly the
deviations the example log injected (its truth). Where pm4py is installed in the
benchmark's environment (it is AGPL: the benchmark may run it, the package never
imports it), it also times pm4py's DataFrame conversion of the same log plus its
token-based replay against a Petri net discovered from it (the discovery not timed).
With ``--sizes`` it also prints the seconds per event of the whole audit at smaller
sizes, to show that time grows linearly with the log. Timings are printed, never
asserted: this is a benchmark, not a timed test.

Targets (Kernel v3): ``load_events`` ≤ 2.5x the floor, ``fold`` ≤ 2x, deviations ≤ 1x;
peak memory ≤ 600 MiB at 1M events. Targets (issue 18) of the whole ``granska``: one
core ≤ 5x the floor, with ``[fast]`` ≤ 3x, ``--jobs 2`` ≤ 1.8x, peak memory ≤ 1 GiB.
"""

from __future__ import annotations

import argparse
import csv
import gc
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from bench_deadlines import verdict

from arendefordelning import routines
from arendefordelning.audit._stream import STREAM_FROM_BYTES
from arendefordelning.eventlog import load_events
from arendefordelning.example_log import write_log
from arendefordelning.kernel import Event

TARGETS: Final = {"load_events": 2.5, "fold": 2.0, "deviations": 1.0}
PEAK_TARGET_MIB: Final = 600
GRANSKA_TARGETS: Final = {1: 5.0, 2: 1.8}
FAST_TARGETS: Final = {1: 3.0, 2: 1.8}
GRANSKA_PEAK_MIB: Final = 1024


def floor(path: str) -> int:
    """Parse every line of the log with ``json.loads``: the least a reader must do."""
    count = 0
    loads = json.loads
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            loads(line)
            count += 1
    return count


def read(path: str) -> list[Event]:
    return list(load_events(path))


def read_paused(path: str) -> list[Event]:
    """Read the log with the garbage collector paused, as a whole audit may run."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return list(load_events(path))
    finally:
        if paused:
            gc.enable()


def fold(events: Sequence[Event]) -> dict[str, Any]:
    """Fold each routine's events (sorted out by routine first): the states by routine code."""
    by_routine: dict[str, list[Event]] = {code: [] for code in routines.codes()}
    for event in events:
        by_routine[type(event).routine].append(event)
    return {
        routine.code: routine.fold(by_routine[routine.code]) for routine in routines.registered()
    }


def judge(folded: dict[str, Any], as_of: datetime) -> int:
    found = 0
    for routine in routines.registered():
        deviations = routine.deviations
        for state in folded[routine.code].values():
            found += len(deviations(state, as_of=as_of))
    return found


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def audit(path: str, as_of: datetime) -> dict[str, tuple[float, Any]]:
    """Time each phase once on the log at ``path``."""
    phases: dict[str, tuple[float, Any]] = {}
    phases["floor"] = timed(lambda: floor(path))
    phases["load_events"] = timed(lambda: read(path))
    events = phases["load_events"][1]
    phases["load (GC paused)"] = timed(lambda: read_paused(path))
    phases["fold"] = timed(lambda: fold(events))
    folded = phases["fold"][1]
    phases["deviations"] = timed(lambda: judge(folded, as_of))
    return phases


def peak_mib(path: str, as_of: datetime) -> float:
    """The peak memory of a whole audit (read, fold, judge), traced."""
    gc.collect()
    tracemalloc.start()
    events = read(path)
    folded = fold(events)
    judge(folded, as_of)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del events, folded
    return peak / 2**20


def granska(
    path: str, jobs: int, output: str, *, options: Sequence[str] = (), parser: str = ""
) -> tuple[float, float, int]:
    """Run the whole command in a new process: seconds, peak resident MiB, exit code.

    ``parser`` ``"stdlib"`` reads as the default install does (without the extra
    ``[fast]``'s msgspec); ``options`` are more command-line options (``--stream``).
    """
    command = [sys.executable, "-m", "arendefordelning", "granska", path]
    command += ["--format", "csv", "--output", output, "--jobs", str(jobs), *options]
    environment = {**os.environ, "ARENDEFORDELNING_JSON": parser}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, process.returncode


def exact(report: str, truth: str) -> bool:
    """Whether the CSV report holds exactly the deviations of the truth file."""

    def rows(path: str) -> Counter[tuple[str, str, str]]:
        with open(path, encoding="utf-8", newline="") as stream:
            return Counter((r["case"], r["requirement"], r["kind"]) for r in csv.DictReader(stream))

    return rows(report) == rows(truth)


def pm4py_replay(path: str) -> tuple[float, float] | None:
    """pm4py's conversion of the log plus token-based replay: (seconds, discovery seconds).

    None where pm4py is not installed. The conversion reads the same file with
    ``json.loads`` per line into a pandas DataFrame and formats it for pm4py; the net
    is discovered (inductive miner) from the log, untimed, and the replay is timed.
    """
    if importlib.util.find_spec("pm4py") is None:
        return None
    import pandas as pd
    import pm4py  # type: ignore[import-not-found]

    def convert() -> Any:
        rows = []
        with open(path, encoding="utf-8") as stream:
            for line in stream:
                item = json.loads(line)
                rows.append((f"{item['routine']}:{item['case']}", item["type"], item["at"]))
        frame = pd.DataFrame(rows, columns=["case", "activity", "at"])
        frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
        return pm4py.format_dataframe(
            frame, case_id="case", activity_key="activity", timestamp_key="at"
        )

    converting, frame = timed(convert)
    started = time.perf_counter()
    net, initial, final = pm4py.discover_petri_net_inductive(frame)
    discovery = time.perf_counter() - started
    replaying, _ = timed(
        lambda: pm4py.conformance_diagnostics_token_based_replay(frame, net, initial, final)
    )
    return converting + replaying, discovery


def whole_command(path: str, truth: str, base: float, directory: str) -> None:
    """Print the whole granska against the floor, with --jobs 1 and 2, and pm4py's."""
    print("\nthe whole command: arendefordelning granska LOG --format csv")
    fast = importlib.util.find_spec("msgspec") is not None
    print(
        "  default install: the standard library's JSON scanner; [fast]: msgspec"
        + ("" if fast else " (not installed: its rows are left out)")
    )
    streamed = os.path.getsize(path) >= STREAM_FROM_BYTES
    print(f"  by default the log is {'streamed' if streamed else 'read whole'} (its size)")
    print(f"  {'run':<28} {'seconds':>8} {'ratio':>7} {'peak MiB':>9}")
    runs: list[tuple[str, int, float, str, tuple[str, ...]]] = []
    for jobs, target in GRANSKA_TARGETS.items():
        runs.append((f"--jobs {jobs}", jobs, target, "stdlib", ()))
        if fast:
            runs.append((f"--jobs {jobs} [fast]", jobs, FAST_TARGETS[jobs], "", ()))
    other = "--no-stream" if streamed else "--stream"
    runs.append((f"--jobs 1 {other}", 1, GRANSKA_TARGETS[1], "stdlib", (other,)))
    for index, (name, jobs, target, parser, options) in enumerate(runs):
        output = os.path.join(directory, f"report-{index}.csv")
        seconds, peak, code = granska(path, jobs, output, options=options, parser=parser)
        ratio = seconds / base
        print(
            f"  {name:<28} {seconds:>8.2f} {ratio:>7.2f} {peak:>9.0f}"
            f"  target ≤ {target:g}: {verdict(ratio <= target)};"
            f" memory ≤ {GRANSKA_PEAK_MIB} MiB: {verdict(peak <= GRANSKA_PEAK_MIB)};"
            f" exit {code}; exactly the truth: {verdict(exact(output, truth))}"
        )
    replay = pm4py_replay(path)
    if replay is None:
        print("  pm4py            not installed in this environment: not compared")
    else:
        seconds, discovery = replay
        print(
            f"  {'pm4py':<16} {seconds:>8.2f} {seconds / base:>7.2f}"
            f"  (DataFrame conversion + token-based replay; discovery {discovery:.1f} s untimed)"
        )


def whole_command_apart(path: str, truth: str, base: float, directory: str) -> None:
    """Run :func:`whole_command` in a new, small process.

    A process forked from this one (which holds the log's events) would report this
    one's resident memory as its own peak: the commands are started from a small one.
    """
    command = [sys.executable, os.path.abspath(__file__), "--command-only"]
    command += [path, truth, repr(base), directory]
    subprocess.run(command, check=True)


def last_moment(path: str) -> datetime:
    latest = None
    for event in load_events(path):
        moment = event.recorded_at or event.at
        if latest is None or moment > latest:
            latest = moment
    assert latest is not None
    return latest + timedelta(days=400)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sizes", default="10000,100000", help="smaller sizes for linearity")
    parser.add_argument("--no-memory", action="store_true", help="skip the traced pass")
    parser.add_argument("--command-only", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command_only:
        path, truth, base, directory = args.command_only
        whole_command(path, truth, float(base), directory)
        return 0
    sizes = [int(size) for size in args.sizes.split(",") if size] if args.sizes else []
    codes = ", ".join(routines.codes())
    print(f"Python {sys.version.split()[0]}; routines {codes}; seed {args.seed}")
    with tempfile.TemporaryDirectory() as directory:
        per_event: list[tuple[int, float]] = []
        for size in [*sizes, args.events]:
            path = os.path.join(directory, f"log-{size}.jsonl")
            started = time.perf_counter()
            truth = os.path.join(directory, f"truth-{size}.csv")
            written = write_log(path, events=size, seed=args.seed, truth=truth)
            made = time.perf_counter() - started
            as_of = last_moment(path)
            phases = audit(path, as_of)
            total = sum(
                seconds
                for name, (seconds, _) in phases.items()
                if name not in ("floor", "load (GC paused)")
            )
            per_event.append((written, total / written))
            if size != args.events:
                continue
            base = phases["floor"][0]
            cases = sum(len(states) for states in phases["fold"][1].values())
            print(f"\nlog of {written} events, {cases} cases ({made:.1f} s to make)")
            print(f"  {'phase':<12} {'seconds':>8} {'events/s':>12} {'ratio':>7}")
            print(f"  {'json.loads':<12} {base:>8.2f} {written / base:>12,.0f} {1:>7.2f}")
            met = 0
            for name, target in TARGETS.items():
                seconds, result = phases[name]
                ratio = seconds / base
                met += ratio <= target
                note = f"  {result} deviations" if name == "deviations" else ""
                print(
                    f"  {name:<12} {seconds:>8.2f} {written / seconds:>12,.0f} {ratio:>7.2f}"
                    f"  target ≤ {target:g}: {verdict(ratio <= target)}{note}"
                )
                if name == "load_events":
                    paused = phases["load (GC paused)"][0]
                    print(
                        f"    (with the garbage collector paused, as an audit may read: "
                        f"{paused:.2f} s, {paused / base:.2f}x)"
                    )
            print(f"  whole audit  {total:>8.2f} s, {total / base:.2f}x the floor")
            if not args.no_memory:
                peak = peak_mib(path, as_of)
                met += peak <= PEAK_TARGET_MIB
                print(
                    f"  peak memory  {peak:>8.0f} MiB  target ≤ {PEAK_TARGET_MIB} MiB: "
                    f"{verdict(peak <= PEAK_TARGET_MIB)}"
                )
            print(f"  targets met: {met} of {len(TARGETS) + (not args.no_memory)}")
            del phases  # the events and states: the commands are timed apart from them
            whole_command_apart(path, truth, base, directory)
        print("\nlinearity: µs per event of the whole audit (read, fold, judge)")
        for written, seconds in per_event:
            print(f"  {written:>9} events: {seconds * 1e6:7.2f} µs/event")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
