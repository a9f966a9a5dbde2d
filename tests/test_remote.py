"""A SPARQL 1.1 server as the store: a real Oxigraph server started on loopback by the tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import article_quads
from typer.testing import CliRunner

from kg.cli import app
from kg.queries import Table, bind, named_queries, run_select
from kg.remote import RemoteStore, RemoteStoreError, substitute
from kg.store import StoreError, open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`oxigraph serve` (from `pip install oxigraph`) on a free loopback port."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if binary is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the Oxigraph server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _ingest(store: str) -> str:
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--store", store, "-j", "1"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_ingesting_into_a_server_gives_the_embedded_graph(server: str, tmp_path: Path):
    embedded = tmp_path / "embedded"
    _ingest(str(embedded))
    _ingest(server)
    remote = open_store(server)
    assert isinstance(remote, RemoteStore)
    expected = article_quads(open_store(embedded, read_only=True))
    assert len(expected) > 500
    assert article_quads(remote) == expected
    # ingesting again skips what is stored; an article written again is PUT, not added
    size = len(remote)
    assert "14 already stored" in _ingest(server)
    remote.update(
        "DELETE WHERE { GRAPH ?g { ?g <https://w3id.org/dipkg/ontology#fingerprint> ?f } }"
    )
    assert "ingested 14 articles" in _ingest(server)
    assert article_quads(remote) == expected
    assert len(remote) == size + 2 * 5  # two more runs of five facts each, no duplicates


def test_named_queries_answer_the_same_from_the_server(server: str, tmp_path: Path):
    embedded_dir = tmp_path / "embedded"
    _ingest(str(embedded_dir))
    _ingest(server)
    embedded, remote = open_store(embedded_dir, read_only=True), open_store(server)
    events = run_select(
        embedded,
        """PREFIX dk: <https://w3id.org/dipkg/ontology#>
        SELECT ?event ?actor ?country WHERE { GRAPH ?g { ?event dk:participation ?p .
          ?p dk:agent ?actor ; dk:representing ?country } } ORDER BY ?event ?actor LIMIT 1""",
    )
    assert isinstance(events, Table) and events.rows
    event, actor, country = events.rows[0]
    values = {
        "event": event,
        "actor": actor,
        "actor1": actor,
        "actor2": actor,
        "country": country,
        "country1": country,
        "since": "2000-01-01",
        "until": "2100-01-01",
    }
    answered = 0
    for name, query in named_queries().items():
        given = {p.name: values[p.name] for p in query.parameters if p.name in values}
        substitutions = bind(query, given)  # type: ignore[arg-type]
        expected = run_select(embedded, query.text, substitutions)
        assert run_select(remote, query.text, substitutions) == expected, name
        answered += bool(isinstance(expected, Table) and expected.rows)
    assert answered >= 12


def test_the_cli_queries_a_server(server: str):
    _ingest(server)
    result = CliRunner().invoke(
        app, ["query", "country-dyads", "--store", server, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "Egypt" in result.output
    ask = CliRunner().invoke(app, ["query", "ASK { GRAPH ?g { ?s ?p ?o } }", "--store", server])
    assert "true" in ask.output.lower()
    construct = run_select(
        open_store(server), "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 3"
    )
    assert isinstance(construct, list) and len(construct) == 3
    assert all(isinstance(t, ox.Triple) for t in construct)
    for command in (
        ["export", "events"],
        ["export", "--format", "nquads"],
        ["stats"],
        ["validate"],
    ):
        result = CliRunner().invoke(app, [*command, "--store", server])
        assert result.exit_code == 0, (command, result.output)


def test_an_unreachable_server_is_a_clear_error():
    port = _free_port()  # nothing listens there
    with pytest.raises(
        StoreError, match=f"cannot reach the SPARQL server at http://127.0.0.1:{port}"
    ):
        open_store(f"http://127.0.0.1:{port}")
    result = CliRunner().invoke(app, ["stats", "--store", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 1 and "cannot reach" in result.output
    assert "Traceback" not in result.output


def test_server_errors_are_reported_in_words(server: str):
    with pytest.raises(RemoteStoreError, match="400"):
        RemoteStore(server).query("SELECT WHERE nonsense")


def test_substitution_keeps_columns_and_leaves_text_alone():
    bindings = {
        ox.Variable("actor"): ox.NamedNode("https://example.org/a"),
        ox.Variable("since"): ox.Literal("2015-01-01"),
    }
    query = (
        "SELECT ?x ?actor WHERE { ?x <https://e.org/?actor> ?actor . "
        'FILTER(?since != "?actor") # ?actor\n} GROUP BY ?x ?actor ORDER BY ?actor'
    )
    assert substitute(query, bindings) == (
        "SELECT ?x (<https://example.org/a> AS ?actor) WHERE { ?x <https://e.org/?actor> "
        '<https://example.org/a> . FILTER("2015-01-01" != "?actor") # ?actor\n} '
        "GROUP BY ?x (<https://example.org/a>) ORDER BY (<https://example.org/a>)"
    )
    # a subquery projects ?actor: there it becomes a column, the outer query keeps the variable
    inner = (
        "SELECT ?actor (COUNT(?e) AS ?n) WHERE { { SELECT ?actor ?e WHERE { ?e ?p ?actor } } } "
        "GROUP BY ?actor"
    )
    substituted = substitute(inner, bindings)
    assert substituted == (
        "SELECT ?actor (COUNT(?e) AS ?n) WHERE { { SELECT (<https://example.org/a> AS ?actor) ?e "
        "WHERE { ?e ?p <https://example.org/a> } } } GROUP BY ?actor"
    )
    ox.Store().query(substituted)  # valid SPARQL (binding ?actor twice is not)
