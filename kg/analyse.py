"""Analyse an article's text: normalise it for matching (keeping a map back to the original
characters), detect its language, split sentences and words.

Matching happens on the normalised text; every span handed to later stages is mapped back to the
original text, so evidence quotes are verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import compress

from kg.records import Article

_DROP = {0x0640, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFEFF, 0x00AD, 0x061C}
_DROP.update(range(0x064B, 0x0660))  # harakat, shadda, sukun, hamza marks
_DROP.update(range(0x06D6, 0x06EE))  # Quranic annotation marks
_DROP.update(range(0x202A, 0x202F))  # bidi embeddings and overrides
_DROP.update(range(0x2066, 0x206A))  # bidi isolates
_DROP.add(0x0670)  # superscript alef

_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "`": "'",
    "،": ",",
    "؛": ";",
    "؟": "?",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "\u00a0": " ",
    "ک": "ك",
    "ی": "ي",
    "ـ": "",
}
for _i, _d in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _MAP[_d] = str(_i)
for _i, _d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _MAP[_d] = str(_i)


@cache
def _fold(ch: str) -> str:
    """The matching form of one character ('' when it is dropped)."""
    if ord(ch) in _DROP:
        return ""
    if ch in _MAP:
        return _MAP[ch]
    if ch.isascii():
        return ch.lower()
    if ch in "œŒ":
        return "oe"
    if ch in "æÆ":
        return "ae"
    if ch == "ß":
        return "ss"
    base = unicodedata.normalize("NFD", ch)
    if len(base) > 1 and base[0].isascii():
        return base[0].lower()
    return ch.lower()


@dataclass(frozen=True)
class Normalised:
    """Text in matching form plus, for each of its characters, the offset in the original."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if start >= len(self.offsets):
            return self.original_length, self.original_length
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Fold case, accents, Arabic letter variants, diacritics, digits and punctuation."""
    pieces = list(map(_fold, text))
    lengths = list(map(len, pieces))
    # most characters fold to one: the offsets are runs of the identity between the few that
    # are dropped (diacritics, tatweel) or expanded (œ → oe)
    irregular = list(compress(range(len(lengths)), map((1).__ne__, lengths)))
    offsets: list[int] = []
    previous = 0
    for index in irregular:
        offsets.extend(range(previous, index))
        offsets.extend([index] * lengths[index])
        previous = index + 1
    offsets.extend(range(previous, len(text)))
    return Normalised("".join(pieces), tuple(offsets), len(text))


def normalise_form(text: str) -> str:
    """The matching form of a lexicon entry, with inner whitespace collapsed."""
    return " ".join(normalise(text).text.split())


_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_WORD = re.compile(r"[a-zà-ÿ']+")

_EN_CUES = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "with",
        "said",
        "was",
        "on",
        "for",
        "has",
        "his",
        "by",
        "from",
        "is",
        "that",
    ]
)
_FR_CUES = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "et",
        "du",
        "une",
        "avec",
        "est",
        "au",
        "aux",
        "dans",
        "pour",
        "qui",
        "a",
        "son",
        "sur",
        "par",
    ]
)

SUPPORTED_LANGS = ("ar", "en", "fr")


def detect_language(text: str) -> str:
    """'ar', 'en' or 'fr' by script and function words; 'und' when it is none of them."""
    sample = text[:5000]
    arabic = len(_ARABIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if arabic == 0 and latin == 0:
        return "und"
    if arabic >= latin:
        return "ar"
    words = _WORD.findall(sample.lower())
    en = sum(w in _EN_CUES for w in words)
    fr = sum(w in _FR_CUES for w in words)
    if max(en, fr) < 2 and len(words) > 20:
        return "und"
    return "fr" if fr > en else "en"


def article_language(article: Article) -> str:
    """The language given with the article, or the detected one."""
    if article.lang:
        return article.lang.lower().split("-")[0]
    return detect_language(article.title + "\n" + article.text)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    """Offsets in the normalised text."""


_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$|\"|[\u0600-\u06FF]|[a-zà-ÿ])|\n+")


def split_sentences(
    norm: str,
    abbreviations: frozenset[str] = frozenset(),
    upper_at: Callable[[int], bool] | None = None,
) -> list[Sentence]:
    """Sentences of the normalised text; a period after an abbreviation or an initial
    (U.S., Mr.) does not end a sentence. A period glued to the next word ends one only when
    that word is Arabic or starts with a capital («…environ.La veille»): `upper_at` tells,
    from the original text, whether the character at a normalised offset is upper case."""
    sentences: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(norm):
        glued_latin = m.end() < len(norm) and norm[m.end()].isascii() and norm[m.end()].isalpha()
        if glued_latin and (upper_at is None or not upper_at(m.end())):
            continue
        if m.group().startswith("."):
            before = norm[max(0, m.start() - 12) : m.start()].split()
            last = before[-1] if before else ""
            token = last.rsplit(".", 1)[-1] if "." in last else last
            if (len(token) == 1 and token.isalpha()) or last.strip("\"'(") in abbreviations:
                continue
        end = m.end()
        if norm[start:end].strip():
            sentences.append(Sentence(start, end))
        start = end
    if norm[start:].strip():
        sentences.append(Sentence(start, len(norm)))
    return sentences


TOKEN = re.compile(r"\w+(?:[.'-]\w+)*\.?", re.UNICODE)
"""A word of the normalised text (with inner dots, apostrophes and hyphens)."""


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    """Offsets and text in the normalised text."""


def tokenize(norm: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of the normalised text between start and end."""
    stop = len(norm) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(norm, start, stop)]
