"""Tests for the HTML report and the TimelineJS export (crisis_model.reporting).

The page is checked twice: as a string (fast, for every generated log) and in
a real headless Chromium (Debian's ``chromium``, named by
``CRISIS_MODEL_TEST_CHROMIUM``), which loads it from a file, runs its
scripts, dumps the DOM and takes screenshots at a desktop and a phone size.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crisis_model as cm
from crisis_model.events import (
    ActorIntroduced,
    LeftCountry,
    ProtestHeld,
    WentIntoHiding,
    WinnerRecognized,
)
from crisis_model.query import included_events
from crisis_model.reporting import timelinejs
from crisis_model.testing import event_logs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "venezuela_2024.toml"
BRANCH = ROOT / "seeds" / "venezuela_2024_amnesty_accepted.toml"

#: Exactly the flags the project's guide asks for, plus logging to read the console.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
DESKTOP, PHONE = (1280, 1600), (390, 844)


# -- reading a page -----------------------------------------------------------------------


@attrs.define
class Node:
    """An element of a parsed page: its tag, attributes and text (its own and its children's)."""

    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Page(html.parser.HTMLParser):
    """Every element of a page, in order, with the text inside it."""

    VOID = frozenset({"meta", "br", "img", "input", "link", "hr", "path"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[Node] = []
        self._open: list[Node] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attributes})
        self.nodes.append(node)
        if tag not in self.VOID:
            self._open.append(node)

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self._open) - 1, -1, -1):
            if self._open[k].tag == tag:
                del self._open[k:]
                break

    def handle_data(self, data: str) -> None:
        for node in self._open:
            node.text += data

    def having(self, cls: str, **wanted: str) -> list[Node]:
        """Elements with class ``cls`` and the given attribute values (``data_x`` for data-x)."""
        found = [n for n in self.nodes if cls in n.classes]
        for key, value in wanted.items():
            found = [n for n in found if n.attrs.get(key.replace("_", "-")) == value]
        return found


def marks(page: Page) -> list[Node]:
    """The one mark per event (not the echoes drawn in other lanes)."""
    return page.having("ev")


def lanes(page: Page) -> set[str]:
    return {n.attrs["data-actor"] for n in page.having("lane") if "data-actor" in n.attrs}


# -- Chromium -------------------------------------------------------------------------------


def _chromium() -> str | None:
    path = os.environ.get("CRISIS_MODEL_TEST_CHROMIUM")
    if path and Path(path).exists():
        return path
    if os.environ.get("CRISIS_MODEL_REQUIRE_SERVICES") == "1":
        pytest.fail("CRISIS_MODEL_REQUIRE_SERVICES=1 but CRISIS_MODEL_TEST_CHROMIUM "
                    f"does not name a chromium binary (got {path!r})")
    pytest.skip("set CRISIS_MODEL_TEST_CHROMIUM to a chromium binary to run browser tests")


@pytest.fixture(scope="module")
def chromium() -> str:
    """The chromium binary (skips, or fails when services are required, without one)."""
    path = _chromium()
    assert path is not None
    return path


@attrs.frozen
class Run:
    """What one Chromium launch gave: the dumped DOM (or a screenshot) and its log."""

    dom: str
    log: str
    screenshot: bytes | None

    @property
    def console(self) -> list[str]:
        """Console messages the page produced (errors and logs alike)."""
        return [line for line in self.log.splitlines() if ":CONSOLE" in line]


