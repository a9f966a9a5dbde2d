# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE := demo-data

.PHONY: demo test lint typecheck install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf $(STORE)
	$(BIN)/kg ingest examples --store $(STORE)
	$(BIN)/kg query events --store $(STORE)
	$(BIN)/kg query country-dyads --store $(STORE)
	$(BIN)/kg query active-actors --store $(STORE)
	$(BIN)/kg viz --store $(STORE) --out $(STORE)/graph.html

lint: $(STAMP)
	$(BIN)/ruff check kg tests tools bench

typecheck: $(STAMP)
	$(BIN)/mypy kg

test: lint typecheck
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(STORE) kg-data .pytest_cache .mypy_cache .ruff_cache
