"""Benchmark of ``arendefordelning.batch.execution_deadlines`` (VAL-6 in bulk).

Run from the project root with the package and its ``test`` extra installed::

    python benchmarks/bench_batch.py [--n 1000000] [--per-call 100000] [--seed 2026] [--repeat 7]

In one run it

1. draws N random UTC instants, uniform over the microseconds of 2020-01-01..2035-12-31
   (so both sides of 14:00 and of every daylight-saving change occur), as a numpy
   ``datetime64[us]`` array, the same instants as a timezone-aware pandas Series in
   Europe/Stockholm, and agreed starts for a quarter of them;
2. checks, untimed, that the batch answer equals ``execution_deadline(t).due`` (and,
   with agreed starts, ``execution_deadline(t, agreed_start=a).due``) on a sample, and
   that the pandas and list answers equal the numpy one; it exits with status 1 if
   any disagrees, before timing anything;
3. times the first call in this process (which builds the tables), then, best of
   ``--repeat`` passes with the garbage collector off, ``execution_deadlines`` on the
   numpy array, on the numpy array with agreed starts and on the pandas Series, and
   the per-call path ``execution_deadline(t).due`` over ``--per-call`` Stockholm
   datetimes, in the same process;
4. prints deadlines per second, nanoseconds per deadline and the ratios, with the
   targets marked met or not.

The process is pinned to one CPU where the platform allows it (numpy runs these
operations on one thread anyway), so the figures are per core. Timings are printed,
never asserted: this is a benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from time import perf_counter
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

from arendefordelning import execution_deadline
from arendefordelning.batch import execution_deadlines

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
FIRST: Final = np.datetime64("2020-01-01T00:00:00", "us")
END: Final = np.datetime64("2036-01-01T00:00:00", "us")
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US: Final = timedelta(microseconds=1)
SAMPLE: Final = 20_000
"""Instants checked against the per-call rule before timing."""

TARGET_PER_SECOND: Final = 25e6
AMBITION_PER_SECOND: Final = 50e6
TARGET_SPEEDUP: Final = 15.0
TARGET_PANDAS_RATIO: Final = 2.0


def pin_to_one_cpu() -> str:
    """Pin this process to one CPU if the platform allows it; say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def random_instants(rng: np.random.Generator, n: int) -> npt.NDArray[np.datetime64]:
    """N UTC instants, uniform over the microseconds of the span."""
    low, high = int(FIRST.view(np.int64)), int(END.view(np.int64))
    return rng.integers(low, high, n).view("datetime64[us]")


def agreed_for(
    rng: np.random.Generator, times: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.datetime64]:
    """Agreed starts for a quarter of the times, 0–5 days after them; NaT for the rest."""
    later = times + rng.integers(0, 5 * 86_400 * 10**6, times.size).astype("timedelta64[us]")
    return np.where(rng.random(times.size) < 0.25, later, np.datetime64("NaT", "us"))


def as_datetimes(values: npt.NDArray[np.datetime64], zone: ZoneInfo) -> list[datetime | None]:
    """Aware datetimes in ``zone`` (None for NaT)."""
    return [
        None if moment is None else moment.replace(tzinfo=UTC).astimezone(zone)
        for moment in values.tolist()
    ]


