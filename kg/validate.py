"""SHACL validation of the project's data against ontology/shapes.ttl, in plain words.

`kg validate` checks a store graph by graph (each article's extraction, the ingestion runs and,
with --reference, the reference knowledge) or RDF files; tests check every output of the examples
and of the dev articles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import SH

from kg.namespaces import REFERENCE_GRAPH
from kg.paths import ONTOLOGY_DIR

SHAPES = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One shape a node does not satisfy."""

    focus: str
    path: str
    message: str
    value: str = ""
    graph: str = ""

    def __str__(self) -> str:
        where = f" ({self.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]})" if self.path else ""
        value = f": {self.value}" if self.value else ""
        graph = f"[{self.graph}] " if self.graph else ""
        return f"{graph}{self.focus}{where}: {self.message}{value}"


@cache
def _shapes(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "dipkg.ttl", format="turtle")


def validate(data: Graph, shapes: Path = SHAPES, graph: str = "") -> list[Violation]:
    """Every violation of the shapes by the data (with the ontology, for class checks)."""
    from pyshacl import validate as shacl

    _, report, _ = shacl(
        data, shacl_graph=_shapes(shapes), ont_graph=_ontology(), inference="none", advanced=True
    )
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode) or ""),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or "does not fit its shape"),
                value=str(report.value(result, SH.value) or ""),
                graph=graph,
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message))


def store_graphs(store: ox.Store, reference: bool = False) -> Iterator[tuple[str, Graph]]:
    """Each named graph of a store as an rdflib graph (the reference graph only if asked)."""
    for name in sorted(store.named_graphs(), key=lambda g: str(g)):
        iri = str(getattr(name, "value", name))
        if iri == REFERENCE_GRAPH and not reference:
            continue
        triples = (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, name)
        )
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        yield iri, Graph().parse(data=data.decode(), format="nt")


def file_graphs(path: Path) -> Iterator[tuple[str, Graph]]:
    """The graphs of an RDF file: one for a triples format, each named graph for a dataset."""
    from kg.formats import guess_format

    fmt = guess_format(path)
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        for context in dataset.graphs():
            if len(context):
                yield str(context.identifier), Graph().__iadd__(context)
    else:
        yield path.name, Graph().parse(path, format=fmt)
