"""The `kg` command line: ingest, extract, query, export, viz, eval, stats, reference."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table as RichTable
from rich.text import Text

from kg.paths import DEFAULT_STORE

app = typer.Typer(
    help="Turn news articles into a knowledge graph of diplomatic meetings, visits and calls.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        help="Store directory (embedded Oxigraph), or the http(s) address of a SPARQL 1.1 server.",
        show_default=True,
    ),
]


SHOWN_PROBLEMS = 50
"""Skipped inputs listed one by one; beyond that they are counted by reason."""


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--published must be a date as YYYY-MM-DD, not {value!r}", 2)
    return None


def _open(store_dir: str, read_only: bool = False):  # type: ignore[no-untyped-def]
    from kg.store import StoreError, open_store

    try:
        return open_store(store_dir, read_only=read_only)
    except StoreError as error:
        fail(str(error))


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _articles(paths: list[str], published: date | None):  # type: ignore[no-untyped-def]
    """Articles and problems from the paths, the problems printed as they come."""
    from kg.read import ReadProblem, read_paths

    problems: list[ReadProblem] = []

    def generate():  # type: ignore[no-untyped-def]
        for item in read_paths(paths, published=published):
            if isinstance(item, ReadProblem):
                problems.append(item)
                err.print(f"[red]skipped[/] {escape(str(item))}", highlight=False, soft_wrap=True)
            else:
                yield item

    return generate(), problems


def _extractions(paths: list[str], published: date | None):  # type: ignore[no-untyped-def]
    """Extractions of the readable articles; problems (unreadable files, unsupported languages)
    are printed as they come and collected in the returned list."""
    from kg.extract import UnsupportedLanguage, extract

    articles, problems = _articles(paths, published)

    def generate():  # type: ignore[no-untyped-def]
        for article in articles:
            try:
                yield extract(article)
            except UnsupportedLanguage as error:
                problems.append(_problem(article.origin or article.id, str(error)))
                err.print(
                    f"[red]skipped[/] {escape(article.origin or article.id)}: {escape(str(error))}"
                )

    return generate(), problems


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs or .zip archives.")],
    store: StoreOption = str(DEFAULT_STORE),
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for plain-text files.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes for extraction [default: cores]."),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(help="Where extraction runs: local (worker processes) or dask (a cluster)."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address (tcp://host:8786) for --engine dask; without it a "
            "local cluster of --jobs workers is started."
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(help="Articles per Dask task and per bulk-loaded N-Quads file.", min=1)
    ] = 500,
) -> None:
    """Extract events from articles and store them. Re-ingesting an article replaces it; an
    interrupted run, run again, continues without redoing or duplicating work."""
    import time

    from kg.engines import ENGINES, EngineError
    from kg.ingest import IngestSummary
    from kg.ingest import ingest as run
    from kg.remote import RemoteStoreError

    if engine not in ENGINES:
        fail(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", 2)
    if scheduler and engine != "dask":
        fail("--scheduler is for --engine dask", 2)

    db = _open(store)
    total = None
    if err.is_terminal:  # a total for the bar's time left: reading is ~1/60 of the work
        from kg.read import ReadProblem, read_paths

        with err.status("counting articles…"):
            total = sum(
                not isinstance(item, ReadProblem)
                for item in read_paths(paths, published=_published(published))
            )
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("ingesting", total=total, rate="")

        def advance(summary: IngestSummary) -> None:
            done = summary.articles + summary.already
            rate = done / max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=done, rate=f"{rate:.0f} articles/s")

        shown = [0]

        def problem(item: object) -> None:
            shown[0] += 1
            if shown[0] <= SHOWN_PROBLEMS:
                err.print(f"[red]skipped[/] {escape(str(item))}", highlight=False, soft_wrap=True)
            elif shown[0] == SHOWN_PROBLEMS + 1:
                err.print("[red]…[/] more skipped inputs are counted, not listed (see below)")

        try:
            summary = run(
                paths,
                db,
                published=_published(published),
                jobs=jobs,
                engine=engine,
                scheduler=scheduler,
                partition_size=partition_size,
                on_article=advance,
                on_problem=problem,
            )
        except (EngineError, RemoteStoreError) as error:
            fail(f"{error} (what was stored so far is kept; run again to continue)")
    elapsed = time.perf_counter() - started
    events = summary.events
    out.print(
        f"ingested {summary.articles} articles into {escape(store)} in {elapsed:.1f} s: "
        f"{summary.event_count} events ({events['meeting']} meetings, {events['visit']} visits, "
        f"{events['call']} calls; {summary.merged} joined an occasion reported by another "
        f"article)"
        + (f"; {summary.already} already stored" if summary.already else "")
        + (f"; {summary.problem_count} skipped" if summary.problem_count else ""),
        highlight=False,
    )
    if summary.problem_count:
        for reason, count in summary.reasons.most_common(8):
            err.print(f"  {count} skipped: {escape(reason)}", highlight=False)
        raise typer.Exit(1)


def _problem(origin: str, message: str):  # type: ignore[no-untyped-def]
    from kg.read import ReadProblem

    return ReadProblem(origin, message)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs or .zip archives.")],
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (the events export) or table.")
    ] = "jsonl",
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for plain-text files.")
    ] = None,
) -> None:
    """Extract events without a store and print them (one JSON line per article)."""
    from kg.export import extraction_record
    from kg.store import memory_store

    if fmt not in ("jsonl", "table"):
        fail(f"unknown format {fmt!r}; use jsonl or table", 2)
    scratch = memory_store()
    extractions, problems = _extractions(paths, _published(published))
    for extraction in extractions:
        record = extraction_record(extraction, scratch)
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            _print_events(record)
    if problems:
        raise typer.Exit(1)


def _print_events(record: dict[str, Any]) -> None:
    table = RichTable(title=f"{record['id']}: {len(record['events'])} events", show_lines=True)
    for column in ("type", "status", "date", "place", "participants", "topics"):
        table.add_column(column)
    for e in record["events"]:
        people = "\n".join(
            f"{p['label']} ({p['role']}, {p['country'] or p['org'] or '?'})"
            for p in e["participants"]
        )
        place = e["place"]["label"] if e["place"] else ""
        cells = (e["type"], e["status"], e["date"] or "", place, people, ", ".join(e["topics"]))
        table.add_row(*map(Text, cells))
    out.print(table)


@app.command()
def query(
    sparql: Annotated[
        str,
        typer.Argument(
            help="SPARQL text, a .rq file, or the name of a query in ontology/queries/."
        ),
    ],
    store: StoreOption = str(DEFAULT_STORE),
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
    params: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="NAME=VALUE for a parameter of the query (repeatable)."),
    ] = None,
) -> None:
    """Run a SPARQL query on the store: SPARQL text, a .rq file or a named query (`kg queries`
    lists them with their parameters)."""
    from kg.queries import ParameterError, Table, bind, named_queries, run_select, table_to

    if fmt not in ("table", "csv", "tsv", "json"):
        fail(f"unknown format {fmt!r}; use table, csv, tsv or json", 2)
    named = named_queries()
    values: dict[str, str] = {}
    for item in params or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"--param takes NAME=VALUE, not {item!r}", 2)
        values[name.strip()] = value
    try:
        substitutions = bind(named.get(sparql), values)
    except ParameterError as error:
        fail(str(error), 2)
        return
    if sparql in named:
        text = named[sparql].text
    elif sparql.endswith(".rq"):
        path = Path(sparql)
        if not path.exists():
            fail(f"{path}: no such query file")
        text = path.read_text(encoding="utf-8")
    else:
        text = sparql
    db = _open(store, read_only=True)
    try:
        result = run_select(db, text, substitutions)
    except SyntaxError as error:
        fail(f"invalid SPARQL: {error}")
        return
    except OSError as error:
        fail(f"the query failed: {error}")
        return
    if isinstance(result, bool):
        out.print("true" if result else "false")
    elif isinstance(result, Table):
        if fmt == "table":
            table = RichTable(*result.columns, caption=f"{len(result.rows)} rows")
            for row in result.rows:
                table.add_row(*[Text("" if v is None else v) for v in row])
            out.print(table)
        else:
            sys.stdout.write(table_to(result, fmt))
    else:
        import pyoxigraph as ox

        sys.stdout.write((ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"").decode())


@app.command()
def queries() -> None:
    """List the named queries of ontology/queries/ with what they answer and their parameters."""
    from kg.queries import named_queries

    table = RichTable("name", "answers", "parameters")
    for query in named_queries().values():
        params = "\n".join(f"{p.name} ({p.kind}): {p.description}" for p in query.parameters)
        table.add_row(query.name, query.description or query.title, params)
    out.print(table)


@app.command()
def export(
    what: Annotated[
        str, typer.Argument(help="graph (RDF) or events (the JSON Lines contract).")
    ] = "graph",
    store: StoreOption = str(DEFAULT_STORE),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help=(
                "For graph: turtle, trig, nquads, jsonld, ntriples, rdfxml; or gexf, graphml"
                " (a network view, for Gephi and Cytoscape)."
            ),
        ),
    ] = "trig",
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of stdout.")
    ] = None,
    reference: Annotated[bool, typer.Option(help="Include the reference graph.")] = False,
    view: Annotated[
        str, typer.Option(help="For gexf/graphml: countries, actors, events or topics.")
    ] = "countries",
) -> None:
    """Write the graph (RDF or a network for Gephi/Cytoscape) or the events (JSON Lines)."""
    from kg.export import RDF_FORMATS, dump_rdf, events_by_article, write_jsonl

    if what not in ("graph", "events"):
        fail(f"unknown export {what!r}; use graph or events", 2)
    networks = ("gexf", "graphml")
    if what == "graph" and fmt not in RDF_FORMATS and fmt not in networks:
        fail(f"unknown format {fmt!r}; use one of {', '.join([*RDF_FORMATS, *networks])}", 2)
    db = _open(store, read_only=True)
    if what == "graph" and fmt in networks:
        from kg.graphs import write_network
        from kg.views import ViewFilters, view_graph

        if output is None:
            fail(f"--format {fmt} needs --out FILE", 2)
            return
        try:
            network = view_graph(db, ViewFilters.from_query({"view": view}))
        except ValueError as error:
            fail(str(error), 2)
            return
        write_network(network, output, fmt)
        err.print(
            f"wrote {escape(str(output))}: {network.number_of_nodes()} nodes, "
            f"{network.number_of_edges()} edges"
        )
        return
    if what == "events":
        if output:
            with output.open("w", encoding="utf-8") as handle:
                count = write_jsonl(events_by_article(db), handle)
            err.print(f"wrote {count} articles to {escape(str(output))}")
        else:
            write_jsonl(events_by_article(db), sys.stdout)
        return
    if output:
        with output.open("wb") as binary:
            dump_rdf(db, fmt, binary, include_reference=reference)
        err.print(f"wrote {escape(str(output))}")
    else:
        dump_rdf(db, fmt, sys.stdout.buffer, include_reference=reference)


@app.command(name="import")
def import_rdf(
    files: Annotated[list[Path], typer.Argument(help="RDF files: .ttl .trig .nq .nt .rdf .jsonld")],
    store: StoreOption = str(DEFAULT_STORE),
) -> None:
    """Load RDF files into the store (e.g. an export from another store). Named graphs are kept
    and replace graphs of the same name; triples of a triples format go into a graph named
    after the file."""
    import pyoxigraph as ox

    from kg.formats import FormatError, read_quads
    from kg.namespaces import GRAPH
    from kg.store import ensure_reference, replace_named_graph

    loaded = []
    for path in files:
        if not path.is_file():
            fail(f"{path}: no such file")
        try:
            loaded.append((path, read_quads(path, f"{GRAPH}import/{path.name}")))
        except FormatError as error:
            fail(str(error))
    db = _open(store)
    ensure_reference(db)
    for path, quads in loaded:
        graphs: dict[Any, list[Any]] = {}
        for quad in quads:
            graphs.setdefault(quad.graph_name, []).append(quad)
        for graph, members in graphs.items():
            if isinstance(graph, ox.DefaultGraph):
                db.extend(members)  # one transaction
            else:
                replace_named_graph(db, graph.value, members)
        out.print(
            f"{escape(str(path))}: {len(quads)} quads in {len(graphs)} graphs", highlight=False
        )
    db.flush()


@app.command()
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="RDF files to check (default: the store).")
    ] = None,
    store: StoreOption = str(DEFAULT_STORE),
    reference: Annotated[
        bool, typer.Option(help="Also check the reference knowledge (slower).")
    ] = False,
) -> None:
    """Check data against the SHACL shapes of ontology/shapes.ttl and report every violation in
    words; exit status 1 when there is one."""
    from kg.formats import FormatError
    from kg.validate import file_graphs, store_graphs
    from kg.validate import validate as check

    if files:
        try:
            graphs = [g for path in files for g in file_graphs(path)]
        except (FormatError, OSError, ValueError) as error:
            fail(str(error))
            return
    else:
        graphs = list(store_graphs(_open(store, read_only=True), reference=reference))
    problems = 0
    with _progress() as progress:
        task = progress.add_task("validating", total=len(graphs), rate="")
        for name, graph in graphs:
            for violation in check(graph, graph=name):
                problems += 1
                out.print(str(violation), highlight=False, markup=False, soft_wrap=True)
            progress.update(task, advance=1)
    if problems:
        err.print(f"[bold red]{problems} violations[/] in {len(graphs)} graphs")
        raise typer.Exit(1)
    out.print(f"valid: {len(graphs)} graphs fit the shapes", highlight=False)


@app.command()
def viz(
    output: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path(
        "graph.html"
    ),
    store: StoreOption = str(DEFAULT_STORE),
    view: Annotated[str, typer.Option(help="countries, actors, events or topics.")] = "events",
    since: Annotated[str | None, typer.Option(help="Events on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="Only events with this party (ISO2).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only events on this topic (id).")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="meeting, visit or call.")
    ] = None,
    focus: Annotated[str | None, typer.Option(help="IRI of a node: its ego network.")] = None,
    depth: Annotated[int, typer.Option(help="Ego network depth, with --focus.")] = 1,
    lang: Annotated[str, typer.Option(help="Preferred label language: en, ar or fr.")] = "en",
) -> None:
    """Write an interactive graph view of the store as one HTML file that works offline (the
    same views as `kg serve` shows at /graph)."""
    from kg.views import ViewFilters, view_graph, write_view_html

    params = {
        "view": view,
        "since": since,
        "until": until,
        "country": country,
        "topic": topic,
        "type": event_type,
        "focus": focus,
        "depth": str(depth),
        "lang": lang,
    }
    try:
        filters = ViewFilters.from_query({k: v for k, v in params.items() if v is not None})
    except ValueError as error:
        fail(str(error), 2)
        return
    db = _open(store, read_only=True)
    graph = view_graph(db, filters)
    if graph.number_of_nodes() == 0:
        err.print("[yellow]no events match; the graph is empty[/]")
    path = write_view_html(db, filters, output)
    out.print(
        f"{filters.view} view: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
        f" → {escape(str(path.resolve()))}",
        highlight=False,
    )


@app.command()
def serve(
    store: StoreOption = str(DEFAULT_STORE),
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7878,
    timeout: Annotated[float, typer.Option(help="Query timeout in seconds.")] = 10.0,
    max_rows: Annotated[int, typer.Option(help="Result cap (rows per answer).")] = 10_000,
    allow_updates: Annotated[
        bool, typer.Option("--allow-updates", help="Accept SPARQL updates (off by default).")
    ] = False,
) -> None:
    """Serve the store: a SPARQL 1.1 endpoint at /sparql, a query page at /query, graph views at
    /graph and a landing page at /."""
    from kg.remote import is_remote
    from kg.server import serve as run
    from kg.store import StoreError

    if is_remote(store):
        fail("serve needs an embedded store; a SPARQL server already has its own endpoint")
    if not Path(store).exists():
        fail(f"no store at {store}; run 'kg ingest' first or give --store DIR")
    try:
        run(
            Path(store),
            host=host,
            port=port,
            timeout_s=timeout,
            max_rows=max_rows,
            allow_updates=allow_updates,
        )
    except StoreError as error:
        fail(str(error))


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold annotations (JSON Lines, see GUIDELINES).")],
    pred: Annotated[
        Path | None,
        typer.Option(help="Score this events export instead of extracting the gold articles."),
    ] = None,
    by_lang: Annotated[
        bool, typer.Option("--by-lang", help="Split the figures by language.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Score extraction against gold annotations (precision, recall, F1, accuracies)."""
    from kg.evaluate import format_report, load_gold, load_predictions, score, score_by_lang
    from kg.export import extraction_record
    from kg.extract import extract as run_extract
    from kg.read import ReadProblem, article_from_record
    from kg.store import memory_store

    if not gold.exists():
        fail(f"{gold}: no such file")
    try:
        gold_records = load_gold(gold)
        predictions = load_predictions(pred) if pred else None
    except (ValueError, OSError) as error:
        fail(str(error))
        return
    if predictions is None:
        predictions = {}
        scratch = memory_store()
        for record in gold_records:
            article = article_from_record(record, f"{gold}:{record.get('id')}")
            if isinstance(article, ReadProblem):
                err.print(f"[red]skipped[/] {escape(str(article))}")
                continue
            predictions[article.id] = extraction_record(run_extract(article), scratch)["events"]
    from kg.lexicon import load_reference
    from kg.reference import organization_aliases

    aliases = organization_aliases(load_reference())
    overall = score(gold_records, predictions, aliases)
    split = score_by_lang(gold_records, predictions, aliases) if by_lang else None
    if as_json:
        payload = {"all": overall.to_dict()}
        if split:
            payload.update({k: v.to_dict() for k, v in split.items()})
        out.print_json(json.dumps(payload))
    else:
        out.print(format_report(overall, split))


