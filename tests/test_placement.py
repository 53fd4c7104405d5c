"""Placement on day activity (placering på dagverksamhet): DV-1…DV-4, DV-6…DV-8.

Examples first, one or more per requirement, given/when/then; then the laws of the
engine as hypothesis properties: capacity, orientation, the granted days at one
centre, determinism, fairness in queue order and the order of the default weights.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import itertools
import math
import pkgutil
import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arendefordelning.errors import InvalidInput
from arendefordelning.kernel import ActionKind, Role
from arendefordelning.routines import placement
from arendefordelning.routines.placement import (
    EARTH_RADIUS_KM,
    Criterion,
    CrossDistrictCause,
    CrossDistrictProposal,
    DayCentre,
    Deferred,
    District,
    Location,
    NotPlaced,
    Orientation,
    Placement,
    PlacementPlan,
    PlacementPolicy,
    PlacementReason,
    PlacementRequest,
    ReasonCode,
    Weekday,
    WishStatus,
    distance_km,
    place,
    rank,
)

DEMENTIA = Orientation.DEMENTIA
SOCIAL = Orientation.SOCIAL
MON, TUE, WED, THU, FRI = Weekday
NORR = District("Norr", unit_manager="ec-1", receivers=("ur-1", "ur-2"), stand_ins=("dv-9",))
SODER = District("Söder", unit_manager="ec-2", receivers=("ur-3", "ur-4"))
HOME = Location(59.3300, 18.0600)
DAY = date(2026, 1, 5)


def east(km: float, of: Location = HOME) -> Location:
    """A location ``km`` east of ``of`` along its parallel."""
    degrees = math.degrees(km / (EARTH_RADIUS_KM * math.cos(math.radians(of.latitude))))
    return Location(of.latitude, of.longitude + degrees)


def centre(
    id: str,
    *,
    district: District = NORR,
    orientation: Orientation = DEMENTIA,
    places: Any = 1,
    km: float = 1.0,
    **fields: Any,
) -> DayCentre:
    return DayCentre(
        id=id,
        district=district,
        orientation=orientation,
        places=places,
        location=east(km),
        **fields,
    )


def request(
    id: str,
    *,
    district: str = "Norr",
    orientation: Orientation = DEMENTIA,
    days: int = 1,
    queued: int = 0,
    location: Location | None = HOME,
    **fields: Any,
) -> PlacementRequest:
    return PlacementRequest(
        id=id,
        district=district,
        orientation=orientation,
        days=days,
        queue_date=DAY + timedelta(days=queued),
        location=location,
        **fields,
    )


def placed(plan: PlacementPlan, request_id: str) -> Placement:
    outcome = plan.outcome(request_id)
    assert isinstance(outcome, Placement), outcome
    return outcome


def codes(outcome: Any) -> list[ReasonCode]:
    return [reason.code for reason in outcome.reasons]


# --------------------------------------------------------------------------- DV-1


def test_dv1_requests_are_placed_at_a_centre_of_their_district() -> None:
    """DV-1: given a centre in Norr and one in Söder, a Norr request is placed in Norr."""
    plan = place(
        [request("K-1")], [centre("Solgården", km=5), centre("Lönnen", district=SODER, km=0.1)]
    )
    placement = placed(plan, "K-1")
    assert (placement.centre, placement.district) == ("Solgården", "Norr")
    assert plan.queue == ("K-1",)
    assert plan.proposals == ()


def test_dv1_the_longer_queue_time_wins_the_last_place_in_any_input_order() -> None:
    """DV-1, DV-7: given one place and two requests, the earlier queue date gets it."""
    centres = [centre("Solgården", places=1)]
    requests = [request("K-2", queued=3, days=5), request("K-1", queued=9, days=5)]
    for ordering in (requests, requests[::-1]):
        plan = place(ordering, centres)
        assert placed(plan, "K-2").centre == "Solgården"
        assert isinstance(plan.outcome("K-1"), NotPlaced)
        assert plan.queue == ("K-2", "K-1")


def test_dv1_equal_queue_dates_are_served_in_request_id_order() -> None:
    """DV-1: with the same queue date, the request id decides the order (a total order)."""
    plan = place([request("K-B", days=5), request("K-A", days=5)], [centre("Solgården")])
    assert plan.queue == ("K-A", "K-B")
    assert placed(plan, "K-A").days == (MON, TUE, WED, THU, FRI)


def test_dv1_the_granted_number_of_days_all_at_one_centre() -> None:
    """DV-1, DV-7: given 3 days granted, the placement has exactly 3 weekdays at one centre."""
    plan = place([request("K-1", days=3)], [centre("Solgården", places=2), centre("Ekbacken")])
    placement = placed(plan, "K-1")
    assert len(placement.days) == 3
    assert len(set(placement.days)) == 3
    taken = plan.occupancy[placement.centre]
    assert sum(taken) == 3
    assert sum(plan.occupancy["Ekbacken" if placement.centre == "Solgården" else "Solgården"]) == 0


def test_dv1_occupancy_carries_over_to_the_next_plan() -> None:
    """DV-1: the plan's occupancy, passed to the next plan, keeps the places taken."""
    centres = [centre("Solgården", places=1)]
    first = place([request("K-1", days=5)], centres)
    second = place([request("K-2", days=1)], centres, occupancy=first.occupancy)
    assert isinstance(second.outcome("K-2"), NotPlaced)
    assert second.occupancy == first.occupancy


def test_dv1_given_occupancy_per_weekday_leaves_the_other_days() -> None:
    """DV-1, DV-7: Monday to Thursday taken, a one-day request gets Friday."""
    occupancy = {"Solgården": {MON: 1, TUE: 1, WED: 1, THU: 1}}
    plan = place([request("K-1")], [centre("Solgården")], occupancy=occupancy)
    assert placed(plan, "K-1").days == (FRI,)
    assert plan.occupancy["Solgården"] == (1, 1, 1, 1, 1)


# --------------------------------------------------------------------------- DV-2, DV-3, DV-4


def test_dv2_a_district_has_at_least_two_receivers_besides_the_unit_manager() -> None:
    """DV-2: one receiver, or the unit manager counted as one, is refused."""
    with pytest.raises(InvalidInput, match=r"at least 2 assignment receivers.*DV-2"):
        District("Norr", unit_manager="ec-1", receivers=("ur-1",))
    with pytest.raises(InvalidInput, match=r"besides the\s+unit manager"):
        District("Norr", unit_manager="ec-1", receivers=("ur-1", "ec-1"))
    with pytest.raises(InvalidInput, match="twice"):
        District("Norr", unit_manager="ec-1", receivers=("ur-1", "ur-1"))
    district = District("Norr", unit_manager="ec-1", receivers=["ur-1", "ur-2"])
    assert district.receivers == ("ur-1", "ur-2")


def test_dv2_receivers_are_staff_ids_never_identity_numbers() -> None:
    """DV-2, X-7: a receiver named by a personal identity number is refused."""
    with pytest.raises(InvalidInput, match="personal identity number") as caught:
        District("Norr", unit_manager="ec-1", receivers=("ur-1", "19121212-1212"))
    assert "1212" not in str(caught.value)