def as_micros(values: Sequence[datetime | None]) -> npt.NDArray[np.int64]:
    nat = int(np.iinfo(np.int64).min)
    return np.array(
        [nat if moment is None else (moment - EPOCH) // ONE_US for moment in values],
        dtype=np.int64,
    )


def check(
    times: npt.NDArray[np.datetime64],
    agreed: npt.NDArray[np.datetime64],
    series: pd.Series[pd.Timestamp],
) -> list[str]:
    """Compare the batch answers with the per-call rule and with each other."""
    problems: list[str] = []
    due = execution_deadlines(times)
    with_agreed = execution_deadlines(times, agreed_starts=agreed)
    sample = slice(0, min(SAMPLE, times.size))
    moments = as_datetimes(times[sample], STOCKHOLM)
    starts = as_datetimes(agreed[sample], STOCKHOLM)
    plain = as_micros([None if t is None else execution_deadline(t).due for t in moments])
    agreed_due = as_micros(
        [
            None if t is None else execution_deadline(t, agreed_start=a).due
            for t, a in zip(moments, starts, strict=True)
        ]
    )
    wrong = np.flatnonzero(due[sample].view(np.int64) != plain)
    if wrong.size:
        problems.append(f"{wrong.size} of {plain.size} differ from execution_deadline(t).due")
    wrong = np.flatnonzero(with_agreed[sample].view(np.int64) != agreed_due)
    if wrong.size:
        problems.append(f"{wrong.size} of {plain.size} with agreed starts differ from per call")
    listed = as_micros(execution_deadlines(moments))
    if not (listed == plain).all():
        problems.append("the list answer differs from the per-call rule")
    from_pandas = execution_deadlines(series)
    if not (pd.DatetimeIndex(from_pandas).asi8 == due.view(np.int64)).all():
        problems.append("the pandas answer differs from the numpy answer")
    return problems


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, the garbage collector off while timing."""
    best = math.inf
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = perf_counter()
            run()
            best = min(best, perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def per_call_seconds(moments: Sequence[datetime], repeat: int) -> float:
    """Best seconds per ``execution_deadline(t).due``, over the same loop each pass."""
    rule = execution_deadline

    def run() -> None:
        for moment in moments:
            rule(moment).due  # noqa: B018 - the attribute read is what a caller pays for

    run()  # warm-up: the per-day memo of the policy
    return best_seconds(run, repeat) / len(moments)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1_000_000, help="instants in the array")
    parser.add_argument(
        "--per-call", type=int, default=100_000, help="datetimes timed on the per-call path"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of numpy's generator")
    parser.add_argument("--repeat", type=int, default=7, help="timed passes; the best counts")
    args = parser.parse_args(argv)
    if args.n < 1 or args.per_call < 1 or args.repeat < 1:
        parser.error("--n, --per-call and --repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n, repeat = args.n, args.repeat
    started = perf_counter()
    pinned = pin_to_one_cpu()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"arendefordelning {version('arendefordelning')}, numpy {np.__version__}, "
        f"pandas {pd.__version__}; {pinned}"
    )
    print(f"N = {n:,}, per-call N = {args.per_call:,}, seed = {args.seed}, best of {repeat}")

    rng = np.random.default_rng(args.seed)
    times = random_instants(rng, n)
    agreed = agreed_for(rng, times)
    series = pd.Series(pd.DatetimeIndex(times).tz_localize("UTC").tz_convert(STOCKHOLM))
    moments = [m for m in as_datetimes(times[: args.per_call], STOCKHOLM) if m is not None]

    start = perf_counter()
    execution_deadlines(times[:1])
    first_call = perf_counter() - start

    problems = check(times, agreed, series)
    print(f"check on {min(SAMPLE, n):,} instants against execution_deadline (untimed)")
    if problems:
        for problem in problems:
            print(f"  FAIL: {problem}")
        print("\nthe batch answer disagrees; timings skipped")
        return 1
    print("  batch (numpy, pandas, list, agreed starts) = per call on every instant: ok")

    numpy_s = best_seconds(lambda: execution_deadlines(times), repeat)
    agreed_s = best_seconds(lambda: execution_deadlines(times, agreed_starts=agreed), repeat)
    pandas_s = best_seconds(lambda: execution_deadlines(series), repeat)
    per_call = per_call_seconds(moments, max(1, repeat // 2))

    print()
    print(f"first call in this process (builds the tables)   {first_call * 1e3:9.1f} ms")
    print()
    print(f"  {'input':<44} {'ms/call':>9} {'M deadlines/s':>14} {'ns/deadline':>12}")
    for name, seconds, count in (
        ("numpy datetime64[us], N instants", numpy_s, n),
        ("numpy, with agreed starts (a quarter set)", agreed_s, n),
        ("pandas Series, tz Europe/Stockholm", pandas_s, n),
        ("per call: execution_deadline(t).due", per_call * len(moments), len(moments)),
    ):
        print(
            f"  {name:<44} {seconds * 1e3:9.2f} {count / seconds / 1e6:14.2f} "
            f"{seconds / count * 1e9:12.2f}"
        )

    rate = n / numpy_s
    speedup = per_call / (numpy_s / n)
    pandas_ratio = pandas_s / numpy_s
    print()
    print("targets")
    print(
        f"  numpy deadlines per second        {rate / 1e6:8.1f} M/s  target >= "
        f"{TARGET_PER_SECOND / 1e6:g} M/s (ambition {AMBITION_PER_SECOND / 1e6:g})  "
        f"{verdict(rate >= TARGET_PER_SECOND)}"
        f"{', ambition met' if rate >= AMBITION_PER_SECOND else ''}"
    )
    print(
        f"  speed-up over the per-call path   {speedup:8.1f}x    target >= "
        f"{TARGET_SPEEDUP:g}x                  {verdict(speedup >= TARGET_SPEEDUP)}"
    )
    print(
        f"  pandas Series / numpy array       {pandas_ratio:8.2f}x    target <= "
        f"{TARGET_PANDAS_RATIO:g}x                   {verdict(pandas_ratio <= TARGET_PANDAS_RATIO)}"
    )
    print(f"\nran in {perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