@app.command()
def stats(store: StoreOption = str(DEFAULT_STORE)) -> None:
    """Figures of the store: articles, events by type, actors, triples."""
    from kg.queries import Table, run_select

    db = _open(store, read_only=True)
    q = """PREFIX dk: <https://w3id.org/dipkg/ontology#>
    SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a ?type
      FILTER(?type IN (dk:Meeting, dk:Visit, dk:Call)) } } GROUP BY ?type"""
    result = run_select(db, q)
    from kg.store import article_count

    table = RichTable("measure", "value", title=f"store {store}")
    table.add_row("articles", str(article_count(db)))
    if isinstance(result, Table):
        for type_iri, count in result.rows:
            table.add_row(f"events: {(type_iri or '').rsplit('#', 1)[-1].lower()}", count or "0")
    table.add_row("quads", str(len(db)))
    out.print(table)


reference_app = typer.Typer(
    help="The reference knowledge: countries, places, organizations, offices and people.",
    no_args_is_help=True,
)
app.add_typer(reference_app, name="reference")


@reference_app.command("import-cameo")
def import_cameo(
    files: Annotated[
        list[Path], typer.Argument(help="Phoenix/CAMEO (PETRARCH) actor dictionaries.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Turtle file to write [default: ontology/reference/people-cameo.ttl]."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Keep only roles held on or after this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Import the people of CAMEO actor dictionaries (names, aliases, dated roles) as reference
    data. Files in ontology/reference/ are compiled into the lexicon on the next run."""
    from kg.cameo import import_actors, read_dictionaries, write_turtle
    from kg.paths import REFERENCE_DIR
    from kg.reference import build_reference, load_graph, reference_files

    for path in files:
        if not path.is_file():
            fail(f"{path}: no such file")
    start = _published(since) if since else None
    target = output or REFERENCE_DIR / "people-cameo.ttl"
    with err.status("reading the dictionaries"):
        others = [f for f in reference_files() if f.resolve() != target.resolve()]
        reference = build_reference(load_graph(others))  # without the file being rewritten
        graph, report = import_actors(read_dictionaries(files), reference, start)
    header = (
        f"People imported by `kg reference import-cameo` from: {', '.join(p.name for p in files)}"
        + (f"\nRoles held on or after {start}." if start else "")
        + "\nNames, aliases and dated roles (dk:cameoCode) are facts of the source dictionaries;"
        + "\nsee the licence file beside this one for their terms."
    )
    try:
        write_turtle(graph, target, header)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror}")
    table = RichTable("measure", "value", title=f"import into {target}")
    table.add_row("entries read", str(report.entries))
    table.add_row("people written", str(report.people))
    table.add_row("dated roles written", str(report.posts))
    for reason, count in report.skipped.most_common():
        table.add_row(f"skipped: {reason}", str(count))
    if report.unknown_codes:
        codes = ", ".join(f"{c} ({n})" for c, n in report.unknown_codes.most_common(8))
        table.add_row("country codes not in the reference data", codes)
    out.print(table)


@reference_app.command("stats")
def reference_stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Coverage of the reference knowledge by kind and language, and office holders by country."""
    from kg.lexicon import load_reference
    from kg.reference import reference_figures

    figures = reference_figures(load_reference())
    if as_json:
        out.print_json(json.dumps(figures))
        return
    for kind, row in figures.items():
        table = RichTable("measure", "value", title=kind)
        for measure, value in row.items():
            table.add_row(measure, str(value))
        out.print(table)


def main() -> None:
    """The `kg` command: the app, with an unexpected error told in one line instead of a
    traceback (KG_DEBUG=1 shows it). Stored data stays whole: each article is one transaction."""
    import os

    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: what was stored so far is kept; run the command again to continue")
        sys.exit(130)
    except Exception as error:
        if os.environ.get("KG_DEBUG"):
            raise
        err.print(
            f"[bold red]internal error:[/] {type(error).__name__}: {escape(str(error))}",
            highlight=False,
            soft_wrap=True,
        )
        err.print("please report it with the command you ran (KG_DEBUG=1 shows the traceback)")
        sys.exit(70)


if __name__ == "__main__":
    main()
