"""Run the benchmarks: ``python -m benchmarks [--quick] [--only NAME ...] [--out DIR]``.

Writes ``results.json``, ``results.md`` and ``per_event_cost.png`` into ``--out``
(default ``benchmarks/out``); ``--publish`` also rewrites ``benchmarks/RESULTS.md``
(keeping its hand-written closing notes), ``benchmarks/results.json`` and the plot
beside them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import cases, report
from .generator import generate, mix

__all__ = ["BENCHMARKS", "FULL", "QUICK", "Plan", "main", "run"]

HERE = Path(__file__).resolve().parent

#: Every benchmark ``--only`` accepts.
BENCHMARKS = ("replay", "snapshots", "state_at", "jsonl", "sqlite", "eventsourcing", "startup",
              "profile", "sweep", "callgrind", "paths", "generation", "report")


@dataclass(frozen=True)
class Plan:
    """Which logs to build and how hard to measure them."""

    sizes: tuple[int, ...]
    main_actors: int
    sweep_n: int
    sweep_actors: tuple[int, ...]
    sqlite_per_event: int
    repeats: int
    min_repeats: int
    budget_s: float
    startup_repeats: int
    state_at_queries: int
    sweep_branches: int = 1_000
    sweep_length: int = 10
    callgrind_n: int = 10_000
    callgrind_paths_sizes: tuple[int, ...] = (10_000, 100_000)
    seed: int = 2024
    generation_sizes: tuple[int, ...] = (50, 200)
    generation_examples: int = 20
    #: The HTML report's logs, ``(N, A)``: actors grow with the events, as in a crisis
    #: that draws in more of them, so that a cost of days times actors shows.
    report_configs: tuple[tuple[int, int], ...] = ((2_000, 50), (8_000, 200), (32_000, 800))

    def configs(self) -> list[tuple[int, int]]:
        """``(N, A)`` of every log, N-sweep first, each once."""
        out = [(n, self.main_actors) for n in self.sizes]
        out += [(self.sweep_n, a) for a in self.sweep_actors if a != self.main_actors]
        return list(dict.fromkeys(out))


FULL = Plan(sizes=(10_000, 100_000, 1_000_000), main_actors=1_000, sweep_n=100_000,
            sweep_actors=(10, 100, 1_000, 10_000), sqlite_per_event=10_000, repeats=5,
            min_repeats=3, budget_s=20.0, startup_repeats=15, state_at_queries=200)
QUICK = Plan(sizes=(150, 300), main_actors=15, sweep_n=300, sweep_actors=(10, 15, 60),
             sqlite_per_event=30, repeats=2, min_repeats=1,
             budget_s=0.05, startup_repeats=1, state_at_queries=5, sweep_branches=3,
             sweep_length=10, callgrind_n=300, callgrind_paths_sizes=(150, 300),
             generation_sizes=(5,), generation_examples=2, report_configs=((150, 10), (300, 20)))


def run(plan: Plan, only: Sequence[str], settings: cases.Settings,
        command: str) -> dict[str, Any]:
    """Measure everything ``only`` names on ``plan``; the result document (see README)."""
    wanted = set(only)
    records: list[dict[str, Any]] = []
    result: dict[str, Any] = {"command": command, "machine": report.machine(),
                              "plan": asdict(plan), "records": records}
    started = time.perf_counter()
    big = max(plan.sizes)
    logs: dict[tuple[int, int], list[Any]] = {}
    if "replay" in wanted:
        t0 = time.perf_counter()
        logs = {(n, a): generate(n, a, seed=plan.seed) for n, a in plan.configs()}
        settings.say(f"== replay of every log, interleaved (generated in "
                     f"{time.perf_counter() - t0:.1f} s)")
        records += cases.replay_cases(settings, logs)
    paths_logs: dict[int, list[Any]] = {}
    for n, actors in plan.configs():
        per_log = {"snapshots", "profile"}
        if actors == plan.main_actors:
            per_log |= {"jsonl", "sqlite", "paths"}
            if n == big:
                per_log.add("state_at")
        todo = [b for b in BENCHMARKS if b in per_log & wanted]
        if "profile" in todo and not (n == plan.sweep_n and actors == plan.main_actors):
            todo.remove("profile")
        if not todo:
            continue
        t0 = time.perf_counter()
        log = logs.pop((n, actors), None) or generate(n, actors, seed=plan.seed)
        settings.say(f"== N={n:,} A={actors:,} (ready in {time.perf_counter() - t0:.1f} s): "
                     f"{', '.join(todo)}")
        if n == plan.sweep_n and actors == plan.main_actors:
            result["mix"] = {"n": n, "actors": actors, "counts": mix(log)}
        for bench in todo:
            if bench == "snapshots":
                records += cases.snapshot_cases(settings, log, actors)
            elif bench == "state_at":
                records += cases.state_at_cases(settings, log, actors)
            elif bench == "jsonl":
                records += cases.jsonl_cases(settings, log, actors)
            elif bench == "paths":  # kept for the interleaved paths run below
                paths_logs[n] = log
            elif bench == "sqlite":
                records += cases.sqlite_cases(settings, log, actors, plan.sqlite_per_event)
            elif bench == "profile":
                result["profile"] = {"n": n, "actors": actors,
                                     "text": cases.profile_replay(log)}
                settings.say("  profile of strict replay taken")
        del log
        gc.collect()
    logs.clear()
    if paths_logs:
        settings.say(f"== whole-log paths at N = {', '.join(f'{n:,}' for n in paths_logs)}, "
                     f"A={plan.main_actors:,}, interleaved")
        records += cases.paths_cases(settings, paths_logs, plan.main_actors, plan.seed)
        paths_logs.clear()
        gc.collect()
    if "sweep" in wanted:
        n = plan.sweep_n
        settings.say(f"== what-if sweep: {plan.sweep_branches:,} branches of "
                     f"{plan.sweep_length} events after event {n * 9 // 10:,} of {n:,}")
        records += cases.sweep_cases(settings, n, plan.main_actors, n * 9 // 10,
                                     plan.sweep_branches, plan.sweep_length, plan.seed)
    if "callgrind" in wanted:
        settings.say(f"== instruction counts (callgrind), N={plan.callgrind_n:,}")
        records += cases.callgrind_cases(settings, plan.callgrind_n, plan.main_actors,
                                         plan.seed)
        if "paths" in wanted:
            records += _paths_instructions(plan, settings)
    if "generation" in wanted:
        from .generation import generation_cases

        settings.say("== property-test generation (crisis_model.testing against hypothesis' "
                     "floor), interleaved rounds")
        records += generation_cases(plan.generation_sizes, plan.generation_examples,
                                    settings.repeats, say=lambda line: settings.say(line),
                                    seed=plan.seed, clock=settings.clock)
        if "callgrind" in wanted:
            records += _generation_instructions(plan, settings)
    if "eventsourcing" in wanted:
        for n in plan.sizes:
            settings.say(f"== eventsourcing, N={n:,}")
            records += cases.eventsourcing_cases(settings, n)
    if "startup" in wanted:
        settings.say("== start-up")
        records += cases.startup_cases(settings)
    if "report" in wanted:
        settings.say("== HTML report")
        records += cases.report_cases(settings, plan.report_configs, plan.seed)
    result["machine"]["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    result["elapsed_s"] = time.perf_counter() - started
    result["targets"] = report.targets(records, asdict(plan))
    return result


#: The generation cases counted by callgrind in a full run (``floor`` always is).
GENERATION_COUNTED = ("floor_steps", "event_logs", "next_events", "event_runs")


def _generation_instructions(plan: Plan, settings: cases.Settings) -> list[dict[str, Any]]:
    """``callgrind_generation.<case>``: the generation cases by instruction count (the
    deterministic measure on a shared machine); one skipped record without valgrind."""
    from .generation import instructions

    settings.say("== property-test generation by instruction count (callgrind)")
    counted = instructions(plan.generation_sizes, plan.generation_examples,
                           seed=plan.seed, only=("floor", *GENERATION_COUNTED))
    if counted is None:
        return [cases.skipped("callgrind_generation", plan.generation_sizes[-1], None,
                              "valgrind is not installed (apt-get install valgrind)")]
    for r in counted:
        r["name"] = "callgrind_" + r["name"]
        settings.say(f"  {r['name']:<34} size {r['n']:>4}: {r['instructions_per_event']:>12,.0f}"
                     f" instructions/event, floor/case {r['over_floor']:.3f}x")
    return counted


def _paths_instructions(plan: Plan, settings: cases.Settings) -> list[dict[str, Any]]:
    """``callgrind_paths.<path>``: the whole-log paths by instruction count at each of
    ``plan.callgrind_paths_sizes``; one skipped record without valgrind."""
    from .callgrind import measure_paths, path_line

    sizes = plan.callgrind_paths_sizes
    settings.say(f"== whole-log paths by instruction count (callgrind), N = "
                 f"{', '.join(f'{n:,}' for n in sizes)}")
    counted = measure_paths(sizes, plan.main_actors, plan.seed)
    if counted is None:
        return [cases.skipped("callgrind_paths", sizes[-1], plan.main_actors,
                              "valgrind is not installed (apt-get install valgrind)")]
    for r in counted:
        settings.say(f"  {path_line(r)}")
    return counted


def _publish(result: dict[str, Any], out: Path) -> None:
    """Rewrite benchmarks/RESULTS.md (keeping its closing notes), results.json and the plot."""
    target = HERE / "RESULTS.md"
    notes = ""
    if target.exists():
        text = target.read_text(encoding="utf-8")
        if report.NOTES_MARKER in text:
            notes = text.split(report.NOTES_MARKER, 1)[1]
    body = report.markdown(result, plot_name="per_event_cost.png")
    target.write_text(body + "\n" + report.NOTES_MARKER + (notes or "\n"), encoding="utf-8")
    shutil.copyfile(out / "results.json", HERE / "results.json")
    if (out / "per_event_cost.png").exists():
        shutil.copyfile(out / "per_event_cost.png", HERE / "per_event_cost.png")


def _write(result: dict[str, Any], out: Path, *, publish: bool, draw: bool = True) -> None:
    """results.json, results.md and the plot in ``out``; with ``publish``, RESULTS.md too."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result, indent=1, default=str) + "\n",
                                      encoding="utf-8")
    plotted = draw and report.plot(result, out / "per_event_cost.png")
    (out / "results.md").write_text(
        report.markdown(result, plot_name="per_event_cost.png" if plotted else None),
        encoding="utf-8")
    if publish:
        _publish(result, out)
    print(f"results in {out} ({result['elapsed_s']:.0f} s of measuring)")


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see ``python -m benchmarks --help``)."""
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark crisis_model against its baselines (see benchmarks/README.md).",
    )
    p.add_argument("--quick", action="store_true",
                   help="tiny logs and few repeats: checks the harness, measures nothing")
    p.add_argument("--only", action="append", choices=BENCHMARKS, metavar="NAME",
                   help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}")
    p.add_argument("--out", type=Path, default=HERE / "out",
                   help="directory for results.json, results.md and the plot "
                        "(default: benchmarks/out)")
    p.add_argument("--repeats", type=int, help="most repeats per case (default 5; quick 2)")
    p.add_argument("--mem-budget-gb", type=float, default=4.0,
                   help="most memory retained snapshots may take (default 4 GiB)")
    p.add_argument("--publish", action="store_true",
                   help="also rewrite benchmarks/RESULTS.md, results.json and the plot")
    p.add_argument("--no-plot", action="store_true", help="skip the PNG")
    p.add_argument("--render", type=Path, metavar="RESULTS_JSON",
                   help="measure nothing: rewrite the report (and, with --publish, "
                        "RESULTS.md) from an earlier results.json")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="time cases by the wall clock (default) or by this process's CPU time "
                        "(on a machine shared with other jobs)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only where results went")
    args = p.parse_args(argv)
    out: Path = args.out
    if args.render is not None:
        result = json.loads(args.render.read_text(encoding="utf-8"))
        result["targets"] = report.targets(result["records"], result["plan"])
        _write(result, out, publish=args.publish, draw=not args.no_plot)
        return 0
    plan = QUICK if args.quick else FULL
    settings = cases.Settings(
        repeats=args.repeats or plan.repeats, min_repeats=min(plan.min_repeats,
                                                               args.repeats or plan.repeats),
        budget_s=plan.budget_s, mem_budget_bytes=int(args.mem_budget_gb * 2**30),
        startup_repeats=plan.startup_repeats, state_at_queries=plan.state_at_queries,
        verbose=not args.quiet,
        clock=time.process_time if args.clock == "cpu" else time.perf_counter,
    )
    command = "python -m benchmarks" + (" --quick" if args.quick else "") + "".join(
        f" --only {name}" for name in args.only or ()) + (
        f" --repeats {args.repeats}" if args.repeats else "") + (
        " --clock cpu" if args.clock == "cpu" else "")
    only = args.only or list(BENCHMARKS)
    result = run(plan, only, settings, command)
    _write(result, out, publish=args.publish, draw=not args.no_plot)
    for t in result["targets"]:
        verdict = report.verdict_text(t)
        print(f"  {verdict:>12}  {t['target']}: {t['measured']}")
    return 0
