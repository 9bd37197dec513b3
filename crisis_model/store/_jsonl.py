"""The JSON Lines event store: a directory, one append-only text file per stream.

Layout of the directory::

    store.json          {"format": "crisis-model-jsonl", "format_version": 2,
                         "streams": [...], "forks": {...}, "sources": {...}}
    store.lock          the advisory lock (fcntl.flock) readers and writers take
    store.feed          the global feed: one line per batch, in commit order (see _feedlog)
    <stream>.jsonl      one line per event: {"stream_version": 3, "event": {...payload...}}

**The registry.**  ``streams`` in ``store.json`` lists the streams whose files
are the store's; a stream is registered (``store.json`` rewritten atomically)
before its file is first written.  Any other file in the directory, whatever
its name, is never read, changed or deleted.  A store written by the previous
layout (format 1, no registry) is migrated when it is opened for writing: a
regular ``<name>.jsonl`` file is adopted only if its first line is the record
of the stream's first version in this format; other files are left alone.

**Batches.**  The last line of each batch carries ``"batch_end": true``; the
first line of a batch that brings new source definitions carries them as
``"sources"`` (first key of the line), so a batch and its sources are one
write.  A batch is written with one ``write`` (looped over short writes), then
fsynced before ``append`` returns.

**Torn tails.**  A process killed in the middle of that write leaves a *torn
tail*: lines after the last batch end that do not form a whole batch (whole
records with no batch end after them, then possibly a line cut short).  Only
that is torn: a whole line that is not the record expected is *damage* (an
edit, a bad copy), which is reported with its file and line and never cut; and
a last record that closes its batch but lost its final newline (as many
editors and tools leave a file) is whole, and gets its newline back.  The
store finds a torn tail when it opens (and before any append), reports it
with a :class:`TornTailWarning` and in :attr:`JsonlStore.torn`, reads only the
whole batches before it, and refuses to append to that stream until
:meth:`JsonlStore.repair` moves the tail to a backup file and cuts it off.

**Opening fast.**  A stream's version is read from its file's last line (the
record closing its last batch); the whole file is read only when events are
read or appended, or when the last line does not close a batch.  :meth:`check`
reads everything.

**Read-only.**  ``JsonlStore(path, read_only=True)`` changes nothing: it
creates no file, migrates nothing on disk, and takes the shared lock through
a read-only descriptor (or no lock at all if it cannot open ``store.lock``;
it then reads whole batches only, as always).

A fork is an entry in ``store.json`` (its parent and the version it forked at);
its own file holds only its own events, numbered from ``at_version + 1``.
``store.json`` is replaced atomically (a temporary file, fsync, ``os.replace``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
import stat
import warnings
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._event import Event
from .._jsontext import escape
from ._base import (
    ConcurrencyError,
    FeedRow,
    SourceTable,
    StoreBase,
    Stored,
    StoreError,
    StoreProblem,
    canonical,
    check_fork,
    check_stream_name,
    check_version,
    coerce_events,
    new_sources,
    segments,
)
from ._feedlog import FeedLog

__all__ = [
    "DamagedStreamError",
    "JsonlStore",
    "RepairReport",
    "TornTail",
    "TornTailError",
    "TornTailWarning",
]

_FORMAT_NAME = "crisis-model-jsonl"
#: The layout version this code writes.
FORMAT = 2
_META = "store.json"
_LOCK = "store.lock"
_FEED = "store.feed"
_SUFFIX = ".jsonl"
_TAIL_CHUNK = 1 << 16
#: How a line that brings source definitions starts (``"sources"`` is its first key).
_SOURCES_LINE = b'{"sources":'
_RECORD_KEYS = frozenset({"stream_version", "event", "batch_end", "sources"})


@attrs.frozen
class TornTail:
    """What a crash left after the last whole batch of a stream's file.

    ``offset`` is where the whole batches end (the length :meth:`JsonlStore.repair`
    cuts the file back to), ``data`` the bytes after it and ``lines`` how many
    lines (whole or not) they hold; ``file`` and ``line`` say where the tail starts.
    ``backup`` is the file :meth:`JsonlStore.repair` saved ``data`` to (``None``
    until then).
    """

    stream: str
    offset: int
    data: bytes = attrs.field(repr=lambda d: f"<{len(d)} bytes>")
    file: str = ""
    line: int = 0
    backup: str | None = None

    @property
    def lines(self) -> int:
        """How many lines, whole or cut short, the torn tail holds."""
        return self.data.count(b"\n") + (0 if self.data.endswith(b"\n") else 1)

    def __str__(self) -> str:
        where = f" ({self.file}, from line {self.line})" if self.file else ""
        saved = f"; saved to {self.backup}" if self.backup else ""
        return (
            f"stream {self.stream!r}{where}: {len(self.data)} bytes ({self.lines} line(s)) "
            f"after the last whole batch, which ends at byte {self.offset}{saved}"
        )


class TornTailError(StoreError):
    """A stream's file ends in a batch a crash cut short: nothing can be appended to it
    until :meth:`JsonlStore.repair` removes that tail.  ``torn`` lists the tails."""

    def __init__(self, torn: list[TornTail]) -> None:
        self.torn = torn
        super().__init__(
            "a crash left a half-written batch that was never acknowledged: "
            + "; ".join(map(str, torn))
            + " (run repair() or `crisis-model store repair` to move it to a backup file)"
        )


class DamagedStreamError(StoreError):
    """A stream's file holds a line that is not the record expected there (an edit, a
    bad copy): the stream cannot be read past it or appended to until it is fixed by
    hand.  ``problem`` names the file and line.  Other streams are unaffected."""

    def __init__(self, problem: StoreProblem) -> None:
        self.problem = problem
        super().__init__(
            f"{problem} (fix or restore that line; `crisis-model store check` lists "
            "every problem; other streams are unaffected)"
        )


class TornTailWarning(UserWarning):
    """Opening a JSON Lines store found torn tails (see :attr:`JsonlStore.torn`)."""


@attrs.frozen
class RepairReport:
    """What :meth:`JsonlStore.repair` did (or, with ``dry_run``, would do).

    ``cut``: the torn tails moved to a backup file (each names it) and cut off;
    ``completed``: the streams whose last record got back its final newline;
    ``damaged``: damage repair does not touch (fix it by hand).
    """

    cut: tuple[TornTail, ...] = ()
    completed: tuple[str, ...] = ()
    damaged: tuple[StoreProblem, ...] = ()
    dry_run: bool = False

    def lines(self) -> list[str]:
        """The report in words, one item a line."""
        verb = ("would move", "would add") if self.dry_run else ("moved", "added")
        out = [f"{verb[0]} the torn tail of {t} to a backup file and cut it off"
               if self.dry_run else f"removed {t}" for t in self.cut]
        out += [f"stream {s!r}: {verb[1]} the final newline its last record lacked"
                for s in self.completed]
        out += [f"damaged, left as it is (fix by hand): {p}" for p in self.damaged]
        return out


@attrs.define
class _File:
    """What this process knows of one stream file."""

    ino: int = 0
    #: The file's size when last examined.
    size: int = 0
    #: The stream's version as read from the last line only (``None``: not known so).
    quick: int | None = None
    #: Whether the whole file was read (``end``, ``offsets``, ``torn``... are then known).
    scanned: bool = False
    #: Byte offset just after the last whole batch.
    end: int = 0
    #: How many lines (newlines) lie before ``end``.
    lines: int = 0
    #: Byte offset of each record of the whole batches.
    offsets: array[int] = attrs.Factory(lambda: array("Q"))
    torn: TornTail | None = None
    damage: StoreProblem | None = None
    #: The last whole record ends the file without its newline.
    open_end: bool = False
    #: Source definitions the whole batches brought (id -> canonical text).
    sources: dict[str, str] = attrs.Factory(dict)
    #: How far ``sources`` was looked for without a full scan.
    sources_to: int = 0

    @property
    def count(self) -> int:
        return len(self.offsets)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _writes(method: Any) -> Any:
    """Mark an :class:`OSError` the method raises as a failure to write (the command line then
    says "cannot write", not "cannot read")."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except OSError as exc:
            exc.crisis_model_action = "write"  # type: ignore[attr-defined]
            raise

    wrapper.__doc__ = method.__doc__
    return wrapper


