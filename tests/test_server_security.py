"""Attacks on the web server (kg/server.py), each written so that it fails if the server gives
way: where it listens and for which host names, read-only SPARQL (updates, LOAD, SERVICE),
limits (timeout, result cap, body and address size), path traversal, hostile article text in
the raw responses, injection through filter and query parameters, the queue of the query
runner, and a bounded load test (bench/load.py: 50 clients for 30 s, no error allowed).

The same hostile article in Chromium (every page, clicks, hovers) is
tests/test_server_security_browser.py."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from starlette.testclient import TestClient
from test_server import assert_secure, quads_in, serving
from typer.testing import CliRunner

from kg.namespaces import PROV, REFERENCE_GRAPH
from kg.queries import named_queries
from kg.server import FETCH_REFUSED, Problem, Runner, create_app, fetches_remote

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
DK = "https://w3id.org/dipkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# --- the hostile article ---------------------------------------------------------------------

PWNED_SCRIPT = "<script>window.__pwned=1</script>"
PWNED_IMG = '<img src=x onerror="window.__pwned=2">'
PWNED_SVG = '"><svg onload=window.__pwned=3>'
PWNED_URL = "javascript:window.__pwned=4"
PWNED_BREAKOUT = "</script><script>window.__pwned=5</script>"  # out of a JSON <script> block
SEPARATORS = "\u2028\u2029"  # line ends to a JavaScript string (before ES2019), not to JSON
HOSTILE_ID = "hostile-01"
# The payloads sit between the two ministers, so they land in the evidence quote (and from
# there in tooltips and the details panel); the <svg> one after the sentence, where its quote
# mark does not cut the sentence in two.
HOSTILE_TEXT = (
    f"PARIS, March 4 — Egyptian Foreign Minister Sameh Shoukry {PWNED_SCRIPT} {PWNED_IMG} "
    f"{PWNED_BREAKOUT} line{SEPARATORS}break met French Foreign Minister Stéphane Séjourné in "
    f"Paris on Monday to discuss Gaza. {PWNED_SVG}"
)
HOSTILE_TITLE = f"{PWNED_SCRIPT} Shoukry meets Séjourné {PWNED_SVG} {PWNED_BREAKOUT}{SEPARATORS}"
HOSTILE_SOURCE = f"<b>Wire</b> {PWNED_IMG}"
HOSTILE_RECORD = {
    "id": HOSTILE_ID,
    "lang": "en",
    "published": "2024-03-04",
    "source": HOSTILE_SOURCE,
    "url": PWNED_URL,
    "title": HOSTILE_TITLE,
    "text": HOSTILE_TEXT,
}
#: What must never reach a page as markup.
MARKUP = ("<script>window.__pwned", "<img src=x", "<svg", "</script><script>window")


def hostile_article() -> Any:
    """The article as a record straight into extraction: the file readers reduce HTML to its
    text, but data can also arrive through `kg import`, a SPARQL server or a future reader."""
    from kg.records import Article

    return Article(
        id=HOSTILE_ID,
        text=HOSTILE_TEXT,
        title=HOSTILE_TITLE,
        lang="en",
        published=date(2024, 3, 4),
        url=PWNED_URL,
        source=HOSTILE_SOURCE,
    )


@dataclass(frozen=True)
class HostileStore:
    directory: Path
    event: str  # IRI of the event of the hostile article


def build_hostile_store(example_store_dir: Path, directory: Path) -> HostileStore:
    """A copy of the examples' store with the hostile article added."""
    from kg.extract import extract
    from kg.model import extraction_quads
    from kg.store import open_store, replace_graph

    extraction = extract(hostile_article())
    assert len(extraction.events) == 1, "the extractor must find the meeting"
    quote = extraction.events[0].evidence[0].text
    for payload in (PWNED_SCRIPT, PWNED_IMG, PWNED_BREAKOUT, SEPARATORS):
        assert payload in quote, payload
    quads = list(extraction_quads(extraction))
    events = {
        q.subject.value
        for q in quads
        if q.predicate.value == RDF_TYPE and q.object.value in {DK + "Meeting", DK + "Visit"}
    }
    derived = {q.subject.value for q in quads if q.predicate.value == str(PROV.wasDerivedFrom)}
    (event,) = events & derived
    shutil.copytree(example_store_dir, directory)
    store = open_store(directory)
    replace_graph(store, HOSTILE_ID, quads)
    store.flush()
    del store
    return HostileStore(directory, event)


