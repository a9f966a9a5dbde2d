"""The benchmark: how fast dipkg reads, extracts, stores and queries a corpus, and how the
alternatives the design rejected compare (rdflib's in-memory store against Oxigraph).

    .venv/bin/python bench/run.py ../shared/corpus/saudinewsnet [--jobs 2] [--limit N]

Prints, for the corpus given: articles per second for extraction alone (one process) and end to
end (`kg ingest` with --jobs workers), triples per second into the store, peak memory, store size
on disk, and the median and p95 latency of every named query on the resulting store — then the
same load and queries with rdflib's in-memory Dataset. Nothing is written outside a temporary
directory.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import UnsupportedLanguage, extract  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.queries import bind, named_queries, run_select  # noqa: E402
from kg.read import read_paths  # noqa: E402
from kg.records import Article  # noqa: E402
from kg.store import open_store  # noqa: E402

REPEAT = 7


def peak_mib() -> float:
    """Peak resident memory of this process and of its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def dir_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def articles(paths: list[str], limit: int | None) -> list[Article]:
    items = (a for a in read_paths(paths) if isinstance(a, Article))
    return list(islice(items, limit)) if limit else list(items)


def extraction_rate(sample: list[Article]) -> tuple[float, int]:
    extract(sample[0])  # lexicons loaded before the clock starts
    started = time.perf_counter()
    done = 0
    for article in sample:
        try:
            extract(article)
            done += 1
        except UnsupportedLanguage:
            pass
    return done / (time.perf_counter() - started), done


def parameters(store: Any) -> dict[str, str]:
    """Realistic parameter values for the named queries, taken from the store itself."""
    text = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
    SELECT ?agent ?country ?event (COUNT(*) AS ?n) WHERE { GRAPH ?g {
      ?event dk:participation ?p . ?p dk:agent ?agent ; dk:representing ?country } }
    GROUP BY ?agent ?country ?event ORDER BY DESC(?n) LIMIT 1"""
    table = run_select(store, text)
    agent, country, event, _ = table.rows[0]  # type: ignore[union-attr]
    second = run_select(
        store,
        """PREFIX dk: <https://w3id.org/dipkg/ontology#>
        SELECT ?c1 ?c2 (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g {
          ?e dk:participation ?a , ?b . ?a dk:representing ?c1 . ?b dk:representing ?c2
          FILTER(STR(?c1) < STR(?c2)) } } GROUP BY ?c1 ?c2 ORDER BY DESC(?n) LIMIT 1""",
    )
    c1, c2, _ = second.rows[0]  # type: ignore[union-attr]
    pair = run_select(
        store,
        """PREFIX dk: <https://w3id.org/dipkg/ontology#>
        SELECT ?a1 ?a2 (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g {
          ?e a dk:Meeting ; dk:participation ?a , ?b . ?a dk:agent ?a1 . ?b dk:agent ?a2
          FILTER(STR(?a1) < STR(?a2)) } } GROUP BY ?a1 ?a2 ORDER BY DESC(?n) LIMIT 1""",
    )
    actor1, actor2, _ = pair.rows[0]  # type: ignore[union-attr]
    return {
        "actor": str(agent),
        "actor1": str(actor1),
        "actor2": str(actor2),
        "country": str(country),
        "country1": str(c1),
        "country2": str(c2),
        "event": str(event),
    }


def query_latencies(run: Any, values: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Median and p95 milliseconds of each named query (parameters bound from `values`)."""
    result = {}
    for name, query in sorted(named_queries().items()):
        given = {p.name: values[p.name] for p in query.parameters if p.name in values}
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            run(query, given)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        result[name] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    return result


