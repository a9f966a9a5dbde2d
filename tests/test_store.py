import pyoxigraph as ox
import pytest

from kg.export import events_by_article
from kg.extract import extract
from kg.model import extraction_quads
from kg.records import Article
from kg.store import (
    StoreError,
    article_count,
    ensure_reference,
    memory_store,
    open_store,
    replace_graph,
)

TEXT = "استقبل الرئيس اللبناني في بيروت أمس وزير الخارجية القبرصي."


def _ingest(store, text=TEXT, article_id="art-1"):
    article = Article(id=article_id, text=text, lang="ar")
    replace_graph(store, article_id, extraction_quads(extract(article)))


def test_reingesting_replaces_the_graph():
    store = memory_store()
    _ingest(store)
    size = len(store)
    _ingest(store)
    assert len(store) == size
    assert article_count(store) == 1
    (record,) = list(events_by_article(store))
    assert len(record["events"]) == 1


def test_changed_article_replaces_old_events():
    store = memory_store()
    _ingest(store)
    _ingest(store, text="لا شيء هنا.")
    (record,) = list(events_by_article(store))
    assert record["events"] == []


def test_reference_loaded_once():
    store = ox.Store()
    assert ensure_reference(store) is True
    size = len(store)
    assert ensure_reference(store) is False
    assert len(store) == size


def test_on_disk_store_persists(tmp_path):
    directory = tmp_path / "kg-data"
    store = open_store(directory)
    ensure_reference(store)
    _ingest(store)
    store.flush()
    del store
    reopened = open_store(directory, read_only=True)
    assert article_count(reopened) == 1


def test_missing_store_read_only_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "nothing", read_only=True)
