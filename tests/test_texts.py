"""Texts are declared data: what people read is Swedish or English, never code (X-5).

For every registered routine: the labels its table declares, its Swedish diagrams, and
the Swedish required actions and deviations of drawn histories hold no ``<lambda>``, no
identifier (a step's snake_case name, a class's CamelCase name), no docstring, and no
English word; the English ones hold the English labels. Nothing a routine prints is
read from ``__doc__`` or ``__name__`` (the output under ``python -OO`` is the same:
``tests/test_judging.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arendefordelning import routines, strategies
from arendefordelning.kernel import Routine

ROUTINES = [routine for routine in routines.registered() if isinstance(routine, Routine)]

# Words of English that Swedish never uses as words of its own.
ENGLISH = frozenset(
    (
        "the",
        "and",
        "of",
        "to",
        "with",
        "without",
        "from",
        "which",
        "should",
        "is",
        "are",
        "was",
        "has",
        "been",
        "this",
        "that",
        "step",
        "assignment",
        "provider",
        "deadline",
        "due",
        "within",
        "after",
        "before",
        "hours",
        "days",
        "working",
        "your",
        "must",
        "not",
        "executed",
        "execute",
        "notify",
        "notified",
        "case",
    )
)
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
CAMEL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+\b")


def problems_in_swedish(text: str) -> list[str]:
    """What in a Swedish text is not Swedish prose: code, a lambda, English words."""
    found: list[str] = []
    if "<lambda>" in text or "lambda" in text:
        found.append("a lambda")
    found += [f"identifier {name!r}" for name in SNAKE.findall(text)]
    found += [f"class name {name!r}" for name in CAMEL.findall(text)]
    found += [f"English word {word!r}" for word in WORD.findall(text) if word in ENGLISH]
    return found


def declared_texts(routine: Routine[Any, Any, Any]) -> Iterator[tuple[str, str, str]]:
    """Every label the table declares: (where, Swedish, English)."""
    yield ("title", routine.title, routine.title_en)
    for step in routine.steps:
        yield (f"step {step.name}", *step.label)
        if step.when is not None:
            yield (f"condition of {step.name}", *step.when.label)
        for check in step.checks:
            yield (f"check of {step.name}", *check.label)
        for flag in step.flags:
            yield (f"flag of {step.name}", *flag.label)
    for obligation in routine.obligations:
        if isinstance(obligation.sv, str) and isinstance(obligation.en, str):
            yield (f"obligation {obligation.name}", obligation.sv, obligation.en)
        for words in (obligation.since, obligation.rule):
            if isinstance(words, tuple):
                yield (f"words of {obligation.name}", *words)
        if obligation.when is not None:
            yield (f"condition of {obligation.name}", *obligation.when.label)


@pytest.mark.parametrize("routine", ROUTINES, ids=lambda r: r.code)
def test_x5_every_declared_swedish_text_is_swedish(routine: Routine[Any, Any, Any]) -> None:
    """X-5: labels of steps, conditions, checks, flags, obligations: no code, no English."""
    problems = {
        where: found
        for where, swedish, english in declared_texts(routine)
        if (found := problems_in_swedish(swedish))
    }
    assert problems == {}
    for where, swedish, english in declared_texts(routine):
        assert swedish.strip(), where
        assert english.strip(), where


@pytest.mark.parametrize("routine", ROUTINES, ids=lambda r: r.code)
def test_x5_swedish_diagrams_hold_no_code_and_no_english(routine: Routine[Any, Any, Any]) -> None:
    """X-2, X-5: the Swedish diagrams are Swedish; the English ones are not the Swedish."""
    for format in ("mermaid", "table"):
        text = routine.diagram(format)
        # Node ids are step names by design; look at the labels only.
        labels = re.findall(r'"([^"]*)"', text) if format == "mermaid" else [text]
        for label in labels:
            assert problems_in_swedish(label.replace("<br/>", " ")) == [], label
        assert routine.diagram(format, lang="en") != text


@pytest.mark.slow
@pytest.mark.parametrize("routine", ROUTINES, ids=lambda r: r.code)
def test_x5_actions_and_deviations_of_drawn_histories_read_as_swedish(
    routine: Routine[Any, Any, Any],
) -> None:
    """X-5: every required action and deviation a drawn history gives, in Swedish."""

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies.histories(routine, max_size=25), st.integers(0, 400))
    def check(history: list[Any], days: int) -> None:
        state = routine.replay(history, strict=True)
        texts = [action.explain() for action in routine.required_actions(state)]
        texts += [action.sv for action in routine.required_actions(state)]
        if history:
            moment = history[-1].at + timedelta(days=days)
            for deviation in routine.deviations(state, as_of=moment):
                texts += [deviation.explain(), deviation.sv]
                english = deviation.explain("en")
                assert "<lambda>" not in english
        for text in texts:
            assert problems_in_swedish(_without_names(text, state.case)) == [], text

    check()


def _without_names(text: str, case: str | None = None) -> str:
    """Leave out what a text quotes from the record: case numbers, ids and names given.

    Case numbers, staff ids and provider names drawn by the strategies are caller data,
    not the routine's words (a drawn case number may hold a space: "0 of").
    """
    if case:
        text = text.replace(case, " ")
    return re.sub(r"ärende \S+|aktör-\d+|[\w-]*\d[\w-]*", " ", text)


def test_x5_a_drawn_case_number_with_a_space_is_left_out_of_the_words_checked() -> None:
    """X-5: the check of Swedish leaves out the case number as drawn ("0 of"), not its words."""
    text = "Avvikelse, ofullständigt: håll uppföljningen; ärende 0 of, OV-9."
    assert problems_in_swedish(_without_names(text, "0 of")) == []
    assert problems_in_swedish(_without_names(text)) == ["English word 'of'"]
