"""A deterministic generator of admissible crisis logs: ``generate(n, actors, seed=...)``.

The log introduces every actor first, then draws a realistic mix of election,
recognition, movement, justice, unrest and office events.  A light shadow of
the state (who is detained, who is away, which offers are pending, how many
people each group holds...) keeps every drawn event admissible without calling
``cm.check`` per event, so 10^6 events take seconds.  Dates never decrease;
the log spans about ten years whatever its length, and a share of the events
on the first of a month (or of January) are known only to the month (year).

Determinism: one ``random.Random(seed)``, and no iteration over hashed sets.
"""

from __future__ import annotations

import bisect
import collections
import copy
import datetime as dt
import random
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import crisis_model as cm
from crisis_model.countries import COUNTRIES
from crisis_model.events import (
    ActorIntroduced,
    AmnestyAccepted,
    AmnestyProposed,
    AmnestyRejected,
    AmnestyWithdrawn,
    ArrestThreatened,
    ArrestWarrantIssued,
    AsylumDenied,
    AsylumGranted,
    AsylumSought,
    AuditConcluded,
    AuditOpened,
    CandidateDisqualified,
    ChargesFiled,
    CrackdownReported,
    DataDisclosed,
    DataWithheld,
    ElectionCalled,
    ElectionDeclared,
    ElectionHeld,
    HarassmentReported,
    LeftCountry,
    ObserverAssessed,
    OfficeAssumed,
    OfficeVacated,
    PeopleDetained,
    PrisonersReleased,
    ProtestHeld,
    Reappeared,
    RecognitionWithheld,
    RecordReported,
    ResultDisputed,
    ResultRejected,
    TookEmbassyRefuge,
    TransparencyDemanded,
    WentIntoHiding,
    WinnerRecognized,
)

__all__ = ["MIN_ACTORS", "START", "generate", "mix"]

T = TypeVar("T", bound=Hashable)

#: The first day of every generated log.
START = dt.date(2010, 1, 1)
#: How many days a log spans, whatever its length.
SPAN_DAYS = 3650
#: The fewest actors a log can have (one of each role, and two persons).
MIN_ACTORS = 10

Kind = cm.ActorKind
#: Country codes for foreign governments: every assigned ISO 3166-1 code but the home one.
_FOREIGN = sorted(set(COUNTRIES) - {"VEN"})

#: (role, kind, share of the actors, id prefix); at least one of each; persons fill the rest.
ROLES: tuple[tuple[str, cm.ActorKind, float, str], ...] = (
    ("authority", Kind.ELECTORAL_AUTHORITY, 0.005, "cne"),
    ("court", Kind.COURT, 0.005, "court"),
    ("government", Kind.GOVERNMENT, 0.005, "gov"),
    ("security", Kind.SECURITY_FORCES, 0.01, "sec"),
    ("foreign", Kind.FOREIGN_GOVERNMENT, 0.05, "fgov"),
    ("observer", Kind.OBSERVER, 0.02, "obs"),
    ("party", Kind.PARTY, 0.03, "party"),
    ("group", Kind.GROUP, 0.03, "grp"),
)

_FREE, _HIDING, _EMBASSY, _EXILE, _DETAINED = range(5)

_PLACES = tuple(f"city-{i}" for i in range(40))
_CHARGES = ("terrorism", "incitement", "treason", "conspiracy", "public disorder", "")
_CONDITIONS = ("report weekly", "no travel", "no speech", "house arrest")
_DEMANDS = ("publish the tallies", "release prisoners", "new election", "")
_GROUNDS = ("tally sheets", "irregular count", "")
_FINDINGS = ("confirms the result", "irregularities found", "")
_SOURCES = tuple((f"source-{i}",) for i in range(60)) + tuple(
    (f"source-{i}", f"source-{i + 1}") for i in range(20)
)
_OFFICES = tuple(f"office-{i}" for i in range(30))


