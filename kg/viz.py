"""Interactive HTML view of the diplomatic knowledge graph (pyvis / vis-network).

pyvis 0.3.2 builds the node, edge and option structures, but its page template is
not used: even with ``cdn_resources="in_line"`` it loads bootstrap from a CDN, renders
the heading unescaped (twice), and switches to an ``innerHTML`` popup as soon as a
tooltip contains "href". Instead :class:`KGNetwork` renders its own page that

* inlines the vis-network JS/CSS shipped inside the pyvis package (works offline),
* carries all article-derived text as JSON in a non-executable ``<script
  type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
* turns tooltips into DOM text nodes (never HTML) before handing them to vis,
* pins scripts with a Content-Security-Policy hash, so injected markup cannot run
  scripts or fetch anything even if some text slipped through.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import random
import re
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

__all__ = [
    "FONT_FACE",
    "KIND_STYLES",
    "PHYSICS_NODE_LIMIT",
    "KGNetwork",
    "to_pyvis",
    "write_graph_html",
]

DEFAULT_TITLE = "Diplomatic knowledge graph"
#: Canvas text needs a font with Arabic glyphs; DejaVu Sans is the usual Linux fallback.
FONT_FACE = "'Noto Naskh Arabic', 'Noto Sans Arabic', 'DejaVu Sans', Arial, sans-serif"
#: Above this many nodes the browser simulation is too slow: lay out in Python instead.
PHYSICS_NODE_LIMIT = 300
#: Node counts up to this use Kamada-Kawai (when networkx can: it needs scipy).
KAMADA_KAWAI_LIMIT = 100
#: Longer labels are cut on the canvas; the full text stays in the tooltip.
MAX_LABEL_CHARS = 48
MAX_EDGE_WIDTH = 10.0

_VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
_EXTERNAL_REF = re.compile(
    r"<(?:script|link|img|iframe|embed|object|source)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KindStyle:
    """How one node kind is drawn on the canvas and shown in the legend."""

    color: str
    border: str
    shape: str
    symbol: str


KIND_STYLES: dict[str, KindStyle] = {
    "person": KindStyle("#4e79a7", "#2d4a66", "dot", "●"),
    "organization": KindStyle("#f28e2b", "#a65d16", "square", "■"),
    "country": KindStyle("#59a14f", "#35622f", "diamond", "◆"),
    "event": KindStyle("#e15759", "#8f2d2f", "star", "★"),
    "topic": KindStyle("#b07aa1", "#6e4964", "triangle", "▲"),
    "place": KindStyle("#9c755f", "#5e4639", "triangleDown", "▼"),
}
OTHER_STYLE = KindStyle("#bab0ac", "#6f6864", "dot", "●")


class KGNetwork(Network):
    """A pyvis ``Network`` whose HTML is self-contained and escapes article text.

    ``write_html``/``save_graph``/``show`` (incl. notebooks) all go through
    :meth:`generate_html`, so every pyvis entry point yields the safe offline page.
    """

    def __init__(self, *, title: str = DEFAULT_TITLE, directed: bool = False) -> None:
        # "in_line" keeps pyvis.write_html from copying a lib/ folder next to the file.
        super().__init__(
            height="750px", width="100%", directed=directed, heading=title, cdn_resources="in_line"
        )

    def generate_html(
        self, name: str = "index.html", local: bool = True, notebook: bool = False
    ) -> str:
        """Render the offline page (pyvis signature kept; its arguments are moot)."""
        options = (
            self.options if isinstance(self.options, dict) else json.loads(self.options.to_json())
        )
        self.html = render_page(
            self.nodes, self.edges, options, title=self.heading, kinds=_kinds_present(self.nodes)
        )
        return self.html


def write_graph_html(
    graph: nx.Graph, path: Path, *, title: str = DEFAULT_TITLE, physics: bool | None = None
) -> Path:
    """Write ``graph`` as one self-contained interactive HTML file and return its path.

    ``physics=None`` lets the browser simulate small graphs and pre-computes a layout
    for graphs above :data:`PHYSICS_NODE_LIMIT` nodes so they stay responsive.
    """
    path = Path(path)
    page = to_pyvis(graph, title=title, physics=physics).generate_html()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def to_pyvis(
    graph: nx.Graph, *, title: str = DEFAULT_TITLE, physics: bool | None = None
) -> KGNetwork:
    """Style ``graph`` as a pyvis network (for notebooks: ``net.show("g.html")``)."""
    use_physics = graph.number_of_nodes() <= PHYSICS_NODE_LIMIT if physics is None else physics
    ids = _vis_ids(graph)
    positions = {} if use_physics else _pixel_positions(graph)
    net = KGNetwork(title=title, directed=graph.is_directed())
    for node, attrs in graph.nodes(data=True):
        payload = _node_payload(ids[node], node, attrs, graph.degree(node), positions.get(node))
        net.nodes.append(payload)  # pyvis' add_node/add_edge are O(n) per call; fill directly
        net.node_ids.append(ids[node])
        net.node_map[ids[node]] = payload
    show_edge_labels = graph.number_of_nodes() <= PHYSICS_NODE_LIMIT
    for index, (source, target, attrs) in enumerate(graph.edges(data=True)):
        net.edges.append(_edge_payload(index, ids[source], ids[target], attrs, show_edge_labels))
    net.options = _vis_options(use_physics, graph.is_directed(), graph.number_of_nodes())
    return net


# --- styling -------------------------------------------------------------------------


def _style(kind: object) -> KindStyle:
    """Style for a node kind; unknown kinds are drawn grey rather than rejected."""
    return KIND_STYLES.get(str(kind), OTHER_STYLE)


def _vis_ids(graph: nx.Graph) -> dict[Hashable, str | int]:
    """vis ids must be str/int and unique; fall back to indices if str() collides."""
    ids: dict[Hashable, str | int] = {
        node: node if isinstance(node, str | int) and not isinstance(node, bool) else str(node)
        for node in graph.nodes
    }
    if len(set(ids.values())) != len(ids):
        ids = {node: index for index, node in enumerate(graph.nodes)}
    return ids


def _short(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Keep canvas labels readable; the tooltip still has the full text."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_payload(
    vis_id: str | int,
    node: Hashable,
    attrs: Mapping[str, Any],
    degree: int,
    position: tuple[float, float] | None,
) -> dict[str, Any]:
    """vis node dict; text fields stay plain text (escaped at render time)."""
    style = _style(attrs.get("kind"))
    label = str(attrs.get("label") or node)
    tooltip = attrs.get("tooltip")
    payload: dict[str, Any] = {
        "id": vis_id,
        "label": _short(label),
        "title": str(tooltip) if tooltip not in (None, "") else label,
        "kind": str(attrs.get("kind") or "other"),
        "shape": style.shape,
        "size": round(12 + min(16.0, 3 * math.sqrt(degree)), 1),
        "color": {
            "background": style.color,
            "border": style.border,
            "highlight": {"background": style.color, "border": "#000000"},
            "hover": {"background": style.color, "border": "#000000"},
        },
    }
    url = attrs.get("url")
    if isinstance(url, str) and _SAFE_URL.match(url.strip()):
        payload["url"] = url.strip()  # only http(s): a javascript: URL must never be opened
    if position is not None:
        payload["x"], payload["y"] = position
    return payload


def _weight(value: object) -> float:
    """Edge weight as a positive number; missing or junk weights count as one event."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return number if math.isfinite(number) and number > 0 else 1.0


