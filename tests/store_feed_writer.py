"""Helper process for test_store_processes: one of several writers feeding a shared store.

Usage: python store_feed_writer.py LOCATION WRITER COUNT GO_FILE

Opens the store at LOCATION (a path or a postgresql:// URI), prints ``ready``,
waits for GO_FILE to exist, then appends COUNT batches: even ones to the stream
``shared`` that every writer appends to (with optimistic concurrency: on a
conflict it retries at the version the error reports), odd ones to its own
stream ``own-WRITER``.  Every tenth shared batch also introduces an actor every
writer tries to introduce (``contested-K``); when another writer got there
first the rules reject the batch and the writer retries without it.  At the end
it prints one JSON object: each batch it appended (stream, version reached,
actor names), every conflict and every rejection.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import crisis_model as cm
from crisis_model.events import ActorIntroduced
from crisis_model.store import BatchRejected, ConcurrencyError, open_store

DAY = dt.date(2024, 7, 29)


def actor(name: str, writer: str) -> ActorIntroduced:
    """Introduce a group named ``name``, as reported by ``writer`` (so two writers' events
    for one ``contested-K`` differ: the rules, not idempotent appends, decide between them)."""
    return ActorIntroduced(occurred_on=DAY, actor=name, name=name, kind=cm.ActorKind.GROUP,
                           note=f"reported by {writer}")


def main(location: str, writer: str, count: int, go: str) -> None:
    """Append ``count`` batches; print what happened as JSON."""
    store = open_store(location)
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.001)
    appended, conflicts, rejected = [], [], []
    own = f"own-{writer}"
    versions = {"shared": store.version("shared"), own: store.version(own)}
    for k in range(count):
        stream = "shared" if k % 2 == 0 else own
        names = [f"{writer}-{k}-{j}" for j in range(1 + k % 3)]
        if stream == "shared" and k % 20 == 0:
            names.append(f"contested-{k}")
        while True:
            try:
                versions[stream] = store.append(stream, [actor(n, writer) for n in names],
                                                expected_version=versions[stream])
            except ConcurrencyError as exc:
                conflicts.append([exc.expected, exc.actual])
                versions[stream] = exc.actual
                continue
            except BatchRejected as exc:
                rejected.append([exc.version, exc.rule, names[exc.index]])
                names = [n for n in names if not n.startswith("contested-")]
                versions[stream] = store.version(stream)
                continue
            appended.append([stream, versions[stream], names])
            break
    store.close()
    print(json.dumps({"appended": appended, "conflicts": conflicts, "rejected": rejected}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
