"""Placement on day activity (placering på dagverksamhet): the engine of routine DV.

The assignment receivers (uppdragsmottagare) of a city district (stadsområde) place
the individuals the authority has granted day activity at the district's day centres
(DV-1). This package holds the values they work with and one pure function,
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

from ._outcomes import (
    CrossDistrictProposal,
    Deferred,
    NotPlaced,
    Outcome,
    Placement,
    PlacementPlan,
    PlacementReason,
    RankedCentre,
)
from ._place import place, rank
from ._values import (
    EARTH_RADIUS_KM,
    MIN_RECEIVERS,
    Criterion,
    CrossDistrictCause,
    DayCentre,
    District,
    Location,
    Occupancy,
    Orientation,
    PlacementPolicy,
    PlacementRequest,
    ReasonCode,
    Weekday,
    WishStatus,
    distance_km,
)

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
