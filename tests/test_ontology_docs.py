"""docs/ontology.html: generated from ontology/dipkg.ttl by tools/build_ontology_docs.py."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "build_ontology_docs.py"
ONTOLOGY = ROOT / "ontology" / "dipkg.ttl"
COMMITTED = ROOT / "docs" / "ontology.html"

CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


def run_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def generate(out: Path, *args: str | Path) -> bytes:
    result = run_tool("--out", out, *args)
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "ontology.html"
    generate(out)
    return out


@pytest.fixture(scope="module")
def page(generated: Path) -> str:
    return generated.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def terms(graph: Graph, types: tuple[URIRef, ...]) -> list[URIRef]:
    found = {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return sorted(found)


class TextByDirection(HTMLParser):
    """Collects text nodes, split by whether they sit inside an element with dir="rtl"."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.rtl: list[str] = []
        self.ltr: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        inherited = self.stack[-1][1] if self.stack else False
        direction = dict(attrs).get("dir")
        rtl = inherited if direction is None else direction == "rtl"
        self.stack.append((tag, rtl))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            rtl = self.stack[-1][1] if self.stack else False
            (self.rtl if rtl else self.ltr).append(data)


def test_every_class_and_property_is_documented(page: str, ontology: Graph) -> None:
    classes = terms(ontology, CLASS_TYPES)
    properties = terms(ontology, PROPERTY_TYPES)
    assert classes and properties
    missing = [
        str(term)
        for term in classes + properties
        if str(term) not in page
        or not re.search(rf'id="{re.escape(local_name(term))}(-\d+)?"', page)
    ]
    assert not missing, f"not documented: {missing}"


def test_named_individuals_are_documented(page: str, ontology: Graph) -> None:
    classes = set(terms(ontology, CLASS_TYPES))
    individuals = {
        s
        for c in classes
        for s in ontology.subjects(RDF.type, c)
        if isinstance(s, URIRef) and s not in classes
    } | set(terms(ontology, (OWL.NamedIndividual,)))
    missing = [str(i) for i in sorted(individuals) if str(i) not in page]
    assert not missing, f"individuals not documented: {missing}"


def test_arabic_text_is_right_to_left(page: str, ontology: Graph) -> None:
    parser = TextByDirection()
    parser.feed(page)
    parser.close()
    arabic_labels = sorted(
        {
            str(label)
            for label in ontology.objects(None, RDFS.label)
            if isinstance(label, Literal) and (label.language or "").startswith("ar")
        }
    )
    assert arabic_labels, "dipkg.ttl has no Arabic labels"
    rtl_text = set(parser.rtl)
    not_rtl = [label for label in arabic_labels if label not in rtl_text]
    assert not not_rtl, f"Arabic labels not inside a dir=rtl element: {not_rtl}"
    stray = [text for text in parser.ltr if ARABIC.search(text)]
    assert not stray, f"Arabic script outside dir=rtl elements: {stray[:5]}"


def test_the_page_is_self_contained(page: str) -> None:
    lowered = page.lower()
    assert "<script" not in lowered
    for loader in ("<link", " src=", "@import", "url(", "<iframe", "<object", "<embed", "<img"):
        assert loader not in lowered, f"the page loads something: {loader}"
    assert lowered.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in lowered


def test_output_is_deterministic(generated: Path, tmp_path: Path) -> None:
    # another process: another hash seed, other blank node ids
    assert generate(tmp_path / "again.html") == generated.read_bytes()


def test_check_reports_a_stale_page(generated: Path, tmp_path: Path) -> None:
    assert run_tool("--check", "--out", generated).returncode == 0
    stale = tmp_path / "stale.html"
    stale.write_bytes(generated.read_bytes().replace(b"</body>", b"<p>edited</p></body>"))
    result = run_tool("--check", "--out", stale)
    assert result.returncode == 1
    assert "out of date" in result.stderr
    assert stale.read_bytes().endswith(b"<p>edited</p></body>\n</html>\n"), "--check wrote"
    assert run_tool("--check", "--out", tmp_path / "missing.html").returncode == 1


def test_any_ontology_is_rendered_and_escaped(tmp_path: Path) -> None:
    source = tmp_path / "tiny.ttl"
    source.write_text(
        """
        @prefix ex: <http://example.org/tiny#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <http://example.org/tiny> a owl:Ontology ; rdfs:label "Tiny"@en .
        ex:Thing a owl:Class ; rdfs:label "thing <b>&amp;</b>"@en ;
            rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:part ;
                              owl:someValuesFrom ex:Other ] .
        ex:Other a owl:Class ; rdfs:label "شيء آخر"@ar .
        ex:part a owl:ObjectProperty ; rdfs:domain [ owl:unionOf ( ex:Thing ex:Other ) ] .
        ex:one a ex:Thing .
        """,
        encoding="utf-8",
    )
    out = tmp_path / "tiny.html"
    text = generate(out, "--ontology", source, "--no-shapes").decode("utf-8")
    for anchor in ("Thing", "Other", "part", "one"):
        assert f'id="{anchor}"' in text
    assert "<b>" not in text and "thing &lt;b&gt;&amp;amp;&lt;/b&gt;" in text
    assert '<span lang="ar" dir="rtl">شيء آخر</span>' in text
    assert '<li class="missing"><span class="tag">fr</span> missing</li>' in text
    assert "<script" not in text.lower()


def test_committed_page_is_up_to_date(generated: Path) -> None:
    if not COMMITTED.exists():
        pytest.skip(
            "docs/ontology.html has not been generated yet: "
            "run .venv/bin/python tools/build_ontology_docs.py"
        )
    assert COMMITTED.read_bytes() == generated.read_bytes(), (
        "docs/ontology.html is out of date with ontology/dipkg.ttl or ontology/shapes.ttl: "
        "run .venv/bin/python tools/build_ontology_docs.py"
    )
