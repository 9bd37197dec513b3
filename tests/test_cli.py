"""Tests for the ``crisis-model`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.scenario import shipped_scenario_path

ROOT = Path(__file__).resolve().parent.parent
SEED = "seeds/venezuela_2024.toml"
BRANCH = "seeds/venezuela_2024_amnesty_accepted.toml"
FIXTURES = "tests/fixtures"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m crisis_model ARGS`` from the repository's top level."""
    return subprocess.run(
        [sys.executable, "-m", "crisis_model", *args],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> bool:
    """Whether neither stream shows a Python traceback."""
    return "Traceback" not in result.stderr and "Traceback" not in result.stdout


class TestHelp:
    def test_help_lists_commands_and_examples(self):
        """--help names every command, shows examples and the exit codes."""
        result = run("--help")
        assert 0 == result.returncode
        for word in ("replay", "timeline", "validate", "diff", "examples:", "exit codes:",
                     f"crisis-model replay {SEED}"):
            assert word in result.stdout

    @pytest.mark.parametrize("command", ["replay", "timeline", "validate", "diff"])
    def test_command_help(self, command):
        """Each command's --help shows an example of it."""
        result = run(command, "--help")
        assert (0, True) == (result.returncode, f"crisis-model {command} " in result.stdout)

    def test_version(self):
        """--version prints the version."""
        result = run("--version")
        assert (0, True) == (result.returncode, result.stdout.startswith("crisis-model "))

    def test_no_command(self):
        """Without a command the help is printed."""
        result = run()
        assert (0, True) == (result.returncode, "commands:" in result.stdout)


class TestReplay:
    def test_seed_snapshot(self):
        """The seed's final snapshot shows actors, the election, offers and detentions."""
        result = run("replay", SEED)
        assert (0, "") == (result.returncode, result.stderr)
        for text in ("ACTORS (17)", "ELECTION ve-2024-presidential", "in exile (ESP)",
                     "asylum: sought from Spain", "OFFERS (1)", "DETENTIONS",
                     "appear before a court every month", "INCIDENTS", "data          withheld"):
            assert text in result.stdout

    def test_as_of_august(self):
        """As of 2024-08-11: Machado hides in Caracas, the amnesty is pending, some facts unsure."""
        out = run("replay", SEED, "--as-of", "2024-08-11").stdout
        for text in ("as of 2024-08-11", "in hiding (Caracas)", "PENDING",
                     "recognises Edmundo González as the winner",
                     "withholds recognition until verified transparency",
                     "tsj-review by Supreme Court of Justice (TSJ): open"):
            assert text in out
        assert ("in exile", "UNCERTAIN") == tuple(t for t in ("in exile", "UNCERTAIN")
                                                  if t not in out)

    def test_as_of_uncertain_marked(self):
        """As of 2024-08-05, August's month-dated facts are only listed as uncertain."""
        out = run("replay", SEED, "--as-of", "2024-08-05").stdout
        state, uncertain = out.split("UNCERTAIN AS OF 2024-08-05: 7 events")
        assert ("in hiding" not in state, "?  #28  2024-08  María Corina Machado goes into hiding"
                in uncertain) == (True, True)

    def test_json_document(self):
        """--json prints the documented document with the seed facts."""
        result = run("replay", SEED, "--as-of", "2024-12-31", "--json")
        doc = json.loads(result.stdout)
        assert ("crisis-model.snapshot", 1, "2024-12-31") == (
            doc["format"], doc["format_version"], doc["as_of"])
        ledger = doc["ledgers"]["post-election-detainees"]
        assert (103, 225, None) == (ledger["released"]["total"],
                                    ledger["conditionally_released"]["total"], ledger["held"])
        assert "in_embassy" == doc["actors"]["opposition-in-embassies"]["whereabouts"]
        assert {"total": 41, "applied": 41} == doc["events"]

    def test_json_uncertain(self):
        """With --as-of inside a month, the month's events are listed as uncertain."""
        doc = json.loads(run("replay", SEED, "--as-of", "2024-11-15", "--json").stdout)
        released = [u for u in doc["uncertain"] if u["type"] == "justice.released"]
        assert [{"start": "2024-11-01", "end": "2024-11-30"}] * 2 == [
            u["window"] for u in released]
        assert ([39, 40], 39) == ([u["index"] for u in doc["uncertain"]],
                                  doc["events"]["applied"])
        assert released[0]["summary"].startswith("103 people from People detained")

    def test_json_sorted(self):
        """The JSON document's keys are sorted at the top level."""
        doc = json.loads(run("replay", BRANCH, "--json").stdout)
        assert sorted(doc) == list(doc)

    def test_branch(self):
        """The branch's snapshot shows González holding the presidency and the deal accepted."""
        out = run("replay", BRANCH).stdout
        assert "ACCEPTED by Nicolás Maduro on 2024-12-09" in out
        assert "offices: president-ven" in out.split("gonzalez", 1)[1].split("\n  ", 2)[1]

    def test_rule_violation(self):
        """A scenario that breaks the rules exits 1 naming file, line, event and rule."""
        result = run("replay", f"{FIXTURES}/unknown_actor.toml")
        assert (1, True) == (result.returncode, no_traceback(result))
        assert (f"crisis-model: error: {FIXTURES}/unknown_actor.toml:12: event #1 "
                "(movement.went_into_hiding, 2024-08-01) rejected: rule 'known-actor'"
                ) in result.stderr

    def test_lenient(self):
        """--lenient skips rejected events with a warning each and exits 0."""
        result = run("replay", f"{FIXTURES}/several_rule_violations.toml", "--lenient")
        warnings = [x for x in result.stderr.splitlines() if "warning:" in x]
        assert (0, 3) == (result.returncode, len(warnings))
        assert "2 of 5 events applied" in result.stdout


class TestTimeline:
    def test_every_event(self):
        """One line per event, with dates at their precision and sources in brackets."""
        lines = run("timeline", SEED).stdout.splitlines()
        assert 41 == len(lines)
        assert lines[39].startswith("#39  2024-11     103 people")
        assert lines[39].endswith("[al-jazeera-2024-11]")
        assert lines[19].startswith("#19  2024-07-28  election ve-2024-presidential is held")

    def test_actor_and_dates(self):
        """--actor with --from and --to narrows the lines to that actor and period."""
        out = run("timeline", SEED, "--actor", "gonzalez", "--from", "2024-09-01",
                  "--to", "2024-09-30").stdout
        assert ["#6", "#37", "#38"] == [line.split()[0] for line in out.splitlines()]
        assert "Edmundo González leaves the country for ESP" in out

    def test_unknown_actor(self):
        """An unknown --actor is a usage error suggesting the nearest id."""
        result = run("timeline", SEED, "--actor", "gonzales")
        assert (2, True) == (result.returncode, "did you mean gonzalez?" in result.stderr)

    def test_nothing_matches(self):
        """A period without events says so."""
        result = run("timeline", SEED, "--from", "2030-01-01")
        assert (0, "(no events match)\n") == (result.returncode, result.stdout)


class TestValidate:
    @pytest.mark.parametrize("path", [SEED, BRANCH])
    def test_clean(self, path):
        """The seed and its branch validate cleanly."""
        result = run("validate", path)
        assert (0, True) == (result.returncode, result.stdout.rstrip().endswith(": ok"))

    def test_every_rule_violation(self):
        """Every rejected event is reported with file, line, event and rule; exit 1."""
        result = run("validate", f"{FIXTURES}/several_rule_violations.toml")
        errors = [x for x in result.stdout.splitlines() if x.startswith("error:")]
        assert 1 == result.returncode
        expected = [
            (18, "release-at-most-held"), (25, "known-offer"), (31, "chronology"),
        ]
        actual = [(int(x.split(":")[2]), x.split("rule '")[1].split("'")[0]) for x in errors]
        assert expected == actual

    def test_lenient(self):
        """--lenient reports the same problems as warnings and exits 0."""
        result = run("validate", f"{FIXTURES}/several_rule_violations.toml", "--lenient")
        warnings = [x for x in result.stdout.splitlines() if x.startswith("warning:")]
        assert (0, 3) == (result.returncode, len(warnings))

    def test_every_schema_problem(self):
        """A file with several malformed events lists each, and exits 2."""
        result = run("validate", f"{FIXTURES}/several_schema_errors.toml")
        errors = [x for x in result.stdout.splitlines() if x.startswith("error:")]
        assert (2, 3) == (result.returncode, len(errors))

    def test_jsonl_round_trip(self, tmp_path):
        """A seed written as JSON Lines validates too."""
        import crisis_model as cm

        cm.load_scenario(ROOT / SEED).dump(tmp_path / "seed.jsonl")
        result = run("validate", str(tmp_path / "seed.jsonl"))
        assert (0, True) == (result.returncode, "41 events, 2 sources, 0 problems" in result.stdout)


# A new user's mistakes: the file, the exit code, and words the message must contain.
MISTAKES = [
    ("unquoted_string.toml", 2, ":9: invalid TOML", "quoted"),
    ("bad_date_syntax.toml", 2, ":7: invalid TOML", "YYYY-MM-DD"),
    ("missing_events_header.toml", 2, ":12: invalid TOML", "[[events]] line"),
    ("single_bracket_events.toml", 2, ":5:", "two brackets"),
    ("sources_array.toml", 2, ":5:", "[sources.<id>]"),
    ("missing_scenario.toml", 2, ":1:", "[scenario]"),
    ("unknown_type.toml", 2, ":12: event #1 (election.declard)", "election.declared"),
    ("unknown_field.toml", 2, ":23: event #2 (election.declared)", "did you mean 'winner'"),
    ("bad_enum.toml", 2, ":10: event #0 (actor.introduced): field 'kind'", "person"),
    ("missing_field.toml", 2, "field 'kind'", "required field missing"),
    ("text_date.toml", 2, "field 'occurred_on'", "YYYY-MM-DD"),
    ("month_not_first.toml", 2, "field 'occurred_on'", "use 2024-11-01"),
    ("sources_as_string.toml", 2, "field 'sources'", "expected a list"),
    ("shares_as_text.toml", 2, "field 'shares.maduro'", "expected a number"),
    ("unknown_source.toml", 2, ":16: event #0", "did you mean 'rio-times-2024-08-11'"),
    ("duplicate_source.toml", 2, ":10:", "defined twice"),
    ("cycle_a.toml", 2, "extends cycle", "cycle_a.toml -> "),
    ("extends_missing.toml", 2, ":4:", "no such file"),
    ("broken_line.jsonl", 2, ":3: invalid JSON", "column"),
    ("wrong_field.jsonl", 2, ":2: event #0", "expected a list"),
    ("scenario.txt", 2, "unknown scenario format", "*.toml"),
    ("unknown_actor.toml", 1, ":12: event #1", "unknown actor 'machado'"),
    ("several_rule_violations.toml", 1, ":18: event #2", "holds only 10"),
]


@pytest.fixture(scope="module")
def mistakes() -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """``replay`` and ``validate`` of every mistake, run a few at a time (the suite stays fast)."""
    jobs = [("replay", name) for name, *_ in MISTAKES]
    jobs += [("validate", name) for name, *_ in MISTAKES[::4]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda job: run(job[0], f"{FIXTURES}/{job[1]}"), jobs)
        return dict(zip(jobs, results, strict=True))


class TestMistakes:
    @pytest.mark.parametrize(("name", "code", "where", "what"), MISTAKES)
    def test_replay(self, mistakes, name, code, where, what):
        """replay prints a clear error with the documented exit code and no traceback."""
        result = mistakes["replay", name]
        assert (code, True, True) == (result.returncode, no_traceback(result),
                                      result.stderr.startswith("crisis-model: error: "))
        assert where in result.stderr and what in result.stderr

    @pytest.mark.parametrize(("name", "code", "where", "what"), MISTAKES[::4])
    def test_validate(self, mistakes, name, code, where, what):
        """validate reports the same problem on standard output with the same exit code."""
        result = mistakes["validate", name]
        assert (code, True) == (result.returncode, no_traceback(result))
        assert where in result.stdout and what in result.stdout

    def test_missing_file(self):
        """A file that does not exist exits 2 naming it."""
        result = run("replay", "nowhere.toml")
        assert (2, "crisis-model: error: cannot read 'nowhere.toml': No such file or directory\n"
                ) == (result.returncode, result.stderr)

    def test_directory(self, tmp_path):
        """A directory named like a scenario exits 2 without a traceback."""
        (tmp_path / "dir.toml").mkdir()
        result = run("validate", str(tmp_path / "dir.toml"))
        assert (2, True) == (result.returncode, no_traceback(result))

    def test_bad_date_option(self):
        """A malformed --as-of is a usage error (exit 2) that shows the expected form."""
        result = run("replay", SEED, "--as-of", "11/08/2024")
        assert (2, True) == (result.returncode, "YYYY-MM-DD" in result.stderr)

    def test_unknown_command(self):
        """An unknown command is a usage error."""
        assert 2 == run("replay-all", SEED).returncode


class TestDiff:
    def test_dates(self):
        """Between two dates the changes are grouped per subject."""
        result = run("diff", SEED, "--from", "2024-08-11", "--to", "2024-12-31")
        assert 0 == result.returncode
        words = " ".join(result.stdout.split())  # column widths follow the longest field
        for text in ("actor gonzalez (Edmundo González)", "whereabouts at_large -> in_exile",
                     "ledger post-election-detainees", "released.known 0 -> 103"):
            assert text in words

    def test_branches(self):
        """Between the seed and its branch: offices, the offer and González's return."""
        out = run("diff", SEED, BRANCH).stdout
        for text in ("changes from venezuela-2024 to venezuela-2024-amnesty-accepted",
                     "actor maduro (Nicolás Maduro)\n  offices  president-ven -> (none)",
                     "status       pending -> accepted"):
            assert text in out

    def test_branches_as_of_json(self):
        """Two branches as of a date before they part show no changes."""
        result = run("diff", SEED, BRANCH, "--as-of", "2024-11-30", "--json")
        assert [] == json.loads(result.stdout)["changes"]

    def test_json(self):
        """--json lists each change with its section, subject, field, before and after."""
        doc = json.loads(run("diff", SEED, BRANCH, "--json").stdout)
        change = {"section": "actor", "subject": "maduro", "field": "offices",
                  "before": ["president-ven"], "after": []}
        assert change in doc["changes"]

    @pytest.mark.parametrize("args", [
        (SEED,),
        (SEED, "--from", "2024-08-11"),
        (SEED, BRANCH, "--from", "2024-08-11", "--to", "2024-12-31"),
        (SEED, "--from", "2024-08-11", "--to", "2024-12-31", "--as-of", "2024-09-01"),
        (SEED, BRANCH, SEED),
    ])
    def test_usage(self, args):
        """Inconsistent options are usage errors (exit 2) shown with the diff usage."""
        result = run("diff", *args)
        usage = result.stderr.startswith("usage: crisis-model diff")
        assert (2, True) == (result.returncode, usage)


class TestKnownOn:
    def test_replay_known_on_august_15(self):
        """As known on 2024-08-15 the seed holds the amnesty idea and the US recognition,
        nothing of the November releases or of González's asylum in Spain."""
        result = run("replay", SEED, "--known-on", "2024-08-15")
        assert 0 == result.returncode, result.stderr
        out = result.stdout
        assert "as known on 2024-08-15: 23 of the record's events had been reported" in out
        assert "us-amnesty-maduro" in out
        assert "recognises Edmundo González as the winner" in out
        later = ("Spain", "in exile", "RELEASED", "post-election-detainees")
        assert later == tuple(w for w in later if w in run("replay", SEED).stdout)
        assert [] == [w for w in later if w in out]

    def test_replay_json_known_on(self):
        """The JSON document carries known_on, and the state as known."""
        doc = json.loads(run("replay", SEED, "--known-on", "2024-08-15", "--json").stdout)
        assert ("2024-08-15", 23) == (doc["known_on"], doc["events"]["applied"])
        assert "spain" not in doc["actors"]
        assert None is json.loads(run("replay", SEED, "--json").stdout)["known_on"]

    def test_as_of_and_known_on(self):
        """--as-of says when things happened, --known-on when they were known."""
        out = run("replay", SEED, "--as-of", "2024-09-30", "--known-on", "2024-11-30").stdout
        assert "in exile" in out
        out = run("replay", SEED, "--as-of", "2024-09-30", "--known-on", "2024-08-15").stdout
        assert "in exile" not in out

    def test_timeline_known_on(self):
        """timeline --known-on lists what was reported by then; --ids adds ids and dates."""
        out = run("timeline", SEED, "--known-on", "2024-08-15", "--ids").stdout.splitlines()
        assert out[0].startswith("as known on 2024-08-15: 23 of the record's events")
        assert 24 == len(out)
        assert all(" id h" in line and "recorded 2024-08-11" in line for line in out[1:])

    def test_diff_two_knowledge_dates(self):
        """diff FILE --known-on K1 --known-on K2: what the record learnt in between."""
        out = run("diff", SEED, "--known-on", "2024-08-15", "--known-on", "2024-11-30").stdout
        assert out.startswith("what the record of venezuela-2024 learnt from 2024-08-15 to "
                              "2024-11-30 (at the end)")
        assert "whereabouts at_large -> in_exile" in " ".join(out.split())
        same = run("diff", SEED, "--known-on", "2024-11-30", "--known-on", "2024-12-31").stdout
        assert "no differences" in same

    @pytest.mark.parametrize("args", [
        ("diff", SEED, "--known-on", "2024-11-30", "--known-on", "2024-08-15"),
        ("diff", SEED, "--known-on", "2024-08-15", "--known-on", "2024-11-30",
         "--from", "2024-08-01", "--to", "2024-09-01"),
        ("replay", SEED, "--known-on", "2024-13-01"),
    ])
    def test_misuse(self, args):
        """Reversed knowledge dates, --from/--to with two, or a bad date exit 2, no traceback."""
        result = run(*args)
        assert (2, True) == (result.returncode, no_traceback(result))


_WAIVED = '''[scenario]
id = "w"
title = "W"

[[waivers]]
rule = "chronology"
reason = "no longer needed"

[[events]]
type = "actor.introduced"
occurred_on = 2024-01-01
actor = "m"
name = "M"
kind = "person"

[[events]]
type = "movement.went_into_hiding"
occurred_on = 2024-01-02
person = "m"

[[events]]
type = "movement.went_into_hiding"
occurred_on = 2024-01-03
person = "m"
waive = [{rule = "not-already-hiding", reason = "the same move, reported twice"}]
'''


class TestWaivers:
    def test_replay_lists_waivers_in_force(self, tmp_path):
        """replay's text names each waiver, its scope, its reason and what it set aside."""
        (tmp_path / "w.toml").write_text(_WAIVED, encoding="utf-8")
        result = run("replay", str(tmp_path / "w.toml"))
        assert (0, "") == (result.returncode, result.stderr)
        for text in ("Waivers in force (2)", "rule 'chronology' for every event: no longer needed",
                     "sets nothing aside",
                     "rule 'not-already-hiding' for event #2 (movement.went_into_hiding): "
                     "the same move, reported twice", "set aside a problem of event #2"):
            assert text in result.stdout

    def test_replay_json_lists_waivers(self, tmp_path):
        """--json has ``waivers``: rule, reason, event and the problems set aside."""
        (tmp_path / "w.toml").write_text(_WAIVED, encoding="utf-8")
        doc = json.loads(run("replay", str(tmp_path / "w.toml"), "--json").stdout)
        assert [("chronology", None, []), ("not-already-hiding", 2, [2])] == [
            (w["rule"], w["event"], [s["index"] for s in w["suppressed"]])
            for w in doc["waivers"]]

    def test_validate_reports_stale_waiver(self, tmp_path):
        """validate warns of a waiver that sets nothing aside, with its line; exit 0."""
        (tmp_path / "w.toml").write_text(_WAIVED, encoding="utf-8")
        result = run("validate", str(tmp_path / "w.toml"))
        assert 0 == result.returncode
        assert (f"warning: {tmp_path / 'w.toml'}:5: the waiver of rule 'chronology' for every "
                "event (no longer needed) sets nothing aside") in result.stdout
        assert "not-already-hiding" not in result.stdout


_CASCADE = '''[scenario]
id = "c"
title = "C"

[[events]]
type = "actor.introduced"
occurred_on = 2024-01-01
actor = "m"
name = "M"
kind = "person"
country = "XYZ"
''' + "".join(f'''
[[events]]
type = "movement.harassment_reported"
occurred_on = 2024-01-{day:02d}
target = "m"
''' for day in range(2, 10))


class TestValidateKnockOns:
    def test_knock_ons_grouped_under_their_cause(self, tmp_path):
        """A rejected introduction, then eight events about that actor: one cause, listed
        first, and the eight knock-on problems under it."""
        (tmp_path / "c.toml").write_text(_CASCADE, encoding="utf-8")
        result = run("validate", str(tmp_path / "c.toml"))
        lines = result.stdout.splitlines()
        assert 1 == result.returncode
        assert lines[0].startswith(f"error: {tmp_path / 'c.toml'}:5: event #0 "
                                   "(actor.introduced, 2024-01-01): rule 'country-code'")
        assert lines[1] == ("  then 8 knock-on problems caused by it: events #1, #2, #3, #4, "
                            "#5, ... refer to actor 'm', which event #0 would have introduced")
        assert lines[-1].endswith("9 events, 0 sources, 9 problems (1 distinct, 8 knock-on)")

    def test_unknown_actor_repeats_grouped(self, tmp_path):
        """An id never introduced: its first use is the cause, later uses knock-ons."""
        text = _CASCADE.replace('actor = "m"', 'actor = "n"').replace('country = "XYZ"\n', "")
        (tmp_path / "c.toml").write_text(text, encoding="utf-8")
        lines = run("validate", str(tmp_path / "c.toml"), "--all").stdout.splitlines()
        assert "rule 'known-actor': unknown actor 'm'" in lines[0]
        assert lines[1] == ("  then 7 knock-on problems caused by it: events #2, #3, #4, #5, "
                            "#6, #7, #8 also refer to the unknown actor 'm'")
class TestScenariosCommand:
    """``crisis-model scenarios`` lists the shipped crises; their ids work as FILE."""

    def test_json_lists_every_shipped_scenario(self):
        """The JSON list has each shipped id with its title and event count."""
        result = run("scenarios", "--json")
        expected = [{"id": n, "title": cm.load_scenario(n).title,
                     "events": len(cm.load_scenario(n).events)} for n in cm.scenario_names()]
        assert (0, expected) == (result.returncode, json.loads(result.stdout))

    def test_replay_by_id(self):
        """A shipped scenario's id replays like its file."""
        for name in cm.scenario_names()[:1]:
            by_id = run("replay", name, "--json")
            by_file = run("replay", str(shipped_scenario_path(name)), "--json")
            assert (0, json.loads(by_file.stdout)) == (by_id.returncode, json.loads(by_id.stdout))
