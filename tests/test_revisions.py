"""crisis_model.interop.revisions: what a later export of a dataset changed."""

from __future__ import annotations

from pathlib import Path

from crisis_model.interop import read_acled
from crisis_model.interop.revisions import compare_imports, record_of

FIXTURES = Path(__file__).parent / "fixtures" / "interop"


def test_edited_acled_export():
    """The edited export yields exactly one change, one addition and one deletion."""
    earlier = list(read_acled(FIXTURES / "acled_venezuela_2024.csv"))
    later = list(read_acled(FIXTURES / "acled_venezuela_2024_edited.csv"))
    revisions = compare_imports(earlier, later)
    assert [("acled", "VEN9003")] == [record_of(new) for _, new in revisions.changed]
    (old, new), = revisions.changed
    assert (2, 3) == (old.deaths, new.deaths)
    assert [("acled", "VEN9010")] == [record_of(e) for e in revisions.added]
    assert [("acled", "VEN9006")] == [record_of(e) for e in revisions.gone]
    assert ("acled", "VEN9001") in revisions.unchanged  # re-stamped only: not a change
    assert "5 unchanged, 1 changed, 1 added, 1 gone" == revisions.summary()


def test_same_export_changes_nothing():
    """Importing the same export twice: every record unchanged."""
    events = list(read_acled(FIXTURES / "acled_venezuela_2024.csv"))
    revisions = compare_imports(events, events)
    assert ((), (), ()) == (revisions.changed, revisions.added, revisions.gone)
    assert 7 == len(revisions.unchanged)


def test_actor_introductions_are_not_records():
    """Introductions carry no record id."""
    events = list(read_acled(FIXTURES / "acled_venezuela_2024.csv"))
    assert all(record_of(e) is None for e in events if e.event_tag == "actor.introduced")