def rdflib_comparison(nquads: Path, values: dict[str, str], timeout_s: float) -> dict[str, Any]:
    """Load the same quads into rdflib's in-memory Dataset and run the named queries there."""
    from rdflib import Dataset, Literal, URIRef

    dataset = Dataset()
    started = time.perf_counter()
    dataset.parse(nquads, format="nquads")
    load_s = time.perf_counter() - started
    latencies: dict[str, Any] = {}
    for name, query in sorted(named_queries().items()):
        given = {p.name: values[p.name] for p in query.parameters if p.name in values}
        bindings = {k: URIRef(v) if v.startswith("http") else Literal(v) for k, v in given.items()}
        outcome: dict[str, Any] = {}

        def work(
            text: str = query.text, b: dict[str, Any] = bindings, o: dict[str, Any] = outcome
        ) -> None:
            began = time.perf_counter()
            try:
                list(dataset.query(text, initBindings=b))
                o["ms"] = (time.perf_counter() - began) * 1000
            except Exception as error:  # rdflib's evaluator fails on some valid queries
                o["ms"] = f"fails: {type(error).__name__}"

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        thread.join(timeout_s)
        latencies[name] = outcome.get("ms", f"> {timeout_s:.0f} s (stopped waiting)")
    return {"load_s": load_s, "triples": len(dataset), "queries": latencies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+", help="files, folders or zips of articles")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--extract-sample", type=int, default=5000)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args()

    python = platform.python_version()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    work = Path(tempfile.mkdtemp(prefix="dipkg-bench-"))
    try:
        sample = articles(args.corpus, min(args.limit or args.extract_sample, args.extract_sample))
        rate, done = extraction_rate(sample)
        print(f"extraction alone: {rate:.0f} articles/s on one core ({done} articles)")

        store_dir = work / "store"
        store = open_store(store_dir)
        started = time.perf_counter()
        summary = (
            ingest(args.corpus, store, jobs=args.jobs)
            if not args.limit
            else ingest([str(_limited(args.corpus, args.limit, work))], store, jobs=args.jobs)
        )
        elapsed = time.perf_counter() - started
        quads = len(store)
        print(
            f"end to end ({args.jobs} jobs): {summary.articles} articles in {elapsed:.1f} s = "
            f"{summary.articles / elapsed:.0f} articles/s; {summary.event_count} events, "
            f"{summary.merged} merged across articles, {len(summary.problems)} skipped"
        )
        print(
            f"store: {quads} quads ({quads / elapsed:.0f} quads/s end to end), "
            f"{dir_mib(store_dir):.0f} MiB on disk"
        )
        print(f"peak memory: {peak_mib():.0f} MiB")

        values = parameters(store)
        latencies = query_latencies(
            lambda q, given: run_select(store, q.text, bind(q, given)), values
        )
        print("named queries on Oxigraph (median / p95 ms):")
        for name, (median, p95) in latencies.items():
            print(f"  {name:24s} {median:8.1f} {p95:8.1f}")

        if not args.skip_rdflib:
            nquads = work / "store.nq"
            import pyoxigraph as ox

            with nquads.open("wb") as handle:
                ox.serialize(store, handle, ox.RdfFormat.N_QUADS)
            started = time.perf_counter()
            copy = ox.Store()
            copy.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
            ox_load = time.perf_counter() - started
            print(
                f"loading {quads} quads: Oxigraph bulk load {ox_load:.1f} s "
                f"({quads / ox_load:.0f} quads/s)"
            )
            compared = rdflib_comparison(nquads, values, args.rdflib_timeout)
            print(
                f"                      rdflib Dataset {compared['load_s']:.1f} s "
                f"({compared['triples'] / compared['load_s']:.0f} quads/s)"
            )
            print("named queries on rdflib (ms, one run):")
            for name, ms in compared["queries"].items():
                text = f"{ms:8.1f}" if isinstance(ms, float) else ms
                print(f"  {name:24s} {text}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _limited(corpus: list[str], limit: int, work: Path) -> Path:
    """The first `limit` articles of the corpus as one JSON Lines file (in the temporary dir)."""
    import json

    path = work / "subset.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for article in articles(corpus, limit):
            record = {
                "id": article.id,
                "text": article.text,
                "title": article.title,
                "published": article.published.isoformat() if article.published else None,
                "lang": article.lang,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    main()
