"""Where extraction runs: worker processes on this machine, or a Dask cluster.

Both engines take the articles in reading order and give back their extractions in the same
order, in partitions (lists), so what follows — resolving occasions across articles and writing
the graphs — sees one sequence whatever ran the extraction, and the graph does not depend on it.
An article whose extraction fails becomes a `ReadProblem` with the reason; it never stops a run.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from kg.extract import UnsupportedLanguage, extract
from kg.read import ReadProblem
from kg.records import Article, Extraction

Result = Extraction | ReadProblem
CHUNK = 16
"""Articles sent to a local worker process at a time."""
PARTITION = 500
"""Articles per Dask task (and per N-Quads file loaded into the store)."""
ENGINES = ("local", "dask")


class EngineError(RuntimeError):
    """The engine cannot run (e.g. no Dask scheduler at the address); the message says why."""


def extract_one(article: Article) -> Result:
    try:
        return extract(article)
    except UnsupportedLanguage as error:
        return ReadProblem(article.origin or article.id, str(error))
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"[:300]
        return ReadProblem(article.origin or article.id, f"extraction failed ({reason})")


def extract_partition(articles: list[Article]) -> list[Result]:
    """One Dask task: a partition's articles extracted in order (run on a worker)."""
    return [extract_one(article) for article in articles]


def local_extractions(articles: Iterable[Article], jobs: int) -> Iterator[list[Result]]:
    """Extractions in `jobs` forked worker processes (lexicons loaded once, before forking),
    sent in chunks from this thread with a few chunks per worker in flight: reading stays just
    ahead of extraction, so memory is flat on any input, and an error here ends the pool at
    once (no feeder thread left waiting)."""
    if jobs <= 1:
        for article in articles:
            yield [extract_one(article)]
        return
    from kg.analyse import SUPPORTED_LANGS
    from kg.lexicon import load_lexicon

    for lang in SUPPORTED_LANGS:
        load_lexicon(lang)  # loaded once here, shared by the forked workers
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(jobs) as pool:
        pending: deque[Any] = deque()
        iterator = iter(articles)
        while chunk := list(islice(iterator, CHUNK)):
            pending.append(pool.apply_async(extract_partition, (chunk,)))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def dask_extractions(
    articles: Iterable[Article],
    scheduler: str | None,
    *,
    workers: int,
    partition_size: int = PARTITION,
) -> Iterator[list[Result]]:
    """Extractions on a Dask cluster, one task per partition, yielded in reading order.

    With no scheduler address a local cluster of `workers` processes is started for the run.
    At most two partitions per worker are in flight, so memory stays flat on any corpus."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise EngineError(
            "the dask engine needs dask.distributed: pip install 'dipkg[dask]'"
        ) from None
    cluster: Any = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
    except OSError as error:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    try:
        capacity = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque[Any] = deque()
        iterator = iter(articles)
        while partition := list(islice(iterator, partition_size)):
            pending.append(client.submit(extract_partition, partition, pure=False))
            if len(pending) >= capacity:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
