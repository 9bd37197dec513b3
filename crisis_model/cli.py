"""The ``crisis-model`` command: replay, timeline, validate and diff scenario files.

Each subcommand is added by a function taking argparse's subparsers object and
registering its handler with ``set_defaults(func=run, command_parser=p)``;
``run(args)`` returns the exit code and may raise any
:class:`~crisis_model.CrisisModelError` or :class:`OSError`, which :func:`main`
prints without a traceback.  Another module adds its own subcommand the same
way (see :data:`COMMANDS` and :func:`build_parser`).

Exit codes: 0 success; 1 the scenario breaks the rules; 2 the file cannot be
read or parsed, or the command line is wrong.  A user's mistake never prints a
traceback.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from . import __version__, _limits
from ._cliutil import date_arg as _date
from ._cliutil import formatter as _formatter
from ._dates import certain_count
from ._event import Event, Precision
from ._export import add_export_command
from ._limits import safe_line, safe_text
from .errors import CrisisModelError, RuleViolation, ScenarioError, nearest
from .events import ActorIntroduced
from .interop.cli import add_import_command
from .invariants import check_invariants
from .plugins import load_plugins
from .query import (
    Change,
    actors_involved,
    describe,
    diff,
    format_date,
    snapshot_dict,
    timeline,
    uncertain_events,
)
from .record import has_record_events
from .reducer import Anomaly, SliceView, Waived, _replay, registry, replay, shown_slices
from .reporting.cli import add_report_command
from .scenario import Location, Scenario, load_scenario, scenario_names
from .state import (
    ActorKind,
    ActorState,
    CrisisState,
    ElectionState,
    Offer,
    Stance,
    StanceKind,
    Tally,
    Whereabouts,
    replace,
)
from .store.cli import add_parser as add_store_command

__all__ = [
    "COMMANDS",
    "EXIT_OK",
    "EXIT_RULES",
    "EXIT_USAGE",
    "SNAPSHOT_FORMAT",
    "SNAPSHOT_FORMAT_VERSION",
    "AddCommand",
    "add_diff_command",
    "add_replay_command",
    "add_timeline_command",
    "add_validate_command",
    "build_parser",
    "main",
    "render_changes",
    "render_snapshot",
    "run_diff",
    "run_replay",
    "run_timeline",
    "run_validate",
    "snapshot_document",
]

#: Success.
EXIT_OK = 0
#: The scenario loads but breaks the rules (an event the state contradicts).
EXIT_RULES = 1
#: The file cannot be read or parsed, or the command line is wrong.
EXIT_USAGE = 2

#: A function that adds one subcommand to argparse's subparsers object.
AddCommand = Callable[[Any], None]

#: The document format ``replay --json`` prints (see docs/cli.md).
SNAPSHOT_FORMAT = "crisis-model.snapshot"
SNAPSHOT_FORMAT_VERSION = 1

_SEED = "seeds/venezuela_2024.toml"
_BRANCH = "seeds/venezuela_2024_amnesty_accepted.toml"

EPILOG = f"""\
examples:
  crisis-model replay {_SEED}
  crisis-model replay {_SEED} --as-of 2024-08-11
  crisis-model replay {_SEED} --json > snapshot.json
  crisis-model timeline {_SEED} --actor gonzalez
  crisis-model validate my_scenario.toml
  crisis-model diff {_SEED} --from 2024-08-11 --to 2024-12-31
  crisis-model diff {_SEED} {_BRANCH}
  crisis-model report {_SEED} -o venezuela.html
  crisis-model export timelinejs {_SEED} -o timeline.json
  crisis-model store import {_SEED} --stream venezuela
  crisis-model --import my_events timeline my_scenario.toml

exit codes:
  0  success
  1  the scenario breaks the rules (an event its history contradicts)
  2  the file cannot be read or parsed, or the command line is wrong
  3  (store) another writer appended to the stream first; nothing was written

Scenario files are TOML (*.toml) or JSON Lines (*.jsonl); see seeds/README.md.
"""


# -- argument types -------------------------------------------------------------------------




# -- shared helpers ------------------------------------------------------------------------------


def _state(
    scenario: Scenario, when: _dt.date | None, lenient: bool,
    known_on: _dt.date | None = None,
) -> tuple[CrisisState, list[Anomaly]]:
    """The state as of ``when`` (or at the end), as the record stood on ``known_on``
    (or as it stands), and, when lenient, the events rejected."""
    if not lenient:
        if when is None:
            return scenario.replay(known_on=known_on), []
        return scenario.state_at(when, known_on=known_on), []
    if when is None:
        return scenario.replay(strict=False, known_on=known_on)
    known = scenario.as_known(known_on)
    last = certain_count(known.events, when) - 1  # the certain events: a prefix
    cut = known.origins[last] + 1 if last >= 0 else 0
    prefix = scenario.events[:cut]
    waive = [w for w in scenario.waivers if w.event is None or w.event < cut] or None
    anomalies = replay(prefix, strict=False, known_on=known_on, sources=scenario.sources,
                       waive=waive)[1]
    return scenario.state_at(when, strict=False, known_on=known_on), anomalies


def _known_line(scenario: Scenario, known_on: _dt.date) -> str:
    """What the record held on ``known_on``, in one line."""
    known = scenario.as_known(known_on)
    corrected = len(known.corrected_by)
    return (f"as known on {known_on.isoformat()}: {len(known.events)} of the record's events "
            "had been reported" + (f" ({corrected} as corrected)" if corrected else ""))


def _uncertain(
    scenario: Scenario, when: _dt.date, known_on: _dt.date | None
) -> list[tuple[int, Event]]:
    """The events that may have happened by ``when`` but are not certain to have (the
    state leaves them out; positions in the file)."""
    if known_on is None and not has_record_events(scenario.events):
        return uncertain_events(scenario.events, when)
    known = scenario.as_known(known_on)
    return [(known.origins[i], e) for i, e in uncertain_events(known.events, when)]


def _warn_anomalies(scenario: Scenario, anomalies: Sequence[Anomaly], out: TextIO) -> None:
    for a in anomalies:
        where = scenario.location(a.index)
        for line in _anomaly_lines(a, str(where)):
            print(safe_line(f"crisis-model: warning: {line}"), file=out)


def _anomaly_lines(a: Anomaly, where: str) -> list[str]:
    head = f"{where}: " if where else ""
    event = f"event #{a.index} ({a.tag}, {_event_date(a.event)})"
    return [f"{head}{event}: {p}" for p in a.problems]


def _names(state: CrisisState) -> Callable[[str | None], str]:
    def name(actor: str | None) -> str:
        if actor is None:
            return "-"
        known = state.actors.get(actor)
        return known.name if known is not None else actor

    return name


def _tally(t: Tally) -> str:
    if t.uncounted == 0:
        return str(t.known)
    reports = f"{t.uncounted} report{'s' if t.uncounted > 1 else ''} without a number"
    if t.known:
        return f"at least {t.known} ({reports})"
    return f"unknown ({reports})"


def _pct(shares: Any, name: Callable[[str | None], str]) -> str:
    return ", ".join(f"{name(k)} {v:g}%" for k, v in shares.items())


def _event_date(event: Event) -> str:
    """The event's date at its precision, or its range of dates."""
    return format_date(event.occurred_on, event.precision, event.until)


