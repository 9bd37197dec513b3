"""PLOVER / POLECAT JSON records: a streaming reader and a writer.

The reader takes JSON Lines, a JSON array, or a sequence of objects as in
PLOVER's gold-standard file (objects separated by commas, with trailing
commas inside them).  It accepts the manual's field names (``actor``,
``recipient``, ``coded_date``, ``event_loc``) and the gold standard's
(``source``, ``target``, ``dateCoded``, ``eventLoc``).

The writer turns a scenario into PLOVER records: each event's PLOVER
category, mode and context from :data:`EXPORT`, its actors as entity
objects, counts, its sources in ``cite_info``; events of a what-if branch
get the auxiliary mode ``hypothetical``.  Every record also carries the
event exactly, in a ``crisis_model`` field (a PLOVER extension other tools
ignore): reading our own export back gives the same events.  An event with
no PLOVER category (an actor introduced, an election held) is written with
``"has_event": false``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import attrs

from .._count import Count
from .._dates import exact_range
from .._event import Event, Precision
from ..errors import CrisisModelError, UnknownEventTypeError
from ..events import ActorIntroduced
from ..query import describe
from ..record import derived_id
from ..serialization import DecodeError, from_dict, to_dict
from ..state import ActorKind
from ._common import (
    ImportSummary,
    InteropError,
    Options,
    bounded_lines,
    open_text,
    paths_of,
    safe_text,
)
from ._engine import Context
from ._mapping import ActorSpec, Counts, MapEntry, Record

__all__ = ["EXPORT", "EXTENSION", "MAPPING", "ExportEntry", "read_plover", "sector_kind",
           "write_plover"]

#: The field carrying the exact event in records this library writes.
EXTENSION = "crisis_model"

#: ``EVENT:mode`` (or ``EVENT``) -> our event type.  Every other category is unmapped.
MAPPING: dict[str, MapEntry] = {e.code: e for e in (
    MapEntry("PROTEST", "unrest.protest", "by = actor, size = size, location = event_loc"),
    MapEntry("ASSAULT", "unrest.crackdown",
             "by = actor, deaths = dead, injuries = injured, arrests = arrested"),
    MapEntry("COERCE:arrest", "justice.detained",
             "by = actor, group = recipient (else `detainees`), count = arrested"),
    MapEntry("THREATEN:arrest", "justice.arrest_threatened", "person = recipient, by = actor"),
    MapEntry("RETREAT:release", "justice.released", "group = recipient, by = actor"),
    MapEntry("COERCE:curfew", "emergency.declared", "by = actor, kind = curfew, scope = event_loc",
             "", "curfew"),
    MapEntry("COERCE:martial-law", "emergency.declared",
             "by = actor, kind = martial_law, scope = event_loc",
             "CAMEO 1724, a state of emergency or martial law, is coded here too",
             "martial_law"),
)}


@attrs.frozen
class ExportEntry:
    """How one of our event types is written: PLOVER category, mode, context and roles."""

    tag: str
    event: str = ""
    mode: str = ""
    context: str = ""
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()


def _x(tag: str, event: str = "", mode: str = "", context: str = "", actor: str = "",
       recipient: str = "") -> ExportEntry:
    return ExportEntry(tag, event, mode, context, tuple(actor.split()), tuple(recipient.split()))


#: Our event type -> its PLOVER category, mode and context, and which fields are the
#: actor and the recipient.  A type not listed (or with no category) is written with
#: ``has_event: false``.
EXPORT: dict[str, ExportEntry] = {e.tag: e for e in (
    _x("actor.introduced", actor="actor"),
    _x("election.called", context="election"),
    _x("election.held", context="election", actor="candidates"),
    _x("election.candidate_disqualified", "COERCE", "restrict", "election", "by", "candidate"),
    _x("election.declared", context="election", actor="authority", recipient="winner"),
    _x("election.disputed", "ACCUSE", "allege", "election", "by", "claimed_winner"),
    _x("election.observer_assessed", "SUPPORT", "", "election", "observer", "favours"),
    _x("election.audit_opened", "ACCUSE", "investigate", "election", "by"),
    _x("election.audit_concluded", context="election"),
    _x("election.data_withheld", context="election", actor="by"),
    _x("election.data_disclosed", context="election", actor="by"),
    _x("recognition.granted", "SUPPORT", "", "election", "by", "winner"),
    _x("recognition.withheld", "REQUEST", "", "election", "by"),
    _x("recognition.rejected", "REJECT", "", "election", "by"),
    _x("recognition.transparency_demanded", "REQUEST", "", "election", "by", "of"),
    # CAMEO 054 "grant diplomatic recognition" is PLOVER SUPPORT (diplomatic); 161 "reduce
    # or break diplomatic relations" SANCTION:withdraw (CAMEO2PLOVER-2021).
    _x("recognition.holder", "SUPPORT", "", "diplomatic", "by", "actor"),
    _x("recognition.representative", "SUPPORT", "", "diplomatic", "by", "actor"),
    _x("recognition.refused", "REJECT", "", "diplomatic", "by", "actor"),
    _x("recognition.withdrawn", "SANCTION", "withdraw", "diplomatic", "by", "actor"),
    # A seizure of power has no PLOVER category of its own.
    _x("office.seized", context="political_institutions", actor="by",
       recipient="ousted holder"),
    _x("justice.arrest_threatened", "THREATEN", "arrest", "repression", "by", "person"),
    _x("justice.warrant_issued", "THREATEN", "arrest", "legal", "by", "person"),
    _x("justice.charged", "ACCUSE", "allege", "legal", "by", "person"),
    _x("justice.detained", "COERCE", "arrest", "repression", "by", "group persons"),
    _x("justice.released", "RETREAT", "release", "legal", "by", "group persons"),
    _x("justice.amnesty_proposed", "CONCEDE", "", "legal", "by", "to"),
    _x("justice.amnesty_accepted", "AGREE", "", "legal", "by"),
    _x("justice.amnesty_rejected", "REJECT", "", "legal", "by"),
    _x("justice.amnesty_withdrawn", context="legal", actor="by"),
    _x("movement.went_into_hiding", actor="person"),
    _x("movement.embassy_refuge", "AID", "", "asylum", "embassy_of", "person"),
    _x("movement.left_country", actor="person"),
    _x("movement.reappeared", actor="person"),
    _x("movement.asylum_sought", "REQUEST", "", "asylum", "person", "host"),
    _x("movement.asylum_granted", "AID", "", "asylum", "host", "person"),
    _x("movement.asylum_denied", "REJECT", "", "asylum", "host", "person"),
    _x("movement.harassment_reported", "COERCE", "", "repression", "by", "target"),
    _x("movement.returned", actor="person"),
    _x("movement.asylum_ended", context="asylum", actor="host", recipient="person"),
    _x("custody.transferred", context="legal", actor="by", recipient="persons"),
    _x("custody.expelled", "COERCE", "deport", "repression", "by", "persons"),
    _x("person.died", actor="by", recipient="person"),
    _x("office.assumed", actor="person"),
    _x("office.vacated", "RETREAT", "resign", "", "person"),
    _x("unrest.protest", "PROTEST", "demo", "", "by"),
    _x("unrest.crackdown", "ASSAULT", "crowd-control", "repression", "by", "group"),
    # The election lifecycle's later types: context only (no PLOVER category fits them
    # as one; the exact event travels in the crisis_model field).
    _x("election.annulled", context="election", actor="by"),
    _x("election.conceded", "CONCEDE", "", "election", "by"),
    _x("election.concession_retracted", context="election", actor="by"),
    _x("election.count_reported", context="election", actor="authority"),
    _x("election.fraud_alleged", "ACCUSE", "allege", "election", "by"),
    _x("election.rescheduled", context="election", actor="by"),
    _x("election.withdrew", context="election", actor="candidate"),
    _x("unrest.toll_reported", actor="by"),
    # The event families (sanctions, membership, emergency powers, security forces,
    # displacement, justice outcomes): modes from the PLOVER manual where one fits.
    _x("sanctions.imposed", "SANCTION", "discontinue", "", "by", "targets"),
    _x("sanctions.lifted", "RETREAT", "", "", "by"),
    _x("membership.joined", "COOPERATE", "", "", "member", "organisation"),
    _x("membership.suspended", "SANCTION", "discontinue", "", "organisation", "member"),
    _x("membership.readmitted", "RETREAT", "", "", "organisation", "member"),
    _x("membership.withdrew", "SANCTION", "withdraw", "", "member", "organisation"),
    _x("emergency.declared", "COERCE", "restrict", "", "by"),
    _x("emergency.extended", "COERCE", "restrict", "", "by"),
    _x("emergency.lifted", "RETREAT", "", "", "by"),
    _x("security.mutinied", "ASSAULT", "", "", "unit", "against"),
    _x("security.defected", "SUPPORT", "", "", "unit", "to"),
    _x("security.refused_orders", "REJECT", "", "", "unit", "given_by"),
    _x("security.intervention_threatened", "THREATEN", "violence", "", "by", "against"),
    _x("security.intervention_ordered", "MOBILIZE", "troops", "", "by", "against"),
    _x("security.troops_deployed", "MOBILIZE", "troops", "", "by", "against"),
    _x("security.troops_withdrawn", "RETREAT", "withdraw", "", "by"),
    _x("displacement.reported", actor="by"),
    _x("mediation.started", "CONSULT", "third-party", "diplomatic", "mediators", "parties"),
    _x("mediation.round", "CONSULT", "third-party", "diplomatic", "by", "met"),
    _x("mediation.ended", context="diplomatic"),
    _x("agreement.signed", "AGREE", "", "diplomatic", "parties", "mediated_by"),
    _x("agreement.ratified", "AGREE", "", "diplomatic", "by"),
    _x("agreement.implemented", "COOPERATE", "", "diplomatic", "by"),
    _x("agreement.breached", "ACCUSE", "allege", "diplomatic", "alleged_by", "by"),
    _x("agreement.collapsed", "REJECT", "", "diplomatic", "declared_by"),
    _x("justice.convicted", "SANCTION", "convict", "legal", "by", "person"),
    _x("justice.sentenced", "SANCTION", "convict", "legal", "by", "person"),
    _x("justice.acquitted", "RETREAT", "", "legal", "by", "person"),
    _x("justice.pardoned", "RETREAT", "release", "legal", "by", "persons"),
    _x("justice.amnesty_enacted", "CONCEDE", "", "legal", "by", "beneficiaries"),
    _x("justice.charges_withdrawn", "RETREAT", "", "legal", "by", "person"),
    _x("justice.immunity_lifted", context="legal", actor="by", recipient="person"),
    _x("justice.ruling", context="legal", actor="by", recipient="concerning"),
    _x("justice.banned", "COERCE", "restrict", "legal", "by", "organisation"),
    _x("justice.ban_lifted", "RETREAT", "", "legal", "by", "organisation"),
    _x("record.reported", actor="actors", recipient="targets"),
    # Travel bans are administrative sanctions (CAMEO 172, COERCE:restrict); easing them
    # is CAMEO 081, CONCEDE (CAMEO2PLOVER-2021).
    _x("justice.travel_banned", "COERCE", "restrict", "legal", "by", "persons"),
    _x("justice.travel_ban_lifted", "CONCEDE", "", "legal", "by", "persons"),
    # Diplomacy: CAMEO 166 "expel or withdraw" is SANCTION:expel; 161 "reduce or break
    # diplomatic relations" SANCTION:withdraw (a recall reduces them); 050 "engage in
    # diplomatic cooperation" SUPPORT.  A departure has no category of its own.
    _x("diplomacy.envoy_expelled", "SANCTION", "expel", "diplomatic", "by", "envoy"),
    _x("diplomacy.envoy_recalled", "SANCTION", "withdraw", "diplomatic", "by", "envoy"),
    _x("diplomacy.envoy_departed", context="diplomatic", actor="envoy"),
    _x("diplomacy.relations_severed", "SANCTION", "withdraw", "diplomatic", "by"),
    _x("diplomacy.relations_restored", "SUPPORT", "", "diplomatic", "by"),
    # The economy: an aid deal is CAMEO 0331 (AGREE, economic); a default or a shortage
    # has no PLOVER category (context only).
    _x("economy.default", context="economic", actor="debtor"),
    _x("economy.aid_agreed", "AGREE", "", "economic", "lender", "borrower"),
    _x("economy.shortage", context="economic", actor="by"),
    # An evacuation is protection given (CAMEO 07, AID, humanitarian).
    _x("displacement.evacuated", "AID", "", "humanitarian", "by"),
    # Attacks (CAMEO 18, ASSAULT; deaths and injuries go to PLOVER's dead / injured).
    _x("violence.attack", "ASSAULT", "", "", "by"),
    _x("person.attacked", "ASSAULT", "", "", "by", "victim"),
    # Events about events: PLOVER has no category for them; the exact event travels in
    # the crisis_model field, so our own re-import applies them again.
    _x("record.corrected"),
    _x("record.retracted"),
)}

_SECTORS = {ActorKind.GOVERNMENT: "GOV", ActorKind.FOREIGN_GOVERNMENT: "GOV",
            ActorKind.SECURITY_FORCES: "MIL", ActorKind.COURT: "JUD",
            ActorKind.ELECTORAL_AUTHORITY: "GOV", ActorKind.PARTY: "OPP",
            ActorKind.COALITION: "OPP", ActorKind.OBSERVER: "NGO", ActorKind.NGO: "NGO",
            ActorKind.INTERNATIONAL_ORG: "IGO", ActorKind.PERSON: "", ActorKind.GROUP: "CVL"}
_KINDS = {"GOV": ActorKind.GOVERNMENT, "MIL": ActorKind.SECURITY_FORCES,
          "COP": ActorKind.SECURITY_FORCES, "JUD": ActorKind.COURT, "IGO":
          ActorKind.INTERNATIONAL_ORG, "NGO": ActorKind.NGO}


#: Sector names (as some POLECAT releases write them) -> PLOVER/CAMEO sector codes.
_SECTOR_WORDS = {"government": "GOV", "military": "MIL", "police": "COP", "judiciary": "JUD",
                 "legislature": "LEG", "igo": "IGO", "ngo": "NGO",
                 "intergovernmental organization": "IGO",
                 "non-governmental organization": "NGO"}


def sector_kind(sector: str) -> ActorKind:
    """The actor kind a PLOVER sector (``GOV``, ``MIL``... or its name) stands for."""
    code = sector.strip()
    code = _SECTOR_WORDS.get(code.lower(), code.upper())
    if code == "LEG":
        return getattr(ActorKind, "LEGISLATURE", ActorKind.GOVERNMENT)
    return _KINDS.get(code, ActorKind.GROUP)


_COUNTS = (("deaths", "dead"), ("injuries", "injured"), ("arrests", "arrested"),
           ("size", "size"))
_COUNTS_DETAINED = (*_COUNTS, ("count", "arrested"))

# -- writing -------------------------------------------------------------------------------------


def _ids(event: Event, fields: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for name in fields:
        value = getattr(event, name, None)
        if value is None:
            continue
        out.extend((value,) if isinstance(value, str) else value)
    return list(dict.fromkeys(out))


def plover_records(
    events: Iterable[Event], *, scenario_id: str = "crisis",
    sources: Mapping[str, Any] | None = None, hypothetical_from: int | None = None,
) -> Iterator[dict[str, Any]]:
    """One PLOVER record (a dict) per event; events from index ``hypothetical_from`` on
    (a what-if branch's own events) get the mode ``hypothetical``.

    A record's ``id`` is its event's id (its own ``id``, or the one
    :func:`crisis_model.event_ids` derives from its content), so records keep
    their ids from one export to the next and corrections can name them.
    ``scenario_id`` names the scenario in ``cite_info``.
    """
    names: dict[str, str] = {}
    entities: dict[str, dict[str, Any]] = {}
    occurrences: dict[str, int] = {}
    tables = {sid: (s.to_dict() if hasattr(s, "to_dict") else dict(s))
              for sid, s in (sources or {}).items()}
    for index, event in enumerate(events):
        if isinstance(event, ActorIntroduced):
            names[event.actor] = event.name
            entity: dict[str, Any] = {"entity_text": event.name, "identifier_id": event.actor}
            if event.country:
                entity["code"] = event.country
            if _SECTORS.get(event.kind):
                entity["sector"] = _SECTORS[event.kind]
            entities[event.actor] = entity
        spec = EXPORT.get(event.event_tag, ExportEntry(event.event_tag))
        start, end = event.window
        eid = event.id
        if eid is None:  # the id the log gives it (crisis_model.event_ids), streamed
            base = derived_id(event)
            n = occurrences[base] = occurrences.get(base, 0) + 1
            eid = base if n == 1 else f"{base}~{n}"
        record: dict[str, Any] = {"id": eid, "date": start.isoformat()}
        if end != start:
            record["enddate"] = end.isoformat()
        actors = [entities.get(a, {"entity_text": a, "identifier_id": a})
                  for a in _ids(event, spec.actor)]
        recipients = [entities.get(a, {"entity_text": a, "identifier_id": a})
                      for a in _ids(event, spec.recipient)]
        record["actor"] = actors
        if recipients:
            record["recipient"] = recipients
        hypothetical = hypothetical_from is not None and index >= hypothetical_from
        if spec.event:
            record["event"] = [spec.event]
            if spec.mode:
                record["mode"] = spec.mode
        else:
            record["event"] = []
            record["has_event"] = False
        if hypothetical:
            record["mode"] = "hypothetical" + (f";{record['mode']}" if "mode" in record else "")
        if spec.context:
            record["context"] = spec.context
        counts = _COUNTS_DETAINED if event.event_tag == "justice.detained" else _COUNTS
        for ours, theirs in counts:
            value = getattr(event, ours, None)
            if isinstance(value, Count):  # PLOVER takes one number: an exact count only
                value = value.value
            if isinstance(value, int) and not isinstance(value, bool):
                record[theirs] = value
        record["text"] = describe(event, names)
        cited = {sid: tables[sid] for sid in event.sources if sid in tables}
        record["cite_info"] = {"sources": cited, "scenario": scenario_id} if cited else {
            "scenario": scenario_id}
        if event.note:
            record["comment"] = event.note
        record["coder"] = "crisis_model"
        record[EXTENSION] = to_dict(event)
        yield record


def write_plover(
    out: IO[str], events: Iterable[Event], *, scenario_id: str = "crisis",
    sources: Mapping[str, Any] | None = None, hypothetical_from: int | None = None,
) -> int:
    """Write the events as PLOVER JSON Lines to ``out``; return how many records."""
    n = 0
    for record in plover_records(events, scenario_id=scenario_id, sources=sources,
                                 hypothetical_from=hypothetical_from):
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


# -- reading -------------------------------------------------------------------------------------

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


#: The longest PLOVER record (one object, in characters) the reader accepts.
MAX_RECORD_CHARS = 1 << 24


def _objects(f: IO[str], path: str) -> Iterator[tuple[int, Any]]:
    """``(line, object)`` for each top-level JSON object in ``f`` (JSON Lines, an array, or
    comma-separated objects with trailing commas)."""
    buf: list[str] = []
    size = 0
    depth = 0
    in_string = escape = False
    start = 0
    for number, line in enumerate(bounded_lines(f, path, MAX_RECORD_CHARS), start=1):
        if depth == 0:
            stripped = line.strip().rstrip(",").strip()
            if not stripped or stripped in ("[", "]"):
                continue
            if stripped.startswith("[") and stripped.endswith("]"):
                # a one-line JSON array
                try:
                    items = json.loads(stripped)
                except json.JSONDecodeError as exc:
                    raise InteropError(f"not JSON: {exc.msg}", file=path, line=number) from None
                for item in items:
                    yield number, item
                continue
            if stripped.startswith("[{"):
                stripped = stripped[1:]
                line = line.replace("[", "", 1)
            if stripped.startswith("{") and stripped.endswith("}"):
                try:
                    yield number, json.loads(stripped)
                    continue
                except json.JSONDecodeError:
                    pass  # perhaps an object spanning lines, or trailing commas
            if not stripped.startswith("{"):
                raise InteropError(
                    f"not PLOVER JSON: expected an object ({{...}}), found "
                    f"{safe_text(stripped, 40)}", file=path, line=number)
            start = number
        for ch in line:
            if in_string:
                if escape:
                    escape = False
                elif ch == "\\":
                    escape = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
        buf.append(line)
        size += len(line)
        if size > MAX_RECORD_CHARS:
            raise InteropError(f"a record longer than {MAX_RECORD_CHARS} characters",
                               file=path, line=start)
        if depth == 0 and buf:
            text = "".join(buf).strip().rstrip(",").rstrip("]").strip()
            buf = []
            size = 0
            try:
                obj = json.loads(text)
            except json.JSONDecodeError:
                try:
                    obj = json.loads(_TRAILING_COMMA.sub(r"\1", text))
                except json.JSONDecodeError as exc:
                    raise InteropError(f"not JSON: {exc.msg}", file=path,
                                       line=start + exc.lineno - 1) from None
            yield start, obj
    if depth != 0:
        raise InteropError("the file ends inside an object", file=path, line=start)


def _first(record: Mapping[str, Any], *names: str) -> Any:
    for n in names:
        if n in record:
            return record[n]
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _entities(value: Any) -> list[ActorSpec]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if isinstance(item, str) and item:
            out.append(ActorSpec(item))
            continue
        if not isinstance(item, dict):
            continue
        name = _first(item, "identifier_id", "entity_text", "actorText", "name", "code")
        if not isinstance(name, str) or not name:
            continue
        code = item.get("code")
        sector = item.get("sector") or ""
        kind = _KINDS.get(sector if isinstance(sector, str) else "") or (
            _KINDS.get(code) if isinstance(code, str) else None) or ActorKind.GROUP
        out.append(ActorSpec(name, kind, code if isinstance(code, str) else None))
    return out


def _count(record: Mapping[str, Any], name: str) -> int | None:
    value = record.get(name)
    if value is None:
        size = record.get("size")
        value = size.get(name) if isinstance(size, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        if value not in (None, ""):
            raise ValueError(f"{name} is {value!r}, not a count")
        return None
    return value


def _date(value: Any) -> _dt.date:
    if not isinstance(value, str):
        raise ValueError("no date")
    return _dt.date.fromisoformat(value.strip()[:10])


def read_plover(
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
    options: Options | None = None, summary: ImportSummary | None = None,
    source: str | None = "plover",
) -> Iterator[Event]:
    """Events from PLOVER JSON files, streamed in file order.

    A record written by :func:`write_plover` gives back its exact event (from
    the ``crisis_model`` field; its sources are collected in the summary's
    ``sources``); others are mapped by :data:`MAPPING`.
    """
    ctx = Context("plover", options or Options(), summary, source)
    for path in paths_of(files):
        yield from _read(path, ctx)


def _read(path: str, ctx: Context) -> Iterator[Event]:
    opts, s = ctx.options, ctx.summary
    name = os.path.basename(path)
    with open_text(path, opts.max_bytes) as f:
        for line, obj in _objects(f, path):
            s.records += 1
            where = f"{name}:{line}"
            if not isinstance(obj, dict):
                s.reject("not a JSON object", where)
                continue
            exact = obj.get(EXTENSION)
            if isinstance(exact, dict):
                try:
                    event = from_dict(exact)
                except (UnknownEventTypeError, DecodeError, CrisisModelError) as exc:
                    s.reject(f"its {EXTENSION} field does not decode: {safe_text(exc, 120)}",
                             where)
                    continue
                if not opts.admits(event.occurred_on, None):
                    s.filtered += 1
                    continue
                cite = obj.get("cite_info")
                if isinstance(cite, dict) and isinstance(cite.get("sources"), dict):
                    for sid, table in cite["sources"].items():
                        if isinstance(table, dict):
                            s.sources.setdefault(sid, table)
                if isinstance(event, ActorIntroduced):
                    ctx.actors.known.add(event.actor)
                    s.actors += 1
                s.mapped += 1
                s.restored += 1
                yield event
                continue
            rid = str(obj.get("id", ""))
            ctx.present(rid)
            try:
                day = _date(obj.get("date"))
            except ValueError:
                s.reject("date is missing or not YYYY-MM-DD", where)
                continue
            if not opts.admits(day, None):
                s.filtered += 1
                continue
            events = _strings(obj.get("event"))
            modes = _strings(obj.get("mode"))
            hypothetical = "hypothetical" in modes
            modes = [m for m in modes if m != "hypothetical"]
            category = events[0] if events else ""
            if obj.get("has_event") is False or not category:
                s.unmapped_record("(no event)", where)
                if not opts.keep_unmapped:
                    continue
                category = "(no event)"
            code = f"{category}:{modes[0]}" if modes else category
            if hypothetical:
                s.notes["hypothetical-mode records (imported as reported facts)"] += 1
            try:
                counts = Counts(dead=_count(obj, "dead"), injured=_count(obj, "injured"),
                                arrested=_count(obj, "arrested"), size=_count(obj, "size"))
            except ValueError as exc:
                s.reject(str(exc), where)
                continue
            actors = _entities(_first(obj, "actor", "source"))
            targets = _entities(_first(obj, "recipient", "target"))
            end = None
            try:
                if obj.get("enddate"):
                    end = _date(obj["enddate"])
            except ValueError:
                s.reject("enddate is not YYYY-MM-DD", where)
                continue
            precision, until = Precision.DAY, None
            if end is not None and end > day:
                day, precision, until = exact_range(day, end)
                s.notes["enddate ranges held exactly (until: the enddate)" if until is not None
                        else "enddate ranges held as a calendar month or year"] += 1
            elif end is not None and end != day:
                s.notes["enddate before date: held as the date (enddate noted)"] += 1
            recorded = None
            coded = _first(obj, "coded_date", "dateCoded")
            if isinstance(coded, str):
                try:
                    recorded = _dt.date.fromisoformat(coded[:10])
                except ValueError:
                    recorded = None
            loc = _first(obj, "event_loc", "eventLoc")
            location = None
            if isinstance(loc, dict):
                place = _first(loc, "name", "placename", "location")
                location = place if isinstance(place, str) else None
            elif isinstance(loc, str) and loc:
                location = loc
            text = obj.get("text") if isinstance(obj.get("text"), str) else ""
            extra = [f"enddate {end.isoformat()}"] if end is not None and end != day else []
            extra += [f"also {a.name}" for a in actors[1:]]
            extra += [f"also towards {t.name}" for t in targets[1:]]
            record = Record(
                dataset="plover", record_id=rid, code=code, day=day, precision=precision,
                actor_spec=actors[0] if actors else None,
                target_spec=targets[0] if targets else None, counts=counts,
                location=location, text=text or "", ends_on=end,
                common=ctx.common(rid, recorded, "; ".join(extra)),
            )
            entry = MAPPING.get(code) if code in MAPPING else MAPPING.get(category)
            if hypothetical:  # a what-if is not a fact: at most a reported record
                entry = None
                record.code = f"{code} (hypothetical)"
            emitted = ctx.emit(record, entry, where)
            if until is not None:  # the record's events (and new actors) share its range
                emitted = [attrs.evolve(e, until=until) for e in emitted]
            yield from emitted
