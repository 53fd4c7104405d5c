"""Rotation list (akut- och ickevalslistan): the provider for a customer who does not choose.

A customer who abstains from choosing a home-care provider gets the provider next in
turn on the area's emergency and non-choice list, which the needs assessors keep
(VAL-2). The same list gives the assignment when a start sooner than 24 hours is
needed and the customer has no provider yet (VAL-7); a customer who already has a
provider keeps it, which is the caller's decision, not the list's.

The list is a pure value: every change returns a new list and the same list and day
always give the same provider. Its rules, as municipalities run such lists:

* One list per area, with the providers in a fixed order: Swedish alphabetical order
  by default (:meth:`RotationList.alphabetical`), or an order the municipality gives
  (:meth:`RotationList.in_order`).
* The turn goes round the order. A provider that is paused or has reached its
  capacity cap is passed over and keeps its turn: at the first take on which it can
  receive again it is served before the order moves on. It keeps one turn however
  often it was passed over, and loses it when it leaves the list.
* Providers join and leave the list from a given date.
* Turns are taken in order of decision time: call :meth:`RotationList.take` for the
  decisions in that order.

Without pauses and caps this is a plain rotation: no provider is served twice before
every provider on the list has been served once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Final, NamedTuple

import attrs

from .._time import as_date
from .._validators import (
    describe,
    flag,
    instance_of,
    name,
    optional_plain_date,
    plain_date,
    shown,
    tuple_of,
)
from .._validators import reason as free_reason
from ..errors import InvalidInput, NoProviderAvailable
from ..providers import Provider, swedish_sort_key

__all__ = ["MAX_COUNT", "Pause", "RotationEntry", "RotationList", "RotationOrder", "Take"]


class RotationOrder(enum.Enum):
    """Order of the list (turordning): alphabetical or as the municipality gives it, VAL-2."""

    ALPHABETICAL = "alfabetisk"
    """Swedish alphabetical order of the names (å, ä, ö after z); a joiner takes its place."""
    GIVEN = "given"
    """The order the entries are given in; a provider that joins is put last."""


# --------------------------------------------------------------------------- validators


MAX_COUNT: Final = 999_999
"""The largest count of customers (a cap, customers held or served) a list accepts.