def _when(day: _dt.date | None, precision: Precision) -> str:
    return format_date(day, precision) if day is not None else "?"


# -- replay ----------------------------------------------------------------------------------------


def add_replay_command(subparsers: Any) -> None:
    """Add ``replay FILE [--as-of DATE] [--json] [--lenient]``."""
    p = subparsers.add_parser(
        "replay",
        help="show who stood where: the snapshot of a scenario, at its end or as of a date",
        description="Replay a scenario and print the state it reaches: each actor, each "
        "election, offers, detention ledgers and incident counts.",
        epilog=f"examples:\n  crisis-model replay {_SEED}\n"
        f"  crisis-model replay {_SEED} --as-of 2024-08-11\n"
        f"  crisis-model replay {_SEED} --json\n",
        formatter_class=_formatter,
    )
    p.add_argument("file", metavar="FILE",
                   help="scenario file (.toml or .jsonl), or the id of a shipped scenario")
    p.add_argument("--as-of", type=_date, metavar="DATE",
                   help="the state after every event certain to have happened by DATE "
                   "(YYYY-MM-DD): its window (day, month, year or range), or a later event's, "
                   "is over; events that may have happened by then are listed as uncertain")
    p.add_argument("--known-on", type=_date, metavar="DATE",
                   help="as the record stood on DATE: only events reported by then, with "
                   "the corrections and retractions reported by then (see --as-of for "
                   "when things happened)")
    p.add_argument("--json", action="store_true",
                   help="print the documented JSON snapshot document instead of text")
    p.add_argument("--lenient", action="store_true",
                   help="skip events the rules reject (warned on stderr) instead of failing")
    p.set_defaults(func=run_replay, command_parser=p)


def run_replay(args: argparse.Namespace) -> int:
    """``crisis-model replay``."""
    scenario = load_scenario(args.file)
    state, anomalies = _state(scenario, args.as_of, args.lenient, args.known_on)
    uncertain = _uncertain(scenario, args.as_of, args.known_on) if args.as_of else []
    _warn_anomalies(scenario, anomalies, sys.stderr)
    used = scenario.waived(known_on=args.known_on)
    if args.json:
        doc = snapshot_document(scenario, state, as_of=args.as_of,
                                uncertain=uncertain, anomalies=anomalies,
                                known_on=args.known_on, waived=used)
        print(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(render_snapshot(scenario, state, as_of=args.as_of,
                              uncertain=uncertain, anomalies=anomalies,
                              known_on=args.known_on, waived=used))
    return EXIT_OK


def snapshot_document(
    scenario: Scenario,
    state: CrisisState,
    *,
    as_of: _dt.date | None,
    uncertain: Sequence[tuple[int, Event]] = (),
    anomalies: Sequence[Anomaly] = (),
    known_on: _dt.date | None = None,
    waived: Sequence[Waived] = (),
) -> dict[str, Any]:
    """The ``replay --json`` document (its schema is in docs/cli.md)."""
    names = {aid: a.name for aid, a in state.actors.items()}
    doc = {
        "format": SNAPSHOT_FORMAT,
        "format_version": SNAPSHOT_FORMAT_VERSION,
        "scenario": {"id": scenario.id, "title": scenario.title},
        "as_of": as_of.isoformat() if as_of else None,
        "known_on": known_on.isoformat() if known_on else None,
        "events": {"total": len(scenario.events), "applied": state.version},
        "uncertain": [{**_event_ref(i, e), "summary": describe(e, names)} for i, e in uncertain],
        "anomalies": [
            {**_event_ref(a.index, a.event),
             "problems": [{"rule": p.rule, "message": p.message, "field": p.field,
                           "subject": p.subject} for p in a.problems]}
            for a in anomalies
        ],
        "waivers": [
            {"rule": w.rule, "reason": w.reason, "event": w.event,
             "suppressed": [{**_event_ref(u.index, u.event), "message": u.problem.message}
                            for u in waived if u.waiver == w]}
            for w in scenario.waivers
        ],
    }
    doc.update(snapshot_dict(state))
    return doc


def _event_ref(index: int, event: Event) -> dict[str, Any]:
    start, end = event.window
    ref = {
        "index": index,
        "type": event.event_tag,
        "date": _event_date(event),
        "precision": event.precision.value,
        "window": {"start": start.isoformat(), "end": end.isoformat()},
    }
    if event.until is not None:
        ref["until"] = event.until.isoformat()
    return ref


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    rows = [[safe_line(c) for c in r] for r in rows]  # escaped before measured: columns align
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=True)]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def _whereabouts(a: ActorState) -> str:
    if a.kind not in _MOBILE and a.whereabouts is Whereabouts.AT_LARGE and not a.location:
        return "-"
    text = a.whereabouts.value.replace("_", " ")
    if a.whereabouts.value == "in_embassy":
        text = "in an embassy"
    return f"{text} ({a.location})" if a.location else text


#: Kinds of actor whose whereabouts mean something (people and groups of people).
_MOBILE = frozenset({ActorKind.PERSON, ActorKind.GROUP})


