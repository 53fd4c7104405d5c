"""The outcomes of a placement: reasons, placements, proposals, the plan and ranked centres."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeAlias

import attrs

from ...deadlines import Language
from ...errors import InvalidInput
from ...kernel import RequiredAction
from ._values import (
    Criterion,
    CrossDistrictCause,
    Orientation,
    PlacementPolicy,
    ReasonCode,
    Weekday,
    WishStatus,
    _check_language,
)

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
        from .._placement_text import sentence  # noqa: PLC0415 - it imports this package

        return sentence(self, _check_language(language) == "sv")


def _explain(
    request: str,
    reasons: Iterable[PlacementReason],
    actions: Iterable[RequiredAction],
    language: Language,
) -> str:
    from .._placement_text import explain_outcome  # noqa: PLC0415 - it imports this package

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
        from .._placement_text import outcome_html  # noqa: PLC0415 - it imports this package

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
        from .._placement_text import outcome_html  # noqa: PLC0415 - it imports this package

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
        from .._placement_text import outcome_html  # noqa: PLC0415 - it imports this package

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
        from .._placement_text import outcome_html  # noqa: PLC0415 - it imports this package

        return outcome_html(self)

    def explain(self, language: Language = "sv") -> str:
        """Explain why the request waits, in Swedish or English."""
        return _explain(self.request, self.reasons, self.actions, language)


Outcome: TypeAlias = Placement | CrossDistrictProposal | NotPlaced | Deferred
"""What :func:`place` decided for one request."""


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
        from .._placement_text import plan_html  # noqa: PLC0415 - it imports this package

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
