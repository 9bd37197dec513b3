"""Tests for the benchmarks harness: its log generator, its mutable floor and a --quick run.

Nothing here measures or asserts a time: the quick run only has to produce
well-formed outputs.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

import crisis_model as cm
from benchmarks import callgrind, cases, report, run
from benchmarks.floor import HANDLERS, replay_floor, summary_of_floor, summary_of_state
from benchmarks.generator import MIN_ACTORS, NOT_GENERATED, generate, mix

SAMPLES = ((200, 10, 0), (1_500, 40, 1), (4_000, 300, 2))


class TestGenerate:
    @pytest.mark.parametrize(("n", "actors", "seed"), SAMPLES)
    def test_replays_strictly(self, n: int, actors: int, seed: int) -> None:
        """Every generated event is admitted by strict replay."""
        assert n == cm.replay(generate(n, actors, seed=seed)).version

    def test_named_release_after_the_group_emptied(self) -> None:
        """A person counted in a group, released by name after releases without names
        emptied the group, leaves its count at nothing (seed 0 at 1,000 actors released
        from an empty group at event #1,665)."""
        assert 10_000 == cm.replay(generate(10_000, 1_000, seed=0)).version

    @pytest.mark.parametrize(("n", "actors", "seed"), SAMPLES)
    def test_lenient_replay_finds_no_anomaly(self, n: int, actors: int, seed: int) -> None:
        """Lenient replay of a generated log skips nothing."""
        assert [] == cm.replay(generate(n, actors, seed=seed), strict=False)[1]

    @pytest.mark.parametrize(("n", "actors", "seed"), SAMPLES)
    def test_hits_n_and_actors(self, n: int, actors: int, seed: int) -> None:
        """The log holds exactly n events and introduces exactly the actors asked for."""
        log = generate(n, actors, seed=seed)
        assert (n, actors, actors) == (
            len(log), mix(log)["actor.introduced"], len(cm.replay(log).actors))

    def test_introduces_actors_first(self) -> None:
        """The first A events introduce the actors and no later event does."""
        tags = [type(e).event_tag for e in generate(600, 50, seed=4)]
        assert (["actor.introduced"] * 50, 0) == (tags[:50], tags[50:].count("actor.introduced"))

    def test_same_seed_same_log(self) -> None:
        """Two logs generated with the same seed are equal, event by event."""
        assert generate(2_000, 30, seed=5) == generate(2_000, 30, seed=5)

    def test_other_seed_other_log(self) -> None:
        """Another seed gives another log."""
        assert generate(2_000, 30, seed=5) != generate(2_000, 30, seed=6)

    def test_dates_never_decrease(self) -> None:
        """Each event is dated on or after the one before it."""
        days = [e.occurred_on for e in generate(3_000, 30, seed=7)]
        assert sorted(days) == days

    def test_uses_every_builtin_type(self) -> None:
        """A log of a few thousand events holds every built-in event type but those the
        generator lists as not drawn yet (and no listed one is drawn)."""
        builtin = {cls.event_tag for cls in HANDLERS}
        assert builtin - set(NOT_GENERATED) == set(mix(generate(5_000, 50, seed=8)))
        assert set(NOT_GENERATED) <= builtin

    def test_some_events_known_only_to_the_month(self) -> None:
        """Some events carry month (or year) precision."""
        log = generate(20_000, 50, seed=9)
        assert any(e.precision is not cm.Precision.DAY for e in log)

    @pytest.mark.parametrize(("n", "actors"), [(100, MIN_ACTORS - 1), (50, 100)])
    def test_rejects_impossible_sizes(self, n: int, actors: int) -> None:
        """Too few actors, or fewer events than actors, raise ValueError."""
        with pytest.raises(ValueError, match="actors"):
            generate(n, actors)


class TestFloor:
    @pytest.mark.parametrize(("n", "actors", "seed"), SAMPLES)
    def test_handles_every_generated_type(self, n: int, actors: int, seed: int) -> None:
        """The floor has a handler for every event class the benchmark's log holds (the
        vocabulary grows beyond the benchmark's mix; the floor needs only what it replays)."""
        generated = {type(e) for e in generate(n, actors, seed=seed)}
        assert set() == generated - set(HANDLERS)

    @pytest.mark.parametrize(("n", "actors", "seed"), SAMPLES)
    def test_agrees_with_the_library(self, n: int, actors: int, seed: int) -> None:
        """The floor computes the same whereabouts, offices, stances, offers, ledger counts
        and incident counts as strict replay."""
        log = generate(n, actors, seed=seed)
        assert summary_of_state(cm.replay(log)) == summary_of_floor(replay_floor(log))

    def test_counts_events_and_latest_date(self) -> None:
        """The floor's version and as-of date follow the log."""
        log = generate(500, 20, seed=10)
        state = replay_floor(log)
        assert (500, max(e.occurred_on for e in log)) == (state["version"], state["as_of"])


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One --quick run of the whole harness into a temporary directory."""
    out = tmp_path_factory.mktemp("bench")
    assert 0 == run.main(["--quick", "--out", str(out), "--quiet"])
    return out, json.loads((out / "results.json").read_text(encoding="utf-8"))


class TestQuickRun:
    def test_writes_results(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """A quick run writes results.json and results.md."""
        out, _ = quick
        assert (True, True) == ((out / "results.json").is_file(), (out / "results.md").is_file())

    def test_measures_every_benchmark(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """Every benchmark group has at least one case record."""
        _, result = quick
        groups = {r["name"].split(".")[0] for r in result["records"]}
        expected = {"replay", "snapshots", "state_at", "jsonl", "sqlite", "eventsourcing",
                    "startup", "sweep", "callgrind", "paths", "generation",
                    "callgrind_generation", "callgrind_paths", "report"}
        if importlib.util.find_spec("eventsourcing") is None:
            expected -= {"eventsourcing"}
        assert expected <= groups

    def test_records_are_well_formed(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """Each record either says why it was skipped or has positive timings that agree
        with its median and rate."""
        _, result = quick
        bad = []
        for r in result["records"]:
            if "skipped" in r:
                if not r["skipped"]:
                    bad.append(r["name"])
                continue
            if "instructions" in r:  # counted by callgrind
                if not (r["instructions"] > 0 and r["events"] > 0
                        and r["instructions_per_event"] == r["instructions"] / r["events"]):
                    bad.append(r["name"])
                continue
            ok = (r["repeats"] == len(r["times"]) >= 1 and all(t > 0 for t in r["times"])
                  and min(r["times"]) <= r["median_s"] <= max(r["times"])
                  and r["events_per_s"] == pytest.approx(r["events"] / r["median_s"]))
            if not ok:
                bad.append(r["name"])
        assert [] == bad

    def test_replay_covers_every_log(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """Strict replay and the floor are measured on every (N, A) of the plan."""
        _, result = quick
        configs = {tuple(c) for c in run.Plan(**result["plan"]).configs()}
        for name in ("replay.strict", "replay.floor"):
            assert configs == {(r["n"], r["actors"]) for r in result["records"]
                               if r["name"] == name}

    def test_every_target_has_a_verdict(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """Every target comes with a measured value and a verdict (the eventsourcing one
        only when eventsourcing is installed, the instruction counts only with valgrind)."""
        _, result = quick
        targets = result["targets"]
        unjudged = [t["target"] for t in targets if t["met"] not in (True, False)]
        expected = [] if importlib.util.find_spec("eventsourcing") else [
            ">= 20x eventsourcing in-memory reconstruction"]
        count = 22
        if callgrind.valgrind() is None:
            expected += ["whole-log paths flat in N: instructions/event rise <= 1.5x "
                         "(callgrind)",
                         "replay <= 15,000 instructions/event (callgrind)",
                         "event_logs() generation >= 0.5x hypothesis' floor (callgrind)",
                         "next_events() generation >= 0.5x hypothesis' floor (callgrind)"]
            count = 20
        assert (count, expected) == (len(targets), unjudged)

    def test_callgrind_case(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """With valgrind, instructions per event are counted for every region; without it
        the case is skipped, saying so (a failure where services are required)."""
        _, result = quick
        names = {r["name"] for r in result["records"] if r["name"].split(".")[0] == "callgrind"}
        if callgrind.valgrind() is None:
            if os.environ.get("CRISIS_MODEL_REQUIRE_SERVICES") == "1":
                pytest.fail("valgrind is required (CRISIS_MODEL_REQUIRE_SERVICES=1) but missing")
            assert {"callgrind"} == names
            pytest.skip("valgrind is not installed: the callgrind case was skipped")
        assert {f"callgrind.{region}" for region in callgrind.REGIONS} == names

    def test_generation_counted(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """With valgrind, the generation cases are counted too, each against the floor
        counted in the same run; without it, one record says why they were not."""
        _, result = quick
        got = {r["name"]: r for r in result["records"]
               if r["name"].startswith("callgrind_generation")}
        if callgrind.valgrind() is None:
            assert ["callgrind_generation"] == list(got)
            pytest.skip("valgrind is not installed: the generation counts were skipped")
        floor = got["callgrind_generation.floor"]["instructions_per_event"]
        expected = {f"callgrind_generation.{case}" for case in
                    ("floor", *run.GENERATION_COUNTED)}
        ratios = {name: floor / r["instructions_per_event"] for name, r in got.items()}
        assert (expected, ratios) == (set(got), {name: r["over_floor"]
                                                 for name, r in got.items()})

    def test_paths_counted(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """With valgrind, every whole-log path is counted at every size of the plan; without
        it, one record says why they were not."""
        _, result = quick
        got = {(r["name"], r["n"]) for r in result["records"]
               if r["name"].startswith("callgrind_paths")}
        if callgrind.valgrind() is None:
            assert {("callgrind_paths", result["plan"]["callgrind_paths_sizes"][-1])} == got
            pytest.skip("valgrind is not installed: the paths were not counted")
        expected = {(f"callgrind_paths.{path}", n) for path in callgrind.PATHS
                    for n in result["plan"]["callgrind_paths_sizes"]}
        assert expected == got

    def test_markdown_lists_the_targets(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """results.md describes the machine and has a row for every target."""
        out, result = quick
        text = (out / "results.md").read_text(encoding="utf-8")
        missing = [t["target"] for t in result["targets"] if f"| {t['target']} |" not in text]
        assert (True, []) == ("## Machine" in text and "## Targets" in text, missing)

    def test_a_retired_target_says_so(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """The 1 M events/s target is still measured, but its row says issue #14 retired it,
        and the plain-words verdict is ``retired`` whatever it measured."""
        out, result = quick
        (row,) = [t for t in result["targets"]
                  if t["target"] == "strict replay >= 1,000,000 events/s"]
        text = (out / "results.md").read_text(encoding="utf-8")
        line = next(x for x in text.splitlines() if x.startswith(f"| {row['target']} |"))
        assert (report.RETIRED_MILLION, "retired", True) == (
            row["retired"], report.verdict_text(row),
            f"retired, missed: {report.RETIRED_MILLION}" in line)

    def test_verdicts_of_an_older_results_file(self) -> None:
        """A results.json written before targets could be retired still reads."""
        verdicts = [report.verdict_text({"met": met}) for met in (True, False, None)]
        assert ["met", "MISSED", "not measured"] == verdicts

    def test_a_retired_target_not_measured_says_so(self) -> None:
        """A retired target with nothing measured is not called missed."""
        row = {"met": None, "retired": "why", "note": ""}
        assert ("retired", "retired, not measured: why") == (
            report.verdict_text(row), report._verdict(row))

    def test_no_machine_paths_in_outputs(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """Neither output names the output directory or where the repository lives."""
        out, _ = quick
        text = (out / "results.json").read_text() + (out / "results.md").read_text()
        repo = str(Path(run.__file__).resolve().parents[1])
        assert (False, False) == (str(out) in text, repo in text)

    def test_plot_is_a_png(self, quick: tuple[Path, dict[str, Any]]) -> None:
        """With matplotlib installed the run draws a PNG of per-event cost."""
        if importlib.util.find_spec("matplotlib") is None:
            pytest.skip("matplotlib is not installed")
        out, _ = quick
        assert b"\x89PNG" == (out / "per_event_cost.png").read_bytes()[:4]

    def test_render_rewrites_the_report(self, quick: tuple[Path, dict[str, Any]],
                                        tmp_path: Path) -> None:
        """--render rebuilds results.md from results.json without measuring."""
        out, _ = quick
        assert 0 == run.main(["--render", str(out / "results.json"), "--out", str(tmp_path)])
        assert (out / "results.md").read_text() == (tmp_path / "results.md").read_text()

    def test_publish_keeps_the_closing_notes(self, quick: tuple[Path, dict[str, Any]],
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             ) -> None:
        """--publish rewrites RESULTS.md but keeps what follows the closing-notes marker."""
        out, _ = quick
        monkeypatch.setattr(run, "HERE", tmp_path)
        (tmp_path / "RESULTS.md").write_text(f"old\n{report.NOTES_MARKER}\nhand-written\n")
        assert 0 == run.main(["--render", str(out / "results.json"), "--out",
                              str(tmp_path / "o"), "--publish", "--no-plot"])
        text = (tmp_path / "RESULTS.md").read_text()
        assert (False, True, True) == (text.startswith("old"), "## Targets" in text,
                                       text.endswith(f"{report.NOTES_MARKER}\nhand-written\n"))


class TestPaths:
    def test_counted_paths_are_measured_paths(self) -> None:
        """Every path callgrind counts (but the few-actors replay) is one the timed cases
        measure, and only ``diff``, whose cost follows the states, is left uncounted."""
        from benchmarks.cases import whole_log_paths

        with whole_log_paths(generate(200, 10, seed=0)) as paths:
            names = list(paths)
        counted = [p for p in callgrind.PATHS if p != "replay_few_actors"]
        assert (counted, ["diff"]) == ([p for p in names if p != "diff"],
                                       [p for p in names if p not in callgrind.PATHS])

    def test_every_path_runs(self) -> None:
        """Each path runs on a small log; validate finds it clean, and finds problems
        where the file defines none of the sources its events cite."""
        from benchmarks.cases import whole_log_paths

        log = generate(200, 10, seed=0)
        with whole_log_paths(log) as paths:
            got = {name: fn() for name, fn in paths.items()}
        assert (0, 2, log, log, cm.replay(log)) == (
            got["validate"], got["validate_unknown_sources"], got["store_read_sqlite"],
            got["store_read_jsonl"], got["replay"])

    @pytest.mark.parametrize(("costs", "expected"), [
        ([100.0, 100.0, 100.0], 1.0),
        ([300.0, 200.0, 100.0], 1.0),
        ([100.0, 150.0, 120.0], 1.5),
        ([200.0, 100.0, 180.0], 1.8),
    ])
    def test_rise(self, costs: list[float], expected: float) -> None:
        """A cost that falls as N grows does not rise; one that climbs back does."""
        assert expected == report._rise(costs)

    def test_judged_on_the_worst_rise(self) -> None:
        """The callgrind paths target is judged on the path whose count rises the most."""
        records = [{"name": f"callgrind_paths.{p}", "n": n, "actors": 15, "events": n,
                    "instructions": c * n, "instructions_per_event": c}
                   for p, counts in (("replay", (100, 110)), ("timeline", (100, 160)),
                                     ("store_list_jsonl", (90, 30)))
                   for n, c in zip((1_000, 10_000), counts, strict=True)]
        rows = [t for t in report.targets(records, dataclasses.asdict(run.QUICK))
                if "(callgrind)" in t["target"] and "paths" in t["target"]]
        assert ([1.6], [False], ["A=15, timeline (the worst)"]) == (
            [round(t["ratio"], 6) for t in rows], [t["met"] for t in rows],
            [t["config"] for t in rows])

    def test_child_counts_only_the_chosen_paths(self, capsys: pytest.CaptureFixture[str],
                                                ) -> None:
        """The counting child runs only the paths chosen, in PATHS order, at each size
        (outside valgrind its markers are plain system calls)."""
        callgrind._paths_child([120, 150], 10, 0, ("replay", "included_events"))
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [{"n": n, "path": p} for n in (120, 150)
                for p in ("included_events", "replay")] == lines

    def test_only_the_paths_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``whole_log_paths(log, only)`` gives just the paths named, in the usual order,
        and writes none of the files and stores that only the others read."""
        from benchmarks import cases

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("set-up for a path not named")

        monkeypatch.setattr(cases, "_validate_fn", refuse)
        monkeypatch.setattr(cases, "_store_read_fns", refuse)
        log = generate(120, 10, seed=0)
        with cases.whole_log_paths(log, ("replay", "timeline", "diff")) as paths:
            got = {name: fn() for name, fn in paths.items()}
        assert (["timeline", "diff", "replay"], cm.replay(log)) == (list(got), got["replay"])

    def test_measure_paths_refuses_unknown_paths(self) -> None:
        """A path that is not one of PATHS is refused before anything runs."""
        with pytest.raises(ValueError, match="paths must be some of timeline"):
            callgrind.measure_paths((100,), paths=("replay", "replays"))

    def test_path_line(self) -> None:
        """A counted path prints as its name, N and instructions per event."""
        record = {"name": "callgrind_paths.replay", "n": 100_000,
                  "instructions_per_event": 15_580.4}
        assert f"{'callgrind_paths.replay':<44} N=  100,000:       15,580 instructions/event" \
            == callgrind.path_line(record)

    def test_path_line_with_misses(self) -> None:
        """A path counted with the cache simulator also prints its misses per event."""
        record = {"name": "callgrind_paths.replay", "n": 100_000,
                  "instructions_per_event": 15_580.4, "cache_bytes": 1 << 20,
                  "cache_misses_per_event": 20.126}
        assert (f"{'callgrind_paths.replay':<44} N=  100,000:       15,580 instructions/event,"
                "   20.13 misses/event beyond 1,024 KiB") == callgrind.path_line(record)

    @pytest.mark.parametrize(("text", "expected"), [
        (b"events: Ir\nfn=x\n0 5\nsummary: 1234\n", {"Ir": 1234}),
        (b"events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
         b"summary: 100 40 20 3 7 2 1 5 4\n",
         {"Ir": 100, "Dr": 40, "Dw": 20, "I1mr": 3, "D1mr": 7, "D1mw": 2, "ILmr": 1,
          "DLmr": 5, "DLmw": 4}),
        (b"events: Ir DLmr DLmw\ntotals: 9 1\n", {"Ir": 9, "DLmr": 1, "DLmw": 0}),
        (b"", {"Ir": 0}),
    ])
    def test_read_dump(self, text: bytes, expected: dict[str, int]) -> None:
        """A dump's totals by event name; events it leaves out count 0."""
        assert expected == callgrind.read_dump(text)

    def test_cache_options(self) -> None:
        """A simulated last level is a power of two of at least 64 KiB, 16-way."""
        assert ([], ["--cache-sim=yes", "--LL=1048576,16,64"]) == (
            callgrind.cache_options(None), callgrind.cache_options(1 << 20))

    @pytest.mark.parametrize("size", [0, 1 << 15, 3 << 20])
    def test_measure_paths_refuses_other_caches(self, size: int) -> None:
        """A simulated cache valgrind cannot model is refused before anything runs."""
        with pytest.raises(ValueError, match="power of two of at least 65,536 bytes"):
            callgrind.measure_paths((100,), paths=("replay",), cache_bytes=size)

    def test_cache_sim_needs_paths(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--cache-sim`` without ``--paths`` is a usage error, not a silent no-op."""
        with pytest.raises(SystemExit):
            callgrind.main(["--cache-sim", "1048576"])
        assert "--cache-sim needs --paths" in capsys.readouterr().err

    @pytest.mark.skipif(callgrind.valgrind() is None, reason="valgrind is not installed")
    def test_measure_paths_with_the_cache_simulated(self) -> None:
        """Under valgrind's cache simulator each record has its misses beyond the
        simulated last level, and replaying touches memory that misses it."""
        got = callgrind.measure_paths((80,), actors=10, paths=("replay",),
                                      cache_bytes=1 << 16)
        assert got is not None
        [record] = got
        assert (["callgrind_paths.replay", 80, 1 << 16], True, True) == (
            [record["name"], record["n"], record["cache_bytes"]],
            record["cache_misses"] > 0,
            record["cache_misses_per_event"] == record["cache_misses"] / 80)


class TestInterleaved:
    @staticmethod
    def settings(repeats: int, min_repeats: int) -> cases.Settings:
        """Settings whose clock advances one second per reading, printing nothing."""
        ticks = iter(range(10_000))
        return cases.Settings(repeats=repeats, min_repeats=min_repeats, verbose=False,
                              clock=lambda: float(next(ticks)))

    def test_rounds_call_every_job_in_turn(self) -> None:
        """Each round calls every job once, in order, and each job gets one time per
        round."""
        calls: list[str] = []
        jobs = [(key, lambda key=key: calls.append(key)) for key in ("a", "b", "c")]
        times = cases.interleaved(self.settings(3, 3), jobs, 1_000.0, "test")
        assert (["a", "b", "c"] * 3, {"a": [1.0] * 3, "b": [1.0] * 3, "c": [1.0] * 3}) == (
            calls, times)

    def test_budget_stops_after_the_least_rounds(self) -> None:
        """Rounds stop once at least min_repeats are done and the time spent is over the
        budget, though repeats would allow more."""
        calls: list[int] = []
        times = cases.interleaved(self.settings(9, 2), [(0, lambda: calls.append(0))], 0.5,
                                  "test")
        assert ([0, 0], {0: [1.0, 1.0]}) == (calls, times)

    def test_paths_are_timed_at_every_n(self) -> None:
        """paths_cases measures every path, and the few-actors replay, at each N of its
        logs."""
        logs = {n: generate(n, 15, seed=3) for n in (60, 90)}
        records = cases.paths_cases(cases.Settings(repeats=1, min_repeats=1, verbose=False),
                                    logs, 15, seed=3)
        by_n = {n: {r["name"] for r in records if r["n"] == n} for n in logs}
        with cases.whole_log_paths(logs[60]) as fns:
            expected = {f"paths.{name}" for name in fns} | {"paths.replay_few_actors"}
        assert {60: expected, 90: expected} == by_n


class TestOnly:
    def test_runs_only_the_named_benchmark(self, tmp_path: Path) -> None:
        """--only replay measures replay cases and nothing else."""
        assert 0 == run.main(
            ["--quick", "--only", "replay", "--no-plot", "--out", str(tmp_path), "-q"])
        records = json.loads((tmp_path / "results.json").read_text())["records"]
        assert {"replay"} == {r["name"].split(".")[0] for r in records}


class TestPostgresBenchmark:
    def test_quick_run(self, postgres_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`python -m benchmarks.postgres --quick` runs against the test server and reports
        each case with its ratio to raw psycopg (no time is judged)."""
        from benchmarks import postgres

        assert 0 == postgres.main(["--dsn", postgres_dsn, "--quick", "--json"])
        result = json.loads(capsys.readouterr().out)
        assert (300, 300, 240) == (result["append"]["n"], result["read"]["n"],
                                   result["feed"]["events"])
        assert all(result["append"][k] > 0 for k in ("ratio_vs_executemany", "ratio_vs_copy"))
