"""A store by its URL (lager efter adress): ``sqlite:///path``, ``postgresql://…``, X-1.

Re-exported by :mod:`arendefordelning.store`; see there. The audit command reads a
store through :func:`events_from` as it reads a log.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import InvalidInput
from ..kernel import Event
from ._base import EventStore, check_count, check_name, check_routines
from ._transfer import PAGE, _pages, _tail

__all__ = ["events_from", "is_store_url", "open_store"]

_SCHEMES = ("sqlite", "postgresql", "postgres")


def is_store_url(text: object) -> bool:
    """Whether ``text`` names a store (``sqlite:…``, ``postgresql://…``), not a log file."""
    return isinstance(text, str) and text.partition(":")[0].lower() in _SCHEMES and ":" in text


def open_store(
    url: str, *, types: Iterable[type[Event]] | None = None, **options: Any
) -> EventStore:
    """Open a store by its URL (öppna ett händelselager), X-1.

    ``sqlite:///var/lib/app/events.db`` is the SQLite store in that file (an absolute
    path after the three slashes; ``sqlite:events.db`` a path relative to the working
    directory). ``postgresql://user@host:5432/db`` (or ``postgres://``) is the
    PostgreSQL store in that database, through a pool (extra ``[postgres]``); a
    ``table=`` query parameter chooses its tables' prefix. ``options`` go to the
    store's class.

    Raises:
        InvalidInput: for a URL of another scheme, or a SQLite URL without a path.
    """
    if not is_store_url(url):
        raise InvalidInput(
            "url must name a store: sqlite:///absolute/path.db, sqlite:relative.db or "
            "postgresql://user@host:port/database"
        )
    scheme = url.partition(":")[0]
    if scheme.lower() == "sqlite":
        parts = urlsplit(url)
        if parts.netloc:
            raise InvalidInput(
                "a SQLite URL has no host: sqlite:///absolute/path.db or sqlite:relative.db"
            )
        path = unquote(parts.path)
        if not path:
            raise InvalidInput("the SQLite URL names no file: sqlite:///absolute/path.db")
        from ._sqlite import SQLiteEventStore  # noqa: PLC0415 - each store loads when asked for

        return SQLiteEventStore(os.fspath(path), types=types, **options)
    from ._postgres import PostgresEventStore  # noqa: PLC0415 - needs the extra [postgres]

    conninfo, table = _postgres_url(url)
    if table is not None:
        options.setdefault("table", table)
    return PostgresEventStore(conninfo, types=types, **options)


def _postgres_url(url: str) -> tuple[str, str | None]:
    """Split our own ``table=`` parameter off a PostgreSQL URL."""
    base, _, query = url.partition("?")
    kept: list[str] = []
    table: str | None = None
    for item in query.split("&") if query else ():
        key, _, value = item.partition("=")
        if key == "table":
            table = unquote(value)
        else:
            kept.append(item)
    return (base + ("?" + "&".join(kept) if kept else "")), table


def events_from(
    url: str,
    *,
    tracking: str | None = None,
    routines: Iterable[str] = (),
    types: Iterable[type[Event]] | None = None,
    page: int = PAGE,
) -> Generator[Event, None, None]:
    """Yield a store's events in position order, by the store's URL (läs lagret), X-1.

    What the audit reads a store with, as it reads a log. Without ``tracking``, every
    event (of ``routines``, when given). With ``tracking="granska"``, only the events
    after where that consumer stopped, and the position moves as the events are
    consumed (see :func:`tail`), so the next run resumes there. The store is opened
    when the first event is asked for and closed when the generator ends.
    """
    consumer = None if tracking is None else check_name(tracking)
    codes = check_routines(routines)
    size = check_count("page", page, 1)
    if not is_store_url(url):
        open_store(url)  # raises the message for a wrong URL, at once
    return _events(url, consumer, codes, types, size)


def _events(
    url: str,
    consumer: str | None,
    codes: tuple[str, ...],
    types: Iterable[type[Event]] | None,
    page: int,
) -> Generator[Event, None, None]:
    store = open_store(url, types=types)
    try:
        if consumer is None:
            for records in _pages(store, 0, page, codes):
                for record in records:
                    yield record.event
        else:
            following = _tail(store, consumer, page, codes)
            try:
                for record in following:
                    yield record.event
            finally:
                following.close()  # tracks what was consumed, before the store closes
    finally:
        store.close()
