"""Test helpers: the system Chromium driven by Playwright (no downloads), the examples.

CI installs Debian's ``chromium``; ``playwright install`` is deliberately not used. With
KG_REQUIRE_BROWSER=1 (set by .ci/run) a missing Chromium fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

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


def launch_browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail("KG_REQUIRE_BROWSER=1 but no Chromium binary is installed")
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


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def examples_by_id() -> dict[str, str]:
    """The example articles' texts by id, to check offsets against."""
    from kg.read import read_paths
    from kg.records import Article

    return {a.id: a.text for a in read_paths([EXAMPLES]) if isinstance(a, Article)}


def article_quads(store: Any) -> set[str]:
    """The store's article graphs as N-Quads lines, without what differs from run to run (the
    ingestion run's IRI and times), so stores built in different ways can be compared."""
    import pyoxigraph as ox

    from kg.namespaces import PROV, REFERENCE_GRAPH
    from kg.store import RUNS_GRAPH

    skipped_graphs = {REFERENCE_GRAPH, RUNS_GRAPH}
    generated_by = str(PROV.wasGeneratedBy)
    return {
        str(quad)
        for quad in store.quads_for_pattern(None, None, None, None)
        if isinstance(quad.graph_name, ox.NamedNode)
        and quad.graph_name.value not in skipped_graphs
        and quad.predicate.value != generated_by
    }
