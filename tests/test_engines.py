"""Extraction engines: a Dask cluster gives the same graph as local worker processes."""

from __future__ import annotations

from pathlib import Path

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
