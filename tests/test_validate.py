"""Every output is valid against ontology/shapes.ttl (SHACL), and `kg validate` says why not."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.extract import UnsupportedLanguage, extract
from kg.model import extraction_quads
from kg.read import article_from_record, read_paths
from kg.records import Article
from kg.validate import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _graph(article: Article) -> Graph:
    quads = extraction_quads(extract(article))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data.decode(), format="nt")


def test_every_example_extraction_is_valid():
    articles = [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    assert len(articles) >= 10
    for article in articles:
        violations = validate(_graph(article), graph=article.id)
        assert not violations, "\n".join(map(str, violations))


@pytest.mark.shared
def test_every_dev_extraction_is_valid(shared: Path):
    import json

    gold = shared / "gold" / "dev.jsonl"
    for line in gold.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article = article_from_record(record, record["id"])
        try:
            graph = _graph(article)
        except UnsupportedLanguage:
            continue
        violations = validate(graph, graph=article.id)
        assert not violations, "\n".join(map(str, violations))


def test_the_command_reports_violations_in_words(tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        """@prefix dk: <https://w3id.org/dipkg/ontology#> .
        <https://example.org/e> a dk:Meeting ; dk:status dk:Occurred , dk:Planned ."""
    )
    result = CliRunner().invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "an event has one status: occurred or planned" in result.output
    assert "an event is derived from at least one article" in result.output


def test_the_command_passes_the_example_store(example_store_dir: Path):
    result = CliRunner().invoke(app, ["validate", "--store", str(example_store_dir)])
    assert result.exit_code == 0, result.output
    assert "fit the shapes" in result.output
