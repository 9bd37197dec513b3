"""A generator of hostile scenario files, for the regression tests and the fuzz of the readers.

:func:`corpus` writes one file per known attack (deep nesting, huge numbers,
bad paths, control characters, long ``extends`` chains, BOMs...) into a
directory; :func:`documents` is a hypothesis strategy of file contents (random
bytes, truncations and mutations of valid files, invalid UTF-8, BOMs, CRLF,
structurally valid documents with wrong values, huge files).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import strategies as st

HEAD = '[scenario]\nid = "t"\ntitle = "T"\n'
EVENT = (
    '\n[[events]]\ntype = "actor.introduced"\noccurred_on = 2024-01-01\n'
    'actor = "{actor}"\nname = "{name}"\nkind = "person"\n'
)
JSON_EVENT = {"type": "actor.introduced", "occurred_on": "2024-01-01", "actor": "a",
              "name": "A", "kind": "person"}
ESC = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b"


def _toml_event(actor: str = "a", name: str = "A") -> str:
    return EVENT.format(actor=actor, name=name)


def _jsonl(*lines: object) -> str:
    return "".join(json.dumps(x) + "\n" for x in lines)


#: name -> (file name, content). Each is refused with a documented error, never a traceback.
CASES: dict[str, tuple[str, str | bytes]] = {
    "toml-deep-array": ("deep_array.toml", HEAD + "x = " + "[" * 2000 + "]" * 2000 + "\n"),
    "toml-deep-inline-table": (
        "deep_table.toml",
        HEAD + _toml_event() + "extra = " + "{a = " * 1500 + "1" + "}" * 1500 + "\n",
    ),
    "jsonl-deep-event": (
        "deep_event.jsonl", '{"type": "actor.introduced", "x": ' + "[" * 900 + "]" * 900 + "}\n"
    ),
    "jsonl-deep-header": (
        "deep_header.jsonl", '{"scenario": ' + '{"a": ' * 900 + "1" + "}" * 900 + "}\n"
    ),
    "jsonl-huge-integer": (
        "huge_int.jsonl",
        '{"type": "justice.detained", "occurred_on": "2024-01-01", "group": "g", "count": '
        + "9" * 5000 + "}\n",
    ),
    "toml-huge-integer": ("huge_int.toml", HEAD + "x = " + "9" * 5000 + "\n"),
    "extends-nul": ("nul.toml", HEAD + 'extends = "a\\u0000b.toml"\n'),
    "jsonl-null-scenario": ("null_scenario.jsonl", '{"scenario": null}\n'),
    "jsonl-scenario-wrong-type": ("list_scenario.jsonl", '{"scenario": ["t"]}\n'),
    "jsonl-scenario-null-id": (
        "null_id.jsonl", '{"scenario": {"id": null, "title": "T"}}\n'
    ),
    "jsonl-sources-null": ("null_sources.jsonl", '{"scenario": {"id": "t", "title": "T"}, '
                           '"sources": null}\n'),
    "toml-scenario-missing-title": ("no_title.toml", '[scenario]\nid = "t"\n'),
    "toml-scenario-wrong-type": ("int_id.toml", '[scenario]\nid = 1\ntitle = "T"\n'),
    "extends-not-scenario": ("extends_csv.toml", HEAD + 'extends = "data.csv"\n'),
    "toml-bom": ("bom.toml", b"\xef\xbb\xbf" + HEAD.encode()),
    "jsonl-bom": ("bom.jsonl", b"\xef\xbb\xbf" + _jsonl(JSON_EVENT).encode()),
    "iso-week-date-jsonl": (
        "week.jsonl", _jsonl({**JSON_EVENT, "occurred_on": "2024-W01-1"})
    ),
    "compact-date-jsonl": ("compact.jsonl", _jsonl({**JSON_EVENT, "occurred_on": "20240101"})),
    "compact-date-toml": (
        "compact.toml", HEAD + _toml_event().replace("2024-01-01", '"20240101"')
    ),
    "iso-week-source-date": (
        "week_source.toml",
        HEAD + '\n[sources.s]\noutlet = "o"\ntitle = "t"\npublished = "2024-W01-1"\n',
    ),
    "blank-source-id": ("blank_source.toml", HEAD + '\n[sources." "]\noutlet = "o"\ntitle = "t"\n'),
    "invalid-utf8": ("latin1.toml", HEAD.encode() + b'\n# caf\xe9\n'),
    "long-string": ("long_string.jsonl", _jsonl({**JSON_EVENT, "name": "x" * 200_000})),
    "random-bytes": ("random.toml", bytes(range(256)) * 4),
    "truncated-toml": ("truncated.toml", (HEAD + _toml_event())[:-20]),
    "truncated-jsonl": ("truncated.jsonl", _jsonl(JSON_EVENT)[:-10]),
    "directory": ("a_directory.toml", ""),  # made a directory by corpus()
    "fifo": ("a_fifo.toml", ""),  # made a FIFO by corpus()
    "dev-zero": ("zero.toml", ""),  # a symbolic link to /dev/zero
    "dev-urandom": ("urandom.jsonl", ""),  # a symbolic link to /dev/urandom
    "extends-chain-1000": ("chain0.toml", ""),  # with chain1..chain999.toml
}

#: Cases that load (their hostility is in what they would print).
LOADS: dict[str, tuple[str, str | bytes]] = {
    "control-characters": (
        "escapes.toml",
        HEAD.replace('"T"', json.dumps("T" + ESC))
        + _toml_event(actor="a\\u001b[2J", name="A\\u001b]0;pwned\\u0007 \\u202e \\u009b")
        + '\n[[events]]\ntype = "election.called"\noccurred_on = 2024-02-01\n'
        'election = "e\\u001b[31m"\n',
    ),
    "crlf": ("crlf.toml", (HEAD + _toml_event()).replace("\n", "\r\n")),
    "literal-triple-quotes": (
        "triple.toml",
        HEAD + "description = 'a\"\"\"b'\n" + _toml_event() + "\n[[events]]\n"
        'type = "actor.introduced"\noccurred_on = 2024-01-02\nactor = "b"\nname = "B"\n'
        'kind = "persn"\n',
    ),
}


def corpus(directory: Path) -> dict[str, Path]:
    """Write every case of :data:`CASES` into ``directory``; the path of each, by case name."""
    out = {}
    for case, (name, content) in CASES.items():
        path = directory / name
        if case == "directory":
            path.mkdir()
        elif case == "fifo":
            os.mkfifo(path)
        elif case == "dev-zero":
            path.symlink_to("/dev/zero")
        elif case == "dev-urandom":
            path.symlink_to("/dev/urandom")
        elif case == "extends-chain-1000":
            for i in range(1000):
                parent = f'extends = "chain{i + 1}.toml"\n' if i < 999 else ""
                (directory / f"chain{i}.toml").write_text(
                    f'[scenario]\nid = "c{i}"\ntitle = "C"\n{parent}', encoding="utf-8"
                )
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        out[case] = path
    (directory / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    for case, (name, content) in LOADS.items():
        path = directory / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        out[case] = path
    return out


# -- generated documents --------------------------------------------------------------------------

_SEED_TOML = (HEAD + '\n[sources.s]\noutlet = "o"\ntitle = "t"\npublished = 2024-01-01\n'
              + _toml_event() + 'sources = ["s"]\n'
              + '\n[[events]]\ntype = "election.called"\noccurred_on = 2024-02-01\n'
              'election = "e"\ncountry = "VEN"\n'
              + '\n[[events]]\ntype = "justice.detained"\noccurred_on = 2024-03-01\n'
              'group = "g"\ncount = 3\nprecision = "month"\n').encode()
_SEED_JSONL = _jsonl(
    {"scenario": {"id": "t", "title": "T"}, "sources": {"s": {"outlet": "o", "title": "t"}}},
    {**JSON_EVENT, "sources": ["s"]},
    {"type": "election.called", "occurred_on": "2024-02-01", "election": "e"},
    {"type": "justice.detained", "occurred_on": "2024-03-01", "group": "g", "count": 3},
).encode()

_JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["", " ", "2024-W01-1", "20240101", "2024-01-01",
                                           "person", "day", "month", "s", "e", "a", ESC]),
)
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)
_KEYS = st.sampled_from(["type", "occurred_on", "precision", "actor", "name", "kind", "sources",
                         "election", "group", "count", "scenario", "sources", "id", "title",
                         "extends", "version", "note", "country"])
_TAGS = st.sampled_from(["actor.introduced", "election.called", "election.held",
                         "justice.detained", "justice.released", "nonsense.tag", ""])


@st.composite
def _wrong_values(draw: st.DrawFn) -> bytes:
    """A structurally valid JSON Lines document whose values may be of any type."""
    lines: list[object] = []
    if draw(st.booleans()):
        meta = draw(_JSON | st.fixed_dictionaries({"id": _JSON, "title": _JSON}))
        lines.append({"scenario": meta, "sources": draw(_JSON)})
    for _ in range(draw(st.integers(0, 4))):
        event = dict(draw(st.dictionaries(_KEYS, _JSON, max_size=6)))
        if draw(st.booleans()):
            event["type"] = draw(_TAGS)
        lines.append(event)
    return _jsonl(*lines).encode()


@st.composite
def _mutation(draw: st.DrawFn) -> bytes:
    """A seed file with some bytes replaced, inserted or deleted."""
    data = bytearray(draw(st.sampled_from([_SEED_TOML, _SEED_JSONL])))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["set", "insert", "delete"]))
        byte = draw(st.sampled_from([*b'[]{}"\'=,\n\r\\#.0-: \x00\x1b\xff', 0xE2]))
        if op == "set" and at < len(data):
            data[at] = byte
        elif op == "insert":
            data[at:at] = bytes([byte]) * draw(st.integers(1, 3))
        elif at < len(data):
            del data[at:at + draw(st.integers(1, 8))]
    return bytes(data)


@st.composite
def _deep(draw: st.DrawFn) -> bytes:
    """Nesting a little past the default depth limit, or far past it, in either format."""
    n = draw(st.sampled_from([63, 64, 65, 200, 1200]))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
    value = opener * n + ("1" if opener != "[" else "") + closer * n
    if draw(st.booleans()):
        return (json.dumps(JSON_EVENT)[:-1] + ', "extra": ' + value + "}\n").encode()
    toml_open = "{a = " if opener != "[" else "["
    toml_value = toml_open * n + ("1" if opener != "[" else "") + closer * n
    return (HEAD + "x = " + toml_value + "\n").encode()


#: Contents of scenario files, hostile or merely wrong, as bytes.
documents = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([_SEED_TOML, _SEED_JSONL]).flatmap(
        lambda seed: st.integers(0, len(seed)).map(lambda n: seed[:n])
    ),
    _mutation(),
    _wrong_values(),
    _deep(),
    st.sampled_from([_SEED_TOML, _SEED_JSONL]).map(lambda s: b"\xef\xbb\xbf" + s),
    st.sampled_from([_SEED_TOML, _SEED_JSONL]).map(lambda s: s.replace(b"\n", b"\r\n")),
    st.sampled_from([_SEED_TOML, _SEED_JSONL]).map(lambda s: s.replace(b"o", b"\xc3\x28", 1)),
    st.sampled_from([b"9" * 5000, b"x = " + b"9" * 5000 + b"\n",
                     b'{"type": "justice.detained", "count": ' + b"1" * 40 + b"}\n"]),
    st.sampled_from([_SEED_TOML, _SEED_JSONL]).map(lambda s: s + b"#" * 300_000 + b"\n"),
)
