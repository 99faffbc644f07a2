# The two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_SEEKERS ?= 20000
DEMO_VACANCIES ?= 3000

.PHONY: run test lint services browser venv demo stop-services lock audit

# The virtual environment, created from the lock file; rebuilt when the lock changes.
$(BIN)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

venv: $(BIN)/.installed

services:
	scripts/services.sh ensure

# Migrate, load the reference data and the demo data (once), snapshot the matching
# indexes and queue what is not matched yet, then serve web, worker and beat at
# http://127.0.0.1:8000 until Ctrl-C.
run: venv services
	$(BIN)/python scripts/ensure_db.py
	$(MANAGE) migrate --noinput
	$(MANAGE) load_taxonomy
	$(MANAGE) load_relocation_programmes --if-missing
	$(MANAGE) seed_demo --seekers $(DEMO_SEEKERS) --vacancies $(DEMO_VACANCIES) --seed 1 --if-empty
	$(MANAGE) rebuild_match_index
	$(MANAGE) rematch --stale
	@echo "Borderless: open http://127.0.0.1:8000 and sign in at http://127.0.0.1:8000/accounts/login/ (Ctrl-C stops it)"
	exec $(BIN)/honcho start -f Procfile

# The whole suite against the real PostgreSQL and Redis, with the linters and types.
test: venv services browser lint
	$(BIN)/pytest

# Debian's Chromium for the browser tests (installed once, through apt).
browser:
	scripts/browser.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

stop-services:
	scripts/services.sh stop

# Refresh the lock file after changing dependencies in pyproject.toml (needs uv).
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

# Known vulnerabilities in the locked dependencies (PyPI's advisory data); --strict fails
# when a package could not be checked, so an unreachable service is not a pass. Not part
# of `make test` yet: see docs/decisions.md, "Security".
audit: venv
	$(BIN)/pip-audit -r requirements.lock --require-hashes --disable-pip --strict
