"""Tests for crisis_model.scenario: the seed facts, file formats, branches and errors."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crisis_model as cm
import crisis_model.scenario as scenario_module
from crisis_model.events import ActorIntroduced, ElectionDeclared, PrisonersReleased

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "venezuela_2024.toml"
BRANCH = SEEDS / "venezuela_2024_amnesty_accepted.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ELECTION = "ve-2024-presidential"
D = dt.date


@pytest.fixture(scope="module")
def seed() -> cm.Scenario:
    """The seed scenario, loaded once for the module."""
    return cm.load_scenario(SEED)


@pytest.fixture(scope="module")
def august(seed: cm.Scenario) -> cm.CrisisState:
    """The seed as of 11 August 2024, the date of Report A."""
    return seed.state_at(D(2024, 8, 11))


@pytest.fixture(scope="module")
def year_end(seed: cm.Scenario) -> cm.CrisisState:
    """The seed as of 31 December 2024."""
    return seed.state_at(D(2024, 12, 31))


def write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` and return the path."""
    path.write_text(text, encoding="utf-8")
    return path


HEAD = '[scenario]\nid = "t"\ntitle = "T"\n'
MADURO = (
    '\n[[events]]\ntype = "actor.introduced"\noccurred_on = 2024-01-01\n'
    'actor = "maduro"\nname = "Nicolás Maduro"\nkind = "person"\n'
)


class TestSeedAugust:
    def test_council_declares_maduro(self, august):
        """As of 2024-08-11 the electoral council has declared Maduro the winner at 52%."""
        declaration = august.elections[ELECTION].declarations["cne"]
        assert ("maduro", {"maduro": 52.0}) == (declaration.winner, dict(declaration.shares))

    def test_opposition_claims_gonzalez(self, august):
        """The opposition claims González won with 67%."""
        claim = august.elections[ELECTION].claims["opposition"]
        assert ("gonzalez", {"gonzalez": 67.0}) == (claim.claimed_winner, dict(claim.shares))

    def test_carter_center_validates_gonzalez(self, august):
        """The Carter Center finds the vote fell short and its evidence favours González."""
        assessment = august.elections[ELECTION].assessments["carter-center"]
        assert (cm.Verdict.FELL_SHORT, "gonzalez") == (assessment.verdict, assessment.favours)

    def test_united_states_recognises_gonzalez(self, august):
        """The United States recognises González as the winner."""
        stance = august.stance("united-states", ELECTION)
        assert (cm.StanceKind.RECOGNISES, "gonzalez") == (stance.kind, stance.winner)

    def test_brazil_withholds(self, august):
        """Brazil withholds recognition until the results are verifiably transparent."""
        stance = august.stance("brazil", ELECTION)
        assert cm.StanceKind.WITHHOLDS == stance.kind
        assert "transparency" in stance.condition

    def test_transparency_demanded(self, august):
        """Brazil and the United States both demand transparency of the electoral council."""
        expected = (("brazil", "cne"), ("united-states", "cne"))
        assert expected == august.elections[ELECTION].transparency_demands

    def test_supreme_court_audit_open(self, august):
        """The Supreme Court's audit of the result is open."""
        audit = august.elections[ELECTION].audits["tsj-review"]
        assert ("tsj", cm.state.AuditStatus.OPEN) == (audit.by, audit.status)

    def test_machado_in_hiding(self, august):
        """Machado is in hiding in Caracas, under threat of arrest."""
        machado = august.actors["machado"]
        expected = (cm.Whereabouts.IN_HIDING, "Caracas", True)
        assert expected == (machado.whereabouts, machado.location, machado.jeopardy.threatened)

    def test_amnesty_reported_and_pending(self, august):
        """The US amnesty for Maduro is reported, not formally made, and pending."""
        offer = august.offers["us-amnesty-maduro"]
        expected = ("united-states", ("maduro",), False, cm.OfferStatus.PENDING)
        assert expected == (offer.by, offer.to, offer.formal, offer.status)
        assert {"maduro", "maduro-officials"} == set(offer.beneficiaries)
        assert 2 == len(offer.conditions)

    def test_data_withheld(self, august):
        """The government withholds the detailed voting data."""
        assert cm.DataStatus.WITHHELD == august.elections[ELECTION].data

    def test_candidates_disqualified_before_vote(self, august):
        """Prominent opposition hopefuls were barred, and the vote had two main candidates."""
        election = august.elections[ELECTION]
        expected = (("barred-candidates",), ("maduro", "gonzalez"), D(2024, 7, 28))
        assert expected == (election.disqualified, election.candidates, election.held_on)

    def test_unrest_counts_unknown(self, august):
        """One protest and one crackdown, with deaths, injuries and arrests unreported."""
        i = august.incidents
        assert (1, 1) == (i.protests, i.crackdowns)
        assert (None, None, None) == (i.deaths.total, i.injuries.total, i.arrests.total)

    def test_gonzalez_still_home(self, august):
        """González has not yet left the country on 11 August."""
        assert cm.Whereabouts.AT_LARGE == august.actors["gonzalez"].whereabouts


