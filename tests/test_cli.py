"""The command line as a user meets it: help, clear errors, batches that go on."""

import json

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()

ARTICLE = {
    "id": "cli-1",
    "lang": "ar",
    "published": "2023-05-10",
    "text": "استقبل الرئيس اللبناني في بيروت أمس وزير الخارجية القبرصي.",
}


@pytest.mark.parametrize(
    "command", ["ingest", "extract", "query", "export", "viz", "eval", "stats"]
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_batch_with_bad_files_ingests_the_good_ones(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ARTICLE, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad.json").write_text("{oops")
    (tmp_path / "bin.txt").write_bytes(b"\x00\xff\x00")
    (tmp_path / "latin.txt").write_bytes("reçu à Paris".encode("latin-1"))
    store = tmp_path / "store"
    result = runner.invoke(
        app,
        [
            "ingest",
            str(tmp_path / "good.json"),
            str(tmp_path / "empty.txt"),
            str(tmp_path / "bad.json"),
            str(tmp_path / "bin.txt"),
            str(tmp_path / "latin.txt"),
            str(tmp_path / "missing.txt"),
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "ingested 1 articles" in result.output
    assert result.output.count("skipped") >= 5
    exported = runner.invoke(app, ["export", "events", "--store", str(store)])
    assert exported.exit_code == 0
    (record,) = [json.loads(line) for line in exported.output.splitlines() if line.startswith("{")]
    assert record["id"] == "cli-1" and len(record["events"]) == 1


def test_extract_without_store_matches_the_contract(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    record = json.loads(result.output.strip().splitlines()[-1])
    (event,) = record["events"]
    assert event["type"] == "meeting" and event["date"] == "2023-05-09"
    assert {p["country"] for p in event["participants"]} == {"LB", "CY"}


def test_query_formats_and_errors(example_store_dir):
    store = str(example_store_dir)
    as_csv = runner.invoke(app, ["query", "country-dyads", "--store", store, "--format", "csv"])
    assert as_csv.exit_code == 0 and as_csv.output.startswith("country1,country2,events")
    as_json = runner.invoke(
        app, ["query", "SELECT (1 AS ?x) WHERE {}", "--store", store, "--format", "json"]
    )
    assert json.loads(as_json.output) == [{"x": "1"}]
    bad = runner.invoke(app, ["query", "SELEC nonsense", "--store", store])
    assert bad.exit_code == 1 and "invalid SPARQL" in bad.output
    missing = runner.invoke(app, ["query", "events", "--store", str(example_store_dir) + "-none"])
    assert missing.exit_code == 1 and "no store" in missing.output


def test_export_rdf_to_file(example_store_dir, tmp_path):
    out = tmp_path / "g.ttl"
    result = runner.invoke(
        app, ["export", "--store", str(example_store_dir), "--format", "turtle", "--out", str(out)]
    )
    assert result.exit_code == 0 and out.stat().st_size > 1000
    unknown = runner.invoke(app, ["export", "--store", str(example_store_dir), "--format", "xls"])
    assert unknown.exit_code == 2 and "unknown format" in unknown.output


def test_bad_published_option(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("نص")
    result = runner.invoke(app, ["extract", str(path), "--published", "yesterday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_viz_writes_offline_html(example_store_dir, tmp_path):
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["viz", "--store", str(example_store_dir), "--out", str(out)])
    assert result.exit_code == 0 and str(out.resolve()) in result.output.replace("\n", "")
    html = out.read_text(encoding="utf-8")
    assert "cdn" not in html.lower() or "https://cdn" not in html
