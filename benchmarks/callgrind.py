"""Machine instructions per event of replay, counted by valgrind's ``callgrind``.

Instruction counts are deterministic and blind to the load of a shared
machine, unlike wall-clock times.  ``python -m benchmarks.callgrind`` runs this
module again under ``valgrind --tool=callgrind``; inside, each measured region
starts with ``os.sched_yield()`` (callgrind zeroes its counters on entering it)
and ends with ``os.getppid()`` (callgrind writes the counters out on entering
it), so only the region is counted, not the interpreter's start-up or the
log's generation.  Regions, in order: the mutable floor
(``benchmarks/floor.py``), strict ``cm.replay``, ``list(cm.snapshots(...))``,
then the what-if pair at the same scale as the sweep target: ``tail`` replays
the last 10% of the log from the state at 90% (``cm.replay(log[f:], initial=s)``),
``sweep`` replays as many events split into branches of 10 from that same state
(``cm.sweep``); then JSON Lines: ``jsonl_dicts`` parses the log's lines into
plain dicts (``orjson.loads``, else ``json.loads``: the floor of target 5) and
``jsonl_decode`` parses them and decodes them into events
(``serialization.from_dicts``).

``python -m benchmarks.callgrind --paths --sizes 10000 100000`` counts, instead,
the whole-log paths (:data:`PATHS`, :func:`measure_paths`) at each size, in one
valgrind process: the deterministic check that no path's cost per event grows
with N.  ``--path NAME`` (repeatable) counts only the paths named: strict replay and
the paths built on it count 10^6 events in about 20 minutes, every path in about two and a
half hours (measured: 19 and about 145 minutes of CPU).

``--cache-sim BYTES`` (with ``--paths``) also simulates the data caches: a first
level of valgrind's choice and a last level of ``BYTES`` (16-way, 64-byte lines),
and gives each path's misses per event beyond that last level (reads and writes
that would go to the next level of the memory hierarchy).  Instruction counts are
blind to where memory lies; these misses are what a wall-clock rise with N that
the counts do not show is made of.  The simulated caches are not this machine's
(valgrind sees one CPU and no prefetcher), but they are deterministic too, so a
path's misses per event at 10^4 and at 10^6 compare.  Twice as slow as a count.

Where ``valgrind`` is missing, :func:`measure` and :func:`measure_paths` return
``None`` and the caller says so and skips the case.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["MIN_CACHE", "PATHS", "REGIONS", "cache_options", "counted", "measure",
           "measure_paths", "path_line", "read_dump", "run_child", "run_child_events",
           "valgrind"]

#: The regions counted, in the order the child runs them.
REGIONS = ("floor", "replay", "snapshots", "tail", "sweep", "jsonl_dicts", "jsonl_decode")
#: Events in each branch of the ``sweep`` region.
BRANCH = 10


def valgrind() -> str | None:
    """The ``valgrind`` executable on ``PATH``, or ``None``."""
    return shutil.which("valgrind")


def counted(fn: Callable[[], Any]) -> None:
    """Call ``fn`` as one region of a child run under callgrind (see the module's
    docstring): counters zeroed before, written out after; its result dropped after."""
    os.sched_yield()  # callgrind: zero the counters
    kept = fn()
    os.getppid()  # callgrind: dump the counters
    del kept


def _child(n: int, actors: int, seed: int) -> None:
    """Run inside callgrind: warm up once on a short log, then each region on the full log."""
    import crisis_model as cm
    from crisis_model.serialization import from_dicts

    from .floor import replay_floor
    from .generator import generate_branches
    from .jsonl_text import orjson as _orjson
    from .jsonl_text import payload_text as _payload_text

    fork, count = _fork(n, actors)
    log, branches = generate_branches(n, actors, fork, count, BRANCH, seed=seed)
    start = cm.replay(log[:fork])
    tail = log[fork:]
    warm = log[: min(len(log), 2 * actors + 50)]
    replay_floor(warm)
    cm.replay(warm)
    list(cm.snapshots(warm))
    list(cm.sweep(start, branches[:3]))
    loads = _orjson.loads if _orjson is not None else json.loads
    lines = [(_payload_text(e) + "\n").encode() for e in log]
    first = {}  # one line of each type: its decoder is generated before the count starts
    for event, line in zip(log, lines, strict=True):
        first.setdefault(type(event), line)
    from_dicts(map(loads, first.values()))
    regions = {
        "floor": lambda: replay_floor(log),
        "replay": lambda: cm.replay(log),
        "snapshots": lambda: list(cm.snapshots(log)),
        "tail": lambda: cm.replay(tail, initial=start),
        "sweep": lambda: list(cm.sweep(start, branches)),
        "jsonl_dicts": lambda: [loads(line) for line in lines],
        "jsonl_decode": lambda: from_dicts(map(loads, lines)),
    }
    for name in REGIONS:
        counted(regions[name])


def _fork(n: int, actors: int) -> tuple[int, int]:
    """Where the sweep forks (90% into the log, after the introductions) and how many
    branches of ``BRANCH`` events replay as many events as the rest of the log."""
    fork = max(actors, n * 9 // 10)
    return fork, max(1, (n - fork) // BRANCH)


_EVENTS = re.compile(rb"^events:([^\n]*)$", re.MULTILINE)
_SUMMARY = re.compile(rb"^(?:summary|totals):([^\n]*)$", re.MULTILINE)


def read_dump(text: bytes) -> dict[str, int]:
    """The totals of one callgrind dump, by event name (``Ir``; with the cache simulator
    also ``Dr``, ``Dw``, ``D1mr``, ``DLmr``...); events the dump leaves out count 0."""
    names, totals = _EVENTS.search(text), _SUMMARY.search(text)
    if names is None or totals is None:
        return {"Ir": 0}
    counts = [int(v) for v in totals.group(1).split()]
    return {name.decode(): counts[i] if i < len(counts) else 0
            for i, name in enumerate(names.group(1).split())}


#: The smallest last-level cache ``--cache-sim`` takes (valgrind's first level is 32 KiB).
MIN_CACHE = 1 << 16


def cache_options(cache_bytes: int | None) -> list[str]:
    """Valgrind's options to simulate a last-level cache of ``cache_bytes`` (16-way,
    64-byte lines; a power of two of at least :data:`MIN_CACHE`), none for ``None``."""
    if cache_bytes is None:
        return []
    if cache_bytes < MIN_CACHE or cache_bytes & (cache_bytes - 1):
        raise ValueError(f"the simulated cache must be a power of two of at least "
                         f"{MIN_CACHE:,} bytes; got {cache_bytes:,}")
    return ["--cache-sim=yes", f"--LL={cache_bytes},16,64"]


def run_child(module: str, args: Sequence[str], *, keep: Path | None = None,
              names: Sequence[str] = ()) -> tuple[list[int], str] | None:
    """Run ``python -m <module> --child <args>`` under callgrind: the instructions of each
    region it marks (``os.sched_yield()`` ... ``os.getppid()``), in order, and what it
    printed; ``None`` without valgrind.  ``keep``: a folder to copy the dumps into, named
    ``<names[i]>.callgrind`` (for ``callgrind_annotate``)."""
    run = run_child_events(module, args, keep=keep, names=names)
    return None if run is None else ([d["Ir"] for d in run[0]], run[1])


def run_child_events(module: str, args: Sequence[str], *, keep: Path | None = None,
                     names: Sequence[str] = (), cache_bytes: int | None = None,
                     ) -> tuple[list[dict[str, int]], str] | None:
    """:func:`run_child`, with every event of each region's dump (:func:`read_dump`);
    ``cache_bytes``: simulate the caches too (:func:`cache_options`)."""
    exe = valgrind()
    if exe is None:
        return None
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        cmd = [exe, "--tool=callgrind", f"--callgrind-out-file={out}",
               "--zero-before=os_sched_yield*", "--dump-before=os_getppid*",
               *cache_options(cache_bytes),
               sys.executable, "-m", module, "--child", *args]
        env = dict(os.environ, PYTHONHASHSEED="0")
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, check=False)
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace")[-2000:]
            raise RuntimeError(f"callgrind run failed: {tail}")
        parts = sorted(Path(tmp).glob("cg.out.*"), key=lambda p: int(p.suffix[1:]))
        dumps = [read_dump(part.read_bytes()) for part in parts]
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for name, part in zip(names, parts, strict=False):
                shutil.copyfile(part, keep / f"{name}.callgrind")
    return dumps, done.stdout.decode()


def measure(n: int = 10_000, actors: int = 1_000, seed: int = 2024,
            keep: Path | None = None) -> dict[str, Any] | None:
    """Instructions per event of each region on ``generate(n, actors, seed)``; ``None``
    without valgrind.  Takes about a minute for n = 10,000.  ``keep``: a folder to copy
    callgrind's dumps into (``<region>.callgrind``, for ``callgrind_annotate``)."""
    run = run_child("benchmarks.callgrind", ["--n", str(n), "--actors", str(actors),
                                             "--seed", str(seed)], keep=keep, names=REGIONS)
    if run is None:
        return None
    counts = run[0]
    if len(counts) < len(REGIONS):
        raise RuntimeError(f"callgrind wrote {len(counts)} dumps, expected {len(REGIONS)}")
    fork, count = _fork(n, actors)
    events = {"floor": n, "replay": n, "snapshots": n, "tail": n - fork,
              "sweep": count * BRANCH, "jsonl_dicts": n, "jsonl_decode": n}
    per_event = {name: counts[i] / events[name] for i, name in enumerate(REGIONS)}
    return {
        "n": n, "actors": actors, "seed": seed, "fork": fork, "branches": count,
        "instructions": dict(zip(REGIONS, counts[: len(REGIONS)], strict=True)),
        "events": events,
        "per_event": per_event,
        "replay_over_floor": per_event["replay"] / per_event["floor"],
        "snapshots_over_floor": per_event["snapshots"] / per_event["floor"],
        "sweep_over_tail": counts[REGIONS.index("sweep")] / counts[REGIONS.index("tail")],
        "jsonl_dicts_over_decode": per_event["jsonl_dicts"] / per_event["jsonl_decode"],
    }