def _stance_text(s: Stance, name: Callable[[str | None], str]) -> str:
    since = f" (since {format_date(s.since, s.precision)})" if s.since else ""
    if s.kind is StanceKind.RECOGNISES:
        return f"recognises {name(s.winner)} as the winner{since}"
    if s.kind is StanceKind.WITHHOLDS:
        cond = f" until {s.condition}" if s.condition else ""
        return f"withholds recognition{cond}{since}"
    if s.kind is StanceKind.WITHDRAWN:
        whom = f" of {name(s.winner)}" if s.winner else ""
        return f"withdrew its recognition{whom}{since}"
    return f"rejects the declared result{since}"


def _actor_details(a: ActorState, name: Callable[[str | None], str]) -> list[str]:
    lines = []
    if a.offices:
        lines.append(f"offices: {', '.join(a.offices)}")
    if a.death is not None:
        d = a.death
        lines.append(f"died {format_date(d.on, d.precision)}: {d.cause.value.replace('_', ' ')}"
                     + (f", by {', '.join(name(b) for b in d.by)}" if d.by else "")
                     + (f", at {d.place}" if d.place else ""))
    if a.custody is not None:
        c = a.custody
        lines.append("in custody" + (f" of {name(c.custodian)}" if c.custodian else "")
                     + (f" at {c.place}" if c.place else "")
                     + (f", counted among {name(c.group)}" if c.group else "")
                     + (f" (since {format_date(c.on, c.precision)})" if c.on else ""))
    if len(a.custody_history) > 1 or (a.custody_history and a.custody is None):
        lines.append("custody history: " + "; ".join(
            f"{format_date(c.on, c.precision) if c.on else '?'} {c.status.value}"
            + (f" ({name(c.custodian)})" if c.custodian else "")
            for c in a.custody_history))
    if a.movements:
        lines.append("movements: " + "; ".join(
            f"{format_date(m.on, m.precision) if m.on else '?'} "
            f"{m.kind.value.replace('_', ' ')} {m.origin or '?'} -> {m.destination or '?'}"
            for m in a.movements))
    for entry in a.asylum_history[:-1] if a.asylum is not None else a.asylum_history:
        lines.append(
            f"asylum (earlier): {entry.status.value} from {name(entry.host)} "
            f"({format_date(entry.since, entry.precision)})"
            + (f": {entry.reason}" if entry.reason else ""))
    if a.asylum is not None:
        lines.append(
            f"asylum: {a.asylum.status.value} from {name(a.asylum.host)} "
            f"(since {format_date(a.asylum.since, a.asylum.precision)})"
            + (f": {a.asylum.reason}" if a.asylum.reason else "")
        )
    j = a.jeopardy
    legal = []
    if j.threatened:
        legal.append("threatened with arrest")
    if j.wanted:
        legal.append("wanted (arrest warrant)")
    if j.charged:
        legal.append(f"charged with {', '.join(j.charged)}")
    if j.disqualified_from:
        legal.append(f"disqualified from {', '.join(j.disqualified_from)}")
    if legal:
        lines.append("legal jeopardy: " + "; ".join(legal))
    for election, stance in a.stances.items():
        lines.append(f"on {election}: {_stance_text(stance, name)}")
    return lines


def _render_actors(state: CrisisState, name: Callable[[str | None], str]) -> list[str]:
    out = [f"ACTORS ({len(state.actors)})"]
    if not state.actors:
        return [*out, "  (none)"]
    rows = [["ID", "NAME", "KIND", "COUNTRY", "WHEREABOUTS"]] + [
        [a.id, a.name, a.kind.value.replace("_", " "), a.country or "-", _whereabouts(a)]
        for a in state.actors.values()
    ]
    lines = _table(rows)
    pad = " " * (2 + max(len(r[0]) for r in rows) + 2)
    out.append(lines[0])
    for line, actor in zip(lines[1:], state.actors.values(), strict=True):
        out.append(line)
        out.extend(pad + d for d in _actor_details(actor, name))
    return out


def _result_text(shares: Any, seats: Any, name: Callable[[str | None], str]) -> str:
    parts = [f"{name(k)} {v:g}%" for k, v in shares.items()]
    parts += [f"{name(k)} {v} seat{'' if v == 1 else 's'}" for k, v in seats.items()]
    return f" ({', '.join(parts)})" if parts else ""


def _history_of(history: Sequence[Any], current: Any) -> tuple[tuple[Any, bool], ...]:
    """Each entry of ``history`` (or, for a state built by hand without one, of the current
    view), with whether a later entry by the same actor superseded it."""
    entries = history or tuple(replace(x, by=by) for by, x in current.items())
    latest = {x.by: i for i, x in enumerate(entries)}
    return tuple((x, latest[x.by] != i) for i, x in enumerate(entries))


