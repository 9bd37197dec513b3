"""``crisis-model import`` (datasets in) and the ``plover`` and ``panel`` formats of
``crisis-model export`` (registered with :func:`crisis_model._export.register_export_format`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from .._cliutil import date_arg as _date
from .._cliutil import formatter as _formatter
from .._event import Event
from .._export import ExportFormat, register_export_format, write_output
from ..scenario import Scenario, load_scenario
from ..serialization import to_dict
from ._common import ImportSummary, InteropError, load_aliases, safe_text

__all__ = ["add_import_command"]

IMPORT_EPILOG = """\
examples:
  crisis-model import acled acled_venezuela_2024.csv --country VEN -o acled.jsonl
  crisis-model import gdelt 20240729*.export.CSV --from 2024-07-28 --to 2024-08-31 -o g.jsonl
  crisis-model import ucdp ged.csv --keep-unmapped --aliases aliases.toml -o ucdp.jsonl
  crisis-model import acled acled.csv --merge seeds/venezuela_2024.toml -o merged.jsonl
  crisis-model import plover records.jsonl --store crisis.db --stream ve-2024
  crisis-model import acled acled_newer.csv --store crisis.db --stream ve-2024 --retract-missing

Importing into a store again (a newer export of the same dataset) appends
only what changed: a record.corrected event for each edited record, the
events of new records and, with --retract-missing, a record.retracted event
for each record the export no longer holds; running it twice changes nothing.