def launch(chromium: str, page: Path, *, size: tuple[int, int],
           screenshot: Path | None = None) -> Run:
    """Load ``page`` from a file in a fresh headless Chromium; dump the DOM or take a shot."""
    with tempfile.TemporaryDirectory(prefix="crisis-model-chromium-") as profile:
        args = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                f"--window-size={size[0]},{size[1]}"]
        args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
        result = subprocess.run([*args, page.resolve().as_uri()], capture_output=True,
                                text=True, timeout=180)
    assert 0 == result.returncode, result.stderr[-3000:]
    shot = screenshot.read_bytes() if screenshot is not None else None
    return Run(result.stdout, result.stderr, shot)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed, the branch against the seed, and the seed as of 11 August 2024."""
    out = tmp_path_factory.mktemp("reports")
    seed, branch = cm.load_scenario(SEED), cm.load_scenario(BRANCH)
    docs = {
        "seed": cm.report(seed),
        "branch": cm.report(branch, base=seed),
        "as-of": cm.report(seed, as_of=dt.date(2024, 8, 11)),
    }
    paths = {}
    for name, text in docs.items():
        paths[name] = out / f"{name}.html"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def browser(chromium: str, pages: dict[str, Path],
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every page dumped at both sizes and the seed and branch photographed at both, in
    one batch (each launch costs seconds)."""
    shots = tmp_path_factory.mktemp("shots")
    sizes = {"desktop": DESKTOP, "phone": PHONE}
    jobs: dict[str, tuple[Path, tuple[int, int], Path | None]] = {}
    for key in ("seed/desktop", "seed/phone", "branch/desktop", "as-of/phone"):
        name, label = key.split("/")
        jobs[f"{key}/dom"] = (pages[name], sizes[label], None)
    for key in ("seed/desktop", "seed/phone", "branch/phone"):
        name, label = key.split("/")
        jobs[f"{key}/shot"] = (pages[name], sizes[label], shots / f"{name}-{label}.png")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(launch, chromium, page, size=size, screenshot=shot)
                   for key, (page, size, shot) in jobs.items()}
        return {key: f.result() for key, f in futures.items()}


# -- in the browser --------------------------------------------------------------------------


