"""crisis_model.interop.cli: ``crisis-model import`` and ``crisis-model export``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model._export import EXPORT_FORMATS, ExportFormat, register_export_format
from crisis_model.cli import main

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "interop"
SEED = ROOT / "seeds" / "venezuela_2024.toml"
BRANCH = ROOT / "seeds" / "venezuela_2024_amnesty_accepted.toml"


def run(*args):
    """Run the command in a fresh process (as a user would); return (code, stdout, stderr)."""
    result = subprocess.run([sys.executable, "-m", "crisis_model", *map(str, args)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    return result.returncode, result.stdout, result.stderr


class TestImport:
    def test_acled_to_scenario(self, tmp_path):
        """The scenario written loads and replays; the summary goes to stderr."""
        out = tmp_path / "acled.jsonl"
        code, stdout, stderr = run("import", "acled", FIXTURES / "acled_venezuela_2024.csv",
                                   "--country", "VEN", "-o", out)
        assert (0, "") == (code, stdout)
        assert "acled: 10 records read, 6 mapped onto built-in event types, 2 unmapped" in stderr
        assert "unmapped 'Battles/Armed clash': 1" in stderr
        assert "rejected, event_date is not a date: 1 (e.g. acled_venezuela_2024.csv:3)" in stderr
        assert "lenient replay: 0 event(s) rejected by the rules" in stderr
        scenario = cm.load_scenario(out)
        assert 3 == scenario.replay().incidents.protests
        assert "ACLED" == scenario.sources["acled"].outlet

    def test_json_summary(self, tmp_path):
        """--json-summary prints the counts as JSON on stdout."""
        code, stdout, _ = run("import", "gdelt", FIXTURES / "gdelt_events.export.CSV",
                              "--json-summary", "-o", tmp_path / "g.jsonl")
        assert 0 == code
        assert {"051": 1, "1041": 1} == json.loads(stdout)["unmapped"]

    def test_merge_with_aliases(self, tmp_path):
        """--merge puts ACLED's records among the seed's, on the seed's actors."""
        out = tmp_path / "merged.jsonl"
        code, _, stderr = run("import", "acled", FIXTURES / "acled_venezuela_2024.csv",
                              "--country", "VEN", "--aliases", FIXTURES / "aliases.toml",
                              "--merge", SEED, "-o", out)
        assert 0 == code, stderr
        merged = cm.load_scenario(out)
        state = merged.replay()
        seed_state = cm.load_scenario(SEED).replay()
        assert seed_state.incidents.protests + 3 == state.incidents.protests
        assert "ven-protesters" in state.actors

    def test_into_a_store(self, tmp_path):
        """--store appends the admitted events to the stream."""
        db = tmp_path / "c.db"
        code, _, stderr = run("import", "ucdp", FIXTURES / "ucdp_ged.csv", "--keep-unmapped",
                              "--store", db, "--stream", "ged")
        assert 0 == code, stderr
        with cm.open_store(db) as store:
            assert 3 == store.replay("ged").incidents.crackdowns
            assert "ucdp" in store.sources()

    def test_wrong_format_is_a_clear_error(self):
        """A GDELT file given as ACLED: exit 2, the missing columns named, no traceback."""
        code, _, stderr = run("import", "acled", FIXTURES / "gdelt_events.export.CSV",
                              "-o", "never.jsonl")
        assert 2 == code
        assert "gdelt_events.export.CSV:1: not a ACLED CSV file: missing column(s)" in stderr
        assert "Traceback" not in stderr
        assert not (ROOT / "never.jsonl").exists()

    def test_binary_file_is_a_clear_error(self, tmp_path):
        """A binary file: exit 2, the file and line named, no traceback."""
        f = tmp_path / "x.csv"
        f.write_bytes(b"\x00\x01binary")
        code, _, stderr = run("import", "acled", f, "-o", tmp_path / "x.jsonl")
        assert (2, False) == (code, "Traceback" in stderr)
        assert "x.csv:1: not a text file: a NUL byte" in stderr

    def test_store_needs_stream(self, tmp_path):
        """--store without --stream is a usage error."""
        code, _, stderr = run("import", "acled", FIXTURES / "acled_venezuela_2024.csv",
                              "--store", tmp_path / "c.db")
        assert (2, True) == (code, "--store needs --stream" in stderr)

    def test_hostile_text_is_escaped(self, tmp_path):
        """A code with terminal escapes reaches stderr escaped."""
        rows = list(csv.reader((FIXTURES / "acled_venezuela_2024.csv").open(encoding="utf-8")))
        rows[1][5] = "Evil\x1b]0;pwned\x07"
        f = tmp_path / "evil.csv"
        with f.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
        code, _, stderr = run("import", "acled", f, "-o", tmp_path / "e.jsonl")
        assert 0 == code
        assert "\x1b" not in stderr and "\x07" not in stderr
        assert "Evil\\x1b]0;pwned\\x07/Arrests" in stderr

    def test_no_progress_when_not_a_terminal(self, tmp_path):
        """The progress line is never written to a pipe."""
        _, _, stderr = run("import", "plover", FIXTURES / "plover_gsr_slice.txt",
                           "-o", tmp_path / "p.jsonl")
        assert "importing:" not in stderr and "\r" not in stderr


class TestExport:
    def test_plover_then_import(self, tmp_path):
        """export plover, then import plover: the same events."""
        out = tmp_path / "seed.plover.jsonl"
        code, _, stderr = run("export", "plover", SEED, "-o", out)
        assert 0 == code
        assert "41 PLOVER records" in stderr
        back = tmp_path / "back.jsonl"
        assert 0 == run("import", "plover", out, "-o", back)[0]
        assert cm.load_scenario(SEED).events == cm.load_scenario(back).events

    def test_branch_is_hypothetical(self, tmp_path):
        """Exporting a what-if branch marks its own events hypothetical."""
        out = tmp_path / "b.jsonl"
        code, _, stderr = run("export", "plover", BRANCH, "-o", out)
        assert 0 == code
        assert "(5 what-if events in mode hypothetical)" in stderr
        modes = [json.loads(line).get("mode", "") for line in out.read_text().splitlines()]
        assert 5 == sum("hypothetical" in m for m in modes)

    def test_panel(self, tmp_path):
        """export panel writes the CSV panel."""
        out = tmp_path / "p.csv"
        assert 0 == run("export", "panel", SEED, "-o", out)[0]
        header = out.read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("date,version,actor,name,kind")

    def test_formats_share_the_export_command(self, tmp_path, monkeypatch):
        """plover and panel sit beside the other formats of the one export command."""
        monkeypatch.setattr("crisis_model._export.EXPORT_FORMATS", dict(EXPORT_FORMATS))
        register_export_format(ExportFormat(
            name="count", help="the number of events",
            export=lambda args: f"{len(cm.load_scenario(args.file).events)}\n"))
        out = tmp_path / "n.txt"
        assert 0 == main(["export", "count", str(SEED), "-o", str(out)])
        assert "41\n" == out.read_text(encoding="utf-8")
        assert {"plover", "panel"} <= set(EXPORT_FORMATS)

    def test_unknown_format(self):
        """An unknown export format is a usage error listing the formats."""
        code, _, stderr = run("export", "geojson", SEED, "-o", "x")
        assert 2 == code
        assert "invalid choice: 'geojson'" in stderr
        assert not (ROOT / "x").exists()


@pytest.mark.parametrize("command", ["import", "export"])
def test_help(command):
    """Each command's help shows examples."""
    code, stdout, _ = run(command, "--help")
    assert 0 == code and "examples:" in stdout
