"""Hostile input: every reader refuses what it cannot read with a documented error, never a
traceback, a hang, raw control characters on the terminal or unbounded output.

The fuzz runs ``HYPOTHESIS_PROFILE``'s number of examples (60 in ``ci``);
``HYPOTHESIS_PROFILE=thorough`` runs 5,000 of each.
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model import scenario as scenario_module
from crisis_model.cli import main
from crisis_model.errors import LimitExceededError, ScenarioSchemaError, ScenarioSyntaxError

from . import hostile

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "venezuela_2024.toml"
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
#: Control characters that must never reach a terminal raw.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x00", "\r")


def cli(*args: str) -> tuple[int, str, str]:
    """Run the command in this process: exit code, standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def clean(text: str) -> bool:
    """Whether ``text`` holds neither a traceback nor a raw control character."""
    return "Traceback" not in text and not any(c in text for c in RAW)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile corpus, written once for the module."""
    return hostile.corpus(tmp_path_factory.mktemp("hostile"))


#: What each refused case raises, and words its message must hold.
EXPECTED: dict[str, tuple[type[cm.ScenarioError], tuple[str, ...]]] = {
    "toml-deep-array": (LimitExceededError, ("deep_array.toml:4", "64 levels", "--limit depth=")),
    "toml-deep-inline-table": (LimitExceededError, ("deep_table.toml:", "depth")),
    "jsonl-deep-event": (LimitExceededError, ("deep_event.jsonl:1", "depth")),
    "jsonl-deep-header": (LimitExceededError, ("deep_header.jsonl:1", "depth")),
    "jsonl-huge-integer": (LimitExceededError, ("huge_int.jsonl:1", "30 digits",
                                                "integer-digits=N")),
    "toml-huge-integer": (LimitExceededError, ("huge_int.toml", "integer-digits")),
    "extends-nul": (ScenarioSchemaError, ("nul.toml:4", "NUL byte")),
    "jsonl-null-scenario": (ScenarioSchemaError, ("null_scenario.jsonl:1", "'scenario'",
                                                  "got NoneType None")),
    "jsonl-scenario-wrong-type": (ScenarioSchemaError, ("'scenario'", "got list")),
    "jsonl-scenario-null-id": (ScenarioSchemaError, ("'scenario.id'", "expected a string")),
    "jsonl-sources-null": (ScenarioSchemaError, ("'sources'", "got NoneType None")),
    "toml-scenario-missing-title": (ScenarioSchemaError, ("'scenario.title'", "required")),
    "toml-scenario-wrong-type": (ScenarioSchemaError, ("'scenario.id'", "expected a string")),
    "extends-not-scenario": (ScenarioSchemaError, ("extends_csv.toml:4", "data.csv",
                                                   "not a scenario file")),
    "toml-bom": (ScenarioSyntaxError, ("bom.toml:1", "byte-order mark (BOM")),
    "jsonl-bom": (ScenarioSyntaxError, ("bom.jsonl:1", "byte-order mark (BOM")),
    "iso-week-date-jsonl": (ScenarioSchemaError, ("week.jsonl:1", "YYYY-MM-DD", "2024-W01-1")),
    "compact-date-jsonl": (ScenarioSchemaError, ("compact.jsonl:1", "YYYY-MM-DD", "20240101")),
    "compact-date-toml": (ScenarioSchemaError, ("compact.toml:", "YYYY-MM-DD", "20240101")),
    "iso-week-source-date": (ScenarioSchemaError, ("week_source.toml:5", "2024-W01-1")),
    "blank-source-id": (ScenarioSchemaError, ("blank_source.toml:5", "must not be blank")),
    "invalid-utf8": (ScenarioSyntaxError, ("latin1.toml:5", "not UTF-8")),
    "long-string": (LimitExceededError, ("long_string.jsonl:1", "200,000 characters",
                                         "--limit string=")),
    "random-bytes": (cm.ScenarioError, ("random.toml",)),
    "truncated-toml": (ScenarioSyntaxError, ("truncated.toml:",)),
    "truncated-jsonl": (ScenarioSyntaxError, ("truncated.jsonl:1",)),
    "directory": (cm.ScenarioError, ("a_directory.toml", "is a directory, not a regular file")),
    "fifo": (cm.ScenarioError, ("a_fifo.toml", "FIFO", "not a regular file")),
    "dev-zero": (cm.ScenarioError, ("zero.toml", "character device", "not a regular file")),
    "dev-urandom": (cm.ScenarioError, ("urandom.jsonl", "character device")),
    "extends-chain-1000": (LimitExceededError, ("chain31.toml:4", "longer than 32 files",
                                                "--limit extends=", "chain30.toml:4 extends")),
}


class TestCorpus:
    @pytest.mark.parametrize("case", sorted(EXPECTED))
    def test_load_refuses(self, files, case):
        """load_scenario refuses each hostile file with its documented error, named and placed."""
        cls, words = EXPECTED[case]
        with pytest.raises(cm.ScenarioError) as info:
            cm.load_scenario(files[case])
        message = str(info.value)
        assert (True, []) == (isinstance(info.value, cls), [w for w in words if w not in message])

    @pytest.mark.parametrize("command", ["validate", "replay", "timeline"])
    @pytest.mark.parametrize("case", sorted(EXPECTED))
    def test_cli_refuses(self, files, case, command):
        """Each command exits 2 with the cause, never a traceback or a raw control character."""
        code, out, err = cli(command, str(files[case]))
        text = err if command != "validate" else out
        first = text.splitlines()[0] if text else ""
        assert (2, True, True) == (code, clean(out + err), first.startswith(
            "crisis-model: error: " if command != "validate" else "error: "))

    def test_every_case_is_checked(self):
        """Every case of the corpus has an expectation here (or loads, in hostile.LOADS)."""
        assert sorted(hostile.CASES) == sorted(EXPECTED)

    def test_fifo_never_blocks(self, files):
        """A FIFO named as the scenario is refused at once (in a subprocess: a hang would show)."""
        result = subprocess.run(
            [sys.executable, "-m", "crisis_model", "validate", str(files["fifo"])],
            capture_output=True, text=True, timeout=60, cwd=ROOT,
        )
        assert (2, True) == (result.returncode, "FIFO (named pipe)" in result.stdout)


class TestLimits:
    def test_raised_depth_loads(self, tmp_path):
        """A limit is raised with limits=Limits(...): the same file then loads."""
        path = tmp_path / "deep.jsonl"
        extra = "[" * 70 + "]" * 70
        path.write_text(json.dumps(hostile.JSON_EVENT)[:-1] + f', "x": {extra}}}\n')
        with pytest.raises(LimitExceededError):
            cm.load_scenario(path)
        with pytest.raises(cm.ScenarioSchemaError):  # past the limit: 'x' is an unknown field
            cm.load_scenario(path, limits=cm.Limits(depth=100))

    def test_file_size_keyword_flag_and_environment(self, tmp_path, monkeypatch):
        """The file-size limit is raised by keyword, by --limit and by CRISIS_MODEL_LIMITS."""
        path = tmp_path / "s.toml"
        path.write_bytes(SEED.read_bytes())
        small = cm.Limits(file_size=1000)
        with pytest.raises(LimitExceededError) as info:
            cm.load_scenario(path, limits=small)
        assert "file-size" in str(info.value) and info.value.limit == "file_size"
        code_small, out_small, _ = cli("--limit", "file-size=1K", "validate", str(path))
        code_big, _, _ = cli("--limit", "file-size=1M", "validate", str(path))
        monkeypatch.setenv("CRISIS_MODEL_LIMITS", "file-size=1000")
        code_env, _, _ = cli("validate", str(path))
        with pytest.raises(LimitExceededError):
            cm.load_scenario(path)
        code_both, _, _ = cli("--limit", "file-size=2M", "validate", str(path))
        assert (2, True, 0, 2, 0) == (code_small, "over the limit of 1,024 bytes" in out_small,
                                      code_big, code_env, code_both)

    def test_bad_limit_is_a_usage_error(self, monkeypatch):
        """A malformed --limit or CRISIS_MODEL_LIMITS is a usage error (exit 2)."""
        code_flag, _, err_flag = cli("--limit", "depth=lots", "validate", str(SEED))
        monkeypatch.setenv("CRISIS_MODEL_LIMITS", "nonsense=3")
        code_env, _, err_env = cli("validate", str(SEED))
        assert (2, True, 2, True) == (code_flag, "got 'lots'" in err_flag,
                                      code_env, "CRISIS_MODEL_LIMITS" in err_env)

    def test_extends_limit_raised(self, files):
        """With --limit extends=1000 the 1,000-file chain loads, without recursion."""
        code, out, _ = cli("--limit", "extends=1000", "validate", str(files["extends-chain-1000"]))
        assert (0, True) == (code, out.endswith(": ok\n"))

    def test_loading_pauses_the_collector(self, tmp_path, monkeypatch):
        """The cyclic garbage collector is paused while a file loads (and restored after)."""
        seen = []
        parse = scenario_module._parse_jsonl

        def spy(*args, **kwargs):
            seen.append(gc.isenabled())
            return parse(*args, **kwargs)

        monkeypatch.setattr(scenario_module, "_parse_jsonl", spy)
        path = tmp_path / "s.jsonl"
        path.write_text(json.dumps(hostile.JSON_EVENT) + "\n")
        cm.load_scenario(path)
        assert ([False], True) == (seen, gc.isenabled())


class TestRightPlace:
    def test_parent_problem_names_parent_and_child(self, tmp_path):
        """A problem in the scenario a branch extends names the parent's file and line and
        the branch that extended it."""
        (tmp_path / "parent.toml").write_text(
            hostile.HEAD + hostile._toml_event().replace('"person"', '"persn"'))
        (tmp_path / "child.toml").write_text(hostile.HEAD + 'extends = "parent.toml"\n')
        with pytest.raises(cm.ScenarioSchemaError) as info:
            cm.load_scenario(tmp_path / "child.toml")
        e = info.value
        assert (str(tmp_path / "parent.toml"), 10, f"{tmp_path / 'child.toml'}:4") == (
            e.file, e.line, e.extended_by) and "child.toml:4 extends" in str(e)

    def test_parent_unreadable_names_child(self, tmp_path):
        """A parent that is a directory is refused, naming the child that extends it."""
        (tmp_path / "parent.toml").mkdir()
        (tmp_path / "child.toml").write_text(hostile.HEAD + 'extends = "parent.toml"\n')
        with pytest.raises(cm.ScenarioError) as info:
            cm.load_scenario(tmp_path / "child.toml")
        assert "child.toml:4 extends" in str(info.value)

    def test_triple_quotes_keep_line_numbers(self, files):
        """A literal string holding three quotes does not cost later events their lines."""
        with pytest.raises(cm.ScenarioSchemaError) as info:
            cm.load_scenario(files["literal-triple-quotes"])
        assert (18, 1) == (info.value.line, info.value.index)

    def test_crlf_loads(self, files):
        """A file with CRLF line ends loads."""
        assert 1 == len(cm.load_scenario(files["crlf"]).events)

    def test_store_write_failure_says_write(self, tmp_path):
        """A JSON Lines store that cannot be written is reported as a write failure."""
        db = tmp_path / "db.jsonl"  # a directory: a JSON Lines store
        assert 0 == cli("store", "--db", str(db), "import", str(SEED), "--stream", "s")[0]
        (db / "store.json.tmp").mkdir()  # where the store writes its metadata
        code, _, err = cli("store", "--db", str(db), "import", str(SEED), "--stream", "t")
        assert (2, True) == (code, "cannot write" in err and "cannot read" not in err)


class TestSafeText:
    @pytest.mark.parametrize("command", [
        ["replay"], ["timeline"], ["validate"], ["replay", "--as-of", "2024-03-01"],
    ])
    def test_commands_escape(self, files, command):
        """Control characters in names, ids and titles are printed as visible escapes."""
        code, out, err = cli(*command, str(files["control-characters"]))
        assert (0, True, True) == (code, clean(out + err), "\\u001b" in out or "ok" in out)

    def test_diff_escapes(self, files):
        """diff escapes too."""
        path = str(files["control-characters"])
        code, out, err = cli("diff", path, "--from", "2024-01-01", "--to", "2024-12-31")
        assert (0, True, True) == (code, clean(out + err), "\\u001b" in out)

    def test_json_stays_exact(self, files):
        """replay --json escapes as JSON does: the document decodes to the exact names."""
        code, out, _ = cli("replay", "--json", str(files["control-characters"]))
        doc = json.loads(out)
        name = doc["actors"]["a\x1b[2J"]["name"]
        assert (0, True, "A\x1b]0;pwned\x07 \u202e \x9b") == (code, clean(out), name)

    def test_store_log_and_replay_escape(self, files, tmp_path):
        """store log and store replay escape what the stream's events hold."""
        db = str(tmp_path / "s.db")
        path = str(files["control-characters"])
        assert 0 == cli("store", "--db", db, "import", path, "--stream", "s")[0]
        results = [cli("store", "--db", db, "log", "s"), cli("store", "--db", db, "replay", "s")]
        assert [(0, True), (0, True)] == [(c, clean(o + e)) for c, o, e in results]

    def test_errors_escape(self, tmp_path):
        """An error message quoting data escapes its control characters."""
        path = tmp_path / "bad.toml"
        path.write_text(hostile.HEAD + hostile._toml_event(name="x").replace(
            '"person"', '"pers\\u001b[2Jon"'))
        code, out, err = cli("replay", str(path))
        assert (2, True) == (code, clean(out + err))

    def test_safe_text(self):
        """safe_text keeps newlines and tabs; safe_line escapes them too."""
        from crisis_model._limits import safe_line, safe_text

        text = "a\tb\nc\x1bd\x7f\u202e"
        assert ("a\tb\nc\\u001bd\\u007f\\u202e", "a\\u0009b\\u000ac\\u001bd\\u007f\\u202e") == (
            safe_text(text), safe_line(text))


