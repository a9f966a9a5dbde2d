"""A SPARQL 1.1 server as the store (a store plugin beside the embedded Oxigraph store).

`RemoteStore` answers the part of `pyoxigraph.Store`'s interface the project uses — `query`,
`update`, `quads_for_pattern`, `extend`, `remove_graph`, … — over HTTP: queries go to the
server's query endpoint (SPARQL 1.1 Protocol), updates to its update endpoint, and whole article
graphs are written with the Graph Store Protocol (`put_graph`: a PUT replaces the graph, so
writing an article twice leaves one copy). Results are parsed by pyoxigraph, so callers get the
same `QuerySolutions` as from the embedded store.

The endpoints default to Oxigraph's server layout (`/query`, `/update`, `/store` under the address
given); `KG_SPARQL_PATHS=query,update,data` adapts it to other servers (Fuseki's `/ds/…`).
"""

from __future__ import annotations

import http.client
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox

REMOTE_SCHEMES = ("http://", "https://")
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
INSERT_CHUNK = 5000
"""Quads per INSERT DATA request when extending."""


class RemoteStoreError(RuntimeError):
    """The server cannot be reached or refused a request; the message says which and why."""


def is_remote(location: object) -> bool:
    return isinstance(location, str) and location.startswith(REMOTE_SCHEMES)