def _render_election(
    e: ElectionState, state: CrisisState, name: Callable[[str | None], str]
) -> list[str]:
    where = ", ".join(x for x in (e.country, e.office) if x)
    out = [f"ELECTION {e.id}" + (f" ({where})" if where else "")]
    rows: list[list[str]] = []
    if e.called_on is not None:
        called = f"on {_when(e.called_on, e.called_precision)}"
        rows.append(["called", called])
    if e.runoff_of:
        rows.append(["runoff of", e.runoff_of])
    if e.rerun_of:
        rows.append(["re-run of", e.rerun_of])
    for r in e.reschedulings:
        moved = f"to {r.to.isoformat()}" if r.to else "postponed, no new date"
        since = f"from {r.previous.isoformat()} " if r.previous else ""
        by = f"{name(r.by)}: " if r.by else ""
        reason = f" ({r.reason})" if r.reason else ""
        rows.append(["rescheduled", f"{by}{since}{moved}{reason}, on {_when(r.on, r.precision)}"])
    if e.scheduled_for is not None and not e.held:
        rows.append(["scheduled for", e.scheduled_for.isoformat()])
    rows.append(["held", _when(e.held_on, e.held_precision) if e.held else "not yet"])
    if e.candidates:
        rows.append(["candidates", ", ".join(name(c) for c in e.candidates)])
    if e.disqualified:
        rows.append(["disqualified", ", ".join(name(c) for c in e.disqualified)])
    for w in e.withdrawals:
        endorses = f", endorsing {name(w.endorses)}" if w.endorses else ""
        reason = f": {w.reason}" if w.reason else ""
        rows.append(["withdrew", f"{name(w.candidate)}{endorses}{reason}, "
                                 f"on {_when(w.on, w.precision)}"])
    for n in e.count_history:
        counted = f", {n.counted:g}% counted" if n.counted is not None else ""
        rows.append(["count", f"{name(n.by)}: {n.kind.value.replace('_', ' ')}{counted}"
                              f"{_result_text(n.shares, n.seats, name)}, "
                              f"on {_when(n.on, n.precision)}"])
    for d, old in _history_of(e.declaration_history, e.declarations):
        later = " (superseded by a later declaration)" if old else ""
        rows.append(["declared", f"{name(d.by)}: {name(d.winner)} won"
                                 f"{_result_text(d.shares, d.seats, name)}, "
                                 f"on {_when(d.on, d.precision)}{later}"])
    for c, old in _history_of(e.claim_history, e.claims):
        claim = f"claims {name(c.claimed_winner)} won" if c.claimed_winner else "disputes"
        grounds = f": {c.grounds}" if c.grounds else ""
        later = " (superseded)" if old else ""
        rows.append(["disputed", f"{name(c.by)}: {claim}{_result_text(c.shares, {}, name)}"
                                 f"{grounds}, on {_when(c.on, c.precision)}{later}"])
    for f in e.allegations:
        against = f" by {name(f.against)}" if f.against else ""
        grounds = f": {f.grounds}" if f.grounds else ""
        rows.append(["fraud alleged", f"{name(f.by)}: fraud{against}{grounds}, "
                                      f"on {_when(f.on, f.precision)}"])
    for k in e.concession_history:
        what = "retracts the concession" if k.retracted else (
            f"concedes to {name(k.to)}" if k.to else "concedes")
        rows.append(["conceded", f"{name(k.by)} {what}, on {_when(k.on, k.precision)}"])
    for a in e.annulments:
        scope = f"in {', '.join(a.districts)}" if a.districts else "as a whole"
        grounds = f": {a.grounds}" if a.grounds else ""
        rows.append(["annulled", f"by {name(a.by)} {scope}{grounds}, "
                                 f"on {_when(a.on, a.precision)}"])
    for a, old in _history_of(e.assessment_history, e.assessments):
        favours = f", favours {name(a.favours)}" if a.favours else ""
        later = " (superseded)" if old else ""
        rows.append(["observed", f"{name(a.by)}: {a.verdict.value.replace('_', ' ')}{favours}"
                                 f"{later}"])
    for audit_id, audit in e.audits.items():
        upheld = f", upholds {name(audit.upholds)}" if audit.upholds else ""
        finding = f": {audit.finding}" if audit.finding else ""
        rows.append(["audit", f"{audit_id} by {name(audit.by)}: {audit.status.value}"
                     f"{finding}{upheld}"])
    rows.append(["data", e.data.value])
    if e.transparency_demands:
        rows.append(["transparency", "; ".join(
            f"{name(by)} demands it of {name(of)}" for by, of in e.transparency_demands
        )])
    for by, stance in state.recognitions(e.id).items():
        rows.append(["stance", f"{name(by)} {_stance_text(stance, name)}"])
    return out + _table(rows)


def _render_offers(state: CrisisState, name: Callable[[str | None], str]) -> list[str]:
    out = [f"OFFERS ({len(state.offers)})"]
    if not state.offers:
        return [*out, "  (none)"]
    for o in state.offers.values():
        out.append(f"  {o.id}: {_offer_text(o, name)}")
        rows = []
        if o.beneficiaries:
            rows.append(["beneficiaries", ", ".join(name(b) for b in o.beneficiaries)])
        if o.conditions:
            rows.append(["conditions", "; ".join(o.conditions)])
        out.extend(_table(rows, indent="    ") if rows else [])
    return out


def _offer_text(o: Offer, name: Callable[[str | None], str]) -> str:
    made = "formally made" if o.formal else "reported, not formally made"
    text = (f"by {name(o.by)} to {', '.join(name(t) for t in o.to)}; {made}, "
            f"proposed {_when(o.proposed_on, o.proposed_precision)}; ")
    if o.pending:
        return text + "PENDING"
    on = _when(o.resolved_on, o.resolved_precision)
    return text + f"{o.status.value.upper()} by {name(o.resolved_by)} on {on}"


def _render_ledgers(state: CrisisState, name: Callable[[str | None], str]) -> list[str]:
    out = [f"DETENTIONS ({len(state.ledgers)} group{'s' if len(state.ledgers) != 1 else ''})"]
    if not state.ledgers:
        return [*out, "  (none)"]
    rows = [["GROUP", "DETAINED", "RELEASED", "CONDITIONALLY RELEASED", "STILL HELD"]]
    for gid, g in state.ledgers.items():
        rows.append([gid, _tally(g.detained), _tally(g.released),
                     _tally(g.conditionally_released),
                     str(g.held_range)])
    lines = _table(rows)
    out.append(lines[0])
    pad = " " * (2 + max(len(r[0]) for r in rows) + 2)
    for line, g in zip(lines[1:], state.ledgers.values(), strict=True):
        out.append(line)
        if g.conditions:
            out.append(f"{pad}conditions of release: {'; '.join(g.conditions)}")
    return out


def _render_incidents(state: CrisisState) -> list[str]:
    i = state.incidents
    rows = [
        ["protests", str(i.protests)],
        ["crackdowns", str(i.crackdowns)],
        ["deaths", _tally(i.deaths)],
        ["injuries", _tally(i.injuries)],
        ["arrests", _tally(i.arrests)],
        ["harassment reports", str(i.harassment_reports)],
    ]
    return ["INCIDENTS", *_table(rows)]


#: How many uncertain events the text lists one by one (the rest are counted).
_UNCERTAIN_LISTED = 20