class TestSeedYearEnd:
    def test_gonzalez_in_spain(self, year_end):
        """By the end of 2024 González is in Spain, having sought asylum there."""
        gonzalez = year_end.actors["gonzalez"]
        assert (cm.Whereabouts.IN_EXILE, "ESP") == (gonzalez.whereabouts, gonzalez.location)
        assert ("spain", cm.AsylumStatus.SOUGHT) == (gonzalez.asylum.host, gonzalez.asylum.status)

    def test_opposition_in_embassies(self, year_end):
        """Opposition members shelter in embassies, and Argentina reports their harassment."""
        group = year_end.actors["opposition-in-embassies"]
        assert cm.Whereabouts.IN_EMBASSY == group.whereabouts
        assert 1 == year_end.incidents.harassment_reports

    def test_releases(self, year_end):
        """103 detainees are released and 225 released on monthly court appearances."""
        ledger = year_end.ledgers["post-election-detainees"]
        assert (103, 225) == (ledger.released.total, ledger.conditionally_released.total)
        assert ("appear before a court every month",) == ledger.conditions

    def test_detentions_unknown(self, year_end):
        """How many were detained is unknown, so how many are still held is too."""
        ledger = year_end.ledgers["post-election-detainees"]
        assert (None, None) == (ledger.detained.total, ledger.held)

    def test_maduro_still_president(self, year_end):
        """In the seed, Maduro still holds the presidency and the amnesty is still pending."""
        assert ("president-ven",) == year_end.actors["maduro"].offices
        assert cm.OfferStatus.PENDING == year_end.offers["us-amnesty-maduro"].status


class TestSeedFile:
    def test_replays_strictly(self, seed):
        """Every event of the seed passes the rules."""
        assert len(seed.events) == seed.replay().version

    def test_every_event_cites_a_defined_source(self, seed):
        """Each seed event cites at least one report, and only the two defined ones."""
        assert {"rio-times-2024-08-11", "al-jazeera-2024-11"} == set(seed.sources)
        assert all(e.sources and set(e.sources) <= set(seed.sources) for e in seed.events)

    def test_actors_introduced_first(self, seed):
        """Every actor is introduced before the first event of another type."""
        tags = [e.event_tag for e in seed.events]
        first_other = next(i for i, t in enumerate(tags) if t != "actor.introduced")
        assert "actor.introduced" not in tags[first_other:]

    @pytest.mark.parametrize(("tag", "field", "value", "day", "precision"), [
        ("election.held", "election", ELECTION, D(2024, 7, 28), cm.Precision.DAY),
        ("election.declared", "authority", "cne", D(2024, 7, 29), cm.Precision.DAY),
        ("election.disputed", "by", "opposition", D(2024, 7, 1), cm.Precision.MONTH),
        ("election.candidate_disqualified", "candidate", "barred-candidates", D(2024, 1, 1),
         cm.Precision.YEAR),
        ("recognition.granted", "by", "united-states", D(2024, 8, 1), cm.Precision.DAY),
        ("election.data_withheld", "by", "ven-government", D(2024, 8, 1), cm.Precision.MONTH),
        ("justice.amnesty_proposed", "by", "united-states", D(2024, 8, 11), cm.Precision.DAY),
        ("movement.embassy_refuge", "person", "opposition-in-embassies", D(2024, 9, 1),
         cm.Precision.MONTH),
        ("movement.left_country", "person", "gonzalez", D(2024, 9, 8), cm.Precision.DAY),
        ("justice.released", "count", 225, D(2024, 11, 1), cm.Precision.MONTH),
    ])
    def test_dates_at_fact_sheet_precision(self, seed, tag, field, value, day, precision):
        """Each fact is dated at the precision the fact sheet gives, never with an invented day."""
        matches = [e for e in seed.events
                   if e.event_tag == tag and getattr(e, field) in (
                       value, cm.Count.exact(value) if type(value) is int else value)]
        assert [(day, precision)] == [(e.occurred_on, e.precision) for e in matches]

    def test_sources_described(self, seed):
        """Report B is known only to the month; Report A to the day."""
        a, b = seed.sources["rio-times-2024-08-11"], seed.sources["al-jazeera-2024-11"]
        assert (D(2024, 8, 11), cm.Precision.DAY) == (a.published, a.precision)
        assert (D(2024, 11, 1), cm.Precision.MONTH) == (b.published, b.precision)

    def test_no_report_sentence_copied(self, seed):
        """No note repeats a run of eight words from the seed reports (paraphrase only)."""
        reports = ROOT.parent / "shared" / "seeds"
        texts = [p.read_text(encoding="utf-8") for p in reports.glob("*.txt")] if (
            reports.is_dir()) else []
        if not texts:
            pytest.skip("the seed reports are not beside the project")
        words = " ".join(" ".join(t.split()) for t in texts).lower()
        for event in seed.events:
            note = event.note.lower().split()
            runs = {" ".join(note[i:i + 8]) for i in range(max(0, len(note) - 7))}
            assert set() == {r for r in runs if r in words}

    def test_locations(self, seed):
        """Each event knows the line of its [[events]] table."""
        lines = SEED.read_text(encoding="utf-8").splitlines()
        assert all("[[events]]" == lines[seed.location(i).line - 1]
                   for i in range(len(seed.events)))


