# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_DATA ?= ../shared/data
UV_VERSION := 0.13.8

.PHONY: run test licences lock bench lint clean corpus-tables

# Every dependency, direct or transitive (and the build backend), at the version and sha256 hashes
# in requirements.lock; then foedus itself, built from this folder without fetching anything.
$(BIN)/.installed: pyproject.toml requirements.lock
	@echo "make: creating $(VENV) and installing the locked packages (a minute or two the first time)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar on --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	@echo "make: installed. Run foedus as $(BIN)/foedus, or first: source $(BIN)/activate"
	touch $@

# The main job: who must help North Korea if South Korea attacks it today?
run: $(BIN)/.installed
	$(BIN)/foedus assess --target "North Korea" --attacker "South Korea"

test: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest

# The licence check alone (it also runs in `make test`): every dependency must be GPL-3.0-or-later compatible.
licences: $(BIN)/.installed
	$(BIN)/python -m pytest -q tests/test_licences.py

# Regenerate requirements.lock from pyproject.toml (dependencies, the test extra, the build backend and
# what it needs for an editable install),
# for every platform and Python >= 3.11, with pinned uv in a throwaway venv.
lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet uv==$(UV_VERSION)
	.lock-venv/bin/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' > .lock-build.in
	echo editables >> .lock-build.in  # what hatchling needs to build the editable install
	.lock-venv/bin/uv pip compile --universal --python-version 3.11 --generate-hashes --extra test --no-header \
		-o requirements.lock pyproject.toml .lock-build.in
	rm -rf .lock-build.in .lock-venv

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks

# Regenerate the generated tables of docs/corpus.md (ATOP accounting, verified dates).
corpus-tables: $(BIN)/.installed
	$(BIN)/python -m scripts.corpus_tables --atop $(SHARED_DATA)/atop4_01_member_level.csv

clean:
	rm -rf $(VENV) .lock-venv .pytest_cache .hypothesis
