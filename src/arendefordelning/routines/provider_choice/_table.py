"""The table of routine VAL: its obligations and steps, VAL-1…VAL-20.

For the report to IVO (X-6) the table declares the milestones of the decision on home
care: the choice or the abstention carries the decision's facts as recorded (its day,
legal basis, the customer's sex and date of birth; each optional, for the choice is
not the decision and older logs do not hold them), the execution is the municipal
provider's start (VAL-6), the registered execution date (VAL-11) or, for a customer who
re-chose before any start, the takeover date documented at the switch (VAL-17), after
which the case has no step that executes; an intervention reported as not executed
(VAL-8) is a reason for the delay. An urgent assignment (VAL-7) comes before any
decision and reaches none; the routine has no step that interrupts, resumes or ends a
decision.

Obligations opened by a case's first choice are made void when a switch of provider
is documented (VAL-17); those of a re-choice when another re-choice is registered. An
obligation that was overdue when made void stays a MISSING deviation (X-5).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

from ..._time import STOCKHOLM
from ...kernel import (
    ActionKind,
    Channel,
    Check,
    Condition,
    Decided,
    DelayReason,
    DeviationKind,
    Event,
    Executed,
    Flag,
    Milestone,
    Obligation,
    Opened,
    Role,
    Routine,
    Severity,
)
from . import _events as ev
from . import _rules as r
from ._state import ProviderChoicePolicy, ProviderChoiceState, initial_state

rows: Final = r.rows
_ASSESSOR: Final = frozenset({Role.NEEDS_ASSESSOR})
_PROVIDER: Final = frozenset({Role.PROVIDER})
_FIRST_VOID: Final = ("document_takeover",)
_RECHOICE_VOID: Final = ("register_rechoice",)
_NOTIFIED: Final = ("notify_outgoing", "notify_incoming")


def _name(record: Opened[ev.ProviderNamed]) -> str:
    """Name the provider named by the event that opened a record (VAL-4…VAL-10)."""
    return record.event.provider.name


def _outgoing(record: Opened[ev.RechoiceRegistered]) -> str:
    return record.event.outgoing.name


def _incoming(record: Opened[ev.RechoiceRegistered]) -> str:
    return record.event.incoming.name


_Words = str | Callable[[Opened[ev.RechoiceRegistered]], str]


def _by_the_window(
    name: str,
    requirement: str,
    sv: _Words,
    en: _Words,
    when: Condition[ProviderChoiceState],
    *,
    assignee: _Words = _outgoing,
    recipient: _Words | None = None,
) -> Obligation[ProviderChoiceState, ev.RechoiceRegistered, ProviderChoicePolicy]:
    """Declare a provider's step of a re-choice, due by the window's last day (VAL-15…VAL-19).

    Opened by the re-choice and due once both notifications are recorded (their
    events are the record's updates); a message when it has a recipient.
    """
    return rows.obligation(
        name,
        ev.RechoiceRegistered,
        requirement=requirement,
        roles=Role.PROVIDER,
        sv=sv,
        en=en,
        met_by=(name,),
        kind=ActionKind.TASK if recipient is None else ActionKind.MESSAGE,
        assignee=assignee,
        recipient=recipient,
        due=r.window_due,
        since=("att båda utförarna meddelats", "both providers being notified"),
        rule=r.window_words,
        counted_from=r.window_counted_from,
        moved_by=_NOTIFIED,
        when=when,
        void_by=_RECHOICE_VOID,
    )


# --------------------------------------------------------------------------- first choice

_PREPARE = rows.obligation(
    "prepare",
    ev.ProviderNamed,
    requirement="VAL-9",
    roles=Role.NEEDS_ASSESSOR,
    sv="ta fram uppdraget med tid, ärendenummer och närståendes telefonnummer och skriv "
    "ut det på papper",
    en="prepare the assignment with the time, the case number and the relatives' "
    "telephone numbers, and print it",
    met_by=("prepare",),
    per=r.if_private,
    void_by=("urgent", *_FIRST_VOID),
)
_DISTRIBUTE = rows.obligation(
    "distribute",
    ev.ProviderNamed,
    requirement="VAL-4",
    roles=Role.NEEDS_ASSESSOR,
    sv=lambda o: f"fördela uppdraget i verksamhetssystemet till {_name(o)}",
    en=lambda o: f"distribute the assignment in the case-management system to {_name(o)}",
    met_by=("distribute",),
    when=r.READY_TO_DISTRIBUTE,
    void_by=("urgent", *_FIRST_VOID),
)
_HOME_HEALTH_CARE = rows.obligation(
    "notify_home_health_care",
    ev.ProviderNamed,
    requirement="VAL-5",
    roles=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    channel=Channel.EMAIL,
    recipient="sjuksköterskor för hemsjukvård",
    sv=lambda o: (
        f"meddela via gemensam sändlista att {_name(o)} är vald utförare och "
        "dokumentera i journalen"
    ),
    en=lambda o: (
        f"tell the home health care nurses through the shared mailing list that "
        f"{_name(o)} is the chosen provider, and note it in the journal"
    ),
    text=lambda o: f"Vald utförare för ärende {o.event.case}: {_name(o)}.",
    met_by=("notify_home_health_care",),
    when=r.NURSES_NOT_TOLD,
    void_by=("urgent", *_FIRST_VOID),
)
_CONTACT = rows.obligation(
    "contact",
    ev.AssignmentDistributed,
    requirement="VAL-9",
    roles=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    recipient=_name,
    sv="kontakta utföraren via e-post eller telefon om att det finns ett uppdrag, kom "
    "överens om post eller hämtning och dokumentera kontakten i journalen",
    en="contact the provider by e-mail or telephone about the assignment, agree on post "
    "or pick-up, and note the contact in the journal",
    text=lambda o: f"Det finns ett uppdrag till er. Ärendenummer: {o.event.case}.",
    met_by=("contact",),
    per=r.if_private,
    void_by=_FIRST_VOID,
)
_CONFIRM_RECEIPT = rows.obligation(
    "confirm_receipt",
    ev.AssignmentDistributed,
    requirement="VAL-10",
    roles=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    channel=Channel.EMAIL,
    recipient="biståndshandläggaren",
    assignee=_name,
    sv="bekräfta snarast att uppdraget mottagits",
    en="confirm as soon as possible that the assignment was received",
    met_by=("confirm_receipt",),
    per=r.if_private,
    when=r.PRIVATE_CONTACTED,
    void_by=_FIRST_VOID,
)
_FILE_RECEIPT = rows.obligation(
    "file_receipt",
    ev.ReceiptConfirmed,
    requirement="VAL-10",
    roles=Role.NEEDS_ASSESSOR,
    sv="lägg bekräftelsen i akten och gör en anteckning i journalen",
    en="file the confirmation and note it in the journal",
    met_by=("file_receipt",),
    void_by=_FIRST_VOID,
)
_EXECUTE = rows.obligation(
    "execute",
    ev.ProviderNamed,
    requirement="VAL-6",
    roles=Role.PROVIDER,
    assignee=_name,
    sv="verkställ uppdraget; meddela biståndshandläggaren om någon insats inte "
    "verkställs, och orsak",
    en="execute the assignment; tell the needs assessor if an intervention is not "
    "executed, and why",
    met_by=("start_execution", "register_execution"),
    due=r.execution_due,
    since=("fördelningen", "the distribution"),
    rule=r.execution_words,
    note=r.execution_note,
    counted_from=r.execution_counted_from,
    moved_by=("distribute", "later_start"),
    per=r.if_municipal,
    when=r.MUNICIPAL_DISTRIBUTED,
    void_by=("urgent", *_FIRST_VOID),
)
_EXECUTE_PRIVATE = rows.obligation(
    "execute_private",
    ev.ProviderNamed,
    requirement="VAL-6",
    roles=Role.PROVIDER,
    kind=ActionKind.MESSAGE,
    channel=Channel.EMAIL,
    recipient="biståndshandläggaren",
    assignee=_name,
    sv="verkställ uppdraget och meddela datum för första insats och om någon "
    "insats inte verkställs, och orsak",
    en="execute the assignment and report the date of the first intervention "
    "and any intervention not executed, with the reason",
    met_by=("report_first_intervention", "register_execution"),
    met_at=r.executed_at,
    due=r.execution_due,
    since=("kontakten med utföraren", "the contact with the provider"),
    rule=r.execution_words,
    note=r.execution_note,
    counted_from=r.execution_counted_from,
    moved_by=("contact", "later_start"),
    per=r.if_private,
    when=r.PRIVATE_CONTACTED,
    void_by=("urgent", *_FIRST_VOID),
)
_EXECUTE_URGENTLY = rows.obligation(
    "execute_urgently",
    ev.UrgentlyAssigned,
    requirement="VAL-7",
    roles=Role.PROVIDER,
    assignee=_name,
    sv="starta uppdraget (snabbare igångsättning än 24 timmar)",
    en="start the assignment (sooner than 24 hours)",
    met_by=("start_execution", "report_first_intervention", "register_execution"),
    due=lambda o, p: o.event.start_by,
    since=("det brådskande uppdraget", "the urgent assignment"),
    rule=("starta snabbare än 24 timmar", "start sooner than 24 hours"),
    void_by=_FIRST_VOID,
)
_REGISTER_EXECUTION = rows.obligation(
    "register_execution",
    ev.FirstInterventionReported,
    requirement="VAL-11",
    roles=Role.NEEDS_ASSESSOR,
    sv=lambda o: (
        "verkställ uppdraget i verksamhetssystemet från och med "
        f"{o.event.first_intervention}, lägg meddelandet i akten och dokumentera"
    ),
    en=lambda o: (
        f"register execution from {o.event.first_intervention}, file the provider's "
        "message and note it in the journal"
    ),
    met_by=("register_execution",),
    void_by=_FIRST_VOID,
)
_CONFIRM_EXECUTION = rows.obligation(
    "confirm_execution_date",
    ev.ExecutionRegistered,
    requirement="VAL-11",
    roles=Role.NEEDS_ASSESSOR,
    kind=ActionKind.MESSAGE,
    channel=Channel.EMAIL,
    recipient=r.provider_key,
    sv="bekräfta verkställighetsdatum till utföraren",
    en="confirm the execution date to the provider",
    text=lambda o: (
        f"Uppdraget i ärende {o.event.case} är verkställt från och med {o.event.executed_from}."
    ),
    met_by=("confirm_execution_date",),
    per=r.for_the_provider,
    void_by=_FIRST_VOID,
)


# --------------------------------------------------------------------------- re-choice


def _notification(
    outgoing: bool,
) -> Obligation[ProviderChoiceState, ev.RechoiceRegistered, ProviderChoicePolicy]:
    """VAL-13: notify one provider of the re-choice, preferably the day of the choice."""
    this, other = ("frånträdande", "tillträdande") if outgoing else ("tillträdande", "frånträdande")
    this_en, other_en = ("outgoing", "incoming") if outgoing else ("incoming", "outgoing")
    name = _outgoing if outgoing else _incoming
    return rows.obligation(
        f"notify_{this_en}",
        ev.RechoiceRegistered,
        requirement="VAL-13",
        roles=Role.NEEDS_ASSESSOR,
        kind=ActionKind.MESSAGE,
        recipient=name,
        sv=lambda o: (
            f"meddela {this} utförare {name(o)} om omvalet vid samma tidpunkt som {other} "
            f"utförare, helst samma dag som kunden meddelade sitt val ({o.event.chosen_on}), "
            "och dokumentera i journalen"
        ),
        en=lambda o: (
            f"notify the {this_en} provider {name(o)} of the re-choice at the same time as "
            f"the {other_en} provider, preferably the same day as the customer's choice "
            f"({o.event.chosen_on}), and note it in the journal"
        ),
        text=lambda o: (
            f"Omval i ärende {o.event.case}: frånträdande utförare {_outgoing(o)}, "
            f"tillträdande utförare {_incoming(o)}."
        ),
        met_by=(f"notify_{this_en}",),
        due=lambda o, p: o.event.chosen_on,
        since=("registreringen av omvalet", "the registration of the re-choice"),
        rule=("helst samma dag som kundens val", "preferably the day of the customer's choice"),
        severity=Severity.WARNING,
        late_kind=DeviationKind.NOT_SAME_DAY,
        void_by=_RECHOICE_VOID,
    )


_NOTIFY_OUTGOING = _notification(outgoing=True)
_NOTIFY_INCOMING = _notification(outgoing=False)
_MEDIATE = rows.obligation(
    "mediate",
    ev.TakeoverWishRecorded,
    requirement="VAL-14",
    roles=Role.NEEDS_ASSESSOR,
    sv="förmedla information mellan utförarna om kundens önskemål",
    en="pass information between the providers about the customer's wish",
    met_by=("mediate",),
)
_AGREE_LAST_DAY = _by_the_window(
    "agree_last_day",
    "VAL-15",
    "kom överens med kunden om sista dag och fråga om dokumentationen får lämnas till "
    "den nya utföraren",
    "agree the last day with the customer and ask whether the documentation may go to "
    "the new provider",
    r.BOTH_NOTIFIED,
)
_ANNOUNCE = _by_the_window(
    "announce_takeover",
    "VAL-16",
    lambda o: f"meddela tillträdande utförare datum för övertagande{r.window_text(o, True)}",
    lambda o: f"tell the incoming provider the takeover date{r.window_text(o, False)}",
    r.LAST_DAY_AGREED,
    recipient=_incoming,
)
_HAND_OVER = _by_the_window(
    "hand_over",
    "VAL-16",
    lambda o: f"lämna över dokumentationen till {_incoming(o)} (kunden har samtyckt)",
    lambda o: f"hand the documentation over to {_incoming(o)} (the customer consents)",
    r.CONSENTED,
)
_REPORT_TAKEOVER = _by_the_window(
    "report_takeover",
    "VAL-17",
    lambda o: (
        "planera övertagandet med kunden och meddela biståndshandläggaren datum "
        f"för övertagande{r.window_text(o, True)}"
    ),
    lambda o: (
        "plan the takeover with the customer and report the takeover date"
        f"{r.window_text(o, False)} to the needs assessor"
    ),
    r.BOTH_NOTIFIED,
    assignee=_incoming,
    recipient="biståndshandläggaren",
)
_DOCUMENT_TAKEOVER = rows.obligation(
    "document_takeover",
    ev.TakeoverDateReported,
    requirement="VAL-17",
    roles=Role.NEEDS_ASSESSOR,
    sv=lambda o: f"dokumentera datum för övertagande ({o.event.takeover}) i journalen",
    en=lambda o: f"note the takeover date ({o.event.takeover}) in the journal",
    met_by=("document_takeover",),
)
_TELL_HOME_HEALTH_CARE = _by_the_window(
    "tell_home_health_care",
    "VAL-19",
    lambda o: (
        f"meddela hemsjukvården att uppdraget avslutas och ge kontaktuppgifter till {_incoming(o)}"
    ),
    lambda o: (
        "tell home health care that the assignment ends and give the contact "
        f"details of {_incoming(o)}"
    ),
    r.TELL_HOME_HEALTH_CARE,
    recipient="hemsjukvården",
)


# --------------------------------------------------------------------------- rules of steps

_CHANNEL: Final = Check(
    "VAL-13",
    r.wrong_channel,
    (
        "meddela kommunal utförare via verksamhetssystemet och privat via e-post eller telefon",
        "notify a municipal provider through the system and a private one by e-mail or telephone",
    ),
    invalid=True,
    kind=DeviationKind.WRONG_CHANNEL,
)
_SAME_TIME: Final = Flag(
    "VAL-13",
    r.not_at_the_same_time,
    (
        "meddela frånträdande och tillträdande utförare vid samma tidpunkt",
        "notify the outgoing and the incoming provider at the same time",
    ),
)

_CHOSEN: Final = ("choose", "abstain")
_RECHOICE_STEPS: Final = (
    "notify_outgoing",
    "notify_incoming",
    "record_wish",
    "mediate",
    "agree_last_day",
    "announce_takeover",
    "hand_over",
    "report_takeover",
    "document_takeover",
    "tell_home_health_care",
)
_FIRST_OBLIGATIONS: Final = (_PREPARE, _DISTRIBUTE, _HOME_HEALTH_CARE, _EXECUTE, _EXECUTE_PRIVATE)


def _later_start_roles(event: ev.LaterStartAgreed) -> frozenset[Role]:
    """VAL-6, X-2: only the needs assessor instructs a later start; either records an agreement."""
    if event.basis is ev.LaterStartBasis.INSTRUCTION:
        return _ASSESSOR
    return _ASSESSOR | _PROVIDER


INTERVENTION: Final = "hemtjänst"
"""The intervention the routine's decisions grant (home care), as the report names it. X-6."""


def _day(event: Event) -> date:
    """Return the day in Stockholm an event happened: the day of its milestone, X-6."""
    return event.at.astimezone(STOCKHOLM).date()


def _decided(event: ev.ChoiceRegistered | ev.AbstentionRegistered) -> Decided:
    """Return the decision on home care as the choice records it, X-6: never its own day."""
    return Decided(
        intervention=INTERVENTION,
        decided_on=event.decided_on,
        legal_basis=event.legal_basis,
        sex=event.sex,
        born=event.born,
    )


_DECIDED: Final = Milestone(Decided, _decided)
_STARTED: Final[Milestone[ev.ExecutionStarted, Executed]] = Milestone(
    Executed, lambda e: Executed(on=_day(e))
)
_REGISTERED: Final[Milestone[ev.ExecutionRegistered, Executed]] = Milestone(
    Executed, lambda e: Executed(on=e.executed_from)
)
_TAKEN_OVER: Final[Milestone[ev.TakeoverDateDocumented, Executed]] = Milestone(
    Executed, lambda e: Executed(on=e.takeover)
)
"""X-6, VAL-17: the incoming provider's takeover executes a decision not yet executed."""
_NOT_EXECUTED: Final[Milestone[ev.InterventionNotExecuted, DelayReason]] = Milestone(
    DelayReason, lambda e: DelayReason(reason=f"{e.intervention}: {e.reason}")
)

STEPS: Final = (
    rows.step(
        "choose",
        ev.ChoiceRegistered,
        requirements=("VAL-1", "VAL-3"),
        roles=_ASSESSOR,
        label=("registrera valet", "register the choice"),
        when=r.FRESH,
        opens=_FIRST_OBLIGATIONS,
        apply=lambda s, e, p: {
            "provider": e.provider,
            "first_provider": e.provider,
            "chosen_at": e.at,
            "home_health_care": e.home_health_care,
        },
        milestone=_DECIDED,
    ),
    rows.step(
        "abstain",
        ev.AbstentionRegistered,
        requirements=("VAL-1", "VAL-2", "VAL-3"),
        roles=_ASSESSOR,
        label=("registrera icke-val", "register the abstention"),
        command=ev.RegisterAbstention,
        build=r.register_abstention,
        when=r.FRESH,
        opens=_FIRST_OBLIGATIONS,
        apply=lambda s, e, p: {
            "provider": e.provider,
            "first_provider": e.provider,
            "abstained": True,
            "area": e.area,
            "chosen_at": e.at,
            "home_health_care": e.home_health_care,
        },
        milestone=_DECIDED,
    ),
    rows.step(
        "urgent",
        ev.UrgentlyAssigned,
        requirements=("VAL-7",),
        roles=frozenset({Role.NEEDS_ASSESSOR, Role.NIGHT_PATROL}),
        label=("lämna uppdraget för snabbare igångsättning", "give the assignment urgently"),
        command=ev.AssignUrgently,
        build=r.assign_urgently,
        when=r.URGENT_POSSIBLE,
        opens=(_HOME_HEALTH_CARE, _EXECUTE_URGENTLY),
        apply=r.apply_urgent,
    ),
    rows.step(
        "prepare",
        ev.AssignmentPrepared,
        requirements=("VAL-9",),
        roles=_ASSESSOR,
        label=("ta fram uppdraget", "prepare the assignment"),
        after_any=_CHOSEN,
        not_after=("urgent",),
        when=r.PRIVATE,
        apply=lambda s, e, p: {"prepared": True},
    ),
    rows.step(
        "distribute",
        ev.AssignmentDistributed,
        requirements=("VAL-4",),
        roles=_ASSESSOR,
        label=("fördela uppdraget", "distribute the assignment"),
        command=ev.DistributeAssignment,
        build=r.distribute,
        after_any=_CHOSEN,
        not_after=("urgent",),
        when=r.READY_TO_DISTRIBUTE,
        opens=(_CONTACT, _CONFIRM_RECEIPT),
        apply=lambda s, e, p: {"distributed_at": e.at},
    ),
    rows.step(
        "notify_home_health_care",
        ev.HomeHealthCareNotified,
        requirements=("VAL-5",),
        roles=_ASSESSOR,
        label=("meddela hemsjukvården vald utförare", "tell home health care the provider"),
        command=ev.NotifyHomeHealthCare,
        build=r.notify_home_health_care,
        after_any=(*_CHOSEN, "urgent"),
        when=r.NURSES_NOT_TOLD,
        apply=lambda s, e, p: {"home_health_care_notified": True},
    ),
    rows.step(
        "contact",
        ev.ProviderContacted,
        requirements=("VAL-9",),
        roles=_ASSESSOR,
        label=("kontakta utföraren", "contact the provider"),
        after=("distribute",),
        when=r.PRIVATE,
        checks=(
            Check(
                "VAL-9",
                r.contact_by_system,
                (
                    "kontakta den privata utföraren via e-post eller telefon",
                    "contact the private provider by e-mail or telephone",
                ),
                invalid=True,
                kind=DeviationKind.WRONG_CHANNEL,
            ),
        ),
        apply=lambda s, e, p: {"contacted_at": e.at},
    ),
    rows.step(
        "confirm_receipt",
        ev.ReceiptConfirmed,
        requirements=("VAL-10",),
        roles=_PROVIDER,
        label=("bekräfta mottagandet", "confirm receipt"),
        after_any=("contact", "urgent"),
        when=r.PRIVATE_CONTACTED,
        opens=(_FILE_RECEIPT,),
        apply=lambda s, e, p: {"receipt_confirmed": True},
    ),
    rows.step(
        "file_receipt",
        ev.ReceiptFiled,
        requirements=("VAL-10",),
        roles=_ASSESSOR,
        label=("lägga bekräftelsen i akten", "file the confirmation"),
        after=("confirm_receipt",),
        when=r.FIRST_CHOICE,
        apply=lambda s, e, p: {"receipt_filed": True},
    ),
    rows.step(
        "later_start",
        ev.LaterStartAgreed,
        requirements=("VAL-6",),
        roles=_ASSESSOR | _PROVIDER,
        label=("bestämma senare start", "set a later start"),
        roles_for=_later_start_roles,
        after_any=(*_CHOSEN, "urgent"),
        when=r.NOT_EXECUTED,
        once=False,
        apply=lambda s, e, p: {"later_start": e.start},
    ),
    rows.step(
        "start_execution",
        ev.ExecutionStarted,
        requirements=("VAL-6",),
        roles=_PROVIDER,
        label=("verkställa uppdraget", "execute the assignment"),
        after_any=("distribute", "urgent"),
        when=r.MUNICIPAL_DISTRIBUTED,
        apply=lambda s, e, p: {"executed_at": e.at},
        milestone=_STARTED,
    ),
    rows.step(
        "report_not_executed",
        ev.InterventionNotExecuted,
        requirements=("VAL-8",),
        roles=_PROVIDER,
        label=("meddela insats som inte verkställs", "report an intervention not executed"),
        after_any=("distribute", "urgent"),
        when=r.FIRST_CHOICE,
        once=False,
        apply=lambda s, e, p: {"not_executed": (*s.not_executed, e)},
        milestone=_NOT_EXECUTED,
    ),
    rows.step(
        "report_first_intervention",
        ev.FirstInterventionReported,
        requirements=("VAL-11",),
        roles=_PROVIDER,
        label=("meddela datum för första insats", "report the first intervention's date"),
        after_any=("contact", "urgent"),
        when=r.PRIVATE_CONTACTED,
        checks=(
            Check(
                "VAL-11",
                r.before_the_contact,
                (
                    "ange första insatsen tidigast den dag utföraren kontaktades",
                    "give a first intervention no earlier than the day of the contact",
                ),
                invalid=True,
            ),
        ),
        opens=(_REGISTER_EXECUTION,),
        apply=lambda s, e, p: {"first_intervention": e.first_intervention},
    ),
    rows.step(
        "register_execution",
        ev.ExecutionRegistered,
        requirements=("VAL-11",),
        roles=_ASSESSOR,
        label=("verkställa i verksamhetssystemet", "register the execution"),
        command=ev.RegisterExecution,
        build=r.register_execution,
        after=("report_first_intervention",),
        when=r.FIRST_CHOICE,
        opens=(_CONFIRM_EXECUTION,),
        apply=lambda s, e, p: {"executed_from": e.executed_from},
        milestone=_REGISTERED,
    ),
    rows.step(
        "confirm_execution_date",
        ev.ExecutionDateConfirmed,
        requirements=("VAL-11",),
        roles=_ASSESSOR,
        label=("bekräfta verkställighetsdatum", "confirm the execution date"),
        command=ev.ConfirmExecutionDate,
        build=r.confirm_execution,
        after=("register_execution",),
        when=r.FIRST_CHOICE,
        apply=lambda s, e, p: {"execution_confirmed": True},
    ),
    rows.step(
        "register_rechoice",
        ev.RechoiceRegistered,
        requirements=("VAL-12",),
        roles=_ASSESSOR,
        label=("registrera omval", "register the re-choice"),
        command=ev.RegisterRechoice,
        build=r.register_rechoice,
        when=r.MAY_RECHOOSE,
        once=False,
        resets=_RECHOICE_STEPS,
        checks=(
            Check(
                "VAL-12",
                r.another_outgoing,
                (
                    "registrera ärendets utförare som frånträdande",
                    "register the case's provider as the outgoing one",
                ),
                invalid=True,
            ),
        ),
        opens=(
            _NOTIFY_OUTGOING,
            _NOTIFY_INCOMING,
            _AGREE_LAST_DAY,
            _ANNOUNCE,
            _HAND_OVER,
            _REPORT_TAKEOVER,
            _TELL_HOME_HEALTH_CARE,
        ),
        apply=r.apply_rechoice,
    ),
    rows.step(
        "notify_outgoing",
        ev.OutgoingProviderNotified,
        requirements=("VAL-13",),
        roles=_ASSESSOR,
        label=("meddela frånträdande utförare", "notify the outgoing provider"),
        after=("register_rechoice",),
        when=r.IN_RECHOICE,
        checks=(_CHANNEL,),
        flags=(_SAME_TIME,),
        apply=lambda s, e, p: r.changed(s, outgoing_notified_at=e.at),
    ),
    rows.step(
        "notify_incoming",
        ev.IncomingProviderNotified,
        requirements=("VAL-13",),
        roles=_ASSESSOR,
        label=("meddela tillträdande utförare", "notify the incoming provider"),
        after=("register_rechoice",),
        when=r.IN_RECHOICE,
        checks=(_CHANNEL,),
        flags=(_SAME_TIME,),
        apply=lambda s, e, p: r.changed(s, incoming_notified_at=e.at),
    ),
    rows.step(
        "record_wish",
        ev.TakeoverWishRecorded,
        requirements=("VAL-14",),
        roles=_ASSESSOR,
        label=("notera kundens önskemål", "record the customer's wish"),
        after=("register_rechoice",),
        when=r.IN_RECHOICE,
        opens=(_MEDIATE,),
        apply=lambda s, e, p: r.changed(s, wish=e),
    ),
    rows.step(
        "mediate",
        ev.ProvidersMediated,
        requirements=("VAL-14",),
        roles=_ASSESSOR,
        label=("förmedla information mellan utförarna", "pass information between the providers"),
        after=("record_wish",),
        when=r.IN_RECHOICE,
        apply=lambda s, e, p: r.changed(s, mediated=True),
    ),
    rows.step(
        "agree_last_day",
        ev.LastDayAgreed,
        requirements=("VAL-15",),
        roles=_PROVIDER,
        label=("komma överens om sista dag", "agree the last day"),
        after=_NOTIFIED,
        when=r.IN_RECHOICE,
        apply=lambda s, e, p: r.changed(
            s, last_day=e.last_day, documentation_consent=e.documentation_consent
        ),
    ),
    rows.step(
        "announce_takeover",
        ev.TakeoverAnnounced,
        requirements=("VAL-16",),
        roles=_PROVIDER,
        label=("meddela tillträdande utförare datum", "tell the incoming provider the date"),
        after=("agree_last_day",),
        when=r.IN_RECHOICE,
        apply=lambda s, e, p: r.changed(s, announced_takeover=e.takeover),
    ),
    rows.step(
        "hand_over",
        ev.DocumentationHandedOver,
        requirements=("VAL-16",),
        roles=_PROVIDER,
        label=("lämna över dokumentationen", "hand over the documentation"),
        after=("agree_last_day",),
        when=r.IN_RECHOICE,
        checks=(
            Check(
                "VAL-16",
                r.without_consent,
                (
                    "lämna över dokumentationen endast med kundens samtycke",
                    "hand over the documentation only with the customer's consent",
                ),
            ),
        ),
        apply=lambda s, e, p: r.changed(s, documentation_handed_over=True),
    ),
    rows.step(
        "report_takeover",
        ev.TakeoverDateReported,
        requirements=("VAL-17", "VAL-18"),
        roles=_PROVIDER,
        label=("meddela datum för övertagande", "report the takeover date"),
        after=_NOTIFIED,
        when=r.IN_RECHOICE,
        flags=(
            Flag(
                "VAL-18",
                r.outside_the_window,
                (
                    "byt utförare inom 7–14 dagar efter att båda utförarna meddelats",
                    "switch provider 7–14 days after both providers were notified",
                ),
                policy_at=r.rechoice_registered,
            ),
        ),
        opens=(_DOCUMENT_TAKEOVER,),
        apply=lambda s, e, p: r.changed(s, reported_takeover=e.takeover),
    ),
    rows.step(
        "document_takeover",
        ev.TakeoverDateDocumented,
        requirements=("VAL-17",),
        roles=_ASSESSOR,
        label=("dokumentera datum för övertagande", "document the takeover date"),
        command=ev.DocumentTakeoverDate,
        build=r.document_takeover,
        after=("report_takeover",),
        when=r.IN_RECHOICE,
        apply=r.apply_documented,
        milestone=_TAKEN_OVER,
    ),
    rows.step(
        "tell_home_health_care",
        ev.HomeHealthCareToldOfSwitch,
        requirements=("VAL-19",),
        roles=_PROVIDER,
        label=("meddela hemsjukvården bytet", "tell home health care of the switch"),
        after=_NOTIFIED,
        when=r.TELL_HOME_HEALTH_CARE,
        apply=lambda s, e, p: r.changed(s, home_health_care_told=True),
    ),
)


def _split_notification(envelope: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn a ``providers_notified`` line of an earlier version into today's two events.

    That version recorded both notifications as one event; each is its own fact now
    (VAL-13), at the same moment.
    """
    data = envelope.get("data")
    if not isinstance(data, dict):
        data = {}
    lines = []
    for which in ("outgoing", "incoming"):
        line = {key: value for key, value in envelope.items() if key != "data"}
        line["type"] = f"{which}_provider_notified"
        line["data"] = {"channel": data.get(f"{which}_channel")}
        lines.append(line)
    return lines


VAL: Final[Routine[ProviderChoiceState, ev.ProviderChoiceEvent, ProviderChoicePolicy]] = Routine(
    code=ev.ROUTINE,
    title="Rutin för val, omval och uppdrag till utförare av hemtjänst",
    title_en="Routine for choice, re-choice and assignment to home-care providers",
    initial=initial_state,
    policy=ProviderChoicePolicy(),
    steps=STEPS,
    open_ended=True,
    describe=ProviderChoiceState.describe,
    extra_events=ev.LIST_EVENTS,
    upgrades={"providers_notified": _split_notification},
    social_services=True,
)
"""Routine VAL as a table of steps, with the routine's own numbers (VAL-1…VAL-20).

Open-ended: a home-care case has no closing step, and a re-choice can always come."""