class TestBranch:
    def test_replays_cleanly(self):
        """The amnesty branch replays strictly to its end."""
        branch = cm.load_scenario(BRANCH)
        assert len(branch.events) == branch.replay().version

    def test_outcome(self):
        """The amnesty is accepted, Maduro leaves office and González assumes it."""
        state = cm.load_scenario(BRANCH).replay()
        offer = state.offers["us-amnesty-maduro"]
        assert (cm.OfferStatus.ACCEPTED, True, "maduro") == (
            offer.status, offer.formal, offer.resolved_by)
        assert ((), ("president-ven",)) == (
            state.actors["maduro"].offices, state.actors["gonzalez"].offices)

    def test_extends_the_seed(self, seed):
        """The branch holds the seed's events and sources first, then its own."""
        branch = cm.load_scenario(BRANCH)
        assert seed.events == branch.events[: len(seed.events)]
        assert seed.sources == branch.sources
        assert ("venezuela_2024.toml", "venezuela-2024-amnesty-accepted") == (
            branch.extends, branch.id)

    def test_locations_span_files(self, seed):
        """Inherited events point at the seed file, appended ones at the branch file."""
        branch = cm.load_scenario(BRANCH)
        first, last = branch.location(0), branch.location(len(branch.events) - 1)
        assert (Path(first.file).name, Path(last.file).name) == (SEED.name, BRANCH.name)


class TestRoundTrip:
    def test_toml_jsonl_toml(self, seed, tmp_path):
        """The seed survives TOML -> JSON Lines -> TOML unchanged."""
        seed.dump(tmp_path / "seed.jsonl")
        middle = cm.load_scenario(tmp_path / "seed.jsonl")
        middle.dump(tmp_path / "seed.toml")
        assert (seed, seed) == (middle, cm.load_scenario(tmp_path / "seed.toml"))

    def test_branch_flattened(self, tmp_path):
        """A dumped branch is self-contained and reloads equal."""
        branch = cm.load_scenario(BRANCH)
        branch.dump(tmp_path / "flat.toml")
        flat = cm.load_scenario(tmp_path / "flat.toml")
        assert (branch, None) == (flat, flat.extends)

    def test_format_override(self, seed, tmp_path):
        """``format`` overrides the suffix."""
        seed.dump(tmp_path / "x.toml", format="jsonl")
        first = (tmp_path / "x.toml").read_text(encoding="utf-8").splitlines()[0]
        assert "venezuela-2024" == json.loads(first)["scenario"]["id"]

    def test_jsonl_header_shape(self, seed):
        """The JSON Lines header holds the scenario and the sources; each line after is an event."""
        lines = seed.to_jsonl().splitlines()
        header = json.loads(lines[0])
        assert ["scenario", "sources"] == sorted(header)
        assert len(seed.events) == len(lines) - 1
        assert "actor.introduced" == json.loads(lines[1])["type"]

    @given(text=st.text(max_size=40), share=st.floats(0, 100, allow_nan=False))
    def test_emitter_escapes(self, text, share):
        """Any text and share survive the TOML writer and reader."""
        events = (
            ActorIntroduced(occurred_on=D(2024, 1, 1), actor="m", name=text or "x",
                            kind=cm.ActorKind.PERSON, note=text, location=text),
            ElectionDeclared(occurred_on=D(2024, 7, 29), election="e", authority="m",
                             winner="m", shares={text: share, "k y": 1.5}),
        )
        scenario = cm.Scenario(id=f"s{text}", title="T", events=events, description=text)
        path = Path(self._tmp) / "s.toml"
        scenario.dump(path)
        assert scenario == cm.load_scenario(path)

    @pytest.fixture(autouse=True)
    def _tmpdir(self, tmp_path_factory):
        """A directory the hypothesis test may write to (tmp_path is function-scoped)."""
        self._tmp = tmp_path_factory.mktemp("emit")

    def test_defaults_left_out(self):
        """The TOML writer leaves out fields at their default."""
        event = PrisonersReleased(occurred_on=D(2024, 11, 1), group="g", count=3)
        text = cm.Scenario(id="t", title="T", events=(event,)).to_toml()
        assert ("conditional" in text, "count = 3" in text) == (False, True)

    def test_none_without_none_default(self, tmp_path):
        """A None where the field's default is not None cannot be written as TOML."""
        with cm.registry.scoped():
            @cm.event_type("test.odd")
            @attrs.frozen(kw_only=True)
            class Odd(cm.Event):
                level: int | None = 5

            scenario = cm.Scenario(id="t", title="T", events=(Odd(occurred_on=D(2024, 1, 1),
                                                                  level=None),))
            with pytest.raises(cm.ScenarioError, match="JSON Lines"):
                scenario.to_toml()


