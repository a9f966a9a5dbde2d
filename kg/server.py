"""A local web server over the store: a SPARQL endpoint, a query page and the graph views.

One process, one store, read-only by default. Routes:

* ``/`` — the store's figures and links to everything else;
* ``/query`` — a page to write or pick a named query, run it and download the results as CSV;
* ``/sparql`` — the SPARQL 1.1 Protocol query operation (GET ``?query=``, POST form ``query=``,
  POST ``application/sparql-query``). SELECT and ASK answer in JSON (default), XML, CSV or TSV;
  CONSTRUCT and DESCRIBE in Turtle (default), N-Triples, JSON-LD, RDF/XML or N3; chosen by the
  ``Accept`` header or a ``format=`` parameter (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``,
  ``ntriples``, ``jsonld``, ``rdfxml``, ``n3`` or a media type), which wins over ``Accept``.
  Queries see the union of all graphs as their default graph (``use_default_graph_as_union``),
  so ``SELECT * WHERE { ?s ?p ?o }`` finds the data of every article; ``GRAPH ?g { … }`` still
  names each article's graph. A query with its own ``FROM`` uses that dataset instead, and the
  protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters replace both.
  Updates (``update=``, ``application/sparql-update``, or an update sent as a query) are refused
  with 403 unless the server was created with ``allow_updates``; then POSTed updates run.
* ``/api/queries`` — the named queries of ``ontology/queries/`` as JSON, and
  ``/api/queries/{name}?PARAM=VALUE`` runs one, parameters bound as SPARQL values
  (:func:`kg.queries.bind`), answering like ``/sparql`` (JSON results by default);
* ``/graph?view=…`` — the interactive graph views of :mod:`kg.views` (501 while it is absent).

Limits: each query runs in a worker thread and answers 503 after ``timeout_s`` seconds (the
worker finishes in the background); at most :data:`MAX_RUNNING_QUERIES` run at once, and more
wait for a free one (within the same ``timeout_s``) in a queue of at most :data:`MAX_WAITING`,
beyond which they are answered 503 at once; results stop after ``max_rows`` rows (or triples)
with the header ``X-Result-Truncated: true``; request bodies above ``max_body`` bytes get 413,
and addresses (path and query string) longer than that get 414.
The server never fetches from the network: queries with ``SERVICE`` (federated query) and
updates with ``LOAD`` or ``SERVICE`` are refused with 403 (:func:`fetches_remote`).

Every response carries a Content-Security-Policy (``default-src 'none'`` plus exactly what each
page needs: its inline style and script pinned by hash), ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: no-referrer`` and ``X-Frame-Options: DENY``. No file is served from disk.
When it listens on a loopback address, requests whose Host header names another host are refused
(DNS rebinding), and updates from a browser page of another origin are refused (CSRF). Requests
a browser says come from a page of another site or origin (``Sec-Fetch-Site``) are refused
with 403 unless they open a page (a link followed, GET): another site's page cannot make the
browser run queries here behind the user's back (through images, scripts or fetch).

Oxigraph's read-only mode does not follow writes of another process: stop the server (or restart
it) around ``kg ingest``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import html
import ipaddress
import itertools
import json
import re
import sys
import threading
import traceback
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.namespaces import PREFIXES
from kg.queries import NamedQuery, ParameterError, bind, named_queries
from kg.store import article_count, open_store
from kg.viz import csp_hash, safe_json

__all__ = ["MAX_RUNNING_QUERIES", "MAX_WAITING", "create_app", "is_loopback", "serve"]

MAX_RUNNING_QUERIES = 4
"""Queries (and page computations) running at once; timed-out ones count until they finish."""
MAX_WAITING = 256
"""Requests waiting for one of those slots; beyond them the server answers 503 at once."""
MIN_MAX_TARGET = 16_384
"""The longest request target (path and query) is max_body bytes, but never less than this."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
GRAPH_VIEWS = ("countries", "actors", "events", "topics")

T = TypeVar("T")


class Problem(Exception):
    """An answer in words: the status and a plain-text message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- content negotiation ----------------------------------------------------------------

R = ox.QueryResultsFormat
G = ox.RdfFormat

RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": R.JSON,
    "application/json": R.JSON,
    "application/sparql-results+xml": R.XML,
    "application/xml": R.XML,
    "text/xml": R.XML,
    "text/csv": R.CSV,
    "text/tab-separated-values": R.TSV,
}
RESULT_NAMES: dict[str, ox.QueryResultsFormat] = {
    "json": R.JSON,
    "xml": R.XML,
    "csv": R.CSV,
    "tsv": R.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": G.TURTLE,
    "application/turtle": G.TURTLE,
    "application/x-turtle": G.TURTLE,
    "application/n-triples": G.N_TRIPLES,
    "application/ld+json": G.JSON_LD,
    "application/x-json+ld": G.JSON_LD,
    "application/json": G.JSON_LD,
    "application/rdf+xml": G.RDF_XML,
    "application/xml": G.RDF_XML,
    "text/xml": G.RDF_XML,
    "text/n3": G.N3,
    "text/rdf+n3": G.N3,
}
GRAPH_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": G.TURTLE,
    "ttl": G.TURTLE,
    "ntriples": G.N_TRIPLES,
    "n-triples": G.N_TRIPLES,
    "nt": G.N_TRIPLES,
    "jsonld": G.JSON_LD,
    "json-ld": G.JSON_LD,
    "json": G.JSON_LD,
    "rdfxml": G.RDF_XML,
    "rdf+xml": G.RDF_XML,
    "xml": G.RDF_XML,
    "n3": G.N3,
}


def _media(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _accepted(header: str) -> list[str]:
    """Media types of an Accept header, most wanted first (q=0 left out)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


