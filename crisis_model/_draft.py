"""``Draft``: the working state a handler writes to, owned by the reducer.

The reducer replays a log into one draft.  A handler reads it like a state
(``draft.actors[id]``, ``draft.incidents``...) and changes it in place through
writable records it asks for (``draft.edit_actor(id).whereabouts = ...``).  The
reducer *freezes* the draft into an immutable :class:`~crisis_model.CrisisState`
only where someone can see a state: once at the end of ``replay``, after each
event for ``snapshots``, at each checkpoint of a ``History``.  Freezing costs what
changed since the last freeze: every mapping is a transient of the state's
persistent map (``immutables.Map.mutate()``: O(1) to open, C-speed reads and
writes, O(1) to finish), and every record a handler edited becomes frozen in
place.  States already frozen are never touched again.

>>> import crisis_model as cm
>>> draft = cm.Draft(cm.initial_state())
>>> draft.put_actor(cm.ActorState(id="cne", name="CNE", kind=cm.ActorKind.ELECTORAL_AUTHORITY))
>>> draft.edit_actor("cne").location = "Caracas"
>>> state = draft.freeze()
>>> state.actors["cne"].location
'Caracas'
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Protocol, TypeVar, overload

from ._frozenmap import FrozenMap, MapDraft, _from_parts, _settle_map, _with_new_keys
from ._replace import compile_replace
from .state import (
    ActorDraft,
    ActorState,
    CrisisState,
    ElectionDraft,
    ElectionState,
    Incidents,
    IncidentsDraft,
    Ledger,
    LedgerDraft,
    Offer,
    OfferDraft,
    Stance,
    _settle,
    _thaw,
)

__all__ = ["Draft", "Lookup"]

K = TypeVar("K", contravariant=True)
V_co = TypeVar("V_co", covariant=True)
D = TypeVar("D")
KK = TypeVar("KK")
VV = TypeVar("VV")

_ACTORS, _ELECTIONS, _OFFERS, _LEDGERS, _SLICES, _INCIDENTS, _NESTED = 1, 2, 4, 8, 16, 32, 64
_MAPS = (("actors", _ACTORS), ("elections", _ELECTIONS), ("offers", _OFFERS),
         ("ledgers", _LEDGERS), ("slices", _SLICES))


class Lookup(Protocol[K, V_co]):  # K is contravariant
    """What a draft's mappings offer: lookups by key (no iteration; see :meth:`Draft.freeze`)."""

    def __getitem__(self, key: K, /) -> V_co: ...
    def __contains__(self, key: object, /) -> bool: ...
    def __len__(self) -> int: ...
    @overload
    def get(self, key: K, /) -> V_co | None: ...
    @overload
    def get(self, key: K, default: Any, /) -> Any: ...


