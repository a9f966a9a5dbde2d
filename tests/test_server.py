"""The web server (kg/server.py): the SPARQL endpoint through real client libraries over a real
socket (SPARQLWrapper, rdflib's SPARQLStore), and the rest of the HTTP behaviour through
Starlette's TestClient."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import sys
import threading
import time
import types
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import rdflib
import uvicorn
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from starlette.applications import Starlette
from starlette.testclient import TestClient

from kg import server as kg_server
from kg.namespaces import REFERENCE_GRAPH
from kg.server import create_app, csp_hash, has_from, is_loopback, is_update, page_csp, serve

PERSON = "https://w3id.org/dipkg/id/person/"
SHOUKRY = PERSON + "sameh-shoukry"
DK = "https://w3id.org/dipkg/ontology#"
EVENT_TYPES = f"""PREFIX dk: <{DK}>
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?type
  FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call)) }} GROUP BY ?type ORDER BY ?type"""
EVENTS_CONSTRUCT = f"""PREFIX dk: <{DK}>
CONSTRUCT {{ ?e a ?type }}
WHERE {{ ?e a ?type FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call)) }}"""
INSERT = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
ASK_INSERTED = "ASK { { GRAPH ?g { <urn:x:s> ?p ?o } } UNION { <urn:x:s> ?p ?o } }"
SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
EXTERNAL_REF = re.compile(
    r"""<(?:script|link|img|iframe|embed|object|source|audio|video)\b[^>]*?\b"""
    r"""(?:src|href|data)\s*=|\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(""",
    re.IGNORECASE,
)


# --- a real server on a free port -------------------------------------------------------


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def base_url(example_store_dir: Path) -> Iterator[str]:
    with serving(create_app(example_store_dir)) as url:
        yield url


@pytest.fixture(scope="module")
def client(example_store_dir: Path) -> TestClient:
    return TestClient(create_app(example_store_dir))


def quads_in(store_dir: Path) -> int:
    store = ox.Store.read_only(str(store_dir))
    try:
        return len(store)
    finally:
        del store


def event_counts(store_dir: Path) -> dict[str, int]:
    store = ox.Store.read_only(str(store_dir))
    result = store.query(EVENT_TYPES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return {row["type"].value: int(row["n"].value) for row in result}


def raw_post(url: str, body: bytes, content_type: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def assert_secure(response: httpx.Response) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp and "*" not in csp and "unsafe" not in csp


# --- client libraries over a real socket ------------------------------------------------------


def test_sparqlwrapper_select_json(base_url: str, example_store_dir: Path) -> None:
    wrapper = SPARQLWrapper(base_url + "/sparql")
    wrapper.setQuery(EVENT_TYPES)
    wrapper.setReturnFormat(JSON)
    result = wrapper.query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data: Any = result.convert()
    assert data["head"]["vars"] == ["type", "n"]
    counts = {b["type"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"]}
    # the default graph is the union of all graphs: the events of every article are seen
    assert counts == event_counts(example_store_dir)
    assert counts[DK + "Meeting"] > 0 and counts[DK + "Call"] > 0


def test_sparqlwrapper_construct_turtle(base_url: str, example_store_dir: Path) -> None:
    wrapper = SPARQLWrapper(base_url + "/sparql")
    wrapper.setQuery(EVENTS_CONSTRUCT)
    wrapper.setReturnFormat(TURTLE)
    result = wrapper.query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    turtle: Any = result.convert()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(graph) == sum(event_counts(example_store_dir).values())
    assert (None, rdflib.RDF.type, rdflib.URIRef(DK + "Visit")) in graph


def test_rdflib_sparqlstore_select(base_url: str, example_store_dir: Path) -> None:
    graph = rdflib.Graph(store=SPARQLStore(base_url + "/sparql"))
    rows = list(graph.query(EVENT_TYPES))  # rdflib asks for SPARQL XML results
    counts = {str(row[0]): int(row[1]) for row in rows}  # type: ignore[index,arg-type]
    assert counts == event_counts(example_store_dir)
    shoukry = graph.query(
        f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        f'SELECT ?name WHERE {{ <{SHOUKRY}> skos:prefLabel ?name FILTER(LANG(?name) = "ar") }}'
    )
    names = [row[0] for row in shoukry]  # type: ignore[index]
    assert names and all(isinstance(n, rdflib.Literal) and n.language == "ar" for n in names)


def test_updates_are_refused_and_the_store_is_unchanged(
    base_url: str, example_store_dir: Path
) -> None:
    before = quads_in(example_store_dir)
    endpoint = base_url + "/sparql"
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setMethod(POST)
    wrapper.setQuery(INSERT)  # SPARQLWrapper sends it as update=… (form)
    with pytest.raises(urllib.error.HTTPError) as refused:
        wrapper.query()
    assert refused.value.code == 403
    assert "read-only" in refused.value.read().decode()

    form = urllib.parse.urlencode({"update": INSERT}).encode()
    status, text = raw_post(endpoint, form, "application/x-www-form-urlencoded")
    assert (status, text) == (403, "updates are not allowed: this SPARQL endpoint is read-only\n")
    status, _ = raw_post(endpoint, INSERT.encode(), "application/sparql-update")
    assert status == 403
    form = urllib.parse.urlencode({"query": "PREFIX x: <urn:x:> # a comment\n" + INSERT}).encode()
    status, _ = raw_post(endpoint, form, "application/x-www-form-urlencoded")
    assert status == 403
    get = httpx.get(endpoint, params={"query": "DROP ALL"})
    assert get.status_code == 403
    assert_secure(get)

    asked = SPARQLWrapper(endpoint)
    asked.setQuery(ASK_INSERTED)
    asked.setReturnFormat(JSON)
    answer: Any = asked.query().convert()
    assert answer["boolean"] is False
    assert quads_in(example_store_dir) == before


def test_large_body_over_a_socket(base_url: str) -> None:
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 1_100_000  # the default limit is 1 MB
    response = httpx.post(
        base_url + "/sparql",
        content=body,
        headers={"Content-Type": "application/sparql-query"},
        timeout=10,
    )
    assert response.status_code == 413
    assert_secure(response)


# --- HTTP behaviour -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/html, */*;q=0.8", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client: TestClient, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": EVENT_TYPES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert_secure(response)
    text = response.text
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["type", "n"] and len(rows) == 4
        assert rows[1][0] == DK + "Call"
    elif media == "text/tab-separated-values":
        lines = text.splitlines()
        assert lines[0] == "?type\t?n" and lines[1].startswith(f"<{DK}Call>\t")
    elif media == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(text)
        assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["type", "n"]
        assert len(root.findall("r:results/r:result", ns)) == 3
    else:
        assert len(json.loads(text)["results"]["bindings"]) == 3


def test_format_parameter_wins_over_accept(client: TestClient) -> None:
    for value, media in [("csv", "text/csv"), ("tsv", "text/tab-separated-values")]:
        response = client.get(
            "/sparql",
            params={"query": EVENT_TYPES, "format": value},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.headers["content-type"].startswith(media)
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "xml"})
    assert "<boolean>true</boolean>" in ask.text
    bad = client.get("/sparql", params={"query": EVENT_TYPES, "format": "turtle"})
    assert bad.status_code == 400 and "format=turtle" in bad.text


def test_construct_formats(client: TestClient, example_store_dir: Path) -> None:
    expected = sum(event_counts(example_store_dir).values())
    turtle = client.get("/sparql", params={"query": EVENTS_CONSTRUCT})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "@prefix dk: <https://w3id.org/dipkg/ontology#>" in turtle.text
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == expected

    nt = client.get(
        "/sparql", params={"query": EVENTS_CONSTRUCT}, headers={"Accept": "application/n-triples"}
    )
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(nt.text.strip().splitlines()) == expected
    assert len(rdflib.Graph().parse(data=nt.text, format="nt")) == expected

    jsonld = client.get(
        "/sparql", params={"query": EVENTS_CONSTRUCT}, headers={"Accept": "application/ld+json"}
    )
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert isinstance(json.loads(jsonld.text), list)
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == expected

    rdfxml = client.post(
        "/sparql",
        content=EVENTS_CONSTRUCT,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/rdf+xml"},
    )
    assert rdfxml.headers["content-type"].startswith("application/rdf+xml")
    assert len(rdflib.Graph().parse(data=rdfxml.text, format="xml")) == expected
    describe = client.get("/sparql", params={"query": f"DESCRIBE <{SHOUKRY}>", "format": "nt"})
    assert describe.status_code == 200 and f"<{SHOUKRY}>" in describe.text


def test_post_forms_of_the_query_operation(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": EVENT_TYPES}, headers={"Accept": "text/csv"})
    direct = client.post(
        "/sparql",
        content=EVENT_TYPES.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert form.status_code == direct.status_code == 200
    assert form.text == direct.text and form.text.startswith("type,n")
    wrong = client.post("/sparql", content=EVENT_TYPES, headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 415
    twice = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert twice.status_code == 400 and "one query" in twice.text
    none = client.post("/sparql", data={"format": "json"})
    assert none.status_code == 400 and "no query" in none.text
    about = client.get("/sparql")
    assert about.status_code == 200 and "SPARQL 1.1" in about.text


def test_syntax_error_is_400_with_the_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?p }"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("the query is not valid SPARQL: error at 1:")
    assert_secure(response)


def test_datasets(client: TestClient, example_store_dir: Path) -> None:
    reference = f"SELECT (COUNT(*) AS ?n) FROM <{REFERENCE_GRAPH}> WHERE {{ ?s ?p ?o }}"
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(query: str, **params: str) -> int:
        response = client.get("/sparql", params={"query": query, "format": "json", **params})
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    total = count(everything)
    in_reference = count(reference)  # the query's FROM is honoured, not the union
    assert 0 < in_reference < total <= quads_in(example_store_dir)
    assert count(everything, **{"default-graph-uri": REFERENCE_GRAPH}) == in_reference
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": REFERENCE_GRAPH,
        },
    )
    graphs = [b["g"]["value"] for b in named.json()["results"]["bindings"]]
    assert graphs == [REFERENCE_GRAPH]
    bad = client.get("/sparql", params={"query": everything, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400


def test_result_cap_truncates_and_says_so(example_store_dir: Path) -> None:
    client = TestClient(create_app(example_store_dir, max_rows=5))
    many = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert many.status_code == 200
    assert many.headers["x-result-truncated"] == "true"
    assert len(many.json()["results"]["bindings"]) == 5
    as_csv = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert len(as_csv.text.strip().splitlines()) == 6
    few = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert "x-result-truncated" not in few.headers
    assert len(few.json()["results"]["bindings"]) == 5
    triples = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "ntriples"}
    )
    assert triples.headers["x-result-truncated"] == "true"
    assert len(triples.text.strip().splitlines()) == 5


def test_slow_query_times_out_with_503(example_store_dir: Path) -> None:
    client = TestClient(create_app(example_store_dir, timeout_s=0.05))
    slow = f"""SELECT (COUNT(*) AS ?n) WHERE {{
      {{ SELECT ?o WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 800 }}
      {{ SELECT ?r WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?x ?q ?r }} }} LIMIT 800 }}
      FILTER(STR(?o) < STR(?r)) }}"""
    started = time.monotonic()
    response = client.get("/sparql", params={"query": slow})
    assert time.monotonic() - started < 1.0  # answered at the timeout, not when the query ends
    assert response.status_code == 503
    assert "longer than 0.05 s" in response.text
    assert_secure(response)
    quick = client.get("/sparql", params={"query": "ASK { }"})
    assert quick.status_code == 200 and quick.json()["boolean"] is True


def test_landing_page_without_figures(example_store_dir: Path, monkeypatch: Any) -> None:
    def slow(store: ox.Store) -> list[tuple[str, int]]:
        time.sleep(0.5)
        return []

    monkeypatch.setattr(kg_server, "store_figures", slow)
    client = TestClient(create_app(example_store_dir, timeout_s=0.05))
    response = client.get("/")
    assert response.status_code == 200
    assert "figures unavailable: the query took longer than 0.05 s" in response.text
    assert 'href="/query"' in response.text


def test_body_too_large_is_413(example_store_dir: Path) -> None:
    client = TestClient(create_app(example_store_dir, max_body=1_000))
    padding = "#" + "x" * 2_000 + "\n"
    direct = client.post(
        "/sparql",
        content=padding + "ASK {}",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert direct.status_code == 413 and "1,000 bytes" in direct.text
    form = client.post("/sparql", data={"query": padding + "ASK {}"})
    assert form.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for _ in range(5):
            yield b"#" + b"x" * 400 + b"\n"

    streamed = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert streamed.status_code == 413
    small = client.post(
        "/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert small.status_code == 200


def test_named_queries_api(client: TestClient) -> None:
    listing = client.get("/api/queries")
    assert listing.status_code == 200
    assert_secure(listing)
    queries = {q["name"]: q for q in listing.json()}
    assert {"events", "actor-events", "country-dyads"} <= set(queries)
    actor = queries["actor-events"]
    assert actor["title"] and actor["description"] and "SELECT" in actor["query"]
    assert actor["parameters"][0]["name"] == "actor" and actor["parameters"][0]["kind"] == "iri"

    response = client.get("/api/queries/actor-events", params={"actor": SHOUKRY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    bindings = response.json()["results"]["bindings"]
    assert bindings and all(b["actor"]["value"] == SHOUKRY for b in bindings)
    as_csv = client.get("/api/queries/actor-events", params={"actor": SHOUKRY, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == len(bindings) + 1

    # a value is bound as a value, never pasted into the query text
    hostile = client.get("/api/queries/actor-events", params={"actor": "https://x> } #"})
    assert hostile.status_code == 400 and "not valid" in hostile.text
    text = client.get("/api/queries/events", params={}).json()["results"]["bindings"]
    assert text
    not_iri = client.get("/api/queries/actor-events", params={"actor": "Sameh Shoukry"})
    assert not_iri.status_code == 400 and "must be an IRI" in not_iri.text
    unknown_param = client.get("/api/queries/events", params={"actor": SHOUKRY})
    assert unknown_param.status_code == 400 and "no parameter" in unknown_param.text
    missing = client.get("/api/queries/no-such-query")
    assert missing.status_code == 404 and "no named query" in missing.text
    assert_secure(missing)


def _inline(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.DOTALL)


def test_landing_page(client: TestClient, example_store_dir: Path) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert_secure(response)
    page = response.text
    assert not EXTERNAL_REF.search(page)
    assert "<script" not in page
    csp = response.headers["content-security-policy"]
    assert "script-src" not in csp
    (style,) = _inline(page, "style")
    assert f"style-src {csp_hash(style)}" in csp
    for link in ("/query", "/sparql", *(f"/graph?view={v}" for v in kg_server.GRAPH_VIEWS)):
        assert f'href="{link}"' in page
    figures = dict(re.findall(r"<tr><td>([^<]+)</td><td>([\d,]+)</td></tr>", page))
    counts = event_counts(example_store_dir)
    assert figures["articles"] == "14"
    assert figures["events: meeting"] == str(counts[DK + "Meeting"])
    assert figures["quads"] == f"{quads_in(example_store_dir):,}"
    assert int(figures["countries involved"]) >= 5
    assert int(figures["people involved"]) >= 5


def test_query_page(client: TestClient) -> None:
    response = client.get("/query")
    assert response.status_code == 200
    assert_secure(response)
    page = response.text
    assert not EXTERNAL_REF.search(page)
    csp = response.headers["content-security-policy"]
    (style,) = _inline(page, "style")
    (script,) = _inline(page, "script")  # the one executable script
    assert f"style-src {csp_hash(style)}" in csp and f"script-src {csp_hash(script)}" in csp
    assert "connect-src 'self'" in csp
    assert "innerHTML" not in script and "textContent" in script
    data = re.search(r'<script type="application/json" id="kg-queries">(.*?)</script>', page, re.S)
    assert data is not None and "<" not in data.group(1)
    queries = json.loads(data.group(1))
    assert {q["name"] for q in queries} >= {"events", "actor-events"}
    for element in ("kg-editor", "kg-named", "kg-run", "kg-download", "kg-table", "kg-error"):
        assert f'id="{element}"' in page


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (
        client.get("/no-such-page"),
        client.delete("/sparql"),
        client.get("/sparql", params={"query": "ASK {}"}),
        client.get("/sparql", params={"update": INSERT}),
    ):
        assert_secure(response)
        assert response.headers["content-security-policy"].startswith(kg_server.BASE_CSP)


def test_internal_errors_keep_the_headers(example_store_dir: Path, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(kg_server, "execute", broken)
    client = TestClient(create_app(example_store_dir), raise_server_exceptions=False)
    response = client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 500
    assert "boom" not in response.text
    assert_secure(response)


def test_updates_when_allowed(example_store_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(example_store_dir, copy)
    client = TestClient(create_app(copy, allow_updates=True), base_url="http://testserver")
    done = client.post("/sparql", data={"update": INSERT})
    assert done.status_code == 204
    assert client.get("/sparql", params={"query": ASK_INSERTED}).json()["boolean"] is True
    delete = client.post(
        "/sparql",
        content="DELETE DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert delete.status_code == 204
    assert client.get("/sparql", params={"query": ASK_INSERTED}).json()["boolean"] is False
    foreign = client.post(
        "/sparql", data={"update": INSERT}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    own = client.post("/sparql", data={"update": INSERT}, headers={"Origin": "http://testserver"})
    assert own.status_code == 204
    assert client.get("/sparql", params={"update": INSERT}).status_code == 405
    as_query = client.post("/sparql", data={"query": INSERT})
    assert as_query.status_code == 400 and "update=" in as_query.text
    bad = client.post("/sparql", data={"update": "INSERT DATA { oops }"})
    assert bad.status_code == 400 and "not valid SPARQL" in bad.text
    assert "updates allowed" in client.get("/").text


def test_host_names_can_be_restricted(example_store_dir: Path) -> None:
    app = create_app(example_store_dir, allowed_hosts=["127.0.0.1", "localhost", "::1"])
    assert TestClient(app, base_url="http://localhost:7878").get("/api/queries").status_code == 200
    rebound = TestClient(app, base_url="http://evil.example:7878").get("/api/queries")
    assert rebound.status_code == 400
    assert_secure(rebound)
    assert kg_server._host_name("[::1]:7878") == "::1"
    assert kg_server._host_name("LocalHost:80") == "localhost"
    assert kg_server._host_name("127.0.0.1") == "127.0.0.1"


def test_graph_views_are_delegated(client: TestClient, monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "kg.views", None)  # the module is not there
    absent = client.get("/graph", params={"view": "countries"})
    assert absent.status_code == 501
    assert_secure(absent)

    seen: dict[str, Any] = {}

    class ViewFilters:
        @classmethod
        def from_query(cls, params: dict[str, str]) -> ViewFilters:
            if params.get("view") not in ("countries", "actors", "events", "topics"):
                raise ValueError(f"unknown view {params.get('view')!r}")
            seen["params"] = params
            return cls()

    def render_view(store: ox.Store, filters: ViewFilters) -> str:
        seen["store"] = store
        csp = "default-src 'none'; script-src 'sha256-abc'; style-src 'unsafe-inline'"
        return (
            f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
            f'content="{csp}"></head><body>graph</body></html>'
        )

    fake = types.ModuleType("kg.views")
    fake.ViewFilters = ViewFilters  # type: ignore[attr-defined]
    fake.render_view = render_view  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.views", fake)
    page = client.get("/graph", params={"view": "actors", "since": "2023-01-01"})
    assert page.status_code == 200 and "graph" in page.text
    assert seen["params"] == {"view": "actors", "since": "2023-01-01"}
    assert isinstance(seen["store"], ox.Store)
    assert page.headers["content-security-policy"] == (
        "default-src 'none'; script-src 'sha256-abc'; style-src 'unsafe-inline'; "
        "frame-ancestors 'none'"
    )
    assert page.headers["x-frame-options"] == "DENY"
    wrong = client.get("/graph", params={"view": "pie"})
    assert wrong.status_code == 400 and wrong.text == "unknown view 'pie'\n"


def test_page_csp_without_meta_runs_no_script() -> None:
    policy = page_csp("<html><body><script>alert(1)</script></body></html>")
    assert "script-src" not in policy and policy.startswith("default-src 'none'")


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("PREFIX insert: <urn:x#>\nSELECT ?delete WHERE { ?delete insert:load 'DROP' }", False),
        ("# INSERT\nASK {}", False),
        ("INSERT DATA { <a> <b> <c> }", True),
        ("prefix x: <urn:x:>\nbase <urn:y>\n# note\n delete where { ?s ?p ?o }", True),
        ("LOAD <http://example.org/x>", True),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("DROP ALL", True),
    ],
)
def test_is_update(text: str, update: bool) -> None:
    assert is_update(text) is update


def test_has_from() -> None:
    assert has_from("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    assert not has_from("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not has_from("SELECT ?from WHERE { ?from <urn:x#from> 'from' } # FROM")
    assert not has_from("PREFIX : <urn:x#> SELECT * WHERE { ?s :from ?o }")


def test_serve_prints_where_it_listens(
    example_store_dir: Path, monkeypatch: Any, capsys: Any
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    serve(example_store_dir, port=9999)
    captured = capsys.readouterr()
    assert "http://127.0.0.1:9999/" in captured.out and "read-only" in captured.out
    assert "warning" not in captured.err
    serve(example_store_dir, host="0.0.0.0", port=9998)
    captured = capsys.readouterr()
    assert "http://0.0.0.0:9998/" in captured.out
    assert "warning" in captured.err and "reachable from the network" in captured.err
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 9999), ("0.0.0.0", 9998)]


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("[::1]") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("example.org") and not is_loopback("::")
