# Two entry points for a fresh clone: `make run` (the app) and `make test` (all tests).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint install clean-index

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kb check
	$(VENV)/bin/kb app --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check kb ingest tests benchmarks app.py
	$(VENV)/bin/mypy

# pytest exits 5 when it collected no tests; that alone is not a failure.
test: lint
	HF_HUB_OFFLINE=1 $(PY) -m pytest -q -n 2 --dist loadfile; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

clean-index:
	rm -rf .kb