@pytest.fixture(scope="module")
def hostile(example_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> HostileStore:
    return build_hostile_store(example_store_dir, tmp_path_factory.mktemp("hostile") / "store")


@pytest.fixture(scope="module")
def base_url(example_store_dir: Path) -> Iterator[str]:
    """The server with its defaults over a real socket."""
    with serving(create_app(example_store_dir)) as url:
        yield url


# --- raw HTTP ------------------------------------------------------------------------------


def raw_request(port: int, request: bytes, timeout: float = 20.0) -> tuple[int, str]:
    """Send bytes as they are (no client normalises the path) and read the whole answer; the
    server may answer and close before all is sent (too long): its answer is still read."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    problems: list[OSError] = []

    def send() -> None:
        try:
            sock.sendall(request)
        except OSError as error:
            problems.append(error)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except OSError:
        pass
    sender.join(timeout)
    sock.close()
    assert data.startswith(b"HTTP/1."), (data[:200], problems)
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", errors="replace")


def get(port: int, target: str, host: str | None = None, version: str = "1.1") -> tuple[int, str]:
    host_line = f"Host: {host}\r\n" if host is not None else ""
    request = f"GET {target} HTTP/{version}\r\n{host_line}Connection: close\r\n\r\n"
    return raw_request(port, request.encode("latin-1"))


def port_of(url: str) -> int:
    port = urllib.parse.urlsplit(url).port
    assert port is not None
    return port


# --- 1. binding and host names -------------------------------------------------------------


def listening_addresses(port: int) -> set[str]:
    """Addresses with a listening TCP socket on `port`, from /proc/net/tcp{,6}."""
    found: set[str] = set()
    for name, size in (("tcp", 4), ("tcp6", 16)):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # the kernel writes each 32-bit word in host (little-endian) order
            ordered = b"".join(raw[i : i + 4][::-1] for i in range(0, size, 4))
            family = socket.AF_INET if size == 4 else socket.AF_INET6
            found.add(socket.inet_ntop(family, ordered))
    return found


def outward_address() -> str | None:
    """This machine's address towards the network (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@contextmanager
def kg_serve(store: Path, logs: Path, *args: str) -> Iterator[int]:
    """`kg serve` as a user runs it, in its own process, on a free port; yields the port."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port: int = free.getsockname()[1]
    out, err = (logs / "serve.out").open("wb"), (logs / "serve.err").open("wb")
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen([*command, *args], stdout=out, stderr=err, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (logs / "serve.err").read_text()
            assert time.monotonic() < deadline, "kg serve did not start"
            try:
                if get(port, "/api/queries", f"127.0.0.1:{port}")[0] == 200:
                    break
            except (OSError, AssertionError):
                pass
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        out.close()
        err.close()


def test_kg_serve_listens_on_loopback_only_and_refuses_other_host_names(
    example_store_dir: Path, tmp_path: Path
) -> None:
    with kg_serve(example_store_dir, tmp_path) as port:
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(port) == {"127.0.0.1"}
        outward = outward_address()
        if outward is not None:  # the machine's own network address: nobody listens there
            with pytest.raises(OSError):
                socket.create_connection((outward, port), timeout=5).close()
        printed = (tmp_path / "serve.out").read_text()
        assert f"http://127.0.0.1:{port}/" in printed and "read-only" in printed
        assert "warning" not in (tmp_path / "serve.err").read_text()

        # DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends
        # its own host name; so does anything that is not this server's address
        for target in ("/", "/sparql?query=ASK%7B%7D", "/api/queries", "/graph?view=countries"):
            for host in (
                "evil.example",
                f"evil.example:{port}",
                f"127.0.0.1.evil.example:{port}",
                f"localhost.evil.example:{port}",
                f"127.0.0.1:{port}@evil.example",
                "0.0.0.0",
            ):
                status, text = get(port, target, host)
                assert (status, text) == (
                    400,
                    "this server answers only requests for its own host name\n",
                ), (target, host)
        status, _ = get(port, "/api/queries", version="1.0")  # no Host header at all
        assert status == 400
        for twice in (
            f"Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n",
            f"Host: evil.example\r\nHost: 127.0.0.1:{port}\r\n",
        ):
            request = f"GET /api/queries HTTP/1.1\r\n{twice}Connection: close\r\n\r\n"
            assert raw_request(port, request.encode())[0] == 400
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
            assert get(port, "/api/queries", host)[0] == 200, host


def test_kg_serve_command_defaults_to_loopback_and_warns_otherwise(
    example_store_dir: Path, monkeypatch: Any
) -> None:
    """Through the command line (the existing test calls kg.server.serve directly)."""
    from kg.cli import app

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: calls.append((application, kw)))
    runner = CliRunner()
    default = runner.invoke(app, ["serve", "--store", str(example_store_dir), "--port", "9911"])
    assert default.exit_code == 0, default.output
    served, options = calls[-1]
    assert (options["host"], options["port"]) == ("127.0.0.1", 9911)
    assert "warning" not in default.output
    # the app the command serves checks the host name
    assert TestClient(served, base_url="http://evil.example").get("/").status_code == 400
    assert TestClient(served, base_url="http://127.0.0.1:9911").get("/").status_code == 200

    exposed = runner.invoke(app, ["serve", "--store", str(example_store_dir), "--host", "0.0.0.0"])
    assert exposed.exit_code == 0
    assert calls[-1][1]["host"] == "0.0.0.0"
    assert "warning: 0.0.0.0 is not a loopback address" in exposed.output
    assert "reachable from the network" in exposed.output


def test_requests_made_by_pages_of_other_sites_are_refused(example_store_dir: Path) -> None:
    """Fetch Metadata, as browsers send it: another site's page may link here (a navigation)
    but not make the browser query the store (images, scripts, fetch, frames, form POSTs)."""
    client = TestClient(create_app(example_store_dir))

    def ask(site: str, mode: str, dest: str, method: str = "GET") -> httpx.Response:
        headers = {"Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest}
        if method == "GET":
            return client.get("/sparql", params={"query": "ASK {}"}, headers=headers)
        return client.post("/sparql", data={"query": "ASK {}"}, headers=headers)

    for site in ("cross-site", "same-site"):
        for mode, dest, method in (
            ("no-cors", "image", "GET"),
            ("no-cors", "script", "GET"),
            ("cors", "empty", "GET"),
            ("no-cors", "empty", "POST"),
            ("navigate", "iframe", "GET"),
            ("navigate", "document", "POST"),  # a form posted from another site
        ):
            refused = ask(site, mode, dest, method)
            assert refused.status_code == 403, (site, mode, dest, method)
            assert "other sites" in refused.text
            assert_secure(refused)
        assert ask(site, "navigate", "document").status_code == 200  # a link followed
    assert ask("same-origin", "cors", "empty").status_code == 200  # the query page's fetch
    assert ask("same-origin", "cors", "empty", "POST").status_code == 200
    assert ask("none", "navigate", "document").status_code == 200  # typed in the address bar
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # no browser


# --- 2. read-only: updates, LOAD, SERVICE ------------------------------------------------------


class Listener:
    """A local HTTP server standing for any address the store should never contact: it counts
    the requests it gets and answers them as a SPARQL endpoint would (so nothing hangs)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.answer()

            def answer(self) -> None:
                listener.requests.append(f"{self.command} {self.path}")
                body = json.dumps(
                    {
                        "head": {"vars": ["s", "p", "o"]},
                        "results": {
                            "bindings": [
                                {
                                    "s": {"type": "uri", "value": "urn:x:fetched"},
                                    "p": {"type": "uri", "value": "urn:x:fetched"},
                                    "o": {"type": "literal", "value": "FETCHED"},
                                }
                            ]
                        },
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    try:
        yield found
    finally:
        found.close()


def service_queries(url: str) -> list[str]:
    """SERVICE written plainly and in ways a keyword scan could miss."""
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }} }}",
        # a comment hides nothing: the keyword is on the next line
        f"SELECT * WHERE {{ # SERVICE in a comment\nSERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        # "\#" ends no prefixed name for a naive lexer: what follows looks like a comment
        f"PREFIX ex: <http://ex/>\nSELECT * WHERE {{ BIND(ex:a\\# AS ?z) "
        f"SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        # "<2)SERVICE#>" looks like one IRI, but Oxigraph reads less-than, keyword, comment
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>\nSILENT<{url}/sparql>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ FILTER(EXISTS{{}}<2).SERVICE#>\n<{url}/sparql>{{?s ?p ?o}} }}",
    ]