class TestInBrowser:
    @pytest.mark.parametrize("key", ["seed/desktop", "seed/phone", "branch/desktop",
                                     "as-of/phone"])
    def test_scripts_run_without_errors(self, browser, key):
        """The page's scripts ran to the end, recorded no error and logged nothing."""
        run = browser[f"{key}/dom"]
        root = Page(run.dom).nodes[0]
        assert ("html", "ready", "0", []) == (
            root.tag, root.attrs.get("data-js"), root.attrs.get("data-js-errors"), run.console)

    @pytest.mark.parametrize("size", ["desktop", "phone"])
    def test_seed_marks_and_lanes(self, browser, size):
        """One mark per event of the seed and one lane per actor, in the DOM Chromium built."""
        seed = cm.load_scenario(SEED)
        page = Page(browser[f"seed/{size}/dom"].dom)
        assert len(seed.events) == len(marks(page))
        assert sorted(m.attrs["data-i"] for m in marks(page)) == sorted(
            str(i) for i in range(len(seed.events)))
        assert set(seed.replay().actors) == lanes(page)

    def test_seed_recognition_matrix(self, browser):
        """The matrix has a cell per actor with a stance and column; two are filled."""
        page = Page(browser["seed/desktop/dom"].dom)
        cells = page.having("rm-cell")
        filled = {(c.attrs["data-actor"], c.attrs["data-col"]): c.text for c in cells
                  if "on" in c.classes}
        assert 2 * 4 == len(cells)   # United States and Brazil x 2 candidates, withholds, rejects
        assert {("united-states", "gonzalez"): "since 2024-08-01",
                ("brazil", "withholds"): "since 2024-08"} == filled

    def test_branch_page(self, browser):
        """The branch page marks its own five events and lists the differences at the end."""
        base, branch = cm.load_scenario(SEED), cm.load_scenario(BRANCH)
        page = Page(browser["branch/desktop/dom"].dom)
        own = [m for m in marks(page) if "branch" in m.classes]
        assert len(branch.events) == len(marks(page))
        assert list(range(41, 46)) == sorted(int(m.attrs["data-i"]) for m in own)
        assert len(cm.diff(base.replay(), branch.replay())) == len(page.having("change"))
        assert {"branch departs 2024-12-02"} == {n.text for n in page.having("departs")}

    def test_as_of_page(self, browser):
        """As of 11 August: the events state_at counts, the uncertain ones marked."""
        seed = cm.load_scenario(SEED)
        day = dt.date(2024, 8, 11)
        page = Page(browser["as-of/phone/dom"].dom)
        shown = {int(m.attrs["data-i"]): m for m in marks(page)}
        uncertain = [i for i, _ in cm.uncertain_events(seed.events, day)]
        included = [i for i, _ in included_events(seed.events, day)]
        assert sorted(included + uncertain) == sorted(shown)
        assert uncertain == sorted(i for i, m in shown.items() if "uncertain" in m.classes)

    def test_screenshots(self, browser):
        """Chromium photographs the seed at a desktop and a phone size, the branch on a phone."""
        sizes = [png_size(browser[f"{key}/shot"].screenshot or b"")
                 for key in ("seed/desktop", "seed/phone", "branch/phone")]
        assert [DESKTOP, PHONE, PHONE] == sizes

    @settings(max_examples=2, deadline=None, database=None)
    @given(log=event_logs(min_size=8, max_size=40))
    def test_generated_logs_in_the_browser(self, chromium, log):
        """A few generated logs load in Chromium: a mark per event, a lane per actor, no error."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "log.html"
            path.write_text(cm.report(log), encoding="utf-8")
            run = launch(chromium, path, size=DESKTOP)
        page = Page(run.dom)
        assert (len(log), set(cm.replay(log).actors), "0", []) == (
            len(marks(page)), lanes(page), page.nodes[0].attrs.get("data-js-errors"),
            run.console)

    def test_hostile_strings_stay_text(self, chromium, tmp_path):
        """Names, notes and sources full of markup and control characters show as text."""
        log, sources = hostile_log()
        path = tmp_path / "hostile.html"
        path.write_text(cm.report(log, sources=sources, title=HOSTILE), encoding="utf-8")
        run = launch(chromium, path, size=DESKTOP)
        page = Page(run.dom)
        assert ("0", [], 2) == (page.nodes[0].attrs.get("data-js-errors"), run.console,
                                sum(1 for n in page.nodes if n.tag == "script"))
        labels = [n.text for n in page.nodes if "lab" in n.classes and n.attrs.get("title")]
        assert any(SHOWN in text for text in labels)


# -- the page as a string --------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script>\"quoted\" & 'single' \x00\x07\x1b[31m\ud800 end"
#: How HOSTILE reads on the page: markup as text, control characters as \\xNN, a lone
#: surrogate replaced.
SHOWN = "<script>alert('x')</script>\"quoted\" & 'single' \\x00\\x07\\x1b[31m\ufffd end"


def hostile_log() -> tuple[list[cm.Event], dict[str, cm.Source]]:
    """A small log whose every string field is hostile."""
    day = dt.date(2024, 7, 1)
    log: list[cm.Event] = [
        ActorIntroduced(occurred_on=day, actor="x<y>", name=HOSTILE, kind=cm.ActorKind.PERSON,
                        country="VEN", note=HOSTILE, sources=("src\"1",)),
        ActorIntroduced(occurred_on=day, actor="esp", name="Spain", kind=cm.ActorKind.
                        FOREIGN_GOVERNMENT, country="ESP"),
        WentIntoHiding(occurred_on=dt.date(2024, 8, 1), precision=cm.Precision.MONTH,
                       person="x<y>", location=HOSTILE, sources=("src\"1", "</script>")),
        LeftCountry(occurred_on=dt.date(2024, 9, 8), person="x<y>", to="ESP"),
        ProtestHeld(occurred_on=dt.date(2024, 9, 9), demand=HOSTILE, location=HOSTILE),
    ]
    sources = {"src\"1": cm.Source(id="src\"1", outlet=HOSTILE, title=HOSTILE,
                                   url="javascript:alert(1)", note=HOSTILE)}
    return log, sources


class TestPage:
    def test_self_contained(self):
        """No external resource: no src, no stylesheet link, no url(), and a CSP forbidding
        any connection."""
        page = cm.report(cm.load_scenario(SEED))
        assert [] == re.findall(r"\ssrc=|<link\b|url\(|@import|fetch\(|XMLHttpRequest", page)
        assert "default-src 'none'" in page

    def test_hostile_strings_escaped(self):
        """Every data string is escaped; only the page's own two scripts exist; no raw
        control character or surrogate; unsafe URLs are not links."""
        log, sources = hostile_log()
        page = cm.report(log, sources=sources, title=HOSTILE)
        page.encode("utf-8")   # no lone surrogate left
        assert 2 == page.count("<script>")
        assert [] == re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)
        assert "javascript:" not in page
        parsed = Page(page)
        assert SHOWN == next(n.text for n in parsed.nodes if n.tag == "title")
        assert len(log) == len(marks(parsed))

    def test_seed_views(self):
        """The seed page names the facts a reader looks for, in each view."""
        page = cm.report(cm.load_scenario(SEED))
        for text in ("in exile: Spain (ESP)", "in hiding: Caracas",
                     "in an embassy: foreign embassies", "asylum sought from Spain",
                     "holds president-ven", "threatened with arrest",
                     "recognises Edmundo González", "withholds recognition",
                     "fell short", "Nicolás Maduro 52%", "Edmundo González 67%",
                     "≥0", "103", "225", "Events resting on a single source (34)",
                     "cited by 25 events, 18 resting on it alone",
                     "known only to the month: 2024-08-01 to 2024-08-31"):
            assert text in page, text

    def test_single_source_marks(self):
        """Events citing one source are marked so, on the timeline and in the list."""
        seed = cm.load_scenario(SEED)
        page = Page(cm.report(seed))
        single = sorted(str(i) for i, e in enumerate(seed.events) if len(e.sources) == 1)
        assert single == sorted(m.attrs["data-i"] for m in marks(page) if "single" in m.classes)

    def test_branch_without_sources_marked(self):
        """The branch's own events cite nothing and are listed as such."""
        seed, branch = cm.load_scenario(SEED), cm.load_scenario(BRANCH)
        page = Page(cm.report(branch, base=seed))
        assert 5 == len([m for m in marks(page) if "none" in m.classes])

    def test_lenient_draws_rejected_events(self):
        """Leniently, an event the rules reject is drawn, flagged, with its problem."""
        log, _ = hostile_log()
        bad = WinnerRecognized(occurred_on=dt.date(2024, 9, 10), by="esp", election="nope",
                               winner="x<y>")
        with pytest.raises(cm.RuleViolation):
            cm.report([*log, bad])
        page = Page(cm.report([*log, bad], lenient=True))
        assert [str(len(log))] == [m.attrs["data-i"] for m in marks(page)
                                   if "rejected" in m.classes]

    def test_empty_log(self):
        """An empty log gives a page that says so."""
        page = cm.report([])
        assert ("No events to show." in page, 0) == (True, len(marks(Page(page))))

    def test_timeline_axis_covers_windows(self):
        """A year-precision event spans its whole year; a month one its month."""
        page = Page(cm.report(cm.load_scenario(SEED)))
        style = {m.attrs["data-i"]: m.attrs["style"].rsplit(";top:", 1)[0] for m in marks(page)}
        assert "left:0.000%;width:100.000%" == style["0"]          # 2024: the whole axis
        assert style["27"] == style["28"] != style["39"]            # 2024-08 twice; 2024-11
        assert style["37"].startswith("left:calc(")                 # 2024-09-08: a dot

    def test_user_types_and_slices(self):
        """An event type the report does not know, and a state slice, are drawn generically."""
        with cm.registry.scoped():
            cm.state_slice("test.tension", 0)

            @cm.event_type("test.tension_rose")
            @attrs.frozen(kw_only=True)
            class TensionRose(cm.Event):
                by: str = cm.ref("actor")
                level: int = 1

            @cm.handler(TensionRose)
            def _rose(state: cm.CrisisState, e: TensionRose) -> cm.CrisisState:
                return state.with_slice("test.tension", state.slices["test.tension"] + e.level)

            log, _ = hostile_log()
            log = [*log, TensionRose(occurred_on=dt.date(2024, 9, 10), by="esp", level=3)]
            page = cm.report(log)
            doc = timelinejs(log)
        parsed = Page(page)
        assert len(log) == len(marks(parsed))
        assert "test.tension_rose: by=esp, level=3" in page
        slice_band = [n for n in parsed.having("band") if n.attrs.get("data-kind") == "slice"]
        assert (1, True, True) == (len(slice_band), slice_band[0].text.startswith(
            "test.tensionstate slice"), "3" in slice_band[0].text)
        assert len(log) == len(doc["events"])

    @settings(deadline=None)
    @given(log=event_logs(max_size=40))
    def test_any_admissible_log_renders(self, log):
        """Any admissible log renders, with exactly one mark per event and a lane per actor."""
        page = Page(cm.report(log))
        assert len(log) == len(marks(page))
        assert set(cm.replay(log).actors) == lanes(page)
        assert sorted(range(len(log))) == sorted(int(m.attrs["data-i"]) for m in marks(page))

    @settings(deadline=None, max_examples=25)
    @given(log=event_logs(min_size=1, max_size=30), days=st.integers(0, 800))
    def test_any_log_as_of_any_day(self, log, days):
        """As of any day, the page shows the events state_at counts and, marked, the uncertain."""
        day = dt.date(2024, 1, 1) + dt.timedelta(days=days)
        page = Page(cm.report(log, as_of=day))
        shown = {int(m.attrs["data-i"]): m for m in marks(page)}
        uncertain = [i for i, _ in cm.uncertain_events(log, day)]
        assert sorted([i for i, _ in included_events(log, day)] + uncertain) == sorted(shown)
        assert uncertain == sorted(i for i, m in shown.items() if "uncertain" in m.classes)

    @settings(deadline=None, max_examples=25)
    @given(log=event_logs(min_size=2, max_size=30), cut=st.integers(0, 30))
    def test_any_branch(self, log, cut):
        """A log against a prefix of itself: it departs after the prefix; diff rows match."""
        cut = min(cut, len(log))
        page = Page(cm.report(log, base=log[:cut]))
        expected = len(cm.diff(cm.replay(log[:cut]), cm.replay(log)))
        assert (len(log) - cut, expected) == (
            len([m for m in marks(page) if "branch" in m.classes]), len(page.having("change")))