def test_dv3_a_stand_in_from_a_day_centre_acts_as_assignment_receiver() -> None:
    """DV-3: the stand-in distributes in the assignment receiver's role."""
    assert NORR.role_of("dv-9") is Role.ASSIGNMENT_RECEIVER
    assert NORR.role_of("ur-1") is Role.ASSIGNMENT_RECEIVER
    assert NORR.may_distribute("dv-9")
    assert not NORR.may_distribute("ec-1")
    assert NORR.role_of("someone-else") is None
    with pytest.raises(InvalidInput, match="DV-3"):
        District("Norr", unit_manager="ec-1", receivers=("ur-1", "ur-2"), stand_ins=("ur-1",))


def test_dv4_the_unit_manager_answers_for_an_unplaced_request() -> None:
    """DV-4: given no place, the plan gives the district's unit manager a task."""
    plan = place([request("K-1", days=2)], [centre("Solgården", places={MON: 1})])
    outcome = plan.outcome("K-1")
    assert isinstance(outcome, NotPlaced)
    [action] = outcome.actions
    assert action.requirement == "DV-4"
    assert action.role is Role.UNIT_MANAGER
    assert action.assignee == "ec-1"
    assert NORR.role_of("ec-1") is Role.UNIT_MANAGER
    assert "Enhetschef ec-1" in outcome.explain()


# --------------------------------------------------------------------------- DV-6


def test_dv6_a_request_awaiting_clarification_is_deferred_and_takes_no_place() -> None:
    """DV-6: the request waiting for clarification stays outside; the next one is placed."""
    centres = [centre("Solgården")]
    requests = [
        request("K-1", days=5, queued=0, awaiting_clarification=True),
        request("K-2", days=5, queued=5),
    ]
    plan = place(requests, centres)
    deferred = plan.outcome("K-1")
    assert isinstance(deferred, Deferred)
    assert plan.deferred == (deferred,)
    assert plan.queue == ("K-2",)
    assert placed(plan, "K-2").centre == "Solgården"
    [action] = deferred.actions
    assert (action.requirement, action.role) == ("DV-6", Role.ASSIGNMENT_RECEIVER)
    assert "förtydliga" in deferred.explain()
    assert "clarif" in deferred.explain("en")
    assert plan.outcomes[-1] is deferred


def test_dv6_once_clarified_the_request_keeps_its_queue_date() -> None:
    """DV-6: clarified, the request competes with its original queue date."""
    waiting = request("K-1", days=5, queued=0, awaiting_clarification=True)
    later = request("K-2", days=5, queued=5)
    clarified = attrs.evolve(waiting, awaiting_clarification=False)
    plan = place([later, clarified], [centre("Solgården")])
    assert placed(plan, "K-1").centre == "Solgården"
    assert isinstance(plan.outcome("K-2"), NotPlaced)


# --------------------------------------------------------------------------- DV-7


def test_dv7_orientation_is_a_hard_constraint_even_against_a_wish() -> None:
    """DV-7 (a): a wished social centre is not used for a dementia decision."""
    centres = [centre("Björken", orientation=SOCIAL, km=0.1), centre("Solgården", km=9)]
    plan = place([request("K-1", wished_centres=("Björken",))], centres)
    placement = placed(plan, "K-1")
    assert placement.centre == "Solgården"
    [wish] = [r for r in placement.reasons if r.code is ReasonCode.WISH_NOT_MET]
    assert wish.status is WishStatus.ORIENTATION
    assert "annan inriktning" in placement.explain()


def test_dv7_a_vacant_place_on_every_granted_day_is_a_hard_constraint() -> None:
    """DV-7 (c): a centre vacant on two weekdays cannot take a three-day request."""
    centres = [
        centre("Ekbacken", places={MON: 2, TUE: 2}, km=0.1),
        centre("Solgården", places={MON: 1, WED: 1, FRI: 1}, km=8),
    ]
    plan = place([request("K-1", days=3, wished_centres=("Ekbacken",))], centres)
    placement = placed(plan, "K-1")
    assert (placement.centre, placement.days) == ("Solgården", (MON, WED, FRI))
    assert placement.criterion is Criterion.ONLY_VACANCY


def test_dv7_wishes_rank_first_then_language_then_distance() -> None:
    """DV-7 (b, d): wish beats language and distance; language beats distance."""
    centres = [
        centre("A-nära", km=0.2),
        centre("B-finska", km=6, languages={"sv", "fi"}),
        centre("C-önskad", km=12),
    ]
    wish = request("K-1", language="fi", wished_centres=("C-önskad",))
    assert placed(place([wish], centres), "K-1").centre == "C-önskad"
    assert placed(place([wish], centres), "K-1").criterion is Criterion.WISH
    finnish = request("K-1", language="fi")
    plan = place([finnish], centres)
    assert placed(plan, "K-1").centre == "B-finska"
    assert placed(plan, "K-1").criterion is Criterion.LANGUAGE
    nearest = request("K-1")
    plan = place([nearest], centres)
    assert placed(plan, "K-1").centre == "A-nära"
    assert placed(plan, "K-1").criterion is Criterion.DISTANCE


def test_dv7_wishes_are_ranked_in_order_of_preference() -> None:
    """DV-7 (b): the first wish with a vacant place wins, even when it is farther."""
    centres = [centre("Ekbacken", km=1, places={MON: 1}), centre("Solgården", km=3)]
    wishes = ("Ekbacken", "Solgården")
    plan = place([request("K-1", days=2, wished_centres=wishes)], centres)
    placement = placed(plan, "K-1")
    assert placement.centre == "Solgården"
    met = [r for r in placement.reasons if r.code is ReasonCode.WISH_MET]
    assert [(r.centre, r.rank, r.count) for r in met] == [("Solgården", 2, 2)]
    assert "Önskemål 2 av 2 uppfylldes: Solgården." in placement.explain()
    [missed] = [r for r in placement.reasons if r.code is ReasonCode.WISH_NOT_MET]
    assert missed.status is WishStatus.NO_VACANCY
    assert "ingen ledig plats 2 dagar per vecka" in placement.explain()


def test_dv7_distance_outweighs_the_rest_beyond_a_kilometre() -> None:
    """DV-7 (d): a centre 2 km nearer beats a farther one suited to cognitive impairment."""
    centres = [
        centre("Nära", km=1),
        centre("Anpassad", km=3, suits_cognitive_impairment=True, profile={"musik"}),
    ]
    ask = request("K-1", cognitive_impairment=True, needs={"musik"})
    assert placed(place([ask], centres), "K-1").centre == "Nära"


def test_dv7_cognitive_impairment_and_needs_decide_between_centres_equally_near() -> None:
    """DV-7 (d): at equal distance, suitability for cognitive impairment, then needs."""
    centres = [
        centre("A", km=2),
        centre("B", km=2, profile={"Musik", "trädgård"}),
        centre("C", km=2, suits_cognitive_impairment=True),
    ]
    plan = place([request("K-1", cognitive_impairment=True, needs={"musik"})], centres)
    assert placed(plan, "K-1").centre == "C"
    assert placed(plan, "K-1").criterion is Criterion.COGNITIVE_IMPAIRMENT
    plan = place([request("K-1", needs={"MUSIK"})], centres)
    placement = placed(plan, "K-1")
    assert placement.centre == "B"
    assert placement.criterion is Criterion.NEEDS
    [needs] = [r for r in placement.reasons if r.code is ReasonCode.NEEDS]
    assert needs.tags == ("musik",)


