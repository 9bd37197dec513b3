"""Tests for crisis_model.query: dates at precision, uncertainty, timeline, snapshots, diff."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    LeftCountry,
    PeopleDetained,
    PrisonersReleased,
    ProtestHeld,
    WentIntoHiding,
)
from crisis_model.query import actors_involved, included_events

from .builders import base_log, person
from .strategies import admissible_logs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "venezuela_2024.toml"
BRANCH = ROOT / "seeds" / "venezuela_2024_amnesty_accepted.toml"
D = dt.date
MONTH, YEAR = cm.Precision.MONTH, cm.Precision.YEAR


@pytest.fixture(scope="module")
def seed() -> cm.Scenario:
    """The seed scenario, loaded once for the module."""
    return cm.load_scenario(SEED)


class TestFormatDate:
    @pytest.mark.parametrize(("precision", "expected"), [
        (cm.Precision.DAY, "2024-11-01"), (MONTH, "2024-11"), (YEAR, "2024"),
    ])
    def test_precision(self, precision, expected):
        """A date prints only as precisely as it is known."""
        assert expected == cm.format_date(D(2024, 11, 1), precision)


class TestUncertainEvents:
    LOG = (
        person("m"),
        ProtestHeld(occurred_on=D(2024, 11, 1), precision=MONTH),
        ProtestHeld(occurred_on=D(2024, 11, 20)),
    )

    @pytest.mark.parametrize(("when", "expected"), [
        (D(2024, 10, 31), []),
        (D(2024, 11, 1), [1]),
        (D(2024, 11, 19), [1]),
        (D(2024, 11, 20), []),
    ])
    def test_month_window(self, when, expected):
        """A month event is uncertain from its 1st until a later event (20 November) settles it."""
        assert expected == [i for i, _ in cm.uncertain_events(self.LOG, when)]

    @pytest.mark.parametrize(("when", "expected"), [
        (D(2024, 10, 31), []), (D(2024, 11, 1), [1]), (D(2024, 11, 29), [1]), (D(2024, 11, 30), []),
    ])
    def test_month_window_last(self, when, expected):
        """With nothing after it, a month event is uncertain until its last day."""
        assert expected == [i for i, _ in cm.uncertain_events(self.LOG[:2], when)]

    def test_year_window(self):
        """A year event is uncertain until 31 December."""
        log = [ProtestHeld(occurred_on=D(2024, 1, 1), precision=YEAR)]
        expected = ([0], [])
        actual = ([i for i, _ in cm.uncertain_events(log, D(2024, 12, 30))],
                  cm.uncertain_events(log, D(2024, 12, 31)))
        assert expected == actual

    def test_range_window(self):
        """A range of dates is uncertain from its first day to its last (until)."""
        log = [ProtestHeld(occurred_on=D(2024, 8, 20), until=D(2024, 9, 10))]
        expected = [[], [0], [0], []]
        days = (D(2024, 8, 19), D(2024, 8, 20), D(2024, 9, 9), D(2024, 9, 10))
        assert expected == [[i for i, _ in cm.uncertain_events(log, d)] for d in days]

    def test_only_possible(self):
        """An event logged after one not yet begun is not listed: the order says it came later."""
        log = [
            person("late", D(2024, 8, 20)),
            WentIntoHiding(occurred_on=D(2024, 8, 1), precision=MONTH, person="late"),
        ]
        assert ([], [(1, log[1])]) == (cm.uncertain_events(log, D(2024, 8, 10)),
                                       cm.uncertain_events(log, D(2024, 8, 20)))

    def test_seed_november(self, seed):
        """Mid-November 2024, only the two month-dated releases are uncertain (the year-dated
        introductions are settled by the events logged after them)."""
        tags = [e.event_tag for _, e in cm.uncertain_events(seed.events, D(2024, 11, 15))]
        assert ["justice.released", "justice.released"] == tags

    def test_uncertain_are_between_certain_and_possible(self, seed):
        """The uncertain events: those the possible reading counts and the certain one does not."""
        day = D(2024, 8, 5)
        certain = cm.state_at(seed.events, day).version
        possible = cm.state_at(seed.events, day, reading="possible").version
        assert list(range(certain, possible)) == [
            i for i, _ in cm.uncertain_events(seed.events, day)]

    @given(log=admissible_logs)
    def test_included_matches_state_at(self, log):
        """The events said to be included are exactly those state_at applies, in either reading."""
        when = log[len(log) // 2].occurred_on
        expected = [cm.state_at(log, when, strict=False, reading=r).version
                    for r in ("certain", "possible")]
        assert expected == [len(included_events(log, when, reading=r))
                            for r in ("certain", "possible")]

    @given(log=admissible_logs)
    def test_included_whole_log(self, log):
        """As of the last day of the last window every event of an admissible log is
        included, whether the log is a list or a tuple."""
        when = max(e.window[1] for e in log)
        expected = list(enumerate(log))
        assert (expected, expected) == (included_events(log, when),
                                        included_events(tuple(log), when))

    def test_included_leaves_out_rejected(self):
        """Leniently, an event the rules reject is not included; the rest of the prefix is."""
        log = [person("m", D(2024, 7, 1)), WentIntoHiding(occurred_on=D(2024, 7, 2), person="x"),
               WentIntoHiding(occurred_on=D(2024, 7, 3), person="m")]
        assert [0, 2] == [i for i, _ in included_events(log, D(2024, 7, 3))]


class TestActorsInvolved:
    def test_fields(self):
        """Every actor reference field counts, in field order, without repeats."""
        event = PeopleDetained(occurred_on=D(2024, 7, 30), group="g", persons=("a", "b", "a"),
                               by="police")
        assert ("g", "a", "b", "police") == actors_involved(event)

    def test_non_actor_fields_ignored(self):
        """A destination country code is not an actor."""
        event = LeftCountry(occurred_on=D(2024, 9, 8), person="gonzalez", to="ESP")
        assert ("gonzalez",) == actors_involved(event)


class TestTimeline:
    def test_one_entry_per_event(self, seed):
        """Without filters the timeline lists every event in order."""
        entries = cm.timeline(seed.events)
        assert list(range(len(seed.events))) == [e.index for e in entries]

    def test_dates_at_precision(self, seed):
        """Each entry's date is printed at its precision."""
        entries = {e.index: e.date for e in cm.timeline(seed.events)}
        assert ("2024", "2024-07-28", "2024-11") == (entries[0], entries[19], entries[40])

    def test_summary_uses_names(self, seed):
        """Summaries name actors by their names and keep the numbers."""
        entry = next(e for e in cm.timeline(seed.events)
                     if e.event.event_tag == "election.declared")
        expected = ("National Electoral Council (CNE) declares Nicolás Maduro the winner of "
                    "ve-2024-presidential (Nicolás Maduro 52%)")
        assert expected == entry.summary

    def test_sources_shown(self, seed):
        """Each entry carries its event's sources, and prints them in brackets."""
        entry = cm.timeline(seed.events)[-1]
        assert ("al-jazeera-2024-11",) == entry.sources
        assert str(entry).endswith("[al-jazeera-2024-11]")

    def test_window_filter(self, seed):
        """A month event counts for any day of its month; day events only on their day."""
        entries = cm.timeline(seed.events, start=D(2024, 11, 15), end=D(2024, 11, 15))
        expected = {"justice.released", "actor.introduced", "election.called",
                    "election.candidate_disqualified"}
        assert expected == {e.event.event_tag for e in entries}

    def test_actor_filter(self, seed):
        """Filtering by actor keeps only the events that involve it (the year-dated
        introduction included, as its window reaches past the start)."""
        entries = cm.timeline(seed.events, actor="machado", start=D(2024, 2, 1))
        expected = ["actor.introduced", "justice.arrest_threatened", "movement.went_into_hiding"]
        assert expected == [e.event.event_tag for e in entries]

    def test_every_builtin_has_a_summary(self):
        """No built-in type falls back to the generic tag-and-fields line."""
        from crisis_model.query import _SUMMARIES

        assert set() == {c for c in cm.registry.types.values() if c not in _SUMMARIES}

    @pytest.mark.parametrize(("event", "expected"), [
        (PrisonersReleased(occurred_on=D(2024, 11, 1), group="d", count=225, conditional=True,
                           conditions=("monthly court appearance",)),
         "225 people from d released on conditions: monthly court appearance"),
        (PeopleDetained(occurred_on=D(2024, 7, 30), group="d"),
         "an unreported number of people (d) detained"),
        (ProtestHeld(occurred_on=D(2024, 7, 29), location="Caracas", size=1000),
         "protest in Caracas, about 1,000 people"),
    ])
    def test_plain_words(self, event, expected):
        """Counts, unknown counts and conditions read as plain words."""
        assert expected == cm.describe(event)

    def test_user_types(self):
        """A user's type reads generically, or as its registered summarizer says."""
        with cm.registry.scoped():
            @cm.event_type("military.defected")
            @attrs.frozen(kw_only=True)
            class Defected(cm.Event):
                unit: str = cm.ref("actor")
                to: str = ""

            event = Defected(occurred_on=D(2024, 8, 1), unit="army", to="opposition")
            generic = cm.describe(event)
            cm.summarizer(Defected)(lambda e, name: f"{name(e.unit)} defects to {e.to}")
            custom = cm.describe(event, {"army": "The army"})
        assert ("military.defected: unit=army, to=opposition",
                "The army defects to opposition") == (generic, custom)


