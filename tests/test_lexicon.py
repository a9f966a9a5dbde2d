from kg.analyse import normalise
from kg.lexicon import load_lexicon


def _matches(lang, text):
    lexicon = load_lexicon(lang)
    return [
        (text[m.start : m.end], m.kind, m.key)
        for m in lexicon.match_with_text(normalise(text), text)
    ]


def test_arabic_title_through_proclitics():
    found = _matches("ar", "ولوزير الخارجية وللرئيس وبالرئيس")
    titles = [(surface, key.rsplit("/", 1)[-1]) for surface, kind, key in found if kind == "title"]
    assert ("وزير الخارجية", "title-foreign-minister") in titles
    assert ("للرئيس", "title-president") in titles or ("لرئيس", "title-president") in titles
    assert ("الرئيس", "title-president") in titles


def test_longest_title_wins():
    found = _matches("ar", "رئيس جهاز الاستخبارات الخارجية الفرنسي")
    kinds = [kind for _, kind, _ in found]
    assert kinds.count("title") == 1
    title = next(key for _, kind, key in found if kind == "title")
    assert title.endswith("title-foreign-intelligence-chief")


def test_word_boundaries_are_respected():
    # «الرئيسية» (main) must not match the title «الرئيس»
    assert not [k for _, k, _ in _matches("ar", "القضايا الرئيسية") if k == "title"]
    assert not [k for _, k, _ in _matches("en", "kingdom") if k == "title"]


def test_trigger_with_pronoun_suffix_and_planned_form():
    lexicon = load_lexicon("ar")
    text = "خلال زيارته إلى باريس وسيزور روما"
    matches = [m for m in lexicon.match(normalise(text)) if m.kind == "trigger"]
    assert [text[m.start : m.end] for m in matches] == ["زيارته", "سيزور"]
    assert [m.get("status") for m in matches] == ["occurred", "planned"]


def test_english_acronyms_are_case_sensitive():
    lexicon = load_lexicon("en")
    text = "Tell us about the PM"
    found = [
        (text[m.start : m.end], m.kind) for m in lexicon.match_with_text(normalise(text), text)
    ]
    assert ("PM", "title") in found
    assert not any(surface == "us" for surface, _ in found)


def test_topic_cues_overlap_entities():
    lexicon = load_lexicon("ar")
    text = "رئيس جهاز الاستخبارات الخارجية بحث مكافحة الإرهاب"
    topics = {m.key for m in lexicon.match_topics(normalise(text))}
    assert {"intelligence", "counterterrorism"} <= topics
