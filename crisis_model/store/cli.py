"""``crisis-model store``: keep a crisis in an event store and work with it from the shell.

:func:`add_parser` adds the ``store`` subcommand tree to the ``crisis-model``
parser; each leaf sets ``func(args) -> exit code``.  The store is
``./crisis.db`` (SQLite) unless ``--db`` names another file, a directory or
``*.jsonl`` name for a JSON Lines store, or a ``postgresql://`` URI for a
PostgreSQL store.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from .._cliutil import date_arg as _date
from .._cliutil import formatter as _formatter
from .._event import Precision
from .._export import write_output
from .._jsontext import dumps as _json
from .._limits import safe_line
from ..errors import CrisisModelError
from ..events import ActorIntroduced
from ..query import describe, format_date, uncertain_events
from ..record import event_ids, recorded_dates, source_dates
from ..scenario import Scenario, Source, load_scenario
from ..serialization import to_dict
from . import DEFAULT_PATH, BatchRejected, ConcurrencyError, EventStore, JsonlStore, open_store
from ._postgres import _describe, is_dsn
from ._sqlite import SqliteStore

__all__ = ["EXIT_CONFLICT", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_RULES", "EXIT_USAGE", "add_parser"]

#: Success.
EXIT_OK = 0
#: A rule rejected the batch: nothing was written.
EXIT_RULES = 1
#: A file, stream or argument is wrong, or the store cannot be used.
EXIT_USAGE = 2
#: Another writer appended to the stream first: nothing was written; run again.
EXIT_CONFLICT = 3
#: ``store check`` found problems (or ``store repair`` left damage it cannot fix).
EXIT_PROBLEMS = 4

EPILOG = f"""\
examples:
  crisis-model store import seeds/venezuela_2024.toml --stream ve-2024
  crisis-model store append ve-2024 new_reports.toml
  crisis-model store list
  crisis-model store log ve-2024
  crisis-model store fork ve-2024 --at 30 --to ve-2024.amnesty
  crisis-model store replay ve-2024 --as-of 2024-08-11
  crisis-model store export ve-2024 ve-2024.jsonl
  crisis-model store --db reports.jsonl list
  crisis-model store --db reports.jsonl check
  crisis-model store --db reports.jsonl repair --dry-run
  crisis-model store --db postgresql://analyst@db.example:5432/crises list
  crisis-model store follow --timeout 60

The store is ./{DEFAULT_PATH} (SQLite) unless --db names another file; a
directory, or a name ending in .jsonl, is a JSON Lines store; a
postgresql:// URI is a PostgreSQL store (the 'postgres' extra).  The store
keeps each stream's events and the definitions of the sources they cite (not a
scenario's title).  Reading commands (list, log, replay, export, check,
follow) open the store read-only: they work on a store you may read but not
write, and never create one.

exit codes:
  0  success
  1  a rule rejected the events (nothing was written)
  2  a file, stream or argument is wrong, or the store cannot be used
  3  another writer appended to the stream first (nothing was written; run again)
  4  check found problems, or repair left damage it cannot fix (fix it by hand)
"""

Run = Callable[[argparse.Namespace], int]



def _version(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a version (a whole number >= 0), got {text!r}")
    return value


def _where(db: object) -> str:
    """The store's location as it may be printed: a URI's password left out."""
    return _describe(str(db)) if is_dsn(db) else str(db)


def _safe(text: str) -> str:
    """``text`` with control and formatting characters (escape sequences, bidirectional
    overrides, line breaks) shown as escapes, so data cannot drive the terminal."""
    return "".join(
        c if unicodedata.category(c)[0] != "C" else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _err(message: str) -> None:
    for i, line in enumerate(message.splitlines()):
        print(safe_line(("crisis-model: error: " if i == 0 else "  ") + line), file=sys.stderr)


def _outcomes(run: Run) -> Run:
    """Map a rejected batch and a lost race to their exit codes; other errors go to main."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except BatchRejected as exc:
            _err(str(exc))
            return EXIT_RULES
        except ConcurrencyError as exc:
            _err(str(exc))
            return EXIT_CONFLICT

    wrapped.__doc__ = run.__doc__
    return wrapped