@dataclass(frozen=True)
class Negotiation:
    """What the client asked for: its Accept header and any format= values."""

    accept: str = ""
    formats: tuple[str, ...] = ()

    def results(self) -> ox.QueryResultsFormat:
        return self._choose(RESULT_NAMES, RESULT_TYPES, R.JSON, "SELECT and ASK")

    def graph(self) -> ox.RdfFormat:
        return self._choose(GRAPH_NAMES, GRAPH_TYPES, G.TURTLE, "CONSTRUCT and DESCRIBE")

    def _choose(self, names: Mapping[str, T], types: Mapping[str, T], default: T, kind: str) -> T:
        if self.formats:
            # SPARQLWrapper repeats its format as a name and a media type: the first known wins
            for value in self.formats:
                key = value.strip().lower()
                found = names.get(key)
                if found is None:
                    found = types.get(_media(key))
                if found is not None:
                    return found
            raise Problem(
                400,
                f"format={self.formats[0]} does not fit {kind} queries; "
                f"use one of: {', '.join(sorted(set(names)))}",
            )
        for media in _accepted(self.accept):
            if media in types:
                return types[media]
            if media == "*/*":
                return default
            if media.endswith("/*"):
                for name, choice in types.items():
                    if name.startswith(media[:-1]):
                        return choice
        return default  # nothing acceptable: the protocol lets the server answer its default


