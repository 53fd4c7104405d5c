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
  to the other district, where it is placed as usual the next week, keeping its queue
  date; a home place held for it (``PlacementPolicy.hold_home_place``) is released
  when the other district places it, and becomes its placement when the other
  district cannot; a request awaiting clarification (DV-6) is clarified the week after.

Each seed's population is drawn once from ``random.Random(seed)`` and every policy
meets the same arrivals, so the rows compare policies and not luck; several seeds in
one call give the spread of luck itself, which :func:`summarize` turns into an interval
over seeds. The first weeks start from empty centres and are marked ``warm_up``.
Nothing is read from a clock. The rows are plain dicts, one per seed, policy and week,
that load straight into ``pandas.DataFrame(rows)``; plot them with
:func:`arendefordelning.plotting.plot`. :data:`MEASURES` says what each measure is
and in which unit.
"""

from __future__ import annotations

import enum
import math
import random
import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Final, NamedTuple, TypedDict, TypeVar

import attrs

from .._validators import describe, real_number, shown, whole_number
from ..deadlines import Language
from ..errors import InvalidInput
from .placement import (
    CrossDistrictProposal,
    DayCentre,
    Location,
    Orientation,
    Placement,
    PlacementPolicy,
    PlacementRequest,
    Weekday,
    place,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_START",
    "MAX_ARRIVALS_PER_WEEK",
    "MAX_POLICIES",
    "MAX_SEEDS",
    "MAX_STAY_WEEKS",
    "MAX_WEEKS",
    "MEASURES",
    "SPREAD_DEFINITION",
    "Measure",
    "Row",
    "Unit",
    "mean_interval",
    "simulate",
    "summarize",
]

_T = TypeVar("_T")


class Row(TypedDict):
    """One row of :func:`simulate` (rad): a policy's measures in one week of one seed, DV-9.

    A plain dict at run time, so ``pandas.DataFrame(rows)`` loads the rows as they are.
    """

    seed: int
    policy: str
    week: int
    date: date
    warm_up: bool
    arrivals: int
    placed: int
    proposals: int
    waiting: int
    in_place: int
    mean_queue_days: float
    longest_queue_days: int
    utilisation: float
    district_spread_days: float
    wishes_met: float


class _Week(TypedDict):
    """A week's measures before the seed, the policy and the warm-up mark are added."""

    week: int
    date: date
    arrivals: int
    placed: int
    proposals: int
    waiting: int
    in_place: int
    mean_queue_days: float
    longest_queue_days: int
    utilisation: float
    district_spread_days: float
    wishes_met: float


