"""Tests for honest dates: ranges (``until``), windows, and the certain/possible as-of readings."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model._dates import certain_count, format_range, possible_count
from crisis_model.events import ProtestHeld, WentIntoHiding
from crisis_model.serialization import from_dict, to_dict

from .builders import base_log, person
from .strategies import admissible_logs, event_logs, mixed_logs

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
DAY, MONTH, YEAR = cm.Precision.DAY, cm.Precision.MONTH, cm.Precision.YEAR
LATE_SUMMER = ProtestHeld(occurred_on=D(2024, 8, 20), until=D(2024, 9, 10))

#: A day somewhere around the generated logs (they start on 2024-01-01).
days = st.integers(-30, 1200).map(lambda n: D(2024, 1, 1) + dt.timedelta(days=n))


def _certain(log: list[cm.Event], when: dt.date) -> list[bool]:
    """The definition, event by event: it, or an event after it, has a window over by ``when``."""
    return [any(e.window[1] <= when for e in log[i:]) for i in range(len(log))]


class TestRanges:
    def test_window(self):
        """A range's window runs from occurred_on to until, across months."""
        assert (D(2024, 8, 20), D(2024, 9, 10)) == LATE_SUMMER.window

    def test_month_range(self):
        """From a month to another month: 'between March and May'."""
        spring = ProtestHeld(occurred_on=D(2024, 3, 1), precision=MONTH, until=D(2024, 5, 31))
        assert ((D(2024, 3, 1), D(2024, 5, 31)), "Mar - May 2024") == (
            spring.window, cm.format_date(spring.occurred_on, spring.precision, spring.until))

    @pytest.mark.parametrize(("start", "precision", "until", "expected"), [
        (D(2024, 8, 20), DAY, D(2024, 9, 10), "20 Aug - 10 Sep 2024"),
        (D(2023, 12, 28), DAY, D(2024, 1, 3), "28 Dec 2023 - 3 Jan 2024"),
        (D(2023, 11, 1), MONTH, D(2024, 2, 29), "Nov 2023 - Feb 2024"),
        (D(2024, 8, 1), MONTH, D(2024, 9, 10), "Aug - 10 Sep 2024"),
        (D(2022, 1, 1), YEAR, D(2023, 12, 31), "2022 - 2023"),
    ])
    def test_printed(self, start, precision, until, expected):
        """Each end of a range prints at the precision it is known to."""
        assert expected == format_range(start, precision, until)

    def test_timeline(self):
        """A timeline entry dates a range as a range."""
        entries = cm.timeline([person("m"), LATE_SUMMER])
        assert ["2024-07-01", "20 Aug - 10 Sep 2024"] == [e.date for e in entries]

    @pytest.mark.parametrize(("start", "precision", "until"), [
        (D(2024, 8, 20), DAY, D(2024, 8, 20)),
        (D(2024, 8, 20), DAY, D(2024, 8, 10)),
        (D(2024, 8, 1), MONTH, D(2024, 8, 31)),
        (D(2024, 1, 1), YEAR, D(2024, 6, 30)),
    ])
    def test_until_must_widen_the_window(self, start, precision, until):
        """until must end after the window the start alone gives, naming both dates."""
        with pytest.raises(ValueError, match=f"until {until.isoformat()} must lie after"):
            ProtestHeld(occurred_on=start, precision=precision, until=until)

    def test_until_must_be_a_date(self):
        """A datetime or a string is refused."""
        with pytest.raises(TypeError, match=r"until must be a datetime\.date"):
            ProtestHeld(occurred_on=D(2024, 8, 20), until="2024-09-10")  # type: ignore[arg-type]

    def test_round_trip(self):
        """to_dict/from_dict keep until; an event without it writes no until at all."""
        payload = to_dict(LATE_SUMMER)
        plain = to_dict(ProtestHeld(occurred_on=D(2024, 8, 20)))
        assert ("2024-09-10", LATE_SUMMER, False) == (
            payload["until"], from_dict(payload), "until" in plain)

    def test_ids_unchanged_without_until(self):
        """The derived id of an event without a range is what it was before ranges existed."""
        intro = cm.events.ActorIntroduced(occurred_on=D(2024, 1, 1), precision=YEAR, actor="a",
                                          name="A", kind=cm.ActorKind.PERSON)
        assert "h8f8b34687571" == cm.derived_id(intro)

    def test_until_changes_the_id(self):
        """A range is part of what the event says, so of its derived id."""
        assert cm.derived_id(LATE_SUMMER) != cm.derived_id(
            ProtestHeld(occurred_on=D(2024, 8, 20)))

    def test_scenario_files_round_trip(self, tmp_path):
        """TOML and JSON Lines scenario files write and read until."""
        scenario = cm.Scenario(id="r", title="R", events=(person("m"), LATE_SUMMER))
        for name in ("r.toml", "r.jsonl"):
            scenario.dump(tmp_path / name)
            assert scenario.events == cm.load_scenario(tmp_path / name).events
        assert "occurred_on = 2024-08-20\nuntil = 2024-09-10" in scenario.to_toml()

    def test_toml_error_names_until(self, tmp_path):
        """A bad until in a file names the file, the line of until and the field."""
        path = tmp_path / "bad.toml"
        path.write_text('[scenario]\nid = "b"\ntitle = "B"\n\n[[events]]\n'
                        'type = "unrest.protest"\noccurred_on = 2024-08-20\n'
                        'until = 2024-08-01\n', encoding="utf-8")
        with pytest.raises(cm.ScenarioError) as info:
            cm.load_scenario(path)
        assert ("bad.toml:8", "field 'until'") == (
            f"bad.toml:{info.value.errors[0].line}",
            "field 'until'" if info.value.errors[0].field == "until" else "")