def _render_uncertain(
    uncertain: Sequence[tuple[int, Event]], as_of: _dt.date,
    name: Callable[[str | None], str] | None = None,
) -> list[str]:
    n = len(uncertain)
    out = [
        f"UNCERTAIN AS OF {as_of.isoformat()}: {n} event{'s' if n != 1 else ''} that may "
        "have happened by then but are not certain to have (the window is not over, and "
        "no later event's is); the state above leaves them out"
    ]
    names: dict[str, str] = {}
    if name is not None:
        for _, event in uncertain[:_UNCERTAIN_LISTED]:
            for actor in actors_involved(event):
                names[actor] = name(actor)
    rows = [["?", f"#{i}", _event_date(e), describe(e, names)]
            for i, e in uncertain[:_UNCERTAIN_LISTED]]
    lines = _table(rows) if rows else []
    if n > _UNCERTAIN_LISTED:
        lines.append(f"  ... and {n - _UNCERTAIN_LISTED:,} more (#{uncertain[_UNCERTAIN_LISTED][0]}"
                     f"-#{uncertain[-1][0]}; --json lists them all)")
    return out + lines


def _render_slice(view: SliceView, value: Any, name: Callable[[str | None], str]) -> list[str]:
    """A state slice's section: its title, then its lines (from its ``render`` hook)."""
    return [f"{view.title}:", *(f"  {line}" for line in view.lines(value, name))]


def render_snapshot(
    scenario: Scenario,
    state: CrisisState,
    *,
    as_of: _dt.date | None,
    uncertain: Sequence[tuple[int, Event]] = (),
    anomalies: Sequence[Anomaly] = (),
    known_on: _dt.date | None = None,
    waived: Sequence[Waived] = (),
) -> str:
    """The snapshot as aligned, readable text."""
    name = _names(state)
    reached = state.as_of.isoformat() if state.as_of else "nothing yet"
    when = f"as of {as_of.isoformat()}" if as_of else "at the end of the record"
    head = [
        scenario.title,
        f"scenario {scenario.id}" + (f" ({scenario.path})" if scenario.path else ""),
        f"{when}: {state.version} of {len(scenario.events)} events applied; "
        f"the record reaches {reached}",
    ]
    if known_on is not None:
        head.append(_known_line(scenario, known_on))
    if anomalies:
        head.append(f"{len(anomalies)} event(s) rejected by the rules and skipped (--lenient)")
    blocks = [head]
    if scenario.waivers:
        blocks.append(_render_waivers(scenario, waived))
    blocks.append(_render_actors(state, name))
    blocks += [_render_election(e, state, name) for e in state.elections.values()]
    blocks += [_render_offers(state, name), _render_ledgers(state, name),
               _render_incidents(state)]
    blocks += [_render_slice(view, value, name) for view, value in shown_slices(state)]
    if as_of is not None and uncertain:
        blocks.append(_render_uncertain(uncertain, as_of, name))
    return "\n\n".join("\n".join(safe_line(line) for line in b) for b in blocks)


def _waiver_scope(scenario: Scenario, w: Any) -> str:
    if w.event is None:
        return "every event"
    if 0 <= w.event < len(scenario.events):
        return f"event #{w.event} ({scenario.events[w.event].event_tag})"
    return f"event #{w.event}"


def _render_waivers(scenario: Scenario, waived: Sequence[Waived]) -> list[str]:
    """The waivers in force: each rule set aside, for what, why, and what it set aside."""
    lines = [f"Waivers in force ({len(scenario.waivers)})"]
    for w in scenario.waivers:
        hits = sorted({u.index for u in waived if u.waiver == w})
        if len(hits) == 1:
            effect = f"set aside a problem of event #{hits[0]}"
        elif hits:
            shown = ", ".join(f"#{i}" for i in hits[:_REPEATS_NAMED])
            more = ", ..." if len(hits) > _REPEATS_NAMED else ""
            effect = f"set aside problems of {len(hits)} events ({shown}{more})"
        else:
            effect = "sets nothing aside"
        lines.append(f"  rule {w.rule!r} for {_waiver_scope(scenario, w)}: {w.reason}")
        lines.append(f"    {effect}")
    return lines


# -- timeline ----------------------------------------------------------------------------------


def add_timeline_command(subparsers: Any) -> None:
    """Add ``timeline FILE [--from DATE] [--to DATE] [--actor ID]``."""
    p = subparsers.add_parser(
        "timeline",
        help="list the events in order, in plain words, with their sources",
        description="One line per event: its number, its date at its precision (2024-11 for "
        "a month), what happened in plain words, and the sources it cites.",
        epilog=f"examples:\n  crisis-model timeline {_SEED}\n"
        f"  crisis-model timeline {_SEED} --from 2024-08-01 --to 2024-09-30\n"
        f"  crisis-model timeline {_SEED} --actor machado\n",
        formatter_class=_formatter,
    )
    p.add_argument("file", metavar="FILE",
                   help="scenario file (.toml or .jsonl), or the id of a shipped scenario")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE",
                   help="only events that may have happened on or after DATE")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE",
                   help="only events that may have happened on or before DATE")
    p.add_argument("--actor", metavar="ID", help="only events that involve this actor id")
    p.add_argument("--known-on", type=_date, metavar="DATE",
                   help="as the record stood on DATE: only events reported by then, as "
                   "corrected by then (corrected ones are marked)")
    p.add_argument("--ids", action="store_true",
                   help="also show each event's id and the date it entered the record")
    p.set_defaults(func=run_timeline, command_parser=p)


def run_timeline(args: argparse.Namespace) -> int:
    """``crisis-model timeline``."""
    scenario = load_scenario(args.file)
    if args.start and args.end and args.start > args.end:
        raise _UsageError(f"--from {args.start} is after --to {args.end}")
    if args.actor is not None:
        known = [e.actor for e in scenario.events if isinstance(e, ActorIntroduced)]
        if args.actor not in known:
            near = nearest(args.actor, known)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise _UsageError(f"no actor {args.actor!r} in {args.file}{hint}")
    entries = timeline(scenario.events, start=args.start, end=args.end, actor=args.actor,
                       known_on=args.known_on, sources=scenario.sources)
    if args.known_on is not None:
        print(_known_line(scenario, args.known_on))
    if not entries:
        print("(no events match)")
        return EXIT_OK
    width = len(f"#{max(e.index for e in entries)}")
    for entry in entries:
        number = f"#{entry.index}".rjust(width)
        mark = "  (corrected)" if entry.corrected else ""
        ids = f"  id {entry.id}, recorded {entry.recorded}" if args.ids else ""
        print(safe_line(f"{number}  {entry}{mark}{ids}"))
    return EXIT_OK