# --- SPARQL text without a parser ---------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<comment>\#[^\n\r]*)
      | (?P<var>[?$]\w+)
      | (?P<word>(?:[A-Za-z_][\w.-]*)?:(?:[\w.:-]|%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?\#@%-])*
                |[A-Za-z_][\w-]*)
      | (?P<other>[^<'"#?$:A-Za-z_]+|.)""",
    re.VERBOSE | re.DOTALL,
)
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
REMOTE_KEYWORDS = frozenset({"SERVICE", "LOAD"})
"""Keywords that make Oxigraph fetch from the network (federated query, LOAD of a URL)."""


def _tokens(text: str) -> Iterable[tuple[str, str]]:
    """(kind, text) of the SPARQL tokens that matter here; comments and blanks left out."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "comment" or (kind == "other" and match.group().isspace()):
            continue
        yield kind, match.group()


def _keywords(text: str) -> list[str]:
    """The query's keywords in order, after its prologue (PREFIX, BASE, VERSION)."""
    words: list[str] = []
    skip_to_iri = False
    in_prologue = True
    for kind, token in _tokens(text):
        if in_prologue:
            if skip_to_iri:
                skip_to_iri = kind != "iri" and kind != "string"
                continue
            if kind == "word" and token.upper() in ("PREFIX", "BASE", "VERSION"):
                skip_to_iri = True
                continue
            in_prologue = False
        if kind == "word":
            words.append(token.upper())
    return words


def is_update(text: str) -> bool:
    """Whether a SPARQL text is an update (INSERT, DELETE, LOAD, …) rather than a query."""
    words = _keywords(text)
    return bool(words) and words[0] in UPDATE_KEYWORDS


FETCH_REFUSED = (
    "SERVICE and LOAD are not allowed: this server does not fetch from other servers or files"
)
_OPERAND_BEFORE = frozenset("(,=!&|+-*/<^")
"""After one of these, a "<" can only open an IRI (an operand is expected)."""


def fetches_remote(text: str) -> bool:
    """Whether a query or update may ask the store to fetch from the network: SERVICE (Oxigraph
    sends the pattern to that address) or LOAD.

    Conservative: inside parentheses after an operand, Oxigraph reads "<" as less-than, so
    ``FILTER(1<2)SERVICE#>`` is not one IRI but a comparison, the keyword and a comment; a
    lexer cannot tell without parsing, so both readings are followed, and a text too tangled to
    follow within a budget of work proportional to its length counts as fetching."""
    budget = 4 * len(text) + 10_000  # characters lexed over all readings
    # open brackets as interned stacks: number -> (innermost bracket, enclosing stack's number)
    stacks: list[tuple[str, int]] = [("", 0)]
    interned: dict[tuple[str, int], int] = {}
    seen: set[tuple[int, int, bool]] = set()
    pending: list[tuple[int, int, bool]] = [(0, 0, False)]
    while pending:
        pos, stack, after_operand = pending.pop()
        while pos < len(text):
            if (pos, stack, after_operand) in seen:
                break  # this reading joins one already followed
            seen.add((pos, stack, after_operand))
            match = _TOKEN.match(text, pos)
            assert match is not None  # the last alternative matches any character
            kind, token = match.lastgroup or "other", match.group()
            budget -= len(token)
            if budget < 0:
                return True
            if kind == "iri" and stacks[stack][0] == "(" and after_operand:
                pending.append((pos + 1, stack, False))  # the other reading: less-than
            if kind == "word" and token.upper() in REMOTE_KEYWORDS:
                return True
            if kind == "other":
                for char in token:
                    if char in "({[":
                        key = (char, stack)
                        if key not in interned:
                            interned[key] = len(stacks)
                            stacks.append(key)
                        stack = interned[key]
                    elif char in ")}]":
                        stack = stacks[stack][1]
                last = token.rstrip()[-1:]
                if last:
                    after_operand = last not in _OPERAND_BEFORE
            elif kind != "comment":
                after_operand = True
            pos = match.end()
    return False


def has_from(text: str) -> bool:
    """Whether a query names its default graph (FROM, not FROM NAMED)."""
    words = _keywords(text)
    return any(
        word == "FROM" and (i + 1 >= len(words) or words[i + 1] != "NAMED")
        for i, word in enumerate(words)
    )


# --- running queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    truncated: bool = False

    def response(self) -> Response:
        headers = {"X-Result-Truncated": "true"} if self.truncated else {}
        return Response(self.body, media_type=f"{self.media_type}; charset=utf-8", headers=headers)


class Runner:
    """Runs blocking work in a daemon thread and gives up waiting after the timeout.

    At most `slots` pieces of work run at once (one that timed out keeps its slot until it
    finishes: Oxigraph cannot stop a query). Requests beyond that wait, without blocking the
    event loop, in a queue of at most `max_waiting`, first come first served; the timeout
    covers both the wait and the work. A request that finds the queue full is answered 503
    at once."""

    def __init__(
        self, timeout_s: float, slots: int = MAX_RUNNING_QUERIES, max_waiting: int = MAX_WAITING
    ) -> None:
        if slots < 1 or max_waiting < 0:
            raise ValueError("slots must be at least 1 and max_waiting not negative")
        self.timeout_s = timeout_s
        self.slots = slots
        self.max_waiting = max_waiting
        self._lock = threading.Lock()  # slots are given back by worker threads
        self._running = 0
        self._waiting: collections.deque[_Ticket] = collections.deque()

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def _acquire(self, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._running < self.slots and not self._waiting:
                self._running += 1
                return
            if len(self._waiting) >= self.max_waiting:
                raise Problem(
                    503,
                    f"the server is busy: {self._running} queries are running and "
                    f"{len(self._waiting)} waiting; try again in a moment",
                )
            ticket = _Ticket(loop, loop.create_future())
            self._waiting.append(ticket)
        try:
            await asyncio.wait_for(ticket.future, max(deadline - loop.time(), 0.0))
        except BaseException as error:  # timed out, or the request was cancelled
            with self._lock:
                granted = ticket not in self._waiting
                if not granted:
                    self._waiting.remove(ticket)
            if granted:  # a slot was handed over just as it gave up: pass it on
                self._release()
            if isinstance(error, TimeoutError):
                raise Problem(
                    503,
                    f"the server was busy with other queries for {self.timeout_s:g} s; "
                    "try again in a moment",
                ) from None
            raise

    def _release(self) -> None:
        """Give a slot back: to the first request still waiting, else to the pool."""
        while True:
            with self._lock:
                if not self._waiting:
                    self._running -= 1
                    return
                ticket = self._waiting.popleft()  # the slot is now the ticket's
            try:
                ticket.loop.call_soon_threadsafe(_wake, ticket.future)
                return
            except RuntimeError:  # its event loop is closed: nobody waits there any more
                continue

    async def run(self, work: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        await self._acquire(deadline)
        future: asyncio.Future[T] = loop.create_future()

        def deliver(result: T | None, error: BaseException | None) -> None:
            if future.done():  # timed out or the client went away: nobody is waiting
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)  # type: ignore[arg-type]

        def target() -> None:
            result: T | None = None
            error: BaseException | None = None
            try:
                result = work()
            except BaseException as caught:
                error = caught
                _release_frames(caught)
            finally:
                self._release()
            with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped
                loop.call_soon_threadsafe(deliver, result, error)

        try:
            threading.Thread(target=target, name="kg-query", daemon=True).start()
        except BaseException:
            self._release()
            raise
        try:
            return await asyncio.wait_for(future, max(deadline - loop.time(), 0.0))
        except TimeoutError:
            raise Problem(
                503,
                f"the query took longer than {self.timeout_s:g} s and was abandoned; "
                "narrow it down (fewer patterns, a LIMIT) and try again",
            ) from None


@dataclass(eq=False)
class _Ticket:
    """A request waiting for a slot: its event loop and the future that wakes it."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _release_frames(error: BaseException) -> None:
    """Drop the local variables of the frames an exception keeps (its chain included), here in
    the worker: pyoxigraph's result iterators must not be freed on another thread."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _term_json(term: Any) -> dict[str, Any]:
    """A term in the SPARQL JSON results format (only to hand rows back to pyoxigraph)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        item: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            item["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                item["its:dir"] = str(getattr(direction, "value", direction)).lower()
        elif term.datatype.value != XSD_STRING:
            item["datatype"] = term.datatype.value
        return item
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _capped_solutions(result: ox.QuerySolutions, max_rows: int) -> tuple[ox.QuerySolutions, bool]:
    """The first max_rows solutions as a QuerySolutions again, so pyoxigraph serializes them."""
    names = [v.value for v in result.variables]
    rows = list(itertools.islice(result, max_rows + 1))
    truncated = len(rows) > max_rows
    bindings = [
        {name: _term_json(row[name]) for name in names if row[name] is not None}
        for row in rows[:max_rows]
    ]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    solutions = ox.parse_query_results(document, R.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions, truncated


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a query: the protocol's graphs, or the union of all graphs."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def options(self, text: str, union: bool) -> dict[str, Any]:
        try:
            named = [ox.NamedNode(iri) for iri in self.named_graphs]
            default = [ox.NamedNode(iri) for iri in self.default_graphs]
        except ValueError as error:
            raise Problem(400, f"a graph IRI is not valid: {error}") from None
        options: dict[str, Any] = {}
        if named:
            options["named_graphs"] = named
        if default or named:  # the protocol's dataset replaces the query's (SPARQL 1.1 §2.1.4)
            options["default_graph"] = default
        elif union and not has_from(text):
            options["use_default_graph_as_union"] = True
        return options


def _bytes(data: bytes | None) -> bytes:
    return data or b""


_JSON_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def _inert_json(body: bytes) -> bytes:
    """JSON with <, >, & and the line separators written as \\u escapes: the same JSON, but
    no markup even to a client that would sniff it as HTML or paste it into a page. (In JSON
    these characters can only stand inside strings, where the escapes mean the same.)"""
    for raw, escaped in _JSON_ESCAPES:
        body = body.replace(raw, escaped)
    return body


def execute(
    store: ox.Store,
    text: str,
    negotiation: Negotiation,
    *,
    max_rows: int,
    dataset: Dataset | None = None,
    union: bool = True,
    substitutions: Mapping[ox.Variable, Any] | None = None,
) -> Answer:
    """Run one query and serialize its results with pyoxigraph (blocking: call in a worker)."""
    if fetches_remote(text):
        raise Problem(403, FETCH_REFUSED)
    options = (dataset or Dataset()).options(text, union)
    try:
        result = store.query(text, substitutions=dict(substitutions or {}), **options)
    except SyntaxError as error:
        raise Problem(400, f"the query is not valid SPARQL: {error}") from None
    if isinstance(result, ox.QueryBoolean):
        results_format = negotiation.results()
        body = _bytes(result.serialize(format=results_format))
        if results_format == R.JSON:
            body = _inert_json(body)
        return Answer(body, results_format.media_type)
    if isinstance(result, ox.QuerySolutions):
        results_format = negotiation.results()
        solutions, truncated = _capped_solutions(result, max_rows)
        body = _bytes(solutions.serialize(format=results_format))
        if results_format == R.JSON:
            body = _inert_json(body)
        return Answer(body, results_format.media_type, truncated)
    graph_format = negotiation.graph()
    triples = list(itertools.islice(result, max_rows + 1))
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    body = _bytes(
        ox.serialize(
            triples[:max_rows],
            format=graph_format,
            prefixes=prefixes if graph_format in (G.TURTLE, G.N3, G.RDF_XML) else None,
        )
    )
    if graph_format == G.JSON_LD:
        body = _inert_json(body)
    return Answer(body, graph_format.media_type, len(triples) > max_rows)


# --- pages ------------------------------------------------------------------------------


BASE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

_CSS = """
body { font-family: 'Noto Sans', 'Noto Sans Arabic', 'DejaVu Sans', Arial, sans-serif;
       margin: 0 auto; max-width: 72rem; padding: 0.5rem 1rem 2rem; color: #222;
       background: #fff; line-height: 1.4; }
h1 { font-size: 1.4rem; margin: 0.6rem 0; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
nav a { margin-right: 1rem; }
a { color: #1a5fb4; }
table { border-collapse: collapse; margin: 0.4rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: start;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: #f2f2f2; }
.figures td:last-child { text-align: end; font-variant-numeric: tabular-nums; }
code, textarea, pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.9rem; }
textarea { width: 100%; box-sizing: border-box; min-height: 14rem; }
label { display: block; margin: 0.3rem 0; }
label input { width: 32rem; max-width: 100%; }
.kg-controls { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; flex-wrap: wrap; }
.kg-note { color: #555; font-size: 0.9rem; }
.kg-error { color: #a51d2d; white-space: pre-wrap; }
pre { background: #f6f6f6; padding: 0.5rem; overflow: auto; white-space: pre-wrap; }
"""


def _page(title: str, body: str, script: str = "") -> HTMLResponse:
    """A self-contained page whose CSP allows only its own inline style and script."""
    sources = [f"style-src {csp_hash(_CSS)}"]
    if script:
        sources += [f"script-src {csp_hash(script)}", "connect-src 'self'"]
    csp = "; ".join([BASE_CSP, *sources])
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<nav><a href="/">Store</a><a href="/query">Query</a>'
        '<a href="/graph?view=countries">Graph</a><a href="/sparql">SPARQL endpoint</a></nav>\n'
        f"{body}\n" + (f"<script>{script}</script>\n" if script else "") + "</body>\n</html>\n"
    )
    return HTMLResponse(page, headers={"Content-Security-Policy": csp})


_FIGURES_QUERY = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a ?type
  FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call)) } } GROUP BY ?type ORDER BY ?type"""
_COUNTRIES_QUERY = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  GRAPH ?g { ?p a dk:Participation }
  { GRAPH ?g { ?p dk:representing ?c } }
  UNION { GRAPH ?g { ?p dk:agent ?c } GRAPH ?h { ?c a dk:Country } } }"""
_PEOPLE_QUERY = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
  GRAPH ?g { ?p a dk:Participation ; dk:agent ?a } GRAPH ?h { ?a a dk:Person } }"""


def store_figures(store: ox.Store) -> list[tuple[str, int]]:
    """The landing page's figures: articles, events by type, countries, people, quads."""

    def count(query: str) -> int:
        for row in store.query(query):  # type: ignore[union-attr]
            return int(row[0].value) if row[0] is not None else 0
        return 0

    figures = [("articles", article_count(store))]
    for row in store.query(_FIGURES_QUERY):  # type: ignore[union-attr]
        kind = row[0].value.rsplit("#", 1)[-1].lower()
        figures.append((f"events: {kind}", int(row[1].value)))
    figures += [
        ("countries involved", count(_COUNTRIES_QUERY)),
        ("people involved", count(_PEOPLE_QUERY)),
        ("quads", len(store)),
    ]
    return figures


def _landing(
    figures: list[tuple[str, int]], allow_updates: bool, missing: str = ""
) -> HTMLResponse:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{value:,}</td></tr>" for name, value in figures
    )
    if missing:
        rows = f'<tr><td class="kg-error">figures unavailable: {html.escape(missing)}</td></tr>'
    views = "".join(f'<li><a href="/graph?view={view}">{view}</a></li>' for view in GRAPH_VIEWS)
    mode = "updates allowed (POST)" if allow_updates else "read-only"
    body = f"""<h1>Diplomatic knowledge graph</h1>
<p class="kg-note">The store is {mode}.</p>
<h2>Figures</h2>
<table class="figures"><tbody>{rows}</tbody></table>
<h2>Explore</h2>
<ul>
<li><a href="/query">Query page</a>: write SPARQL or run a named query, download CSV.</li>
<li>Graph views:<ul>{views}</ul></li>
<li><a href="/sparql">SPARQL endpoint</a> <code>/sparql</code> (SPARQL 1.1 Protocol: GET
<code>?query=</code> or POST); the default graph is the union of all graphs.</li>
<li><a href="/api/queries">Named queries</a> as JSON; run one at
<code>/api/queries/NAME?PARAM=VALUE</code>.</li>
</ul>"""
    return _page("Diplomatic knowledge graph", body)


_QUERY_BODY = """<h1>Query the store</h1>
<label>Named query
<select id="kg-named"><option value="">— your own query —</option></select></label>
<p id="kg-info" class="kg-note" dir="auto"></p>
<div id="kg-params"></div>
<textarea id="kg-editor" spellcheck="false" aria-label="SPARQL query">{starter}</textarea>
<div class="kg-controls">
<button id="kg-run" type="button">Run</button>
<a id="kg-download" href="/sparql" download="results.csv" hidden>Download CSV</a>
<span id="kg-status" class="kg-note" role="status"></span>
</div>
<p id="kg-error" class="kg-error" role="alert" hidden></p>
<table id="kg-table" hidden><thead></thead><tbody></tbody></table>
<pre id="kg-text" hidden></pre>
<script type="application/json" id="kg-queries">{queries}</script>"""

STARTER_QUERY = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
# Events by type; the default graph is the union of all graphs.
SELECT ?type (COUNT(DISTINCT ?event) AS ?events)
WHERE { ?event a ?type FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call)) }
GROUP BY ?type
ORDER BY DESC(?events)
"""

# All text reaches the page through textContent or attributes, never innerHTML.
_QUERY_JS = """(function () {
  "use strict";
  var queries = JSON.parse(document.getElementById("kg-queries").textContent);
  var select = document.getElementById("kg-named");
  var info = document.getElementById("kg-info");
  var params = document.getElementById("kg-params");
  var editor = document.getElementById("kg-editor");
  var run = document.getElementById("kg-run");
  var download = document.getElementById("kg-download");
  var status = document.getElementById("kg-status");
  var error = document.getElementById("kg-error");
  var table = document.getElementById("kg-table");
  var text = document.getElementById("kg-text");
  var byName = {};
  var ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

  queries.forEach(function (q) {
    byName[q.name] = q;
    var option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.title + " (" + q.name + ")";
    select.appendChild(option);
  });

  function clear(element) {
    while (element.firstChild) { element.removeChild(element.firstChild); }
  }
  function named() {  // the selected named query while the editor still holds its text
    var q = byName[select.value];
    return q && editor.value === q.query ? q : null;
  }
  function showParams() {
    var q = byName[select.value];
    clear(params);
    info.textContent = q ? q.description : "";
    if (!q) { return; }
    q.parameters.forEach(function (p) {
      var label = document.createElement("label");
      var about = p.description ? ": " + p.description : "";
      label.textContent = p.name + " (" + p.kind + about + ") ";
      var input = document.createElement("input");
      input.name = p.name;
      input.setAttribute("data-param", p.name);
      input.type = p.kind === "date" ? "date" : "text";
      input.placeholder = p.kind === "iri" ? "https://…" : p.kind;
      input.setAttribute("dir", "auto");
      label.appendChild(input);
      params.appendChild(label);
    });
    updateState();
  }
  function updateState() {
    var edited = byName[select.value] && !named();
    params.querySelectorAll("input").forEach(function (input) { input.disabled = !!edited; });
    if (edited) {
      info.textContent = "Edited: runs as your own query; the parameters apply only to the " +
        "named query as it is.";
    } else if (byName[select.value]) {
      info.textContent = byName[select.value].description;
    }
  }
  function request() {
    var q = named();
    if (q) {
      var search = new URLSearchParams();
      params.querySelectorAll("input").forEach(function (input) {
        if (input.value.trim() !== "") { search.append(input.name, input.value.trim()); }
      });
      var url = "/api/queries/" + encodeURIComponent(q.name);
      var csv = new URLSearchParams(search);
      csv.set("format", "csv");
      return {url: url + "?" + search.toString(), init: {headers: {"Accept": ACCEPT}},
              csv: url + "?" + csv.toString()};
    }
    return {
      url: "/sparql",
      init: {method: "POST", body: editor.value,
             headers: {"Content-Type": "application/sparql-query", "Accept": ACCEPT}},
      csv: "/sparql?" + new URLSearchParams({query: editor.value, format: "csv"}).toString()
    };
  }
  function showTable(data) {
    var head = table.tHead, body = table.tBodies[0];
    clear(head); clear(body);
    var vars = data.head && data.head.vars ? data.head.vars : [];
    var tr = document.createElement("tr");
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = v;
      tr.appendChild(th);
    });
    head.appendChild(tr);
    data.results.bindings.forEach(function (binding) {
      var row = document.createElement("tr");
      vars.forEach(function (v) {
        var td = document.createElement("td");
        var term = binding[v];
        td.setAttribute("dir", "auto");
        if (term) {
          td.textContent = term.type === "triple" ? JSON.stringify(term.value) : term.value;
          if (term["xml:lang"]) { td.lang = term["xml:lang"]; }
          td.title = term.type === "uri" ? "IRI" : (term.datatype || term.type);
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    table.hidden = false;
    return data.results.bindings.length;
  }
  async function execute() {
    var r = request();
    error.hidden = true; table.hidden = true; text.hidden = true; download.hidden = true;
    status.textContent = "Running…";
    run.disabled = true;
    var started = Date.now();
    try {
      var response = await fetch(r.url, r.init);
      var type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
      var truncated = response.headers.get("X-Result-Truncated") === "true";
      var seconds = ((Date.now() - started) / 1000).toFixed(2) + " s";
      if (!response.ok) {
        error.textContent = "Error " + response.status + ": " + (await response.text());
        error.hidden = false;
        status.textContent = "";
        return;
      }
      if (type === "application/sparql-results+json") {
        var data = await response.json();
        if (typeof data.boolean === "boolean") {
          text.textContent = data.boolean ? "true" : "false";
          text.hidden = false;
          status.textContent = "ASK answered in " + seconds;
          return;
        }
        var count = showTable(data);
        download.href = r.csv;
        download.hidden = false;
        status.textContent = count + (count === 1 ? " row" : " rows") + " in " + seconds +
          (truncated ? " (truncated: only the first rows are shown)" : "");
      } else {
        text.textContent = await response.text();
        text.hidden = false;
        status.textContent = "Triples (" + type + ") in " + seconds +
          (truncated ? " (truncated)" : "");
      }
    } catch (problem) {
      error.textContent = "The server could not be reached: " + problem;
      error.hidden = false;
      status.textContent = "";
    } finally {
      run.disabled = false;
      window.kgDone = (window.kgDone || 0) + 1;
    }
  }
  select.addEventListener("change", function () {
    var q = byName[select.value];
    if (q) { editor.value = q.query; }
    showParams();
  });
  editor.addEventListener("input", updateState);
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      execute();
    }
  });
  run.addEventListener("click", execute);
  window.kgReady = true;
})();
"""


def _query_list(queries: Mapping[str, NamedQuery]) -> list[dict[str, Any]]:
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "parameters": [
                {"name": p.name, "kind": p.kind, "description": p.description} for p in q.parameters
            ],
            "query": q.text,
        }
        for q in queries.values()
    ]


def _query_page(queries: Mapping[str, NamedQuery]) -> HTMLResponse:
    body = _QUERY_BODY.format(
        starter=html.escape(STARTER_QUERY), queries=safe_json(_query_list(queries))
    )
    return _page("Query — diplomatic knowledge graph", body, _QUERY_JS)


_META_CSP = re.compile(
    r"""<meta\s+http-equiv\s*=\s*["']Content-Security-Policy["']\s+content\s*=\s*"([^"]*)\"""",
    re.IGNORECASE,
)
GRAPH_FALLBACK_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def page_csp(page: str) -> str:
    """The header CSP of a generated page: the one its <meta> declares (its scripts pinned by
    hash), else one that lets no script run; never framed in either case."""
    match = _META_CSP.search(page)
    policy = html.unescape(match.group(1)) if match else GRAPH_FALLBACK_CSP
    policy = policy.strip().rstrip(";")
    if "frame-ancestors" not in policy:
        policy += "; frame-ancestors 'none'"
    return policy


# --- the application --------------------------------------------------------------------


def _text(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)


class Service:
    """The handlers over one open store."""

    def __init__(
        self,
        store: ox.Store,
        *,
        timeout_s: float,
        max_rows: int,
        max_body: int,
        allow_updates: bool,
    ) -> None:
        self.store = store
        self.max_rows = max_rows
        self.max_body = max_body
        self.allow_updates = allow_updates
        self.runner = Runner(timeout_s)
        self.queries = named_queries()

    async def body(self, request: Request) -> bytes:
        length = request.headers.get("content-length", "")
        too_large = Problem(413, f"the request body is larger than {self.max_body:,} bytes")
        if length.isdigit() and int(length) > self.max_body:
            raise too_large
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > self.max_body:
                raise too_large
        return bytes(data)

    async def landing(self, request: Request) -> Response:
        try:
            figures = await self.runner.run(lambda: store_figures(self.store))
        except Problem as problem:  # too slow or too busy: the links are still useful
            return _landing([], self.allow_updates, problem.message)
        return _landing(figures, self.allow_updates)

    async def query_page(self, request: Request) -> Response:
        return _query_page(self.queries)

    async def list_queries(self, request: Request) -> Response:
        return JSONResponse(_query_list(self.queries))

    async def named_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        query = self.queries.get(name)
        if query is None:
            raise Problem(404, f"no named query {name!r}; GET /api/queries lists them")
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key == "format" or value.strip() == "":
                continue
            if key in values:
                raise Problem(400, f"the parameter {key} is given twice")
            values[key] = value.strip()
        try:
            substitutions = bind(query, values)
        except ParameterError as error:
            raise Problem(400, str(error)) from None
        except ValueError as error:  # pyoxigraph refuses the IRI
            raise Problem(400, f"a parameter is not valid: {error}") from None
        negotiation = Negotiation(
            request.headers.get("accept", ""), tuple(request.query_params.getlist("format"))
        )
        answer = await self.runner.run(
            lambda: execute(
                self.store,
                query.text,
                negotiation,
                max_rows=self.max_rows,
                union=False,  # as `kg query` runs them
                substitutions=substitutions,
            )
        )
        return answer.response()

    async def sparql(self, request: Request) -> Response:
        url_params = list(request.query_params.multi_items())
        if request.method == "GET":
            params = url_params
            if any(key == "update" for key, _ in params):
                if self.allow_updates:
                    raise Problem(405, "updates must be sent with POST, not GET")
                raise self.read_only()
            text = _single(params, "query")
        else:
            content_type = _media(request.headers.get("content-type", ""))
            body = await self.body(request)
            if content_type == "application/x-www-form-urlencoded":
                params = url_params + _form(body)
                if any(key == "update" for key, _ in params):
                    return await self.update(request, _single(params, "update"), params)
                text = _single(params, "query")
            elif content_type == "application/sparql-query":
                params = url_params
                text = _decode(body)
            elif content_type == "application/sparql-update":
                return await self.update(request, _decode(body), url_params)
            else:
                raise Problem(
                    415,
                    "send the query as application/x-www-form-urlencoded (query=…) or as "
                    "application/sparql-query",
                )
        if text is None:
            if request.method == "GET" and not params:
                return _text(
                    200,
                    "This is a SPARQL 1.1 endpoint: GET /sparql?query=… or POST the query "
                    "(form field query=, or application/sparql-query). The default graph is "
                    "the union of all graphs.",
                )
            raise Problem(400, "no query: give query=… (or POST application/sparql-query)")
        query_text: str = text
        if is_update(query_text):
            if self.allow_updates:
                raise Problem(
                    400, "this is an update: POST it as update=… or application/sparql-update"
                )
            raise self.read_only()
        dataset = Dataset(
            tuple(v for k, v in params if k == "default-graph-uri"),
            tuple(v for k, v in params if k == "named-graph-uri"),
        )
        negotiation = Negotiation(
            request.headers.get("accept", ""), tuple(v for k, v in params if k == "format")
        )
        answer = await self.runner.run(
            lambda: execute(
                self.store, query_text, negotiation, max_rows=self.max_rows, dataset=dataset
            )
        )
        return answer.response()

    def read_only(self) -> Problem:
        return Problem(403, "updates are not allowed: this SPARQL endpoint is read-only")

    async def update(
        self, request: Request, text: str | None, params: list[tuple[str, str]]
    ) -> Response:
        if not self.allow_updates:
            raise self.read_only()
        origin = request.headers.get("origin")
        if origin is not None and not _same_origin(origin, request):
            raise Problem(403, "updates from a page of another site are not allowed")
        if text is None or not text.strip():
            raise Problem(400, "no update: give update=… (or POST application/sparql-update)")
        if any(key in ("using-graph-uri", "using-named-graph-uri") for key, _ in params):
            raise Problem(400, "using-graph-uri and using-named-graph-uri are not supported")

        def work() -> None:
            if fetches_remote(text):
                raise Problem(403, FETCH_REFUSED)
            try:
                self.store.update(text)
            except SyntaxError as error:
                raise Problem(400, f"the update is not valid SPARQL: {error}") from None

        await self.runner.run(work)
        return Response(status_code=204)

    async def graph(self, request: Request) -> Response:
        try:
            from kg.views import ViewFilters, render_view
        except ImportError as error:
            if error.name != "kg.views":
                raise
            return _text(501, "the graph views are not available in this version yet")
        try:
            filters = ViewFilters.from_query(dict(request.query_params))
        except ValueError as error:
            raise Problem(400, str(error)) from None
        page = await self.runner.run(lambda: render_view(self.store, filters))
        return HTMLResponse(page, headers={"Content-Security-Policy": page_csp(page)})


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise Problem(400, f"give one {name}, not {len(values)}")
    return values[0] if values else None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request body is not UTF-8 text") from None


def _form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise Problem(400, "the form is not valid application/x-www-form-urlencoded") from None


def _same_origin(origin: str, request: Request) -> bool:
    parts = urlsplit(origin)
    return parts.netloc.lower() == request.headers.get("host", "").lower() and parts.scheme in (
        "http",
        "https",
    )


_HOST_HEADER = re.compile(r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._~-]+))(?::[0-9]*)?")


def _host_name(host_header: str) -> str:
    """The host of a Host header, without port or IPv6 brackets; "" when the header is not a
    host and an optional port (e.g. ``127.0.0.1:80@evil.example``), which no name matches."""
    match = _HOST_HEADER.fullmatch(host_header.strip().lower())
    if match is None:
        return ""
    return match.group("ipv6") or match.group("name")


def _from_another_site(scope: Scope) -> bool:
    """Whether the browser says a page of another origin made this request for something
    other than opening a page (Fetch Metadata; clients other than browsers send none)."""
    headers = {
        key: value.decode("latin-1").strip().lower()
        for key, value in scope.get("headers", [])
        if key in (b"sec-fetch-site", b"sec-fetch-mode", b"sec-fetch-dest")
    }
    if headers.get(b"sec-fetch-site", "none") in ("same-origin", "none"):
        return False
    opens_a_page = (
        scope.get("method") == "GET"
        and headers.get(b"sec-fetch-mode") == "navigate"
        and headers.get(b"sec-fetch-dest", "document") == "document"
    )
    return not opens_a_page


SECURITY_HEADERS = (
    ("Content-Security-Policy", BASE_CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


class SecurityHeaders:
    """ASGI middleware: security headers on every response (a handler's own CSP is kept),
    when `allowed_hosts` is given, refusal of requests for other host names (DNS rebinding),
    refusal of requests made by pages of other sites (:func:`_from_another_site`), and 414
    for a request target (path and query) longer than `max_target` bytes."""

    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: Collection[str] | None = None,
        max_target: int | None = None,
    ) -> None:
        self.app = app
        self.allowed_hosts = {h.lower().strip("[]") for h in allowed_hosts or ()} or None
        self.max_target = max_target

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        if self.allowed_hosts is not None:
            host = ""
            for key, value in scope.get("headers", []):
                if key == b"host":
                    host = value.decode("latin-1")
            if _host_name(host) not in self.allowed_hosts:
                response = _text(400, "this server answers only requests for its own host name")
                await response(scope, receive, send_with_headers)
                return
        if _from_another_site(scope):
            response = _text(
                403,
                "requests from pages of other sites are not allowed; open this server's pages "
                "directly (a link to one is fine)",
            )
            await response(scope, receive, send_with_headers)
            return
        if self.max_target is not None:
            target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            if target > self.max_target:
                response = _text(
                    414,
                    f"the address is longer than {self.max_target:,} bytes; "
                    "POST a long query (application/sparql-query) instead",
                )
                await response(scope, receive, send_with_headers)
                return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette's error page is sent outside this middleware: send ours, with the headers
            if not started:
                response = _text(500, "internal server error (the server log has the details)")
                await response(scope, receive, send_with_headers)
            raise


def create_app(
    store_dir: Path,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    max_body: int = 1_000_000,
    allow_updates: bool = False,
    allowed_hosts: Collection[str] | None = None,
) -> Starlette:
    """The web application over the store at `store_dir` (opened read-only unless
    `allow_updates`). `allowed_hosts`: host names the Host header may name (None: any).
    Raises kg.store.StoreError when the store cannot be opened."""
    if timeout_s <= 0 or max_rows < 0 or max_body < 0:
        raise ValueError("timeout_s must be positive, max_rows and max_body not negative")
    store = open_store(store_dir, read_only=not allow_updates)
    service = Service(
        store,
        timeout_s=timeout_s,
        max_rows=max_rows,
        max_body=max_body,
        allow_updates=allow_updates,
    )

    async def problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, Problem)
        return _text(error.status, error.message)

    routes = [
        Route("/", service.landing, methods=["GET"]),
        Route("/query", service.query_page, methods=["GET"]),
        Route("/sparql", service.sparql, methods=["GET", "POST"]),
        Route("/api/queries", service.list_queries, methods=["GET"]),
        Route("/api/queries/{name}", service.named_query, methods=["GET"]),
        Route("/graph", service.graph, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={Problem: problem})
    # a query in the address may be as long as one in a body (small limits still leave room)
    app.add_middleware(
        SecurityHeaders, allowed_hosts=allowed_hosts, max_target=max(max_body, MIN_MAX_TARGET)
    )
    app.state.store = store
    app.state.service = service
    return app


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable only from this machine (localhost, 127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def serve(
    store_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    max_body: int = 1_000_000,
    allow_updates: bool = False,
) -> None:
    """Serve the store with uvicorn until interrupted (Ctrl-C). Raises kg.store.StoreError
    when the store cannot be opened."""
    import uvicorn

    loopback = is_loopback(host)
    app = create_app(
        store_dir,
        timeout_s=timeout_s,
        max_rows=max_rows,
        max_body=max_body,
        allow_updates=allow_updates,
        allowed_hosts=(*LOOPBACK_NAMES, host) if loopback else None,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    mode = "updates allowed" if allow_updates else "read-only"
    print(f"serving the store {store_dir} ({mode}) at {url}", flush=True)
    print(f"SPARQL endpoint: {url}sparql · query page: {url}query", flush=True)
    if not loopback:
        print(
            f"warning: {host} is not a loopback address: the store is reachable from the "
            "network, by anyone who can reach this machine"
            + (", and they can change it (updates are allowed)" if allow_updates else ""),
            file=sys.stderr,
            flush=True,
        )
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
