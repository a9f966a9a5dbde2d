"""Named SPARQL queries (ontology/queries/*.rq), shared by the CLI, the server and notebooks.

A query file starts with comment lines `# title: …` and `# description: …`.
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
class NamedQuery:
    name: str
    title: str
    description: str
    text: str


def named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    result: dict[str, NamedQuery] = {}
    for path in sorted((directory or QUERIES_DIR).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            if line.startswith("#") and ":" in line:
                key, _, value = line[1:].partition(":")
                meta[key.strip()] = value.strip()
        result[path.stem] = NamedQuery(
            path.stem, meta.get("title", path.stem), meta.get("description", ""), text
        )
    return result


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str | None]]


def run_select(store: ox.Store, query: str) -> Table | bool | list[ox.Triple]:
    """Run any SPARQL query: a table for SELECT, a boolean for ASK, triples for CONSTRUCT."""
    result = store.query(query, use_default_graph_as_union=False)
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
