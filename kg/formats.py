"""RDF formats in and out: Turtle, TriG, N-Quads, N-Triples, RDF/XML and JSON-LD (compacted with
the published context ontology/context.jsonld). Export and import round-trip to an isomorphic
graph (datasets keep their named graphs; a triples format holds their union)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.paths import ONTOLOGY_DIR

CONTEXT = ONTOLOGY_DIR / "context.jsonld"

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}
EXTENSIONS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


class FormatError(ValueError):
    """A file whose RDF format is unknown or which does not parse."""


def guess_format(path: Path) -> str:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise FormatError(f"{path.name}: unknown RDF file extension (known: {known})")
    return fmt


def context() -> dict[str, Any]:
    """The published JSON-LD @context (ontology/context.jsonld)."""
    data: dict[str, Any] = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    return data


def write_quads(quads: list[ox.Quad], fmt: str, out: IO[bytes], prefixes: dict[str, str]) -> None:
    """Serialize quads; JSON-LD is compacted with the project's context, triple formats get the
    union of the graphs."""
    if fmt == "jsonld":
        from rdflib import Dataset

        dataset = Dataset()
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        dataset.parse(data=data.decode(), format="nquads")
        text = dataset.serialize(format="json-ld", context=context(), auto_compact=True)
        out.write(text.encode() if isinstance(text, str) else text)
    elif fmt in DATASET_FORMATS:
        ox.serialize(quads, out, FORMATS[fmt], prefixes=prefixes if fmt != "nquads" else None)
    else:
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        ox.serialize(triples, out, FORMATS[fmt], prefixes=prefixes if fmt != "ntriples" else None)


def read_quads(path: Path, default_graph: str) -> list[ox.Quad]:
    """The quads of an RDF file; triples of a triples format go into `default_graph`."""
    fmt = guess_format(path)
    try:
        if fmt == "jsonld":
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(path, format="json-ld")
            data = dataset.serialize(format="nquads")
            parsed: list[Any] = list(ox.parse(data.encode(), format=ox.RdfFormat.N_QUADS))
        else:
            with path.open("rb") as handle:
                parsed = list(ox.parse(handle, format=FORMATS[fmt]))
    except (SyntaxError, ValueError, OSError) as error:
        raise FormatError(f"{path.name}: not valid {fmt}: {error}") from error
    graph = ox.NamedNode(default_graph)
    quads = []
    for item in parsed:
        name = getattr(item, "graph_name", None)
        if name is None or isinstance(name, ox.DefaultGraph):
            quads.append(ox.Quad(item.subject, item.predicate, item.object, graph))
        else:
            quads.append(item)
    return quads
