"""Helper process for test_store_processes: one of several writers appending to one stream.

Usage: python store_writer.py PATH STREAM WRITER COUNT GO_FILE

Opens the store at PATH, prints ``ready``, waits for GO_FILE to exist, then
appends COUNT batches to STREAM with optimistic concurrency: on a conflict it
retries at the version the error reports.  Every tenth batch also introduces
an actor every writer tries to introduce (``shared-K``); when another writer
got there first, the rules reject the batch and the writer retries without it.
At the end it prints one JSON object: what it appended at which versions,
every conflict and every rejection.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

import crisis_model as cm
from crisis_model.events import ActorIntroduced
from crisis_model.store import BatchRejected, ConcurrencyError, open_store

DAY = dt.date(2024, 7, 29)


def actor(name: str, writer: str) -> ActorIntroduced:
    """Introduce a group named ``name``, as ``writer`` reports it (two writers' reports of
    ``shared-K`` differ, so the rules, not idempotent appends, decide between them)."""
    return ActorIntroduced(occurred_on=DAY, actor=name, name=name, kind=cm.ActorKind.GROUP,
                           note=f"reported by {writer}")


def main(path: str, stream: str, writer: str, count: int, go: str) -> None:
    """Append ``count`` batches to ``stream``; print what happened as JSON."""
    store = open_store(path)
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.001)
    rng = random.Random(writer)
    appended, conflicts, rejected = [], [], []
    expected = store.version(stream)
    for k in range(count):
        names = [f"{writer}-{k}-{j}" for j in range(1 + k % 3)]
        if k % 10 == 0:
            names.append(f"shared-{k}")
        while True:
            try:
                expected = store.append(stream, [actor(n, writer) for n in names],
                                        expected_version=expected)
            except ConcurrencyError as exc:
                conflicts.append([exc.expected, exc.actual])
                expected = exc.actual
                continue
            except BatchRejected as exc:
                rejected.append([exc.version, exc.rule, names[exc.index]])
                names = [n for n in names if not n.startswith("shared-")]
                expected = store.version(stream)
                continue
            appended.append([expected, names])
            break
        time.sleep(rng.random() / 1000)  # let the other writer in between our appends
    store.close()
    print(json.dumps({"appended": appended, "conflicts": conflicts, "rejected": rejected}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