# -- validate --------------------------------------------------------------------------------


def add_validate_command(subparsers: Any) -> None:
    """Add ``validate FILE [--lenient]``."""
    p = subparsers.add_parser(
        "validate",
        help="check a scenario file and report every problem, with file and line",
        description="Load a scenario, replay it leniently and report every problem: "
        "malformed tables and fields, unknown sources, and each event the rules reject "
        "(with its file, line, event number and rule).",
        epilog="exit codes:\n  0  no problem\n  1  events break the rules (0 with --lenient)\n"
        "  2  the file cannot be read or parsed, or has malformed fields\n\n"
        f"example:\n  crisis-model validate {_SEED}\n",
        formatter_class=_formatter,
    )
    p.add_argument("file", metavar="FILE",
                   help="scenario file (.toml or .jsonl), or the id of a shipped scenario")
    p.add_argument("--lenient", action="store_true",
                   help="report rule violations as warnings and exit 0 (messy real-world "
                   "reporting); malformed files still exit 2")
    p.add_argument("--all", dest="show_all", action="store_true",
                   help=f"list every distinct problem and every event it concerns (by default "
                   f"the first {VALIDATE_CAP} distinct problems, repeats summarised)")
    p.set_defaults(func=run_validate, command_parser=p)


#: Distinct problems ``validate`` prints unless ``--all`` is given.
VALIDATE_CAP = 50
#: Event numbers of a repeated problem named unless ``--all`` is given.
_REPEATS_NAMED = 5


class _Problems:
    """Problems grouped by what they say, in order of first appearance (linear time).

    A knock-on problem (one that follows from an earlier one: an event referring to an
    actor whose introduction was rejected) is listed under the problem that caused it.
    """

    def __init__(self) -> None:
        self.groups: dict[Any, tuple[Callable[[str], str], list[int | None]]] = {}
        #: group key -> {why: events}, the knock-on problems that group caused.
        self.knock_ons: dict[Any, dict[str, list[int]]] = {}
        self.count = 0
        self.knocked = 0

    def add(self, key: Any, index: int | None, text: Callable[[str], str]) -> None:
        """One problem: ``text(events)`` renders it given how its events are named."""
        self.count += 1
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = (text, [index])
        else:
            group[1].append(index)

    def add_knock_on(self, cause: Any, index: int, why: str) -> None:
        """A problem of event ``index`` that follows from the problem grouped as ``cause``."""
        self.count += 1
        self.knocked += 1
        self.knock_ons.setdefault(cause, {}).setdefault(why, []).append(index)

    def lines(self, show_all: bool) -> Iterable[str]:
        for n, (key, (text, indices)) in enumerate(self.groups.items()):
            if n == VALIDATE_CAP and not show_all:
                rest = len(self.groups) - n
                yield (f"... and {rest:,} more distinct problem{'s' if rest != 1 else ''} "
                       "not shown (--all lists every one)")
                return
            line = text(_events_named(indices, show_all))
            for why, knocked in self.knock_ons.get(key, {}).items():
                unique = list(dict.fromkeys(knocked))
                shown = unique if show_all else unique[:_REPEATS_NAMED]
                listed = ", ".join(f"#{i}" for i in shown)
                if len(shown) < len(unique):
                    listed += ", ..."
                count = len(knocked)
                line += (f"\n  then {count:,} knock-on problem{'s' if count != 1 else ''} "
                         f"caused by it: event{'s' if len(unique) != 1 else ''} {listed} "
                         f"{why}")
            yield line


def _events_named(indices: list[int | None], show_all: bool) -> str:
    """``event #12`` or ``event #12 and 2,998 more (#13, #14, ...)``."""
    if indices[0] is None:
        return "" if len(indices) == 1 else f" (and {len(indices) - 1:,} more times)"
    head = f"event #{indices[0]}"
    if len(indices) == 1:
        return head
    others = [i for i in indices[1:] if i is not None]
    shown = others if show_all else others[:_REPEATS_NAMED]
    listed = ", ".join(f"#{i}" for i in shown)
    if len(shown) < len(others):
        listed += ", ..."
    return f"{head} and {len(indices) - 1:,} more ({listed})"


def _error_text(err: ScenarioError) -> Callable[[str], str]:
    def text(events: str) -> str:
        parts = [err.location()] if err.location() else []
        if err.index is not None:
            parts.append(events + (f" ({err.tag})" if err.tag else ""))
        if err.field:
            parts.append(f"field {err.field!r}")
        line = ": ".join([*parts, err.message])
        if err.index is None and events:
            line += events
        if err.extended_by:
            line += f" (in the scenario that {err.extended_by} extends)"
        return line

    return text