def test_the_listener_sees_what_oxigraph_fetches(listener: Listener) -> None:
    """The control: run directly (not through the server), each of these queries makes
    Oxigraph contact the listener, so the tests below can fail."""
    for query in service_queries(listener.url):
        before = len(listener.requests)
        result = ox.Store().query(query)
        if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
            list(result)
        assert len(listener.requests) > before, query
        assert fetches_remote(query), query


def test_service_queries_are_refused_without_contacting_anyone(
    base_url: str, listener: Listener
) -> None:
    for query in service_queries(listener.url):
        answers = [
            httpx.get(base_url + "/sparql", params={"query": query}),
            httpx.post(base_url + "/sparql", data={"query": query}),
            httpx.post(
                base_url + "/sparql",
                content=query,
                headers={"Content-Type": "application/sparql-query"},
            ),
        ]
        for answer in answers:
            assert (answer.status_code, answer.text) == (403, FETCH_REFUSED + "\n"), query
            assert_secure(answer)
    assert listener.requests == []


def test_graph_names_are_names_not_addresses(base_url: str, listener: Listener) -> None:
    """FROM, FROM NAMED and the protocol's dataset parameters name graphs of the store; none
    is fetched."""
    everything = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    for params in (
        {"query": f"SELECT * FROM <{listener.url}/g> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{listener.url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": everything, "default-graph-uri": f"{listener.url}/g"},
        {"query": everything, "named-graph-uri": f"{listener.url}/g"},
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "file:///etc/passwd"},
    ):
        answer = httpx.get(base_url + "/sparql", params=params)
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["bindings"] == []
    assert listener.requests == []


