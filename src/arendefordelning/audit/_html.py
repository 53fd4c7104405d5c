"""The audit report as one self-contained HTML page, with no network, X-5.

Inline CSS, the chart as inline SVG, every text escaped (a case number, a step's name
or a file name is text, never markup). The page is what a quality coordinator opens
in a browser; ``_repr_html_`` gives its summary in a notebook.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Final

from .._time import STOCKHOLM
from ..deadlines import Language, check_language
from ._findings import QualityKind
from ._text import WORDS

if TYPE_CHECKING:
    from ._report import AuditReport

__all__ = ["render_fragment", "render_page"]

_LABEL_WIDTH: Final = 56
"""The room a month's label (2026-03) takes under the chart, in pixels."""

_CSS: Final = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;
color:#1d232a;background:#fff;line-height:1.4}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;
border-bottom:2px solid #d0d7de;padding-bottom:.2rem}
.meta{color:#57606a;margin:0 0 1rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #d0d7de;border-radius:8px;padding:.75rem 1rem;min-width:9rem}
.card .n{font-size:1.8rem;font-weight:700}.card.bad .n{color:#b42318}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fbfcfd}
svg text{font-size:11px;fill:#1d232a}
.none{color:#1a7f37}
th::first-letter,.card div::first-letter{text-transform:uppercase}
"""


def _when(report: AuditReport) -> str:
    return report.as_of.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _summary(report: AuditReport, w: dict[str, str]) -> str:
    rows = []
    for code in report.routines:
        found = sum(1 for d in report.deviations if d.routine == code)
        rows.append(
            f'<tr data-routine="{_e(code)}"><td>{_e(code)}</td>'
            f'<td class="n">{report.case_count(code)}</td>'
            f'<td class="n">{report.event_count(code)}</td>'
            f'<td class="n">{found}</td></tr>'
        )
    return (
        f"<table id='summary'><thead><tr><th>{_e(w['routine'])}</th><th>{_e(w['cases'])}</th>"
        f"<th>{_e(w['events'])}</th><th>{_e(w['deviations'])}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _cards(report: AuditReport, w: dict[str, str]) -> str:
    quality = sum(report.quality_counts().values())
    items = (
        ("cases", w["cases"], report.case_count(), False),
        ("events", w["events"], report.event_count(), False),
        ("deviations", w["deviations"], len(report.deviations), bool(report.deviations)),
        ("quality", w["quality"], quality, bool(quality)),
        ("upcoming", w["upcoming"].split(",")[0], len(report.upcoming), False),
    )
    return (
        "<div class='cards'>"
        + "".join(
            f"<div class='card{' bad' if bad else ''}' id='card-{name}'>"
            f"<div class='n' data-count='{count}'>{count}</div><div>{_e(label)}</div></div>"
            for name, label, count, bad in items
        )
        + "</div>"
    )


def _per_requirement(report: AuditReport, language: Language, w: dict[str, str]) -> str:
    counts = report.counts_by_kind()
    if not counts:
        return f"<p class='none'>{_e(w['none'])}</p>"
    kinds = {d.kind.name: d.kind for d in report.deviations}
    rows = "".join(
        f"<tr data-routine='{_e(code)}' data-requirement='{_e(requirement)}'>"
        f"<td>{_e(code)}</td><td>{_e(requirement)}</td>"
        f"<td>{_e(kinds[kind].label(language))}</td><td class='n'>{count}</td></tr>"
        for (code, requirement, kind), count in counts.items()
    )
    return (
        f"<table id='requirements'><thead><tr><th>{_e(w['routine'])}</th>"
        f"<th>{_e(w['requirement'])}</th><th>{_e(w['kind'])}</th><th>{_e(w['count'])}</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _chart(report: AuditReport, w: dict[str, str]) -> str:
    """Deviations per month as an inline SVG bar chart (no script, no network)."""
    months = report.per_month()
    if not months:
        return f"<p class='none'>{_e(w['none'])}</p>"
    width, height, left, bottom, top = 760, 240, 44, 44, 16
    most = max(months.values())
    slot = (width - left - 8) / len(months)
    bar = max(2.0, slot * 0.7)
    parts = [
        f"<svg id='per-month' xmlns='http://www.w3.org/2000/svg' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='{_e(w['month'])}'>",
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - 4}' y2='{height - bottom}' "
        "stroke='#57606a'/>",
        f"<text x='{left - 6}' y='{top + 4}' text-anchor='end'>{most}</text>",
        f"<text x='{left - 6}' y='{height - bottom}' text-anchor='end'>0</text>",
    ]
    every = max(1, math.ceil(_LABEL_WIDTH / slot))  # month labels that do not overlap
    for index, (month, count) in enumerate(months.items()):
        tall = (height - bottom - top) * count / most
        x = left + index * slot + (slot - bar) / 2
        y = height - bottom - tall
        parts.append(
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{tall:.1f}' "
            f"fill='#cf222e' data-month='{_e(month)}' data-count='{count}'>"
            f"<title>{_e(month)}: {count}</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f"<text x='{x + bar / 2:.1f}' y='{height - bottom + 14}' "
                f"text-anchor='middle'>{_e(month)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _quality(report: AuditReport, language: Language, w: dict[str, str]) -> str:
    totals = report.quality_counts()
    if not any(totals.values()):
        return f"<p class='none'>{_e(w['quality_none'])}</p>"
    summary = "".join(
        f"<tr data-quality='{kind.name}'><td>{_e(kind.label(language))}</td>"
        f"<td class='n'>{totals[kind]}</td></tr>"
        for kind in QualityKind
        if totals[kind]
    )
    listed = "".join(f"<li>{_e(finding.explain(language))}</li>" for finding in report.quality)
    return (
        f"<table id='quality'><thead><tr><th>{_e(w['kind'])}</th><th>{_e(w['count'])}</th>"
        f"</tr></thead><tbody>{summary}</tbody></table><ul>{listed}</ul>"
    )


def _deviations(
    report: AuditReport, language: Language, w: dict[str, str], limit: int | None
) -> str:
    if not report.deviations:
        return f"<p class='none'>{_e(w['none'])}</p>"
    shown = report.deviations if limit is None else report.deviations[:limit]
    rows = "".join(
        f"<tr><td>{_e(d.case)}</td><td>{_e(d.routine)}</td><td>{_e(d.requirement)}</td>"
        f"<td>{_e(d.kind.label(language))}</td><td>{_e(d.explain(language))}</td></tr>"
        for d in shown
    )
    more = ""
    if len(shown) < len(report.deviations):
        more = f"<p>… {len(report.deviations) - len(shown)} {_e(w['more'])}</p>"
    return (
        f"<table id='deviations'><thead><tr><th>{_e(w['case'])}</th><th>{_e(w['routine'])}</th>"
        f"<th>{_e(w['requirement'])}</th><th>{_e(w['kind'])}</th>"
        f"<th>{_e(w['explanation'])}</th></tr></thead><tbody>{rows}</tbody></table>{more}"
    )


def _upcoming(report: AuditReport, language: Language, w: dict[str, str]) -> str:
    if not report.upcoming:
        return "<p>—</p>"
    items = "".join(f"<li>{_e(u.explain(language))}</li>" for u in report.upcoming)
    return f"<ul id='upcoming'>{items}</ul>"


def render_page(report: AuditReport, language: Language = "sv") -> str:
    """Render the whole report as one HTML page: inline CSS and SVG, every text escaped."""
    check_language(language)
    w = WORDS[language]
    later = f"<p class='meta'>{report.later} {_e(w['later'])}</p>" if report.later else ""
    return (
        f"<!DOCTYPE html>\n<html lang='{language}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(w['title'])}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(w['title'])}</h1>"
        f"<p class='meta' id='as-of'>{_e(w['as_of'])} {_e(_when(report))}</p>"
        f"{later}{_cards(report, w)}"
        f"<h2>{_e(w['summary'])}</h2>{_summary(report, w)}"
        f"<h2>{_e(w['per_requirement'])}</h2>{_per_requirement(report, language, w)}"
        f"<h2>{_e(w['month'])}</h2>{_chart(report, w)}"
        f"<h2>{_e(w['quality'])}</h2>{_quality(report, language, w)}"
        f"<h2>{_e(w['list'])} ({len(report.deviations)})</h2>"
        f"{_deviations(report, language, w, None)}"
        f"<h2>{_e(w['upcoming'])} ({len(report.upcoming)})</h2>"
        f"{_upcoming(report, language, w)}"
        "</body></html>\n"
    )


def render_fragment(report: AuditReport, language: Language = "sv", limit: int = 20) -> str:
    """Render the summary and the first deviations as an HTML fragment, for a notebook."""
    w = WORDS[language]
    return (
        f"<div><strong>{_e(w['title'])}</strong> — {_e(w['as_of'])} "
        f"{_e(_when(report))}{_cards(report, w)}{_summary(report, w)}"
        f"{_per_requirement(report, language, w)}{_deviations(report, language, w, limit)}</div>"
    )
