"""Helper process for test_store_processes: appends batches until it is killed.

Usage: python store_crasher.py PATH STREAM RUN ACK_FILE [short-writes]

Appends batches to STREAM: mostly small ones, and one in three of 30 events
with long names, a write of about 600 kB (long enough that a kill often lands
in the middle of the write).  Each event's
note says ``RUN-K:I/N``: event I of the N in batch K of this run.  After each
append returns it records ``VERSION RUN-K`` in ACK_FILE, so the test knows
which batches the store acknowledged before the process was killed.

A kill rarely lands inside the one ``write`` call that puts a batch in a file,
so with ``short-writes`` every ``os.write`` in this process writes at most
8 KiB and pauses half a millisecond before returning the short count, as
POSIX allows a write to do.  The store must then loop until the batch is
written, and a kill mostly lands with a batch half written.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time

import crisis_model as cm
from crisis_model.events import ActorIntroduced
from crisis_model.store import open_store

DAY = dt.date(2024, 7, 29)


_write = os.write


def short_write(fd: int, data: bytes) -> int:
    """Write at most 8 KiB of ``data``, slowly; return how much was written."""
    written = _write(fd, data[:8192])
    time.sleep(0.0005)
    return written


def main(path: str, stream: str, run: str, ack_path: str) -> None:
    """Append numbered batches forever, acknowledging each in ``ack_path``."""
    rng = random.Random(run)
    store = open_store(path)
    version = store.version(stream)
    with open(ack_path, "a", encoding="utf-8") as ack:
        for k in range(10**9):
            big = rng.random() < 1 / 3
            size = 30 if big else rng.choice((1, 2, 3, 5))
            filler = "x" * (20_000 if big else rng.choice((0, 10, 400)))
            batch = [
                ActorIntroduced(
                    occurred_on=DAY, actor=f"p{run}-{k}-{i}", name=filler or "n",
                    kind=cm.ActorKind.PERSON, note=f"{run}-{k}:{i}/{size}",
                )
                for i in range(size)
            ]
            version = store.append(stream, batch, expected_version=version)
            ack.write(f"{version} {run}-{k}\n")
            ack.flush()


if __name__ == "__main__":
    if sys.argv[5:] == ["short-writes"]:
        os.write = short_write
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