def test_dv7_equal_scores_go_to_the_centre_whose_id_sorts_first() -> None:
    """DV-7: two identical centres: the tie is broken by centre id, whatever the input order."""
    centres = [centre("B-centre", km=2), centre("A-centre", km=2)]
    for ordering in (centres, centres[::-1]):
        plan = place([request("K-1")], ordering)
        assert placed(plan, "K-1").centre == "A-centre"
        assert placed(plan, "K-1").criterion is Criterion.CENTRE_ID
    text = place([request("K-1")], centres).explain("K-1", "en")
    assert "ahead of B-centre in the order of the centres' ids" in text


def test_dv7_wished_weekdays_first_then_the_most_vacant_then_the_earliest() -> None:
    """DV-7 (b): the wished Thursday first, then the days with most vacancy, then Monday first."""
    centres = [centre("Solgården", places=(1, 3, 1, 1, 3))]
    plan = place([request("K-1", days=3, wished_weekdays={THU})], centres)
    assert placed(plan, "K-1").days == (TUE, THU, FRI)
    plan = place([request("K-1", days=2)], [centre("Solgården", places=2)])
    assert placed(plan, "K-1").days == (MON, TUE)


def test_dv7_wished_weekdays_rank_centres_below_the_wished_centre() -> None:
    """DV-7 (b): with no centre wished, the centre vacant on the wished weekdays wins."""
    centres = [centre("Ekbacken", places={MON: 1, TUE: 1}, km=0.5), centre("Solgården", km=5)]
    plan = place([request("K-1", days=1, wished_weekdays={WED})], centres)
    placement = placed(plan, "K-1")
    assert (placement.centre, placement.days) == ("Solgården", (WED,))
    assert placement.criterion is Criterion.WEEKDAYS
    assert "Placeringen ger de önskade veckodagarna (onsdag)." in placement.explain()


def test_dv7_every_placement_carries_its_reasons_in_swedish_and_english() -> None:
    """DV-7: the reasons say which criterion decided, the wish, language, km and queue date."""
    centres = [
        centre("Solgården", km=2.4, languages={"sv", "fi"}, suits_cognitive_impairment=True),
        centre("Ekbacken", km=1),
    ]
    ask = request(
        "K-1",
        days=2,
        queued=10,
        language="fi",
        wished_centres=("Solgården",),
        wished_weekdays={MON, TUE, WED},
        cognitive_impairment=True,
    )
    placement = placed(place([ask], centres), "K-1")
    sv, en = placement.explain(), placement.explain("en")
    assert sv.startswith("Ärende K-1: Placeras på Solgården i stadsområde Norr: måndag och tisdag.")
    assert "Avgörande var den enskildes önskemål om verksamhet, framför Ekbacken." in sv
    assert "Förstahandsönskemålet uppfylldes: Solgården." in sv
    assert "Verksamheten erbjuder språket fi." in sv
    assert "Avståndet är 2,4 km fågelvägen." in sv
    assert "Kötid från 2026-01-15: plats 1 av 1 i kön." in sv
    assert "Verksamheten är anpassad för kognitiv svikt." in sv
    assert "ger de önskade veckodagarna måndag och tisdag men inte onsdag" in sv
    assert en.startswith("Case K-1: Placed at Solgården in the city district Norr")
    assert "The distance is 2.4 km as the crow flies." in en
    assert "What decided was the individual's wish of centre, ahead of Ekbacken." in en
    assert "In the queue since 2026-01-15: place 1 of 1." in en
    with pytest.raises(InvalidInput, match="'sv'"):
        placement.explain("de")  # type: ignore[arg-type]


def test_dv7_a_request_that_lost_its_place_to_a_longer_queue_time_is_told_so() -> None:
    """DV-7: the later request hears that the vacant places went to longer queue times."""
    centres = [centre("Solgården")]
    requests = [
        request("K-1", days=5, queued=0),
        request("K-2", days=5, queued=1, wished_centres=("Solgården",)),
    ]
    outcome = place(requests, centres).outcome("K-2")
    assert isinstance(outcome, NotPlaced)
    assert ReasonCode.QUEUE_LOST in codes(outcome)
    [wish] = [r for r in outcome.reasons if r.code is ReasonCode.WISH_NOT_MET]
    assert wish.status is WishStatus.TAKEN
    assert "gick till ärenden med längre kötid" in outcome.explain()
    assert "plats 2 av 2 i kön" in outcome.explain()
    assert "stays in the queue with its queue time" in outcome.explain("en")


def test_dv7_reasons_name_no_personal_data_beyond_the_request_id() -> None:
    """DV-7, X-7: no free-text needs and no coordinates in reasons, repr or explanations."""
    home = Location(59.123456, 18.654321)
    ask = request(
        "K-1", location=home, needs_text="Tycker om att sjunga, bor med sin dotter", needs={"sång"}
    )
    plan = place([ask], [centre("Solgården")])
    texts = [plan.explain("K-1"), plan.explain("K-1", "en"), repr(plan), repr(ask)]
    for text in texts:
        assert "dotter" not in text
        assert "59.12" not in text
        assert "18.65" not in text


def test_dv7_free_text_needs_refuse_a_personal_identity_number() -> None:
    """DV-7, X-7: needs_text holding a personal identity number is refused, unrepeated."""
    with pytest.raises(InvalidInput, match="needs_text") as caught:
        request("K-1", needs_text="Gäller 19121212-1212, behöver hjälp")
    assert "1212" not in str(caught.value)


# --------------------------------------------------------------------------- DV-8


def test_dv8_no_place_in_the_district_gives_a_proposal_in_another() -> None:
    """DV-8: Norr has no vacancy; Söder has one: a proposal naming Söder and the steps."""
    centres = [centre("Solgården", places=0), centre("Lönnen", district=SODER, km=4)]
    plan = place([request("K-1", days=2)], centres)
    proposal = plan.outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert (proposal.from_district, proposal.district, proposal.centre) == (
        "Norr",
        "Söder",
        "Lönnen",
    )
    assert proposal.cause is CrossDistrictCause.NO_PLACE
    assert proposal.days == (MON, TUE)
    assert proposal.from_receivers == ("ur-1", "ur-2")
    assert proposal.receivers == ("ur-3", "ur-4")
    assert [step.requirement for step in proposal.steps] == ["DV-8"] * 3
    assert [step.kind for step in proposal.steps] == [
        ActionKind.TASK,
        ActionKind.MESSAGE,
        ActionKind.TASK,
    ]
    assert proposal.steps[1].recipient == "socialsekreterare"
    text = proposal.explain()
    assert "Förslag: plats på Lönnen i stadsområde Söder" in text
    assert "samverka, i stadsområde Norr och Söder, för att erbjuda en plats på Lönnen" in text
    assert "meddela socialsekreteraren, från stadsområde Norr, att skicka uppdraget" in text
    assert "fördela platsen som vanligt i stadsområde Söder" in text
    assert "Förslaget reserverar ingen plats" in text
    assert "send the assignment to the city district Söder" in proposal.explain("en")


