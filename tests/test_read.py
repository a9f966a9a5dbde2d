import json
import zipfile
from datetime import date

from kg.read import ReadProblem, content_id, read_paths
from kg.records import Article


def _articles(items):
    return [i for i in items if isinstance(i, Article)]


def _problems(items):
    return [i for i in items if isinstance(i, ReadProblem)]


def test_txt_gets_content_id_and_given_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("استقبل الرئيس ضيفه.", encoding="utf-8")
    items = list(read_paths([path], published=date(2021, 3, 11)))
    (article,) = _articles(items)
    assert article.id == content_id("استقبل الرئيس ضيفه.")
    assert article.published == date(2021, 3, 11)
    assert article.text == "استقبل الرئيس ضيفه."


def test_json_object_list_and_field_aliases(tmp_path):
    (tmp_path / "one.json").write_text(
        json.dumps(
            {"id": "x1", "title": "T", "text": "Body one", "published": "2020-01-02", "lang": "en"}
        )
    )
    (tmp_path / "many.json").write_text(
        json.dumps(
            [
                {
                    "content": "Body two",
                    "date_extracted": "2015-07-21 10:00:00",
                    "url": "http://a/b",
                },
                {"text": "Body three", "date": "2015-07-22"},
            ]
        )
    )
    articles = {a.text: a for a in _articles(read_paths([tmp_path]))}
    assert articles["Body one"].id == "x1" and articles["Body one"].lang == "en"
    assert articles["Body two"].published == date(2015, 7, 21)
    assert articles["Body two"].id.startswith("u-")
    assert articles["Body three"].published == date(2015, 7, 22)


def test_ids_are_stable(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "same text", "url": "http://x/1"}) + "\n")
    first = _articles(read_paths([path]))[0].id
    second = _articles(read_paths([path]))[0].id
    assert first == second


def test_jsonl_bad_line_is_reported_and_others_kept(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "good"}\n{broken\n{"text": "also good"}\n')
    items = list(read_paths([path]))
    assert [a.text for a in _articles(items)] == ["good", "also good"]
    (problem,) = _problems(items)
    assert problem.origin.endswith("a.jsonl:2") and "invalid JSON" in problem.message


def test_zip_and_glob(tmp_path):
    archive = tmp_path / "day.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2015-07-21.json", json.dumps([{"content": "zipped", "url": "u"}]))
    (tmp_path / "b.txt").write_text("plain")
    texts = sorted(a.text for a in _articles(read_paths([str(tmp_path / "*")])))
    assert texts == ["plain", "zipped"]


def test_bad_inputs_each_give_one_clear_problem(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    invalid = tmp_path / "invalid.json"
    invalid.write_text("{nope")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("réception à l'Élysée".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    items = list(read_paths([empty, invalid, binary, latin, missing]))
    problems = _problems(items)
    assert len(problems) == 5 and not _articles(items)
    messages = " | ".join(p.message for p in problems)
    for expected in ("empty", "invalid JSON", "binary", "not UTF-8", "no such file"):
        assert expected in messages


def test_wrong_types_and_missing_text(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps([{"title": "no text"}, {"text": 5}, {"text": "ok", "published": "soon"}, 3])
    )
    problems = _problems(read_paths([path]))
    assert len(problems) == 4
    assert "no 'text'" in problems[0].message
    assert "must be a string" in problems[1].message
    assert "publication date" in problems[2].message
    assert "JSON object" in problems[3].message