@contextmanager
def _opened(args: argparse.Namespace, *, read_only: bool = False) -> Iterator[EventStore]:
    """The store ``--db`` names (read-only for reading commands), torn tails reported on
    stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = open_store(args.db, read_only=read_only)
    for w in caught:
        print(safe_line(f"crisis-model: warning: {w.message}"), file=sys.stderr)
    try:
        yield store
    finally:
        store.close()


def _sources(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """The scenario's source definitions, as the store records them with the batch."""
    return {sid: src.to_dict() for sid, src in scenario.sources.items()}


def _as_sources(tables: Mapping[str, Mapping[str, Any]]) -> dict[str, Source]:
    """The store's source tables as scenario sources (for their publication dates)."""
    dates = source_dates(tables)
    out = {}
    for sid, table in tables.items():
        day, precision = dates.get(sid, (None, Precision.DAY))
        out[sid] = Source(id=sid, outlet=str(table.get("outlet", "")),
                          title=str(table.get("title", "")), published=day, precision=precision)
    return out


def _require(store: EventStore, stream: str) -> None:
    if stream not in store.streams():
        known = ", ".join(store.streams()) or "none"
        raise CrisisModelError(f"no stream {stream!r} in the store (streams: {known})")


# -- subcommands -------------------------------------------------------------------------------


def run_import(args: argparse.Namespace) -> int:
    """``store import FILE --stream S``: a scenario's events become a new stream."""
    scenario = load_scenario(args.file)
    with _opened(args) as store:
        if args.stream in store.streams():
            raise CrisisModelError(
                f"stream {args.stream!r} exists (version {store.version(args.stream)}); "
                "use `crisis-model store append` to add to it"
            )
        version = store.append(args.stream, scenario.events, expected_version=0,
                               sources=_sources(scenario))
    print(f"{args.stream}: imported {len(scenario.events)} events and "
          f"{len(scenario.sources)} sources from {args.file} (version {version})")
    return EXIT_OK