Far beyond any area's list; a larger number is surely a mistake, and one of ten or
twelve digits could be a personal identity number in the list's ``repr`` (X-7).
"""


def _count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise InvalidInput(f"{attribute.name} must be a whole number (int), not {describe(value)}")
    if not 0 <= value <= MAX_COUNT:
        raise InvalidInput(f"{attribute.name} must be from 0 to {MAX_COUNT}")


def _optional_count(
    instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is None:
        return
    if type(value) is not int:
        raise InvalidInput(
            f"{attribute.name} must be a whole number (int) or None for no cap, "
            f"not {describe(value)}"
        )
    if not 0 <= value <= MAX_COUNT:
        raise InvalidInput(f"{attribute.name} must be from 0 to {MAX_COUNT}, or None for no cap")


def _check_provider(value: object, name: str = "provider") -> Provider:
    if not isinstance(value, Provider):
        raise InvalidInput(f"{name} must be a Provider, not {describe(value)}")
    return value


# --------------------------------------------------------------------------- values


@attrs.frozen
class Pause:
    """Pause (intagningsstopp): days a provider takes no customers from the list, VAL-2.

    The provider is paused on every day ``d`` with ``start <= d < end``; ``end=None``
    means until it is resumed (:meth:`RotationList.resume`). A paused provider is
    passed over and keeps its turn.
    """

    start: date = attrs.field(validator=plain_date)
    """First day of the pause."""
    end: date | None = attrs.field(default=None, validator=optional_plain_date)
    """First day the provider receives again, or None for a pause until resumed."""
    reason: str = attrs.field(default="", validator=free_reason)
    """Why the provider is paused, as the assessors note it (free text, may be empty)."""

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise InvalidInput(
                "the end of a pause must be after its start (a pause covers the days from "
                f"start up to, not including, end); got start {self.start} and end {self.end}"
            )

    def covers(self, day: date | datetime) -> bool:
        """Whether the provider is paused on ``day`` by this pause (intagningsstopp)."""
        d = as_date(day, "day")
        return self.start <= d and (self.end is None or d < self.end)


@attrs.frozen
class RotationEntry:
    """Place on the list (plats på listan): a provider, its dates, cap and kept turn, VAL-2.

    ``cap`` and ``assigned`` count customers given to the provider through the list
    that it still holds: at ``assigned >= cap`` the provider is passed over until a
    customer leaves it (:meth:`RotationList.release`) or the cap is raised.
    """

    provider: Provider = attrs.field(validator=instance_of(Provider))
    """The provider on the list."""
    joined: date = attrs.field(validator=plain_date)
    """First day the provider is on the list."""
    left: date | None = attrs.field(default=None, kw_only=True, validator=optional_plain_date)
    """First day the provider is off the list, or None while it stays on."""
    cap: int | None = attrs.field(default=None, kw_only=True, validator=_optional_count)
    """Capacity cap (kapacitetstak): most customers via the list it may hold; None is none."""
    assigned: int = attrs.field(default=0, kw_only=True, validator=_count)
    """Customers given to the provider through the list that it holds now."""
    pauses: tuple[Pause, ...] = attrs.field(default=(), kw_only=True, validator=tuple_of(Pause))
    """The provider's pauses, in the order they were added."""
    owed: bool = attrs.field(default=False, kw_only=True, validator=flag)
    """Whether the provider was passed over and keeps a turn (one at most)."""
    served: int = attrs.field(default=0, kw_only=True, validator=_count)
    """How many customers the list has given to the provider in all."""

    def __attrs_post_init__(self) -> None:
        if self.left is not None and self.left <= self.joined:
            raise InvalidInput(
                f"the day {shown(self.provider.name)} leaves the list must be after the day it "
                f"joined; got joined {self.joined} and left {self.left}"
            )

    def on_list(self, day: date | datetime) -> bool:
        """Whether the provider is on the list (på listan) on ``day``."""
        d = as_date(day, "day")
        return self.joined <= d and (self.left is None or d < self.left)

    def paused_on(self, day: date | datetime) -> bool:
        """Whether the provider is paused (intagningsstopp) on ``day``."""
        d = as_date(day, "day")
        return any(pause.covers(d) for pause in self.pauses)

    @property
    def at_cap(self) -> bool:
        """Whether the provider holds as many customers as its cap (kapacitetstak) allows."""
        return self.cap is not None and self.assigned >= self.cap

    def can_receive(self, day: date | datetime) -> bool:
        """Whether the list can give the provider a customer (kan ta emot) on ``day``.

        It can when it is on the list that day, not paused and below its cap.
        """
        d = as_date(day, "day")
        return self.on_list(d) and not self.at_cap and not self.paused_on(d)


class _Pick(NamedTuple):
    """The outcome of choosing, before the new list is built."""

    chosen: int
    turn: int
    passed: tuple[int, ...]