class _Pool(Generic[T]):
    """A set that also draws a random member in O(1), deterministically."""

    __slots__ = ("items", "pos")

    def __init__(self) -> None:
        self.items: list[T] = []
        self.pos: dict[T, int] = {}

    def add(self, item: T) -> None:
        if item not in self.pos:
            self.pos[item] = len(self.items)
            self.items.append(item)

    def discard(self, item: T) -> None:
        i = self.pos.pop(item, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[last] = i

    def __contains__(self, item: object) -> bool:
        return item in self.pos

    def __len__(self) -> int:
        return len(self.items)

    def choice(self, rng: random.Random) -> T:
        return self.items[int(rng.random() * len(self.items))]

    def copy(self) -> _Pool[T]:
        twin: _Pool[T] = _Pool()
        twin.items, twin.pos = list(self.items), dict(self.pos)
        return twin


class _Election:
    __slots__ = ("audit_seq", "audits", "candidates", "data", "declared", "disqualified", "held",
                 "id")

    def __init__(self, election_id: str) -> None:
        self.id = election_id
        self.held = False
        self.candidates: tuple[str, ...] = ()
        self.disqualified: set[str] = set()
        self.declared = False
        self.audits: _Pool[str] = _Pool()
        self.audit_seq = 0
        self.data = "unknown"

    def copy(self) -> _Election:
        twin = _Election(self.id)
        twin.held, twin.candidates, twin.declared = self.held, self.candidates, self.declared
        twin.disqualified, twin.audits = set(self.disqualified), self.audits.copy()
        twin.audit_seq, twin.data = self.audit_seq, self.data
        return twin


class _Offer:
    __slots__ = ("by", "formal", "to")

    def __init__(self, by: str, to: tuple[str, ...], formal: bool) -> None:
        self.by = by
        self.to = to
        self.formal = formal


class _Generator:
    """The shadow state and one method per kind of event."""

    def __init__(self, n: int, actors: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = n
        self.days = [START + dt.timedelta(days=d) for d in range(SPAN_DAYS + 1)]
        self.index = 0
        self.by_role: dict[str, list[str]] = {role: [] for role, *_ in ROLES}
        self.persons: list[str] = []
        self.names: dict[str, str] = {}
        self.country: dict[str, str] = {}
        self.where: dict[str, int] = {}
        self.away: _Pool[str] = _Pool()
        self.detained: _Pool[str] = _Pool()
        self.asylum: dict[str, tuple[str, bool]] = {}  # person -> (host, pending)
        self.pending_asylum: _Pool[str] = _Pool()
        self.offices: dict[str, set[str]] = {}
        self.holdings: _Pool[tuple[str, str]] = _Pool()
        self.held: dict[str, int] = {}  # group -> people held
        self.counted_in: dict[str, str] = {}  # person detained by name -> their group
        self.offers: dict[str, _Offer] = {}
        self.pending_offers: _Pool[str] = _Pool()
        self.informal_offers: _Pool[str] = _Pool()
        self.offer_seq = 0
        self.elections: list[_Election] = []
        self.election_seq = 0
        self.plan_actors(actors)
        weighted: list[tuple[Callable[[], cm.Event | None], float]] = [
            # movement
            (self.hiding, 6), (self.embassy, 2), (self.left, 3), (self.reappeared, 6),
            (self.asylum_sought, 2), (self.asylum_granted, 1), (self.asylum_denied, 1),
            (self.harassment, 4),
            # justice
            (self.threatened, 5), (self.warrant, 3), (self.charged, 4), (self.detained_, 8),
            (self.released, 6), (self.amnesty_proposed, 0.6), (self.amnesty_formalised, 0.1),
            (self.amnesty_accepted, 0.2), (self.amnesty_rejected, 0.2),
            (self.amnesty_withdrawn, 0.2),
            # recognition
            (self.recognised, 4), (self.withheld, 2), (self.rejected, 2), (self.transparency, 2),
            # elections
            (self.election_advance, 0.12), (self.disqualified_, 0.4), (self.declared, 1),
            (self.disputed, 1), (self.assessed, 2), (self.audit_opened, 0.7),
            (self.audit_concluded, 0.6), (self.data_withheld, 0.5), (self.data_disclosed, 0.3),
            # unrest
            (self.protest, 10), (self.crackdown, 5),
            # office
            (self.assumed, 3), (self.vacated, 3),
            # a dataset record no built-in type holds
            (self.reported, 0.5),
        ]
        self.makers = [m for m, _ in weighted]
        total = sum(w for _, w in weighted)
        acc = 0.0
        self.cumulative: list[float] = []
        for _, w in weighted:
            acc += w / total
            self.cumulative.append(acc)
        self.cumulative[-1] = 1.0

    # -- plumbing ---------------------------------------------------------------------------

    def plan_actors(self, total: int) -> None:
        self.plan: list[tuple[str, str, cm.ActorKind]] = []
        count = {role: max(1, int(total * share)) for role, _, share, _ in ROLES}
        persons = total - sum(count.values())
        for role, kind, _, prefix in ROLES:
            for i in range(count[role]):
                self.plan.append((role, f"{prefix}-{i}", kind))
        for i in range(persons):
            self.plan.append(("person", f"p-{i}", Kind.PERSON))

    def when(self) -> dict[str, Any]:
        day = self.days[self.index * SPAN_DAYS // self.n]
        precision = cm.Precision.DAY
        if day.day == 1 and self.rng.random() < 0.3:
            precision = cm.Precision.YEAR if day.month == 1 else cm.Precision.MONTH
        src = _SOURCES[int(self.rng.random() * len(_SOURCES))]
        return {"occurred_on": day, "precision": precision, "sources": src}

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rng.random() * len(seq))]

    def maybe(self, seq: Sequence[T], p: float = 0.5) -> T | None:
        return self.pick(seq) if self.rng.random() < p else None

    def person_where(self, ok: Callable[[int], bool], tries: int = 8) -> str | None:
        for _ in range(tries):
            p = self.pick(self.persons)
            if ok(self.where[p]):
                return p
        return None

    def move(self, person: str, where: int) -> None:
        self.where[person] = where
        if where in (_HIDING, _EMBASSY, _EXILE):
            self.away.add(person)
        else:
            self.away.discard(person)
        if where == _DETAINED:
            self.detained.add(person)
        else:
            self.detained.discard(person)

    def shares(self, candidates: tuple[str, ...]) -> dict[str, float]:
        if self.rng.random() < 0.3:
            return {}
        weights = [self.rng.random() + 0.05 for _ in candidates]
        scale = (90 + 9 * self.rng.random()) / sum(weights)
        return {c: int(w * scale * 10) / 10 for c, w in zip(candidates, weights, strict=True)}

    def recent(self, held: bool | None = None) -> _Election | None:
        pool = self.elections[-3:]
        if held is not None:
            pool = [e for e in pool if e.held == held]
        return self.pick(pool) if pool else None

    # -- the log ----------------------------------------------------------------------------

    def introduce(self, role: str, actor: str, kind: cm.ActorKind) -> cm.Event:
        i = len(self.names)
        country = "VEN"
        affiliation = None
        offices: tuple[str, ...] = ()
        if role == "foreign":
            country = _FOREIGN[i % len(_FOREIGN)]  # real ISO 3166-1 codes (the rules check)
        if role == "person":
            self.persons.append(actor)
            self.where[actor] = _FREE
            self.offices[actor] = set()
            parties = self.by_role["party"]
            if self.rng.random() < 0.4:
                affiliation = self.pick(parties)
            if len(self.persons) <= 3:
                offices = (_OFFICES[len(self.persons) - 1],)
                self.offices[actor].add(offices[0])
                self.holdings.add((actor, offices[0]))
        else:
            self.by_role[role].append(actor)
        name = f"{kind.value.replace('_', ' ').title()} {i}"
        self.names[actor] = name
        self.country[actor] = country
        return ActorIntroduced(
            **self.when(), actor=actor, name=name, kind=kind, country=country,
            affiliation=affiliation, offices=offices, location=self.maybe(_PLACES, 0.3),
        )

    def run(self, stop: int | None = None) -> list[cm.Event]:
        """The first ``stop`` events (default: all ``n``)."""
        stop = self.n if stop is None else stop
        log: list[cm.Event] = []
        for role, actor, kind in self.plan:
            if len(log) == stop:
                return log
            log.append(self.introduce(role, actor, kind))
            self.index += 1
        while len(log) < stop:
            log.append(self.step())
        return log

    def fork(self, seed: int) -> _Generator:
        """An independent copy of the shadow state, drawing from its own random generator
        (much faster than ``copy.deepcopy``)."""
        twin = copy.copy(self)
        twin.rng = random.Random(seed)
        twin.by_role = {k: list(v) for k, v in self.by_role.items()}
        twin.persons, twin.names = list(self.persons), dict(self.names)
        twin.country, twin.where = dict(self.country), dict(self.where)
        twin.away, twin.detained = self.away.copy(), self.detained.copy()
        twin.asylum, twin.pending_asylum = dict(self.asylum), self.pending_asylum.copy()
        twin.offices = {k: set(v) for k, v in self.offices.items()}
        twin.holdings, twin.held = self.holdings.copy(), dict(self.held)
        twin.counted_in = dict(self.counted_in)
        twin.offers = {k: _Offer(o.by, o.to, o.formal) for k, o in self.offers.items()}
        twin.pending_offers = self.pending_offers.copy()
        twin.informal_offers = self.informal_offers.copy()
        twin.elections = [e.copy() for e in self.elections]
        twin.makers = [getattr(twin, m.__name__) for m in self.makers]
        return twin

    def step(self) -> cm.Event:
        """The next event after the actors are introduced."""
        rng, makers, cumulative = self.rng, self.makers, self.cumulative
        event = None
        for _ in range(8):  # redraw when the drawn kind has nothing to apply to yet
            event = makers[bisect.bisect_left(cumulative, rng.random())]()
            if event is not None:
                break
        if event is None:
            event = self.protest()
        self.index += 1
        return event

    # movement ------------------------------------------------------------------------------

    def hiding(self) -> cm.Event | None:
        p = self.person_where(lambda w: w not in (_DETAINED, _HIDING))
        if p is None:
            return None
        self.move(p, _HIDING)
        return WentIntoHiding(**self.when(), person=p, location=self.maybe(_PLACES, 0.3))

    def embassy(self) -> cm.Event | None:
        p = self.person_where(lambda w: w != _DETAINED)
        if p is None:
            return None
        self.move(p, _EMBASSY)
        return TookEmbassyRefuge(**self.when(), person=p,
                                 embassy_of=self.pick(self.by_role["foreign"]))

    def left(self) -> cm.Event | None:
        # not from exile: moving on abroad is not leaving the country (rule 'exile-abroad')
        p = self.person_where(lambda w: w not in (_DETAINED, _EXILE))
        if p is None:
            return None
        self.move(p, _EXILE)
        host = self.pick(self.by_role["foreign"])
        return LeftCountry(**self.when(), person=p, to=self.country[host])

    def reappeared(self) -> cm.Event | None:
        if not self.away:
            return None
        p = self.away.choice(self.rng)
        self.move(p, _FREE)
        return Reappeared(**self.when(), person=p, location=self.maybe(_PLACES, 0.6))

    def asylum_sought(self) -> cm.Event | None:
        p = self.pick(self.persons)
        host = self.pick(self.by_role["foreign"])
        if self.asylum.get(p) == (host, True):
            return None
        self.asylum[p] = (host, True)
        self.pending_asylum.add(p)
        return AsylumSought(**self.when(), person=p, host=host)

    def _asylum_decided(self, cls: type[AsylumGranted] | type[AsylumDenied]) -> cm.Event | None:
        if not self.pending_asylum:
            return None
        p = self.pending_asylum.choice(self.rng)
        host = self.asylum[p][0]
        self.asylum[p] = (host, False)
        self.pending_asylum.discard(p)
        return cls(**self.when(), person=p, host=host)

    def asylum_granted(self) -> cm.Event | None:
        return self._asylum_decided(AsylumGranted)

    def asylum_denied(self) -> cm.Event | None:
        return self._asylum_decided(AsylumDenied)

    def harassment(self) -> cm.Event:
        return HarassmentReported(
            **self.when(), target=self.pick(self.persons),
            by=self.maybe(self.by_role["security"], 0.7),
            reported_by=self.maybe(self.by_role["observer"], 0.5),
        )

    # justice -------------------------------------------------------------------------------

    def threatened(self) -> cm.Event:
        return ArrestThreatened(**self.when(), person=self.pick(self.persons),
                                by=self.maybe(self.by_role["government"], 0.8))

    def warrant(self) -> cm.Event:
        return ArrestWarrantIssued(**self.when(), person=self.pick(self.persons),
                                   by=self.maybe(self.by_role["court"], 0.9))

    def charged(self) -> cm.Event:
        k = int(self.rng.random() * 3)
        charges = tuple(dict.fromkeys(c for c in (self.pick(_CHARGES) for _ in range(k)) if c))
        return ChargesFiled(**self.when(), person=self.pick(self.persons),
                            by=self.maybe(self.by_role["court"], 0.9), charges=charges)

    def detained_(self) -> cm.Event | None:
        by = self.maybe(self.by_role["security"], 0.9)
        if self.rng.random() < 0.5:
            group = self.pick(self.by_role["group"])
            count = 1 + int(self.rng.random() * 200)
            self.held[group] = self.held.get(group, 0) + count
            return PeopleDetained(**self.when(), group=group, count=count, by=by)
        persons: list[str] = []
        for _ in range(1 + int(self.rng.random() * 3)):
            p = self.person_where(lambda w: w not in (_DETAINED, _EXILE), tries=3)
            if p is not None and p not in persons:
                persons.append(p)
        if not persons:
            return None
        for p in persons:
            self.move(p, _DETAINED)
        into = self.maybe(self.by_role["group"], 0.3)
        if into is not None:
            self.held[into] = self.held.get(into, 0) + len(persons)
            for p in persons:  # released by name later, they leave this group's count
                self.counted_in[p] = into
        return PeopleDetained(**self.when(), group=into, persons=tuple(persons), by=by)

    def released(self) -> cm.Event | None:
        conditional = self.rng.random() < 0.3
        conditions: tuple[str, ...] = ()
        if conditional and self.rng.random() < 0.7:
            conditions = (self.pick(_CONDITIONS),)
        by = self.maybe(self.by_role["government"], 0.5)
        if self.rng.random() < 0.5:
            group = self.pick(self.by_role["group"])
            held = self.held.get(group, 0)
            if held <= 0:
                return None
            count = 1 + int(self.rng.random() * min(held, 50))
            self.held[group] = held - count
            return PrisonersReleased(**self.when(), group=group, count=count,
                                     conditional=conditional, conditions=conditions, by=by)
        if not self.detained:
            return None
        persons: list[str] = []
        for _ in range(1 + int(self.rng.random() * 2)):
            p = self.detained.choice(self.rng)
            if p not in persons:
                persons.append(p)
        for p in persons:
            self.move(p, _FREE)
            group = self.counted_in.pop(p, None)
            if group is not None:  # (releases without names may have counted them already:
                # the library's ledger never goes below nothing held, nor does this one)
                self.held[group] = max(0, self.held[group] - 1)
        return PrisonersReleased(**self.when(), persons=tuple(persons), conditional=conditional,
                                 conditions=conditions, by=by)

    def amnesty_proposed(self) -> cm.Event:
        self.offer_seq += 1
        offer = f"offer-{self.offer_seq}"
        by = self.pick(self.by_role["government"])
        to = tuple(dict.fromkeys(
            self.pick(self.persons) if self.rng.random() < 0.7 else self.pick(self.by_role["party"])
            for _ in range(1 + int(self.rng.random() * 2))
        ))
        beneficiaries = tuple(dict.fromkeys(
            self.pick(self.persons) for _ in range(int(self.rng.random() * 4))
        ))
        conditions = tuple(dict.fromkeys(
            self.pick(_CONDITIONS) for _ in range(int(self.rng.random() * 3))
        ))
        formal = self.rng.random() < 0.6
        self.offers[offer] = _Offer(by, to, formal)
        self.pending_offers.add(offer)
        if not formal:
            self.informal_offers.add(offer)
        return AmnestyProposed(**self.when(), offer=offer, by=by, to=to,
                               beneficiaries=beneficiaries, conditions=conditions, formal=formal)

    def amnesty_formalised(self) -> cm.Event | None:
        if not self.informal_offers:
            return None
        offer = self.informal_offers.choice(self.rng)
        self.informal_offers.discard(offer)
        o = self.offers[offer]
        o.formal = True
        return AmnestyProposed(**self.when(), offer=offer, by=o.by, to=o.to, formal=True,
                               conditions=(self.pick(_CONDITIONS),))

    def _resolve(self, cls: type[AmnestyAccepted] | type[AmnestyRejected] | type[AmnestyWithdrawn],
                 ) -> cm.Event | None:
        if not self.pending_offers:
            return None
        offer = self.pending_offers.choice(self.rng)
        self.pending_offers.discard(offer)
        self.informal_offers.discard(offer)
        o = self.offers[offer]
        by = o.by if cls is AmnestyWithdrawn else self.pick(o.to)
        return cls(**self.when(), offer=offer, by=by)

    def amnesty_accepted(self) -> cm.Event | None:
        return self._resolve(AmnestyAccepted)

    def amnesty_rejected(self) -> cm.Event | None:
        return self._resolve(AmnestyRejected)

    def amnesty_withdrawn(self) -> cm.Event | None:
        return self._resolve(AmnestyWithdrawn)

    # recognition ---------------------------------------------------------------------------

    def recognised(self) -> cm.Event | None:
        e = self.recent(held=True)
        if e is None:
            return None
        return WinnerRecognized(**self.when(), by=self.pick(self.by_role["foreign"]),
                                election=e.id, winner=self.pick(e.candidates))

    def withheld(self) -> cm.Event | None:
        e = self.recent(held=True)
        if e is None:
            return None
        by = self.pick(self.by_role["foreign"] + self.by_role["observer"])
        return RecognitionWithheld(**self.when(), by=by, election=e.id,
                                   condition=self.pick(_DEMANDS))

    def rejected(self) -> cm.Event | None:
        e = self.recent(held=True)
        if e is None:
            return None
        return ResultRejected(**self.when(), by=self.pick(self.by_role["foreign"]), election=e.id)

    def transparency(self) -> cm.Event | None:
        e = self.recent()
        if e is None:
            return None
        by = self.pick(self.by_role["foreign"] + self.by_role["observer"])
        return TransparencyDemanded(**self.when(), by=by, of=self.pick(self.by_role["authority"]),
                                    election=e.id)

    # elections -----------------------------------------------------------------------------

    def election_advance(self) -> cm.Event:
        last = self.elections[-1] if self.elections else None
        if last is None or last.held:
            self.election_seq += 1
            e = _Election(f"election-{self.election_seq}")
            self.elections.append(e)
            when = self.when()
            return ElectionCalled(**when, election=e.id, country="VEN",
                                  office=self.pick(_OFFICES[:3]),
                                  scheduled_for=when["occurred_on"] + dt.timedelta(days=60))
        pool = self.persons + self.by_role["party"]
        candidates: list[str] = []
        for _ in range(2 + int(self.rng.random() * 3)):
            c = self.pick(pool)
            if c not in last.disqualified and c not in candidates:
                candidates.append(c)
        if not candidates:
            candidates = [c for c in pool if c not in last.disqualified][:1] or [
                self.by_role["party"][0]
            ]
        last.held = True
        last.candidates = tuple(candidates)
        return ElectionHeld(**self.when(), election=last.id, country="VEN",
                            candidates=last.candidates)

    def disqualified_(self) -> cm.Event | None:
        e = self.recent()
        if e is None:
            return None
        c = self.pick(self.persons)
        if c in e.disqualified:
            return None
        e.disqualified.add(c)
        return CandidateDisqualified(**self.when(), election=e.id, candidate=c,
                                     by=self.maybe(self.by_role["court"], 0.8),
                                     grounds=self.pick(_GROUNDS))

    def declared(self) -> cm.Event | None:
        e = self.recent(held=True)
        if e is None:
            return None
        e.declared = True
        when, authority, winner = self.when(), self.pick(self.by_role["authority"]), \
            self.pick(e.candidates)
        shares = self.shares(e.candidates)
        if shares:  # the rule 'winner-leads': the declared winner leads its own shares
            winner = max(shares, key=lambda c: shares[c])
            if sum(v == shares[winner] for v in shares.values()) > 1:
                shares[winner] = round(shares[winner] + 0.1, 1)
        return ElectionDeclared(**when, election=e.id, authority=authority, winner=winner,
                                shares=shares)

    def disputed(self) -> cm.Event | None:
        e = self.recent(held=True)
        if e is None or not e.declared:
            return None
        by = self.pick(e.candidates + tuple(self.by_role["party"]))
        return ResultDisputed(**self.when(), election=e.id, by=by,
                              claimed_winner=self.pick(e.candidates),
                              shares=self.shares(e.candidates), grounds=self.pick(_GROUNDS))

    def assessed(self) -> cm.Event | None:
        e = self.recent()
        if e is None:
            return None
        favours = self.maybe(e.candidates, 0.5) if e.candidates else None
        return ObserverAssessed(**self.when(), election=e.id,
                                observer=self.pick(self.by_role["observer"]),
                                verdict=self.pick(tuple(cm.Verdict)), favours=favours)

    def audit_opened(self) -> cm.Event | None:
        e = self.recent()
        if e is None:
            return None
        e.audit_seq += 1
        audit = f"audit-{e.audit_seq}"
        e.audits.add(audit)
        by = self.pick(self.by_role["court"] + self.by_role["authority"])
        return AuditOpened(**self.when(), election=e.id, audit=audit, by=by)

    def audit_concluded(self) -> cm.Event | None:
        e = self.recent()
        if e is None or not e.audits:
            return None
        audit = e.audits.choice(self.rng)
        e.audits.discard(audit)
        upholds = self.maybe(e.candidates, 0.6) if e.candidates else None
        return AuditConcluded(**self.when(), election=e.id, audit=audit,
                              finding=self.pick(_FINDINGS), upholds=upholds)

    def data_withheld(self) -> cm.Event | None:
        e = self.recent()
        if e is None or e.data == "disclosed":
            return None
        e.data = "withheld"
        return DataWithheld(**self.when(), election=e.id,
                            by=self.pick(self.by_role["authority"]))

    def data_disclosed(self) -> cm.Event | None:
        e = self.recent()
        if e is None or self.rng.random() < 0.5:
            return None
        e.data = "disclosed"
        return DataDisclosed(**self.when(), election=e.id,
                             by=self.pick(self.by_role["authority"]))

    # unrest and office ---------------------------------------------------------------------

    def protest(self) -> cm.Event:
        size = 100 * (1 + int(self.rng.random() * 500)) if self.rng.random() < 0.7 else None
        return ProtestHeld(**self.when(), location=self.maybe(_PLACES, 0.8),
                           by=self.maybe(self.by_role["party"], 0.6), size=size,
                           demand=self.pick(_DEMANDS))

    def crackdown(self) -> cm.Event:
        def count(top: int) -> int | None:
            return int(self.rng.random() * top) if self.rng.random() < 0.7 else None

        arrests = count(300)
        group = None
        if arrests is not None and self.rng.random() < 0.4:
            group = self.pick(self.by_role["group"])
            self.held[group] = self.held.get(group, 0) + arrests
        return CrackdownReported(**self.when(), by=self.maybe(self.by_role["security"], 0.9),
                                 deaths=count(10), injuries=count(100), arrests=arrests,
                                 group=group)

    def reported(self) -> cm.Event:
        low = int(self.rng.random() * 5)
        return RecordReported(**self.when(), dataset="ucdp", code="2",
                              record_id=str(self.index), actors=(self.pick(self.persons),),
                              deaths_low=low, deaths_best=low + 1, deaths_high=low + 3)

    def assumed(self) -> cm.Event | None:
        p = self.pick(self.persons)
        office = self.pick(_OFFICES)
        if office in self.offices[p]:
            return None
        self.offices[p].add(office)
        self.holdings.add((p, office))
        return OfficeAssumed(**self.when(), person=p, office=office)

    def vacated(self) -> cm.Event | None:
        if not self.holdings:
            return None
        p, office = self.holdings.choice(self.rng)
        self.holdings.discard((p, office))
        self.offices[p].discard(office)
        return OfficeVacated(**self.when(), person=p, office=office,
                             reason=self.pick(tuple(cm.VacatedReason)))


def generate(n: int, actors: int = 1000, *, seed: int = 0) -> list[cm.Event]:
    """An admissible log of exactly ``n`` events over exactly ``actors`` actors.

    The actors are introduced first (so ``n >= actors``), then a mix of
    the other built-in event types follows.  The same ``(n, actors, seed)``
    always gives an equal log.
    """
    if actors < MIN_ACTORS:
        raise ValueError(f"a generated log needs at least {MIN_ACTORS} actors, got {actors}")
    if n < actors:
        raise ValueError(f"{n} events cannot introduce {actors} actors: use n >= actors")
    return _Generator(n, actors, seed).run()


def generate_branches(
    n: int, actors: int, fork: int, count: int, length: int, *, seed: int = 0
) -> tuple[list[cm.Event], list[list[cm.Event]]]:
    """A log of ``n`` events and ``count`` what-if branches of ``length`` events after its
    first ``fork``: ``(log, branches)``.

    Each branch continues the shadow state at ``fork`` with a random generator of
    its own, so every branch is admissible after ``log[:fork]`` and the branches
    differ; ``log[fork:]`` is the branch the log itself took.
    """
    if not actors <= fork <= n:
        raise ValueError(f"the fork ({fork}) must lie between the introductions and n ({n})")
    gen = _Generator(n, actors, seed)
    log = gen.run(fork)
    branches = []
    for k in range(count):
        twin = gen.fork(seed * 1_000_003 + k + 1)
        branches.append([twin.step() for _ in range(length)])
    log += [gen.step() for _ in range(n - fork)]
    return log, branches


#: Built-in types the generator does not draw yet (added after it was written; the floor
#: handles them). The benchmark logs hold every other built-in type.
NOT_GENERATED = ("office.seized", "recognition.holder", "recognition.representative",
                 "recognition.refused", "recognition.withdrawn")


def mix(log: Iterable[cm.Event]) -> dict[str, int]:
    """How many events of each type tag ``log`` holds, most frequent first."""
    counts = collections.Counter(type(e).event_tag for e in log)
    return dict(counts.most_common())
