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

Where ``valgrind`` is missing, :func:`measure` returns ``None`` and the caller
says so and skips the case.
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
from pathlib import Path
from typing import Any

__all__ = ["REGIONS", "measure", "valgrind"]

#: The regions counted, in the order the child runs them.
REGIONS = ("floor", "replay", "snapshots", "tail", "sweep", "jsonl_dicts", "jsonl_decode")
#: Events in each branch of the ``sweep`` region.
BRANCH = 10


def valgrind() -> str | None:
    """The ``valgrind`` executable on ``PATH``, or ``None``."""
    return shutil.which("valgrind")


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
        fn = regions[name]
        os.sched_yield()  # callgrind: zero the counters
        kept = fn()
        os.getppid()  # callgrind: dump the counters
        del kept


def _fork(n: int, actors: int) -> tuple[int, int]:
    """Where the sweep forks (90% into the log, after the introductions) and how many
    branches of ``BRANCH`` events replay as many events as the rest of the log."""
    fork = max(actors, n * 9 // 10)
    return fork, max(1, (n - fork) // BRANCH)


_SUMMARY = re.compile(rb"^(?:summary|totals):\s*(\d+)", re.MULTILINE)


def measure(n: int = 10_000, actors: int = 1_000, seed: int = 2024,
            keep: Path | None = None) -> dict[str, Any] | None:
    """Instructions per event of each region on ``generate(n, actors, seed)``; ``None``
    without valgrind.  Takes about a minute for n = 10,000.  ``keep``: a folder to copy
    callgrind's dumps into (``<region>.callgrind``, for ``callgrind_annotate``)."""
    exe = valgrind()
    if exe is None:
        return None
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        cmd = [exe, "--tool=callgrind", f"--callgrind-out-file={out}",
               "--zero-before=os_sched_yield*", "--dump-before=os_getppid*",
               sys.executable, "-m", "benchmarks.callgrind", "--child",
               "--n", str(n), "--actors", str(actors), "--seed", str(seed)]
        env = dict(os.environ, PYTHONHASHSEED="0")
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, check=False)
        if done.returncode != 0:
            tail = done.stderr.decode(errors='replace')[-2000:]
            raise RuntimeError(f"callgrind run failed: {tail}")
        parts = sorted(Path(tmp).glob("cg.out.*"), key=lambda p: int(p.suffix[1:]))
        counts = []
        for part in parts:
            match = _SUMMARY.search(part.read_bytes())
            counts.append(int(match.group(1)) if match else 0)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for name, part in zip(REGIONS, parts, strict=False):
                shutil.copyfile(part, keep / f"{name}.callgrind")
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


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.callgrind [--n N] [--actors A]``: print the counts as JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--actors", type=int, default=1_000)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--keep", type=Path, default=None,
                   help="copy callgrind's dump of each region into this folder")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(args.n, args.actors, args.seed)
        return
    result = measure(args.n, args.actors, args.seed, args.keep)
    if result is None:
        print("valgrind is not installed: the callgrind case is skipped", file=sys.stderr)
        return
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
