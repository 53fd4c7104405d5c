"""Placement on day activity (placering på dagverksamhet): the engine of routine DV.

The assignment receivers (uppdragsmottagare) of a city district (stadsområde) place
the individuals the authority has granted day activity at the district's day centres
(DV-1). This module holds the values they work with and one pure function,
:func:`place`, that turns a queue of placement requests into a
:class:`PlacementPlan`:

* **Hard constraints** (DV-7 a, c): the centre has the orientation of the decision,
  and the individual gets exactly the granted number of weekdays, all at one centre,
  each with a vacant place. Capacity is never exceeded.
* **Ranking** (DV-7 b, d): among the centres that satisfy the constraints, a weighted
  score (:class:`PlacementPolicy`) ranks wishes first, then language, then distance,
  then the rest (suitability for cognitive impairment, the needs of the assignment).
  Ties go to the centre whose id sorts first.
* **Fairness** (DV-1, DV-7): requests are served one at a time in queue order, the
  earliest queue date (kötid) first, ties by request id (serial dictatorship). So a
  request is never left unplaced, or placed worse by the policy's ranking, while a
  request with a shorter queue time takes a place it could have had.
* **Cross-district proposals** (DV-8): with no place in the district, or a wish for a
  centre in another district (or, if the policy says so, needs best met elsewhere by
  a margin), the plan proposes a centre elsewhere. A proposal reserves nothing; it
  names the district with the place and the steps of DV-8.
* **Clarification** (DV-6): a request that awaits clarification stays outside the
  plan until it is clarified.
* **Reasons**: every outcome carries its reasons, in plain Swedish and English
  (``explain(language="sv")``), naming no personal data beyond the request id.

The routine's people, as far as the engine needs them, are on :class:`District`: at
least two assignment receivers besides the unit manager (DV-2), the unit manager who
answers for distribution (DV-4), and the day-centre staff who may stand in for a
receiver and then act in the receiver's role (DV-3). Who stood in for whom, and when,
is recorded by the routine's life, :mod:`arendefordelning.routines.day_activity`, not
here; so is the daily review of incoming assignments, and the places the centres hold
are derived from its record (``occupancy_of``).

Distances are great-circle kilometres on a sphere of the Earth's mean radius,
6371.0088 km (the haversine formula, :func:`distance_km`): "as the crow flies", not
by road.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Final, NamedTuple, TypeAlias, TypeVar, cast

import attrs

from .._validators import (
    degrees,
    describe,
    flag,
    instance_of,
    language_set,
    name,
    non_negative,
    optional_language,
    optional_non_negative,
    optional_text,
    plain_date,
    positive,
    shown,
    tag_set,
    unique_identifiers,
    whole_number,
)
from ..deadlines import Language
from ..errors import InvalidInput
from ..kernel import ActionKind, RequiredAction, Role, check_identifier, identifier

__all__ = [
    "EARTH_RADIUS_KM",
    "MIN_RECEIVERS",
    "Criterion",
    "CrossDistrictCause",
    "CrossDistrictProposal",
    "DayCentre",
    "Deferred",
    "District",
    "Location",
    "NotPlaced",
    "Occupancy",
    "Orientation",
    "Outcome",
    "Placement",
    "PlacementPlan",
    "PlacementPolicy",
    "PlacementReason",
    "PlacementRequest",
    "RankedCentre",
    "ReasonCode",
    "Weekday",
    "WishStatus",
    "distance_km",
    "place",
    "rank",
]

EARTH_RADIUS_KM: Final = 6371.0088
"""Mean radius of the Earth in km (IUGG), the sphere distances are measured on, DV-7 (d)."""

MIN_RECEIVERS: Final = 2
"""Assignment receivers a city district has at least, besides the unit manager, DV-2."""

_T = TypeVar("_T")
_LANGUAGES: Final = ("sv", "en")


# --------------------------------------------------------------------------- closed sets


class Weekday(enum.IntEnum):
    """Weekday (veckodag): Monday to Friday, the days a day centre is open, DV-7 (c).

    The values are those of :meth:`datetime.date.weekday`, so ``Weekday(d.weekday())``
    is the weekday of a date ``d`` from Monday to Friday.
    """

    MONDAY = 0
    """Monday (måndag)."""
    TUESDAY = 1
    """Tuesday (tisdag)."""
    WEDNESDAY = 2
    """Wednesday (onsdag)."""
    THURSDAY = 3
    """Thursday (torsdag)."""
    FRIDAY = 4
    """Friday (fredag)."""

    @property
    def swedish(self) -> str:
        """The weekday's Swedish name in lower case, such as ``"måndag"``."""
        return _WEEKDAY_SV[self.value]

    @property
    def english(self) -> str:
        """The weekday's English name, such as ``"Monday"``."""
        return _WEEKDAY_EN[self.value]


_WEEKDAY_SV: Final = ("måndag", "tisdag", "onsdag", "torsdag", "fredag")
_WEEKDAY_EN: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_WEEK: Final = tuple(Weekday)


class Orientation(enum.Enum):
    """Orientation (inriktning): dementia or social, of a decision and of a centre, DV-7 (a).

    The values are the routine's Swedish words.
    """

    DEMENTIA = "demenssjukdom"
    """For persons with dementia (demenssjukdom)."""
    SOCIAL = "social"
    """Social orientation (social inriktning)."""

    @property
    def english(self) -> str:
        """The orientation in English: ``"dementia"`` or ``"social"``."""
        return "dementia" if self is Orientation.DEMENTIA else "social"


# --------------------------------------------------------------------------- validators


def _to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Turn a list, tuple or set into a frozenset; leave anything else to the validator."""
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return cast("frozenset[Any]", value)


def _to_tags(value: Iterable[str]) -> frozenset[str]:
    """Turn tags into a frozenset of case-folded tags; leave bad input to the validator."""
    if isinstance(value, list | tuple | set | frozenset) and all(
        isinstance(item, str) for item in value
    ):
        return frozenset(item.casefold() for item in value)
    return _to_frozenset(value)


def _to_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Turn a list into a tuple; leave anything else to the validator."""
    if isinstance(value, list):
        return tuple(value)
    return cast("tuple[str, ...]", value)