#: The whole-log paths counted by :func:`measure_paths` (those of
#: :func:`benchmarks.cases.whole_log_paths` whose work grows with the log; ``diff``
#: compares two states, whatever the log), then strict replay of a log among only
#: :data:`benchmarks.cases.FEW_ACTORS` actors, whose histories grow with N.
PATHS = ("timeline", "uncertain_events", "included_events", "state_at", "validate",
         "validate_unknown_sources", "store_read_sqlite", "store_read_jsonl",
         "store_list_jsonl", "replay", "replay_few_actors")


def _paths_child(sizes: Sequence[int], actors: int, seed: int,
                 paths: Sequence[str] = PATHS) -> None:
    """Inside callgrind: each of ``paths`` once on a short log to warm up, then, for each
    size, each of them (in :data:`PATHS` order) between the markers, a line of JSON after
    each."""
    import crisis_model as cm

    from .cases import FEW_ACTORS, whole_log_paths
    from .generator import generate

    few_too = "replay_few_actors" in paths
    warm = generate(2 * actors + 50, actors, seed=seed)
    with whole_log_paths(warm, paths) as fns:
        for fn in fns.values():
            fn()
    if few_too:
        cm.replay(generate(2 * FEW_ACTORS + 50, FEW_ACTORS, seed=seed))
    for n in sizes:
        log = generate(n, actors, seed=seed)
        few = generate(n, FEW_ACTORS, seed=seed) if few_too else []
        with whole_log_paths(log, paths) as fns:
            regions = {**fns, "replay_few_actors": lambda few=few: cm.replay(few)}
            for name in PATHS:
                if name in paths:
                    counted(regions[name])
                    print(json.dumps({"n": n, "path": name}), flush=True)
        del log, few


