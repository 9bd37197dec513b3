"""Tests for upcasters (crisis_model.serialization.upcaster): old payloads read as current."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import crisis_model as cm
from crisis_model.serialization import DecodeError, from_dict, to_dict
from crisis_model.store import JsonlStore, SqliteStore

from .builders import D


def _declare_v3() -> type[cm.Event]:
    """Register a throwaway event type at version 3 (call inside registry.scoped())."""

    @cm.event_type("test.rated", version=3)
    @attrs.frozen(kw_only=True)
    class Rated(cm.Event):
        """v1: ``score`` (0-10 int); v2: ``score`` renamed ``rating``; v3: ``rating`` in 0-100."""

        subject: str
        rating: int

    @cm.handler(Rated)
    def _(state: cm.CrisisState, e: Rated) -> cm.CrisisState:
        return state

    return Rated


def _chain() -> None:
    @cm.upcaster("test.rated", from_version=1)
    def _(payload: dict[str, Any]) -> dict[str, Any]:
        payload["rating"] = payload.pop("score")
        return payload

    @cm.upcaster("test.rated", from_version=2)
    def _(payload: dict[str, Any]) -> dict[str, Any]:
        return {**payload, "rating": payload["rating"] * 10}


@pytest.fixture
def rated() -> Iterator[type[cm.Event]]:
    """The throwaway type at version 3 with upcasters from versions 1 and 2."""
    with cm.registry.scoped():
        cls = _declare_v3()
        _chain()
        yield cls


def v1(**kw: Any) -> dict[str, Any]:
    """A version-1 payload, written by hand as old code wrote it."""
    return {"type": "test.rated", "version": 1, "occurred_on": "2024-07-01",
            "subject": "cne", "score": 4, **kw}


class TestChain:
    def test_old_payload_loads_as_current(self, rated: type[cm.Event]) -> None:
        """A version-1 payload runs through both upcasters."""
        assert rated(occurred_on=D(2024, 7, 1), subject="cne", rating=40) == from_dict(v1())

    def test_middle_version(self, rated: type[cm.Event]) -> None:
        """A version-2 payload runs only the last upcaster."""
        payload = {**v1(), "version": 2, "rating": 7}
        del payload["score"]
        assert 70 == from_dict(payload).rating  # type: ignore[attr-defined]

    def test_current_untouched(self, rated: type[cm.Event]) -> None:
        """A current payload is not upcast, and writing gives the current version."""
        e = rated(occurred_on=D(2024, 7, 1), subject="cne", rating=5)
        assert (e, 3) == (from_dict(to_dict(e)), to_dict(e)["version"])

    def test_input_not_mutated(self, rated: type[cm.Event]) -> None:
        """The caller's payload is left as it was."""
        payload = v1()
        from_dict(payload)
        assert v1() == payload

    def test_upcast_fields_still_strict(self, rated: type[cm.Event]) -> None:
        """An upcast payload with a wrong field is a DecodeError naming the field."""
        with pytest.raises(DecodeError) as info:
            from_dict(v1(score="high"))
        assert ["rating"] == [e.path for e in info.value.errors]

    def test_newer_payload(self, rated: type[cm.Event]) -> None:
        """A payload newer than the registered version says so plainly."""
        with pytest.raises(DecodeError, match="version 4 is newer than this code knows"):
            from_dict({**v1(), "version": 4})

    @pytest.mark.parametrize("bad", [0, -1, "1", 1.5, True])
    def test_bad_version(self, rated: type[cm.Event], bad: object) -> None:
        """A version that is not a whole number >= 1 is a DecodeError."""
        with pytest.raises(DecodeError, match="version"):
            from_dict({**v1(), "version": bad})

    def test_upcaster_error_says_which(self, rated: type[cm.Event]) -> None:
        """An upcaster that fails gets a note naming its tag and version."""
        payload = v1()
        del payload["score"]
        with pytest.raises(KeyError) as info:
            from_dict(payload)
        assert ["raised by the upcaster of 'test.rated' from version 1"] == info.value.__notes__

    def test_missing_link_at_read(self) -> None:
        """A chain that stops short of the current version names the missing step."""
        with cm.registry.scoped():
            _declare_v3()

            @cm.upcaster("test.rated", from_version=1)
            def _(payload: dict[str, Any]) -> dict[str, Any]:
                return payload

            with pytest.raises(DecodeError, match="no upcaster lifts version 2 to 3"):
                from_dict(v1())

    def test_renaming_refused(self) -> None:
        """An upcaster may not change the type tag."""
        with cm.registry.scoped():
            _declare_v3()

            @cm.upcaster("test.rated", from_version=2)
            def _(payload: dict[str, Any]) -> dict[str, Any]:
                return {**payload, "type": "test.other"}

            with pytest.raises(DecodeError, match="cannot rename"):
                from_dict({**v1(), "version": 2})

    def test_scoped_registrations_undone(self) -> None:
        """Upcasters registered in registry.scoped() are gone after it."""
        with cm.registry.scoped():
            _declare_v3()
            _chain()
        assert not [k for k in cm.registry.upcasters if k[0] == "test.rated"]


