"""The crisis_model pytest plugin (the ``pytest11`` entry point): fixtures for users' tests.

``fresh_registry``
    The registry, with every registration made during the test undone after
    it: for tests that define throwaway event types, rules, slices or
    invariants.
``seeds_dir``
    The directory holding the seed scenarios (the ``crisis_model_seeds`` ini
    option, else ``seeds/`` under the rootdir, else beside the package source).
``seed_scenario``
    The seed scenario ``venezuela_2024.toml``, loaded once per session.

This module lives outside :mod:`crisis_model.testing` on purpose: pytest
imports it in every session of an environment where crisis_model is
installed, and it must not need hypothesis.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import crisis_model as cm

SEED_FILE = "venezuela_2024.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ``crisis_model_seeds`` ini option."""
    parser.addini(
        "crisis_model_seeds",
        "directory of crisis_model seed scenarios (default: seeds/ beside the project)",
        default="",
    )


def _register_type_strategies() -> None:
    testing = sys.modules.get("crisis_model.testing")
    if testing is not None:
        testing.register_type_strategies()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Let ``st.from_type`` see event types registered since the last test."""
    _register_type_strategies()


def find_seeds(config: pytest.Config) -> Path:
    """The seeds directory: the ini option, ``<rootdir>/seeds`` or ``seeds/`` beside the package."""
    option = str(config.getini("crisis_model_seeds") or "")
    candidates = []
    if option:
        candidates.append(Path(config.rootpath, option))
    candidates.append(Path(config.rootpath, "seeds"))
    candidates.append(Path(cm.__file__).resolve().parent.parent / "seeds")
    for path in candidates:
        if (path / SEED_FILE).is_file():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise pytest.UsageError(
        f"crisis_model seed scenarios not found (looked for {SEED_FILE} in: {tried}); "
        "set the crisis_model_seeds ini option to the directory that holds them"
    )


@pytest.fixture(scope="session")
def seeds_dir(pytestconfig: pytest.Config) -> Path:
    """The directory holding crisis_model's seed scenarios."""
    return find_seeds(pytestconfig)


@pytest.fixture(scope="session")
def seed_scenario(seeds_dir: Path) -> Any:
    """The Venezuela 2024 seed scenario, loaded once (its events are immutable)."""
    load = getattr(cm, "load_scenario", None)
    if load is None:
        pytest.fail("this version of crisis_model has no load_scenario()")
    return load(seeds_dir / SEED_FILE)


@pytest.fixture
def fresh_registry() -> Iterator[cm.Registry]:
    """The registry; every registration made during the test is undone afterwards."""
    strategies = sys.modules.get("crisis_model.testing._strategies")
    saved = dict(strategies._STRATEGIES) if strategies is not None else None
    with cm.registry.scoped() as registry:
        yield registry
    if strategies is not None and saved is not None:
        strategies._STRATEGIES.clear()
        strategies._STRATEGIES.update(saved)
