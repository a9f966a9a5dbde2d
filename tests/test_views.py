"""Views (kg.views): the filters of the URL query and the page (no browser needed)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.views import ViewFilters, render_view, view_graph, write_view_html

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
EG = "https://w3id.org/dipkg/id/country/EG"
HOSTILE_NAME = f"{SCRIPT} Evil {IMG}"


def hostile_store() -> ox.Store:
    """A store of one article whose title, text, source and URL carry markup, plus an unknown
    attendee whose name is markup."""
    from kg.extract import extract
    from kg.model import extraction_quads
    from kg.records import Actor, Article, Participant
    from kg.store import memory_store, replace_graph

    text = (
        f"AMMAN, March 6 — Egyptian Foreign Minister Sameh Shoukry {IMG} met Jordanian Foreign "
        f"Minister Ayman Safadi {SCRIPT} in Amman on Monday to discuss the fight against "
        "terrorism and trade, the ministry said."
    )
    article = Article(
        id="hostile-01",
        text=text,
        title=f"{SCRIPT} Shoukry meets Safadi {IMG}",
        lang="en",
        published=date(2023, 3, 6),
        url="javascript:alert(1)",
        source=f"<b>Wire</b> {IMG}",
    )
    extraction = extract(article)
    assert extraction.events, "the extractor must find the meeting"
    assert IMG in extraction.events[0].evidence[0].text
    evil = Actor(kind="person", start=0, end=0, name=HOSTILE_NAME, country="EG", title=SCRIPT)
    extraction.events[0].participants.append(Participant(evil, "attendee"))
    store = memory_store()
    replace_graph(store, article.id, extraction_quads(extraction))
    return store


def graph_data(page: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="kg-graph-data">(.*?)</script>', page, re.S
    )
    assert match, "graph data block missing"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def store(example_store_dir: Path) -> ox.Store:
    from kg.store import open_store

    return open_store(example_store_dir, read_only=True)


# --- ViewFilters ---------------------------------------------------------------------------


def test_defaults_and_round_trip() -> None:
    assert ViewFilters() == ViewFilters.from_query({})
    assert ViewFilters().to_query() == {"view": "countries"}
    f = ViewFilters.from_query(
        {
            "view": "Events",
            "since": "2023-01-01",
            "until": "2023-12-31",
            "country": "eg",
            "topic": "Counterterrorism",
            "type": "VISIT",
            "focus": EG,
            "depth": "2",
            "lang": "ar",
        }
    )
    assert f == ViewFilters(
        view="events",
        since=date(2023, 1, 1),
        until=date(2023, 12, 31),
        country="EG",
        topic="counterterrorism",
        type="visit",
        focus=EG,
        depth=2,
        lang="ar",
    )
    assert f.to_query() == {
        "view": "events",
        "since": "2023-01-01",
        "until": "2023-12-31",
        "country": "EG",
        "topic": "counterterrorism",
        "type": "visit",
        "focus": EG,
        "depth": "2",
        "lang": "ar",
    }
    assert ViewFilters.from_query(f.to_query()) == f


def test_empty_and_unknown_parameters_are_ignored() -> None:
    f = ViewFilters.from_query({"view": "actors", "since": "", "country": " ", "page": "2"})
    assert f == ViewFilters(view="actors")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"view": "maps"}, "view must be countries, actors, events or topics"),
        ({"since": "2023-13-01"}, "since must be a date written YYYY-MM-DD"),
        ({"until": "last week"}, "until must be a date written YYYY-MM-DD"),
        ({"since": "2024-01-01", "until": "2023-01-01"}, "since .* is after until"),
        ({"country": "Egypt"}, "two-letter ISO code"),
        ({"topic": "<script>"}, "topic id"),
        ({"type": "visits"}, "meeting, visit or call"),
        ({"focus": "javascript:alert(1)"}, "IRI of a node"),
        ({"focus": "https://x.org/a b"}, "IRI of a node"),
        ({"depth": "two"}, "depth must be a whole number"),
        ({"depth": "-1"}, "depth must be a whole number"),
        ({"depth": "9"}, "depth must be from 0 to 5"),
        ({"lang": "de"}, "lang must be en, ar or fr"),
    ],
)
def test_bad_values_in_plain_words(params: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ViewFilters.from_query(params)


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(ValueError, match="meeting, visit or call"):
        ViewFilters(type="summit")
    with pytest.raises(ValueError, match="depth"):
        ViewFilters(depth=True)  # type: ignore[arg-type]
    assert ViewFilters(country="jo").country == "JO"


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["countries", "actors", "events", "topics"])
def test_page_is_self_contained(store: ox.Store, view: str) -> None:
    filters = ViewFilters(view=view)
    page = render_view(store, filters)
    assert page.startswith("<!DOCTYPE html>")
    tags = re.findall(r"<(?:script|link|img|iframe|embed|object|source)\b[^>]*>", page, re.I)
    assert tags and all(not re.search(r"\b(?:src|href|data)\s*=", tag, re.I) for tag in tags)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert page.lower().count("</script") == 3  # data island, vis-network, page code
    assert '<meta http-equiv="Content-Security-Policy"' in page
    assert "default-src &#x27;none&#x27;" in page
    graph = view_graph(store, filters)
    counts = re.search(r'id="kg-counts"[^>]*data-nodes="(\d+)" data-edges="(\d+)"', page)
    assert counts and counts.groups() == (
        str(graph.number_of_nodes()),
        str(graph.number_of_edges()),
    )
    data = graph_data(page)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert data["view"]["filters"] == {"view": view}
    assert {n["kind"] for n in data["nodes"]} <= {
        "person",
        "organization",
        "country",
        "event",
        "topic",
        "place",
    }
    referenced = {i for n in data["nodes"] for i in n["ev"]}
    assert referenced == set(range(len(data["events"])))  # every event listed is used
    legend = re.search(r'<ul class="kg-legend".*?</ul>', page, re.S)
    assert legend and all(n["kind"] in legend.group(0) for n in data["nodes"])


def test_hostile_text_is_escaped_and_kept_as_text() -> None:
    store = hostile_store()
    for view in ("countries", "actors", "events", "topics"):
        page = render_view(store, ViewFilters(view=view), title=f"{IMG} title")
        assert IMG not in page and SCRIPT not in page, view
        ours = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # vis-network's code aside
        assert "<img" not in ours.lower() and "<b>" not in ours.lower()
        assert "javascript:" not in ours.lower()
        assert page.lower().count("</script") == 3
        assert "&lt;img src=x onerror=alert(1)&gt; title" in page  # the <title> and <h1>
        data = graph_data(page)
        text = json.dumps(data, ensure_ascii=False)
        assert IMG in text  # the text arrives intact, as data
        for event in data["events"]:
            assert all(source["url"] is None for source in event["sources"])
    events = graph_data(render_view(store, ViewFilters(view="events")))
    names = {n.get("head", n["label"]) for n in events["nodes"]}
    assert HOSTILE_NAME in names
    (event,) = events["events"]
    assert any(IMG in quote for s in event["sources"] for quote in s["quotes"])
    assert event["sources"][0]["headline"] == f"{SCRIPT} Shoukry meets Safadi {IMG}"


def test_form_shows_the_active_filters(store: ox.Store) -> None:
    filters = ViewFilters(
        view="actors", since=date(2023, 1, 1), country="EG", type="meeting", topic="energy"
    )
    page = render_view(store, filters)
    form = re.search(r'<form id="kg-filters".*?</form>', page, re.S)
    assert form
    html = form.group(0)
    assert '<option value="actors" selected>' in html
    assert 'name="since" value="2023-01-01"' in html
    assert 'name="country" value="EG"' in html
    assert '<option value="meeting" selected>' in html
    assert '<option value="energy" selected>' in html
    assert '<option value="EG">Egypt (EG)</option>' in html
    assert graph_data(page)["view"]["filters"] == filters.to_query()
    assert "People and organizations" in page


def test_focus_gives_the_ego_network(store: ox.Store) -> None:
    ego = view_graph(store, ViewFilters(view="countries", focus=EG))
    full = view_graph(store, ViewFilters(view="countries"))
    assert EG in ego and set(ego) == {EG, *full.neighbors(EG)}
    page = render_view(store, ViewFilters(view="countries", focus=EG))
    assert "Egypt (depth 1)" in page
    focused = [n for n in graph_data(page)["nodes"] if n.get("focus")]
    assert [n["id"] for n in focused] == [EG]


def test_focus_outside_the_view_is_an_empty_page_with_a_notice(store: ox.Store) -> None:
    filters = ViewFilters(view="countries", type="visit", focus=EG)
    graph = view_graph(store, filters)
    assert graph.number_of_nodes() == 0
    assert "not in the countries view" in graph.graph["notice"]
    data = graph_data(render_view(store, filters))
    assert data["nodes"] == [] and "not in the countries view" in data["view"]["notice"]


def test_arabic_labels_right_to_left(store: ox.Store) -> None:
    page = render_view(store, ViewFilters(view="countries", lang="ar"))
    assert '<html lang="ar">' in page
    assert re.search(r'<aside id="kg-details"[^>]*dir="rtl"', page)
    egypt = next(n for n in graph_data(page)["nodes"] if n["id"] == EG)
    assert egypt["label"] == "مصر" and egypt["labels"]["fr"] == "Égypte"


def test_write_view_html(store: ox.Store, tmp_path: Path) -> None:
    target = tmp_path / "views" / "topics.html"
    assert write_view_html(store, ViewFilters(view="topics"), target) == target
    assert "kg-graph-data" in target.read_text(encoding="utf-8")
