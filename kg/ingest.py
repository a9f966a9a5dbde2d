"""Ingestion at corpus size: read in this process, extract in worker processes, resolve occasions
and write each article's graph here (one transaction per article, so a killed run leaves only
whole articles behind).

Resumable: each article graph records a fingerprint of what produced it (the article's content
and the extractor's version); a later run skips articles whose graph has the same fingerprint,
so an interrupted run continues where it stopped and re-running a finished one does nothing.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from kg import __version__
from kg.extract import UnsupportedLanguage, extract
from kg.model import event_iri, extraction_quads, graph_iri
from kg.namespaces import DK
from kg.occasions import index_from_store, mention_of
from kg.read import ReadProblem, read_paths
from kg.records import Article, Extraction
from kg.store import ensure_reference, finish_run, replace_graph, start_run

CHUNK = 16
"""Articles sent to a worker at a time."""


@dataclass
class IngestSummary:
    articles: int = 0
    already: int = 0
    """Articles skipped because the store holds them as this version would write them."""
    events: Counter[str] = field(default_factory=Counter)
    merged: int = 0
    problems: list[ReadProblem] = field(default_factory=list)

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


def stored_fingerprints(store: ox.Store) -> dict[str, str]:
    """Article graph IRI → fingerprint of the graphs already in the store."""
    found: dict[str, str] = {}
    marker = ox.NamedNode(str(DK.fingerprint))
    for quad in store.quads_for_pattern(None, marker, None, None):
        if quad.subject == quad.graph_name and isinstance(quad.object, ox.Literal):
            found[str(quad.graph_name.value)] = quad.object.value  # type: ignore[union-attr]
    return found


def _extract(article: Article) -> Extraction | ReadProblem:
    try:
        return extract(article)
    except UnsupportedLanguage as error:
        return ReadProblem(article.origin or article.id, str(error))


def _extractions(articles: Iterable[Article], jobs: int) -> Iterator[Extraction | ReadProblem]:
    if jobs <= 1:
        yield from map(_extract, articles)
        return
    from kg.analyse import SUPPORTED_LANGS
    from kg.lexicon import load_lexicon

    for lang in SUPPORTED_LANGS:
        load_lexicon(lang)  # loaded once here, shared by the forked workers
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(jobs) as pool:
        yield from pool.imap(_extract, articles, chunksize=CHUNK)


def ingest(
    paths: list[str],
    store: ox.Store,
    *,
    published: date | None = None,
    jobs: int | None = None,
    on_article: Callable[[IngestSummary], None] | None = None,
    on_problem: Callable[[ReadProblem], None] | None = None,
) -> IngestSummary:
    """Read, extract, resolve occasions across articles and store every article of the paths."""
    ensure_reference(store)
    summary = IngestSummary()
    done = stored_fingerprints(store)
    occasions = index_from_store(store)
    run = start_run(store)
    prints: dict[str, str] = {}

    def todo() -> Iterator[Article]:
        for item in read_paths(paths, published=published):
            if isinstance(item, ReadProblem):
                summary.problems.append(item)
                if on_problem:
                    on_problem(item)
                continue
            mark = fingerprint(item)
            if done.get(graph_iri(item.id)) == mark:
                summary.already += 1
                if on_article:
                    on_article(summary)
                continue
            prints[item.id] = mark
            yield item

    marker = ox.NamedNode(str(DK.fingerprint))
    for result in _extractions(todo(), jobs or os.cpu_count() or 1):
        if isinstance(result, ReadProblem):
            summary.problems.append(result)
            if on_problem:
                on_problem(result)
            continue
        article = result.article
        iris = []
        for event in result.events:
            own = event_iri(article.id, event)
            iris.append(occasions.resolve(mention_of(event, own, article.published)))
            summary.merged += iris[-1] != own
            summary.events[event.type] += 1
        quads = extraction_quads(result, iris, run)
        graph = ox.NamedNode(graph_iri(article.id))
        quads.append(ox.Quad(graph, marker, ox.Literal(prints.pop(article.id, "")), graph))
        replace_graph(store, article.id, quads)
        summary.articles += 1
        if on_article:
            on_article(summary)
    finish_run(store, run, summary.articles)
    store.flush()
    return summary
