"""Write the generated part of docs/api.md: every public name of ``crisis_model``,
then every record of the state with its fields, their types and what they mean.

    python docs/generate_api.py          # rewrite the generated part of docs/api.md
    python docs/generate_api.py --check  # exit 1 if docs/api.md is stale
    python docs/generate_api.py --import my_events --records  # print the records,
                                         # a user's extension's included, to stdout

Everything above the marker line in docs/api.md is written by hand; the rest
is generated from ``crisis_model.__all__``, each name's docstring and the state's
records, so every public name and every field is listed and cannot go stale.

The state's records are found, not listed: every attrs class reachable from
``CrisisState``'s field types, every attrs class (not an event) that
``crisis_model`` or a module of the vocabulary exports, and every attrs class an
extension's module exports when it registers a state slice.  A field's meaning is
its ``#:`` comment in the source, else the sentence of the class docstring that
names it (````field````), else the summary of its type.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import inspect
import re
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

import attrs

# The checkout this script is in documents itself (not an installed copy elsewhere).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import crisis_model as cm

OUT = Path(__file__).resolve().parent / "api.md"
MARKER = "<!-- Generated below by `python docs/generate_api.py`: do not edit by hand. -->"

GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("crisis_model.reducer", ("Replaying and registering",)),
    ("crisis_model._registry", ("Replaying and registering",)),
    ("crisis_model.history", ("Replaying and registering",)),
    ("crisis_model.events", ("Events",)),
    ("crisis_model._dates", ("Events",)),
    ("crisis_model._event", ("Events",)),
    ("crisis_model._place", ("Events",)),
    ("crisis_model.state", ("State",)),
    ("crisis_model._count", ("State",)),
    ("crisis_model._frozenmap", ("State",)),
    ("crisis_model._draft", ("State",)),
    ("crisis_model._replace", ("State",)),
    ("crisis_model.invariants", ("Invariants",)),
    ("crisis_model.serialization", ("Serialisation",)),
    ("crisis_model.scenario", ("Scenario files",)),
    ("crisis_model._limits", ("Scenario files",)),
    ("crisis_model.query", ("Queries",)),
    ("crisis_model._summary", ("Queries",)),
    ("crisis_model.record", ("What was known when",)),
    ("crisis_model.store", ("Event stores",)),
    ("crisis_model.errors", ("Errors",)),
]
ORDER = ["Replaying and registering", "Events", "State", "Invariants", "Serialisation",
         "Scenario files", "Queries", "What was known when", "Event stores", "Errors",
         "Other"]


#: Type aliases have no docstring of their own: their summaries and groups.
ALIASES = {
    "Admission": ("Replaying and registering",
                  "The shape of an admission check: ``(state, event) -> bool``, ``True`` only "
                  "where every rule it covers admits the event."),
    "Handler": ("Replaying and registering",
                "The shape of a handler: ``(state, event) -> state``, pure."),
    "DraftHandler": ("Replaying and registering",
                     "The shape of a handler in the draft form: ``(draft, event) -> None``."),
    "Rule": ("Replaying and registering",
             "The shape of a rule: ``(state, event)`` to nothing (admissible), a message, "
             "a Problem or several."),
    "Upcaster": ("Serialisation",
                 "The shape of an upcaster: ``(payload dict) -> payload dict`` one version up."),
}


def _group(obj: object) -> str:
    module = getattr(obj, "__module__", "") or ""
    for prefix, (name,) in GROUPS:
        if module == prefix or module.startswith(prefix + "."):
            return name
    return "Other"


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    if isinstance(obj, str | int | float | tuple | dict):
        return "a value" if not doc or doc == inspect.getdoc(type(obj)) else doc
    first = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
    return first.replace("|", "\\|")


def _kind(obj: object) -> str:
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception"
        return "enum" if hasattr(obj, "__members__") else "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    return "alias" if getattr(obj, "__module__", None) == "typing" else "object"


def table() -> str:
    """The generated part of the page."""
    rows: dict[str, list[str]] = {g: [] for g in ORDER}
    for name in sorted(cm.__all__):
        if name.startswith("__"):
            continue
        obj = getattr(cm, name)
        if name in ALIASES:
            group, summary = ALIASES[name]
            rows[group].append(f"| `cm.{name}` | type alias | {summary} |")
            continue
        rows[_group(obj)].append(f"| `cm.{name}` | {_kind(obj)} | {_summary(obj)} |")
    out = [MARKER, ""]
    for group in ORDER:
        if not rows[group]:
            continue
        out += [f"### {group}", "", "| name | kind | what it is |", "|---|---|---|"]
        out += rows[group]
        out.append("")
    return "\n".join(out)


# -- the state's records ---------------------------------------------------------------------


def _attrs_classes(value: Any) -> list[type]:
    """The attrs classes (and enums) a type annotation mentions, however nested."""
    found: list[type] = []
    stack = [value]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and (attrs.has(tp) or issubclass(tp, enum.Enum)):
            found.append(tp)
        stack.extend(typing.get_args(tp))
    return found


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception:  # an annotation naming something not importable at run time
        return {}


def _is_record(obj: object) -> bool:
    # (a draft's writable twin, cm.ActorDraft say, inherits its record's attrs fields
    # without being an attrs class of its own: it is listed as a class, not a record)
    return (inspect.isclass(obj) and attrs.has(obj) and "__attrs_attrs__" in vars(obj)
            and not issubclass(obj, cm.Event) and not issubclass(obj, BaseException))


def _exported(module: Any) -> list[type]:
    return [obj for name in getattr(module, "__all__", ()) if _is_record(
        obj := getattr(module, name, None))]


def _roots() -> list[type]:
    roots: list[type] = [cm.CrisisState]
    modules = {cm.state.__name__: cm.state}
    vocabulary = importlib.import_module("crisis_model.events")
    for name in dir(vocabulary):
        sub = getattr(vocabulary, name)
        if inspect.ismodule(sub) and sub.__name__.startswith("crisis_model.events."):
            modules[sub.__name__] = sub
    for module in cm.registry.slice_modules.values():  # modules registering slices (users' too)
        if module in sys.modules:
            modules[module] = sys.modules[module]
    for module in modules.values():
        roots += [c for c in _exported(module) if c.__module__ == module.__name__]
    for name in cm.__all__:  # records the state holds, exported at the top
        obj = getattr(cm, name, None)
        if _is_record(obj) and getattr(obj, "__module__", "") in (
                "crisis_model.state", "crisis_model._count", "crisis_model._place"):
            roots.append(obj)
    return roots


def state_records() -> list[type]:
    """Every record of the state (attrs classes), CrisisState first, then by name."""
    seen: dict[type, None] = {}
    stack = list(reversed(_roots()))
    while stack:
        cls = stack.pop()
        if cls in seen or not attrs.has(cls):
            continue
        seen[cls] = None
        for tp in _hints(cls).values():
            stack += [c for c in _attrs_classes(tp) if attrs.has(c) and c not in seen]
    records = list(seen)
    return records[:1] + sorted(records[1:], key=lambda c: (c.__name__, c.__module__))


_COMMENT = re.compile(r"^\s*#:\s?(.*)$")


def _field_comments(cls: type) -> dict[str, str]:
    """``#:`` comments above each field assignment in ``cls``'s source."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    lines = source.splitlines()
    out: dict[str, str] = {}
    for node in ast.parse(source).body[0].body:  # type: ignore[attr-defined]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            comment: list[str] = []
            i = node.lineno - 2
            while i >= 0 and (m := _COMMENT.match(lines[i])):
                comment.insert(0, m.group(1))
                i -= 1
            if comment:
                out[node.target.id] = " ".join(comment)
    return out