class TestSnapshotDict:
    def test_json_able(self, seed):
        """The snapshot is plain JSON data."""
        doc = cm.snapshot_dict(seed.replay())
        assert doc == json.loads(json.dumps(doc))

    def test_unknown_numbers_null(self, seed):
        """Counts no report gave are null, not 0."""
        doc = cm.snapshot_dict(seed.replay())
        ledger = doc["ledgers"]["post-election-detainees"]
        assert (None, None, 103) == (
            ledger["held"], ledger["detained"]["total"], ledger["released"]["total"])

    def test_shape(self, seed):
        """The top level and each record have the documented keys."""
        doc = cm.snapshot_dict(seed.replay())
        assert ["actors", "elections", "incidents", "ledgers", "offers", "reached",
                "slices", "version"] == sorted(doc)
        assert ["affiliation", "asylum", "asylum_history", "country", "custody",
                "custody_history", "death", "jeopardy", "kind", "location", "movements", "name",
                "offices", "stances", "whereabouts"] == sorted(doc["actors"]["gonzalez"])
        assert ["allegations", "annulled", "annulments", "assessment_history", "assessments",
                "audits", "called_on", "called_precision", "candidates", "claim_history",
                "claims", "concession_history", "concessions", "count_history", "country",
                "counts", "data", "declaration_history", "declarations", "disqualified",
                "held_on", "held_precision", "office", "recognitions", "rerun_of",
                "reschedulings", "runoff_of", "scheduled_for", "transparency_demands",
                "withdrawals"] == sorted(
                    doc["elections"]["ve-2024-presidential"])

    def test_precision_travels_with_dates(self, seed):
        """A month-precision claim keeps its precision in the document."""
        claims = cm.snapshot_dict(seed.replay())["elections"]["ve-2024-presidential"]["claims"]
        assert ("2024-07-01", "month") == (claims["opposition"]["on"],
                                           claims["opposition"]["precision"])

    def test_enums_and_dates(self, seed):
        """Enums are their values and dates ISO strings."""
        gonzalez = cm.snapshot_dict(seed.replay())["actors"]["gonzalez"]
        expected = ("in_exile", {"host": "spain", "status": "sought", "since": "2024-09-08",
                                 "precision": "day", "reason": None})
        assert expected == (gonzalez["whereabouts"], gonzalez["asylum"])


