"""The placement engine's values: weekdays, orientations, places, districts, requests, policy."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Final, TypeAlias, cast

import attrs

from ..._validators import (
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
    tag_set,
    unique_identifiers,
    whole_number,
)
from ...deadlines import Language
from ...errors import InvalidInput
from ...kernel import Role, check_identifier, identifier

EARTH_RADIUS_KM: Final = 6371.0088
"""Mean radius of the Earth in km (IUGG), the sphere distances are measured on, DV-7 (d)."""

MIN_RECEIVERS: Final = 2
"""Assignment receivers a city district has at least, besides the unit manager, DV-2."""

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


_Counts: TypeAlias = Mapping[Weekday, int] | Sequence[int] | int
Occupancy: TypeAlias = (
    Mapping[str, _Counts] | Mapping[DayCentre, _Counts] | Mapping[str | DayCentre, _Counts]
)
"""Places taken per centre (by id, or the DayCentre) and weekday: an int for every day,
a mapping of Weekday to places, or five ints Monday to Friday."""


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