def _weekday_set(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not frozenset or not all(isinstance(day, Weekday) for day in value):
        raise InvalidInput(
            f"{attribute.name} must be a set of Weekday members (Monday to Friday), "
            f"not {describe(value)}"
        )


def _granted_days(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    whole_number(f"{attribute.name} (days per week, Monday to Friday)", value, 1, len(_WEEK))


def _week_counts(field: str, value: object) -> tuple[int, ...]:
    """Check places per weekday: an int for every day, a Weekday mapping or five ints."""
    counts: list[object]
    if type(value) is int:
        counts = [value] * len(_WEEK)
    elif isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, Weekday):
                raise InvalidInput(
                    f"{field} must map Weekday members (Monday to Friday) to counts, "
                    f"not keys of type {type(key).__name__}"
                )
        counts = [value.get(day, 0) for day in _WEEK]
    elif isinstance(value, tuple | list) and len(value) == len(_WEEK):
        counts = list(value)
    else:
        raise InvalidInput(
            f"{field} must be a whole number of places for every weekday, a mapping of "
            f"Weekday to places, or five whole numbers Monday to Friday, not {describe(value)}"
        )
    return tuple(
        whole_number(f"{field} on {day.english}", count, 0)
        for day, count in zip(_WEEK, counts, strict=True)
    )


def _to_places(value: int | Mapping[Weekday, int] | Sequence[int]) -> tuple[int, ...]:
    return _week_counts("places", value)


def _coordinate(value: float) -> float:
    """Accept an int as a float; leave anything else to the validator."""
    if type(value) is int:
        return float(value)
    return value


def _check_language(language: object) -> Language:
    if language not in _LANGUAGES:
        raise InvalidInput("language must be 'sv' (Swedish) or 'en' (English)")
    return language


# --------------------------------------------------------------------------- places on a map


@attrs.frozen
class Location:
    """Geographic location (geografiskt läge): WGS84 latitude and longitude, DV-7 (d).

    Degrees as floats (an int is taken as a float): latitude from -90 to 90, longitude
    from -180 to 180. A message about a bad coordinate never repeats it.

    >>> round(Location(59.3293, 18.0686).distance_to(Location(59.8586, 17.6389)), 1)
    63.6
    """

    latitude: float = attrs.field(converter=_coordinate, validator=degrees(90))
    """Latitude in degrees north (negative south), -90 to 90."""
    longitude: float = attrs.field(converter=_coordinate, validator=degrees(180))
    """Longitude in degrees east (negative west), -180 to 180."""

    def distance_to(self, other: Location) -> float:
        """Great-circle distance to ``other`` in km (geografisk närhet), DV-7 (d)."""
        return distance_km(self, other)


def distance_km(a: Location, b: Location) -> float:
    """Great-circle distance in km (geografisk närhet) between two locations, DV-7 (d).

    The haversine formula on a sphere of radius :data:`EARTH_RADIUS_KM` (6371.0088 km,
    the Earth's mean radius): as the crow flies, within about 0.5 % of the distance on
    the ellipsoid. Symmetric, zero for the same place, never negative.

    Raises:
        InvalidInput: when ``a`` or ``b`` is not a :class:`Location`.
    """
    for label, value in (("a", a), ("b", b)):
        if not isinstance(value, Location):
            raise InvalidInput(f"{label} must be a Location, not {describe(value)}")
    return _haversine(
        math.radians(a.latitude),
        math.radians(a.longitude),
        math.radians(b.latitude),
        math.radians(b.longitude),
    )


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


# --------------------------------------------------------------------------- district and centres


_identifiers: Final = unique_identifiers(check_identifier, "identifiers (staff or centre ids)")


def _receivers(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _identifiers(instance, attribute, value)
    if len(cast("tuple[str, ...]", value)) < MIN_RECEIVERS:
        raise InvalidInput(
            f"receivers must name at least {MIN_RECEIVERS} assignment receivers "
            f"(uppdragsmottagare) besides the unit manager (DV-2); fewer were given"
        )


@attrs.frozen
class District:
    """City district (stadsområde): its assignment receivers and unit manager, DV-2, DV-3, DV-4.

    A district has at least :data:`MIN_RECEIVERS` (two) assignment receivers
    (uppdragsmottagare) besides the unit manager (DV-2): staff members with the extended
    mission to distribute assignments (DV-3). ``stand_ins`` are the staff of the
    district's day centres who may distribute when a receiver is absent (DV-3); a
    stand-in then acts in the assignment receiver's role. The unit manager (enhetschef)
    is ultimately responsible for assignments being distributed (DV-4): a request the
    plan cannot place is the unit manager's to follow up.

    Staff are named by their ids in the embedding system, never by a personal identity
    number. Who stands in for whom, and when, is recorded by the routine's life
    (``stands_in_for`` in :mod:`arendefordelning.routines.day_activity`).
    """

    name: str = attrs.field(validator=name)
    """The district's name (``"Norr"``), how requests name it."""
    unit_manager: str = attrs.field(kw_only=True, validator=identifier)
    """The unit manager (enhetschef) who answers for distribution, by staff id. DV-4."""
    receivers: tuple[str, ...] = attrs.field(
        kw_only=True, converter=_to_tuple, validator=_receivers
    )
    """The assignment receivers (uppdragsmottagare), at least two, by staff id. DV-2, DV-3."""
    stand_ins: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_tuple, validator=_identifiers
    )
    """Day-centre staff who may stand in for an absent receiver, by staff id. DV-3."""

    def __attrs_post_init__(self) -> None:
        if self.unit_manager in self.receivers:
            raise InvalidInput(
                f"the unit manager of district {self.name} must not be among its receivers: "
                f"a district has at least {MIN_RECEIVERS} assignment receivers besides the "
                "unit manager (DV-2)"
            )
        for staff in self.stand_ins:
            if staff in self.receivers or staff == self.unit_manager:
                raise InvalidInput(
                    f"stand_ins of district {self.name} names {staff!r}, who is already a "
                    "receiver or the unit manager; list day-centre staff who stand in (DV-3)"
                )

    def role_of(self, staff: str) -> Role | None:
        """Return the role (roll) a staff member acts in when distributing here, DV-3, DV-4.

        A receiver, or a stand-in from a day centre, acts as assignment receiver
        (DV-3); the unit manager as unit manager (DV-4); anyone else has no role here.
        """
        if staff in self.receivers or staff in self.stand_ins:
            return Role.ASSIGNMENT_RECEIVER
        if staff == self.unit_manager:
            return Role.UNIT_MANAGER
        return None

    def may_distribute(self, staff: str) -> bool:
        """Whether a staff member may distribute (fördela) the district's assignments, DV-3."""
        return self.role_of(staff) is Role.ASSIGNMENT_RECEIVER


@attrs.frozen(kw_only=True)
class DayCentre:
    """Day centre (dagverksamhet): a district's centre, its orientation and places, DV-1, DV-7.

    ``places`` is the number of places on each weekday, Monday to Friday: give an
    int for the same number every day, a mapping of :class:`Weekday` to places (a day
    left out has none) or five ints. ``languages`` are the ISO 639-1 codes of the
    languages the activity is offered in (Swedish by default); ``profile`` is what the
    centre offers, as tags matched against a request's needs: how the municipality
    makes meaningfulness, manageability and comprehensibility concrete (``"musik"``,
    ``"trädgård"``, ``"liten grupp"``). Tags are compared case-folded.
    """

    id: str = attrs.field(validator=identifier)
    """The centre's identifier (its name or code in the case system)."""
    district: District = attrs.field(validator=instance_of(District))
    """The city district the centre belongs to. DV-1."""
    orientation: Orientation = attrs.field(validator=instance_of(Orientation))
    """Dementia or social. DV-7 (a)."""
    places: tuple[int, ...] = attrs.field(converter=_to_places)
    """Places per weekday, Monday to Friday (five whole numbers, 0 or more). DV-7 (c)."""
    location: Location = attrs.field(validator=instance_of(Location))
    """Where the centre is (WGS84). DV-7 (d)."""
    languages: frozenset[str] = attrs.field(
        default=frozenset({"sv"}), converter=_to_frozenset, validator=language_set
    )
    """Languages the activity is offered in, ISO 639-1 codes. DV-7 (d)."""
    suits_cognitive_impairment: bool = attrs.field(default=False, validator=flag)
    """Whether the centre is adapted to cognitive impairment (kognitiv svikt). DV-7 (d)."""
    profile: frozenset[str] = attrs.field(factory=frozenset, converter=_to_tags, validator=tag_set)
    """What the centre offers, as tags a request's needs are matched against. DV-7 (d)."""

    def places_on(self, day: Weekday) -> int:
        """Return the centre's places (platser) on a weekday."""
        return self.places[Weekday(day).value]


# --------------------------------------------------------------------------- requests


def _to_centre_ids(value: Iterable[str | DayCentre]) -> tuple[str, ...]:
    """Turn a list or tuple of ids or centres into a tuple of ids; leave the rest."""
    if isinstance(value, list | tuple):
        return tuple(item.id if isinstance(item, DayCentre) else item for item in value)
    return cast("tuple[str, ...]", value)


def _to_district_name(value: str | District) -> str:
    """Take a District as its name; leave anything else to the validator."""
    return value.name if isinstance(value, District) else value


@attrs.frozen(kw_only=True)
class PlacementRequest:
    """Assignment of day activity (uppdrag om dagverksamhet): one request to place, DV-1, DV-7.

    What the authority's assignment says: the district, the decision's orientation and
    days per week granted (1–5), the queue date (kötid: the day the individual entered
    the queue; an earlier date is a longer queue time), the individual's wishes (centres
    by id in order of preference, and weekdays), language (ISO 639-1), home location,
    cognitive impairment, and the needs of the assignment as tags and as free text.
    ``awaiting_clarification`` is True while the receivers clarify the assignment with
    the individual and/or relatives (DV-6); the request then stays outside the plan.

    ``location`` and ``needs_text`` are left out of ``repr``: they describe a person.
    Free text holding a personal identity number is refused (X-7).
    """

    id: str = attrs.field(validator=identifier)
    """The case number (ärendenummer) of the assignment; never a personal identity number."""
    district: str = attrs.field(converter=_to_district_name, validator=name)
    """The name of the city district (stadsområde) the assignment was sent to, DV-1.

    A :class:`District` is taken as its name.
    """
    orientation: Orientation = attrs.field(validator=instance_of(Orientation))
    """The orientation of the decision (inriktning). DV-7 (a)."""
    days: int = attrs.field(validator=_granted_days)
    """Days per week granted, 1 to 5. DV-1, DV-7 (c)."""
    queue_date: date = attrs.field(validator=plain_date)
    """The day the individual entered the queue (kötid); earlier means longer. DV-1, DV-7."""
    wished_centres: tuple[str, ...] = attrs.field(
        default=(), converter=_to_centre_ids, validator=_identifiers
    )
    """Centres the individual wishes, by id (or DayCentre), the most wished first. DV-7 (b)."""
    wished_weekdays: frozenset[Weekday] = attrs.field(
        factory=frozenset, converter=_to_frozenset, validator=_weekday_set
    )
    """Weekdays the individual wishes. DV-7 (b)."""
    language: str | None = attrs.field(default=None, validator=optional_language)
    """The individual's language as an ISO 639-1 code, or None. DV-7 (d)."""
    location: Location | None = attrs.field(
        default=None, repr=False, validator=instance_of(Location, optional=True)
    )
    """Where the individual lives (WGS84), or None if not known. DV-7 (d)."""
    cognitive_impairment: bool = attrs.field(default=False, validator=flag)
    """Whether the assignment states cognitive impairment (kognitiv svikt). DV-7 (d)."""
    needs: frozenset[str] = attrs.field(factory=frozenset, converter=_to_tags, validator=tag_set)
    """The needs of the assignment as tags matched against a centre's profile. DV-7 (d)."""
    needs_text: str | None = attrs.field(default=None, repr=False, validator=optional_text)
    """The needs as the assignment states them, free text (no identity numbers, X-7)."""
    awaiting_clarification: bool = attrs.field(default=False, validator=flag)
    """Whether the assignment awaits clarification with the individual or relatives. DV-6."""


# --------------------------------------------------------------------------- policy


@attrs.frozen
class PlacementPolicy:
    """Weights of the choice of day centre (val av dagverksamhet), DV-7, DV-8, X-4.

    A centre's score for a request is the weighted sum of six parts, each computed for
    the centres that satisfy the hard constraints (orientation, a vacant place on the
    granted number of weekdays):

    * wish: for the k-th of n wished centres ``n - k + 1`` (the first of three wishes
      scores 3, the third 1), 0 for a centre not wished;
    * weekdays: the share of the wished weekdays the centre can give, of as many as
      can be granted (``min(days, len(wished_weekdays))``), 0 with no wished weekdays;
    * language: 1 if the centre offers the individual's language, else 0;
    * proximity: ``max(0, 1 - km / distance_horizon_km)``, 0 with no location;
    * cognitive impairment: 1 if the assignment states it and the centre suits it;
    * needs: the share of the request's need tags in the centre's profile.

    The defaults make the score behave as the order wishes > language > distance > the
    rest: one step of wish rank (1000) outweighs everything below it (at most 710.1);
    one step of weekday share (at least 600 / 5 = 120) outweighs language and all below
    (110.1); language (100) outweighs distance and the rest (10.1); and a centre more
    than 1 km nearer outweighs the rest (0.1 per km against at most 0.1). Ties go to the
    centre whose id sorts first.
    """

    wish_weight: float = attrs.field(default=1000.0, validator=non_negative)
    """Weight of one step of wish rank among the wished centres. DV-7 (b)."""
    weekday_weight: float = attrs.field(default=600.0, validator=non_negative)
    """Weight of the share of wished weekdays met. DV-7 (b)."""
    language_weight: float = attrs.field(default=100.0, validator=non_negative)
    """Weight of the centre offering the individual's language. DV-7 (d)."""
    distance_weight: float = attrs.field(default=10.0, validator=non_negative)
    """Weight of proximity: a centre at the individual's home scores all of it. DV-7 (d)."""
    distance_horizon_km: float = attrs.field(default=100.0, validator=positive)
    """Distance in km at which proximity reaches 0 (linear from 0 km). DV-7 (d)."""
    cognitive_weight: float = attrs.field(default=0.06, validator=non_negative)
    """Weight of a centre suiting the cognitive impairment the assignment states. DV-7 (d)."""
    needs_weight: float = attrs.field(default=0.04, validator=non_negative)
    """Weight of the share of need tags the centre's profile meets. DV-7 (d)."""
    cross_district: bool = attrs.field(default=True, validator=flag)
    """Whether to propose a centre in another district (no place, or a wish). DV-8."""
    elsewhere_margin: float | None = attrs.field(default=None, validator=optional_non_negative)
    """Lead an unwished centre elsewhere needs over the district's best to be proposed. DV-8.

    None (the default) proposes a centre in another district only when the district
    has no place or the individual wishes it (DV-1: the district places first). A
    number lets the needs be best met elsewhere (DV-8): an unwished centre of another
    district is proposed when its score beats the district's best by at least that
    much. With the default weights, 50 proposes a centre elsewhere for a language or a
    weekday wish the district cannot meet, never for distance alone (at most 10); 0
    lets the centres of every district compete on equal terms.
    """
    hold_home_place: bool = attrs.field(default=True, validator=flag)
    """Whether a request proposed a place elsewhere keeps its home place meanwhile. DV-8.

    True (the default): a request whose wish or needs win a centre in another district,
    while its own district has a place for it, keeps that home place provisionally
    (:attr:`CrossDistrictProposal.held`) until the other district answers; if the other
    district declines, the person has lost nothing to someone who queued less. False:
    the proposal reserves nothing, and the home place goes to the next in the queue.
    """

    @property
    def weights(self) -> tuple[float, float, float, float, float, float]:
        """The six weights in the order of :class:`Criterion`, the wish first."""
        return (
            float(self.wish_weight),
            float(self.weekday_weight),
            float(self.language_weight),
            float(self.distance_weight),
            float(self.cognitive_weight),
            float(self.needs_weight),
        )


class Criterion(enum.Enum):
    """Criterion (kriterium) that decided between the two best centres, DV-7.

    The first six are the parts of the score (:class:`PlacementPolicy`), in the
    order of the default weights.
    """

    WISH = "önskemål om verksamhet"
    """The wish of a centre (DV-7 b)."""
    WEEKDAYS = "önskemål om veckodagar"
    """The wish of weekdays (DV-7 b)."""
    LANGUAGE = "språk"
    """The individual's language (DV-7 d)."""
    DISTANCE = "geografisk närhet"
    """Distance to the individual's home (DV-7 d)."""
    COGNITIVE_IMPAIRMENT = "kognitiv svikt"
    """Suitability for cognitive impairment (DV-7 d)."""
    NEEDS = "behov"
    """The needs of the assignment against the centre's profile (DV-7 d)."""
    ONLY_VACANCY = "enda lediga plats"
    """The only centre with a vacant place on the granted days (DV-7 c)."""
    CENTRE_ID = "verksamhetens id"
    """Equal scores: the centre whose id sorts first."""


_SCORED: Final = tuple(Criterion)[:6]


class WishStatus(enum.Enum):
    """Why a wish was not met (önskemål som inte uppfylls), DV-7 (b)."""

    ORIENTATION = "annan inriktning"
    """The wished centre has another orientation than the decision."""
    NO_VACANCY = "ingen ledig plats"
    """The wished centre had no vacant place on the granted days before this plan."""
    TAKEN = "platserna gick till längre kötid"
    """The wished centre's vacant places went to requests with a longer queue time."""
    OTHER_DISTRICT = "annat stadsområde"
    """The wished centre is in another district and the policy proposes none there."""
    RANKED_LOWER = "lägre rangordning"
    """Other criteria weighed more under the policy."""


class CrossDistrictCause(enum.Enum):
    """Why a place is proposed in another district (fördelning till annat stadsområde), DV-8."""

    NO_PLACE = "ingen plats"
    """The district has no centre with the orientation and a vacant place on the days."""
    WISH = "önskemål"
    """The individual wishes a centre in the other district, and it has a place."""
    NEEDS = "behov"
    """Needs are best met in the other district, by ``elsewhere_margin`` or more."""


class ReasonCode(enum.Enum):
    """Kind of reason (skäl) in an outcome's explanation, DV-1, DV-6, DV-7, DV-8."""

    PLACED = "placerad"
    PROPOSED = "förslag i annat stadsområde"
    DECISION = "beslut"
    DECISIVE = "avgörande"
    WISH_MET = "önskemål uppfyllt"
    WISH_ELSEWHERE = "önskemål kan uppfyllas i annat stadsområde"
    WISH_NOT_MET = "önskemål inte uppfyllt"
    WEEKDAYS = "veckodagar"
    LANGUAGE = "språk"
    DISTANCE = "avstånd"
    COGNITIVE_IMPAIRMENT = "kognitiv svikt"
    NEEDS = "behov"
    QUEUE = "kötid"
    QUEUE_LOST = "platser till längre kötid"
    NO_CENTRE = "ingen verksamhet med inriktningen"
    NO_VACANCY = "ingen ledig plats"
    CROSS_DISTRICT_OFF = "inga förslag i andra stadsområden"
    CAUSE_WISH = "önskemål i annat stadsområde"
    CAUSE_NEEDS = "behov bäst tillgodosedda i annat stadsområde"
    NOT_RESERVED = "ingen plats reserverad"
    HOME_HELD = "platsen i det egna stadsområdet hålls kvar"
    STAYS_IN_QUEUE = "kvar i kön"
    AWAITING_CLARIFICATION = "väntar på förtydligande"


# --------------------------------------------------------------------------- reasons


@attrs.frozen(kw_only=True, repr=False)
class PlacementReason:
    """Reason (skäl): one sentence of why a request was placed, proposed, left or deferred.

    Built by :func:`place`. ``code`` says what kind of reason it is and which of the
    other fields it uses; ``requirement`` names the rule it comes from. The reason
    holds no personal data: centres and districts by name, distances in km, dates.
    """

    code: ReasonCode
    """What kind of reason."""
    requirement: str
    """The requirement it comes from (``"DV-7"``)."""
    centre: str | None = None
    """The centre the reason is about."""
    district: str | None = None
    """The district the reason is about."""
    days: tuple[Weekday, ...] = ()
    """Weekdays (placed, or wished and met)."""
    missed: tuple[Weekday, ...] = ()
    """Wished weekdays not met."""
    count: int | None = None
    """Days per week granted, or the number of wishes."""
    rank: int | None = None
    """The rank of a wish, 1 for the first."""
    criterion: Criterion | None = None
    """The criterion that decided."""
    status: WishStatus | None = None
    """Why a wish was not met."""
    orientation: Orientation | None = None
    """The orientation of the decision."""
    language: str | None = None
    """An ISO 639-1 language code."""
    met: bool | None = None
    """Whether a criterion was met."""
    km: float | None = None
    """A distance in km."""
    tags: tuple[str, ...] = ()
    """Need tags met."""
    missing: tuple[str, ...] = ()
    """Need tags not met."""
    queue_date: date | None = None
    """The queue date."""
    position: int | None = None
    """Place in the queue, 1 for the first."""
    total: int | None = None
    """Requests in the queue."""

    def __repr__(self) -> str:
        return f"PlacementReason({self.code.name}, {self.requirement})"

    def explain(self, language: Language = "sv") -> str:
        """Explain the reason in one sentence, in Swedish (``"sv"``) or English (``"en"``)."""
        from ._placement_text import sentence  # noqa: PLC0415 - it imports this module

        return sentence(self, _check_language(language) == "sv")


def _explain(
    request: str,
    reasons: Iterable[PlacementReason],
    actions: Iterable[RequiredAction],
    language: Language,
) -> str:
    from ._placement_text import explain_outcome  # noqa: PLC0415 - it imports this module

    return explain_outcome(request, reasons, actions, _check_language(language) == "sv")


# --------------------------------------------------------------------------- outcomes


@attrs.frozen(kw_only=True, repr=False)
class Placement:
    """Placement (placering): a request placed at a centre of its district, DV-1, DV-7.

    ``days`` are exactly the granted number of weekdays, each with a vacant place;
    ``score`` is the centre's score under the plan's policy. Built by :func:`place`.
    """

    request: str
    """The request's id (case number)."""
    centre: str
    """The centre's id."""
    district: str
    """The centre's (and the request's) district."""
    days: tuple[Weekday, ...]
    """The weekdays placed, Monday first."""
    score: float
    """The centre's score under the policy (higher is better)."""
    criterion: Criterion
    """What decided between the best centre and the next best."""
    reasons: tuple[PlacementReason, ...]
    """Why, sentence by sentence."""

    def __repr__(self) -> str:
        days = ", ".join(day.name for day in self.days)
        return (
            f"Placement({self.request!r} at {self.centre!r} in {self.district!r}: {days}; "
            f"{self.criterion.name}, {len(self.reasons)} reasons)"
        )

    def _repr_html_(self) -> str:
        """Show the outcome in a notebook: what it is and its explanation in Swedish."""
        from ._placement_text import outcome_html  # noqa: PLC0415 - it imports this module

        return outcome_html(self)

    def explain(self, language: Language = "sv") -> str:
        """Explain the placement and its reasons in Swedish (``"sv"``) or English (``"en"``)."""
        return _explain(self.request, self.reasons, (), language)


@attrs.frozen(kw_only=True, repr=False)
class CrossDistrictProposal:
    """Cross-district proposal (fördelning till annat stadsområde): a place elsewhere, DV-8.

    The district ``district`` has the place: ``centre`` had a vacant place on
    ``days`` when the request's turn came. The proposal reserves nothing there: the
    places stay free for others until the other district places the individual. If
    the request's own district had a place for it too (the proposal follows a wish or
    needs), that home placement is kept provisionally, :attr:`held`, until the other
    district answers (``PlacementPolicy.hold_home_place``). ``steps`` are
    DV-8's: the receivers of both districts cooperate to offer the place, the original
    district asks the social worker (socialsekreterare) to send the assignment to the
    new district, and the new district then places as usual; until then the request
    stays in its district's queue with its queue date.
    """

    request: str
    """The request's id (case number)."""
    from_district: str
    """The request's district, which asks for the place."""
    district: str
    """The district that has the place."""
    centre: str
    """The centre with the place."""
    days: tuple[Weekday, ...]
    """The weekdays the centre had vacant places on for the request, Monday first."""
    cause: CrossDistrictCause
    """No place in the district, a wish, or needs best met elsewhere."""
    score: float
    """The centre's score under the policy."""
    criterion: Criterion
    """What decided between the best centre and the next best."""
    from_receivers: tuple[str, ...]
    """The assignment receivers of the request's district, by staff id."""
    receivers: tuple[str, ...]
    """The assignment receivers of the district with the place, by staff id."""
    reasons: tuple[PlacementReason, ...]
    """Why, sentence by sentence."""
    steps: tuple[RequiredAction, ...]
    """DV-8's three steps, in order."""
    held: Placement | None = None
    """The home placement kept provisionally until the other district answers, DV-8.

    Its places are taken in the plan (``PlacementPlan.taken``); None when the district
    had no place for the request or the policy holds none (``hold_home_place``).
    """

    def __repr__(self) -> str:
        held = "" if self.held is None else f", holding {self.held.centre!r}"
        return (
            f"CrossDistrictProposal({self.request!r} from {self.from_district!r} to "
            f"{self.centre!r} in {self.district!r}; {self.cause.name}{held}, "
            f"{len(self.reasons)} reasons, {len(self.steps)} steps)"
        )

    def _repr_html_(self) -> str:
        """Show the outcome in a notebook: what it is and its explanation in Swedish."""
        from ._placement_text import outcome_html  # noqa: PLC0415 - it imports this module

        return outcome_html(self)

    def explain(self, language: Language = "sv") -> str:
        """Explain the proposal, its reasons and DV-8's steps in Swedish or English."""
        return _explain(self.request, self.reasons, self.steps, language)


@attrs.frozen(kw_only=True, repr=False)
class NotPlaced:
    """Not placed (ej placerad): no centre could take the request in this plan, DV-4, DV-7.

    The request stays in the queue with its queue date. ``actions`` hold the unit
    manager's follow-up: the unit manager answers for assignments being distributed
    (DV-4).
    """

    request: str
    """The request's id (case number)."""
    district: str
    """The request's district."""
    reasons: tuple[PlacementReason, ...]
    """Why, sentence by sentence."""
    actions: tuple[RequiredAction, ...]
    """What must happen next: the unit manager follows the request up (DV-4)."""

    def __repr__(self) -> str:
        return f"NotPlaced({self.request!r} in {self.district!r}; {len(self.reasons)} reasons)"

    def _repr_html_(self) -> str:
        """Show the outcome in a notebook: what it is and its explanation in Swedish."""
        from ._placement_text import outcome_html  # noqa: PLC0415 - it imports this module

        return outcome_html(self)

    def explain(self, language: Language = "sv") -> str:
        """Explain why the request was not placed, in Swedish or English."""
        return _explain(self.request, self.reasons, self.actions, language)


@attrs.frozen(kw_only=True, repr=False)
class Deferred:
    """Deferred (väntar på förtydligande): the request awaits clarification, DV-6.

    It stays outside the plan, taking no place and no turn, until it is clarified.
    ``actions`` ask the receivers to contact the individual and/or relatives.
    """

    request: str
    """The request's id (case number)."""
    district: str
    """The request's district."""
    reasons: tuple[PlacementReason, ...]
    """Why, sentence by sentence."""
    actions: tuple[RequiredAction, ...]
    """The receivers' contact with the individual and/or relatives (DV-6)."""

    def __repr__(self) -> str:
        return f"Deferred({self.request!r} in {self.district!r}; awaiting clarification)"

    def _repr_html_(self) -> str:
        """Show the outcome in a notebook: what it is and its explanation in Swedish."""
        from ._placement_text import outcome_html  # noqa: PLC0415 - it imports this module

        return outcome_html(self)

    def explain(self, language: Language = "sv") -> str:
        """Explain why the request waits, in Swedish or English."""
        return _explain(self.request, self.reasons, self.actions, language)


Outcome: TypeAlias = Placement | CrossDistrictProposal | NotPlaced | Deferred
"""What :func:`place` decided for one request."""

_Counts: TypeAlias = Mapping[Weekday, int] | Sequence[int] | int
Occupancy: TypeAlias = (
    Mapping[str, _Counts] | Mapping[DayCentre, _Counts] | Mapping[str | DayCentre, _Counts]
)
"""Places taken per centre (by id, or the DayCentre) and weekday: an int for every day,
a mapping of Weekday to places, or five ints Monday to Friday."""


@attrs.frozen(kw_only=True, repr=False)
class PlacementPlan:
    """Placement plan (fördelning): what :func:`place` decided for every request, DV-1.

    Each tuple is in queue order (earliest queue date first, then request id).
    ``taken`` is the occupancy after the plan: places taken per centre and weekday,
    the given occupancy plus the placements and the home places held for proposals
    (DV-8); a proposal takes nothing in the other district. Pass :attr:`occupancy` to
    the next call of :func:`place`.
    """

    placements: tuple[Placement, ...]
    """Requests placed in their district."""
    proposals: tuple[CrossDistrictProposal, ...]
    """Requests proposed a place in another district (DV-8)."""
    unplaced: tuple[NotPlaced, ...]
    """Requests no centre could take in this plan."""
    deferred: tuple[Deferred, ...]
    """Requests awaiting clarification (DV-6), outside the plan."""
    queue: tuple[str, ...]
    """The ids of the requests in the plan, in queue order (deferred ones excluded)."""
    taken: tuple[tuple[str, tuple[int, ...]], ...]
    """Places taken after the plan, per centre id (sorted) and weekday, Monday first."""
    policy: PlacementPolicy
    """The policy the plan was made under."""
    _index: dict[str, Outcome] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Outcome] = {}
        for group in (self.placements, self.proposals, self.unplaced, self.deferred):
            for outcome in group:
                index[outcome.request] = outcome
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        held = len(self.held)
        holding = f" ({held} holding a home place)" if held else ""
        policy = "the routine's" if self.policy == PlacementPolicy() else "a policy of its own"
        return (
            f"PlacementPlan({len(self.queue)} in the queue: {len(self.placements)} placed, "
            f"{len(self.proposals)} proposed elsewhere{holding}, {len(self.unplaced)} not "
            f"placed; {len(self.deferred)} deferred; {len(self.taken)} centres; "
            f"policy: {policy})"
        )

    def _repr_html_(self) -> str:
        """Show the plan in a notebook: counts and a table of outcomes in Swedish, DV-1."""
        from ._placement_text import plan_html  # noqa: PLC0415 - it imports this module

        return plan_html(self)

    @property
    def occupancy(self) -> dict[str, tuple[int, ...]]:
        """Places taken after the plan (beläggning), per centre id and weekday."""
        return dict(self.taken)

    @property
    def held(self) -> tuple[Placement, ...]:
        """Home places held provisionally for cross-district proposals, DV-8."""
        return tuple(proposal.held for proposal in self.proposals if proposal.held is not None)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Every request's outcome: the plan's in queue order, then the deferred ones."""
        ordered: list[Outcome] = [self._index[request] for request in self.queue]
        return (*ordered, *self.deferred)

    def outcome(self, request: str) -> Outcome:
        """Return the outcome for one request, by its id.

        Raises:
            InvalidInput: when no request has that id.
        """
        try:
            found = self._index.get(request)
        except TypeError:
            found = None
        if found is None:
            raise InvalidInput("request must be the id of a request given to place()")
        return found

    def explain(self, request: str, language: Language = "sv") -> str:
        """Explain one request's outcome in Swedish (``"sv"``) or English (``"en"``)."""
        return self.outcome(request).explain(language)