class TestDiff:
    def test_between_dates(self, seed):
        """From August to December 2024, González goes into exile and the releases happen."""
        changes = cm.diff(seed.state_at(D(2024, 8, 11)), seed.state_at(D(2024, 12, 31)))
        found = {(c.section, c.subject, c.field): (c.before, c.after) for c in changes}
        assert ("at_large", "in_exile") == found[("actor", "gonzalez", "whereabouts")]
        assert (0, 103) == found[("ledger", "post-election-detainees", "released.known")]
        assert ("machado", "whereabouts") not in {(c.subject, c.field) for c in changes}

    def test_between_branches(self, seed):
        """The amnesty branch differs in offices (and the claims to them), the offer and
        González's whereabouts."""
        branch = cm.load_scenario(BRANCH)
        changes = cm.diff(seed.replay(), branch.replay())
        subjects = {(c.section, c.subject) for c in changes}
        assert {("actor", "maduro"), ("actor", "gonzalez"),
                ("offer", "us-amnesty-maduro"), ("slice", "offices")} == subjects

    def test_same_state(self, seed):
        """A state compared with itself has no changes."""
        state = seed.replay()
        assert [] == cm.diff(state, state)

    def test_added_subject(self):
        """An actor present only after is one whole-subject change."""
        log = base_log()
        before = cm.replay(log)
        after = cm.replay([*log, ActorIntroduced(occurred_on=D(2024, 8, 1), actor="new",
                                                 name="New", kind=cm.ActorKind.NGO)])
        changes = cm.diff(before, after)
        assert [("actor", "new", True)] == [(c.section, c.subject, c.added) for c in changes]
        assert cm.diff(after, before)[0].removed

    def test_nested_paths(self):
        """A stance change is reported by its dotted path."""
        from crisis_model.events import RecognitionWithheld, WinnerRecognized

        log = base_log()
        withheld = [*log, RecognitionWithheld(occurred_on=D(2024, 8, 1), by="usa",
                                              election="ve", condition="c")]
        recognised = [*withheld, WinnerRecognized(occurred_on=D(2024, 8, 2), by="usa",
                                                  election="ve", winner="gonzalez")]
        fields = {c.field: (c.before, c.after)
                  for c in cm.diff(cm.replay(withheld), cm.replay(recognised))}
        assert ("withholds", "recognises") == fields["stances.ve.kind"]