class RemoteStore:
    """The store at a SPARQL 1.1 server's address (e.g. `http://127.0.0.1:7878`)."""

    def __init__(self, address: str, *, timeout_s: float = 120.0) -> None:
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteStoreError(f"not the address of a SPARQL server: {address!r}")
        self.address = address.rstrip("/")
        self._secure = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._base = parts.path.rstrip("/")
        names = os.environ.get("KG_SPARQL_PATHS", "query,update,store").split(",")
        if len(names) != 3:
            raise RemoteStoreError("KG_SPARQL_PATHS must name three paths: query,update,store")
        self._query_path, self._update_path, self._store_path = (
            f"{self._base}/{name.strip().strip('/')}" for name in names
        )
        self._timeout = timeout_s
        self._connection: http.client.HTTPConnection | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.address!r})"

    # -- HTTP ------------------------------------------------------------------------------

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._secure else http.client.HTTPConnection
            self._connection = kind(self._host, self._port, timeout=self._timeout)
        return self._connection

    def _request(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[str, bytes]:
        """Send one request (reconnecting once if the kept-alive connection was closed); return
        the response's content type and body, or raise RemoteStoreError in words."""
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise RemoteStoreError(
                        f"the SPARQL server at {self.address} closed the connection"
                    ) from None
            except OSError as error:
                self.close()
                reason = error.strerror or str(error) or type(error).__name__
                raise RemoteStoreError(
                    f"cannot reach the SPARQL server at {self.address}: {reason}"
                ) from None
        if response.status >= 400:
            message = data.decode("utf-8", "replace").strip()[:500]
            raise RemoteStoreError(
                f"the SPARQL server at {self.address} answered {response.status} "
                f"{response.reason} to {method} {target.split('?')[0]}: {message}"
            )
        return response.getheader("Content-Type", "").split(";")[0].strip(), data

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- queries ---------------------------------------------------------------------------

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        substitutions: dict[ox.Variable, Any] | None = None,
        default_graph: Any = None,
        named_graphs: Any = None,
        **_: Any,
    ) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """Run a query on the server. Substitutions are written into the text as terms (the
        protocol has no bindings); union of the graphs is Oxigraph's `union-default-graph`."""
        text = substitute(query, substitutions) if substitutions else query
        params: list[tuple[str, str]] = []
        if use_default_graph_as_union:
            params.append(("union-default-graph", ""))
        for graph in _as_list(default_graph):
            params.append(("default-graph-uri", str(graph.value)))
        for graph in _as_list(named_graphs):
            params.append(("named-graph-uri", str(graph.value)))
        target = self._query_path + (f"?{urlencode(params)}" if params else "")
        kind, data = self._request(
            "POST",
            target,
            text.encode("utf-8"),
            {
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": f"{RESULTS_JSON}, {N_TRIPLES};q=0.9",
            },
        )
        if kind == N_TRIPLES:
            return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def update(self, update: str, **_: Any) -> None:
        self._request(
            "POST",
            self._update_path,
            update.encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def quads_for_pattern(
        self, subject: Any, predicate: Any, object: Any, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None matches anything), as one SELECT."""
        s, p, o = (
            term_text(t, name) for t, name in ((subject, "?s"), (predicate, "?p"), (object, "?o"))
        )
        pattern = f"{s} {p} {o}"
        if isinstance(graph_name, ox.DefaultGraph):
            where = f"{{ {pattern} }}"
        elif graph_name is not None:
            where = f"GRAPH {graph_name} {{ {pattern} }}"
        else:
            where = f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"
        solutions = self.query(f"SELECT * WHERE {{ {where} }}")
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            graph = graph_name if graph_name is not None else row["g"]
            yield ox.Quad(
                subject or row["s"],
                predicate or row["p"],
                object or row["o"],
                graph if graph is not None else ox.DefaultGraph(),
            )

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        solutions = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            yield row["g"]

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def __len__(self) -> int:
        solutions = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        assert isinstance(solutions, ox.QuerySolutions)
        return int(next(iter(solutions))["n"].value)

    # -- writes ----------------------------------------------------------------------------

    def put_graph(self, graph: str, triples: Iterable[ox.Quad | ox.Triple]) -> None:
        """Replace a named graph with these triples (Graph Store Protocol PUT: idempotent and
        atomic on the server)."""
        body = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
        self._request(
            "PUT",
            f"{self._store_path}?graph={quote(graph, safe='')}",
            body.encode("utf-8"),
            {"Content-Type": f"{N_TRIPLES}; charset=utf-8"},
        )

    def load(
        self,
        input: Any = None,
        format: Any = None,
        *,
        path: str | None = None,
        to_graph: Any = None,
        **_: Any,
    ) -> None:
        """Add a file's triples to a graph (Graph Store Protocol POST; the server parses)."""
        data = open(path, "rb").read() if path is not None else input  # noqa: SIM115
        if isinstance(data, str):
            data = data.encode("utf-8")
        target = self._store_path + (
            f"?graph={quote(str(to_graph.value), safe='')}" if to_graph is not None else "?default"
        )
        kind = format.media_type if format is not None else "text/turtle"
        self._request("POST", target, data, {"Content-Type": kind})

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        batch: list[ox.Quad] = []
        for quad in quads:
            batch.append(quad)
            if len(batch) >= INSERT_CHUNK:
                self._insert(batch)
                batch = []
        if batch:
            self._insert(batch)

    def add(self, quad: ox.Quad) -> None:
        self._insert([quad])

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def flush(self) -> None:
        """Nothing to do: the server commits each request."""

    def _insert(self, quads: list[ox.Quad]) -> None:
        lines = []
        for q in quads:
            triple = f"{q.subject} {q.predicate} {q.object} ."
            lines.append(
                triple
                if isinstance(q.graph_name, ox.DefaultGraph)
                else f"GRAPH {q.graph_name} {{ {triple} }}"
            )
        self.update("INSERT DATA {\n" + "\n".join(lines) + "\n}")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def term_text(term: Any, variable: str) -> str:
    """A pattern position: the term in N-Triples syntax, or the variable when it is None."""
    return variable if term is None else str(term)


# -- bindings written into query text ------------------------------------------------------

_TOKENS = re.compile(
    r"""(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
          |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<comment>\#[^\n]*)
      |(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
      |(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
      |(?P<other>.)""",
    re.X | re.S,
)
_MODIFIERS = {"GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "VALUES"}


@dataclass
class _Select:
    """One SELECT (the query or a subquery) while its tokens are read."""

    depth: int
    """Brace depth at the SELECT keyword; its WHERE body is one level deeper."""
    state: str = "projection"  # then "body", then "modifiers"
    parens: int = 0
    keyword: str = ""
    projected: list[int] = field(default_factory=list)
    """Token positions of bound variables in the SELECT list."""
    grouped: list[int] = field(default_factory=list)
    """Token positions of bound variables in GROUP BY and ORDER BY."""
    produced: set[str] = field(default_factory=set)
    """Bound variables that subqueries of its body project (so they are in scope here)."""


def substitute(query: str, bindings: dict[ox.Variable, Any]) -> str:
    """The query with each bound variable replaced by its term, as SEP-0007 substitution binds
    it: in patterns and expressions the term; in a SELECT list `(term AS ?x)`, so the column
    stays — unless a subquery of that SELECT already projects ?x, which then stays a variable;
    in GROUP BY and ORDER BY likewise `(term)` or the variable. Strings, IRIs and comments are
    left untouched."""
    values = {variable.value: str(term) for variable, term in bindings.items()}
    tokens = [(m.lastgroup or "other", m.group()) for m in _TOKENS.finditer(query)]
    out = [text for _, text in tokens]
    selects: list[_Select] = []
    depth = 0

    def finish(select: _Select) -> None:
        for index in select.projected:
            name = tokens[index][1][1:]
            if name not in select.produced:
                out[index] = f"({values[name]} AS {tokens[index][1]})"
        for index in select.grouped:
            name = tokens[index][1][1:]
            if name not in select.produced:
                out[index] = f"({values[name]})"
        if selects:
            names = {tokens[i][1][1:] for i in select.projected} | select.produced
            selects[-1].produced |= names

    after_as = False  # the previous significant token was the keyword AS
    for index, (kind, text) in enumerate(tokens):
        current = selects[-1] if selects else None
        if kind == "comment" or text.isspace():
            continue
        was_after_as, after_as = after_as, kind == "word" and text.upper() == "AS"
        if kind == "word":
            upper = text.upper()
            if upper == "SELECT":
                selects.append(_Select(depth))
                continue
            if current is not None and current.state == "modifiers" and upper in _MODIFIERS:
                current.keyword = upper
            continue
        if kind == "other":
            for char in text:
                if char == "{":
                    if current is not None and current.state == "projection":
                        current.state = "body"
                    depth += 1
                elif char == "}":
                    depth -= 1
                    while selects and depth < selects[-1].depth:
                        finish(selects.pop())  # the group holding the subquery closed
                    if selects and selects[-1].state == "body" and depth == selects[-1].depth:
                        selects[-1].state = "modifiers"
                elif current is not None and current.state != "body":
                    current.parens += (char == "(") - (char == ")")
            continue
        if kind != "var" or text[1:] not in values:
            continue
        if current is None or current.state == "body":
            out[index] = values[text[1:]]
        elif current.state == "projection":
            if was_after_as:
                current.produced.add(text[1:])  # (expression AS ?x): the query binds it itself
            elif current.parens == 0:
                current.projected.append(index)
            else:
                out[index] = values[text[1:]]
        elif current.keyword in ("GROUP", "ORDER") and current.parens == 0:
            current.grouped.append(index)
        else:
            out[index] = values[text[1:]]
    while selects:
        finish(selects.pop())
    return "".join(out)
