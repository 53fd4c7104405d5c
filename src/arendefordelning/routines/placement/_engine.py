"""The engine's input checks, its index of vacant places and its scoring of centres, DV-7."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast

from ..._validators import class_name, describe, shown
from ...errors import InvalidInput
from ._values import (
    _SCORED,
    _WEEK,
    EARTH_RADIUS_KM,
    Criterion,
    DayCentre,
    District,
    Orientation,
    PlacementPolicy,
    PlacementRequest,
    _week_counts,
)

_T = TypeVar("_T")


# --------------------------------------------------------------------------- input


def _check_policy(policy: object) -> PlacementPolicy:
    if policy is None:
        return PlacementPolicy()
    if not isinstance(policy, PlacementPolicy):
        raise InvalidInput(f"policy must be a PlacementPolicy or None, not {describe(policy)}")
    return policy


def _items(value: object, what: str, kind: type) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput(
            f"{what} must be an iterable of {class_name(kind)}, not {describe(value)}"
        )
    items = list(value)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidInput(
                f"{what} must hold only {class_name(kind)} values, not {describe(item)}"
            )
    return items


def _check_centres(centres: object) -> list[DayCentre]:
    items: list[DayCentre] = _items(centres, "centres", DayCentre)
    items.sort(key=lambda centre: centre.id)
    districts: dict[str, District] = {}
    for before, after in itertools.pairwise(items):
        if before.id == after.id:
            raise InvalidInput(f"centres holds the centre id {after.id!r} twice; give each once")
    for centre in items:
        known = districts.setdefault(centre.district.name, centre.district)
        if known != centre.district:
            raise InvalidInput(
                f"centres give district {centre.district.name} twice with different receivers, "
                "unit manager or stand-ins; use one District value per district"
            )
    return items


def _check_requests(requests: object, centres: Mapping[str, DayCentre]) -> list[PlacementRequest]:
    items: list[PlacementRequest] = _items(requests, "requests", PlacementRequest)
    districts = {centre.district.name for centre in centres.values()}
    seen: set[str] = set()
    for request in items:
        if request.id in seen:
            raise InvalidInput(
                f"requests holds the request id {request.id!r} twice; give each once"
            )
        seen.add(request.id)
        if request.district not in districts:
            known = ", ".join(sorted(districts)) or "none (no centres were given)"
            raise InvalidInput(
                f"request {request.id} names a district that no centre belongs to; the "
                f"districts of the centres given are: {known}"
            )
        for wished in request.wished_centres:
            if wished not in centres:
                raise InvalidInput(
                    f"request {request.id} wishes the centre {wished!r}, which is not among "
                    "the centres given; wished_centres must name centres by id"
                )
    return items


def _check_occupancy(occupancy: object, centres: Mapping[str, DayCentre]) -> dict[str, list[int]]:
    taken = {centre: [0] * len(_WEEK) for centre in centres}
    if occupancy is None:
        return taken
    if not isinstance(occupancy, Mapping):
        raise InvalidInput(
            "occupancy must be a mapping of centre id to places taken per weekday, or None, "
            f"not {describe(occupancy)}"
        )
    given: set[str] = set()
    for raw, value in occupancy.items():
        if isinstance(raw, DayCentre) and centres.get(raw.id) != raw:
            raise InvalidInput(
                f"occupancy names the centre {raw.id!r}, which is not among the centres "
                "given (or differs from the one given with that id)"
            )
        key = raw.id if isinstance(raw, DayCentre) else raw
        if not isinstance(key, str):
            raise InvalidInput(
                f"occupancy must be keyed by centre ids (str) or DayCentre, not {describe(key)}"
            )
        if key not in centres:
            raise InvalidInput(
                f"occupancy names the centre {shown(key)}, which is not among the centres "
                "given; key occupancy by the ids of the centres"
            )
        if key in given:
            raise InvalidInput(f"occupancy names the centre {key!r} twice; name each once")
        given.add(key)
        counts = _week_counts(f"occupancy[{key!r}]", value)
        places = centres[key].places
        for day, count, limit in zip(_WEEK, counts, places, strict=True):
            if count > limit:
                raise InvalidInput(
                    f"occupancy[{key!r}] on {day.english} is more than the centre's "
                    f"{limit} places; occupancy must not exceed the places"
                )
        taken[key] = list(counts)
    return taken


# --------------------------------------------------------------------------- the engine


class _Centre(NamedTuple):
    """What the engine needs of a centre, precomputed once per call."""

    centre: DayCentre
    lat: float
    lon: float
    cos_lat: float


class _Best(NamedTuple):
    score: float
    at: int
    parts: tuple[float, float, float, float, float, float]


def _better(score: float, index: int, best: _Best | None) -> bool:
    return best is None or score > best.score or (score == best.score and index < best.at)


class _Ask:
    """What the engine needs of a request, precomputed once per request."""

    __slots__ = (
        "cognitive",
        "cos_lat",
        "days",
        "den",
        "language",
        "lat",
        "lon",
        "needs",
        "request",
        "wish_score",
        "wished",
    )

    def __init__(self, request: PlacementRequest, index_of: Mapping[str, int]) -> None:
        self.request = request
        self.days = request.days
        count = len(request.wished_centres)
        self.wish_score = {
            index_of[centre]: float(count - rank)
            for rank, centre in enumerate(request.wished_centres)
        }
        self.wished = tuple(day.value for day in sorted(request.wished_weekdays))
        self.den = min(request.days, len(self.wished))
        self.language = request.language
        location = request.location
        self.lat = math.radians(location.latitude) if location is not None else 0.0
        self.lon = math.radians(location.longitude) if location is not None else 0.0
        self.cos_lat = math.cos(self.lat)
        self.cognitive = request.cognitive_impairment
        self.needs = request.needs


class _Engine:
    """Vacancy per centre and weekday, with an index of what still has vacancy.

    ``buckets[(district, orientation)][k]`` holds the indices of the centres with
    vacant places on exactly ``k`` weekdays; ``by_k[orientation][k]`` the districts
    whose best centre of that orientation has ``k``. A request needing ``n`` days looks
    only at buckets ``k >= n``, so full centres and full districts cost nothing.
    """

    def __init__(
        self, centres: Sequence[DayCentre], taken: Mapping[str, list[int]], policy: PlacementPolicy
    ) -> None:
        self.policy = policy
        self.weights = policy.weights
        self.horizon = float(policy.distance_horizon_km)
        self.centres = [
            _Centre(
                centre,
                math.radians(centre.location.latitude),
                math.radians(centre.location.longitude),
                math.cos(math.radians(centre.location.latitude)),
            )
            for centre in centres
        ]
        self.index_of = {centre.id: index for index, centre in enumerate(centres)}
        self.vacant = [
            [places - used for places, used in zip(c.places, taken[c.id], strict=True)]
            for c in centres
        ]
        self.initial = [[v > 0 for v in row] for row in self.vacant]
        self.days_open = [sum(v > 0 for v in row) for row in self.vacant]
        self.districts = {c.district.name: c.district for c in centres}
        self.has_orientation = {(c.district.name, c.orientation) for c in centres}
        self.orientations = {c.orientation for c in centres}
        self.buckets: dict[tuple[str, Orientation], list[set[int]]] = {}
        for district in self.districts:
            for orientation in Orientation:
                self.buckets[(district, orientation)] = [set() for _ in range(len(_WEEK) + 1)]
        for index, c in enumerate(centres):
            self.buckets[(c.district.name, c.orientation)][self.days_open[index]].add(index)
        self.top: dict[tuple[str, Orientation], int] = {}
        self.by_k: dict[Orientation, list[set[str]]] = {
            orientation: [set() for _ in range(len(_WEEK) + 1)] for orientation in Orientation
        }
        for key in self.buckets:
            top = self._top(key)
            self.top[key] = top
            self.by_k[key[1]][top].add(key[0])
        self.initial_top = dict(self.top)
        self.offer: dict[tuple[str, Orientation], tuple[frozenset[str], bool, frozenset[str]]] = {}
        for c in centres:
            languages, suits, profile = self.offer.get(
                (c.district.name, c.orientation), (frozenset(), False, frozenset())
            )
            self.offer[(c.district.name, c.orientation)] = (
                languages | c.languages,
                suits or c.suits_cognitive_impairment,
                profile | c.profile,
            )
        self.memo: dict[tuple[object, ...], Any] = {}
        """Reasons and actions that many outcomes share, built once per call."""

    def shared(self, key: tuple[object, ...], build: Callable[[], _T]) -> _T:
        """Return the value built for ``key`` in this call, building it the first time."""
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = build()
        return cast(_T, found)

    # ----------------------------------------------------------------------- index

    def _top(self, key: tuple[str, Orientation]) -> int:
        buckets = self.buckets[key]
        for k in range(len(_WEEK), 0, -1):
            if buckets[k]:
                return k
        return 0

    def feasible(self, district: str, orientation: Orientation, days: int) -> Iterable[int]:
        """Return the district's centres with vacant places on at least ``days`` weekdays."""
        key = (district, orientation)
        if self.top[key] < days:
            return ()
        buckets = self.buckets[key]
        return [index for k in range(days, len(_WEEK) + 1) for index in buckets[k]]

    def districts_with(self, orientation: Orientation, days: int) -> list[str]:
        """Return the districts with a centre of the orientation vacant on ``days`` days or more."""
        sets = self.by_k[orientation]
        return sorted(name for k in range(days, len(_WEEK) + 1) for name in sets[k])

    def take(self, index: int, days: Sequence[int]) -> None:
        """Take one place on each of ``days`` at centre ``index`` and update the index."""
        row = self.vacant[index]
        closed = 0
        for day in days:
            row[day] -= 1
            if row[day] == 0:
                closed += 1
        if closed:
            centre = self.centres[index].centre
            key = (centre.district.name, centre.orientation)
            old = self.days_open[index]
            self.days_open[index] = old - closed
            self.buckets[key][old].discard(index)
            self.buckets[key][old - closed].add(index)
            top = self._top(key)
            if top != self.top[key]:
                self.by_k[key[1]][self.top[key]].discard(key[0])
                self.by_k[key[1]][top].add(key[0])
                self.top[key] = top

    # ----------------------------------------------------------------------- scoring

    def days_at(self, ask: _Ask, index: int) -> tuple[int, ...]:
        """Pick the weekdays the request gets at a centre: wished first, then most vacant.

        Among the weekdays with a vacant place, the wished ones come first; within
        each group the day with the most vacant places comes first, then the earlier
        day. The first ``days`` of that order are taken, and returned Monday first.
        """
        row = self.vacant[index]
        open_days = [day for day in range(len(_WEEK)) if row[day] > 0]
        wished = set(ask.wished)
        open_days.sort(key=lambda day: (day not in wished, -row[day], day))
        return tuple(sorted(open_days[: ask.days]))

    def parts(self, ask: _Ask, index: int) -> tuple[float, float, float, float, float, float]:
        c = self.centres[index]
        centre = c.centre
        wish = ask.wish_score.get(index, 0.0)
        if ask.den:
            row = self.vacant[index]
            met = sum(1 for day in ask.wished if row[day] > 0)
            weekdays = min(met, ask.den) / ask.den
        else:
            weekdays = 0.0
        language = 1.0 if ask.language is not None and ask.language in centre.languages else 0.0
        if ask.request.location is not None:
            h = (
                math.sin((c.lat - ask.lat) / 2) ** 2
                + ask.cos_lat * c.cos_lat * math.sin((c.lon - ask.lon) / 2) ** 2
            )
            km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
            proximity = max(0.0, 1.0 - km / self.horizon)
        else:
            proximity = 0.0
        cognitive = 1.0 if ask.cognitive and centre.suits_cognitive_impairment else 0.0
        needs = len(ask.needs & centre.profile) / len(ask.needs) if ask.needs else 0.0
        return (wish, weekdays, language, proximity, cognitive, needs)

    def bound(self, ask: _Ask, district: str, orientation: Orientation) -> float:
        """Return an upper bound of the score of any unwished centre of a district.

        Each part is at most 1, and 0 where no centre of the district could earn it;
        floating-point sums are monotone, so no centre scores above the bound.
        """
        languages, suits, profile = self.offer[(district, orientation)]
        w = self.weights
        return (
            w[1] * (1.0 if ask.den else 0.0)
            + w[2] * (1.0 if ask.language is not None and ask.language in languages else 0.0)
            + w[3] * (1.0 if ask.request.location is not None else 0.0)
            + w[4] * (1.0 if ask.cognitive and suits else 0.0)
            + w[5] * (1.0 if ask.needs & profile else 0.0)
        )

    def score(self, parts: Sequence[float]) -> float:
        w = self.weights
        return (
            w[0] * parts[0]
            + w[1] * parts[1]
            + w[2] * parts[2]
            + w[3] * parts[3]
            + w[4] * parts[4]
            + w[5] * parts[5]
        )

    def best_of(
        self,
        ask: _Ask,
        indices: Iterable[int],
        best: _Best | None,
        second: _Best | None,
        at_least: float = -math.inf,
    ) -> tuple[_Best | None, _Best | None]:
        """Fold candidates into the best and the runner-up; skip those below ``at_least``."""
        for index in indices:
            parts = self.parts(ask, index)
            score = self.score(parts)
            if score < at_least:
                continue
            if _better(score, index, best):
                best, second = _Best(score, index, parts), best
            elif _better(score, index, second):
                second = _Best(score, index, parts)
        return best, second


def _criterion(engine: _Engine, best: _Best, second: _Best | None) -> Criterion:
    if second is None:
        return Criterion.ONLY_VACANCY
    gains = [w * (a - b) for w, a, b in zip(engine.weights, best.parts, second.parts, strict=True)]
    top = max(gains)
    if top <= 0 or best.score == second.score:
        return Criterion.CENTRE_ID
    return _SCORED[gains.index(top)]
