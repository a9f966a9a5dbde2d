from datetime import date

from kg.extract.dates import DateMention, resolve

WEDNESDAY = date(2023, 5, 10)


def test_relative_days():
    assert resolve(DateMention(0, 1, "reldate", -1), WEDNESDAY, False) == date(2023, 5, 9)
    assert resolve(DateMention(0, 1, "reldate", 1), WEDNESDAY, True) == date(2023, 5, 11)


def test_weekday_before_for_occurred_after_for_planned():
    monday = 0
    assert resolve(DateMention(0, 1, "weekday", monday), WEDNESDAY, False) == date(2023, 5, 8)
    assert resolve(DateMention(0, 1, "weekday", monday), WEDNESDAY, True) == date(2023, 5, 15)
    wednesday = 2
    assert resolve(DateMention(0, 1, "weekday", wednesday), WEDNESDAY, False) == WEDNESDAY


def test_no_publication_date_no_relative_date():
    assert resolve(DateMention(0, 1, "reldate", -1), None, False) is None
