# Crossing: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo runs on the embedded SQLite database unless DATABASE_URL says otherwise.
export CROSSING_ENV ?= dev

.PHONY: install install-test run test test-fast bench lint messages assets clean demo-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-base

## install: create .venv and install Crossing with its pinned dependencies (nothing else)
install: $(VENV)/.installed-base

install-test: $(VENV)/.installed-test

## run: set up and serve the demo on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/crossing compilemessages
	$(BIN)/crossing migrate --no-input
	$(BIN)/crossing scenario generate --if-empty --people $${DEMO_PEOPLE:-7000} --seed 7 --screenings 300 --repatriation 400 --syndicates 4 --transactions 200000
	@# Two lists of the same scenario people for "Compare lists"; an embassy's list in native script is
	@# imported too, so people already registered come back as duplicates for the queue.
	$(BIN)/crossing scenario lists --people $${DEMO_PEOPLE:-7000} --seed 7 --size 600 --out-dir demo-lists
	$(BIN)/crossing registry import demo-lists/b-native.csv --user case.officer
	$(BIN)/crossing registry dedupe
	$(BIN)/crossing demo logins
	$(BIN)/crossing runserver 127.0.0.1:$(PORT)

## test: install what the tests need and run the whole suite
test: install-test
	$(BIN)/crossing compilemessages
	CROSSING_ENV=test $(BIN)/pytest -q

## bench: speed and memory figures (see docs/benchmarks.md)
bench: install-test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/linkage.py
	$(BIN)/python benchmarks/screening.py
	$(BIN)/python benchmarks/repatriation.py
	$(BIN)/python benchmarks/network.py
	$(BIN)/python benchmarks/flows.py

lint: install-test
	$(BIN)/ruff check crossing analytics config benchmarks tests conftest.py

## messages: re-extract interface strings into the zh_Hans and th catalogues (needs GNU gettext)
messages: install
	scripts/messages.sh

## assets: re-vendor the JS/CSS from npm (needs node; the output is committed)
assets:
	cd frontend && npm ci --no-audit --no-fund && node vendor.mjs

clean:
	rm -rf $(VENV) db.sqlite3
