"""Loading users' event types: modules the user names, and installed entry points.

A module that defines event types registers them when it is imported (the
decorators do the work), so making the library and its command line see
them is a matter of importing it.  :func:`load_plugins` imports

- each module the *user* names, for instance with the command line's
  ``--import MODULE`` option (a dotted module name, or the path of a ``.py``
  file); and
- every installed entry point of the group ``crisis_model.events``, which a
  package declares in its ``pyproject.toml``::

      [project.entry-points."crisis_model.events"]
      military = "my_package.military"

Data never chooses code: nothing here imports a module named by a scenario
file or a stored event.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import types
from collections.abc import Iterable
from pathlib import Path

from .errors import CrisisModelError

__all__ = ["ENTRY_POINT_GROUP", "PluginError", "load_plugins"]

#: The entry point group packages declare their event modules under.
ENTRY_POINT_GROUP = "crisis_model.events"

_loaded_entry_points: set[tuple[str, str]] = set()


class PluginError(CrisisModelError, ImportError):
    """A module of event types could not be imported (the message says which and why)."""


def _import_file(path: Path) -> types.ModuleType:
    name = path.stem
    if not name.isidentifier():
        raise PluginError(f"cannot import {str(path)!r}: {name!r} is not a valid module name")
    existing = sys.modules.get(name)
    if existing is not None and getattr(existing, "__file__", None) == str(path.resolve()):
        return existing
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot import {str(path)!r}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _import_named(name: str) -> types.ModuleType:
    if name.endswith(".py") or os.sep in name or (os.altsep and os.altsep in name):
        path = Path(name)
        if not path.is_file():
            raise PluginError(f"cannot import {name!r}: no such file")
        return _import_file(path)
    if not all(part.isidentifier() for part in name.split(".")):
        raise PluginError(f"cannot import {name!r}: not a dotted module name or a .py file")
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)  # as `python -m` does: modules beside the user are found
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise PluginError(
                f"cannot import {name!r}: no module named {exc.name!r} "
                f"(looked in the current directory and on sys.path)"
            ) from None
        raise


def _wrap(what: str, exc: Exception) -> PluginError:
    if isinstance(exc, PluginError):
        return exc
    error = PluginError(f"importing {what} failed: {type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error


def _exited(what: str, exc: SystemExit) -> PluginError:
    """A module that called ``sys.exit()`` while being imported: an error, whatever its code."""
    return PluginError(f"importing {what} failed: it raised SystemExit({exc.code!r}) while "
                       "being imported (a module of event types must not exit)")


def load_plugins(modules: Iterable[str] = (), *, entry_points: bool = True) -> list[str]:
    """Import the modules the user names, then every ``crisis_model.events`` entry point.

    ``modules`` holds dotted module names (found from the current directory
    too) or paths of ``.py`` files.  An entry point may name a module, or a
    function, which is called once with no arguments.  Importing what is
    already imported does nothing, so calling this twice is safe.  Returns
    the names of the modules and entry points loaded, in order; raises
    :class:`PluginError` naming the module that failed and why.
    """
    if isinstance(modules, str):
        raise TypeError("load_plugins() takes an iterable of module names, not one string")
    loaded: list[str] = []
    for name in modules:
        try:
            _import_named(name)
        except SystemExit as exc:
            raise _exited(f"{name!r}", exc) from None
        except Exception as exc:
            raise _wrap(f"{name!r}", exc) from exc.__cause__
        loaded.append(name)
    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            key = (ep.name, ep.value)
            if key in _loaded_entry_points:
                continue
            what = f"entry point {ep.name!r} ({ep.value}) of group {ENTRY_POINT_GROUP!r}"
            try:
                target = ep.load()
                if callable(target) and not isinstance(target, type):
                    target()
            except SystemExit as exc:
                raise _exited(what, exc) from None
            except Exception as exc:
                raise _wrap(what, exc) from exc
            _loaded_entry_points.add(key)
            loaded.append(f"{ep.name} = {ep.value}")
    return loaded
