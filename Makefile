# Two entry points for a fresh clone: `make run` (the app) and `make test` (all tests).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test install clean-index

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/kb check
	HF_HUB_OFFLINE=1 $(VENV)/bin/streamlit run app.py --server.headless true --server.port $(PORT)

# pytest exits 5 when it collected no tests; that alone is not a failure.
test: $(STAMP)
	HF_HUB_OFFLINE=1 $(PY) -m pytest -q -n 2 --dist loadfile; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

clean-index:
	rm -rf .kb