def _record(line: bytes, version: int) -> dict[str, Any] | None:
    """The parsed line if it is the record of ``version``, else ``None``."""
    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return None
    if (
        not isinstance(rec, dict)
        or rec.get("stream_version") != version
        or not isinstance(rec.get("event"), dict)
        or not rec.keys() <= _RECORD_KEYS
        or not isinstance(rec.get("sources", {}), dict)
    ):
        return None
    return rec


def _why_not(line: bytes, version: int) -> str:
    """Why ``line`` is not the record of ``version``, in words."""
    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):
        return "not valid JSON"
    if not isinstance(rec, dict) or "stream_version" not in rec:
        return "not a stream record (no stream_version)"
    if rec["stream_version"] != version:
        return f"it says stream_version {rec['stream_version']!r} where {version} was expected"
    if not isinstance(rec.get("event"), dict):
        return "its event is missing or not an object"
    return f"unexpected keys {sorted(set(rec) - _RECORD_KEYS)}"


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True


def _line(version: int, payload: str, last: bool, sources: str | None = None) -> str:
    end = ',"batch_end":true}\n' if last else "}\n"
    head = "{" if sources is None else '{"sources":' + sources + ","
    return f'{head}"stream_version":{version},"event":{payload}{end}'


def _last_line(path: Path) -> bytes | None:
    """The file's last line that is not blank (without its newline), or ``None``."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        chunk, pos = b"", size
        while pos > 0:
            step = min(_TAIL_CHUNK, pos)
            pos -= step
            f.seek(pos)
            chunk = f.read(step) + chunk
            body = chunk.rstrip()
            if not body:
                continue
            start = body.rfind(b"\n")
            if start >= 0 or pos == 0:
                return body[start + 1:]
    return None


class JsonlStore(StoreBase):
    """An event store in a directory of JSON Lines files (created if missing).

    Each batch is fsynced before ``append`` returns.  Several processes may
    use one directory: every operation takes an advisory lock (``flock``) on
    ``store.lock``, shared for reading and exclusive for writing.  With
    ``read_only=True`` nothing is ever written (see the module documentation
    for that, the layout, and torn tails).

    One object per process and thread: open another in each.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._files: dict[str, _File] = {}
        self._forks: dict[str, tuple[str, int]] = {}
        self._registry: set[str] = set()
        self._sources: dict[str, str] = {}
        self._meta_stamp: tuple[int, int, int] | None = None
        self._feedlog = FeedLog(self.path / _FEED)
        self._depth = 0
        self._exclusive = False
        self._lock_fd: int | None = None
        self._closed = False
        self._look()
        try:
            self._lock_fd = self._open_lock()
            with self._locked(exclusive=not read_only):
                self._init_meta()
                found = self._check_tails()
                if not read_only:
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

    # -- looking before touching ----------------------------------------------------------

    def _look(self) -> None:
        """Refuse, changing nothing, a path that is not a store, an empty or new directory."""
        where = str(self.path)
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if self.read_only:
                raise StoreError(f"no store at {where!r}") from None
            try:
                self.path.mkdir(parents=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store {where!r}: {exc}") from None
            return
        except OSError as exc:
            raise StoreError(f"cannot open the store {where!r}: {exc}") from None
        if not stat.S_ISDIR(st.st_mode):
            raise StoreError(
                f"{where!r} is a file, not a JSON Lines store (a store is a directory); "
                "nothing was changed"
            )
        if (self.path / _META).exists():
            self._read_meta_file()  # raises, changing nothing, if it is not a store's
            return
        ours = (_LOCK, _META + ".tmp")  # left by a process killed while creating the store
        try:
            strangers = sorted(p.name for p in self.path.iterdir() if p.name not in ours)
        except OSError as exc:
            raise StoreError(f"cannot open the store {where!r}: {exc}") from None
        if strangers:
            raise StoreError(
                f"{where!r} is not a crisis_model JSON Lines store (no {_META}, but it holds "
                f"{', '.join(strangers[:3])}{'...' if len(strangers) > 3 else ''}); "
                "nothing was changed"
            )
        if self.read_only:
            raise StoreError(f"no store at {where!r} (an empty directory)")

    def _open_lock(self) -> int | None:
        lock = self.path / _LOCK
        if self.read_only:
            try:
                return os.open(lock, os.O_RDONLY)
            except OSError:
                return None  # documented: a reader without the lock reads whole batches
        try:
            return os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot open the store {str(self.path)!r} for writing: {exc} "
                "(open it read-only to read it)"
            ) from None

    # -- locking and metadata -------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, *, exclusive: bool) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"the store {str(self.path)!r} is closed")
        if exclusive:
            self._writable("write")
        if self._depth:
            if exclusive and not self._exclusive:
                raise StoreError("internal error: cannot upgrade a shared lock")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        self._depth, self._exclusive = 1, exclusive
        try:
            yield
        finally:
            self._depth, self._exclusive = 0, False
            if self._lock_fd is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _init_meta(self) -> None:
        if (self.path / _META).exists():
            self._load_meta()
            return
        self._write_meta({}, {}, set())

    def _read_meta_file(self) -> dict[str, Any]:
        """``store.json``, checked to be a crisis_model store's (of a format this code reads)."""
        meta_path = self.path / _META
        try:
            meta = json.loads(meta_path.read_bytes())
        except FileNotFoundError:
            raise StoreError(f"{str(meta_path)!r} has disappeared") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{str(meta_path)!r} is not readable JSON: {exc}") from None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT_NAME:
            raise StoreError(
                f"{str(meta_path)!r} does not describe a crisis_model store; nothing was changed"
            )
        version = meta.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise StoreError(f"{str(meta_path)!r}: format_version {version!r} is malformed")
        if version > FORMAT:
            raise StoreError(
                f"{str(self.path)!r} was written by a newer crisis_model (store format "
                f"{version!r}; this code knows up to {FORMAT})"
            )
        return meta

    def _load_meta(self) -> None:
        meta_path = self.path / _META
        try:
            st = meta_path.stat()
        except FileNotFoundError:
            raise StoreError(f"{str(meta_path)!r} has disappeared") from None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._meta_stamp:
            return
        meta = self._read_meta_file()
        forks: dict[str, tuple[str, int]] = {}
        raw_forks = meta.get("forks", {})
        if not isinstance(raw_forks, dict):
            raise StoreError(f"{str(meta_path)!r}: the forks are malformed")
        for name, fork in raw_forks.items():
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
        if meta["format_version"] >= 2:
            names = meta.get("streams", [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise StoreError(f"{str(meta_path)!r}: the stream registry is malformed")
            try:
                self._registry = {check_stream_name(n) for n in names} | set(forks)
            except StoreError as exc:
                raise StoreError(f"{str(meta_path)!r}: {exc}") from None
            return
        # Format 1 had no registry: adopt the files that are streams of this format.
        self._registry = self._adopt() | set(forks)
        if not self.read_only:
            self._write_meta(self._forks, self._sources, self._registry)

    def _adopt(self) -> set[str]:
        """The streams of a format-1 store: each regular ``<name>.jsonl`` file whose first
        line is the record of its stream's first version (a line no other file holds; damage
        further on is then the stream's, reported as such, not a reason to disown it)."""
        adopted = set()
        for p in self.path.iterdir():
            name = p.name[: -len(_SUFFIX)]
            if not p.name.endswith(_SUFFIX) or not p.is_file() or p.is_symlink():
                continue
            try:
                check_stream_name(name)
            except StoreError:
                continue
            first = None
            with open(p, "rb") as f:
                for raw in f:
                    if raw.strip():
                        first = raw
                        break
            if first is not None and _record(first, self._base(name) + 1) is not None:
                adopted.add(name)
        return adopted

    @_writes
    def _write_meta(
        self, forks: dict[str, tuple[str, int]], sources: dict[str, str], streams: set[str]
    ) -> None:
        self._writable("write the store's metadata")
        meta = {
            "format": _FORMAT_NAME,
            "format_version": FORMAT,
            "streams": sorted(streams),
            "forks": {n: {"parent": p, "at_version": a} for n, (p, a) in sorted(forks.items())},
            "sources": {sid: json.loads(sources[sid]) for sid in sorted(sources)},
        }
        text = escape(json.dumps(meta, indent=1, ensure_ascii=False)) + "\n"
        tmp = self.path / (_META + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
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

    def _stat(self, stream: str) -> os.stat_result | None:
        if stream not in self._registry:
            return None
        try:
            return os.stat(self._file_path(stream))
        except FileNotFoundError:
            return None

    def _quick(self, stream: str) -> int:
        """The stream's version, from its file's last line when that closes a batch."""
        st = self._stat(stream)
        base = self._base(stream)
        if st is None:
            self._files.pop(stream, None)
            return base
        known = self._files.get(stream)
        if known is not None and known.ino == st.st_ino and known.size == st.st_size:
            if known.scanned and known.damage is None:
                return base + known.count
            if known.quick is not None:
                return known.quick
        if not stat.S_ISREG(st.st_mode):
            return base + self._full(stream).count
        last = _last_line(self._file_path(stream))
        if last is None:
            return self._full(stream).count + base
        try:
            rec = json.loads(last)
        except (ValueError, RecursionError):
            rec = None
        version = rec.get("stream_version") if isinstance(rec, dict) else None
        if (
            isinstance(rec, dict) and rec.get("batch_end") is True
            and isinstance(version, int) and not isinstance(version, bool) and version > base
        ):
            info = known if known is not None and known.ino == st.st_ino else _File(ino=st.st_ino)
            if info.scanned:  # grown since the last scan: the scan is extended when needed
                return version
            info.ino, info.size, info.quick = st.st_ino, st.st_size, version
            self._files[stream] = info
            return version
        return base + self._full(stream).count

    def _full(self, stream: str) -> _File:
        """Everything about ``stream``'s file, brought up to date (under the lock)."""
        st = self._stat(stream)
        if st is None:
            info = _File(scanned=True)
            self._files[stream] = info
            return info
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block a read for ever
            info = _File(ino=st.st_ino, scanned=True, damage=StoreProblem(
                "damaged-file", "not a regular file (a stream is a file); nothing was read",
                stream=stream, file=str(self._file_path(stream)),
            ))
            self._files[stream] = info
            return info
        known = self._files.get(stream)
        if known is not None and known.scanned and known.ino == st.st_ino:
            if st.st_size == known.size:
                return known
            if st.st_size > known.size and known.damage is None and not known.open_end:
                known.torn = None
                self._scan(stream, self._file_path(stream), known)
                return known
        info = _File(ino=st.st_ino)
        self._files[stream] = info = self._scan(stream, self._file_path(stream), info)
        return info

    def _scan(self, stream: str, path: Path, info: _File) -> _File:
        """Read ``path`` from ``info.end`` on, extending ``info`` by every whole batch and
        noting a torn tail or the first damaged line."""
        with open(path, "rb") as f:
            f.seek(info.end)
            data = f.read()
        start = info.end
        base = self._base(stream)
        version = base + info.count + 1
        file = str(path)
        lineno = info.lines
        pos = good = 0
        good_lines = lineno
        pending, pending_sources = array("Q"), {}
        n = len(data)
        info.open_end = False
        damage = None
        while pos < n:
            nl = data.find(b"\n", pos)
            stop = n if nl < 0 else nl
            line = data[pos:stop]
            lineno += 1
            if not line.strip():
                if nl < 0:
                    break
                pos = nl + 1
                if not pending:
                    good, good_lines = pos, lineno
                continue
            rec = _record(line, version)
            if rec is None:
                if nl < 0 and not _parses(line):
                    break  # a line cut short: part of a torn tail
                damage = StoreProblem(
                    "damaged-line",
                    f"damaged line: not the record of version {version} "
                    f"({_why_not(line, version)})",
                    stream=stream, file=file, line=lineno, version=version,
                )
                break
            pending.append(start + pos)
            for sid, table in rec.get("sources", {}).items():
                if isinstance(table, dict):
                    pending_sources[sid] = canonical(table)
            version += 1
            if rec.get("batch_end") is True:
                info.offsets.extend(pending)
                info.sources.update(pending_sources)
                pending, pending_sources = array("Q"), {}
                if nl < 0:  # a whole batch whose last record lost its newline
                    info.open_end = True
                    good, good_lines = n, lineno - 1
                    break
                good, good_lines = nl + 1, lineno
            elif nl < 0:
                break  # a whole record of a batch never closed, cut before its newline
            pos = nl + 1
        info.damage = damage
        info.torn = None
        if damage is None and good < n:
            tail = data[good:]
            if tail.strip():
                info.torn = TornTail(stream, start + good, tail, file, good_lines + 1)
            else:
                good = n  # only blank space after the last batch: nothing torn
                info.open_end = not data.endswith(b"\n")
        info.end = start + good
        info.lines = good_lines
        info.size = start + n
        info.scanned = True
        info.quick = None
        info.sources_to = info.end
        return info

    def _embedded_sources(self, stream: str) -> dict[str, str]:
        """The source definitions the whole batches of ``stream``'s file brought, found by
        looking only at the lines that start with them when the file's tail is whole."""
        st = self._stat(stream)
        if st is None:
            return {}
        self._quick(stream)
        info = self._files.get(stream)
        if info is None or (not info.scanned and info.quick is None):
            info = self._full(stream)
        if info.scanned and info.size == st.st_size:
            return info.sources
        # The last line closes a batch: every line up to the end of the file is whole.
        end = st.st_size
        begin = max(0, info.sources_to - 1)
        with open(self._file_path(stream), "rb") as f:
            f.seek(begin)
            data = (b"\n" if info.sources_to == 0 else b"") + f.read(end - begin)
        mark = b"\n" + _SOURCES_LINE
        hit = data.find(mark)
        while hit >= 0:
            nl = data.find(b"\n", hit + 1)
            try:
                rec = json.loads(data[hit + 1: len(data) if nl < 0 else nl])
            except (ValueError, RecursionError):
                rec = None
            if isinstance(rec, dict) and isinstance(rec.get("sources"), dict):
                for sid, table in rec["sources"].items():
                    if isinstance(table, dict):
                        info.sources[sid] = canonical(table)
            hit = -1 if nl < 0 else data.find(mark, nl)
        info.sources_to = end
        return info.sources

    def _check_tails(self) -> list[TornTail]:
        """Torn tails of every stream file (looking only at each file's last line if whole)."""
        found = []
        for stream in sorted(self._registry):
            self._quick(stream)
            info = self._files.get(stream)
            if info is not None and info.torn is not None:
                found.append(info.torn)
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
        return stream in self._forks or self._quick(stream) > 0

    def _all_sources(self) -> dict[str, str]:
        """Every recorded source definition: ``store.json``'s and the stream files'."""
        out = dict(self._sources)
        for stream in sorted(self._registry):
            out.update(self._embedded_sources(stream))
        return out

    def _where(self, stream: str, version: int) -> str:
        """``stream 's', version 3 (DIR/s.jsonl:3)``: where a stored event is, for errors."""
        place = f"stream {stream!r}, version {version}"
        with contextlib.suppress(Exception), self._locked(exclusive=False):
            for name, lo, hi in segments(self._lineage(stream), version - 1, version):
                info = self._full(name)
                index = version - 1 - self._base(name)
                if lo < hi and 0 <= index < info.count:
                    offset = info.offsets[index]
                    with open(self._file_path(name), "rb") as f:
                        line = f.read(offset).count(b"\n") + 1
                    place += f" ({self._file_path(name)}:{line})"
        return place

    # -- the EventStore interface ---------------------------------------------------------

    @property
    def torn(self) -> dict[str, TornTail]:
        """Every stream whose file ends in a torn tail, now."""
        with self._locked(exclusive=False):
            self._load_meta()
            return {t.stream: t for t in self._check_tails()}

    def repair(self, *, dry_run: bool = False) -> RepairReport:
        """Move every torn tail to a backup file and cut it off; give every whole last
        record that lost its final newline its newline back.  Damage (a whole line that
        is not the record expected) is reported, never touched.

        A torn tail is what a crash leaves: lines after the last batch end that do not
        form a whole batch.  Its bytes go, before the file is cut, to a new file beside
        the stream's, ``<stream>.jsonl.torn-<UTC date and time>[-N].bak``, named in the
        returned :class:`TornTail`.  With ``dry_run``, nothing is changed and the report
        says what would be done.
        """
        cut: list[TornTail] = []
        completed: list[str] = []
        damaged: list[StoreProblem] = []
        with self._locked(exclusive=not dry_run):
            self._load_meta()
            for stream in sorted(self._registry):
                self._files.pop(stream, None)
                info = self._full(stream)
                if info.damage is not None:
                    damaged.append(info.damage)
                    continue
                path = self._file_path(stream)
                if info.torn is not None:
                    torn = info.torn
                    if not dry_run:
                        backup = self._backup(stream, torn.data)
                        fd = os.open(path, os.O_WRONLY)
                        try:
                            os.ftruncate(fd, torn.offset)
                            os.fsync(fd)
                        finally:
                            os.close(fd)
                        torn = attrs.evolve(torn, backup=str(backup))
                    cut.append(torn)
                    self._files.pop(stream, None)
                elif info.open_end:
                    if not dry_run:
                        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
                        try:
                            os.write(fd, b"\n")
                            os.fsync(fd)
                        finally:
                            os.close(fd)
                    completed.append(stream)
                    self._files.pop(stream, None)
        return RepairReport(tuple(cut), tuple(completed), tuple(damaged), dry_run)

    def _backup(self, stream: str, data: bytes) -> Path:
        """Write ``data`` to a new, dated file beside ``stream``'s; return its path."""
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        for n in range(1, 10_000):
            suffix = "" if n == 1 else f"-{n}"
            path = self.path / f"{stream}{_SUFFIX}.torn-{stamp}{suffix}.bak"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            try:
                view, done = memoryview(data), 0
                while done < len(data):
                    done += os.write(fd, view[done:])
                os.fsync(fd)
            finally:
                os.close(fd)
            _fsync_dir(self.path)
            return path
        raise StoreError(f"cannot name a backup file for stream {stream!r} in {self.path}")

    def check(self) -> list[StoreProblem]:
        """Every problem in the store, changing nothing: torn tails, last records without
        their newline, damaged lines (file and line), events that do not decode or no
        longer pass the rules."""
        problems: list[StoreProblem] = []
        with self._locked(exclusive=False):
            self._load_meta()
            for stream in sorted(self._registry):
                self._files.pop(stream, None)
                info = self._full(stream)
                if info.damage is not None:
                    problems.append(info.damage)
                if info.torn is not None:
                    problems.append(StoreProblem(
                        "torn-tail", f"a torn tail: {info.torn} (repair moves it to a backup)",
                        stream=stream, file=info.torn.file, line=info.torn.line,
                    ))
                if info.open_end:
                    problems.append(StoreProblem(
                        "missing-newline",
                        "the last record lacks its final newline (whole; repair adds it)",
                        stream=stream, file=str(self._file_path(stream)), line=info.lines + 1,
                    ))
            bad = {p.stream for p in problems if p.kind == "damaged-line"}
            for stream in self.streams():
                if not bad & {name for name, _ in self._lineage(stream)}:
                    problems += self._check_stream(stream)
        return problems

    def version(self, stream: str) -> int:
        """The stream's version: how many events it holds (0 for a stream never written)."""
        check_stream_name(stream)
        with self._locked(exclusive=False):
            self._load_meta()
            return self._quick(stream)

    def streams(self) -> list[str]:
        """Every stream's name (forks included), sorted."""
        with self._locked(exclusive=False):
            self._load_meta()
            names = {s for s in self._registry if self._quick(s) > self._base(s)}
            return sorted(names | set(self._forks))

    def append(
        self,
        stream: str,
        events: Iterable[Event],
        *,
        expected_version: int,
        sources: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Append a batch atomically; see :class:`~crisis_model.store.EventStore`.

        The source definitions not yet recorded travel in the batch's first line.
        Raises :class:`TornTailError` if the stream's file ends in a torn tail and
        :class:`DamagedStreamError` if it holds a damaged line.
        """
        check_stream_name(stream)
        check_version(expected_version, "expected_version")
        batch = coerce_events(events)
        self._writable("append")
        with self._locked(exclusive=True):
            self._load_meta()
            path = self._file_path(stream)
            if stream not in self._registry and os.path.lexists(path):
                raise StoreError(
                    f"{str(path)!r} is not one of the store's files (it was not written by "
                    f"the store); rename it or choose another stream name than {stream!r} "
                    "(nothing was written)"
                )
            info = self._full(stream)
            if info.damage is not None:
                raise DamagedStreamError(info.damage)
            if info.torn is not None:
                raise TornTailError([info.torn])
            actual = self._base(stream) + info.count
            if actual != expected_version:
                raise ConcurrencyError(stream, expected_version, actual)
            if not batch:
                return actual
            new = new_sources(self._all_sources(), sources) if sources else {}
            rows, state = self._prepare(stream, actual, batch)
            if not rows:  # every event already stored (see _base.new_events): no batch line
                if new:
                    self._write_meta(self._forks, {**self._sources, **new}, self._registry)
                return actual
            if stream not in self._registry:
                self._write_meta(self._forks, self._sources, self._registry | {stream})
            brought = None if not new else "{" + ",".join(
                f"{json.dumps(sid, ensure_ascii=False)}:{text}" for sid, text in sorted(new.items())
            ) + "}"
            lines = [
                escape(_line(actual + i + 1, text, i == len(rows) - 1,
                             brought if i == 0 else None)).encode()
                for i, (_, text) in enumerate(rows)
            ]
            self._feed_missing()  # batches a killed writer wrote but did not feed go first
            self._write(stream, info, lines)
            self._feedlog.feed({stream: (self._base(stream), actual + len(rows))})
            info.sources.update(new)
        version = actual + len(rows)
        self._remember(stream, version, state)
        return version

    @_writes
    def _write(self, stream: str, info: _File, lines: list[bytes]) -> None:
        path = self._file_path(stream)
        created = not path.exists()
        lead = b"\n" if info.open_end else b""
        data = lead + b"".join(lines)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            st = os.fstat(fd)
            if st.st_size != info.end or (not created and st.st_ino != info.ino):
                raise StoreError(
                    f"{str(path)!r} changed behind the store's lock; refusing to write"
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
        pos = info.end + len(lead)
        info.lines += len(lead) + len(lines)
        for line in lines:
            info.offsets.append(pos)
            pos += len(line)
        info.ino, info.end, info.size, info.open_end = st.st_ino, pos, pos, False
        info.sources_to = pos

    def fork(self, stream: str, at_version: int, new_stream: str) -> int:
        """Start ``new_stream`` sharing ``stream``'s history up to ``at_version``."""
        check_stream_name(stream)
        check_stream_name(new_stream)
        self._writable("fork")
        with self._locked(exclusive=True):
            self._load_meta()
            new_path = self._file_path(new_stream)
            registered = new_stream in self._registry
            check_fork(
                stream, at_version, new_stream,
                source=self._quick(stream) if self._exists(stream) else None,
                taken=new_stream in self._forks
                or (registered and new_path.exists() and new_path.stat().st_size > 0),
            )
            if not registered and os.path.lexists(new_path):
                raise StoreError(
                    f"{str(new_path)!r} is not one of the store's files; rename it or choose "
                    f"another name than {new_stream!r} (nothing was written)"
                )
            self._files.pop(new_stream, None)
            self._write_meta({**self._forks, new_stream: (stream, at_version)}, self._sources,
                             self._registry | {new_stream})
        self._copy_state(stream, at_version, new_stream)
        return at_version

    def sources(self) -> dict[str, SourceTable]:
        """Every source definition recorded, by id (sorted)."""
        with self._locked(exclusive=False):
            self._load_meta()
            known = self._all_sources()
            return {sid: json.loads(known[sid]) for sid in sorted(known)}

    def add_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> int:
        """Record source definitions (id -> table) in ``store.json``; return how many were
        new.  (To record them with the batch that cites them, pass them to ``append``.)"""
        self._writable("record sources")
        with self._locked(exclusive=True):
            self._load_meta()
            new = new_sources(self._all_sources(), sources)
            if new:
                self._write_meta(self._forks, {**self._sources, **new}, self._registry)
        return len(new)

    def origin(self, stream: str) -> tuple[str, int] | None:
        """``(parent, at_version)`` if ``stream`` is a fork, else ``None``."""
        check_stream_name(stream)
        with self._locked(exclusive=False):
            self._load_meta()
            return self._forks.get(stream)

    def close(self) -> None:
        """Release the lock file (further use raises :class:`StoreError`)."""
        self._closed = True
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _payloads(self, stream: str, start: int, stop: int | None) -> list[tuple[int, Stored]]:
        out: list[tuple[int, Stored]] = []
        with self._locked(exclusive=False):
            self._load_meta()
            for name, lo, hi in segments(self._lineage(stream), start, stop):
                info = self._full(name)
                at = self._base(name)
                if info.damage is not None and hi > at + info.count:
                    raise DamagedStreamError(info.damage)
                hi = min(hi, at + info.count)
                if lo < hi:
                    out.extend(self._read_lines(name, info, at, lo, hi))
        return out

    def _feed_missing(self) -> None:
        """Feed every whole batch the feed does not name yet (exclusive lock held).  A
        damaged stream is left out (its problems are reported where it is used)."""
        self._feedlog.refresh()
        missing = {}
        for stream in sorted(self._registry):
            base = self._base(stream)
            try:
                version = self._quick(stream)
            except StoreError:
                continue
            if version > self._feedlog.fed.get(stream, base):
                missing[stream] = (base, version)
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
        version = lo
        for line in data.split(b"\n"):
            if not line.strip():
                continue
            version += 1
            rec = _record(line, version)
            if rec is None:
                raise StoreError(
                    f"{str(self._file_path(stream))!r} changed under the store: the line of "
                    f"version {version} is no longer what it was"
                )
            yield version, rec["event"]