class TestIdsAndRecordDates:
    def test_kept_through_toml_and_jsonl(self, tmp_path):
        """Ids, recorded dates and their precision survive TOML and JSON Lines files."""
        log = (ActorIntroduced(occurred_on=D(2024, 1, 1), actor="m", name="M",
                               kind=cm.ActorKind.PERSON, id="m-intro",
                               recorded_on=D(2024, 8, 1), recorded_precision=cm.Precision.MONTH),
               ActorIntroduced(occurred_on=D(2024, 1, 1), actor="n", name="N",
                               kind=cm.ActorKind.PERSON, recorded_on=D(2024, 8, 11)))
        scenario = cm.Scenario(id="t", title="T", events=log)
        for name in ("s.toml", "s.jsonl"):
            scenario.dump(tmp_path / name)
            assert scenario == cm.load_scenario(tmp_path / name)
        assert 'id = "m-intro"' in scenario.to_toml()
        assert "recorded_on = 2024-08-01" in scenario.to_toml()

    def test_duplicate_id_names_both_lines(self, tmp_path):
        """Two events with one id: the error names the second's line and the first's."""
        event = '\n[[events]]\ntype = "unrest.protest"\noccurred_on = 2024-07-29\nid = "p1"\n'
        path = write(tmp_path / "dup.toml", HEAD + event + event)
        with pytest.raises(cm.ScenarioSchemaError) as info:
            cm.load_scenario(path)
        message = str(info.value)
        assert (10, "id") == (info.value.line, info.value.field)
        assert "'p1' is already the id of event #0 (unrest.protest, at " in message
        assert "dup.toml:5" in message

    def test_duplicate_id_across_extends(self, tmp_path):
        """A branch may not reuse an id of the file it extends."""
        write(tmp_path / "base.toml", HEAD + '\n[[events]]\ntype = "unrest.protest"\n'
              'occurred_on = 2024-07-29\nid = "p1"\n')
        path = write(tmp_path / "branch.toml", '[scenario]\nid = "b"\ntitle = "B"\n'
                     'extends = "base.toml"\n\n[[events]]\ntype = "unrest.protest"\n'
                     'occurred_on = 2024-07-30\nid = "p1"\n')
        with pytest.raises(cm.ScenarioSchemaError, match=r"base\.toml:5"):
            cm.load_scenario(path)


