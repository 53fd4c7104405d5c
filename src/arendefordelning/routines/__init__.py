"""Routines (rutiner): one module each, found through the registry.

Each routine module defines its table of steps as a
:class:`~arendefordelning.kernel.Routine` and registers here by its code. The edge
modules (the event log, the strategies, the command line) and the package's public
names read the registry, lazily: a routine's module is imported the first time its
routine is asked for, and adding a routine edits none of them.

>>> from arendefordelning import routines
>>> routines.codes()
('VAL', 'OV', 'DV', 'HC')
>>> routines.get("OV").title
'Rutin från beslut till verkställighet för öppenvårdsinsats, vuxna insatser'

The routine objects are also the module's attributes by code: ``routines.VAL``,
``routines.OV``, ``routines.DV`` (and ``arendefordelning.VAL``, ``arendefordelning.OV``,
``arendefordelning.DV``).
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Final

from ..errors import InvalidInput

__all__ = ["codes", "get", "register", "registered"]

_REGISTRY: Final[dict[str, tuple[str, str]]] = {
    "VAL": ("arendefordelning.routines.provider_choice", "PROVIDER_CHOICE"),
    "OV": ("arendefordelning.routines.outpatient_care", "OUTPATIENT_CARE"),
    "DV": ("arendefordelning.routines.day_activity", "DAY_ACTIVITY"),
    "HC": ("arendefordelning.routines.patient_allocation", "PATIENT_ALLOCATION"),
    "UP": ("arendefordelning.routines.assignment_dispatch", "ASSIGNMENT_DISPATCH"),
}
"""Each routine's code, the module defining it and the name of its routine there."""

_LOADED: Final[dict[str, Any]] = {}
_LOCK: Final = threading.Lock()


def codes() -> tuple[str, ...]:
    """Return the codes of the registered routines, in the order registered."""
    return tuple(_REGISTRY)


def register(code: str, module: str, attribute: str) -> None:
    """Register a routine (registrera en rutin) by its code, the module and the name in it.

    For a municipality's own routine: after ``register("TR", "mina.rutiner", "TR")``
    the event log reads its events and ``get("TR")`` finds it. Registering a code
    again with the same module and name does nothing.

    Raises:
        InvalidInput: for a code already registered for another module or name, or
            arguments that are not text.
    """
    given: tuple[tuple[str, object], ...] = (
        ("code", code),
        ("module", module),
        ("attribute", attribute),
    )
    for name, value in given:
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"{name} must be non-empty text, not {type(value).__name__}")
    with _LOCK:
        known = _REGISTRY.get(code)
        if known is not None and known != (module, attribute):
            raise InvalidInput(
                f"the routine {code!r} is registered already, for another module; choose "
                "another code"
            )
        _REGISTRY[code] = (module, attribute)


def get(code: str) -> Any:
    """Return the routine registered under ``code``, importing its module on first use.

    Raises:
        InvalidInput: for a code no routine is registered under.
    """
    found = _LOADED.get(code)
    if found is not None:
        return found
    given: object = code
    entry = _REGISTRY.get(given) if isinstance(given, str) else None
    if entry is None:
        raise InvalidInput(
            f"no routine is registered under that code; registered: {', '.join(_REGISTRY)}"
        )
    module, attribute = entry
    routine = getattr(importlib.import_module(module), attribute)
    with _LOCK:
        _LOADED[code] = routine
    return routine


def registered() -> tuple[Any, ...]:
    """Return every registered routine, importing their modules."""
    return tuple(get(code) for code in _REGISTRY)


def __getattr__(name: str) -> Any:
    if name in _REGISTRY:
        return get(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_REGISTRY})
