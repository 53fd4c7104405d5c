"""The audit report as readable text, in Swedish or English."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .._time import STOCKHOLM
from ..deadlines import Language, check_language
from ._findings import QualityKind

if TYPE_CHECKING:
    from ._report import AuditReport

__all__ = ["WORDS", "render_text"]

WORDS: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "title": "Granskning av rutinernas efterlevnad",
        "as_of": "Bedömt per",
        "routine": "Rutin",
        "cases": "ärenden",
        "events": "händelser",
        "deviations": "avvikelser",
        "requirement": "Krav",
        "count": "Antal",
        "summary": "Sammanfattning per rutin",
        "per_requirement": "Avvikelser per rutin och krav",
        "none": "Inga avvikelser.",
        "quality": "Datakvalitet",
        "quality_none": "Inga fynd: loggen verkar fullständig.",
        "upcoming": "Kommande frister, ännu inte passerade",
        "list": "Avvikelser",
        "more": "till, inte visade",
        "later": "händelser dokumenterade efter bedömningstidpunkten räknades inte",
        "month": "Avvikelser per månad",
        "kind": "Typ",
        "case": "Ärende",
        "explanation": "Förklaring",
        "total": "Totalt",
    },
    "en": {
        "title": "Audit of compliance with the routines",
        "as_of": "Judged as of",
        "routine": "Routine",
        "cases": "cases",
        "events": "events",
        "deviations": "deviations",
        "requirement": "Requirement",
        "count": "Count",
        "summary": "Summary per routine",
        "per_requirement": "Deviations per routine and requirement",
        "none": "No deviations.",
        "quality": "Data quality",
        "quality_none": "No findings: the log looks complete.",
        "upcoming": "Upcoming deadlines, not yet passed",
        "list": "Deviations",
        "more": "more, not shown",
        "later": "events recorded after the moment judged were left out",
        "month": "Deviations per month",
        "kind": "Kind",
        "case": "Case",
        "explanation": "Explanation",
        "total": "Total",
    },
}


def render_text(report: AuditReport, language: Language, limit: int | None) -> str:
    """Render the report as plain text, one line per item."""
    check_language(language)
    w = WORDS[language]
    lines = [
        w["title"],
        f"{w['as_of']} {report.as_of.astimezone(STOCKHOLM).strftime('%Y-%m-%d %H:%M')}",
        "",
    ]
    lines.append(w["summary"])
    width = max(len(w["total"]), *(len(code) for code in report.routines))
    for code in report.routines:
        found = sum(1 for d in report.deviations if d.routine == code)
        lines.append(
            f"  {code:<{width}} {report.case_count(code):>8} {w['cases']} "
            f"{report.event_count(code):>9} {w['events']} {found:>7} {w['deviations']}"
        )
    lines.append(
        f"  {w['total']:<{width}} {report.case_count():>8} {w['cases']} "
        f"{report.event_count():>9} {w['events']} {len(report.deviations):>7} {w['deviations']}"
    )
    if report.later:
        lines.append(f"  ({report.later} {w['later']})")
    lines += ["", w["per_requirement"]]
    counts = report.counts_by_kind()
    if not counts:
        lines.append(f"  {w['none']}")
    kinds = {d.kind.name: d.kind for d in report.deviations}
    for (code, requirement, name), count in counts.items():
        lines.append(f"  {code:<5} {requirement:<8} {kinds[name].label(language):<28} {count:>7}")
    lines += ["", w["quality"]]
    totals = report.quality_counts()
    if not any(totals.values()):
        lines.append(f"  {w['quality_none']}")
    for kind in QualityKind:
        if totals[kind]:
            lines.append(f"  {kind.label(language):<28} {totals[kind]:>7}")
    for finding in report.quality[: limit if limit is not None else None]:
        lines.append(f"  - {finding.explain(language)}")
    _listed(lines, w["upcoming"], [u.explain(language) for u in report.upcoming], limit, w)
    _listed(lines, w["list"], [d.explain(language) for d in report.deviations], limit, w)
    return "\n".join(lines) + "\n"


def _listed(
    lines: list[str], title: str, items: list[str], limit: int | None, w: dict[str, str]
) -> None:
    lines += ["", f"{title} ({len(items)})"]
    shown = items if limit is None else items[:limit]
    lines += [f"  {item}" for item in shown]
    if len(shown) < len(items):
        lines.append(f"  … {len(items) - len(shown)} {w['more']}")
