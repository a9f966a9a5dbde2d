"""SHACL validation of the project's data against ontology/shapes.ttl, in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from kg.paths import ONTOLOGY_DIR

SHAPES = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One shape a node does not satisfy."""

    focus: str
    path: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f" ({self.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]})" if self.path else ""
        value = f": {self.value}" if self.value else ""
        return f"{self.focus}{where}: {self.message}{value}"


def validate(data: Graph, shapes: Path = SHAPES) -> list[Violation]:
    """Every violation of the shapes by the data (with the ontology, for class checks)."""
    from pyshacl import validate as shacl

    ontology = Graph().parse(ONTOLOGY_DIR / "dipkg.ttl", format="turtle")
    shapes_graph = Graph().parse(shapes, format="turtle")
    _, report, _ = shacl(
        data, shacl_graph=shapes_graph, ont_graph=ontology, inference="none", advanced=True
    )
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode) or ""),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or "does not fit its shape"),
                value=str(report.value(result, SH.value) or ""),
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message))
