"""Tests of kg.evaluate: each scoring rule of the annotation guidelines on small gold-like data."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from rich.table import Table

from kg.evaluate import (
    ORG_ALIASES,
    PRF,
    Accuracy,
    Scores,
    format_report,
    gold_to_predicted,
    gold_to_predictions,
    load_gold,
    load_predictions,
    names_match,
    normalise_name,
    pair_events,
    pair_participants,
    render_report,
    score,
    score_by_lang,
)

DEV_GOLD = Path("/work/shared/gold/dev.jsonl")


# --------------------------------------------------------------------------- builders


def person(
    name_en: str | None,
    country: str | None,
    role: str = "participant",
    name_ar: str | None = None,
    org: str | None = None,
) -> dict[str, Any]:
    return {
        "kind": "person",
        "name_ar": name_ar,
        "name_en": name_en,
        "title_en": None,
        "country": country,
        "org_en": org,
        "role": role,
    }


def state(code: str, role: str = "participant") -> dict[str, Any]:
    return {
        "kind": "country",
        "name_ar": None,
        "name_en": code,
        "title_en": None,
        "country": code,
        "org_en": None,
        "role": role,
    }


def organization(name: str, role: str = "participant") -> dict[str, Any]:
    return {
        "kind": "organization",
        "name_ar": None,
        "name_en": name,
        "title_en": None,
        "country": None,
        "org_en": name,
        "role": role,
    }


def place(country: str, city_en: str | None = None, city_ar: str | None = None) -> dict[str, Any]:
    return {"city_en": city_en, "city_ar": city_ar, "country": country}


def event(
    etype: str,
    participants: list[dict[str, Any]],
    where: dict[str, Any] | None = None,
    date: str | None = None,
    status: str = "occurred",
    topics: tuple[str, ...] = (),
    concerns: tuple[str, ...] = (),
    evidence: str = "",
) -> dict[str, Any]:
    return {
        "type": etype,
        "status": status,
        "participants": participants,
        "place": where,
        "date": date,
        "topics": list(topics),
        "concerns": list(concerns),
        "evidence": evidence,
    }


def article(aid: str, events: list[dict[str, Any]], lang: str = "en") -> dict[str, Any]:
    return {
        "id": aid,
        "lang": lang,
        "source": "test",
        "url": None,
        "published": "2021-03-11",
        "title": "",
        "text": "",
        "events": events,
    }


def pred(ev: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """A predicted event built from a gold-like one (then edited by the test)."""
    return gold_to_predicted(ev, lang)


def sisi_macron(date: str = "2021-03-10", **kw: Any) -> dict[str, Any]:
    return event(
        "meeting",
        [
            person("Abdel Fattah el-Sisi", "EG", "host", "عبد الفتاح السيسي"),
            person("Emmanuel Macron", "FR", "guest", "إيمانويل ماكرون"),
        ],
        place("EG", "Cairo", "القاهرة"),
        date,
        **kw,
    )


def blinken_visit(dest: str = "SA") -> dict[str, Any]:
    return event(
        "visit",
        [person("Antony Blinken", "US", "guest", "أنتوني بلينكن")],
        place(dest),
        "2023-06-06",
    )


# --------------------------------------------------------------------------- names


def test_normalise_arabic_hamza_alef_maqsura_taa_marbuta_diacritics():
    assert normalise_name("أحمد أبو الغيط", "ar") == normalise_name("احمد ابو غيط", "ar")
    assert normalise_name("إيمانويل", "ar") == normalise_name("ايمانويل", "ar")
    assert normalise_name("آل ٱلسيد", "ar") == normalise_name("ال السيد", "ar")
    assert normalise_name("مُحَمَّـــد", "ar") == ["محمد"]
    assert normalise_name("مصطفى", "ar") == ["مصطفي"]
    assert normalise_name("حمزة", "ar") == ["حمزه"]
    assert normalise_name("عبد الله", "ar") == ["عبد", "الله"]  # too short to strip ال


def test_normalise_latin():
    assert normalise_name("Abdel Fattah el-Sisi", "en") == ["abdel", "fattah", "el", "sisi"]
    assert normalise_name("Bernard ÉMIÉ", "fr") == ["bernard", "emie"]
    assert normalise_name("Jean-Yves Le Drian", "fr") == ["jean", "yves", "le", "drian"]
    assert normalise_name("", "en") == []


def test_names_match_rules():
    assert names_match("عبد الفتاح السيسي", "السيسي", "ar")  # contained
    assert names_match("إيمانويل ماكرون", "ايمانويل ماكرون", "ar")
    assert names_match("Abdel Fattah el-Sisi", "Abdel Fattah al-Sisi")
    assert names_match("Abdel Fattah el-Sisi", "Sisi")
    assert names_match("Abdel Fattah el-Sisi", "Abdelfattah Elsisi")  # spacing variant
    assert names_match("Mohammed bin Salman", "Mohammed ben Salmane")  # half the tokens
    assert not names_match("Antony Blinken", "Sergei Lavrov")
    assert not names_match("bin Salman", "bin Zayed")  # particles do not count


# --------------------------------------------------------------------------- event pairing


def test_meeting_pairs_on_shared_parties_even_with_other_people():
    gold = sisi_macron()
    p = pred(gold)
    p["participants"][0]["labels"] = {"en": "Mostafa Madbouly"}
    p["participants"][0]["label"] = "Mostafa Madbouly"
    s = score([article("a", [gold])], {"a": [p]})
    assert (s.events.tp, s.events.fp, s.events.fn) == (1, 0, 0)
    assert (s.participants.tp, s.participants.fp, s.participants.fn) == (1, 1, 1)


def test_meeting_jaccard_below_half_does_not_pair():
    gold = sisi_macron()
    p = pred(gold)
    p["participants"] += [
        {"kind": "country", "label": c, "labels": {}, "country": c, "role": "participant"}
        for c in ("US", "DE", "IT")
    ]
    assert pair_events([gold], [p], "en") == []  # 2 shared of 5 parties
    s = score([article("a", [gold])], {"a": [p]})
    assert (s.events.tp, s.events.fp, s.events.fn) == (0, 1, 1)


def test_meeting_needs_two_shared_parties_unless_gold_has_one():
    gold = sisi_macron()
    only_egypt = pred(gold)
    only_egypt["participants"] = only_egypt["participants"][:1]
    assert pair_events([gold], [only_egypt], "en") == []  # Jaccard 0.5 but 1 shared

    single = event("meeting", [person("Sameh Shoukry", "EG"), state("EG")])
    p = pred(sisi_macron())  # parties EG, FR: 1 shared, Jaccard 0.5
    assert pair_events([single], [p], "en") == [(0, 0)]


def test_type_must_match():
    gold = sisi_macron()
    p = pred(gold)
    p["type"] = "call"
    s = score([article("a", [gold])], {"a": [p]})
    assert s.events.tp == 0
    assert s.events_by_type["meeting"].fn == 1
    assert s.events_by_type["call"].fp == 1


def test_visit_pairs_on_guest_country_and_destination():
    gold = blinken_visit("SA")
    assert pair_events([gold], [pred(gold)], "en") == [(0, 0)]

    elsewhere = pred(blinken_visit("AE"))
    assert pair_events([gold], [elsewhere], "en") == []

    other_name = pred(gold)
    other_name["participants"][0]["labels"] = {"en": "Derek Chollet"}
    assert pair_events([gold], [other_name], "en") == [(0, 0)]

    host_only = pred(gold)
    host_only["participants"][0]["role"] = "host"
    host_only["participants"].append(
        {"kind": "person", "label": "X", "labels": {}, "country": "FR", "role": "guest"}
    )
    assert pair_events([gold], [host_only], "en") == []


def test_greedy_best_first_prefers_highest_jaccard():
    g1 = sisi_macron(date="2021-03-01")
    g2 = sisi_macron(date="2021-03-02")
    g2["participants"].append(person("Olaf Scholz", "DE"))
    p_three = pred(g2)  # parties EG FR DE, fits g2 exactly, g1 at 2/3
    p_two = pred(g1)  # parties EG FR, fits g1 exactly, g2 at 2/3
    # In list order, g1 would take p_three first; best first pairs the exact fits.
    assert pair_events([g1, g2], [p_three, p_two], "en") == [(0, 1), (1, 0)]
    s = score([article("a", [g1, g2])], {"a": [p_three, p_two]})
    assert (s.date.correct, s.date.total) == (2, 2)


def test_tie_broken_by_participant_names_then_evidence():
    gold = sisi_macron(evidence="Sisi received Macron in Cairo")
    wrong_names = pred(gold)
    for part, name in zip(wrong_names["participants"], ("Madbouly", "Le Maire"), strict=True):
        part["labels"] = {"en": name}
        part["label"] = name
    wrong_names["date"] = "1999-01-01"
    right = pred(gold)
    assert pair_events([gold], [wrong_names, right], "en") == [(0, 1)]

    other_text = pred(gold)
    other_text["evidence"] = [{"start": 0, "end": 10, "text": "a trade fair opened"}]
    assert pair_events([gold], [other_text, pred(gold)], "en") == [(0, 1)]


# --------------------------------------------------------------------------- participants


def arab_league_meeting() -> dict[str, Any]:
    return event(
        "meeting",
        [
            person("Ahmed Aboul Gheit", None, "host", "أحمد أبو الغيط", org="Arab League"),
            person("Sameh Shoukry", "EG", "guest", "سامح شكري"),
        ],
        place("EG", "Cairo", "القاهرة"),
    )


def test_arabic_participant_names_with_hamza_and_article_variants():
    gold = arab_league_meeting()
    p = pred(gold, "ar")
    p["participants"][0]["labels"] = {"ar": "احمد ابو غيط"}
    p["participants"][1]["labels"] = {"ar": "شكري"}
    s = score([article("a", [gold], "ar")], {"a": [p]})
    assert (s.participants.tp, s.participants.fp, s.participants.fn) == (2, 0, 0)


def test_named_person_does_not_fall_back_to_organization():
    gold = arab_league_meeting()
    p = pred(gold, "ar")
    p["participants"][0]["labels"] = {"ar": "نبيل العربي"}
    p["participants"][0]["label"] = "نبيل العربي"
    s = score([article("a", [gold], "ar")], {"a": [p]})
    assert s.events.tp == 1  # still the same parties
    assert (s.participants.tp, s.participants.fp, s.participants.fn) == (1, 1, 1)


def test_names_compared_in_the_same_script_and_language_labels():
    gold = [person(None, "SA", name_ar="محمد بن سلمان"), person("Antony Blinken", "US")]
    latin_only = [
        {
            "kind": "person",
            "label": "Mohammed bin Salman",
            "labels": {"en": "Mohammed bin Salman"},
            "country": "SA",
        }
    ]
    assert pair_participants(gold[:1], latin_only, "ar") == []

    french = [{"kind": "person", "label": "?", "labels": {"fr": "Antony Blinken"}, "country": "US"}]
    assert pair_participants(gold[1:], french, "fr") == [(0, 0)]

    label_only = [
        {"kind": "person", "label": "بلينكن", "labels": {}, "country": "US"},
        {"kind": "person", "label": "Blinken", "labels": {}, "country": "US"},
    ]
    assert pair_participants(gold[1:], label_only, "en") == [(0, 1)]


def test_unnamed_and_country_participants_pair_by_country():
    gold = event("meeting", [state("JO"), person(None, "GB", "guest")])
    preds = [
        {
            "kind": "person",
            "label": "Ayman Safadi",
            "labels": {"en": "Ayman Safadi"},
            "country": "JO",
            "role": "participant",
        },
        {"kind": "person", "label": "Tariq Ahmad", "labels": {}, "country": "GB", "role": "host"},
    ]
    assert pair_participants(gold["participants"], preds, "en") == [(0, 0), (1, 1)]
    p = pred(gold)
    p["participants"] = preds
    s = score([article("a", [gold])], {"a": [p]})
    assert (s.participants.tp, s.role.correct, s.role.total) == (2, 1, 2)


def test_organization_matching_case_containment_and_aliases():
    gold = event("meeting", [organization("Arab League"), state("EG")])
    preds = [
        {
            "kind": "organization",
            "label": "الجامعة",
            "labels": {},
            "org": "ARAB LEAGUE",
            "country": None,
            "role": "participant",
        },
        {"kind": "country", "label": "Egypt", "labels": {}, "country": "EG"},
    ]
    assert pair_participants(gold["participants"], preds, "en") == [(0, 0), (1, 1)]

    un = [organization("United Nations")]
    council = [
        {
            "kind": "organization",
            "label": "United Nations Security Council",
            "labels": {},
            "country": None,
        }
    ]
    assert pair_participants(un, council, "en") == [(0, 0)]

    gcc = event("meeting", [organization("GCC"), state("SA")])
    p = pred(gcc)
    p["participants"][0]["org"] = "Gulf Cooperation Council"
    assert pair_events([gcc], [p], "en") == []
    a = [article("a", [gcc])]
    s = score(a, {"a": [p]}, org_aliases=ORG_ALIASES)
    assert (s.events.tp, s.participants.tp) == (1, 2)


# --------------------------------------------------------------------------- accuracies


def test_role_status_date_and_place_accuracy():
    gold = sisi_macron(date="2021-03-10")
    p = pred(gold)
    p["participants"][1]["role"] = "participant"  # gold: guest
    p["status"] = "planned"
    p["date"] = "2021-03-09"
    p["place"] = {"label": "Alexandria", "labels": {"en": "Alexandria"}, "country": "EG"}
    s = score([article("a", [gold])], {"a": [p]})
    assert (s.role.correct, s.role.total) == (1, 2)
    assert (s.status.correct, s.status.total) == (0, 1)
    assert (s.date.correct, s.date.total) == (0, 1)
    assert (s.place_country.correct, s.place_country.total) == (1, 1)
    assert (s.place_city.correct, s.place_city.total) == (0, 1)


def test_place_city_compares_each_language_label():
    gold = event(
        "visit", [person("Hossein Amir-Abdollahian", "IR", "guest")], place("JO", "Amman", "عمّان")
    )

    def city_score(pred_place: dict[str, Any] | None) -> tuple[int, int]:
        p = pred(gold)
        p["place"] = pred_place
        p["participants"][0]["labels"] = {}
        s = score([article("a", [gold])], {"a": [p]})
        return s.place_city.correct, s.place_city.total

    assert city_score({"label": "x", "labels": {"ar": "عمان"}, "country": "JO"}) == (1, 1)
    assert city_score({"label": "Amman", "labels": {}, "country": "JO"}) == (1, 1)
    both_wrong_en = {"label": "Amman", "labels": {"ar": "عمان", "en": "Zarqa"}, "country": "JO"}
    assert city_score(both_wrong_en) == (0, 1)


def test_accuracies_only_where_gold_gives_a_value():
    gold = blinken_visit("SA")  # no city
    gold["date"] = None
    s = score([article("a", [gold])], {"a": [pred(gold)]})
    assert s.place_city.total == 0 and s.place_city.value is None
    assert s.date.total == 0
    assert (s.place_country.correct, s.place_country.total) == (1, 1)


def test_topics_and_concerns_over_paired_events():
    gold = sisi_macron(topics=("bilateral-relations", "counterterrorism"), concerns=("LY",))
    p = pred(gold)
    p["topics"] = ["bilateral-relations", "energy"]
    p["concerns"] = ["ly", "PS"]
    unpaired = pred(blinken_visit())
    unpaired["topics"] = ["energy"]
    s = score([article("a", [gold])], {"a": [p, unpaired]})
    assert (s.topics.tp, s.topics.fp, s.topics.fn) == (1, 1, 1)
    assert (s.concerns.tp, s.concerns.fp, s.concerns.fn) == (1, 1, 0)


# --------------------------------------------------------------------------- corpus-level


def test_unpaired_events_count_their_participants():
    gold = sisi_macron()
    s = score([article("a", [gold])], {"a": [pred(blinken_visit())]})
    assert (s.events.tp, s.events.fp, s.events.fn) == (0, 1, 1)
    assert (s.participants.tp, s.participants.fp, s.participants.fn) == (0, 1, 2)


def test_false_events_on_articles_without_gold_events():
    gold = [article("e1", []), article("e2", []), article("full", [sisi_macron()])]
    predicted = {
        "e1": [pred(sisi_macron()), pred(blinken_visit())],
        "e2": [pred(sisi_macron())],
        "full": [pred(sisi_macron())],
    }
    s = score(gold, predicted)
    assert (s.empty_articles, s.false_events_on_empty) == (2, 3)
    assert s.false_events_per_10_empty == pytest.approx(15.0)
    assert (s.events.tp, s.events.fp) == (1, 3)


def test_missing_predictions_are_empty_and_unknown_articles_ignored():
    gold = [article("a", [sisi_macron()])]
    s = score(gold, {"zzz": [pred(sisi_macron())]})
    assert (s.events.tp, s.events.fp, s.events.fn) == (0, 0, 1)
    assert s.articles == 1


def test_score_by_lang_splits_and_sums():
    gold = [
        article("ar1", [arab_league_meeting()], "ar"),
        article("en1", [sisi_macron()], "en"),
        article("en2", [], "en"),
    ]
    predicted = {"ar1": [pred(arab_league_meeting(), "ar")], "en2": [pred(blinken_visit())]}
    by = score_by_lang(gold, predicted)
    assert list(by) == ["all", "ar", "en"]
    assert (by["ar"].events.tp, by["ar"].events.fn, by["ar"].articles) == (1, 0, 1)
    assert (by["en"].events.tp, by["en"].events.fp, by["en"].events.fn) == (0, 1, 1)
    assert by["en"].false_events_on_empty == 1
    assert by["all"].events.tp == by["ar"].events.tp + by["en"].events.tp
    assert by["all"].articles == 3


def corpus() -> list[dict[str, Any]]:
    named_ar = event(
        "meeting",
        [
            person("Abdel Fattah el-Sisi", "EG", "host", "عبد الفتاح السيسي"),
            person("Bernard Émié", "FR", "guest", "برنارد إيمييه"),
            person("Abbas Kamel", "EG", "attendee", "عباس كامل"),
        ],
        place("EG", "Cairo", "القاهرة"),
        "2021-03-10",
        topics=("intelligence",),
        concerns=("LY",),
    )
    call = event(
        "call",
        [
            person("Mohammed bin Salman", "SA", name_ar="محمد بن سلمان"),
            person("Emmanuel Macron", "FR", name_ar="إيمانويل ماكرون"),
        ],
        None,
        "2021-03-09",
        topics=("regional-issues",),
        concerns=("LB",),
    )
    multi = event(
        "meeting",
        [organization("GCC"), state("SA"), state("QA"), person(None, "GB", "guest")],
        place("SA", "Riyadh", "الرياض"),
        status="planned",
        topics=("economy-trade",),
    )
    return [
        article("ar1", [named_ar, blinken_visit("EG")], "ar"),
        article("ar2", [], "ar"),
        article("en1", [multi, arab_league_meeting()], "en"),
        article("fr1", [call], "fr"),
    ]


def assert_perfect(s: Scores) -> None:
    prfs: list[PRF] = [s.events, s.participants, s.topics, s.concerns]
    prfs += [prf for prf in s.events_by_type.values() if not prf.empty]
    for prf in prfs:
        assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0)
    accs: list[Accuracy] = [s.role, s.status, s.place_country, s.place_city, s.date]
    for acc in accs:
        assert acc.total > 0 and acc.value == 1.0
    assert s.false_events_on_empty == 0


def test_perfect_prediction_from_gold_scores_one_everywhere():
    gold = corpus()
    s = score(gold, gold_to_predictions(gold))
    assert_perfect(s)
    assert s.empty_articles == 1


def test_empty_prediction_scores_zero_recall():
    s = score(corpus(), {})
    assert s.events.recall == 0.0 and s.events.f1 == 0.0
    assert s.participants.recall == 0.0
    assert s.events.fn == 5 and s.events.fp == 0
    assert s.topics.empty and s.role.value is None


def test_gold_to_predicted_shape():
    ev = copy.deepcopy(corpus()[0]["events"][0])
    p = gold_to_predicted(ev, "ar", text="... استقبل السيسي ...")
    assert set(p) == {
        "id",
        "type",
        "status",
        "date",
        "place",
        "participants",
        "topics",
        "concerns",
        "evidence",
        "confidence",
    }
    assert p["participants"][0]["labels"] == {
        "ar": "عبد الفتاح السيسي",
        "en": "Abdel Fattah el-Sisi",
    }
    assert p["participants"][0]["label"] == "عبد الفتاح السيسي"
    assert p["place"] == {
        "label": "القاهرة",
        "labels": {"ar": "القاهرة", "en": "Cairo"},
        "country": "EG",
    }
    assert p["id"] == gold_to_predicted(ev, "ar")["id"]  # stable


# --------------------------------------------------------------------------- output and files


def test_report_and_dict():
    by = score_by_lang(corpus(), gold_to_predictions(corpus()))
    table = format_report(by["all"], by)
    assert isinstance(table, Table)
    assert [c.header for c in table.columns] == ["measure", "all", "ar", "en", "fr"]
    text = render_report(by["all"], by)
    assert "participants" in text and "F1 1.00" in text
    data = json.loads(json.dumps(by["all"].to_dict()))
    assert data["events"]["f1"] == 1.0
    assert data["events_by_type"]["visit"]["tp"] == 1
    assert data["false_events_per_10_empty"] == 0.0
    assert score([], {}).to_dict()["events"]["f1"] is None


def test_load_gold_and_predictions(tmp_path: Path):
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(
        "\n".join(json.dumps(a, ensure_ascii=False) for a in corpus()) + "\n\n", encoding="utf-8"
    )
    assert [a["id"] for a in load_gold(gold_file)] == ["ar1", "ar2", "en1", "fr1"]

    pred_file = tmp_path / "pred.jsonl"
    lines = [json.dumps({"id": k, "events": v}) for k, v in gold_to_predictions(corpus()).items()]
    pred_file.write_text("\n".join(lines), encoding="utf-8")
    assert len(load_predictions(pred_file)["ar1"]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "events": []}\n{"id": "b", "events": [}\n', "line 2: invalid JSON"),
        ('{"id": "a", "events": []}\n\n[1, 2]\n', "line 3: expected an object"),
        ('{"id": "a", "events": {}}\n', "line 1: 'events' must be a list"),
        ('{"id": "a", "events": []}\n{"id": "a", "events": []}\n', "line 2: duplicate"),
    ],
)
def test_load_predictions_errors_name_the_line(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_predictions(path)


@pytest.mark.shared
@pytest.mark.skipif(not DEV_GOLD.exists(), reason="shared dev gold not available")
def test_dev_gold_converted_to_predictions_scores_one():
    gold = load_gold(DEV_GOLD)
    predicted = {
        a["id"]: [gold_to_predicted(e, a["lang"], text=a["text"]) for e in a["events"]]
        for a in gold
    }
    for s in score_by_lang(gold, predicted).values():
        for prf in [s.events, s.participants, s.topics, s.concerns, *s.events_by_type.values()]:
            assert prf.empty or prf.f1 == 1.0
        for acc in [s.role, s.status, s.place_country, s.place_city, s.date]:
            assert acc.value in (None, 1.0)
