from kg.analyse import detect_language, normalise, split_sentences, tokenize


def test_normalise_arabic_letters_diacritics_and_digits():
    text = "أَحمدُ إلى آل ـالقاهرة ٢٠٢١ «هنا»، مستشفى"
    norm = normalise(text)
    assert "احمد" in norm.text and "الي" in norm.text and "القاهره" in norm.text
    assert "2021" in norm.text and '"هنا",' in norm.text
    assert "ـ" not in norm.text


def test_offsets_point_back_to_the_original():
    text = "وزيرُ الخارجيّة المصري"
    norm = normalise(text)
    start = norm.text.index("الخارجيه")
    a, b = norm.to_original(start, start + len("الخارجيه"))
    assert text[a:b] == "الخارجيّة"


def test_latin_folding():
    norm = normalise("Élysée Œuvre")
    assert norm.text == "elysee oeuvre"
    a, b = norm.to_original(7, 13)
    assert "Élysée Œuvre"[a:b] == "Œuvre"


def test_language_detection():
    assert detect_language("استقبل الرئيس المصري ضيفه في القاهرة") == "ar"
    assert detect_language("The president received the minister in Cairo on Tuesday.") == "en"
    assert detect_language("Le président a reçu le ministre au palais de l'Élysée mardi.") == "fr"
    assert detect_language("1234 5678") == "und"


def test_sentences_split_on_glued_arabic_period_but_not_initials():
    ar = normalise("قال الوزير كذا.جاء ذلك أمس. وأضاف").text
    assert len(split_sentences(ar)) == 3
    en = normalise("U.S. Secretary of State met him. Then he left.").text
    assert len(split_sentences(en)) == 2


def test_tokenize_keeps_hyphenated_names():
    tokens = [t.text for t in tokenize(normalise("Abdel Fattah el-Sisi met").text)]
    assert tokens == ["abdel", "fattah", "el-sisi", "met"]


def test_offsets_point_back_to_the_original_characters():
    from kg.analyse import _fold, normalise

    for text in ("", "abc", "مُحَمَّـــد", "Œuvre cœur", "‏«سمو» الأمير\u00a0– 2015", "a\u200fb"):
        norm = normalise(text)
        expected = [i for i, ch in enumerate(text) for _ in _fold(ch)]
        assert list(norm.offsets) == expected
        assert len(norm.offsets) == len(norm.text)
        for index, offset in enumerate(norm.offsets):
            assert norm.text[index] in _fold(text[offset])
