"""The document every extraction component reads: the article, its normalised text, sentences,
words and lexicon matches, all with offsets in the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.analyse import TOKEN, Normalised, normalise, split_sentences
from kg.lexicon import Lexicon
from kg.records import Actor, Article, Match, Place


class Word(NamedTuple):
    """A word: offsets in the original text, its matching form, and as written (a tuple:
    millions are made per corpus)."""

    start: int
    end: int
    norm: str
    text: str


@dataclass
class Sentence:
    start: int
    end: int
    words: list[Word]
    matches: list[Match]


@dataclass
class Document:
    article: Article
    lang: str
    lexicon: Lexicon
    norm: Normalised
    body_end: int
    """Where the article body ends (boilerplate such as related headlines starts)."""
    sentences: list[Sentence]
    topic_matches: list[Match]
    actors: list[Actor] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def gap(self, start: int, end: int) -> str:
        """The normalised text between two original offsets, stripped."""
        return normalise(self.article.text[start:end]).text.strip()


_DIACRITICS = frozenset(chr(c) for c in range(0x064B, 0x0653))


def _country_of(match: Match) -> str | None:
    if match.kind in ("country", "nisba"):
        return match.key
    return match.get("country")


def disambiguate(matches: list[Match], text: str = "") -> list[Match]:
    """«عمان» is Oman and Amman: of the readings of one span, keep the one written exactly as
    in the text («عمّان»), else those whose country the rest of the article names most (a tie
    keeps them all)."""
    spans: dict[tuple[int, int], list[Match]] = {}
    for m in matches:
        spans.setdefault((m.start, m.end), []).append(m)
    counts: dict[str, int] = {}
    for group in spans.values():
        codes = {_country_of(m) for m in group}
        if len(codes) == 1 and None not in codes:
            code = next(iter(codes))
            if code is not None:
                counts[code] = counts.get(code, 0) + 1
    kept: list[Match] = []
    for group in spans.values():
        codes = {_country_of(m) for m in group}
        if len(group) > 1 and text:
            span = text[group[0].start : group[0].end]
            exact = [m for m in group if span in (m.get("written") or "").split("|")]
            if exact and len(exact) < len(group) and any(ch in span for ch in _DIACRITICS):
                group = exact
                codes = {_country_of(m) for m in group}
        if len(group) > 1 and len(codes) > 1:
            best = max(counts.get(_country_of(m) or "", 0) for m in group)
            group = [m for m in group if counts.get(_country_of(m) or "", 0) == best]
        kept += group
    return kept


DATELINE_LENGTH = 60
"""A dateline («Bagdad, 14 jan 2019 (AFP) -», "CAIRO, March 10 (Reuters) –») opens the text
within this many characters."""


_DATELINE_END = re.compile(r"^[^\n]{0,%d}?(\([^)]{1,30}\)\s*)?[-–—:]" % DATELINE_LENGTH)  # noqa: UP031


def _dateline(doc: Document) -> tuple[Match, int] | None:
    """The city of the article's dateline and where the dateline ends: a city at the very start
    followed by a dash, a colon or an agency in brackets before the story begins."""
    if not doc.sentences:
        return None
    head = doc.text[: DATELINE_LENGTH + 20]
    first = next((m for m in doc.sentences[0].matches if m.kind == "city"), None)
    if first is None or doc.text[: first.start].strip(" \n\t-–—") != "":
        return None
    found = _DATELINE_END.match(head[first.end :])
    if not found:
        return None
    return first, first.end + found.end()


def dateline_end(doc: Document) -> int:
    """Where the dateline ends (0 without one): its date is when the story was filed, which
    a date in the story itself ("on Monday") outranks."""
    dateline = _dateline(doc)
    return dateline[1] if dateline else 0


def dateline_place(doc: Document) -> Place | None:
    """The city of the article's dateline, if it has one."""
    dateline = _dateline(doc)
    if dateline is None:
        return None
    first = dateline[0]
    entity = doc.lexicon.reference.get(first.key)
    if entity is None:
        return None
    return Place(
        entity.label("en"), entity.pref_labels(), entity.country, entity.iri, entity.wikidata
    )


def _words(norm: Normalised, text: str, body_end: int) -> list[Word]:
    """The words of the body, with original offsets (one pass: this runs on every article)."""
    offsets = norm.offsets
    words = []
    for found in TOKEN.finditer(norm.text):
        start, end = offsets[found.start()], offsets[found.end() - 1] + 1
        if end > body_end:
            break
        words.append(Word(start, end, found.group(), text[start:end]))
    return words


def make_document(article: Article, lang: str, lexicon: Lexicon) -> Document:
    """Normalise, match and split one article."""
    text = article.text
    norm = normalise(text)
    matches = lexicon.match_with_text(norm, text)
    body_end = len(text)
    for m in matches:
        if m.kind == "boilerplate" and m.start > len(text) // 4:
            body_end = m.start
            break
    matches = disambiguate([m for m in matches if m.end <= body_end], text)
    words = _words(norm, text, body_end)
    sentences: list[Sentence] = []
    mi = wi = 0

    def upper_at(offset: int) -> bool:
        return text[norm.offsets[offset]].isupper()

    for s in split_sentences(norm.text, lexicon.language.abbreviations, upper_at):
        start, end = norm.to_original(s.start, s.end)
        if start >= body_end:
            break
        end = min(end, body_end)
        sentence_words: list[Word] = []
        while wi < len(words) and words[wi].start < end:
            if words[wi].start >= start:
                sentence_words.append(words[wi])
            wi += 1
        sentence_matches: list[Match] = []
        while mi < len(matches) and matches[mi].start < end:
            if matches[mi].start >= start:
                sentence_matches.append(matches[mi])
            mi += 1
        sentences.append(Sentence(start, end, sentence_words, sentence_matches))
    topic_matches = [m for m in lexicon.match_topics(norm) if m.end <= body_end]
    return Document(article, lang, lexicon, norm, body_end, sentences, topic_matches)