def run_append(args: argparse.Namespace) -> int:
    """``store append S FILE``: a scenario file's events, appended as one batch."""
    scenario = load_scenario(args.file)
    with _opened(args) as store:
        expected = store.version(args.stream) if args.expected is None else args.expected
        version = store.append(args.stream, scenario.events, expected_version=expected,
                               sources=_sources(scenario))
    already = len(scenario.events) - (version - expected)
    held = f"; {already} already stored (same id, same content)" if already else ""
    print(f"{args.stream}: appended {version - expected} events "
          f"(version {expected} -> {version}){held}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """``store list``: every stream, its version, and where a fork came from."""
    with _opened(args, read_only=True) as store:
        rows = [["STREAM", "VERSION", "FORKED FROM"]]
        for stream in store.streams():
            origin = store.origin(stream)
            rows.append([stream, str(store.version(stream)),
                         f"{origin[0]} at version {origin[1]}" if origin else "-"])
    if len(rows) == 1:
        print(f"(no streams in {_where(args.db)})")
        return EXIT_OK
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print(safe_line("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()))
    return EXIT_OK


def run_log(args: argparse.Namespace) -> int:
    """``store log S``: the stream's events, one a line, with their versions."""
    with _opened(args, read_only=True) as store:
        _require(store, args.stream)
        events = store.read(args.stream)
        sources = store.sources()
    ids = event_ids(events)
    recorded = recorded_dates(events, sources)
    start = args.start or 0
    chosen = list(enumerate(events, 1))[start:args.stop]
    if args.json:
        for version, event in chosen:
            day, precision = recorded[version - 1]
            print(_json({"version": version, "id": ids[version - 1],
                         "recorded_on": day.isoformat(),
                         "recorded_precision": precision.value, "event": to_dict(event)}))
        return EXIT_OK
    names = {e.actor: e.name for e in events if isinstance(e, ActorIntroduced)}
    width = len(str(len(events)))
    id_width = max((len(ids[v - 1]) for v, _ in chosen), default=0)
    for version, event in chosen:
        cites = f"  [{', '.join(event.sources)}]" if event.sources else ""
        date = format_date(event.occurred_on, event.precision)
        known = format_date(*recorded[version - 1])
        print(safe_line(f"{version:>{width}}  {ids[version - 1]:<{id_width}}  {date:<10}  "
                        f"recorded {known:<10}  {describe(event, names)}{cites}"))
    if not chosen:
        print("(no events)")
    return EXIT_OK


def run_fork(args: argparse.Namespace) -> int:
    """``store fork S --at N --to T``: a what-if branch sharing S's first N events."""
    with _opened(args) as store:
        store.fork(args.stream, args.at, args.to)
    print(f"{args.to}: forked from {args.stream} at version {args.at}")
    return EXIT_OK


def run_replay(args: argparse.Namespace) -> int:
    """``store replay S [--as-of DATE] [--json]``: the stream's state, as ``replay`` prints it."""
    renderers = getattr(args, "snapshot_renderers", None)
    if renderers is None:
        raise CrisisModelError("store replay prints as the crisis-model command does: add the "
                         "store commands with add_parser(..., renderers=(render_snapshot, "
                         "snapshot_document)) from crisis_model.cli")
    render_snapshot, snapshot_document = renderers

    with _opened(args, read_only=True) as store:
        _require(store, args.stream)
        events = store.read(args.stream)
        sources = _as_sources(store.sources())
        state = store.replay(args.stream, args.as_of, known_on=args.known_on)
    scenario = Scenario(id=args.stream, title=f"stream {args.stream}", events=events,
                        path=_where(args.db), sources=sources)
    uncertain = uncertain_events(events, args.as_of) if args.as_of else []
    if args.json:
        doc = snapshot_document(scenario, state, as_of=args.as_of, uncertain=uncertain,
                                known_on=args.known_on)
        print(_json(doc, indent=2, sort_keys=True))
    else:
        print(render_snapshot(scenario, state, as_of=args.as_of, uncertain=uncertain,
                              known_on=args.known_on))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """``store export S FILE``: the stream as a JSON Lines scenario file (with the
    definitions of the sources its events cite)."""
    if Path(args.file).suffix.lower() != ".jsonl":
        raise CrisisModelError(
            f"export writes JSON Lines: name the file *.jsonl, not {args.file!r}"
        )
    with _opened(args, read_only=True) as store:
        _refuse_store_target(store, Path(args.file))
        _require(store, args.stream)
        events = store.read(args.stream)
        known = store.sources()
    cited = dict.fromkeys(sid for e in events for sid in e.sources)
    missing = [sid for sid in cited if sid not in known]
    if missing:
        raise CrisisModelError(
            f"stream {args.stream!r} cites sources the store has no definition of: "
            f"{', '.join(missing)} (record them by importing or appending a scenario file "
            "that defines them)"
        )
    header = {
        "scenario": {"id": args.stream, "title": args.title or f"stream {args.stream}"},
        "sources": {sid: known[sid] for sid in cited},
    }
    lines = [header] + [to_dict(e) for e in events]
    text = "".join(_json(x) + "\n" for x in lines)
    write_output(args.file, text)
    print(f"{args.stream}: exported {len(events)} events and {len(cited)} sources "
          f"to {args.file}")
    return EXIT_OK


def _refuse_store_target(store: EventStore, target: Path) -> None:
    """Refuse an export onto the store's own files, into its directory, or onto a store."""
    resolved = target.resolve()
    if isinstance(store, JsonlStore):
        home = store.path.resolve()
        if resolved == home or home in resolved.parents:
            raise CrisisModelError(
                f"will not export into the store's own directory ({target}): export files "
                "live outside the store (nothing was written)"
            )
    elif isinstance(store, SqliteStore):
        db = Path(store.path).resolve()
        if resolved in {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}:
            raise CrisisModelError(
                f"will not export onto the store's own file {target} (nothing was written)"
            )
    if resolved.is_dir():
        raise CrisisModelError(f"{target} is a directory; name a file to export to")
    if (resolved.parent / "store.json").is_file():
        with suppress(OSError, ValueError):
            meta = json.loads((resolved.parent / "store.json").read_bytes())
            if isinstance(meta, dict) and meta.get("format") == "crisis-model-jsonl":
                raise CrisisModelError(
                    f"will not export into {resolved.parent}, a crisis_model store's "
                    "directory (nothing was written)"
                )
    if resolved.exists():
        with open(resolved, "rb") as f:
            head = f.read(16)
        if head.startswith(b"SQLite format 3"):
            raise CrisisModelError(
                f"{target} is an SQLite database; will not write over it (nothing was written)"
            )


def run_repair(args: argparse.Namespace) -> int:
    """``store repair [--dry-run]``: move the half-written batch a crash left in a JSON
    Lines stream to a backup file and cut it off; give a last record its lost newline."""
    with _opened(args, read_only=args.dry_run) as store:
        if not isinstance(store, JsonlStore):
            kind = "a PostgreSQL" if is_dsn(args.db) else "an SQLite"
            print(f"{_where(args.db)}: {kind} store recovers by itself; nothing to repair "
                  "(`store check` looks for damage)")
            return EXIT_OK
        report = store.repair(dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    if not (report.cut or report.completed or report.damaged):
        print(f"{_where(args.db)}: no torn tails; nothing to repair")
    return EXIT_PROBLEMS if report.damaged else EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """``store check``: list every problem in the store, changing nothing."""
    with _opened(args, read_only=True) as store:
        problems = store.check()
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{_where(args.db)}: no problems found")
        return EXIT_OK
    print(f"{len(problems)} problem(s) found in {_where(args.db)}")
    return EXIT_PROBLEMS


def run_follow(args: argparse.Namespace) -> int:
    """``store follow``: print every stream's events as they commit, one a line."""
    names: dict[str, str] = {}
    count = 0
    with _opened(args, read_only=True) as store:
        after = store.head() if args.from_now else args.after
        try:
            for item in store.subscribe(after, timeout=args.timeout):
                event = item.event
                if isinstance(event, ActorIntroduced):
                    names[event.actor] = event.name
                if args.stream is not None and item.stream != args.stream:
                    continue
                if args.json:
                    line = _json({"position": item.position, "stream": item.stream,
                                  "version": item.version, "event": to_dict(event)})
                else:
                    date = format_date(event.occurred_on, event.precision)
                    line = _safe(f"{item.position}  {item.stream}@{item.version}  {date:<10}  "
                                 f"{describe(event, names)}")
                print(line, flush=True)
                count += 1
                if args.limit is not None and count >= args.limit:
                    break
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (value >= 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return value


# -- the parser ---------------------------------------------------------------------------------



def add_parser(subparsers: Any, *, renderers: tuple[Any, Any] | None = None) -> None:
    """Add the ``store`` subcommand tree to the ``crisis-model`` command's subparsers.

    ``renderers`` are the main command's ``(render_snapshot, snapshot_document)``, which
    ``store replay`` prints with (given, so that this module does not import the main
    command's: :data:`crisis_model.cli.COMMANDS` passes them).
    """

    db_help = (f"the store: an SQLite file (default ./{DEFAULT_PATH}), a directory or "
               "*.jsonl name for a JSON Lines store, or a postgresql:// URI")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)

    p = subparsers.add_parser(
        "store",
        help="keep crises in an event store: import, append, fork, replay, export",
        description="Keep each crisis as a stream of events in a store that several "
        "processes may append to; fork what-if branches; replay any stream.",
        epilog=EPILOG,
        formatter_class=_formatter,
    )
    p.add_argument("--db", metavar="PATH", default=DEFAULT_PATH, help=db_help)
    p.set_defaults(func=lambda args: (p.print_help(sys.stdout), EXIT_OK)[1], command_parser=p)
    sub = p.add_subparsers(title="store commands", metavar="COMMAND")

    def leaf(name: str, run: Run, help: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = sub.add_parser(
            name, help=help, description=help[0].upper() + help[1:] + ".",
            parents=[common], formatter_class=_formatter,
        )
        q.set_defaults(func=_outcomes(run), command_parser=q)
        return q

    q = leaf("import", run_import, "load a scenario file's events into a new stream")
    q.add_argument("file", metavar="FILE", help="scenario file (.toml or .jsonl)")
    q.add_argument("--stream", required=True, metavar="S", help="the new stream's name")

    q = leaf("append", run_append, "append a scenario file's events to a stream, as one batch")
    q.add_argument("stream", metavar="S", help="the stream")
    q.add_argument("file", metavar="FILE", help="scenario file (.toml or .jsonl)")
    q.add_argument("--expected-version", dest="expected", type=_version, metavar="N",
                   help="fail (exit 3) unless the stream is at version N "
                   "(default: its version when the command starts)")

    leaf("list", run_list, "list the streams, their versions and where forks came from")

    q = leaf("log", run_log, "list a stream's events with their versions")
    q.add_argument("stream", metavar="S", help="the stream")
    q.add_argument("--start", type=_version, metavar="V", help="only events after version V")
    q.add_argument("--stop", type=_version, metavar="V", help="only events up to version V")
    q.add_argument("--json", action="store_true",
                   help="one JSON object a line: {\"version\": V, \"event\": payload}")

    q = leaf("fork", run_fork, "start a what-if branch sharing a stream's first N events")
    q.add_argument("stream", metavar="S", help="the stream to branch from")
    q.add_argument("--at", type=_version, required=True, metavar="N",
                   help="the version the branch starts from")
    q.add_argument("--to", required=True, metavar="T", help="the new stream's name")

    q = leaf("replay", run_replay, "show a stream's state, at its end or as of a date")
    q.add_argument("stream", metavar="S", help="the stream")
    q.add_argument("--as-of", type=_date, metavar="DATE",
                   help="the state after every event dated on or before DATE (YYYY-MM-DD)")
    q.add_argument("--known-on", type=_date, metavar="DATE",
                   help="as the record stood on DATE (the store's sources date the events)")
    q.add_argument("--json", action="store_true", help="print the JSON snapshot document")
    q.set_defaults(snapshot_renderers=renderers)

    q = leaf("export", run_export, "write a stream's events to a JSON Lines scenario file")
    q.add_argument("stream", metavar="S", help="the stream")
    q.add_argument("file", metavar="FILE", help="the file to write (*.jsonl)")
    q.add_argument("--title", metavar="TEXT",
                   help="the scenario title to write (default: 'stream S')")

    q = leaf("repair", run_repair,
             "move the half-written batch a crash left in a JSON Lines stream to a backup "
             "file and cut it off")
    q.add_argument("--dry-run", action="store_true",
                   help="change nothing: say what repair would do")

    leaf("check", run_check, "list every problem in the store (damaged lines, torn tails, "
         "events that no longer load), changing nothing")

    q = leaf("follow", run_follow,
             "print every stream's events as they are committed (Ctrl-C stops)")
    q.add_argument("--after", type=_version, default=0, metavar="P",
                   help="start after feed position P (default 0: from the first event)")
    q.add_argument("--from-now", action="store_true",
                   help="print only events committed from now on")
    q.add_argument("--stream", metavar="S", help="print only the events of stream S")
    q.add_argument("--limit", type=_version, metavar="N", help="stop after N events")
    q.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                   help="stop once SECONDS pass with no new event (default: never)")
    q.add_argument("--json", action="store_true",
                   help='one JSON object a line: {"position", "stream", "version", "event"}')
