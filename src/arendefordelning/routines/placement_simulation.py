"""Simulation of placement policies (simulering av fördelningspolicyer), DV-9.

The routine's purpose (DV-9) is equal treatment across the city, efficient use of
places, shorter queue times and person-centred placement. :func:`simulate` measures
those for one or more :class:`~arendefordelning.routines.placement.PlacementPolicy`
values over weeks of arrivals and departures, so a municipality can compare policies
on the same population before it changes its routine:

* every week new requests arrive (a Poisson number around ``arrivals_per_week``), with
  districts, orientations, days, languages, homes, wishes and needs drawn plausibly
  from the centres given;
* every week the queue is placed with :func:`~arendefordelning.routines.placement.place`;
  a placed individual stays a number of weeks drawn with mean ``mean_stay_weeks``, and
  then the places are free again;
* a cross-district proposal (DV-8) is taken up: the social worker sends the assignment
  to the other district, where it is placed as usual from the next week, keeping its
  queue date; a request awaiting clarification (DV-6) is clarified the week after.

The population is drawn once from ``random.Random(seed)`` and every policy meets the
same arrivals, so the rows compare policies and not luck. Nothing is read from a clock.
The rows are plain dicts of str keys and int, float or str values, one per policy and
week, that load straight into ``pandas.DataFrame(rows)``; plot them with
:func:`arendefordelning.plotting.plot`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Final, TypeAlias, TypeVar

import attrs

from .._validators import describe
from ..errors import InvalidInput
from .placement import (
    CrossDistrictProposal,
    DayCentre,
    Location,
    Orientation,
    PlacementPolicy,
    PlacementRequest,
    Weekday,
    place,
)

__all__ = ["COLUMNS", "DEFAULT_START", "Row", "simulate"]

_T = TypeVar("_T")

Row: TypeAlias = dict[str, int | float | str]
"""One row of :func:`simulate`: a policy's measures in one week."""

COLUMNS: Final = (
    "policy",
    "week",
    "date",
    "arrivals",
    "placed",
    "proposals",
    "waiting",
    "in_place",
    "mean_queue_days",
    "longest_queue_days",
    "utilisation",
    "district_spread_days",
    "wishes_met",
)
"""The keys of every row, in order. See :func:`simulate` for what each means."""

DEFAULT_START: Final = date(2026, 1, 5)
"""The Monday the simulation starts on unless another is given."""

_MAX_WEEKS: Final = 520
_DAYS_GRANTED: Final = ((1, 0.15), (2, 0.30), (3, 0.30), (4, 0.15), (5, 0.10))
_SWEDISH: Final = 0.8
_NO_LANGUAGE: Final = 0.05
_COGNITIVE: Final = {Orientation.DEMENTIA: 0.9, Orientation.SOCIAL: 0.2}
_WISH: Final = 0.5
_NEAREST_WISH: Final = 0.6
_SECOND_WISH: Final = 0.2
_OTHER_DISTRICT_WISH: Final = 0.05
_WEEKDAY_WISH: Final = 0.3
_CLARIFICATION: Final = 0.1
_SPREAD_LAT: Final = 0.01
_SPREAD_LON: Final = 0.02


@attrs.frozen
class _Arrival:
    """One individual of the drawn population: the request, the week and the stay."""

    request: PlacementRequest
    week: int
    stay: int


# --------------------------------------------------------------------------- validation


def _whole(value: object, field: str, low: int, high: int | None = None) -> int:
    if type(value) is not int or value < low or (high is not None and value > high):
        upper = "" if high is None else f" and at most {high}"
        raise InvalidInput(
            f"{field} must be a whole number (int) of at least {low}{upper}, not "
            f"{describe(value) if type(value) is not int else value}"
        )
    return value


def _real(value: object, field: str, low: float) -> float:
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value < low
    ):
        raise InvalidInput(
            f"{field} must be a finite number (int or float) of at least {low:g}, "
            f"not {describe(value) if not isinstance(value, int | float) else 'a smaller one'}"
        )
    return float(value)


