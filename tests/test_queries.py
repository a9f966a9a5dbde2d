"""The named queries of ontology/queries/ on the store of the examples."""

from __future__ import annotations

from pathlib import Path

from kg.queries import Table, named_queries, run_select
from kg.store import open_store


def test_events_query_gives_one_row_per_event(example_store_dir: Path):
    store = open_store(example_store_dir, read_only=True)
    count = run_select(
        store,
        """PREFIX dk: <https://w3id.org/dipkg/ontology#>
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g {
          ?e a ?c FILTER(?c IN (dk:Meeting, dk:Visit, dk:Call)) } }""",
    )
    assert isinstance(count, Table)
    events = run_select(store, named_queries()["events"].text)
    assert isinstance(events, Table)
    # an event without a place must not pair with every labelled entity of the reference data
    assert len(events.rows) == int(count.rows[0][0] or 0)