def test_dv8_a_proposal_reserves_nothing() -> None:
    """DV-8: the proposed place stays free: a later Söder request takes it in the same plan."""
    centres = [centre("Lönnen", district=SODER)]
    requests = [
        request("K-1", days=5, queued=0, district="Norr"),
        request("K-2", days=5, queued=1, district="Söder"),
    ]
    with pytest.raises(InvalidInput, match="district"):
        place(requests, centres)
    centres.append(centre("Solgården", places=0))
    plan = place(requests, centres)
    assert isinstance(plan.outcome("K-1"), CrossDistrictProposal)
    assert placed(plan, "K-2").centre == "Lönnen"
    assert plan.occupancy["Lönnen"] == (1, 1, 1, 1, 1)


def test_dv8_a_wish_for_a_centre_in_another_district_is_proposed() -> None:
    """DV-8: a wished centre in Söder with a place is proposed, though Norr has one too."""
    centres = [centre("Solgården"), centre("Lönnen", district=SODER, km=9)]
    plan = place([request("K-1", wished_centres=("Lönnen",))], centres)
    proposal = plan.outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert proposal.cause is CrossDistrictCause.WISH
    assert proposal.criterion is Criterion.WISH
    assert "Den enskilde önskar Lönnen i stadsområde Söder" in proposal.explain()
    # DV-8: the home place is held until Söder answers; nothing is taken at Lönnen.
    assert proposal.held is not None
    assert (proposal.held.centre, proposal.held.days) == ("Solgården", (MON,))
    assert plan.held == (proposal.held,)
    assert plan.occupancy["Solgården"] == (1, 0, 0, 0, 0)
    assert plan.occupancy["Lönnen"] == (0, 0, 0, 0, 0)
    assert "Platsen på Solgården i stadsområde Norr (måndag) hålls kvar" in (proposal.explain())
    assert "is held until the other district has answered" in proposal.explain("en")


def test_dv8_a_full_wished_centre_elsewhere_falls_back_to_the_district() -> None:
    """DV-8: the wished centre in Söder is full, so the request is placed in Norr."""
    centres = [centre("Solgården"), centre("Lönnen", district=SODER, places=0)]
    plan = place([request("K-1", wished_centres=("Lönnen",))], centres)
    placement = placed(plan, "K-1")
    assert placement.centre == "Solgården"
    [wish] = [r for r in placement.reasons if r.code is ReasonCode.WISH_NOT_MET]
    assert wish.status is WishStatus.NO_VACANCY


def test_dv8_the_policy_can_keep_placements_within_the_district() -> None:
    """DV-8: with cross_district=False no proposal is made; the wish is reported."""
    centres = [centre("Solgården", places=0), centre("Lönnen", district=SODER)]
    policy = PlacementPolicy(cross_district=False)
    plan = place([request("K-1", wished_centres=("Lönnen",))], centres, policy=policy)
    outcome = plan.outcome("K-1")
    assert isinstance(outcome, NotPlaced)
    assert ReasonCode.CROSS_DISTRICT_OFF in codes(outcome)
    [wish] = [r for r in outcome.reasons if r.code is ReasonCode.WISH_NOT_MET]
    assert wish.status is WishStatus.OTHER_DISTRICT
    assert plan.policy is policy


def test_dv8_needs_best_met_elsewhere_by_a_margin() -> None:
    """DV-8: with elsewhere_margin=50, the Finnish-speaking centre in Söder is proposed."""
    centres = [centre("Solgården", km=1), centre("Lönnen", district=SODER, languages={"fi"})]
    ask = request("K-1", language="fi")
    assert placed(place([ask], centres), "K-1").centre == "Solgården"
    plan = place([ask], centres, policy=PlacementPolicy(elsewhere_margin=50))
    proposal = plan.outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert proposal.cause is CrossDistrictCause.NEEDS
    assert proposal.criterion is Criterion.LANGUAGE
    assert "tillgodoses bäst i stadsområde Söder" in proposal.explain()
    assert plan.occupancy["Lönnen"] == (0, 0, 0, 0, 0)


def test_dv8_distance_alone_is_not_a_need_best_met_elsewhere_at_margin_50() -> None:
    """DV-8: a nearer centre over the border is proposed at margin 0, not at margin 50."""
    centres = [centre("Solgården", km=6), centre("Lönnen", district=SODER, km=0.5)]
    ask = request("K-1")
    plan = place([ask], centres, policy=PlacementPolicy(elsewhere_margin=50))
    assert placed(plan, "K-1").centre == "Solgården"
    plan = place([ask], centres, policy=PlacementPolicy(elsewhere_margin=0))
    proposal = plan.outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert (proposal.cause, proposal.criterion) == (CrossDistrictCause.NEEDS, Criterion.DISTANCE)
    for bad in (-1, math.nan, "50"):
        with pytest.raises(InvalidInput, match="elsewhere_margin must be None or a finite"):
            PlacementPolicy(elsewhere_margin=bad)  # type: ignore[arg-type]


def test_dv8_a_centre_elsewhere_exactly_at_the_margin_is_proposed() -> None:
    """DV-8: the margin is inclusive; a centre scoring its district's bound is not skipped."""
    centres = [
        centre("Solgården", km=0),
        centre("Lönnen", district=SODER, km=0, languages={"fi"}),
    ]
    ask = request("K-1", language="fi")
    ranked = {r.centre: r.score for r in rank(ask, centres)}
    assert ranked == {"Lönnen": 110.0, "Solgården": 10.0}
    at_margin = place([ask], centres, policy=PlacementPolicy(elsewhere_margin=100))
    assert isinstance(at_margin.outcome("K-1"), CrossDistrictProposal)
    above = place([ask], centres, policy=PlacementPolicy(elsewhere_margin=100.5))
    assert placed(above, "K-1").centre == "Solgården"


def test_dv8_no_centre_with_the_orientation_anywhere() -> None:
    """DV-8: no social centre in the city: not placed, with both reasons."""
    outcome = place([request("K-1", orientation=SOCIAL)], [centre("Solgården")]).outcome("K-1")
    assert isinstance(outcome, NotPlaced)
    text = outcome.explain()
    assert "Stadsområde Norr har ingen dagverksamhet med inriktning social." in text
    assert "Ingen dagverksamhet i staden har inriktning social." in text


# --------------------------------------------------------------------------- input


def test_dv1_bad_input_is_refused_naming_what_is_wrong() -> None:
    """DV-1: duplicates, unknown districts and centres, bad days and codes are refused."""
    centres = [centre("Solgården")]
    with pytest.raises(InvalidInput, match="request id 'K-1' twice"):
        place([request("K-1"), request("K-1", queued=1)], centres)
    with pytest.raises(InvalidInput, match="centre id 'Solgården' twice"):
        place([], [centre("Solgården"), centre("Solgården", km=3)])
    with pytest.raises(InvalidInput, match="districts of the centres given are: Norr"):
        place([request("K-1", district="Väster")], centres)
    with pytest.raises(InvalidInput, match="not among the centres"):
        place([request("K-1", wished_centres=("Okänd",))], centres)
    other_norr = District("Norr", unit_manager="ec-9", receivers=("ur-1", "ur-2"))
    with pytest.raises(InvalidInput, match="different receivers"):
        place([], [centre("Solgården"), centre("Ekbacken", district=other_norr)])
    bad_days: tuple[Any, ...] = (0, 6, True, 2.0)
    for days in bad_days:
        with pytest.raises(InvalidInput, match="from 1 to 5"):
            request("K-1", days=days)
    for code in ("SV", "swe", "s", "fi ", 7):
        with pytest.raises(InvalidInput, match="two lower-case letters"):
            request("K-1", language=code)
    with pytest.raises(InvalidInput, match="ISO 639-1"):
        centre("Ekbacken", languages={"sv", "Finnish"})
    with pytest.raises(InvalidInput, match="requests must be an iterable of PlacementRequest"):
        place("K-1", centres)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="policy must be a PlacementPolicy"):
        place([], centres, policy="fast")  # type: ignore[arg-type]


