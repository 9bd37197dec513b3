"""Helper process for test_store_processes: follows a store's global feed while others write.

Usage: python store_follower.py LOCATION MODE DONE_FILE

MODE ``read_all`` polls ``read_all(after=last position seen, limit=100)``;
MODE ``subscribe`` iterates ``subscribe(after=last position seen)``, which it
leaves and resumes whenever it has been quiet for a moment.  Either way it
prints ``ready``, follows the feed until DONE_FILE exists and it has read up to
the store's head, then prints one JSON list: ``[position, stream, version,
actor]`` of every feed item it saw, in the order it saw them.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from crisis_model.store import open_store


def main(location: str, mode: str, done: str) -> None:
    """Follow the feed; print what was seen."""
    store = open_store(location)
    print("ready", flush=True)
    seen: list[list[Any]] = []
    position = 0
    while True:
        finished = Path(done).exists()  # looked at before reading: the writers had stopped
        if mode == "subscribe":
            items = list(store.subscribe(position, timeout=0.3, poll_interval=0.05))
        else:
            items = store.read_all(position, limit=100)
        for item in items:
            seen.append([item.position, item.stream, item.version,
                         getattr(item.event, "actor", None)])
            position = item.position
        if finished and not items and position == store.head():
            break
        if not items and mode == "read_all":
            time.sleep(0.002)
    store.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
