"""crisis_model.interop.panel: one row per actor per event date, as CSV or a DataFrame."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import crisis_model as cm
from crisis_model.interop import PANEL_COLUMNS, panel_rows, to_dataframe, write_panel

SEED = Path(__file__).parent.parent / "seeds" / "venezuela_2024.toml"


@pytest.fixture(scope="module")
def seed():
    return cm.load_scenario(SEED)


def test_one_row_per_actor_per_event_date(seed):
    """After each run of events sharing a date, one row per actor known by then."""
    rows = list(panel_rows(seed.events))
    expected = []
    for i, event in enumerate(seed.events):
        last_of_run = i + 1 == len(seed.events) or seed.events[i + 1].occurred_on != (
            event.occurred_on)
        if last_of_run:
            state = cm.replay(seed.events[: i + 1])
            expected += [(event.occurred_on.isoformat(), a) for a in sorted(state.actors)]
    assert expected == [(r["date"], r["actor"]) for r in rows]


def test_state_columns(seed):
    """Whereabouts, offices, stances and jeopardy are the state's, at each date."""
    rows = {(r["date"], r["actor"]): r for r in panel_rows(seed.events)}
    final = seed.replay()
    last_date = max(r[0] for r in rows)
    machado = rows[(last_date, "machado")]
    assert final.actors["machado"].whereabouts.value == machado["whereabouts"]
    assert final.actors["machado"].jeopardy.threatened == machado["threatened"]
    us = rows[(last_date, "united-states")]
    assert "ve-2024-presidential: recognises gonzalez" == us["stances"]
    assert "president-ven" in rows[(last_date, "maduro")]["offices"]


def test_csv(seed):
    """The CSV has the header and one line per row."""
    out = io.StringIO()
    n = write_panel(out, seed.events)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert list(PANEL_COLUMNS) == lines[0]
    assert n == len(lines) - 1


def test_dataframe(seed):
    """With pandas installed, to_dataframe gives the same rows with dates as datetimes."""
    pd = pytest.importorskip("pandas")
    frame = to_dataframe(seed.events)
    assert list(PANEL_COLUMNS) == list(frame.columns)
    assert len(list(panel_rows(seed.events))) == len(frame)
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
