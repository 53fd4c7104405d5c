"""The audit's report: counts, deviations, findings, and their exports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from .._time import STOCKHOLM, UTC, as_stockholm, instant
from .._validators import describe, instance_of
from ..deadlines import Language, check_language
from ..errors import InvalidInput
from ..kernel import Deviation
from ._findings import QualityFinding, QualityKind, Upcoming

__all__ = ["AuditReport", "deviation_key", "requirement_key"]

_FAR: Final = datetime.max.replace(tzinfo=UTC)
_ID: Final = re.compile(r"([A-Z]+)-([0-9]+)")


def requirement_key(requirement: str) -> tuple[str, int, str]:
    """Order requirement IDs as the catalogue does: by prefix, then number (VAL-2 < VAL-10)."""
    match = _ID.fullmatch(requirement)
    if match is None:
        return (requirement, 0, requirement)
    return (match.group(1), int(match.group(2)), requirement)


def deviation_key(deviation: Deviation) -> tuple[object, ...]:
    """Return a total order of deviations: case, routine, time, requirement, kind, text."""
    moment = deviation.happened_at or deviation.due
    return (
        deviation.case,
        deviation.routine,
        _FAR if moment is None else moment.astimezone(UTC),
        requirement_key(deviation.requirement),
        deviation.kind.name,
        deviation.explain("en"),
    )


def _upcoming_key(item: Upcoming) -> tuple[object, ...]:
    return (
        item.due.astimezone(UTC),
        item.case,
        item.routine,
        requirement_key(item.action.requirement),
        item.action.explain("en"),
    )


def _as_of(value: object) -> datetime:
    return as_stockholm(value, "as_of")


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and type(v) is int for k, v in value.items()
    ):
        raise InvalidInput(f"events must map routine codes to counts, not {describe(value)}")
    return dict(value)


def _cases(value: object) -> dict[str, frozenset[str]]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"cases must map routine codes to case numbers, not {describe(value)}")
    return {str(code): frozenset(numbers) for code, numbers in value.items()}


def _items(value: Iterable[object], kind: type) -> tuple[Any, ...]:
    items = tuple(value)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidInput(f"expected {kind.__name__} values, not {describe(item)}")
    return items


def _deviation_items(value: Iterable[object]) -> tuple[Deviation, ...]:
    return _items(value, Deviation)


def _upcoming_items(value: Iterable[object]) -> tuple[Upcoming, ...]:
    return _items(value, Upcoming)


def _quality_items(value: Iterable[object]) -> tuple[QualityFinding, ...]:
    return _items(value, QualityFinding)


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True, eq=True)
class AuditReport:
    """Audit report (granskningsrapport): every registered routine's deviations in a log, X-5.

    What :func:`~arendefordelning.audit.audit` returns, and what
    :func:`~arendefordelning.audit.audit_partition` returns for a part of a log: a
    plain value (it pickles), mergeable with :meth:`merge` when the parts hold
    different cases. ``deviations`` are sorted by case and time, ``upcoming`` by due
    time, ``quality`` by kind; the same log in any order gives an equal report.

    Exports: :meth:`rows` (a list of dicts, ready for ``pandas.DataFrame``),
    :meth:`to_csv`, :meth:`to_json`, :meth:`text` (also ``str(report)``), :meth:`html`
    (a self-contained page) and ``_repr_html_`` for notebooks.
    """

    as_of: datetime = attrs.field(converter=_as_of, eq=instant)
    """The moment judged: only what was recorded by then counts (X-5)."""
    routines: tuple[str, ...] = attrs.field(converter=_codes)
    """The codes of the routines audited, in the registry's order."""
    events: dict[str, int] = attrs.field(converter=_counts)
    """How many events of each routine were judged (recorded by ``as_of``)."""
    cases: dict[str, frozenset[str]] = attrs.field(converter=_cases)
    """The case numbers of each routine with an event recorded by ``as_of``."""
    deviations: tuple[Deviation, ...] = attrs.field(converter=_deviation_items)
    """Every deviation, sorted by case and time."""
    upcoming: tuple[Upcoming, ...] = attrs.field(converter=_upcoming_items)
    """Deadlines open at ``as_of`` and not yet passed, by due time."""
    quality: tuple[QualityFinding, ...] = attrs.field(converter=_quality_items)
    """Data-quality findings, by kind."""
    later: int = attrs.field(default=0, validator=instance_of(int))
    """Events recorded after ``as_of``, left out of the judgement."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "deviations", tuple(sorted(self.deviations, key=deviation_key)))
        object.__setattr__(self, "upcoming", tuple(sorted(self.upcoming, key=_upcoming_key)))
        object.__setattr__(
            self, "quality", tuple(sorted(self.quality, key=QualityFinding.sort_key))
        )

    # ------------------------------------------------------------------- merging

    def merge(self, *others: AuditReport) -> AuditReport:
        """Merge partial reports of disjoint sets of whole cases into one (slå samman).

        The result equals the report of all their events audited at once. Merging is
        associative and commutative.

        Raises:
            InvalidInput: for a part judged as of another moment, one that is no
                AuditReport, or parts that share a case (a case split between parts
                would be judged in halves: partition by case).
        """
        parts = (self, *others)
        for part in others:
            if not isinstance(part, AuditReport):
                raise InvalidInput(f"only audit reports merge, not {describe(part)}")
            if part.as_of.astimezone(UTC) != self.as_of.astimezone(UTC):
                raise InvalidInput("partial reports merge only when judged as of the same moment")
        routines = list(self.routines)
        for part in others:
            routines += [code for code in part.routines if code not in routines]
        events: dict[str, int] = {}
        cases: dict[str, frozenset[str]] = {}
        for part in parts:
            for code, count in part.events.items():
                events[code] = events.get(code, 0) + count
            for code, numbers in part.cases.items():
                known = cases.get(code, frozenset())
                if not known.isdisjoint(numbers):
                    raise InvalidInput(
                        f"the parts share cases of routine {code}: a case must lie in one "
                        "part only (partition the log by case)"
                    )
                cases[code] = known | numbers
        return AuditReport(
            as_of=self.as_of,
            routines=routines,
            events=events,
            cases=cases,
            deviations=[d for part in parts for d in part.deviations],
            upcoming=[u for part in parts for u in part.upcoming],
            quality=[q for part in parts for q in part.quality],
            later=sum(part.later for part in parts),
        )

    # ------------------------------------------------------------------- counts

    @property
    def has_deviations(self) -> bool:
        """Whether any deviation was found."""
        return bool(self.deviations)

    def case_count(self, routine: str | None = None) -> int:
        """How many cases were judged: of one routine, or of all."""
        if routine is not None:
            return len(self.cases.get(routine, ()))
        return sum(len(numbers) for numbers in self.cases.values())

    def event_count(self, routine: str | None = None) -> int:
        """How many events were judged: of one routine, or of all."""
        if routine is not None:
            return self.events.get(routine, 0)
        return sum(self.events.values())

    def counts(self) -> dict[tuple[str, str], int]:
        """Deviations per routine and requirement, in the routines' and catalogue's order."""
        found: dict[tuple[str, str], int] = {}
        for deviation in self.deviations:
            key = (deviation.routine, deviation.requirement)
            found[key] = found.get(key, 0) + 1
        order = {code: index for index, code in enumerate(self.routines)}
        return {
            key: found[key]
            for key in sorted(
                found, key=lambda k: (order.get(k[0], len(order)), k[0], requirement_key(k[1]))
            )
        }

    def counts_by_kind(self) -> dict[tuple[str, str, str], int]:
        """Deviations per routine, requirement and kind (the kind's name)."""
        found: dict[tuple[str, str, str], int] = {}
        for deviation in self.deviations:
            key = (deviation.routine, deviation.requirement, deviation.kind.name)
            found[key] = found.get(key, 0) + 1
        order = {code: index for index, code in enumerate(self.routines)}
        return {
            key: found[key]
            for key in sorted(
                found,
                key=lambda k: (order.get(k[0], len(order)), k[0], requirement_key(k[1]), k[2]),
            )
        }

    def quality_counts(self) -> dict[QualityKind, int]:
        """How many events, cases or lines each kind of data-quality finding covers."""
        found = dict.fromkeys(QualityKind, 0)
        for finding in self.quality:
            found[finding.kind] += finding.count
        return found

    def per_month(self) -> dict[str, int]:
        """Deviations per month (``"2026-03"``) of when they happened or fell due, in order."""
        found: dict[str, int] = {}
        for deviation in self.deviations:
            moment = deviation.happened_at or deviation.due
            month = "okänd" if moment is None else moment.astimezone(STOCKHOLM).strftime("%Y-%m")
            found[month] = found.get(month, 0) + 1
        return dict(sorted(found.items()))

    # ------------------------------------------------------------------- rows and exports

    def rows(self, language: Language = "sv") -> list[dict[str, Any]]:
        """Return the deviations as rows (a list of dicts, ready for ``pandas.DataFrame``).

        Columns: routine, case, requirement, kind (its name), kind_text (in the
        language), severity, due, happened_at, recorded_at (aware datetimes or None),
        and explanation: one sentence in the language.
        """
        check_language(language)
        return [
            {
                "routine": d.routine,
                "case": d.case,
                "requirement": d.requirement,
                "kind": d.kind.name,
                "kind_text": d.kind.label(language),
                "severity": d.severity.name,
                "due": d.due,
                "happened_at": d.happened_at,
                "recorded_at": d.recorded_at,
                "explanation": d.explain(language),
            }
            for d in self.deviations
        ]

    def to_csv(self, language: Language = "sv") -> str:
        """Return the deviations as CSV text (the columns of :meth:`rows`; times in ISO 8601)."""
        rows = self.rows(language)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        columns = list(_ROW_COLUMNS)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else _plain(row[c]) for c in columns])
        return out.getvalue()

    def to_dict(self, language: Language = "sv") -> dict[str, Any]:
        """Return the whole report as JSON types: summary, counts, deviations, findings."""
        check_language(language)
        return {
            "as_of": self.as_of.isoformat(),
            "routines": list(self.routines),
            "summary": {
                code: {
                    "cases": self.case_count(code),
                    "events": self.event_count(code),
                    "deviations": sum(1 for d in self.deviations if d.routine == code),
                }
                for code in self.routines
            },
            "events_after_as_of": self.later,
            "counts": [
                {"routine": routine, "requirement": requirement, "deviations": count}
                for (routine, requirement), count in self.counts().items()
            ],
            "deviations": [
                {key: _plain(value) for key, value in row.items()} for row in self.rows(language)
            ],
            "upcoming": [
                {
                    "routine": item.routine,
                    "case": item.case,
                    "requirement": item.action.requirement,
                    "due": item.due.isoformat(),
                    "explanation": item.explain(language),
                }
                for item in self.upcoming
            ],
            "quality": [
                {
                    "kind": finding.kind.name,
                    "routine": finding.routine,
                    "case": finding.case,
                    "event_type": finding.event_type,
                    "at": None if finding.at is None else finding.at.isoformat(),
                    "source": finding.source,
                    "line": finding.line,
                    "count": finding.count,
                    "explanation": finding.explain(language),
                }
                for finding in self.quality
            ],
        }

    def to_json(self, language: Language = "sv") -> str:
        """Return the report as one JSON object (:meth:`to_dict`), indented."""
        return json.dumps(self.to_dict(language), ensure_ascii=False, indent=2) + "\n"

    def text(self, language: Language = "sv", *, limit: int | None = None) -> str:
        """Return a readable report: the summary, counts, findings, then every deviation.

        ``limit`` shows only the first deviations and upcoming deadlines (None: all).
        """
        from ._text import render_text  # noqa: PLC0415 - the renderer is loaded when used

        return render_text(self, language, limit)

    def __str__(self) -> str:
        return self.text(limit=20)

    def __repr__(self) -> str:
        return (
            f"AuditReport(as_of={self.as_of.isoformat()!r}, cases={self.case_count()}, "
            f"deviations={len(self.deviations)}, quality={len(self.quality)})"
        )

    def html(self, language: Language = "sv") -> str:
        """Return one self-contained HTML page, without network: summary, chart, findings."""
        from ._html import render_page  # noqa: PLC0415 - the renderer is loaded when used

        return render_page(self, language)

    def _repr_html_(self) -> str:
        """Return the report for a notebook: the summary and the first deviations."""
        from ._html import render_fragment  # noqa: PLC0415

        return render_fragment(self)


_ROW_COLUMNS: Final = (
    "routine",
    "case",
    "requirement",
    "kind",
    "kind_text",
    "severity",
    "due",
    "happened_at",
    "recorded_at",
    "explanation",
)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def quality_count(report: AuditReport, kind: QualityKind) -> int:
    """How many events, cases or lines findings of ``kind`` cover."""
    return report.quality_counts()[kind]
