"""What every importer shares: actor ids, alias tables, the import summary, file checks.

Actor ids are made from a dataset's names deterministically (:func:`actor_id`);
an alias table (TOML, :func:`load_aliases`) maps dataset names and codes onto
the ids of a hand-coded scenario.  Every reader fills an :class:`ImportSummary`
as it goes: records read, mapped, kept as ``record.reported``, unmapped by
code, rejected (with the line and why) and filtered out.
"""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import hashlib
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from .._event import Event, Precision
from .._limits import check_path, read_bounded
from ..errors import CrisisModelError, ScenarioError
from ..events import ActorIntroduced
from ..query import actors_involved
from ..state import ActorKind

__all__ = [
    "Actors",
    "Aliases",
    "ImportSummary",
    "InteropError",
    "actor_id",
    "drop_repeated",
    "in_date_order",
    "load_aliases",
    "provenance",
    "record_event_id",
    "safe_text",
]

#: The most bytes of one text field kept from a record (longer text is cut, and counted).
MAX_FIELD = 10_000
#: How many example record ids are kept per unmapped code or rejection reason.
EXAMPLES = 5


class InteropError(CrisisModelError):
    """A file that is not in the format asked for, or cannot be imported: names file and line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        where = file or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def safe_text(text: object, limit: int = 80) -> str:
    """``text`` fit for a terminal: control and bidi characters escaped, cut at ``limit``.

    >>> safe_text("ok\\x1b[31m red")
    "'ok\\\\x1b[31m red'"
    """
    s = str(text)
    if len(s) > limit:
        s = s[:limit] + "..."
    s = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                    else f"\\u{ord(m.group()):04x}", s)
    return f"'{s}'"


# -- actor ids and aliases ----------------------------------------------------------------------

_NON_ID = re.compile(r"[^a-z0-9]+")


def actor_id(name: str) -> str:
    """The actor id a dataset's actor name or code becomes (deterministic).

    Accents are removed (NFKD), letters lowered, every run of other
    characters becomes one ``-``, and leading or trailing ``-`` go;
    ``""`` when nothing is left.

    >>> actor_id("Military Forces of Venezuela (2013-)")
    'military-forces-of-venezuela-2013'
    >>> actor_id("Nicolás MADURO"), actor_id("VENGOV")
    ('nicolas-maduro', 'vengov')
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_ID.sub("-", plain.lower()).strip("-")


@attrs.frozen
class AliasActor:
    """How an alias table introduces an actor the scenario does not have yet."""

    name: str
    kind: ActorKind = ActorKind.GROUP
    country: str | None = None


@attrs.frozen
class Aliases:
    """An alias table: dataset names and codes (normalised by :func:`actor_id`) -> actor ids.

    ``actors`` says how to introduce target ids a scenario does not have yet.
    """

    names: Mapping[str, str] = attrs.field(factory=dict)
    actors: Mapping[str, AliasActor] = attrs.field(factory=dict)

    def lookup(self, name: str) -> str | None:
        """The actor id ``name`` is an alias of, or ``None``."""
        return self.names.get(actor_id(name))


