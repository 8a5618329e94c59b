# The two commands of the quick start: `make run` and `make test`.
# Both build their own virtual environment in .venv from nothing but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORES ?= 2

.PHONY: run test test-fast bench lint report validate clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## Run the whole demo review (offline): search check, import, dedup, screening queues, PRISMA diagram.
run: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES)

## Run every test (the external suite reads ../shared when it exists).
test: $(VENV)/.installed
	$(BIN)/pytest -n $(CORES) -q

## The criteria's precision and recall of exclude on the validation set (docs/criteria.md).
validate: $(VENV)/.installed
	$(BIN)/litsieve criteria validate --config config/config.yaml --min-precision 0.98 tests/data/validation/*.yaml

## Lint the workflow.
lint: $(VENV)/.installed
	$(BIN)/snakemake --lint

## Benchmarks: deduplication, ranking and import-speed figures (installs bib-dedupe and asreview into .venv-bench).
bench: $(VENV)/.installed
	$(MAKE) -C benchmarks PYTHON=$(abspath $(BIN)/python)

## Snakemake's HTML report.
report: $(VENV)/.installed
	$(BIN)/snakemake --report results/report.html

clean:
	rm -rf results/* .snakemake
