"""Views of the store: the events export (the stable JSON contract used for evaluation) and RDF
dumps. Everything here reads the store through SPARQL or its quads, never the extractor."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import IO, Any

import pyoxigraph as ox

from kg.formats import FORMATS as RDF_FORMATS
from kg.namespaces import COUNTRY, DK, REFERENCE_GRAPH, TOPIC
from kg.records import Extraction

__all__ = ["RDF_FORMATS", "dump_rdf", "events_by_article", "extraction_record", "write_jsonl"]

_ROLE = {
    str(DK.Host): "host",
    str(DK.Guest): "guest",
    str(DK.Participant): "participant",
    str(DK.Attendee): "attendee",
}
_TYPE = {str(DK.Meeting): "meeting", str(DK.Visit): "visit", str(DK.Call): "call"}
_KIND = {
    str(DK.Person): "person",
    str(DK.Organization): "organization",
    str(DK.InternationalOrganization): "organization",
    str(DK.Country): "country",
}

EVENTS_QUERY = """
PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?article ?id ?lang ?event ?type ?status ?date ?confidence ?place WHERE {
  GRAPH ?g {
    ?article a schema:NewsArticle ; schema:identifier ?id ; schema:inLanguage ?lang .
    OPTIONAL {
      ?event prov:wasDerivedFrom ?article ; a ?type ; dk:status ?status .
      FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call))
      OPTIONAL { ?event dk:date ?date }
      OPTIONAL { ?event dk:confidence ?confidence }
      OPTIONAL { ?event <http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace> ?place }
    }
  }
} ORDER BY ?id ?event
"""

PARTICIPANTS_QUERY = """
PREFIX dk: <https://w3id.org/dipkg/ontology#>
SELECT ?event ?p ?agent ?role ?title ?country ?org ?name ?kind WHERE {
  GRAPH ?g { ?event dk:participation ?p . ?p dk:agent ?agent ; dk:role ?role .
    OPTIONAL { ?p dk:title ?title } OPTIONAL { ?p dk:representing ?country }
    OPTIONAL { ?p dk:organization ?org } OPTIONAL { ?p dk:nameInText ?name } }
  OPTIONAL { GRAPH ?h { ?agent a ?kind } }
} ORDER BY ?event ?p
"""

VALUES_QUERY = """
PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?event ?what ?value ?start ?end WHERE {
  GRAPH ?g {
    { ?event dk:topic ?value BIND("topic" AS ?what) }
    UNION { ?event dk:concerns ?value BIND("concern" AS ?what) }
    UNION { ?event dk:evidence ?ev . ?ev oa:exact ?value ; oa:start ?start ; oa:end ?end
            BIND("evidence" AS ?what) }
  }
}
"""

LABELS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dk: <https://w3id.org/dipkg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?s ?label ?country ?same WHERE {
  VALUES ?s { %s }
  OPTIONAL { GRAPH ?g { ?s skos:prefLabel ?label } }
  OPTIONAL { GRAPH ?h { ?s dk:country ?country } }
  OPTIONAL { GRAPH ?i { ?s owl:sameAs ?same } }
}
"""


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _code(iri: str | None) -> str | None:
    if iri and iri.startswith(str(COUNTRY)):
        return iri[len(str(COUNTRY)) :]
    return None


def _labels(store: ox.Store, iris: set[str]) -> dict[str, dict[str, Any]]:
    """prefLabels per language, country and Wikidata id of the given nodes."""
    info: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"labels": {}, "country": None, "wikidata": None}
    )
    items = sorted(iris)
    for chunk in range(0, len(items), 500):
        values = " ".join(f"<{iri}>" for iri in items[chunk : chunk + 500])
        for row in store.query(LABELS_QUERY % values):  # type: ignore[union-attr]
            s = _value(row["s"]) or ""
            entry = info[s]
            label = row["label"]
            if label is not None:
                lang = getattr(label, "language", None) or "und"
                entry["labels"].setdefault(lang, label.value)
            if row["country"] is not None:
                entry["country"] = _code(_value(row["country"]))
            same = _value(row["same"])
            if same and "wikidata.org/entity/" in same:
                entry["wikidata"] = same.rsplit("/", 1)[-1]
    return info


