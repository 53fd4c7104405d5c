"""Benchmark of the VAL-6 execution deadline and of the Swedish working-day calendar.

Run from the project root with the package installed::

    python benchmarks/bench_deadlines.py [--n 100000] [--seed 2026] [--repeat 9]

In one run it

1. draws N random aware Europe/Stockholm datetimes, uniform over the instants of
   2020-01-01..2035-12-31 (whole seconds, so before and after 14:00 both occur, and
   both sides of every daylight-saving change), and N random dates over the same span;
2. checks, untimed (this pass is also the warm-up that builds the library's lazy
   tables), that ``arendefordelning.execution_deadline(t).due`` equals the due time of
   two references written out below, (a) on workalendar and (b) on ``holidays``, and
   compares a precomputed-table floor (c); likewise ``WorkCalendar.is_workday``;
3. times every contender with ``time.perf_counter`` over ``for x in items: f(x)``
   with ``f`` a local name (the same loop for all), best of ``--repeat`` passes,
   the passes of the contenders interleaved, the garbage collector off while timing;
4. measures the import time of the package in fresh interpreters and whether the
   import pulls in ``holidays`` (it should not: the holiday table is built lazily);
5. prints a table and the targets, each marked met or not.

The exit status is 1 if the library disagrees with reference (b) on any input, else
0. Timings are printed, never asserted: this is a benchmark, not a timed test.

The rule (VAL-6): convert t to Europe/Stockholm; if the local time is strictly after
14:00:00, the 24 hours count from 07:00 Stockholm time on the next working day after
t's date, else from t; due = start + 24 elapsed hours, computed through UTC and
converted back to Stockholm time. A working day is Monday–Friday and neither a
Swedish public holiday nor midsommarafton, julafton or nyårsafton.
"""

from __future__ import annotations

import argparse
import gc
import math
import operator
import platform
import random
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from importlib.metadata import version
from time import perf_counter
from typing import Final, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import holidays
from workalendar.europe import Sweden

from arendefordelning import WorkCalendar, execution_deadline

_T = TypeVar("_T")

STOCKHOLM: Final = ZoneInfo("Europe/Stockholm")
CUTOFF: Final = time(14, 0)
"""A local time strictly after this counts from the next working day."""
NEXT_DAY_START: Final = time(7, 0)
"""Where a late time starts counting on the next working day."""
WINDOW: Final = timedelta(hours=24)
"""Elapsed time to execute."""
ONE_DAY: Final = timedelta(days=1)

FIRST_DAY: Final = date(2020, 1, 1)
LAST_DAY: Final = date(2035, 12, 31)
HOLIDAY_YEARS: Final = range(2020, 2037)
"""Years of the ``holidays`` lookup: the span plus the year after (next working day)."""

TARGET_SPEEDUP_OVER_WORKALENDAR: Final = 2.5
"""The library at least this many times faster than warm workalendar (VAL-6)."""
TARGET_FLOOR_RATIO: Final = 3.5
"""The library at most this many times the bare table floor (VAL-6)."""
TARGET_UTC_RATIO: Final = 1.7
"""A UTC-zoned input at most this many times the cost of a Stockholm-zoned one."""
TARGET_IS_WORKDAY_RATIO: Final = 1.2
"""is_workday at most this many times a plain dict look-up."""
TARGET_IMPORT_RATIO: Final = 2.5
"""import arendefordelning at most this many times import attrs (median of 7)."""

DeadlineRule = Callable[[datetime], datetime]
WorkdayRule = Callable[[date], bool]


# --------------------------------------------------------------------------- inputs


def random_times(rng: random.Random, n: int) -> list[datetime]:
    """N aware Stockholm datetimes, uniform over the instants of the span, whole seconds."""
    start = datetime.combine(FIRST_DAY, time(0), STOCKHOLM).astimezone(UTC)
    end = datetime.combine(LAST_DAY + ONE_DAY, time(0), STOCKHOLM).astimezone(UTC)
    seconds = int((end - start).total_seconds())
    return [
        (start + timedelta(seconds=rng.randrange(seconds))).astimezone(STOCKHOLM) for _ in range(n)
    ]


def random_dates(rng: random.Random, n: int) -> list[date]:
    """N dates, uniform over the days of the span."""
    first, last = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    return [date.fromordinal(rng.randint(first, last)) for _ in range(n)]


