"""Open the written graph page in headless Chromium (system binary, no downloads).

CI installs Debian's ``chromium``; ``playwright install`` is deliberately not used.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.viz import write_graph_html

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the machine (vis-network's CSS uses data: images).
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str | None:
    """System Chromium, as installed by `apt-get install chromium`."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@dataclass
class PageLog:
    """What the page did while loading: console errors, JS exceptions, requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium binary (install Debian's `chromium`; `playwright install` is not used)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def open_graph(browser: Any, html_path: Path, setup_script: str = "") -> tuple[Any, PageLog]:
    """Load the page from file:// and wait until vis-network has drawn once."""
    log = PageLog()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("request", lambda request: log.requests.append(request.url))
    if setup_script:
        page.add_init_script(setup_script)
    page.goto(html_path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        "() => window.network !== undefined && window.kgDrawn === true", timeout=30_000
    )
    return page, log


def sample_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node(
        "ev1",
        kind="event",
        label="لقاء وزير الخارجية",
        tooltip="Meeting\n2024-05-01",
        url="https://example.org/a",
    )
    g.add_node("p1", kind="person", label="أيمن الصفدي", tooltip='He said "yes" & <no>')
    g.add_node("o1", kind="organization", label="United Nations")
    g.add_node("c1", kind="country", label="Jordan")
    g.add_node("t1", kind="topic", label="Gaza")
    g.add_node("pl1", kind="place", label="Amman")
    for target, label, weight in [
        ("p1", "host", 3),
        ("o1", "guest", 1),
        ("c1", "guest", 2),
        ("t1", "topic", 1),
        ("pl1", "place", 1),
    ]:
        g.add_edge("ev1", target, label=label, weight=weight)
    return g


def assert_rendered(page: Any, graph: nx.Graph) -> None:
    """The vis DataSet holds every node, each has a position, and the canvas has size."""
    assert page.evaluate("() => network.body.data.nodes.length") == graph.number_of_nodes()
    assert page.evaluate("() => network.body.data.edges.length") == graph.number_of_edges()
    positions = page.evaluate("() => network.getPositions()")
    assert set(positions) == {str(node) for node in graph.nodes}
    size = page.evaluate(
        "() => { const c = document.querySelector('#mynetwork canvas');"
        " return c ? [c.width, c.height] : null; }"
    )
    assert size is not None and size[0] > 0 and size[1] > 0


def assert_clean(log: PageLog) -> None:
    assert log.console_errors == []
    assert log.page_errors == []
    assert log.foreign_requests() == []


def test_small_graph_renders_offline(browser: Any, tmp_path: Path) -> None:
    graph = sample_graph()
    page, log = open_graph(browser, write_graph_html(graph, tmp_path / "g.html"))
    try:
        assert_rendered(page, graph)
        assert page.evaluate("() => network.physics.options.enabled") is True
        label = page.evaluate("() => network.body.data.nodes.get('p1').label")
        assert label == "أيمن الصفدي"
        legend = page.inner_text(".kg-legend")
        assert "organization" in legend and "place" in legend
        assert_clean(log)
    finally:
        page.close()


def test_large_graph_renders_without_physics(browser: Any, tmp_path: Path) -> None:
    graph = nx.gnm_random_graph(400, 700, seed=5)
    nx.set_node_attributes(graph, "person", "kind")
    page, log = open_graph(browser, write_graph_html(graph, tmp_path / "big.html"))
    try:
        assert_rendered(page, graph)
        assert page.evaluate("() => network.physics.options.enabled") is False
        assert_clean(log)
    finally:
        page.close()


def test_hostile_tooltip_does_not_execute(browser: Any, tmp_path: Path) -> None:
    graph = nx.Graph()
    hostile = '<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>'
    graph.add_node("evil", kind="person", label=hostile, tooltip=hostile)
    graph.add_node("ok", kind="event", label="ok", tooltip="fine")
    graph.add_edge("evil", "ok", label=hostile)
    path = write_graph_html(graph, tmp_path / "xss.html", title=hostile)
    page, log = open_graph(browser, path, setup_script="window.__xss = 0;")
    try:
        assert_rendered(page, graph)
        # Show the tooltip for the hostile node: vis puts our text node in its popup.
        pos = page.evaluate("() => network.canvasToDOM(network.getPositions(['evil'])['evil'])")
        box = page.locator("#mynetwork canvas").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        page.wait_for_selector("div.vis-tooltip .kg-tip", state="attached", timeout=5_000)
        assert page.inner_text("div.vis-tooltip .kg-tip").startswith("<img src=x")
        assert page.evaluate("() => window.__xss") == 0
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        assert page.title() == hostile
        assert_clean(log)
    finally:
        page.close()
