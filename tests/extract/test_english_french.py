"""English and French mechanisms (issue 4), on sentences written for these tests."""

from datetime import date

from kg.extract import extract
from kg.records import Article


def events_of(text, lang, published=date(2024, 3, 6)):  # a Wednesday
    return extract(Article(id="t", text=text, lang=lang, published=published)).events


def parties(event):
    return {p.actor.country for p in event.participants}


def test_surname_alone_confirmed_by_the_article():
    text = (
        "Spanish Foreign Minister Lucia Ortega arrived in Rabat on Monday. "
        "Ortega met Moroccan Foreign Minister Nasser Bourita on Tuesday."
    )
    meeting = next(e for e in events_of(text, "en") if e.type == "meeting")
    assert parties(meeting) == {"ES", "MA"}
    assert meeting.date == date(2024, 3, 5)


def test_capitalised_words_that_name_no_one_are_dropped():
    text = "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Addis Ababa."
    (event,) = events_of(text, "en")
    assert {p.actor.name for p in event.participants} == {"William Ruto", "Abiy Ahmed"}


def test_reference_data_confirms_a_surname():
    text = "Blinken met Sisi in Cairo on Tuesday."
    (event,) = events_of(text, "en", published=date(2024, 1, 11))
    assert parties(event) == {"US", "EG"}


def test_tour_is_one_visit_per_country():
    text = (
        "The British Foreign Secretary will embark on Monday on a tour starting in Oman, "
        "then Kuwait and Qatar."
    )
    visits = [e for e in events_of(text, "en") if e.type == "visit"]
    assert {e.place.country for e in visits if e.place} == {"OM", "KW", "QA"}
    assert all(e.status == "planned" for e in visits)


def test_welcoming_a_proposal_is_not_a_reception():
    assert events_of("The Qatari emir welcomed the proposal by the Saudi crown prince.", "en") == []


def test_possible_meeting_is_not_an_event():
    text = "A meeting between the Saudi and Israeli foreign ministers may take place next month."
    assert events_of(text, "en") == []


def test_the_people_for_their_country():
    text = (
        "Iranian Foreign Minister Hossein Amir-Abdollahian held talks with the Saudis in Beijing."
    )
    (event,) = events_of(text, "en", published=date(2023, 4, 6))
    assert parties(event) == {"IR", "SA"}


def test_dateline_places_an_event_without_a_place():
    text = (
        "AMMAN, March 5 (Reuters) - Jordan's King Abdullah received the Iraqi Prime Minister "
        "on Tuesday to discuss energy projects."
    )
    (event,) = events_of(text, "en")
    assert event.place is not None and event.place.country == "JO"


def test_french_clitic_pronoun_object():
    text = (
        "Le prince héritier saoudien Mohammed ben Salmane devait rencontrer Emmanuel Macron, "
        "qui l'a accueilli mardi à l'Elysée."
    )
    events = events_of(text, "fr", published=date(2018, 4, 10))
    meeting = next(e for e in events if any(p.role == "host" for p in e.participants))
    roles = {p.role: p.actor.country for p in meeting.participants}
    assert roles == {"host": "FR", "guest": "SA"}
    assert meeting.place is not None and meeting.place.label == "Paris"
    assert meeting.date == date(2018, 4, 10)


def test_french_honorific_with_nationality_and_monsieur_le():
    text = (
        "Le ministre français des Affaires étrangères Jean-Yves Le Drian est arrivé à Bagdad. "
        "M. Le Drian a rencontré le Premier ministre irakien."
    )
    meeting = next(
        e for e in events_of(text, "fr", published=date(2019, 1, 14)) if e.type == "meeting"
    )
    assert parties(meeting) == {"FR", "IQ"}


def test_a_peer_is_named_by_one_word():
    text = "British Minister Lord Pemberton arrived in Muscat on Monday for talks."
    (visit,) = events_of(text, "en")
    (guest,) = visit.participants
    assert guest.actor.name == "Pemberton"


def test_talks_called_off_after_the_trigger_are_not_an_event():
    text = "Talks between Egypt and Ethiopia have been suspended."
    assert events_of(text, "en") == []
    text = "La visite du ministre français en Algérie a été reportée."
    assert events_of(text, "fr") == []


def test_the_call_lends_its_day_to_the_call_told_before():
    text = (
        "A phone call between the Omani sultan and the Iranian president eased tension. "
        "The call on Monday was the first since January."
    )
    (call,) = events_of(text, "en")
    assert parties(call) == {"OM", "IR"}
    assert call.date == date(2024, 3, 4)


def test_the_summit_that_comes_after_others_is_not_a_second_meeting():
    text = (
        "The foreign ministers of Egypt and Turkey met in Ankara on Tuesday. "
        "The summit comes a month after Greece and Cyprus signed a maritime deal."
    )
    (meeting,) = events_of(text, "en")
    assert parties(meeting) == {"EG", "TR"}


