"""Tests for the package's top level (crisis_model/__init__.py)."""

from __future__ import annotations

from importlib.metadata import version

import pytest

import crisis_model as cm


def test_version_from_metadata():
    """__version__ is the installed distribution's version, read on first use."""
    assert version("crisis-model") == cm.__version__


def test_unknown_attribute():
    """An unknown name is an AttributeError naming it."""
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cm.nope  # type: ignore[attr-defined]  # noqa: B018


def test_every_public_name_resolves():
    """Every name in __all__ is importable."""
    missing = [name for name in cm.__all__ if not hasattr(cm, name)]
    assert [] == missing


def test_lazy_names_load_on_first_use():
    """Scenario, serialisation and store names are imported on first use, then cached."""
    import subprocess
    import sys

    code = (
        "import sys, crisis_model as cm\n"
        "before = 'crisis_model.store' in sys.modules\n"
        "store = cm.MemoryStore\n"
        "print(before, 'crisis_model.store' in sys.modules, 'MemoryStore' in vars(cm))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "False True True" == out.stdout.strip()


def test_import_registers_the_built_in_vocabulary():
    """A fresh ``import crisis_model`` knows every built-in type: a shipped scenario loads
    and replays with nothing else imported."""
    import subprocess
    import sys

    code = (
        "import crisis_model as cm\n"
        "print(all(cm.load_scenario(n).replay().version for n in cm.scenario_names()),\n"
        "      'actor.introduced' in cm.registry.types)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "True True" == out.stdout.strip()
