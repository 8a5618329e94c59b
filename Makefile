# The two commands of the quick start: `make run` and `make test`.
# Both build their own virtual environment in .venv from nothing but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORES ?= 2

.PHONY: run test test-fast soak bench lint report clean

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

## The long run of the no-decision-lost property: many more random sequences in process, and
## real snakemake runs with edits, --forceall, rm -rf results, changed exports and SIGKILLs.
SOAK_EXAMPLES ?= 500
SOAK_SEQUENCES ?= 6
soak: $(VENV)/.installed
	LITSIEVE_SOAK_EXAMPLES=$(SOAK_EXAMPLES) $(BIN)/pytest -q -p no:logging tests/test_decisions_survive.py
	LITSIEVE_SOAK_SEQUENCES=$(SOAK_SEQUENCES) $(BIN)/pytest -q -p no:logging -m soak -n $(CORES) tests/test_soak_workflow.py

## Lint the workflow.
lint: $(VENV)/.installed
	$(BIN)/snakemake --lint

## Benchmarks: deduplication and ranking figures (installs bib-dedupe and asreview into .venv-bench).
bench: $(VENV)/.installed
	$(MAKE) -C benchmarks PYTHON=$(abspath $(BIN)/python)

## Snakemake's HTML report.
report: $(VENV)/.installed
	$(BIN)/snakemake --report results/report.html

clean:
	rm -rf results/* .snakemake
