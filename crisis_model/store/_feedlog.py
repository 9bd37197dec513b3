"""The JSON Lines store's global feed: ``store.feed``, one line per committed batch.

Each line says which batch of which stream took which feed positions::

    {"position": 12, "stream": "ve", "version": 7, "count": 3}

(the batch's events are versions 5..7 of ``ve``, at positions 10..12).  Lines are
appended by the writer that holds the store's exclusive lock, *after* the
batch's own lines are fsynced to the stream file, so the order of the lines is
the order of the commits, and every line names events that exist whole.

A writer killed between the two writes leaves a whole batch the feed does not
name yet, and perhaps part of a feed line.  The next writer (any ``append``, or
opening the store) finds it by comparing each stream's version with the last
version the feed names for it, and feeds it then (after cutting off a partial
feed line: the feed is an index of the streams' files, so nothing is lost).
Readers never saw those events before, so positions still only grow, and each
event is fed once.  A store written before the feed existed is fed the same
way when a writer first opens it: stream by stream, in name order.
"""

from __future__ import annotations

import bisect
import json
import os
from pathlib import Path

from ._base import StoreError

__all__ = ["FeedLog"]


class FeedLog:
    """What this process knows of ``store.feed``, read incrementally."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reset()

    def _reset(self) -> None:
        self._ino = -1
        self._end = 0
        self._partial = False
        #: Per line: the position of the batch's last event.
        self._last: list[int] = []
        #: Per line: (stream, version of the batch's last event, count).
        self._batches: list[tuple[str, int, int]] = []
        #: The last version the feed names for each stream.
        self.fed: dict[str, int] = {}

    @property
    def head(self) -> int:
        """The position of the last event fed (0 if none)."""
        return self._last[-1] if self._last else 0

    def refresh(self) -> None:
        """Read the lines appended since the last call (under the store's lock)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._reset()
            return
        if st.st_ino != self._ino or st.st_size < self._end:
            self._reset()
            self._ino = st.st_ino
        if st.st_size == self._end:
            self._partial = False
            return
        with open(self.path, "rb") as f:
            f.seek(self._end)
            data = f.read()
        pos = 0
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break
            self._take(data[pos:nl], self._end + pos)
            pos = nl + 1
        self._end += pos
        self._partial = pos < len(data)

    def _take(self, line: bytes, offset: int) -> None:
        try:
            rec = json.loads(line)
            position, stream, version, count = (
                rec["position"], rec["stream"], rec["version"], rec["count"])
        except (ValueError, TypeError, KeyError):
            raise StoreError(f"{str(self.path)!r} is damaged at byte {offset}: "
                             "not a feed record") from None
        valid = (
            isinstance(stream, str)
            and all(isinstance(x, int) and not isinstance(x, bool)
                    for x in (position, version, count))
            and count > 0
            and position == self.head + count
            and version == self.fed.get(stream, version - count) + count
        )
        if not valid:
            raise StoreError(f"{str(self.path)!r} is damaged at byte {offset}: the record "
                             f"{line[:200]!r} does not follow the ones before it")
        self._last.append(position)
        self._batches.append((stream, version, count))
        self.fed[stream] = version

    def rows(self, after: int, limit: int | None) -> list[tuple[int, str, int]]:
        """``(position, stream, version)`` of the fed events after ``after``, at most
        ``limit``, in order."""
        out: list[tuple[int, str, int]] = []
        i = bisect.bisect_right(self._last, after)
        while i < len(self._last) and (limit is None or len(out) < limit):
            stream, version, count = self._batches[i]
            last = self._last[i]
            for k in range(count - 1, -1, -1):
                position = last - k
                if position > after and (limit is None or len(out) < limit):
                    out.append((position, stream, version - k))
            i += 1
        return out

    def feed(self, missing: dict[str, tuple[int, int]]) -> None:
        """Feed, in the order given, the events of each stream not fed yet:
        ``missing[stream] = (base, version)`` says the stream's own events are versions
        ``base + 1 .. version``.  Call with the exclusive lock held, after refresh()."""
        lines = []
        head = self.head
        fed = dict(self.fed)
        for stream, (base, version) in missing.items():
            start = max(fed.get(stream, base), base)
            if version > start:
                head += version - start
                lines.append(json.dumps({"position": head, "stream": stream,
                                         "version": version, "count": version - start},
                                        separators=(",", ":")).encode() + b"\n")
                fed[stream] = version
        if not lines:
            return
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            if self._partial or os.fstat(fd).st_size != self._end:
                os.ftruncate(fd, self._end)  # a line a killed writer left half written
            os.lseek(fd, self._end, os.SEEK_SET)
            data = memoryview(b"".join(lines))
            done = 0
            while done < len(data):
                done += os.write(fd, data[done:])
            os.fsync(fd)
        finally:
            os.close(fd)
        self.refresh()
