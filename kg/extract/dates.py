"""Dates of events from the words near their trigger, resolved against the publication date
(rules of the annotation guidelines: «أمس» = published − 1; a weekday = the latest such day on or
before publication for an occurred event, the first on or after it for a planned one)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.extract.document import Sentence
from kg.records import Match

_NUMBER = re.compile(r"\d{1,4}")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    kind: str
    """reldate (value = days from publication), weekday (value = 0..6), explicit, or period
    (a week, a month or a month named without its day: no date)."""
    value: int
    explicit: date | None = None


def date_mentions(sentence: Sentence, text: str, published: date | None) -> list[DateMention]:
    """Date expressions of one sentence."""
    found: list[DateMention] = []
    for m in sentence.matches:
        if m.kind == "reldate":
            found.append(DateMention(m.start, m.end, "reldate", int(m.key)))
        elif m.kind == "weekday":
            found.append(DateMention(m.start, m.end, "weekday", int(m.key)))
        elif m.kind == "period":
            found.append(DateMention(m.start, m.end, "period", 0))
        elif m.kind in ("month", "hijri_month"):
            mention = _explicit(m, text, published)
            found.append(mention or DateMention(m.start, m.end, "period", 0))
    return found


def _explicit(month: Match, text: str, published: date | None) -> DateMention | None:
    """'10 March 2021', 'March 10, 2021', '10 mars', '10 مارس 2021' around a month name."""
    before = text[max(0, month.start - 6) : month.start]
    after = text[month.end : month.end + 12]
    day_before = _NUMBER.findall(_ascii_digits(before))
    numbers_after = _NUMBER.findall(_ascii_digits(after))
    day: int | None = None
    year: int | None = None
    if day_before and before.rstrip()[-len(day_before[-1]) :].isdigit() is not None:
        candidate = int(day_before[-1])
        if 1 <= candidate <= 31 and _ascii_digits(before).rstrip().endswith(day_before[-1]):
            day = candidate
    for number in numbers_after:
        value = int(number)
        if day is None and 1 <= value <= 31 and len(number) <= 2:
            day = value
        elif len(number) == 4 and (1900 < value < 2100 or 1300 < value < 1500):
            year = value
            break
    if day is None:
        return None
    hijri = month.kind == "hijri_month"
    try:
        if year is None:
            if published is None:
                return None
            year = _hijri_year(published) if hijri else published.year
        when = _from_hijri(year, int(month.key), day) if hijri else date(year, int(month.key), day)
    except (ValueError, OverflowError):  # outside the Umm al-Qura table (1924–2077) or no such day
        return None
    end = month.end
    return DateMention(month.start, end, "explicit", 0, when)


def _hijri_year(day: date) -> int:
    from hijridate import Gregorian

    return int(Gregorian(day.year, day.month, day.day).to_hijri().year)


def _from_hijri(year: int, month: int, day: int) -> date:
    """A Hijri (Umm al-Qura) date as a Gregorian date."""
    from hijridate import Hijri

    gregorian = Hijri(year, month, day).to_gregorian()
    return date(gregorian.year, gregorian.month, gregorian.day)


def _ascii_digits(text: str) -> str:
    table = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
    return text.translate(table)


def resolve(mention: DateMention, published: date | None, planned: bool) -> date | None:
    """The calendar date a mention stands for."""
    if mention.kind == "explicit":
        return mention.explicit
    if published is None:
        return None
    try:
        if mention.kind == "reldate":
            return published + timedelta(days=mention.value)
        if mention.kind == "weekday":
            delta = (published.weekday() - mention.value) % 7
            if planned:
                return published + timedelta(days=(mention.value - published.weekday()) % 7)
            return published - timedelta(days=delta)
    except OverflowError:  # "yesterday" of 0001-01-01: a placeholder date, not a day
        return None
    return None