def _check_policies(policies: object) -> dict[str, PlacementPolicy]:
    if not isinstance(policies, Mapping) or not policies:
        raise InvalidInput(
            "policies must be a non-empty mapping of a name to a PlacementPolicy, such as "
            f"{{'routine': PlacementPolicy()}}, not {describe(policies)}"
        )
    checked: dict[str, PlacementPolicy] = {}
    for key, policy in policies.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidInput(
                f"policies must be keyed by non-empty names (str), not {describe(key)}"
            )
        if not isinstance(policy, PlacementPolicy):
            raise InvalidInput(
                f"policies[{key!r}] must be a PlacementPolicy, not {describe(policy)}"
            )
        checked[key] = policy
    return checked


def _check_centres(centres: object) -> list[DayCentre]:
    if isinstance(centres, str | bytes | Mapping) or not isinstance(centres, Iterable):
        raise InvalidInput(f"centres must be an iterable of DayCentre, not {describe(centres)}")
    items = list(centres)
    if not items or not all(isinstance(centre, DayCentre) for centre in items):
        raise InvalidInput("centres must hold at least one DayCentre and nothing else")
    place([], items)  # the engine's own checks: unique ids, one District value each
    return sorted(items, key=lambda centre: centre.id)


# --------------------------------------------------------------------------- drawing


def _poisson(rng: random.Random, mean: float) -> int:
    """Draw a Poisson count: exponential gaps between arrivals within one week."""
    if mean <= 0:
        return 0
    count, elapsed = 0, rng.expovariate(mean)
    while elapsed < 1.0:
        count += 1
        elapsed += rng.expovariate(mean)
    return count


def _stay(rng: random.Random, mean: float) -> int:
    """Draw a stay in whole weeks, geometric from 1 with the given mean."""
    if mean <= 1.0:
        return 1
    p = 1.0 / mean
    return 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - p))


def _weighted(rng: random.Random, choices: Sequence[tuple[_T, float]]) -> _T:
    total = sum(weight for _, weight in choices)
    point = rng.random() * total
    for value, weight in choices:
        point -= weight
        if point < 0:
            return value
    return choices[-1][0]


class _Population:
    """Draws requests that look like the city's: where the places are, so are the people."""

    def __init__(self, centres: Sequence[DayCentre], rng: random.Random, start: date) -> None:
        self.rng = rng
        self.start = start
        self.centres = centres
        self.by_district: dict[str, list[DayCentre]] = {}
        for centre in centres:
            self.by_district.setdefault(centre.district.name, []).append(centre)
        self.districts = [
            (name, float(sum(sum(c.places) for c in group)) or 1.0)
            for name, group in sorted(self.by_district.items())
        ]
        self.languages = sorted({code for c in centres for code in c.languages} - {"sv"})
        self.tags = sorted({tag for c in centres for tag in c.profile})
        self.count = 0

    def orientation(self, district: str) -> Orientation:
        weights = [
            (o, float(sum(sum(c.places) for c in self.by_district[district] if c.orientation is o)))
            for o in Orientation
        ]
        if not any(weight for _, weight in weights):
            weights = [
                (o, float(sum(sum(c.places) for c in self.centres if c.orientation is o)))
                for o in Orientation
            ]
        if not any(weight for _, weight in weights):
            weights = [(o, 1.0) for o in Orientation]
        return _weighted(self.rng, weights)

    def home(self, district: str) -> Location:
        near = self.rng.choice(self.by_district[district]).location
        latitude = near.latitude + self.rng.gauss(0.0, _SPREAD_LAT)
        longitude = near.longitude + self.rng.gauss(0.0, _SPREAD_LON)
        return Location(max(-90.0, min(90.0, latitude)), (longitude + 180.0) % 360.0 - 180.0)

    def wishes(self, district: str, orientation: Orientation, home: Location) -> tuple[str, ...]:
        rng = self.rng
        if rng.random() >= _WISH:
            return ()
        fitting = [c for c in self.by_district[district] if c.orientation is orientation]
        elsewhere = [
            c for c in self.centres if c.district.name != district and c.orientation is orientation
        ]
        wished: list[str] = []
        if fitting:
            if rng.random() < _NEAREST_WISH:
                nearest = min(fitting, key=lambda c: (home.distance_to(c.location), c.id))
                wished.append(nearest.id)
            else:
                wished.append(rng.choice(fitting).id)
            if rng.random() < _SECOND_WISH:
                wished.append(rng.choice(fitting).id)
        if elsewhere and rng.random() < _OTHER_DISTRICT_WISH:
            wished.append(rng.choice(elsewhere).id)
        return tuple(dict.fromkeys(wished))

    def draw(self, week: int, mean_stay: float) -> _Arrival:
        rng = self.rng
        district = _weighted(rng, self.districts)
        orientation = self.orientation(district)
        days = _weighted(rng, _DAYS_GRANTED)
        home = self.home(district)
        roll = rng.random()
        language: str | None
        if roll < _NO_LANGUAGE:
            language = None
        elif roll < _SWEDISH or not self.languages:
            language = "sv"
        else:
            language = rng.choice(self.languages)
        weekdays: frozenset[Weekday] = frozenset()
        if rng.random() < _WEEKDAY_WISH:
            weekdays = frozenset(rng.sample(list(Weekday), rng.randint(1, days)))
        needs = frozenset(rng.sample(self.tags, rng.randint(0, min(2, len(self.tags)))))
        self.count += 1
        request = PlacementRequest(
            id=f"S-{self.count:05d}",
            district=district,
            orientation=orientation,
            days=days,
            queue_date=self.start + timedelta(weeks=week, days=rng.randrange(5)),
            wished_centres=self.wishes(district, orientation, home),
            wished_weekdays=weekdays,
            language=language,
            location=home,
            cognitive_impairment=rng.random() < _COGNITIVE[orientation],
            needs=needs,
            awaiting_clarification=rng.random() < _CLARIFICATION,
        )
        return _Arrival(request, week, _stay(rng, mean_stay))


