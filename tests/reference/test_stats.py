"""`kg reference stats`: the coverage figures the reference issue asks for."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kg.cli import app


def test_reference_stats_reports_coverage():
    result = CliRunner().invoke(app, ["reference", "stats", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    countries = figures["country"]
    assert countries["total"] >= 198  # UN members and observers, Kosovo, Taiwan, Western Sahara
    for measure in ("named in ar", "named in en", "named in fr", "with Arabic nisba"):
        assert countries[measure] == countries["total"], measure
    assert figures["person"]["total"] >= 1000
    assert figures["office holders"]["countries with holders since 2010"] >= 60


def test_reference_stats_prints_tables():
    result = CliRunner().invoke(app, ["reference", "stats"])
    assert result.exit_code == 0
    assert "office holders" in result.output and "named in ar" in result.output
