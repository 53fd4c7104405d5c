"""The compliance audit: a year of cases of every routine, and what departed from them.

Run with ``python examples/audit.py``. It builds an example log of 150 cases over
every routine (deviations injected at known rates), audits it as of its last line,
and prints what a quality coordinator reads first: the summary per routine, the counts
per requirement, the data quality and the first deviations explained, in Swedish. It
then checks that the audit found exactly what was injected, and writes the report as
one HTML page (``granskning.html``) in the working directory.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from arendefordelning import example_log
from arendefordelning.audit import audit

log, truth = example_log.build(150, seed=7)
as_of = max(event.recorded_at or event.at for event in log)
report = audit(log, as_of=as_of)

print(report.text(limit=5))

found = Counter((d.case, d.requirement, d.kind.name) for d in report.deviations)
print()
print(f"Injicerade avvikelser: {len(truth)}; funna: {len(report.deviations)}; "
      f"exakt samma: {'ja' if found == Counter(truth) else 'nej'}")  # fmt: skip

page = Path("granskning.html")
page.write_text(report.html(), encoding="utf-8")
print(f"Rapporten som webbsida: {page} ({len(report.deviations)} avvikelser i tabellen)")