@pytest.fixture(scope="module")
def unknown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 sources and 3,000 events that each cite the unknown source 'x'."""
    path = tmp_path_factory.mktemp("v") / "unknown.jsonl"
    header = {"scenario": {"id": "u", "title": "U"},
              "sources": {f"s{i}": {"outlet": "o", "title": "t"} for i in range(3000)}}
    lines = [json.dumps(header)] + [
        json.dumps({**hostile.JSON_EVENT, "actor": f"a{i}", "sources": ["x"]})
        for i in range(3000)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


class TestValidateBounded:
    def test_repeats_summarised(self, unknown):
        """3,000 events citing one unknown source make one line, in under 2 KB."""
        code, out, _ = cli("validate", str(unknown))
        first = out.splitlines()[0]
        assert (2, True, True, 2) == (
            code, len(out) < 2000,
            "event #0 and 2,999 more (#1, #2, #3, #4, #5, ...) (actor.introduced)" in first,
            len(out.splitlines()),
        )

    def test_all_names_every_event(self, unknown):
        """--all names every event a repeated problem concerns."""
        code, out, _ = cli("validate", "--all", str(unknown))
        assert (2, True) == (code, "#2999" in out)

    def test_distinct_problems_capped(self, tmp_path):
        """Past 50 distinct problems the rest are counted, not printed (--all prints them)."""
        path = tmp_path / "many.jsonl"
        path.write_text("".join(
            json.dumps({**hostile.JSON_EVENT, "actor": f"a{i}", "sources": [f"x{i}"]}) + "\n"
            for i in range(200)
        ))
        _, capped, _ = cli("validate", str(path))
        _, full, _ = cli("validate", "--all", str(path))
        assert (52, True, 201) == (
            len(capped.splitlines()),
            "... and 150 more distinct problems not shown (--all lists every one)" in capped,
            len(full.splitlines()),
        )

    def test_hints_are_bounded(self, tmp_path, monkeypatch):
        """'Did you mean' hints scan the sources for at most 20 unknown ids (linear time)."""
        calls = []
        real = scenario_module.nearest
        monkeypatch.setattr(scenario_module, "nearest",
                            lambda *a, **k: calls.append(1) or real(*a, **k))
        path = tmp_path / "many.jsonl"
        path.write_text("".join(
            json.dumps({**hostile.JSON_EVENT, "actor": f"a{i}", "sources": [f"x{i % 300}"]})
            + "\n" for i in range(1000)
        ))
        with pytest.raises(cm.UnknownSourceError) as info:
            cm.load_scenario(path)
        assert (1000, 20) == (len(info.value.errors), len(calls))

    def test_rule_violations_summarised(self, tmp_path):
        """Repeated rule violations are summarised the same way: the knock-on problems
        under the first, which caused them."""
        path = tmp_path / "rules.jsonl"
        path.write_text("".join(
            json.dumps({"type": "justice.released", "occurred_on": "2024-01-01",
                        "group": "nobody", "count": 1}) + "\n" for _ in range(500)
        ))
        code, out, _ = cli("validate", str(path))
        assert (1, 3, True) == (code, len(out.splitlines()), "then 499 knock-on problems" in out)


class TestWronglyAccepted:
    @pytest.mark.parametrize("date", ["2024-W01-1", "20240101", "2024-001"])
    def test_as_of_is_yyyy_mm_dd(self, date):
        """--as-of takes YYYY-MM-DD only."""
        code, _, err = cli("replay", str(SEED), "--as-of", date)
        assert (2, True) == (code, "expected a date as YYYY-MM-DD" in err)

    def test_blank_election_id(self, tmp_path):
        """An election called with a blank id is rejected by a rule."""
        path = tmp_path / "e.toml"
        path.write_text(hostile.HEAD + '\n[[events]]\ntype = "election.called"\n'
                        'occurred_on = 2024-01-01\nelection = " "\n')
        code, out, _ = cli("validate", str(path))
        assert (1, True) == (code, "an election needs a non-blank id" in out)

    def test_import_exiting_zero_is_an_error(self, tmp_path):
        """An --import module raising SystemExit(0) is an error (exit 2), not a validation."""
        mod = tmp_path / "exits.py"
        mod.write_text("raise SystemExit(0)\n")
        code, out, err = cli("--import", str(mod), "validate", str(SEED))
        assert (2, "", True) == (code, out, "SystemExit(0)" in err)


# -- fuzz -----------------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=5000 if THOROUGH else settings.default.max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)
_names = itertools.count()


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for the fuzz's files."""
    return tmp_path_factory.mktemp("fuzz")