def load_aliases(path: str | os.PathLike[str]) -> Aliases:
    """Read an alias table (TOML)::

        [aliases]
        "Military Forces of Venezuela (2013-)" = "ven-security-forces"
        VENGOV = "maduro-government"

        [actors.ven-security-forces]       # optional: how to introduce it if needed
        name = "Venezuelan security forces"
        kind = "security_forces"
        country = "VEN"
    """
    file = os.fspath(path)
    text = read_small_text(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InteropError(f"not a TOML alias table: {exc}", file=file) from None
    unknown = sorted(set(data) - {"aliases", "actors"})
    if unknown:
        raise InteropError(f"unknown table(s) {', '.join(map(safe_text, unknown))}; an alias "
                           "table has [aliases] and [actors.ID]", file=file)
    names: dict[str, str] = {}
    for key, value in dict(data.get("aliases", {})).items():
        if not isinstance(value, str) or not value.strip():
            raise InteropError(f"alias {safe_text(key)} must map to an actor id (a string)",
                               file=file)
        names[actor_id(key)] = value
    actors: dict[str, AliasActor] = {}
    for aid, table in dict(data.get("actors", {})).items():
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            raise InteropError(f"[actors.{safe_text(aid)}] needs name = \"...\"", file=file)
        try:
            kind = ActorKind(table.get("kind", "group"))
        except ValueError:
            choices = ", ".join(k.value for k in ActorKind)
            raise InteropError(f"[actors.{safe_text(aid)}] kind must be one of {choices}",
                               file=file) from None
        country = table.get("country")
        actors[aid] = AliasActor(table["name"], kind, country if isinstance(country, str) else None)
    return Aliases(names, actors)


#: Codes that stand where a country would but are not countries (CAMEO, PLOVER).
NOT_COUNTRIES = frozenset({"IGO", "NGO", "NGM", "MNC", "IMG", "INT", "UIS", "---", "***"})


class Actors:
    """The actor ids an import has introduced, and the aliases and known ids it resolves to.

    ``known`` are ids already introduced (a hand-coded scenario's, a stream's):
    they are referred to, never introduced again.
    """

    def __init__(self, aliases: Aliases | None = None, known: Iterable[str] = ()) -> None:
        self.aliases = aliases or Aliases()
        self.known: set[str] = set(known)
        self._cache: dict[str, str] = {}

    def resolve(
        self, name: str, day: _dt.date, precision: Precision, *, kind: ActorKind = ActorKind.GROUP,
        country: str | None = None, source: str | None = None,
    ) -> tuple[str | None, ActorIntroduced | None]:
        """The id for a dataset's actor ``name`` and, the first time, its introduction."""
        name = name.strip()[:MAX_FIELD]
        if not name:
            return None, None
        found = self._cache.get(name)
        if found is not None:
            return found, None
        alias = self.aliases.lookup(name)
        aid = alias or actor_id(name)
        if not aid:
            return None, None
        self._cache[name] = aid
        if aid in self.known:
            return aid, None
        self.known.add(aid)
        spec = self.aliases.actors.get(aid)
        if spec is not None:
            name, kind, country = spec.name, spec.kind, spec.country
        if country is not None and (len(country) != 3 or not country.isalpha()
                                    or country.upper() in NOT_COUNTRIES):
            country = None
        intro = ActorIntroduced(occurred_on=day, precision=precision, actor=aid, name=name,
                                kind=kind, country=country,
                                sources=(source,) if source else ())
        return aid, intro


# -- provenance: a record's own id and recorded date, on its event ----------------------------

_ID_SAFE = re.compile(r"[A-Za-z0-9_.:/#-]+")


def record_event_id(dataset: str, record_id: str) -> str | None:
    """The stable event id of a dataset's record: ``"acled:VEN9003"``.

    A record id holding characters an event id may not (see
    :data:`crisis_model._event.ID_RE`), or a very long one, keeps its safe
    characters and gains ``#`` and 10 hex digits of its SHA-256, so distinct
    record ids stay distinct.  ``None`` for a record without an id (its event
    id is then derived from its content).

    >>> record_event_id("acled", "VEN9003"), record_event_id("plover", "a b")
    ('acled:VEN9003', 'plover:a_b#c8687a08aa')
    """
    rid = record_id.strip()
    if not rid:
        return None
    if len(rid) <= 150 and _ID_SAFE.fullmatch(rid) and "#" not in rid:
        return f"{dataset}:{rid}"
    digest = hashlib.sha256(rid.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    kept = re.sub(r"[^A-Za-z0-9_.:/-]", "_", rid)[:150]
    return f"{dataset}:{kept}#{digest}"


def provenance(
    dataset: str, record_id: str, recorded: _dt.date | _dt.datetime | None
) -> dict[str, Any]:
    """Keyword arguments that carry a record's own id and recorded date into its event.

    ``id`` is :func:`record_event_id` (stable: a later export's record gets the
    same id, so a re-import can correct or retract it); ``recorded_on`` the
    day the dataset recorded it (a time of day is dropped: UTC day).  Events
    imported before events had these fields carried them in their ``note``
    (``"acled VEN1234; recorded 2024-08-05..."``);
    :func:`crisis_model.interop.revisions.record_of` still reads that form.
    """
    out: dict[str, Any] = {}
    eid = record_event_id(dataset, record_id) if record_id else None
    if eid is not None:
        out["id"] = eid
    if recorded is not None:
        out["recorded_on"] = _day_of(recorded)
    return out


@functools.lru_cache(maxsize=1024)
def _day_of(when: _dt.date | _dt.datetime) -> _dt.date:
    if isinstance(when, _dt.datetime):
        return (when.astimezone(_dt.UTC) if when.tzinfo is not None else when).date()
    return when


# -- ordering ------------------------------------------------------------------------------------


def in_date_order(events: Iterable[Event]) -> list[Event]:
    """The events sorted by date (stable), each actor introduced just before its first use.

    Datasets are seldom in date order (ACLED exports run newest first), and
    replay rejects an event dated before the history has reached.  Readers
    introduce an actor where they first meet it; here each introduction moves
    to (and takes the date of) the earliest event that names the actor.
    """
    intros: dict[str, ActorIntroduced] = {}
    others: list[Event] = []
    for e in events:
        if isinstance(e, ActorIntroduced) and e.actor not in intros:
            intros[e.actor] = e
        else:
            others.append(e)
    others.sort(key=_date_key)
    out: list[Event] = []
    placed: set[str] = set()
    for e in others:
        for aid in actors_involved(e):
            intro = intros.get(aid)
            if intro is not None and aid not in placed:
                placed.add(aid)
                out.append(attrs.evolve(intro, occurred_on=e.occurred_on,
                                        precision=e.precision, until=e.until))
        out.append(e)
    unused = [e for aid, e in intros.items() if aid not in placed]
    return sorted(unused, key=_date_key) + out if unused else out


def drop_repeated(events: Iterable[Event], summary: ImportSummary) -> list[Event]:
    """``events`` without those whose explicit id an earlier one has (a record met twice,
    in one file or in two): the first is kept, the others counted as rejected."""
    out: list[Event] = []
    ids: set[str] = set()
    for e in events:
        eid = e.id
        if eid is not None:
            if eid in ids:
                summary.reject("the same record id as an earlier record (the first is kept)",
                               safe_text(eid, 60))
                if e.event_tag == "record.reported":
                    summary.reported -= 1
                else:
                    summary.mapped -= 1
                continue
            ids.add(eid)
        out.append(e)
    return out


def _date_key(e: Event) -> _dt.date:
    return e.occurred_on


# -- the summary ---------------------------------------------------------------------------------


@attrs.define
class ImportSummary:
    """What an import read and did with it (filled in as the reader goes).

    ``unmapped`` counts records by their code when no built-in type fits
    (kept as ``record.reported`` when asked: ``reported``); ``rejected``
    counts records that could not be read (bad date, count...) by reason,
    with examples naming file and line; ``filtered`` counts records left out
    by the country or date filters; ``anomalies`` are the events lenient
    replay rejected afterwards.
    """

    dataset: str
    records: int = 0
    mapped: int = 0
    reported: int = 0
    actors: int = 0
    unmapped: collections.Counter[str] = attrs.field(factory=collections.Counter)
    unmapped_examples: dict[str, list[str]] = attrs.field(factory=dict)
    rejected: collections.Counter[str] = attrs.field(factory=collections.Counter)
    rejected_examples: dict[str, list[str]] = attrs.field(factory=dict)
    filtered: int = 0
    notes: collections.Counter[str] = attrs.field(factory=collections.Counter)
    anomalies: int = 0
    anomaly_examples: list[str] = attrs.field(factory=list)
    #: Records that carried their exact event (PLOVER written by this library).
    restored: int = 0
    #: Source definitions met in the data (id -> table), for the scenario's [sources].
    sources: dict[str, dict[str, Any]] = attrs.field(factory=dict)

    def unmapped_record(self, code: str, where: str) -> None:
        """Count a record whose code has no mapping."""
        self.unmapped[code] += 1
        examples = self.unmapped_examples.setdefault(code, [])
        if len(examples) < EXAMPLES:
            examples.append(where)

    def reject(self, reason: str, where: str) -> None:
        """Count a record that could not be read, for ``reason``."""
        self.rejected[reason] += 1
        examples = self.rejected_examples.setdefault(reason, [])
        if len(examples) < EXAMPLES:
            examples.append(where)

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain JSON-able data."""
        return {
            "dataset": self.dataset, "records": self.records, "mapped": self.mapped,
            "reported": self.reported, "actors": self.actors,
            "unmapped": dict(self.unmapped.most_common()),
            "rejected": dict(self.rejected.most_common()), "filtered": self.filtered,
            "notes": dict(self.notes.most_common()), "anomalies": self.anomalies,
        }

    def render(self) -> str:
        """The summary as lines of text (data shown safely quoted)."""
        unmapped_total = sum(self.unmapped.values())
        lines = [
            f"{self.dataset}: {self.records} records read, {self.mapped} mapped onto built-in "
            f"event types, {unmapped_total} unmapped"
            + (f" (kept as record.reported: {self.reported})" if self.reported else
               " (not imported; --keep-unmapped keeps them as record.reported)"
               if unmapped_total else "")
            + (f" ({self.restored} restored exactly from the crisis_model field)"
               if self.restored else "")
            + f", {sum(self.rejected.values())} rejected, {self.filtered} filtered out; "
            f"{self.actors} actors introduced",
        ]
        for code, n in self.unmapped.most_common():
            shown = ", ".join(self.unmapped_examples.get(code, []))
            lines.append(f"  unmapped {safe_text(code)}: {n} (e.g. {shown})")
        for reason, n in self.rejected.most_common():
            shown = ", ".join(self.rejected_examples.get(reason, []))
            lines.append(f"  rejected, {reason}: {n} (e.g. {shown})")
        for note, n in self.notes.most_common():
            lines.append(f"  note: {note}: {n}")
        lines.append(f"  lenient replay: {self.anomalies} event(s) rejected by the rules")
        lines.extend(f"    {a}" for a in self.anomaly_examples)
        return "\n".join(lines)


# -- files ----------------------------------------------------------------------------------

#: The largest file an importer opens unless told otherwise (bytes).
MAX_FILE_BYTES = 16 * 1024**3


#: The longest physical line a dataset file may hold (characters).
MAX_LINE = 1 << 20

#: How files in other formats begin (compressed or binary ones cannot be imported as text).
_MAGIC = ((b"\x1f\x8b", "a gzip-compressed file: decompress it first (gunzip)"),
          (b"PK\x03\x04", "a ZIP archive: extract the CSV from it first (unzip)"),
          (b"\xff\xfe", "UTF-16 text: save it as UTF-8 first"),
          (b"\xfe\xff", "UTF-16 text: save it as UTF-8 first"))


def check_file(path: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse a path with a NUL byte, anything but a regular file, or one over ``max_bytes``."""
    try:
        check_path(path, "dataset file")
    except ScenarioError as exc:
        raise InteropError(exc.message, file=safe_text(path, 200)) from None
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InteropError(f"cannot read: {exc.strerror or exc}", file=path) from None
    _check_stat(path, st, max_bytes)


def _check_stat(path: str, st: os.stat_result, max_bytes: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise InteropError("not a regular file (a directory, device or pipe cannot be imported)",
                           file=path)
    if st.st_size > max_bytes:
        raise InteropError(f"the file is {st.st_size} bytes, more than the limit of {max_bytes}",
                           file=path)


def open_text(path: str, max_bytes: int = MAX_FILE_BYTES) -> IO[str]:
    """Open a dataset file as UTF-8 text (a byte-order mark is skipped; bad bytes replaced).

    Only a regular file is opened (never blocking on a FIFO); one that is
    binary (a NUL byte in its first 8 KiB), compressed or UTF-16 is refused,
    naming the file and the line of the first NUL.
    """
    check_file(path, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InteropError(f"cannot read: {exc.strerror or exc}", file=path) from None
    try:
        _check_stat(path, os.fstat(fd), max_bytes)  # the path may have been swapped
        head = os.pread(fd, 8192, 0)
    except BaseException:
        os.close(fd)
        raise
    for magic, what in _MAGIC:
        if head.startswith(magic):
            os.close(fd)
            raise InteropError(f"not a text file: {what}", file=path, line=1)
    nul = head.find(b"\0")
    if nul >= 0:
        os.close(fd)
        raise InteropError("not a text file: a NUL byte (a binary file?)", file=path,
                           line=head.count(b"\n", 0, nul) + 1)
    os.set_blocking(fd, True)
    return open(fd, encoding="utf-8-sig", errors="replace", newline="", closefd=True)


def bounded_lines(f: IO[str], path: str, limit: int | None = None) -> Iterator[str]:
    """The physical lines of ``f``, refusing one longer than ``limit`` characters
    (default :data:`MAX_LINE`; its number named) before more of it is read."""
    if limit is None:
        limit = MAX_LINE
    readline = f.readline
    number = 0
    cap = limit + 1
    while True:
        line = readline(cap)
        if not line:
            return
        number += 1
        if len(line) > limit:
            raise InteropError(f"a line longer than {limit:,} characters: not a dataset file, "
                               "or a damaged one", file=path, line=number)
        yield line


def read_small_text(path: str) -> str:
    """A small file's whole text (alias tables), read under the reading limits."""
    try:
        data = read_bounded(path, what="alias table")
    except OSError as exc:
        raise InteropError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if b"\0" in data:
        raise InteropError("not a text file: a NUL byte", file=path,
                           line=data.count(b"\n", 0, data.index(b"\0")) + 1)
    return data.decode("utf-8-sig", errors="replace")


def header_problem(expected: Iterable[str], found: Iterable[str], fmt: str) -> str | None:
    """What is wrong with a header row: the columns expected and which are missing."""
    present = set(found)
    missing = [c for c in expected if c not in present]
    if not missing:
        return None
    return (f"not a {fmt} file: missing column(s) {', '.join(missing)}; expected at least "
            f"{', '.join(expected)}; found {safe_text(', '.join(found), 200)}")


def parse_int(text: str) -> int | None:
    """A count from a dataset cell: ``None`` when empty; ValueError when not a whole number."""
    text = text.strip()
    if not text:
        return None
    value = int(float(text)) if "." in text else int(text)
    if value < 0:
        raise ValueError(f"a count is never negative, got {value}")
    return value


def paths_of(files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """One path or many, as strings."""
    if isinstance(files, (str, os.PathLike)):
        return [os.fspath(files)]
    return [os.fspath(f) for f in files]


Filter = Callable[[_dt.date, str | None], bool]


@attrs.frozen
class Options:
    """What every reader is asked: filters, aliases, known ids, and whether to keep the unmapped."""

    aliases: Aliases | None = None
    known: tuple[str, ...] = ()
    country: str | None = None
    since: _dt.date | None = None
    until: _dt.date | None = None
    keep_unmapped: bool = False
    max_bytes: int = MAX_FILE_BYTES
    #: When a dict, readers add the id (:func:`record_event_id`) of every record the files
    #: hold, with ``""`` or, for a record with no mapping, its code (what
    #: :func:`~crisis_model.interop.revisions.revise` needs to tell gone records).
    seen: dict[str, str] | None = attrs.field(default=None, eq=False)

    def admits(self, day: _dt.date, country: str | None) -> bool:
        """Whether a record dated ``day`` in ``country`` (ISO alpha-3) passes the filters."""
        if self.since is not None and day < self.since:
            return False
        if self.until is not None and day > self.until:
            return False
        return self.country is None or country is None or country.upper() == self.country.upper()


def where(path: str, line: int) -> str:
    """``file:line`` with the file's name only (for examples in a summary)."""
    return f"{Path(path).name}:{line}"


def iter_lines(f: IO[str]) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for each line of ``f`` (1-based)."""
    return enumerate(f, start=1)
