"""Corpus-size ingestion: worker processes, resumable runs, the same graph with any --jobs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def test_a_killed_run_continues_without_duplicates(tmp_path: Path):
    corpus = _corpus(tmp_path / "c.jsonl", 1500)
    reference = tmp_path / "clean"
    CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(reference)])
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3.0)  # part of the way (about a tenth on a 2-core machine)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = _figures(store)[0] if store.exists() else 0
    assert partial < 1500, "the run finished before it was killed: make the corpus larger"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert _figures(store) == _figures(reference)
    again = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(store)])
    assert "1500 already stored" in again.output
    assert _figures(store) == _figures(reference)
