"""The store: an embedded Oxigraph database on disk (or in memory for tests).

One named graph per article, replaced as a whole in one transaction when the article is ingested
again; the ontology and reference knowledge in a graph of their own, reloaded when the files
change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.model import graph_iri
from kg.namespaces import BASE, DK, REFERENCE_GRAPH
from kg.paths import ONTOLOGY_DIR
from kg.reference import reference_files
from kg.remote import RemoteStore, RemoteStoreError, is_remote

RUNS_GRAPH = BASE + "graph/runs"
"""Where ingestion runs (prov:Activity) are recorded."""
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says why in plain words."""


AnyStore = ox.Store | RemoteStore
"""The embedded store or a SPARQL 1.1 server standing in for it."""


def open_store(path: Path | str | None, *, read_only: bool = False) -> Any:
    """An on-disk store at `path`, a SPARQL server when `path` is its http(s) address, or an
    in-memory store when `path` is None."""
    if path is None:
        return ox.Store()
    if is_remote(path):
        try:
            remote = RemoteStore(str(path))
            remote.query("ASK { }")  # reachable and speaking SPARQL, or a clear error now
        except RemoteStoreError as error:
            raise StoreError(str(error)) from None
        return remote
    directory = Path(path)
    if read_only and not directory.exists():
        raise StoreError(f"no store at {directory}; run 'kg ingest' first or give --store DIR")
    if directory.exists() and not directory.is_dir():
        raise StoreError(f"{directory} is a file, not a store directory")
    try:
        if read_only:
            return ox.Store.read_only(str(directory))
        return ox.Store(str(directory))
    except OSError as err:
        text = str(err)
        if "lock" in text.lower():
            raise StoreError(
                f"the store {directory} is in use by another process (only one writer at a time)"
            ) from err
        raise StoreError(f"cannot open the store {directory}: {text}") from err


def ontology_files() -> list[Path]:
    files = [ONTOLOGY_DIR / "dipkg.ttl"] if (ONTOLOGY_DIR / "dipkg.ttl").exists() else []
    return files + reference_files()


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def ensure_reference(store: AnyStore) -> bool:
    """Load the ontology and reference data into their graph unless already current.
    Returns True when it (re)loaded them."""
    files = ontology_files()
    fingerprint = _fingerprint(files)
    graph = ox.NamedNode(REFERENCE_GRAPH)
    marker = ox.NamedNode(str(DK.fingerprint))
    current = list(store.quads_for_pattern(graph, marker, None, graph))
    if (
        current
        and isinstance(current[0].object, ox.Literal)
        and current[0].object.value == fingerprint
    ):
        return False
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    store.add(ox.Quad(graph, marker, ox.Literal(fingerprint), graph))
    return True


def replace_graph(store: AnyStore, article_id: str, quads: Iterable[ox.Quad]) -> None:
    """Put an article's graph in place of any earlier version, in one transaction."""
    replace_named_graph(store, graph_iri(article_id), quads)


def replace_named_graph(store: AnyStore, graph: str, quads: Iterable[ox.Quad]) -> None:
    """Replace a named graph by these quads' triples in one transaction (one SPARQL update, or
    one Graph Store Protocol PUT on a server): a killed process leaves the old or the new graph,
    never a mix or nothing."""
    if isinstance(store, RemoteStore):
        store.put_graph(graph, quads)
        return
    body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"
    store.update(update)


def start_run(store: AnyStore) -> str:
    """Record an ingestion run as a prov:Activity (in the runs graph) and return its IRI; each
    article graph it writes says `prov:wasGeneratedBy` it."""
    from uuid import uuid4

    from kg import __version__
    from kg.namespaces import PROV

    now = _now()
    run = f"{BASE}run/{now[:10]}-{uuid4().hex[:12]}"
    _record_run(
        store,
        run,
        [
            (RDF_TYPE, ox.NamedNode(str(PROV.Activity))),
            (str(PROV.startedAtTime), _typed_literal(now, "dateTime")),
            (str(DK.extractorVersion), ox.Literal(f"dipkg {__version__}")),
        ],
    )
    return run


def finish_run(store: AnyStore, run: str, articles: int) -> None:
    from kg.namespaces import PROV

    _record_run(
        store,
        run,
        [
            (str(PROV.endedAtTime), _typed_literal(_now(), "dateTime")),
            (str(DK.articleCount), _typed_literal(str(articles), "integer")),
        ],
    )


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def _typed_literal(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{datatype}"))


def _record_run(
    store: AnyStore, run: str, facts: list[tuple[str, ox.NamedNode | ox.Literal]]
) -> None:
    graph, node = ox.NamedNode(RUNS_GRAPH), ox.NamedNode(run)
    store.extend([ox.Quad(node, ox.NamedNode(p), o, graph) for p, o in facts])


def article_count(store: AnyStore) -> int:
    result = store.query(
        "SELECT (COUNT(?a) AS ?n) WHERE { GRAPH ?g { ?a a <https://schema.org/NewsArticle> } }"
    )
    for row in result:  # type: ignore[union-attr]
        return int(row[0].value)
    return 0


def memory_store() -> ox.Store:
    """An in-memory store with the ontology and reference data loaded (tests, `kg extract`)."""
    store = ox.Store()
    ensure_reference(store)
    return store