def _write(directory: Path, data: bytes, suffix: str) -> Path:
    path = directory / f"f{next(_names)}{suffix}"
    path.write_bytes(data)
    return path


#: Small limits, so that "huge" files are cheap to make.
SMALL = cm.Limits(file_size=200_000)


@FUZZ
@given(data=hostile.documents, suffix=st.sampled_from([".toml", ".jsonl"]))
def test_fuzz_load(fuzz_dir, data, suffix):
    """load_scenario either loads or raises a ScenarioError: nothing else, whatever the bytes."""
    path = _write(fuzz_dir, data, suffix)
    try:
        scenario = cm.load_scenario(path, limits=SMALL)
    except cm.ScenarioError as exc:
        assert str(exc)
    else:
        with contextlib.suppress(cm.RuleViolation):
            scenario.replay()


@FUZZ
@given(data=hostile.documents, suffix=st.sampled_from([".toml", ".jsonl"]),
       command=st.sampled_from(["validate", "replay", "timeline", "store"]))
def test_fuzz_cli(fuzz_dir, data, suffix, command):
    """validate, replay, timeline and store import exit 0, 1 or 2, with a one-line cause on
    failure and never a traceback or a raw control character."""
    path = str(_write(fuzz_dir, data, suffix))
    limit = ["--limit", "file-size=200000"]
    if command == "store":
        db = str(fuzz_dir / f"db{next(_names)}.jsonl")
        code, out, err = cli(*limit, "store", "--db", db, "import", path, "--stream", "s")
    else:
        code, out, err = cli(*limit, command, path)
    report = out if command == "validate" else err
    assert code in (0, 1, 2), (code, out, err)
    assert clean(out + err), (out, err)
    if code != 0:
        assert report.startswith(("crisis-model: error: ", "error: ", "warning: ")), report
