"""Extraction engines: a Dask cluster gives the same graph as local worker processes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from support import article_quads
from test_ingest import _corpus
from typer.testing import CliRunner

from kg.cli import app
from kg.engines import extract_one
from kg.records import Article
from kg.store import open_store

distributed = pytest.importorskip("dask.distributed")


def test_a_dask_cluster_gives_the_local_graph(tmp_path: Path):
    corpus = _corpus(tmp_path / "c.jsonl", 90)
    local, remote = tmp_path / "local", tmp_path / "dask"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(local), "-j", "1"])
    assert result.exit_code == 0, result.output
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        command = ["ingest", str(corpus), "--store", str(remote), "--engine", "dask"]
        options = ["--scheduler", cluster.scheduler_address, "--partition-size", "16"]
        result = CliRunner().invoke(app, command + options)
        assert result.exit_code == 0, result.output
        assert "ingested 90 articles" in result.output
        with distributed.Client(cluster) as client:  # six partitions: both workers took some
            executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
        assert len(executed) == 2 and all(count > 0 for count in executed.values())
        again = CliRunner().invoke(app, command + options)
        assert "90 already stored" in again.output
    expected = article_quads(open_store(local, read_only=True))
    assert len(expected) > 90 * 10
    assert article_quads(open_store(remote, read_only=True)) == expected


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path):
    corpus = _corpus(tmp_path / "c.jsonl", 3)
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(corpus),
            "--store",
            str(tmp_path / "s"),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output


def test_a_failing_article_becomes_a_problem_not_a_crash(monkeypatch: pytest.MonkeyPatch):
    import kg.engines

    def broken(article: Article) -> None:
        raise ValueError("a fault written for this test")

    monkeypatch.setattr(kg.engines, "extract", broken)
    problem = extract_one(Article(id="x", text="نص", lang="ar", origin="here.txt"))
    assert problem.origin == "here.txt"  # type: ignore[union-attr]
    assert "extraction failed (ValueError: a fault written for this test)" in problem.message  # type: ignore[union-attr]


def test_a_killed_dask_run_is_completed_by_the_next_without_duplicates(tmp_path: Path):
    """Bulk loading is not transactional: a partition's fingerprints are written after its load,
    so after a SIGKILL every article graph that has its fingerprint is complete, and the next run
    redoes the others. The whole process group is killed (the local cluster's workers too)."""
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    from kg.namespaces import DK

    seed = random.randrange(10**6)
    corpus = _corpus(tmp_path / "c.jsonl", 3000)
    dask = ["--engine", "dask", "-j", "2", "--partition-size", "50"]

    def command(store: Path) -> list[str]:
        return [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), *dask]

    clean = tmp_path / "clean"  # an uninterrupted run: the graph to reach, and the time it takes
    started = time.monotonic()
    subprocess.run(command(clean), capture_output=True, check=True, timeout=300)
    duration = time.monotonic() - started
    store = tmp_path / "store"
    process = subprocess.Popen(
        command(store),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(random.Random(seed).uniform(0.5, 0.85) * duration)  # mid-corpus, past start-up
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    expected = article_quads(open_store(clean, read_only=True))
    if store.exists():
        partial = open_store(store, read_only=True)
        marker = str(DK.fingerprint)
        marked = {
            str(q.graph_name.value)
            for q in partial.quads_for_pattern(None, ox.NamedNode(marker), None)
            if "/graph/article/" in str(q.graph_name.value)
        }
        by_graph: dict[str, set[str]] = {}
        for line in expected:
            by_graph.setdefault(line.rsplit("<", 1)[1], set()).add(line)
        mine: dict[str, set[str]] = {}
        for line in article_quads(partial):
            mine.setdefault(line.rsplit("<", 1)[1], set()).add(line)
        for graph in marked:
            key = f"{graph}>"
            assert mine[key] == by_graph[key], f"seed {seed}: {graph} is marked complete, is not"
        assert len(marked) < 3000, f"seed {seed}: the run ended before it was killed"
        print(f"killed with {len(marked)} articles marked complete")
        del partial
    finished = CliRunner().invoke(app, command(store)[3:])
    assert finished.exit_code == 0, finished.output
    assert article_quads(open_store(store, read_only=True)) == expected, f"seed {seed}"
