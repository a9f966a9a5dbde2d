"""Linking names to the reference data: spellings, partial names, joined prefixes."""

from __future__ import annotations

from datetime import date

from kg.extract import extract
from kg.extract.coreference import _latin_key, _name_key
from kg.records import Article


def test_transliterations_share_a_key():
    assert {_latin_key(n) for n in ("mohamed", "mohammed", "muhammad", "mohammad")} == {"mhmd"}
    assert {_latin_key(n) for n in ("shoukry", "shoukri", "shukri")} == {"shkr"}
    assert _latin_key("arab") != _latin_key("arbib")  # doubles collapse before vowels go
    assert _name_key("Abdel Fattah el-Sisi") == _name_key("Abdel Fattah al Sisi")


def people(text: str, lang: str, published: date) -> set[str | None]:
    events = extract(Article(id="t", text=text, lang=lang, published=published)).events
    return {p.actor.iri for e in events for p in e.participants if p.actor.kind == "person"}


def test_a_name_spelt_otherwise_is_linked_to_the_reference_person():
    text = "Iraqi Prime Minister Mohamed Shia al-Sudani met Egyptian President Sisi in Baghdad."
    found = people(text, "en", date(2023, 6, 27))
    assert "https://w3id.org/dipkg/id/person/mohammed-shia-al-sudani" in found


def test_a_joined_arabic_prefix_is_the_same_name():
    text = (
        "استقبل الرئيس المصري في القاهرة أمس الشيخ عبدالله بن زايد آل نهيان "
        "وزير الخارجية الإماراتي."
    )
    found = people(text, "ar", date(2023, 6, 27))
    assert "https://w3id.org/dipkg/id/person/abdullah-bin-zayed-al-nahyan" in found