class TestRegistration:
    def test_gap_refused(self) -> None:
        """An upcaster that would leave a hole in the chain is refused at registration."""
        with cm.registry.scoped():
            cm.upcaster("test.rated", from_version=1)(lambda p: p)
            with pytest.raises(cm.RegistrationError, match=r"gap.*from version 2 first"):
                cm.upcaster("test.rated", from_version=3)(lambda p: p)

    def test_either_order(self) -> None:
        """A chain may be registered oldest first or newest first."""
        with cm.registry.scoped():
            for v in (2, 3, 1, 4):
                cm.upcaster("test.rated", from_version=v)(lambda p: p)
            assert [1, 2, 3, 4] == sorted(v for t, v in cm.registry.upcasters if t == "test.rated")

    def test_duplicate_refused(self, rated: type[cm.Event]) -> None:
        """A second upcaster for the same tag and version is refused."""
        with pytest.raises(cm.RegistrationError, match="already has an upcaster from version 1"):
            cm.upcaster("test.rated", from_version=1)(lambda p: p)

    def test_beyond_current_refused(self, rated: type[cm.Event]) -> None:
        """An upcaster from the current version (or later) is refused."""
        with pytest.raises(cm.RegistrationError, match="at version 3"):
            cm.upcaster("test.rated", from_version=3)(lambda p: p)

    @pytest.mark.parametrize(
        ("tag", "version"), [("Bad Tag", 1), ("test.rated", 0), ("test.rated", True)]
    )
    def test_bad_arguments(self, tag: str, version: int) -> None:
        """A malformed tag or a version below 1 is refused."""
        with cm.registry.scoped(), pytest.raises(cm.RegistrationError):
            cm.upcaster(tag, from_version=version)


class TestStoredPayloads:
    def test_sqlite_rows_written_by_hand(self, rated: type[cm.Event], tmp_path: Path) -> None:
        """Version-1 rows in an SQLite store read as current events, and stay as written."""
        path = tmp_path / "x.db"
        SqliteStore(path).close()
        old = json.dumps(v1())
        with sqlite3.connect(path) as db:
            db.execute("INSERT INTO streams VALUES ('s', NULL, 0)")
            db.execute("INSERT INTO events (stream, version, type, payload) "
                       "VALUES ('s', 1, 'test.rated', ?)", (old,))
        with SqliteStore(path) as store:
            assert [rated(occurred_on=D(2024, 7, 1), subject="cne", rating=40)] == store.read("s")
            store.append("s", [rated(occurred_on=D(2024, 7, 2), subject="x", rating=1)],
                         expected_version=1)
        with sqlite3.connect(path) as db:
            assert old == db.execute("SELECT payload FROM events WHERE version = 1").fetchone()[0]

    def test_jsonl_lines_written_by_hand(self, rated: type[cm.Event], tmp_path: Path) -> None:
        """Version-1 lines in a JSON Lines store read as current events."""
        JsonlStore(tmp_path / "j").close()
        lines = [{"stream_version": 1, "event": v1()},
                 {"stream_version": 2, "event": v1(subject="tsj", score=9), "batch_end": True}]
        (tmp_path / "j" / "s.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
        meta = json.loads((tmp_path / "j" / "store.json").read_text())
        meta["streams"] = ["s"]  # a stream is a file the store's registry lists
        (tmp_path / "j" / "store.json").write_text(json.dumps(meta))
        with JsonlStore(tmp_path / "j") as store:
            assert [40, 90] == [e.rating for e in store.read("s")]  # type: ignore[attr-defined]
            assert 2 == store.replay("s", as_of=dt.date(2024, 7, 1)).version
