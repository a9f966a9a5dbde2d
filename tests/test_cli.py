"""The command line as a user meets it: help, clear errors, batches that go on."""

import json

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()

ARTICLE = {
    "id": "cli-1",
    "lang": "ar",
    "published": "2023-05-10",
    "text": "استقبل الرئيس اللبناني في بيروت أمس وزير الخارجية القبرصي.",
}


@pytest.mark.parametrize(
    "command", ["ingest", "extract", "query", "export", "viz", "eval", "stats"]
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_batch_with_bad_files_ingests_the_good_ones(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ARTICLE, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad.json").write_text("{oops")
    (tmp_path / "bin.txt").write_bytes(b"\x00\xff\x00")
    (tmp_path / "latin.txt").write_bytes("reçu à Paris".encode("latin-1"))
    store = tmp_path / "store"
    result = runner.invoke(
        app,
        [
            "ingest",
            str(tmp_path / "good.json"),
            str(tmp_path / "empty.txt"),
            str(tmp_path / "bad.json"),
            str(tmp_path / "bin.txt"),
            str(tmp_path / "latin.txt"),
            str(tmp_path / "missing.txt"),
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # latin.txt is read (Latin-1 is recognised); it reports no event
    assert "ingested 2 articles" in " ".join(result.output.split())
    assert result.output.count("skipped") >= 4
    exported = runner.invoke(app, ["export", "events", "--store", str(store)])
    assert exported.exit_code == 0
    records = [json.loads(line) for line in exported.output.splitlines() if line.startswith("{")]
    (record,) = [r for r in records if r["events"]]
    assert record["id"] == "cli-1" and len(record["events"]) == 1 and len(records) == 2


def test_extract_without_store_matches_the_contract(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    record = json.loads(result.output.strip().splitlines()[-1])
    (event,) = record["events"]
    assert event["type"] == "meeting" and event["date"] == "2023-05-09"
    assert {p["country"] for p in event["participants"]} == {"LB", "CY"}


def test_query_formats_and_errors(example_store_dir):
    store = str(example_store_dir)
    as_csv = runner.invoke(app, ["query", "country-dyads", "--store", store, "--format", "csv"])
    assert as_csv.exit_code == 0 and as_csv.output.startswith("country1,country2,events")
    as_json = runner.invoke(
        app, ["query", "SELECT (1 AS ?x) WHERE {}", "--store", store, "--format", "json"]
    )
    assert json.loads(as_json.output) == [{"x": "1"}]
    bad = runner.invoke(app, ["query", "SELEC nonsense", "--store", store])
    assert bad.exit_code == 1 and "invalid SPARQL" in bad.output
    missing = runner.invoke(app, ["query", "events", "--store", str(example_store_dir) + "-none"])
    assert missing.exit_code == 1 and "no store" in missing.output


def test_export_rdf_to_file(example_store_dir, tmp_path):
    out = tmp_path / "g.ttl"
    result = runner.invoke(
        app, ["export", "--store", str(example_store_dir), "--format", "turtle", "--out", str(out)]
    )
    assert result.exit_code == 0 and out.stat().st_size > 1000
    unknown = runner.invoke(app, ["export", "--store", str(example_store_dir), "--format", "xls"])
    assert unknown.exit_code == 2 and "unknown format" in unknown.output


def test_bad_published_option(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("نص")
    result = runner.invoke(app, ["extract", str(path), "--published", "yesterday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_viz_writes_offline_html(example_store_dir, tmp_path):
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["viz", "--store", str(example_store_dir), "--out", str(out)])
    assert result.exit_code == 0 and str(out.resolve()) in result.output.replace("\n", "")
    html = out.read_text(encoding="utf-8")
    assert "cdn" not in html.lower() or "https://cdn" not in html


def test_a_batch_of_hostile_files_is_ingested_or_refused_in_words(tmp_path):
    """Every kind of bad input in one batch: the good articles are stored (SHACL-valid), each bad
    one is named with its reason, nothing crashes and nothing is half-written."""
    import json as js

    ar = "استقبل الرئيس المصري اليوم في القاهرة وزير الخارجية الفرنسي وبحث معه العلاقات الثنائية."
    fr = (
        "Le président égyptien a reçu lundi au Caire le ministre français des Affaires "
        "étrangères, avec qui il a évoqué la situation à Gaza."
    )
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\t \n",
        "binary.json": bytes(range(256)) * 4,
        "ar-1256.txt": ar.encode("cp1256"),
        "fr-latin1.txt": fr.encode("latin-1"),
        "broken.json": b'{"text": "abc", ',
        "types.jsonl": b'{"text": 5}\n[]\n{"text": "x", "published": 20240101}\n',
        "page.json": js.dumps(
            {
                "id": "page",
                "lang": "ar",
                "published": "2024-03-04",
                "text": f"<html><script>alert('x')</script><p>{ar}</p></html>",
            }
        ).encode(),
        # bidi embedding, zero-width joiners and a run of tatweel inside the sentence
        "bidi.txt": (
            "\u202b" + ar.replace("الرئيس", "الرئـــــــــــيس\u200d") + "\u202c"
        ).encode(),
        "long-token.txt": ("ب" * 100_000 + " " + ar + " " + "x" * 100_000).encode(),
        "mixed.txt": (
            "استقبل الرئيس المصري Abdel Fattah el-Sisi اليوم في Cairo وزير الخارجية الفرنسي."
        ).encode(),
        "huge.txt": (ar * 6_000_000)[: 50 * 2**20 // 2].encode(),  # ~50 MB
        "nasty.jsonl": (
            js.dumps({"id": "n\u0000>", "title": "t\ud800", "text": ar + " \u2028"}) + "\n"
        ).encode(),
    }
    for name, data in files.items():
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_bytes(data)
    store = tmp_path / "store"
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "in"), "--store", str(store), "--published", "2024-03-04"]
    )
    output = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in output
    for name, reason in (
        ("empty.txt", "the file is empty"),
        ("blank.txt", "the file is empty"),
        ("binary.json", "binary file"),
        ("broken.json", "invalid JSON"),
        ("types.jsonl:1", "'text' must be a string, found number"),
        ("types.jsonl:2", "expected a JSON object, found array"),
        ("types.jsonl:3", "unreadable publication date"),
        ("huge.txt", "the article is 26,214,400 characters long, more than the"),
    ):
        assert f"{name}: {reason}" in output, name
    assert "ingested 7 articles" in output and "8 skipped" in output
    stored = CliRunner().invoke(app, ["export", "events", "--store", str(store)])
    assert len(stored.output.splitlines()) == 7 and "alert" not in stored.output
    # each readable article tells the same reception: all are found (merged into one occasion
    # in the store, so counted here on the extractions)
    extracted = CliRunner().invoke(
        app, ["extract", str(tmp_path / "in"), "--published", "2024-03-04"]
    )
    records = [js.loads(line) for line in extracted.stdout.splitlines()]
    assert len(records) == 7 and all(r["events"] for r in records), records
    validate = CliRunner().invoke(app, ["validate", "--store", str(store)])
    assert validate.exit_code == 0, validate.output


def test_terminal_output_shows_user_text_verbatim(tmp_path):
    """File names, record positions and query results are text, never console markup."""
    path = tmp_path / "odd [red]name.json"
    path.write_text('[{"id": "a", "text": ""}, {"id": "b", "text": " "}]')
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "s")])
    output = " ".join(result.output.split())
    assert "odd [red]name.json [record 2]: the article text is empty" in output
    query = CliRunner().invoke(
        app,
        [
            "query",
            'SELECT ("[bold]x[/bold] [link=http://e.org]y" AS ?v) {}',
            "--store",
            str(tmp_path / "s"),
        ],
    )
    assert "[bold]x[/bold] [link=http://e.org]y" in query.output
