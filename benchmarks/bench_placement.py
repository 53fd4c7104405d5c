"""Benchmark of routine DV's placement engine against a naive scan of every centre.

Run from the project root with the package installed::

    python benchmarks/bench_placement.py [--sizes 1000,10000,100000] [--seed 2026] [--repeat 3]

In one run it

1. builds a city of 200 day centres in 10 districts (20 per district, two thirds with
   the orientation dementia, 5 to 15 places a weekday) and, for each size, that many
   placement requests drawn around the centres (days 1–5, up to two wished centres
   and weekdays, a language, a home location, needs);
2. places them with :func:`arendefordelning.routines.placement.place` and with a
   reference written out here that does the same thing naively: for every request it
   scans every centre of the city, counts its vacant weekdays and scores the ones
   that qualify. It builds no reasons, so it does less work per decision than the
   library does;
3. checks, untimed, that both make the same decision for every request (placed,
   proposed or not, the centre and the weekdays; exit status 1 otherwise);
4. prints seconds per plan, µs per request and the ratio library / reference, best of
   ``--repeat`` passes (one pass for sizes above 10,000), the garbage collector off;
   then the same for cities of 5, 10 and 20 districts of 20 centres with 1,000
   requests per district, to show that the cost per request follows the centres of a
   district, not of the city.

The target is a full plan of 10,000 requests in at most 1 s, and a cost per request
that does not grow with the number of requests. Timings are printed, never asserted:
this is a benchmark, not a timed test.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from time import perf_counter
from typing import Final

from arendefordelning.routines.placement import (
    EARTH_RADIUS_KM,
    CrossDistrictProposal,
    DayCentre,
    District,
    Location,
    NotPlaced,
    Orientation,
    Placement,
    PlacementPlan,
    PlacementPolicy,
    PlacementRequest,
    Weekday,
    place,
)

TARGET_SECONDS: Final = 1.0
CENTRES_PER_DISTRICT: Final = 20
LANGUAGES: Final = ("sv", "sv", "sv", "fi", "ar", None)
TAGS: Final = ("musik", "trädgård", "rörelse", "samtal")
FIRST_QUEUE_DAY: Final = date(2025, 1, 1)

Decision = tuple[str, str | None, tuple[int, ...]]


# --------------------------------------------------------------------------- inputs


def city(districts: int, rng: random.Random) -> list[DayCentre]:
    """``districts`` districts in bands of latitude, 20 centres each."""
    centres: list[DayCentre] = []
    for d in range(districts):
        district = District(f"D{d:02d}", unit_manager=f"ec-{d}", receivers=(f"ur-{d}a", f"ur-{d}b"))
        for n in range(CENTRES_PER_DISTRICT):
            centres.append(
                DayCentre(
                    id=f"C{d:02d}-{n:02d}",
                    district=district,
                    orientation=Orientation.SOCIAL if n % 3 == 0 else Orientation.DEMENTIA,
                    places=tuple(rng.randint(5, 15) for _ in Weekday),
                    location=Location(
                        59.2 + 0.02 * d + 0.02 * rng.random(), 17.9 + 0.3 * rng.random()
                    ),
                    languages={"sv"}
                    | ({"fi"} if n % 7 == 0 else set())
                    | ({"ar"} if n % 9 == 0 else set()),
                    suits_cognitive_impairment=rng.random() < 0.5,
                    profile=set(rng.sample(TAGS, rng.randint(0, 2))),
                )
            )
    return centres


def requests(
    count: int, centres: Sequence[DayCentre], rng: random.Random
) -> list[PlacementRequest]:
    """``count`` requests in the districts of ``centres``, living near them."""
    by_district: dict[str, list[DayCentre]] = {}
    for centre in centres:
        by_district.setdefault(centre.district.name, []).append(centre)
    names = sorted(by_district)
    made: list[PlacementRequest] = []
    for number in range(count):
        district = rng.choice(names)
        near = rng.choice(by_district[district]).location
        wished = rng.sample(by_district[district], rng.choice((0, 0, 1, 1, 2)))
        if rng.random() < 0.05:
            wished.append(rng.choice(centres))
        made.append(
            PlacementRequest(
                id=f"K-{number:06d}",
                district=district,
                orientation=Orientation.DEMENTIA if rng.random() < 0.67 else Orientation.SOCIAL,
                days=rng.choice((1, 2, 2, 3, 3, 4, 5)),
                queue_date=FIRST_QUEUE_DAY + timedelta(days=rng.randrange(365)),
                wished_centres=tuple(dict.fromkeys(c.id for c in wished)),
                wished_weekdays=frozenset(rng.sample(list(Weekday), rng.choice((0, 0, 1, 2)))),
                language=rng.choice(LANGUAGES),
                location=Location(
                    max(-90.0, min(90.0, near.latitude + rng.gauss(0, 0.01))),
                    near.longitude + rng.gauss(0, 0.02),
                ),
                cognitive_impairment=rng.random() < 0.5,
                needs=set(rng.sample(TAGS, rng.randint(0, 2))),
            )
        )
    return made


# --------------------------------------------------------------------------- the reference


class _Naive:
    """The reference's state: the vacant places of every centre, in centre id order."""

    def __init__(self, centres: Sequence[DayCentre], policy: PlacementPolicy) -> None:
        self.centres = sorted(centres, key=lambda c: c.id)
        self.vacant = [list(c.places) for c in self.centres]
        self.radians = [
            (math.radians(c.location.latitude), math.radians(c.location.longitude))
            for c in self.centres
        ]
        self.cosines = [math.cos(lat) for lat, _ in self.radians]
        self.index_of = {c.id: i for i, c in enumerate(self.centres)}
        self.w = policy.weights
        self.horizon = float(policy.distance_horizon_km)

    def score(self, r: PlacementRequest, i: int, wish: dict[int, float]) -> float:
        """The library's score, term by term in the same order, for request ``r`` at ``i``."""
        c, row, w = self.centres[i], self.vacant[i], self.w
        wished_days = [day.value for day in r.wished_weekdays]
        den = min(r.days, len(wished_days))
        weekdays = min(sum(1 for d in wished_days if row[d] > 0), den) / den if den else 0.0
        assert r.location is not None
        lat, lon = math.radians(r.location.latitude), math.radians(r.location.longitude)
        h = (
            math.sin((self.radians[i][0] - lat) / 2) ** 2
            + math.cos(lat) * self.cosines[i] * math.sin((self.radians[i][1] - lon) / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
        return (
            w[0] * wish.get(i, 0.0)
            + w[1] * weekdays
            + w[2] * (1.0 if r.language is not None and r.language in c.languages else 0.0)
            + w[3] * max(0.0, 1.0 - km / self.horizon)
            + w[4] * (1.0 if r.cognitive_impairment and c.suits_cognitive_impairment else 0.0)
            + w[5] * (len(r.needs & c.profile) / len(r.needs) if r.needs else 0.0)
        )

    def decide(self, r: PlacementRequest) -> Decision:
        """Scan every centre: the district's and wished ones first, then all (DV-8)."""
        wish = {
            self.index_of[c]: float(len(r.wished_centres) - k)
            for k, c in enumerate(r.wished_centres)
        }
        feasible = [
            i
            for i, c in enumerate(self.centres)
            if c.orientation is r.orientation and sum(v > 0 for v in self.vacant[i]) >= r.days
        ]
        own = [i for i in feasible if self.centres[i].district.name == r.district]
        candidates = (
            feasible if not own else own + [i for i in feasible if i in wish and i not in own]
        )
        if not candidates:
            return ("not placed", None, ())
        best = max(candidates, key=lambda i: (self.score(r, i, wish), -i))
        days = self.days(r, best)
        if self.centres[best].district.name != r.district:
            if own:  # DV-8: the home place is held until the other district answers
                home = max(own, key=lambda i: (self.score(r, i, wish), -i))
                self.take(home, self.days(r, home))
            return ("proposed", self.centres[best].id, days)
        self.take(best, days)
        return ("placed", self.centres[best].id, days)

    def days(self, r: PlacementRequest, i: int) -> tuple[int, ...]:
        """The weekdays ``r`` gets at centre ``i``: wished first, then most vacant."""
        row = self.vacant[i]
        wished_days = {day.value for day in r.wished_weekdays}
        open_days = sorted(
            (d for d in range(5) if row[d] > 0), key=lambda d: (d not in wished_days, -row[d], d)
        )
        return tuple(sorted(open_days[: r.days]))

    def take(self, i: int, days: tuple[int, ...]) -> None:
        for d in days:
            self.vacant[i][d] -= 1


def naive(
    items: Sequence[PlacementRequest], centres: Sequence[DayCentre], policy: PlacementPolicy
) -> dict[str, Decision]:
    """Place as the library does, scanning every centre of the city for every request."""
    state = _Naive(centres, policy)
    return {r.id: state.decide(r) for r in sorted(items, key=lambda r: (r.queue_date, r.id))}


def decisions_of(plan: PlacementPlan) -> dict[str, Decision]:
    found: dict[str, Decision] = {}
    for outcome in plan.outcomes:
        if isinstance(outcome, Placement):
            found[outcome.request] = (
                "placed",
                outcome.centre,
                tuple(d.value for d in outcome.days),
            )
        elif isinstance(outcome, CrossDistrictProposal):
            found[outcome.request] = (
                "proposed",
                outcome.centre,
                tuple(d.value for d in outcome.days),
            )
        else:
            assert isinstance(outcome, NotPlaced)
            found[outcome.request] = ("not placed", None, ())
    return found


# --------------------------------------------------------------------------- timing


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs, the garbage collector off."""
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


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def compare(
    label: str, items: Sequence[PlacementRequest], centres: Sequence[DayCentre], repeat: int
) -> tuple[float, float, bool]:
    policy = PlacementPolicy()
    plan = place(items, centres, policy=policy)
    agree = decisions_of(plan) == naive(items, centres, policy)
    library = best_seconds(lambda: place(items, centres, policy=policy), repeat)
    reference = best_seconds(lambda: naive(items, centres, policy), repeat)
    n = len(items)
    counts = (
        f"placed {len(plan.placements):>6,}  proposed {len(plan.proposals):>5,}  "
        f"not placed {len(plan.unplaced):>6,}"
    )
    print(
        f"  {label:<26} library {library:>7.3f} s {library / n * 1e6:>7.1f} µs/request   "
        f"reference {reference:>7.3f} s {reference / n * 1e6:>7.1f} µs/request   "
        f"ratio {library / reference:>5.2f}   {counts}   decisions agree: {agree}"
    )
    return library, reference, agree


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("--sizes must be positive numbers and --repeat at least 1")

    print(f"Python {sys.version.split()[0]}; seed {args.seed}")
    rng = random.Random(args.seed)
    centres = city(10, rng)
    print(f"requests in a city of 10 districts, {len(centres)} centres:")
    results: dict[int, tuple[float, float, bool]] = {}
    for size in sizes:
        items = requests(size, centres, random.Random(args.seed + size))
        repeat = args.repeat if size <= 10_000 else 1
        results[size] = compare(f"{size:,} requests", items, centres, repeat)

    print("1,000 requests per district, 20 centres per district:")
    by_city: dict[int, tuple[float, float, bool]] = {}
    for count in (5, 10, 20):
        town = city(count, random.Random(args.seed + count))
        items = requests(1_000 * count, town, random.Random(args.seed))
        label = f"{count} districts, {len(items):,} requests"
        by_city[count] = compare(label, items, town, args.repeat)

    ok = all(agree for *_, agree in (*results.values(), *by_city.values()))
    print("targets:")
    if 10_000 in results:
        seconds = results[10_000][0]
        items = requests(10_000, centres, random.Random(args.seed + 10_000))
        start = perf_counter()
        place(items, centres)
        with_gc = perf_counter() - start
        print(
            f"  10,000 requests in <= {TARGET_SECONDS:g} s: {seconds:.3f} s, "
            f"{with_gc:.3f} s with the garbage collector on "
            f"({verdict(max(seconds, with_gc) <= TARGET_SECONDS)})"
        )
    if len(results) > 1:
        small, large = min(results), max(results)
        growth = (results[large][0] / large) / (results[small][0] / small)
        print(
            f"  cost per request, {small:,} to {large:,} requests: x{growth:.2f} "
            f"(target <= 1.5: {verdict(growth <= 1.5)})"
        )
    growth = (by_city[20][0] / 20) / (by_city[5][0] / 5)
    reference = (by_city[20][1] / 20) / (by_city[5][1] / 5)
    print(
        f"  cost per request, 5 to 20 districts of 20 centres: x{growth:.2f} "
        f"(target <= 1.5: {verdict(growth <= 1.5)}); the reference x{reference:.2f}"
    )
    if not ok:
        print("the library and the reference disagree on some decision", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
