"""Named SPARQL queries (ontology/queries/*.rq), shared by the CLI, the server and notebooks.

A query file starts with comment lines `# title: …`, `# description: …` and one
`# param: NAME KIND description` per parameter (KIND: iri, date, string or integer). A parameter is
bound to the query variable ?NAME as a value (SPARQL substitution, SEP-0007), never pasted into the
text. Oxigraph substitutes only variables the SELECT projects, so a query lists its parameters
among its columns; a parameter not given stays unbound, and since Oxigraph folds BOUND(?NAME)
before substituting, optional ones are tested as `COALESCE(?since, "") = "" || ?date >= ?since`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.paths import QUERIES_DIR


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    """iri, date, string or integer."""
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = ()


PARAMETER_KINDS = ("iri", "date", "string", "integer")


class ParameterError(ValueError):
    """A parameter value that does not fit its kind, or a parameter the query does not take."""


def bind(query: NamedQuery | None, values: dict[str, str]) -> dict[ox.Variable, Any]:
    """SPARQL substitutions for parameter values given as text (`actor=https://…`)."""
    from datetime import date

    kinds = {p.name: p.kind for p in query.parameters} if query else {}
    bound: dict[ox.Variable, Any] = {}
    for name, text in values.items():
        kind = kinds.get(name) if query else "string"
        if kind is None:
            known = ", ".join(kinds) or "none"
            raise ParameterError(f"the query takes no parameter {name!r} (it takes: {known})")
        if kind == "iri":
            if not text.startswith(("http://", "https://", "urn:")):
                raise ParameterError(f"{name} must be an IRI (http…), not {text!r}")
            term: Any = ox.NamedNode(text)
        elif kind == "date":
            try:
                date.fromisoformat(text)
            except ValueError:
                raise ParameterError(f"{name} must be a date YYYY-MM-DD, not {text!r}") from None
            term = ox.Literal(text, datatype=ox.NamedNode(XSD_DATE))
        elif kind == "integer":
            if not text.lstrip("-").isdigit():
                raise ParameterError(f"{name} must be an integer, not {text!r}")
            term = ox.Literal(text, datatype=ox.NamedNode(XSD_INTEGER))
        else:
            term = ox.Literal(text)
        bound[ox.Variable(name)] = term
    return bound


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    result: dict[str, NamedQuery] = {}
    for path in sorted((directory or QUERIES_DIR).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta: dict[str, str] = {}
        parameters = []
        for line in text.splitlines():
            if line.startswith("#") and ":" in line:
                key, _, value = line[1:].partition(":")
                if key.strip() == "param":
                    name, kind, *description = value.split(maxsplit=2)
                    if kind not in PARAMETER_KINDS:
                        raise ValueError(f"{path.name}: parameter {name} has unknown kind {kind}")
                    parameters.append(Parameter(name, kind, " ".join(description)))
                else:
                    meta.setdefault(key.strip(), value.strip())
        result[path.stem] = NamedQuery(
            path.stem,
            meta.get("title", path.stem),
            meta.get("description", ""),
            text,
            tuple(parameters),
        )
    return result


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str | None]]


def run_select(
    store: ox.Store, query: str, substitutions: dict[ox.Variable, Any] | None = None
) -> Table | bool | list[ox.Triple]:
    """Run any SPARQL query: a table for SELECT, a boolean for ASK, triples for CONSTRUCT."""
    result = store.query(query, use_default_graph_as_union=False, substitutions=substitutions)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[_text(row[c]) for c in columns] for row in result]
        return Table(columns, rows)
    return list(result)


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def table_to(table: Table, fmt: str) -> str:
    """CSV, TSV or JSON (list of objects) text of a result table."""
    if fmt == "json":
        return json.dumps(
            [dict(zip(table.columns, row, strict=True)) for row in table.rows],
            ensure_ascii=False,
            indent=1,
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()
