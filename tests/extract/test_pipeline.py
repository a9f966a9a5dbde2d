"""Extraction through general mechanisms, on sentences written for these tests."""

from datetime import date

import pytest

from kg.extract import UnsupportedLanguage, extract
from kg.records import Article


def events_of(text, lang, published=date(2023, 5, 10)):
    return extract(Article(id="t", text=text, lang=lang, published=published)).events


def by_role(event):
    return {p.role: p.actor for p in event.participants}


def test_arabic_reception_with_title_nisba_name_and_attendee():
    text = (
        "استقبل الرئيس التونسي قيس سعيد في تونس العاصمة أمس وزير الخارجية الجزائري أحمد عطاف، "
        "بحضور وزير الخارجية التونسي نبيل عمار."
    )
    (event,) = events_of(text, "ar")
    assert event.type == "meeting" and event.status == "occurred"
    assert event.date == date(2023, 5, 9)
    roles = {(p.role, p.actor.country) for p in event.participants}
    assert roles == {("host", "TN"), ("guest", "DZ"), ("attendee", "TN")}
    guest = by_role(event)["guest"]
    assert guest.name == "أحمد عطاف" and guest.title == "Foreign Minister"
    assert event.place is not None and event.place.country == "TN"


def test_appositive_name_before_title():
    text = "التقى ولي العهد الكويتي أمس زياد حداد رئيس جهاز الاستخبارات الخارجية اللبناني."
    (event,) = events_of(text, "ar")
    names = {p.actor.name: p.actor.country for p in event.participants}
    assert names.get("زياد حداد") == "LB"


def test_domestic_meeting_is_not_an_event():
    text = "استقبل وزير الداخلية المصري أمس محافظ أسوان المصري لبحث مشروعات التنمية."
    assert events_of(text, "ar") == []


def test_planned_visit_and_destination():
    text = "سيزور وزير الخارجية العماني القاهرة الأسبوع المقبل لبحث العلاقات الثنائية."
    (event,) = events_of(text, "ar")
    assert event.type == "visit" and event.status == "planned"
    assert event.place is not None and event.place.country == "EG"
    assert by_role(event)["guest"].country == "OM"
    assert "bilateral-relations" in event.topics


def test_visit_to_own_country_is_not_diplomatic():
    assert events_of("وصل وزير الخارجية المصري إلى القاهرة أمس.", "ar") == []


def test_negated_event_is_dropped():
    text = "The Kenyan President did not meet the Ugandan Foreign Minister in Nairobi."
    assert events_of(text, "en") == []


def test_english_talks_symmetric_roles_and_weekday():
    text = (
        "Italian Prime Minister Giulia Ferro held talks with Canadian Foreign Minister "
        "Paul Martinez in Rome on Monday."
    )
    (event,) = events_of(text, "en", published=date(2023, 5, 10))  # a Wednesday
    assert {p.role for p in event.participants} == {"participant"}
    assert {p.actor.country for p in event.participants} == {"IT", "CA"}
    assert {p.actor.name for p in event.participants} == {"Giulia Ferro", "Paul Martinez"}
    assert event.date == date(2023, 5, 8)
    assert event.place is not None and event.place.country == "IT"


def test_received_a_phone_call_is_one_call():
    text = "The Spanish Foreign Minister received a phone call from the Moroccan Foreign Minister."
    (event,) = events_of(text, "en")
    assert event.type == "call"
    assert {p.actor.country for p in event.participants} == {"ES", "MA"}


def test_one_event_per_occasion_within_an_article():
    text = (
        "استقبل الرئيس اللبناني أمس وزير الخارجية القبرصي في بيروت. "
        "وخلال اللقاء بحث الرئيس اللبناني مع وزير الخارجية القبرصي التعاون الاقتصادي."
    )
    events = events_of(text, "ar")
    assert len(events) == 1
    assert len(events[0].evidence) == 2


def test_unnamed_office_holder_resolves_to_the_named_one():
    text = (
        "وصل وزير الخارجية الأردني أيمن الصفدي إلى بغداد أمس. "
        "واستقبل رئيس الوزراء العراقي وزير الخارجية الأردني في مكتبه."
    )
    events = events_of(text, "ar")
    meeting = next(e for e in events if e.type == "meeting")
    guest = by_role(meeting)["guest"]
    assert guest.name and "الصفدي" in guest.name


def test_evidence_is_verbatim_text():
    text = "وصل وزير الخارجية السعودي إلى طهران أمس في زيارة رسمية."
    (event,) = events_of(text, "ar")
    span = event.evidence[0]
    assert text[span.start : span.end] == span.text
    assert "طهران" in span.text


def test_unsupported_language_is_refused():
    with pytest.raises(UnsupportedLanguage):
        extract(Article(id="x", text="Der Präsident traf den Minister.", lang="de"))


def test_boilerplate_after_the_body_is_ignored():
    text = (
        "بحث وزير الخارجية المغربي مع نظيره الإسباني في الرباط أمس التعاون في مجال الهجرة.\n"
        "قد يهمك أيضا\n"
        "استقبل الرئيس الفرنسي ولي العهد السعودي في باريس"
    )
    (event,) = events_of(text, "ar")
    assert {p.actor.country for p in event.participants} == {"MA", "ES"}
    assert "migration" in event.topics


def test_explicit_date_in_text():
    text = (
        "Le ministre saoudien des Affaires étrangères a reçu le 3 mars 2022 "
        "l'ambassadeur de France à Riyad."
    )
    (event,) = events_of(text, "fr")
    assert event.date == date(2022, 3, 3)