# --------------------------------------------------------------------------- running


def simulate(
    centres: Iterable[DayCentre],
    policies: Mapping[str, PlacementPolicy],
    *,
    weeks: int,
    seed: int,
    arrivals_per_week: float,
    mean_stay_weeks: float,
    start: date = DEFAULT_START,
) -> list[Row]:
    """Simulate placement policies week by week (simulera fördelningspolicyer), DV-9.

    Every policy meets the same arrivals (drawn once from ``random.Random(seed)``);
    each week departures free their places, the week's arrivals join the queue and
    the queue is placed on the Friday with the policy. Cross-district proposals move
    the request to the other district for the next week (DV-8); requests awaiting
    clarification are clarified the week after they arrive (DV-6).

    Each row holds, for one policy and week (``week`` counts from 1, ``date`` is the
    week's Monday as ``YYYY-MM-DD``):

    * ``arrivals``, ``placed``, ``proposals``: this week's counts;
    * ``waiting``: requests in the queue after the week's plan; ``in_place``:
      individuals holding a place;
    * ``mean_queue_days``, ``longest_queue_days``: queue time in days (from the queue
      date to the Friday) of everyone placed this week or still waiting: shorter
      queue times (DV-9);
    * ``utilisation``: the share of the city's weekday places taken after the plan:
      efficient use of places (DV-9);
    * ``district_spread_days``: the largest minus the smallest district mean of that
      queue time, over the districts with someone in it (0.0 with fewer than two):
      equal treatment across the city (DV-9);
    * ``wishes_met``: of everyone placed so far who wished a centre, the share placed
      at a wished centre (0.0 before anyone who wished is placed): person-centred
      placement (DV-9).

    Args:
        centres: The day centres of the city.
        policies: The policies to compare, by name (a row's ``policy``).
        weeks: Weeks to simulate, 1 to 520.
        seed: Seed of the population; the same seed gives the same rows.
        arrivals_per_week: Mean number of new requests a week, 0 or more.
        mean_stay_weeks: Mean stay at a centre in weeks, 1 or more.
        start: The Monday of the first week.

    Returns:
        One row per policy and week: all weeks of the first policy, then the next.

    Raises:
        InvalidInput: naming the argument and what is accepted.
    """
    ordered = _check_centres(centres)
    chosen = _check_policies(policies)
    count = _whole(weeks, "weeks", 1, _MAX_WEEKS)
    if type(seed) is not int:
        raise InvalidInput(f"seed must be a whole number (int), not {describe(seed)}")
    arrivals = _real(arrivals_per_week, "arrivals_per_week", 0.0)
    stay = _real(mean_stay_weeks, "mean_stay_weeks", 1.0)
    if type(start) is not date:
        raise InvalidInput(f"start must be a datetime.date (a Monday), not {describe(start)}")
    if start.weekday() != 0:
        raise InvalidInput(f"start must be a Monday, not a {start.strftime('%A')}")

    rng = random.Random(seed)
    population = _Population(ordered, rng, start)
    weekly: list[list[_Arrival]] = []
    for week in range(count):
        weekly.append([population.draw(week, stay) for _ in range(_poisson(rng, arrivals))])

    rows: list[Row] = []
    for name, policy in chosen.items():
        rows += _run(name, policy, ordered, weekly, start)
    return rows


