"""One event per real-world occasion across articles (kg.occasions)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.occasions import MERGE_WINDOW_DAYS, Mention, same_occasion
from kg.queries import Table, run_select
from kg.store import open_store


def mention(**changes) -> Mention:
    base = dict(
        iri="e1",
        type="meeting",
        status="occurred",
        parties=frozenset({"EG", "FR"}),
        country="EG",
        date=date(2024, 3, 4),
        published=date(2024, 3, 5),
    )
    return Mention(**{**base, **changes})


def test_the_merge_rule():
    a = mention()
    assert same_occasion(a, mention(iri="e2", published=date(2024, 3, 6)))
    assert not same_occasion(a, mention(type="call"))
    assert not same_occasion(a, mention(status="planned"))
    assert not same_occasion(a, mention(parties=frozenset({"EG", "FR", "JO"})))
    assert not same_occasion(a, mention(country="FR"))
    assert same_occasion(a, mention(country=None))  # a mention that names no place
    assert not same_occasion(a, mention(date=date(2024, 3, 3)))
    late = date(2024, 3, 4 + MERGE_WINDOW_DAYS + 1)
    assert same_occasion(a, mention(date=None, published=date(2024, 3, 4 + MERGE_WINDOW_DAYS)))
    assert not same_occasion(a, mention(date=None, published=late))
    undated = mention(date=None)
    assert same_occasion(undated, mention(date=None, published=date(2024, 3, 7)))
    assert not same_occasion(undated, mention(date=None, published=date(2024, 3, 9)))


ARTICLES = [
    {
        "id": "wire-1",
        "published": "2024-03-05",
        "lang": "en",
        "text": "CAIRO, March 5 - Egyptian President Abdel Fattah al-Sisi received French Foreign "
        "Minister Stéphane Séjourné in Cairo on Monday to discuss the war in Gaza.",
    },
    {
        "id": "daily-2",
        "published": "2024-03-05",
        "lang": "ar",
        "text": "استقبل الرئيس عبد الفتاح السيسي أمس الاثنين في القاهرة وزير الخارجية الفرنسي "
        "ستيفان سيجورنيه وبحث معه الحرب في غزة.",
    },
]


def _events(store_dir: Path) -> list[list[str | None]]:
    store = open_store(store_dir, read_only=True)
    table = run_select(
        store,
        """PREFIX dk: <https://w3id.org/dipkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?e (COUNT(DISTINCT ?a) AS ?sources) (COUNT(DISTINCT ?ev) AS ?evidence)
        WHERE { GRAPH ?g { ?e a dk:Meeting ; prov:wasDerivedFrom ?a ; dk:evidence ?ev } }
        GROUP BY ?e""",
    )
    assert isinstance(table, Table)
    return table.rows


def test_two_reports_of_one_meeting_are_one_event_with_two_sources(tmp_path: Path):
    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES))
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["ingest", str(source), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "1 joined an occasion" in result.output
    ((event, sources, evidence),) = _events(store)
    assert (sources, evidence) == ("2", "2")
    # ingesting again (one article, then both) never duplicates
    single = tmp_path / "one.jsonl"
    single.write_text(json.dumps(ARTICLES[1], ensure_ascii=False))
    for path in (single, source):
        assert CliRunner().invoke(app, ["ingest", str(path), "--store", str(store)]).exit_code == 0
    assert _events(store) == [[event, "2", "2"]]


def test_each_ingestion_run_is_a_prov_activity(tmp_path: Path):
    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES))
    store = tmp_path / "store"
    CliRunner().invoke(app, ["ingest", str(source), "--store", str(store)])
    table = run_select(
        open_store(store, read_only=True),
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dk: <https://w3id.org/dipkg/ontology#>
        SELECT ?graph ?version WHERE {
          GRAPH ?graph { ?graph prov:wasGeneratedBy ?run }
          GRAPH ?runs { ?run a prov:Activity ; dk:extractorVersion ?version ;
                        prov:startedAtTime ?s ; prov:endedAtTime ?e } }""",
    )
    assert isinstance(table, Table) and len(table.rows) == 2
    assert all(version and version.startswith("dipkg ") for _, version in table.rows)


def test_different_named_people_are_different_occasions():
    envoy = mention(type="visit", parties=frozenset({"UN"}), people=frozenset({"p:envoy"}))
    other = mention(type="visit", parties=frozenset({"UN"}), people=frozenset({"p:coordinator"}))
    assert not same_occasion(envoy, other)
    assert same_occasion(envoy, mention(type="visit", parties=frozenset({"UN"})))
    both = mention(type="visit", parties=frozenset({"UN"}), people=frozenset({"p:envoy", "p:x"}))
    assert same_occasion(envoy, both)


def test_the_store_index_knows_the_people(tmp_path: Path):
    from kg.occasions import index_from_store

    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES))
    store = tmp_path / "store"
    CliRunner().invoke(app, ["ingest", str(source), "--store", str(store)])
    index = index_from_store(open_store(store, read_only=True))
    known = [m for ms in index._by_key.values() for m in ms]  # one per reporting article
    assert len(known) == 2 and len({m.iri for m in known}) == 1
    assert all("https://w3id.org/dipkg/id/person/abdel-fattah-el-sisi" in m.people for m in known)