class TestTimelineJS:
    def test_seed_document(self):
        """A slide per event, dated at its precision, grouped by actor; eras for bands."""
        seed = cm.load_scenario(SEED)
        doc = timelinejs(seed)
        events = doc["events"]
        assert len(seed.events) == len(events)
        by_id = {e["unique_id"]: e for e in events}
        assert {"year": 2024} == by_id["event-0"]["start_date"]
        assert {"year": 2024, "month": 8} == by_id["event-28"]["start_date"]
        assert {"year": 2024, "month": 8, "day": 31} == by_id["event-28"]["end_date"]
        assert {"year": 2024, "month": 9, "day": 8} == by_id["event-37"]["start_date"]
        assert "end_date" not in by_id["event-37"]
        assert "María Corina Machado" == by_id["event-28"]["group"]
        assert any("in exile: Spain (ESP)" in e["text"]["headline"] for e in doc["eras"])
        assert len(Counter(e["unique_id"] for e in events)) == len(events)
        json.dumps(doc)

    def test_escaped(self):
        """TimelineJS reads headline and text as HTML, so data strings are escaped."""
        log, _ = hostile_log()
        text = json.dumps(timelinejs(log, title=HOSTILE), ensure_ascii=False)
        text.encode("utf-8")
        assert "<script>" not in text and "&lt;script&gt;" in text