class TestJsonl:
    def test_without_header(self, tmp_path):
        """Without a header the file's stem is the id and title."""
        path = write(tmp_path / "plain.jsonl", json.dumps({
            "type": "actor.introduced", "occurred_on": "2024-01-01", "actor": "m",
            "name": "M", "kind": "person"}) + "\n\n")
        scenario = cm.load_scenario(path)
        assert ("plain", "plain", 1) == (scenario.id, scenario.title, len(scenario.events))

    def test_duplicate_source_in_header(self, tmp_path):
        """A source id twice in the header is a DuplicateSourceError on line 1."""
        path = write(tmp_path / "d.jsonl",
                     '{"scenario": {"id": "t", "title": "T"}, "sources": '
                     '{"a": {"outlet": "o", "title": "t"}, "a": {"outlet": "p", "title": "u"}}}\n')
        with pytest.raises(cm.DuplicateSourceError) as info:
            cm.load_scenario(path)
        assert (1, "sources.a") == (info.value.line, info.value.field)

    def test_duplicate_key_in_event(self, tmp_path):
        """A key twice in one event line is a syntax error on that line."""
        path = write(tmp_path / "k.jsonl",
                     '{"type": "unrest.protest", "occurred_on": "2024-01-01", '
                     '"occurred_on": "2024-01-02"}\n')
        with pytest.raises(cm.ScenarioSyntaxError) as info:
            cm.load_scenario(path)
        assert 1 == info.value.line

    def test_extends_toml(self, tmp_path):
        """A JSON Lines branch may extend a TOML scenario."""
        shutil.copy(SEED, tmp_path / "seed.toml")
        path = write(tmp_path / "b.jsonl", json.dumps(
            {"scenario": {"id": "b", "title": "B", "extends": "seed.toml"}}) + "\n")
        assert 41 == len(cm.load_scenario(path).events)


# Each fixture: the error class, the line, the event index and the field it must report.
MALFORMED = [
    ("unquoted_string.toml", cm.ScenarioSyntaxError, 9, None, None),
    ("bad_date_syntax.toml", cm.ScenarioSyntaxError, 7, None, None),
    ("missing_events_header.toml", cm.ScenarioSyntaxError, 12, None, None),
    ("single_bracket_events.toml", cm.ScenarioSchemaError, 5, None, "events"),
    ("sources_array.toml", cm.ScenarioSchemaError, 5, None, "sources"),
    ("missing_scenario.toml", cm.ScenarioSchemaError, 1, None, None),
    ("unknown_type.toml", cm.UnknownTypeTagError, 12, 1, "type"),
    ("unknown_field.toml", cm.ScenarioSchemaError, 18, 2, "winner"),
    ("bad_enum.toml", cm.ScenarioSchemaError, 10, 0, "kind"),
    ("missing_field.toml", cm.ScenarioSchemaError, 5, 0, "kind"),
    ("text_date.toml", cm.ScenarioSchemaError, 7, 0, "occurred_on"),
    ("month_not_first.toml", cm.ScenarioSchemaError, 7, 0, "occurred_on"),
    ("sources_as_string.toml", cm.ScenarioSchemaError, 16, 0, "sources"),
    ("shares_as_text.toml", cm.ScenarioSchemaError, 24, 2, "shares.maduro"),
    ("unknown_source.toml", cm.UnknownSourceError, 16, 0, "sources"),
    ("duplicate_source.toml", cm.DuplicateSourceError, 10, None, "sources.rio-times"),
    ("cycle_a.toml", cm.ExtendsCycleError, 4, None, "scenario.extends"),
    ("extends_missing.toml", cm.ScenarioError, 4, None, "scenario.extends"),
    ("broken_line.jsonl", cm.ScenarioSyntaxError, 3, None, None),
    ("wrong_field.jsonl", cm.ScenarioSchemaError, 2, 0, "offices"),
]


