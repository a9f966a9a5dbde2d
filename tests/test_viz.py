"""Unit tests for the offline, injection-safe graph page (no browser needed)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg import viz
from kg.viz import PHYSICS_NODE_LIMIT, to_pyvis, write_graph_html

SCRIPT_BREAKOUT = "</script><script>alert(1)</script>"
IMG_ONERROR = "<img src=x onerror=alert(1)>"
ARABIC = "وزير الخارجية الأردني"


def graph_data(page: str) -> dict[str, Any]:
    """The JSON island the page hands to vis-network."""
    match = re.search(
        r'<script type="application/json" id="kg-graph-data">(.*?)</script>', page, re.S
    )
    assert match, "graph data block missing"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def small_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node(
        "ev1",
        kind="event",
        label="Talks in Amman",
        tooltip="2024-05-01\nTalks",
        url="https://example.org/article",
    )
    g.add_node("p1", kind="person", label=ARABIC, tooltip='Said "hello"')
    g.add_node("c1", kind="country", label="Jordan")
    g.add_node("t1", kind="topic", label="Gaza")
    g.add_edge("ev1", "p1", label="host", weight=3)
    g.add_edge("ev1", "c1", label="place")
    g.add_edge("ev1", "t1", label="topic", weight=1)
    return g


def test_writes_file_and_returns_path(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "graph.html"
    out = write_graph_html(small_graph(), target)
    assert out == target
    assert target.is_file()
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_no_external_scripts_or_styles(tmp_path: Path) -> None:
    page = write_graph_html(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page, re.I)
    assert tags, "expected inline script tags"
    for tag in tags:
        assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", tag, re.I), tag
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert "bootstrap" not in page.lower()
    assert "cdnjs" not in page and "jsdelivr" not in page
    assert "vis.Network" in page  # the library itself is inlined


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    g = nx.Graph()
    hostile = f"{SCRIPT_BREAKOUT} {IMG_ONERROR}"
    g.add_node("x", kind="person", label=hostile, tooltip=hostile + "\n<!-- <script>")
    g.add_node("y", kind="event", label="ok", tooltip="fine")
    g.add_edge("x", "y", label=hostile)
    page = write_graph_html(g, tmp_path / "g.html", title=IMG_ONERROR).read_text("utf-8")
    assert SCRIPT_BREAKOUT not in page
    assert IMG_ONERROR not in page
    assert "<img" not in page.lower()
    assert "<!-- <script>" not in page
    # Exactly our three script elements: data island, vis-network, app code.
    assert page.lower().count("</script") == 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the title, HTML-escaped
    # Escaping must be lossless: the browser gets the original text back.
    data = graph_data(page)
    node = next(n for n in data["nodes"] if n["id"] == "x")
    assert node["title"].startswith(hostile)
    assert "\u003c" in json.dumps(node["title"], ensure_ascii=True)


def test_json_island_cannot_break_out() -> None:
    text = viz.safe_json({"a": "</script><!--&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


def test_arabic_label_preserved(tmp_path: Path) -> None:
    page = write_graph_html(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    assert ARABIC in page
    node = next(n for n in graph_data(page)["nodes"] if n["id"] == "p1")
    assert node["label"] == ARABIC
    assert "Noto Naskh Arabic" in json.dumps(graph_data(page)["options"]["nodes"]["font"])


def test_large_graph_uses_precomputed_layout(tmp_path: Path) -> None:
    g = nx.gnm_random_graph(400, 600, seed=3)
    nx.set_node_attributes(g, "person", "kind")
    data = graph_data(write_graph_html(g, tmp_path / "big.html").read_text(encoding="utf-8"))
    assert data["options"]["physics"]["enabled"] is False
    assert len(data["nodes"]) == 400
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)
    assert len(points) > 390  # nodes are spread out, not stacked


def test_small_graph_keeps_physics_and_override(tmp_path: Path) -> None:
    page = write_graph_html(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    data = graph_data(page)
    assert data["options"]["physics"]["enabled"] is True
    assert all("x" not in n for n in data["nodes"])
    fixed = graph_data(to_pyvis(small_graph(), physics=False).generate_html())
    assert fixed["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in fixed["nodes"])
    assert PHYSICS_NODE_LIMIT == 300


def test_networkx_layout_is_used_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_kk(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
        calls.append("kk")
        return {n: (float(i), 0.0) for i, n in enumerate(graph)}

    monkeypatch.setattr(viz.nx, "kamada_kawai_layout", fake_kk)
    net = to_pyvis(small_graph(), physics=False)
    assert calls == ["kk"]
    xs = [n["x"] for n in net.nodes]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_styles_legend_and_edge_width() -> None:
    g = small_graph()
    g.add_node("odd", kind="alien", label="?")
    g.add_edge("odd", "c1", weight=40)
    net = to_pyvis(g)
    shapes = {n["id"]: n["shape"] for n in net.nodes}
    assert shapes["ev1"] != shapes["p1"] != shapes["c1"]
    colors = {n["kind"]: n["color"]["background"] for n in net.nodes}
    assert len(set(colors.values())) == len(colors)
    widths = {frozenset((e["from"], e["to"])): e["width"] for e in net.edges}
    one, three, forty = (
        widths[frozenset(pair)] for pair in (("ev1", "c1"), ("ev1", "p1"), ("odd", "c1"))
    )
    assert one < three < forty <= viz.MAX_EDGE_WIDTH
    page = net.generate_html()
    legend = re.search(r'<ul class="kg-legend".*?</ul>', page, re.S)
    assert legend
    for kind in ("event", "person", "country", "topic", "other"):
        assert kind in legend.group(0)
    assert "organization" not in legend.group(0)  # only kinds that occur


def test_only_http_urls_are_kept() -> None:
    g = nx.Graph()
    g.add_node("a", kind="event", url="javascript:alert(1)")
    g.add_node("b", kind="event", url="https://example.org/x")
    urls = {n["id"]: n.get("url") for n in to_pyvis(g).nodes}
    assert urls == {"a": None, "b": "https://example.org/x"}


def test_node_ids_are_vis_compatible() -> None:
    g = nx.Graph()
    g.add_edge(("a", 1), ("b", 2))
    assert {n["id"] for n in to_pyvis(g).nodes} == {"('a', 1)", "('b', 2)"}
    clash = nx.Graph()
    clash.add_edge(("x",), "('x',)")
    net = to_pyvis(clash)
    assert len({n["id"] for n in net.nodes}) == 2
    assert {(e["from"], e["to"]) for e in net.edges} == {(0, 1)}


def test_pyvis_entry_points_write_the_safe_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    net = to_pyvis(small_graph(), title="Notebook view")
    net.write_html(str(tmp_path / "nb.html"), notebook=True)
    page = (tmp_path / "nb.html").read_text(encoding="utf-8")
    assert "Notebook view" in page and "kg-graph-data" in page
    assert not (tmp_path / "lib").exists()  # no pyvis lib/ folder copied next to it
    assert "https://cdn" not in page


def test_empty_and_directed_graphs() -> None:
    empty = graph_data(to_pyvis(nx.Graph()).generate_html())
    assert empty["nodes"] == [] and empty["edges"] == []
    d = nx.DiGraph()
    d.add_edge("ev", "p", label="guest")
    opts = graph_data(to_pyvis(d).generate_html())["options"]
    assert opts["edges"]["arrows"]["to"]["enabled"] is True


def test_big_graphs_use_the_fast_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """networkx's layouts take tens of seconds at 3,000 nodes (numpy or not): above
    NETWORKX_LAYOUT_LIMIT the grid force layout runs, in well under a few seconds."""
    import time

    calls: list[str] = []
    monkeypatch.setattr(viz.nx, "spring_layout", lambda *a, **k: calls.append("spring"))
    g = nx.gnm_random_graph(3000, 6000, seed=11)
    started = time.perf_counter()
    positions = viz._pixel_positions(g)
    elapsed = time.perf_counter() - started
    assert calls == []
    assert elapsed < 5.0, f"layout of 3,000 nodes took {elapsed:.1f} s"
    assert len(positions) == 3000 and len(set(positions.values())) == 3000
    xs = [x for x, _ in positions.values()]
    assert max(xs) - min(xs) > 1000  # spread over the canvas, not collapsed
    assert viz._pixel_positions(g) == positions  # the same layout every time


def test_view_pages_carry_events_and_drop_unsafe_urls() -> None:
    g = nx.Graph(
        events={
            "ev": {
                "id": "ev",
                "type": "call",
                "sources": [{"url": "javascript:alert(1)"}, {"url": "https://example.org/x"}],
            }
        }
    )
    g.add_node("a", kind="person", label="A", events=["ev"], labels={"en": "A", "ar": "أ"})
    g.add_node("b", kind="person", label="B", events=["ev"])
    g.add_edge("a", "b", weight=1, events=["ev"], relation="co-participation")
    data = graph_data(to_pyvis(g).generate_html())
    (event,) = data["events"]
    assert [s["url"] for s in event["sources"]] == [None, "https://example.org/x"]
    assert [n["ev"] for n in data["nodes"]] == [[0], [0]]
    (edge,) = data["edges"]
    assert edge["ev"] == [0] and edge["head"] == "A — B" and "title" not in edge
    assert data["nodes"][0]["labels"] == {"en": "A", "ar": "أ"}
    assert data["view"] is None