COLUMNS: Final = (
    "seed",
    "policy",
    "week",
    "date",
    "warm_up",
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

MAX_WEEKS: Final = 520
"""The most weeks one call simulates: ten years."""
MAX_STAY_WEEKS: Final = 520
"""The longest mean stay at a centre, in weeks: ten years."""
MAX_ARRIVALS_PER_WEEK: Final = 1000
"""The most new requests a week on average: far more than a city's day centres see."""
MAX_SEEDS: Final = 100
"""The most seeds one call runs."""
MAX_POLICIES: Final = 20
"""The most policies one call compares."""


class Unit(enum.Enum):
    """Unit (enhet) of a measure of the simulation, DV-9."""

    DAYS = "dagar"
    """Days of queue time."""
    SHARE = "andel"
    """A share from 0 to 1; plotted and printed as a percentage."""
    REQUESTS = "ärenden"
    """A number of requests (assignments)."""

    def label(self, language: Language = "en") -> str:
        """Return the unit as an axis shows it: ``"days"``, ``"%"``, ``"requests"``."""
        if self is Unit.SHARE:
            return "%"
        if language == "sv":
            return str(self.value)
        return {Unit.DAYS: "days", Unit.REQUESTS: "requests"}[self]


SPREAD_DEFINITION: Final = (
    "Skillnad mellan stadsområden: den längsta minus den kortaste av stadsområdenas "
    "medelkötider samma vecka, bland de stadsområden som har någon i kö eller placerad "
    "den veckan.",
    "Spread between districts: the longest minus the shortest of the districts' mean "
    "queue times in the same week, over the districts with someone queuing or placed "
    "that week.",
)
"""What ``district_spread_days`` means, in Swedish and English, for a caption. DV-9."""


@attrs.frozen
class Measure:
    """Measure (mått) of the simulation: a row's key, its unit and titles, DV-9."""

    key: str
    """The row's key."""
    unit: Unit
    """The unit of the values."""
    cumulative: bool
    """Whether the value counts everything since the first week, not this week's alone."""
    sv: str
    """The title in Swedish."""
    en: str
    """The title in English."""

    def title(self, language: Language = "en") -> str:
        """Return the title in Swedish or English; a cumulative measure says so."""
        return self.sv if language == "sv" else self.en


MEASURES: Final = (
    Measure("mean_queue_days", Unit.DAYS, False, "Medelkötid", "Mean queue time"),
    Measure("longest_queue_days", Unit.DAYS, False, "Längsta kötid", "Longest queue time"),
    Measure("utilisation", Unit.SHARE, False, "Beläggning", "Places taken"),
    Measure(
        "district_spread_days",
        Unit.DAYS,
        False,
        "Skillnad mellan stadsområden",
        "Spread between districts",
    ),
    Measure(
        "wishes_met",
        Unit.SHARE,
        True,
        "Uppfyllda önskemål, sammanlagt",
        "Wishes met, cumulative",
    ),
    Measure("waiting", Unit.REQUESTS, False, "Ärenden i kö", "Requests waiting"),
)
"""The measures compared (DV-9): queue times, use of places, equal treatment, wishes."""

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


def _check_policies(policies: object) -> dict[str, PlacementPolicy]:
    if not isinstance(policies, Mapping) or not policies:
        raise InvalidInput(
            "policies must be a non-empty mapping of a name to a PlacementPolicy, such as "
            f"{{'routine': PlacementPolicy()}}, not {describe(policies)}"
        )
    if len(policies) > MAX_POLICIES:
        raise InvalidInput(f"policies must name at most {MAX_POLICIES} policies to compare")
    checked: dict[str, PlacementPolicy] = {}
    for key, policy in policies.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidInput(
                f"policies must be keyed by non-empty names (str), not {describe(key)}"
            )
        if not isinstance(policy, PlacementPolicy):
            raise InvalidInput(
                f"policies[{shown(key)}] must be a PlacementPolicy, not {describe(policy)}"
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


def _check_seeds(seed: object) -> tuple[int, ...]:
    if type(seed) is int:
        return (seed,)
    if isinstance(seed, Sequence) and not isinstance(seed, str | bytes):
        seeds = tuple(seed)
        if (
            seeds
            and len(seeds) <= MAX_SEEDS
            and all(type(each) is int for each in seeds)
            and len(set(seeds)) == len(seeds)
        ):
            return seeds
    raise InvalidInput(
        "seed must be a whole number (int) or a sequence of 1 to "
        f"{MAX_SEEDS} different ones, such as range(5), not {describe(seed)} of that kind"
    )


def _check_start(start: object, weeks: int) -> date:
    if type(start) is not date:
        raise InvalidInput(f"start must be a datetime.date (a Monday), not {describe(start)}")
    if start.weekday() != 0:
        raise InvalidInput(f"start must be a Monday, not a {start.strftime('%A')}")
    if start > date.max - timedelta(weeks=weeks):
        raise InvalidInput(
            "start must leave room for the weeks simulated before 9999-12-31, the last "
            "day a date can hold; choose an earlier Monday or fewer weeks"
        )
    return start


def simulate(
    centres: Iterable[DayCentre],
    policies: Mapping[str, PlacementPolicy],
    *,
    weeks: int,
    seed: int | Sequence[int],
    arrivals_per_week: float,
    mean_stay_weeks: float,
    start: date = DEFAULT_START,
    warm_up_weeks: int | None = None,
) -> list[Row]:
    """Simulate placement policies week by week (simulera fördelningspolicyer), DV-9.

    For every seed, every policy meets the same arrivals (drawn once from
    ``random.Random(seed)``); each week departures free their places, the week's
    arrivals join the queue and the queue is placed on the Friday with the policy.
    Cross-district proposals move the request to the other district for the next week,
    a home place held for it is released once it is placed there or becomes its place
    if it is not (DV-8); requests awaiting clarification are clarified the week after
    they arrive (DV-6).

    Each row holds, for one seed, policy and week:

    * ``seed``, ``policy``; ``week`` counts from 1; ``date`` is the week's Monday (a
      ``datetime.date``); ``warm_up`` is True for the first ``warm_up_weeks`` weeks,
      while the centres fill up from empty and the measures are not yet steady;
    * ``arrivals``, ``placed``, ``proposals``: this week's counts (``placed``
      includes a held home place that became the placement; ``proposals`` counts the
      requests sent to another district, so never one that was placed);
    * ``waiting``: requests in the queue after the week's plan; ``in_place``:
      individuals holding a place;
    * ``mean_queue_days``, ``longest_queue_days``: queue time in days (from the queue
      date to the Friday) of everyone placed this week or still waiting: shorter
      queue times (DV-9);
    * ``utilisation``: the share (0 to 1) of the city's weekday places taken after the
      plan, held places included: efficient use of places (DV-9);
    * ``district_spread_days``: the largest minus the smallest district mean of that
      queue time, over the districts with someone in it (0.0 with fewer than two):
      equal treatment across the city (DV-9; :data:`SPREAD_DEFINITION`);
    * ``wishes_met``: cumulative, of everyone placed so far who wished a centre, the
      share (0 to 1) placed at a wished centre (0.0 before anyone who wished is
      placed): person-centred placement (DV-9).

    Args:
        centres: The day centres of the city.
        policies: The policies to compare, by name (a row's ``policy``), at most 20.
        weeks: Weeks to simulate, 1 to 520.
        seed: Seed of the population, or a sequence of up to 100 different seeds (such
            as ``range(10)``), each run in turn; the same seed gives the same rows.
        arrivals_per_week: Mean number of new requests a week, 0 to 1000.
        mean_stay_weeks: Mean stay at a centre in weeks, 1 to 520.
        start: The Monday of the first week; the last week must end by 9999-12-31.
        warm_up_weeks: Weeks marked ``warm_up``, 0 to ``weeks - 1``; None marks the
            mean stay rounded up (the time the centres take to turn over once), at
            most half the weeks.

    Returns:
        One row per seed, policy and week: for the first seed all weeks of the first
        policy, then the next policy; then the next seed.

    Raises:
        InvalidInput: naming the argument and what is accepted, never its value.
    """
    ordered = _check_centres(centres)
    chosen = _check_policies(policies)
    count = whole_number("weeks", weeks, 1, MAX_WEEKS)
    seeds = _check_seeds(seed)
    arrivals = real_number("arrivals_per_week", arrivals_per_week, 0.0, MAX_ARRIVALS_PER_WEEK)
    stay = real_number("mean_stay_weeks", mean_stay_weeks, 1.0, MAX_STAY_WEEKS)
    first = _check_start(start, count)
    warm_up = (
        min(count // 2, math.ceil(stay))
        if warm_up_weeks is None
        else whole_number("warm_up_weeks", warm_up_weeks, 0, count - 1)
    )

    rows: list[Row] = []
    for each in seeds:
        rng = random.Random(each)
        population = _Population(ordered, rng, first)
        weekly: list[list[_Arrival]] = []
        for week in range(count):
            weekly.append([population.draw(week, stay) for _ in range(_poisson(rng, arrivals))])
        for name, policy in chosen.items():
            for row in _run(policy, ordered, weekly, first):
                rows.append(
                    {
                        "seed": each,
                        "policy": name,
                        "week": row["week"],
                        "date": row["date"],
                        "warm_up": row["week"] <= warm_up,
                        "arrivals": row["arrivals"],
                        "placed": row["placed"],
                        "proposals": row["proposals"],
                        "waiting": row["waiting"],
                        "in_place": row["in_place"],
                        "mean_queue_days": row["mean_queue_days"],
                        "longest_queue_days": row["longest_queue_days"],
                        "utilisation": row["utilisation"],
                        "district_spread_days": row["district_spread_days"],
                        "wishes_met": row["wishes_met"],
                    }
                )
    return rows


class _Hold(NamedTuple):
    """A home place held for a cross-district proposal until the other district answers."""

    placement: Placement
    request: PlacementRequest


class _Settled(NamedTuple):
    """A request that got its place this week."""

    request: PlacementRequest
    centre: str
    days: tuple[Weekday, ...]
    taken: bool
    """Whether its places are taken already (a held home place that became its place)."""


class _Run:
    """One policy's run over the weeks: places taken, the queue, holds and departures."""

    def __init__(self, centres: Sequence[DayCentre], weekly: Sequence[Sequence[_Arrival]]) -> None:
        self.centres = centres
        self.capacity = sum(sum(centre.places) for centre in centres)
        self.stays = {arrival.request.id: arrival.stay for week in weekly for arrival in week}
        self.taken = {centre.id: [0] * len(Weekday) for centre in centres}
        self.leaving: dict[int, list[tuple[str, tuple[Weekday, ...]]]] = {}
        self.queue: dict[str, PlacementRequest] = {}
        self.holds: dict[str, _Hold] = {}
        self.wished_placed = self.wished_met = self.in_place = 0

    def occupy(self, centre: str, days: Sequence[Weekday], change: int) -> None:
        row = self.taken[centre]
        for day in days:
            row[day.value] += change

    def start_week(self, week: int, arrivals: Sequence[_Arrival]) -> None:
        """Departures free their places; last week's requests are clarified; arrivals queue."""
        for centre_id, days in self.leaving.pop(week, []):
            self.occupy(centre_id, days, -1)
            self.in_place -= 1
        for request_id, request in list(self.queue.items()):
            if request.awaiting_clarification:
                self.queue[request_id] = attrs.evolve(request, awaiting_clarification=False)
        for arrival in arrivals:
            self.queue[arrival.request.id] = arrival.request

    def answer(self, request_id: str, placed: bool, settled: list[_Settled]) -> bool:
        """Take the other district's answer for a request; return whether it had a hold.

        Placed there, the home place is released; not placed, the home place held
        becomes its place (DV-8).
        """
        hold = self.holds.pop(request_id, None)
        if hold is None:
            return False
        if placed:
            self.occupy(hold.placement.centre, hold.placement.days, -1)
        else:
            self.queue.pop(request_id)
            settled.append(_Settled(hold.request, hold.placement.centre, hold.placement.days, True))
        return True

    def plan(self, policy: PlacementPolicy) -> tuple[list[_Settled], int]:
        """Place the queue; return who got a place and the number of requests moved away.

        A proposal whose held home place became the placement is counted as placed,
        not as a proposal: the request does not move (DV-8).
        """
        plan = place(self.queue.values(), self.centres, occupancy=self.taken, policy=policy)
        settled: list[_Settled] = []
        for placement in plan.placements:
            request = self.queue.pop(placement.request)
            settled.append(_Settled(request, placement.centre, placement.days, False))
            self.answer(placement.request, True, settled)
        moved: list[CrossDistrictProposal] = []
        for proposal in plan.proposals:
            if self.answer(proposal.request, False, settled):
                continue
            moved.append(proposal)
            if proposal.held is not None:
                self.occupy(proposal.held.centre, proposal.held.days, +1)
                self.holds[proposal.request] = _Hold(proposal.held, self.queue[proposal.request])
        for outcome in plan.unplaced:
            self.answer(outcome.request, False, settled)
        for proposal in moved:
            _move(self.queue, proposal)
        return settled, len(moved)

    def row(
        self, week: int, monday: date, arrivals: int, settled: list[_Settled], proposals: int
    ) -> _Week:
        """Take the settled places and measure the week."""
        friday = monday + timedelta(days=4)
        waits: dict[str, list[int]] = {}
        for each in settled:
            if not each.taken:
                self.occupy(each.centre, each.days, +1)
            stay = self.stays[each.request.id]
            self.leaving.setdefault(week + stay, []).append((each.centre, each.days))
            self.in_place += 1
            queued = (friday - each.request.queue_date).days
            waits.setdefault(each.request.district, []).append(queued)
            if each.request.wished_centres:
                self.wished_placed += 1
                self.wished_met += each.centre in each.request.wished_centres
        for request in self.queue.values():
            waits.setdefault(request.district, []).append((friday - request.queue_date).days)
        everyone = [days for group in waits.values() for days in group]
        means = [sum(group) / len(group) for group in waits.values()]
        used = sum(sum(row) for row in self.taken.values())
        return {
            "week": week + 1,
            "date": monday,
            "arrivals": arrivals,
            "placed": len(settled),
            "proposals": proposals,
            "waiting": len(self.queue),
            "in_place": self.in_place,
            "mean_queue_days": sum(everyone) / len(everyone) if everyone else 0.0,
            "longest_queue_days": max(everyone, default=0),
            "utilisation": used / self.capacity if self.capacity else 0.0,
            "district_spread_days": max(means) - min(means) if len(means) > 1 else 0.0,
            "wishes_met": self.wished_met / self.wished_placed if self.wished_placed else 0.0,
        }


def _run(
    policy: PlacementPolicy,
    centres: Sequence[DayCentre],
    weekly: Sequence[Sequence[_Arrival]],
    start: date,
) -> list[_Week]:
    run = _Run(centres, weekly)
    rows: list[_Week] = []
    for week, arrivals in enumerate(weekly):
        run.start_week(week, arrivals)
        settled, proposals = run.plan(policy)
        rows.append(run.row(week, start + timedelta(weeks=week), len(arrivals), settled, proposals))
    return rows


def _move(queue: dict[str, PlacementRequest], proposal: CrossDistrictProposal) -> None:
    """Send the assignment to the district with the place, as the social worker does (DV-8)."""
    queue[proposal.request] = attrs.evolve(queue[proposal.request], district=proposal.district)


# --------------------------------------------------------------------------- summary

# Two-sided 95 % quantiles of Student's t by degrees of freedom (1 to 30), then the
# value at the next lower tabulated count: conservative between them.
_T95: Final = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_T95_BEYOND: Final = ((120, 1.980), (60, 2.000), (40, 2.021), (30, 2.042))


def _t95(freedom: int) -> float:
    if freedom <= len(_T95):
        return _T95[freedom - 1]
    return next(value for count, value in _T95_BEYOND if freedom >= count)


def mean_interval(values: Sequence[float]) -> tuple[float, float, float]:
    """Return the mean and its 95 % confidence interval (medelvärde med intervall), DV-9.

    The interval is Student's t over the values (seeds' results, which are independent
    draws); with a single value both bounds are NaN: one seed cannot tell luck apart.

    Raises:
        InvalidInput: for no values.
    """
    if not values:
        raise InvalidInput("values must hold at least one number")
    mean = statistics.fmean(values)
    if len(values) < 2:  # a spread needs two values
        return mean, math.nan, math.nan
    half = _t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def summarize(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Summarize a simulation over its seeds (sammanfatta), steady state only, DV-9.

    For each policy and measure of :data:`MEASURES`: every seed's steady-state value —
    the mean over the weeks not marked ``warm_up`` (a cumulative measure: its value in
    the last week) — then the mean of those over the seeds, with a 95 % confidence
    interval from Student's t (``low``, ``high``; NaN with a single seed, where luck
    cannot be told from the policy). Two policies whose intervals do not overlap
    differ by more than the seeds' luck.

    Returns:
        One dict per policy and measure, in the rows' order of policies and the order
        of :data:`MEASURES`: ``policy``, ``measure``, ``unit`` (the :class:`Unit`'s
        value), ``seeds``, ``weeks`` (steady weeks per seed), ``mean``, ``sd`` (the
        standard deviation over seeds, NaN with one), ``low`` and ``high``; shares
        from 0 to 1, as in the rows.

    Raises:
        InvalidInput: for rows that are not :func:`simulate`'s, or no steady week.
    """
    given: object = rows
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        raise InvalidInput(
            f"rows must be an iterable of rows from simulate() (dicts), not {describe(given)}"
        )
    runs: dict[str, dict[object, list[Mapping[str, object]]]] = {}
    for row in given:
        if not isinstance(row, Mapping) or any(key not in row for key in COLUMNS):
            raise InvalidInput(
                "each row must be a mapping with the keys of simulate()'s rows: "
                + ", ".join(COLUMNS)
            )
        if not row["warm_up"]:
            runs.setdefault(str(row["policy"]), {}).setdefault(row["seed"], []).append(row)
    if not runs:
        raise InvalidInput(
            "rows must hold at least one week not marked warm_up; simulate more weeks or "
            "set fewer warm_up_weeks"
        )
    summary: list[dict[str, object]] = []
    for policy, seeds in runs.items():
        for measure in MEASURES:
            values = [_steady(weeks, measure) for weeks in seeds.values()]
            mean, low, high = mean_interval(values)
            sd = statistics.stdev(values) if len(values) > 1 else math.nan
            summary.append(
                {
                    "policy": policy,
                    "measure": measure.key,
                    "unit": measure.unit.value,
                    "seeds": len(values),
                    "weeks": min(len(weeks) for weeks in seeds.values()),
                    "mean": mean,
                    "sd": sd,
                    "low": low,
                    "high": high,
                }
            )
    return summary


def _steady(weeks: list[Mapping[str, object]], measure: Measure) -> float:
    ordered = sorted(weeks, key=lambda row: _number(row["week"], "week"))
    if measure.cumulative:
        return _number(ordered[-1][measure.key], measure.key)
    return statistics.fmean(_number(row[measure.key], measure.key) for row in ordered)


def _number(value: object, key: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidInput(f"{key} of each row must be a number, not {describe(value)}")
    return float(value)
