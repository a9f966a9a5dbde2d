"""The server's pages in headless Chromium (system binary, no downloads): the query page runs
named and written queries, shows results and errors as text, and loads nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import PageLog
from test_server import SHOUKRY, serving

from kg.server import create_app

pytestmark = pytest.mark.browser
TEXTS = "els => els.map(e => e.textContent)"


@pytest.fixture(scope="module")
def base_url(example_store_dir: Path) -> Iterator[str]:
    with serving(create_app(example_store_dir)) as url:
        yield url


def open_page(browser: Any, url: str) -> tuple[Any, PageLog]:
    log = PageLog()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("request", lambda request: log.requests.append(request.url))
    page.add_init_script("window.__xss = 0;")
    page.goto(url, wait_until="load")
    return page, log


def assert_clean(log: PageLog, base_url: str, *, expected_errors: int = 0) -> None:
    """No script error, no CSP violation, no request leaving the server; a query the server
    refuses logs one 'Failed to load resource' line in Chromium, nothing else may."""
    failed = [m for m in log.console_errors if m.startswith("Failed to load resource")]
    assert len(failed) == expected_errors, log.console_errors
    assert [m for m in log.console_errors if m not in failed] == []
    assert log.page_errors == []
    assert [u for u in log.requests if not u.startswith(base_url + "/")] == []


def run_query(page: Any) -> None:
    done = page.evaluate("() => window.kgDone || 0")
    page.click("#kg-run")
    page.wait_for_function(f"() => (window.kgDone || 0) > {done}", timeout=15_000)


def test_landing_page(browser: Any, base_url: str) -> None:
    page, log = open_page(browser, base_url + "/")
    try:
        assert page.title() == "Diplomatic knowledge graph"
        assert "articles" in page.inner_text("table.figures")
        assert page.locator('a[href="/query"]').count() >= 1
        assert_clean(log, base_url)
    finally:
        page.close()


def test_named_query_with_a_parameter(browser: Any, base_url: str) -> None:
    page, log = open_page(browser, base_url + "/query")
    try:
        page.wait_for_function("() => window.kgReady === true")
        page.select_option("#kg-named", "actor-events")
        assert "SELECT" in page.input_value("#kg-editor")
        assert page.inner_text("#kg-info").startswith("Every event an actor")
        page.fill('input[data-param="actor"]', SHOUKRY)
        run_query(page)
        assert page.is_hidden("#kg-error")
        headers = page.eval_on_selector_all("#kg-table thead th", TEXTS)
        assert headers[-1] == "actor" and "date" in headers
        actors = page.eval_on_selector_all("#kg-table tbody tr td:last-child", TEXTS)
        assert actors and set(actors) == {SHOUKRY}
        assert f"{len(actors)} row" in page.inner_text("#kg-status")
        href = page.get_attribute("#kg-download", "href")
        assert href is not None and href.startswith("/api/queries/actor-events?")
        assert "format=csv" in href and "actor=https" in href
        csv_text = page.evaluate("async (u) => (await fetch(u)).text()", href)
        assert csv_text.splitlines()[0].endswith(",event,actor")
        assert len(csv_text.strip().splitlines()) == len(actors) + 1

        # an edited query runs as written, without the parameters
        page.fill("#kg-editor", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert page.is_disabled('input[data-param="actor"]')
        run_query(page)
        (count,) = page.eval_on_selector_all("#kg-table tbody td", TEXTS)
        assert int(count) > 1000
        href = page.get_attribute("#kg-download", "href")
        assert href is not None and href.startswith("/sparql?query=") and "format=csv" in href
        assert_clean(log, base_url)
    finally:
        page.close()


def test_results_and_errors_stay_text(browser: Any, base_url: str) -> None:
    page, log = open_page(browser, base_url + "/query")
    try:
        page.wait_for_function("() => window.kgReady === true")
        hostile = (
            '<img src=x onerror="window.__xss=1"></td></script><script>window.__xss=2</script>'
        )
        literal = hostile.replace("\\", "\\\\").replace('"', '\\"')
        page.fill("#kg-editor", f'SELECT ("{literal}" AS ?text) ("سامح شكري"@ar AS ?name) {{}}')
        run_query(page)
        cells = page.eval_on_selector_all("#kg-table tbody td", TEXTS)
        assert cells == [hostile, "سامح شكري"]
        assert page.evaluate("() => window.__xss") == 0
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0

        page.fill("#kg-editor", "SELECT ?x WHERE { ?x ?p }")
        run_query(page)
        assert page.is_visible("#kg-error") and page.is_hidden("#kg-table")
        message = page.inner_text("#kg-error")
        assert message.startswith("Error 400: the query is not valid SPARQL: error at 1:")

        page.fill("#kg-editor", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
        run_query(page)
        assert "Error 403: updates are not allowed" in page.inner_text("#kg-error")

        page.fill("#kg-editor", f"CONSTRUCT {{ <{SHOUKRY}> ?p ?o }} WHERE {{ <{SHOUKRY}> ?p ?o }}")
        run_query(page)
        assert page.is_visible("#kg-text") and "person:sameh-shoukry" in page.inner_text("#kg-text")
        assert page.evaluate("() => window.__xss") == 0
        assert_clean(log, base_url, expected_errors=2)
    finally:
        page.close()
