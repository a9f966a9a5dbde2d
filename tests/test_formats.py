"""Export and import round-trip to an isomorphic graph in every RDF format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.cli import app
from kg.formats import FORMATS, context

SUFFIX = {
    "turtle": ".ttl",
    "trig": ".trig",
    "nquads": ".nq",
    "ntriples": ".nt",
    "rdfxml": ".rdf",
    "jsonld": ".jsonld",
}


def _export(store: Path, fmt: str, target: Path) -> Path:
    result = CliRunner().invoke(
        app, ["export", "graph", "--store", str(store), "--format", fmt, "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    return target


def _load(path: Path, fmt: str) -> Dataset:
    dataset = Dataset()
    rdflib_format = {"rdfxml": "xml", "jsonld": "json-ld", "ntriples": "nt"}.get(fmt, fmt)
    dataset.parse(path, format=rdflib_format)
    return dataset


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for context_graph in dataset.graphs():
        union += context_graph
    return union


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_import_export_is_isomorphic(example_store_dir: Path, tmp_path: Path, fmt: str):
    first = _export(example_store_dir, fmt, tmp_path / f"first{SUFFIX[fmt]}")
    store = tmp_path / "copy"
    result = CliRunner().invoke(app, ["import", str(first), "--store", str(store)])
    assert result.exit_code == 0, result.output
    second = _export(store, fmt, tmp_path / f"second{SUFFIX[fmt]}")
    a, b = _load(first, fmt), _load(second, fmt)
    assert len(_union(a)) > 1000
    assert isomorphic(_union(a), _union(b))
    if fmt in ("trig", "nquads", "jsonld"):  # datasets keep every named graph
        graphs_a = {str(g.identifier): g for g in a.graphs() if len(g)}
        graphs_b = {str(g.identifier): g for g in b.graphs() if len(g)}
        assert graphs_a.keys() == graphs_b.keys()
        for name, graph in graphs_a.items():
            assert isomorphic(graph, graphs_b[name]), name


def test_json_ld_is_compacted_with_the_published_context(example_store_dir: Path, tmp_path: Path):
    path = _export(example_store_dir, "jsonld", tmp_path / "graph.jsonld")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"] == context()
    text = path.read_text(encoding="utf-8")
    assert '"participation"' in text and '"derivedFrom"' in text and '"Meeting"' in text


def test_import_refuses_unknown_and_broken_files(tmp_path: Path):
    odd = tmp_path / "graph.xyz"
    odd.write_text("nothing")
    result = CliRunner().invoke(app, ["import", str(odd), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and "unknown RDF file extension" in result.output
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .")
    result = CliRunner().invoke(app, ["import", str(broken), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and "not valid turtle" in result.output