def _edge_width(weight: float) -> float:
    """Width grows with the event count, logarithmically so hubs do not swamp the view."""
    return round(min(MAX_EDGE_WIDTH, 1.0 + 2.0 * math.log2(max(weight, 1.0))), 2)


def _edge_payload(
    index: int, source: str | int, target: str | int, attrs: Mapping[str, Any], show_label: bool
) -> dict[str, Any]:
    """vis edge dict with a text tooltip (label and event count)."""
    label = str(attrs.get("label") or "")
    weight = _weight(attrs.get("weight", 1))
    count = f"{weight:g} event" + ("" if weight == 1 else "s")
    payload: dict[str, Any] = {
        "id": f"e{index}",
        "from": source,
        "to": target,
        "width": _edge_width(weight),
        "title": f"{label} ({count})" if label else count,
    }
    if label and show_label:
        payload["label"] = _short(label, 24)
    return payload


def _vis_options(physics: bool, directed: bool, node_count: int) -> dict[str, Any]:
    """Global vis-network options; big graphs get cheaper rendering settings."""
    big = node_count > PHYSICS_NODE_LIMIT
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "font": {
                "face": FONT_FACE,
                "size": 14,
                "color": "#222222",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "color": {"color": "#9aa0a6", "highlight": "#333333", "hover": "#333333"},
            "font": {
                "face": FONT_FACE,
                "size": 10,
                "align": "middle",
                "color": "#555555",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "smooth": {"enabled": physics, "type": "continuous"},
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
        "layout": {"improvedLayout": physics and node_count <= 100, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
            "stabilization": {"enabled": physics, "iterations": 300, "fit": True},
        },
    }


# --- layout (only when physics is off) -------------------------------------------------


def _pixel_positions(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Layout scaled to vis canvas pixels (about 90 px between neighbouring nodes)."""
    raw = _networkx_layout(graph) or _fallback_layout(graph)
    if not raw:
        return {}
    cx = sum(x for x, _ in raw.values()) / len(raw)
    cy = sum(y for _, y in raw.values()) / len(raw)
    extent = max((math.hypot(x - cx, y - cy) for x, y in raw.values()), default=0.0) or 1.0
    scale = 50.0 * math.sqrt(len(raw)) / extent
    return {
        n: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for n, (x, y) in raw.items()
    }


def _networkx_layout(graph: nx.Graph) -> dict[Hashable, tuple[float, float]] | None:
    """networkx layouts need numpy (kamada_kawai also scipy); None when they are absent."""
    if graph.number_of_nodes() == 0:
        return {}
    try:
        if graph.number_of_nodes() <= KAMADA_KAWAI_LIMIT:
            try:
                layout = nx.kamada_kawai_layout(graph)
            except ImportError:
                layout = nx.spring_layout(graph, seed=42)
        else:
            layout = nx.spring_layout(graph, seed=42, iterations=50)
    except ImportError:
        return None
    return {n: (float(p[0]), float(p[1])) for n, p in layout.items()}


def _fallback_layout(graph: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Pure-Python force layout, so large graphs get positions without numpy."""
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in graph.edges() if a != b]
    points = _force_directed(_spiral_start(graph, index), edges)
    return {node: (points[i][0], points[i][1]) for node, i in index.items()}


def _bfs_order(graph: nx.Graph, index: Mapping[Hashable, int]) -> list[Hashable]:
    """Nodes component by component (largest first), breadth-first from each hub.

    Ties are broken by insertion order so the layout is the same on every run.
    """
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    order: list[Hashable] = []
    seen: set[Hashable] = set()
    components = sorted(
        nx.connected_components(undirected), key=lambda c: (-len(c), min(index[n] for n in c))
    )
    for component in components:
        hub = min(component, key=lambda n: (-undirected.degree(n), index[n]))
        queue = deque([hub])
        seen.add(hub)
        while queue:
            node = queue.popleft()
            order.append(node)
            for neighbour in undirected.neighbors(node):
                if neighbour not in seen:
                    seen.add(neighbour)
                    queue.append(neighbour)
    return order


def _spiral_start(graph: nx.Graph, index: Mapping[Hashable, int]) -> list[list[float]]:
    """Start positions on an even-spaced spiral in BFS order: neighbours start close."""
    points = [[0.0, 0.0] for _ in index]
    for rank, node in enumerate(_bfs_order(graph, index)):
        theta = 2.0 * math.sqrt(math.pi * rank)
        radius = math.sqrt(rank)
        points[index[node]] = [radius * math.cos(theta), radius * math.sin(theta)]
    return points


def _force_directed(
    points: list[list[float]], edges: list[tuple[int, int]], iterations: int | None = None
) -> list[list[float]]:
    """Fruchterman-Reingold with grid-limited repulsion: about O(n + e) per step."""
    n = len(points)
    if n < 2:
        return points
    steps = iterations or max(15, min(80, 200_000 // n))
    k, cell = 1.0, 2.0
    jitter = random.Random(42)
    start_temp = max(1.0, 0.1 * math.sqrt(n))
    for step in range(steps):
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (x, y) in enumerate(points):
            grid[(math.floor(x / cell), math.floor(y / cell))].append(i)
        disp = [[0.0, 0.0] for _ in range(n)]
        for (gx, gy), members in grid.items():
            near = [
                j
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for j in grid.get((gx + dx, gy + dy), ())
            ]
            for i in members:
                xi, yi = points[i]
                for j in near:
                    if j == i:
                        continue
                    dx, dy = xi - points[j][0], yi - points[j][1]
                    d2 = dx * dx + dy * dy
                    if d2 >= cell * cell:
                        continue
                    if d2 < 1e-9:
                        dx, dy = jitter.uniform(-0.01, 0.01), jitter.uniform(-0.01, 0.01)
                        d2 = dx * dx + dy * dy + 1e-12
                    disp[i][0] += dx * k * k / d2
                    disp[i][1] += dy * k * k / d2
        for a, b in edges:
            dx, dy = points[a][0] - points[b][0], points[a][1] - points[b][1]
            pull = math.hypot(dx, dy) / k
            disp[a][0] -= dx * pull
            disp[a][1] -= dy * pull
            disp[b][0] += dx * pull
            disp[b][1] += dy * pull
        temp = start_temp * (1.0 - step / steps) + 0.02
        for i, (mx, my) in enumerate(disp):
            length = math.hypot(mx, my)
            if length > 0:
                factor = min(length, temp) / length
                points[i][0] += mx * factor
                points[i][1] += my * factor
    return points


# --- page rendering --------------------------------------------------------------------


def safe_json(value: Any) -> str:
    """JSON that cannot close a <script> element or open an HTML comment/tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _vis_assets() -> tuple[str, str]:
    """vis-network 9.1.2 JS and CSS as shipped inside the pyvis wheel."""
    js = (_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (_VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    if any(tag in js.lower() for tag in ("</script", "<!--")) or "</style" in css.lower():
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return js, css


def _csp_hash(script: str) -> str:
    """CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _kinds_present(nodes: Iterable[Mapping[str, Any]]) -> list[str]:
    """Legend entries: known kinds in canonical order, then 'other' if used."""
    used = {str(node.get("kind", "other")) for node in nodes}
    kinds = [kind for kind in KIND_STYLES if kind in used]
    return [*kinds, "other"] if used - set(KIND_STYLES) else kinds


def _legend_html(kinds: Iterable[str]) -> str:
    """Legend list; kinds are escaped even though they come from a fixed set."""
    items = []
    for kind in kinds:
        style = _style(kind)
        items.append(
            f'<li><span class="kg-sym" style="color:{style.color}">{style.symbol}</span>'
            f"{html.escape(kind)}</li>"
        )
    return '<ul class="kg-legend" aria-label="Legend">' + "".join(items) + "</ul>"


_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: FONT; background: #ffffff; color: #222; }
body { display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
         padding: 0.4rem 1rem; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.15rem; margin: 0; font-weight: 600; }
.kg-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; list-style: none; margin: 0;
             padding: 0; font-size: 0.9rem; }
.kg-sym { display: inline-block; width: 1.2em; text-align: center; margin-right: 0.2em; }
.kg-hint { font-size: 0.8rem; color: #666; }
#mynetwork { flex: 1 1 auto; min-height: 400px; width: 100%; position: relative; }
div.vis-tooltip { max-width: 28rem; white-space: pre-wrap; overflow-wrap: anywhere;
                  font-family: FONT; font-size: 13px; }
""".replace("FONT", FONT_FACE)

# Turns tooltip strings into DOM text before vis sees them, so no text is ever HTML.
_APP_JS = """(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("kg-graph-data").textContent);
  function textTip(text) {
    var el = document.createElement("div");
    el.className = "kg-tip";
    el.setAttribute("dir", "auto");
    el.textContent = text;
    return el;
  }
  function withTextTips(items) {
    return items.map(function (item) {
      if (typeof item.title === "string") { item.title = textTip(item.title); }
      return item;
    });
  }
  var nodes = new vis.DataSet(withTextTips(raw.nodes));
  var edges = new vis.DataSet(withTextTips(raw.edges));
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, raw.options);
  network.once("afterDrawing", function () { window.kgDrawn = true; });
  network.on("doubleClick", function (params) {
    if (params.nodes.length !== 1) { return; }
    var url = nodes.get(params.nodes[0]).url;
    if (typeof url === "string" && /^https?:\\/\\//i.test(url)) {
      window.open(url, "_blank", "noopener,noreferrer");
    }
  });
  window.network = network;
})();
"""


def render_page(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    options: Mapping[str, Any],
    *,
    title: str = DEFAULT_TITLE,
    kinds: Iterable[str] = (),
) -> str:
    """The complete offline page: inline assets, escaped data, CSP-pinned scripts."""
    vis_js, vis_css = _vis_assets()
    data = safe_json({"nodes": nodes, "edges": edges, "options": options})
    csp = (
        f"default-src 'none'; script-src {_csp_hash(vis_js)} {_csp_hash(_APP_JS)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
        "form-action 'none'"
    )
    safe_title = html.escape(str(title))
    page = "".join(
        [
            '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{safe_title}</title>\n",
            f"<style>{vis_css}</style>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n",
            f'<header><h1 dir="auto">{safe_title}</h1>{_legend_html(kinds)}',
            '<span class="kg-hint">hover: details · double-click: open source</span></header>\n',
            '<div id="mynetwork"></div>\n',
            f'<script type="application/json" id="kg-graph-data">{data}</script>\n',
            f"<script>{vis_js}</script>\n<script>{_APP_JS}</script>\n</body>\n</html>\n",
        ]
    )
    _check_self_contained(page)
    return page


def _check_self_contained(page: str) -> None:
    """Refuse to emit a page that would load a script, style or frame from the web."""
    if _EXTERNAL_REF.search(page):
        raise RuntimeError("graph page references an external resource")