class TestLoadErrors:
    @pytest.mark.parametrize(("name", "cls", "line", "index", "field"), MALFORMED)
    def test_fixture(self, name, cls, line, index, field):
        """Each malformed file raises its error class naming the line, event and field."""
        with pytest.raises(cls) as info:
            cm.load_scenario(FIXTURES / name)
        err = info.value
        assert (line, index, field) == (err.line, err.index, err.field)
        assert str(err).startswith(str(FIXTURES))

    def test_unknown_type_suggests(self):
        """An unknown tag names the nearest known tags and is an UnknownEventTypeError too."""
        with pytest.raises(cm.UnknownEventTypeError) as info:
            cm.load_scenario(FIXTURES / "unknown_type.toml")
        assert "election.declared" == info.value.suggestions[0]

    def test_unknown_field_suggests(self):
        """A misspelt field suggests the right one."""
        with pytest.raises(cm.ScenarioSchemaError) as info:
            cm.load_scenario(FIXTURES / "unknown_field.toml")
        assert "did you mean 'winner'?" in str(info.value.errors[1])

    def test_every_problem_collected(self):
        """A file with several malformed events lists one error per problem."""
        with pytest.raises(cm.ScenarioError) as info:
            cm.load_scenario(FIXTURES / "several_schema_errors.toml")
        kinds = [type(e) for e in info.value.errors]
        expected = [cm.ScenarioSchemaError, cm.UnknownTypeTagError, cm.ScenarioSchemaError]
        assert expected == kinds
        assert [10, 12, 19] == [e.line for e in info.value.errors]

    def test_unknown_suffix(self):
        """A file that is neither .toml nor .jsonl is refused with the formats named."""
        with pytest.raises(cm.ScenarioError, match=r"\*\.toml"):
            cm.load_scenario(FIXTURES / "scenario.txt")

    def test_missing_file(self, tmp_path):
        """A file that does not exist raises OSError."""
        with pytest.raises(FileNotFoundError):
            cm.load_scenario(tmp_path / "none.toml")

    def test_not_utf8(self, tmp_path):
        """Bytes that are not UTF-8 are a syntax error on their line."""
        path = tmp_path / "latin.toml"
        path.write_bytes(HEAD.encode() + 'note = "caf\xe9"\n'.encode("latin-1"))
        with pytest.raises(cm.ScenarioSyntaxError) as info:
            cm.load_scenario(path)
        assert 4 == info.value.line

    def test_duplicate_source_across_extends(self, tmp_path):
        """A branch that redefines its base's source id gets a DuplicateSourceError."""
        base = write(tmp_path / "base.toml", HEAD + '[sources.a]\noutlet = "o"\ntitle = "t"\n')
        write(tmp_path / "b.toml", '[scenario]\nid = "b"\ntitle = "B"\nextends = "base.toml"\n'
              '\n[sources.a]\noutlet = "o"\ntitle = "t"\n')
        with pytest.raises(cm.DuplicateSourceError, match=str(base)):
            cm.load_scenario(tmp_path / "b.toml")

    def test_self_extension(self, tmp_path):
        """A scenario that extends itself is a cycle."""
        path = write(tmp_path / "me.toml", HEAD + 'extends = "me.toml"\n')
        with pytest.raises(cm.ExtendsCycleError):
            cm.load_scenario(path)

    @pytest.mark.parametrize(("text", "field"), [
        ('[scenario]\ntitle = "T"\n', "scenario.id"),
        ('[scenario]\nid = 3\ntitle = "T"\n', "scenario.id"),
        (HEAD + 'autor = "me"\n', "scenario.autor"),
        (HEAD + '[sources.a]\ntitle = "t"\n', "sources.a.outlet"),
        (HEAD + '[sources.a]\noutlet = "o"\ntitle = "t"\npublished = "Aug 2024"\n',
         "sources.a.published"),
        (HEAD + '[sources.a]\noutlet = "o"\ntitle = "t"\npublished = 2024-08-11\n'
         'precision = "month"\n', "sources.a.published"),
        (HEAD + '[[event]]\ntype = "unrest.protest"\n', "event"),
        (HEAD + "\n[[events]]\noccurred_on = 2024-01-01\n", "type"),
    ])
    def test_tables(self, tmp_path, text, field):
        """Malformed [scenario], [sources.<id>] and top-level tables name the field."""
        with pytest.raises(cm.ScenarioSchemaError) as info:
            cm.load_scenario(write(tmp_path / "s.toml", text))
        assert field == info.value.field


class TestReplay:
    def test_rule_violation_located(self):
        """Strict replay raises a RuleViolation that knows the file and line."""
        scenario = cm.load_scenario(FIXTURES / "unknown_actor.toml")
        with pytest.raises(cm.RuleViolation) as info:
            scenario.replay()
        err = info.value
        assert (cm.ScenarioRuleViolation, 12, 1, "known-actor") == (
            type(err), err.line, err.index, err.rule)
        assert str(err).startswith(f"{FIXTURES / 'unknown_actor.toml'}:12: event #1")

    def test_state_at_located(self):
        """state_at reports a violation with its line too."""
        scenario = cm.load_scenario(FIXTURES / "unknown_actor.toml")
        with pytest.raises(cm.ScenarioRuleViolation) as info:
            scenario.state_at(D(2024, 12, 31))
        assert 12 == info.value.line

    def test_snapshots_located(self):
        """snapshots reports a violation with its line too."""
        scenario = cm.load_scenario(FIXTURES / "unknown_actor.toml")
        with pytest.raises(cm.ScenarioRuleViolation) as info:
            list(scenario.snapshots())
        assert 12 == info.value.line

    def test_lenient(self):
        """Lenient replay returns every anomaly."""
        scenario = cm.load_scenario(FIXTURES / "several_rule_violations.toml")
        state, anomalies = scenario.replay(strict=False)
        assert ([2, 3, 4], 2) == ([a.index for a in anomalies], state.version)

    def test_snapshots(self, seed):
        """There is one snapshot per event, the last equal to the replayed state."""
        states = list(seed.snapshots())
        assert (len(seed.events), seed.replay()) == (len(states), states[-1])

    def test_in_code(self):
        """A scenario built in code replays; its locations are unknown."""
        scenario = cm.Scenario(id="t", title="T", events=[ActorIntroduced(
            occurred_on=D(2024, 1, 1), actor="m", name="M", kind=cm.ActorKind.PERSON)])
        assert (1, cm.Location(None, None)) == (scenario.replay().version, scenario.location(0))


