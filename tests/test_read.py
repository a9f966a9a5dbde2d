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
    cyrillic = tmp_path / "cyrillic.txt"  # neither UTF-8 nor an encoding it recognises
    cyrillic.write_bytes("Президент Египта принял министра иностранных дел".encode("cp1251"))
    missing = tmp_path / "missing.txt"
    items = list(read_paths([empty, invalid, binary, cyrillic, missing]))
    problems = _problems(items)
    assert len(problems) == 5 and not _articles(items)
    messages = " | ".join(p.message for p in problems)
    for expected in ("empty", "invalid JSON", "binary", "not UTF-8", "no such file"):
        assert expected in messages
    assert "nor text in Windows-1256 or Latin-1" in messages


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


# -- hostile and broken input: each gives correct output or one clear problem -----------------

ARABIC = "استقبل الرئيس المصري اليوم في القاهرة وزير الخارجية الفرنسي وبحث معه العلاقات الثنائية."
FRENCH = (
    "Le président égyptien a reçu lundi au Caire le ministre français des Affaires étrangères, "
    "avec qui il a évoqué la situation à Gaza et les relations bilatérales."
)


def test_legacy_encodings_are_recognised(tmp_path):
    for name, text, encoding in (
        ("ar.txt", ARABIC, "cp1256"),
        ("fr.txt", FRENCH, "latin-1"),
        ("fr-1252.txt", FRENCH + " « Œuvre » …", "cp1252"),
        ("utf16.txt", ARABIC, "utf-16"),  # with its byte order mark
    ):
        (tmp_path / name).write_bytes(text.encode(encoding))
        (article,) = list(read_paths([tmp_path / name]))
        assert isinstance(article, Article), article
        assert article.text == text, name


def test_whitespace_only_files_and_records(tmp_path):
    (tmp_path / "blank.txt").write_text(" \t\n\u00a0\n ")
    (tmp_path / "blank.jsonl").write_text("\n\n   \n")
    (tmp_path / "blank.json").write_text("[]")
    (tmp_path / "r.jsonl").write_text(json.dumps({"text": " \n "}))
    problems = [str(p) for p in read_paths(sorted(tmp_path.iterdir()))]
    assert len(problems) == 4
    assert all("empty" in p or "no articles" in p for p in problems), problems


def test_html_is_reduced_to_its_visible_text(tmp_path):
    page = (
        "<html><head><title>x</title><script>var met = 'Egypt met France';</script></head>"
        "<body><p>First &amp; <b>bold</b> line.</p><style>p { color: red }</style>"
        "<div>Second line<br>third <img src=x onerror=alert(1)> line.</div></body></html>"
    )
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"id": "p", "title": "<script>alert(1)</script>News", "text": page}))
    (article,) = list(read_paths([path]))
    assert article.text == "First & bold line.\nSecond line\nthird line."
    assert article.title == "News"
    plain = tmp_path / "plain.json"  # a '<' that is not markup stays
    plain.write_text(json.dumps({"id": "q", "text": "2 < 3 and <b is not a tag"}))
    assert next(iter(read_paths([plain]))).text == "2 < 3 and <b is not a tag"


def test_an_article_beyond_the_limit_is_refused_not_read(tmp_path):
    from kg.read import MAX_ARTICLE_CHARS

    huge = tmp_path / "huge.txt"
    huge.write_text(ARABIC * (50 * 2**20 // len(ARABIC.encode())))  # 50 MB
    record = tmp_path / "huge.jsonl"
    record.write_text(json.dumps({"id": "h", "text": "x " * MAX_ARTICLE_CHARS}) + "\n")
    problems = list(read_paths([huge, record]))
    assert all(isinstance(p, ReadProblem) for p in problems) and len(problems) == 2
    assert all(f"more than the {MAX_ARTICLE_CHARS:,}" in p.message for p in problems)


def _peak_rss_reading(path) -> tuple[int, float]:
    """Articles read from the file and the peak resident memory (MiB) of the process that read
    them (a fresh interpreter, so nothing else counts)."""
    import subprocess
    import sys

    code = (
        "import resource, sys; from kg.read import read_paths; "
        "n = sum(1 for _ in read_paths([sys.argv[1]])); "
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(output[0]), float(output[1])


def test_json_lines_are_streamed_in_flat_memory(tmp_path):
    """A million lines (over 50 MB) are read in the memory a thousand take."""
    line = json.dumps({"text": "x", "id": 0, "published": "2015-07-01"})
    sizes = {}
    for count in (1_000, 1_000_000):
        path = tmp_path / f"{count}.jsonl"
        with path.open("w") as handle:
            for number in range(count):
                handle.write(line.replace('"id": 0', f'"id": {number}') + "\n")
        read, peak = _peak_rss_reading(path)
        assert read == count
        sizes[count] = peak
    assert (tmp_path / "1000000.jsonl").stat().st_size > 50 * 2**20
    assert sizes[1_000_000] < sizes[1_000] + 10, sizes


def test_wrong_field_types_are_named_in_json_terms(tmp_path):
    path = tmp_path / "t.jsonl"
    records = [
        {"text": ["a"]},
        {"text": "ok", "id": {"a": 1}},
        {"text": "ok", "lang": True},
        {"text": "ok", "id": ""},
        {"text": "ok", "id": "x" * 600},
        None,
        "text",
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n[1, 2")
    messages = [p.message for p in read_paths([path])]
    assert messages == [
        "'text' must be a string, found array",
        "'id' must be a string, found object",
        "'lang' must be a string, found boolean",
        "'id' must have 1 to 512 characters",
        "'id' must have 1 to 512 characters",
        "expected a JSON object, found null",
        "expected a JSON object, found string",
        "invalid JSON at column 6: Expecting ',' delimiter",
    ]


def test_lone_surrogates_and_controls_are_made_storable(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"id": "s\u0000", "title": "t\ud800", "text": "a\udc00b \u2028 c"}))
    (article,) = list(read_paths([path]))
    assert article.text == "a\ufffdb \u2028 c" and article.title == "t\ufffd"
    article.text.encode("utf-8")  # storable: no lone surrogates left


def test_zip_members_are_streamed_and_checked(tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "lines.jsonl", "\n".join(json.dumps({"id": f"z{i}", "text": "t"}) for i in range(3))
        )
        zf.writestr("bin.json", b"\x00\x01")
        zf.writestr("ar.txt", ARABIC.encode("cp1256"))
    items = list(read_paths([archive]))
    assert [a.id for a in _articles(items)][:1] == [content_id(ARABIC)]
    assert sorted(a.id for a in _articles(items))[1:] == ["z0", "z1", "z2"]
    (problem,) = _problems(items)
    assert "bin.json" in problem.origin and "binary" in problem.message
