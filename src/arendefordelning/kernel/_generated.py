"""Generated copies of the kernel's own values (kopiering), as attrs generates its methods.

The kernel folds thousands of events a second into frozen, slotted attrs values (case
states, obligation records). ``attrs.evolve`` runs every converter and validator of a
class again; the kernel's own values have none, so a copy may set each slot from the
old value or a change directly. This module writes one small function per class and
set of changed fields (a step changes the same fields every time), compiles it once,
and registers its source with :mod:`linecache` under a unique file name, as attrs does
(``_make.py``: ``_linecache_and_compile``), so a traceback or a debugger through a
generated function shows its source.

Only classes without validators, converters or ``__attrs_post_init__`` may be copied
this way: :func:`fast_copy_problems` says why a class may not, and a routine whose
state class fails it is refused when it is defined.
"""

from __future__ import annotations

import itertools
import linecache
import threading
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs

from .._validators import class_name

__all__ = ["construct", "fast_copy_problems", "replace", "setters", "updater"]

_T = TypeVar("_T")

_REPLACERS: Final[dict[tuple[type, tuple[str, ...]], Callable[[Any, Mapping[str, Any]], Any]]] = {}
_CONSTRUCTORS: Final[dict[type, Callable[..., Any]]] = {}
_SETTERS: Final[dict[type, dict[str, Callable[[Any, Any], None]]]] = {}
_COUNTER: Final = itertools.count(1)
_LOCK: Final = threading.Lock()


def fast_copy_problems(cls: type) -> list[str]:
    """Say why ``cls`` cannot be copied slot by slot; an empty list when it can.

    It can when it is a slotted attrs class whose fields have no validator and no
    converter and that has no ``__attrs_post_init__``: a copy then only sets slots.
    """
    if not attrs.has(cls):
        return [f"{class_name(cls)} is not an attrs class"]
    problems: list[str] = []
    if "__slots__" not in cls.__dict__:
        problems.append(f"{class_name(cls)} is not slotted (use @attrs.frozen)")
    for field in attrs.fields(cls):
        if field.validator is not None:
            problems.append(f"{class_name(cls)}.{field.name} has a validator")
        if field.converter is not None:
            problems.append(f"{class_name(cls)}.{field.name} has a converter")
    if getattr(cls, "__attrs_post_init__", None) is not None:
        problems.append(f"{class_name(cls)} has __attrs_post_init__")
    return problems


def setters(cls: type) -> dict[str, Callable[[Any, Any], None]]:
    """Return each field's slot setter of a slotted attrs class, by field name."""
    found = _SETTERS.get(cls)
    if found is None:
        found = {}
        for field in attrs.fields(cls):
            descriptor = next(
                k.__dict__[field.name] for k in cls.__mro__ if field.name in k.__dict__
            )
            found[field.name] = descriptor.__set__
        _SETTERS[cls] = found
    return found


def _compile(name: str, source: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """Compile a generated function under a unique file name registered with linecache."""
    filename = f"<arendefordelning generated {name} #{next(_COUNTER)}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(code, namespace)  # generated from attrs.fields, as attrs generates its methods
    function: Callable[..., Any] = namespace[name.split(" ", 1)[0]]
    return function


def replace(instance: _T, changes: Mapping[str, Any]) -> _T:
    """Return a copy of a kernel value with ``changes``, slot by slot, cheaply.

    As ``attrs.evolve`` for classes :func:`fast_copy_problems` accepts: one generated
    function per class and set of changed fields sets each slot once.

    Raises:
        KeyError: naming a field the class does not have.
    """
    key = (type(instance), tuple(changes))
    replacer = _REPLACERS.get(key)
    if replacer is None:
        with _LOCK:
            replacer = _REPLACERS.get(key) or _make_replacer(*key)
            _REPLACERS[key] = replacer
    result: _T = replacer(instance, changes)
    return result


def _make_replacer(cls: type, changed: tuple[str, ...]) -> Callable[[Any, Mapping[str, Any]], Any]:
    slots = setters(cls)
    unknown = [name for name in changed if name not in slots]
    if unknown:
        raise KeyError(f"{class_name(cls)} has no field {unknown[0]!r}")
    lines = ["def replace(old, changes):", "    new = _new(_cls)"]
    lines += [
        f"    _set_{name}(new, changes[{name!r}])"
        if name in changed
        else f"    _set_{name}(new, old.{name})"
        for name in slots
    ]
    lines.append("    return new")
    namespace: dict[str, Any] = {f"_set_{name}": setter for name, setter in slots.items()}
    namespace.update(_new=object.__new__, _cls=cls)
    label = f"replace {cls.__qualname__}({', '.join(changed)})"
    return _compile(label, "\n".join(lines) + "\n", namespace)


def updater(cls: type[_T], changed: tuple[str, ...]) -> Callable[..., _T]:
    """Return a function ``update(old, *values)`` copying a kernel value with ``changed`` set.

    As :func:`replace` for one fixed set of fields, the new values given positionally:
    for the kernel's own hot paths (an obligation met, made void).

    Raises:
        KeyError: naming a field the class does not have.
    """
    slots = setters(cls)
    unknown = [name for name in changed if name not in slots]
    if unknown:
        raise KeyError(f"{class_name(cls)} has no field {unknown[0]!r}")
    values = [f"_{index}" for index in range(len(changed))]
    lines = [f"def update(old, {', '.join(values)}):", "    new = _new(_cls)"]
    lines += [
        f"    _set_{name}(new, _{changed.index(name)})"
        if name in changed
        else f"    _set_{name}(new, old.{name})"
        for name in slots
    ]
    lines.append("    return new")
    namespace: dict[str, Any] = {f"_set_{name}": setter for name, setter in slots.items()}
    namespace.update(_new=object.__new__, _cls=cls)
    label = f"update {cls.__qualname__}({', '.join(changed)})"
    function: Callable[..., _T] = _compile(label, "\n".join(lines) + "\n", namespace)
    return function


def construct(cls: type[_T]) -> Callable[..., _T]:
    """Return an unchecked constructor of a kernel value taking every field positionally.

    For values the kernel makes from values already checked (an obligation record from
    an event); the fields are set in the class's order, without validators.
    """
    found = _CONSTRUCTORS.get(cls)
    if found is None:
        slots = setters(cls)
        names = list(slots)
        lines = [f"def construct({', '.join(names)}):", "    new = _new(_cls)"]
        lines += [f"    _set_{name}(new, {name})" for name in names]
        lines.append("    return new")
        namespace: dict[str, Any] = {f"_set_{name}": setter for name, setter in slots.items()}
        namespace.update(_new=object.__new__, _cls=cls)
        found = _compile(f"construct {cls.__qualname__}", "\n".join(lines) + "\n", namespace)
        _CONSTRUCTORS[cls] = found
    return found
