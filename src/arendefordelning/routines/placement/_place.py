"""Placing a queue of requests and ranking the centres for one, each outcome with its reasons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final

from ..._validators import describe
from ...errors import InvalidInput
from ...kernel import ActionKind, RequiredAction, Role
from ._engine import (
    _Ask,
    _Best,
    _check_centres,
    _check_occupancy,
    _check_policy,
    _check_requests,
    _criterion,
    _Engine,
)
from ._outcomes import (
    CrossDistrictProposal,
    Deferred,
    NotPlaced,
    Placement,
    PlacementPlan,
    PlacementReason,
    RankedCentre,
)
from ._values import (
    CrossDistrictCause,
    DayCentre,
    Occupancy,
    Orientation,
    PlacementPolicy,
    PlacementRequest,
    ReasonCode,
    Weekday,
    WishStatus,
    distance_km,
)


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