def measure_paths(sizes: Sequence[int] = (10_000, 100_000), actors: int = 1_000,
                  seed: int = 2024, paths: Sequence[str] = PATHS,
                  cache_bytes: int | None = None) -> list[dict[str, Any]] | None:
    """Instructions per event of each of ``paths`` (a selection of :data:`PATHS`, counted
    in its order) on ``generate(n, actors, seed)`` for each ``n`` of ``sizes``
    (``replay_few_actors`` on ``generate(n, FEW_ACTORS, seed)``), one record each;
    ``None`` without valgrind.  All in one valgrind process: about 20 minutes for every
    path at 10^4 and 10^5 (about 7 ms of valgrind time per event for all of them; strict
    replay alone about 0.15 ms, generating the log about 0.6 ms).  With ``cache_bytes``
    the caches are simulated too (:func:`cache_options`), and each record also has
    ``cache_misses`` and ``cache_misses_per_event``: reads and writes that miss the
    simulated last level of ``cache_bytes`` (twice as slow)."""
    unknown = [p for p in paths if p not in PATHS]
    if unknown or not paths:
        raise ValueError(f"paths must be some of {', '.join(PATHS)}; got {paths!r}")
    cache_options(cache_bytes)  # refused before anything runs
    chosen = [p for p in PATHS if p in paths]
    run = run_child_events("benchmarks.callgrind",
                           ["--paths", "--actors", str(actors), "--seed", str(seed),
                            "--sizes", *map(str, sizes),
                            *(a for p in chosen for a in ("--path", p))],
                           cache_bytes=cache_bytes)
    if run is None:
        return None
    dumps, printed = run
    from .cases import FEW_ACTORS

    done = [json.loads(line) for line in printed.splitlines() if line.startswith("{")]
    if len(dumps) != len(done) or len(done) != len(sizes) * len(chosen):
        raise RuntimeError(f"callgrind wrote {len(dumps)} dumps for {len(done)} regions, "
                           f"expected {len(sizes) * len(chosen)}")
    out = []
    for d, dump in zip(done, dumps, strict=True):
        n = d["n"]
        record = {"name": f"callgrind_paths.{d['path']}", "n": n,
                  "actors": FEW_ACTORS if d["path"] == "replay_few_actors" else actors,
                  "events": n, "instructions": dump["Ir"],
                  "instructions_per_event": dump["Ir"] / n}
        if cache_bytes is not None:
            misses = dump.get("DLmr", 0) + dump.get("DLmw", 0)
            record |= {"cache_bytes": cache_bytes, "cache_misses": misses,
                       "cache_misses_per_event": misses / n}
        out.append(record)
    return out