def test_dv7_occupancy_is_validated_against_the_centres() -> None:
    """DV-7 (c): occupancy names known centres and never exceeds their places."""
    centres = [centre("Solgården", places=2)]
    with pytest.raises(InvalidInput, match="more than the centre's 2 places"):
        place([], centres, occupancy={"Solgården": 3})
    with pytest.raises(InvalidInput, match="not among the centres"):
        place([], centres, occupancy={"Okänd": 1})
    with pytest.raises(InvalidInput, match="Weekday members"):
        place([], centres, occupancy={"Solgården": {0: 1}})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="five whole numbers"):
        place([], centres, occupancy={"Solgården": (1, 1)})
    with pytest.raises(InvalidInput, match="on Monday must be a whole number 0 or more"):
        place([], centres, occupancy={"Solgården": (-1, 0, 0, 0, 0)})
    with pytest.raises(InvalidInput, match="mapping of centre id"):
        place([], centres, occupancy=[1, 2])  # type: ignore[arg-type]
    plan = place([], centres, occupancy={"Solgården": [2, 0, 0, 0, 1]})
    assert plan.occupancy == {"Solgården": (2, 0, 0, 0, 1)}


def test_dv1_centres_and_districts_may_be_given_as_values_where_ids_are_asked() -> None:
    """DV-1: a wished DayCentre, a District and an occupancy keyed by centre are taken."""
    solgarden, ekbacken = centre("Solgården"), centre("Ekbacken", km=0.1)
    ask = request("K-1", district=NORR, wished_centres=[solgarden])  # type: ignore[arg-type]
    assert (ask.district, ask.wished_centres) == ("Norr", ("Solgården",))
    plan = place([ask], [solgarden, ekbacken], occupancy={ekbacken: 1})
    assert placed(plan, "K-1").centre == "Solgården"
    assert plan.occupancy["Ekbacken"] == (1, 1, 1, 1, 1)
    mixed: dict[str | DayCentre, int] = {solgarden: 0, "Solgården": 0}
    with pytest.raises(InvalidInput, match="twice"):
        place([], [solgarden], occupancy=mixed)
    with pytest.raises(InvalidInput, match="differs from the one given"):
        place([], [solgarden], occupancy={centre("Solgården", places=3): 0})


def test_dv7_places_take_an_int_a_weekday_mapping_or_five_counts() -> None:
    """DV-7 (c): the three ways to give places per weekday mean the same."""
    assert centre("A", places=2).places == (2, 2, 2, 2, 2)
    assert centre("A", places={TUE: 3}).places == (0, 3, 0, 0, 0)
    assert centre("A", places=[1, 2, 3, 4, 5]).places_on(FRI) == 5
    for bad in (-1, 1.5, "5", (1, 2, 3, 4), {TUE: -2}, True):
        with pytest.raises(InvalidInput, match="places"):
            centre("A", places=bad)


def test_dv7_locations_are_validated_without_repeating_the_value() -> None:
    """DV-7 (d): latitude and longitude are finite floats in range; bad ones are refused."""
    assert Location(59, 18) == Location(59.0, 18.0)
    assert isinstance(Location(59, 18).latitude, float)
    for latitude, longitude in ((90.5, 0.0), (-91.0, 0.0), (0.0, 180.5), (math.nan, 0.0)):
        with pytest.raises(InvalidInput, match="WGS84") as caught:
            Location(latitude, longitude)
        assert "90.5" not in str(caught.value)
        assert "180.5" not in str(caught.value)
    for bad in (True, "59.3", None, math.inf):
        with pytest.raises(InvalidInput, match="latitude must be a finite float"):
            Location(bad, 18.0)  # type: ignore[arg-type]
    assert Location(-90, -180) != Location(90, 180)


def test_dv7_distance_is_great_circle_kilometres() -> None:
    """DV-7 (d): one degree along the equator is 2πR/360 km; pole to pole is πR."""
    one_degree = distance_km(Location(0.0, 0.0), Location(0.0, 1.0))
    assert one_degree == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-12)
    assert distance_km(Location(90, 0), Location(-90, 0)) == pytest.approx(math.pi * 6371.0088)
    stockholm, goteborg = Location(59.3293, 18.0686), Location(57.7089, 11.9746)
    # The spherical law of cosines, another formula for the same great circle.
    p1, p2 = math.radians(59.3293), math.radians(57.7089)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(
        math.radians(18.0686 - 11.9746)
    )
    assert distance_km(stockholm, goteborg) == pytest.approx(6371.0088 * math.acos(cosine))
    assert distance_km(stockholm, goteborg) == pytest.approx(397, abs=1)
    assert stockholm.distance_to(goteborg) == distance_km(goteborg, stockholm)
    with pytest.raises(InvalidInput, match="must be a Location"):
        distance_km(stockholm, (57.7, 11.9))  # type: ignore[arg-type]


def test_dv7_policy_weights_are_finite_and_not_negative() -> None:
    """DV-7, X-4: weights are numbers 0 or more; the horizon is greater than 0."""
    assert PlacementPolicy(wish_weight=0, language_weight=5).weights[:3] == (0.0, 600.0, 5.0)
    bad_weights: tuple[Any, ...] = (-1.0, math.inf, math.nan, "1", True)
    for bad in bad_weights:
        with pytest.raises(InvalidInput, match="distance_weight must be a finite number"):
            PlacementPolicy(distance_weight=bad)
    with pytest.raises(InvalidInput, match="greater than 0"):
        PlacementPolicy(distance_horizon_km=0)
    with pytest.raises(InvalidInput, match="True or False"):
        PlacementPolicy(cross_district=1)  # type: ignore[arg-type]


def _package_modules() -> list[ModuleType]:
    """The placement package and each of its modules (the engine is split by concern)."""
    return [
        placement,
        *(
            importlib.import_module(f"{placement.__name__}.{info.name}")
            for info in pkgutil.iter_modules(placement.__path__)
        ),
    ]


def _attribute_docstrings(cls: type) -> dict[str, str]:
    source = inspect.getsourcefile(cls)
    assert source is not None, cls
    tree = ast.parse(Path(source).read_text(encoding="utf-8"))
    [body] = [n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__]
    found: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = following.value.value
    return found


def test_dv7_every_policy_field_cites_its_requirement() -> None:
    """DV-7, DV-8, X-4: every field of PlacementPolicy has a docstring citing a DV ID."""
    docstrings = _attribute_docstrings(PlacementPolicy)
    for field in attrs.fields(PlacementPolicy):
        assert field.name in docstrings, field.name
        assert "DV-7" in docstrings[field.name] or "DV-8" in docstrings[field.name], field.name


