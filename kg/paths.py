"""Where the project's data lives."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = Path(os.environ.get("KG_ONTOLOGY_DIR", ROOT / "ontology"))
REFERENCE_DIR = ONTOLOGY_DIR / "reference"
QUERIES_DIR = ONTOLOGY_DIR / "queries"
CACHE_DIR = Path(os.environ.get("KG_CACHE_DIR", Path.home() / ".cache" / "dipkg"))
DEFAULT_STORE = Path("kg-data")
