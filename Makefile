# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(HASH)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= small
ADMIN_EMAIL ?= admin@epmo.local
ADMIN_PASSWORD ?= epmo-admin-demo

.PHONY: install install-dev run test lint typecheck pytest docs clean

# What running needs (`make run`); the test and lint tools come on top with `make test`.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	rm -f $(VENV)/.installed-[!d]*
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-dev-*
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

## Set everything up and run the hub on SQLite with the demo enterprise; every start prints the
## sign-ins (`epmo demo --if-empty` prints the demo logins even when the demo is already there).
run: install
	$(BIN)/epmo init --admin-email $(ADMIN_EMAIL) --admin-password $(ADMIN_PASSWORD)
	$(BIN)/epmo demo --size $(DEMO_SIZE) --if-empty
	@echo "epmo: open http://$(HOST):$(PORT)  sign in as $(ADMIN_EMAIL) / $(ADMIN_PASSWORD)"
	$(BIN)/epmo serve --host $(HOST) --port $(PORT)

## Run every check and the whole test suite (PostgreSQL too when it answers on 127.0.0.1:5432).
test: install-dev lint typecheck pytest

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy src

pytest:
	@if [ -z "$$EPMO_TEST_POSTGRES_URL" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
	  echo "PostgreSQL answers on 127.0.0.1:5432: running the suite on it too"; \
	  export EPMO_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test; \
	fi; \
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

## Regenerate docs/cli.md from the CLI's --help.
docs: install-dev
	$(BIN)/python scripts/cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
