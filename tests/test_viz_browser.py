"""Open the written graph page in headless Chromium (system binary, no downloads).

CI installs Debian's ``chromium``; ``playwright install`` is deliberately not used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from support import assert_clean, assert_rendered, open_graph

from kg.viz import write_graph_html

pytestmark = pytest.mark.browser


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