def test_an_earlier_visit_is_another_occasion():
    text = (
        "M. Barrot a entamé samedi sa visite à Alger. "
        "M. Barrot s'était déjà rendu en Algérie en avril 2025, mais cette visite intervient "
        "après la crise."
    )
    visits = [e for e in events_of(text, "fr", published=date(2025, 10, 12)) if e.type == "visit"]
    assert len(visits) == 2
    assert {v.date for v in visits} == {date(2025, 10, 11), None}


def test_a_visit_is_dated_by_the_visitors_meeting_there():
    text = (
        "Indian Foreign Minister Subrahmanyam Jaishankar began a visit to Egypt. "
        "Jaishankar met Egyptian President Abdel Fattah al-Sisi in Cairo on Monday."
    )
    visit = next(e for e in events_of(text, "en") if e.type == "visit")
    assert visit.date == date(2024, 3, 4)


def test_text_after_a_flashback_is_the_lead_events():
    text = (
        "Omani Foreign Minister Badr Albusaidi met Iranian Foreign Minister Abbas Araghchi "
        "in Muscat on Tuesday. "
        "On Sunday, Albusaidi had met Qatari Prime Minister Mohammed bin Abdulrahman Al Thani "
        "in Doha. "
        "The two ministers are expected to discuss the Iranian nuclear programme."
    )
    lead, flashback = events_of(text, "en")
    assert parties(lead) == {"OM", "IR"} and parties(flashback) == {"OM", "QA"}
    assert "nuclear-nonproliferation" in lead.topics
    assert "nuclear-nonproliferation" not in flashback.topics


def test_each_clause_keeps_its_own_people():
    text = (
        "Omani Foreign Minister Badr Albusaidi held talks with Iranian President Masoud "
        "Pezeshkian in Tehran, while Qatari Prime Minister Mohammed bin Abdulrahman Al Thani "
        "also met the Iranian president."
    )
    meetings = events_of(text, "en", published=date(2025, 1, 8))
    assert sorted(sorted(parties(m)) for m in meetings) == [["IR", "OM"], ["IR", "QA"]]


def test_sheikh_and_a_given_name_is_not_someone_named_after_him():
    text = (
        "Sheikh Khaled bin Mohamed, Crown Prince of Abu Dhabi, arrived in Doha on Monday. "
        "The UAE President Sheikh Mohamed held a phone call with Qatar's Emir on Tuesday."
    )
    call = next(e for e in events_of(text, "en", published=date(2024, 11, 6)) if e.type == "call")
    names = {p.actor.labels.get("en") for p in call.participants}
    assert "Khaled bin Mohamed" not in names
    assert "Mohamed bin Zayed Al Nahyan" in names


def test_a_period_is_no_day_and_borrows_none():
    text = (
        "Egyptian Foreign Minister Badr Abdelatty met his Jordanian counterpart Ayman Safadi "
        "in Amman on Monday. Last month Abdelatty met Safadi in Cairo."
    )
    dated, vague = events_of(text, "en", published=date(2024, 11, 6))
    assert dated.date == date(2024, 11, 4)
    assert vague.date is None and vague.place.country == "EG"


def test_separate_meetings_are_one_per_side_met():
    text = (
        "British Foreign Secretary David Lammy held meetings on Monday with officials from "
        "Jordan and Egypt."
    )
    meetings = events_of(text, "en", published=date(2024, 9, 4))
    assert sorted(sorted(parties(m)) for m in meetings) == [["EG", "GB"], ["GB", "JO"]]


def test_an_organization_naming_the_summit_is_not_its_subject():
    text = "Qatar is set to attend a Gulf Cooperation Council summit in Riyadh on December 9."
    (summit,) = events_of(text, "en", published=date(2018, 11, 20))
    assert parties(summit) == {"QA", None}
    assert {p.actor.org for p in summit.participants} >= {"https://w3id.org/dipkg/id/org/gcc"}
    assert summit.status == "planned" and summit.date == date(2018, 12, 9)


def test_a_conditional_sentence_is_no_occasion():
    text = "Should the Qatari emir attend, it would be his first visit to Riyadh since 2017."
    assert events_of(text, "en") == []
    text = "Si le président algérien accepte, il se rendra à Paris en mai."
    assert events_of(text, "fr") == []


def test_the_speaker_after_a_quotation_is_not_in_it():
    text = (
        "“Omani Foreign Minister Badr Albusaidi has been meeting Iranian Foreign Minister "
        "Abbas Araghchi in Muscat,” said Kuwaiti Deputy Foreign Minister Khalid Al Jarallah."
    )
    (meeting,) = events_of(text, "en", published=date(2025, 4, 9))
    assert parties(meeting) == {"OM", "IR"}


def test_what_follows_to_discuss_was_discussed():
    text = (
        "The foreign ministers of Egypt and Jordan met in Amman to discuss the war, which "
        "the United Nations fears will spread to Lebanon."
    )
    (meeting,) = events_of(text, "en")
    assert parties(meeting) == {"EG", "JO"}