# --------------------------------------------------------------------------- references
#
# Every reference binds what it uses to local (closure) names, as the timed loop binds
# the contender itself, so that no contender pays for global or attribute look-ups the
# others avoid.


def stepping_rule(is_working_day: WorkdayRule) -> DeadlineRule:
    """The VAL-6 rule as written, finding the next working day one day at a time."""
    stockholm, utc = STOCKHOLM, UTC
    cutoff, next_day_start, window, one_day = CUTOFF, NEXT_DAY_START, WINDOW, ONE_DAY
    combine = datetime.combine

    def due(t: datetime) -> datetime:
        local = t.astimezone(stockholm)
        if local.time() > cutoff:
            day = local.date() + one_day
            while not is_working_day(day):
                day += one_day
            local = combine(day, next_day_start, stockholm)
        return (local.astimezone(utc) + window).astimezone(stockholm)

    return due


def workalendar_workday() -> WorkdayRule:
    """Reference (a): workalendar's Sweden, which agrees with the Swedish rule from 2005."""
    is_working_day: WorkdayRule = Sweden().is_working_day
    return is_working_day


def workalendar_fresh_rule() -> DeadlineRule:
    """Reference (a1): a fresh ``Sweden()`` per call, as code that builds one each time."""
    stockholm, utc = STOCKHOLM, UTC
    cutoff, next_day_start, window, one_day = CUTOFF, NEXT_DAY_START, WINDOW, ONE_DAY
    combine = datetime.combine

    def due(t: datetime) -> datetime:
        is_working_day = Sweden().is_working_day
        local = t.astimezone(stockholm)
        if local.time() > cutoff:
            day = local.date() + one_day
            while not is_working_day(day):
                day += one_day
            local = combine(day, next_day_start, stockholm)
        return (local.astimezone(utc) + window).astimezone(stockholm)

    return due


def next_day_table_rule(next_workday: Callable[[date], date]) -> DeadlineRule:
    """Reference (d): a dict date → next working day built beforehand; DST-correct.

    What a careful hand implementation does: convert to Stockholm time, look the next
    working day up instead of stepping, and add the 24 hours through UTC.
    """
    table = {
        date.fromordinal(o): next_workday(date.fromordinal(o))
        for o in range(FIRST_DAY.toordinal(), LAST_DAY.toordinal() + 1)
    }
    stockholm, utc = STOCKHOLM, UTC
    cutoff, next_day_start, window = CUTOFF, NEXT_DAY_START, WINDOW
    combine = datetime.combine

    def due(t: datetime) -> datetime:
        local = t.astimezone(stockholm)
        if local.time() > cutoff:
            local = combine(table[local.date()], next_day_start, stockholm)
        return (local.astimezone(utc) + window).astimezone(stockholm)

    return due


def build_deadline_only() -> Callable[[datetime], object]:
    """What building the frozen ``Deadline`` costs alone, given its values.

    The library's own lean construction (the object and the two slots every deadline
    stores), without the rule: the share of a call that is the result object.
    """
    from arendefordelning import deadlines

    new, set_due, set_at = deadlines._new, deadlines._set_due, deadlines._set_occurred_at
    cls = deadlines.Deadline

    def build(t: datetime) -> object:
        result = new(cls)
        set_at(result, t)
        set_due(result, t)
        return result

    return build


def workalendar_api_rule() -> DeadlineRule:
    """Reference (a2): the rule written on workalendar's own API, ``add_working_days``."""
    calendar = Sweden()
    add_working_days = calendar.add_working_days
    stockholm, utc = STOCKHOLM, UTC
    cutoff, next_day_start, window = CUTOFF, NEXT_DAY_START, WINDOW
    combine = datetime.combine

    def due(t: datetime) -> datetime:
        local = t.astimezone(stockholm)
        if local.time() > cutoff:
            day: date = add_working_days(local.date(), 1)
            local = combine(day, next_day_start, stockholm)
        return (local.astimezone(utc) + window).astimezone(stockholm)

    return due


def holidays_lookup() -> holidays.HolidayBase:
    """The ``holidays`` calendar of Sweden, public holidays and the three eves, built now."""
    return holidays.country_holidays(
        "SE", years=HOLIDAY_YEARS, categories=(holidays.PUBLIC, holidays.DE_FACTO)
    )


