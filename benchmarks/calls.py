"""Python function calls per event of the whole-log paths: ``python -m benchmarks.calls N ...``.

cProfile's count of calls is deterministic and blind to the load of a shared
machine, so it shows a superlinear path (more calls per event as N grows)
where wall-clock and even CPU-time ratios drift with other jobs.  Paths, on
``generate(N, 1000, seed=2024)``: those of :func:`benchmarks.cases.whole_log_paths`
(``diff`` compares the states at half and at the end: its cost follows the states,
not N).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["calls", "main"]


def calls(fn: Callable[[], Any]) -> int:
    """How many Python function calls ``fn()`` makes (after one call to warm up)."""
    fn()
    profile = cProfile.Profile()
    profile.enable()
    fn()
    profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    """Print calls per event of each path for each N given (default 10,000 and 100,000)."""
    from .cases import whole_log_paths
    from .generator import generate

    sizes = [int(a) for a in (sys.argv[1:] if argv is None else argv)] or [10_000, 100_000]
    for n in sizes:
        with whole_log_paths(generate(n, 1000, seed=2024)) as paths:
            for name, fn in paths.items():
                c = calls(fn)
                print(f"{name:18} N={n:>9,}: {c:>12,} calls, {c / n:8.2f} per event",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
