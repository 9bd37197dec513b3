"""Tests for crisis_model.store across OS processes: concurrent writers, writers killed mid-append.

The helper scripts ``store_writer.py``, ``store_crasher.py``,
``store_feed_writer.py`` and ``store_follower.py`` run as subprocesses.
``CRISIS_STORE_STRESS=N`` multiplies the number of appends and kills by N for
deliberate long runs (the default, 1, keeps the suite short on two busy cores:
2 x 150 concurrent batches to one stream, 4 writers x 100 batches while 3
processes follow the feed, and 12 kills per backend).  ``CRISIS_STORE_FULL=1``
runs the figures of issue #18 instead: 4 writers x 500 = 2,000 batches while
the feed is followed, and 50 kills.

The PostgreSQL runs use a fresh database of the test server (see conftest.py).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.store import JsonlStore, TornTailWarning, open_store

HERE = Path(__file__).parent
STRESS = int(os.environ.get("CRISIS_STORE_STRESS", "1"))
FULL = os.environ.get("CRISIS_STORE_FULL") == "1"
APPENDS_PER_WRITER = 150 * STRESS
KILLS = 50 if FULL else 12 * STRESS
WRITERS = 2
FEED_WRITERS = 4
FEED_BATCHES_PER_WRITER = 500 if FULL else 100 * STRESS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork, flock and SIGKILL")


def store_path(tmp_path: Path, backend: str) -> Path:
    """Where the test keeps its store of ``backend`` (a file backend)."""
    return tmp_path / ("store.jsonl" if backend == "jsonl" else "crisis.db")


@pytest.fixture
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the test keeps its store of the backend ``request.param``: a path, or the DSN
    of a fresh PostgreSQL database."""
    if request.param == "postgres":
        dsn = request.getfixturevalue("pg_database")
        assert dsn.startswith("postgresql://")  # so that open_store opens PostgreSQL
        yield dsn
    else:
        yield str(store_path(tmp_path, request.param))


def spawn(script: str, *args: object) -> subprocess.Popen[str]:
    """Start a helper script in a new Python process."""
    # The checkout under test, not whatever crisis_model the interpreter has installed.
    path = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, str(HERE / script), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": path},
    )


def note_parts(event: cm.Event) -> tuple[str, int, int]:
    """``(batch id, index, size)`` from a crasher event's note ``RUN-K:I/N``."""
    m = re.fullmatch(r"(\S+):(\d+)/(\d+)", event.note)
    assert m is not None, event.note
    return m[1], int(m[2]), int(m[3])


class TestConcurrentWriters:
    @pytest.mark.parametrize("backend", ["sqlite", "jsonl"])
    def test_nothing_lost_or_duplicated(self, tmp_path: Path, backend: str) -> None:
        """Two processes appending to one stream: every batch lands once, whole, where acked."""
        path = store_path(tmp_path, backend)
        open_store(path).close()
        go = tmp_path / "go"
        procs = [
            spawn("store_writer.py", path, "s", f"w{i}", APPENDS_PER_WRITER, go)
            for i in range(WRITERS)
        ]
        for p in procs:
            assert p.stdout is not None
            assert "ready" == p.stdout.readline().strip(), p.stderr and p.stderr.read()
        go.touch()
        reports = []
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert 0 == p.returncode, err
            reports.append(json.loads(out))
        with open_store(path) as store:
            log = [e.actor for e in store.read("s")]  # type: ignore[attr-defined]

        # Every acknowledged batch sits exactly at the versions its append returned.
        acked = []
        for report in reports:
            for version, names in report["appended"]:
                assert names == log[version - len(names):version]
                acked.extend(names)
        # Nothing else is in the log, nothing twice.
        assert sorted(acked) == sorted(log)
        assert [] == [n for n, c in Counter(log).items() if c > 1]
        # Each writer's batches are all there, in its order.
        for i, report in enumerate(reports):
            mine = [n for n in log if n.startswith(f"w{i}-")]
            expected = [n for _, names in report["appended"] for n in names
                        if not n.startswith("shared-")]
            assert expected == mine
            assert APPENDS_PER_WRITER == len(report["appended"])
        # Every conflict reported a newer actual version; every shared actor came in once.
        conflicts = [c for r in reports for c in r["conflicts"]]
        assert all(actual > expected for expected, actual in conflicts)
        shared = {f"shared-{k}" for k in range(0, APPENDS_PER_WRITER, 10)}
        assert sorted(shared) == sorted(n for n in log if n.startswith("shared-"))
        rejections = [r for report in reports for r in report["rejected"]]
        assert all("new-actor" == rule for _, rule, _ in rejections)
        print(
            f"\n[{backend}] {WRITERS} writers, {WRITERS * APPENDS_PER_WRITER} batches, "
            f"{len(log)} events, {len(conflicts)} conflicts reported, "
            f"{len(rejections)} rule rejections, 0 lost, 0 duplicated"
        )