def holidays_workday(closed: holidays.HolidayBase) -> WorkdayRule:
    """Reference (b): Monday–Friday and not in the ``holidays`` lookup."""

    def is_workday(day: date) -> bool:
        return day.weekday() < 5 and day not in closed

    return is_workday


def next_workday_by(is_workday: WorkdayRule) -> Callable[[date], date]:
    """The first working day strictly after a day, by stepping."""

    def next_workday(day: date) -> date:
        day += ONE_DAY
        while not is_workday(day):
            day += ONE_DAY
        return day

    return next_workday


def floor_deadline(next_workday: Callable[[date], date]) -> DeadlineRule:
    """Floor (c): per call one dict look-up by date and one comparison, nothing else.

    The table, built before timing, holds for every day of the span its 14:00 cut-off
    and the due time of a late distribution (07:00 on the next working day by
    reference (b) + 24 h, computed through UTC). An early time gets ``t + 24 h`` on the
    wall clock, which is wrong across a daylight-saving change, and the floor neither
    converts its input to Stockholm time nor checks it. So it is NOT a correct rule: it
    is a lower bound on what any implementation of VAL-6 returning a datetime must spend
    per call.
    """
    table: dict[date, tuple[datetime, datetime]] = {}
    for ordinal in range(FIRST_DAY.toordinal(), LAST_DAY.toordinal() + 1):
        day = date.fromordinal(ordinal)
        late_start = datetime.combine(next_workday(day), NEXT_DAY_START, STOCKHOLM)
        late_due = (late_start.astimezone(UTC) + WINDOW).astimezone(STOCKHOLM)
        table[day] = (datetime.combine(day, CUTOFF, STOCKHOLM), late_due)
    window = WINDOW

    def due(t: datetime) -> datetime:
        cut, late_due = table[t.date()]
        if t > cut:
            return late_due
        return t + window

    return due


def floor_workday(is_workday: WorkdayRule) -> WorkdayRule:
    """Floor for is_workday: a dict date → bool precomputed for the span, one look-up."""
    table: dict[date, bool] = {}
    for ordinal in range(FIRST_DAY.toordinal(), LAST_DAY.toordinal() + 1):
        day = date.fromordinal(ordinal)
        table[day] = is_workday(day)

    def workday(day: date) -> bool:
        return table[day]

    return workday


def library_deadline() -> DeadlineRule:
    """The library, returning only ``.due`` (used for the check, not timed)."""
    rule = execution_deadline

    def due(t: datetime) -> datetime:
        return rule(t).due

    return due


def empty_call(value: object) -> object:
    """A Python function that does nothing: the loop + call overhead every contender pays."""
    return value


# --------------------------------------------------------------------------- checking


def same_moment(a: datetime, b: datetime) -> bool:
    """Same instant, same Stockholm wall-clock reading, same UTC offset.

    ``==`` between two datetimes of the same tzinfo compares the wall clock only and
    ignores ``fold``, so it would call the two 02:30 of the autumn change equal.
    """
    return (
        a.astimezone(UTC) == b.astimezone(UTC)
        and a.replace(tzinfo=None) == b.replace(tzinfo=None)
        and a.utcoffset() == b.utcoffset()
    )


def near_dst_change(t: datetime) -> bool:
    """Whether Stockholm's UTC offset changes between t's local midnight and 2 days later."""
    day = t.astimezone(STOCKHOLM).date()
    offset = datetime.combine(day, time(0), STOCKHOLM).utcoffset()
    return any(
        datetime.combine(day + timedelta(days=k), time(0), STOCKHOLM).utcoffset() != offset
        for k in (1, 2)
    )


def differing(
    library: Sequence[_T], other: Sequence[_T], same: Callable[[_T, _T], bool]
) -> list[int]:
    """Indices where ``other`` gives another answer than the library."""
    return [i for i, (a, b) in enumerate(zip(library, other, strict=True)) if not same(a, b)]


def show(
    name: str,
    wrong: Sequence[int],
    inputs: Sequence[object],
    library: Sequence[object],
    other: Sequence[object],
    *,
    note: str = "",
) -> None:
    print(f"  library vs {name:<16} {len(wrong):>7} disagreement(s){note}")
    for i in wrong[:5]:
        print(f"      input {inputs[i]}: {name} {other[i]}, library {library[i]}")


