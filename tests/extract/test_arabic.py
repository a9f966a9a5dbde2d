"""The Arabic mechanisms of issue 3, each on sentences written for these tests."""

from datetime import date

from kg.analyse import normalise
from kg.extract import extract
from kg.lexicon import load_lexicon
from kg.records import Article

PUBLISHED = date(2015, 7, 22)  # a Wednesday


def events_of(text, published=PUBLISHED):
    return extract(Article(id="t", text=text, lang="ar", published=published)).events


def by_role(event, role):
    return [p.actor for p in event.participants if p.role == role]


def matches(text):
    lexicon = load_lexicon("ar")
    return [
        (text[m.start : m.end], m.kind, m.key)
        for m in lexicon.match_with_text(normalise(text), text)
    ]


# -- lexicon: nisba forms, titles with their country ------------------------------------------


def test_nisba_in_all_forms_and_spellings():
    text = "المصري المصرية المصريين الأمريكي الأميركية السعودي"
    found = {surface: key for surface, kind, key in matches(text) if kind == "nisba"}
    assert found == {
        "المصري": "EG",
        "المصرية": "EG",
        "المصريين": "EG",
        "الأمريكي": "US",
        "الأميركية": "US",
        "السعودي": "SA",
    }


def test_country_specific_title():
    (title,) = [
        m for m in load_lexicon("ar").match(normalise("خادم الحرمين الشريفين")) if m.kind == "title"
    ]
    assert title.get("country") == "SA" and title.get("title_en") == "King"


def test_a_given_name_is_not_clitic_plus_trigger():
    # «فيصل» must not read as ف + «يصل» (arrives)
    assert not [k for _, k, _ in matches("الأمير فيصل بن فرحان") if k == "trigger"]


def test_ministry_is_not_a_visit():
    assert not [k for _, k, _ in matches("وزارة الخارجية") if k == "trigger"]


# -- actors -----------------------------------------------------------------------------------


def test_chain_of_titles_after_a_name_is_one_person():
    text = (
        "استقبل الأمير محمد بن سلمان بن عبدالعزيز، ولي ولي العهد، النائب الثاني لرئيس مجلس "
        "الوزراء وزير الدفاع، في جدة أمس وزير الخارجية الفرنسي لوران فابيوس."
    )
    (event,) = events_of(text)
    (host,) = by_role(event, "host")
    assert host.name == "محمد بن سلمان بن عبدالعزيز" and host.title == "Deputy Crown Prince"
    assert "defence-minister" in host.offices
    assert [a.country for a in by_role(event, "guest")] == ["FR"]


def test_unknown_names_need_a_given_name_or_an_honorific():
    text = "التقى وزير الخارجية الأمريكي تعاون البلدين في الرياض أمس وزير الخارجية السعودي."
    (event,) = events_of(text)
    assert all(p.actor.name != "تعاون البلدين" for p in event.participants)
    text = "التقى وزير الخارجية الأمريكي الدكتور جوناثان بيرك في الرياض أمس وزير الدولة السعودي."
    (event,) = events_of(text)
    assert "جوناثان بيرك" in {p.actor.name for p in event.participants}


def test_title_alone_resolves_to_the_office_holder_on_the_date():
    text = "استقبل ولي العهد السعودي في الرياض أمس وزير الخارجية البريطاني."
    (event,) = events_of(text, published=date(2016, 5, 3))
    (host,) = by_role(event, "host")
    assert host.iri and host.iri.endswith("muhammad-bin-nayef-al-saud")
    (event,) = events_of(text, published=date(2019, 5, 3))
    (host,) = by_role(event, "host")
    assert host.iri and host.iri.endswith("mohammed-bin-salman-al-saud")


def test_short_and_long_names_corefer():
    text = (
        "وصل الرئيس اليمني عبد ربه منصور هادي إلى القاهرة أمس. "
        "واستقبل الرئيس المصري الرئيس هادي في قصر الاتحادية."
    )
    meeting = next(e for e in events_of(text) if e.type == "meeting")
    (guest,) = by_role(meeting, "guest")
    assert guest.country == "YE" and "هادي" in (guest.name or "")
    assert meeting.place is not None and meeting.place.label == "Cairo"


def test_honorific_pronoun_stands_for_the_person_named_before():
    text = (
        "وصل ولي العهد الأمير محمد بن سلمان إلى عمّان أمس. "
        "وكان في استقبال سموه لدى وصوله ولي العهد الأردني الأمير الحسين بن عبدالله الثاني."
    )
    meeting = next(e for e in events_of(text, published=date(2023, 5, 3)) if e.type == "meeting")
    assert {a.country for a in by_role(meeting, "host")} == {"JO"}
    assert {a.country for a in by_role(meeting, "guest")} == {"SA"}


def test_the_two_sides_after_a_visit_are_the_visitor_and_the_country():
    text = (
        "وصل وزير الخارجية الكويتي إلى الجزائر أمس في زيارة رسمية. "
        "وأجرى الجانبان مباحثات تناولت العلاقات الثنائية."
    )
    meeting = next(e for e in events_of(text) if e.type == "meeting")
    assert {p.actor.country for p in meeting.participants} == {"KW", "DZ"}


