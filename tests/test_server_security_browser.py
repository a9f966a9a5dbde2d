"""The hostile article (tests/test_server_security.py) in headless Chromium: every page of the
server and the offline `kg viz` page load, are clicked and hovered, and nothing in the article
runs — no dialog, `window.__pwned` never set, no console error (a script the CSP blocked would
log one), no markup element made of it, and no link that is not http(s)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support import PageLog
from test_server import serving
from test_server_security import (
    HOSTILE_TITLE,
    PWNED_BREAKOUT,
    PWNED_IMG,
    PWNED_SCRIPT,
    PWNED_URL,
    HostileStore,
    build_hostile_store,
)

from kg.server import create_app

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
VIEWS = ["countries", "actors", "events", "topics"]
#: Nodes clicked and hovered per view (the hostile event and its people always among them).
NODES_PER_VIEW = 25
#: Elements the payloads would make if they were read as HTML (vis-network draws on a canvas).
MARKUP_ELEMENTS = "img, svg, iframe, object, embed, video, audio"
KG = [sys.executable, "-m", "kg.cli"]
LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def hostile(example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> HostileStore:
    return build_hostile_store(example_store_dir, tmp_path_factory.mktemp("hostile") / "store")


@pytest.fixture(scope="module")
def base_url(hostile: HostileStore) -> Iterator[str]:
    with serving(create_app(hostile.directory)) as url:
        yield url


class Visit:
    """A page in Chromium with everything it logged, its dialogs and any pages it opened.
    `window.__pwned` is left undefined: the payloads would set it."""

    def __init__(self, browser: Any, url: str) -> None:
        self.log = PageLog()
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})
        self.page = self.context.new_page()
        page = self.page
        page.on(
            "console",
            lambda m: self.log.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.log.page_errors.append(str(exc)))
        page.on("request", lambda request: self.log.requests.append(request.url))
        page.on("dialog", self._dialog)
        self.downloaded = False
        try:
            page.goto(url, wait_until="load")
        except Exception as error:  # a type the browser does not show is downloaded
            if "Download is starting" not in str(error):
                raise
            self.downloaded = True

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_inert(self, allowed_prefixes: tuple[str, ...]) -> None:
        page = self.page
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert self.dialogs == []
        assert self.log.console_errors == []
        assert self.log.page_errors == []
        local = (*allowed_prefixes, "data:", "blob:", "about:")
        assert [u for u in self.log.requests if not u.startswith(local)] == []
        assert page.evaluate(f"() => document.querySelectorAll('{MARKUP_ELEMENTS}').length") == 0
        assert len(self.context.pages) == 1  # nothing opened a window
        for href in page.evaluate(LINKS):
            assert href.startswith(("/", "?", "#", "http://", "https://")), href
            assert "javascript:" not in href.lower()

    def close(self) -> None:
        self.context.close()


# --- graph pages ---------------------------------------------------------------------------


def node_position(page: Any, node: str) -> tuple[float, float]:
    page.evaluate("(id) => network.focus(id, {scale: 1.2, animation: false})", node)
    page.wait_for_timeout(60)
    pos = page.evaluate("(id) => network.canvasToDOM(network.getPositions([id])[id])", node)
    box = page.locator("#mynetwork canvas").bounding_box()
    assert box is not None
    return box["x"] + pos["x"], box["y"] + pos["y"]


def details(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => {
          const panel = document.getElementById('kg-details');
          return {
            node: panel.dataset.node,
            text: panel.innerText,
            links: [...panel.querySelectorAll('a')].map(a => a.getAttribute('href')),
          };
        }"""
    )
    return result


def poke_every_node(visit: Visit, hostile: HostileStore, view: str) -> list[dict[str, Any]]:
    """Hover and click nodes (the hostile event's first), double-click the hostile event; what
    the details panel showed each time (its text and links)."""
    page = visit.page
    page.wait_for_function(
        "() => window.kgReady === true && window.kgDrawn === true", timeout=60_000
    )
    nodes: list[str] = page.evaluate("() => network.body.data.nodes.getIds().map(String)")
    assert nodes, view
    first = [n for n in nodes if n == hostile.event]
    chosen = first + [n for n in nodes if n != hostile.event][: NODES_PER_VIEW - len(first)]
    shown: list[dict[str, Any]] = []
    for node in chosen:
        x, y = node_position(page, node)
        page.mouse.move(x, y)
        page.wait_for_timeout(40)
        page.mouse.click(x, y)
        page.wait_for_selector("#kg-details:not([hidden])", timeout=5_000)
        panel = details(page)
        assert panel["node"] == node
        for href in panel["links"]:
            assert href.startswith(("http://", "https://")), href
        shown.append(panel)
    if first:
        x, y = node_position(page, hostile.event)
        page.mouse.move(1, 1)
        page.mouse.move(x, y, steps=4)
        page.wait_for_function(  # the tooltip shows the quote, as text
            """(img) => { const tip = document.querySelector('div.vis-tooltip');
              return tip && tip.style.visibility !== 'hidden'
                && tip.textContent.includes(img); }""",
            arg=PWNED_IMG,
            timeout=5_000,
        )
        page.mouse.dblclick(x, y)  # opens the article: not a javascript: one
        page.wait_for_timeout(300)
    return shown


