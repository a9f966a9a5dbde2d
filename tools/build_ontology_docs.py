#!/usr/bin/env python3
"""Generate ``docs/ontology.html``, the documentation of the project's OWL ontology.

Sources: ``ontology/dipkg.ttl`` (classes, properties, named individuals, their labels in English,
Arabic and French, definitions and mappings) and, when present, ``ontology/shapes.ttl`` (the SHACL
constraints of each class, written out in words).

The page is self-contained: inline CSS, no JavaScript, nothing loaded from elsewhere. Every text
taken from the ontology is HTML-escaped; Arabic text is marked ``dir="rtl"``. Terms are sorted, so
the output is deterministic and ``--check`` can compare bytes::

    .venv/bin/python tools/build_ontology_docs.py            # writes docs/ontology.html
    .venv/bin/python tools/build_ontology_docs.py --check    # exit 1 if docs/ontology.html is stale
    .venv/bin/python tools/build_ontology_docs.py --report   # missing labels, definitions, ...

Only rdflib is needed.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_TTL = ROOT / "ontology" / "dipkg.ttl"
SHAPES_TTL = ROOT / "ontology" / "shapes.ttl"
OUT_HTML = ROOT / "docs" / "ontology.html"

DEFAULT_INSTANCE_BASE = "https://w3id.org/dipkg/id/"
"""Base IRI of instance data when the ontology does not state one (void:uriSpace); it is the
default of ``kg/namespaces.py``, which ``KG_BASE_IRI`` overrides at run time."""

LANGS = ("en", "ar", "fr")
"""The languages every term should be labelled in, in the order they are shown."""
RTL_LANGS = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})

SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
VOID = Namespace("http://rdfs.org/ns/void#")
DC = Namespace("http://purl.org/dc/elements/1.1/")

WELL_KNOWN_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
    "vann": str(VANN),
    "void": str(VOID),
}

# Types that make a resource a term of the vocabulary rather than an individual.
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_SECTIONS = (
    ("object-properties", "Object properties", "Object property", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", "Datatype property", OWL.DatatypeProperty),
    (
        "annotation-properties",
        "Annotation properties",
        "Annotation property",
        OWL.AnnotationProperty,
    ),
    ("other-properties", "Other properties", "Property", RDF.Property),
)
PROPERTY_TYPES = tuple(section[3] for section in PROPERTY_SECTIONS)
META_NAMESPACES = (str(RDF), str(RDFS), str(OWL))
CHARACTERISTICS = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
)

LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)
TEXT_ROWS = (
    (SKOS.definition, "Definition"),
    (RDFS.comment, "Comment"),
    (DCTERMS.description, "Description"),
    (SKOS.scopeNote, "Scope note"),
    (SKOS.example, "Example"),
    (SKOS.note, "Note"),
    (SKOS.editorialNote, "Editorial note"),
    (SKOS.historyNote, "History note"),
    (SKOS.changeNote, "Change note"),
)
DEFINITION_PREDICATES = (SKOS.definition, RDFS.comment, DCTERMS.description)
MAPPING_PREDICATES = (
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.sameAs,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    RDFS.seeAlso,
)
CLASS_PREDICATES = (RDFS.subClassOf, OWL.disjointWith)
PROPERTY_PREDICATES = (
    RDFS.domain,
    RDFS.range,
    RDFS.subPropertyOf,
    OWL.inverseOf,
    OWL.propertyDisjointWith,
)
HANDLED_PREDICATES = frozenset(
    (
        RDF.type,
        OWL.deprecated,
        *LABEL_PREDICATES,
        *(p for p, _ in TEXT_ROWS),
        *MAPPING_PREDICATES,
        *CLASS_PREDICATES,
        *PROPERTY_PREDICATES,
    )
)
ONTOLOGY_HANDLED = frozenset(
    (
        RDF.type,
        RDFS.label,
        DCTERMS.title,
        DC.title,
        DCTERMS.description,
        DC.description,
        RDFS.comment,
        OWL.versionInfo,
        OWL.versionIRI,
        VANN.preferredNamespaceUri,
        VANN.preferredNamespacePrefix,
        VOID.uriSpace,
    )
)

ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
RTL_RUN = re.compile(
    f"[{ARABIC_SCRIPT}\u0590-\u05ff]+(?:[\\s\u200c-\u200f]+[{ARABIC_SCRIPT}\u0590-\u05ff]+)*"
)
LOCAL_NAME = re.compile(r"^[A-Za-z_][\w.-]*(?<!\.)$")
CURIE_LOCAL = re.compile(r"^[\w][\w.-]*(?<!\.)$")
RESERVED_IDS = frozenset({"top", "toc", "toc-title", "main"})

CSS = """\
:root { --fg: #1d232b; --muted: #5b6570; --bg: #ffffff; --panel: #f5f7f9; --line: #d9dee3;
  --accent: #0b5cad; --warn: #9a4a00; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e4e8ec; --muted: #9aa5b1; --bg: #15191e; --panel: #1d232a; --line: #313a44;
    --accent: #7fb4ff; --warn: #ffb066; }
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
[lang|="ar"], [dir="rtl"] { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro",
  "Arabic Typesetting", Tahoma, sans-serif; }
header, main, footer { max-width: 64rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 .25rem; font-size: 1.9rem; }
h2 { margin-top: 2.5rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { margin: 0 0 .5rem; font-size: 1.2rem; }
h4 { margin: 1rem 0 .4rem; font-size: 1rem; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
.subtitle { margin: 0 0 1rem; color: var(--muted); }
.subtitle span + span::before { content: " · "; }
.muted, .tag, .top { color: var(--muted); }
.missing { color: var(--warn); font-style: italic; }
.badge { display: inline-block; margin-left: .4rem; padding: 0 .4rem; border-radius: .6rem;
  font-size: .75rem; font-weight: normal; background: var(--panel); border: 1px solid var(--line);
  vertical-align: middle; }
.badge.deprecated { color: var(--warn); border-color: var(--warn); }
.kw { font-style: italic; color: var(--muted); }
nav#toc { margin: 1.5rem 0; padding: .75rem 1rem; background: var(--panel);
  border: 1px solid var(--line); border-radius: .4rem; }
nav#toc h2 { margin: 0 0 .5rem; border: 0; font-size: 1.1rem; }
nav#toc > ol { margin: 0; padding-left: 1.25rem; }
nav#toc ol ol { columns: 14rem; column-gap: 1.5rem; padding-left: 1rem; margin: .25rem 0 .5rem;
  font-size: .92rem; }
nav#toc ol ol li { break-inside: avoid; }
section.term { margin: 1.25rem 0; padding: .9rem 1rem; border: 1px solid var(--line);
  border-radius: .4rem; scroll-margin-top: 1rem; }
section.term h3 .curie { font-weight: normal; color: var(--muted); font-size: .95rem; }
.top { float: right; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
table.facts th { width: 11rem; text-align: left; vertical-align: top; font-weight: 600;
  padding: .3rem .75rem .3rem 0; color: var(--muted); }
table.facts td { padding: .3rem 0; vertical-align: top; }
table.facts tr + tr > * { border-top: 1px solid var(--line); }
table.grid th, table.grid td { border: 1px solid var(--line); padding: .3rem .5rem;
  text-align: left; vertical-align: top; }
table.grid th { background: var(--panel); }
table.grid code { overflow-wrap: break-word; }
table.grid td.msg { font-style: italic; }
ul.plain, ul.labels { list-style: none; margin: 0; padding: 0; }
ul.labels li { margin: .1rem 0; display: grid; grid-template-columns: 2.25rem 1fr;
  align-items: baseline; }
.tag { display: inline-block; min-width: 2rem; font-size: .8rem;
  font-family: ui-monospace, Menlo, Consolas, monospace; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.25rem; }
ul.tree { padding-left: 0; }
ul.tree li { margin: .15rem 0; }
.shape { margin: .5rem 0 1rem; }
.shape p { margin: .25rem 0 .5rem; }
footer { margin-top: 3rem; padding-bottom: 2rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: .9rem; }
@media print {
  nav#toc ol ol { columns: 3; }
  section.term { break-inside: avoid; }
  .top { display: none; }
}
"""


def esc(text: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


def isolate_rtl(escaped: str) -> str:
    """Wrap runs of Arabic (or Hebrew) script inside left-to-right text in ``<bdi dir="rtl">``."""
    return RTL_RUN.sub(lambda m: f'<bdi dir="rtl">{m.group(0)}</bdi>', escaped)


def lang_key(lang: str | None) -> tuple[int, str]:
    lang = (lang or "").lower()
    primary = lang.split("-")[0]
    return (LANGS.index(primary) if primary in LANGS else len(LANGS), lang)


def literal_key(lit: Literal) -> tuple[tuple[int, str], str]:
    return (lang_key(lit.language), str(lit))


def is_rtl(lang: str | None) -> bool:
    return (lang or "").lower().split("-")[0] in RTL_LANGS


def list_items(graph: Graph, head: Node | None) -> list[Node]:
    """The members of an RDF list, tolerating broken or cyclic lists."""
    items: list[Node] = []
    seen: set[Node] = set()
    node = head
    while node is not None and node != RDF.nil and node not in seen:
        seen.add(node)
        first = graph.value(node, RDF.first)
        if first is None:
            break
        items.append(first)
        node = graph.value(node, RDF.rest)
    return items


def namespace_of(iri: str) -> str:
    for sep in ("#", "/"):
        cut = iri.rfind(sep)
        if cut >= 0 and cut < len(iri) - 1:
            return iri[: cut + 1]
    return iri


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def parse(path: Path) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    return graph


def display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


class Docs:
    """Everything known about the ontology and its shapes, and how to render it."""

    def __init__(self, graph: Graph, shapes: Graph | None, sources: list[str]) -> None:
        self.g = graph
        self.sg = shapes
        self.sources = sources

        # prefixes: those declared in dipkg.ttl first, then the shapes', then well-known ones
        self.declared: dict[str, tuple[str, str]] = {}
        for name, source in ((graph, sources[0]), (shapes, sources[-1])):
            if name is None:
                continue
            for bound, uri in sorted(name.namespaces()):
                if bound and bound not in self.declared:
                    self.declared[bound] = (str(uri), source)
        self.ns_prefix: dict[str, str] = {}
        for prefix, (ns, _) in sorted(self.declared.items()):
            self.ns_prefix.setdefault(ns, prefix)
        used = set(self.declared)
        for prefix, ns in WELL_KNOWN_PREFIXES.items():
            if prefix not in used and ns not in self.ns_prefix:
                self.ns_prefix[ns] = prefix

        onto = sorted(
            (s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)), key=str
        )
        self.ontology: URIRef | None = onto[0] if onto else None

        # the terms, by kind
        subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
        types = {s: set(graph.objects(s, RDF.type)) for s in subjects}
        self.classes = self.sort([s for s in subjects if types[s] & set(CLASS_TYPES)])
        self.properties: dict[str, list[URIRef]] = {key: [] for key, *_ in PROPERTY_SECTIONS}
        self.property_kind: dict[URIRef, str] = {}
        for s in subjects:
            if s in self.classes:
                continue
            for key, _, kind, rdf_type in PROPERTY_SECTIONS:
                if rdf_type in types[s]:
                    self.properties[key].append(s)
                    self.property_kind[s] = kind
                    break
            else:
                if types[s] & set(CHARACTERISTICS):
                    self.properties["other-properties"].append(s)
                    self.property_kind[s] = "Property"
        for key in self.properties:
            self.properties[key] = self.sort(self.properties[key])
        vocabulary = set(self.classes) | set(self.property_kind) | set(onto)
        self.individuals: list[URIRef] = []
        for s in subjects:
            if s in vocabulary:
                continue
            plain = {t for t in types[s] if not str(t).startswith(META_NAMESPACES)}
            if plain or OWL.NamedIndividual in types[s]:
                self.individuals.append(s)
        self.namespace = self.find_namespace(subjects)
        self.individuals.sort(key=lambda s: (self.curie(self.individual_class(s)), *self.key(s)))
        documented = vocabulary | set(self.individuals)
        self.untyped = self.sort(
            [
                s
                for s in subjects
                if s not in documented and self.namespace and str(s).startswith(self.namespace)
            ]
        )
        self.anchors = self.make_anchors()
        self.shape_ids: dict[Node, str] = {}
        self.rendered_shapes: set[Node] = set()
        self.shapes = self.collect_shapes()

    # ------------------------------------------------------------------ naming

    def find_namespace(self, subjects: list[URIRef]) -> str:
        if self.ontology is not None:
            stated = self.g.value(self.ontology, VANN.preferredNamespaceUri)
            if stated is not None:
                return str(stated)
            for sep in ("#", "/"):
                candidate = str(self.ontology) + sep
                if any(str(s).startswith(candidate) for s in subjects):
                    return candidate
        counts = Counter(
            namespace_of(str(s))
            for s in [*self.classes, *self.property_kind]
            if not str(s).startswith(META_NAMESPACES)
        )
        return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else ""

    def curie(self, iri: Node | None) -> str:
        if iri is None:
            return ""
        text = str(iri)
        best = ""
        for ns in self.ns_prefix:
            if text.startswith(ns) and len(ns) > len(best) and CURIE_LOCAL.match(text[len(ns) :]):
                best = ns
        return f"{self.ns_prefix[best]}:{text[len(best) :]}" if best else text

    def local(self, iri: URIRef) -> str:
        text = str(iri)
        if self.namespace and text.startswith(self.namespace):
            return text[len(self.namespace) :]
        return text[len(namespace_of(text)) :] or text

    def key(self, iri: URIRef) -> tuple[str, str]:
        return (self.curie(iri).casefold(), str(iri))

    def sort(self, iris: Iterable[URIRef]) -> list[URIRef]:
        return sorted(set(iris), key=self.key)

    def make_anchors(self) -> dict[URIRef, str]:
        anchors: dict[URIRef, str] = {}
        taken = set(RESERVED_IDS)
        terms = [
            *self.classes,
            *(p for key, *_ in PROPERTY_SECTIONS for p in self.properties[key]),
            *self.individuals,
            *self.untyped,
        ]
        for term in terms:
            local = self.local(term)
            if not LOCAL_NAME.match(local) or local.startswith(("sec-", "shape-")):
                local = "term-" + re.sub(r"[^\w.-]+", "-", self.curie(term)).strip("-")
            anchor, n = local, 2
            while anchor in taken:
                anchor, n = f"{local}-{n}", n + 1
            taken.add(anchor)
            anchors[term] = anchor
        return anchors

    def individual_class(self, s: URIRef) -> URIRef | None:
        plain = sorted(
            (
                t
                for t in self.g.objects(s, RDF.type)
                if isinstance(t, URIRef) and t != OWL.NamedIndividual
            ),
            key=lambda t: (t not in self.classes, str(t)),
        )
        return plain[0] if plain else None

    # ------------------------------------------------------------------ values

    def labels(self, s: Node, graph: Graph | None = None) -> list[Literal]:
        graph = self.g if graph is None else graph
        for predicate in LABEL_PREDICATES:
            found = [o for o in graph.objects(s, predicate) if isinstance(o, Literal)]
            if found:
                return sorted(found, key=literal_key)
        return []

    def label(self, s: Node, lang: str = "en") -> str:
        labels = self.labels(s)
        for lit in labels:
            if (lit.language or "").lower().split("-")[0] == lang:
                return str(lit)
        for lit in labels:
            if not lit.language:
                return str(lit)
        return ""

    def title(self, s: URIRef) -> str:
        return self.label(s) or (str(self.labels(s)[0]) if self.labels(s) else self.local(s))

    def texts(self, s: Node, predicate: URIRef, graph: Graph | None = None) -> list[Literal]:
        graph = self.g if graph is None else graph
        return sorted(
            (o for o in graph.objects(s, predicate) if isinstance(o, Literal)), key=literal_key
        )

    def nkey(self, node: Node, graph: Graph | None = None) -> tuple[int, str, str]:
        """A sort key that does not depend on blank node ids (which change on every parse)."""
        if isinstance(node, URIRef):
            return (0, self.curie(node).casefold(), str(node))
        if isinstance(node, Literal):
            return (1, str(node), node.language or str(node.datatype or ""))
        return (2, self.node(node, graph), "")

    def ordered(self, nodes: Iterable[Node], graph: Graph | None = None) -> list[Node]:
        return sorted(set(nodes), key=lambda n: self.nkey(n, graph))

    def ordered_objects(self, s: Node, predicate: Node) -> list[Node]:
        """Objects in the shapes graph, in a stable order."""
        assert self.sg is not None
        return self.ordered(self.sg.objects(s, predicate), self.sg)

    def objects(self, s: Node, predicate: Node) -> list[Node]:
        return self.ordered(self.g.objects(s, predicate))

    def named(self, nodes: Iterable[Node]) -> list[URIRef]:
        return self.sort(n for n in nodes if isinstance(n, URIRef))

    def members(self, node: Node) -> list[URIRef]:
        """The named classes of a class expression used as a domain or range (unions unfolded)."""
        if isinstance(node, URIRef):
            return [node]
        found: list[URIRef] = []
        for predicate in (OWL.unionOf, OWL.intersectionOf):
            for item in list_items(self.g, self.g.value(node, predicate)):
                found.extend(self.members(item))
        return found

    def domains(self, p: URIRef) -> list[URIRef]:
        return self.sort(m for d in self.g.objects(p, RDFS.domain) for m in self.members(d))

    def ranges(self, p: URIRef) -> list[URIRef]:
        return self.sort(m for r in self.g.objects(p, RDFS.range) for m in self.members(r))

    def superclasses(self, c: URIRef) -> list[URIRef]:
        return self.named(self.g.objects(c, RDFS.subClassOf))

    def ancestors(self, c: URIRef) -> list[URIRef]:
        """Documented classes above ``c``, nearest first, each once."""
        order: list[URIRef] = []
        frontier = [c]
        seen = {c}
        while frontier:
            nxt: list[URIRef] = []
            for node in frontier:
                for sup in self.superclasses(node):
                    if sup not in seen:
                        seen.add(sup)
                        order.append(sup)
                        nxt.append(sup)
            frontier = nxt
        return order

    # ------------------------------------------------------------------ rendering pieces

    def ref(self, iri: Node) -> str:
        """A link to a term: inside the page when documented here, else to its IRI."""
        if not isinstance(iri, URIRef):
            return self.node(iri)
        curie = esc(self.curie(iri))
        if iri in self.anchors:
            hint = self.label(iri)
            title = f' title="{esc(hint)}"' if hint else ""
            return f'<a href="#{esc(self.anchors[iri])}"{title}><code>{curie}</code></a>'
        if iri in self.shape_ids:
            return f'<a href="#{esc(self.shape_ids[iri])}"><code>{curie}</code></a>'
        if str(iri).startswith(("http://", "https://")):
            return f'<a href="{esc(iri)}"><code>{curie}</code></a>'
        return f"<code>{curie}</code>"

    def text(self, lit: Literal) -> str:
        """A literal: language-tagged text (right-to-left where needed) or a typed value."""
        body = esc(lit)
        lang = (lit.language or "").lower()
        if is_rtl(lang):
            return f'<span lang="{esc(lang)}" dir="rtl">{body}</span>'
        body = isolate_rtl(body)
        if lang:
            return f'<span lang="{esc(lang)}">{body}</span>'
        if lit.datatype is not None and lit.datatype != XSD.string:
            return (
                f'<code>{body}</code> <span class="muted">({esc(self.curie(lit.datatype))})</span>'
            )
        return body

    def value(self, lit: Node) -> str:
        """A literal as a bare value (numbers, patterns), quoted when it is a string."""
        if isinstance(lit, Literal):
            if lit.datatype is None or lit.datatype == XSD.string or lit.language:
                return f"<code>{isolate_rtl(esc(repr_string(str(lit))))}</code>"
            return f"<code>{esc(lit)}</code>"
        return self.node(lit)

    def node(self, node: Node, graph: Graph | None = None, depth: int = 0) -> str:
        """Any RDF node: a link, a literal, or a class expression in words."""
        graph = self.g if graph is None else graph
        if isinstance(node, URIRef):
            return self.ref(node)
        if isinstance(node, Literal):
            return self.text(node)
        if depth > 6:
            return "…"
        return self.expression(node, graph, depth + 1)

    def expression(self, node: Node, graph: Graph, depth: int) -> str:
        def sub(n: Node) -> str:
            return self.node(n, graph, depth)

        def kw(word: str) -> str:
            return f' <span class="kw">{word}</span> '

        for predicate, word in ((OWL.unionOf, "or"), (OWL.intersectionOf, "and")):
            head = graph.value(node, predicate)
            if head is not None:
                return "(" + kw(word).join(sub(x) for x in list_items(graph, head)) + ")"
        head = graph.value(node, OWL.oneOf)
        if head is not None:
            return "{" + ", ".join(sub(x) for x in list_items(graph, head)) + "}"
        complement = graph.value(node, OWL.complementOf)
        if complement is not None:
            return kw("not").lstrip() + sub(complement)
        on = graph.value(node, OWL.onProperty)
        if on is not None:
            prop = sub(on)
            filler = graph.value(node, OWL.onClass) or graph.value(node, OWL.onDataRange)
            tail = " " + sub(filler) if filler is not None else ""
            for predicate, word in (
                (OWL.someValuesFrom, "some"),
                (OWL.allValuesFrom, "only"),
                (OWL.hasValue, "value"),
            ):
                target = graph.value(node, predicate)
                if target is not None:
                    return prop + kw(word) + sub(target)
            for predicates, word in (
                ((OWL.cardinality, OWL.qualifiedCardinality), "exactly"),
                ((OWL.minCardinality, OWL.minQualifiedCardinality), "min"),
                ((OWL.maxCardinality, OWL.maxQualifiedCardinality), "max"),
            ):
                for predicate in predicates:
                    target = graph.value(node, predicate)
                    if target is not None:
                        return prop + kw(word) + esc(target) + tail
            if graph.value(node, OWL.hasSelf) is not None:
                return prop + kw("self").rstrip()
        if graph.value(node, RDF.first) is not None:
            return "(" + ", ".join(sub(x) for x in list_items(graph, node)) + ")"
        parts = sorted(
            f"{esc(self.curie(p))} {sub(o)}"
            for p, o in graph.predicate_objects(node)
            if p != RDF.type
        )
        return "[" + "; ".join(parts) + "]"

    def lang_list(self, lits: list[Literal], expected: Iterable[str] = ()) -> str:
        """Texts one per line with their language tag; expected languages shown even if missing."""
        present = {(lit.language or "").lower().split("-")[0] for lit in lits}
        rows: list[tuple[tuple[tuple[int, str], str], str]] = []
        for lit in lits:
            tag = esc(lit.language or "–")
            rows.append(
                (literal_key(lit), f'<li><span class="tag">{tag}</span> {self.text(lit)}</li>')
            )
        for lang in expected:
            if lang not in present:
                rows.append(
                    (
                        (lang_key(lang), ""),
                        f'<li class="missing"><span class="tag">{esc(lang)}</span> missing</li>',
                    )
                )
        rows.sort(key=lambda r: r[0])
        return '<ul class="labels">' + "".join(r[1] for r in rows) + "</ul>"

    def refs(self, iris: Iterable[Node], empty: str = "") -> str:
        items = [self.node(i) for i in iris]
        if not items:
            return f'<span class="muted">{esc(empty)}</span>' if empty else ""
        return ", ".join(items)

    # ------------------------------------------------------------------ SHACL

    def collect_shapes(self) -> dict[URIRef, list[Node]]:
        """Shapes by the documented class they target (sh:targetClass or implicit class target)."""
        by_class: dict[URIRef, list[Node]] = defaultdict(list)
        if self.sg is None:
            return by_class
        for shape in self.all_shapes():
            targets = set(self.sg.objects(shape, SH.targetClass))
            if set(self.sg.objects(shape, RDF.type)) & set(CLASS_TYPES):
                targets.add(shape)
            for target in targets:
                if isinstance(target, URIRef):
                    by_class[target].append(shape)
        for target in by_class:
            by_class[target] = sorted(set(by_class[target]), key=lambda s: self.shape_sort(s))
        return by_class

    def all_shapes(self) -> list[Node]:
        """Top-level shapes: declared node/property shapes, or nodes with a SHACL target."""
        if self.sg is None:
            return []
        sg = self.sg
        found = set(sg.subjects(RDF.type, SH.NodeShape)) | set(
            sg.subjects(RDF.type, SH.PropertyShape)
        )
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            found |= set(sg.subjects(predicate, None))
        return sorted(
            (
                s
                for s in found
                if isinstance(s, URIRef) or s in set(sg.subjects(SH.targetClass, None))
            ),
            key=self.shape_sort,
        )

    def shape_sort(self, shape: Node) -> tuple[int, str]:
        if isinstance(shape, URIRef):
            return (0, self.curie(shape).casefold() + " " + str(shape))
        return (1, self.constraint_words(shape))

    def shape_anchor(self, shape: Node) -> str:
        if shape not in self.shape_ids:
            name = self.curie(shape) if isinstance(shape, URIRef) else "anonymous"
            base = "shape-" + re.sub(r"[^\w.-]+", "-", name).strip("-")
            anchor, n = base, 2
            while anchor in self.shape_ids.values():
                anchor, n = f"{base}-{n}", n + 1
            self.shape_ids[shape] = anchor
        return self.shape_ids[shape]

    def path(self, node: Node | None) -> str:
        """A SHACL property path in words."""
        sg = self.sg
        if node is None or sg is None:
            return '<span class="muted">(no path)</span>'
        if isinstance(node, URIRef):
            return self.ref(node)
        if sg.value(node, RDF.first) is not None:
            return " / ".join(self.path(step) for step in list_items(sg, node))
        for predicate, word in (
            (SH.inversePath, "inverse of "),
            (SH.zeroOrMorePath, "zero or more "),
            (SH.oneOrMorePath, "one or more "),
            (SH.zeroOrOnePath, "optional "),
        ):
            inner = sg.value(node, predicate)
            if inner is not None:
                return f'<span class="kw">{word}</span>{self.path(inner)}'
        alternatives = sg.value(node, SH.alternativePath)
        if alternatives is not None:
            return ' <span class="kw">or</span> '.join(
                self.path(x) for x in list_items(sg, alternatives)
            )
        return self.node(node, sg)

    def count_words(self, node: Node) -> str:
        sg = self.sg
        assert sg is not None
        low, high = sg.value(node, SH.minCount), sg.value(node, SH.maxCount)
        if low is None and high is None:
            return ""
        lo = int(str(low)) if low is not None else 0
        if high is None:
            return f"at least {plural(lo, 'value')}" if lo else "any number of values"
        hi = int(str(high))
        if lo == hi:
            return f"exactly {plural(hi, 'value')}"
        if lo == 0:
            return f"at most {plural(hi, 'value')}" if hi else "no value"
        return f"{lo} to {hi} values"

    def value_words(self, node: Node) -> list[str]:
        sg = self.sg
        assert sg is not None
        words: list[str] = []
        for dt in self.ordered(sg.objects(node, SH.datatype), sg):
            words.append(f"datatype {self.ref(dt)}")
        for cls in self.ordered(sg.objects(node, SH["class"]), sg):
            words.append(f"an instance of {self.node(cls, sg)}")
        for shape in self.ordered(sg.objects(node, SH.node), sg):
            words.append(f"conforms to {self.shape_ref(shape)}")
        for kind in self.ordered(sg.objects(node, SH.nodeKind), sg):
            words.append(f"node kind {self.ref(kind)}")
        for value in self.ordered(sg.objects(node, SH.hasValue), sg):
            words.append(f"includes {self.value(value)}")
        for head in self.ordered_objects(node, SH["in"]):
            words.append("one of " + ", ".join(self.value(x) for x in list_items(sg, head)))
        qualified = sg.value(node, SH.qualifiedValueShape)
        if qualified is not None:
            bounds = []
            for predicate, word in (
                (SH.qualifiedMinCount, "at least"),
                (SH.qualifiedMaxCount, "at most"),
            ):
                n = sg.value(node, predicate)
                if n is not None:
                    bounds.append(f"{word} {esc(n)}")
            inner = self.constraint_words(qualified)
            words.append(f"{' and '.join(bounds) or 'some'} conforming to ({inner})")
        return words

    def other_words(self, node: Node) -> list[str]:
        sg = self.sg
        assert sg is not None
        words: list[str] = []
        for pattern in self.ordered(sg.objects(node, SH.pattern), sg):
            flags = sg.value(node, SH.flags)
            extra = f" (flags {self.value(flags)})" if flags is not None else ""
            words.append(f"matches {self.value(pattern)}{extra}")
        for head in self.ordered_objects(node, SH.languageIn):
            langs = ", ".join(f"<code>{esc(x)}</code>" for x in list_items(sg, head))
            words.append(f"language among {langs}")
        if str(sg.value(node, SH.uniqueLang)).lower() == "true":
            words.append("at most one value per language")
        for predicate, word in (
            (SH.minLength, "at least {} characters"),
            (SH.maxLength, "at most {} characters"),
            (SH.minInclusive, "≥ {}"),
            (SH.minExclusive, "> {}"),
            (SH.maxInclusive, "≤ {}"),
            (SH.maxExclusive, "< {}"),
        ):
            for value in self.ordered(sg.objects(node, predicate), sg):
                words.append(word.format(f"<code>{esc(value)}</code>"))
        for predicate, word in (
            (SH.equals, "equal to the values of"),
            (SH.disjoint, "disjoint from the values of"),
            (SH.lessThan, "less than the values of"),
            (SH.lessThanOrEquals, "not greater than the values of"),
        ):
            for other in self.ordered(sg.objects(node, predicate), sg):
                words.append(f"{word} {self.path(other)}")
        for predicate, word in ((SH["or"], "or"), (SH["and"], "and"), (SH.xone, "exactly one of")):
            for head in self.ordered_objects(node, predicate):
                alternatives = [f"({self.constraint_words(x)})" for x in list_items(sg, head)]
                joiner = (
                    ' <span class="kw">or</span> '
                    if word != "and"
                    else ' <span class="kw">and</span> '
                )
                lead = (
                    "exactly one of: "
                    if word == "exactly one of"
                    else ("either " if word == "or" else "all of: ")
                )
                words.append(lead + joiner.join(alternatives))
        for negated in self.ordered(sg.objects(node, SH["not"]), sg):
            words.append(f"not ({self.constraint_words(negated)})")
        if str(sg.value(node, SH.closed)).lower() == "true":
            ignored = [
                self.path(x)
                for head in self.ordered_objects(node, SH.ignoredProperties)
                for x in list_items(sg, head)
            ]
            words.append("closed" + (f" (also allowed: {', '.join(ignored)})" if ignored else ""))
        severity = sg.value(node, SH.severity)
        if severity is not None and severity != SH.Violation:
            words.append(f"severity {self.ref(severity)}")
        if str(sg.value(node, SH.deactivated)).lower() == "true":
            words.append("deactivated")
        known = {
            RDF.type, RDFS.comment, RDFS.label, SH.path, SH.minCount, SH.maxCount, SH.datatype,
            SH["class"], SH.node, SH.nodeKind, SH.hasValue, SH["in"], SH.qualifiedValueShape,
            SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.pattern, SH.flags, SH.languageIn,
            SH.uniqueLang, SH.minLength, SH.maxLength, SH.minInclusive, SH.minExclusive,
            SH.maxInclusive, SH.maxExclusive, SH.equals, SH.disjoint, SH.lessThan,
            SH.lessThanOrEquals, SH["or"], SH["and"], SH.xone, SH["not"], SH.closed,
            SH.ignoredProperties, SH.severity, SH.deactivated, SH.message, SH.property,
            SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.name,
            SH.description, SH.order, SH.group,
        }  # fmt: skip
        pairs = sg.predicate_objects(node)
        for pred, obj in sorted(pairs, key=lambda po: (str(po[0]), self.nkey(po[1], sg))):
            if pred not in known:
                words.append(f"{self.ref(pred)} {self.node(obj, sg)}")
        return words

    def shape_ref(self, shape: Node) -> str:
        if isinstance(shape, URIRef):
            anchor = esc(self.shape_anchor(shape))
            return f'<a href="#{anchor}"><code>{esc(self.curie(shape))}</code></a>'
        return f"({self.constraint_words(shape)})"

    def constraint_words(self, node: Node) -> str:
        """One constraint (a property shape or an inline node shape) as one line of words."""
        sg = self.sg
        assert sg is not None
        parts = []
        path = sg.value(node, SH.path)
        if path is not None:
            parts.append(self.path(path))
        parts += [w for w in [self.count_words(node)] if w]
        parts += self.value_words(node) + self.other_words(node)
        if path is None:
            nested = sorted(
                self.constraint_words(ps)
                for ps in sg.objects(node, SH.property)
                if ps != node and sg.value(ps, SH.path) is not None
            )
            parts += [f"[{words}]" for words in nested]
        return ", ".join(parts) if parts else '<span class="muted">no constraint</span>'

    def messages(self, node: Node) -> str:
        assert self.sg is not None
        lits = self.texts(node, SH.message, self.sg)
        return "<br>".join(self.text(m) for m in lits)

    def property_shapes(self, shape: Node) -> list[Node]:
        assert self.sg is not None
        nodes = list(self.sg.objects(shape, SH.property))
        if self.sg.value(shape, SH.path) is not None:
            nodes.append(shape)

        def order(n: Node) -> tuple[float, str]:  # by sh:order, then by path
            rank = self.sg.value(n, SH.order) if self.sg is not None else None
            try:
                position = float(str(rank)) if rank is not None else float("inf")
            except ValueError:
                position = float("inf")
            assert self.sg is not None
            path = plain_text(self.path(self.sg.value(n, SH.path))).casefold()
            return (position, path + "\n" + self.constraint_words(n) + "\n" + self.messages(n))

        return sorted(nodes, key=order)

    def render_shape(self, shape: Node, heading: str = "h4") -> str:
        sg = self.sg
        assert sg is not None
        anchor = ""
        if shape not in self.rendered_shapes:
            self.rendered_shapes.add(shape)
            anchor = f' id="{esc(self.shape_anchor(shape))}"'
        name = (
            f"<code>{esc(self.curie(shape))}</code>"
            if isinstance(shape, URIRef)
            else "Anonymous shape"
        )
        out = [f'<div class="shape"{anchor}>', f"<{heading}>SHACL shape {name}</{heading}>"]
        notes = self.texts(shape, RDFS.comment, sg) + self.texts(shape, SH.description, sg)
        for note in notes:
            out.append(f"<p>{self.text(note)}</p>")
        targets = []
        for predicate, word in (
            (SH.targetClass, "instances of"),
            (SH.targetNode, "the node"),
            (SH.targetSubjectsOf, "subjects of"),
            (SH.targetObjectsOf, "objects of"),
        ):
            found = [self.node(t, sg) for t in self.ordered(sg.objects(shape, predicate), sg)]
            if found:
                targets.append(f"{word} {', '.join(found)}")
        if set(sg.objects(shape, RDF.type)) & set(CLASS_TYPES):
            targets.append(f"instances of {self.ref(shape)} (implicit)")
        out.append(
            "<p>Applies to: " + ("; ".join(targets) if targets else
            '<span class="muted">no target of its own (used through <code>sh:node</code>)</span>')
            + ".</p>"
        )  # fmt: skip
        rows = []
        for ps in self.property_shapes(shape):
            path = self.path(sg.value(ps, SH.path))
            names = [self.text(n) for n in self.texts(ps, SH.name, sg)]
            if names:
                path += f' <span class="muted">({", ".join(names)})</span>'
            values = self.value_words(ps)
            other = self.other_words(ps)
            count = self.count_words(ps) or '<span class="muted">any number</span>'
            kinds = "<br>".join(values) or '<span class="muted">any</span>'
            rows.append(
                f"<tr><td>{path}</td><td>{count}</td><td>{kinds}</td>"
                f'<td>{"<br>".join(other)}</td><td class="msg">{self.messages(ps)}</td></tr>'
            )
        if rows:
            out.append(
                '<table class="grid"><thead><tr><th scope="col">Path</th>'
                '<th scope="col">Count</th><th scope="col">Values</th>'
                '<th scope="col">Other conditions</th><th scope="col">Message</th></tr></thead>'
                "<tbody>" + "".join(rows) + "</tbody></table>"
            )
        if sg.value(shape, SH.path) is None:
            node_level = self.value_words(shape) + self.other_words(shape)
            if node_level:
                out.append("<p>Each focus node: " + "; ".join(node_level) + ".</p>")
                message = self.messages(shape)
                if message:
                    out.append(f'<p class="muted">Message: {message}</p>')
        out.append("</div>")
        return "\n".join(out)

    def shapes_on_property(self) -> dict[URIRef, list[tuple[Node, str]]]:
        """For each documented property, the shapes whose constraints have it as path."""
        found: dict[URIRef, list[tuple[Node, str]]] = defaultdict(list)
        if self.sg is None:
            return found
        for shape in self.all_shapes():
            for ps in self.property_shapes(shape):
                path = self.sg.value(ps, SH.path)
                if isinstance(path, URIRef) and path in self.property_kind:
                    found[path].append((shape, self.constraint_words(ps)))
            for alternatives in [
                *self.sg.objects(shape, SH["or"]),
                *self.sg.objects(shape, SH.xone),
            ]:
                for alt in list_items(self.sg, alternatives):
                    path = self.sg.value(alt, SH.path)
                    if isinstance(path, URIRef) and path in self.property_kind:
                        found[path].append((shape, self.constraint_words(alt)))
        return found

    # ------------------------------------------------------------------ sections

    def facts(self, rows: list[tuple[str, str]]) -> str:
        body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in rows if v)
        return f'<table class="facts">{body}</table>'

    def common_rows(self, s: URIRef) -> list[tuple[str, str]]:
        rows = [
            ("IRI", f"<code>{esc(s)}</code>"),
            ("Labels", self.lang_list(self.labels(s), LANGS)),
        ]
        has_definition = False
        for predicate, title in TEXT_ROWS:
            lits = self.texts(s, predicate)
            if lits:
                has_definition = has_definition or predicate in DEFINITION_PREDICATES
                rows.append((title, self.lang_list(lits)))
        if not has_definition:
            rows.insert(2, ("Definition", '<span class="missing">none given</span>'))
        return rows

    def mapping_rows(self, s: URIRef) -> list[tuple[str, str]]:
        items = []
        for predicate in MAPPING_PREDICATES:
            for target in self.objects(s, predicate):
                items.append(f"<li>{esc(self.curie(predicate))} {self.node(target)}</li>")
        return [("Mappings", f'<ul class="plain">{"".join(items)}</ul>')] if items else []

    def other_rows(
        self, s: URIRef, handled: frozenset[URIRef] = HANDLED_PREDICATES
    ) -> list[tuple[str, str]]:
        rows = []
        predicates = sorted({p for p in self.g.predicates(s) if p not in handled}, key=self.curie)
        for predicate in predicates:
            values = self.objects(s, predicate)
            if all(isinstance(v, Literal) for v in values):
                cell = self.lang_list(sorted(values, key=literal_key))  # type: ignore[arg-type]
            else:
                cell = "<br>".join(self.node(v) for v in values)
            rows.append((self.curie(predicate), cell))
        return rows

    def heading(self, s: URIRef, kind: str) -> str:
        deprecated = str(self.g.value(s, OWL.deprecated)).lower() == "true"
        badge = '<span class="badge deprecated">deprecated</span>' if deprecated else ""
        return (
            f'<h3><a class="top" href="#top">top ↑</a>{esc(self.title(s))} '
            f'<span class="curie"><code>{esc(self.curie(s))}</code></span>'
            f'<span class="badge">{esc(kind)}</span>{badge}</h3>'
        )

    def class_section(self, c: URIRef, domain_of: dict[URIRef, list[URIRef]],
                      range_of: dict[URIRef, list[URIRef]]) -> str:  # fmt: skip
        rows = self.common_rows(c)
        supers = self.objects(c, RDFS.subClassOf)
        rows.append(("Superclasses", self.refs(supers, "none stated")))
        subs = self.sort(s for s in self.g.subjects(RDFS.subClassOf, c) if isinstance(s, URIRef))
        rows.append(("Subclasses", self.refs(subs)))
        rows.append(("Disjoint with", self.refs(self.objects(c, OWL.disjointWith))))
        rows += self.mapping_rows(c)

        def prop_item(p: URIRef) -> str:
            kind = self.property_kind.get(p, "property").lower()
            rng = self.ranges(p)
            tail = f" → {self.refs(rng)}" if rng else ""
            return f'<li>{self.ref(p)} <span class="muted">{esc(kind)}</span>{tail}</li>'

        own = domain_of.get(c, [])
        rows.append(
            (
                "Properties",
                f'<ul class="plain">{"".join(prop_item(p) for p in own)}</ul>'
                if own
                else '<span class="muted">none has this class as domain</span>',
            )
        )
        inherited = []
        for ancestor in self.ancestors(c):
            props = domain_of.get(ancestor, [])
            if props:
                inherited.append(
                    f"<li>from {self.ref(ancestor)}: {', '.join(self.ref(p) for p in props)}</li>"
                )
        if inherited:
            rows.append(("Inherited properties", f'<ul class="plain">{"".join(inherited)}</ul>'))
        rows.append(("Range of", self.refs(range_of.get(c, []))))
        members = [i for i in self.individuals if c in set(self.g.objects(i, RDF.type))]
        rows.append(("Individuals", self.refs(members)))
        rows += self.other_rows(c)
        parts = [
            f'<section class="term" id="{esc(self.anchors[c])}">',
            self.heading(c, "Class"),
            self.facts(rows),
        ]
        for shape in self.shapes.get(c, []):
            parts.append(self.render_shape(shape))
        parts.append("</section>")
        return "\n".join(parts)

    def property_section(self, p: URIRef, shaped: dict[URIRef, list[tuple[Node, str]]]) -> str:
        kind = self.property_kind[p]
        rows = self.common_rows(p)
        types = set(self.g.objects(p, RDF.type))
        chars = [self.curie(t).split(":")[-1] for t in CHARACTERISTICS if t in types]
        rows.append(("Characteristics", esc(", ".join(chars))))
        rows.append(("Domain", self.refs(self.objects(p, RDFS.domain), "not stated")))
        rows.append(("Range", self.refs(self.objects(p, RDFS.range), "not stated")))
        rows.append(("Super-properties", self.refs(self.objects(p, RDFS.subPropertyOf))))
        subs = self.sort(s for s in self.g.subjects(RDFS.subPropertyOf, p) if isinstance(s, URIRef))
        rows.append(("Sub-properties", self.refs(subs)))
        inverse = self.objects(p, OWL.inverseOf) + self.sort(
            s for s in self.g.subjects(OWL.inverseOf, p) if isinstance(s, URIRef)
        )
        rows.append(("Inverse of", self.refs(inverse)))
        rows.append(("Disjoint with", self.refs(self.objects(p, OWL.propertyDisjointWith))))
        rows += self.mapping_rows(p)
        if self.sg is not None:
            for predicate, word in (
                (SH.targetSubjectsOf, "Shapes on its subjects"),
                (SH.targetObjectsOf, "Shapes on its values"),
            ):
                shapes = sorted(self.sg.subjects(predicate, p), key=self.shape_sort)
                rows.append((word, ", ".join(self.shape_ref(shape) for shape in shapes)))
        uses = shaped.get(p, [])
        if uses:
            items = sorted({f"<li>{self.shape_ref(shape)}: {words}</li>" for shape, words in uses})
            rows.append(("SHACL constraints", f'<ul class="plain">{"".join(items)}</ul>'))
        rows += self.other_rows(p)
        return "\n".join(
            [
                f'<section class="term" id="{esc(self.anchors[p])}">',
                self.heading(p, kind),
                self.facts(rows),
                "</section>",
            ]
        )

    def individual_section(self, i: URIRef) -> str:
        rows = self.common_rows(i)
        types = [t for t in self.objects(i, RDF.type) if t != OWL.NamedIndividual]
        rows.insert(1, ("Type", self.refs(types)))
        rows += self.mapping_rows(i)
        rows += self.other_rows(i)
        return "\n".join(
            [
                f'<section class="term" id="{esc(self.anchors[i])}">',
                self.heading(i, "Individual"),
                self.facts(rows),
                "</section>",
            ]
        )

    def untyped_section(self, s: URIRef) -> str:
        rows = self.common_rows(s)
        rows += self.mapping_rows(s)
        rows += self.other_rows(s, HANDLED_PREDICATES - {RDF.type})
        return "\n".join(
            [
                f'<section class="term" id="{esc(self.anchors[s])}">',
                self.heading(s, "Term without a type"),
                self.facts(rows),
                "</section>",
            ]
        )

    def metadata_section(self) -> str:
        o = self.ontology
        rows: list[tuple[str, str]] = []
        if o is not None:
            rows.append(("Ontology IRI", f"<code>{esc(o)}</code>"))
            version_iri = self.g.value(o, OWL.versionIRI)
            if version_iri is not None:
                rows.append(("Version IRI", f"<code>{esc(version_iri)}</code>"))
            versions = self.texts(o, OWL.versionInfo)
            rows.append(("Version", ", ".join(self.text(v) for v in versions)))
            rows.append(("Title", self.lang_list(self.titles(o))))
            for predicates, title in (
                ((DCTERMS.description, DC.description), "Description"),
                ((RDFS.comment,), "Comment"),
            ):
                lits = [lit for p in predicates for lit in self.texts(o, p)]
                if lits:
                    rows.append((title, self.lang_list(sorted(lits, key=literal_key))))
        else:
            rows.append(("Ontology IRI", '<span class="missing">no owl:Ontology declared</span>'))
        rows.append(("Namespace", f"<code>{esc(self.namespace)}</code>"))
        prefix = self.ns_prefix.get(self.namespace)
        if o is not None and self.g.value(o, VANN.preferredNamespacePrefix) is not None:
            prefix = str(self.g.value(o, VANN.preferredNamespacePrefix))
        if prefix:
            rows.append(("Preferred prefix", f"<code>{esc(prefix)}:</code>"))
        stated = self.g.value(o, VOID.uriSpace) if o is not None else None
        base = (
            f"<code>{esc(stated)}</code>"
            if stated is not None
            else f"<code>{esc(DEFAULT_INSTANCE_BASE)}</code> "
            '<span class="muted">(project default in <code>kg/namespaces.py</code>; '
            "the <code>KG_BASE_IRI</code> environment variable mints instance IRIs under "
            "another base)</span>"
        )
        rows.append(("Base IRI of instances", base))
        rows.append(
            ("Source files", ", ".join(f"<code>{esc(source)}</code>" for source in self.sources))
        )
        if o is not None:
            rows += self.other_rows(o, ONTOLOGY_HANDLED)
        prefixes = "".join(
            f"<tr><td><code>{esc(prefix)}:</code></td><td><code>{esc(ns)}</code></td>"
            f"<td>{esc(source)}</td></tr>"
            for prefix, (ns, source) in sorted(self.declared.items())
        )
        counts = [
            (len(self.classes), "class", "classes", "sec-classes"),
            *(
                (len(self.properties[key]), title.lower()[:-1], title.lower(), "sec-" + key)
                for key, title, *_ in PROPERTY_SECTIONS
            ),
            (len(self.individuals), "named individual", "named individuals", "sec-individuals"),
        ]
        summary = ", ".join(
            f'<a href="#{anchor}">{n} {esc(one if n == 1 else many)}</a>'
            for n, one, many, anchor in counts
            if n
        )
        return "\n".join(
            [
                '<section id="sec-metadata">',
                "<h2>Metadata</h2>",
                self.facts(rows),
                f"<p>In all: {summary}.</p>",
                '<h3 id="sec-prefixes">Namespace prefixes</h3>',
                '<table class="grid"><thead><tr><th scope="col">Prefix</th>'
                '<th scope="col">Namespace</th><th scope="col">Declared in</th></tr></thead>'
                f"<tbody>{prefixes}</tbody></table>",
                "</section>",
            ]
        )

    def titles(self, o: URIRef) -> list[Literal]:
        for predicate in (DCTERMS.title, DC.title, RDFS.label):
            found = self.texts(o, predicate)
            if found:
                return found
        return []

    def hierarchy_section(self) -> str:
        documented = set(self.classes)
        children: dict[URIRef, list[URIRef]] = defaultdict(list)
        roots = []
        for c in self.classes:
            parents = [p for p in self.superclasses(c) if p in documented and p != c]
            for parent in parents:
                children[parent].append(c)
            if not parents:
                roots.append(c)

        def tree(nodes: list[URIRef], trail: frozenset[URIRef]) -> str:
            items = []
            for n in self.sort(nodes):
                outside = [p for p in self.superclasses(n) if p not in documented]
                extra = (
                    f' <span class="muted">⊑ {", ".join(self.ref(p) for p in outside)}</span>'
                    if outside
                    else ""
                )
                sub = tree(children.get(n, []), trail | {n}) if n not in trail else ""
                items.append(f"<li>{self.ref(n)} {esc(self.label(n))}{extra}{sub}</li>")
            return f'<ul class="tree">{"".join(items)}</ul>' if items else ""

        if not roots and self.classes:  # everything in a cycle: start anywhere
            roots = self.classes[:1]
        return "\n".join(
            [
                '<section id="sec-hierarchy">',
                "<h2>Class hierarchy</h2>",
                "<p>Classes of this ontology under their superclasses; "
                '<span class="muted">⊑</span> names superclasses from other vocabularies.</p>',
                tree(roots, frozenset()),
                "</section>",
            ]
        )

    def alignment_section(self) -> str:
        rows: list[tuple[str, tuple[str, str], URIRef, str, str]] = []
        terms = [*self.classes, *self.property_kind, *self.individuals]
        for s in terms:
            for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, *MAPPING_PREDICATES):
                if predicate == RDFS.seeAlso:
                    continue
                for target in self.g.objects(s, predicate):
                    if not isinstance(target, URIRef) or target in self.anchors:
                        continue
                    ns = namespace_of(str(target))
                    vocab = self.ns_prefix.get(ns, ns)
                    rows.append((vocab, self.key(s), s, self.curie(predicate), str(target)))
        if not rows:
            return ""
        body = []
        grouped: dict[str, list[tuple[URIRef, str, str]]] = defaultdict(list)
        for vocab, _, term, relation, external in sorted(set(rows)):
            grouped[vocab].append((term, relation, external))
        for vocab in sorted(grouped, key=str.casefold):
            entries = grouped[vocab]
            for n, (term, relation, external) in enumerate(entries):
                head = (
                    f'<th scope="rowgroup" rowspan="{len(entries)}"><code>{esc(vocab)}</code></th>'
                    if n == 0
                    else ""
                )
                body.append(
                    f"<tr>{head}<td>{self.ref(term)}</td><td>{esc(relation)}</td>"
                    f"<td>{self.ref(URIRef(external))}</td></tr>"
                )
        return "\n".join(
            [
                '<section id="sec-alignments">',
                "<h2>Alignments with other vocabularies</h2>",
                '<table class="grid"><thead><tr><th scope="col">Vocabulary</th>'
                '<th scope="col">Term</th><th scope="col">Relation</th>'
                '<th scope="col">External term</th></tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>",
                "</section>",
            ]
        )

    def orphan_shapes(self) -> list[Node]:
        return [
            shape
            for shape in self.all_shapes()
            if not any(shape in self.shapes.get(c, []) for c in self.classes)
        ]

    # ------------------------------------------------------------------ the page

    def sections(self) -> list[tuple[str, str, list[URIRef], Callable[[URIRef], str]]]:
        domain_of: dict[URIRef, list[URIRef]] = defaultdict(list)
        range_of: dict[URIRef, list[URIRef]] = defaultdict(list)
        for p in self.sort(self.property_kind):
            for d in self.domains(p):
                domain_of[d].append(p)
            for r in self.ranges(p):
                range_of[r].append(p)
        shaped = self.shapes_on_property()
        out: list[tuple[str, str, list[URIRef], Callable[[URIRef], str]]] = [
            (
                "sec-classes",
                "Classes",
                self.classes,
                lambda c: self.class_section(c, domain_of, range_of),
            )
        ]
        for key, title, *_ in PROPERTY_SECTIONS:
            out.append(
                (
                    "sec-" + key,
                    title,
                    self.properties[key],
                    lambda p: self.property_section(p, shaped),
                )
            )
        out.append(
            ("sec-individuals", "Named individuals", self.individuals, self.individual_section)
        )
        out.append(("sec-untyped", "Terms without a type", self.untyped, self.untyped_section))
        return [s for s in out if s[2]]

    def toc(
        self,
        sections: list[tuple[str, str, list[URIRef], Callable[[URIRef], str]]],
        alignments: bool,
        orphans: bool,
    ) -> str:
        items = [
            '<li><a href="#sec-metadata">Metadata</a></li>',
            '<li><a href="#sec-prefixes">Namespace prefixes</a></li>',
        ]
        if self.classes:
            items.append('<li><a href="#sec-hierarchy">Class hierarchy</a></li>')
        if alignments:
            items.append(
                '<li><a href="#sec-alignments">Alignments with other vocabularies</a></li>'
            )
        for anchor, title, terms, _ in sections:
            entries = "".join(
                f'<li><a href="#{esc(self.anchors[t])}">{esc(self.local(t))}</a></li>'
                for t in terms
            )
            items.append(
                f'<li><a href="#{anchor}">{esc(title)}</a> '
                f'<span class="muted">({len(terms)})</span><ol>{entries}</ol></li>'
            )
        if orphans:
            items.append('<li><a href="#sec-shapes">Other SHACL shapes</a></li>')
        return (
            '<nav id="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol>'
            + "".join(items)
            + "</ol></nav>"
        )

    def page(self) -> str:
        # shape anchors first, so that links to shapes resolve wherever they appear
        for shape in self.all_shapes():
            self.shape_anchor(shape)
        sections = self.sections()
        body = []
        for anchor, title, terms, render in sections:
            body.append(f'<section id="{anchor}">\n<h2>{esc(title)}</h2>')
            body.extend(render(t) for t in terms)
            body.append("</section>")
        alignments = self.alignment_section()
        orphans = self.orphan_shapes()
        if orphans:
            body.append('<section id="sec-shapes">\n<h2>Other SHACL shapes</h2>')
            body.append(
                "<p>Shapes that target no class documented above, or are only used through "
                "<code>sh:node</code>.</p>"
            )
            body.extend(self.render_shape(s, "h3") for s in orphans)
            body.append("</section>")
        title = self.label(self.ontology) if self.ontology is not None else ""
        title = title or (self.title(self.ontology) if self.ontology is not None else "Ontology")
        others = [
            lit for lit in (self.titles(self.ontology) if self.ontology is not None else [])
            if (lit.language or "").lower().split("-")[0] != "en"
        ]  # fmt: skip
        subtitle = "".join(f"<span>{self.text(lit)}</span>" for lit in others)
        version = (
            ", ".join(str(v) for v in self.texts(self.ontology, OWL.versionInfo))
            if self.ontology
            else ""
        )
        sources = " and ".join(f"<code>{esc(s)}</code>" for s in self.sources)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="tools/build_ontology_docs.py">',
            f"<title>{esc(title)}{' ' + esc(version) if version else ''}</title>",
            f"<style>\n{CSS}</style>",
            "</head>",
            '<body id="top">',
            "<!-- Generated by tools/build_ontology_docs.py; do not edit by hand. -->",
            "<header>",
            f"<h1>{esc(title)}</h1>",
            f'<p class="subtitle">{subtitle}</p>' if subtitle else "",
            f'<p class="muted">Version {esc(version)} · <code>{esc(self.ontology or "")}</code></p>'
            if version
            else "",
            "</header>",
            "<main>",
            self.toc(sections, bool(alignments), bool(orphans)),
            self.metadata_section(),
            self.hierarchy_section() if self.classes else "",
            alignments,
            *body,
            "</main>",
            "<footer>",
            f"<p>Generated from {sources} by <code>tools/build_ontology_docs.py</code>. "
            "Edit the Turtle files, not this page.</p>",
            "</footer>",
            "</body>",
            "</html>",
        ]
        return "\n".join(p for p in parts if p) + "\n"

    # ------------------------------------------------------------------ report

    def report(self) -> list[str]:
        """Things in the ontology that look incomplete or inconsistent, one per line."""
        problems: list[str] = []
        terms = [*self.classes, *self.property_kind, *self.individuals, *self.untyped]
        for s in self.sort(terms):
            name = self.curie(s)
            langs = Counter((lit.language or "").lower().split("-")[0] for lit in self.labels(s))
            missing = [lang for lang in LANGS if lang not in langs]
            if missing:
                problems.append(f"{name}: no label in {', '.join(missing)}")
            doubled = sorted(lang for lang, n in langs.items() if n > 1)
            if doubled:
                problems.append(f"{name}: several labels in {', '.join(doubled)}")
            if s not in self.individuals and not any(
                self.texts(s, p) for p in DEFINITION_PREDICATES
            ):
                problems.append(f"{name}: no definition or comment")
        for s in self.untyped:
            problems.append(f"{self.curie(s)}: in the ontology namespace but has no rdf:type")
        for p in self.sort(self.property_kind):
            name = self.curie(p)
            if self.g.value(p, RDFS.domain) is None:
                problems.append(f"{name}: no rdfs:domain")
            if (
                self.g.value(p, RDFS.range) is None
                and self.property_kind[p] != "Annotation property"
            ):
                problems.append(f"{name}: no rdfs:range")
        # the same label on two terms of one kind
        kinds = {
            "class": self.classes,
            "property": list(self.property_kind),
            "individual": self.individuals,
        }
        for kind, members in kinds.items():
            seen: dict[tuple[str, str], list[str]] = defaultdict(list)
            for s in members:
                for lit in self.labels(s):
                    seen[((lit.language or ""), str(lit).casefold())].append(self.curie(s))
            for (lang, text), names in sorted(seen.items()):
                if len(names) > 1:
                    problems.append(
                        f"{kind} label {text!r}@{lang} is shared by {', '.join(sorted(names))}"
                    )
        # references to terms of the ontology's namespace that it does not declare
        declared = set(self.anchors)
        refs: dict[str, set[str]] = defaultdict(set)
        for subj, pred, obj in self.g:
            for node in (subj, pred, obj):
                if (
                    isinstance(node, URIRef)
                    and self.namespace
                    and str(node).startswith(self.namespace)
                    and node not in declared
                    and node != self.ontology
                ):
                    where = self.curie(subj) if isinstance(subj, URIRef) else "?"
                    refs[self.curie(node)].add(where)
        if self.sg is not None:
            shape_nodes = set(self.all_shapes())
            for _, pred, obj in self.sg:
                for node in (pred, obj):
                    if (
                        isinstance(node, URIRef)
                        and self.namespace
                        and str(node).startswith(self.namespace)
                        and node not in declared
                        and node not in shape_nodes
                    ):
                        refs[self.curie(node)].add("shapes")
        for name, where in sorted(refs.items()):
            problems.append(f"{name}: used ({', '.join(sorted(where))}) but not declared")
        # a superclass already implied by another superclass
        for c in self.classes:
            supers = self.superclasses(c)
            for sup in supers:
                via = [
                    other
                    for other in supers
                    if other != sup and sup in self.all_superclasses(other)
                ]
                if via:
                    problems.append(
                        f"{self.curie(c)} rdfs:subClassOf {self.curie(sup)} is implied by "
                        f"{', '.join(self.curie(v) for v in via)}"
                    )
        return problems

    def all_superclasses(self, c: URIRef) -> set[URIRef]:
        seen: set[URIRef] = set()
        frontier = [c]
        while frontier:
            node = frontier.pop()
            for sup in self.superclasses(node):
                if sup not in seen:
                    seen.add(sup)
                    frontier.append(sup)
        return seen


def plain_text(markup: str) -> str:
    """The text of an HTML fragment (for sorting)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def repr_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build(ontology: Path = ONTOLOGY_TTL, shapes: Path | None = SHAPES_TTL) -> Docs:
    graph = parse(ontology)
    shapes_graph = parse(shapes) if shapes is not None and shapes.exists() else None
    sources = [display_path(ontology)]
    if shapes_graph is not None and shapes is not None:
        sources.append(display_path(shapes))
    return Docs(graph, shapes_graph, sources)


def render(ontology: Path = ONTOLOGY_TTL, shapes: Path | None = SHAPES_TTL) -> bytes:
    """The bytes of the documentation page."""
    return build(ontology, shapes).page().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ontology", type=Path, default=ONTOLOGY_TTL, help="the OWL ontology")
    parser.add_argument(
        "--shapes", type=Path, default=SHAPES_TTL, help="SHACL shapes (skipped if absent)"
    )
    parser.add_argument("--no-shapes", action="store_true", help="leave SHACL constraints out")
    parser.add_argument("--out", type=Path, default=OUT_HTML, help="the page to write")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the page is out of date"
    )
    parser.add_argument(
        "--report", action="store_true", help="list missing labels, definitions and the like"
    )
    args = parser.parse_args(argv)
    shapes = None if args.no_shapes else args.shapes
    try:
        docs = build(args.ontology, shapes)
    except (OSError, SyntaxError, ValueError) as err:  # rdflib raises BadSyntax (a SyntaxError)
        print(f"cannot read the ontology: {err}", file=sys.stderr)
        return 2
    if args.report:
        for line in docs.report():
            print(line)
        return 0
    data = docs.page().encode("utf-8")
    out: Path = args.out
    if args.check:
        current = out.read_bytes() if out.exists() else None
        if current != data:
            state = "is missing" if current is None else "is out of date"
            print(
                f"{display_path(out)} {state}: run .venv/bin/python tools/build_ontology_docs.py",
                file=sys.stderr,
            )
            return 1
        print(f"{display_path(out)} is up to date")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"wrote {display_path(out)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
