# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_DATA ?= ../shared/data

.PHONY: run test bench lint clean corpus-tables

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The main job: who must help North Korea if South Korea attacks it today?
run: $(BIN)/.installed
	$(BIN)/foedus assess --target "North Korea" --attacker "South Korea"

test: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks

# Regenerate the generated tables of docs/corpus.md (ATOP accounting, verified dates).
corpus-tables: $(BIN)/.installed
	$(BIN)/python -m scripts.corpus_tables --atop $(SHARED_DATA)/atop4_01_member_level.csv

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