class TestFeedUnderConcurrentWriters:
    @pytest.mark.parametrize("location", ["sqlite", "jsonl", "postgres"], indirect=True)
    def test_followers_see_every_event_once_in_order(
        self, tmp_path: Path, location: str
    ) -> None:
        """4 writers append to a shared stream and their own while 2 processes follow
        read_all and 1 follows subscribe: each follower sees the whole feed, each event
        once, in commit order, and the feed agrees with every stream; conflicts are
        reported as conflicts."""
        open_store(location).close()
        go, done = tmp_path / "go", tmp_path / "done"
        followers = [spawn("store_follower.py", location, mode, done)
                     for mode in ("read_all", "read_all", "subscribe")]
        writers = [spawn("store_feed_writer.py", location, f"w{i}", FEED_BATCHES_PER_WRITER, go)
                   for i in range(FEED_WRITERS)]
        for p in followers + writers:
            assert p.stdout is not None
            assert "ready" == p.stdout.readline().strip(), p.stderr and p.stderr.read()
        began = time.monotonic()
        go.touch()
        reports = []
        for p in writers:
            out, err = p.communicate(timeout=900)
            assert 0 == p.returncode, err
            reports.append(json.loads(out))
        elapsed = time.monotonic() - began
        done.touch()
        seen = []
        for p in followers:
            out, err = p.communicate(timeout=300)
            assert 0 == p.returncode, err
            seen.append([tuple(x) for x in json.loads(out)])

        with open_store(location) as store:
            feed = [(i.position, i.stream, i.version, getattr(i.event, "actor", None))
                    for i in store.read_all()]
            streams = {s: [e.actor for e in store.read(s)]  # type: ignore[attr-defined]
                       for s in store.streams()}
        # The feed: positions only grow; each stream's events once, in version order.
        positions = [f[0] for f in feed]
        assert sorted(set(positions)) == positions
        for stream, actors in streams.items():
            mine = [(f[2], f[3]) for f in feed if f[1] == stream]
            assert list(enumerate(actors, 1)) == mine
        assert sum(map(len, streams.values())) == len(feed)
        # Every follower saw exactly that feed: nothing lost, repeated or out of order.
        for i, got in enumerate(seen):
            assert feed == got, f"follower {i} saw another feed"
        # Every acknowledged batch sits where its append said.
        for report in reports:
            assert FEED_BATCHES_PER_WRITER == len(report["appended"])
            for stream, version, names in report["appended"]:
                assert names == streams[stream][version - len(names):version]
        conflicts = [c for r in reports for c in r["conflicts"]]
        assert all(actual > expected for expected, actual in conflicts)
        rejections = [r for report in reports for r in report["rejected"]]
        assert all("new-actor" == rule for _, rule, _ in rejections)
        batches = FEED_WRITERS * FEED_BATCHES_PER_WRITER
        backend = "postgres" if "://" in location else Path(location).suffix.lstrip(".")
        print(
            f"\n[{backend}] "
            f"{FEED_WRITERS} writers, {batches} batches, {len(feed)} events in "
            f"{elapsed:.1f} s ({batches / elapsed:.0f} batches/s), {len(conflicts)} conflicts "
            f"and {len(rejections)} rule rejections reported; 3 followers (2 read_all, "
            f"1 subscribe) each saw all {len(feed)}: 0 lost, 0 duplicated, 0 out of order"
        )


