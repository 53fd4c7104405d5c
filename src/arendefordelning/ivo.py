"""The report to IVO of decisions not executed (rapport om ej verkställda beslut), X-6.

The law requires a municipality to report to the Health and Social Care Inspectorate
(Inspektionen för vård och omsorg, IVO), every quarter, each granted social-services
decision (bistånd under SoL, insatser under LSS) not executed within three months of
the day of the decision, and each execution interrupted and not resumed within three
months; a decision is reported again every quarter until it is executed or ends, and
its execution (or end) is reported once more. The council gets the same as anonymised
counts: how many, of which kind, how long they waited, women and men.

:func:`ivo_report` reads this from the record of every routine whose decisions are
social-services decisions (``social_services=True``), through the milestones its
steps declare (:class:`~arendefordelning.kernel.Milestone`: decision, execution,
interruption, resumption, end, a delay's reason), never naming a routine: a
healthcare routine never appears. Three months are calendar months
(``dateutil.relativedelta``, as the deadlines are counted): a decision of 10 January
has its three months end on 10 April, so it is not reported for the first quarter and
is for the second. A declined offer is a reason for the delay, recorded as such; it
does not end the decision.

The legal reference is data with validity dates (:data:`LEGAL_REFERENCES`), not code:
16 kap. 6 f § of the Social Services Act (2001:453) until 30 June 2025, the new Social
Services Act (2025:400) from 1 July 2025, whose section on the report could not be
confirmed from the sources at hand, and the data says so.

The individual is never named by a personal identity number (X-7). IVO's guidance on
ej verkställda beslut gives, for a person without a Swedish personal identity number,
the form ``ÅÅÅÅMMDD-T`` and three digits, the middle one even for a woman and odd for
a man, the same number every quarter; each row gives that form, built from the date
of birth and the sex recorded with the decision and, for its free digits, from the
case (:func:`ivo_identifier`), and the case number beside it, by which the reporter
finds the person in the case system. Whether IVO takes that form for a person who has
a personal identity number could not be confirmed.
"""

from __future__ import annotations

import csv
import enum
import functools
import hashlib
import io
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from ._validators import describe, shown
from .deadlines import Language, check_language
from .errors import InvalidInput
from .identity import Sex
from .kernel import (
    Anomaly,
    Decided,
    DelayReason,
    Ended,
    Event,
    Executed,
    Interrupted,
    LegalBasis,
    Reached,
    Resumed,
    Routine,
)

__all__ = [
    "LEGAL_REFERENCES",
    "REPORT_AFTER_MONTHS",
    "CouncilCount",
    "IvoReport",
    "IvoRow",
    "LegalReference",
    "NotJudged",
    "Quarter",
    "ReportKind",
    "Status",
    "ivo_identifier",
    "ivo_report",
    "legal_reference",
]

REPORT_AFTER_MONTHS: Final = 3
"""Calendar months after the decision (or the interruption) a report is due: the law's, X-6."""

_QUARTER: Final = re.compile(r"\s*([0-9]{4})\s*-?\s*[Qq]\s*([1-4])\s*")
_ACCEPTED_QUARTER: Final = "write a quarter as YYYYQn, such as 2026Q1"


# --------------------------------------------------------------------------- quarters


def _is_plain_date(value: object) -> bool:
    """Whether ``value`` is a date and not a datetime."""
    return isinstance(value, date) and not isinstance(value, datetime)