def update_texts(url: str) -> list[str]:
    return [
        "LOAD <file:///etc/passwd>",
        "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:x:passwd>",
        f"LOAD <{url}/data.ttl>",
        "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "CLEAR ALL",
        "DELETE WHERE { ?s ?p ?o }",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "PREFIX x: <urn:x:> # a comment first\ndrop   silent   all",
    ]


def test_updates_are_refused_by_every_route(
    base_url: str, example_store_dir: Path, listener: Listener
) -> None:
    before = quads_in(example_store_dir)
    endpoint = base_url + "/sparql"
    for text in update_texts(listener.url):
        answers = {
            "POST update=": httpx.post(endpoint, data={"update": text}),
            "POST sparql-update": httpx.post(
                endpoint, content=text, headers={"Content-Type": "application/sparql-update"}
            ),
            "GET ?update=": httpx.get(endpoint, params={"update": text}),
            "GET ?query=": httpx.get(endpoint, params={"query": text}),
            "POST query=": httpx.post(endpoint, data={"query": text}),
            "POST sparql-query": httpx.post(
                endpoint, content=text, headers={"Content-Type": "application/sparql-query"}
            ),
        }
        for route, answer in answers.items():
            assert answer.status_code == 403, (route, text, answer.text)
            assert "read-only" in answer.text or answer.text == FETCH_REFUSED + "\n"
    # SPARQL's \u escapes do not make a keyword: an update spelt so is no query either
    escaped = httpx.get(endpoint, params={"query": "\\u0044ROP ALL"})
    assert 400 <= escaped.status_code < 500
    assert listener.requests == []
    assert quads_in(example_store_dir) == before
    ask = httpx.get(endpoint, params={"query": "ASK { <urn:x:s> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_with_updates_allowed_nothing_is_fetched_either(
    example_store_dir: Path, tmp_path: Path, listener: Listener
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(example_store_dir, copy)
    client = TestClient(create_app(copy, allow_updates=True), base_url="http://testserver")
    for text in (
        f"LOAD <{listener.url}/data.ttl>",
        f"LOAD SILENT <{listener.url}/data.ttl> INTO GRAPH <urn:x:g>",
        "LOAD <file:///etc/passwd>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ FILTER(1<2)SERVICE#>\n<{listener.url}/s>{{?s ?p ?o}} }}",
    ):
        refused = client.post("/sparql", data={"update": text})
        assert (refused.status_code, refused.text) == (403, FETCH_REFUSED + "\n"), text
    assert listener.requests == []
    done = client.post("/sparql", data={"update": "INSERT DATA { <urn:x:s> <urn:x:p> 1 }"})
    assert done.status_code == 204  # updates as such are still accepted


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s a <https://schema.org/Service> }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = <https://example.org/service#load>) }",
        "SELECT ?service ?load WHERE { ?service <urn:x:load> ?load } # SERVICE, LOAD",
        "PREFIX service: <urn:x:>\nSELECT * WHERE { ?s service:load 'SERVICE' }",
        'SELECT * WHERE { ?s ?p ?o FILTER(?o < ?s && STR(?o) != "LOAD") }',
    ],
)
def test_the_words_alone_are_not_refused(query: str) -> None:
    assert not fetches_remote(query)


def test_no_named_query_is_refused() -> None:
    assert [name for name, q in named_queries().items() if fetches_remote(q.text)] == []


def test_the_remote_check_stays_linear() -> None:
    """A megabyte of text built to make the check follow many readings ends quickly (and
    counts as fetching: too tangled to tell)."""
    tangled = "SELECT * WHERE { FILTER(" + "1<(((((>" * 120_000 + ") }"
    started = time.perf_counter()
    assert fetches_remote(tangled)
    plain = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_000
    assert not fetches_remote(plain)
    assert time.perf_counter() - started < 30  # ~3 s on a slow machine


