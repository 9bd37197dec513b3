"""How fast ``crisis_model.testing`` draws events, against hypothesis' own floor.

``python -m benchmarks.generation [--sizes 50 200] [--examples 20] [--rounds 5] [--seed 2024]``

Each case runs one hypothesis test (``@given``, generate phase only, no
database, no deadline, derandomized so that every round draws the same
examples) of ``--examples`` examples, and counts the events its examples drew:

- ``generation.floor``: ``st.lists(st.sampled_from(ready), min_size=S, max_size=S)``,
  where ``ready`` is a ready-made admissible log (``benchmarks.generator``):
  hypothesis drawing S finished events, the floor;
- ``generation.floor_lists``: ``st.lists(st.sampled_from(ready), max_size=S)``, the
  floor as the issue first measured it (lists of every size up to S, most of them
  short, so hypothesis' cost per example weighs more per event): context;
- ``generation.floor_steps``: S draws of ``st.sampled_from(ready)`` from ``st.data()``,
  one per step: the floor for the way ``next_events`` is used (context);
- ``generation.event_logs``: ``crisis_model.testing.event_logs(min_size=S, max_size=S)``;
- ``generation.next_events``: S draws of ``next_events(state)`` from
  ``st.data()``, each applied to the state before the next (the pattern of a
  user's state-machine or step-by-step test; the replay of each event is
  inside the timing);
- ``generation.event_runs``: the same S steps drawn from ``st.data()`` as runs of
  :data:`RUN` events, ``event_logs(initial=state, min_size=RUN, max_size=RUN)``,
  each run replayed from the state before it (``cm.replay(run, initial=state)``):
  one hypothesis draw per run, not per event, so the floor to judge it by is
  ``floor``, not ``floor_steps``.

Every size is measured in interleaved rounds (floor, ``event_logs``,
``next_events``, then the next round), so a change of load on a shared machine
hits every case alike; the report gives medians of the rounds and each case's
ratio to the floor of the same size.  Target (issue #14): both >= 0.5x.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["generation_cases", "main"]

Record = dict[str, Any]

#: Events per run in ``generation.event_runs``.
RUN = 8


def _settings(examples: int) -> Any:
    from hypothesis import HealthCheck, Phase, settings

    return settings(max_examples=examples, database=None, deadline=None, derandomize=True,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck),
                    print_blob=False)


def _tests(size: int, examples: int, ready: Sequence[Any]) -> dict[str, tuple[Callable[[], None],
                                                                              list[int]]]:
    """The hypothesis tests of one size, each with its counter of events drawn."""
    from hypothesis import given
    from hypothesis import strategies as st

    import crisis_model as cm
    from crisis_model.testing import event_logs, next_events

    conf = _settings(examples)
    counts: dict[str, list[int]] = {"floor": [0], "floor_lists": [0], "floor_steps": [0],
                                    "event_logs": [0], "next_events": [0], "event_runs": [0]}

    @conf
    @given(st.lists(st.sampled_from(list(ready)), min_size=size, max_size=size))
    def floor(log: list[Any]) -> None:
        counts["floor"][0] += len(log)

    @conf
    @given(st.lists(st.sampled_from(list(ready)), max_size=size))
    def floor_lists(log: list[Any]) -> None:
        counts["floor_lists"][0] += len(log)

    events = st.sampled_from(list(ready))

    @conf
    @given(st.data())
    def floor_steps(data: Any) -> None:
        state = cm.initial_state()
        for _ in range(size):
            data.draw(events)
        counts["floor_steps"][0] += size
        del state

    @conf
    @given(event_logs(min_size=size, max_size=size))
    def logs(log: list[Any]) -> None:
        counts["event_logs"][0] += len(log)

    @conf
    @given(st.data())
    def steps(data: Any) -> None:
        state = cm.initial_state()
        for _ in range(size):
            state = cm.evolve(state, data.draw(next_events(state)))
        counts["next_events"][0] += size

    @conf
    @given(st.data())
    def runs(data: Any) -> None:
        state = cm.initial_state()
        done = 0
        while done < size:
            k = min(RUN, size - done)
            state = cm.replay(data.draw(event_logs(initial=state, min_size=k, max_size=k)),
                              initial=state)
            done += k
        counts["event_runs"][0] += size

    return {"floor": (floor, counts["floor"]),
            "floor_lists": (floor_lists, counts["floor_lists"]),
            "floor_steps": (floor_steps, counts["floor_steps"]),
            "event_logs": (logs, counts["event_logs"]),
            "next_events": (steps, counts["next_events"]),
            "event_runs": (runs, counts["event_runs"])}


def generation_cases(sizes: Sequence[int], examples: int, rounds: int,
                     say: Callable[[str], None] = print, seed: int = 2024,
                     clock: Callable[[], float] = time.perf_counter) -> list[Record]:
    """Records ``generation.floor``, ``generation.floor_lists``, ``generation.event_logs``,
    ``generation.next_events`` per size (``n`` is the size of one example), timed by
    ``clock`` in ``rounds`` interleaved rounds."""
    import gc
    import os
    import statistics

    from .generator import generate

    ready = generate(2_000, 100, seed=seed)
    out: list[Record] = []
    for size in sizes:
        tests = _tests(size, examples, ready)
        times: dict[str, list[float]] = {name: [] for name in tests}
        events: dict[str, int] = {}
        for _ in range(rounds):
            for name, (fn, counter) in tests.items():
                counter[0] = 0
                gc.collect()
                t0 = clock()
                fn()
                times[name].append(clock() - t0)
                events[name] = counter[0]
        floor_eps = events["floor"] / statistics.median(times["floor"])
        for name in tests:
            median = statistics.median(times[name])
            eps = events[name] / median
            rec: Record = {
                "name": f"generation.{name}", "n": size, "actors": None,
                "events": events[name], "repeats": rounds, "times": times[name],
                "median_s": median, "events_per_s": eps,
                "ns_per_event": median / events[name] * 1e9,
                "load_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
                "examples": examples, "over_floor": eps / floor_eps,
            }
            out.append(rec)
            say(f"  generation.{name:<12} size {size:>4}: {eps:>10,.0f} events/s "
                f"({events[name]:,} events, median of {rounds}), {eps / floor_eps:.3f}x the floor")
    return out


def _child(sizes: Sequence[int], examples: int, seed: int,
           only: Sequence[str] = ()) -> None:
    """Inside callgrind: each test once to warm up, then once between the markers."""
    from .callgrind import counted
    from .generator import generate

    ready = generate(2_000, 100, seed=seed)
    for size in sizes:
        tests = _tests(size, examples, ready)
        for name, (fn, counter) in tests.items():
            if only and name not in only:
                continue
            fn()
            counter[0] = 0
            counted(fn)
            print(json.dumps({"size": size, "case": name, "events": counter[0]}), flush=True)


def instructions(sizes: Sequence[int], examples: int, seed: int = 2024,
                 only: Sequence[str] = ()) -> list[Record] | None:
    """Machine instructions per event of each case, counted by valgrind's callgrind (see
    :mod:`benchmarks.callgrind`); ``None`` without valgrind."""
    from .callgrind import run_child

    run = run_child("benchmarks.generation",
                    ["--examples", str(examples), "--seed", str(seed), "--sizes",
                     *map(str, sizes), *(a for name in only for a in ("--case", name))])
    if run is None:
        return None
    counts, printed = run
    cases = [json.loads(line) for line in printed.splitlines() if line.startswith("{")]
    out_records: list[Record] = []
    floors = {}
    for case, count in zip(cases, counts, strict=False):
        per = count / case["events"]
        if case["case"] == "floor":
            floors[case["size"]] = per
        out_records.append({"name": f"generation.{case['case']}", "n": case["size"],
                            "actors": None, "events": case["events"], "instructions": count,
                            "instructions_per_event": per, "examples": examples,
                            "over_floor": floors[case["size"]] / per})
    return out_records


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.generation",
                                description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--sizes", type=int, nargs="+", default=[50, 200],
                   help="events per example (default 50 200)")
    p.add_argument("--examples", type=int, default=20, help="examples per test (default 20)")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="time by the wall clock (default) or by this process's CPU time")
    p.add_argument("--json", action="store_true", help="print the records as JSON")
    p.add_argument("--callgrind", action="store_true",
                   help="count machine instructions per event under valgrind instead of timing")
    p.add_argument("--case", action="append", default=[], metavar="NAME",
                   help="with --callgrind: count only this case (repeatable; floor is always "
                        "counted)")
    p.add_argument("--seed", type=int, default=2024,
                   help="seed of the ready-made log the floors sample (default 2024)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    only = ["floor", *args.case] if args.case else []
    if args.child:
        _child(args.sizes, args.examples, args.seed, args.case)
        return 0
    if args.callgrind:
        counted = instructions(args.sizes, args.examples, args.seed, only=only)
        if counted is None:
            print("valgrind is not installed: nothing counted")
            return 0
        for r in counted:
            print(f"  {r['name']:<22} size {r['n']:>4}: {r['instructions_per_event']:>12,.0f} "
                  f"instructions/event ({r['events']:,} events), floor/case "
                  f"{r['over_floor']:.3f}x")
        if args.json:
            print(json.dumps(counted, indent=1))
        return 0
    records = generation_cases(args.sizes, args.examples, args.rounds, seed=args.seed, clock=(
        time.process_time if args.clock == "cpu" else time.perf_counter))
    if args.json:
        print(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
