# Tafel: everyday commands. `make run` and `make test` are the README's Quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install setup run test test-browser browser-deps mail-deps lint format messages messages-check clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(INSTALLED)

## install: create the virtual environment with Tafel and its development tools
install: $(INSTALLED)

## setup: install, migrate the database and load the demo data
setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data

# Where `make run` serves, and the address links in email point to (the worker and the web
# process both build links, so both get the same value): `make run ADDRESS=192.168.1.20:8000`.
ADDRESS ?= 127.0.0.1:8000
TAFEL_BASE_URL ?= http://$(ADDRESS)

## run: set everything up and serve the app with demo data at http://$(ADDRESS), with the
## mail worker beside it (Ctrl+C stops both); links in email use TAFEL_BASE_URL
run: setup
	trap 'kill 0' EXIT; export TAFEL_BASE_URL='$(TAFEL_BASE_URL)'; $(BIN)/python manage.py run_worker & $(BIN)/python manage.py runserver $(ADDRESS)

# apt-get needs root: sudo when we are not.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

## mail-deps: Debian's dovecot, the real IMAP server the mailbox tests start (when missing)
mail-deps:
	@command -v dovecot >/dev/null || test -x /usr/sbin/dovecot || { \
		echo "Installing dovecot-imapd: the IMAP server the mailbox tests start"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q dovecot-imapd; }

## test: run the whole test suite except the browser tests (SQLite, or DATABASE_URL), on
## every core (pytest-xdist; PYTEST_ARGS="-n 0" runs it in one process, e.g. for --pdb)
test: install mail-deps
	$(BIN)/python -m pytest -n auto --ignore=tests/e2e $(PYTEST_ARGS)

## browser-deps: install axe-core and ical.js from npm (Chromium comes from Debian: see README)
browser-deps:
	npm ci --no-audit --no-fund

## test-browser: run the browser tests in Chromium, with axe-core accessibility checks
test-browser: install
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

## lint: ruff, formatting, the apps' layers (import-linter), types (mypy) and migrations that
## match the models
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

## format: let ruff fix what it can
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: update and compile the Dutch catalogue (needs GNU gettext)
messages: install
	$(BIN)/python manage.py makemessages -l nl --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench
	$(BIN)/python manage.py compilemessages -l nl --ignore=.venv --ignore=node_modules

## messages-check: fail when a user-facing string has no Dutch translation (needs GNU gettext)
messages-check: install
	$(BIN)/python manage.py makemessages -l nl --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench
	$(BIN)/python -m pytest -q tests/mediation/test_translations.py

clean:
	rm -rf $(VENV) var node_modules staticfiles

.PHONY: bench
## bench: run the benchmark suite on a fresh database of its own (bench/RESULTS.md); BENCH_ARGS=--large
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)