# -- the command line -----------------------------------------------------------------------


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crisis_model", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


class TestCommandLine:
    def test_report(self, tmp_path):
        """`report FILE -o OUT` writes the page and says so."""
        out = tmp_path / "venezuela.html"
        result = run("report", "seeds/venezuela_2024.toml", "-o", str(out))
        assert (0, "") == (result.returncode, result.stdout)
        assert 41 == len(marks(Page(out.read_text(encoding="utf-8"))))

    def test_report_branch_as_of(self, tmp_path):
        """`--base` and `--as-of` reach the page."""
        out = tmp_path / "branch.html"
        result = run("report", str(BRANCH), "--base", str(SEED), "--as-of", "2025-01-01",
                     "-o", str(out))
        page = out.read_text(encoding="utf-8")
        assert (0, True, True) == (result.returncode, "branch departs 2024-12-02" in page,
                                   "As of <b>2025-01-01</b>" in page)

    def test_report_stdout(self):
        """Without -o the page goes to stdout."""
        result = run("report", "seeds/venezuela_2024.toml")
        assert (0, True) == (result.returncode, result.stdout.startswith("<!DOCTYPE html>"))

    def test_report_rule_violation(self, tmp_path):
        """A scenario breaking the rules exits 1 with the file and line; nothing written."""
        bad = tmp_path / "bad.toml"
        bad.write_text('[scenario]\nid = "b"\ntitle = "B"\n\n[[events]]\n'
                       'type = "movement.went_into_hiding"\noccurred_on = 2024-01-01\n'
                       'person = "nobody"\n', encoding="utf-8")
        out = tmp_path / "out.html"
        result = run("report", str(bad), "-o", str(out))
        assert (1, False, True) == (result.returncode, out.exists(), "bad.toml:5" in result.stderr)
        assert "Traceback" not in result.stderr

    def test_report_missing_file(self, tmp_path):
        """A missing file exits 2 without a traceback."""
        result = run("report", str(tmp_path / "nope.toml"))
        assert (2, False) == (result.returncode, "Traceback" in result.stderr)

    def test_report_into_directory(self, tmp_path):
        """Writing over a directory, or into one that does not exist, is refused cleanly
        and leaves no temporary file."""
        over = run("report", "seeds/venezuela_2024.toml", "-o", str(tmp_path))
        into = run("report", "seeds/venezuela_2024.toml", "-o", str(tmp_path / "no" / "x.html"))
        assert (2, 2, []) == (over.returncode, into.returncode, list(tmp_path.iterdir()))
        assert ("cannot write", "cannot write") == (over.stderr[21:33], into.stderr[21:33])

    def test_export_timelinejs(self, tmp_path):
        """`export timelinejs FILE -o OUT` writes the TimelineJS3 document."""
        out = tmp_path / "timeline.json"
        result = run("export", "timelinejs", "seeds/venezuela_2024.toml", "-o", str(out))
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert (0, 41) == (result.returncode, len(doc["events"]))

    def test_help(self):
        """Both commands have help with an example."""
        report, export = run("report", "--help"), run("export", "--help")
        assert "crisis-model report seeds/venezuela_2024.toml -o venezuela.html" in report.stdout
        assert "timelinejs" in export.stdout


