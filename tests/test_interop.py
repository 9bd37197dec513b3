"""crisis_model.interop: actor ids, alias tables, date order, summaries and import_scenario."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model._limits import use_limits
from crisis_model.events import ActorIntroduced, ProtestHeld
from crisis_model.interop import (
    FORMATS,
    ImportSummary,
    InteropError,
    actor_id,
    import_scenario,
    in_date_order,
    load_aliases,
    mapping_tables,
    read,
    safe_text,
)
from crisis_model.interop._mapping import TAGS

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
SEED = Path(__file__).parent.parent / "seeds" / "venezuela_2024.toml"
D = dt.date


class TestActorIds:
    def test_normalisation(self):
        """Names become lower-case ASCII ids with one dash between words."""
        assert ["military-forces-of-venezuela-2013", "nicolas-maduro", "vengov", ""] == [
            actor_id("Military Forces of Venezuela (2013-)"), actor_id("  Nicolás MADURO "),
            actor_id("VENGOV"), actor_id("()"),
        ]

    def test_deterministic(self):
        """The same name always gives the same id, whatever its case and punctuation."""
        assert actor_id("Protesters (Venezuela)") == actor_id("PROTESTERS -- venezuela")


class TestAliases:
    def test_load(self):
        """An alias table maps normalised names onto ids and says how to introduce new ones."""
        aliases = load_aliases(FIXTURES / "aliases.toml")
        assert "ven-security-forces" == aliases.lookup("military forces of venezuela (2013-)")
        assert None is aliases.lookup("someone else")
        assert cm.ActorKind.GROUP == aliases.actors["ven-protesters"].kind

    def test_bad_kind(self, tmp_path):
        """A wrong kind is named with the choices."""
        f = tmp_path / "a.toml"
        f.write_text('[actors.x]\nname = "X"\nkind = "army"\n', encoding="utf-8")
        with pytest.raises(InteropError, match="kind must be one of person"):
            load_aliases(f)

    def test_not_toml(self, tmp_path):
        """A file that is not TOML names the file."""
        f = tmp_path / "a.toml"
        f.write_text("[aliases\n", encoding="utf-8")
        with pytest.raises(InteropError, match=r"a\.toml: not a TOML alias table"):
            load_aliases(f)

    def test_merge_with_seed(self):
        """ACLED names for the security forces resolve to the seed actor, not introduced again."""
        base = cm.load_scenario(SEED)
        scenario, summary = import_scenario(
            "acled", FIXTURES / "acled_venezuela_2024.csv",
            aliases=load_aliases(FIXTURES / "aliases.toml"), base=base, country="VEN")
        own = [e for e in scenario.events if e not in set(base.events)]
        introduced = [e.actor for e in own if isinstance(e, ActorIntroduced)]
        assert ["ven-protesters", "detainees"] == introduced
        crackdowns = [e for e in own if e.event_tag == "unrest.crackdown"]
        assert ["ven-security-forces"] == [e.by for e in crackdowns]
        assert 0 == summary.anomalies
        state = scenario.replay()
        assert "Protesters in Venezuela" == state.actors["ven-protesters"].name


class TestDateOrder:
    def test_sorts_and_moves_introductions(self):
        """Events sort by date and each actor is introduced just before its first use."""
        intro = ActorIntroduced(occurred_on=D(2024, 8, 2), actor="crowd", name="Crowd",
                                kind=cm.ActorKind.GROUP)
        late = ProtestHeld(occurred_on=D(2024, 8, 2), by="crowd")
        early = ProtestHeld(occurred_on=D(2024, 7, 29), by="crowd")
        out = in_date_order([intro, late, early])
        assert [("actor.introduced", D(2024, 7, 29)), ("unrest.protest", D(2024, 7, 29)),
                ("unrest.protest", D(2024, 8, 2))] == [(e.event_tag, e.occurred_on) for e in out]
        assert cm.replay(out).incidents.protests == 2


class TestSummary:
    def test_render_escapes_data(self):
        """Codes from data reach the terminal escaped."""
        s = ImportSummary("acled")
        s.records = 1
        s.unmapped_record("Bad\x1b[2Jcode", "f.csv:2")
        text = s.render()
        assert "\x1b" not in text
        assert "'Bad\\x1b[2Jcode': 1 (e.g. f.csv:2)" in text

    def test_safe_text_cuts(self):
        """Long text is cut."""
        assert "'" + "x" * 5 + "...'" == safe_text("x" * 9, limit=5)


class TestImportScenario:
    @pytest.mark.parametrize("fmt, name", [
        ("acled", "acled_venezuela_2024.csv"), ("ucdp", "ucdp_ged.csv"),
        ("gdelt", "gdelt_events.export.CSV"), ("plover", "plover_records.jsonl"),
        ("plover", "plover_gsr_slice.txt"), ("polecat", "polecat_events.tsv"),
    ])
    def test_every_fixture_imports_and_replays(self, fmt, name):
        """Each reader imports its fixture; lenient replay accepts every event; nothing is lost."""
        scenario, summary = import_scenario(fmt, FIXTURES / name, keep_unmapped=True)
        assert 0 == summary.anomalies
        assert summary.records == (summary.mapped + summary.reported
                                   + sum(summary.rejected.values()) + summary.filtered)
        assert summary.reported == sum(summary.unmapped.values())
        scenario.replay()  # strict replay passes too

    def test_unknown_format(self):
        """An unknown format names the known ones."""
        with pytest.raises(InteropError, match="choose one of plover, polecat, acled, ucdp, gdelt"):
            list(read("cameo", "x"))

    def test_not_a_regular_file(self, tmp_path):
        """A directory is refused with a clear error."""
        with pytest.raises(InteropError, match="not a regular file"):
            list(read("acled", tmp_path))

    def test_missing_file(self, tmp_path):
        """A missing file is named."""
        with pytest.raises(InteropError, match=r"nope\.csv: cannot read"):
            list(read("acled", tmp_path / "nope.csv"))

    def test_file_size_bound(self):
        """A file over the size limit is refused before it is read."""
        from crisis_model.interop import Options

        with pytest.raises(InteropError, match="more than the limit of 100"):
            list(read("acled", FIXTURES / "acled_venezuela_2024.csv",
                      options=Options(max_bytes=100)))


class TestHostileFiles:
    @pytest.mark.parametrize("fmt", ["acled", "ucdp", "gdelt", "plover"])
    def test_binary_file(self, tmp_path, fmt):
        """A binary file is refused as such, naming the file and the line of its NUL byte."""
        f = tmp_path / "data.bin"
        f.write_bytes(b"id,date\nabc\x00\x01\x02")
        with pytest.raises(InteropError, match=r"data\.bin:2: not a text file: a NUL byte"):
            list(read(fmt, f))

    @pytest.mark.parametrize("head, what", [(b"\x1f\x8b\x08", "gzip-compressed"),
                                            (b"PK\x03\x04", "ZIP archive")])
    def test_compressed_file(self, tmp_path, head, what):
        """A compressed export is refused with what to do."""
        f = tmp_path / "export.csv"
        f.write_bytes(head + b"rest")
        with pytest.raises(InteropError, match=f"export\\.csv:1: not a text file: a {what}"):
            list(read("acled", f))

    @pytest.mark.parametrize("fmt", ["acled", "gdelt"])
    def test_huge_line(self, tmp_path, monkeypatch, fmt):
        """A line over the line limit is refused with its number, before it is read whole."""
        monkeypatch.setattr("crisis_model.interop._common.MAX_LINE", 1000)
        f = tmp_path / "huge.csv"
        first = (FIXTURES / "acled_venezuela_2024.csv").read_text(encoding="utf-8").splitlines()[0]
        if fmt == "gdelt":
            first = (FIXTURES / "gdelt_events.export.CSV").read_text(
                encoding="utf-8").splitlines()[0]
        f.write_text(first + "\n" + "x" * 5000 + "\n", encoding="utf-8")
        with pytest.raises(InteropError, match=r"huge\.csv:2: a line longer than 1,000"):
            list(read(fmt, f))

    def test_nul_in_path(self):
        """A path holding a NUL byte is refused with a clear error, not a ValueError."""
        with pytest.raises(InteropError, match="NUL byte"):
            list(read("acled", "a\0b.csv"))

    def test_fifo_never_blocks(self, tmp_path):
        """A named pipe is refused without being opened."""
        import os

        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)
        with pytest.raises(InteropError, match="not a regular file"):
            list(read("acled", fifo))

    def test_alias_table_read_bounded(self, tmp_path):
        """An alias table over the file-size limit is refused before it is parsed."""
        f = tmp_path / "a.toml"
        f.write_text("[aliases]\n" + "# pad\n" * 100, encoding="utf-8")
        with use_limits(cm.Limits(file_size=100)), pytest.raises(cm.LimitExceededError,
                                                                 match="file-size"):
            load_aliases(f)


class TestMappingTables:
    def test_every_entry_uses_a_known_tag(self):
        """Every mapping table targets registered tags the builder knows."""
        for table in mapping_tables().values():
            for entry in table.values():
                assert entry.tag in TAGS
                assert entry.tag in cm.registry.types

    def test_a_table_per_format(self):
        """There is a mapping table for every format."""
        assert set(FORMATS) == set(mapping_tables())


class TestDocs:
    def test_mapping_tables_in_docs_are_fresh(self):
        """docs/interop.md shows the mapping tables exactly as the code holds them."""
        from crisis_model.interop import mapping_docs

        text = (Path(__file__).parent.parent / "docs" / "interop.md").read_text(encoding="utf-8")
        start = text.index("<!-- mapping tables: generated by")
        end = text.index("<!-- end of mapping tables -->")
        shown = text[text.index("\n", start) + 1:end]
        assert mapping_docs() == shown, "update docs/interop.md from mapping_docs()"
