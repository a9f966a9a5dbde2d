"""Graph projections of the store as networkx graphs, shared by `kg viz`, exports and notebooks.

Plain functions over a store (networkx style): each runs SPARQL and returns a graph whose nodes
carry `kind`, `label` and `tooltip`, and whose edges carry `label` and `weight`.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pyoxigraph as ox

EVENT_GRAPH_QUERY = """
PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
SELECT ?event ?type ?date ?quote ?url ?headline ?agent ?role ?title ?country ?place WHERE {
  GRAPH ?g {
    ?event a ?type ; dk:participation ?p ; prov:wasDerivedFrom ?article .
    FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call))
    ?p dk:agent ?agent ; dk:role ?role .
    OPTIONAL { ?p dk:title ?title }
    OPTIONAL { ?p dk:representing ?country }
    OPTIONAL { ?event dk:date ?date }
    OPTIONAL { ?event sem:hasPlace ?place }
    OPTIONAL { ?event dk:evidence/oa:exact ?quote }
    OPTIONAL { ?article schema:url ?url }
    OPTIONAL { ?article schema:headline ?headline }
  }
}
"""

TOPICS_QUERY = """
PREFIX dk: <https://w3id.org/dipkg/ontology#>
SELECT ?event ?topic WHERE { GRAPH ?g { ?event dk:topic ?topic } }
"""

LABEL_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dk: <https://w3id.org/dipkg/ontology#>
SELECT ?s ?label ?type WHERE {
  GRAPH ?g { ?s skos:prefLabel ?label . OPTIONAL { ?s a ?type } }
  FILTER(LANG(?label) = "en" || LANG(?label) = "ar" || LANG(?label) = "fr")
}
"""

_KIND_BY_TYPE = {
    "https://w3id.org/dipkg/ontology#Person": "person",
    "https://w3id.org/dipkg/ontology#Country": "country",
    "https://w3id.org/dipkg/ontology#InternationalOrganization": "organization",
    "https://w3id.org/dipkg/ontology#Organization": "organization",
    "https://w3id.org/dipkg/ontology#City": "place",
    "http://www.w3.org/2004/02/skos/core#Concept": "topic",
}


def _v(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _labels(store: ox.Store, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    for row in store.query(LABEL_QUERY):  # type: ignore[union-attr]
        s = _v(row["s"]) or ""
        label = row["label"]
        labels.setdefault(s, {}).setdefault(label.language or "", label.value)
        kind = _KIND_BY_TYPE.get(_v(row["type"]) or "")
        if kind:
            kinds[s] = kind
    chosen = {s: (v.get(lang) or v.get("en") or next(iter(v.values()))) for s, v in labels.items()}
    return chosen, kinds


def event_graph(store: ox.Store, *, lang: str = "en") -> nx.Graph:
    """Events linked to their participants (edge label = role), place and topics."""
    labels, kinds = _labels(store, lang)
    graph = nx.Graph()
    for row in store.query(EVENT_GRAPH_QUERY):  # type: ignore[union-attr]
        event = _v(row["event"]) or ""
        if event not in graph:
            etype = _local(_v(row["type"]) or "").lower()
            date = _v(row["date"]) or "date unknown"
            quote = _v(row["quote"]) or ""
            source = _v(row["url"]) or _v(row["headline"]) or ""
            graph.add_node(
                event,
                kind="event",
                label=f"{etype} {date}",
                tooltip=f"{etype.capitalize()}, {date}\n«{quote}»\n{source}".strip(),
                url=_v(row["url"]),
            )
        agent = _v(row["agent"]) or ""
        if agent not in graph:
            kind = kinds.get(agent, "person")
            label = labels.get(agent, _local(agent))
            graph.add_node(
                agent, kind=kind, label=label, tooltip=f"{label}\n{_v(row['title']) or ''}".strip()
            )
        graph.add_edge(event, agent, label=_local(_v(row["role"]) or "").lower(), weight=1)
        country = _v(row["country"])
        if country and country != agent and kinds.get(agent) == "person":
            if country not in graph:
                graph.add_node(
                    country,
                    kind="country",
                    label=labels.get(country, _local(country)),
                    tooltip=labels.get(country, _local(country)),
                )
            graph.add_edge(agent, country, label="represents", weight=1)
        place = _v(row["place"])
        if place and place not in graph:
            graph.add_node(
                place,
                kind="place" if kinds.get(place) != "country" else "country",
                label=labels.get(place, _local(place)),
                tooltip=labels.get(place, _local(place)),
            )
        if place:
            graph.add_edge(event, place, label="place", weight=1)
    for row in store.query(TOPICS_QUERY):  # type: ignore[union-attr]
        event, topic = _v(row["event"]) or "", _v(row["topic"]) or ""
        if event not in graph:
            continue
        if topic not in graph:
            label = labels.get(topic, _local(topic))
            graph.add_node(topic, kind="topic", label=label, tooltip=label)
        graph.add_edge(event, topic, label="topic", weight=1)
    return graph