def test_the_module_examples_run() -> None:
    """DV-7: the module's doctest (the distance Stockholm–Uppsala) holds."""
    results = [doctest.testmod(module) for module in _package_modules()]
    failures = sum(result.failed for result in results)
    tried = sum(result.attempted for result in results)
    assert tried > 0
    assert failures == 0


def test_dv7_rank_lists_the_feasible_centres_best_first() -> None:
    """DV-7: rank scores every centre with the orientation and a place, best first."""
    centres = [
        centre("Solgården", km=3),
        centre("Ekbacken", km=1),
        centre("Björken", orientation=SOCIAL),
        centre("Full", places=0),
        centre("Lönnen", district=SODER, km=2),
    ]
    ranked = rank(request("K-1", days=2), centres)
    assert [r.centre for r in ranked] == ["Ekbacken", "Lönnen", "Solgården"]
    assert [r.km for r in ranked] == pytest.approx([1, 2, 3])
    assert ranked[0].days == (MON, TUE)
    assert ranked[0].score == pytest.approx(10 * (1 - 1 / 100))
    assert rank(request("K-1", location=None), centres)[0].km is None


def test_dv7_the_parts_of_the_score_are_as_documented() -> None:
    """DV-7: wish n - k + 1, weekday share, language, proximity, cognition, need share."""
    centres = [
        centre("X", km=1),
        centre(
            "Y",
            km=5,
            places={MON: 1, THU: 1, FRI: 1},
            languages={"fi"},
            suits_cognitive_impairment=True,
            profile={"musik"},
        ),
    ]
    ask = request(
        "K-1",
        days=2,
        wished_centres=("X", "Y"),
        wished_weekdays={MON, TUE, WED},
        language="fi",
        cognitive_impairment=True,
        needs={"musik", "trädgård"},
    )
    ranked = {r.centre: r for r in rank(ask, centres)}
    assert ranked["Y"].parts == pytest.approx((1.0, 0.5, 1.0, 0.95, 1.0, 0.5))
    assert ranked["X"].parts == pytest.approx((2.0, 1.0, 0.0, 0.99, 0.0, 0.0))
    weights = (1000, 600, 100, 10, 0.06, 0.04)
    for r in ranked.values():
        assert r.score == pytest.approx(sum(w * p for w, p in zip(weights, r.parts, strict=True)))
    assert ranked["Y"].days == (MON, THU)
    assert ranked["X"].days == (MON, TUE)
    nowhere = rank(attrs.evolve(ask, location=None), centres)
    assert all(r.parts[3] == 0.0 and r.km is None for r in nowhere)