def _run(
    name: str,
    policy: PlacementPolicy,
    centres: Sequence[DayCentre],
    weekly: Sequence[Sequence[_Arrival]],
    start: date,
) -> list[Row]:
    capacity = sum(sum(centre.places) for centre in centres)
    stays = {arrival.request.id: arrival.stay for week in weekly for arrival in week}
    taken = {centre.id: [0] * len(Weekday) for centre in centres}
    leaving: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
    queue: dict[str, PlacementRequest] = {}
    wished_placed = wished_met = in_place = 0
    rows: list[Row] = []
    for week, arrivals in enumerate(weekly):
        monday = start + timedelta(weeks=week)
        friday = monday + timedelta(days=4)
        for centre_id, days in leaving.pop(week, []):
            for day in days:
                taken[centre_id][day] -= 1
            in_place -= 1
        for request_id, request in list(queue.items()):
            if request.awaiting_clarification:
                queue[request_id] = attrs.evolve(request, awaiting_clarification=False)
        for arrival in arrivals:
            queue[arrival.request.id] = arrival.request
        plan = place(queue.values(), centres, occupancy=taken, policy=policy)
        waits: dict[str, list[int]] = {}
        for placement in plan.placements:
            request = queue.pop(placement.request)
            days = tuple(day.value for day in placement.days)
            for day in days:
                taken[placement.centre][day] += 1
            leaving.setdefault(week + stays[request.id], []).append((placement.centre, days))
            in_place += 1
            waits.setdefault(request.district, []).append((friday - request.queue_date).days)
            if request.wished_centres:
                wished_placed += 1
                wished_met += placement.centre in request.wished_centres
        for proposal in plan.proposals:
            _move(queue, proposal)
        for request in queue.values():
            waits.setdefault(request.district, []).append((friday - request.queue_date).days)
        everyone = [days for group in waits.values() for days in group]
        means = [sum(group) / len(group) for group in waits.values()]
        rows.append(
            {
                "policy": name,
                "week": week + 1,
                "date": monday.isoformat(),
                "arrivals": len(arrivals),
                "placed": len(plan.placements),
                "proposals": len(plan.proposals),
                "waiting": len(queue),
                "in_place": in_place,
                "mean_queue_days": sum(everyone) / len(everyone) if everyone else 0.0,
                "longest_queue_days": max(everyone, default=0),
                "utilisation": (
                    sum(sum(row) for row in taken.values()) / capacity if capacity else 0.0
                ),
                "district_spread_days": max(means) - min(means) if len(means) > 1 else 0.0,
                "wishes_met": wished_met / wished_placed if wished_placed else 0.0,
            }
        )
    return rows


def _move(queue: dict[str, PlacementRequest], proposal: CrossDistrictProposal) -> None:
    """Send the assignment to the district with the place, as the social worker does (DV-8)."""
    queue[proposal.request] = attrs.evolve(queue[proposal.request], district=proposal.district)
