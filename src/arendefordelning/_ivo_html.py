"""The report to IVO as a page (rapportsida): one self-contained HTML file, X-6.

Inline CSS, no script, nothing fetched from a network: the page can be mailed or
archived as it is. Every text shown is escaped. Texts are declared here in Swedish and
English.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Final

from .deadlines import Language, check_language

if TYPE_CHECKING:
    from .ivo import IvoReport

__all__ = ["page", "tables"]

_STYLE: Final = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #eee; } td.n { text-align: right; }
p.note { color: #444; max-width: 60rem; }
"""

_WORDS: Final[dict[str, tuple[str, str]]] = {
    "title": ("Ej verkställda beslut – rapport till IVO", "Decisions not executed – report to IVO"),
    "summary": ("Sammanfattning", "Summary"),
    "rows": ("Individrapporter", "Individual reports"),
    "council": ("Till fullmäktige (avidentifierat)", "For the council (anonymised)"),
    "not_judged": ("Kan inte bedömas", "Cannot be judged"),
    "law": ("Lagrum", "Legal references"),
    "quarter": ("Kvartal", "Quarter"),
    "period": ("Period", "Period"),
    "reported": ("Rader att rapportera", "Rows to report"),
    "pending": ("Ej verkställda vid kvartalets slut", "Not executed at the quarter's end"),
    "anomalies": ("Händelser som inte kunde förklaras", "Events that could not be explained"),
    "routines": ("Rutiner", "Routines"),
    "none": ("Inga.", "None."),
    "kind": ("typ", "kind"),
    "intervention": ("insats", "intervention"),
    "number": ("antal", "number"),
    "women": ("kvinnor", "women"),
    "men": ("män", "men"),
    "sex_not_recorded": ("kön ej registrerat", "sex not recorded"),
    "days": ("dagar", "days"),
    "case": ("ärende", "case"),
    "routine": ("rutin", "routine"),
    "reason": ("skäl", "reason"),
    "basis": ("lag", "act"),
    "reference": ("lagrum", "reference"),
    "valid_from": ("gäller från", "valid from"),
    "valid_until": ("gäller till", "valid until"),
    "confirmed": ("bekräftat", "confirmed"),
    "note": ("anmärkning", "note"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "identifier": (
        "Individen anges aldrig med personnummer. Kolumnen individ har den form IVO anger "
        "för en person utan svenskt personnummer (ÅÅÅÅMMDD-T och tre siffror, den mittersta "
        "jämn för kvinna och udda för man), samma nummer varje kvartal; ärendenumret visar "
        "vem det gäller i verksamhetssystemet. Om IVO tar emot den formen för en person "
        "med personnummer har inte kunnat bekräftas.",
        "The individual is never shown by a personal identity number. The column "
        "individual has the form IVO gives for a person without a Swedish personal "
        "identity number (YYYYMMDD-T and three digits, the middle one even for a woman "
        "and odd for a man), the same number every quarter; the case number shows whom "
        "it is about in the case system. Whether IVO takes that form for a person who "
        "has a personal identity number could not be confirmed.",
    ),
}


def _word(key: str, index: int) -> str:
    return _WORDS[key][index]


def _table(headers: list[str], rows: list[list[Any]], numeric: frozenset[int]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(str(cell))}</td>'
            if position in numeric
            else f"<td>{escape(str(cell))}</td>"
            for position, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def tables(data: dict[str, Any], language: Language) -> str:
    """Return the report's tables as an HTML fragment: rows, council counts, cases not judged."""
    from .ivo import _HEADERS  # noqa: PLC0415 - the report module imports this one lazily

    check_language(language)
    index = 0 if language == "sv" else 1
    parts: list[str] = [f"<h2>{escape(_word('rows', index))}</h2>"]
    if data["rows"]:
        keys = list(_HEADERS)
        parts.append(
            _table(
                [_HEADERS[key][index] for key in keys],
                [[record[key] for key in keys] for record in data["rows"]],
                frozenset({keys.index("days")}),
            )
        )
    else:
        parts.append(f"<p>{escape(_word('none', index))}</p>")
    parts.append(f"<h2>{escape(_word('council', index))}</h2>")
    if data["council"]:
        keys = ["kind", "intervention", "number", "women", "men", "sex_not_recorded", "days"]
        parts.append(
            _table(
                [_word(key, index) for key in keys],
                [
                    [
                        *(count[key] for key in keys[:-1]),
                        ", ".join(str(days) for days in count["days"]),
                    ]
                    for count in data["council"]
                ],
                frozenset({2, 3, 4, 5}),
            )
        )
    else:
        parts.append(f"<p>{escape(_word('none', index))}</p>")
    parts.append(f"<h2>{escape(_word('not_judged', index))}</h2>")
    if data["not_judged"]:
        keys = ["case", "routine", "reason"]
        parts.append(
            _table(
                [_word(key, index) for key in keys],
                [[item[key] for key in keys] for item in data["not_judged"]],
                frozenset(),
            )
        )
    else:
        parts.append(f"<p>{escape(_word('none', index))}</p>")
    return "".join(parts)


def page(report: IvoReport, data: dict[str, Any], language: Language) -> str:
    """Return the whole page: summary, the tables, the legal references and the note on identity."""
    check_language(language)
    index = 0 if language == "sv" else 1
    title = f"{_word('title', index)}, {data['quarter']}"
    summary = [
        [_word("quarter", index), data["quarter"]],
        [_word("period", index), f"{data['first_day']} – {data['last_day']}"],
        [_word("routines", index), ", ".join(data["routines"])],
        [_word("reported", index), len(data["rows"])],
        [_word("pending", index), len(report.pending)],
        [_word("not_judged", index), len(data["not_judged"])],
        [_word("anomalies", index), data["anomalies"]],
    ]
    law_keys = ["basis", "reference", "valid_from", "valid_until", "confirmed", "note"]
    law = [
        [
            ref["basis"],
            ref["reference"],
            ref["valid_from"],
            ref["valid_until"] or "",
            _word("yes" if ref["confirmed"] else "no", index),
            ref["note"],
        ]
        for ref in data["legal_references"]
    ]
    lang = "sv" if index == 0 else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<h2>{escape(_word('summary', index))}</h2>"
        f"{_table(['', ''], summary, frozenset({1}))}"
        f'<p class="note">{escape(_word("identifier", index))}</p>'
        f"{tables(data, language)}"
        f"<h2>{escape(_word('law', index))}</h2>"
        f"{_table([_word(key, index) for key in law_keys], law, frozenset())}"
        "</body></html>\n"
    )
