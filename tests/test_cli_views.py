"""`kg viz` views, `kg export --format gexf|graphml` and `kg serve` options, through the CLI."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from typer.testing import CliRunner

from kg.cli import app


def test_viz_writes_each_view_and_filters_change_it(example_store_dir: Path, tmp_path: Path):
    sizes = {}
    for view in ("countries", "actors", "events", "topics"):
        out = tmp_path / f"{view}.html"
        result = CliRunner().invoke(
            app, ["viz", "--store", str(example_store_dir), "--view", view, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
        sizes[view] = result.output
    out = tmp_path / "visits.html"
    result = CliRunner().invoke(
        app,
        [
            "viz",
            "--store",
            str(example_store_dir),
            "--view",
            "countries",
            "--type",
            "visit",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0 and result.output != sizes["countries"]


def test_viz_refuses_bad_filters_in_words(example_store_dir: Path, tmp_path: Path):
    result = CliRunner().invoke(
        app,
        [
            "viz",
            "--store",
            str(example_store_dir),
            "--since",
            "yesterday",
            "--out",
            str(tmp_path / "x.html"),
        ],
    )
    assert result.exit_code == 2 and "error" in result.output


def test_export_networks_for_gephi_and_cytoscape(example_store_dir: Path, tmp_path: Path):
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        out = tmp_path / f"countries.{fmt}"
        result = CliRunner().invoke(
            app,
            [
                "export",
                "graph",
                "--store",
                str(example_store_dir),
                "--format",
                fmt,
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        assert read(out).number_of_nodes() > 5


def test_serve_refuses_a_missing_store(tmp_path: Path):
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no store" in result.output
