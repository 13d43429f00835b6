# The project's commands. `make build` and `make test` are the two the README starts with.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark
SEED_FILES := seeds/creators.csv

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: help build test test-spark lint packages seeds docs dashboard bench bench-clone lock clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -c requirements/constraints.txt '.[dev]'
	@touch $@

# PySpark (about 500 MB) only for the Spark commands; `make build`/`make test` do not need it.
$(SPARK_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c requirements/constraints.txt '.[spark,dev]'
	@touch $@

$(SEED_FILES): | $(STAMP)
	$(BIN)/python scripts/generate_seeds.py

seeds: $(STAMP) ## Regenerate the seed CSVs (data up to yesterday) and drop the warehouse built on the old ones
	$(BIN)/python scripts/generate_seeds.py
	rm -f patreon_dev.duckdb patreon_dev.duckdb.wal

packages: $(STAMP) ## Install dbt packages, or fall back to offline mode
	@$(BIN)/python scripts/dbt_packages.py ensure

build: $(STAMP) $(SEED_FILES) packages ## Install, generate data, dbt build on DuckDB, print a summary
	$(BIN)/dbt build
	@$(BIN)/python scripts/build_summary.py

# Much of a test's time is dbt starting up and parsing on one core: two pytest-xdist workers
# use both. loadfile keeps each module on one worker, so its fixtures are built once.
TEST_WORKERS ?= 2

test: $(STAMP) packages lint ## The whole test suite: lint, then pytest driving dbt
	$(BIN)/pytest -m "not spark and not slow" -n $(TEST_WORKERS) --dist loadfile

test-spark: $(SPARK_STAMP) packages ## The Spark suite: the project on local PySpark (needs Java 17)
	$(BIN)/pytest -m spark

lint: $(STAMP) packages ## ruff and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models analyses snapshots data-tests
	$(BIN)/sqlfluff lint --templater raw --dialect databricks dashboards/datasets

docs: $(STAMP) packages ## Generate and serve the dbt docs site on http://localhost:8080
	$(BIN)/dbt docs generate
	$(BIN)/dbt docs serve --port 8080

dashboard: $(STAMP) ## Render the four dashboards from the local warehouse: target/dashboards.html
	$(BIN)/python scripts/dashboards.py html

bench: $(STAMP) packages ## Benchmark; writes docs/benchmarks.md
	$(BIN)/python scripts/benchmark.py

bench-clone: $(STAMP) ## Time `make build` in a fresh clone of HEAD; writes its section of docs/benchmarks.md
	$(BIN)/python scripts/bench_fresh_clone.py

lock: $(STAMP) ## Refresh requirements/constraints.txt from the venv
	{ head -2 requirements/constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^patreon-analytics'; } > requirements/constraints.tmp
	mv requirements/constraints.tmp requirements/constraints.txt

clean: ## Remove build output, the warehouse and installed packages (keeps the venv)
	rm -rf target logs dbt_packages patreon_dev.duckdb patreon_dev.duckdb.wal