def _sentences(doc: str) -> list[str]:
    text = " ".join(doc.split())
    return [s.strip() for s in re.split(r"(?<=[.;])\s+(?=[A-Z`(])", text) if s.strip()]


def _meaning(cls: type, field: str, comments: dict[str, str], hint: Any) -> str:
    if field in comments:
        return comments[field]
    for sentence in _sentences(inspect.getdoc(cls) or ""):
        if f"``{field}``" in sentence:
            return sentence
    for tp in _attrs_classes(hint):
        doc = inspect.getdoc(tp)
        if doc and doc != inspect.getdoc(enum.Enum):
            return doc.split("\n\n", 1)[0].replace("\n", " ")
    return "(no description: document it with a `#:` comment above the field)"


def _type_text(field: Any) -> str:
    tp = field.type
    text = tp if isinstance(tp, str) else getattr(tp, "__name__", repr(tp))
    return text.replace("|", "\\|")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def records_section() -> str:
    """The generated reference of the state's records."""
    out = ["## State records", "",
           "Every record of the state, with its fields (generated from the code: see "
           "`docs/generate_api.py`).", ""]
    for cls in state_records():
        where = cls.__module__
        public = f"cm.{cls.__name__}" if getattr(cm, cls.__name__, None) is cls else (
            f"{where}.{cls.__name__}")
        out += [f"### `{public}`", ""]
        doc = inspect.getdoc(cls) or ""
        if doc:
            out += [_cell(doc.split("\n\n", 1)[0]), ""]
        comments = _field_comments(cls)
        hints = _hints(cls)
        out += ["| field | type | meaning |", "|---|---|---|"]
        for f in attrs.fields(cls):
            meaning = _meaning(cls, f.name, comments, hints.get(f.name))
            out.append(f"| `{f.name}` | `{_type_text(f)}` | {_cell(meaning)} |")
        out.append("")
    return "\n".join(out)


def render() -> str:
    """The whole page: the hand-written part, then the generated table and records."""
    text = OUT.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0]
    return head + table() + "\n" + records_section()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md is stale")
    parser.add_argument("--import", dest="imports", metavar="MODULE", action="append",
                        default=[], help="import MODULE first (an extension whose records "
                        "to document); repeatable")
    parser.add_argument("--records", action="store_true",
                        help="print the state records' reference to stdout (with --import: "
                        "the extension's records too) instead of writing docs/api.md")
    args = parser.parse_args(argv)
    if args.imports:
        from crisis_model.plugins import load_plugins

        load_plugins(args.imports)
    if args.records:
        print(records_section())
        return 0
    expected = render()
    if args.check:
        if OUT.read_text(encoding="utf-8") != expected:
            print("docs/api.md is stale: run `python docs/generate_api.py`", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
