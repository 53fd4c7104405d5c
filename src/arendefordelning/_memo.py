"""A memo shared by equal keys, kept while in use and for the few most recent.

Calendars and policies are values: two equal ones must give the same answers, so they
can share what they have computed. The memo keeps an entry while any holder uses it,
and the most recently asked-for few even after, so a caller who builds an equal policy
on every call does not recompute; a program that makes many different calendars does
not keep all their tables for ever.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["SharedMemo"]

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class SharedMemo(Generic[_K, _V]):
    """Values by key, made by ``factory`` on first use; each value must allow weak references."""

    __slots__ = ("_factory", "_lock", "_recent", "_values")

    def __init__(self, factory: Callable[[], _V], keep: int = 16) -> None:
        self._factory = factory
        self._values: weakref.WeakValueDictionary[_K, _V] = weakref.WeakValueDictionary()
        self._recent: deque[_V] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def get(self, key: _K) -> _V:
        """Return the value for ``key``, making it if no holder keeps one."""
        with self._lock:
            value = self._values.get(key)
            if value is None:
                value = self._factory()
                self._values[key] = value
            if not self._recent or self._recent[-1] is not value:
                self._recent.append(value)
            return value