# --------------------------------------------------------------------------- timing


def best_per_call(
    contenders: Sequence[tuple[str, Callable[[_T], object]]],
    items: Sequence[_T],
    repeat: int,
    *,
    inputs: Mapping[str, Sequence[_T]] | None = None,
) -> dict[str, float]:
    """Best seconds per call of each contender over ``repeat`` interleaved passes.

    Every pass times each contender once, in turn, so a slow spell of the machine
    falls on all of them alike. ``inputs`` gives a contender other items than
    ``items`` (the same instants in another zone, say): it is timed in the same passes.
    """
    own = inputs or {}
    best = dict.fromkeys((name for name, _ in contenders), math.inf)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            for name, f in contenders:
                chosen = own.get(name, items)
                start = perf_counter()
                for item in chosen:
                    f(item)
                elapsed = perf_counter() - start
                best[name] = min(best[name], elapsed / len(chosen))
    finally:
        if enabled:
            gc.enable()
    return best


def run_python(code: str, *options: str) -> tuple[float, str, str]:
    """Run ``python [options] -c code`` in a fresh interpreter: wall seconds, out, err."""
    start = perf_counter()
    done = subprocess.run(
        [sys.executable, *options, "-c", code], capture_output=True, text=True, check=True
    )
    return perf_counter() - start, done.stdout, done.stderr


class ImportFigures(NamedTuple):
    package_ms: float
    attrs_ms: float
    loaded: dict[str, bool]


def import_figures(runs: int = 7) -> ImportFigures:
    """Median import cost of the package and of attrs alone, each minus bare start-up.

    Each figure is the median over ``runs`` fresh interpreters of the wall time of
    ``python -c "import X"`` minus the median of ``python -c pass``; the three are run
    in turn, ``runs`` rounds. Also whether the
    import loads holidays, numpy or pandas (it must load none of them).
    """
    codes = ("pass", "import arendefordelning", "import attrs")
    timings: dict[str, list[float]] = {code: [] for code in codes}
    for _ in range(runs):  # interleaved, so a slow spell of the machine falls on all three
        for code, seconds in timings.items():
            seconds.append(run_python(code)[0])
    bare, package, alone = (statistics.median(seconds) for seconds in timings.values())
    code = (
        "import sys, arendefordelning; "
        "print(*(name in sys.modules for name in ('holidays', 'numpy', 'pandas')))"
    )
    flags = run_python(code)[1].split()
    loaded = dict(zip(("holidays", "numpy", "pandas"), (f == "True" for f in flags), strict=True))
    return ImportFigures((package - bare) * 1000, (alone - bare) * 1000, loaded)


# --------------------------------------------------------------------------- report


def row(name: str, seconds: float, reference: float) -> str:
    us = seconds * 1e6
    return f"  {name:<46} {us:>9.3f} {1 / seconds:>13,.0f} {seconds / reference:>11.2f}"


def header(title: str) -> None:
    print()
    print(title)
    print(f"  {'contender':<46} {'µs/call':>9} {'calls/s':>13} {'x library':>11}")


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="inputs of each kind")
    parser.add_argument("--seed", type=int, default=2026, help="seed of random.Random")
    parser.add_argument("--repeat", type=int, default=9, help="timed passes; the best counts")
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be at least 1")
    return args


def check_deadlines(times: Sequence[datetime], rules: dict[str, DeadlineRule]) -> bool:
    """Compare every reference with the library on all inputs; False if (b) disagrees."""
    library = [rules["library"](t) for t in times]  # first calls: builds the lazy tables
    print("VAL-6 check of .due on all inputs (untimed, also the warm-up)")
    ok = True
    for name in ("(a) workalendar", "(a2) workalendar API", "(b) holidays", "(c) floor"):
        other = [rules[name](t) for t in times]
        wrong = differing(library, other, same_moment)
        note = ""
        if name == "(c) floor":
            off_dst = sum(not near_dst_change(times[i]) for i in wrong)
            note = (
                f"  ({off_dst} NOT near a DST change)"
                if off_dst
                else "  (all near a DST change: expected of the floor)"
            )
        elif name == "(b) holidays" and wrong:
            ok = False
        show(name, wrong, times, library, other, note=note)
    return ok


