#!/usr/bin/env python3
"""Generate ``ontology/reference/countries.ttl`` and ``ontology/reference/places.ttl``.

Sources:

- country names in English, French and Arabic: CLDR territory names
  (``babel.Locale(lang).territories``);
- ISO 3166-1 alpha-2/alpha-3 codes and English official/common names: ``pycountry``;
- everything CLDR lacks (CAMEO and Gleditsch-Ward codes, Wikidata items, better short names,
  demonyms, Arabic nisbas): ``tools/country_extras.tsv``;
- capitals and main cities: ``tools/city_extras.tsv``.

The two TSV files are the place to edit; then run::

    .venv/bin/python tools/build_countries.py            # writes both .ttl files
    .venv/bin/python tools/build_countries.py --check    # exit 1 if the .ttl files are out of date

Output is deterministic (sorted by ISO code, then by IRI) so that diffs stay readable. The format
follows ``ontology/reference/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
REFERENCE = ROOT / "ontology" / "reference"
COUNTRY_TSV = TOOLS / "country_extras.tsv"
CITY_TSV = TOOLS / "city_extras.tsv"
COUNTRIES_TTL = REFERENCE / "countries.ttl"
PLACES_TTL = REFERENCE / "places.ttl"

LANGS = ("en", "ar", "fr")
VERSIONS_TAG = "Built with:"

PREFIXES = """\
@prefix dk:      <https://w3id.org/dipkg/ontology#> .
@prefix country: <https://w3id.org/dipkg/id/country/> .
@prefix place:   <https://w3id.org/dipkg/id/place/> .
@prefix org:     <https://w3id.org/dipkg/id/org/> .
@prefix office:  <https://w3id.org/dipkg/id/office/> .
@prefix person:  <https://w3id.org/dipkg/id/person/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix wd:      <http://www.wikidata.org/entity/> .
"""

# ISO 3166 user-assigned code for Kosovo; pycountry does not know it.
EXTRA_ISO3 = {"XK": "XKX"}

# Forms never used as a label: they fit several countries (see the comments in country_extras.tsv).
BLOCKED_LABELS = frozenset({"Congo", "Korea", "الكونغو", "كوريا", "Corée"})

# Arabic short vowels, tanween, shadda and sukun (not hamza or madda).
ARABIC_HARAKAT = re.compile("[\u064b-\u0652]")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
CAMEO_RE = re.compile(r"^[A-Z]{3}$")


@dataclass
class City:
    iso2: str
    capital: bool
    names: dict[str, str]
    alts: dict[str, list[str]]
    qid: str

    @property
    def iri(self) -> str:
        return f"place:{self.iso2.lower()}-{slugify(self.names['en'])}"


@dataclass
class Country:
    iso2: str
    iso3: str
    cameo: str
    gw: int | None
    qid: str
    pref: dict[str, str]
    alts: dict[str, list[str]]
    demonyms: dict[str, list[str]]
    nisbas: list[str]
    cities: list[City] = field(default_factory=list)

    @property
    def capital(self) -> City | None:
        caps = [c for c in self.cities if c.capital]
        return caps[0] if caps else None


def slugify(text: str) -> str:
    """ASCII slug of an English name: 'Washington, D.C.' -> 'washington-d-c'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def split_multi(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a TSV file whose comment lines start with '#'; the first other line is the header."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for lineno, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path.name}: row {lineno} has the wrong number of columns: {row}")
        yield {k: (v or "").strip() for k, v in row.items()}


def clean_label(label: str, lang: str) -> str | None:
    """A name usable as a label, or None for inverted / annotated / joined forms
    ('Korea, Republic of', 'Myanmar (Burma)', 'Congo - Kinshasa', 'Antigua & Barbuda')."""
    label = label.strip()
    if lang == "ar":
        label = ARABIC_HARAKAT.sub("", label)
    if lang == "en" and label.startswith("the "):
        label = label[4:]
    if not label or any(ch in label for ch in ",،()&;") or " - " in label:
        return None
    if label in BLOCKED_LABELS:
        return None
    return label


