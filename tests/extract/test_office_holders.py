"""A title alone names the office holder on the article's date (issue 5), through extraction of
short sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import extract
from kg.records import Article


def participants(text: str, lang: str, published: date) -> dict[str | None, str]:
    """Country → English name of each participant of the one event found."""
    (event,) = extract(Article(id="t", text=text, lang=lang, published=published)).events
    return {p.actor.country: p.actor.labels.get("en", "") for p in event.participants}


@pytest.mark.parametrize(
    ("published", "crown_prince"),
    [(date(2015, 7, 25), "Muhammad bin Nayef"), (date(2018, 3, 4), "Mohammed bin Salman")],
)
def test_saudi_crown_prince(published, crown_prince):
    text = "استقبل ولي العهد السعودي في الرياض اليوم وزير الخارجية الأردني."
    assert participants(text, "ar", published)["SA"].startswith(crown_prince)


@pytest.mark.parametrize(
    ("published", "secretary", "egyptian"),
    [
        (date(2016, 5, 10), "John Kerry", "Sameh Shoukry"),
        (date(2022, 5, 10), "Antony Blinken", "Sameh Shoukry"),
    ],
)
def test_us_secretary_of_state_and_egyptian_foreign_minister(published, secretary, egyptian):
    text = "The US Secretary of State met the Egyptian foreign minister in Cairo on Monday."
    found = participants(text, "en", published)
    assert found["US"] == secretary
    assert found["EG"] == egyptian


@pytest.mark.parametrize(
    ("published", "minister"),
    [(date(2021, 6, 2), "Sameh Shoukry"), (date(2025, 6, 2), "Badr Abdelatty")],
)
def test_egyptian_foreign_minister(published, minister):
    text = "وصل وزير الخارجية المصري إلى باريس أمس في زيارة رسمية."
    assert participants(text, "ar", published)["EG"] == minister


@pytest.mark.parametrize(
    ("published", "president"),
    [(date(2015, 11, 20), "François Hollande"), (date(2020, 11, 20), "Emmanuel Macron")],
)
def test_french_president(published, president):
    text = "Le président français a reçu jeudi le roi de Jordanie à l'Élysée."
    assert participants(text, "fr", published)["FR"] == president


@pytest.mark.parametrize(
    ("text", "published", "country", "holder"),
    [
        ("استقبل أمير قطر في الدوحة أمس وزير الخارجية التركي.", date(2020, 2, 3), "QA", "Tamim"),
        (
            "استقبل خادم الحرمين الشريفين في جدة أمس رئيس وزراء باكستان.",
            date(2016, 5, 3),
            "SA",
            "Salman bin Abdulaziz",
        ),
        (
            "التقى ولي ولي العهد في الرياض أمس وزير الدفاع الأمريكي.",
            date(2016, 5, 3),
            "SA",
            "Mohammed bin Salman",
        ),
    ],
)
def test_country_specific_titles(text, published, country, holder):
    assert participants(text, "ar", published)[country].startswith(holder)
