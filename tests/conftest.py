"""Shared fixtures: a browser, the shared material beside the project, a store of the examples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import launch_browser

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    yield from launch_browser()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "dev.jsonl").exists():
        pytest.skip("../shared (gold data, seed article) is not present")
    return SHARED


@pytest.fixture(scope="session")
def example_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding the example articles, built once per test session."""
    from kg.extract import extract
    from kg.model import extraction_quads
    from kg.read import read_paths
    from kg.records import Article
    from kg.store import ensure_reference, open_store, replace_graph

    directory = tmp_path_factory.mktemp("store") / "kg-data"
    store = open_store(directory)
    ensure_reference(store)
    for item in read_paths([EXAMPLES]):
        assert isinstance(item, Article), item
        replace_graph(store, item.id, extraction_quads(extract(item)))
    store.flush()
    del store
    return directory
