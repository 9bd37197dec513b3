"""The JSON Lines event store: a directory, one append-only text file per stream.

Layout of the directory::

    store.json          {"format": "crisis-model-jsonl", "format_version": 1, "forks": {...},
                         "sources": {...}}
    store.lock          the advisory lock (fcntl.flock) every reader and writer takes
    store.feed          the global feed: one line per batch, in commit order (see _feedlog)
    <stream>.jsonl      one line per event: {"stream_version": 3, "event": {...payload...}}

The last line of each batch also carries ``"batch_end": true``.  A batch is
written with one ``write`` of all its lines, then flushed to disk with
``os.fsync`` before ``append`` returns.  A process killed (or a machine that
loses power) in the middle of that write leaves a *torn tail*: bytes after the
last ``batch_end`` line.  The store finds it when it opens (and before any
append), reports it with a :class:`TornTailWarning` and in :attr:`JsonlStore.torn`,
reads only the whole batches before it, and refuses to append to that stream
until :meth:`JsonlStore.repair` cuts the tail off and returns what it removed.

A fork is an entry in ``store.json`` (its parent and the version it forked at),
and so is each recorded source definition;
its own file holds only its own events, numbered from ``at_version + 1``.
``store.json`` is replaced atomically (a temporary file, fsync, ``os.replace``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import warnings
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._event import Event
from ._base import (
    ConcurrencyError,
    FeedRow,
    SourceTable,
    StoreBase,
    Stored,
    StoreError,
    canonical,
    check_fork,
    check_stream_name,
    check_version,
    coerce_events,
    new_sources,
    segments,
)
from ._feedlog import FeedLog

__all__ = ["JsonlStore", "TornTail", "TornTailError", "TornTailWarning"]

_FORMAT_NAME = "crisis-model-jsonl"
#: The layout version this code writes.
FORMAT = 1
_META = "store.json"
_LOCK = "store.lock"
_FEED = "store.feed"
_SUFFIX = ".jsonl"
_TAIL_CHUNK = 1 << 16


@attrs.frozen
class TornTail:
    """What a crash left after the last whole batch of a stream's file.

    ``offset`` is where the whole batches end (the length :meth:`JsonlStore.repair`
    cuts the file back to), ``data`` the bytes after it and ``lines`` how many
    lines (whole or not) they hold.
    """

    stream: str
    offset: int
    data: bytes = attrs.field(repr=lambda d: f"<{len(d)} bytes>")

    @property
    def lines(self) -> int:
        """How many lines, whole or cut short, the torn tail holds."""
        return self.data.count(b"\n") + (0 if self.data.endswith(b"\n") else 1)

    def __str__(self) -> str:
        return (
            f"stream {self.stream!r}: {len(self.data)} bytes ({self.lines} line(s)) after "
            f"the last whole batch, which ends at byte {self.offset}"
        )


class TornTailError(StoreError):
    """A stream's file ends in a batch a crash cut short: nothing can be appended to it
    until :meth:`JsonlStore.repair` removes that tail.  ``torn`` lists the tails."""

    def __init__(self, torn: list[TornTail]) -> None:
        self.torn = torn
        super().__init__(
            "a crash left a half-written batch that was never acknowledged: "
            + "; ".join(map(str, torn))
            + " (run repair() or `crisis-model store repair` to cut it off)"
        )


class TornTailWarning(UserWarning):
    """Opening a JSON Lines store found torn tails (see :attr:`JsonlStore.torn`)."""


@attrs.define
class _File:
    """What this process knows of one stream file: its whole batches and any torn tail."""

    ino: int = 0
    #: Byte offset just after the last whole batch.
    end: int = 0
    #: Byte offset of each line of the whole batches.
    offsets: array[int] = attrs.Factory(lambda: array("Q"))
    torn: TornTail | None = None

    @property
    def count(self) -> int:
        return len(self.offsets)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _record(line: bytes, version: int) -> dict[str, Any] | None:
    """The parsed line if it is the record of ``version``, else ``None``."""
    try:
        rec = json.loads(line)
    except ValueError:
        return None
    if (
        not isinstance(rec, dict)
        or rec.get("stream_version") != version
        or not isinstance(rec.get("event"), dict)
    ):
        return None
    return rec


def _line(version: int, payload: str, last: bool) -> str:
    end = ',"batch_end":true}\n' if last else "}\n"
    return f'{{"stream_version":{version},"event":{payload}{end}'


class JsonlStore(StoreBase):
    """An event store in a directory of JSON Lines files (created if missing).

    Each batch is fsynced before ``append`` returns.  Several processes may
    use one directory: every operation takes an advisory lock (``flock``) on
    ``store.lock``, shared for reading and exclusive for writing.  See the
    module documentation for the layout and for torn tails.

    One object per process and thread: open another in each.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        self._files: dict[str, _File] = {}
        self._forks: dict[str, tuple[str, int]] = {}
        self._sources: dict[str, str] = {}
        self._meta_stamp: tuple[int, int, int] | None = None
        self._feedlog = FeedLog(self.path / _FEED)
        self._depth = 0
        self._exclusive = False
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot open the store {str(self.path)!r}: {exc}") from None
        if not self.path.is_dir():
            raise StoreError(f"{str(self.path)!r} is not a directory")
        self._lock_fd: int | None = os.open(self.path / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            with self._locked(exclusive=True):
                self._init_meta()
                found = self._check_tails()
                self._feed_missing()
        except BaseException:
            self.close()
            raise
        if found:
            warnings.warn(
                TornTailWarning(
                    f"the store {str(self.path)!r} has torn tails (a writer died mid-batch): "
                    + "; ".join(map(str, found)) + "; call repair() before appending to them"
                ),
                stacklevel=2,
            )

    # -- locking and metadata -------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, *, exclusive: bool) -> Iterator[None]:
        if self._lock_fd is None:
            raise StoreError(f"the store {str(self.path)!r} is closed")
        if self._depth:
            if exclusive and not self._exclusive:
                raise StoreError("internal error: cannot upgrade a shared lock")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        self._depth, self._exclusive = 1, exclusive
        try:
            yield
        finally:
            self._depth, self._exclusive = 0, False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _init_meta(self) -> None:
        if (self.path / _META).exists():
            self._load_meta()
            return
        ours = (_LOCK, _META + ".tmp")  # left by a process killed while creating the store
        strangers = [p.name for p in self.path.iterdir() if p.name not in ours]
        if strangers:
            raise StoreError(
                f"{str(self.path)!r} is not a crisis_model JSON Lines store (no {_META}, but "
                f"it holds {', '.join(sorted(strangers)[:3])}...)"
            )
        self._write_meta({}, {})

    def _load_meta(self) -> None:
        meta_path = self.path / _META
        try:
            st = meta_path.stat()
        except FileNotFoundError:
            raise StoreError(f"{str(meta_path)!r} has disappeared") from None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._meta_stamp:
            return
        try:
            meta = json.loads(meta_path.read_bytes())
        except ValueError:
            raise StoreError(f"{str(meta_path)!r} is not valid JSON") from None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT_NAME:
            raise StoreError(f"{str(meta_path)!r} does not describe a crisis_model store")
        version = meta.get("format_version")
        if not isinstance(version, int) or version > FORMAT:
            raise StoreError(
                f"{str(self.path)!r} was written by a newer crisis_model (store format "
                f"{version!r}; this code knows up to {FORMAT})"
            )
        forks: dict[str, tuple[str, int]] = {}
        for name, fork in dict(meta.get("forks", {})).items():
            try:
                parent, at = fork["parent"], fork["at_version"]
                check_stream_name(name)
                check_stream_name(parent)
                check_version(at, "at_version")
            except (KeyError, TypeError, StoreError):
                raise StoreError(f"{str(meta_path)!r}: fork {name!r} is malformed") from None
            forks[name] = (parent, at)
        sources = meta.get("sources", {})
        if not isinstance(sources, dict) or not all(
            isinstance(t, dict) for t in sources.values()
        ):
            raise StoreError(f"{str(meta_path)!r}: the sources are malformed")
        self._sources = {sid: canonical(t) for sid, t in sources.items()}
        self._forks, self._meta_stamp = forks, stamp

    def _write_meta(self, forks: dict[str, tuple[str, int]], sources: dict[str, str]) -> None:
        meta = {
            "format": _FORMAT_NAME,
            "format_version": FORMAT,
            "forks": {n: {"parent": p, "at_version": a} for n, (p, a) in sorted(forks.items())},
            "sources": {sid: json.loads(sources[sid]) for sid in sorted(sources)},
        }
        tmp = self.path / (_META + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=1, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path / _META)
        _fsync_dir(self.path)
        self._meta_stamp = None
        self._load_meta()

    # -- stream files ---------------------------------------------------------------------

    def _file_path(self, stream: str) -> Path:
        return self.path / (stream + _SUFFIX)

    def _base(self, stream: str) -> int:
        fork = self._forks.get(stream)
        return 0 if fork is None else fork[1]

    def _stream_files(self) -> list[str]:
        names = []
        for p in self.path.iterdir():
            if p.name.endswith(_SUFFIX) and p.is_file():
                name = p.name[: -len(_SUFFIX)]
                with contextlib.suppress(StoreError):
                    names.append(check_stream_name(name))
        return sorted(names)

    def _file(self, stream: str) -> _File:
        """This process's knowledge of ``stream``'s file, brought up to date (under the lock)."""
        path = self._file_path(stream)
        known = self._files.get(stream)
        try:
            st = path.stat()
        except FileNotFoundError:
            info = _File()
            self._files[stream] = info
            return info
        if known is not None and known.ino == st.st_ino and st.st_size >= known.end:
            info = known
            info.torn = None
            if st.st_size == known.end:
                return known
        else:
            info = _File(ino=st.st_ino)
        self._files[stream] = info = self._scan(stream, path, info)
        return info

    def _scan(self, stream: str, path: Path, info: _File) -> _File:
        """Read ``path`` from ``info.end`` on, extending ``info`` by every whole batch."""
        with open(path, "rb") as f:
            f.seek(info.end)
            data = f.read()
        base = self._base(stream)
        version = base + info.count + 1
        pos, good, pending = 0, 0, array("Q")
        while pos < len(data):
            nl = data.find(b"\n", pos)
            if nl < 0:
                break
            rec = _record(data[pos:nl], version)
            if rec is None:
                break
            pending.append(info.end + pos)
            version += 1
            pos = nl + 1
            if rec.get("batch_end") is True:
                info.offsets.extend(pending)
                pending, good = array("Q"), pos
        if good < len(data):
            tail = data[good:]
            _refuse_corruption(stream, tail)
            info.torn = TornTail(stream, info.end + good, tail)
        info.end += good
        return info

    def _check_tails(self) -> list[TornTail]:
        """Torn tails of every stream file (looking only at each file's last line if whole)."""
        found = []
        for stream in self._stream_files():
            if not _tail_is_whole(self._file_path(stream)):
                torn = self._file(stream).torn
                if torn is not None:
                    found.append(torn)
        return found

    def _lineage(self, stream: str) -> list[tuple[str, int]]:
        chain = [(stream, self._base(stream))]
        seen = {stream}
        while chain[-1][0] in self._forks:
            parent = self._forks[chain[-1][0]][0]
            if parent in seen:
                raise StoreError(f"{_META}: the forks of {stream!r} form a cycle")
            seen.add(parent)
            chain.append((parent, self._base(parent)))
        chain.reverse()
        return chain

    def _exists(self, stream: str) -> bool:
        return stream in self._forks or self._file(stream).count > 0

    # -- the EventStore interface ---------------------------------------------------------

    @property
    def torn(self) -> dict[str, TornTail]:
        """Every stream whose file ends in a torn tail, now."""
        with self._locked(exclusive=False):
            self._load_meta()
            out = {}
            for stream in self._stream_files():
                torn = self._file(stream).torn
                if torn is not None:
                    out[stream] = torn
            return out

    def repair(self) -> list[TornTail]:
        """Cut every torn tail off, back to the last whole batch; return what was removed.

        The removed bytes are in each :class:`TornTail`'s ``data``: they are the
        batch a writer was in the middle of, which ``append`` never acknowledged.
        """
        removed = []
        with self._locked(exclusive=True):
            self._load_meta()
            for stream in self._stream_files():
                path = self._file_path(stream)
                self._files.pop(stream, None)
                torn = self._file(stream).torn
                if torn is None:
                    continue
                fd = os.open(path, os.O_WRONLY)
                try:
                    os.ftruncate(fd, torn.offset)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                self._files.pop(stream, None)
                removed.append(torn)
        return removed

    def version(self, stream: str) -> int:
        """The stream's version: how many events it holds (0 for a stream never written)."""
        check_stream_name(stream)
        with self._locked(exclusive=False):
            self._load_meta()
            return self._base(stream) + self._file(stream).count

    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""
        with self._locked(exclusive=False):
            self._load_meta()
            names = {s for s in self._stream_files() if self._file(s).count > 0}
            return sorted(names | set(self._forks))

    def append(self, stream: str, events: Iterable[Event], *, expected_version: int) -> int:
        """Append a batch atomically; see :class:`~crisis_model.store.EventStore`.

        Raises :class:`TornTailError` if the stream's file ends in a torn tail.
        """
        check_stream_name(stream)
        check_version(expected_version, "expected_version")
        batch = coerce_events(events)
        with self._locked(exclusive=True):
            self._load_meta()
            info = self._file(stream)
            if info.torn is not None:
                raise TornTailError([info.torn])
            actual = self._base(stream) + info.count
            if actual != expected_version:
                raise ConcurrencyError(stream, expected_version, actual)
            if not batch:
                return actual
            rows, state = self._prepare(stream, actual, batch)
            lines = [
                _line(actual + i + 1, text, i == len(rows) - 1).encode()
                for i, (_, text) in enumerate(rows)
            ]
            self._feed_missing()  # batches a killed writer wrote but did not feed go first
            self._write(stream, info, lines)
            self._feedlog.feed({stream: (self._base(stream), actual + len(rows))})
        new = actual + len(rows)
        self._remember(stream, new, state)
        return new

    def _write(self, stream: str, info: _File, lines: list[bytes]) -> None:
        path = self._file_path(stream)
        created = not path.exists()
        data = b"".join(lines)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            st = os.fstat(fd)
            if st.st_size != info.end:
                raise StoreError(
                    f"{str(path)!r} changed size behind the store's lock; refusing to write"
                )
            try:
                view, done = memoryview(data), 0
                while done < len(data):
                    done += os.write(fd, view[done:])
                os.fsync(fd)
            except BaseException:
                os.ftruncate(fd, info.end)
                raise
        finally:
            os.close(fd)
        if created:
            _fsync_dir(self.path)
        pos = info.end
        for line in lines:
            info.offsets.append(pos)
            pos += len(line)
        info.ino, info.end = st.st_ino, pos

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""
        check_stream_name(stream)
        check_stream_name(new_stream)
        with self._locked(exclusive=True):
            self._load_meta()
            new_path = self._file_path(new_stream)
            check_fork(
                stream, at_version, new_stream,
                source=self.version(stream) if self._exists(stream) else None,
                taken=new_stream in self._forks
                or (new_path.exists() and new_path.stat().st_size > 0),
            )
            self._files.pop(new_stream, None)
            self._write_meta({**self._forks, new_stream: (stream, at_version)}, self._sources)
        self._copy_state(stream, at_version, new_stream)
        return at_version

    def sources(self) -> dict[str, SourceTable]:
        """Every source definition recorded, by id (sorted)."""
        with self._locked(exclusive=False):
            self._load_meta()
            return {sid: json.loads(self._sources[sid]) for sid in sorted(self._sources)}

    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table); return how many were new."""
        with self._locked(exclusive=True):
            self._load_meta()
            new = new_sources(self._sources, sources)
            if new:
                self._write_meta(self._forks, {**self._sources, **new})
        return len(new)

    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""
        check_stream_name(stream)
        with self._locked(exclusive=False):
            self._load_meta()
            return self._forks.get(stream)

    def close(self) -> None:
        """Release the lock file (further use raises :class:`StoreError`)."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _payloads(self, stream: str, start: int, stop: int | None) -> list[tuple[int, Stored]]:
        out: list[tuple[int, Stored]] = []
        with self._locked(exclusive=False):
            self._load_meta()
            for name, lo, hi in segments(self._lineage(stream), start, stop):
                info = self._file(name)
                at = self._base(name)
                hi = min(hi, at + info.count)
                if lo < hi:
                    out.extend(self._read_lines(name, info, at, lo, hi))
        return out

    def _feed_missing(self) -> None:
        """Feed every whole batch the feed does not name yet (exclusive lock held)."""
        self._feedlog.refresh()
        missing = {}
        for stream in self._stream_files():
            info = self._file(stream)
            base = self._base(stream)
            if base + info.count > self._feedlog.fed.get(stream, base):
                missing[stream] = (base, base + info.count)
        self._feedlog.feed(missing)

    def head(self) -> int:
        """The position of the last event fed (0 if none)."""
        with self._locked(exclusive=False):
            self._feedlog.refresh()
            return self._feedlog.head

    def _feed(self, after: int, limit: int | None) -> list[FeedRow]:
        out: list[FeedRow] = []
        with self._locked(exclusive=False):
            self._load_meta()
            self._feedlog.refresh()
            rows = self._feedlog.rows(after, limit)
            i = 0
            while i < len(rows):  # one read per run of consecutive versions of one stream
                j = i + 1
                while (j < len(rows) and rows[j][1] == rows[i][1]
                       and rows[j][2] == rows[j - 1][2] + 1):
                    j += 1
                stream, lo, hi = rows[i][1], rows[i][2] - 1, rows[j - 1][2]
                payloads = self._payloads(stream, lo, hi)
                if [v for v, _ in payloads] != list(range(lo + 1, hi + 1)):
                    raise StoreError(
                        f"{str(self.path / _FEED)!r} names versions {lo + 1}..{hi} of stream "
                        f"{stream!r}, which its file does not hold whole"
                    )
                out.extend((rows[i + k][0], stream, v, p) for k, (v, p) in enumerate(payloads))
                i = j
        return out

    def _read_lines(
        self, stream: str, info: _File, at: int, lo: int, hi: int
    ) -> Iterator[tuple[int, Any]]:
        first = info.offsets[lo - at]
        end = info.offsets[hi - at] if hi - at < info.count else info.end
        with open(self._file_path(stream), "rb") as f:
            f.seek(first)
            data = f.read(end - first)
        for k, line in enumerate(data.splitlines()):
            rec = _record(line, lo + k + 1)
            if rec is None:
                raise StoreError(
                    f"{str(self._file_path(stream))!r} changed under the store: the line of "
                    f"version {lo + k + 1} is no longer what it was"
                )
            yield lo + k + 1, rec["event"]


def _refuse_corruption(stream: str, tail: bytes) -> None:
    """Raise if a supposedly torn tail holds a whole line closing a batch: a crash never
    leaves one there, so it is damage inside the file, which repair must not cut away."""
    for line in tail.split(b"\n")[:-1]:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("batch_end") is True:
            raise StoreError(
                f"stream {stream!r}: the file is damaged before its last batch (a closed batch "
                "follows an unreadable or misnumbered line); fix it by hand"
            )


def _tail_is_whole(path: Path) -> bool:
    """Whether the file is empty or its last line is a whole record closing a batch."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return True
        chunk, pos = b"", size
        while True:
            step = min(_TAIL_CHUNK, pos)
            pos -= step
            f.seek(pos)
            chunk = f.read(step) + chunk
            if not chunk.endswith(b"\n"):
                return False
            start = chunk.rfind(b"\n", 0, len(chunk) - 1)
            if start >= 0 or pos == 0:
                break
    try:
        rec = json.loads(chunk[start + 1:])
    except ValueError:
        return False
    return isinstance(rec, dict) and rec.get("batch_end") is True
