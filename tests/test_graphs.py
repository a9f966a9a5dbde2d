"""Graph projections (kg.graphs) on the example store, checked against SPARQL counts written
here independently of the implementation (FILTER EXISTS and property paths instead of joins,
optional filters through COALESCE), and the GEXF/GraphML exports."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import graphs
from kg.graphs import (
    Filters,
    actor_event_network,
    actor_network,
    country_network,
    ego_network,
    event_graph,
    exportable,
    topic_network,
    write_network,
)
from kg.namespaces import COUNTRY, TOPIC
from kg.store import open_store

EG = str(COUNTRY) + "EG"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
PREFIXES = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
PARAMS = "?kind ?country ?topic ?since ?until"
# The selected events, written differently from kg.graphs: every filter is always present and
# passes when its variable is not substituted.
SELECTED = """
  {
    SELECT ?e (MIN(?d) AS ?date) ?kind ?country ?topic ?since ?until WHERE {
      GRAPH ?g1 { ?e a ?cls ; dk:status ?st }
      OPTIONAL { GRAPH ?g2 { ?e dk:date ?d } }
      FILTER(?cls IN (dk:Meeting, dk:Visit, dk:Call))
      FILTER(COALESCE(?kind, ?cls) = ?cls)
      FILTER(COALESCE(STR(?country), "") = ""
             || EXISTS { GRAPH ?g3 { ?e dk:participation/dk:representing ?country } })
      FILTER(COALESCE(STR(?topic), "") = "" || EXISTS { GRAPH ?g4 { ?e dk:topic ?topic } })
    }
    GROUP BY ?e ?kind ?country ?topic ?since ?until
  }
  FILTER(COALESCE(STR(?since), "") = "" || (BOUND(?date) && ?date >= ?since))
  FILTER(COALESCE(STR(?until), "") = "" || (BOUND(?date) && ?date <= ?until))
