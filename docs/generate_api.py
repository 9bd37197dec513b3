"""Write the generated part of docs/api.md: every public name of ``crisis_model``.

    python docs/generate_api.py          # rewrite the table in docs/api.md
    python docs/generate_api.py --check  # exit 1 if docs/api.md is stale

Everything above the marker line in docs/api.md is written by hand; the table
below it is generated from ``crisis_model.__all__`` and each name's docstring,
so every public name is listed and the list cannot go stale.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

# The checkout this script is in documents itself (not an installed copy elsewhere).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import crisis_model as cm

OUT = Path(__file__).resolve().parent / "api.md"
MARKER = "<!-- Generated below by `python docs/generate_api.py`: do not edit by hand. -->"

GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("crisis_model.reducer", ("Replaying and registering",)),
    ("crisis_model.history", ("Replaying and registering",)),
    ("crisis_model.events", ("Events",)),
    ("crisis_model._dates", ("Events",)),
    ("crisis_model._event", ("Events",)),
    ("crisis_model._place", ("Events",)),
    ("crisis_model.state", ("State",)),
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
    "Handler": ("Replaying and registering",
                "The shape of a handler: ``(state, event) -> state``, pure."),
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


def render() -> str:
    """The whole page: the hand-written part, then the generated table."""
    text = OUT.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0]
    return head + table()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md is stale")
    args = parser.parse_args(argv)
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
