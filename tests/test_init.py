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
