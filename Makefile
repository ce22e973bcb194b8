# Placement Notify. `make run` to try it, `make test` to check it.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export FLASK_APP := wsgi.py
export PYTHONPATH := $(CURDIR)

.PHONY: install run test test-fast lint bench lock clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed reference
	$(BIN)/flask seed demo --if-empty
	$(BIN)/python -m notify.devserver

test: install
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser and not postgres" -x -q

lint: install
	$(BIN)/ruff check notify models tests bench seeds
	$(BIN)/ruff format --check notify models tests bench seeds
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench

# Refresh the pinned versions after changing pyproject.toml.
lock:
	$(BIN)/pip install --quiet -e '.[dev]' && $(BIN)/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