@attrs.frozen
class RankedCentre:
    """Ranked centre (rangordnad verksamhet): a feasible centre and its score, DV-7.

    ``parts`` are the six unweighted parts of the score in the order of
    :class:`Criterion`; ``days`` are the weekdays the request would get there.
    """

    centre: str
    """The centre's id."""
    district: str
    """The centre's district."""
    score: float
    """The weighted score (higher is better)."""
    parts: tuple[float, ...]
    """Wish, weekdays, language, proximity, cognitive impairment, needs."""
    days: tuple[Weekday, ...]
    """The weekdays the request would get, Monday first."""
    km: float | None
    """Distance in km, or None when the request has no location."""


# --------------------------------------------------------------------------- input


def _check_policy(policy: object) -> PlacementPolicy:
    if policy is None:
        return PlacementPolicy()
    if not isinstance(policy, PlacementPolicy):
        raise InvalidInput(f"policy must be a PlacementPolicy or None, not {describe(policy)}")
    return policy


def _items(value: object, what: str, kind: type) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput(f"{what} must be an iterable of {kind.__name__}, not {describe(value)}")
    items = list(value)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidInput(
                f"{what} must hold only {kind.__name__} values, not {describe(item)}"
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


def place(
    requests: Iterable[PlacementRequest],
    centres: Iterable[DayCentre],
    *,
    occupancy: Occupancy | None = None,
    policy: PlacementPolicy | None = None,
) -> PlacementPlan:
    """Place requests at day centres (fördela uppdrag), DV-1, DV-4, DV-6, DV-7, DV-8.

    Pure: the same requests and centres, in any order, give the same plan.

    1. Requests awaiting clarification (DV-6) are deferred, outside the plan.
    2. The others are served one at a time in queue order: the earliest queue date
       first, ties by request id (DV-1, DV-7).
    3. A request's candidates are the centres with its orientation and a vacant place
       on at least its granted number of weekdays (DV-7 a, c): those of its district,
       those of other districts it wishes, and, when its district has none, those of
       every district with such a place (DV-8). With ``policy.elsewhere_margin`` set, an
       unwished centre elsewhere is a candidate too when its score beats the district's
       best by at least that margin (needs best met elsewhere, DV-8).
    4. The candidate with the highest score under ``policy`` wins; equal scores go to
       the centre whose id sorts first (DV-7 b, d). At a centre of its district the
       request is placed on its granted number of weekdays — the wished weekdays with a
       vacant place first, then the days with the most vacant places, then the earlier
       day — and those places are taken. At a centre of another district it gets a
       :class:`CrossDistrictProposal`, which takes nothing (DV-8).
    5. With no candidate the request is not placed; the unit manager follows it up
       (DV-4).

    Args:
        requests: The placement requests; ids must be unique, districts must be those
            of the centres, wished centres must be among the centres.
        centres: The day centres; ids must be unique, and a district must be the
            same :class:`District` value on all its centres.
        occupancy: Places already taken, per centre id (or DayCentre): an int for
            every weekday, a mapping of :class:`Weekday` to places or five ints; never
            more than the centre's places. None for none.
        policy: The weights of the ranking; None for the routine's defaults.

    Returns:
        The plan: placements, proposals, requests not placed, deferred requests, the
        queue order and the occupancy after the plan.

    Raises:
        InvalidInput: naming what is wrong and what is accepted.
    """
    chosen = _check_policy(policy)
    ordered = _check_centres(centres)
    by_id = {centre.id: centre for centre in ordered}
    items = _check_requests(requests, by_id)
    taken = _check_occupancy(occupancy, by_id)
    engine = _Engine(ordered, taken, chosen)

    waiting = sorted((r for r in items if r.awaiting_clarification), key=_queue_key)
    active = sorted((r for r in items if not r.awaiting_clarification), key=_queue_key)
    placements: list[Placement] = []
    proposals: list[CrossDistrictProposal] = []
    unplaced: list[NotPlaced] = []
    total = len(active)
    for position, request in enumerate(active, 1):
        outcome = _decide(engine, request, position, total)
        if isinstance(outcome, Placement):
            placements.append(outcome)
        elif isinstance(outcome, CrossDistrictProposal):
            proposals.append(outcome)
        else:
            unplaced.append(outcome)
    return PlacementPlan(
        placements=tuple(placements),
        proposals=tuple(proposals),
        unplaced=tuple(unplaced),
        deferred=tuple(_deferred(request) for request in waiting),
        queue=tuple(request.id for request in active),
        taken=tuple(
            (centre.id, tuple(p - v for p, v in zip(centre.places, row, strict=True)))
            for centre, row in zip(ordered, engine.vacant, strict=True)
        ),
        policy=chosen,
    )


def _queue_key(request: PlacementRequest) -> tuple[date, str]:
    return (request.queue_date, request.id)


def _decide(
    engine: _Engine, request: PlacementRequest, position: int, total: int
) -> Placement | CrossDistrictProposal | NotPlaced:
    ask = _Ask(request, engine.index_of)
    policy = engine.policy
    own = request.district
    orientation = request.orientation
    n = request.days
    best, second = engine.best_of(ask, engine.feasible(own, orientation, n), None, None)
    own_best, own_second = best, second
    if policy.cross_district and own_best is None:
        for district in engine.districts_with(orientation, n):
            if district != own:
                best, second = engine.best_of(
                    ask, engine.feasible(district, orientation, n), best, second
                )
    elif policy.cross_district and own_best is not None:
        wished = [
            index
            for index in ask.wish_score
            if engine.centres[index].centre.district.name != own
            and engine.centres[index].centre.orientation is orientation
            and engine.days_open[index] >= n
        ]
        best, second = engine.best_of(ask, wished, best, second)
        if policy.elsewhere_margin is not None:
            threshold = own_best.score + float(policy.elsewhere_margin)
            for district in engine.districts_with(orientation, n):
                if district == own or engine.bound(ask, district, orientation) < threshold:
                    continue
                unwished = [
                    index
                    for index in engine.feasible(district, orientation, n)
                    if index not in ask.wish_score
                ]
                best, second = engine.best_of(ask, unwished, best, second, threshold)
    queue = PlacementReason(
        code=ReasonCode.QUEUE,
        requirement="DV-1",
        queue_date=request.queue_date,
        position=position,
        total=total,
    )
    if best is None:
        return _not_placed(engine, ask, queue)
    decision = PlacementReason(
        code=ReasonCode.DECISION, requirement="DV-1", orientation=orientation, count=n
    )
    if engine.centres[best.at].centre.district.name == own:
        return _placement(engine, ask, best, second, decision=decision, queue=queue)
    return _proposal(
        engine, ask, best, second, home=(own_best, own_second), decision=decision, queue=queue
    )


def _proposal(
    engine: _Engine,
    ask: _Ask,
    best: _Best,
    second: _Best | None,
    *,
    home: tuple[_Best | None, _Best | None],
    decision: PlacementReason,
    queue: PlacementReason,
) -> CrossDistrictProposal:
    """Propose ``best``, a centre of another district, and hold the home place if any, DV-8."""
    request = ask.request
    own, orientation, n = request.district, request.orientation, request.days
    own_best, own_second = home
    own_has = own_best is not None
    policy = engine.policy
    centre = engine.centres[best.at].centre
    days = engine.days_at(ask, best.at)
    criterion = _criterion(engine, best, second)
    runner_up = None if second is None else engine.centres[second.at].centre.id
    decisive = PlacementReason(
        code=ReasonCode.DECISIVE, requirement="DV-7", criterion=criterion, centre=runner_up
    )
    weekdays = tuple(Weekday(day) for day in days)
    details = _details(engine, ask, best, weekdays)
    other = centre.district
    if not own_has:
        cause = CrossDistrictCause.NO_PLACE
        why = _no_place_reason(engine, own, orientation, n)
    elif best.at in ask.wish_score:
        cause = CrossDistrictCause.WISH
        why = PlacementReason(
            code=ReasonCode.CAUSE_WISH, requirement="DV-8", centre=centre.id, district=other.name
        )
    else:
        cause = CrossDistrictCause.NEEDS
        why = PlacementReason(code=ReasonCode.CAUSE_NEEDS, requirement="DV-8", district=other.name)
    held: Placement | None = None
    held_reasons: tuple[PlacementReason, ...] = ()
    if own_best is not None and policy.hold_home_place:
        # DV-8: the home place is kept until the other district answers, so a wish never
        # costs the person a place that someone who queued less would then take.
        held = _placement(engine, ask, own_best, own_second, decision=decision, queue=queue)
        held_reasons = (
            PlacementReason(
                code=ReasonCode.HOME_HELD,
                requirement="DV-8",
                centre=held.centre,
                district=own,
                days=held.days,
            ),
        )
    return CrossDistrictProposal(
        request=request.id,
        from_district=own,
        district=other.name,
        centre=centre.id,
        days=weekdays,
        cause=cause,
        score=best.score,
        criterion=criterion,
        from_receivers=engine.districts[own].receivers,
        receivers=other.receivers,
        reasons=(
            PlacementReason(
                code=ReasonCode.PROPOSED,
                requirement="DV-8",
                centre=centre.id,
                district=other.name,
                days=weekdays,
            ),
            decision,
            why,
            decisive,
            *details,
            queue,
            PlacementReason(code=ReasonCode.NOT_RESERVED, requirement="DV-8", district=other.name),
            *held_reasons,
        ),
        steps=engine.shared(
            ("steps", own, other.name, centre.id),
            lambda: _cross_district_steps(own, other.name, centre.id),
        ),
        held=held,
    )


def _placement(
    engine: _Engine,
    ask: _Ask,
    best: _Best,
    second: _Best | None,
    *,
    decision: PlacementReason,
    queue: PlacementReason,
) -> Placement:
    """Place the request at ``best``, a centre of its district, and take the places, DV-1."""
    centre = engine.centres[best.at].centre
    own = ask.request.district
    days = engine.days_at(ask, best.at)
    weekdays = tuple(Weekday(day) for day in days)
    criterion = _criterion(engine, best, second)
    runner_up = None if second is None else engine.centres[second.at].centre.id
    decisive = PlacementReason(
        code=ReasonCode.DECISIVE, requirement="DV-7", criterion=criterion, centre=runner_up
    )
    details = _details(engine, ask, best, weekdays)
    engine.take(best.at, days)
    return Placement(
        request=ask.request.id,
        centre=centre.id,
        district=own,
        days=weekdays,
        score=best.score,
        criterion=criterion,
        reasons=(
            PlacementReason(
                code=ReasonCode.PLACED,
                requirement="DV-1",
                centre=centre.id,
                district=own,
                days=weekdays,
            ),
            decision,
            decisive,
            *details,
            queue,
        ),
    )


def _no_place_reason(
    engine: _Engine, district: str, orientation: Orientation, days: int
) -> PlacementReason:
    if (district, orientation) not in engine.has_orientation:
        return engine.shared(
            ("no centre", district, orientation),
            lambda: PlacementReason(
                code=ReasonCode.NO_CENTRE,
                requirement="DV-7",
                district=district,
                orientation=orientation,
            ),
        )
    return engine.shared(
        ("no vacancy", district, orientation, days),
        lambda: PlacementReason(
            code=ReasonCode.NO_VACANCY,
            requirement="DV-7",
            district=district,
            orientation=orientation,
            count=days,
        ),
    )


def _wish_reasons(
    engine: _Engine, ask: _Ask, chosen: int | None, scored: bool
) -> list[PlacementReason]:
    """One reason per wished centre: met (the chosen one) or why not."""
    request = ask.request
    reasons: list[PlacementReason] = []
    count = len(request.wished_centres)
    for rank, centre_id in enumerate(request.wished_centres, 1):
        index = engine.index_of[centre_id]
        centre = engine.centres[index].centre
        if index == chosen:
            elsewhere = centre.district.name != request.district
            reasons.append(
                PlacementReason(
                    code=ReasonCode.WISH_ELSEWHERE if elsewhere else ReasonCode.WISH_MET,
                    requirement="DV-7",
                    centre=centre_id,
                    district=centre.district.name,
                    rank=rank,
                    count=count,
                )
            )
            continue
        if centre.orientation is not request.orientation:
            status = WishStatus.ORIENTATION
        elif engine.days_open[index] < request.days:
            initially = sum(engine.initial[index])
            status = WishStatus.TAKEN if initially >= request.days else WishStatus.NO_VACANCY
        elif centre.district.name != request.district and not engine.policy.cross_district:
            status = WishStatus.OTHER_DISTRICT
        else:
            status = WishStatus.RANKED_LOWER if scored else WishStatus.NO_VACANCY
        reasons.append(
            PlacementReason(
                code=ReasonCode.WISH_NOT_MET,
                requirement="DV-7",
                centre=centre_id,
                district=centre.district.name,
                rank=rank,
                count=request.days,
                status=status,
            )
        )
    return reasons


def _details(
    engine: _Engine, ask: _Ask, best: _Best, weekdays: tuple[Weekday, ...]
) -> list[PlacementReason]:
    """Give the reasons of every criterion that applies to the request, for the chosen centre."""
    request = ask.request
    centre = engine.centres[best.at].centre
    reasons = _wish_reasons(engine, ask, best.at, scored=True)
    if request.wished_weekdays:
        wished = sorted(request.wished_weekdays)
        reasons.append(
            PlacementReason(
                code=ReasonCode.WEEKDAYS,
                requirement="DV-7",
                days=tuple(day for day in wished if day in weekdays),
                missed=tuple(day for day in wished if day not in weekdays),
            )
        )
    if request.language is not None:
        reasons.append(
            PlacementReason(
                code=ReasonCode.LANGUAGE,
                requirement="DV-7",
                language=request.language,
                met=request.language in centre.languages,
            )
        )
    if request.location is not None:
        reasons.append(
            PlacementReason(
                code=ReasonCode.DISTANCE,
                requirement="DV-7",
                km=distance_km(request.location, centre.location),
            )
        )
    if request.cognitive_impairment:
        reasons.append(
            PlacementReason(
                code=ReasonCode.COGNITIVE_IMPAIRMENT,
                requirement="DV-7",
                met=centre.suits_cognitive_impairment,
            )
        )
    if request.needs:
        needs = sorted(request.needs)
        reasons.append(
            PlacementReason(
                code=ReasonCode.NEEDS,
                requirement="DV-7",
                tags=tuple(tag for tag in needs if tag in centre.profile),
                missing=tuple(tag for tag in needs if tag not in centre.profile),
            )
        )
    return reasons


def _not_placed(engine: _Engine, ask: _Ask, queue: PlacementReason) -> NotPlaced:
    request = ask.request
    own, orientation, n = request.district, request.orientation, request.days
    reasons = [_no_place_reason(engine, own, orientation, n)]
    if not engine.policy.cross_district:
        reasons.append(_CROSS_DISTRICT_OFF)
    elif orientation not in engine.orientations:
        reasons.append(
            engine.shared(
                ("no centre", None, orientation),
                lambda: PlacementReason(
                    code=ReasonCode.NO_CENTRE, requirement="DV-8", orientation=orientation
                ),
            )
        )
    else:
        reasons.append(
            engine.shared(
                ("no vacancy", None, orientation, n),
                lambda: PlacementReason(
                    code=ReasonCode.NO_VACANCY,
                    requirement="DV-8",
                    orientation=orientation,
                    count=n,
                ),
            )
        )
    reasons += _wish_reasons(engine, ask, None, scored=False)
    reach = (
        [key for key in engine.initial_top if key[1] is orientation]
        if engine.policy.cross_district
        else [(own, orientation)]
    )
    if any(engine.initial_top.get(key, 0) >= n for key in reach):
        reasons.append(_QUEUE_LOST)
    reasons += [queue, _STAYS_IN_QUEUE]
    manager = engine.districts[own].unit_manager
    action = engine.shared(
        ("unit manager", manager),
        lambda: RequiredAction(
            requirement="DV-4",
            kind=ActionKind.TASK,
            role=Role.UNIT_MANAGER,
            sv="se till att ärendet fördelas; det fick ingen plats i denna fördelning",
            en="see that the case is distributed; it got no place in this plan",
            assignee=manager,
        ),
    )
    return NotPlaced(request=request.id, district=own, reasons=tuple(reasons), actions=(action,))


_CROSS_DISTRICT_OFF: Final = PlacementReason(code=ReasonCode.CROSS_DISTRICT_OFF, requirement="DV-8")
_QUEUE_LOST: Final = PlacementReason(code=ReasonCode.QUEUE_LOST, requirement="DV-7")
_STAYS_IN_QUEUE: Final = PlacementReason(code=ReasonCode.STAYS_IN_QUEUE, requirement="DV-1")
_CLARIFY: Final = (PlacementReason(code=ReasonCode.AWAITING_CLARIFICATION, requirement="DV-6"),)
_CONTACT: Final = (
    RequiredAction(
        requirement="DV-6",
        kind=ActionKind.TASK,
        role=Role.ASSIGNMENT_RECEIVER,
        sv="kontakta den enskilde och/eller anhöriga för att förtydliga uppdraget",
        en="contact the individual and/or relatives to clarify the assignment",
    ),
)


def _deferred(request: PlacementRequest) -> Deferred:
    return Deferred(
        request=request.id,
        district=request.district,
        reasons=_CLARIFY,
        actions=_CONTACT,
    )


def _cross_district_steps(own: str, other: str, centre: str) -> tuple[RequiredAction, ...]:
    """DV-8's steps: cooperate, ask the social worker to send the assignment, place."""
    return (
        RequiredAction(
            requirement="DV-8",
            kind=ActionKind.TASK,
            role=Role.ASSIGNMENT_RECEIVER,
            sv=(f"samverka, i stadsområde {own} och {other}, för att erbjuda en plats på {centre}"),
            en=f"cooperate, in the city districts {own} and {other}, to offer a place at {centre}",
        ),
        RequiredAction(
            requirement="DV-8",
            kind=ActionKind.MESSAGE,
            role=Role.ASSIGNMENT_RECEIVER,
            sv=(
                f"meddela socialsekreteraren, från stadsområde {own}, att skicka uppdraget "
                f"till stadsområde {other}"
            ),
            en=(
                f"ask the social worker, from the city district {own}, to send the "
                f"assignment to the city district {other}"
            ),
            recipient=Role.SOCIAL_WORKER.value,
        ),
        RequiredAction(
            requirement="DV-8",
            kind=ActionKind.TASK,
            role=Role.ASSIGNMENT_RECEIVER,
            sv=f"fördela platsen som vanligt i stadsområde {other} när uppdraget har kommit",
            en=f"place as usual in the city district {other} once the assignment has arrived",
        ),
    )


# --------------------------------------------------------------------------- ranking


def rank(
    request: PlacementRequest,
    centres: Iterable[DayCentre],
    *,
    occupancy: Occupancy | None = None,
    policy: PlacementPolicy | None = None,
) -> tuple[RankedCentre, ...]:
    """Rank the centres (rangordna) that could take one request, best first, DV-7.

    Every given centre with the request's orientation and a vacant place on at least
    the granted number of weekdays, whatever its district, scored as :func:`place`
    scores it; ties by centre id. Useful to show a receiver the alternatives.

    Raises:
        InvalidInput: for bad input, as :func:`place` says.
    """
    chosen = _check_policy(policy)
    ordered = _check_centres(centres)
    by_id = {centre.id: centre for centre in ordered}
    if not isinstance(request, PlacementRequest):
        raise InvalidInput(f"request must be a PlacementRequest, not {describe(request)}")
    for wished in request.wished_centres:
        if wished not in by_id:
            raise InvalidInput(
                f"request {request.id} wishes the centre {wished!r}, which is not among "
                "the centres given; wished_centres must name centres by id"
            )
    engine = _Engine(ordered, _check_occupancy(occupancy, by_id), chosen)
    ask = _Ask(request, engine.index_of)
    ranked: list[tuple[float, int, RankedCentre]] = []
    for index, c in enumerate(engine.centres):
        centre = c.centre
        if centre.orientation is not request.orientation or engine.days_open[index] < request.days:
            continue
        parts = engine.parts(ask, index)
        score = engine.score(parts)
        km = None if request.location is None else distance_km(request.location, centre.location)
        days = tuple(Weekday(day) for day in engine.days_at(ask, index))
        ranked.append(
            (-score, index, RankedCentre(centre.id, centre.district.name, score, parts, days, km))
        )
    ranked.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in ranked)