def path_line(record: dict[str, Any]) -> str:
    """One counted path as a line of text: its name, N and instructions per event (and
    its misses per event beyond a simulated cache, where it has them)."""
    line = (f"{record['name']:<44} N={record['n']:>9,}: "
            f"{record['instructions_per_event']:>12,.0f} instructions/event")
    if "cache_misses_per_event" in record:
        line += (f", {record['cache_misses_per_event']:>7,.2f} misses/event beyond "
                 f"{record['cache_bytes'] // 1024:,} KiB")
    return line


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.callgrind [--n N] [--actors A]``: print the counts as JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--actors", type=int, default=1_000)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--keep", type=Path, default=None,
                   help="copy callgrind's dump of each region into this folder")
    p.add_argument("--paths", action="store_true",
                   help="count the whole-log paths (PATHS) at each of --sizes instead")
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000],
                   help="with --paths: the log lengths (default 10000 100000)")
    p.add_argument("--path", action="append", choices=PATHS, default=[], metavar="NAME",
                   help="with --paths: count only this path (repeatable; default: all of "
                        f"{', '.join(PATHS)})")
    p.add_argument("--cache-sim", type=int, default=None, metavar="BYTES",
                   help="with --paths: simulate the caches too, with a last level of BYTES "
                        "(a power of two, e.g. 1048576 for a 1 MiB second level), and give "
                        "each path's misses per event beyond it")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.cache_sim is not None:
        if not args.paths:
            p.error("--cache-sim needs --paths")
        try:
            cache_options(args.cache_sim)
        except ValueError as exc:
            p.error(str(exc))
    chosen = args.path or PATHS
    if args.child:
        if args.paths:
            _paths_child(args.sizes, args.actors, args.seed, chosen)
        else:
            _child(args.n, args.actors, args.seed)
        return
    if args.paths:
        paths = measure_paths(args.sizes, args.actors, args.seed, chosen, args.cache_sim)
        if paths is None:
            print("valgrind is not installed: nothing counted", file=sys.stderr)
            return
        for r in paths:
            print(path_line(r))
        return
    result = measure(args.n, args.actors, args.seed, args.keep)
    if result is None:
        print("valgrind is not installed: the callgrind case is skipped", file=sys.stderr)
        return
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