def run_validate(args: argparse.Namespace) -> int:
    """``crisis-model validate``: each distinct problem once, repeats summarised, output capped."""
    show_all: bool = getattr(args, "show_all", False)
    try:
        scenario = load_scenario(args.file)
    except ScenarioError as exc:
        found = _Problems()
        for err in exc.errors:
            key: Any = (type(err), err.file, err.tag, err.field, err.message, err.extended_by)
            found.add(key, err.index, _error_text(err))
        for line in found.lines(show_all):
            print(safe_line(f"error: {line}"))
        n = found.count
        print(safe_line(f"{args.file}: {n:,} problem{'s' if n != 1 else ''}"
                        f"{_distinct(found)}; the file cannot be loaded"))
        return EXIT_USAGE
    state, anomalies, used = _replay(scenario.events, False, None, None, scenario.sources,
                                     scenario.waivers or None)
    level = "warning" if args.lenient else "error"
    found = _Problems()
    # (kind, id) -> (the problem's group, why later references fail): knock-on causes.
    causes: dict[tuple[str, str], tuple[Any, str]] = {}
    for a in anomalies:
        where = scenario.location(a.index)
        date = _event_date(a.event)
        first_key: Any = None
        for p in a.problems:
            kind = p.rule[len("known-"):] if p.rule.startswith("known-") else None
            cause = causes.get((kind, p.subject)) if kind and p.subject else None
            if cause is not None:
                found.add_knock_on(cause[0], a.index, cause[1])
                continue
            key = (where.file, a.tag, p.rule, p.field, p.subject, p.message)

            def text(events: str, where: Location = where, a: Anomaly = a, p: Any = p,
                     date: str = date) -> str:
                head = f"{where}: " if str(where) else ""
                return f"{head}{events} ({a.tag}, {date}): {p}"

            found.add(key, a.index, text)
            first_key = key if first_key is None else first_key
            if kind and p.subject:
                causes[(kind, p.subject)] = (key, f"also refer to the unknown {kind} "
                                                  f"{p.subject!r}")
        if first_key is not None:  # what the rejected event would have introduced
            for field_name, spec in registry.ref_fields(type(a.event)):
                value = getattr(a.event, field_name, None)
                if not spec.new or value is None:
                    continue
                for key_id in (value,) if isinstance(value, str) else value:
                    causes.setdefault((spec.kind, key_id), (
                        first_key, f"refer to {spec.kind} {key_id!r}, which event #{a.index} "
                                   "would have introduced"))
    for v in check_invariants(state):

        def final(events: str, v: Any = v) -> str:
            return f"{args.file}: final state: {v}{events}"

        found.add(("invariant", str(v)), None, final)
    for line in found.lines(show_all):
        for part in line.split("\n"):
            print(safe_line(part if part.startswith("  ") else f"{level}: {part}"))
    hit = {u.waiver for u in used}
    for i, w in enumerate(scenario.waivers):
        if w not in hit:
            where = scenario.waiver_location(i)
            head = f"{where}: " if str(where) else ""
            print(safe_line(f"warning: {head}the waiver of rule {w.rule!r} for "
                            f"{_waiver_scope(scenario, w)} ({w.reason}) sets nothing aside: "
                            "the rule no longer objects; remove the waiver"))
    count = found.count
    summary = (f"{args.file}: {len(scenario.events):,} events, {len(scenario.sources):,} "
               f"sources, {count:,} problem{'s' if count != 1 else ''}{_distinct(found)}")
    print(safe_line(summary if count else f"{summary}: ok"))
    if count and not args.lenient:
        return EXIT_RULES
    return EXIT_OK


def _distinct(found: _Problems) -> str:
    groups = len(found.groups)
    if groups == found.count:
        return ""
    knocked = f", {found.knocked:,} knock-on" if found.knocked else ""
    return f" ({groups:,} distinct{knocked})"


# -- diff ------------------------------------------------------------------------------------


def add_diff_command(subparsers: Any) -> None:
    """Add ``diff FILE --from DATE --to DATE`` and ``diff FILE_A FILE_B [--as-of DATE]``."""
    p = subparsers.add_parser(
        "diff",
        help="what changed, per actor and election: between two dates or two branches",
        description="Compare two states field by field: one scenario at two dates "
        "(FILE --from DATE --to DATE), or two scenarios, such as a seed and a what-if "
        "branch, at their ends or as of one date (FILE_A FILE_B [--as-of DATE]).",
        epilog=f"examples:\n  crisis-model diff {_SEED} --from 2024-08-11 --to 2024-12-31\n"
        f"  crisis-model diff {_SEED} {_BRANCH}\n"
        f"  crisis-model diff {_SEED} {_BRANCH} --as-of 2024-12-31 --json\n",
        formatter_class=_formatter,
    )
    p.add_argument("files", metavar="FILE", nargs="+", help="one scenario, or two to compare")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE",
                   help="with one FILE: the earlier date")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE",
                   help="with one FILE: the later date")
    p.add_argument("--as-of", type=_date, metavar="DATE",
                   help="with two FILEs, or one FILE and two --known-on: compare as of DATE "
                   "(default: at their ends)")
    p.add_argument("--known-on", type=_date, metavar="DATE", action="append", default=[],
                   help="once: compare as the record(s) stood on DATE; twice, with one FILE: "
                   "what was learnt between the two dates (the record on the first against "
                   "the record on the second)")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.set_defaults(func=run_diff, command_parser=p)