# -- events -----------------------------------------------------------------------------------


def test_verbal_noun_takes_the_agent_after_it():
    text = "رحب رئيس الوزراء الأردني بزيارة الرئيس الفرنسي إيمانويل ماكرون إلى عمّان."
    visit = next(e for e in events_of(text, published=date(2018, 1, 10)) if e.type == "visit")
    assert [a.country for a in by_role(visit, "guest")] == ["FR"]


def test_passive_reception_and_hosts_listed_later():
    text = (
        "وكان في استقبال وزير الخارجية التركي لدى وصوله مطار الملكة علياء وزير الخارجية "
        "الأردني أيمن الصفدي. كما كان في استقباله سفير تركيا لدى الأردن."
    )
    (meeting,) = [e for e in events_of(text, published=date(2023, 5, 3)) if e.type == "meeting"]
    assert [a.country for a in by_role(meeting, "guest")] == ["TR"]
    assert "JO" in {a.country for a in by_role(meeting, "host")}


def test_attendees_told_in_a_later_sentence_join_the_meeting():
    text = (
        "استقبل الرئيس التونسي في قصر قرطاج أمس وزير الخارجية الليبي. "
        "وحضر اللقاء وزير الخارجية التونسي عثمان الجرندي."
    )
    (meeting,) = events_of(text, published=date(2021, 5, 3))
    assert {a.name for a in by_role(meeting, "attendee")} == {"عثمان الجرندي"}
    assert meeting.place is not None and meeting.place.country == "TN"


def test_companions_of_a_visitor_are_guests():
    text = (
        "وصل أمير قطر إلى الكويت أمس في زيارة رسمية. "
        "ويضم الوفد المرافق لسموه الدكتور خالد بن محمد العطية."
    )
    (visit,) = [e for e in events_of(text, published=date(2021, 5, 3)) if e.type == "visit"]
    assert "خالد بن محمد العطية" in {a.name for a in by_role(visit, "guest")}


def test_status_planned_from_cues_and_future_dates():
    planned = events_of("من المقرر أن يلتقي وزير الخارجية العماني نظيره الإيراني في مسقط.")
    assert planned and planned[0].status == "planned"
    tomorrow = events_of("يستقبل الرئيس المصري غدا العاهل الأردني في القاهرة.")
    assert tomorrow[0].status == "planned" and tomorrow[0].date == date(2015, 7, 23)


def test_negated_event_is_dropped():
    assert events_of("لم يلتق وزير الخارجية السعودي نظيره الإيراني في نيويورك.") == []


def test_dates_relative_weekday_gregorian_and_hijri():
    before_yesterday = events_of("استقبل الرئيس اللبناني أول من أمس وزير الخارجية القطري.")
    assert before_yesterday[0].date == date(2015, 7, 20)
    monday = events_of("استقبل الرئيس اللبناني يوم الاثنين وزير الخارجية القطري.")
    assert monday[0].date == date(2015, 7, 20)
    gregorian = events_of("استقبل الرئيس اللبناني في 3 يوليو 2015 وزير الخارجية القطري.")
    assert gregorian[0].date == date(2015, 7, 3)
    hijri = events_of("استقبل الرئيس اللبناني يوم 5 شوال 1436هـ وزير الخارجية القطري.")
    assert hijri[0].date == date(2015, 7, 21)


def test_venue_gives_the_city():
    (event,) = events_of("استقبل أمير الكويت في قصر بيان أمس وزير الخارجية العراقي.")
    assert event.place is not None and event.place.label == "Kuwait City"


def test_capital_as_government_and_diacritics_choose_amman():
    (event,) = events_of("تستضيف عمّان اجتماعاً يشارك فيه وزير الخارجية الإيراني.")
    assert [a.country for a in by_role(event, "host")] == ["JO"]
    assert event.place is not None and event.place.country == "JO"


def test_sport_is_not_diplomacy():
    assert events_of("يلتقي المنتخب السعودي نظيره العراقي في مباراة ودية بالرياض.") == []


def test_topics_and_concerns_from_the_passage():
    text = (
        "بحث وزير الخارجية المصري مع نظيره الأردني في القاهرة أمس تطورات القضية الفلسطينية "
        "وجهود مكافحة الإرهاب والأوضاع في ليبيا."
    )
    (event,) = events_of(text)
    assert {"peace-process", "counterterrorism"} <= set(event.topics)
    assert "LY" in event.concerns and "EG" not in event.concerns


def test_a_side_marker_gives_the_following_attendees_their_country():
    text = (
        "استقبل الرئيس المصري في القاهرة اليوم رئيس الوزراء الأردني، بحضور وزير الخارجية، "
        "ومن الجانب الأردني مدير المخابرات العامة."
    )
    (event,) = events_of(text)
    attendees = by_role(event, "attendee")
    countries = sorted(a.country or "" for a in attendees)
    assert countries == ["EG", "JO"]
