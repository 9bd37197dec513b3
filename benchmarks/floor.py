"""The mutable floor: the same event objects applied to a dict-of-dicts, in place.

``replay_floor(log)`` is the baseline strict replay is measured against: a bare
loop, dispatch by a dict keyed on the event class, handlers that mutate plain
dicts and lists.  It checks no rules (the log is admissible) and keeps no
history, so it is as fast as plain Python gets for the same work.

``summary_of_floor`` and ``summary_of_state`` reduce the floor's dicts and a
library ``CrisisState`` to the same plain structure (whereabouts, offices,
asylum, jeopardy, stances, elections, offers, ledger counts, incident counts),
so a test can check that both computed the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import crisis_model as cm
from crisis_model import events as ev
from crisis_model.state import AuditStatus

__all__ = ["HANDLERS", "replay_floor", "summary_of_floor", "summary_of_state"]

State = dict[str, Any]


def new_state() -> State:
    """The empty floor state."""
    return {
        "version": 0, "as_of": None, "actors": {}, "elections": {}, "offers": {}, "ledgers": {},
        "incidents": {"protests": 0, "crackdowns": 0, "deaths": [0, 0], "injuries": [0, 0],
                      "arrests": [0, 0], "harassment_reports": 0},
    }


def _tally(t: list[int], count: int | cm.Count | None) -> None:
    if isinstance(count, cm.Count):  # the generator writes exact counts
        count = count.value
    if count is None:
        t[1] += 1
    else:
        t[0] += count


def _ledger(s: State, group: str) -> dict[str, Any]:
    g: dict[str, Any] | None = s["ledgers"].get(group)
    if g is None:
        g = s["ledgers"][group] = {"detained": [0, 0], "released": [0, 0],
                                   "conditionally_released": [0, 0], "conditions": []}
    return g


def _introduced(s: State, e: ev.ActorIntroduced) -> None:
    s["actors"][e.actor] = {
        "name": e.name, "kind": e.kind, "country": e.country, "affiliation": e.affiliation,
        "offices": list(dict.fromkeys(e.offices)), "whereabouts": cm.Whereabouts.AT_LARGE,
        "location": e.location, "asylum": None,
        "jeopardy": {"threatened": False, "wanted": False, "charged": [], "disqualified_from": []},
        "stances": {},
    }


# movement ----------------------------------------------------------------------------------


def _hiding(s: State, e: ev.WentIntoHiding) -> None:
    a = s["actors"][e.person]
    a["whereabouts"] = cm.Whereabouts.IN_HIDING
    a["location"] = e.location


def _embassy(s: State, e: ev.TookEmbassyRefuge) -> None:
    a = s["actors"][e.person]
    location = e.location
    if location is None and e.embassy_of is not None:
        location = f"embassy of {s['actors'][e.embassy_of]['name']}"
    a["whereabouts"] = cm.Whereabouts.IN_EMBASSY
    a["location"] = location


def _left(s: State, e: ev.LeftCountry) -> None:
    a = s["actors"][e.person]
    a["whereabouts"] = cm.Whereabouts.IN_EXILE
    a["location"] = e.to


def _reappeared(s: State, e: ev.Reappeared) -> None:
    a = s["actors"][e.person]
    a["whereabouts"] = cm.Whereabouts.AT_LARGE
    a["location"] = e.location


def _asylum(status: cm.AsylumStatus) -> Callable[[State, Any], None]:
    def apply(s: State, e: Any) -> None:
        s["actors"][e.person]["asylum"] = {"host": e.host, "status": status,
                                           "since": e.occurred_on}
    return apply


def _harassed(s: State, e: ev.HarassmentReported) -> None:
    s["incidents"]["harassment_reports"] += 1


# justice -----------------------------------------------------------------------------------


def _threatened(s: State, e: ev.ArrestThreatened) -> None:
    s["actors"][e.person]["jeopardy"]["threatened"] = True


def _wanted(s: State, e: ev.ArrestWarrantIssued) -> None:
    s["actors"][e.person]["jeopardy"]["wanted"] = True


def _charged(s: State, e: ev.ChargesFiled) -> None:
    j = s["actors"][e.person]["jeopardy"]
    for c in e.charges or ("unspecified",):
        if c not in j["charged"]:
            j["charged"].append(c)


def _detained(s: State, e: ev.PeopleDetained) -> None:
    if e.group is not None:
        count = e.count if e.count is not None else (len(e.persons) if e.persons else None)
        _tally(_ledger(s, e.group)["detained"], count)
    actors = s["actors"]
    for p in e.persons:
        actors[p]["whereabouts"] = cm.Whereabouts.DETAINED
        actors[p]["group"] = e.group  # released by name, they leave this group's count


def _released(s: State, e: ev.PrisonersReleased) -> None:
    if e.group is not None:
        count = e.count if e.count is not None else (len(e.persons) if e.persons else None)
        g = _ledger(s, e.group)
        if e.conditional:
            _tally(g["conditionally_released"], count)
            for c in e.conditions:
                if c not in g["conditions"]:
                    g["conditions"].append(c)
        else:
            _tally(g["released"], count)
    actors = s["actors"]
    counted: dict[str, int] = {}
    for p in e.persons:
        group = actors[p].pop("group", None)
        if e.group is None and group is not None:
            counted[group] = counted.get(group, 0) + 1
    for group, n in counted.items():
        g = _ledger(s, group)
        if e.conditional:
            _tally(g["conditionally_released"], n)
            for c in e.conditions:
                if c not in g["conditions"]:
                    g["conditions"].append(c)
        else:
            _tally(g["released"], n)
    for p in e.persons:
        actors[p]["whereabouts"] = cm.Whereabouts.AT_LARGE


def _proposed(s: State, e: ev.AmnestyProposed) -> None:
    old = s["offers"].get(e.offer)
    s["offers"][e.offer] = {
        "by": e.by, "to": e.to, "beneficiaries": e.beneficiaries, "conditions": e.conditions,
        "formal": e.formal, "status": cm.OfferStatus.PENDING,
        "proposed_on": old["proposed_on"] if old is not None else e.occurred_on,
        "resolved_on": None, "resolved_by": None,
    }


def _resolve(status: cm.OfferStatus) -> Callable[[State, Any], None]:
    def apply(s: State, e: Any) -> None:
        o = s["offers"][e.offer]
        o["status"] = status
        o["resolved_on"] = e.occurred_on
        o["resolved_by"] = e.by
    return apply


# recognition -------------------------------------------------------------------------------


def _stance(kind: cm.StanceKind) -> Callable[[State, Any], None]:
    def apply(s: State, e: Any) -> None:
        s["actors"][e.by]["stances"][e.election] = {
            "kind": kind, "winner": getattr(e, "winner", None),
            "condition": getattr(e, "condition", "") or None, "since": e.occurred_on,
        }
    return apply


def _demanded(s: State, e: ev.TransparencyDemanded) -> None:
    demands = s["elections"][e.election]["transparency_demands"]
    if (e.by, e.of) not in demands:
        demands.append((e.by, e.of))


# elections ---------------------------------------------------------------------------------


def _election(election_id: str) -> dict[str, Any]:
    return {"country": None, "office": None, "held_on": None, "candidates": (),
            "disqualified": [], "declarations": {}, "claims": {}, "assessments": {},
            "audits": {}, "data": cm.DataStatus.UNKNOWN, "transparency_demands": []}


def _called(s: State, e: ev.ElectionCalled) -> None:
    el = s["elections"][e.election] = _election(e.election)
    el["country"] = e.country
    el["office"] = e.office


def _held(s: State, e: ev.ElectionHeld) -> None:
    el = s["elections"].get(e.election)
    if el is None:
        el = s["elections"][e.election] = _election(e.election)
    el["country"] = e.country or el["country"]
    el["office"] = e.office or el["office"]
    el["held_on"] = e.occurred_on
    el["candidates"] = e.candidates


def _disqualified(s: State, e: ev.CandidateDisqualified) -> None:
    s["elections"][e.election]["disqualified"].append(e.candidate)
    s["actors"][e.candidate]["jeopardy"]["disqualified_from"].append(e.election)


def _declared(s: State, e: ev.ElectionDeclared) -> None:
    s["elections"][e.election]["declarations"][e.authority] = {
        "winner": e.winner, "shares": e.shares, "on": e.occurred_on}


def _disputed(s: State, e: ev.ResultDisputed) -> None:
    s["elections"][e.election]["claims"][e.by] = {
        "claimed_winner": e.claimed_winner, "shares": e.shares, "grounds": e.grounds,
        "on": e.occurred_on}


def _assessed(s: State, e: ev.ObserverAssessed) -> None:
    s["elections"][e.election]["assessments"][e.observer] = {
        "verdict": e.verdict, "favours": e.favours, "on": e.occurred_on}


def _audit_opened(s: State, e: ev.AuditOpened) -> None:
    s["elections"][e.election]["audits"][e.audit] = {
        "by": e.by, "status": AuditStatus.OPEN, "finding": None, "upholds": None}


def _audit_concluded(s: State, e: ev.AuditConcluded) -> None:
    a = s["elections"][e.election]["audits"][e.audit]
    a["status"] = AuditStatus.CONCLUDED
    a["finding"] = e.finding or None
    a["upholds"] = e.upholds


def _data(status: cm.DataStatus) -> Callable[[State, Any], None]:
    def apply(s: State, e: Any) -> None:
        s["elections"][e.election]["data"] = status
    return apply


# unrest and office -------------------------------------------------------------------------


def _protest(s: State, e: ev.ProtestHeld) -> None:
    s["incidents"]["protests"] += 1


def _crackdown(s: State, e: ev.CrackdownReported) -> None:
    i = s["incidents"]
    i["crackdowns"] += 1
    _tally(i["deaths"], e.deaths)
    _tally(i["injuries"], e.injuries)
    _tally(i["arrests"], e.arrests)
    if e.group is not None:
        _tally(_ledger(s, e.group)["detained"], e.arrests)


def _assumed(s: State, e: ev.OfficeAssumed) -> None:
    s["actors"][e.person]["offices"].append(e.office)


def _vacated(s: State, e: ev.OfficeVacated) -> None:
    a = s["actors"][e.person]
    a["offices"] = [o for o in a["offices"] if o != e.office]


def _seized(s: State, e: ev.OfficeSeized) -> None:
    for person in e.ousted:
        a = s["actors"][person]
        a["offices"] = [o for o in a["offices"] if o != e.office]
    if e.holder is not None:
        s["actors"][e.holder]["offices"].append(e.office)


def _recognition(kind: str) -> Callable[[State, Any], None]:
    """Recognitions of holders and representatives, refusals and withdrawals: a dated
    entry per statement (the library keeps them in its ``recognitions`` slice)."""
    def apply(s: State, e: Any) -> None:
        s.setdefault("recognitions", []).append(
            (kind, e.by, getattr(e, "actor", None), getattr(e, "office", None),
             getattr(e, "country", None), e.occurred_on))
    return apply


#: ``{event class: handler(state, event)}``, the floor's dispatch table.
HANDLERS: dict[type[cm.Event], Callable[[State, Any], None]] = {
    ev.ActorIntroduced: _introduced,
    ev.WentIntoHiding: _hiding,
    ev.TookEmbassyRefuge: _embassy,
    ev.LeftCountry: _left,
    ev.Reappeared: _reappeared,
    ev.AsylumSought: _asylum(cm.AsylumStatus.SOUGHT),
    ev.AsylumGranted: _asylum(cm.AsylumStatus.GRANTED),
    ev.AsylumDenied: _asylum(cm.AsylumStatus.DENIED),
    ev.HarassmentReported: _harassed,
    ev.ArrestThreatened: _threatened,
    ev.ArrestWarrantIssued: _wanted,
    ev.ChargesFiled: _charged,
    ev.PeopleDetained: _detained,
    ev.PrisonersReleased: _released,
    ev.AmnestyProposed: _proposed,
    ev.AmnestyAccepted: _resolve(cm.OfferStatus.ACCEPTED),
    ev.AmnestyRejected: _resolve(cm.OfferStatus.REJECTED),
    ev.AmnestyWithdrawn: _resolve(cm.OfferStatus.WITHDRAWN),
    ev.WinnerRecognized: _stance(cm.StanceKind.RECOGNISES),
    ev.RecognitionWithheld: _stance(cm.StanceKind.WITHHOLDS),
    ev.ResultRejected: _stance(cm.StanceKind.REJECTS),
    ev.TransparencyDemanded: _demanded,
    ev.ElectionCalled: _called,
    ev.ElectionHeld: _held,
    ev.CandidateDisqualified: _disqualified,
    ev.ElectionDeclared: _declared,
    ev.ResultDisputed: _disputed,
    ev.ObserverAssessed: _assessed,
    ev.AuditOpened: _audit_opened,
    ev.AuditConcluded: _audit_concluded,
    ev.DataWithheld: _data(cm.DataStatus.WITHHELD),
    ev.DataDisclosed: _data(cm.DataStatus.DISCLOSED),
    ev.ProtestHeld: _protest,
    ev.CrackdownReported: _crackdown,
    ev.OfficeAssumed: _assumed,
    ev.OfficeVacated: _vacated,
    ev.OfficeSeized: _seized,
    ev.HolderRecognized: _recognition("holder"),
    ev.RepresentativeRecognized: _recognition("representative"),
    ev.RecognitionRefused: _recognition("refused"),
    ev.RecognitionWithdrawn: _recognition("withdrawn"),
    ev.RecordReported: lambda s, e: None,  # kept in the log; no state
}


def replay_floor(log: Iterable[cm.Event]) -> State:
    """Apply ``log`` to a fresh dict-of-dicts in place, with no rules: the floor."""
    s = new_state()
    handlers = HANDLERS
    as_of: dt.date | None = None
    n = 0
    for e in log:
        handlers[type(e)](s, e)
        day = e.occurred_on
        if as_of is None or day > as_of:
            as_of = day
        n += 1
    s["version"] = n
    s["as_of"] = as_of
    return s


# -- the comparison --------------------------------------------------------------------------


def summary_of_floor(s: State) -> dict[str, Any]:
    """The floor state reduced to plain values (see :func:`summary_of_state`)."""
    actors = {}
    for k, a in s["actors"].items():
        asylum = a["asylum"]
        j = a["jeopardy"]
        actors[k] = (
            a["whereabouts"].value, a["location"], tuple(a["offices"]),
            None if asylum is None else (asylum["host"], asylum["status"].value),
            (j["threatened"], j["wanted"], tuple(j["charged"]), tuple(j["disqualified_from"])),
            {el: (st["kind"].value, st["winner"], st["condition"])
             for el, st in a["stances"].items()},
        )
    elections = {
        k: (el["held_on"], el["candidates"], tuple(el["disqualified"]),
            {a: d["winner"] for a, d in el["declarations"].items()},
            {b: c["claimed_winner"] for b, c in el["claims"].items()},
            {o: x["verdict"].value for o, x in el["assessments"].items()},
            {a: (x["status"].value, x["upholds"]) for a, x in el["audits"].items()},
            el["data"].value, tuple(el["transparency_demands"]))
        for k, el in s["elections"].items()
    }
    offers = {k: (o["status"].value, o["by"], o["to"], o["formal"], o["resolved_by"])
              for k, o in s["offers"].items()}
    ledgers = {}
    for k, g in s["ledgers"].items():
        tallies = (g["detained"], g["released"], g["conditionally_released"])
        held = None
        if all(t[1] == 0 for t in tallies):
            held = tallies[0][0] - tallies[1][0] - tallies[2][0]
        ledgers[k] = (tuple(tuple(t) for t in tallies), held, tuple(g["conditions"]))
    i = s["incidents"]
    incidents = (i["protests"], i["crackdowns"], tuple(i["deaths"]), tuple(i["injuries"]),
                 tuple(i["arrests"]), i["harassment_reports"])
    return {"version": s["version"], "as_of": s["as_of"], "actors": actors,
            "elections": elections, "offers": offers, "ledgers": ledgers, "incidents": incidents}


def summary_of_state(state: cm.CrisisState) -> dict[str, Any]:
    """A library state reduced to the same plain values as :func:`summary_of_floor`."""
    actors = {}
    for k, a in state.actors.items():
        j = a.jeopardy
        actors[k] = (
            a.whereabouts.value, a.location, a.offices,
            None if a.asylum is None else (a.asylum.host, a.asylum.status.value),
            (j.threatened, j.wanted, j.charged, j.disqualified_from),
            {el: (st.kind.value, st.winner, st.condition) for el, st in a.stances.items()},
        )
    elections = {
        k: (el.held_on, el.candidates, el.disqualified,
            {a: d.winner for a, d in el.declarations.items()},
            {b: c.claimed_winner for b, c in el.claims.items()},
            {o: x.verdict.value for o, x in el.assessments.items()},
            {a: (x.status.value, x.upholds) for a, x in el.audits.items()},
            el.data.value, el.transparency_demands)
        for k, el in state.elections.items()
    }
    offers = {k: (o.status.value, o.by, o.to, o.formal, o.resolved_by)
              for k, o in state.offers.items()}
    ledgers = {
        k: (tuple((t.known, t.uncounted)
                  for t in (g.detained, g.released, g.conditionally_released)),
            g.held, g.conditions)
        for k, g in state.ledgers.items()
    }
    i = state.incidents
    incidents = (i.protests, i.crackdowns, (i.deaths.known, i.deaths.uncounted),
                 (i.injuries.known, i.injuries.uncounted), (i.arrests.known, i.arrests.uncounted),
                 i.harassment_reports)
    return {"version": state.version, "as_of": state.as_of, "actors": actors,
            "elections": elections, "offers": offers, "ledgers": ledgers, "incidents": incidents}
