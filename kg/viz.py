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

Graphs from :mod:`kg.graphs` list the events behind each node and edge; the page carries
their table and shows a node's (or edge's) events, evidence and article links in a details
panel when it is clicked (links are made with DOM calls and only for http(s) URLs). With a
``view`` (:mod:`kg.views`) the page also shows its filters in a form that changes the URL
query, and applies narrower filters from its address itself, so a file written by ``kg viz``
filters offline and the server's ``/graph?…`` pages behave the same. Above
:data:`PHYSICS_NODE_LIMIT` nodes physics is off and positions come from a layout computed in
Python (networkx's when numpy is installed, else a grid-accelerated force layout).
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
    "render_graph",
    "render_page",
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
#: networkx's spring layout up to this many nodes (when numpy is installed); above it takes
#: seconds (1,000 nodes: 3 s; 3,000 nodes: 25 s even with scipy), so larger graphs use the
#: grid-accelerated force layout of this module (3,000 nodes: about 0.6 s, no numpy needed).
NETWORKX_LAYOUT_LIMIT = 500
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
        self.events: list[dict[str, Any]] = []
        """Event descriptions the nodes and edges point to (by index), for the details panel."""
        self.view: dict[str, Any] | None = None
        """The view's filters and form choices (kg.views); None for a plain graph page."""
        self.lang = "en"

    def generate_html(
        self, name: str = "index.html", local: bool = True, notebook: bool = False
    ) -> str:
        """Render the offline page (pyvis signature kept; its arguments are moot)."""
        options = (
            self.options if isinstance(self.options, dict) else json.loads(self.options.to_json())
        )
        self.html = render_page(
            self.nodes,
            self.edges,
            options,
            title=self.heading,
            kinds=_kinds_present(self.nodes),
            events=self.events,
            view=self.view,
            lang=self.lang,
        )
        return self.html


def write_graph_html(
    graph: nx.Graph,
    path: Path,
    *,
    title: str = DEFAULT_TITLE,
    physics: bool | None = None,
    view: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``graph`` as one self-contained interactive HTML file and return its path.

    ``physics=None`` lets the browser simulate small graphs and pre-computes a layout
    for graphs above :data:`PHYSICS_NODE_LIMIT` nodes so they stay responsive.
    """
    path = Path(path)
    page = render_graph(graph, title=title, physics=physics, view=view)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def render_graph(
    graph: nx.Graph,
    *,
    title: str = DEFAULT_TITLE,
    physics: bool | None = None,
    view: Mapping[str, Any] | None = None,
) -> str:
    """The page of ``graph`` as one string (see :func:`write_graph_html`)."""
    return to_pyvis(graph, title=title, physics=physics, view=view).generate_html()


def to_pyvis(
    graph: nx.Graph,
    *,
    title: str = DEFAULT_TITLE,
    physics: bool | None = None,
    view: Mapping[str, Any] | None = None,
) -> KGNetwork:
    """Style ``graph`` as a pyvis network (for notebooks: ``net.show("g.html")``).

    Nodes and edges that list their ``events`` (the kg.graphs projections) point into the
    event table of ``graph.graph["events"]``, which the page's details panel shows; ``view``
    (from kg.views) adds the filter form and lets the page narrow its own data.
    """
    use_physics = graph.number_of_nodes() <= PHYSICS_NODE_LIMIT if physics is None else physics
    ids = _vis_ids(graph)
    positions = {} if use_physics else _pixel_positions(graph)
    net = KGNetwork(title=title, directed=graph.is_directed())
    table = graph.graph.get("events")
    events = _event_table(table) if isinstance(table, Mapping) else {}
    net.events = list(events.values())
    index = {iri: i for i, iri in enumerate(events)}
    for node, attrs in graph.nodes(data=True):
        payload = _node_payload(ids[node], node, attrs, graph.degree(node), positions.get(node))
        _add_event_refs(payload, attrs, index)
        net.nodes.append(payload)  # pyvis' add_node/add_edge are O(n) per call; fill directly
        net.node_ids.append(ids[node])
        net.node_map[ids[node]] = payload
    show_edge_labels = graph.number_of_nodes() <= PHYSICS_NODE_LIMIT and bool(
        graph.graph.get("edge_labels", True)
    )
    labels = {node: str(attrs.get("label") or node) for node, attrs in graph.nodes(data=True)}
    for number, (source, target, attrs) in enumerate(graph.edges(data=True)):
        payload = _edge_payload(number, ids[source], ids[target], attrs, show_edge_labels)
        if _add_event_refs(payload, attrs, index):
            # the page writes the tooltip from the event table (as when it filters itself)
            payload["head"] = f"{labels[source]} — {labels[target]}"
            relation = attrs.get("relation")
            tag = attrs.get("role") or (relation if relation != "co-participation" else None)
            if tag:
                payload["tag"] = str(tag)
                payload["head"] += f" ({tag})"
            del payload["title"]
        net.edges.append(payload)
    net.options = _vis_options(use_physics, graph.is_directed(), graph.number_of_nodes())
    net.view = dict(view) if view is not None else None
    lang = (view or {}).get("lang") or graph.graph.get("lang") or "en"
    net.lang = str(lang) if str(lang) in ("en", "ar", "fr") else "en"
    return net


def _event_table(table: Mapping[Any, Any]) -> dict[str, dict[str, Any]]:
    """Event descriptions keyed by IRI, with any URL that is not http(s) dropped."""
    events: dict[str, dict[str, Any]] = {}
    for iri, event in table.items():
        if not isinstance(event, Mapping):
            continue
        item = dict(event)
        item["sources"] = [
            {**source, "url": _safe_url(source.get("url"))}
            for source in item.get("sources", ())
            if isinstance(source, Mapping)
        ]
        events[str(iri)] = item
    return events


def _safe_url(url: object) -> str | None:
    return url.strip() if isinstance(url, str) and _SAFE_URL.match(url.strip()) else None


def _add_event_refs(
    payload: dict[str, Any], attrs: Mapping[str, Any], index: Mapping[str, int]
) -> bool:
    """Point a node or edge at its events in the page's event table (``ev``: indices)."""
    listed = attrs.get("events")
    if not index or not isinstance(listed, list | tuple):
        return False
    payload["ev"] = [index[e] for e in listed if e in index]
    return True


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
    url = _safe_url(attrs.get("url"))
    if url:
        payload["url"] = url  # only http(s): a javascript: URL must never be opened
    labels = attrs.get("labels")
    if isinstance(labels, Mapping):
        payload["labels"] = {str(k): str(v) for k, v in labels.items() if isinstance(v, str)}
    if label != payload["label"] or "labels" in payload:
        payload["head"] = label  # the full label, for the details panel
    subtitle = attrs.get("subtitle")
    if isinstance(subtitle, str) and subtitle:
        payload["sub"] = subtitle
    if attrs.get("focus"):
        payload["focus"] = True
        payload["borderWidth"] = 4
        payload["size"] = round(payload["size"] * 1.4, 1)
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
    tooltip = attrs.get("tooltip")
    payload: dict[str, Any] = {
        "id": f"e{index}",
        "from": source,
        "to": target,
        "width": _edge_width(weight),
        "title": str(tooltip) if tooltip else (f"{label} ({count})" if label else count),
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
    if graph.number_of_nodes() > NETWORKX_LAYOUT_LIMIT:
        return None
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
    """Force-directed layout in O(n + e) per step, so 3,000 nodes take well under a second.

    Nodes sit in a grid of cells; a node is pushed away from the others in its cell (one by
    one while the cell holds few, by their centre of mass when crowded) and from the centres
    of mass of the eight cells around it. Edges pull like springs (linear, as in ForceAtlas2),
    which spreads dense graphs better than Fruchterman-Reingold's quadratic pull.
    """
    n = len(points)
    if n < 2:
        return points
    steps = iterations or max(20, min(80, 120_000 // n))
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    inverse_cell = 0.5  # cells of 2 units; the ideal distance between neighbours is 1
    crowded = 24
    jitter = random.Random(42)
    start_temp = max(1.0, 0.1 * math.sqrt(n))
    floor, hypot = math.floor, math.hypot
    for step in range(steps):
        # the grid moves a little every step, so that its lines leave no trace in the layout
        ox_, oy_ = (step * 0.618034) % 1.0, (step * 0.381966 + 0.5) % 1.0
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            cells[(floor(xs[i] * inverse_cell + ox_), floor(ys[i] * inverse_cell + oy_))].append(i)
        centres: dict[tuple[int, int], tuple[float, float, int]] = {}
        for key, members in cells.items():
            count = len(members)
            centres[key] = (
                sum(xs[j] for j in members) / count,
                sum(ys[j] for j in members) / count,
                count,
            )
        fx = [0.0] * n
        fy = [0.0] * n
        for (gx, gy), members in cells.items():
            around = [
                centres[key]
                for key in (
                    (gx - 1, gy - 1), (gx - 1, gy), (gx - 1, gy + 1), (gx, gy - 1),
                    (gx, gy + 1), (gx + 1, gy - 1), (gx + 1, gy), (gx + 1, gy + 1),
                )
                if key in centres
            ]  # fmt: skip
            own_x, own_y, own_count = centres[(gx, gy)]
            exact = own_count <= crowded
            for i in members:
                xi, yi = xs[i], ys[i]
                sx = sy = 0.0
                if exact:
                    for j in members:
                        if j == i:
                            continue
                        dx, dy = xi - xs[j], yi - ys[j]
                        d2 = dx * dx + dy * dy
                        if d2 < 1e-9:
                            dx, dy = jitter.uniform(-0.01, 0.01), jitter.uniform(-0.01, 0.01)
                            d2 = dx * dx + dy * dy + 1e-12
                        sx += dx / d2
                        sy += dy / d2
                else:
                    dx, dy = xi - own_x, yi - own_y
                    d2 = dx * dx + dy * dy
                    if d2 < 1e-4:
                        dx, dy, d2 = jitter.uniform(-0.01, 0.01), jitter.uniform(-0.01, 0.01), 1e-4
                    sx += dx * (own_count - 1) / d2
                    sy += dy * (own_count - 1) / d2
                for cx, cy, count in around:
                    dx, dy = xi - cx, yi - cy
                    d2 = dx * dx + dy * dy + 1e-9
                    sx += dx * count / d2
                    sy += dy * count / d2
                fx[i], fy[i] = sx, sy
        for a, b in edges:
            dx, dy = xs[a] - xs[b], ys[a] - ys[b]
            fx[a] -= dx
            fy[a] -= dy
            fx[b] += dx
            fy[b] += dy
        temp = start_temp * (1.0 - step / steps) + 0.02
        for i in range(n):
            length = hypot(fx[i], fy[i])
            if length > 0:
                factor = min(length, temp) / length
                xs[i] += fx[i] * factor
                ys[i] += fy[i] * factor
    return [[xs[i], ys[i]] for i in range(n)]


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


def csp_hash(script: str) -> str:
    """CSP source expression allowing exactly this inline script or style."""
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
.kg-hint, .kg-counts, .kg-active { font-size: 0.8rem; color: #555; margin: 0; }
.kg-filters { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.9rem;
              padding: 0.35rem 1rem; border-bottom: 1px solid #eee; font-size: 0.85rem; }
.kg-filters label { display: inline-flex; align-items: center; gap: 0.3rem; }
.kg-filters input, .kg-filters select, .kg-filters button { font: inherit; }
.kg-filters input[name=country] { width: 3.5em; text-transform: uppercase; }
.kg-filters input[name=depth] { width: 3.5em; }
.kg-filters input[name=focus] { width: 16em; }
.kg-status { display: flex; flex-wrap: wrap; gap: 0.2rem 1.5rem; padding: 0.2rem 1rem; }
.kg-notice { margin: 0; padding: 0.3rem 1rem; background: #fff4d6; color: #5c4500;
             font-size: 0.85rem; }
.kg-main { flex: 1 1 auto; display: flex; min-height: 400px; }
#mynetwork { flex: 1 1 auto; min-width: 0; min-height: 400px; position: relative; }
.kg-details { flex: 0 0 26rem; max-width: 45%; overflow: auto; border-left: 1px solid #ddd;
              padding: 0.4rem 1rem 1rem; font-size: 0.88rem; background: #fafafa; }
.kg-details[hidden] { display: none; }
.kg-details h2 { font-size: 1.05rem; margin: 0.3rem 0; }
.kg-details .kg-sub { color: #555; margin: 0 0 0.5rem; }
.kg-details ol { padding-inline-start: 1.2rem; margin: 0.4rem 0; }
.kg-details li { margin-bottom: 0.7rem; }
.kg-details blockquote { margin: 0.25rem 0; padding-inline-start: 0.6rem;
                         border-inline-start: 3px solid #ccc; color: #333; }
.kg-details .kg-ev-head { font-weight: 600; }
.kg-details .kg-src { color: #444; font-size: 0.82rem; }
.kg-close { float: right; border: none; background: none; font-size: 1.2rem; cursor: pointer; }
.kg-rtl { direction: rtl; text-align: right; }
.kg-rtl .kg-close { float: left; }
[dir=auto] { unicode-bidi: plaintext; }
div.vis-tooltip { max-width: 28rem; white-space: pre-wrap; overflow-wrap: anywhere;
                  font-family: FONT; font-size: 13px; }
""".replace("FONT", FONT_FACE)

# All text reaches the DOM as text nodes (textContent), never as HTML; links are built with
# createElement and take only http(s) URLs. With a view (kg.views) the page reads its filters
# from the address: the same filters it was written for draw it as is; narrower ones (a type, a
# country, a topic, dates, a node's neighbourhood, another label language) are applied here, so
# a page written by `kg viz` filters itself offline and the server's /graph?… pages agree with it.
_APP_JS = """(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("kg-graph-data").textContent);
  var events = raw.events || [];
  var view = raw.view || null;
  var meta = raw.meta || {};
  var KEYS = ["view", "since", "until", "country", "topic", "type", "focus", "depth", "lang"];
  var TYPES = ["meeting", "visit", "call"];
  var PLURAL = {meeting: "meetings", visit: "visits", call: "calls"};

  function byId(id) { return document.getElementById(id); }
  function make(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) {
      el.textContent = String(text);
      el.setAttribute("dir", "auto");
    }
    if (className) { el.className = className; }
    return el;
  }
  function textTip(text) { return make("div", text, "kg-tip"); }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\\/\\/[^\\s"'<>]+$/i.test(url) ? url : null;
  }
  function short(text) {
    var limit = meta.maxLabel || 48;
    text = String(text).replace(/\\s+/g, " ").trim();
    return text.length <= limit ? text : text.slice(0, limit - 1).trim() + "\\u2026";
  }
  function clip(text, limit) {
    text = String(text).replace(/\\s+/g, " ").trim();
    return text.length <= limit ? text : text.slice(0, limit - 1).trim() + "\\u2026";
  }
  function edgeWidth(weight) {
    var w = 1 + 2 * Math.log2(Math.max(weight, 1));
    return Math.round(Math.min(meta.maxEdgeWidth || 10, w) * 100) / 100;
  }

  // --- text about events (the same wording as kg/graphs.py) --------------------------
  function cap(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : ""; }
  function eventLine(ev) {
    var parts = [cap(ev.type), ev.date || "undated"];
    if (ev.place) { parts.push(ev.place); }
    if (ev.status === "planned") { parts.push("planned"); }
    return parts.join(" \\u00b7 ");
  }
  function breakdown(list) {
    var counts = {};
    list.forEach(function (ev) { counts[ev.type] = (counts[ev.type] || 0) + 1; });
    return TYPES.filter(function (t) { return counts[t]; }).map(function (t) {
      return counts[t] + " " + (counts[t] === 1 ? t : PLURAL[t]);
    }).join(", ");
  }
  function sortKey(ev) { return (ev.date || "9999") + " " + ev.id; }
  function latest(list) {
    var dated = list.filter(function (ev) { return ev.date; });
    if (!dated.length) { return list[0]; }
    return dated.reduce(function (a, b) { return sortKey(b) > sortKey(a) ? b : a; });
  }
  function firstQuote(ev) {
    for (var i = 0; i < ev.sources.length; i++) {
      if (ev.sources[i].quotes && ev.sources[i].quotes.length) { return ev.sources[i].quotes[0]; }
    }
    return "";
  }
  function summary(head, sub, idx) {
    var list = idx.map(function (i) { return events[i]; });
    var lines = [head];
    if (sub) { lines.push(sub); }
    var dated = list.filter(function (ev) { return ev.date; }).map(function (ev) {
      return ev.date;
    }).sort();
    var span = dated.length ? " \\u00b7 " + dated[0] +
      (dated[dated.length - 1] !== dated[0] ? " \\u2013 " + dated[dated.length - 1] : "") : "";
    lines.push(list.length + (list.length === 1 ? " event" : " events") + " (" +
      breakdown(list) + ")" + span);
    if (list.length) {
      var ev = latest(list);
      lines.push("latest: " + eventLine(ev));
      var quote = firstQuote(ev);
      if (quote) { lines.push("\\u00ab" + clip(quote, 280) + "\\u00bb"); }
      var src = ev.sources[0];
      if (src) {
        var meta2 = [src.publisher, src.published].filter(Boolean).join(", ");
        lines.push("source: " + clip(src.headline || src.url || "", 160) +
          (meta2 ? " \\u2014 " + meta2 : ""));
        if (src.url && src.url !== (src.headline || src.url)) { lines.push(src.url); }
      }
    }
    return lines.join("\\n");
  }

  // --- filters: the address against what the page was written for --------------------
  function normalise(params) {
    var defaults = (view && view.defaults) || {};
    var out = {};
    KEYS.forEach(function (k) {
      var v = params[k] === undefined || params[k] === null ? "" : String(params[k]).trim();
      if (k === "country") { v = v.toUpperCase(); }
      if (k === "type" || k === "topic" || k === "view" || k === "lang") { v = v.toLowerCase(); }
      if (v === "" && defaults[k] !== undefined) { v = String(defaults[k]); }
      out[k] = v;
    });
    if (!out.focus) { out.depth = String(defaults.depth || "1"); }
    return out;
  }
  function fromAddress() {
    var query = new URLSearchParams(window.location.search);
    var found = {}, any = false;
    KEYS.forEach(function (k) {
      var v = query.get(k);
      if (v !== null && v.trim() !== "") { found[k] = v; any = true; }
    });
    return any ? normalise(found) : null;
  }
  function same(a, b) {
    return KEYS.every(function (k) { return a[k] === b[k]; });
  }
  function isDay(text) {
    if (!/^\\d{4}-\\d{2}-\\d{2}$/.test(text)) { return false; }
    var day = new Date(text + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
  }
  function invalid(f) {
    if (f.since && !isDay(f.since)) { return "since " + f.since; }
    if (f.until && !isDay(f.until)) { return "until " + f.until; }
    if (f.since && f.until && f.since > f.until) { return "since after until"; }
    if (f.country && !/^[A-Z]{2}$/.test(f.country)) { return "country " + f.country; }
    if (f.topic && !/^[a-z0-9][a-z0-9-]*$/.test(f.topic)) { return "topic " + f.topic; }
    if (f.focus && !/^(https?:\\/\\/|urn:)[^\\s<>"{}|\\\\^`]+$/.test(f.focus)) {
      return "focus " + f.focus;
    }
    if (f.type && TYPES.indexOf(f.type) < 0) { return "type " + f.type; }
    if (!/^[0-5]$/.test(f.depth)) { return "depth " + f.depth; }
    if (["en", "ar", "fr"].indexOf(f.lang) < 0) { return "lang " + f.lang; }
    return null;
  }
  function conflict(baked, wanted) {
    if (wanted.view !== baked.view) { return "view"; }
    var keys = ["since", "until", "country", "topic", "type"];
    for (var i = 0; i < keys.length; i++) {
      if (baked[keys[i]] && wanted[keys[i]] !== baked[keys[i]]) { return keys[i]; }
    }
    if (baked.focus && (wanted.focus !== baked.focus || +wanted.depth > +baked.depth)) {
      return wanted.focus !== baked.focus ? "focus" : "depth";
    }
    return null;
  }
  function eventMatches(ev, f) {
    if (f.type && ev.type !== f.type) { return false; }
    if (f.since && !(ev.date && ev.date >= f.since)) { return false; }
    if (f.until && !(ev.date && ev.date <= f.until)) { return false; }
    if (f.country && (ev.parties || []).indexOf(f.country) < 0) { return false; }
    if (f.topic && (ev.topics || []).indexOf(f.topic) < 0) { return false; }
    return true;
  }
  function narrow(f, baked) {
    var keep = events.map(function (ev) { return eventMatches(ev, f); });
    var relabel = f.lang !== baked.lang;
    var kept = new Map(), nodes = [], edges = [];
    raw.nodes.forEach(function (n) {
      var copy = Object.assign({}, n);
      if (Array.isArray(n.ev)) {
        copy.ev = n.ev.filter(function (i) { return keep[i]; });
        if (!copy.ev.length) { return; }
      }
      if (relabel && n.labels && n.labels[f.lang]) {
        copy.head = n.labels[f.lang];
        copy.label = short(copy.head);
      }
      if (Array.isArray(n.ev) && (copy.ev.length !== n.ev.length || relabel)) {
        copy.title = n.kind === "event" ? n.title :
          summary(copy.head || copy.label, n.sub, copy.ev);
      }
      kept.set(n.id, copy);
      nodes.push(copy);
    });
    raw.edges.forEach(function (e) {
      if (!kept.has(e.from) || !kept.has(e.to)) { return; }
      var copy = Object.assign({}, e);
      if (Array.isArray(e.ev)) {
        copy.ev = e.ev.filter(function (i) { return keep[i]; });
        if (!copy.ev.length) { return; }
        if (copy.ev.length !== e.ev.length) { copy.width = edgeWidth(copy.ev.length); }
        if (relabel && e.head) {
          var a = kept.get(e.from), b = kept.get(e.to);
          copy.head = (a.head || a.label) + " \\u2014 " + (b.head || b.label) +
            (e.tag ? " (" + e.tag + ")" : "");
        }
      }
      edges.push(copy);
    });
    if (f.focus) {
      if (!kept.has(f.focus)) {
        return {nodes: [], edges: [], notice: "The node to focus on is not in this view."};
      }
      var around = new Map();
      nodes.forEach(function (n) { around.set(n.id, []); });
      edges.forEach(function (e) { around.get(e.from).push(e.to); around.get(e.to).push(e.from); });
      var dist = new Map([[f.focus, 0]]), queue = [f.focus], depth = +f.depth;
      for (var q = 0; q < queue.length; q++) {
        var d = dist.get(queue[q]);
        if (d >= depth) { continue; }
        around.get(queue[q]).forEach(function (m) {
          if (!dist.has(m)) { dist.set(m, d + 1); queue.push(m); }
        });
      }
      nodes = nodes.filter(function (n) { return dist.has(n.id); });
      edges = edges.filter(function (e) { return dist.has(e.from) && dist.has(e.to); });
      var centre = kept.get(f.focus);
      centre.focus = true;
      centre.borderWidth = 4;
    }
    return {nodes: nodes, edges: edges, notice: ""};
  }

  var nodesIn = raw.nodes, edgesIn = raw.edges, applied = null, inPage = false;
  var notices = [];
  if (view) {
    var baked = normalise(view.filters || {});
    applied = baked;
    if (view.notice) { notices.push(view.notice); }
    var wanted = fromAddress();
    if (wanted && !same(wanted, baked)) {
      var bad = invalid(wanted), clash = bad ? null : conflict(baked, wanted);
      if (bad) {
        notices.push("The address asks for " + bad + ", which is not valid; " +
          "showing the view this page was written for.");
      } else if (clash) {
        notices.push("This page holds the view it was written for; changing the " + clash +
          " needs the server or a page written for it (kg viz). Showing the view as written.");
      } else {
        var result = narrow(wanted, baked);
        nodesIn = result.nodes;
        edgesIn = result.edges;
        if (result.notice) { notices.push(result.notice); }
        applied = wanted;
        inPage = true;
      }
    }
  }
  if (view && !nodesIn.length && !notices.length) {
    notices.push("No events match these filters.");
  }

  edgesIn.forEach(function (e) {
    if (e.title === undefined && Array.isArray(e.ev) && e.head) {
      e.title = summary(e.head, "", e.ev);
    }
  });
  function withTextTips(items) {
    return items.map(function (item) {
      if (typeof item.title === "string") {
        item.tipText = item.title;
        item.title = textTip(item.title);
      }
      return item;
    });
  }
  var nodes = new vis.DataSet(withTextTips(nodesIn));
  var edges = new vis.DataSet(withTextTips(edgesIn));
  var container = byId("mynetwork");
  if (applied && applied.lang === "ar") { container.setAttribute("dir", "rtl"); }
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, raw.options);
  network.once("afterDrawing", function () {
    window.kgDrawnAt = performance.now();
    window.kgDrawn = true;
  });

  var counts = byId("kg-counts");
  if (counts) {
    counts.setAttribute("data-nodes", String(nodes.length));
    counts.setAttribute("data-edges", String(edges.length));
    counts.textContent = nodes.length + " nodes \\u00b7 " + edges.length + " edges";
  }
  var notice = byId("kg-notice");
  if (notice && notices.length) {
    notice.textContent = notices.join(" ");
    notice.hidden = false;
  }

  // --- the form: it changes the address, so a file and the server work alike ----------
  function go(params) {
    var defaults = view.defaults || {}, query = new URLSearchParams();
    KEYS.forEach(function (k) {
      var v = params[k] === undefined ? "" : String(params[k]).trim();
      if (!v || (k !== "view" && String(defaults[k]) === v)) { return; }
      if (k === "depth" && !params.focus) { return; }
      query.set(k, v);
    });
    var text = query.toString();
    window.location.assign(window.location.pathname + (text ? "?" + text : ""));
  }
  function describe(f) {
    var names = {};
    (view.views || []).forEach(function (pair) { names[pair[0]] = pair[1]; });
    var parts = [names[f.view] || f.view];
    if (f.type) { parts.push("type " + f.type); }
    if (f.country) { parts.push("country " + f.country); }
    if (f.topic) { parts.push("topic " + f.topic); }
    if (f.since) { parts.push("since " + f.since); }
    if (f.until) { parts.push("until " + f.until); }
    if (f.focus) {
      var centre = nodes.get(f.focus);
      var name = centre ? (centre.head || centre.label) : (view.focusLabel || f.focus);
      parts.push("around " + name + " (depth " + f.depth + ")");
    }
    if (f.lang !== "en") { parts.push("labels " + f.lang); }
    return parts.join(" \\u00b7 ");
  }
  var form = byId("kg-filters");
  if (view && form) {
    if (inPage) {
      KEYS.forEach(function (k) {
        var input = form.elements.namedItem(k);
        if (input && "value" in input) { input.value = applied[k] || ""; }
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = {};
      KEYS.forEach(function (k) {
        var input = form.elements.namedItem(k);
        if (input && "value" in input) { params[k] = input.value; }
      });
      go(params);
    });
    var reset = byId("kg-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        go({view: form.elements.namedItem("view").value});
      });
    }
    var clear = byId("kg-clear-focus");
    if (clear) {
      clear.addEventListener("click", function () {
        form.elements.namedItem("focus").value = "";
        form.requestSubmit();
      });
    }
    var active = byId("kg-active");
    if (active) {
      active.textContent = "Showing: " + describe(applied) +
        (inPage ? " (filtered in this page)" : "");
    }
  }

  // --- details panel -------------------------------------------------------------------
  var panel = byId("kg-details"), body = byId("kg-details-body");
  if (applied && applied.lang === "ar") {
    panel.classList.add("kg-rtl");
    panel.setAttribute("dir", "rtl");
  }
  function sourceItem(src) {
    var line = make("div", null, "kg-src");
    var url = safeUrl(src.url);
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = src.headline || url;
      link.setAttribute("dir", "auto");
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      line.appendChild(link);
    } else {
      line.appendChild(make("span", src.headline || "article without address"));
    }
    var about = [src.publisher, src.published].filter(Boolean).join(", ");
    if (about) { line.appendChild(make("span", " \\u2014 " + about)); }
    return line;
  }
  function eventItem(ev) {
    var item = make("li", null, "kg-event");
    item.setAttribute("data-event", ev.id);
    item.appendChild(make("div", eventLine(ev), "kg-ev-head"));
    if (ev.participants && ev.participants.length) {
      item.appendChild(make("div", ev.participants.map(function (p) {
        return p[0] + " (" + p[1] + ")";
      }).join(" \\u00b7 "), "kg-ev-who"));
    }
    (ev.sources || []).forEach(function (src) {
      (src.quotes || []).slice(0, 1).forEach(function (quote) {
        item.appendChild(make("blockquote", quote, "kg-quote"));
      });
      item.appendChild(sourceItem(src));
    });
    return item;
  }
  function showDetails(item, idx) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(make("h2", item.head || item.label || item.id));
    var list = (idx || []).map(function (i) { return events[i]; }).sort(function (a, b) {
      var x = (a.date || "") + " " + a.id, y = (b.date || "") + " " + b.id;
      return x < y ? 1 : -1;  // newest first, undated last
    });
    var sub = [item.sub || item.kind].filter(Boolean);
    if (list.length) { sub.push(list.length + (list.length === 1 ? " event" : " events")); }
    body.appendChild(make("p", sub.join(" \\u00b7 "), "kg-sub"));
    if (view && item.kind !== undefined && typeof item.id === "string" &&
        /^(https?:|urn:)/.test(item.id)) {
      var focus = make("button", "Show its neighbourhood", "kg-focus-button");
      focus.type = "button";
      focus.addEventListener("click", function () {
        var params = Object.assign({}, applied, {focus: item.id, depth: "1"});
        go(params);
      });
      body.appendChild(focus);
    }
    if (list.length) {
      var ol = make("ol", null, "kg-events");
      list.slice(0, 200).forEach(function (ev) { ol.appendChild(eventItem(ev)); });
      body.appendChild(ol);
      if (list.length > 200) {
        body.appendChild(make("p", "\\u2026 and " + (list.length - 200) + " more"));
      }
    } else if (item.tipText) {
      body.appendChild(make("p", item.tipText, "kg-tip-text"));
    }
    panel.hidden = false;
    network.redraw();
  }
  byId("kg-details-close").addEventListener("click", function () { panel.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length === 1) {
      var node = nodes.get(params.nodes[0]);
      panel.setAttribute("data-node", String(node.id));
      showDetails(node, node.ev);
    } else if (params.edges.length === 1) {
      var edge = edges.get(params.edges[0]);
      panel.setAttribute("data-node", "");
      var about = {id: edge.id, head: edge.head || edge.tipText, label: edge.label, sub: "link"};
      showDetails(about, edge.ev);
    }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length !== 1) { return; }
    var url = nodes.get(params.nodes[0]).url;
    if (safeUrl(url)) { window.open(url, "_blank", "noopener,noreferrer"); }
  });
  window.network = network;
  window.kgNodes = nodes;
  window.kgReady = true;
})();
"""


def _options_html(choices: Iterable[Any], selected: str, *, blank: str | None = None) -> str:
    items = [f'<option value="">{html.escape(blank)}</option>'] if blank is not None else []
    for choice in choices:
        value, label = (
            (choice[0], choice[1]) if isinstance(choice, list | tuple) else (choice, choice)
        )
        mark = " selected" if str(value) == selected else ""
        items.append(
            f'<option value="{html.escape(str(value))}"{mark}>{html.escape(str(label))}</option>'
        )
    return "".join(items)


def _select_html(name: str, choices: Iterable[Any], selected: str, blank: str | None) -> str:
    return f'<select name="{name}">{_options_html(choices, selected, blank=blank)}</select>'


def _form_html(view: Mapping[str, Any]) -> str:
    """The filter form (values escaped); the page script turns a submit into a new address."""
    f = {k: str(v) for k, v in (view.get("filters") or {}).items()}
    defaults = {k: str(v) for k, v in (view.get("defaults") or {}).items()}
    value = {k: f.get(k, defaults.get(k, "")) for k in ("view", "depth", "lang")}

    def field(label: str, control: str) -> str:
        return f"<label>{html.escape(label)} {control}</label>"

    def text_input(name: str, kind: str = "text", extra: str = "") -> str:
        current = html.escape(f.get(name, value.get(name, "")))
        return f'<input type="{kind}" name="{name}" value="{current}"{extra}>'

    countries = "".join(
        f'<option value="{html.escape(str(code))}">{html.escape(str(label))}</option>'
        for code, label in view.get("countries", ())
    )
    parts = [
        '<form id="kg-filters" class="kg-filters" autocomplete="off" aria-label="Filters">',
        field(
            "view",
            f'<select name="view">{_options_html(view.get("views", ()), value["view"])}</select>',
        ),
        field("since", text_input("since", "date")),
        field("until", text_input("until", "date")),
        field("country", text_input("country", extra=' list="kg-countries" maxlength="2"')),
        f'<datalist id="kg-countries">{countries}</datalist>',
        field("topic", _select_html("topic", view.get("topics", ()), f.get("topic", ""), "any")),
        field("type", _select_html("type", view.get("types", ()), f.get("type", ""), "any")),
        field("focus", text_input("focus", extra=' placeholder="IRI of a node" dir="ltr"')),
        '<button type="button" id="kg-clear-focus">clear focus</button>',
        field("depth", text_input("depth", "number", ' min="0" max="5"')),
        field(
            "labels",
            f'<select name="lang">{_options_html(view.get("langs", ()), value["lang"])}</select>',
        ),
        '<button type="submit">Apply</button>',
        '<button type="button" id="kg-reset">Reset</button>',
        "</form>",
    ]
    return "".join(parts)


def render_page(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    options: Mapping[str, Any],
    *,
    title: str = DEFAULT_TITLE,
    kinds: Iterable[str] = (),
    events: list[dict[str, Any]] | None = None,
    view: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> str:
    """The complete offline page: inline assets, escaped data, CSP-pinned scripts."""
    vis_js, vis_css = _vis_assets()
    data = safe_json(
        {
            "nodes": nodes,
            "edges": edges,
            "options": options,
            "events": events or [],
            "view": dict(view) if view is not None else None,
            "meta": {"maxLabel": MAX_LABEL_CHARS, "maxEdgeWidth": MAX_EDGE_WIDTH},
        }
    )
    csp = (
        f"default-src 'none'; script-src {csp_hash(vis_js)} {csp_hash(_APP_JS)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; "
        "form-action 'none'"
    )
    safe_title = html.escape(str(title))
    lang = lang if lang in ("en", "ar", "fr") else "en"
    rtl = ' class="kg-rtl" dir="rtl"' if lang == "ar" else ""
    controls = ""
    if view is not None:
        controls = (
            _form_html(view)
            + '<div class="kg-status"><p id="kg-active" class="kg-active" dir="auto"></p></div>\n'
        )
    page = "".join(
        [
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{safe_title}</title>\n",
            f"<style>{vis_css}</style>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n",
            f'<header><h1 dir="auto">{safe_title}</h1>{_legend_html(kinds)}',
            '<span class="kg-hint">line width: number of events · hover: summary · '
            "click: events and sources · double-click: open the article</span>",
            f'<p id="kg-counts" class="kg-counts" data-nodes="{len(nodes)}" '
            f'data-edges="{len(edges)}">{len(nodes)} nodes · {len(edges)} edges</p></header>\n',
            controls,
            '<p id="kg-notice" class="kg-notice" role="status" hidden></p>\n',
            '<main class="kg-main"><div id="mynetwork"></div>',
            f'<aside id="kg-details" class="kg-details" aria-label="Details" hidden{rtl}>',
            '<button type="button" id="kg-details-close" class="kg-close" '
            'aria-label="Close">×</button><div id="kg-details-body"></div></aside></main>\n',
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