def assert_hostile_event_shown_as_text(panels: list[dict[str, Any]], event: str) -> None:
    (panel,) = [p for p in panels if p["node"] == event]
    for payload in (PWNED_IMG, PWNED_SCRIPT, PWNED_BREAKOUT, "Shoukry meets Séjourné"):
        assert payload in panel["text"]
    assert panel["links"] == []  # its javascript: URL made no link


@pytest.mark.parametrize("view", VIEWS)
def test_served_graph_views(browser: Any, base_url: str, hostile: HostileStore, view: str) -> None:
    visit = Visit(browser, f"{base_url}/graph?view={view}")
    try:
        panels = poke_every_node(visit, hostile, view)
        if view == "events":
            assert_hostile_event_shown_as_text(panels, hostile.event)
        visit.assert_inert((base_url + "/",))
    finally:
        visit.close()


def test_served_neighbourhood_of_the_hostile_event(
    browser: Any, base_url: str, hostile: HostileStore
) -> None:
    query = urllib.parse.urlencode({"view": "events", "focus": hostile.event})
    visit = Visit(browser, f"{base_url}/graph?{query}")
    try:
        panels = poke_every_node(visit, hostile, "events")
        assert_hostile_event_shown_as_text(panels, hostile.event)
        visit.assert_inert((base_url + "/",))
    finally:
        visit.close()