@attrs.frozen(order=True)
class Quarter:
    """A quarter of a year (kvartal), the report's period, X-6.

    >>> Quarter.parse("2026Q1").last_day
    datetime.date(2026, 3, 31)
    """

    year: int = attrs.field()
    """The year, 1 to 9999."""
    number: int = attrs.field()
    """The quarter, 1 to 4."""

    @year.validator
    def _check_year(self, attribute: attrs.Attribute[int], value: object) -> None:
        if type(value) is not int or not 1 <= value <= 9999:
            raise InvalidInput(f"year must be a whole number from 1 to 9999; {_ACCEPTED_QUARTER}")

    @number.validator
    def _check_number(self, attribute: attrs.Attribute[int], value: object) -> None:
        if type(value) is not int or not 1 <= value <= 4:
            raise InvalidInput(f"number must be a whole number from 1 to 4; {_ACCEPTED_QUARTER}")

    @classmethod
    def parse(cls, text: object) -> Quarter:
        """Read a quarter as written: ``2026Q1`` (``2026q1`` and ``2026-Q1`` too).

        Raises:
            InvalidInput: for anything else, quoting the text only cut and masked.
        """
        if isinstance(text, Quarter):
            return text
        if not isinstance(text, str):
            raise InvalidInput(
                f"quarter must be text or a Quarter, not {describe(text)}; {_ACCEPTED_QUARTER}"
            )
        found = _QUARTER.fullmatch(text)
        if found is None or found.group(1) == "0000":
            raise InvalidInput(f"{shown(text.strip())} is not a quarter; {_ACCEPTED_QUARTER}")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        """Return the quarter a day lies in."""
        if not _is_plain_date(day):
            raise InvalidInput(f"day must be a date, not {describe(day)}")
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        """The quarter's first day."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        """The quarter's last day: the day the report is made as of."""
        month = 3 * self.number
        return date(self.year, month, 30 if month in (6, 9) else 31)

    @property
    def previous(self) -> Quarter | None:
        """The quarter before, or None before the first of the year 1."""
        if self.number > 1:
            return Quarter(self.year, self.number - 1)
        return Quarter(self.year - 1, 4) if self.year > 1 else None

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.number}"


# --------------------------------------------------------------------------- the law as data


