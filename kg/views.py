"""Graph views: the contract between the store and the pages of `kg viz` and the server's /graph.

A view is a projection of kg.graphs (countries, actors, events, topics) with filters, optionally
narrowed to the neighbourhood of one node. `ViewFilters` reads and writes the URL query, so the
same parameters work on the command line, in the server's address and in the page's own form:

    view     countries | actors | events | topics        (default countries)
    since    YYYY-MM-DD: events on or after this day       (undated events are then left out)
    until    YYYY-MM-DD: events on or before this day
    country  ISO2 code, e.g. EG: events in which someone represents that country
    topic    topic id, e.g. counterterrorism
    type     meeting | visit | call
    focus    IRI of a node: only its neighbourhood (ego network)
    depth    steps from the focus, 0–5 (default 1)
    lang     en | ar | fr: the language of the labels (default en)

`render_view` returns one self-contained HTML page (kg.viz): inline assets, a CSP that pins its
scripts, text-only tooltips, a details panel with each node's events and links to the articles,
and a small form that changes the URL query. Served by the server, the address is rendered
anew; opened as a file written by `kg viz`, the page applies narrower filters itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.graphs import (
    EVENT_TYPES,
    LANGS,
    actor_event_network,
    actor_network,
    country_network,
    ego_network,
    parse_country,
    parse_date,
    parse_topic,
    parse_type,
    topic_network,
)
from kg.namespaces import DK, REFERENCE_GRAPH, SKOS
from kg.viz import render_graph

__all__ = ["VIEWS", "ViewFilters", "render_view", "view_graph", "write_view_html"]

VIEWS: dict[str, Callable[..., nx.Graph]] = {
    "countries": country_network,
    "actors": actor_network,
    "events": actor_event_network,
    "topics": topic_network,
}
VIEW_TITLES = {
    "countries": "Countries",
    "actors": "People and organizations",
    "events": "Actors and events",
    "topics": "Topics",
}
LANG_NAMES = {"en": "English", "ar": "العربية", "fr": "Français"}
MAX_DEPTH = 5
PARAMETERS = ("view", "since", "until", "country", "topic", "type", "focus", "depth", "lang")
_IRI = re.compile(r"^(?:https?://|urn:)[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class ViewFilters:
    """What to show: a view, event filters, an optional focus node, the label language.

    Values are checked on creation (ValueError with a message in plain words) and normalised:
    the country upper case, the type and topic lower case."""

    view: str = "countries"  # countries | actors | events | topics
    since: date | None = None
    until: date | None = None
    country: str | None = None  # ISO2
    topic: str | None = None  # topic id, e.g. "counterterrorism"
    type: str | None = None  # meeting | visit | call
    focus: str | None = None  # IRI of a node: ego network
    depth: int = 1
    lang: str = "en"

    def __post_init__(self) -> None:
        view = str(self.view or "countries").strip().lower()
        if view not in VIEWS:
            raise ValueError(f"view must be countries, actors, events or topics, not {self.view!r}")
        object.__setattr__(self, "view", view)
        object.__setattr__(self, "since", parse_date(self.since, "since"))
        object.__setattr__(self, "until", parse_date(self.until, "until"))
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        object.__setattr__(self, "country", parse_country(self.country))
        object.__setattr__(self, "topic", parse_topic(self.topic))
        object.__setattr__(self, "type", parse_type(self.type))
        focus = (self.focus or "").strip() or None
        if focus is not None and not _IRI.match(focus):
            raise ValueError(f"focus must be the IRI of a node (https://…), not {focus!r}")
        object.__setattr__(self, "focus", focus)
        if isinstance(self.depth, bool) or not isinstance(self.depth, int):
            raise ValueError(f"depth must be a whole number from 0 to {MAX_DEPTH}")
        if not 0 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"depth must be from 0 to {MAX_DEPTH}, not {self.depth}")
        lang = str(self.lang or "en").strip().lower()
        if lang not in LANGS:
            raise ValueError(f"lang must be en, ar or fr, not {self.lang!r}")
        object.__setattr__(self, "lang", lang)

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> ViewFilters:
        """Filters from URL query parameters (or CLI options as text). Empty values count as
        not given; parameters other than those of `PARAMETERS` are ignored. Bad values raise
        ValueError with a message in plain words."""
        values = {k: str(params[k]).strip() for k in PARAMETERS if k in params}
        values = {k: v for k, v in values.items() if v}
        depth_text = values.pop("depth", "1")
        if not re.fullmatch(r"\d{1,3}", depth_text):
            raise ValueError(
                f"depth must be a whole number from 0 to {MAX_DEPTH}, not {depth_text!r}"
            )
        return cls(
            view=values.get("view", "countries"),
            since=parse_date(values.get("since"), "since"),
            until=parse_date(values.get("until"), "until"),
            country=values.get("country"),
            topic=values.get("topic"),
            type=values.get("type"),
            focus=values.get("focus"),
            depth=int(depth_text),
            lang=values.get("lang", "en"),
        )

    def to_query(self) -> dict[str, str]:
        """URL query parameters: the view, and each other value that is set and not the
        default (`from_query(f.to_query()) == f`)."""
        query = {"view": self.view}
        if self.since:
            query["since"] = self.since.isoformat()
        if self.until:
            query["until"] = self.until.isoformat()
        for name in ("country", "topic", "type", "focus"):
            value = getattr(self, name)
            if value:
                query[name] = value
        if self.depth != 1:
            query["depth"] = str(self.depth)
        if self.lang != "en":
            query["lang"] = self.lang
        return query

    def describe(self) -> str:
        """The filters in words, e.g. for a title."""
        parts = [VIEW_TITLES[self.view]]
        for name in ("type", "country", "topic"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name} {value}")
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        return " · ".join(parts)


def view_graph(store: ox.Store, filters: ViewFilters) -> nx.Graph:
    """The networkx graph of a view. With a focus, only the nodes within `depth` steps of it;
    a focus that is not in the (filtered) view gives an empty graph whose
    `graph.graph["notice"]` says so."""
    build = VIEWS[filters.view]
    graph = build(
        store,
        since=filters.since,
        until=filters.until,
        country=filters.country,
        topic=filters.topic,
        type=filters.type,
        lang=filters.lang,
    )
    graph.graph["view_filters"] = filters.to_query()
    if filters.focus is None:
        return graph
    if filters.focus not in graph:
        empty = nx.Graph()
        empty.graph.update({k: v for k, v in graph.graph.items() if k != "events"})
        empty.graph["events"] = {}
        empty.graph["notice"] = (
            f"{filters.focus} is not in the {filters.view} view with these filters."
        )
        return empty
    return ego_network(graph, filters.focus, filters.depth)


def _title(graph: nx.Graph, filters: ViewFilters) -> str:
    title = f"{filters.describe()} — diplomatic knowledge graph"
    if filters.focus:
        label = graph.nodes[filters.focus]["label"] if filters.focus in graph else filters.focus
        title = f"{label} (depth {filters.depth}) · {title}"
    return title


def _choices(store: ox.Store, graph: nx.Graph, lang: str) -> tuple[list[Any], list[Any]]:
    """Countries and topics for the form: those the reference data knows, by label."""
    reference = ox.NamedNode(REFERENCE_GRAPH)
    label = ox.NamedNode(str(SKOS.prefLabel))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def labelled(kind: ox.NamedNode, prefix_end: str) -> list[tuple[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for quad in store.quads_for_pattern(None, rdf_type, kind, reference):
            iri = str(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else ""
            if not iri:
                continue
            names: dict[str, str] = {}
            for lq in store.quads_for_pattern(quad.subject, label, None, reference):
                obj = lq.object
                if isinstance(obj, ox.Literal) and obj.language:
                    names.setdefault(obj.language, obj.value)
            key = iri.rsplit(prefix_end, 1)[-1]
            found[key] = names
        pairs = [(key, names.get(lang) or names.get("en") or key) for key, names in found.items()]
        return sorted(pairs, key=lambda pair: pair[1].casefold())

    countries = labelled(ox.NamedNode(str(DK.Country)), "/")
    countries = [(code, f"{name} ({code})") for code, name in countries if len(code) == 2]
    topics = labelled(ox.NamedNode(str(SKOS.Concept)), "/")
    return [list(c) for c in countries], [list(t) for t in topics]


def _page_spec(store: ox.Store, graph: nx.Graph, filters: ViewFilters) -> dict[str, Any]:
    countries, topics = _choices(store, graph, filters.lang)
    focus_label = ""
    if filters.focus and filters.focus in graph:
        focus_label = str(graph.nodes[filters.focus].get("label", ""))
    return {
        "filters": filters.to_query(),
        "defaults": {"view": "countries", "depth": "1", "lang": "en"},
        "views": [[name, VIEW_TITLES[name]] for name in VIEWS],
        "types": list(EVENT_TYPES),
        "langs": [[code, LANG_NAMES[code]] for code in LANGS],
        "countries": countries,
        "topics": topics,
        "focusLabel": focus_label,
        "notice": str(graph.graph.get("notice", "")),
        "lang": filters.lang,
    }


def render_view(store: ox.Store, filters: ViewFilters, *, title: str | None = None) -> str:
    """One self-contained HTML page of the view (no external resources)."""
    graph = view_graph(store, filters)
    return render_graph(
        graph, title=title or _title(graph, filters), view=_page_spec(store, graph, filters)
    )


def write_view_html(store: ox.Store, filters: ViewFilters, path: Path) -> Path:
    """Write the page of the view to `path` (folders are created) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_view(store, filters), encoding="utf-8")
    return target