def label_key(label: str) -> str:
    """Key under which two labels count as the same: Arabic harakat do not make a new label
    (the CLDR prefLabel «عُمان» must not add a bare «عمان» altLabel)."""
    return ARABIC_HARAKAT.sub("", label)


def unique(values: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    seen = {label_key(e) for e in exclude}
    out: list[str] = []
    for v in values:
        if v and label_key(v) not in seen:
            seen.add(label_key(v))
            out.append(v)
    return out


def cldr_names() -> dict[str, dict[str, str]]:
    return {lang: dict(Locale(lang).territories) for lang in LANGS}


def pycountry_names(iso2: str) -> tuple[str, list[str]]:
    """(alpha-3, English names) from pycountry: short, official and common names."""
    record = pycountry.countries.get(alpha_2=iso2)
    if record is None:
        if iso2 in EXTRA_ISO3:
            return EXTRA_ISO3[iso2], []
        raise KeyError(f"unknown ISO 3166-1 code {iso2}")
    names = [record.name]
    for attr in ("official_name", "common_name"):
        value = getattr(record, attr, None)
        if value:
            names.append(value)
    return record.alpha_3, names


def load_cities(path: Path = CITY_TSV) -> list[City]:
    cities: list[City] = []
    for row in read_tsv(path):
        names = {lang: row[f"name_{lang}"] for lang in LANGS}
        missing = [lang for lang, name in names.items() if not name]
        if missing:
            raise ValueError(
                f"{path.name}: {row['iso2']} {names['en']!r} lacks a name in {missing}"
            )
        qid = row["qid"]
        if qid and not QID_RE.match(qid):
            raise ValueError(f"{path.name}: bad Wikidata id {qid!r} for {names['en']}")
        alts = {
            lang: unique(
                (a for a in split_multi(row[f"alt_{lang}"]) if clean_label(a, lang)),
                exclude=[names[lang]],
            )
            for lang in LANGS
        }
        cities.append(
            City(
                iso2=row["iso2"],
                capital=row["capital"] == "1",
                names=names,
                alts=alts,
                qid=qid,
            )
        )
    return cities


def load_countries(path: Path = COUNTRY_TSV, cities: list[City] | None = None) -> list[Country]:
    cldr = cldr_names()
    countries: list[Country] = []
    for row in read_tsv(path):
        iso2 = row["iso2"]
        iso3, en_names = pycountry_names(iso2)
        pref = {lang: row[f"pref_{lang}"] or cldr[lang][iso2] for lang in LANGS}
        alts: dict[str, list[str]] = {}
        for lang in LANGS:
            candidates = [cldr[lang][iso2]]
            if lang == "en":
                candidates += en_names
            candidates += split_multi(row[f"alt_{lang}"])
            cleaned = (clean_label(c, lang) for c in candidates)
            alts[lang] = unique((c for c in cleaned if c), exclude=[pref[lang]])
        cameo = row["cameo"] or iso3
        if not CAMEO_RE.match(cameo):
            raise ValueError(f"{path.name}: bad CAMEO code {cameo!r} for {iso2}")
        qid = row["qid"]
        if qid and not QID_RE.match(qid):
            raise ValueError(f"{path.name}: bad Wikidata id {qid!r} for {iso2}")
        countries.append(
            Country(
                iso2=iso2,
                iso3=iso3,
                cameo=cameo,
                gw=int(row["gw"]) if row["gw"] else None,
                qid=qid,
                pref=pref,
                alts=alts,
                demonyms={
                    "en": split_multi(row["demonym_en"]),
                    "fr": split_multi(row["demonym_fr"]),
                },
                nisbas=split_multi(row["nisba"]),
            )
        )
    by_iso = {c.iso2: c for c in countries}
    if len(by_iso) != len(countries):
        raise ValueError(f"{path.name}: duplicate ISO codes")
    for city in cities or []:
        if city.iso2 not in by_iso:
            raise ValueError(
                f"{CITY_TSV.name}: {city.names['en']} refers to unknown country {city.iso2}"
            )
        by_iso[city.iso2].cities.append(city)
    for country in countries:
        capitals = [c for c in country.cities if c.capital]
        if len(capitals) != 1:
            raise ValueError(f"{country.iso2} has {len(capitals)} capitals in {CITY_TSV.name}")
    iris = [c.iri for c in cities or []]
    dupes = sorted({i for i in iris if iris.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate place IRIs: {dupes}")
    return sorted(countries, key=lambda c: c.iso2)


def literal(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def labels(values: dict[str, list[str]] | dict[str, str]) -> str:
    parts: list[str] = []
    for lang in LANGS:
        v = values.get(lang)
        if not v:
            continue
        for item in [v] if isinstance(v, str) else v:
            parts.append(literal(item, lang))
    return " , ".join(parts)


def alt_lines(alts: dict[str, list[str]]) -> list[str]:
    """One skos:altLabel statement, one line per language."""
    per_lang = [labels({lang: alts[lang]}) for lang in LANGS if alts[lang]]
    if not per_lang:
        return []
    lines = [f"    skos:altLabel {per_lang[0]}"] + [f"        {p}" for p in per_lang[1:]]
    lines = [line + " ," for line in lines[:-1]] + [lines[-1] + " ;"]
    return lines


def country_block(c: Country) -> str:
    lines = [f"country:{c.iso2} a dk:Country ;", f"    skos:prefLabel {labels(c.pref)} ;"]
    lines += alt_lines(c.alts)
    codes = f'    dk:iso2 "{c.iso2}" ; dk:iso3 "{c.iso3}" ; dk:cameoCode "{c.cameo}"'
    if c.gw is not None:
        codes += f" ; dk:gwCode {c.gw}"
    lines.append(codes + " ;")
    if c.demonyms["en"] or c.demonyms["fr"]:
        lines.append(f"    dk:demonym {labels(c.demonyms)} ;")
    if c.nisbas:
        nisbas = [n.lstrip("!") for n in c.nisbas]
        lines.append(f"    dk:nisba {labels({'ar': nisbas})} ;")
        unmatched = [n[1:] for n in c.nisbas if n.startswith("!")]
        if unmatched:  # a common word or two countries' form: data, never matched in text
            lines.append(f"    dk:unmatched {labels({'ar': unmatched})} ;")
    capital = c.capital
    if capital is not None:
        lines.append(f"    dk:capital {capital.iri} ;")
    if c.qid:
        lines.append(f"    owl:sameAs wd:{c.qid} ;")
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines)


def city_block(city: City) -> str:
    lines = [f"{city.iri} a dk:City ;", f"    skos:prefLabel {labels(city.names)} ;"]
    lines += alt_lines(city.alts)
    lines.append(f"    dk:country country:{city.iso2} ;")
    if city.qid:
        lines.append(f"    owl:sameAs wd:{city.qid} ;")
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines)


def source_versions() -> str:
    """Versions of the data packages the output depends on (CLDR names change between releases)."""
    return f"babel {version('babel')}, pycountry {version('pycountry')}"


def header(what: str) -> str:
    return (
        f"# {what}\n"
        "# GENERATED by tools/build_countries.py from CLDR (babel), pycountry,\n"
        "# tools/country_extras.tsv and tools/city_extras.tsv.\n"
        "# Do not edit by hand: edit the TSV files and re-run the script.\n"
        f"# {VERSIONS_TAG} {source_versions()}\n\n" + PREFIXES
    )


def render_countries(countries: list[Country]) -> str:
    blocks = [country_block(c) for c in countries]
    return (
        header("Countries (UN members, observers, Kosovo, Taiwan, Western Sahara).")
        + "\n"
        + ("\n\n".join(blocks) + "\n")
    )


def render_places(countries: list[Country]) -> str:
    cities = sorted((city for c in countries for city in c.cities), key=lambda x: x.iri)
    blocks = [city_block(city) for city in cities]
    return header("Capitals and main cities.") + "\n" + "\n\n".join(blocks) + "\n"


def build() -> dict[Path, str]:
    cities = load_cities()
    countries = load_countries(cities=cities)
    return {COUNTRIES_TTL: render_countries(countries), PLACES_TTL: render_places(countries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the .ttl files differ from a fresh build",
    )
    args = parser.parse_args(argv)
    outputs = build()
    stale = [
        p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for p, text in outputs.items():
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
