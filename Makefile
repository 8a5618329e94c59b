# The two commands of the quick start: `make run` and `make test`.
# Both build their own virtual environment in .venv from nothing but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORES ?= 2
FUZZ_SECONDS ?= 600

.PHONY: run test test-fast soak fuzz bench lint report validate clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## Run the whole demo review (offline): search check, import, dedup, screening queues, PRISMA diagram.
run: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES)

## Run every test (the external suite reads ../shared, or LITSIEVE_SHARED, when it exists).
test: $(VENV)/.installed
	$(BIN)/pytest -n $(CORES) -q

## The criteria's precision and recall of exclude on the validation set (docs/criteria.md).
validate: $(VENV)/.installed
	$(BIN)/litsieve criteria validate --config config/config.yaml --min-precision 0.98 tests/data/validation/*.yaml

## The tests that run no workflow and read no ../shared (a minute or less; `make test` before a commit).
test-fast: $(VENV)/.installed
	$(BIN)/pytest -n $(CORES) -q -m "not slow and not external"

## Hunt for new importer failures: unseeded fuzzing for FUZZ_SECONDS (default 600).
fuzz: $(VENV)/.installed
	LITSIEVE_FUZZ_SECONDS=$(FUZZ_SECONDS) LITSIEVE_HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -m fuzz

## The long run of the no-decision-lost property: many more random sequences in process, and
## real snakemake runs with edits, --forceall, rm -rf results, changed exports and SIGKILLs.
SOAK_EXAMPLES ?= 500
SOAK_SEQUENCES ?= 6
soak: $(VENV)/.installed
	LITSIEVE_SOAK_EXAMPLES=$(SOAK_EXAMPLES) $(BIN)/pytest -q -p no:logging tests/test_decisions_survive.py
	LITSIEVE_SOAK_SEQUENCES=$(SOAK_SEQUENCES) $(BIN)/pytest -q -p no:logging -m soak -n $(CORES) tests/test_soak_workflow.py

## Static checks: ruff, mypy, snakefmt --check and snakemake --lint.
lint: $(VENV)/.installed
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint

## Benchmarks: deduplication, ranking, import-speed and screening page figures (installs bib-dedupe and asreview into .venv-bench).
bench: $(VENV)/.installed
	$(MAKE) -C benchmarks PYTHON=$(abspath $(BIN)/python)

## Snakemake's HTML report.
report: $(VENV)/.installed
	$(BIN)/snakemake --report results/report.html

clean:
	rm -rf results/* .snakemake
