"""The audit's HTML page rendered in a real headless Chromium (X-5).

Given an example log and ``granska --format html``, when the page is opened in Debian's
Chromium (installed by ``.ci/run``) with no network, then the rendered DOM holds the
report's counts (the cards, the summary per routine, the counts per requirement, a
table row per deviation, the chart's bars adding up to the deviations), a markup-laden
case number shows as text and runs nothing, and the screenshot is the page drawn
(its size, and the chart's red bars in it).

Slow: Chromium takes a few seconds to start; ``.ci/run`` runs it with ``-m slow``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Final

import attrs
import numpy as np
import pytest
from matplotlib import image

from arendefordelning import example_log as ex
from arendefordelning.audit import audit
from arendefordelning.cli import main

pytestmark = pytest.mark.slow

CHROMIUM: Final = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags that work in a container without a network (and as root).
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
WIDTH, HEIGHT = 1200, 1600
BAR_RED: Final = (0xCF, 0x22, 0x2E)


def _chromium(page: Path, *arguments: str) -> str:
    """Run Chromium headless on a page (a new profile each time); return its stdout."""
    assert CHROMIUM is not None, "install Debian's chromium (apt-get install -y chromium)"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "LANG": "sv_SE.UTF-8"},
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class _Dom(HTMLParser):
    """What the test reads of the rendered DOM: counts, rows per table, bars, texts."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, int] = {}
        self.rows: Counter[str] = Counter()
        self.routines: dict[str, list[str]] = {}
        self.requirements: Counter[tuple[str, str]] = Counter()
        self.bars: dict[str, int] = {}
        self.tags: Counter[str] = Counter()
        self.title = ""
        self._card: str | None = None
        self._table: str | None = None
        self._row: list[str] | None = None
        self._row_attrs: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags[tag] += 1
        if tag == "div" and found.get("id", "").startswith("card-"):
            self._card = found["id"].removeprefix("card-")
        elif tag == "div" and self._card and "data-count" in found:
            self.cards[self._card] = int(found["data-count"])
        elif tag == "table":
            self._table = found.get("id")
        elif tag == "tr" and self._table:
            self._row, self._row_attrs = [], found
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "rect" and "data-month" in found:
            self.bars[found["data-month"]] = int(found["data-count"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            if self._row:  # not the header
                self.rows[self._table] += 1
                if self._table == "summary":
                    self.routines[self._row[0]] = self._row[1:]
                elif self._table == "requirements":
                    key = (self._row_attrs["data-routine"], self._row_attrs["data-requirement"])
                    self.requirements[key] += int(self._row[-1])
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title and not self.title:
            self.title = data


def _dom(page: Path) -> _Dom:
    parsed = _Dom()
    parsed.feed(_chromium(page, "--dump-dom"))
    return parsed


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """An example log's page written by granska, and the same report as JSON."""
    folder = tmp_path_factory.mktemp("page")
    log, page, report = folder / "logg.jsonl", folder / "rapport.html", folder / "rapport.json"
    assert main(["exempellogg", "--cases", "300", "--seed", "11", "--output", str(log)]) == 0
    assert main(["granska", str(log), "--format", "html", "--output", str(page)]) == 1
    assert main(["granska", str(log), "--format", "json", "--output", str(report)]) == 1
    return page, json.loads(report.read_text(encoding="utf-8"))


def test_x5_the_rendered_page_holds_the_reports_counts(
    rendered: tuple[Path, dict[str, object]],
) -> None:
    """X-5: Chromium's DOM of the page: the cards, the summary, per requirement, rows, bars."""
    page, data = rendered
    dom = _dom(page)
    deviations = data["deviations"]
    assert isinstance(deviations, list)
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert dom.title == "Granskning av rutinernas efterlevnad"
    assert dom.cards["deviations"] == len(deviations) > 0
    assert dom.cards["cases"] == sum(s["cases"] for s in summary.values()) == 300
    assert dom.cards["events"] == sum(s["events"] for s in summary.values())
    for code, counts in summary.items():
        found = sum(1 for d in deviations if d["routine"] == code)
        assert dom.routines[code] == [str(counts["cases"]), str(counts["events"]), str(found)]
    counts = data["counts"]
    assert isinstance(counts, list)
    assert dom.requirements == Counter(
        {(c["routine"], c["requirement"]): c["deviations"] for c in counts}
    )
    assert dom.rows["deviations"] == len(deviations)
    assert sum(dom.bars.values()) == len(deviations)
    assert len(dom.bars) >= 2  # a year of cases: deviations in many months
    explained = "".join(dom.text)
    assert all(d["explanation"] in explained for d in deviations[:50])
    assert dom.tags["script"] == 0
    assert dom.tags["img"] == 0
    assert dom.tags["svg"] == 1


def test_x5_a_case_number_with_markup_is_shown_as_text_and_runs_nothing(tmp_path: Path) -> None:
    """X-5: a case number holding an element with a handler is text in the rendered page."""
    hostile = "<img src=x onerror=\"document.title='hacked'\"><script>document.title='x'</script>"
    log, _ = ex.build(6, seed=2, codes=["OV"])
    first = log[0].case
    events = [attrs.evolve(e, case=hostile) if e.case == first else e for e in log]
    end = max(e.recorded_at or e.at for e in events)
    page = tmp_path / "rapport.html"
    page.write_text(audit(events, as_of=end + timedelta(days=400)).html(), encoding="utf-8")
    dom = _dom(page)
    assert dom.title == "Granskning av rutinernas efterlevnad"
    assert dom.tags["img"] == 0
    assert dom.tags["script"] == 0
    assert hostile in "".join(dom.text)


def test_x5_the_screenshot_is_the_page_drawn(
    rendered: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    """X-5: the PNG has the window's size, a white page, and the chart's red bars in it."""
    page, _ = rendered
    shot = tmp_path / "rapport.png"
    _chromium(page, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}")
    pixels = image.imread(shot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    rgb = np.rint(pixels[..., :3] * 255).astype(int)
    white = np.all(rgb == 255, axis=-1).mean()
    red = np.all(np.abs(rgb - np.array(BAR_RED)) <= 3, axis=-1).sum()
    assert white > 0.5  # the page's background
    assert red > 500  # the bars of the chart (and the deviations' card), drawn