def run_diff(args: argparse.Namespace) -> int:
    """``crisis-model diff``."""
    files: list[str] = args.files
    known_on: list[_dt.date] = args.known_on
    if len(known_on) > 2:
        raise _UsageError("give --known-on at most twice")
    k = known_on[0] if len(known_on) == 1 else None
    if len(known_on) == 2:
        if len(files) != 1 or args.start is not None or args.end is not None:
            raise _UsageError("two --known-on compare one FILE with itself; "
                              "use --as-of (not --from/--to) for the date of the state")
        k1, k2 = known_on
        if k1 > k2:
            raise _UsageError(f"the first --known-on {k1} is after the second {k2}")
        scenario = load_scenario(files[0])
        if args.as_of is not None:
            before = scenario.state_at(args.as_of, known_on=k1)
            after = scenario.state_at(args.as_of, known_on=k2)
        else:
            before, after = scenario.replay(known_on=k1), scenario.replay(known_on=k2)
        when = f"as of {args.as_of}" if args.as_of else "at the end"
        title = f"what the record of {scenario.id} learnt from {k1} to {k2} ({when})"
    elif len(files) == 1:
        if args.start is None or args.end is None:
            raise _UsageError("with one FILE, give both --from DATE and --to DATE")
        if args.as_of is not None:
            raise _UsageError("--as-of compares two files; with one FILE use --from and --to")
        scenario = load_scenario(files[0])
        before = scenario.state_at(args.start, known_on=k)
        after = scenario.state_at(args.end, known_on=k)
        title = f"changes in {scenario.id} from {args.start} to {args.end}"
    elif len(files) == 2:
        if args.start is not None or args.end is not None:
            raise _UsageError("--from and --to compare dates of one FILE; "
                              "with two FILEs use --as-of")
        a, b = load_scenario(files[0]), load_scenario(files[1])
        if args.as_of is not None:
            before, after = a.state_at(args.as_of, known_on=k), b.state_at(args.as_of, known_on=k)
        else:
            before, after = a.replay(known_on=k), b.replay(known_on=k)
        when = f"as of {args.as_of}" if args.as_of else "at their ends"
        title = f"changes from {a.id} to {b.id} ({when})"
    else:
        raise _UsageError(f"diff takes one or two FILEs, got {len(files)}")
    if k is not None:
        title += f", as known on {k}"
    changes = diff(before, after)
    if args.json:
        print(json.dumps({"title": title, "changes": [_change_dict(c) for c in changes]},
                         indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(render_changes(title, changes, before, after))
    return EXIT_OK


def _change_dict(c: Change) -> dict[str, Any]:
    return {"section": c.section, "subject": c.subject, "field": c.field,
            "before": c.before, "after": c.after}


def _value(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, str):
        return v
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return ", ".join(v) if v else "(none)"
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def render_changes(
    title: str, changes: Sequence[Change], before: CrisisState, after: CrisisState
) -> str:
    """The changes as text, grouped by actor, election, offer, ledger and incidents."""
    out = [title]
    if not changes:
        return f"{title}\n  no differences"
    groups: dict[tuple[str, str | None], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.section, c.subject), []).append(c)
    for (section, subject), items in groups.items():
        actor = after.actors.get(subject or "") or before.actors.get(subject or "")
        label = section if subject is None else f"{section} {subject}"
        if actor is not None and section == "actor":
            label += f" ({actor.name})"
        out.append("")
        out.append(label)
        whole = [c for c in items if c.field == ""]
        if whole:
            out.append("  added" if whole[0].added else "  removed")
            continue
        rows = [[c.field, f"{_value(c.before)} -> {_value(c.after)}"] for c in items]
        out.extend(_table(rows))
    return "\n".join(safe_line(line) for line in out)


# -- the command --------------------------------------------------------------------------------


class _UsageError(Exception):
    """A command line that makes no sense (exit 2, like argparse's own errors)."""


def add_scenarios_command(subparsers: Any) -> None:
    """Add ``scenarios [--json]``."""
    p = subparsers.add_parser(
        "scenarios",
        help="list the real crises shipped with crisis_model (give an id as FILE to any command)",
        description="List the scenarios shipped with the package: each id, its title and its "
        "number of events. Any command that takes a scenario FILE also takes one of these "
        "ids when no file of that name exists.",
        epilog="examples:\n  crisis-model scenarios\n  crisis-model replay gambia-2016\n",
        formatter_class=_formatter,
    )
    p.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    p.set_defaults(func=run_scenarios, command_parser=p)


def run_scenarios(args: argparse.Namespace) -> int:
    """``crisis-model scenarios``."""
    rows: list[dict[str, Any]] = []
    for name in scenario_names():
        scenario = load_scenario(name)
        rows.append({"id": name, "title": scenario.title, "events": len(scenario.events)})
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif not rows:
        print("no scenarios are shipped with this installation")
    else:
        print("\n".join(_table([(str(r["id"]), str(r["title"]), f"{r['events']} events")
                                for r in rows], indent="")))
    return EXIT_OK


#: The subcommands, in the order ``--help`` lists them.
COMMANDS: tuple[AddCommand, ...] = (
    add_replay_command,
    add_timeline_command,
    add_validate_command,
    add_diff_command,
    add_report_command,
    add_export_command,
    functools.partial(add_store_command, renderers=(render_snapshot, snapshot_document)),
    add_import_command,
    add_scenarios_command,
)


def build_parser(extra: Iterable[AddCommand] = ()) -> argparse.ArgumentParser:
    """The argument parser of the ``crisis-model`` command (``extra`` adds subcommands)."""
    parser = argparse.ArgumentParser(
        prog="crisis-model",
        description="Replay political crises recorded as event-sourced histories: who stood "
        "where, when, on whose word.",
        epilog=EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"crisis-model {__version__}")
    parser.add_argument(
        "--import", dest="imports", metavar="MODULE", action="append", default=[],
        help="import MODULE (a dotted name or a .py file) first, so that the event types it "
        "registers can be read; repeatable. Installed crisis_model.events entry points are "
        "loaded too.",
    )
    parser.add_argument(
        "--limit", dest="limits", metavar="NAME=N", action="append", default=[],
        type=_limit_arg,
        help="raise (or lower) a reading limit: file-size (bytes; 512M, 2G), depth, "
        "extends, string, integer-digits; repeatable (see docs/cli.md, Limits). The "
        f"environment variable {_limits.ENV_VAR} takes the same NAME=N pairs.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (*COMMANDS, *extra):
        add(subparsers)
    return parser


def _error(message: str) -> None:
    for i, line in enumerate(message.splitlines()):
        prefix = "crisis-model: error: " if i == 0 else "  "
        print(safe_line(prefix + line), file=sys.stderr)


class _SafeStream:
    """A text stream that shows control characters written to it as visible escapes.

    The last line of defence: whatever a command prints (text from data
    included) reaches the terminal with C0 controls (but tab and newline), DEL,
    C1 and bidirectional overrides as ``\\uXXXX``, which is also valid JSON.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(safe_text(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _limit_arg(text: str) -> str:
    try:
        _limits.parse_limits([text])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code (never a traceback for a user's mistake)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stdout)
        return EXIT_OK
    try:
        limits = _limits.parse_limits(args.limits, _limits.limits_from_env())
        load_plugins(args.imports)
        with _limits.use_limits(limits):
            code: int = func(args)
        sys.stdout.flush()
    except _UsageError as exc:
        getattr(args, "command_parser", parser).print_usage(sys.stderr)
        _error(str(exc))
        return EXIT_USAGE
    except RuleViolation as exc:
        _error(f"{exc}\n(run `crisis-model validate FILE` to list every problem, "
               "or add --lenient to skip rejected events)")
        return EXIT_RULES
    except ScenarioError as exc:
        for err in exc.errors:
            _error(str(err))
        return EXIT_USAGE
    except CrisisModelError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``| head``): not an error; keep Python from complaining.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        target = f" {exc.filename!r}" if exc.filename else ""
        _error(f"cannot {getattr(exc, 'crisis_model_action', 'read')}{target}: "
               f"{exc.strerror or exc}")
        return EXIT_USAGE
    return code
