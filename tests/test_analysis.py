"""kg.analysis on the example store, checked against figures computed here independently: SPARQL
written for the test, networkx on the projections, and small hand-made graphs with known
answers."""

from __future__ import annotations

import html
import itertools
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

pd = pytest.importorskip("pandas")

from kg import analysis  # noqa: E402
from kg.analysis import (  # noqa: E402
    IngestError,
    centrality,
    communities,
    counterparts,
    ego,
    events_frame,
    events_over_time,
    find_project_root,
    load_articles,
    network,
    position_over_time,
    query_frame,
    resolve_node,
    sample_files,
    show,
    snapshots,
    top_dyads,
)
from kg.graphs import actor_network, country_network, ego_network  # noqa: E402
from kg.queries import ParameterError, Table, bind, named_queries, run_select  # noqa: E402
from kg.store import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ID = "https://w3id.org/dipkg/id/"
COUNTRY = ID + "country/"
EG, SA, FR = COUNTRY + "EG", COUNTRY + "SA", COUNTRY + "FR"
SHOUKRY = ID + "person/sameh-shoukry"
PREFIXES = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# Every event with its class, earliest own date and earliest publication of its articles.
EVENT_DAYS = (
    PREFIXES
    + """
SELECT ?e (SAMPLE(?c) AS ?class) (MIN(?d) AS ?date) (MIN(?pub) AS ?published) WHERE {
  GRAPH ?g { ?e a ?c ; dk:status ?st }
  FILTER(?c IN (dk:Meeting, dk:Visit, dk:Call))
  OPTIONAL { GRAPH ?g2 { ?e dk:date ?d } }
  OPTIONAL { GRAPH ?g3 { ?e prov:wasDerivedFrom ?a . ?a schema:datePublished ?pub } }
} GROUP BY ?e
"""
)


@pytest.fixture(scope="module")
def store(example_store_dir: Path) -> ox.Store:
    return open_store(example_store_dir, read_only=True)


@pytest.fixture(scope="module")
def days(store: ox.Store) -> dict[str, dict[str, Any]]:
    """Per event: type, own date and first publication, by SPARQL."""
    found = {}
    for row in store.query(EVENT_DAYS):  # type: ignore[union-attr]
        date_ = row["date"]
        published = row["published"]
        found[row["e"].value] = {
            "type": row["class"].value.rsplit("#", 1)[-1].lower(),
            "date": date.fromisoformat(date_.value) if date_ is not None else None,
            "published": date.fromisoformat(published.value[:10])
            if published is not None
            else None,
        }
    return found