def test_dv1_the_plan_lists_every_request_once() -> None:
    """DV-1: outcome() finds every request; an unknown id is refused."""
    plan = place([request("K-1"), request("K-2", awaiting_clarification=True)], [centre("A")])
    assert {o.request for o in plan.outcomes} == {"K-1", "K-2"}
    with pytest.raises(InvalidInput, match="request must be the id"):
        plan.outcome("K-3")
    with pytest.raises(InvalidInput, match="request must be the id"):
        plan.outcome(["K-1"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

LANGUAGE_CODES = ("sv", "fi", "ar")
TAGS = ("musik", "trädgård", "rörelse")


LATITUDES = st.floats(59.2, 59.4)
LONGITUDES = st.floats(17.9, 18.2)
PLACES = st.tuples(*[st.integers(0, 2)] * 5)
LANGUAGE_SETS = st.frozensets(st.sampled_from(LANGUAGE_CODES))
LANGUAGE = st.none() | st.sampled_from(LANGUAGE_CODES)
TAG_SETS = st.frozensets(st.sampled_from(TAGS))
WEEKDAY_SETS = st.frozensets(st.sampled_from(Weekday))
ORIENTATIONS = st.sampled_from(Orientation)
HOMES = st.none() | st.builds(Location, LATITUDES, LONGITUDES)
WAITING = st.integers(0, 3).map(lambda n: n == 0)
CENTRE_PICKS = st.lists(st.integers(0, 6), unique=True, max_size=3)


@st.composite
def cities(
    draw: st.DrawFn,
) -> tuple[list[DayCentre], list[PlacementRequest], dict[str, tuple[int, ...]]]:
    """A small city: districts, centres, requests and an occupancy within the places."""
    count = draw(st.integers(1, 3))
    districts = [
        District(f"D{n}", unit_manager=f"ec-{n}", receivers=(f"ur-{n}a", f"ur-{n}b"))
        for n in range(count)
    ]
    centres = [
        DayCentre(
            id=f"C{number}",
            district=districts[draw(st.integers(0, count - 1))],
            orientation=draw(ORIENTATIONS),
            places=draw(PLACES),
            location=Location(draw(LATITUDES), draw(LONGITUDES)),
            languages=draw(LANGUAGE_SETS),
            suits_cognitive_impairment=draw(st.booleans()),
            profile=draw(TAG_SETS),
        )
        for number in range(draw(st.integers(1, 7)))
    ]
    used = sorted({c.district.name for c in centres})
    requests = [
        PlacementRequest(
            id=f"K-{number}",
            district=used[draw(st.integers(0, len(used) - 1))],
            orientation=draw(ORIENTATIONS),
            days=draw(st.integers(1, 5)),
            queue_date=DAY + timedelta(days=draw(st.integers(0, 6))),
            wished_centres=tuple(dict.fromkeys(f"C{n % len(centres)}" for n in draw(CENTRE_PICKS))),
            wished_weekdays=draw(WEEKDAY_SETS),
            language=draw(LANGUAGE),
            location=draw(HOMES),
            cognitive_impairment=draw(st.booleans()),
            needs=draw(TAG_SETS),
            awaiting_clarification=draw(WAITING),
        )
        for number in range(draw(st.integers(0, 12)))
    ]
    occupancy = {
        c.id: tuple(min(n, p) for n, p in zip(draw(PLACES), c.places, strict=True))
        for c in centres
        if draw(st.booleans())
    }
    return centres, requests, occupancy


POLICIES = st.one_of(
    st.just(PlacementPolicy()),
    st.builds(
        PlacementPolicy,
        wish_weight=st.floats(0, 1000),
        weekday_weight=st.floats(0, 1000),
        language_weight=st.floats(0, 1000),
        distance_weight=st.floats(0, 1000),
        distance_horizon_km=st.floats(0.5, 200),
        cognitive_weight=st.floats(0, 1000),
        needs_weight=st.floats(0, 1000),
        cross_district=st.booleans(),
        elsewhere_margin=st.none() | st.floats(0, 500),
    ),
)

PROPERTY = settings(max_examples=60)

City = tuple[list[DayCentre], list[PlacementRequest], dict[str, tuple[int, ...]]]


def _placed_count(plan: PlacementPlan, centre_id: str, *, held: bool = False) -> list[int]:
    counts = [0] * 5
    for p in (*plan.placements, *(plan.held if held else ())):
        if p.centre == centre_id:
            for day in p.days:
                counts[day] += 1
    return counts


@PROPERTY
@given(cities(), POLICIES)
def test_dv7_capacity_is_never_exceeded(city: City, policy: PlacementPolicy) -> None:
    """DV-7 (c): taken = given occupancy + placements, never above the places."""
    centres, requests, occupancy = city
    plan = place(requests, centres, occupancy=occupancy, policy=policy)
    for c in centres:
        before = occupancy.get(c.id, (0, 0, 0, 0, 0))
        after = plan.occupancy[c.id]
        added = _placed_count(plan, c.id, held=True)
        assert list(after) == [b + a for b, a in zip(before, added, strict=True)]
        assert all(taken <= places for taken, places in zip(after, c.places, strict=True))


@PROPERTY
@given(cities(), POLICIES)
def test_dv7_orientation_district_and_granted_days_always_hold(
    city: City, policy: PlacementPolicy
) -> None:
    """DV-7 (a, c), DV-8: orientation matches; exactly the granted days at one centre."""
    centres, requests, occupancy = city
    plan = place(requests, centres, occupancy=occupancy, policy=policy)
    by_centre = {c.id: c for c in centres}
    by_request = {r.id: r for r in requests}
    located: list[Placement | CrossDistrictProposal] = [*plan.placements, *plan.proposals]
    for outcome in located:
        r, c = by_request[outcome.request], by_centre[outcome.centre]
        assert c.orientation is r.orientation
        assert len(outcome.days) == r.days
        assert list(outcome.days) == sorted(set(outcome.days))
    for p in plan.placements:
        assert by_centre[p.centre].district.name == by_request[p.request].district == p.district
    for proposal in plan.proposals:
        assert policy.cross_district
        assert proposal.district != proposal.from_district == by_request[proposal.request].district
    assert sorted(o.request for o in plan.outcomes) == sorted(by_request)
    assert {d.request for d in plan.deferred} == {
        r.id for r in requests if r.awaiting_clarification
    }
    assert list(plan.queue) == [
        r.id
        for r in sorted(requests, key=lambda r: (r.queue_date, r.id))
        if not r.awaiting_clarification
    ]
    for each in plan.outcomes:
        for language in ("sv", "en"):
            assert each.request in each.explain(language)


@PROPERTY
@given(cities(), POLICIES, st.randoms(use_true_random=False))
def test_dv1_the_plan_does_not_depend_on_the_order_of_the_input(
    city: City, policy: PlacementPolicy, rnd: random.Random
) -> None:
    """DV-1: the same requests and centres in any order give the same plan."""
    centres, requests, occupancy = city
    plan = place(requests, centres, occupancy=occupancy, policy=policy)
    shuffled_requests, shuffled_centres = requests[:], centres[:]
    rnd.shuffle(shuffled_requests)
    rnd.shuffle(shuffled_centres)
    again = place(shuffled_requests, shuffled_centres, occupancy=occupancy, policy=policy)
    assert again == plan
    assert [o.explain() for o in again.outcomes] == [o.explain() for o in plan.outcomes]


def _without(
    taken: Mapping[str, Sequence[int]], *places: tuple[str, Sequence[Weekday]]
) -> dict[str, tuple[int, ...]]:
    result = {key: list(value) for key, value in taken.items()}
    for centre_id, days in places:
        for day in days:
            result[centre_id][day] -= 1
    return {key: tuple(value) for key, value in result.items()}


@pytest.mark.slow
@settings(max_examples=150)
@given(cities(), POLICIES)
def test_dv7_no_later_request_takes_a_place_an_earlier_one_could_have_had(
    city: City, policy: PlacementPolicy
) -> None:
    """DV-1, DV-7: a shorter queue time never takes a place a longer one ranked higher.

    For every placement of a later request at a centre c, and every earlier request of
    c's district and orientation: if c could take the earlier request with the later
    one's places (and the earlier one's own) given back, then the earlier request has
    a placement or proposal scoring at least as high as c.
    """
    centres, requests, occupancy = city
    plan = place(requests, centres, occupancy=occupancy, policy=policy)
    by_request = {r.id: r for r in requests}
    by_centre = {c.id: c for c in centres}
    # The queue order the law speaks of, computed here rather than read from the plan.
    queue = [
        r.id
        for r in sorted(requests, key=lambda r: (r.queue_date, r.id))
        if not r.awaiting_clarification
    ]
    position = {request_id: n for n, request_id in enumerate(queue)}
    for later in plan.placements:
        c = by_centre[later.centre]
        for earlier_id in queue[: position[later.request]]:
            earlier = by_request[earlier_id]
            if earlier.district != c.district.name or earlier.orientation is not c.orientation:
                continue
            outcome = plan.outcome(earlier_id)
            give_back = [(later.centre, later.days)]
            if isinstance(outcome, Placement):
                give_back.append((outcome.centre, outcome.days))
            if isinstance(outcome, CrossDistrictProposal) and outcome.held is not None:
                give_back.append((outcome.held.centre, outcome.held.days))
            freed = _without(plan.occupancy, *give_back)
            could = [
                r
                for r in rank(earlier, centres, occupancy=freed, policy=policy)
                if r.centre == c.id
            ]
            if not could:
                continue
            assert isinstance(outcome, Placement | CrossDistrictProposal), (
                f"{earlier_id} left unplaced while the later {later.request} took {c.id}"
            )
            assert outcome.score >= could[0].score - 1e-9


@PROPERTY
@given(cities())
def test_dv7_default_weights_rank_wishes_then_language_then_distance(city: City) -> None:
    """DV-7: with the default policy the ranking is wish, weekdays, language, then distance.

    Consecutive centres of a ranking compare lexicographically on (wish, weekdays,
    language); where those are equal, the farther centre is never more than 1 km
    farther.
    """
    centres, requests, occupancy = city
    for r in requests:
        ranked = rank(r, centres, occupancy=occupancy)
        for a, b in itertools.pairwise(ranked):
            assert a.parts[:3] >= b.parts[:3]
            if a.parts[:3] == b.parts[:3] and a.km is not None and b.km is not None:
                assert a.km <= b.km + 1.0 + 1e-9


@PROPERTY
@given(cities(), POLICIES)
def test_dv7_place_chooses_the_best_ranked_centre_for_the_first_in_the_queue(
    city: City, policy: PlacementPolicy
) -> None:
    """DV-7, DV-8: the first request gets the top of its ranking among its candidates.

    The candidates, from rank() over every centre: the district's own; with
    cross-district proposals, the wished ones elsewhere, every one elsewhere when the
    district has none, and those elsewhere that beat the district's best by the margin.
    """
    centres, requests, occupancy = city
    plan = place(requests, centres, occupancy=occupancy, policy=policy)
    if not plan.queue:
        return
    first = next(r for r in requests if r.id == plan.queue[0])
    ranked = rank(first, centres, occupancy=occupancy, policy=policy)
    own = [r for r in ranked if r.district == first.district]
    if not policy.cross_district:
        candidates = own
    elif not own:
        candidates = list(ranked)
    else:
        margin = policy.elsewhere_margin
        candidates = [
            r
            for r in ranked
            if r.district == first.district
            or r.centre in first.wished_centres
            or (margin is not None and r.score >= own[0].score + margin)
        ]
    outcome = plan.outcome(first.id)
    if not candidates:
        assert isinstance(outcome, NotPlaced)
        return
    assert isinstance(outcome, Placement | CrossDistrictProposal)
    assert (outcome.centre, outcome.days) == (candidates[0].centre, candidates[0].days)
    assert outcome.score == candidates[0].score
    assert isinstance(outcome, Placement) == (candidates[0].district == first.district)


# --------------------------------------------------------------------------- the first hour

NUMBER = 191212121212
"""An int shaped like a personal identity number without its dash."""


def test_x7_no_message_of_the_engine_repeats_a_number_given() -> None:
    """DV-1, DV-7, X-7: a number-shaped int is refused without being repeated."""
    centres = [centre("Solgården", places=2)]
    attempts: list[Any] = [
        lambda: request("K-1", days=NUMBER),
        lambda: centre("Ekbacken", places=-NUMBER),
        lambda: centre("Ekbacken", places=(1, 1, -NUMBER, 1, 1)),
        lambda: centre("Ekbacken", places={MON: -NUMBER}),
        lambda: place([], centres, occupancy={"Solgården": NUMBER}),
        lambda: place([], centres, occupancy={"Solgården": (0, 0, 0, 0, -NUMBER)}),
        lambda: PlacementPolicy(wish_weight=-NUMBER),
        lambda: PlacementPolicy(distance_horizon_km=-NUMBER),
        lambda: PlacementPolicy(elsewhere_margin=-NUMBER),
        lambda: Location(NUMBER, 0),
        lambda: District("Norr", unit_manager="ec-1", receivers=("ur-1", "ur-1")),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidInput) as caught:
            attempt()
        assert "1212" not in str(caught.value), str(caught.value)
        assert "ur-1" not in str(caught.value)


def test_dv7_the_engine_keeps_no_private_field_validators_and_no_fake_attribute() -> None:
    """DV-7: the field validators are the package's shared ones, the reasons' words apart."""
    from arendefordelning import _validators
    from arendefordelning.routines import _placement_text

    source = "\n".join(inspect.getsource(module) for module in _package_modules())
    assert "_Field" not in source
    assert 'cast("attrs.Attribute' not in source
    fields = attrs.fields_dict(PlacementRequest)
    assert fields["language"].validator is _validators.optional_language
    assert fields["needs"].validator is _validators.tag_set
    assert attrs.fields_dict(DayCentre)["languages"].validator is _validators.language_set
    assert attrs.fields_dict(PlacementPolicy)["wish_weight"].validator is _validators.non_negative
    assert "def _render_" not in source
    reason = PlacementReason(code=ReasonCode.QUEUE_LOST, requirement="DV-7")
    assert reason.explain("en") == _placement_text.sentence(reason, sv=False)


def test_dv8_a_wish_elsewhere_never_costs_the_home_place_to_a_shorter_queue() -> None:
    """DV-8: K-1 wishes Lönnen in Söder; Norr's one place is held for K-1, not given to K-2.

    If Söder declines, K-1 still has Solgården; under ``hold_home_place=False`` (the old
    default) K-2, who queued less, took it.
    """
    centres = [centre("Solgården", places={MON: 1}), centre("Lönnen", district=SODER, km=9)]
    requests = [
        request("K-1", queued=0, wished_centres=("Lönnen",)),
        request("K-2", queued=3),
    ]
    plan = place(requests, centres)
    proposal = plan.outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert proposal.held is not None
    assert proposal.held.centre == "Solgården"
    assert not isinstance(plan.outcome("K-2"), Placement)  # Norr is full: K-1 holds it
    old = place(requests, centres, policy=PlacementPolicy(hold_home_place=False))
    old_proposal = old.outcome("K-1")
    assert isinstance(old_proposal, CrossDistrictProposal)
    assert old_proposal.held is None
    assert placed(old, "K-2").centre == "Solgården"


def test_dv8_no_place_at_home_means_nothing_to_hold() -> None:
    """DV-8: a proposal because the district is full holds nothing."""
    centres = [centre("Solgården", places=0), centre("Lönnen", district=SODER)]
    proposal = place([request("K-1")], centres).outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert proposal.cause is CrossDistrictCause.NO_PLACE
    assert proposal.held is None
    assert ReasonCode.HOME_HELD not in codes(proposal)


def _home_place(outcome: object) -> Placement | None:
    if isinstance(outcome, Placement):
        return outcome
    if isinstance(outcome, CrossDistrictProposal):
        return outcome.held
    return None


@settings(max_examples=80)
@given(cities(), POLICIES, st.data())
def test_dv8_no_request_ends_worse_off_for_having_a_wish(
    city: City, policy: PlacementPolicy, data: st.DataObject
) -> None:
    """DV-8: a request with its wishes holds a home place whenever it would without them.

    The same queue with one request's wishes removed: if that request got a place in
    its district then, it has one now, placed or held until the other district answers,
    and no worse by the policy's own score of the home centre.
    """
    centres, requests, occupancy = city
    wishing = [r for r in requests if r.wished_centres and not r.awaiting_clarification]
    if not wishing:
        return
    chosen = data.draw(st.sampled_from(wishing))
    plain = [attrs.evolve(r, wished_centres=()) if r is chosen else r for r in requests]
    with_wish = place(requests, centres, occupancy=occupancy, policy=policy)
    without = place(plain, centres, occupancy=occupancy, policy=policy)
    before = _home_place(without.outcome(chosen.id))
    after = _home_place(with_wish.outcome(chosen.id))
    if before is not None and policy.hold_home_place:
        assert after is not None, f"{chosen.id} lost its home place for having a wish"
        assert after.district == before.district == chosen.district


def test_dv1_large_placement_values_have_short_reprs_and_notebook_tables() -> None:
    """DV-1, DV-7: a plan says what it is in one short line, and shows a table in a notebook."""
    centres = [centre("Solgården", places={MON: 1}), centre("Lönnen", district=SODER, km=9)]
    requests = [
        request("K-1", queued=0, wished_centres=("Lönnen",), location=HOME),
        request("K-2", queued=1),
        request("K-3", queued=2, awaiting_clarification=True),
        request("K-4", queued=3, orientation=SOCIAL),
    ]
    plan = place(requests, centres)
    text = repr(plan)
    assert len(text) < 200
    assert text == (
        "PlacementPlan(3 in the queue: 0 placed, 2 proposed elsewhere (1 holding a home "
        "place), 1 not placed; 1 deferred; 2 centres; policy: the routine's)"
    )
    proposal = plan.outcome("K-1")
    assert isinstance(proposal, CrossDistrictProposal)
    assert repr(proposal).startswith(
        "CrossDistrictProposal('K-1' from 'Norr' to 'Lönnen' in 'Söder'; WISH, holding 'Solgården'"
    )
    assert proposal.held is not None
    assert repr(proposal.held).startswith("Placement('K-1' at 'Solgården' in 'Norr': MONDAY;")
    assert repr(proposal.reasons[0]) == "PlacementReason(PROPOSED, DV-8)"
    for outcome in plan.outcomes:
        assert len(repr(outcome)) < 160
        shown = outcome._repr_html_()
        assert shown.startswith("<table>")
        assert outcome.request in shown
    table = plan._repr_html_()
    assert table.count("<tr>") == 1 + len(plan.outcomes)
    assert "plats hålls på Solgården" in table
    assert "59.33" not in table  # the home location is personal and never shown
    many = place([request(f"K-{n:03d}", queued=n % 7) for n in range(80)], centres)
    assert many._repr_html_().count("<tr>") == 1 + 50
    assert "… och 30 till." in many._repr_html_()
