"""Tests for crisis_model.plugins: loading users' event modules and entry points."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap

import pytest

import crisis_model as cm
from crisis_model import plugins
from crisis_model.plugins import ENTRY_POINT_GROUP, PluginError, load_plugins

EVENT_MODULE = '''
import attrs
import crisis_model as cm

@cm.event_type("{tag}")
@attrs.frozen(kw_only=True)
class Thing(cm.Event):
    who: str = cm.ref("actor")

@cm.handler(Thing)
def _(state, e):
    return state
'''


@pytest.fixture
def isolated(monkeypatch, tmp_path, fresh_registry):
    """A temp directory as cwd, with sys.path, sys.modules and loaded entry points restored."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    monkeypatch.setattr(plugins, "_loaded_entry_points", set())
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class TestModules:
    def test_dotted_name_from_the_current_directory(self, isolated):
        """A module beside the user, named on the command line, registers its event types."""
        write(isolated / "plugin_defections.py", EVENT_MODULE.format(tag="test.defected"))
        loaded = load_plugins(["plugin_defections"], entry_points=False)
        assert (["plugin_defections"], True) == (loaded, "test.defected" in cm.registry.types)

    def test_package_module(self, isolated):
        """A dotted name inside a package is imported too."""
        (isolated / "plugin_pkg").mkdir()
        write(isolated / "plugin_pkg" / "__init__.py", "")
        write(isolated / "plugin_pkg" / "events.py", EVENT_MODULE.format(tag="test.pkg_thing"))
        load_plugins(["plugin_pkg.events"], entry_points=False)
        assert "test.pkg_thing" in cm.registry.types

    def test_python_file_path(self, isolated):
        """The path of a .py file is imported under its stem."""
        (isolated / "sub").mkdir()
        path = isolated / "sub" / "plugin_by_path.py"
        write(path, EVENT_MODULE.format(tag="test.by_path"))
        load_plugins([str(path)], entry_points=False)
        assert "test.by_path" in cm.registry.types

    def test_loading_twice_is_harmless(self, isolated):
        """Importing a module again does not register its types twice."""
        write(isolated / "plugin_twice.py", EVENT_MODULE.format(tag="test.twice"))
        load_plugins(["plugin_twice"], entry_points=False)
        assert ["plugin_twice"] == load_plugins(["plugin_twice"], entry_points=False)

    def test_missing_module(self, isolated):
        """A module that does not exist is a PluginError naming it."""
        with pytest.raises(PluginError, match="no module named 'plugin_nowhere'"):
            load_plugins(["plugin_nowhere"], entry_points=False)

    def test_missing_file(self, isolated):
        """A .py path that does not exist is a PluginError."""
        with pytest.raises(PluginError, match="no such file"):
            load_plugins(["missing_plugin.py"], entry_points=False)

    def test_not_a_module_name(self, isolated):
        """Something that is neither a dotted name nor a .py path is refused."""
        with pytest.raises(PluginError, match="not a dotted module name"):
            load_plugins(["os; rm -rf"], entry_points=False)

    def test_failing_module(self, isolated):
        """A module that fails to import is a PluginError saying which module and why."""
        write(isolated / "plugin_broken.py", "raise RuntimeError('boom')\n")
        with pytest.raises(PluginError, match=r"'plugin_broken' failed: RuntimeError: boom"):
            load_plugins(["plugin_broken"], entry_points=False)

    def test_duplicate_registration_is_reported(self, isolated):
        """A module registering a tag that is taken fails with the registry's message."""
        write(isolated / "plugin_clash.py", EVENT_MODULE.format(tag="actor.introduced"))
        with pytest.raises(PluginError, match="already registered"):
            load_plugins(["plugin_clash"], entry_points=False)

    def test_one_string_is_refused(self):
        """A lone string (not a list of names) is a TypeError, not a module per character."""
        with pytest.raises(TypeError, match="iterable of module names"):
            load_plugins("plugin_defections")


class TestEntryPoints:
    def entry_points(self, monkeypatch, *eps):
        def fake(*, group):
            return [ep for ep in eps if ep.group == group]

        monkeypatch.setattr(importlib.metadata, "entry_points", fake)

    def test_module_entry_point(self, isolated, monkeypatch):
        """An installed entry point naming a module is imported."""
        write(isolated / "plugin_ep_mod.py", EVENT_MODULE.format(tag="test.ep_mod"))
        sys.path.insert(0, str(isolated))
        ep = importlib.metadata.EntryPoint("ep", "plugin_ep_mod", ENTRY_POINT_GROUP)
        self.entry_points(monkeypatch, ep)
        loaded = load_plugins()
        assert (["ep = plugin_ep_mod"], True) == (loaded, "test.ep_mod" in cm.registry.types)

    def test_function_entry_point_runs_once(self, isolated, monkeypatch):
        """An entry point naming a function is called once, however often plugins are loaded."""
        write(isolated / "plugin_ep_fn.py", """
            calls = []
            def register():
                calls.append(1)
        """)
        sys.path.insert(0, str(isolated))
        ep = importlib.metadata.EntryPoint("fn", "plugin_ep_fn:register", ENTRY_POINT_GROUP)
        self.entry_points(monkeypatch, ep)
        load_plugins()
        load_plugins()
        assert [1] == sys.modules["plugin_ep_fn"].calls

    def test_other_groups_are_ignored(self, isolated, monkeypatch):
        """Only the crisis_model.events group is loaded."""
        ep = importlib.metadata.EntryPoint("x", "plugin_never_imported", "other.group")
        self.entry_points(monkeypatch, ep)
        assert [] == load_plugins()

    def test_broken_entry_point(self, isolated, monkeypatch):
        """A broken entry point is a PluginError naming the entry point."""
        ep = importlib.metadata.EntryPoint("bad", "plugin_absent_ep", ENTRY_POINT_GROUP)
        self.entry_points(monkeypatch, ep)
        with pytest.raises(PluginError, match="entry point 'bad'"):
            load_plugins()

    def test_entry_points_can_be_skipped(self, isolated, monkeypatch):
        """entry_points=False loads only the named modules."""
        ep = importlib.metadata.EntryPoint("bad", "plugin_absent_ep", ENTRY_POINT_GROUP)
        self.entry_points(monkeypatch, ep)
        assert [] == load_plugins(entry_points=False)
