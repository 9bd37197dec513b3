"""Tests for crisis_model.errors: the messages users read."""

from __future__ import annotations

import pytest

import crisis_model as cm
from crisis_model.errors import unknown_tag_message

KNOWN = ["election.declared", "election.held", "movement.left_country"]


def test_extension_prefix():
    """A prefix no registered type uses looks like an unloaded extension's: the message
    says so and how to load one, and suggests no unrelated built-in tag."""
    message, near = unknown_tag_message("ceasefire.agreed", KNOWN)
    assert [] == near
    assert "looks like an extension's type" in message
    for how in ("--import MODULE", "entry point", "'crisis_model.events'"):
        assert how in message
    assert "election" not in message


def test_typo_of_a_known_tag():
    """A known prefix with a wrong name suggests the nearest tags of that prefix."""
    message, near = unknown_tag_message("election.declard", KNOWN)
    assert "election.declared" == near[0]
    assert "movement.left_country" not in message


def test_typo_of_a_known_prefix():
    """A prefix close to a known one asks whether that was meant, and still says how to load
    an extension."""
    message, near = unknown_tag_message("elections.declared", KNOWN)
    assert ["election.declared"] == near[:1]
    assert "did you mean 'election.'" in message and "--import" in message


def test_registry_and_scenario_errors_say_it(tmp_path):
    """The registry's error and the scenario loader's error carry the same message."""
    with pytest.raises(cm.UnknownEventTypeError, match="looks like an extension's type"):
        cm.registry.type_for("ceasefire.agreed")
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nid = "s"\ntitle = "S"\n\n[[events]]\ntype = "ceasefire.agreed"\n'
                    "occurred_on = 2024-01-01\n", encoding="utf-8")
    with pytest.raises(cm.UnknownTypeTagError) as exc:
        cm.load_scenario(path)
    assert "looks like an extension's type" in str(exc.value)
    assert (5, "type") == (exc.value.line, exc.value.field)


def test_problem_names_rule_field_and_subject():
    """A problem prints its rule, then the field and the id it concerns."""
    p = cm.Problem("too early", rule="chronology", field="occurred_on", subject="m")
    assert "rule 'chronology': too early [field 'occurred_on', concerning 'm']" == str(p)
