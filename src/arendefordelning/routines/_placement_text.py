"""Reasons in words (skäl i klartext): the sentences of a placement's explanation, DV-7.

The placement engine (:mod:`arendefordelning.routines.placement`) decides and records
each reason as a :class:`~arendefordelning.routines.placement.PlacementReason` value;
this module writes it as one sentence in Swedish or English (DV-7: every placement
carries the reasons that decided it), and an outcome as its case number, its reasons
and what must happen next. Every text is declared here, word for word; nothing is
read from an identifier or a docstring. Centres and districts are named, no personal
data beyond the request id.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final

from .placement import (
    Criterion,
    CrossDistrictProposal,
    Deferred,
    NotPlaced,
    Orientation,
    Placement,
    ReasonCode,
    Weekday,
    WishStatus,
)

if TYPE_CHECKING:
    from ..deadlines import Language
    from ..kernel import RequiredAction
    from .placement import Outcome, PlacementPlan, PlacementReason

__all__ = ["explain_outcome", "outcome_html", "plan_html", "sentence"]

MAX_HTML_ROWS: Final = 50
"""The most outcomes a plan shows in a notebook; the rest are counted."""


def sentence(reason: PlacementReason, sv: bool) -> str:
    """Write one reason as a sentence, in Swedish (``sv``) or English, DV-7."""
    return _RENDER[reason.code](reason, sv)


def explain_outcome(
    request: str,
    reasons: Iterable[PlacementReason],
    actions: Iterable[RequiredAction],
    sv: bool,
) -> str:
    """Write an outcome: the case number, each reason, then each action, DV-7."""
    language: Language = "sv" if sv else "en"
    parts = [f"Ärende {request}:" if sv else f"Case {request}:"]
    parts += [sentence(reason, sv) for reason in reasons]
    parts += [action.explain(language) for action in actions]
    return " ".join(parts)


_KIND: Final = {
    Placement: "placerad",
    CrossDistrictProposal: "förslag i annat stadsområde",
    NotPlaced: "ej placerad",
    Deferred: "väntar på förtydligande",
}
_HEADERS: Final = ("ärende", "utfall", "verksamhet", "stadsområde", "dagar", "skäl")


def _cells(outcome: Outcome) -> tuple[str, ...]:
    centre = district = days = ""
    if isinstance(outcome, Placement | CrossDistrictProposal):
        centre, district = outcome.centre, outcome.district
        days = _weekdays(outcome.days, sv=True)
    else:
        district = outcome.district
    kind = _KIND[type(outcome)]
    if isinstance(outcome, CrossDistrictProposal) and outcome.held is not None:
        kind += f"; plats hålls på {outcome.held.centre}"
    return (outcome.request, kind, centre, district, days, outcome.explain("sv"))


def _row(cells: Iterable[str], tag: str = "td") -> str:
    inner = "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in cells)
    return f"<tr>{inner}</tr>"


def outcome_html(outcome: Outcome) -> str:
    """Write one outcome as a small HTML table for a notebook, in Swedish, DV-7."""
    return "<table>" + _row(_HEADERS, "th") + _row(_cells(outcome)) + "</table>"


def plan_html(plan: PlacementPlan) -> str:
    """Write a plan for a notebook: its counts and the first outcomes as a table, DV-1.

    At most :data:`MAX_HTML_ROWS` outcomes are shown, in queue order; the rest are
    counted. Every text is escaped.
    """
    outcomes = plan.outcomes
    counts = (
        f"{len(plan.queue)} i kön: {len(plan.placements)} placerade, "
        f"{len(plan.proposals)} förslag i annat stadsområde ({len(plan.held)} med plats "
        f"kvar i det egna), {len(plan.unplaced)} ej placerade; {len(plan.deferred)} "
        "väntar på förtydligande."
    )
    rows = "".join(_row(_cells(outcome)) for outcome in outcomes[:MAX_HTML_ROWS])
    more = len(outcomes) - MAX_HTML_ROWS
    tail = f"<p>… och {more} till.</p>" if more > 0 else ""
    return (
        f"<div><p><strong>Fördelning</strong> — {html.escape(counts)}</p>"
        f"<table>{_row(_HEADERS, 'th')}{rows}</table>{tail}</div>"
    )


def _days_word(count: int, sv: bool) -> str:
    if sv:
        return f"{count} dag per vecka" if count == 1 else f"{count} dagar per vecka"
    return f"{count} day a week" if count == 1 else f"{count} days a week"


def _listing(items: Sequence[str], sv: bool) -> str:
    if not items:
        return "inga" if sv else "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + (" och " if sv else " and ") + items[-1]


def _weekdays(days: Sequence[Weekday], sv: bool) -> str:
    return _listing([day.swedish if sv else day.english for day in days], sv)


def _km(value: float | None, sv: bool) -> str:
    text = f"{value or 0.0:.1f}"
    return text.replace(".", ",") if sv else text


def _orientation(value: Orientation | None, sv: bool) -> str:
    assert value is not None
    return value.value if sv else value.english


def _render_placed(r: PlacementReason, sv: bool) -> str:
    if sv:
        return f"Placeras på {r.centre} i stadsområde {r.district}: {_weekdays(r.days, sv)}."
    return f"Placed at {r.centre} in the city district {r.district}: {_weekdays(r.days, sv)}."


def _render_proposed(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            f"Förslag: plats på {r.centre} i stadsområde {r.district}, som har ledig plats "
            f"{_weekdays(r.days, sv)}."
        )
    return (
        f"Proposal: a place at {r.centre} in the city district {r.district}, which has "
        f"vacant places on {_weekdays(r.days, sv)}."
    )


def _render_decision(r: PlacementReason, sv: bool) -> str:
    days = _days_word(r.count or 0, sv)
    if sv:
        return f"Beslutet gäller inriktning {_orientation(r.orientation, sv)}, {days}."
    return f"The decision is for the orientation {_orientation(r.orientation, sv)}, {days}."


_DECISIVE_SV: Final = {
    Criterion.WISH: "den enskildes önskemål om verksamhet",
    Criterion.WEEKDAYS: "önskemålet om veckodagar",
    Criterion.LANGUAGE: "språket",
    Criterion.DISTANCE: "det kortare avståndet",
    Criterion.COGNITIVE_IMPAIRMENT: "anpassningen för kognitiv svikt",
    Criterion.NEEDS: "att verksamheten motsvarar behoven i uppdraget",
}
_DECISIVE_EN: Final = {
    Criterion.WISH: "the individual's wish of centre",
    Criterion.WEEKDAYS: "the wish of weekdays",
    Criterion.LANGUAGE: "the language",
    Criterion.DISTANCE: "the shorter distance",
    Criterion.COGNITIVE_IMPAIRMENT: "the suitability for cognitive impairment",
    Criterion.NEEDS: "that the centre meets the needs of the assignment",
}


def _render_decisive(r: PlacementReason, sv: bool) -> str:
    if r.criterion is Criterion.ONLY_VACANCY:
        if sv:
            return "Avgörande var att det var den enda verksamheten med ledig plats de beviljade dagarna."  # noqa: E501
        return "It was the only centre with a vacant place on the days granted."
    if r.criterion is Criterion.CENTRE_ID:
        if sv:
            return (
                f"Alternativen var likvärdiga; verksamheten valdes före {r.centre} i ordning "
                "efter verksamheternas id."
            )
        return (
            f"The alternatives were equal; the centre was chosen ahead of {r.centre} in "
            "the order of the centres' ids."
        )
    assert r.criterion is not None
    if sv:
        return f"Avgörande var {_DECISIVE_SV[r.criterion]}, framför {r.centre}."
    return f"What decided was {_DECISIVE_EN[r.criterion]}, ahead of {r.centre}."


def _render_wish_met(r: PlacementReason, sv: bool) -> str:
    if r.rank == 1:
        return (
            f"Förstahandsönskemålet uppfylldes: {r.centre}."
            if sv
            else f"The first wish was met: {r.centre}."
        )
    if sv:
        return f"Önskemål {r.rank} av {r.count} uppfylldes: {r.centre}."
    return f"Wish {r.rank} of {r.count} was met: {r.centre}."


def _render_wish_elsewhere(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            f"Önskemål {r.rank} av {r.count} kan uppfyllas i stadsområde {r.district}: {r.centre}."
        )
    return f"Wish {r.rank} of {r.count} can be met in the city district {r.district}: {r.centre}."


def _wish_status(r: PlacementReason, sv: bool) -> str:
    days = _days_word(r.count or 0, sv)
    status = r.status
    if status is WishStatus.ORIENTATION:
        return (
            "verksamheten har en annan inriktning än beslutet"
            if sv
            else "the centre has another orientation than the decision"
        )
    if status is WishStatus.NO_VACANCY:
        return f"ingen ledig plats {days}" if sv else f"no vacant place {days}"
    if status is WishStatus.TAKEN:
        return (
            "de lediga platserna gick till ärenden med längre kötid"
            if sv
            else "the vacant places went to requests with a longer queue time"
        )
    if status is WishStatus.OTHER_DISTRICT:
        return (
            f"verksamheten ligger i stadsområde {r.district}"
            if sv
            else f"the centre is in the city district {r.district}"
        )
    return (
        "andra kriterier vägde tyngre enligt fördelningspolicyn"
        if sv
        else "other criteria weighed more under the placement policy"
    )


def _render_wish_not_met(r: PlacementReason, sv: bool) -> str:
    if sv:
        return f"Önskemål {r.rank} ({r.centre}) kunde inte uppfyllas: {_wish_status(r, sv)}."
    return f"Wish {r.rank} ({r.centre}) could not be met: {_wish_status(r, sv)}."


def _render_weekdays(r: PlacementReason, sv: bool) -> str:
    met, missed = _weekdays(r.days, sv), _weekdays(r.missed, sv)
    if not r.missed:
        return (
            f"Placeringen ger de önskade veckodagarna ({met})."
            if sv
            else f"The placement gives the wished weekdays ({met})."
        )
    if not r.days:
        return (
            f"Placeringen ger inga av de önskade veckodagarna ({missed})."
            if sv
            else f"The placement gives none of the wished weekdays ({missed})."
        )
    if sv:
        return f"Placeringen ger de önskade veckodagarna {met} men inte {missed}."
    return f"The placement gives the wished weekdays {met} but not {missed}."


def _render_language(r: PlacementReason, sv: bool) -> str:
    if sv:
        neg = "" if r.met else "inte "
        return f"Verksamheten erbjuder {neg}språket {r.language}."
    neg = "offers" if r.met else "does not offer"
    return f"The centre {neg} the language {r.language}."


def _render_distance(r: PlacementReason, sv: bool) -> str:
    if sv:
        return f"Avståndet är {_km(r.km, sv)} km fågelvägen."
    return f"The distance is {_km(r.km, sv)} km as the crow flies."


def _render_cognitive(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            "Verksamheten är anpassad för kognitiv svikt."
            if r.met
            else "Verksamheten är inte särskilt anpassad för kognitiv svikt."
        )
    return (
        "The centre is adapted to cognitive impairment."
        if r.met
        else "The centre is not specially adapted to cognitive impairment."
    )


def _render_needs(r: PlacementReason, sv: bool) -> str:
    met, missing = _listing(r.tags, sv), _listing(r.missing, sv)
    if not r.missing:
        return (
            f"Verksamhetens profil motsvarar behoven i uppdraget: {met}."
            if sv
            else f"The centre's profile meets the needs of the assignment: {met}."
        )
    if not r.tags:
        return (
            f"Verksamhetens profil motsvarar inget av behoven i uppdraget ({missing})."
            if sv
            else f"The centre's profile meets none of the needs of the assignment ({missing})."
        )
    if sv:
        return f"Verksamhetens profil motsvarar behoven {met} men inte {missing}."
    return f"The centre's profile meets the needs {met} but not {missing}."


def _render_queue(r: PlacementReason, sv: bool) -> str:
    assert r.queue_date is not None
    day = r.queue_date.isoformat()
    if sv:
        return f"Kötid från {day}: plats {r.position} av {r.total} i kön."
    return f"In the queue since {day}: place {r.position} of {r.total}."


def _render_queue_lost(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            "Det fanns lediga platser före fördelningen, men de gick till ärenden med längre kötid."
        )
    return (
        "There were vacant places before this plan, but they went to requests with a "
        "longer queue time."
    )


def _render_no_centre(r: PlacementReason, sv: bool) -> str:
    orientation = _orientation(r.orientation, sv)
    if r.district is None:
        if sv:
            return f"Ingen dagverksamhet i staden har inriktning {orientation}."
        return f"No day centre in the city has the orientation {orientation}."
    if sv:
        return f"Stadsområde {r.district} har ingen dagverksamhet med inriktning {orientation}."
    return f"The city district {r.district} has no day centre with the orientation {orientation}."


def _render_no_vacancy(r: PlacementReason, sv: bool) -> str:
    orientation = _orientation(r.orientation, sv)
    days = _days_word(r.count or 0, sv)
    if sv:
        where = "i något stadsområde" if r.district is None else f"i stadsområde {r.district}"
        return f"Ingen dagverksamhet med inriktning {orientation} {where} har ledig plats {days}."
    where = "in any city district" if r.district is None else f"in the city district {r.district}"
    return f"No day centre with the orientation {orientation} {where} has a vacant place {days}."


def _render_cross_off(r: PlacementReason, sv: bool) -> str:
    if sv:
        return "Fördelningspolicyn föreslår inte platser i andra stadsområden."
    return "The placement policy proposes no places in other city districts."


def _render_cause_wish(r: PlacementReason, sv: bool) -> str:
    if sv:
        return f"Den enskilde önskar {r.centre} i stadsområde {r.district}, som har ledig plats."
    return (
        f"The individual wishes {r.centre} in the city district {r.district}, which has "
        "a vacant place."
    )


def _render_cause_needs(r: PlacementReason, sv: bool) -> str:
    if sv:
        return f"Behoven och önskemålen tillgodoses bäst i stadsområde {r.district}."
    return f"The needs and wishes are best met in the city district {r.district}."


def _render_not_reserved(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            "Förslaget reserverar ingen plats: platserna är lediga för andra tills "
            f"stadsområde {r.district} har placerat."
        )
    return (
        "The proposal reserves nothing: the places stay free for others until the city "
        f"district {r.district} has placed the individual."
    )


def _render_home_held(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            f"Platsen på {r.centre} i stadsområde {r.district} ({_weekdays(r.days, sv)}) "
            "hålls kvar tills det andra stadsområdet har svarat."
        )
    return (
        f"The place at {r.centre} in the city district {r.district} "
        f"({_weekdays(r.days, sv)}) is held until the other district has answered."
    )


def _render_stays(r: PlacementReason, sv: bool) -> str:
    if sv:
        return "Ärendet står kvar i kön med sin kötid och tas med i nästa fördelning."
    return "The request stays in the queue with its queue time and is included in the next plan."


def _render_clarification(r: PlacementReason, sv: bool) -> str:
    if sv:
        return (
            "Uppdraget väntar på förtydligande med den enskilde och/eller anhöriga och "
            "fördelas när det är förtydligat."
        )
    return (
        "The assignment awaits clarification with the individual and/or relatives and is "
        "placed once it is clarified."
    )


_RENDER: Final[dict[ReasonCode, Callable[[PlacementReason, bool], str]]] = {
    ReasonCode.PLACED: _render_placed,
    ReasonCode.PROPOSED: _render_proposed,
    ReasonCode.DECISION: _render_decision,
    ReasonCode.DECISIVE: _render_decisive,
    ReasonCode.WISH_MET: _render_wish_met,
    ReasonCode.WISH_ELSEWHERE: _render_wish_elsewhere,
    ReasonCode.WISH_NOT_MET: _render_wish_not_met,
    ReasonCode.WEEKDAYS: _render_weekdays,
    ReasonCode.LANGUAGE: _render_language,
    ReasonCode.DISTANCE: _render_distance,
    ReasonCode.COGNITIVE_IMPAIRMENT: _render_cognitive,
    ReasonCode.NEEDS: _render_needs,
    ReasonCode.QUEUE: _render_queue,
    ReasonCode.QUEUE_LOST: _render_queue_lost,
    ReasonCode.NO_CENTRE: _render_no_centre,
    ReasonCode.NO_VACANCY: _render_no_vacancy,
    ReasonCode.CROSS_DISTRICT_OFF: _render_cross_off,
    ReasonCode.CAUSE_WISH: _render_cause_wish,
    ReasonCode.CAUSE_NEEDS: _render_cause_needs,
    ReasonCode.NOT_RESERVED: _render_not_reserved,
    ReasonCode.HOME_HELD: _render_home_held,
    ReasonCode.STAYS_IN_QUEUE: _render_stays,
    ReasonCode.AWAITING_CLARIFICATION: _render_clarification,
}
