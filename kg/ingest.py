"""Ingestion at corpus size: read in this process, extract in worker processes, resolve occasions
and write each article's graph here (one transaction per article, so a killed run leaves only
whole articles behind).

Resumable: each article graph records a fingerprint of what produced it (the article's content
and the extractor's version); a later run skips articles whose graph has the same fingerprint,
so an interrupted run continues where it stopped and re-running a finished one does nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.engines import PARTITION, EngineError, dask_extractions, local_extractions
from kg.model import event_iri, extraction_quads, graph_iri
from kg.namespaces import DK
from kg.occasions import OccasionIndex, index_from_store, mention_of
from kg.read import ReadProblem, read_paths
from kg.records import Article, Extraction
from kg.store import AnyStore, ensure_reference, finish_run, replace_graph, start_run

__all__ = ["EngineError", "IngestSummary", "fingerprint", "ingest"]

KEPT_PROBLEMS = 1000
"""Problems kept in the summary; a million bad lines are counted, not kept."""


@dataclass
class IngestSummary:
    articles: int = 0
    already: int = 0
    """Articles skipped because the store holds them as this version would write them."""
    events: Counter[str] = field(default_factory=Counter)
    merged: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    """The first `KEPT_PROBLEMS` problems; all are counted in `problem_count` and `reasons`."""
    problem_count: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def add_problem(self, problem: ReadProblem) -> None:
        self.problem_count += 1
        self.reasons[problem.reason] += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(problem)

    @property
    def event_count(self) -> int:
        return sum(self.events.values())


def fingerprint(article: Article) -> str:
    """What the article's graph depends on: its content and the extractor's version."""
    digest = hashlib.sha256(f"dipkg {__version__}\0".encode())
    for part in (article.id, article.title or "", article.text, str(article.published or "")):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    for part in (article.url or "", article.source or "", article.lang or ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def stored_fingerprints(store: AnyStore) -> dict[str, str]:
    """Article graph IRI → fingerprint of the graphs already in the store."""
    found: dict[str, str] = {}
    marker = ox.NamedNode(str(DK.fingerprint))
    for quad in store.quads_for_pattern(None, marker, None, None):
        if quad.subject == quad.graph_name and isinstance(quad.object, ox.Literal):
            found[str(quad.graph_name.value)] = quad.object.value  # type: ignore[union-attr]
    return found


def ingest(
    paths: list[str],
    store: AnyStore,
    *,
    published: date | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int = PARTITION,
    on_article: Callable[[IngestSummary], None] | None = None,
    on_problem: Callable[[ReadProblem], None] | None = None,
) -> IngestSummary:
    """Read, extract, resolve occasions across articles and store every article of the paths.

    engine "local" extracts in `jobs` worker processes and writes each article in its own
    transaction; "dask" extracts on the cluster at `scheduler` (a local one when None) and
    bulk-loads each partition from an N-Quads file. A SPARQL server as store is written one
    article graph per Graph Store Protocol PUT either way."""
    ensure_reference(store)
    summary = IngestSummary()
    done = stored_fingerprints(store)
    occasions = index_from_store(store)
    run = start_run(store)
    prints: dict[str, str] = {}

    def problem(item: ReadProblem) -> None:
        summary.add_problem(item)
        if on_problem:
            on_problem(item)

    def todo() -> Iterator[Article]:
        for item in read_paths(paths, published=published):
            if isinstance(item, ReadProblem):
                problem(item)
                continue
            mark = fingerprint(item)
            if done.get(graph_iri(item.id)) == mark:
                summary.already += 1
                if on_article:
                    on_article(summary)
                continue
            prints[item.id] = mark
            yield item

    workers = jobs or os.cpu_count() or 1
    if engine == "dask":
        partitions = dask_extractions(
            todo(), scheduler, workers=workers, partition_size=partition_size
        )
    elif engine == "local":
        partitions = local_extractions(todo(), workers)
    else:
        raise EngineError(f"unknown engine {engine!r}: local or dask")
    with tempfile.TemporaryDirectory(prefix="kg-partitions-") as staging:
        for number, partition in enumerate(partitions):
            graphs = []
            for result in partition:
                if isinstance(result, ReadProblem):
                    problem(result)
                    continue
                graph = _article_graph(result, occasions, run, summary)
                mark = prints.pop(result.article.id, "")
                graphs.append((result.article.id, graph, mark))
            if engine == "dask" and isinstance(store, ox.Store):
                _bulk_load(store, graphs, Path(staging) / f"part-{number:05d}.nq")
            else:
                for article_id, quads, mark in graphs:
                    replace_graph(store, article_id, [*quads, _marker(article_id, mark)])
            summary.articles += len(graphs)
            if on_article and graphs:
                on_article(summary)
    finish_run(store, run, summary.articles)
    store.flush()
    return summary


def _article_graph(
    result: Extraction, occasions: OccasionIndex, run: str, summary: IngestSummary
) -> list[ox.Quad]:
    """The article's quads, its events named after the occasions they join."""
    article = result.article
    iris = []
    for event in result.events:
        own = event_iri(article.id, event)
        iris.append(occasions.resolve(mention_of(event, own, article.published)))
        summary.merged += iris[-1] != own
        summary.events[event.type] += 1
    return extraction_quads(result, iris, run)


def _marker(article_id: str, mark: str) -> ox.Quad:
    """The fingerprint quad: written last (or in the same transaction), it says the article's
    graph is complete."""
    graph = ox.NamedNode(graph_iri(article_id))
    return ox.Quad(graph, ox.NamedNode(str(DK.fingerprint)), ox.Literal(mark), graph)


def _bulk_load(store: ox.Store, graphs: list[tuple[str, list[ox.Quad], str]], path: Path) -> None:
    """Load a partition from an N-Quads file. Bulk loading is not transactional, so earlier
    versions are dropped first and the fingerprints go in afterwards, in one transaction: a run
    killed mid-load leaves graphs without fingerprint, which the next run replaces."""
    for article_id, _, _ in graphs:
        graph = ox.NamedNode(graph_iri(article_id))
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    ox.serialize((q for _, quads, _ in graphs for q in quads), path, ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.extend([_marker(article_id, mark) for article_id, _, mark in graphs])
    path.unlink()