The summary (records read, mapped, unmapped by code, rejected, events the
rules reject in lenient replay) goes to stderr.  Records with no mapping are
counted and left out unless --keep-unmapped keeps them as record.reported.
"""



def _branch_start(scenario: Scenario) -> int | None:
    """Where a what-if branch's own events start (the parent's length), or ``None``."""
    if scenario.extends is None or scenario.path is None:
        return None
    parent = load_scenario(os.path.join(os.path.dirname(scenario.path), scenario.extends))
    return len(parent.events)


def _export_plover(args: argparse.Namespace) -> str:
    from .plover import write_plover

    scenario = load_scenario(args.file)
    start = _branch_start(scenario)
    out = io.StringIO()
    n = write_plover(out, scenario.events, scenario_id=scenario.id, sources=scenario.sources,
                     hypothetical_from=start)
    branch = (f" ({len(scenario.events) - start} what-if events in mode hypothetical)"
              if start is not None else "")
    print(f"{args.output}: {n} PLOVER records{branch}", file=sys.stderr)
    return out.getvalue()


def _export_panel(args: argparse.Namespace) -> str:
    from .panel import write_panel

    scenario = load_scenario(args.file)
    out = io.StringIO()
    n = write_panel(out, scenario.events)
    print(f"{args.output}: {n} panel rows (one per actor per event date)", file=sys.stderr)
    return out.getvalue()


register_export_format(ExportFormat(
    name="plover",
    help="PLOVER JSON Lines, one record per event (a what-if branch's own events get the "
    "mode hypothetical); crisis-model import plover reads it back exactly",
    export=_export_plover,
    example="crisis-model export plover seeds/venezuela_2024.toml -o venezuela.plover.jsonl",
))
register_export_format(ExportFormat(
    name="panel",
    help="CSV panel: one row per actor per event date (whereabouts, offices, stances, "
    "jeopardy)",
    export=_export_panel,
    example="crisis-model export panel seeds/venezuela_2024.toml -o panel.csv",
))


# -- import ------------------------------------------------------------------------------------


def add_import_command(subparsers: Any) -> None:
    """Add ``crisis-model import FORMAT FILE... (-o OUT.jsonl | --store DB --stream S)``."""
    from . import FORMATS

    p = subparsers.add_parser(
        "import", help="import a dataset (" + ", ".join(FORMATS) + ") as a scenario or "
        "into a store", description="Import coded event data: map each record onto an event "
        "type, introduce its actors, and replay the result leniently.",
        epilog=IMPORT_EPILOG, formatter_class=_formatter,
    )
    p.add_argument("format", choices=list(FORMATS), metavar="FORMAT",
                   help="the dataset's format: " + ", ".join(FORMATS))
    p.add_argument("files", nargs="+", metavar="FILE", help="the dataset's files")
    p.add_argument("--aliases", metavar="FILE",
                   help="alias table (TOML) mapping dataset names and codes onto actor ids")
    p.add_argument("--country", metavar="ISO",
                   help="keep only records in this country (ISO 3166 alpha-3, e.g. VEN)")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE",
                   help="keep only records dated on or after DATE")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE",
                   help="keep only records dated on or before DATE")
    p.add_argument("--keep-unmapped", action="store_true",
                   help="keep records with no mapping as record.reported events")
    p.add_argument("--merge", metavar="SCENARIO",
                   help="(with -o) write one scenario holding this hand-coded scenario's events "
                   "and the imported ones in date order; its actors are referred to, not "
                   "introduced again")
    p.add_argument("--retract-missing", action="store_true",
                   help="(with --store or --merge) retract the events of records the "
                   "dataset's export no longer holds (records filtered out or unreadable are "
                   "never retracted)")
    p.add_argument("--on", type=_date, metavar="DATE",
                   help="(with --store or --merge) the date of retractions of records gone "
                   "from the export (default: today)")
    p.add_argument("--json-summary", action="store_true",
                   help="print the summary as JSON on stdout")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", metavar="FILE", help="write a JSON Lines scenario")
    out.add_argument("--store", metavar="DB", help="append to an event store (with --stream)")
    p.add_argument("--stream", metavar="S", help="the store's stream to append to")
    p.set_defaults(func=run_import, command_parser=p)


def _progress(events: Iterator[Event], summary: ImportSummary) -> Iterator[Event]:
    """Show records read on stderr while ``events`` run (only on a terminal)."""
    if not sys.stderr.isatty():
        yield from events
        return
    shown = 0
    for e in events:
        if summary.records - shown >= 10_000:
            shown = summary.records
            print(f"\rimporting: {shown} records read, {summary.mapped} mapped",
                  end="", file=sys.stderr, flush=True)
        yield e
    print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)


def run_import(args: argparse.Namespace) -> int:
    """Import the files and write a scenario or append to a store; print the summary."""
    from . import FORMATS, import_scenario

    if args.store is not None and not args.stream:
        raise InteropError("--store needs --stream S (the stream to append to)")
    if args.stream and args.store is None:
        raise InteropError("--stream goes with --store DB")
    if (args.retract_missing or args.on) and args.store is None and not args.merge:
        raise InteropError("--retract-missing and --on go with --store DB --stream S or "
                           "--merge SCENARIO (a re-import)")
    if args.merge and args.store is not None:
        raise InteropError("--merge goes with -o (a store's stream already has its actors)")
    if args.start and args.end and args.start > args.end:
        raise InteropError(f"--from {args.start} is after --to {args.end}")
    country = args.country.upper() if args.country else None
    if country is not None and (len(country) != 3 or not country.isalpha()):
        raise InteropError(f"--country {safe_text(args.country)} is not an ISO 3166 alpha-3 "
                           "code (such as VEN)")
    aliases = load_aliases(args.aliases) if args.aliases else None
    summary = ImportSummary(args.format)
    assert args.format in FORMATS
    if args.store is not None:
        return _import_to_store(args, aliases, country, summary)
    base = load_scenario(args.merge) if args.merge else None
    scenario, summary = import_scenario(
        args.format, args.files, aliases=aliases, base=base, country=country, since=args.start,
        until=args.end, keep_unmapped=args.keep_unmapped, summary=summary, progress=_progress,
        retract_missing=args.retract_missing, on=args.on,
    )
    meta: dict[str, Any] = {"id": scenario.id, "title": scenario.title}
    if scenario.description:
        meta["description"] = scenario.description
    sources = {sid: s.to_dict() for sid, s in scenario.sources.items()}
    lines = [json.dumps({"scenario": meta, "sources": sources}, ensure_ascii=False)]
    lines += [json.dumps(to_dict(e), ensure_ascii=False) for e in scenario.events]
    write_output(args.output, "\n".join(lines) + "\n")
    own = len(scenario.events) - (len(base.events) if base is not None else 0)
    _report(args, summary, f"{args.output}: {len(scenario.events)} events written "
            f"({own} imported)")
    return 0


def _import_to_store(args: argparse.Namespace, aliases: Any, country: str | None,
                     summary: ImportSummary) -> int:
    from ..store import open_store
    from . import import_to_store

    with open_store(args.store) as store:
        new_version, summary, update = import_to_store(
            store, args.stream, args.format, args.files, aliases=aliases, country=country,
            since=args.start, until=args.end, keep_unmapped=args.keep_unmapped,
            retract_missing=args.retract_missing, on=args.on, summary=summary,
            progress=_progress)
    _report(args, summary, f"{args.store}: stream {safe_text(args.stream)} at version "
            f"{new_version}: records {update.summary()} (events the rules reject are not "
            "stored)")
    return 0


def _report(args: argparse.Namespace, summary: ImportSummary, done: str) -> None:
    if args.json_summary:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    print(summary.render(), file=sys.stderr)
    print(done, file=sys.stderr)

