"""The as-of readings on long logs with uncertain dates: are they linear?

``python -m benchmarks.dates [--sizes 10000,100000] [--repeats K] [--quick]``

For each size N, a log from :func:`benchmarks.generator.generate` (N events over
1,000 actors, some known only to the month or year) is made uncertain: every
fifth event of its first 80% and every event of the rest gets a range of dates
(``until`` 30 days past its window; widening a window keeps a log admissible).
It is queried as of the first day of event 0.9 N, so that about a month of events
is uncertain.  Each case is timed (median of K runs, each after ``gc.collect()``)
against strict ``cm.replay(log)`` of the same log in the same run:

- ``state_at``: ``cm.state_at(log, when)`` (the certain reading);
- ``state_at.possible``: ``cm.state_at(log, when, reading="possible")``;
- ``uncertain_events``: ``cm.uncertain_events(log, when)`` (no replay);
- ``included_events``: ``cm.included_events(log, when)`` (one lenient replay);
- ``history.query``: ``cm.History(log).state_at(when)`` once built (both readings).

It prints, per case and N, the median, the ratio to the replay baseline, and the
*growth*: the case's cost per event at N divided by its cost per event at the
smallest N (about 1 when the case is linear; about N / N_min when quadratic).
Nothing here is asserted: the test suite runs ``--quick`` only to check that the
harness works.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs

import crisis_model as cm

from .generator import generate

__all__ = ["main", "measure"]


def _median(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def uncertain_log(n: int, actors: int) -> list[cm.Event]:
    """The generated log of ``n`` events with ranges of dates (see the module's docstring)."""
    log = generate(n, actors, seed=2024)
    tail = int(0.8 * n)
    return [attrs.evolve(e, until=e.window[1] + _MONTH) if i % 5 == 0 or i >= tail else e
            for i, e in enumerate(log)]


_MONTH = dt.timedelta(days=30)


def measure(n: int, repeats: int, actors: int = 1000) -> dict[str, Any]:
    """Every case on one log of ``n`` events: seconds (median), and the counts involved."""
    log = uncertain_log(n, actors)
    when = log[int(0.9 * n)].occurred_on
    history = cm.History(log)
    cases: dict[str, Callable[[], Any]] = {
        "replay (baseline)": lambda: cm.replay(log),
        "state_at": lambda: cm.state_at(log, when),
        "state_at.possible": lambda: cm.state_at(log, when, reading="possible"),
        "uncertain_events": lambda: cm.uncertain_events(log, when),
        "included_events": lambda: cm.included_events(log, when),
        "history.query": lambda: (history.state_at(when),
                                  history.state_at(when, reading="possible")),
    }
    seconds = {name: _median(fn, repeats) for name, fn in cases.items()}
    certain = cm.state_at(log, when).version
    possible = cm.state_at(log, when, reading="possible").version
    return {"n": n, "when": when.isoformat(), "certain": certain, "possible": possible,
            "uncertain": len(cm.uncertain_events(log, when)), "seconds": seconds}


def report(results: Sequence[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    first = results[0]
    lines = ["| case | N | median | vs replay | growth per event |", "|---|---:|---:|---:|---:|"]
    for name in first["seconds"]:
        base = first["seconds"][name] / first["n"]
        for r in results:
            s = r["seconds"][name]
            ratio = s / r["seconds"]["replay (baseline)"]
            growth = (s / r["n"]) / base if base else float("nan")
            lines.append(f"| {name} | {r['n']:,} | {s * 1e3:,.2f} ms | {ratio:.3f} | "
                         f"{growth:.2f} |")
    lines.append("")
    for r in results:
        lines.append(f"N = {r['n']:,}: as of {r['when']}, {r['certain']:,} events certain, "
                     f"{r['possible']:,} possible ({r['uncertain']:,} uncertain)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases and print the table."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.dates", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000,100000",
                   help="comma-separated log sizes (default 10000,100000)")
    p.add_argument("--repeats", type=int, default=5, help="runs per case (median; default 5)")
    p.add_argument("--quick", action="store_true",
                   help="tiny logs, one run each: checks the harness (numbers mean nothing)")
    args = p.parse_args(argv)
    sizes = [200, 400] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeats = 1 if args.quick else args.repeats
    actors = 20 if args.quick else 1000
    print(report([measure(n, repeats, actors) for n in sizes]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
