"""The worked extension of docs/extending.md, used the way a user would, each in a fresh process.

The files the page tells the reader to save (``ceasefire.py``,
``ceasefire_demo.toml``, ``test_ceasefire.py``) are extracted into a temporary
directory; each test then runs a script or the command line in a new interpreter,
so no registration made by the test suite can help or hinder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.test_docs import DOCS, extract_files

PAGE = DOCS / "extending.md"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A directory holding the files docs/extending.md asks the reader to save."""
    where = tmp_path_factory.mktemp("ceasefire")
    names = sorted(p.name for p in extract_files(PAGE, where))
    assert ["ceasefire.py", "ceasefire_demo.toml", "test_ceasefire.py"] == names
    return where


def _env(project: Path) -> dict[str, str]:
    # The checkout under test comes second, so the fresh interpreter imports its crisis_model.
    return {**os.environ, "PYTHONPATH": os.pathsep.join((str(project), str(ROOT)))}


def run(project: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter inside ``project``."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=project, env=_env(project),
        capture_output=True, text=True, timeout=600,
    )


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``crisis-model --import ceasefire ARGS`` in a fresh interpreter inside ``project``."""
    return subprocess.run(
        [sys.executable, "-m", "crisis_model", "--import", "ceasefire", *args], cwd=project,
        env=_env(project), capture_output=True, text=True, timeout=600,
    )


def last_json(result: subprocess.CompletedProcess[str]) -> dict:
    """The JSON object a script printed last (after checking it succeeded)."""
    assert 0 == result.returncode, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


class TestWorkedExtension:
    def test_import_registers_the_types(self, project):
        """Importing the module registers its three tags, its slice, its reference kind, its
        invariant, and its rule in the place of the built-in one it replaces."""
        out = last_json(run(project, """
            import json
            import crisis_model as cm
            from crisis_model.events import OfficeAssumed
            before = set(cm.registry.types)
            import ceasefire
            print(json.dumps({
                "tags": sorted(set(cm.registry.types) - before),
                "slice": ceasefire.SLICE in cm.registry.slices,
                "kind": "truce" in cm.registry.ref_kinds,
                "invariant": "ceasefire-truces-coherent" in cm.registry.invariants,
                "office_rules": [n for n in cm.registry.rule_names(OfficeAssumed)
                                 if "holder" in n],
            }))
        """))
        assert {"tags": ["ceasefire.agreed", "ceasefire.collapsed", "ceasefire.violated"],
                "slice": True, "kind": True, "invariant": True,
                "office_rules": ["office-holder-or-signatory"]} == out

    def test_events_round_trip(self, project):
        """Generated events of every extension type survive to_dict and from_dict unchanged."""
        out = last_json(run(project, """
            import json
            from hypothesis import given, settings
            from crisis_model.serialization import from_dict, to_dict
            from crisis_model.testing import events
            import ceasefire

            seen = set()

            @settings(max_examples=60, database=None, deadline=None)
            @given(events(types=[ceasefire.CeasefireAgreed, ceasefire.CeasefireViolated,
                                 ceasefire.CeasefireCollapsed]))
            def round_trip(event):
                assert from_dict(to_dict(event)) == event
                seen.add(type(event).event_tag)

            round_trip()
            print(json.dumps({"seen": sorted(seen)}))
        """))
        assert 3 == len(out["seen"])

    def test_scenario_file_replays(self, project):
        """The page's scenario file replays strictly (its waiver in force, the replaced rule
        admitting the front's ministry) and survives a JSON Lines copy, waiver included."""
        out = last_json(run(project, """
            import json
            import crisis_model as cm
            import ceasefire

            scenario = cm.load_scenario("ceasefire_demo.toml")
            state = scenario.replay()
            t1 = ceasefire.truces(state)["t1"]
            scenario.dump("copy.jsonl")
            copy = cm.load_scenario("copy.jsonl")
            print(json.dumps({
                "t1": [t1.status.value, list(t1.violations), t1.brokered_by],
                "offices": list(state.actors["front"].offices),
                "waived": [(w.index, w.problem.rule, w.problem.subject)
                           for w in scenario.waived()],
                "invariants": [str(v) for v in cm.check_invariants(state)],
                "jsonl_equal": copy == scenario,
            }))
        """))
        assert {"t1": ["collapsed", ["army"], "envoy"], "offices": ["interior"],
                "waived": [[3, "source-chronology", "draft-text"]], "invariants": [],
                "jsonl_equal": True} == out

    def test_scenario_file_without_the_module(self, project):
        """Without the module, the tags are unknown (data never chooses code), and the error
        says the tag looks like an extension's and how to load one."""
        result = run(project, """
            import crisis_model as cm
            try:
                cm.load_scenario("ceasefire_demo.toml")
            except cm.ScenarioError as err:
                print(err)
            else:
                raise SystemExit("loaded without the module")
        """)
        assert 0 == result.returncode
        for text in ("'ceasefire.agreed'", "looks like an extension's type", "--import",
                     "'crisis_model.events'"):
            assert text in result.stdout
        assert "election." not in result.stdout

    def test_state_machine_subclass(self, project):
        """The page's CrisisMachine subclass runs and admits agreements along the way."""
        out = last_json(run(project, """
            import json
            from hypothesis import HealthCheck, settings
            from hypothesis.stateful import run_state_machine_as_test
            import ceasefire
            import test_ceasefire

            admitted = {}

            class Counting(test_ceasefire.CeasefireMachine):
                def apply(self, event):
                    ok = super().apply(event)
                    if ok:
                        tag = type(event).event_tag
                        admitted[tag] = admitted.get(tag, 0) + 1
                    return ok

            run_state_machine_as_test(Counting, settings=settings(
                max_examples=40, stateful_step_count=30, database=None, deadline=None,
                derandomize=True, suppress_health_check=list(HealthCheck)))
            print(json.dumps({"admitted": admitted}))
        """))
        assert 0 < out["admitted"].get("ceasefire.agreed", 0)


