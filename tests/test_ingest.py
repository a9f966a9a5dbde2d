"""Corpus-size ingestion: worker processes, resumable runs, the same graph with any --jobs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from support import article_quads
from typer.testing import CliRunner

from kg.cli import app
from kg.queries import Table, run_select
from kg.store import open_store

LEADERS = [
    ("الرئيس المصري", "EG"),
    ("العاهل الأردني", "JO"),
    ("أمير قطر", "QA"),
    ("رئيس الوزراء العراقي", "IQ"),
    ("الرئيس الفرنسي", "FR"),
]


def _corpus(path: Path, count: int) -> Path:
    """Short articles written for this test: one reception each, on different days."""
    lines = []
    for number in range(count):
        host, _ = LEADERS[number % len(LEADERS)]
        guest, _ = LEADERS[(number + 1) % len(LEADERS)]
        day = 1 + number % 28
        lines.append(
            json.dumps(
                {
                    "id": f"a-{number}",
                    "lang": "ar",
                    "published": f"2024-0{1 + number % 9}-{day:02d}",
                    "text": f"استقبل {host} اليوم في قصره {guest} وبحث معه العلاقات الثنائية.",
                },
                ensure_ascii=False,
            )
        )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _figures(store_dir: Path) -> tuple[int, int, int]:
    store = open_store(store_dir, read_only=True)
    table = run_select(
        store,
        """PREFIX dk: <https://w3id.org/dipkg/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT (COUNT(DISTINCT ?a) AS ?articles) (COUNT(DISTINCT ?e) AS ?events)
               (COUNT(?p) AS ?participations)
        WHERE { GRAPH ?g { ?a a schema:NewsArticle .
                OPTIONAL { ?e dk:participation ?p } } }""",
    )
    assert isinstance(table, Table)
    return tuple(int(v or 0) for v in table.rows[0])  # type: ignore[return-value]


def test_jobs_give_the_same_graph(tmp_path: Path):
    corpus = _corpus(tmp_path / "c.jsonl", 60)
    figures = []
    for jobs in ("1", "2"):
        store = tmp_path / f"store-{jobs}"
        result = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(store), "-j", jobs])
        assert result.exit_code == 0, result.output
        figures.append(_figures(store))
    assert figures[0] == figures[1] and figures[0][0] == 60 and figures[0][1] > 0
    one, two = (article_quads(open_store(tmp_path / f"store-{j}", read_only=True)) for j in "12")
    assert one == two


def test_runs_killed_at_random_points_leave_whole_articles_and_finish_the_work(tmp_path: Path):
    """SIGKILL three times at random moments (seed printed on failure), then run to the end:
    the store holds exactly what a clean run writes — every article whole, none twice."""
    import random

    seed = random.randrange(10**6)
    chance = random.Random(seed)
    corpus = _corpus(tmp_path / "c.jsonl", 1500)
    reference = tmp_path / "clean"
    CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(reference)])
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store)]
    partials = []
    for _ in range(3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.5, 3.5))  # from start-up to well into the articles
        process.send_signal(signal.SIGKILL)
        process.wait()
        partials.append(_figures(store)[0] if store.exists() else 0)
        if store.exists():
            _assert_whole_articles(store, seed)
    assert partials[-1] < 1500, f"seed {seed}: the runs finished before being killed"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert article_quads(open_store(store, read_only=True)) == article_quads(
        open_store(reference, read_only=True)
    ), f"seed {seed}"
    again = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(store)])
    assert "1500 already stored" in " ".join(again.output.split())
    assert _figures(store) == _figures(reference)


def _assert_whole_articles(store_dir: Path, seed: int) -> None:
    """Every article graph in the store carries its fingerprint (written in the same transaction
    as the rest), i.e. no graph is half-written."""
    store = open_store(store_dir, read_only=True)
    table = run_select(
        store,
        """PREFIX schema: <https://schema.org/>
        PREFIX dk: <https://w3id.org/dipkg/ontology#>
        SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?a a schema:NewsArticle }
          FILTER NOT EXISTS { GRAPH ?g { ?g dk:fingerprint ?f } } }""",
    )
    assert isinstance(table, Table)
    assert table.rows[0][0] == "0", f"seed {seed}: graphs without fingerprint"


def test_a_second_writer_gets_a_clear_error(tmp_path: Path):
    corpus = _corpus(tmp_path / "c.jsonl", 1500)
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store)]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (store / "LOCK").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        second = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        message = " ".join(second.stderr.split())
        assert f"the store {store} is in use by another process (only one writer at a time)" in (
            message
        )
        assert "Traceback" not in second.stderr
    finally:
        first.kill()
        first.wait()


def test_bad_lines_are_counted_in_flat_memory(tmp_path: Path):
    """Problems are counted by reason, not kept or printed one by one: `kg ingest` on 200,000
    broken lines uses the memory it uses on 2,000."""
    peaks = {}
    for count in (2_000, 200_000):
        path = tmp_path / f"{count}.jsonl"
        path.write_text('{"text": 5}\n' * (count - 1) + '{"text": "x", "lang": "xx"}\n')
        code = (
            "import resource, sys; from kg.cli import main; sys.argv = ['kg'] + sys.argv[1:]\n"
            "try: main()\n"
            "finally: print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
        )
        run = subprocess.run(
            [sys.executable, "-c", code, "ingest", str(path), "--store", str(tmp_path / "s")],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 1
        assert f"{count} skipped" in " ".join(run.stdout.split())
        assert f"{count - 1} skipped: 'text' must be a string" in run.stderr
        assert run.stderr.count("skipped") < 60  # 50 listed, then counted by reason
        peaks[count] = float(run.stdout.rsplit("PEAK", 1)[1])
    assert peaks[200_000] < peaks[2_000] + 20, peaks


def test_a_store_failing_mid_run_ends_it_with_a_message(tmp_path: Path, monkeypatch):
    """A store that stops answering (a server gone) ends the run at once with a message — the
    worker pool does not hang — and what was written stays."""
    import kg.ingest
    from kg.remote import RemoteStoreError

    corpus = _corpus(tmp_path / "c.jsonl", 400)
    written = []
    real = kg.ingest.replace_graph

    def failing(store, article_id, quads):  # type: ignore[no-untyped-def]
        if len(written) == 50:
            raise RemoteStoreError("the SPARQL server at http://127.0.0.1:9 closed the connection")
        written.append(article_id)
        real(store, article_id, quads)

    monkeypatch.setattr(kg.ingest, "replace_graph", failing)
    started = time.monotonic()
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(store), "-j", "2"])
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "closed the connection (what was stored so far is kept; run again to continue)" in output
    assert _figures(store)[0] == 50
