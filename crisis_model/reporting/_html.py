"""Draw a :class:`~crisis_model.reporting._model.ReportModel` as one self-contained HTML page.

Every string that comes from data goes through :func:`esc` (HTML-escaped,
control characters shown as ``\\xNN``, lone surrogates replaced), URLs become
links only when they are http(s), and no data ever reaches a script or a
stylesheet: the page's scripts read the DOM.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from .._event import Precision
from ..query import Change, format_date
from ..state import CrisisState, ElectionState, Stance, StanceKind, Tally
from ._assets import CSS, ERROR_TRAP_JS, JS
from ._model import (
    BAND_KINDS,
    BandRow,
    Mark,
    ReportModel,
    plain,
    precision_words,
    stance_text,
)
from ._scale import Scale, after

__all__ = ["esc", "render"]

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    return f"\\x{ord(ch):02x}"


def esc(value: object) -> str:
    """``value`` as text safe anywhere in HTML (element content or a quoted attribute)."""
    return html.escape(_UNSAFE.sub(_visible, str(value)), quote=True)


#: Colours of the built-in event families: (colour, legend label).
FAMILIES: dict[str, tuple[str, str]] = {
    "actor": ("#8a8f98", "actors enter"),
    "election": ("#2f6db5", "elections"),
    "recognition": ("#7b4fb0", "recognition"),
    "justice": ("#c0392b", "justice, detentions, amnesty"),
    "movement": ("#d68910", "movement, exile, asylum"),
    "office": ("#1e8449", "offices"),
    "unrest": ("#b03a6b", "unrest"),
}
#: Colours for families the report does not know (user event types), chosen by a stable hash.
_EXTRA = ("#16a085", "#8e6e53", "#5d6d7e", "#a04000", "#1f618d", "#6c3483", "#117864")

#: How actor kinds are grouped into collapsible blocks of lanes: kind value -> heading.
GROUPS: dict[str, str] = {
    "person": "People",
    "group": "Groups of people",
    "party": "Parties",
    "coalition": "Coalitions",
    "government": "Governments",
    "electoral_authority": "Electoral authorities",
    "court": "Courts",
    "security_forces": "Security forces",
    "foreign_government": "Foreign governments",
    "observer": "Observers",
    "international_org": "International organisations",
    "ngo": "NGOs",
}

#: Band styles the stylesheet knows (anything else is drawn in a neutral colour).
_STYLES = frozenset({
    "w-at_large", "w-in_hiding", "w-detained", "w-in_embassy", "w-in_exile", "w-unknown",
    "office", "asylum-sought", "asylum-granted", "asylum-denied", "jeopardy",
    "jeopardy-wanted", "stance-recognises", "stance-withholds", "stance-rejects",
    "generic-0", "generic-1",
})

# Packing marks into rows, in percent of the axis (for a plot about 1000 px wide).
_DOT = 1.7
_CHAR = 0.6
_MIN_BAR = 1.0
_ROW = {"dot": 19, "month": 19, "year": 9}
_PAD = 5

#: Short labels drawn on month-precision bars (other tags: the tag's name in words).
SHORT: dict[str, str] = {
    "election.declared": "result declared",
    "election.disputed": "result disputed",
    "election.held": "vote held",
    "election.observer_assessed": "observer verdict",
    "recognition.granted": "recognises winner",
    "recognition.withheld": "withholds recognition",
    "recognition.rejected": "rejects result",
    "recognition.transparency_demanded": "demands transparency",
    "justice.detained": "detentions",
    "justice.released": "releases",
    "unrest.crackdown": "crackdown",
    "unrest.protest": "protest",
    "actor.introduced": "enters the record",
}


def short_label(tag: str) -> str:
    """A few words for an event type, drawn on its bar."""
    if tag in SHORT:
        return SHORT[tag]
    return tag.rsplit(".", 1)[-1].replace("_", " ")


def _family_colour(family: str) -> str:
    if family in FAMILIES:
        return FAMILIES[family][0]
    return _EXTRA[zlib.crc32(family.encode("utf-8", "replace")) % len(_EXTRA)]


def _pct(x: float) -> str:
    return f"{x:.3f}%"


class _Page:
    def __init__(self, model: ReportModel) -> None:
        self.m = model
        self._spells_found: dict[str, tuple[dict[str, list[tuple[str, str, str, _dt.date]]],
                                            dict[str, tuple[str, str, str]]]] | None = None
        active = [mk.event.occurred_on for mk in model.marks
                  if mk.event.precision is not Precision.YEAR]
        if model.as_of is not None:
            active.append(model.as_of)
        self.scale = Scale(model.start, model.end, active)
        families = list(dict.fromkeys(mk.family for mk in model.marks))
        self.fam_class = {f: f"fam-{k}" for k, f in enumerate(families)}
        self.families = families

    def name(self, actor: str | None) -> str:
        return self.m.name(actor)

    # -- page --------------------------------------------------------------------------------

    def render(self) -> str:
        m = self.m
        when = (f"as of {m.as_of.isoformat()}" if m.as_of is not None
                else "at the end of the record")
        sections = [
            ("glance", f"Where things stand {when}", self.glance()),
            ("timeline", "Timeline", self.timeline()),
            ("state", "State over time", self.state_bands()),
            ("elections", "Elections", self.elections()),
            ("counts", "Detentions and unrest", self.counts()),
            ("offers", "Offers", self.offers()),
        ]
        if m.branch is not None:
            sections.append(("branch", "What-if branch", self.branch()))
        sections += [
            ("events", "Every event", self.chronology()),
            ("sources", "Sources", self.sources()),
        ]
        if m.slice_bands:
            sections.insert(2, ("extension-state", "Other state", self.slices()))
        nav = "".join(f'<a href="#{sid}">{esc("At a glance" if sid == "glance" else title)}</a>'
                      for sid, title, _ in sections)
        body = "".join(
            f'<section id="{sid}" aria-labelledby="h-{sid}"><h2 id="h-{sid}">{esc(title)}</h2>'
            f"{content}</section>"
            for sid, title, content in sections
        )
        fam_css = "".join(
            f".{cls}{{--c:{_family_colour(f)}}}.chip.{cls},.sw.{cls}{{background:var(--c)}}"
            for f, cls in self.fam_class.items()
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            '<meta name="generator" content="crisis_model">'
            f"<title>{esc(m.title)}</title>"
            f"<script>{ERROR_TRAP_JS}</script>"
            f"<style>{CSS}{fam_css}</style></head><body>"
            f"{self.header()}"
            f'<nav class="toc" aria-label="Sections">{nav}</nav>'
            f"<main>{body}</main>"
            '<div id="tip" role="dialog" aria-live="polite" hidden>'
            '<button type="button" class="tip-close" aria-label="Close">\u00d7</button>'
            '<div class="tip-body"></div></div>'
            '<pre id="js-errors"></pre>'
            f"<script>{JS}</script></body></html>\n"
        )

    def header(self) -> str:
        m = self.m
        first = min((mk.start for mk in m.marks), default=None)
        last = max((mk.end for mk in m.marks), default=None)
        span = (f"{first.isoformat()} to {last.isoformat()}" if first and last else "no dates")
        shown = len(m.marks)
        counted = (f"<b>{shown}</b> events" if shown == m.events_total
                   else f"<b>{shown}</b> of {m.events_total} events")
        meta = [counted, f"<b>{len(m.actors)}</b> actors",
                f"<b>{len(m.sources)}</b> sources", esc(span)]
        if m.scenario_id:
            meta.append(f"scenario <code>{esc(m.scenario_id)}</code>"
                        + (f" ({esc(m.file_name)})" if m.file_name else ""))
        out = [f'<header class="top"><h1>{esc(m.title)}</h1>']
        if m.description:
            out.append(f'<p class="desc">{esc(m.description)}</p>')
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
        if m.as_of is not None:
            unc = sum(1 for mk in m.marks if mk.uncertain)
            out.append(
                f'<p class="asof-note">As of <b>{m.as_of.isoformat()}</b>: the state after every '
                "event certain to have happened by then (its date window, or a later "
                "event's, is over). "
                + (f"<b>{unc}</b> more may have happened by then but are not certain (hatched "
                   "marks, <i>uncertain</i> tags): the state leaves them out." if unc else
                   "No other event may have happened by then.")
                + (f" {m.events_total - shown} later events are left out."
                   if m.events_total > shown else "")
                + "</p>")
        if m.branch is not None:
            b = m.branch
            departs = (f"departs on <b>{esc(b.departs_text)}</b> (event #{b.shared})"
                       if b.departs_text else "adds no event of its own")
            out.append(
                f'<p class="branch-note">A what-if branch of <i>{esc(b.base_title)}</i>: it '
                f"shares the first {b.shared} events and {departs}; "
                f"{len(b.changes)} differences in state at the end "
                '(<a href="#branch">see below</a>).</p>')
        out.append("</header>")
        return "".join(out)

    # -- at a glance ------------------------------------------------------------------------

    def glance(self) -> str:
        """Cards for the final state: each election, each actor with something to say, offers
        and detentions (the same band table as the state bands, read once)."""
        m, n = self.m, self.name
        final = m.final
        cards = []
        for e in final.elections.values():
            lines = [f"<p>declared: {esc(n(d.winner))} (by {esc(n(by))}"
                     + (f", {esc(_share_text(d.shares, n))}" if d.shares else "") + ")</p>"
                     for by, d in e.declarations.items()]
            lines += [f"<p>claimed: {esc(n(c.claimed_winner) if c.claimed_winner else '-')} "
                      f"(by {esc(n(by))}"
                      + (f", {esc(_share_text(c.shares, n))}" if c.shares else "") + ")</p>"
                      for by, c in e.claims.items()]
            lines += [f"<p>{esc(n(by))}: {esc(stance_text(st, n))}</p>"
                      for by, st in final.recognitions(e.id).items()]
            cards.append(f'<div class="card"><h4>Election {esc(e.id)}</h4>{"".join(lines)}</div>')
        for a in final.actors.values():
            rows = [(label, text) for kind in BAND_KINDS if kind.key != "stances"
                    for label, text, _ in kind.rows(a, final, n)
                    if not (kind.key == "whereabouts" and text == "at large")]
            if rows:
                body = "".join(f"<p>{esc(text)}</p>" for _, text in rows)
                cards.append(f'<div class="card" data-actor="{esc(a.id)}"><h4>{esc(a.name)}</h4>'
                             f"{body}</div>")
        for o in final.offers.values():
            status = "pending" if o.pending else o.status.value
            cards.append(f'<div class="card"><h4>Offer {esc(o.id)}</h4><p>by {esc(n(o.by))} to '
                         f"{esc(', '.join(n(t) for t in o.to))}: <b>{esc(status)}</b></p></div>")
        for g, ledger in final.ledgers.items():
            held = "unknown" if ledger.held is None else str(ledger.held)
            cards.append(
                f'<div class="card"><h4>{esc(n(g))}</h4><p>detained: '
                f"{esc(_tally(ledger.detained))}</p><p>released: {esc(_tally(ledger.released))}"
                f"; on conditions: {esc(_tally(ledger.conditionally_released))}</p>"
                f"<p>still held: {esc(held)}</p></div>")
        if not cards:
            return '<p class="empty">Nothing recorded yet.</p>'
        return f'<div class="cards">{"".join(cards)}</div>'

    # -- the shared time grid ----------------------------------------------------------------

    def axis_row(self) -> str:
        ticks = []
        for t in self.scale.ticks:
            year = f'<span class="yr">{esc(t.year)}</span>' if t.year else ""
            label = t.label if not t.quiet else t.label[:1]
            ticks.append(
                f'<div class="tick{" quiet" if t.quiet else ""}" '
                f'style="left:{_pct(t.left)};width:{_pct(t.right - t.left)}">{year}'
                f"{esc(label)}</div>")
        return (f'<div class="row axis"><div class="lab"><small>lane</small></div>'
                f'<div class="track">{"".join(ticks)}</div></div>')

    def grid(self, *, departure: bool = True) -> str:
        lines = "".join(
            f'<i class="{"q" if t.quiet else ""}" style="left:{_pct(t.left)};'
            f'width:{_pct(t.right - t.left)}"></i>'
            for t in self.scale.ticks)
        extra = []
        if self.m.as_of is not None:
            x = self.scale.x(after(self.m.as_of))
            extra.append(f'<div class="vline asof" style="left:{_pct(x)}">'
                         f"<span>as of {self.m.as_of.isoformat()}</span></div>")
        b = self.m.branch
        if departure and b is not None and b.departs_on is not None:
            x = self.scale.x(b.departs_on)
            extra.append(f'<div class="vline departs" style="left:{_pct(x)}">'
                         f"<span>branch departs {esc(b.departs_text)}</span></div>")
        return (f'<div class="grid" style="left:var(--label)">{lines}{"".join(extra)}</div>')

    # -- timeline ----------------------------------------------------------------------------

    def timeline(self) -> str:
        m = self.m
        if not m.marks:
            return '<p class="empty">No events to show.</p>'
        lanes: dict[str | None, list[tuple[Mark, bool]]] = {None: []}
        for a in m.actors:
            lanes[a.id] = []
        for mk in m.marks:
            lanes.setdefault(mk.lane, []).append((mk, False))
            for echo in mk.echoes:
                if echo in lanes and echo != mk.lane:
                    lanes[echo].append((mk, True))
        legend = [f'<span><i class="sw {self.fam_class[f]}"></i>'
                  f"{esc(FAMILIES.get(f, (None, f))[1])}</span>" for f in self.families]
        legend += [
            '<span><i class="sw" style="background:#555"></i>known to the day</span>',
            '<span><i class="sw bar" style="background:#555"></i>known only to the month '
            "or year: drawn across its window</span>",
            '<span><i class="sw single"></i>rests on a single source</span>',
            '<span><i class="sw" style="border:2px dashed #1d2330"></i>cites no source</span>',
            '<span><i class="sw" style="background:#fff;border:2px solid #999"></i>'
            "another actor's event that involves this one</span>",
        ]
        if m.as_of is not None:
            legend.append('<span><i class="sw unc"></i>may not have happened yet</span>')
        if m.branch is not None:
            legend.append('<span><i class="sw hyp"></i>only in the what-if branch</span>')
        groups: dict[str, list[str]] = {}
        for a in m.actors:
            groups.setdefault(a.kind.value, []).append(a.id)
        body = [self.axis_row()]
        if lanes[None]:
            body.append(self.lane(None, "Crisis-wide", "no single actor", lanes[None]))
        for kind, ids in groups.items():
            heading = GROUPS.get(kind, kind.replace("_", " ").capitalize())
            rows = "".join(
                self.lane(aid, self.name(aid), self._actor_note(aid), lanes[aid]) for aid in ids)
            body.append(f'<details class="group" open><summary>{esc(heading)} '
                        f"<small>({len(ids)})</small></summary>{rows}</details>")
        return (
            '<p class="hint screen">One lane per actor, grouped by kind (click a group to fold '
            "it). Each event is drawn once, in the lane of the first actor it names; rings mark "
            "it in the lanes of the others it involves. Hover, tap or tab to an event for what "
            "happened and who reports it.</p>"
            f'<div class="legend">{"".join(legend)}</div>'
            '<div class="tools"><button type="button" data-groups="open">Open all groups</button>'
            '<button type="button" data-groups="close">Fold all groups</button></div>'
            f'<div class="scroll"><div class="tl" id="timeline-lanes">{self.grid()}'
            f'{"".join(body)}</div></div>')

    def _actor_note(self, actor: str) -> str:
        a = self.m.final.actors.get(actor)
        if a is None:
            return ""
        bits = [a.country or ""]
        if a.affiliation:
            bits.append(f"with {self.name(a.affiliation)}")
        return ", ".join(b for b in bits if b)

    def lane(self, actor: str | None, label: str, note: str,
             items: Sequence[tuple[Mark, bool]]) -> str:
        # Three stacks of rows: dots (known to the day), month bars (labelled), year bars.
        rows: dict[str, list[float]] = {"dot": [], "month": [], "year": []}
        placed: list[tuple[Mark, bool, str, int, float, float]] = []
        for mk, echo in sorted(items, key=lambda it: (it[0].start, it[0].index)):
            left, width = self.scale.span(mk.start, mk.end)
            if mk.event.precision is Precision.DAY and mk.event.until is None:
                kind, lo, width = "dot", left + width / 2 - _DOT / 2, _DOT
                reach = lo + width
                if not echo:  # room for the label drawn right of the dot
                    reach += len(short_label(mk.tag)) * _CHAR + 0.4
            else:  # echoes and year bars are thin; month bars hold a label
                # a range of dates is drawn as a month bar is, across its window
                kind = ("year" if echo or mk.event.precision is Precision.YEAR else "month")
                lo, width = left, max(width, _MIN_BAR)
                reach = lo + width
            stack = rows[kind]
            row = next((k for k, end in enumerate(stack) if end <= lo), None)
            if row is None:
                stack.append(0.0)
                row = len(stack) - 1
            stack[row] = reach + 0.15
            placed.append((mk, echo, kind, row, lo, width))
        offsets = {"dot": _PAD}
        offsets["month"] = offsets["dot"] + len(rows["dot"]) * _ROW["dot"]
        offsets["year"] = offsets["month"] + len(rows["month"]) * _ROW["month"]
        height = max(offsets["year"] + len(rows["year"]) * _ROW["year"] + _PAD, 28)
        marks = []
        for mk, echo, kind, row, lo, width in placed:
            top = offsets[kind] + row * _ROW[kind]
            if kind == "dot":
                size = 10 if echo else 14
                top += 2 if echo else 0
                pos = f"left:calc({_pct(lo + width / 2)} - {size // 2}px);top:{top}px"
            else:
                pos = f"left:{_pct(lo)};width:{_pct(width)};top:{top}px"
            marks.append(self.mark(mk, echo, pos))
        data = "" if actor is None else f' data-actor="{esc(actor)}"'
        cls = "lane" if actor is not None else "lane lane-general"
        return (f'<div class="row {cls}"{data}><div class="lab" title="{esc(label)}">'
                f"{esc(label)}<small>{esc(note)}</small></div>"
                f'<div class="track" style="height:{height}px">{"".join(marks)}</div></div>')

    def mark(self, mk: Mark, echo: bool, pos: str) -> str:
        shape = "month" if mk.event.until is not None and (
            mk.event.precision is Precision.DAY) else mk.event.precision.value
        cls = ["echo" if echo else "ev", f"p-{shape}",
               self.fam_class[mk.family]]
        if not echo:
            if len(mk.sources) == 1:
                cls.append("single")
            elif not mk.sources:
                cls.append("none")
            if mk.uncertain:
                cls.append("uncertain")
            if mk.branch_only:
                cls.append("branch")
            if mk.problems:
                cls.append("rejected")
        label = f"{mk.date_text}: {mk.summary}"
        extra = ' tabindex="-1" aria-hidden="true"' if echo else f' aria-label="{esc(label)}"'
        text = "" if echo else esc(short_label(mk.tag))
        if text and mk.event.precision is Precision.DAY and mk.event.until is None:
            text = f'<span class="evlab">{text}</span>'
        elif mk.event.precision is Precision.YEAR:
            text = ""
        return (f'<a class="{" ".join(cls)}" href="#e{mk.index}" data-i="{mk.index}" '
                f'style="{pos}"{extra}>{text}</a>')

    # -- state bands --------------------------------------------------------------------------

    def state_bands(self) -> str:
        m = self.m
        if not m.bands:
            return '<p class="empty">No actor state to show.</p>'

        def label(row: BandRow, first: bool) -> str:
            if first is True and row.actor is not None:
                return f"<b>{esc(self.name(row.actor))}</b><small>{esc(row.label)}</small>"
            return f"<small>{esc(row.label)}</small>"

        def tip_label(row: BandRow, for_tip: bool) -> str:
            if for_tip:
                return f"{self.name(row.actor)}, {row.label}"
            return label(row, for_tip)

        def both(row: BandRow, first: bool) -> str:
            return label(row, first)

        rows_html = self._bands_html(m.bands, both, tip_label)
        return (
            '<p class="hint">Each actor\'s state as replayed from the events: where people '
            "are (the host of an exile or an embassy named), the offices they hold, asylum, "
            "legal jeopardy and stances on each election. A band changes where an event "
            "changed the state; hover, tap or tab to a band for its dates.</p>"
            f'<div class="scroll"><div class="tl" id="state-bands">{self.grid()}'
            f"{self.axis_row()}{rows_html}</div></div>")

    def _bands_html(self, rows: Sequence[BandRow], label: Callable[[BandRow, bool], str],
                    tip_label: Callable[[BandRow, bool], str]) -> str:
        out = []
        previous: str | None = "\0"
        for row in rows:
            first = row.actor != previous
            previous = row.actor
            segs = []
            for s in row.segments:
                last = s.end - _dt.timedelta(days=1)
                left, width = self.scale.span(s.start, last)
                style = s.style if s.style in _STYLES else "other"
                until = "" if s.end >= self.m.bands_end else f" to {last.isoformat()}"
                tip = f"{tip_label(row, True)}: {s.text} (from {s.start.isoformat()}{until})"
                segs.append(
                    f'<div class="seg s-{style}" role="button" tabindex="0" '
                    f'style="left:{_pct(left)};width:{_pct(width)}" data-tip="{esc(tip)}">'
                    f"{esc(s.text)}</div>")
            actor = "" if row.actor is None else f' data-actor="{esc(row.actor)}"'
            out.append(
                f'<div class="row band{" band-first" if first else ""}"{actor} '
                f'data-kind="{esc(row.kind)}"><div class="lab">{label(row, first)}</div>'
                f'<div class="track">{"".join(segs)}</div></div>')
        return "".join(out)

    def slices(self) -> str:
        def label(row: BandRow, first: bool) -> str:
            return f"<b>{esc(row.label)}</b><small>state slice</small>"

        def tip_label(row: BandRow, for_tip: bool) -> str:
            return row.label

        final = self.m.final.slices
        table = "".join(
            f"<tr><th>{esc(n)}</th><td>{esc(_plain_value(final.get(n)))}</td></tr>"
            for n in dict.fromkeys(r.label for r in self.m.slice_bands))
        return (
            '<p class="hint">State that extensions keep (their state slices), drawn '
            "generically: each band is the slice's value in plain words.</p>"
            f'<div class="scroll"><div class="tl">{self.grid()}{self.axis_row()}'
            f"{self._bands_html(self.m.slice_bands, label, tip_label)}</div></div>"
            f'<h3>At the end</h3><div class="tablewrap"><table>{table}</table></div>')

    # -- elections ---------------------------------------------------------------------------

    def elections(self) -> str:
        m = self.m
        if not m.final.elections:
            return '<p class="empty">No election in this record.</p>'
        return "".join(self.election(e) for e in m.final.elections.values())

    def election(self, e: ElectionState) -> str:
        n = self.name
        facts = []
        if e.office or e.country:
            facts.append(esc(", ".join(x for x in (e.office, e.country) if x)))
        facts.append("held " + (esc(format_date(e.held_on, e.held_precision))
                                if e.held_on else "not yet"))
        if e.candidates:
            facts.append("candidates: " + esc(", ".join(n(c) for c in e.candidates)))
        if e.disqualified:
            facts.append("barred: " + esc(", ".join(n(c) for c in e.disqualified)))
        facts.append(f"detailed results: {esc(e.data.value)}")
        out = [f'<article class="election" data-election="{esc(e.id)}">'
               f"<h3>Election <code>{esc(e.id)}</code></h3>"
               f'<p class="meta">{" · ".join(facts)}</p>']
        rows: list[tuple[str, str, str | None, Any, _dt.date | None, Precision, str]] = []
        for by, d in e.declarations.items():
            rows.append(("declared", by, d.winner, d.shares, d.on, d.precision, ""))
        for by, c in e.claims.items():
            rows.append(("claimed", by, c.claimed_winner, c.shares, c.on, c.precision,
                         c.grounds))
        if rows:
            body = "".join(
                f"<tr><td>{kind}</td><td>{esc(n(by))}</td><td>{esc(n(w)) if w else '-'}</td>"
                f"<td>{self._shares(shares)}</td>"
                f"<td>{esc(format_date(on, p)) if on else '?'}</td><td>{esc(grounds)}</td></tr>"
                for kind, by, w, shares, on, p, grounds in rows)
            out.append("<h3>Results declared and claimed</h3><div class=\"tablewrap\">"
                       "<table><tr><th></th><th>by</th><th>winner</th><th>shares</th>"
                       f"<th>on</th><th>grounds</th></tr>{body}</table></div>")
        if e.assessments or e.audits:
            body = "".join(
                f"<tr><td>{esc(n(by))}</td><td>{esc(a.verdict.value.replace('_', ' '))}</td>"
                f"<td>{esc(n(a.favours)) if a.favours else '-'}</td>"
                f"<td>{esc(format_date(a.on, a.precision)) if a.on else '?'}</td></tr>"
                for by, a in e.assessments.items())
            audits = "".join(
                f"<tr><td>{esc(n(a.by))} (audit <code>{esc(aid)}</code>)</td>"
                f"<td>{esc(a.status.value)}{': ' + esc(a.finding) if a.finding else ''}</td>"
                f"<td>{esc(n(a.upholds)) if a.upholds else '-'}</td><td></td></tr>"
                for aid, a in e.audits.items())
            out.append("<h3>Observers and audits</h3><div class=\"tablewrap\"><table><tr>"
                       "<th>who</th><th>verdict</th><th>favours</th><th>on</th></tr>"
                       f"{body}{audits}</table></div>")
        if e.transparency_demands:
            out.append("<p>Transparency demanded: " + esc("; ".join(
                f"{n(by)} of {n(of)}" for by, of in e.transparency_demands)) + "</p>")
        out.append(self.matrix(e))
        out.append("</article>")
        return "".join(out)

    def _shares(self, shares: Any) -> str:
        if not shares:
            return "-"
        return "".join(
            f'<span class="share">{esc(self.name(k))} {esc(f"{v:g}")}%'
            f'<i style="width:{max(0.0, min(float(v), 100.0)) * 0.8:.1f}px"></i></span>'
            for k, v in shares.items())

    def _spells(self) -> dict[str, tuple[dict[str, list[tuple[str, str, str, _dt.date]]],
                                         dict[str, tuple[str, str, str]]]]:
        """Per election, each actor's stances over the samples: the spells that ended
        (column, kind, since, end day) and the ones still held (column, kind, since).
        Worked out once for every election, in one pass over the samples in which only
        the actors whose record changed are read."""
        if self._spells_found is not None:
            return self._spells_found
        found: dict[str, tuple[dict[str, list[tuple[str, str, str, _dt.date]]],
                               dict[str, tuple[str, str, str]]]] = {}
        #: actor id -> the elections it holds a stance on (in ``found``'s current spells).
        holding: dict[str, set[str]] = {}
        for (day, state), changed in zip(self.m.samples, self.m.changes, strict=True):
            if not changed:
                continue
            get = state.actors.get
            stances: dict[str, dict[str, Stance]] = {}
            touched: set[str] = set()
            for aid in changed:
                actor_state = get(aid)
                if actor_state is not None:
                    for election, stance in actor_state.stances.items():
                        stances.setdefault(election, {})[aid] = stance
                touched |= holding.get(aid, set())
            now = set(changed)
            for election in [*stances, *sorted(touched - stances.keys())]:
                history, current = found.setdefault(election, ({}, {}))
                held = stances.get(election, {})
                for actor in [a for a in current if a in now]:
                    if actor not in held or _col(held[actor]) != current[actor][:2]:
                        col, kind, since_text = current.pop(actor)
                        history.setdefault(actor, []).append((col, kind, since_text, day))
                        holding[actor].discard(election)
                for actor, s in held.items():
                    if actor not in current:
                        current[actor] = (*_col(s), _since(s, day))
                        holding.setdefault(actor, set()).add(election)
        self._spells_found = found
        return found

    def matrix(self, e: ElectionState) -> str:
        """Who recognises whom, since when: rows are actors with a stance, columns the
        candidates recognised, plus withholding and rejecting."""
        history, current = self._spells().get(e.id, ({}, {}))
        rows: dict[str, list[tuple[str, str, str, bool]]] = {}
        for actor, spells in history.items():
            for col, kind, start_text, end in spells:
                rows.setdefault(actor, []).append(
                    (col, kind, f"{start_text} to {end.isoformat()}", False))
        for actor, (col, kind, start_text) in current.items():
            rows.setdefault(actor, []).append((col, kind, f"since {start_text}", True))
        if not rows:
            return ('<h3>Recognition</h3><p class="empty">No actor has taken a stance on this '
                    "election.</p>")
        winners = list(e.candidates)
        for items in rows.values():
            winners += [c for c, k, _, _ in items if k == "recognises" and c not in winners]
        notes: dict[str, list[str]] = {}
        for by, d in e.declarations.items():
            notes.setdefault(d.winner, []).append(f"declared by {self.name(by)}")
        for by, c in e.claims.items():
            if c.claimed_winner:
                notes.setdefault(c.claimed_winner, []).append(f"claimed by {self.name(by)}")
        for by, a in e.assessments.items():
            if a.favours:
                notes.setdefault(a.favours, []).append(f"favoured by {self.name(by)}")
        cols = [(w, f"recognises {self.name(w)}", "; ".join(notes.get(w, [])))
                for w in winners]
        cols += [("\0withholds", "withholds recognition", ""),
                 ("\0rejects", "rejects the result", "")]
        head = "".join(f'<th scope="col">{esc(label)}<small>{esc(note)}</small></th>'
                       for _, label, note in cols)
        body = []
        actor_order = [a.id for a in self.m.actors if a.id in rows] + [
            a for a in rows if a not in {x.id for x in self.m.actors}]
        for actor in actor_order:
            cells = []
            for col, _, _ in cols:
                hits = [(k, text, now) for c, k, text, now in rows[actor] if c == col]
                if not hits:
                    cells.append(f'<td class="rm-cell" data-actor="{esc(actor)}" '
                                 f'data-col="{esc(col.lstrip(chr(0)))}">·</td>')
                    continue
                now = any(h[2] for h in hits)
                kind = hits[-1][0]
                text = "<br>".join(esc(t) for _, t, _ in hits)
                cells.append(f'<td class="rm-cell on k-{esc(kind)}{"" if now else " past"}" '
                             f'data-actor="{esc(actor)}" data-col="{esc(col.lstrip(chr(0)))}">'
                             f"{text}</td>")
            body.append(f'<tr><th scope="row">{esc(self.name(actor))}</th>{"".join(cells)}</tr>')
        return ('<h3>Recognition matrix</h3><p class="hint">Who recognises whom, since when '
                "(a grey cell: a stance held once and since given up).</p>"
                f'<div class="tablewrap"><table class="matrix" data-election="{esc(e.id)}">'
                f'<tr><th scope="col">actor</th>{head}</tr>{"".join(body)}</table></div>')

    # -- ledgers and incidents ------------------------------------------------------------

    def counts(self) -> str:
        m = self.m
        if not m.samples:
            return '<p class="empty">Nothing counted.</p>'
        # (day, value, at least?): value None is unknown; at least None: not recorded yet.
        series: list[tuple[str, str, list[tuple[_dt.date, int | None, bool | None]]]] = []
        groups = list(dict.fromkeys(g for _, s in m.samples for g in s.ledgers))
        for g in groups:
            who = self.name(g)
            for field, label in (("detained", "detained"), ("released", "released"),
                                 ("conditionally_released", "released on conditions")):
                series.append((who, label, [
                    (d, *_tally_point(getattr(s.ledgers[g], field)))
                    if g in s.ledgers else (d, None, None) for d, s in m.samples]))
            series.append((who, "still held", [
                (d, s.ledgers[g].held, False) if g in s.ledgers else (d, None, None)
                for d, s in m.samples]))
        for field, label in (("protests", "protests"), ("crackdowns", "crackdowns"),
                             ("deaths", "deaths"), ("injuries", "injuries"),
                             ("arrests", "arrests"),
                             ("harassment_reports", "harassment reports")):
            points: list[tuple[_dt.date, int | None, bool | None]] = []
            for d, s in m.samples:
                value = getattr(s.incidents, field)
                points.append((d, *_tally_point(value)) if isinstance(value, Tally)
                              else (d, int(value), False))
            series.append(("All incidents", label, points))
        rows = []
        previous = None
        for who, label, points in series:
            if all(v in (None, 0) and not atleast for _, v, atleast in points):
                continue
            first = who != previous
            previous = who
            rows.append(self.series_row(who if first else None, label, points))
        table = self.counts_table(groups)
        return (
            '<p class="hint">Detention ledgers per group and crisis-wide incident counts, as '
            "they stood after each event. A dashed line and a ≥ sign: some report gave no "
            "number, so the figure is at least the one shown (the true one may be higher); "
            "\"unknown\": it cannot be worked out.</p>"
            f'<div class="scroll"><div class="tl" id="counts-chart">{self.grid()}'
            f'{self.axis_row()}{"".join(rows)}</div></div>{table}')

    def series_row(self, who: str | None, label: str,
                   points: Sequence[tuple[_dt.date, int | None, bool | None]]) -> str:
        top = max((v for _, v, _ in points if v is not None), default=0) or 1
        end = self.m.bands_end
        paths: dict[bool, list[str]] = {True: [], False: []}
        labels = []
        last: tuple[int | None, bool | None] | None = None
        # Runs of days with the same point: one stroke each (a series holds its value
        # over most days, and a stroke per day made the page grow with days times series).
        runs: list[tuple[_dt.date, int | None, bool | None]] = []
        for day, value, atleast in points:
            if not runs or (runs[-1][1], runs[-1][2]) != (value, atleast):
                runs.append((day, value, atleast))
        for k, (day, value, atleast) in enumerate(runs):
            stop = runs[k + 1][0] if k + 1 < len(runs) else end
            if atleast is None:
                last = (value, atleast)
                continue
            if value is not None:
                x0 = self.scale.x(day) * 10
                x1 = self.scale.x(stop) * 10
                y = 40 - value / top * 36
                paths[bool(atleast)].append(f"M{x0:.1f},{y:.1f}H{x1:.1f}")
            if (value, atleast) != last:
                text = "unknown" if value is None else (f"≥{value}" if atleast else str(value))
                tip = f"{label}: {text} from {day.isoformat()}"
                labels.append(
                    f'<span class="pt{" atleast" if atleast else ""}" role="button" '
                    f'tabindex="0" data-tip="{esc(tip)}" '
                    f'style="left:{_pct(min(self.scale.x(day) + 0.6, 99.0))}">'
                    f"{esc(text)}</span>")
                last = (value, atleast)
        svg = "".join(f'<path class="line{" atleast" if a else ""}" d="{"".join(p)}"/>'
                      for a, p in paths.items() if p)
        head = f"<b>{esc(who)}</b>" if who else ""
        return (f'<div class="row series">'
                f'<div class="lab">{head}<small>{esc(label)}</small></div>'
                f'<div class="track"><svg viewBox="0 0 1000 42" preserveAspectRatio="none" '
                f'aria-hidden="true">{svg}</svg>{"".join(labels)}</div></div>')

    def counts_table(self, groups: Sequence[str]) -> str:
        final = self.m.final
        rows = []
        for g in groups:
            ledger = final.ledgers.get(g)
            if ledger is None:
                continue
            held = "unknown" if ledger.held is None else str(ledger.held)
            cond = ("; conditions: " + "; ".join(ledger.conditions)) if ledger.conditions else ""
            rows.append(f"<tr><th>{esc(self.name(g))}</th><td>{esc(_tally(ledger.detained))}"
                        f"</td><td>{esc(_tally(ledger.released))}</td>"
                        f"<td>{esc(_tally(ledger.conditionally_released))}{esc(cond)}</td>"
                        f"<td>{esc(held)}</td></tr>")
        i = final.incidents
        ledgers = ("<table><tr><th>group</th><th>detained</th><th>released</th>"
                   "<th>released on conditions</th><th>still held</th></tr>"
                   f'{"".join(rows)}</table>') if rows else ""
        incidents = (
            "<table><tr><th>protests</th><th>crackdowns</th><th>deaths</th><th>injuries</th>"
            "<th>arrests</th><th>harassment reports</th></tr>"
            f"<tr><td>{i.protests}</td><td>{i.crackdowns}</td><td>{esc(_tally(i.deaths))}</td>"
            f"<td>{esc(_tally(i.injuries))}</td><td>{esc(_tally(i.arrests))}</td>"
            f"<td>{i.harassment_reports}</td></tr></table>")
        return (f"<h3>{'As of ' + self.m.as_of.isoformat() if self.m.as_of else 'At the end'}"
                f'</h3><div class="tablewrap">{ledgers}{incidents}</div>')

    # -- offers -------------------------------------------------------------------------------

    def offers(self) -> str:
        offers = self.m.final.offers
        if not offers:
            return '<p class="empty">No offer in this record.</p>'
        n = self.name
        rows = []
        for o in offers.values():
            resolved = ("pending" if o.pending else
                        f"{o.status.value} by {n(o.resolved_by)}"
                        + (f" on {format_date(o.resolved_on, o.resolved_precision)}"
                           if o.resolved_on else ""))
            proposed = format_date(o.proposed_on, o.proposed_precision) if o.proposed_on else "?"
            rows.append(
                f'<tr data-offer="{esc(o.id)}"><td><code>{esc(o.id)}</code></td>'
                f"<td>{esc(n(o.by))}</td><td>{esc(', '.join(n(t) for t in o.to))}</td>"
                f"<td>{esc(', '.join(n(b) for b in o.beneficiaries)) or '-'}</td>"
                f"<td>{esc('; '.join(o.conditions)) or '-'}</td>"
                f"<td>{'formal offer' if o.formal else 'reported, not formally made'}, "
                f"{esc(proposed)}</td><td><b>{esc(resolved)}</b></td></tr>")
        return ('<div class="tablewrap"><table><tr><th>offer</th><th>by</th><th>to</th>'
                "<th>covers</th><th>conditions</th><th>proposed</th><th>status</th></tr>"
                f'{"".join(rows)}</table></div>')

    # -- branch ---------------------------------------------------------------------------

    def branch(self) -> str:
        b = self.m.branch
        assert b is not None
        own = [mk for mk in self.m.marks if mk.branch_only]
        parts = [f"<p>This report shows a what-if branch of <i>{esc(b.base_title)}</i>. Both "
                 f"share their first <b>{b.shared}</b> events"]
        if b.departs_text:
            parts.append(f"; the branch departs on <b>{esc(b.departs_text)}</b> with event "
                         f'<a href="#e{b.shared}">#{b.shared}</a>.</p>')
        else:
            parts.append(" and the branch adds nothing of its own.</p>")
        if own:
            parts.append("<h3>Events only in the branch</h3><ul>" + "".join(
                f'<li><a href="#e{mk.index}">{esc(mk.date_text)}</a> {esc(mk.summary)}</li>'
                for mk in own) + "</ul>")
        if b.base_only:
            parts.append("<h3>Events of the base left out of the branch</h3><ul>" + "".join(
                f"<li>{esc(mk.date_text)} {esc(mk.summary)}</li>" for mk in b.base_only)
                + "</ul>")
        when = f"as of {self.m.as_of.isoformat()}" if self.m.as_of else "at the end"
        if not b.changes:
            parts.append(f'<p class="empty">No difference in state {when}.</p>')
        else:
            rows = "".join(self._change_row(c, b.base_state) for c in b.changes)
            parts.append(f"<h3>Differences in state {when}</h3>"
                         '<div class="tablewrap"><table class="changes"><tr><th>what</th>'
                         f"<th>field</th><th>in the base</th><th>in the branch</th></tr>{rows}"
                         "</table></div>")
        return "".join(parts)

    def _change_row(self, c: Change, base: CrisisState) -> str:
        subject = c.section if c.subject is None else f"{c.section} {c.subject}"
        if c.section == "actor" and c.subject is not None:
            who = self.m.names.get(c.subject) or (
                base.actors[c.subject].name if c.subject in base.actors else c.subject)
            subject = f"{who} ({c.subject})"
        field = c.field or ("added" if c.added else "removed")
        return (f'<tr class="change"><td>{esc(subject)}</td><td>{esc(field)}</td>'
                f"<td>{esc(_plain_value(c.before))}</td><td>{esc(_plain_value(c.after))}</td>"
                "</tr>")

    # -- chronology and sources ---------------------------------------------------------

    def entry(self, mk: Mark) -> str:
        chips = [f'<span class="chip fam {self.fam_class[mk.family]}">{esc(mk.tag)}</span>']
        if len(mk.sources) == 1:
            chips.append('<span class="chip single">single source</span>')
        elif not mk.sources:
            chips.append('<span class="chip none">no source</span>')
        if mk.uncertain:
            chips.append('<span class="chip unc">uncertain: may not have happened by '
                         f"{self.m.as_of.isoformat() if self.m.as_of else ''}</span>")
        if mk.branch_only:
            chips.append('<span class="chip hyp">only in the branch</span>')
        if mk.problems:
            chips.append('<span class="chip rej">rejected by the rules</span>')
        more = [f"<p>When: {esc(precision_words(mk.event))}</p>"]
        if mk.sources:
            cites = []
            for sid in mk.sources:
                src = self.m.sources.get(sid)
                text = f"{src.outlet}: {src.title}" if src is not None else sid
                cites.append(f'<a href="#src-{self._source_number(sid)}">{esc(text)}</a>')
            more.append(f"<p>Sources: {'; '.join(cites)}</p>")
        involved = [mk.lane, *mk.echoes]
        names = [self.name(a) for a in involved if a]
        if names:
            more.append(f"<p>Involves: {esc(', '.join(names))}</p>")
        if mk.event.note:
            more.append(f"<p>Note: {esc(mk.event.note)}</p>")
        for problem in mk.problems:
            more.append(f"<p>Rejected: {esc(problem)}</p>")
        return (f'<div class="entry-date"><span class="num">#{mk.index}</span>'
                f"{esc(mk.date_text)}</div>"
                f'<div class="entry-sum">{esc(mk.summary)}{"".join(chips)}</div>'
                f'<div class="entry-more">{"".join(more)}</div>')

    def chronology(self) -> str:
        if not self.m.marks:
            return '<p class="empty">No events.</p>'
        items = "".join(f'<li id="e{mk.index}" class="entry">{self.entry(mk)}</li>'
                        for mk in self.m.marks)
        return ('<p class="hint">Every event in the order of the log, dated at its precision '
                "(2024-08: known only to the month), in plain words, with its sources.</p>"
                f'<ol class="chron">{items}</ol>')

    def _source_number(self, sid: str) -> int:
        if not hasattr(self, "_numbers"):
            cited = [s for mk in self.m.marks for s in mk.sources]
            order = list(dict.fromkeys([*self.m.sources, *cited]))
            self._numbers = {s: k for k, s in enumerate(order)}
        return self._numbers.get(sid, -1)

    def sources(self) -> str:
        m = self.m
        citing: dict[str, list[Mark]] = {}
        for mk in m.marks:
            for sid in mk.sources:
                citing.setdefault(sid, []).append(mk)
        order = list(dict.fromkeys([*m.sources, *citing]))
        items = []
        for sid in order:
            src = m.sources.get(sid)
            num = self._source_number(sid)
            marks = citing.get(sid, [])
            if src is not None:
                title = esc(src.title)
                if src.url and re.match(r"(?i)^https?://", src.url):
                    title = f'<a href="{esc(src.url)}" rel="noreferrer noopener">{title}</a>'
                pub = (f", {esc(format_date(src.published, src.precision))}"
                       if src.published else "")
                head = f"<b>{esc(src.outlet)}</b>: {title}{pub}"
                if src.note:
                    head += f'<br><span class="cites">{esc(src.note)}</span>'
            else:
                head = (f"<b>{esc(sid)}</b> "
                        '<span class="chip rej">cited, but not defined in the scenario</span>')
            single = sum(1 for mk in marks if len(mk.sources) == 1)
            links = ", ".join(f'<a href="#e{mk.index}">#{mk.index} {esc(mk.date_text)}</a>'
                              for mk in marks)
            items.append(
                f'<li id="src-{num}" data-source="{esc(sid)}">{head}'
                f'<div class="cites">cited by {len(marks)} event{"s" if len(marks) != 1 else ""}'
                f"{f', {single} resting on it alone' if single else ''}"
                f"{': ' + links if links else ''}</div></li>")
        singles = [mk for mk in m.marks if len(mk.sources) == 1]
        unsourced = [mk for mk in m.marks if not mk.sources]
        out = [f'<ol class="sources">{"".join(items)}</ol>' if items
               else '<p class="empty">No sources.</p>']
        out.append(self._event_list(
            "Events resting on a single source", singles, "single-source"))
        if unsourced:
            out.append(self._event_list("Events citing no source", unsourced, "unsourced"))
        return "".join(out)

    def _event_list(self, title: str, marks: Sequence[Mark], cls: str) -> str:
        if not marks:
            return f'<h3>{esc(title)}</h3><p class="empty">None.</p>'
        return (f'<h3>{esc(title)} ({len(marks)})</h3><ul class="{cls}">' + "".join(
            f'<li><a href="#e{mk.index}">#{mk.index} {esc(mk.date_text)}</a> '
            f"{esc(mk.summary)}</li>" for mk in marks) + "</ul>")


def _share_text(shares: Any, name: Callable[[str | None], str]) -> str:
    return ", ".join(f"{name(k)} {v:g}%" for k, v in shares.items())


def _col(s: Stance) -> tuple[str, str]:
    if s.kind is StanceKind.RECOGNISES:
        return (s.winner or "?", "recognises")
    return (f"\0{s.kind.value}", s.kind.value)


def _since(s: Stance, day: _dt.date) -> str:
    if s.since is not None:
        return format_date(s.since, s.precision)
    return day.isoformat()


def _tally_point(t: Tally) -> tuple[int | None, bool]:
    return (t.known, t.uncounted > 0)


def _tally(t: Tally) -> str:
    if t.uncounted == 0:
        return str(t.known)
    reports = f"{t.uncounted} report{'s' if t.uncounted > 1 else ''} without a number"
    return f"at least {t.known} ({reports})"


def _plain_value(value: Any) -> str:
    return plain(value)


def render(model: ReportModel) -> str:
    """The page for ``model``."""
    return _Page(model).render()