class Draft:
    """A working copy of a :class:`~crisis_model.CrisisState` that handlers change in place.

    Read it like a state: ``version``, ``as_of``, ``incidents``, and the mappings
    ``actors``, ``elections``, ``offers``, ``ledgers``, ``slices`` (lookups only:
    ``m[key]``, ``key in m``, ``m.get(key)``, ``len(m)``).  Change it with:

    - ``edit_actor(id)``, ``edit_election(id)``, ``edit_offer(id)``,
      ``edit_ledger(group)`` (created empty if absent), ``edit_incidents()``: the
      record, writable; assign its fields (``rec.location = "Caracas"``);
    - ``put_actor(record)``, ``put_election(record)``, ``put_offer(record)``: store a
      whole (frozen) record under its id, added or replaced;
    - ``set_slice(name, value)``: replace a user state slice;
    - ``edit_map(m)``: the ``FrozenMap`` ``m`` as a :class:`~crisis_model.MapDraft`,
      changed in place (``t[key] = value``) until the draft is frozen; store it where
      ``m`` was.

    Rules for handlers (see ``docs/extending.md``): write only to records and maps
    an ``edit_*`` call returned during this call; keep neither the draft nor any
    record or map from it after returning; store only immutable values (tuples,
    ``Trail``, ``FrozenMap``, frozen records; add to a history with
    :func:`~crisis_model.appended`).  A write to any other record raises
    ``attrs.exceptions.FrozenInstanceError``;
    :func:`crisis_model.testing.check_handlers` checks the rest.

    :meth:`freeze` returns the state as it stands (and the draft carries on).
    """

    __slots__ = ("_added", "_base", "_last", "_maps", "_owned", "_touched", "actors", "as_of",
                 "elections", "incidents", "ledgers", "offers", "slices", "version")

    version: int
    as_of: _dt.date | None
    actors: Lookup[str, ActorState]
    elections: Lookup[str, ElectionState]
    offers: Lookup[str, Offer]
    ledgers: Lookup[str, Ledger]
    slices: Lookup[str, Any]
    incidents: Incidents

    def __init__(self, state: CrisisState) -> None:
        self._reset(state)

    def _reset(self, state: CrisisState) -> None:
        """Make the draft a fresh working copy of ``state`` (O(1))."""
        self.version = state.version
        self.as_of = state.as_of
        self.actors = state.actors._d.mutate()
        self.elections = state.elections._d.mutate()
        self.offers = state.offers._d.mutate()
        self.ledgers = state.ledgers._d.mutate()
        self.slices = state.slices._d.mutate()
        self.incidents = state.incidents
        self._base = state
        self._last = state
        self._owned: list[Any] = []
        self._maps: list[MapDraft[Any, Any]] = []
        self._added: list[tuple[int, Any]] = []
        self._touched = 0

    # -- writable records ---------------------------------------------------------------------

    def edit_actor(self, actor_id: str) -> ActorDraft:
        """Actor ``actor_id``, writable until the handler returns (``KeyError`` if unknown)."""
        actors: Any = self.actors
        r = actors[actor_id]
        if type(r) is ActorDraft:  # (r is a draft or a record: type() is the cheaper read)
            return r
        r = _thaw_actor(r)
        actors[actor_id] = r
        self._owned.append(r)
        self._touched |= _ACTORS
        return r  # type: ignore[no-any-return]

    def edit_election(self, election_id: str) -> ElectionDraft:
        """Election ``election_id``, writable until the handler returns."""
        elections: Any = self.elections
        r = elections[election_id]
        if r.__class__ is ElectionDraft:
            return r
        r = _thaw_election(r)
        elections[election_id] = r
        self._owned.append(r)
        self._touched |= _ELECTIONS
        return r  # type: ignore[no-any-return]

    def edit_offer(self, offer_id: str) -> OfferDraft:
        """Offer ``offer_id``, writable until the handler returns."""
        offers: Any = self.offers
        r = offers[offer_id]
        if r.__class__ is OfferDraft:
            return r
        r = _thaw_offer(r)
        offers[offer_id] = r
        self._owned.append(r)
        self._touched |= _OFFERS
        return r  # type: ignore[no-any-return]

    def edit_ledger(self, group: str) -> LedgerDraft:
        """The detention ledger of ``group`` (created empty), writable until the handler returns."""
        ledgers: Any = self.ledgers
        r = ledgers.get(group)
        if r is None:
            self._added.append((_LEDGERS, group))
            r = _EMPTY_LEDGER
        elif r.__class__ is LedgerDraft:
            return r
        r = _thaw_ledger(r)
        ledgers[group] = r
        self._owned.append(r)
        self._touched |= _LEDGERS
        return r  # type: ignore[no-any-return]

    def edit_incidents(self) -> IncidentsDraft:
        """The crisis-wide :class:`~crisis_model.Incidents` counters, writable."""
        r: Any = self.incidents
        if r.__class__ is IncidentsDraft:
            return r
        r = self.incidents = _thaw_incidents(r)
        self._owned.append(r)
        self._touched |= _INCIDENTS
        return r  # type: ignore[no-any-return]

    def edit_map(self, m: FrozenMap[KK, VV]) -> MapDraft[KK, VV]:
        """``m`` as a :class:`~crisis_model.MapDraft`, changed in place until the draft is
        frozen (``m`` itself is unchanged).  Store it where ``m`` was (a field of an
        edited record, a slice): ``draft.edit_map(rec.table)`` given a map it returned
        before is that same map.

        A map in a record or slice that changes on many events costs a copy of its path
        per change as a :class:`FrozenMap`; as a draft it is copied once per freeze.
        """
        if type(m) is MapDraft:  # (edited since the last freeze)
            return m
        new: MapDraft[KK, VV] = _new_map(MapDraft)
        new._d = m._d.mutate()  # type: ignore[assignment]
        new._o = m._o
        self._maps.append(new)
        self._touched |= _NESTED
        return new

    # -- whole records ------------------------------------------------------------------------

    def put_actor(self, actor: ActorState) -> None:
        """Store ``actor`` under its id (added last, or replacing the actor of that id)."""
        self._put(self.actors, _ACTORS, actor.id, actor)

    def put_election(self, election: ElectionState) -> None:
        """Store ``election`` under its id (added or replaced)."""
        self._put(self.elections, _ELECTIONS, election.id, election)

    def put_offer(self, offer: Offer) -> None:
        """Store ``offer`` under its id (added or replaced)."""
        self._put(self.offers, _OFFERS, offer.id, offer)

    def set_slice(self, name: str, value: Any) -> None:
        """Replace the user state slice ``name`` with ``value`` (an immutable value)."""
        self._put(self.slices, _SLICES, name, value)

    def _put(self, mapping: Any, which: int, key: Any, value: Any) -> None:
        if key not in mapping:
            self._added.append((which, key))
        mapping[key] = value
        self._touched |= which
        if value.__class__ in _settle:  # a writable twin: it is frozen with the rest
            self._owned.append(value)

    # -- reading ------------------------------------------------------------------------------

    def stance(self, actor_id: str, election_id: str) -> Stance | None:
        """``actor_id``'s stance on ``election_id`` (as :meth:`CrisisState.stance`)."""
        actor = self.actors.get(actor_id)
        return None if actor is None else actor.stances.get(election_id)

    def recognitions(self, election_id: str) -> FrozenMap[str, Stance]:
        """Every actor's stance on ``election_id`` (freezes the draft to iterate)."""
        return self.freeze().recognitions(election_id)

    # -- freezing -----------------------------------------------------------------------------

    def freeze(self) -> CrisisState:
        """The state as the draft stands, immutable; the draft carries on from it.

        Costs what changed since the last freeze: each edited record becomes frozen
        in place, each changed mapping is finished into a persistent map.  Records
        handed out before stay frozen: a write to one raises ``FrozenInstanceError``.
        """
        touched = self._touched
        last = self._last
        if not touched:
            if last.version == self.version and last.as_of == self.as_of:
                return last
            state = _stamp(last, self.version, self.as_of)
            self._last = state
            return state
        maps = self._maps
        if maps:  # (before the records: their converters then see FrozenMaps)
            for m in maps:
                _settle_map(m)
            maps.clear()
        owned = self._owned
        if owned:
            settle = _settle
            for r in owned:
                settle[r.__class__](r)
            owned.clear()
        added = self._added
        if touched & _ACTORS:
            actors = self._finish(self.actors, last.actors, _ACTORS, added)
            self.actors = actors._d.mutate()
        else:
            actors = last.actors
        if touched & _ELECTIONS:
            elections = self._finish(self.elections, last.elections, _ELECTIONS, added)
            self.elections = elections._d.mutate()
        else:
            elections = last.elections
        if touched & _OFFERS:
            offers = self._finish(self.offers, last.offers, _OFFERS, added)
            self.offers = offers._d.mutate()
        else:
            offers = last.offers
        if touched & _LEDGERS:
            ledgers = self._finish(self.ledgers, last.ledgers, _LEDGERS, added)
            self.ledgers = ledgers._d.mutate()
        else:
            ledgers = last.ledgers
        if touched & _SLICES:
            slices = self._finish(self.slices, last.slices, _SLICES, added)
            self.slices = slices._d.mutate()
        else:
            slices = last.slices
        added.clear()
        state = _make_state(last, self.version, self.as_of, actors, elections, offers, ledgers,
                            self.incidents, slices)
        self._touched = 0
        self._last = state
        return state

    @staticmethod
    def _finish(mutation: Any, old: FrozenMap[Any, Any], bit: int,
                added: list[tuple[int, Any]]) -> FrozenMap[Any, Any]:
        d = mutation.finish()
        if not added:
            return _from_parts(d, old._o)
        return _with_new_keys(old, d, [k for b, k in added if b == bit])

    def __repr__(self) -> str:
        return f"<Draft version={self.version} as_of={self.as_of}>"


_new_map = object.__new__
_thaw_actor = _thaw[ActorDraft]
_thaw_election = _thaw[ElectionDraft]
_thaw_offer = _thaw[OfferDraft]
_thaw_ledger = _thaw[LedgerDraft]
_thaw_incidents = _thaw[IncidentsDraft]
_EMPTY_LEDGER = Ledger()
_stamp = compile_replace(CrisisState, ("version", "as_of"))
_make_state = compile_replace(  # (the maps are FrozenMaps already: no converter runs)
    CrisisState,
    ("version", "as_of", "actors", "elections", "offers", "ledgers", "incidents", "slices"),
    checked=False)
