import io
import json

import pyoxigraph as ox
import pytest
import rdflib

from kg.export import RDF_FORMATS, dump_rdf, events_by_article
from kg.store import open_store

EVENT_KEYS = {
    "id",
    "type",
    "status",
    "date",
    "place",
    "participants",
    "topics",
    "concerns",
    "evidence",
    "confidence",
}
PARTICIPANT_KEYS = {"kind", "label", "labels", "title", "country", "org", "role", "wikidata"}


@pytest.fixture(scope="module")
def store(example_store_dir):
    return open_store(example_store_dir, read_only=True)


def test_events_export_follows_the_contract(store):
    records = list(events_by_article(store))
    assert records and all(set(r) == {"id", "events"} for r in records)
    events = [e for r in records for e in r["events"]]
    assert events
    for event in events:
        assert set(event) == EVENT_KEYS
        assert event["type"] in ("meeting", "visit", "call")
        assert event["status"] in ("occurred", "planned")
        assert 0 <= event["confidence"] <= 1
        assert event["evidence"] and all(
            {"start", "end", "text"} == set(e) for e in event["evidence"]
        )
        if event["place"] is not None:
            assert {"label", "labels", "country"} == set(event["place"])
        for p in event["participants"]:
            assert set(p) == PARTICIPANT_KEYS
            assert p["role"] in ("host", "guest", "participant", "attendee")
            assert p["kind"] in ("person", "organization", "country")
    json.dumps(records, ensure_ascii=False)


def test_evidence_offsets_point_into_the_article(store, example_store_dir):
    from support import examples_by_id

    texts = examples_by_id()
    for record in events_by_article(store):
        for event in record["events"]:
            for ev in event["evidence"]:
                assert texts[record["id"]][ev["start"] : ev["end"]] == ev["text"]


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_exports_parse_back(store, fmt):
    buffer = io.BytesIO()
    dump_rdf(store, fmt, buffer)
    data = buffer.getvalue()
    assert data
    parsed = list(ox.parse(data, format=RDF_FORMATS[fmt]))
    assert len(parsed) > 100


def test_turtle_export_reads_in_rdflib(store):
    buffer = io.BytesIO()
    dump_rdf(store, "turtle", buffer)
    graph = rdflib.Graph().parse(data=buffer.getvalue().decode(), format="turtle")
    assert len(graph) > 100
