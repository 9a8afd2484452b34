# runlift: two commands do all set-up on a fresh machine.
#   make demo   creates .venv, installs runlift, starts the web app on the embedded SQLite default
#               with a demo trainer and three demo clients (prints the URL and the logins)
#   make test   creates .venv with the test extras, runs lint, types, import contracts and the suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo plan-demo test lint types contracts pytest bench bench-web clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	$(BIN)/runlift serve --demo $(SERVE_ARGS)

plan-demo: $(STAMP)
	$(BIN)/runlift demo $(PROFILE)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test: lint types contracts pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_plans.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_bulk_import.py
	$(BIN)/python benchmarks/bench_workouts.py

bench-web: $(STAMP)
	$(BIN)/python benchmarks/bench_web.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis plan.json plan.ics artifacts