@attrs.frozen(kw_only=True)
class LegalReference:
    """A legal reference (lagrum) of the duty to report, with its validity dates, X-6.

    ``section`` is None where it could not be confirmed from the sources at hand;
    ``note`` then says so, in Swedish and English, rather than guess.
    """

    basis: LegalBasis
    """The act the decisions are made under (SoL or LSS)."""
    act: str
    """The act, as cited: ``socialtjänstlagen (2001:453)``."""
    section: str | None
    """The section that holds the duty to report, or None where not confirmed."""
    valid_from: date
    """The first day it applies."""
    valid_until: date | None
    """The last day it applies, or None while in force."""
    confirmed: bool
    """Whether the section was confirmed from the sources at hand."""
    note: tuple[str, str] = ("", "")
    """What was confirmed and from where, or what was not, Swedish then English."""

    def applies_on(self, day: date) -> bool:
        """Whether the reference applies on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def cite(self, language: Language = "sv") -> str:
        """Return the reference as cited: ``16 kap. 6 f § socialtjänstlagen (2001:453)``."""
        check_language(language)
        if self.section is not None:
            return f"{self.section} {self.act}"
        unknown = "paragraf ej bekräftad" if language == "sv" else "section not confirmed"
        return f"{self.act}, {unknown}"


LEGAL_REFERENCES: Final[tuple[LegalReference, ...]] = (
    LegalReference(
        basis=LegalBasis.SOL,
        act="socialtjänstlagen (2001:453)",
        section="16 kap. 6 f §",
        valid_from=date(2006, 7, 1),
        valid_until=date(2025, 6, 30),
        confirmed=True,
        note=(
            "Paragrafen enligt JO:s beslut dnr 2299-2017; rapporteringsskyldigheten i "
            "SoL sedan den 1 juli 2006 enligt IVO:s uppföljning (2014); lagen ersatt "
            "av socialtjänstlagen (2025:400) den 1 juli 2025.",
            "The section as the Ombudsmen's decision 2299-2017 cites it; the duty to "
            "report in SoL since 1 July 2006 as IVO's follow-up (2014) says; the act "
            "replaced by the Social Services Act (2025:400) on 1 July 2025.",
        ),
    ),
    LegalReference(
        basis=LegalBasis.SOL,
        act="socialtjänstlagen (2025:400)",
        section=None,
        valid_from=date(2025, 7, 1),
        valid_until=None,
        confirmed=False,
        note=(
            "Den nya socialtjänstlagen gäller från den 1 juli 2025 (prop. 2024/25:89); "
            "vilken paragraf som innehåller rapporteringsskyldigheten kunde inte "
            "bekräftas i de källor som fanns.",
            "The new Social Services Act applies from 1 July 2025 (Government bill "
            "2024/25:89); which of its sections holds the duty to report could not be "
            "confirmed from the sources at hand.",
        ),
    ),
    LegalReference(
        basis=LegalBasis.LSS,
        act="lagen (1993:387) om stöd och service till vissa funktionshindrade",
        section="28 f §",
        valid_from=date(2008, 7, 1),
        valid_until=None,
        confirmed=False,
        note=(
            "Rapporteringsskyldigheten i LSS sedan den 1 juli 2008 enligt IVO:s "
            "uppföljning (2014); paragrafnumret kunde inte bekräftas i de källor som "
            "fanns.",
            "The duty to report in LSS since 1 July 2008 as IVO's follow-up (2014) "
            "says; the section's number could not be confirmed from the sources at hand.",
        ),
    ),
)
"""The legal references of the duty to report, with their validity dates (X-6)."""


def legal_reference(basis: LegalBasis, on: date) -> LegalReference | None:
    """Return the reference of the duty to report for decisions under ``basis`` on a day, X-6.

    None before the duty applied (SoL before 1 July 2006, LSS before 1 July 2008).

    Raises:
        InvalidInput: for a basis that is not a LegalBasis or a day that is not a date.
    """
    if not isinstance(basis, LegalBasis):
        raise InvalidInput(f"basis must be a LegalBasis (SoL or LSS), not {describe(basis)}")
    if not _is_plain_date(on):
        raise InvalidInput(f"on must be a date, not {describe(on)}")
    return next(
        (ref for ref in LEGAL_REFERENCES if ref.basis is basis and ref.applies_on(on)), None
    )


def _cited(reference: str | None, language: Language) -> str:
    """Return a row's reference as cited in ``language`` ("" for none), X-6.

    A row keeps the Swedish citation; one of :data:`LEGAL_REFERENCES` is cited again
    in the language asked for, so an English report says "section not confirmed".
    """
    if reference is None:
        return ""
    for ref in LEGAL_REFERENCES:
        if ref.cite("sv") == reference:
            return ref.cite(language)
    return reference


# --------------------------------------------------------------------------- the individual


def ivo_identifier(born: date, sex: Sex, key: str) -> str:
    """Return the individual in the form IVO gives one without an identity number, X-6, X-7.

    ``ÅÅÅÅMMDD-T`` and three digits: the date of birth, and a middle digit even for a
    woman and odd for a man (IVO's guidance on ej verkställda beslut). The first and
    last digits, and which even or odd digit, are free: they are taken from ``key``
    (the routine and the case), so the same case gets the same number every quarter.
    Never a personal identity number: the letter breaks the digits.

    Raises:
        InvalidInput: for a birth date that is not a date, a sex that is not a Sex, or
            a key that is not text.
    """
    if not _is_plain_date(born):
        raise InvalidInput(f"born must be a date, not {describe(born)}")
    if not isinstance(sex, Sex):
        raise InvalidInput(f"sex must be a Sex (kvinna or man), not {describe(sex)}")
    if not isinstance(key, str):
        raise InvalidInput(f"key must be text, not {describe(key)}")
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    middle = 2 * (digest[1] % 5) + (1 if sex is Sex.MALE else 0)
    return (
        f"{born.year:04d}{born.month:02d}{born.day:02d}-T{digest[0] % 10}{middle}{digest[2] % 10}"
    )


# --------------------------------------------------------------------------- rows


class ReportKind(enum.Enum):
    """What a row reports (typ av rapport): a decision not executed, or an interruption, X-6."""

    NOT_EXECUTED = "ej verkställt beslut"
    """A decision not executed within three months of the decision."""
    INTERRUPTED = "avbrott i verkställigheten"
    """An execution interrupted and not resumed within three months."""


class Status(enum.Enum):
    """Status of a reported decision (status) in the quarter, X-6."""

    NEW = "ny"
    """Reported for the first time: its three months ended in the quarter."""
    STILL_NOT_EXECUTED = "fortfarande ej verkställt"
    """Reported again: not executed (or resumed) in the quarter either."""
    EXECUTED = "verkställt"
    """Executed (or resumed) in the quarter, after its three months: reported once more."""
    ENDED = "avslutat"
    """Ended in the quarter (withdrawn, the need gone) before it was executed."""


_KIND_EN: Final = {
    ReportKind.NOT_EXECUTED: "decision not executed",
    ReportKind.INTERRUPTED: "execution interrupted",
}
_STATUS_EN: Final = {
    Status.NEW: "new",
    Status.STILL_NOT_EXECUTED: "still not executed",
    Status.EXECUTED: "executed",
    Status.ENDED: "ended",
}
_SEX_EN: Final = {Sex.FEMALE: "woman", Sex.MALE: "man"}
_PENDING: Final = frozenset({Status.NEW, Status.STILL_NOT_EXECUTED})


@attrs.frozen(kw_only=True)
class IvoRow:
    """One row of the report (individrapport): a decision or an interruption, X-6.

    Never a personal identity number: ``individual`` is IVO's form for a person
    without one (see :func:`ivo_identifier`), None where the record holds no date of
    birth or sex; ``case`` is the case number, for the reporter to find the person.
    """

    case: str
    """The case number."""
    routine: str
    """The code of the routine the case follows."""
    individual: str | None
    """The individual in IVO's form (``ÅÅÅÅMMDD-T`` and three digits), or None."""
    sex: Sex | None
    """The individual's sex as recorded with the decision, or None."""
    decided_on: date
    """The day of the decision."""
    intervention: str
    """The kind of intervention granted (insats)."""
    legal_basis: LegalBasis | None
    """The act the decision was made under, or None where not recorded."""
    legal_reference: str | None
    """The duty to report in force on the quarter's last day, as cited, or None."""
    kind: ReportKind
    """A decision not executed, or an interruption."""
    interrupted_on: date | None
    """The day execution was interrupted, for an interruption; None otherwise."""
    days: int
    """Days waited: from the decision (or interruption) to the quarter's last day, or
    to the day it was executed (resumed, ended)."""
    reason: str
    """The reasons recorded for the delay (or the interruption), joined; "" if none."""
    status: Status
    """New, still not executed, executed or ended."""
    closed_on: date | None
    """The day it was executed, resumed or ended, for those; None while pending."""

    def record(self, language: Language = "sv") -> dict[str, Any]:
        """Return the row as a dict of plain values (text, numbers, ISO dates), for a table."""
        check_language(language)
        sv = language == "sv"
        return {
            "case": self.case,
            "routine": self.routine,
            "individual": self.individual or "",
            "sex": "" if self.sex is None else (self.sex.value if sv else _SEX_EN[self.sex]),
            "decided_on": self.decided_on.isoformat(),
            "intervention": self.intervention,
            "legal_basis": "" if self.legal_basis is None else self.legal_basis.value,
            "legal_reference": _cited(self.legal_reference, language),
            "kind": self.kind.value if sv else _KIND_EN[self.kind],
            "interrupted_on": ""
            if self.interrupted_on is None
            else self.interrupted_on.isoformat(),
            "days": self.days,
            "reason": self.reason,
            "status": self.status.value if sv else _STATUS_EN[self.status],
            "closed_on": "" if self.closed_on is None else self.closed_on.isoformat(),
        }


_HEADERS: Final[dict[str, tuple[str, str]]] = {
    "case": ("ärende", "case"),
    "routine": ("rutin", "routine"),
    "individual": ("individ", "individual"),
    "sex": ("kön", "sex"),
    "decided_on": ("beslutsdatum", "decided on"),
    "intervention": ("insats", "intervention"),
    "legal_basis": ("lag", "act"),
    "legal_reference": ("lagrum", "legal reference"),
    "kind": ("typ", "kind"),
    "interrupted_on": ("avbrottsdatum", "interrupted on"),
    "days": ("dagar", "days"),
    "reason": ("skäl till dröjsmål", "reason for the delay"),
    "status": ("status", "status"),
    "closed_on": ("verkställt/avslutat", "executed/ended on"),
}
"""The columns of a row, Swedish then English."""


@attrs.frozen(kw_only=True)
class CouncilCount:
    """Anonymised counts for the council (statistikrapport till fullmäktige), X-6.

    One per kind of report and kind of intervention: the decisions (or interruptions)
    pending at the quarter's end, women and men, and the days each has waited.
    """

    kind: ReportKind
    """A decision not executed, or an interruption."""
    intervention: str
    """The kind of intervention."""
    number: int
    """How many."""
    women: int
    """How many of them for women."""
    men: int
    """How many of them for men."""
    sex_not_recorded: int
    """How many with no sex recorded with the decision."""
    days: tuple[int, ...]
    """The days each has waited, shortest first."""

    @property
    def longest(self) -> int:
        """The most days any has waited."""
        return max(self.days, default=0)


@attrs.frozen(kw_only=True)
class NotJudged:
    """A case the report cannot judge (ej bedömt), and why, X-6: never guessed over."""

    case: str
    """The case number."""
    routine: str
    """The routine's code."""
    reason: tuple[str, str]
    """Why, Swedish then English."""


_NO_DECISION_DATE: Final = (
    "beslutsdatum saknas i registreringen",
    "the record holds no date of the decision",
)


@attrs.frozen(kw_only=True)
class IvoReport:
    """The report to IVO for a quarter (rapport till IVO), with the council's counts, X-6.

    ``rows`` are sorted by kind, decision day, routine and case; ``not_judged`` lists
    the cases of a decision the record gives no date for; ``anomalies`` what the fold
    of the record could not explain (a gap in the record, not a judgement of it).
    """

    quarter: Quarter
    """The quarter reported."""
    rows: tuple[IvoRow, ...]
    """The rows to report."""
    not_judged: tuple[NotJudged, ...] = ()
    """Cases the report cannot judge, and why."""
    anomalies: tuple[Anomaly, ...] = ()
    """What the fold of the read routines' events could not explain."""
    routines: tuple[str, ...] = ()
    """The codes of the routines read (those of social-services decisions)."""

    @property
    def pending(self) -> tuple[IvoRow, ...]:
        """The rows still pending at the quarter's end, not executed or resumed: new or still."""
        return tuple(row for row in self.rows if row.status in _PENDING)

    def council(self) -> tuple[CouncilCount, ...]:
        """Return the anonymised counts for the council: pending rows by kind and intervention."""
        groups: dict[tuple[ReportKind, str], list[IvoRow]] = {}
        for row in self.pending:
            groups.setdefault((row.kind, row.intervention), []).append(row)
        order = list(ReportKind)
        return tuple(
            CouncilCount(
                kind=kind,
                intervention=intervention,
                number=len(rows),
                women=sum(1 for row in rows if row.sex is Sex.FEMALE),
                men=sum(1 for row in rows if row.sex is Sex.MALE),
                sex_not_recorded=sum(1 for row in rows if row.sex is None),
                days=tuple(sorted(row.days for row in rows)),
            )
            for (kind, intervention), rows in sorted(
                groups.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
            )
        )

    def records(self, language: Language = "sv") -> list[dict[str, Any]]:
        """Return the rows as dicts of plain values, ready for ``pandas.DataFrame``."""
        return [row.record(language) for row in self.rows]

    def to_csv(self, language: Language = "sv") -> str:
        """Return the rows as CSV, with a header row in Swedish (or English)."""
        check_language(language)
        index = 0 if language == "sv" else 1
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(words[index] for words in _HEADERS.values())
        for record in self.records(language):
            writer.writerow(record[key] for key in _HEADERS)
        return out.getvalue()

    def to_json(self, language: Language = "sv") -> str:
        """Return the report as JSON: the quarter, the rows, the council's counts, the rest."""
        return json.dumps(self._as_dict(language), ensure_ascii=False, indent=2)

    def _as_dict(self, language: Language) -> dict[str, Any]:
        check_language(language)
        index = 0 if language == "sv" else 1
        kind_word = (lambda kind: kind.value) if index == 0 else _KIND_EN.__getitem__
        return {
            "quarter": str(self.quarter),
            "first_day": self.quarter.first_day.isoformat(),
            "last_day": self.quarter.last_day.isoformat(),
            "routines": list(self.routines),
            "rows": self.records(language),
            "council": [
                {
                    "kind": kind_word(count.kind),
                    "intervention": count.intervention,
                    "number": count.number,
                    "women": count.women,
                    "men": count.men,
                    "sex_not_recorded": count.sex_not_recorded,
                    "days": list(count.days),
                }
                for count in self.council()
            ],
            "not_judged": [
                {"case": item.case, "routine": item.routine, "reason": item.reason[index]}
                for item in self.not_judged
            ],
            "anomalies": len(self.anomalies),
            "legal_references": [
                {
                    "basis": ref.basis.value,
                    "reference": ref.cite(language),
                    "valid_from": ref.valid_from.isoformat(),
                    "valid_until": None if ref.valid_until is None else ref.valid_until.isoformat(),
                    "confirmed": ref.confirmed,
                    "note": ref.note[index],
                }
                for ref in LEGAL_REFERENCES
            ],
        }

    def to_html(self, language: Language = "sv") -> str:
        """Return the report as one self-contained HTML page (inline CSS, nothing fetched)."""
        from ._ivo_html import page  # noqa: PLC0415 - only a page asks for it

        return page(self, self._as_dict(language), language)

    def _repr_html_(self) -> str:
        from ._ivo_html import tables  # noqa: PLC0415 - only a notebook asks for it

        return tables(self._as_dict("sv"), "sv")

    def __repr__(self) -> str:
        return (
            f"IvoReport({self.quarter}, {len(self.rows)} rows, {len(self.pending)} pending, "
            f"{len(self.not_judged)} not judged)"
        )


# --------------------------------------------------------------------------- reading a case


@attrs.frozen(kw_only=True)
class _Episode:
    """An interruption of the execution, and when it was resumed (if it was)."""

    on: date
    reason: str
    resumed_on: date | None


@attrs.frozen(kw_only=True)
class _Case:
    """What the milestones say of one case's decision."""

    case: str
    routine: str
    decided: Decided
    executed_on: date | None
    ended: Ended | None
    episodes: tuple[_Episode, ...]
    reasons: tuple[tuple[date, str], ...]


def _read_case(case: str, routine: str, milestones: Iterable[Reached]) -> _Case | None:
    """Read a case's milestones, in the order recorded; None for a case with no decision."""
    decided: Decided | None = None
    executed: list[date] = []
    ended: Ended | None = None
    episodes: list[_Episode] = []
    open_: Interrupted | None = None
    reasons: list[tuple[date, str]] = []
    for reached in milestones:
        facts = reached.facts
        if isinstance(facts, Decided):
            decided = facts if decided is None else decided  # the first decision counts
        elif isinstance(facts, Executed):
            executed.append(facts.on)
        elif isinstance(facts, Interrupted):
            if open_ is None:
                open_ = facts
        elif isinstance(facts, Resumed):
            if open_ is not None:
                episodes.append(_Episode(on=open_.on, reason=open_.reason, resumed_on=facts.on))
                open_ = None
        elif isinstance(facts, Ended):
            ended = facts if ended is None else ended
        elif isinstance(facts, DelayReason):
            reasons.append((reached.at.date(), facts.reason))
    if decided is None:
        return None
    if open_ is not None:
        episodes.append(_Episode(on=open_.on, reason=open_.reason, resumed_on=None))
    return _Case(
        case=case,
        routine=routine,
        decided=decided,
        executed_on=min(executed, default=None),
        ended=ended,
        episodes=tuple(episodes),
        reasons=tuple(reasons),
    )


def _joined(reasons: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for reason in reasons:
        if reason:
            seen.setdefault(reason, None)
    return "; ".join(seen)


_MONTHS: Final = relativedelta(months=REPORT_AFTER_MONTHS)


def _after_months(day: date) -> date:
    return day + _MONTHS


def _judge(
    start: date, closing: date | None, ended: bool, quarter: Quarter
) -> tuple[Status, int, date | None] | None:
    """Judge one decision or interruption that began on ``start`` in a quarter.

    Returns the status, the days waited and the day it closed, or None: not reported
    in the quarter. ``closing`` is the day it was executed (resumed) or ended
    (``ended``), if it was.
    """
    first, last = quarter.first_day, quarter.last_day
    due = _after_months(start)  # the last day it may be executed on in time
    if closing is None or closing > last:
        if due > last:
            return None  # its three months have not ended by the quarter's end
        before = quarter.previous
        new = before is None or due > before.last_day
        status = Status.NEW if new else Status.STILL_NOT_EXECUTED
        return status, (last - start).days, None
    if first <= closing <= last and closing > due:
        return (Status.ENDED if ended else Status.EXECUTED), (closing - start).days, closing
    return None


def _rows_of(case: _Case, quarter: Quarter) -> list[IvoRow]:
    """Return the rows one case's decision gives in a quarter (it has a decision date)."""
    decided = case.decided
    assert decided.decided_on is not None
    last = quarter.last_day
    individual = (
        None
        if decided.born is None or decided.sex is None
        else ivo_identifier(decided.born, decided.sex, f"{case.routine}:{case.case}")
    )
    reference = None
    if decided.legal_basis is not None:
        found = legal_reference(decided.legal_basis, last)
        reference = None if found is None else found.cite()
    common = functools.partial(
        IvoRow,
        case=case.case,
        routine=case.routine,
        individual=individual,
        sex=decided.sex,
        decided_on=decided.decided_on,
        intervention=decided.intervention,
        legal_basis=decided.legal_basis,
        legal_reference=reference,
    )
    rows: list[IvoRow] = []
    executed, ended = case.executed_on, case.ended
    closing, by_end = executed, False
    if ended is not None and (executed is None or ended.on < executed):
        closing, by_end = ended.on, True
    judged = _judge(decided.decided_on, closing, by_end, quarter)
    if judged is not None:
        status, days, closed_on = judged
        until = last if closed_on is None else closed_on
        reason = _joined(text for day, text in case.reasons if day <= until)
        if status is Status.ENDED and ended is not None and ended.reason:
            reason = _joined((reason, ended.reason))
        rows.append(
            common(
                kind=ReportKind.NOT_EXECUTED,
                interrupted_on=None,
                days=days,
                reason=reason,
                status=status,
                closed_on=closed_on,
            )
        )
    for episode in case.episodes:
        closing, by_end = episode.resumed_on, False
        if ended is not None and ended.on >= episode.on and (closing is None or ended.on < closing):
            closing, by_end = ended.on, True
        judged = _judge(episode.on, closing, by_end, quarter)
        if judged is None:
            continue
        status, days, closed_on = judged
        until = last if closed_on is None else closed_on
        later = (text for day, text in case.reasons if episode.on <= day <= until)
        rows.append(
            common(
                kind=ReportKind.INTERRUPTED,
                interrupted_on=episode.on,
                days=days,
                reason=_joined((episode.reason, *later)),
                status=status,
                closed_on=closed_on,
            )
        )
    return rows


# --------------------------------------------------------------------------- the report


def _routines(given: object) -> tuple[Routine[Any, Any, Any], ...]:
    if given is None:
        from . import routines as registry  # noqa: PLC0415 - the registry imports routines lazily

        found = registry.registered()
    else:
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidInput(
                f"routines must be None or an iterable of Routine values, not {describe(given)}"
            )
        found = tuple(given)
        for routine in found:
            if not isinstance(routine, Routine):
                raise InvalidInput(f"routines must hold Routine values, not {describe(routine)}")
    return tuple(r for r in found if isinstance(r, Routine) and r.social_services is True)


def ivo_report(
    events: Iterable[Event],
    *,
    quarter: Quarter | str,
    as_of: datetime | None = None,
    routines: Iterable[Routine[Any, Any, Any]] | None = None,
) -> IvoReport:
    """Report to IVO the decisions not executed (rapport om ej verkställda beslut), X-6.

    Lists, as of the quarter's last day, every granted social-services decision not
    executed within three calendar months of the day of the decision, and every
    execution interrupted and not resumed within three months of the interruption:
    ``NEW`` in the quarter its three months end in, ``STILL_NOT_EXECUTED`` in every
    quarter after until it is executed (resumed) or ends, and once more, ``EXECUTED``
    or ``ENDED`` with its day, in the quarter that happens in, if after its three
    months. A recorded reason for the delay, such as a declined offer, is shown and
    ends nothing. Only routines whose decisions are social-services decisions are
    read; the same events in any order give the same report.

    Args:
        events: Events of any routines, in any order (as :func:`load_events` reads
            them); those of other routines are left out.
        quarter: The quarter, as a :class:`Quarter` or text (``"2026Q1"``).
        as_of: An aware moment: count only the events recorded by then (the report
            as it could have been made then); None: every event given.
        routines: The routines to read; None: every registered one. Of these, only
            those with ``social_services=True`` are read.

    Raises:
        InvalidInput: for a quarter that cannot be read, items that are not events,
            routines that are not Routine values, or a naive ``as_of``.
    """
    period = Quarter.parse(quarter)
    read = _routines(routines)
    given: object = events
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidInput(f"events must be an iterable of events, not {describe(given)}")
    by_code: dict[str, list[Event]] = {routine.code: [] for routine in read}
    for position, event in enumerate(events):
        if not isinstance(event, Event):
            raise InvalidInput(f"event {position}: not an event ({describe(event)})")
        own = by_code.get(type(event).routine)
        if own is not None:
            own.append(event)
    rows: list[IvoRow] = []
    not_judged: list[NotJudged] = []
    anomalies: list[Anomaly] = []
    for routine in read:
        folded = routine.fold(by_code[routine.code], as_of=as_of)
        anomalies += folded.anomalies
        for case, state in folded.items():
            found = _read_case(case, routine.code, state.milestones)
            if found is None:
                continue
            if found.decided.decided_on is None:
                not_judged.append(
                    NotJudged(case=case, routine=routine.code, reason=_NO_DECISION_DATE)
                )
                continue
            rows += _rows_of(found, period)
    kinds = list(ReportKind)
    rows.sort(
        key=lambda row: (
            kinds.index(row.kind),
            row.decided_on,
            row.interrupted_on or row.decided_on,
            row.routine,
            row.case,
        )
    )
    return IvoReport(
        quarter=period,
        rows=tuple(rows),
        not_judged=tuple(sorted(not_judged, key=lambda item: (item.routine, item.case))),
        anomalies=tuple(anomalies),
        routines=tuple(routine.code for routine in read),
    )