class TestKnownOn:
    def test_seed_as_known_on_august_15(self):
        """As known on 2024-08-15 the seed's report draws the 23 events reported by then:
        the amnesty idea and the US recognition, nothing of November."""
        seed = cm.load_scenario(SEED)
        page = Page(cm.report(seed, known_on=dt.date(2024, 8, 15)))
        known = cm.as_known(seed.events, dt.date(2024, 8, 15), sources=seed.sources).events
        assert 23 == len(known)
        assert len(known) == len(marks(page))
        assert len(seed.events) == len(marks(Page(cm.report(seed))))


def _bands_read_every_day(model):
    """The bands as the report first drew them: every actor read on every day (the oracle)."""
    from crisis_model.reporting._model import BAND_KINDS, BandRow, _segments

    rows = {}
    for day, state in model.samples:
        for actor in model.actors:
            current = state.actors.get(actor.id)
            if current is None:
                continue
            for kind in BAND_KINDS:
                for label, text, style in kind.rows(current, state, model.name):
                    rows.setdefault((actor.id, kind.key, label), {})[day] = (text, style)
    days = [d for d, _ in model.samples]
    out = []
    for actor in model.actors:
        for kind in BAND_KINDS:
            for (aid, key, label), values in rows.items():
                if aid == actor.id and key == kind.key:
                    segments = _segments([(d, values.get(d)) for d in days], model.bands_end)
                    if segments:
                        out.append(BandRow(actor.id, kind.key, label, segments))
    return tuple(out)


