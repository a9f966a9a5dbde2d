"""The first article the project was built for, from ../shared, end to end through the CLI."""

import json
from pathlib import Path

import pytest
from support import assert_clean, assert_rendered, open_graph
from typer.testing import CliRunner

from kg.cli import app
from kg.evaluate import load_gold, score

runner = CliRunner()
SEED_ID = "seed-sisi-emie-2021-03-11"


@pytest.fixture(scope="module")
def seed_gold(shared, tmp_path_factory):
    (line,) = [g for g in load_gold(shared / "gold" / "dev.jsonl") if g["id"] == SEED_ID]
    path = tmp_path_factory.mktemp("gold") / "seed.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return path, line


def test_seed_article_events_through_the_store(shared, seed_gold, tmp_path):
    gold_path, gold = seed_gold
    store = tmp_path / "store"
    ingest = runner.invoke(app, ["ingest", str(gold_path), "--store", str(store)])
    assert ingest.exit_code == 0, ingest.output
    exported = runner.invoke(app, ["export", "events", "--store", str(store)])
    predictions = {}
    for line in exported.output.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            predictions[record["id"]] = record["events"]
    scores = score([gold], predictions)
    assert scores.events.f1 == 1.0
    assert scores.participants.f1 == 1.0
    assert scores.date.value == 1.0
    assert scores.place_country.value == 1.0 and scores.place_city.value == 1.0
    assert scores.role.value == 1.0 and scores.status.value == 1.0


def test_seed_raw_text_file_with_published_date(shared):
    (seed,) = sorted((shared / "seed").glob("*.txt"))
    result = runner.invoke(app, ["extract", str(seed), "--published", "2021-03-11"])
    assert result.exit_code == 0
    (record,) = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    types = sorted((e["type"], e["status"]) for e in record["events"])
    assert types == [("meeting", "occurred"), ("meeting", "planned"), ("visit", "occurred")]


@pytest.mark.browser
def test_graph_of_the_examples_draws_in_chromium(browser, example_store_dir, tmp_path: Path):
    from kg.store import open_store
    from kg.views import ViewFilters, view_graph
    from kg.viz import write_graph_html

    graph = view_graph(open_store(example_store_dir, read_only=True), ViewFilters(view="events"))
    assert graph.number_of_nodes() > 20
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["viz", "--store", str(example_store_dir), "--out", str(out)])
    assert result.exit_code == 0
    page, log = open_graph(browser, out)
    try:
        assert_rendered(page, graph)
        assert_clean(log)
    finally:
        page.close()
    assert write_graph_html  # the CLI and the library write the same page