HIDING = '\n[[events]]\ntype = "movement.went_into_hiding"\noccurred_on = 2024-02-0{day}\nperson = "maduro"\n'  # noqa: E501


class TestWaivers:
    def test_scenario_wide_and_per_event(self, tmp_path):
        """``[[waivers]]`` waive a rule for every event; ``waive = [...]`` for one."""
        text = (HEAD + '\n[[waivers]]\nrule = "chronology"\nreason = "dates misprinted"\n'
                + MADURO + HIDING.format(day=1) + HIDING.format(day=2)
                + 'waive = [{rule = "not-already-hiding", reason = "a second report"}]\n')
        scenario = cm.load_scenario(write(tmp_path / "w.toml", text))
        assert (cm.Waiver("chronology", "dates misprinted"),
                cm.Waiver("not-already-hiding", "a second report", event=2)) == scenario.waivers
        assert 3 == scenario.replay().version
        assert [(2, "not-already-hiding")] == [(u.index, u.problem.rule)
                                               for u in scenario.waived()]
        assert (5, 25) == (scenario.waiver_location(0).line, scenario.waiver_location(1).line)

    def test_without_waiver_rejected(self, tmp_path):
        """The same file without its waiver breaks the rule."""
        text = HEAD + MADURO + HIDING.format(day=1) + HIDING.format(day=2)
        with pytest.raises(cm.ScenarioRuleViolation, match="not-already-hiding"):
            cm.load_scenario(write(tmp_path / "w.toml", text)).replay()

    @pytest.mark.parametrize("table, message", [
        ('rule = "chronology"', "needs a reason in words"),
        ('rule = "chronology"\nreason = "  "', "needs a reason in words"),
        ('reason = "x"', "names the rule it waives"),
        ('rule = "chronolgy"\nreason = "x"', "nearest rule names: chronology"),
        ('rule = "known-actor"\nreason = "x"', "cannot be waived"),
        ('rule = "chronology"\nreason = "x"\nscope = "all"', "unknown key 'scope'"),
    ])
    def test_bad_waiver(self, tmp_path, table, message):
        """A waiver without a reason, or naming no rule, is an error with file and line."""
        path = write(tmp_path / "w.toml", HEAD + "\n[[waivers]]\n" + table + "\n" + MADURO)
        with pytest.raises(cm.ScenarioSchemaError) as exc:
            cm.load_scenario(path)
        assert message in str(exc.value)
        assert (str(path), 5) == (exc.value.file, exc.value.line)

    def test_per_event_waiver_must_fit(self, tmp_path):
        """An event's waiver names a rule checked for that event's type."""
        text = HEAD + MADURO + 'waive = [{rule = "not-already-hiding", reason = "x"}]\n'
        with pytest.raises(cm.ScenarioSchemaError, match=r"not checked for 'actor\.introduced'"):
            cm.load_scenario(write(tmp_path / "w.toml", text))

    def test_round_trip(self, tmp_path):
        """Waivers survive TOML and JSON Lines, both scopes."""
        text = (HEAD + '\n[[waivers]]\nrule = "chronology"\nreason = "dates misprinted"\n'
                + MADURO + HIDING.format(day=1) + HIDING.format(day=2)
                + 'waive = [{rule = "not-already-hiding", reason = "a second report"}]\n')
        scenario = cm.load_scenario(write(tmp_path / "w.toml", text))
        for name in ("a.toml", "b.jsonl"):
            scenario.dump(tmp_path / name)
            assert scenario == cm.load_scenario(tmp_path / name)

    def test_inherited_by_branches(self, tmp_path):
        """A branch keeps the waivers of the scenario it extends, and may add its own."""
        write(tmp_path / "base.toml", HEAD + '\n[[waivers]]\nrule = "chronology"\nreason = "x"\n'
              + MADURO + HIDING.format(day=1))
        branch = cm.load_scenario(write(
            tmp_path / "branch.toml",
            '[scenario]\nid = "b"\ntitle = "B"\nextends = "base.toml"\n'
            + HIDING.format(day=2)
            + 'waive = [{rule = "not-already-hiding", reason = "a second report"}]\n'))
        assert ["chronology", "not-already-hiding"] == [w.rule for w in branch.waivers]
        assert 3 == branch.replay().version