@attrs.frozen
class RotationList:
    """Rotation list (akut- och ickevalslistan): one area's non-choice rotation, VAL-2, VAL-7.

    ``entries`` are the providers in the fixed order of the list; ``turn`` is the
    index of the entry the order goes on from. With ``ordering`` ALPHABETICAL (the
    default) the entries must be in Swedish alphabetical order of their names; with
    GIVEN they are in the order the municipality gives. A provider's name is on the
    list at most once.

    Build a list with :meth:`alphabetical` or :meth:`in_order`; change it with
    :meth:`join`, :meth:`leave`, :meth:`pause`, :meth:`resume`, :meth:`set_cap` and
    :meth:`release`; serve a customer with :meth:`take`. Each returns a new list.
    """

    area: str = attrs.field(validator=name)
    """The area (område) the list is kept for."""
    entries: tuple[RotationEntry, ...] = attrs.field(
        default=(),
        validator=tuple_of(RotationEntry),
    )
    """The providers in the fixed order of the list."""
    ordering: RotationOrder = attrs.field(
        default=RotationOrder.ALPHABETICAL,
        kw_only=True,
        validator=instance_of(RotationOrder),
    )
    """How the order is kept and where a provider that joins is put."""
    turn: int = attrs.field(default=0, kw_only=True, validator=_count)
    """Index of the entry the order goes on from at the next take."""

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.entries:
            name = entry.provider.name
            if name in seen:
                raise InvalidInput(
                    f"{shown(name)} is on the list of area {shown(self.area)} twice; a "
                    "provider is on a list at most once"
                )
            seen.add(name)
        if self.ordering is RotationOrder.ALPHABETICAL:
            keys = [swedish_sort_key(entry.provider.name) for entry in self.entries]
            if keys != sorted(keys):
                raise InvalidInput(
                    f"the entries of the list of area {shown(self.area)} are not in Swedish "
                    "alphabetical order; sort them, or pass ordering=RotationOrder.GIVEN "
                    "to keep another order"
                )
        if self.turn >= max(len(self.entries), 1):
            raise InvalidInput(
                f"turn must be the index of an entry, 0 to {max(len(self.entries) - 1, 0)}"
            )

    # ----------------------------------------------------------------------- building

    @classmethod
    def alphabetical(
        cls, area: str, providers: Iterable[Provider], *, joined: date | datetime
    ) -> RotationList:
        """Build a list in Swedish alphabetical order (alfabetisk ordning), VAL-2.

        Args:
            area: The area the list is kept for.
            providers: The providers, in any order; å, ä and ö sort after z.
            joined: The day they are on the list from (an aware datetime counts as its
                Stockholm date).

        Returns:
            The list, with the turn at the first provider.
        """
        chosen = _providers(providers)
        day = as_date(joined, "joined")
        ordered = sorted(chosen, key=lambda provider: swedish_sort_key(provider.name))
        return cls(area, tuple(RotationEntry(provider, day) for provider in ordered))

    @classmethod
    def in_order(
        cls, area: str, providers: Iterable[Provider], *, joined: date | datetime
    ) -> RotationList:
        """Build a list in an order the municipality gives (fast turordning), VAL-2.

        Args:
            area: The area the list is kept for.
            providers: The providers in the order of the list.
            joined: The day they are on the list from.

        Returns:
            The list, with the turn at the first provider; a provider that joins
            later is put last.
        """
        chosen = _providers(providers)
        day = as_date(joined, "joined")
        return cls(
            area,
            tuple(RotationEntry(provider, day) for provider in chosen),
            ordering=RotationOrder.GIVEN,
        )

    # ----------------------------------------------------------------------- reading

    @property
    def providers(self) -> tuple[Provider, ...]:
        """Every provider of the list (utförare), on it today or not, in the list's order."""
        return tuple(entry.provider for entry in self.entries)

    @property
    def counts(self) -> dict[Provider, int]:
        """How many customers the list has given each provider (tilldelningar), in order."""
        return {entry.provider: entry.served for entry in self.entries}

    def entry(self, provider: Provider) -> RotationEntry:
        """Return the provider's place on the list (plats på listan).

        Raises:
            InvalidInput: The provider is not on the list.
        """
        return self.entries[self._index(provider)]

    def active(self, on: date | datetime) -> tuple[Provider, ...]:
        """Return the providers on the list (på listan) on a day, paused, capped or not."""
        day = as_date(on, "on")
        return tuple(entry.provider for entry in self.entries if entry.on_list(day))

    def eligible(self, on: date | datetime) -> tuple[Provider, ...]:
        """Return the providers the list can give a customer (kan ta emot) on a day, VAL-2."""
        day = as_date(on, "on")
        return tuple(entry.provider for entry in self.entries if entry.can_receive(day))

    def next_in_turn(self, on: date | datetime) -> Provider:
        """Return the provider next in turn (nästa i tur) on a day, without taking it, VAL-2.

        Raises:
            NoProviderAvailable: No provider on the list can receive on that day.
            InvalidInput: ``on`` is not a date or an aware datetime.
        """
        return self.entries[self._pick(as_date(on, "on")).chosen].provider

    def passed_over(self, on: date | datetime) -> tuple[Provider, ...]:
        """Return the providers a take on a day passes over (förbigås), VAL-2.

        They are on the list that day but paused or at their cap, and stand between
        the turn and the provider chosen; the take marks them as keeping their turn.
        Empty when the take serves a provider on a turn it kept, as the order then
        stays where it is.

        Raises:
            NoProviderAvailable: No provider on the list can receive on that day.
            InvalidInput: ``on`` is not a date or an aware datetime.
        """
        pick = self._pick(as_date(on, "on"))
        return tuple(self.entries[index].provider for index in pick.passed)

    # ----------------------------------------------------------------------- taking

    def take(self, on: date | datetime) -> Take:
        """Give a customer to the provider next in turn (nästa i tur), VAL-2 and VAL-7.

        For a customer who abstains from choosing (VAL-2), and for an assignment that
        must start sooner than 24 hours when the customer has no provider (VAL-7).

        The turn goes round the order from :attr:`turn`. A provider on the list that
        is paused or at its cap is passed over and keeps its turn (it is marked owed).
        A provider that keeps a turn and can receive on the day is served first,
        before the order moves on; of several, the first counted from the turn. If
        the order has come round to it meanwhile, that is the same turn and the order
        moves on past it. Providers not on the list that day are skipped and keep
        nothing.

        Args:
            on: The day of the decision: a date, or an aware datetime counted as its
                Stockholm date.

        Returns:
            The chosen provider and the new list: ``provider, rotation = ...``.

        Raises:
            NoProviderAvailable: No provider on the list can receive on that day.
            InvalidInput: ``on`` is not a date or an aware datetime.
        """
        day = as_date(on, "on")
        pick = self._pick(day)
        entries = list(self.entries)
        for index in pick.passed:
            entries[index] = attrs.evolve(entries[index], owed=True)
        for index, entry in enumerate(entries):
            # A provider that has left loses the turn it kept.
            if entry.owed and entry.left is not None and entry.left <= day:
                entries[index] = attrs.evolve(entry, owed=False)
        chosen = entries[pick.chosen]
        entries[pick.chosen] = attrs.evolve(
            chosen, owed=False, assigned=chosen.assigned + 1, served=chosen.served + 1
        )
        rotation = attrs.evolve(self, entries=tuple(entries), turn=pick.turn)
        return Take(chosen.provider, rotation)

    def serve(self, provider: Provider, on: date | datetime) -> RotationList:
        """Return the list after a recorded take gave ``provider`` a customer (tilldelning), VAL-2.

        What the record says happened: if ``provider`` was next in turn, this is
        :meth:`take`; if the take went to another provider (out of turn, a deviation
        of VAL-2), that provider holds one customer more and the turn stays where it
        was. A provider not on the list leaves the list as it is.

        Raises:
            InvalidInput: ``provider`` is not a Provider or ``on`` not a day.
        """
        checked = _check_provider(provider)
        day = as_date(on, "on")
        try:
            if self.next_in_turn(day) == checked:
                return self.take(day).rotation
        except NoProviderAvailable:
            pass
        for index, entry in enumerate(self.entries):
            if entry.provider == checked:
                served = attrs.evolve(entry, assigned=entry.assigned + 1, served=entry.served + 1)
                return self._replace(index, served)
        return self

    def _pick(self, day: date) -> _Pick:
        count = len(self.entries)
        passed: list[int] = []
        regular: int | None = None
        for step in range(count):
            index = (self.turn + step) % count
            entry = self.entries[index]
            if entry.can_receive(day):
                regular = index
                break
            if entry.on_list(day):
                passed.append(index)
        if regular is None:
            raise self._nobody(day)
        if not self.entries[regular].owed:
            # A provider further on that kept its turn goes first; the order stays.
            for step in range(1, count):
                index = (regular + step) % count
                entry = self.entries[index]
                if entry.owed and entry.can_receive(day):
                    return _Pick(index, self.turn, ())
        return _Pick(regular, (regular + 1) % count, tuple(passed))

    def _nobody(self, day: date) -> NoProviderAvailable:
        where = f"the list (akut- och ickevalslistan) of area {shown(self.area)}"
        if not self.entries:
            return NoProviderAvailable(
                f"no provider can be chosen from {where} on {day}: the list has no providers"
            )
        paused = capped = off = 0
        for entry in self.entries:
            if not entry.on_list(day):
                off += 1
            elif entry.paused_on(day):
                paused += 1
            else:
                capped += 1
        parts = [
            text
            for number, text in (
                (paused, f"{paused} paused"),
                (capped, f"{capped} at the capacity cap"),
                (off, f"{off} not on the list that day"),
            )
            if number
        ]
        count = len(self.entries)
        return NoProviderAvailable(
            f"no provider can be chosen from {where} on {day}: none of its {count} "
            f"{'provider' if count == 1 else 'providers'} can receive ({', '.join(parts)})"
        )

    # ----------------------------------------------------------------------- changing

    def join(
        self, provider: Provider, on: date | datetime, *, cap: int | None = None
    ) -> RotationList:
        """Put a provider on the list from a day (ansluter till listan), VAL-2.

        A new provider takes its alphabetical place on an ALPHABETICAL list and the
        last place on a GIVEN one; if its place is where the turn stands, it is next
        in turn. A provider that has left rejoins at its old place, from ``on`` (on
        or after the day it left), with no kept turn.

        Args:
            provider: The provider.
            on: The first day it is on the list.
            cap: Its capacity cap, or None for none.

        Raises:
            InvalidInput: The provider is on the list on or after ``on``, another
                provider has its name, or an argument is invalid.
        """
        _check_provider(provider)
        day = as_date(on, "on")
        for index, entry in enumerate(self.entries):
            if entry.provider.name != provider.name:
                continue
            if entry.provider != provider:
                raise InvalidInput(
                    f"another provider named {shown(provider.name)} ({entry.provider.kind.value}) "
                    f"is on the list of area {shown(self.area)}"
                )
            if entry.left is None or entry.left > day:
                until = "" if entry.left is None else f" until {entry.left}"
                raise InvalidInput(
                    f"{shown(provider.name)} is already on the list of area "
                    f"{shown(self.area)}{until}; a provider rejoins from the day it left or later"
                )
            rejoined = attrs.evolve(entry, joined=day, left=None, cap=cap, owed=False)
            return self._replace(index, rejoined)
        new = RotationEntry(provider, day, cap=cap)
        if self.ordering is RotationOrder.GIVEN:
            place = len(self.entries)
        else:
            key = swedish_sort_key(provider.name)
            place = sum(1 for entry in self.entries if swedish_sort_key(entry.provider.name) < key)
        turn = self.turn + 1 if place < self.turn else self.turn
        entries = (*self.entries[:place], new, *self.entries[place:])
        return attrs.evolve(self, entries=entries, turn=turn)

    def leave(self, provider: Provider, on: date | datetime) -> RotationList:
        """Take a provider off the list from a day (lämnar listan), VAL-2.

        The provider keeps its place (it may rejoin there) but is never chosen on or
        after ``on``, and loses any turn it kept.

        Raises:
            InvalidInput: The provider is not on the list, already leaves it, or
                ``on`` is not after the day it joined.
        """
        index = self._index(provider)
        entry = self.entries[index]
        day = as_date(on, "on")
        if entry.left is not None:
            raise InvalidInput(
                f"{shown(entry.provider.name)} already leaves the list of area {shown(self.area)} "
                f"on {entry.left}"
            )
        if day <= entry.joined:
            raise InvalidInput(
                f"the day {shown(entry.provider.name)} leaves the list of area "
                f"{shown(self.area)} must be after the day it joined ({entry.joined}); got {day}"
            )
        return self._replace(index, attrs.evolve(entry, left=day))

    def pause(
        self,
        provider: Provider,
        start: date | datetime,
        end: date | datetime | None = None,
        reason: str = "",
    ) -> RotationList:
        """Pause a provider (intagningsstopp) from ``start`` up to ``end``, VAL-2.

        The provider is passed over, keeping its turn, on the days
        ``start <= d < end``; with ``end=None`` until :meth:`resume`.

        Raises:
            InvalidInput: The provider is not on the list, or ``end`` is not after
                ``start``.
        """
        index = self._index(provider)
        first = as_date(start, "start")
        last = None if end is None else as_date(end, "end")
        entry = self.entries[index]
        pause = Pause(first, last, reason)
        return self._replace(index, attrs.evolve(entry, pauses=(*entry.pauses, pause)))

    def resume(self, provider: Provider, on: date | datetime) -> RotationList:
        """End a provider's pause (intagningsstopp) from a day, VAL-2.

        Every pause in force on ``on`` ends there; later pauses stay.

        Raises:
            InvalidInput: The provider is not on the list or not paused on ``on``.
        """
        index = self._index(provider)
        day = as_date(on, "on")
        entry = self.entries[index]
        pauses: list[Pause] = []
        ended = False
        for pause in entry.pauses:
            if not pause.covers(day):
                pauses.append(pause)
                continue
            ended = True
            if pause.start < day:
                pauses.append(attrs.evolve(pause, end=day))
        if not ended:
            raise InvalidInput(
                f"{shown(entry.provider.name)} is not paused on {day} on the list of area "
                f"{shown(self.area)}"
            )
        return self._replace(index, attrs.evolve(entry, pauses=tuple(pauses)))

    def set_cap(self, provider: Provider, cap: int | None) -> RotationList:
        """Set a provider's capacity cap (kapacitetstak), or None for none, VAL-2.

        Raises:
            InvalidInput: The provider is not on the list, or ``cap`` is not a whole
                number from 0 to :data:`MAX_COUNT` or None.
        """
        index = self._index(provider)
        return self._replace(index, attrs.evolve(self.entries[index], cap=cap))

    def release(self, provider: Provider) -> RotationList:
        """Note that a customer given through the list left (kund lämnar utföraren), VAL-2.

        The provider holds one customer fewer, never fewer than none, so a provider
        at its cap may receive again.

        Raises:
            InvalidInput: The provider is not on the list.
        """
        index = self._index(provider)
        entry = self.entries[index]
        return self._replace(index, attrs.evolve(entry, assigned=max(entry.assigned - 1, 0)))

    # ----------------------------------------------------------------------- helpers

    def _index(self, provider: object) -> int:
        checked = _check_provider(provider)
        for index, entry in enumerate(self.entries):
            if entry.provider == checked:
                return index
        raise InvalidInput(
            f"{shown(checked.name)} ({checked.kind.value}) is not on the list of area "
            f"{shown(self.area)}"
        )

    def _replace(self, index: int, entry: RotationEntry) -> RotationList:
        entries = (*self.entries[:index], entry, *self.entries[index + 1 :])
        return attrs.evolve(self, entries=entries)


class Take(NamedTuple):
    """Take (tilldelning): the provider chosen and the list after it, VAL-2, VAL-7.

    Unpacks as ``provider, rotation = rotation.take(day)``. For the record of why,
    ask the list before the take: :meth:`RotationList.passed_over` names the providers
    the take passed over, and ``entry(provider).owed`` says whether the provider was
    served on a turn it kept.
    """

    provider: Provider
    """The provider next in turn, who gets the customer."""
    rotation: RotationList
    """The list after the take: use it for the next decision."""


def _providers(providers: object) -> tuple[Provider, ...]:
    if isinstance(providers, str | bytes) or not isinstance(providers, Iterable):
        raise InvalidInput(f"providers must be an iterable of Provider, not {describe(providers)}")
    return tuple(_check_provider(item, "each provider") for item in providers)
