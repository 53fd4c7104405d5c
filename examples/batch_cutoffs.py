"""A year of distributions under two cut-offs, with the batch API (VAL-6).

20,000 home-care assignments distributed at random times in 2026 (08:00–17:00
Stockholm time, any day of the week), and their execution deadlines under the
routine's 14:00 cut-off and under a 15:00 one: how many hours each provider gets.

Run with ``python examples/batch_cutoffs.py`` after ``pip install 'arendefordelning[numpy]'``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from arendefordelning import ExecutionDeadlinePolicy
from arendefordelning.batch import execution_deadlines

SE = ZoneInfo("Europe/Stockholm")
N = 20_000
rng = np.random.default_rng(2026)

# Distribution times: a random day of 2026 and a random second between 08:00 and 17:00
# on Stockholm's clock, as UTC instants (numpy's datetime64 holds no zone).
days = rng.integers(0, 365, N)
seconds = rng.integers(8 * 3600, 17 * 3600, N)
local = [
    datetime.combine(date(2026, 1, 1) + timedelta(days=int(d)), time(0), SE)
    + timedelta(seconds=int(s))
    for d, s in zip(days, seconds, strict=True)
]
times = np.array([t.astimezone(UTC).replace(tzinfo=None) for t in local], dtype="datetime64[us]")

policies = {
    "14:00": ExecutionDeadlinePolicy(),
    "15:00": ExecutionDeadlinePolicy(cutoff=time(15, 0)),
}
print(f"Hours from distribution to deadline, {N:,} distributions in 2026 (08:00–17:00)")
print(
    f"{'cut-off':<8} {'≤ 24 h':>8} {'24–48 h':>8} {'48–72 h':>8} {'> 72 h':>8} "
    f"{'mean':>7} {'median':>7}"
)
for name, policy in policies.items():
    due = execution_deadlines(times, policy=policy)
    hours = (due - times) / np.timedelta64(1, "h")
    shares = [
        np.mean(hours <= 24),
        np.mean((hours > 24) & (hours <= 48)),
        np.mean((hours > 48) & (hours <= 72)),
        np.mean(hours > 72),
    ]
    print(
        f"{name:<8} "
        + " ".join(f"{share:8.1%}" for share in shares)
        + f" {hours.mean():6.1f}h {np.median(hours):6.1f}h"
    )
print(
    "≤ 24 h: at or before the cut-off, 24 elapsed hours; the rest came after it and count "
    "from 07:00 on the next working day."
)