class TestModelOverTime:
    @settings(deadline=None, max_examples=40)
    @given(log=event_logs(min_size=1, max_size=60), days=st.integers(0, 900))
    def test_bands_equal_reading_every_actor_every_day(self, log, days):
        """The bands, read only where an actor's record changed, equal reading every actor
        on every day; each sample is what ``state_at`` answers for its day."""
        from crisis_model.reporting._model import build

        for as_of in (None, dt.date(2024, 1, 1) + dt.timedelta(days=days)):
            model = build(log, as_of=as_of)
            history = cm.History(log)
            assert [(d, history.state_at(d)) for d, _ in model.samples] == list(model.samples)
            assert _bands_read_every_day(model) == model.bands

    def test_changes_name_the_actors_whose_record_changed(self):
        """``changes`` holds, per sample, the actors new or changed that day, in the order
        they were introduced."""
        day = dt.date(2024, 1, 1)
        log = [ActorIntroduced(occurred_on=day, actor="b", name="B", kind=cm.ActorKind.PERSON),
               ActorIntroduced(occurred_on=day, actor="a", name="A", kind=cm.ActorKind.PERSON),
               WentIntoHiding(occurred_on=day + dt.timedelta(days=2), person="a"),
               ActorIntroduced(occurred_on=day + dt.timedelta(days=5), actor="c", name="C",
                               kind=cm.ActorKind.PARTY)]
        from crisis_model.reporting._model import build

        model = build(log)
        assert ((day, day + dt.timedelta(days=2), day + dt.timedelta(days=5)),
                (("b", "a"), ("a",), ("c",))) == (
            tuple(d for d, _ in model.samples), model.changes)

    def test_a_kind_that_reads_the_state_is_read_every_day(self, monkeypatch):
        """A band kind that reads the state (the default) is read again on every day for
        every actor; one that says it reads only the actor, only when the actor changed."""
        from crisis_model.reporting import _model

        day = dt.date(2024, 1, 1)
        log = [ActorIntroduced(occurred_on=day, actor="a", name="A", kind=cm.ActorKind.PERSON),
               ActorIntroduced(occurred_on=day + dt.timedelta(days=1), actor="b", name="B",
                               kind=cm.ActorKind.PERSON),
               ActorIntroduced(occurred_on=day + dt.timedelta(days=2), actor="c", name="C",
                               kind=cm.ActorKind.PERSON)]
        calls = []

        def crowd(actor, state, name):
            calls.append(("crowd", actor.id, len(state.actors)))
            yield "crowd", f"{len(state.actors)} actors", "crowd"

        def own(actor, state, name):
            calls.append(("own", actor.id, len(state.actors)))
            yield "own", actor.name, "own"

        kinds = [_model.BandKind("crowd", "Crowd", crowd),
                 _model.BandKind("own", "Own", own, reads_state=False)]
        monkeypatch.setattr(_model, "BAND_KINDS", kinds)
        model = _model.build(log)
        expected_calls = [("crowd", "a", 1), ("own", "a", 1),
                          ("crowd", "b", 2), ("own", "b", 2), ("crowd", "a", 2),
                          ("crowd", "c", 3), ("own", "c", 3), ("crowd", "a", 3),
                          ("crowd", "b", 3)]
        texts = {(r.actor, r.kind): [s.text for s in r.segments] for r in model.bands}
        assert (expected_calls, {("a", "crowd"): ["1 actors", "2 actors", "3 actors"],
                                 ("a", "own"): ["A"], ("b", "crowd"): ["2 actors", "3 actors"],
                                 ("b", "own"): ["B"], ("c", "crowd"): ["3 actors"],
                                 ("c", "own"): ["C"]}) == (calls, texts)

    def test_an_exiles_host_is_named_once_its_government_is_known(self):
        """An exile's whereabouts read the state (the host country's government): the band
        names it from the day that government is introduced, though the exile's own record
        did not change that day."""
        from crisis_model.reporting._model import build

        day = dt.date(2024, 1, 1)
        log = [ActorIntroduced(occurred_on=day, actor="p", name="P", kind=cm.ActorKind.PERSON),
               LeftCountry(occurred_on=day + dt.timedelta(days=1), person="p", to="ESP"),
               ActorIntroduced(occurred_on=day + dt.timedelta(days=3), actor="es", name="Spain",
                               kind=cm.ActorKind.FOREIGN_GOVERNMENT, country="ESP")]
        bands = [(r.actor, r.kind, [(s.start.day, s.text) for s in r.segments])
                 for r in build(log).bands]
        assert [("p", "whereabouts", [(1, "at large"), (2, "in exile: ESP"),
                                      (4, "in exile: Spain (ESP)")])] == bands

    def test_reads_state_is_a_bool_or_a_predicate(self):
        """``reads_state`` takes a bool or a predicate; anything else is refused at once."""
        from crisis_model.reporting import BandKind

        def rows(actor, state, name):
            return ()

        with pytest.raises(TypeError) as caught:
            BandKind("k", "K", rows, reads_state="yes")
        kinds = [BandKind("k", "K", rows, reads_state=r).reads_state
                 for r in (False, True, callable)]
        assert ([False, True, callable],
                "reads_state must be True, False or a predicate of an actor, got 'yes'") == (
            kinds, str(caught.value))