def test_offline_kg_viz_page(browser: Any, hostile: HostileStore, tmp_path: Path) -> None:
    out = tmp_path / "events.html"
    done = subprocess.run(
        [*KG, "viz", "--store", str(hostile.directory), "--view", "events", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    visit = Visit(browser, out.resolve().as_uri())
    try:
        panels = poke_every_node(visit, hostile, "events")
        assert_hostile_event_shown_as_text(panels, hostile.event)
        visit.assert_inert(("file:",))
    finally:
        visit.close()


# --- the other pages --------------------------------------------------------------------------


def test_landing_page(browser: Any, base_url: str) -> None:
    visit = Visit(browser, base_url + "/")
    try:
        assert "articles" in visit.page.inner_text("table.figures")
        visit.assert_inert((base_url + "/",))
    finally:
        visit.close()


HEADLINES = """PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?headline ?publisher ?url ?quote WHERE { GRAPH ?g {
  ?article schema:headline ?headline ; schema:publisher ?publisher ; schema:url ?url .
  ?ev oa:hasSource ?article ; oa:exact ?quote FILTER(CONTAINS(?headline, "Séjourné")) } }"""
CELLS = "() => [...document.querySelectorAll('#kg-table tbody td')].map(td => td.textContent)"


def run_query(page: Any) -> None:
    done = page.evaluate("() => window.kgDone || 0")
    page.click("#kg-run")
    page.wait_for_function(f"() => (window.kgDone || 0) > {done}", timeout=30_000)


def test_query_page_shows_the_literals_as_text(
    browser: Any, base_url: str, hostile: HostileStore
) -> None:
    visit = Visit(browser, base_url + "/query")
    page = visit.page
    try:
        page.wait_for_function("() => window.kgReady === true")
        page.fill("#kg-editor", HEADLINES)
        run_query(page)
        assert page.is_hidden("#kg-error")
        headline, publisher, url, quote = page.evaluate(CELLS)
        assert headline == HOSTILE_TITLE and url == PWNED_URL
        assert PWNED_IMG in publisher and PWNED_IMG in quote and PWNED_BREAKOUT in quote
        # the named query, with the event as its parameter
        page.select_option("#kg-named", "event-evidence")
        page.fill('input[data-param="event"]', hostile.event)
        run_query(page)
        assert page.is_hidden("#kg-error")
        cells = page.evaluate(CELLS)
        assert HOSTILE_TITLE in cells and PWNED_URL in cells
        assert any(PWNED_IMG in cell for cell in cells)
        # a literal written in the query comes back as text too
        literal = PWNED_IMG.replace('"', '\\"')
        page.fill("#kg-editor", f'SELECT ("{literal}" AS ?x) {{}}')
        run_query(page)
        assert page.evaluate(CELLS) == [PWNED_IMG]
        visit.assert_inert((base_url + "/",))
    finally:
        visit.close()


@pytest.mark.parametrize(
    "path",
    [
        "/api/queries/event-evidence?event={event}",
        "/api/queries/event-evidence?event={event}&format=xml",
        "/api/queries/event-evidence?event={event}&format=csv",
        "/sparql?query={headlines}&format=xml",
        "/sparql?query={headlines}&format=tsv",
        "/sparql?query={construct}&format=rdfxml",
        "/sparql?query={construct}&format=turtle",
    ],
)
def test_raw_answers_opened_as_pages(
    browser: Any, base_url: str, hostile: HostileStore, path: str
) -> None:
    """Opened directly, an answer is either downloaded or shown as data (XML as a tree),
    never run: its CSP allows no script at all, and its markup is escaped."""
    construct = "CONSTRUCT WHERE { ?a <https://schema.org/headline> ?h }"
    url = base_url + path.format(
        event=urllib.parse.quote(hostile.event, safe=""),
        headlines=urllib.parse.quote(HEADLINES, safe=""),
        construct=urllib.parse.quote(construct, safe=""),
    )
    visit = Visit(browser, url)
    try:
        if not visit.downloaded:
            assert visit.page.evaluate("() => document.querySelectorAll('script').length") == 0
        visit.assert_inert((base_url + "/",))
    finally:
        visit.close()


# --- another site's page ----------------------------------------------------------------------

EVIL_PAGE = """<!DOCTYPE html><html><body>
<img src="{target}/sparql?query=ASK%7B%7D">
<script src="{target}/api/queries/events"></script>
<iframe name="sink"></iframe>
<iframe src="{target}/graph?view=countries"></iframe>
<form id="post" method="POST" action="{target}/sparql" target="sink">
<input name="query" value="ASK {{}}"></form>
<a id="link" href="{target}/graph?view=countries">the graph</a>
<script>
fetch("{target}/sparql?query=ASK%7B%7D", {{mode: "no-cors"}}).catch(function () {{}});
fetch("{target}/sparql", {{method: "POST", mode: "no-cors", body: "ASK {{}}",
  headers: {{"Content-Type": "application/sparql-query"}}}}).catch(function () {{}});
document.getElementById("post").submit();
</script></body></html>"""
EVIL_REQUESTS = 7  # img, script, frame, form, two fetches … and the link, once followed


@pytest.mark.parametrize("evil_host", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site"])
def test_pages_of_other_sites_cannot_make_the_browser_query(
    browser: Any, hostile: HostileStore, evil_host: str
) -> None:
    """A page of another site (localhost vs 127.0.0.1) or another origin (another port) makes
    the browser send requests here; they arrive but run nothing. Following its link works."""
    app = create_app(hostile.directory)
    service = app.state.service
    runs: list[str] = []
    arrived: list[str] = []
    run = service.runner.run

    async def counted(work: Any) -> Any:
        runs.append("run")
        return await run(work)

    service.runner.run = counted

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            arrived.append(f"{scope['method']} {scope['path']}")
        await app(scope, receive, send)

    with serving(counting) as target:  # type: ignore[arg-type]
        page_html = EVIL_PAGE.format(target=target).encode()

        class Evil(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page_html)))
                self.end_headers()
                self.wfile.write(page_html)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        evil = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"http://{evil_host}:{evil.server_address[1]}/", wait_until="load")
            deadline = time.monotonic() + 15
            while len(arrived) < EVIL_REQUESTS - 1 and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert len(arrived) >= EVIL_REQUESTS - 1, arrived
            page.wait_for_timeout(300)
            assert runs == [], arrived  # every one refused before it reached the store
            with page.expect_navigation():
                page.click("#link")
            page.wait_for_function("() => window.kgReady === true", timeout=30_000)
            assert runs == ["run"]  # the graph page, opened by the user's click
        finally:
            context.close()
            evil.shutdown()
            evil.server_close()