"""
NOT_COUNTRY = "FILTER NOT EXISTS { GRAPH ?k { ?a a dk:Country } }"
COUNTS = {
    "countries": (
        "SELECT DISTINCT ?x WHERE { %s GRAPH ?h { ?e dk:participation/dk:representing ?x } }",
        """SELECT DISTINCT ?x ?y WHERE { %s
             GRAPH ?h1 { ?e dk:participation/dk:representing ?x }
             GRAPH ?h2 { ?e dk:participation/dk:representing ?y }
             FILTER(STR(?x) < STR(?y)) }""",
    ),
    "actors": (
        f"SELECT DISTINCT ?x WHERE {{ %s GRAPH ?h {{ ?e dk:participation/dk:agent ?a }}"
        f" {NOT_COUNTRY} BIND(?a AS ?x) }}",
        """SELECT DISTINCT ?x ?y WHERE { %s
             GRAPH ?h1 { ?e dk:participation/dk:agent ?x }
             GRAPH ?h2 { ?e dk:participation/dk:agent ?y }
             FILTER(STR(?x) < STR(?y))
             FILTER NOT EXISTS { GRAPH ?k1 { ?x a dk:Country } }
             FILTER NOT EXISTS { GRAPH ?k2 { ?y a dk:Country } } }""",
    ),
    "events": (
        """SELECT DISTINCT ?x WHERE { %s
             OPTIONAL { GRAPH ?h { ?e dk:participation/dk:agent ?a } }
             VALUES ?side { 0 1 }
             BIND(IF(?side = 0, ?e, ?a) AS ?x)
             FILTER(BOUND(?x)) }""",
        "SELECT DISTINCT ?x ?y WHERE { %s GRAPH ?h { ?e dk:participation/dk:agent ?y }"
        " BIND(?e AS ?x) }",
    ),
    "topics": (
        """SELECT DISTINCT ?x WHERE { %s
             { GRAPH ?h { ?e dk:topic ?x } }
             UNION { GRAPH ?h1 { ?e dk:participation/dk:representing ?x }
                     FILTER EXISTS { GRAPH ?h2 { ?e dk:topic ?any } } } }""",
        """SELECT DISTINCT ?x ?y WHERE { %s
             { GRAPH ?h1 { ?e dk:topic ?x } GRAPH ?h2 { ?e dk:participation/dk:representing ?y } }
             UNION
             { GRAPH ?h3 { ?e dk:topic ?x } GRAPH ?h4 { ?e dk:topic ?y } FILTER(STR(?x) < STR(?y)) }
           }""",
    ),
}
PROJECTIONS = {
    "countries": country_network,
    "actors": actor_network,
    "events": actor_event_network,
    "topics": topic_network,
}


def substitutions(**filters: Any) -> dict[ox.Variable, Any]:
    values: dict[ox.Variable, Any] = {}
    if filters.get("type"):
        name = str(filters["type"]).capitalize()
        values[ox.Variable("kind")] = ox.NamedNode(f"https://w3id.org/dipkg/ontology#{name}")
    if filters.get("country"):
        values[ox.Variable("country")] = ox.NamedNode(str(COUNTRY) + filters["country"])
    if filters.get("topic"):
        values[ox.Variable("topic")] = ox.NamedNode(str(TOPIC) + filters["topic"])
    for name in ("since", "until"):
        if filters.get(name):
            values[ox.Variable(name)] = ox.Literal(str(filters[name]), datatype=XSD_DATE)
    return values


def sparql_rows(store: ox.Store, query: str, **filters: Any) -> list[tuple[str, ...]]:
    """Rows of a counting query (its variables before the filter parameters)."""
    text = query % SELECTED
    head, _, body = text.partition(" WHERE ")
    full = f"{PREFIXES}{head} {PARAMS} WHERE {body}"
    solutions = store.query(full, substitutions=substitutions(**filters))
    names = [v.value for v in solutions.variables][: -len(PARAMS.split())]  # type: ignore[union-attr]
    return [tuple(str(row[n].value) for n in names) for row in solutions]  # type: ignore[union-attr]


def expected_counts(store: ox.Store, view: str, **filters: Any) -> tuple[int, int]:
    """Node and edge counts of a view, by SPARQL alone (also used by the browser tests)."""
    nodes, edges = COUNTS[view]
    return len(sparql_rows(store, nodes, **filters)), len(sparql_rows(store, edges, **filters))


@pytest.fixture(scope="module")
def store(example_store_dir: Path) -> ox.Store:
    return open_store(example_store_dir, read_only=True)


FILTER_CASES = [
    {},
    {"type": "visit"},
    {"type": "meeting"},
    {"country": "EG"},
    {"topic": "counterterrorism"},
    {"since": "2023-06-01"},
    {"since": "2023-01-01", "until": "2023-06-30"},
    {"country": "FR", "type": "meeting", "since": "2024-01-01"},
]


@pytest.mark.parametrize("view", list(PROJECTIONS))
@pytest.mark.parametrize(
    "filters", FILTER_CASES, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all"
)
def test_counts_match_sparql(store: ox.Store, view: str, filters: dict[str, str]) -> None:
    graph = PROJECTIONS[view](store, **filters)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == expected_counts(
        store, view, **filters
    )


@pytest.mark.parametrize("filters", FILTER_CASES, ids=str)
def test_fetched_events_are_the_selected_ones(store: ox.Store, filters: dict[str, str]) -> None:
    selection = Filters.of(**filters)
    data = graphs.fetch_events(store, selection)
    query = "SELECT DISTINCT ?x WHERE { %s BIND(?e AS ?x) }"
    assert set(data.events) == {row[0] for row in sparql_rows(store, query, **filters)}
    assert data.events and all(selection.matches(e) for e in data.events.values())
    everything = graphs.fetch_events(store).events.values()
    assert {e.iri for e in everything if selection.matches(e)} == set(data.events)


def test_the_examples_give_every_view_something(store: ox.Store) -> None:
    for view, build in PROJECTIONS.items():
        graph = build(store)
        assert graph.number_of_nodes() >= 10, view
        assert graph.number_of_edges() >= 10, view


def test_filters_narrow_the_views(store: ox.Store) -> None:
    everything = country_network(store)
    for filters in FILTER_CASES[1:]:
        narrowed = country_network(store, **filters)
        assert set(narrowed) <= set(everything), filters
        assert narrowed.number_of_nodes() < everything.number_of_nodes(), filters
    visits = actor_event_network(store, type="visit")
    kinds = {attrs["type"] for _, attrs in visits.nodes(data=True) if attrs["kind"] == "event"}
    assert kinds == {"visit"}
    egypt = country_network(store, country="EG")
    assert EG in egypt
    assert all("EG" in event["parties"] for event in egypt.graph["events"].values())
    recent = actor_event_network(store, since="2023-06-01", until="2023-12-31")
    dates = [a["date"] for _, a in recent.nodes(data=True) if a["kind"] == "event"]
    assert dates and all("2023-06-01" <= d <= "2023-12-31" for d in dates)
    topic = topic_network(store, topic="counterterrorism")
    assert str(TOPIC) + "counterterrorism" in topic
    assert all("counterterrorism" in event["topics"] for event in topic.graph["events"].values())


def test_weights_are_numbers_of_events(store: ox.Store) -> None:
    graph = country_network(store)
    query = """SELECT ?x ?y (COUNT(DISTINCT ?e) AS ?n) WHERE { %s
                 GRAPH ?h1 { ?e dk:participation/dk:representing ?x }
                 GRAPH ?h2 { ?e dk:participation/dk:representing ?y }
                 FILTER(STR(?x) < STR(?y)) } GROUP BY ?x ?y"""
    text = PREFIXES + query % SELECTED
    expected = {
        frozenset((str(row["x"].value), str(row["y"].value))): int(row["n"].value)
        for row in store.query(text)  # type: ignore[union-attr]
    }
    found = {frozenset((a, b)): attrs["weight"] for a, b, attrs in graph.edges(data=True)}
    assert found == expected
    assert max(found.values()) > 1
    for a, b, attrs in graph.edges(data=True):
        assert len(attrs["events"]) == attrs["weight"]
        assert set(attrs["events"]) <= set(graph.nodes[a]["events"])
        assert set(attrs["events"]) <= set(graph.nodes[b]["events"])


def test_node_attributes(store: ox.Store) -> None:
    graph = country_network(store, lang="ar")
    egypt = graph.nodes[EG]
    assert egypt["kind"] == "country"
    assert egypt["labels"] == {"en": "Egypt", "ar": "مصر", "fr": "Égypte"}
    assert egypt["label"] == "مصر"
    assert egypt["tooltip"].startswith("مصر\n")
    assert egypt["event_count"] == len(egypt["events"]) > 1
    events = actor_event_network(store)
    with_url = [a for _, a in events.nodes(data=True) if a["kind"] == "event" and a["urls"]]
    assert with_url, "the French state visit article has a URL"
    for _, attrs in events.nodes(data=True):
        assert isinstance(attrs["tooltip"], str) and attrs["tooltip"]
        assert set(attrs["labels"]) == {"en", "ar", "fr"}
        if attrs["kind"] == "event":
            assert attrs["type"] in ("meeting", "visit", "call")
            assert attrs["quote"] and attrs["quote"] in attrs["tooltip"]
            assert {"date", "place", "headlines", "urls", "status"} <= set(attrs)
    people = actor_network(store)
    assert {a["kind"] for _, a in people.nodes(data=True)} == {"person", "organization"}
    shoukry = people.nodes["https://w3id.org/dipkg/id/person/sameh-shoukry"]
    assert shoukry["country"] == "EG" and "Foreign Minister" in shoukry["title"]
    safadi = people.nodes["https://w3id.org/dipkg/id/person/ayman-safadi"]
    assert {"Foreign Minister", "Deputy Prime Minister"} <= set(safadi["title"].split("; "))
    assert safadi["subtitle"].endswith("Jordan")


def test_ego_network_depth(store: ox.Store) -> None:
    graph = country_network(store)
    query = """SELECT DISTINCT ?x WHERE {
      GRAPH ?g1 { ?e dk:participation/dk:representing ?focus }
      GRAPH ?g2 { ?e dk:participation/dk:representing ?x } }"""
    focus = {ox.Variable("focus"): ox.NamedNode(EG)}
    text = PREFIXES + query.replace("SELECT DISTINCT ?x", "SELECT DISTINCT ?x ?focus")
    neighbours = {str(row["x"].value) for row in store.query(text, substitutions=focus)}  # type: ignore[union-attr]
    one = ego_network(graph, EG, 1)
    assert set(one) == neighbours
    assert one.number_of_edges() == graph.subgraph(neighbours).number_of_edges()
    assert one.nodes[EG]["focus"] is True and one.graph["focus"] == EG
    assert list(ego_network(graph, EG, 0)) == [EG]
    two = ego_network(graph, EG, 2)
    distance = nx.single_source_shortest_path_length(graph, EG)
    assert set(two) == {n for n, d in distance.items() if d <= 2}
    assert set(one) < set(two) <= set(ego_network(graph, EG, 10))
    assert set(ego_network(graph, EG, 10)) == nx.node_connected_component(graph, EG)
    used = {e for _, a in one.nodes(data=True) for e in a["events"]}
    assert set(one.graph["events"]) == used
    with pytest.raises(ValueError, match="not a node"):
        ego_network(graph, str(COUNTRY) + "ZZ", 1)


def test_event_graph_still_draws_events_people_places_topics(store: ox.Store) -> None:
    graph = event_graph(store)
    kinds = {attrs["kind"] for _, attrs in graph.nodes(data=True)}
    assert {"event", "person", "country", "place", "topic"} <= kinds
    assert graph.number_of_nodes() > 20
    assert event_graph(store, type="call").number_of_nodes() < graph.number_of_nodes()


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"type": "visits"}, "meeting, visit or call"),
        ({"since": "2023-13-01"}, "YYYY-MM-DD"),
        ({"until": "yesterday"}, "YYYY-MM-DD"),
        ({"since": "2024-01-01", "until": "2023-01-01"}, "is after"),
        ({"country": "EGY"}, "two-letter"),
        ({"country": "E'} DROP ALL #"}, "two-letter"),
        ({"topic": "x> } ; DROP ALL"}, "topic id"),
    ],
)
def test_bad_filters_are_refused_in_plain_words(
    store: ox.Store, filters: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        country_network(store, **filters)


def test_filter_values_never_enter_the_query_text(store: ox.Store) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.texts: list[str] = []
            self.bound: list[dict[ox.Variable, Any]] = []

        def query(self, text: str, **options: Any) -> Any:
            self.texts.append(text)
            self.bound.append(options.get("substitutions") or {})
            return store.query(text, **options)

        def quads_for_pattern(self, *pattern: Any) -> Any:
            return store.quads_for_pattern(*pattern)

    recorder = Recorder()
    graph = country_network(
        recorder,  # type: ignore[arg-type]
        country="JO",
        topic="counterterrorism",
        since=date(2022, 1, 1),
        until="2023-12-31",
        type="meeting",
    )
    assert graph.number_of_nodes() > 0 and recorder.texts
    for text, bound in zip(recorder.texts, recorder.bound, strict=True):
        for value in ("country/JO", "counterterrorism", "2022-01-01", "2023-12-31"):
            assert value not in text
        assert {v.value for v in bound} == {"class", "country", "topic", "since", "until"}
        for variable in bound:
            assert f"?{variable.value}" in text.split("WHERE", 1)[0]  # projected


def test_filters_object() -> None:
    f = Filters.of(since="2023-01-01", country="eg", topic="Energy", type="Call")
    assert (f.since, f.country, f.topic, f.type) == (date(2023, 1, 1), "EG", "energy", "call")
    assert f.as_dict() == {
        "since": "2023-01-01",
        "country": "EG",
        "topic": "energy",
        "type": "call",
    }
    assert Filters.of(country=str(COUNTRY) + "JO").country == "JO"
    assert Filters() == Filters.of(since="", country=" ")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
@pytest.mark.parametrize("view", list(PROJECTIONS))
def test_exports_parse_back(store: ox.Store, tmp_path: Path, fmt: str, view: str) -> None:
    graph = PROJECTIONS[view](store)
    path = write_network(graph, tmp_path / f"{view}.{fmt}", fmt)
    back = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    node, attrs = next(iter(graph.nodes(data=True)))
    read = back.nodes[node]
    assert read.get("label") == attrs["label"]
    assert read["label_ar"] == attrs["labels"]["ar"]
    assert read["kind"] == attrs["kind"]
    weights = sorted(int(a["weight"]) for _, _, a in back.edges(data=True))
    assert weights == sorted(a["weight"] for _, _, a in graph.edges(data=True))


def test_exportable_holds_strings_and_numbers_only(store: ox.Store) -> None:
    for build in PROJECTIONS.values():
        graph = ego_network(build(store), next(iter(build(store))), 1)
        safe = exportable(graph)
        values: list[Any] = [v for _, a in safe.nodes(data=True) for v in a.values()]
        values += [v for _, _, a in safe.edges(data=True) for v in a.values()]
        values += list(safe.graph.values())
        assert values
        for value in values:
            assert isinstance(value, str | int | float) and not isinstance(value, bool), value
            assert not (isinstance(value, float) and math.isnan(value))
        assert "events" not in safe.graph


def test_unknown_export_format(store: ox.Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="gexf or graphml"):
        write_network(country_network(store), tmp_path / "x.dot", "dot")


def test_labels_are_looked_up_per_entity() -> None:
    """Labels are looked up per entity, not by scanning every label of the reference data:
    an empty selection must not read the reference graph's thousands of labels."""
    from kg.store import memory_store

    empty = memory_store()
    calls: list[Any] = []

    class Counting:
        def query(self, *args: Any, **kw: Any) -> Any:
            return empty.query(*args, **kw)

        def quads_for_pattern(self, *pattern: Any) -> Any:
            calls.append(pattern)
            return empty.quads_for_pattern(*pattern)

    graph = graphs.actor_event_network(Counting())  # type: ignore[arg-type]
    assert graph.number_of_nodes() == 0 and calls == []