def check_workdays(days: Sequence[date], rules: dict[str, WorkdayRule]) -> bool:
    """Compare every reference with the library's is_workday; False if (b) disagrees."""
    library = [rules["library"](d) for d in days]
    print("is_workday check on all dates (untimed, also the warm-up)")
    ok = True
    for name in ("(a) workalendar", "(b) holidays", "(c) floor"):
        other = [rules[name](d) for d in days]
        wrong = differing(library, other, operator.is_)
        if name == "(b) holidays" and wrong:
            ok = False
        show(name, wrong, days, library, other)
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n, repeat = args.n, args.repeat
    started = perf_counter()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"arendefordelning {version('arendefordelning')}, holidays {version('holidays')}, "
        f"workalendar {version('workalendar')}"
    )
    print(f"N = {n}, seed = {args.seed}, best of {repeat} interleaved passes, GC off while timing")

    rng = random.Random(args.seed)
    times = random_times(rng, n)
    days = random_dates(rng, n)
    late = sum(t.time() > CUTOFF for t in times)
    print(
        f"inputs: {n} datetimes {min(times):%Y-%m-%d}..{max(times):%Y-%m-%d} "
        f"({n - late} at or before 14:00, {late} after; "
        f"{sum(near_dst_change(t) for t in times)} near a DST change), "
        f"{n} dates {min(days)}..{max(days)}"
    )
    print()

    closed = holidays_lookup()
    by_workalendar = workalendar_workday()
    by_holidays = holidays_workday(closed)
    calendar = WorkCalendar.swedish()

    deadline_rules: dict[str, DeadlineRule] = {
        "library": library_deadline(),
        "(a) workalendar": stepping_rule(by_workalendar),
        "(a1) workalendar fresh": workalendar_fresh_rule(),
        "(a2) workalendar API": workalendar_api_rule(),
        "(b) holidays": stepping_rule(by_holidays),
        "(d) next-day table": next_day_table_rule(next_workday_by(by_holidays)),
        "(c) floor": floor_deadline(next_workday_by(by_holidays)),
    }
    workday_rules: dict[str, WorkdayRule] = {
        "library": calendar.is_workday,
        "(a) workalendar": by_workalendar,
        "(b) holidays": by_holidays,
        "(c) floor": floor_workday(by_holidays),
    }
    ok = check_deadlines(times, deadline_rules)
    ok = check_workdays(days, workday_rules) and ok
    utc_times = [t.astimezone(UTC) for t in times]
    ok = check_utc(times, utc_times) and ok
    if not ok:
        print("\nFAIL: the library disagrees with reference (b); timings skipped.")
        return 1

    deadline_contenders: list[tuple[str, Callable[[datetime], object]]] = [
        ("library   execution_deadline, Stockholm input", execution_deadline),
        ("(a) workalendar, one warm Sweden()", deadline_rules["(a) workalendar"]),
        ("(a2) workalendar add_working_days(d, 1)", deadline_rules["(a2) workalendar API"]),
        ("(b) holidays SE public + de facto lookup", deadline_rules["(b) holidays"]),
        ("(d) dict date -> next working day, DST-right", deadline_rules["(d) next-day table"]),
        ("(c) floor: dict by date + 1 comparison", deadline_rules["(c) floor"]),
        ("    building the Deadline alone", build_deadline_only()),
        ("    empty function (loop + call overhead)", empty_call),
    ]
    stockholm = STOCKHOLM
    utc_contenders: list[tuple[str, Callable[[datetime], object]]] = [
        ("library   execution_deadline, UTC input", execution_deadline),
        ("    the one conversion alone, t.astimezone()", lambda t: t.astimezone(stockholm)),
    ]
    deadline_us = best_per_call(
        deadline_contenders + utc_contenders,
        times,
        repeat,
        inputs={name: utc_times for name, _ in utc_contenders},
    )
    utc_us = {name: deadline_us.pop(name) for name, _ in utc_contenders}
    few = times[: max(1, n // 20)]
    fresh_us = best_per_call(
        [("(a1) workalendar, a fresh Sweden() per call", deadline_rules["(a1) workalendar fresh"])],
        few,
        max(1, repeat // 2),
    )
    workday_contenders: list[tuple[str, Callable[[date], object]]] = [
        ("library   WorkCalendar.swedish().is_workday", calendar.is_workday),
        ("(a) workalendar Sweden().is_working_day", by_workalendar),
        ("(b) holidays: weekday() < 5, d not in lookup", by_holidays),
        ("(c) floor: table[d], dict date -> bool", workday_rules["(c) floor"]),
        ("    empty function (loop + call overhead)", empty_call),
    ]
    workday_us = best_per_call(workday_contenders, days, repeat)
    imported = import_figures()
    rows = [(name, deadline_us[name]) for name, _ in deadline_contenders]
    rows.insert(1, next(iter(utc_us.items())))
    rows.insert(3, next(iter(fresh_us.items())))
    rows.insert(-1, list(utc_us.items())[1])
    report(n, rows, [(name, workday_us[name]) for name, _ in workday_contenders], imported)
    print(f"\nran in {perf_counter() - started:.1f} s")
    return 0


def check_utc(times: Sequence[datetime], utc_times: Sequence[datetime]) -> bool:
    """The same instants given in UTC give the same deadlines (one astimezone)."""
    wrong = [
        i
        for i, (t, u) in enumerate(zip(times, utc_times, strict=True))
        if not same_moment(execution_deadline(t).due, execution_deadline(u).due)
    ]
    print(f"  library, UTC input vs Stockholm input {len(wrong):>5} disagreement(s)")
    return not wrong


def report(
    n: int,
    deadline_us: list[tuple[str, float]],
    workday_us: list[tuple[str, float]],
    imported: ImportFigures,
) -> None:
    """Print the tables and the targets.

    VAL-6 rows in order: library (Stockholm input), library (UTC input), (a), (a1),
    (a2), (b), (d), (c) floor, building the Deadline, the conversion alone, empty.
    is_workday rows: library, (a), (b), (c) floor, empty.
    """
    figures = dict(deadline_us)
    lib = deadline_us[0][1]
    header(f"VAL-6 execution_deadline(t), {n} calls per pass ((a1): {max(1, n // 20)})")
    for name, seconds in deadline_us:
        print(row(name, seconds, lib))

    lib_workday = workday_us[0][1]
    header(f"is_workday(d), {n} calls per pass")
    for name, seconds in workday_us:
        print(row(name, seconds, lib_workday))

    print()
    print("import (fresh interpreters, median of 7, minus bare start-up)")
    print(f"  import arendefordelning        {imported.package_ms:8.1f} ms")
    print(f"  import attrs                   {imported.attrs_ms:8.1f} ms")
    for name, loaded in imported.loaded.items():
        print(f"  {name!r} in sys.modules{'':<{12 - len(name)}} {loaded!s:>8} (expected False)")

    workalendar = deadline_us[2][1]
    floor = figures["(c) floor: dict by date + 1 comparison"]
    speedup = workalendar / lib
    floor_ratio = lib / floor
    utc_ratio = deadline_us[1][1] / lib
    workday_ratio = lib_workday / workday_us[3][1]
    import_ratio = imported.package_ms / imported.attrs_ms
    print()
    print("targets")
    targets = [
        ("library / (c) floor", floor_ratio, "<=", TARGET_FLOOR_RATIO),
        ("(a) warm workalendar / library", speedup, ">=", TARGET_SPEEDUP_OVER_WORKALENDAR),
        ("UTC input / Stockholm input", utc_ratio, "<=", TARGET_UTC_RATIO),
        ("is_workday / (c) dict look-up", workday_ratio, "<=", TARGET_IS_WORKDAY_RATIO),
        ("import package / import attrs", import_ratio, "<=", TARGET_IMPORT_RATIO),
    ]
    for name, value, sense, target in targets:
        met = value <= target if sense == "<=" else value >= target
        print(f"  {name:<34} {value:8.2f}x   target {sense} {target:g}x   {verdict(met)}")
    conversion = deadline_us[-2][1]
    print(
        f"  (a UTC input costs {(deadline_us[1][1] - lib) * 1e6:.3f} µs more than a Stockholm one;"
        f" its one conversion alone {conversion * 1e6:.3f} µs, {conversion / lib:.2f}x a"
        " Stockholm call)"
    )
    for name, loaded in imported.loaded.items():
        print(f"  {name} not loaded by the import{'':<{12 - len(name)}} {verdict(not loaded)}")


if __name__ == "__main__":
    sys.exit(main())