def sparql(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [
        {n: (None if row[n] is None else row[n].value) for n in names}
        for row in result  # type: ignore[union-attr]
    ]


# --- query_frame ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, q in named_queries().items() if not q.parameters])
def test_query_frame_has_the_rows_of_the_named_query(store: ox.Store, name: str) -> None:
    query = named_queries()[name]
    table = run_select(store, query.text)
    assert isinstance(table, Table)
    frame = query_frame(store, name)
    assert list(frame.columns) == table.columns
    assert len(frame) == len(table.rows)
    for column_number, column in enumerate(table.columns):
        expected = [row[column_number] for row in table.rows]
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            got = [None if pd.isna(v) else v.date().isoformat() for v in values]
        elif pd.api.types.is_integer_dtype(values):
            got = [None if pd.isna(v) else str(int(v)) for v in values]
        else:
            got = [None if v is None else str(v) for v in values]
        assert got == expected, column


def test_query_frame_types_columns(store: ox.Store) -> None:
    events = query_frame(store, "events")
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert events["date"].isna().any() and events["date"].notna().any()  # undated ones are NaT
    dyads = query_frame(store, "country-dyads")
    assert dyads["events"].dtype == "int64"
    assert dyads["events"].sum() == sum(
        int(r["n"] or 0)
        for r in sparql(
            store,
            """SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?e ?c1 ?c2 WHERE { GRAPH ?g {
                 ?e dk:participation ?p1 , ?p2 . ?p1 dk:representing ?c1 .
                 ?p2 dk:representing ?c2 FILTER(STR(?c1) < STR(?c2)) } } } }""",
        )
    )
    sources = query_frame(store, "sources")
    assert sources["articles"].dtype == "int64"
    assert sources["articles"].sum() == 14
    assert pd.api.types.is_datetime64_any_dtype(sources["first"])


def test_query_frame_binds_parameters(store: ox.Store) -> None:
    query = named_queries()["actor-events"]
    table = run_select(store, query.text, bind(query, {"actor": SHOUKRY}))
    assert isinstance(table, Table)
    frame = query_frame(store, "actor-events", actor=SHOUKRY)
    assert len(frame) == len(table.rows) == 5
    assert set(frame["actor"]) == {SHOUKRY}
    # dates may be given as date objects or text
    as_date = query_frame(
        store, "country-meetings", country1=EG, country2=FR, since=date(2023, 5, 1)
    )
    as_text = query_frame(store, "country-meetings", country1=EG, country2=FR, since="2023-05-01")
    assert as_date.equals(as_text)
    assert as_date["date"].min() >= pd.Timestamp("2023-05-01")
    with pytest.raises(ParameterError):
        query_frame(store, "actor-events", person=SHOUKRY)
    with pytest.raises(KeyError, match="actor-events"):
        query_frame(store, "actor-event")


def test_query_frame_runs_query_text(store: ox.Store) -> None:
    frame = query_frame(
        store, "SELECT ?n ?day ?word WHERE {}", n=5, day=date(2024, 2, 27), word="visit"
    )
    assert frame["n"].tolist() == [5] and frame["n"].dtype == "int64"
    assert frame["day"].tolist() == [pd.Timestamp("2024-02-27")]
    assert frame["word"].tolist() == ["visit"]
    mixed = query_frame(
        store,
        """SELECT ?i ?f ?d ?b ?m WHERE { VALUES (?i ?f ?d ?b ?m) {
             (1 1.5 "2023-01-02"^^<http://www.w3.org/2001/XMLSchema#date> true 1)
             (UNDEF 2.0 UNDEF false "x") } }""",
    )
    assert str(mixed["i"].dtype) == "Int64" and mixed["i"].isna().tolist() == [False, True]
    assert mixed["f"].dtype == float and mixed["f"].tolist() == [1.5, 2.0]
    assert pd.api.types.is_datetime64_any_dtype(mixed["d"]) and pd.isna(mixed["d"][1])
    assert mixed["b"].tolist() == [True, False]
    assert mixed["m"].tolist() == ["1", "x"]  # mixed kinds stay text
    zoned = query_frame(
        store,
        """SELECT ?t WHERE { VALUES ?t {
             "2015-07-21T02:51:32+03:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>
             "2015-07-21"^^<http://www.w3.org/2001/XMLSchema#date> } }""",
    )
    assert zoned["t"].tolist() == [
        pd.Timestamp("2015-07-20T23:51:32Z"),
        pd.Timestamp("2015-07-21T00:00:00Z"),
    ]
    with pytest.raises(ValueError, match="SELECT"):
        query_frame(store, "ASK { ?s ?p ?o }")


# --- events -----------------------------------------------------------------------------------


def test_events_frame_has_one_row_per_event(
    store: ox.Store, days: dict[str, dict[str, Any]]
) -> None:
    frame = events_frame(store)
    assert sorted(frame["event"]) == sorted(days)
    assert frame["event"].is_unique
    for row in frame.itertuples():
        expected = days[row.event]
        assert row.type == expected["type"]
        own = None if pd.isna(row.date) else row.date.date()
        published = None if pd.isna(row.published) else row.published.date()
        when = None if pd.isna(row.when) else row.when.date()
        assert own == expected["date"]
        assert published == expected["published"]
        assert when == (expected["date"] or expected["published"])
        assert row.dated == (expected["date"] is not None)
    countries = defaultdict(set)
    for r in sparql(
        store, "SELECT ?e ?c WHERE { GRAPH ?g { ?e dk:participation/dk:representing ?c } }"
    ):
        countries[r["e"]].add(str(r["c"]).rsplit("/", 1)[-1])
    for row in frame.itertuples():
        assert set(row.countries) == countries.get(row.event, set())


def test_events_frame_filters(store: ox.Store) -> None:
    visits = events_frame(store, type="visit")
    assert len(visits) > 0 and set(visits["type"]) == {"visit"}
    egypt = events_frame(store, country="EG")
    assert len(egypt) > 0 and all("EG" in c for c in egypt["countries"])


def _period_counts(
    days: dict[str, dict[str, Any]], freq: str, undated: str = "published"
) -> Counter[tuple[pd.Timestamp, str]]:
    counts: Counter[tuple[pd.Timestamp, str]] = Counter()
    for event in days.values():
        day = event["date"] or (event["published"] if undated == "published" else None)
        if day is not None:
            start = pd.Period(day, freq=freq).start_time
            counts[(start, event["type"])] += 1
    return counts


@pytest.mark.parametrize("freq", ["W", "M", "Q"])
def test_events_over_time_by_type(
    store: ox.Store, days: dict[str, dict[str, Any]], freq: str
) -> None:
    frame = events_over_time(store, freq=freq, by="type")
    expected = _period_counts(days, freq)
    assert set(frame.columns) == {t for _, t in expected}
    for (start, kind), n in expected.items():
        assert frame.loc[start, kind] == n
    assert int(frame.to_numpy().sum()) == sum(expected.values())
    # every period from the first to the last, empty ones as 0
    periods = pd.period_range(min(s for s, _ in expected), max(s for s, _ in expected), freq=freq)
    assert list(frame.index) == list(periods.to_timestamp(how="start"))
    assert all(str(t) == "int64" for t in frame.dtypes)
    assert frame.attrs["left_out"] == sum(
        1 for e in days.values() if e["date"] is None and e["published"] is None
    )


def test_events_over_time_options(store: ox.Store, days: dict[str, dict[str, Any]]) -> None:
    dated = sum(1 for e in days.values() if e["date"])
    only_dated = events_over_time(store, "M", by=None, undated="drop")
    assert list(only_dated.columns) == ["events"]
    assert only_dated["events"].sum() == dated
    window = events_over_time(store, "M", by=None, since="2023-03-01", until="2023-06-30")
    assert window["events"].sum() == sum(
        1
        for e in days.values()
        if (d := e["date"] or e["published"]) and date(2023, 3, 1) <= d <= date(2023, 6, 30)
    )
    assert window.index.min() >= pd.Timestamp("2023-03-01")
    with pytest.raises(ValueError, match="by must be"):
        events_over_time(store, by="colour")
    with pytest.raises(ValueError, match="undated"):
        events_over_time(store, undated="guess")  # type: ignore[arg-type]
    empty = events_over_time(store, "M", since="1990-01-01", until="1990-12-31")
    assert empty.empty


def test_events_over_time_by_topic(store: ox.Store, days: dict[str, dict[str, Any]]) -> None:
    frame = events_over_time(store, "Y", by="topic")
    rows = sparql(
        store,
        """SELECT DISTINCT ?e ?label WHERE { GRAPH ?g { ?e dk:topic ?t }
             GRAPH ?r { ?t skos:prefLabel ?label FILTER(LANG(?label) = "en") } }""",
    )
    expected: Counter[str] = Counter()
    for r in rows:
        event = days[str(r["e"])]
        if event["date"] or event["published"]:
            expected[str(r["label"])] += 1
    assert frame.sum().to_dict() == dict(expected)
    # by totals, ties alphabetically
    assert list(frame.columns) == sorted(expected, key=lambda t: (-expected[t], t))


# --- dyads and counterparts -------------------------------------------------------------------


def test_top_dyads_of_countries_match_the_named_query(store: ox.Store) -> None:
    frame = top_dyads(store, n=100)
    named = query_frame(store, "country-dyads")
    assert {(frozenset((r.a, r.b)), r.events) for r in frame.itertuples()} == {
        (frozenset((r.country1, r.country2)), r.events) for r in named.itertuples()
    }
    assert (frame["meetings"] + frame["visits"] + frame["calls"] == frame["events"]).all()
    assert frame["events"].is_monotonic_decreasing
    assert (frame["a"].str.casefold() <= frame["b"].str.casefold()).all()
    assert len(top_dyads(store, n=3)) == 3


def test_top_dyads_of_actors(store: ox.Store) -> None:
    frame = top_dyads(store, n=5, view="actors")
    for row in frame.itertuples():
        together = sparql(
            store,
            f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
                 GRAPH ?g1 {{ ?e dk:participation/dk:agent <{row.a_iri}> }}
                 GRAPH ?g2 {{ ?e dk:participation/dk:agent <{row.b_iri}> }} }}""",
        )
        assert row.events == int(together[0]["n"] or 0)
    assert frame.loc[0, "events"] == max(w for _, _, w in actor_network(store).edges(data="weight"))


def test_counterparts_of_saudi_arabia(store: ox.Store) -> None:
    frame = counterparts(store, "SA", n=None)
    rows = sparql(
        store,
        f"""SELECT ?agent (COUNT(DISTINCT ?e) AS ?n) WHERE {{
             GRAPH ?g1 {{ ?e dk:participation/dk:representing <{SA}> }}
             GRAPH ?g2 {{ ?e dk:participation ?p . ?p dk:agent ?agent }}
             FILTER NOT EXISTS {{ GRAPH ?g3 {{ ?p dk:representing <{SA}> }} }}
             FILTER EXISTS {{ GRAPH ?k {{ ?agent a dk:Person }} }} }} GROUP BY ?agent""",
    )
    assert dict(zip(frame["iri"], frame["events"], strict=True)) == {
        str(r["agent"]): int(r["n"] or 0) for r in rows
    }
    known = dict(zip(frame["iri"], frame["known"], strict=True))
    assert known[ID + "person/antony-blinken"]
    assert not any(v for k, v in known.items() if "/agent/" in k or "/person/x-" in k)
    assert "Saudi Arabia" not in set(frame["represents"])
    later = counterparts(store, "SA", n=None, since="2023-06-01")
    assert set(later["iri"]) < set(frame["iri"])
    assert (later["first"] >= pd.Timestamp("2023-06-01")).all()
    assert len(counterparts(store, "SA", n=2)) == 2


# --- networks ---------------------------------------------------------------------------------


def test_network_windows_agree_with_kg_graphs(store: ox.Store) -> None:
    window = {"since": "2023-03-01", "until": "2023-07-31"}
    dropped = network(store, "countries", undated="drop", **window)
    reference = country_network(store, **window)
    assert set(dropped.nodes) == set(reference.nodes)
    assert {(frozenset((a, b)), w) for a, b, w in dropped.edges(data="weight")} == {
        (frozenset((a, b)), w) for a, b, w in reference.edges(data="weight")
    }
    published = network(store, "countries", **window)  # undated events by publication day
    assert set(reference.nodes) <= set(published.nodes)
    for a, b, w in reference.edges(data="weight"):
        assert published.edges[a, b]["weight"] >= w
    assert network(store, "countries").number_of_nodes() == country_network(store).number_of_nodes()
    with pytest.raises(ValueError, match="view"):
        network(store, "planets")


def test_centrality_of_the_country_network(store: ox.Store) -> None:
    graph = country_network(store)
    frame = centrality(graph)
    assert set(frame.index) == set(graph.nodes)
    betweenness = nx.betweenness_centrality(graph)
    for node, row in frame.iterrows():
        assert row["degree"] == graph.degree(node)
        assert row["strength"] == sum(w for _, _, w in graph.edges(node, data="weight"))
        assert row["degree_centrality"] == pytest.approx(graph.degree(node) / (len(graph) - 1))
        assert row["betweenness"] == pytest.approx(betweenness[node])
        assert row["label"] == graph.nodes[node]["label"]
        assert row["kind"] == "country"
    assert frame["degree"].is_monotonic_decreasing
    assert frame.index[0] == EG  # Egypt has the most partners in the examples
    # eigenvector: unit length, and A·x = λ·x on the component that carries it
    x = frame["eigenvector"]
    assert math.isclose(math.sqrt((x**2).sum()), 1.0, rel_tol=1e-3)
    main = max(nx.connected_components(graph), key=lambda c: sum(x[n] for n in c))
    ratios = [
        sum(w * x[m] for _, m, w in graph.edges(n, data="weight")) / x[n]
        for n in main
        if x[n] > 1e-3
    ]
    assert max(ratios) - min(ratios) < 0.01 * max(ratios)
    assert frame.attrs["eigenvector"] == "converged"


def test_eigenvector_needs_no_numpy(monkeypatch: pytest.MonkeyPatch, store: ox.Store) -> None:
    graph = country_network(store)
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "numpy", None)
        patch.setitem(sys.modules, "scipy", None)
        values, note = analysis._eigenvector(graph, "weight")
    assert note == "converged" and len(values) == len(graph)


def test_eigenvector_convergence_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.path_graph(4)
    calls: list[float] = []

    def slow(g: nx.Graph, max_iter: int, tol: float, weight: str | None) -> dict[Any, float]:
        calls.append(tol)
        if len(calls) == 1:
            raise nx.PowerIterationFailedConvergence(max_iter)
        return {n: 0.5 for n in g}

    monkeypatch.setattr(nx, "eigenvector_centrality", slow)
    frame = centrality(graph)
    assert calls == [1e-06, 1e-04]
    assert "tolerance" in frame.attrs["eigenvector"]

    def never(g: nx.Graph, max_iter: int, tol: float, weight: str | None) -> dict[Any, float]:
        raise nx.PowerIterationFailedConvergence(max_iter)

    monkeypatch.setattr(nx, "eigenvector_centrality", never)
    frame = centrality(graph)
    assert frame["eigenvector"].isna().all()
    assert "did not converge" in frame.attrs["eigenvector"]
    assert frame["betweenness"].notna().all()


def test_centrality_of_small_graphs() -> None:
    empty = centrality(nx.Graph())
    assert empty.empty and "eigenvector" in empty.columns
    lonely = nx.Graph()
    lonely.add_nodes_from(["a", "b"])
    frame = centrality(lonely)
    assert frame["eigenvector"].tolist() == [0.0, 0.0]
    assert frame["label"].tolist() == ["a", "b"]  # a node without a label shows its id


def test_communities_find_two_cliques() -> None:
    graph = nx.Graph()
    left, right = ["a", "b", "c", "d"], ["w", "x", "y"]
    graph.add_edges_from((u, v, {"weight": 3}) for i, u in enumerate(left) for v in left[i + 1 :])
    graph.add_edges_from((u, v, {"weight": 3}) for i, u in enumerate(right) for v in right[i + 1 :])
    graph.add_edge("d", "w", weight=1)
    frame = communities(graph, seed=0)
    groups = [set(group.index) for _, group in frame.groupby("community")]
    assert groups == [set(left), set(right)]  # the larger is 0
    assert frame.loc["a", "size"] == 4 and frame.loc["x", "size"] == 3
    expected = nx.community.modularity(graph, [set(left), set(right)], weight="weight")
    assert frame.attrs["modularity"] == pytest.approx(expected)


def test_communities_of_the_actor_network(store: ox.Store) -> None:
    graph = actor_network(store)
    frame = communities(graph, seed=0)
    again = communities(graph, seed=0)
    assert frame.equals(again)  # repeatable with a seed
    assert sorted(frame.index) == sorted(graph.nodes)
    sizes = frame.groupby("community").size()
    assert sizes.is_monotonic_decreasing
    assert (frame["size"] == frame["community"].map(sizes)).all()
    partition = [set(g.index) for _, g in frame.groupby("community")]
    assert frame.attrs["modularity"] == pytest.approx(
        nx.community.modularity(graph, partition, weight="weight")
    )
    assert 0.3 < frame.attrs["modularity"] < 1
    assert communities(nx.Graph()).empty


def test_ego_by_label_code_and_iri(store: ox.Store) -> None:
    full = country_network(store)
    expected = {EG, *full.neighbors(EG)}
    for focus in ("Egypt", "EG", EG, "egypt"):
        graph = ego(store, focus)
        assert set(graph.nodes) == expected, focus
        assert graph.graph["focus"] == EG
    people = actor_network(store)
    two_steps = set(nx.single_source_shortest_path_length(people, SHOUKRY, cutoff=2))
    assert set(ego(store, "Sameh Shoukry", depth=2).nodes) == two_steps
    assert set(ego(store, SHOUKRY, depth=2).nodes) == set(ego_network(people, SHOUKRY, 2).nodes)
    with pytest.raises(ValueError, match="closest: Sameh Shoukry"):
        ego(store, "Sameh Shukry")


def test_resolve_node_refuses_ambiguous_labels() -> None:
    graph = nx.Graph()
    graph.add_node("x:1", label="Minister", labels={"en": "Minister", "fr": "Ministre"})
    graph.add_node("x:2", label="Minister")
    graph.add_node("x:3", label="Emir", labels={"ar": "أمير"})
    with pytest.raises(ValueError, match="several"):
        resolve_node(graph, "minister")
    assert resolve_node(graph, "Ministre") == "x:1"
    assert resolve_node(graph, "أمير") == "x:3"


def test_snapshots_split_the_events(store: ox.Store, days: dict[str, dict[str, Any]]) -> None:
    periods = snapshots(store, "Q", "countries")
    keys = list(periods)
    assert keys == list(pd.period_range(keys[0], keys[-1], freq="Q"))
    full = country_network(store)
    for a, b, events in full.edges(data="events"):
        with_day = [e for e in events if days[e]["date"] or days[e]["published"]]
        split = sum(g.edges[a, b]["weight"] for g in periods.values() if g.has_edge(a, b))
        assert split == len(with_day)
    for period, graph in periods.items():
        assert graph.graph["period"] == str(period)
        for event in graph.graph["events"]:
            day = days[event]["date"] or days[event]["published"]
            assert pd.Period(day, freq="Q") == period
    dated = snapshots(store, "Y", "countries", undated="drop")
    assert [str(p) for p in dated] == ["2022", "2023", "2024"]
    assert snapshots(store, "M", since="1990-01-01", until="1990-12-31") == {}


def test_position_over_time(store: ox.Store) -> None:
    frame = position_over_time(store, "Egypt", freq="Q")
    periods = snapshots(store, "Q", "countries")
    assert list(frame.index) == [p.start_time for p in periods]
    assert frame.attrs["label"] == "Egypt" and frame.attrs["view"] == "countries"
    for period, graph in periods.items():
        row = frame.loc[period.start_time]
        assert row["present"] == (EG in graph)
        assert row["nodes"] == graph.number_of_nodes()
        if EG not in graph:
            assert row["degree"] == 0 and pd.isna(row["rank"])
            continue
        assert row["degree"] == graph.degree(EG)
        strength = {n: graph.degree(n, weight="weight") for n in graph}
        key = (graph.degree(EG), strength[EG])
        ahead = sum(1 for n in graph if (graph.degree(n), strength[n]) > key)
        assert row["rank"] == ahead + 1
        assert row["betweenness"] == pytest.approx(nx.betweenness_centrality(graph)[EG])
    assert frame["present"].any()
    people = position_over_time(store, SHOUKRY, freq="Y")
    assert people.attrs["view"] == "actors"
    assert people["degree"].sum() > 0


# --- ingestion, display, plots, plumbing ------------------------------------------------------


def test_load_articles_runs_kg_ingest(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    report = load_articles(
        [EXAMPLES / "en-02-paris-state-visit.json", EXAMPLES / "fr-02-le-caire-visite.json", empty],
        tmp_path / "store",
    )
    assert report.store_dir == tmp_path / "store"
    assert report.articles == 2
    assert len(report.skipped) == 1 and "empty.txt" in report.skipped[0]
    assert report.returncode == 1  # kg ingest reports skipped inputs with status 1
    assert "ingested 2 articles" in report.output
    assert "\x1b[" not in report.output
    store = report.open()
    events = sparql(
        store,
        """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a ?c
             FILTER(?c IN (dk:Meeting, dk:Visit, dk:Call)) } }""",
    )
    assert report.events == int(events[0]["n"] or 0) > 0
    assert "2 articles" in str(report)
    del store


def test_load_articles_fails_on_a_locked_store(tmp_path: Path) -> None:
    writer = open_store(tmp_path / "locked")
    try:
        with pytest.raises(IngestError, match="in use"):
            load_articles([EXAMPLES / "en-02-paris-state-visit.json"], tmp_path / "locked")
    finally:
        del writer


def test_show_embeds_the_page_in_an_iframe(store: ox.Store, tmp_path: Path) -> None:
    from kg.viz import render_graph

    graph = country_network(store)
    shown = show(graph, height=500, title="Countries")
    text = shown.data
    match = re.fullmatch(
        r'<div class="dipkg-graph"><iframe srcdoc="([^"]*)" (.*)></iframe></div>', text, re.S
    )
    assert match is not None
    page = html.unescape(match.group(1))
    assert page == render_graph(graph, title="Countries")
    assert 'sandbox="allow-scripts allow-popups' in match.group(2)
    assert "allow-same-origin" not in match.group(2)
    assert "height: 500px" in match.group(2)
    assert "<script" not in text  # the page is inside the attribute, escaped
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert show(path).data == show(page).data == show(str(path)).data
    with pytest.raises(TypeError):
        show(42)


@pytest.mark.browser
def test_show_renders_in_a_browser(browser: Any, store: ox.Store, tmp_path: Path) -> None:
    """The iframe draws the network (Jupyter and VS Code render HTML outputs the same way)."""
    graph = ego(store, "Egypt")
    wrapper = tmp_path / "notebook.html"
    wrapper.write_text(
        f"<!DOCTYPE html><html><body><p>output</p>{show(graph).data}</body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(wrapper.as_uri(), wait_until="load")
    frame = next(f for f in page.frames if f != page.main_frame)
    frame.wait_for_function("() => window.kgDrawn === true", timeout=30_000)
    assert frame.evaluate("() => network.body.data.nodes.length") == graph.number_of_nodes()
    box = page.locator("iframe").bounding_box()
    assert box is not None and box["height"] > 300
    assert errors == []
    page.close()


def test_plots_are_titled_and_labelled(store: ox.Store) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    topics = events_over_time(store, "Q", by="topic")
    ax = analysis.plot_over_time(topics, title="Topics", ylabel="events", limit=3)
    assert ax.get_title() == "Topics" and ax.get_ylabel() == "events"
    assert ax.get_xlabel() == "period"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [*list(topics.columns[:3]), "other"]
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == topics.to_numpy().sum()  # nothing lost in "other"
    plt.close("all")
    ranking = analysis.plot_ranking(
        query_frame(store, "topics").set_index("topic")["events"],
        title="Topics",
        xlabel="events",
        limit=5,
    )
    assert len(ranking.patches) == 5
    assert ranking.get_xlabel() == "events" and ranking.get_ylabel() == "topic"
    plt.close("all")


def test_find_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_project_root(ROOT / "notebooks") == ROOT
    assert find_project_root(ROOT) == ROOT
    monkeypatch.chdir(ROOT / "notebooks")
    assert find_project_root() == ROOT
    assert find_project_root(tmp_path) == ROOT  # outside: where the package lives


def test_sample_files_spread_over_the_period() -> None:
    files = [Path(f"2015-07-{day:02d}.zip") for day in range(1, 19)]
    chosen = sample_files(reversed(files), 6)
    assert len(chosen) == 6 and chosen[0] == files[0] and chosen[-1] == files[-1]
    assert chosen == sorted(set(chosen))
    gaps = [files.index(b) - files.index(a) for a, b in itertools.pairwise(chosen)]
    assert max(gaps) - min(gaps) <= 1
    assert sample_files(files, 0) == files == sample_files(files, None) == sample_files(files, 30)
    assert sample_files(files, 1) == [files[0]]


def test_stop_notebook_outside_ipython() -> None:
    with pytest.raises(SystemExit):
        analysis.stop_notebook("no corpus")