OLD_SOURCE = '\n[sources.old]\noutlet = "Wire"\ntitle = "An old report"\npublished = 2023-01-15\n'


class TestSourceChronology:
    def _scenario(self, tmp_path, waiver: str = "") -> cm.Scenario:
        event = MADURO.replace('kind = "person"\n', 'kind = "person"\nsources = ["old"]\n')
        return cm.load_scenario(write(tmp_path / "s.toml", HEAD + OLD_SOURCE + waiver + event))

    def test_source_before_event_rejected(self, tmp_path):
        """Citing a report published a year before the event: rule, source and both dates."""
        with pytest.raises(cm.ScenarioRuleViolation) as exc:
            self._scenario(tmp_path).replay()
        p = exc.value.problems[0]
        assert ("source-chronology", "old", "sources") == (p.rule, p.subject, p.field)
        assert ("cites source 'old', published 2023-01-15, before the event's window begins "
                "(2024-01-01)") == p.message

    def test_lenient_lists_it(self, tmp_path):
        """Lenient replay skips the event and lists the problem."""
        state, anomalies = self._scenario(tmp_path).replay(strict=False)
        assert (0, ["source-chronology"]) == (state.version,
                                              [p.rule for a in anomalies for p in a.problems])

    def test_waivable(self, tmp_path):
        """A reasoned waiver lets the event through."""
        waiver = '\n[[waivers]]\nrule = "source-chronology"\nreason = "a retrospective"\n'
        scenario = self._scenario(tmp_path, waiver)
        assert 1 == scenario.replay().version
        assert 1 == scenario.state_at(D(2024, 6, 1)).version
        assert ["source-chronology"] == [u.problem.rule for u in scenario.waived()]

    def test_same_month_is_fine(self, tmp_path):
        """A source whose window may reach the event's is not questioned."""
        text = (HEAD + OLD_SOURCE.replace("2023-01-15", "2024-01-01")
                + MADURO.replace('kind = "person"\n', 'kind = "person"\nsources = ["old"]\n'))
        assert 1 == cm.load_scenario(write(tmp_path / "s.toml", text)).replay().version
class TestShippedScenarios:
    """Real crises ship with the package and load by id."""

    @pytest.fixture
    def shipped(self, tmp_path, monkeypatch) -> Path:
        """A stand-in for the package's scenarios folder, with one scenario in it."""
        monkeypatch.setattr(scenario_module, "SHIPPED", tmp_path)
        write(tmp_path / "t-1.toml", HEAD.replace('"t"', '"t-1"') + MADURO)
        write(tmp_path / "Not_An_Id.toml", HEAD)
        return tmp_path

    def test_names(self, shipped):
        """Only files named like ids are listed."""
        assert ["t-1"] == cm.scenario_names()

    def test_load_by_id(self, shipped, tmp_path, monkeypatch):
        """An id loads the shipped file when no file of that name exists."""
        monkeypatch.chdir(tmp_path.parent)
        assert ("t-1", 1) == (cm.load_scenario("t-1").id, len(cm.load_scenario("t-1").events))

    def test_a_file_wins(self, shipped, tmp_path, monkeypatch):
        """A file of that name in the working directory is read instead."""
        here = tmp_path / "cwd"
        here.mkdir()
        write(here / "t-1", HEAD)
        monkeypatch.chdir(here)
        with pytest.raises(cm.ScenarioError, match="t-1"):
            cm.load_scenario("t-1")  # not .toml or .jsonl: the local file is what was meant

    def test_unknown_id(self, shipped):
        """An unknown id is an OSError naming the file, as any missing file is."""
        with pytest.raises(OSError):
            cm.load_scenario("no-such-crisis")

    def test_shipped_path_names_the_ids(self, shipped):
        """Asking for an unknown shipped scenario lists the ones there are."""
        with pytest.raises(KeyError, match="t-1"):
            scenario_module.shipped_scenario_path("nope")

    def test_every_shipped_scenario_replays(self):
        """Every scenario the package ships loads by its id and replays strictly."""
        for name in cm.scenario_names():
            scenario = cm.load_scenario(name)
            assert (name, len(scenario.events)) == (scenario.id, scenario.replay().version)
