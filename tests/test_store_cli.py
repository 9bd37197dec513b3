"""Tests for crisis_model.store.cli: the ``crisis-model store`` commands."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.cli import render_snapshot, snapshot_document
from crisis_model.store import JsonlStore, SqliteStore
from crisis_model.store.cli import (
    EXIT_CONFLICT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_RULES,
    add_parser,
)

SCENARIO = """\
[scenario]
id = "demo"
title = "A small invented crisis"

[sources.wire-1]
outlet = "Example Wire"
title = "Vote count disputed"
published = 2024-07-30

[[events]]
type = "actor.introduced"
occurred_on = 2024-07-01
actor = "ruler"
name = "The Ruler"
kind = "person"
sources = ["wire-1"]

[[events]]
type = "actor.introduced"
occurred_on = 2024-07-01
actor = "rival"
name = "The Rival"
kind = "person"
sources = ["wire-1"]

[[events]]
type = "movement.went_into_hiding"
occurred_on = 2024-07-30
person = "rival"
sources = ["wire-1"]
"""

MORE = """\
[scenario]
id = "demo-more"
title = "Later reports"

[sources.wire-2]
outlet = "Example Wire"
title = "Rival resurfaces"
published = 2024-08-20

[[events]]
type = "movement.reappeared"
occurred_on = 2024-08-20
person = "rival"
location = "Capital"
sources = ["wire-2"]
"""


def run(*argv: str) -> int:
    """Parse ``argv`` with a parser holding only the store commands, and run the command."""
    parser = argparse.ArgumentParser(prog="crisis-model")
    add_parser(parser.add_subparsers(), renderers=(render_snapshot, snapshot_document))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the two scenario files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.toml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "more.toml").write_text(MORE, encoding="utf-8")
    return tmp_path


@pytest.fixture(params=["default", "jsonl", "postgres"])
def db(request: pytest.FixtureRequest, here: Path) -> list[str]:
    """The --db arguments: none (./crisis.db), a JSON Lines directory, or the DSN of a fresh
    PostgreSQL database."""
    if request.param == "postgres":
        return ["--db", request.getfixturevalue("pg_database")]
    return [] if request.param == "default" else ["--db", "store.jsonl"]


class TestImportAppend:
    def test_import_then_append(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """import makes a stream from a scenario; append adds a file's events as one batch."""
        assert EXIT_OK == run("store", *db, "import", "demo.toml", "--stream", "s")
        assert EXIT_OK == run("store", *db, "append", "s", "more.toml")
        assert "s: appended 1 events (version 3 -> 4)" in capsys.readouterr().out
        with cm.open_store(db[1] if db else "crisis.db") as store:
            assert (4, ["wire-1", "wire-2"]) == (store.version("s"), sorted(store.sources()))

    def test_default_is_sqlite_here(self, here: Path) -> None:
        """Without --db the store is ./crisis.db, an SQLite file."""
        run("store", "import", "demo.toml", "--stream", "s")
        with SqliteStore(here / "crisis.db") as store:
            assert 3 == store.version("s")

    def test_db_after_the_command(self, here: Path) -> None:
        """--db may also follow the store command's name."""
        run("store", "import", "demo.toml", "--stream", "s", "--db", "x.jsonl")
        with JsonlStore(here / "x.jsonl") as store:
            assert ["s"] == store.streams()

    def test_import_refuses_existing(self, db: list[str]) -> None:
        """Importing onto an existing stream is an error naming `append`."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        with pytest.raises(cm.CrisisModelError, match="store append"):
            run("store", *db, "import", "demo.toml", "--stream", "s")

    def test_rejected_batch(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """A batch a rule rejects exits 1, says which event and rule, and writes nothing.
        (Appending the same file again writes nothing either: its events are stored.)"""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        assert EXIT_OK == run("store", *db, "append", "s", "demo.toml")
        assert "appended 0 events (version 3 -> 3); 3 already stored" in (
            capsys.readouterr().out)
        Path("again.toml").write_text(SCENARIO.replace('name = "The Ruler"',
                                                       'name = "The Ruler, again"'),
                                      encoding="utf-8")
        assert EXIT_RULES == run("store", *db, "append", "s", "again.toml")
        assert "rule 'new-actor'" in capsys.readouterr().err
        run("store", *db, "log", "s", "--json")
        assert 3 == len(capsys.readouterr().out.splitlines())

    def test_stale_expected_version(
        self, db: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--expected-version that is not the stream's exits 3 and writes nothing."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        assert EXIT_CONFLICT == run("store", *db, "append", "s", "more.toml",
                                    "--expected-version", "2")
        assert "is at version 3, not the expected 2" in capsys.readouterr().err

    def test_bad_stream_name(self, db: list[str]) -> None:
        """A stream name that is a path is refused."""
        with pytest.raises(cm.StoreError, match="invalid stream name"):
            run("store", *db, "import", "demo.toml", "--stream", "../evil")


class TestInspect:
    def test_list_and_fork(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """list shows each stream's version and where a fork came from."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        run("store", *db, "fork", "s", "--at", "2", "--to", "t")
        capsys.readouterr()
        run("store", *db, "list")
        rows = [line.split(None, 2) for line in capsys.readouterr().out.splitlines()]
        assert [["STREAM", "VERSION", "FORKED FROM"], ["s", "3", "-"],
                ["t", "2", "s at version 2"]] == rows

    def test_log(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """log prints version, id, date, recorded date, the event in words and its sources."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        capsys.readouterr()
        run("store", *db, "log", "s", "--start", "2")
        out = capsys.readouterr().out
        assert re.match(r"3  h[0-9a-f]{12}  2024-07-30  recorded 2024-07-30  ", out), out
        assert "The Rival" in out and "[wire-1]" in out

    def test_log_unknown_stream(self, db: list[str]) -> None:
        """Asking for a stream that does not exist names the ones that do."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        with pytest.raises(cm.CrisisModelError, match=r"no stream 'x'.*streams: s"):
            run("store", *db, "log", "x")

    def test_replay(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """replay prints the state; --as-of stops at a date; --json is the snapshot document."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        run("store", *db, "append", "s", "more.toml")
        capsys.readouterr()
        run("store", *db, "replay", "s", "--as-of", "2024-08-01", "--json")
        doc = json.loads(capsys.readouterr().out)
        assert ("in_hiding", 3) == (doc["actors"]["rival"]["whereabouts"],
                                    doc["events"]["applied"])
        run("store", *db, "replay", "s")
        assert "4 of 4 events applied" in capsys.readouterr().out


class TestExport:
    def test_round_trip(self, db: list[str], here: Path) -> None:
        """An exported stream loads as a scenario with the same events and cited sources."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        run("store", *db, "append", "s", "more.toml")
        run("store", *db, "export", "s", "out.jsonl", "--title", "Demo")
        exported = cm.load_scenario(here / "out.jsonl")
        original = cm.load_scenario(here / "demo.toml").events
        more = cm.load_scenario(here / "more.toml").events
        assert (original + more, ["wire-1", "wire-2"], "Demo") == (
            exported.events, sorted(exported.sources), exported.title
        )

    def test_reimport(self, db: list[str], here: Path) -> None:
        """An export imports into another store as an equal stream."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        run("store", *db, "export", "s", "out.jsonl")
        run("store", "--db", "other.db", "import", "out.jsonl", "--stream", "s")
        with cm.open_store(db[1] if db else "crisis.db") as a, cm.open_store("other.db") as b:
            assert (a.read("s"), a.sources()) == (b.read("s"), b.sources())

    def test_needs_jsonl_name(self, db: list[str]) -> None:
        """Export writes JSON Lines only, and says so."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        with pytest.raises(cm.CrisisModelError, match=r"\*\.jsonl"):
            run("store", *db, "export", "s", "out.toml")


class TestRepair:
    def test_reports_and_repairs(
        self, here: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A torn tail is warned of on stderr, blocks appends, and repair removes it."""
        run("store", "--db", "j.jsonl", "import", "demo.toml", "--stream", "s")
        with open(here / "j.jsonl" / "s.jsonl", "ab") as f:
            f.write(b'{"stream_version":4,"ev')
        capsys.readouterr()
        with pytest.raises(cm.StoreError, match="repair"):
            run("store", "--db", "j.jsonl", "append", "s", "more.toml")
        assert "torn tails" in capsys.readouterr().err
        assert EXIT_OK == run("store", "--db", "j.jsonl", "repair")
        assert "removed stream 's' (" in capsys.readouterr().out
        assert EXIT_OK == run("store", "--db", "j.jsonl", "append", "s", "more.toml")

    def test_sqlite_needs_none(self, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """repair on SQLite says there is nothing to do."""
        assert EXIT_OK == run("store", "repair")
        assert "nothing to repair" in capsys.readouterr().out


class TestFollow:
    def test_prints_feed_and_stops(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """follow prints position, stream@version, date and the event; --limit stops it."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        run("store", *db, "fork", "s", "--at", "3", "--to", "t")
        assert EXIT_OK == run("store", *db, "append", "t", "more.toml", "--expected-version", "3")
        capsys.readouterr()
        assert EXIT_OK == run("store", *db, "follow", "--limit", "3", "--after", "1",
                              "--timeout", "30")
        lines = capsys.readouterr().out.splitlines()
        assert [("s@2", "2024-07-01"), ("s@3", "2024-07-30"), ("t@4", "2024-08-20")] == [
            tuple(line.split()[1:3]) for line in lines
        ]
        assert "The Rival" in lines[1]

    def test_timeout_json_and_stream(
        self, db: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--timeout ends a quiet follow; --stream filters; --json prints feed records."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        run("store", *db, "import", "demo.toml", "--stream", "u")
        capsys.readouterr()
        assert EXIT_OK == run("store", *db, "follow", "--timeout", "0.2", "--stream", "u",
                              "--json")
        records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [(4, "u", 1, "actor.introduced"), (6, "u", 3, "movement.went_into_hiding")] == [
            (r["position"], r["stream"], r["version"], r["event"]["type"])
            for r in (records[0], records[-1])
        ]
        assert EXIT_OK == run("store", *db, "follow", "--timeout", "0.1", "--from-now")
        assert "" == capsys.readouterr().out

    def test_data_text_is_escaped(
        self, db: list[str], here: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Control characters in stored text reach the terminal as escapes, never raw."""
        hostile = SCENARIO.replace('"The Ruler"', '"The \\u001b[2J\\u001b]0;pwned\\u0007Ruler"')
        (here / "hostile.toml").write_text(hostile, encoding="utf-8")
        run("store", *db, "import", "hostile.toml", "--stream", "s")
        capsys.readouterr()
        run("store", *db, "follow", "--limit", "1", "--timeout", "30")
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out
        assert "The \\x1b[2J\\x1b]0;pwned\\x07Ruler" in out

    @pytest.mark.parametrize("bad", [["--timeout", "-1"], ["--timeout", "nan"],
                                     ["--limit", "x"]])
    def test_bad_options(self, here: Path, bad: list[str]) -> None:
        """A negative or non-numeric --timeout or --limit is a usage error."""
        with pytest.raises(SystemExit):
            run("store", "follow", *bad)


class TestPostgresLocation:
    def test_password_never_printed(
        self, pg_database: str, here: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Messages name the server and database, never the URI's password."""
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(pg_database)
        with psycopg.connect(pg_database, autocommit=True) as conn:
            conn.execute("CREATE ROLE analyst LOGIN PASSWORD 's3cret-pw'")
            conn.execute(f'GRANT ALL ON DATABASE "{parts["dbname"]}" TO analyst')
        try:
            dsn = (f"postgresql://analyst:s3cret-pw@{parts['host']}:{parts['port']}/"
                   f"{parts['dbname']}")
            with pytest.raises(cm.StoreError, match="no store at postgresql://127") as info:
                run("store", "--db", dsn, "list")  # reading never creates a store
            assert "s3cret" not in str(info.value)
            run("store", "--db", dsn, "import", "demo.toml", "--stream", "s")
            run("store", "--db", dsn, "replay", "s")
            run("store", "--db", dsn, "check")
            captured = capsys.readouterr()
            assert "postgresql://127.0.0.1:" in captured.out
            assert "s3cret" not in captured.out + captured.err
            bad = f"postgresql://analyst:s3cret-pw@{parts['host']}:1/{parts['dbname']}"
            with pytest.raises(cm.StoreError) as info:
                run("store", "--db", bad, "list")
            assert "s3cret" not in str(info.value)
        finally:
            with psycopg.connect(pg_database, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS crisis_model CASCADE")
                conn.execute("DROP OWNED BY analyst")
                conn.execute("DROP ROLE analyst")


# -- issue 10: nothing a user committed is destroyed -------------------------------------------


class TestRepairKeepsCommittedBatches:
    def test_missing_final_newline_is_completed(
        self, here: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """After an import, a stream file that lost its final newline keeps its batch:
        repair adds the newline back (it used to cut the stream to version 0)."""
        run("store", "--db", "st.jsonl", "import", "demo.toml", "--stream", "s")
        file = here / "st.jsonl" / "s.jsonl"
        file.write_bytes(file.read_bytes().rstrip(b"\n"))
        capsys.readouterr()
        assert EXIT_OK == run("store", "--db", "st.jsonl", "repair", "--dry-run")
        assert "would add the final newline" in capsys.readouterr().out
        assert not file.read_bytes().endswith(b"\n")
        assert EXIT_OK == run("store", "--db", "st.jsonl", "repair")
        assert "added the final newline" in capsys.readouterr().out
        with JsonlStore(here / "st.jsonl") as store:
            assert 3 == store.version("s")
        assert file.read_bytes().endswith(b"}\n")

    def test_torn_tail_backed_up(self, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """repair names the backup file holding what it cut; --dry-run cuts nothing."""
        run("store", "--db", "st.jsonl", "import", "demo.toml", "--stream", "s")
        file = here / "st.jsonl" / "s.jsonl"
        whole = file.read_bytes()
        file.write_bytes(whole + b'{"stream_version":4,"ev')
        capsys.readouterr()
        assert EXIT_OK == run("store", "--db", "st.jsonl", "repair", "--dry-run")
        assert "would move the torn tail" in capsys.readouterr().out
        assert EXIT_OK == run("store", "--db", "st.jsonl", "repair")
        out = capsys.readouterr().out
        backup = Path(out.split("saved to ")[1].split()[0])
        assert (whole, b'{"stream_version":4,"ev') == (file.read_bytes(), backup.read_bytes())


class TestExportNeverClobbers:
    @pytest.mark.parametrize("target", ["st.jsonl/s.jsonl", "st.jsonl/notes.jsonl", "st.jsonl"])
    def test_refuses_the_store_directory(self, here: Path, target: str) -> None:
        """export onto a stream's file, or anywhere in the store, is refused; nothing changes."""
        run("store", "--db", "st.jsonl", "import", "demo.toml", "--stream", "s")
        before = {p.name: p.read_bytes() for p in (here / "st.jsonl").iterdir()}
        with pytest.raises(cm.CrisisModelError, match="store"):
            run("store", "--db", "st.jsonl", "export", "s", target)
        assert before == {p.name: p.read_bytes() for p in (here / "st.jsonl").iterdir()}
        with JsonlStore(here / "st.jsonl") as store:
            assert 3 == store.version("s")

    def test_refuses_another_store(self, here: Path) -> None:
        """export into another JSON Lines store's directory is refused too."""
        run("store", "--db", "st.jsonl", "import", "demo.toml", "--stream", "s")
        run("store", "import", "demo.toml", "--stream", "s")
        before = (here / "st.jsonl" / "s.jsonl").read_bytes()
        with pytest.raises(cm.CrisisModelError, match="a crisis_model store's directory"):
            run("store", "export", "s", "st.jsonl/s.jsonl")
        assert before == (here / "st.jsonl" / "s.jsonl").read_bytes()

    def test_refuses_the_sqlite_file(self, here: Path) -> None:
        """export onto the SQLite store's own file (or a database) is refused."""
        run("store", "--db", "db.jsonl.db", "import", "demo.toml", "--stream", "s")
        (here / "x.jsonl").symlink_to(here / "db.jsonl.db")
        before = (here / "db.jsonl.db").read_bytes()
        with pytest.raises(cm.CrisisModelError, match="store's own file"):
            run("store", "--db", "db.jsonl.db", "export", "s", "x.jsonl")
        assert before == (here / "db.jsonl.db").read_bytes()


class TestRefusedImportLeavesNoTrace:
    def test_corrected_file_imports(self, db: list[str], here: Path) -> None:
        """A file whose batch the rules refuse records none of its sources: once corrected
        (a source's definition included), it imports."""
        bad = SCENARIO.replace('person = "rival"', 'person = "nobody"')
        (here / "bad.toml").write_text(bad, encoding="utf-8")
        assert EXIT_RULES == run("store", *db, "import", "bad.toml", "--stream", "s")
        with cm.open_store(db[1] if db else "crisis.db") as store:
            assert ({}, []) == (store.sources(), store.streams())
        fixed = SCENARIO.replace('title = "Vote count disputed"', 'title = "Count disputed"')
        (here / "fixed.toml").write_text(fixed, encoding="utf-8")
        assert EXIT_OK == run("store", *db, "import", "fixed.toml", "--stream", "s")
        with cm.open_store(db[1] if db else "crisis.db") as store:
            assert "Count disputed" == store.sources()["wire-1"]["title"]


class TestCheck:
    def test_clean_store(self, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        """check on a sound store says so and exits 0."""
        run("store", *db, "import", "demo.toml", "--stream", "s")
        capsys.readouterr()
        assert EXIT_OK == run("store", *db, "check")
        assert "no problems found" in capsys.readouterr().out

    def test_lists_problems_changing_nothing(
        self, here: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """check names the damaged file and line, exits 4, and changes nothing; the other
        stream stays usable."""
        run("store", "--db", "st.jsonl", "import", "demo.toml", "--stream", "s")
        run("store", "--db", "st.jsonl", "import", "demo.toml", "--stream", "t")
        file = here / "st.jsonl" / "s.jsonl"
        file.write_bytes(file.read_bytes().replace(b'"stream_version":2', b'"stream_version":8'))
        before = {p.name: p.read_bytes() for p in (here / "st.jsonl").iterdir()}
        capsys.readouterr()
        assert EXIT_PROBLEMS == run("store", "--db", "st.jsonl", "check")
        out = capsys.readouterr().out
        assert "s.jsonl:2, stream 's', version 2: damaged line" in out
        assert before == {p.name: p.read_bytes() for p in (here / "st.jsonl").iterdir()}
        assert EXIT_OK == run("store", "--db", "st.jsonl", "append", "t", "more.toml")
        assert EXIT_PROBLEMS == run("store", "--db", "st.jsonl", "repair")


#: Runs the command as the unprivileged user ``nobody`` (modules loaded first, as root).
AS_NOBODY = """
import importlib, os, sys
for name in ("crisis_model.cli", "crisis_model.store.cli", "crisis_model.scenario",
             "crisis_model.serialization", "crisis_model.store", "sqlite3", "tempfile",
             "json", "encodings.idna", "crisis_model._jsontext"):
    importlib.import_module(name)
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
from crisis_model.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX users needed")
class TestReadOnlyStores:
    @pytest.fixture
    def shared(self) -> Iterator[Path]:
        """A directory everyone may read and no one but its owner may write."""
        path = Path(tempfile.mkdtemp())
        yield path
        shutil.rmtree(path, ignore_errors=True)

    @pytest.mark.parametrize("name", ["crisis.db", "st.jsonl"])
    def test_reading_commands_work(self, shared: Path, name: str, here: Path) -> None:
        """list, log, replay, check and export (to a writable place) work for a user who may
        read the store but not write it; append fails cleanly; nothing changes."""
        store = shared / name
        assert EXIT_OK == run("store", "--db", str(store), "import", "demo.toml", "--stream", "s")
        out = shared / "out"
        out.mkdir()
        for p in [shared, *shared.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        out.chmod(0o777)
        if os.geteuid() == 0:
            command = [sys.executable, "-c", AS_NOBODY]
        else:  # the permission bits stop a normal user from writing
            for p in [store, *store.rglob("*")] if store.is_dir() else [store]:
                p.chmod(0o555 if p.is_dir() else 0o444)
            shared.chmod(0o555)
            command = [sys.executable, "-m", "crisis_model"]
        before = {p.name: p.read_bytes() for p in shared.rglob("*") if p.is_file()}
        root = Path(__file__).resolve().parent.parent
        env = {**os.environ, "PYTHONPATH": str(root)}

        def crisis_model(*argv: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*command, "store", "--db", str(store), *argv], cwd=out,
                                  capture_output=True, text=True, env=env, check=False)

        for argv in (["list"], ["log", "s"], ["replay", "s"], ["check"],
                     ["export", "s", str(out / "s.jsonl")], ["repair", "--dry-run"]):
            done = crisis_model(*argv)
            assert (0, "") == (done.returncode, done.stderr), argv
        assert ["s", "3", "-"] == crisis_model("list").stdout.splitlines()[1].split()
        refused = crisis_model("append", "s", str(here / "more.toml"))
        assert 2 == refused.returncode
        assert "Traceback" not in refused.stderr
        shared.chmod(0o755)
        after = {p.name: p.read_bytes() for p in shared.rglob("*")
                 if p.is_file() and p.parent != out}
        assert before == after
        assert 3 == len(cm.load_scenario(out / "s.jsonl").events)


class TestLosslessText:
    def test_separators_and_surrogates(self, db: list[str], here: Path) -> None:
        """Names holding U+2028, U+2029, U+0085 and a lone surrogate import, export and
        import again unchanged (they used to break the reader or crash the import)."""
        name = "A\u2028B\u2029C\u0085D\ud800E"
        scenario = cm.load_scenario(here / "demo.toml")
        first = scenario.events[0]
        odd = cm.Scenario(id="odd", title="t\u2028", events=[
            type(first)(occurred_on=first.occurred_on, actor="ruler", name=name,
                        kind=cm.ActorKind.PERSON),
        ])
        odd.dump(here / "odd.jsonl")
        assert odd.events == cm.load_scenario(here / "odd.jsonl").events
        assert EXIT_OK == run("store", *db, "import", "odd.jsonl", "--stream", "s")
        assert EXIT_OK == run("store", *db, "export", "s", "back.jsonl")
        assert odd.events == cm.load_scenario(here / "back.jsonl").events
        for line in (here / "back.jsonl").read_text(encoding="utf-8").split("\n")[:-1]:
            json.loads(line)

    def test_year_source_without_date(self, here: Path) -> None:
        """A source known to the year with no date keeps its precision through a dump."""
        (here / "y.toml").write_text(
            '[scenario]\nid = "y"\ntitle = "y"\n\n[sources.old]\noutlet = "O"\ntitle = "T"\n'
            'precision = "year"\n', encoding="utf-8")
        scenario = cm.load_scenario(here / "y.toml")
        for out in ("y2.toml", "y2.jsonl"):
            scenario.dump(here / out)
            assert cm.Precision.YEAR == cm.load_scenario(here / out).sources["old"].precision
