"""The requirement catalogue (kravkatalog): which requirement IDs exist.

The routines' normative sentences are numbered per routine: HC (allocation of patient
cases), DV (day activity placement), UP (assignments to providers), VAL (choice of
home-care provider), OV (adult outpatient care) and X (cross-cutting). A routine's
table of steps may cite only IDs of this catalogue, and ``docs/requirements.md``
lists exactly these IDs with a summary and the modules that implement each.

The catalogue is kept as the number of requirements per routine, so that this module
cites no requirement itself: which module implements which ID stays a question of
where the IDs are written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["CATALOGUE", "is_requirement", "requirement_ids"]

CATALOGUE: Final[Mapping[str, int]] = MappingProxyType(
    {"HC": 13, "DV": 9, "UP": 14, "VAL": 20, "OV": 11, "X": 7}
)
"""How many numbered requirements each routine code has, in catalogue order."""

_ID: Final = re.compile(r"(?P<code>[A-Z]+)-(?P<number>[1-9][0-9]*)")


def requirement_ids() -> tuple[str, ...]:
    """Every requirement ID of the catalogue, in catalogue order, code by code."""
    return tuple(f"{code}-{n}" for code, count in CATALOGUE.items() for n in range(1, count + 1))


def is_requirement(value: object) -> bool:
    """Whether ``value`` is a requirement ID of the catalogue."""
    if not isinstance(value, str):
        return False
    match = _ID.fullmatch(value)
    return match is not None and int(match["number"]) <= CATALOGUE.get(match["code"], 0)