# --- 3. limits --------------------------------------------------------------------------------

EXPENSIVE = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  {{ SELECT ?o WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 1800 }}
  {{ SELECT ?r WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?x ?q ?r }} }} LIMIT 1800 }}
  FILTER(STR(?o) < STR(?r)) }}"""


def test_an_expensive_query_gets_503_at_the_timeout(example_store_dir: Path) -> None:
    timeout = 1.0
    with serving(create_app(example_store_dir, timeout_s=timeout)) as url:
        started = time.monotonic()
        answer = httpx.get(url + "/sparql", params={"query": EXPENSIVE}, timeout=60)
        elapsed = time.monotonic() - started
        assert answer.status_code == 503
        assert "longer than 1 s" in answer.text
        assert timeout <= elapsed < timeout + 5, elapsed
        assert_secure(answer)
        # the query goes on in the background, in its slot; the others still answer
        quick = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60)
        assert quick.status_code == 200 and quick.json()["boolean"] is True


def test_results_are_capped_and_say_so(base_url: str, example_store_dir: Path) -> None:
    assert quads_in(example_store_dir) > 10_000  # more than the default cap
    rows = httpx.get(base_url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert rows.status_code == 200
    assert rows.headers["x-result-truncated"] == "true"
    assert len(rows.json()["results"]["bindings"]) == 10_000
    triples = httpx.get(
        base_url + "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "ntriples"},
    )
    assert triples.headers["x-result-truncated"] == "true"
    assert len(triples.text.strip().splitlines()) == 10_000


def test_bodies_over_a_megabyte_get_413(base_url: str) -> None:
    endpoint = base_url + "/sparql"
    padding = "#" + "x" * 1_000_001 + "\n"

    def streamed() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it by
        for _ in range(11):
            yield b"#" + b"x" * 100_000 + b"\n"

    for answer in (
        httpx.post(endpoint, data={"query": padding + "ASK {}"}),
        httpx.post(endpoint, data={"update": padding + "DROP ALL"}),
        httpx.post(
            endpoint,
            content=padding + "ASK {}",
            headers={"Content-Type": "application/sparql-query"},
        ),
        httpx.post(
            endpoint, content=streamed(), headers={"Content-Type": "application/sparql-query"}
        ),
        httpx.post(
            endpoint, content=streamed(), headers={"Content-Type": "application/sparql-update"}
        ),
    ):
        assert answer.status_code == 413, answer.text
        assert "larger than 1,000,000 bytes" in answer.text
        assert_secure(answer)
    under = "#" + "x" * 990_000 + "\nASK {}"
    fits = httpx.post(endpoint, content=under, headers={"Content-Type": "application/sparql-query"})
    assert fits.status_code == 200


def test_very_long_addresses_get_4xx(base_url: str, example_store_dir: Path) -> None:
    port = port_of(base_url)
    for size in (200_000, 2_000_000, 8_000_000):  # uvicorn (h11) gives up first: 400
        query = urllib.parse.quote("ASK {} #" + "x" * size)
        status, _ = get(port, f"/sparql?query={query}", f"127.0.0.1:{port}")
        assert 400 <= status < 500, size
        status, _ = get(port, "/" + "a" * size, f"127.0.0.1:{port}")
        assert 400 <= status < 500, size
    long_but_fine = urllib.parse.quote("ASK {} #" + "x" * 20_000)
    assert get(port, f"/sparql?query={long_but_fine}", f"127.0.0.1:{port}")[0] == 200
    # behind a server that would let them through, the application refuses them itself:
    # an address may be as long as a body (max_body), and never shorter than 16 KiB
    client = TestClient(create_app(example_store_dir, max_body=1_000))
    huge = client.get("/sparql", params={"query": "ASK {} #" + "x" * 20_000})
    assert huge.status_code == 414 and "POST" in huge.text
    assert_secure(huge)
    assert client.get("/graph", params={"focus": "https://x/" + "a" * 20_000}).status_code == 414
    assert client.get("/sparql", params={"query": "ASK {} #" + "x" * 15_000}).status_code == 200


# --- 4. path traversal ------------------------------------------------------------------------

TRAVERSALS = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2fetc%2fpasswd",
    "/graph/..%2f..%2fetc%2fpasswd",
    "/graph/../../etc/passwd",
    "/api/queries/..%2F..%2Fpyproject",
    "/api/queries/..%2F..%2Fpyproject.toml",
    "/api/queries/../../pyproject.toml",
    "/api/queries/%2e%2e%2f%2e%2e%2fpyproject",
    "/api/queries/..%5c..%5cpyproject",
    "/api/queries/..%252F..%252Fpyproject",
    "/api/queries/events.rq",
    "/api/queries/..%2Fqueries%2Fevents.rq",
    "//etc/passwd",
    "/etc/passwd%00",
    "/static/../../../etc/passwd",
    "/ontology/queries/events.rq",
    "/pyproject.toml",
    "/.git/config",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_file_is_served(base_url: str, target: str) -> None:
    port = port_of(base_url)
    status, body = get(port, target, f"127.0.0.1:{port}")
    assert status in (400, 404), (target, status)
    for secret in ("root:", "[project]", "dipkg", "# title:", "[core]"):
        assert secret not in body, (target, secret)


# --- 5. escaping: raw responses ---------------------------------------------------------------


def assert_no_markup(text: str, where: str) -> None:
    lowered = text.lower()
    for markup in MARKUP:
        assert markup.lower() not in lowered, (where, markup)


def graph_data(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="kg-graph-data">(.*?)</script>', page)
    assert found, "no data block"
    return json.loads(found.group(1))


def strings_in(value: Any) -> set[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(strings_in(item) for item in value)) if value else set()
    return set()


def test_kg_extract_finds_the_meeting_in_the_hostile_file(tmp_path: Path) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(HOSTILE_RECORD), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "extract", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.strip().splitlines()
    events = json.loads(line)["events"]
    assert len(events) == 1 and events[0]["type"] == "meeting"
    names = {p["label"] for p in events[0]["participants"]}
    assert {"Sameh Shoukry", "Stéphane Séjourné"} <= names


def test_graph_pages_hold_the_payloads_as_data_only(hostile: HostileStore) -> None:
    client = TestClient(create_app(hostile.directory))
    for view in ("countries", "actors", "events", "topics"):
        answer = client.get("/graph", params={"view": view})
        assert answer.status_code == 200, answer.text
        page = answer.text
        assert_no_markup(page, view)
        # the data block, vis-network, the page's code: each a tag at the start of a line
        assert len(re.findall(r"^<script", page, flags=re.M)) == 3, view
        blocks = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
        assert all("\u2028" not in b and "\u2029" not in b for b in blocks), view
        assert "javascript:" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)
        assert "script-src 'sha256-" in answer.headers["content-security-policy"]
        assert (
            "unsafe-inline'"
            not in answer.headers["content-security-policy"].split("script-src")[1].split(";")[0]
        )
        data = graph_data(page)
        for event in data["events"]:
            for source in event["sources"]:
                assert source["url"] is None or source["url"].startswith("https://")
    events = graph_data(client.get("/graph", params={"view": "events"}).text)
    (mine,) = [e for e in events["events"] if e["id"] == hostile.event]
    quotes = [quote for source in mine["sources"] for quote in source["quotes"]]
    assert any(PWNED_IMG in q and PWNED_BREAKOUT in q for q in quotes)  # spaces tidied
    assert mine["sources"][0]["headline"] == HOSTILE_TITLE  # intact, separators too: as data
    focused = client.get("/graph", params={"view": "events", "focus": hostile.event})
    assert focused.status_code == 200
    assert_no_markup(focused.text, "focus")


def test_sparql_answers_carry_no_markup(hostile: HostileStore) -> None:
    client = TestClient(create_app(hostile.directory))
    select = """PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?headline ?url ?quote WHERE { GRAPH ?g {
  ?article schema:headline ?headline ; schema:url ?url .
  ?ev oa:hasSource ?article ; oa:exact ?quote FILTER(CONTAINS(?headline, "Séjourné")) } }"""
    answer = client.get("/sparql", params={"query": select})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/sparql-results+json")
    for character in "<>&\u2028\u2029":
        assert character not in answer.text, character
    (row,) = answer.json()["results"]["bindings"]
    assert row["headline"]["value"] == HOSTILE_TITLE
    assert PWNED_IMG in row["quote"]["value"] and SEPARATORS in row["quote"]["value"]
    xml = client.get("/sparql", params={"query": select, "format": "xml"})
    assert_no_markup(xml.text, "xml")
    assert "&lt;script&gt;" in xml.text
    for name, media in (("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        table = client.get("/sparql", params={"query": select, "format": name})
        # the payload travels as data in a type no browser renders, and never sniffs
        assert table.headers["content-type"].startswith(media)
        assert table.headers["x-content-type-options"] == "nosniff"
        assert table.headers["content-security-policy"].startswith("default-src 'none'")
    as_csv = client.get("/sparql", params={"query": select, "format": "csv"}).text
    assert list(csv.reader(io.StringIO(as_csv)))[1][0] == HOSTILE_TITLE
    construct = "CONSTRUCT WHERE { ?a <https://schema.org/headline> ?h }"
    jsonld = client.get("/sparql", params={"query": construct, "format": "jsonld"})
    assert jsonld.status_code == 200
    for character in "<>&\u2028\u2029":
        assert character not in jsonld.text, character
    assert HOSTILE_TITLE in strings_in(jsonld.json())

    evidence = client.get("/api/queries/event-evidence", params={"event": hostile.event})
    assert evidence.status_code == 200
    for character in "<>&\u2028\u2029":
        assert character not in evidence.text, character
    rows = evidence.json()["results"]["bindings"]
    assert any(PWNED_IMG in r["quote"]["value"] for r in rows)
    assert {r["url"]["value"] for r in rows} == {PWNED_URL}  # data, never made a link here


def test_landing_and_query_pages_carry_no_markup(hostile: HostileStore) -> None:
    client = TestClient(create_app(hostile.directory))
    for path in ("/", "/query"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert_no_markup(answer.text, path)


# --- 6. injection through parameters -----------------------------------------------------------

HOSTILE_VALUES = [
    "x> } ; DROP ALL ; #",
    '"2020-01-01"^^<x> ) || true || (',
    "<http://a> . ?s ?p ?o",
    "https://w3id.org/dipkg/id/country/EG> } ; DROP ALL ; #",
    "2020-01-01' } DROP ALL #",
    "x" * 20_000,
    "https://x/" + "a" * 20_000,
    "EG\x00",
    "\x00",
    "https://w3id.org/dipkg/id/country/EG\x00",
    "2020-01-01\x00",
    "\ud800",  # a lone surrogate: sent as UTF-8 it is invalid
    "%",
    "\u202eEG",
]
GRAPH_PARAMETERS = ["view", "country", "since", "until", "focus", "topic", "type", "depth", "lang"]


def query_string(name: str, value: str) -> str:
    encoded = value.encode("utf-8", errors="surrogatepass")
    return f"{name}={urllib.parse.quote(encoded, safe='')}"


def assert_refused_in_words(answer: httpx.Response, where: str) -> None:
    assert answer.status_code in (200, 400), (where, answer.status_code, answer.text[:300])
    if answer.status_code == 400:
        assert answer.headers["content-type"].startswith("text/plain")
        assert re.search(r"[a-z]{3,} [a-z]{2,} ", answer.text), (where, answer.text[:300])


def test_graph_filters_refuse_hostile_values(hostile: HostileStore) -> None:
    before = quads_in(hostile.directory)
    client = TestClient(create_app(hostile.directory), raise_server_exceptions=False)
    for name in GRAPH_PARAMETERS:
        for value in HOSTILE_VALUES:
            answer = client.get(f"/graph?view=events&{query_string(name, value)}")
            assert_refused_in_words(answer, f"{name}={value[:40]!r}")
            if answer.status_code == 200:  # only an empty graph can come of it
                assert graph_data(answer.text)["nodes"] == [], (name, value[:40])
    assert quads_in(hostile.directory) == before


def test_named_query_parameters_refuse_hostile_values(hostile: HostileStore) -> None:
    before = quads_in(hostile.directory)
    client = TestClient(create_app(hostile.directory), raise_server_exceptions=False)
    tried = 0
    for name, query in named_queries().items():
        for parameter in query.parameters:
            for value in HOSTILE_VALUES:
                answer = client.get(f"/api/queries/{name}?{query_string(parameter.name, value)}")
                assert_refused_in_words(answer, f"{name} {parameter.name}={value[:40]!r}")
                if answer.status_code == 200:
                    assert answer.json()["results"]["bindings"] == [], (name, value[:40])
                tried += 1
        unknown = client.get(f"/api/queries/{name}?{query_string('x', HOSTILE_VALUES[0])}")
        assert unknown.status_code == 400 and "no parameter" in unknown.text
    assert tried > 50
    assert client.get("/api/queries/" + urllib.parse.quote("x> } DROP ALL #")).status_code == 404
    assert quads_in(hostile.directory) == before


# --- 7. the query runner: a queue, not an immediate 503 ------------------------------------------


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests of the
    same session) keeps an event loop running in the main thread."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    result: T = outcome["result"]
    return result


def test_requests_beyond_the_running_slots_wait_for_one() -> None:
    async def main() -> tuple[list[int], float, int]:
        runner = Runner(timeout_s=20, slots=2)
        running = 0
        most = 0
        lock = threading.Lock()

        def work(n: int) -> int:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.2)
            with lock:
                running -= 1
            return n

        started = time.monotonic()
        results = await asyncio.gather(*(runner.run(lambda n=n: work(n)) for n in range(10)))
        return list(results), time.monotonic() - started, most

    results, elapsed, most = run_async(main())
    assert results == list(range(10))  # all answered, none refused
    assert most == 2  # never more than the slots at once
    assert elapsed >= 0.9  # five rounds of two


def test_the_queue_is_bounded() -> None:
    async def main() -> None:
        runner = Runner(timeout_s=20, slots=1, max_waiting=2)
        release = threading.Event()
        first = asyncio.ensure_future(runner.run(lambda: release.wait(20)))
        waiting = [asyncio.ensure_future(runner.run(lambda: "done")) for _ in range(2)]
        while runner.waiting < 2:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        with pytest.raises(Problem) as refused:
            await runner.run(lambda: "one too many")
        assert refused.value.status == 503 and "busy" in refused.value.message
        assert time.monotonic() - started < 0.5  # at once
        release.set()
        assert await first is True
        assert await asyncio.gather(*waiting) == ["done", "done"]
        assert (runner.running, runner.waiting) == (0, 0)

    run_async(main())


def test_a_wait_ends_at_the_timeout_and_gives_its_place_back() -> None:
    async def main() -> None:
        runner = Runner(timeout_s=0.3, slots=1)
        release = threading.Event()
        holder = asyncio.ensure_future(runner.run(lambda: release.wait(20)))
        while runner.running < 1:
            await asyncio.sleep(0.01)
        ticks = 0

        async def tick() -> None:  # the event loop is free while a request waits
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.ensure_future(tick())
        started = time.monotonic()
        with pytest.raises(Problem) as late:
            await runner.run(lambda: "never")
        waited = time.monotonic() - started
        ticker.cancel()
        assert late.value.status == 503
        assert "busy with other queries for 0.3 s" in late.value.message
        assert 0.3 <= waited < 2.0
        assert ticks >= 10
        assert runner.waiting == 0
        with pytest.raises(Problem):  # the holder timed out too; its work goes on
            await holder
        assert runner.running == 1
        release.set()
        while runner.running:
            await asyncio.sleep(0.01)
        assert await runner.run(lambda: "free again") == "free again"

    run_async(main())


def test_a_cancelled_request_leaves_the_queue() -> None:
    async def main() -> None:
        runner = Runner(timeout_s=20, slots=1)
        release = threading.Event()
        holder = asyncio.ensure_future(runner.run(lambda: release.wait(20)))
        waiter = asyncio.ensure_future(runner.run(lambda: "never"))
        while runner.waiting < 1:
            await asyncio.sleep(0.01)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert runner.waiting == 0
        release.set()
        await holder
        assert (runner.running, runner.waiting) == (0, 0)

    run_async(main())


def test_many_concurrent_queries_are_all_answered(example_store_dir: Path) -> None:
    """Over a socket: 40 clients at once, ten times the slots; before the queue, most got 503."""
    query = f"""SELECT (COUNT(*) AS ?n) WHERE {{
      {{ SELECT ?o WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 150 }}
      {{ SELECT ?r WHERE {{ GRAPH <{REFERENCE_GRAPH}> {{ ?x ?q ?r }} }} LIMIT 150 }}
      FILTER(STR(?o) < STR(?r)) }}"""

    async def main(url: str) -> list[int]:
        limits = httpx.Limits(max_connections=40)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            answers = await asyncio.gather(
                *(client.get(url + "/sparql", params={"query": query}) for _ in range(40))
            )
        return [answer.status_code for answer in answers]

    with serving(create_app(example_store_dir, timeout_s=30)) as url:
        assert run_async(main(url)) == [200] * 40


# --- the load test ------------------------------------------------------------------------------


def test_load_50_clients_for_30_seconds(example_store_dir: Path, tmp_path: Path) -> None:
    summary = tmp_path / "load.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--store",
            str(example_store_dir),
            "--clients",
            "50",
            "--seconds",
            "30",
            "--json",
            str(summary),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    print(done.stdout)
    assert summary.exists(), done.stdout + done.stderr
    result = json.loads(summary.read_text())
    assert result["errors_by_status"] == {}, result["error_examples"]
    assert done.returncode == 0, done.stderr
    assert result["requests"] >= 100
    assert set(result["kinds"]) == {
        "landing",
        "list",
        "named",
        "sparql-get",
        "sparql-post",
        "graph",
    }
    print(
        f"load: {result['requests']} requests, {result['requests_per_s']} requests/s, "
        f"p95 {result['overall']['p95_ms']} ms, max {result['overall']['max_ms']} ms"
    )