class TestKilledWriter:
    @pytest.mark.parametrize("backend", ["sqlite", "jsonl", "postgres"])
    def test_whole_batches_survive(
        self, tmp_path: Path, backend: str, request: pytest.FixtureRequest
    ) -> None:
        """A writer SIGKILLed mid-append, again and again, leaves only whole batches, and
        every batch it was told was written is there.

        For JSON Lines, every other run makes writes short and slow (see store_crasher.py)
        so that kills land inside a batch's write and leave torn tails to find and repair.
        """
        path: Path | str = (request.getfixturevalue("pg_database") if backend == "postgres"
                            else store_path(tmp_path, backend))
        with open_store(path) as first:
            assert backend == type(first).__name__.removesuffix("Store").lower()
        rng = random.Random(20240729)
        torn_seen = acked_total = unacked_whole = 0
        final_versions = {}
        for run in range(KILLS):
            # A stream per run keeps the data each check reads small; the runs share the store.
            stream = f"s{run}"
            ack = tmp_path / f"ack-{run}"
            ack.touch()
            short = backend == "jsonl" and run % 2 == 1
            proc = spawn("store_crasher.py", path, stream, run, ack, *["short-writes"] * short)
            deadline = time.monotonic() + 60
            while not ack.read_text() and proc.poll() is None:
                assert time.monotonic() < deadline, "the writer never appended"
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.06))
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            assert -signal.SIGKILL == proc.returncode, proc.stderr

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                store = open_store(path)
            torn_warnings = [w for w in caught if issubclass(w.category, TornTailWarning)]
            if isinstance(store, JsonlStore):
                torn = store.torn
                assert bool(torn) == bool(torn_warnings)
                if torn:
                    torn_seen += 1
                    removed = store.repair().cut
                    assert [stream] == [t.stream for t in removed]
                    head = b'{"stream_version":%d,' % (store.version(stream) + 1)
                    assert head.startswith(removed[0].data) or removed[0].data.startswith(head)
            else:
                assert [] == torn_warnings
            events = store.read(stream)
            final_versions[stream] = len(events)
            # The feed holds exactly the stream's whole batches too.
            assert events == [i.event for i in store.read_all() if i.stream == stream]
            store.close()

            # Only whole batches, each one contiguous and in order.
            batches: dict[str, list[int]] = {}
            ends = {}
            for version, event in enumerate(events, 1):
                batch, index, size = note_parts(event)
                batches.setdefault(batch, []).append(index)
                if index == size - 1:
                    ends[batch] = version
                assert list(range(size))[: len(batches[batch])] == batches[batch]
            for batch, indices in batches.items():
                assert note_parts(events[ends[batch] - 1])[2] == len(indices), batch
            # Every acknowledged batch is there, ending at the acknowledged version.
            acks = [line.split() for line in ack.read_text().splitlines()]
            for version, batch in acks:
                assert int(version) == ends[batch]
            acked_total += len(acks)
            run_batches = [b for b in batches if b.startswith(f"{run}-")]
            unacked_whole += len(run_batches) - len(acks)
            assert len(run_batches) - len(acks) in (0, 1)
        # Later kills left earlier runs' streams as they were.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with open_store(path) as store:
                assert final_versions == {s: store.version(s) for s in store.streams()}
        if isinstance(path, Path):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
        print(
            f"\n[{backend}] {KILLS} kills, {acked_total} acknowledged batches all present, "
            f"{unacked_whole} batches written whole but killed before the ack, "
            f"{torn_seen} torn tails reported and repaired, 0 half batches kept"
        )