class TestWorkedExtensionOnTheCommandLine:
    def test_timeline(self, project):
        """`timeline` prints the extension's events in words."""
        result = cli(project, "timeline", "ceasefire_demo.toml")
        assert 0 == result.returncode, result.stderr
        for text in ("National Army and Liberation Front agree to ceasefire t1, brokered by "
                     "Regional Envoy", "National Army is reported to have broken ceasefire t1 "
                     "(4 killed)", "ceasefire t1 collapses: fighting resumed"):
            assert text in result.stdout

    def test_replay_text_shows_the_slice_and_the_waiver(self, project):
        """`replay` shows the slice under its title, in words, and the waiver in force."""
        result = cli(project, "replay", "ceasefire_demo.toml")
        assert (0, "") == (result.returncode, result.stderr)
        for text in ("Ceasefires:",
                     "t1: National Army and Liberation Front, brokered by Regional Envoy; "
                     "collapsed (agreed 2025-03-04)",
                     "violations reported: 1 (by National Army)",
                     "Waivers in force (1)", "rule 'source-chronology' for event #3",
                     "set aside a problem of event #3"):
            assert text in result.stdout

    def test_replay_json_shows_the_slice(self, project):
        """`replay --json` has the slice's JSON form under ``slices``, as of a date too."""
        result = cli(project, "replay", "ceasefire_demo.toml", "--as-of", "2025-03-20",
                     "--json")
        assert 0 == result.returncode, result.stderr
        doc = json.loads(result.stdout)
        assert {"t1": {"parties": ["army", "front"], "brokered_by": "envoy",
                       "since": "2025-03-04", "status": "in_force",
                       "violations": ["army"]}} == doc["slices"]["ceasefire.truces"]
        assert ["source-chronology"] == [w["rule"] for w in doc["waivers"]]

    def test_diff_shows_the_slice(self, project):
        """`diff` between two dates names what changed in the slice."""
        result = cli(project, "diff", "ceasefire_demo.toml", "--from", "2025-03-05",
                     "--to", "2025-04-30")
        assert 0 == result.returncode, result.stderr
        assert "ceasefire.truces" in result.stdout or "Ceasefires" in result.stdout
        assert "collapsed" in result.stdout

    def test_validate_is_clean(self, project):
        """`validate` finds nothing wrong, and no stale waiver."""
        result = cli(project, "validate", "ceasefire_demo.toml")
        assert 0 == result.returncode, result.stdout
        assert "warning" not in result.stdout and result.stdout.rstrip().endswith(": ok")


class TestWorkedExtensionInGeneratedDocs:
    def _generate(self, project: Path, script: str, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "docs" / script), "--import", "ceasefire", *args],
            cwd=project, env=_env(project), capture_output=True, text=True, timeout=600)
        assert 0 == result.returncode, result.stderr
        return result.stdout

    def test_events_catalogue(self, project):
        """The events catalogue generator documents the extension's types, rules included."""
        out = self._generate(project, "generate_events.py", "--stdout")
        for text in ("# Event types of ceasefire", "`ceasefire.agreed`", "`ceasefire.violated`",
                     "`violator-is-party`", "`known-truce`"):
            assert text in out
        assert "`election.declared`" not in out

    def test_api_reference_of_the_slice_records(self, project):
        """The API reference generator documents the slice's records, fields and meanings."""
        out = self._generate(project, "generate_api.py", "--records")
        assert "### `ceasefire.Truce`" in out
        assert ("| `violations` | `Sequence[str]` | the party accused of each reported "
                "violation, in order (a history: see below) |") in out
        assert "### `cm.ActorState`" in out