class TestChronology:
    def test_day_inside_a_range_follows_it(self):
        """A day within a range may follow it, and precede it."""
        day = ProtestHeld(occurred_on=D(2024, 9, 5))
        assert (2, 2) == (cm.replay([LATE_SUMMER, day]).version,
                          cm.replay([day, LATE_SUMMER]).version)

    def test_range_wholly_before_is_rejected(self):
        """A range over before the date reached is rejected, the message giving until."""
        later = ProtestHeld(occurred_on=D(2024, 9, 15))
        problems = cm.check(cm.replay([later]), LATE_SUMMER)
        assert (["chronology"], True) == (
            [p.rule for p in problems], "until 2024-09-10" in problems[0].message)


class TestAsOf:
    def test_range_certain_once_over(self):
        """A fact known to 'late August or early September' is established on 10 September."""
        log = [*base_log(), WentIntoHiding(occurred_on=D(2024, 8, 20), until=D(2024, 9, 10),
                                           person="gonzalez")]
        where = [cm.state_at(log, d).actors["gonzalez"].whereabouts
                 for d in (D(2024, 8, 20), D(2024, 9, 9), D(2024, 9, 10))]
        assert [cm.Whereabouts.AT_LARGE] * 2 + [cm.Whereabouts.IN_HIDING] == where

    def test_seed_month_fact_not_established_before_month_end(self):
        """On the seed, the November releases count only once November is over."""
        seed = cm.load_scenario(ROOT / "seeds" / "venezuela_2024.toml")
        released = [seed.state_at(d).ledgers["post-election-detainees"].released.known
                    for d in (D(2024, 11, 1), D(2024, 11, 29), D(2024, 11, 30))]
        assert [0, 0, 103] == released

    def test_history_unknown_reading(self):
        """History.state_at names a bad reading too."""
        with pytest.raises(cm.CrisisModelError, match="'maybe'"):
            cm.History(base_log()).state_at(D(2024, 8, 1), reading="maybe")  # type: ignore[arg-type]


class TestProperties:
    @given(log=admissible_logs, when=days)
    def test_certain_events_are_a_prefix(self, log, when):
        """The certain events (by definition, event by event) are the first certain_count."""
        flags = _certain(log, when)
        k = certain_count(log, when)
        assert [True] * k + [False] * (len(log) - k) == flags

    @given(log=admissible_logs, when=days)
    def test_certain_state_is_the_prefix_replayed(self, log, when):
        """state_at equals the replay of the certain prefix; no certain event begins after when."""
        k = certain_count(log, when)
        assert (cm.replay(log[:k]), True) == (
            cm.state_at(log, when), all(e.occurred_on <= when for e in log[:k]))

    @given(log=admissible_logs, when=days)
    def test_uncertain_between_the_readings(self, log, when):
        """The uncertain events have begun, are not over, and lie between the two prefixes."""
        uncertain = cm.uncertain_events(log, when)
        low, high = certain_count(log, when), possible_count(log, when)
        assert (list(range(low, high)), True) == (
            [i for i, _ in uncertain],
            all(e.occurred_on <= when < e.window[1] for _, e in uncertain))
        assert cm.replay(log[:high]) == cm.state_at(log, when, reading="possible")

    @settings(max_examples=25)
    @given(log=mixed_logs, when=days, every=st.integers(1, 10))
    def test_history_agrees_leniently(self, log, when, every):
        """History answers both readings as state_at does, for logs the rules partly reject."""
        history = cm.History(log, strict=False, checkpoint_every=every)
        for reading in ("certain", "possible"):
            assert cm.state_at(log, when, strict=False, reading=reading) == (
                history.state_at(when, reading=reading))

    def test_strategies_generate_ranges(self):
        """crisis_model.testing draws range dates sometimes, and such logs stay admissible."""
        log = find(event_logs(min_size=1, max_size=20),
                   lambda log: any(e.until is not None for e in log))
        assert len(log) == cm.replay(log).version


class TestCli:
    def test_replay_marks_a_range_uncertain(self, tmp_path):
        """replay --as-of lists a range not yet over under UNCERTAIN, text and JSON."""
        scenario = cm.Scenario(id="r", title="R", events=(
            person("m"), WentIntoHiding(occurred_on=D(2024, 8, 20), until=D(2024, 9, 10),
                                        person="m")))
        path = tmp_path / "r.toml"
        scenario.dump(path)

        def run(*args: str) -> str:
            return subprocess.run([sys.executable, "-m", "crisis_model", "replay", str(path),
                                   "--as-of", "2024-09-01", *args], cwd=ROOT, check=True,
                                  capture_output=True, text=True, encoding="utf-8").stdout

        text, doc = run(), json.loads(run("--json"))
        assert ("?  #1  20 Aug - 10 Sep 2024  M goes into hiding" in text,
                [{"index": 1, "until": "2024-09-10", "date": "20 Aug - 10 Sep 2024"}],
                "at_large") == (
            True,
            [{k: u[k] for k in ("index", "until", "date")} for u in doc["uncertain"]],
            doc["actors"]["m"]["whereabouts"])