def events_by_article(store: ox.Store) -> Iterator[dict[str, Any]]:
    """The events export: one {"id", "events"} record per article, read from the store."""
    articles: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    langs: dict[str, str] = {}
    for row in store.query(EVENTS_QUERY):  # type: ignore[union-attr]
        article_id = _value(row["id"]) or ""
        record = articles.setdefault(article_id, {"id": article_id, "events": []})
        langs[article_id] = _value(row["lang"]) or "en"
        event_iri = _value(row["event"])
        if event_iri is None or event_iri in events:
            continue
        date = _value(row["date"])
        conf = _value(row["confidence"])
        event: dict[str, Any] = {
            "id": event_iri,
            "type": _TYPE.get(_value(row["type"]) or "", "meeting"),
            "status": "planned" if _value(row["status"]) == str(DK.Planned) else "occurred",
            "date": date,
            "place": _value(row["place"]),
            "participants": [],
            "topics": [],
            "concerns": [],
            "evidence": [],
            "confidence": float(conf) if conf is not None else None,
            "_lang": langs[article_id],
        }
        events[event_iri] = event
        record["events"].append(event)
    if not events:
        yield from articles.values()
        return
    participants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in store.query(PARTICIPANTS_QUERY):  # type: ignore[union-attr]
        event_iri = _value(row["event"]) or ""
        if event_iri not in events:
            continue
        key = _value(row["p"]) or ""
        kind = _KIND.get(_value(row["kind"]) or "")
        existing = participants[event_iri].get(key)
        if existing is not None:
            if kind and existing["kind"] is None:
                existing["kind"] = kind
            continue
        participants[event_iri][key] = {
            "agent": _value(row["agent"]),
            "kind": kind,
            "name": _value(row["name"]),
            "title": _value(row["title"]),
            "country": _code(_value(row["country"])),
            "org": _value(row["org"]),
            "role": _ROLE.get(_value(row["role"]) or "", "participant"),
        }
    for row in store.query(VALUES_QUERY):  # type: ignore[union-attr]
        event_iri = _value(row["event"]) or ""
        if event_iri not in events:
            continue
        what = _value(row["what"])
        value = _value(row["value"]) or ""
        if what == "topic":
            events[event_iri]["topics"].append(value[len(str(TOPIC)) :])
        elif what == "concern":
            events[event_iri]["concerns"].append(_code(value))
        else:
            events[event_iri]["evidence"].append(
                {
                    "start": int(_value(row["start"]) or 0),
                    "end": int(_value(row["end"]) or 0),
                    "text": value,
                }
            )
    nodes = {p["agent"] for ps in participants.values() for p in ps.values()}
    nodes |= {p["org"] for ps in participants.values() for p in ps.values() if p["org"]}
    nodes |= {e["place"] for e in events.values() if e["place"]}
    info = _labels(store, {n for n in nodes if n})
    for event_iri, event in events.items():
        lang = event.pop("_lang")
        place_iri = event["place"]
        if place_iri:
            place = info.get(place_iri, {"labels": {}, "country": None})
            country = place["country"] or _code(place_iri)
            event["place"] = {
                "label": _pick(place["labels"], lang) or place_iri.rsplit("/", 1)[-1],
                "labels": place["labels"],
                "country": country,
            }
        out = []
        for p in participants[event_iri].values():
            agent = info.get(p["agent"], {"labels": {}, "wikidata": None})
            org = p["org"]
            org_name = None
            if org:
                org_name = _pick(info.get(org, {"labels": {}})["labels"], "en") or org
            labels = dict(agent["labels"])
            if p["name"]:
                labels.setdefault(lang, p["name"])
            out.append(
                {
                    "kind": p["kind"] or ("country" if _code(p["agent"]) else "person"),
                    "label": p["name"] or _pick(labels, lang) or p["agent"].rsplit("/", 1)[-1],
                    "labels": labels,
                    "title": p["title"],
                    "country": p["country"],
                    "org": org_name,
                    "role": p["role"],
                    "wikidata": agent["wikidata"],
                }
            )
        event["participants"] = out
        event["topics"].sort()
        event["concerns"] = sorted(c for c in event["concerns"] if c)
        event["evidence"].sort(key=lambda e: e["start"])
    yield from articles.values()


def _pick(labels: dict[str, str], lang: str) -> str | None:
    for code in (lang, "en", "fr", "ar", "und"):
        if labels.get(code):
            return labels[code]
    return None


def extraction_record(extraction: Extraction, store: ox.Store) -> dict[str, Any]:
    """The events export of one extraction, by the same path as from the store (its graph in a
    scratch store), so that `kg extract` and `kg export events` agree by construction."""
    from kg.model import extraction_quads
    from kg.store import replace_graph

    replace_graph(store, extraction.article.id, extraction_quads(extraction))
    records = [r for r in events_by_article(store) if r["id"] == extraction.article.id]
    store.remove_graph(ox.NamedNode(_graph(extraction.article.id)))
    return records[0] if records else {"id": extraction.article.id, "events": []}


def _graph(article_id: str) -> str:
    from kg.model import graph_iri

    return graph_iri(article_id)


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def dump_rdf(store: ox.Store, fmt: str, out: IO[bytes], *, include_reference: bool = False) -> None:
    """Serialize the store (article graphs and runs; the reference graph on request)."""
    from kg.formats import write_quads

    reference = ox.NamedNode(REFERENCE_GRAPH)
    quads = [q for q in store if include_reference or q.graph_name != reference]
    write_quads(quads, fmt, out, _prefixes())


def _prefixes() -> dict[str, str]:
    from kg.namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}
