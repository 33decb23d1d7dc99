# soslokal — every target creates .venv and installs the project when needed.
# Needs only Python 3.11+ and make. Windows users: see README.md («Without make»).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= build
CONFIG ?=

.PHONY: help install test report lab dashboard lint bench mutate lock clean

help:
	@echo "make report  - run the notebooks on the bundled synthetic sample, HTML in $(OUT)/"
	@echo "make test    - run every test, including executing every notebook"
	@echo "make lab     - open JupyterLab on notebooks/"
	@echo "make dashboard - the interactive explorer as a Voilà dashboard (http://127.0.0.1:8866);"
	@echo "                 CONFIG=soslokal.toml shows your own kommune"
	@echo "make lint    - ruff"
	@echo "make bench   - benchmarks (national scale; slow)"
	@echo "make mutate  - mutation testing of the core modules (slow; not part of make test)"
	@echo "make lock    - refresh constraints.txt from the newest allowed versions"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "soslokal needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest --nbmake tests notebooks dashboard

report: $(STAMP)
	$(BIN)/soslokal report $(CONFIG) --out $(OUT)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

dashboard: $(STAMP)
	$(BIN)/soslokal dashboard $(CONFIG)

lint: $(STAMP)
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_summary.py
	$(BIN)/python benchmarks/national.py

# Mutation testing (mutmut, configured in pyproject.toml): the suppression, summary, scrubbing,
# header-matching, weighting and JSON-stat code against their fast tests; each mutant runs only
# the tests that reach its function. Every selected mutant is checked on each run (about 45 min
# for all on 2 busy cores); one module: make mutate MUTANTS='soslokal_lib.io._jsonstat.*'.
# Kill rate per module and the surviving mutants with their diffs: mutants/report.txt.
# _suppression and summary are reached by tests/test_privacy_attacks.py (up to 40 s per surviving
# mutant); without it (as tests/mutation_survivors.md measured them, in a fresh mutants/):
#   PYTEST_ADDOPTS='--deselect tests/test_privacy_attacks.py' make mutate MUTANTS='soslokal_lib._suppression.*'
# (mutmut keeps the tests per function in mutants/mutmut-stats.json: delete it when switching.)
MUTATE_JOBS ?= 2
MUTANTS ?= 'soslokal_lib.privacy.*' 'soslokal_lib._suppression.*' 'soslokal_lib._exact.*' 'soslokal_lib._counts.*' 'soslokal_lib.stats.summary.*' 'soslokal_lib.stats.weighting.*' \
	'soslokal_lib.io._jsonstat.*' 'soslokal_lib.io._survey_columns.*' 'soslokal_lib.text.scrubbing.*'

mutate: $(STAMP)
	@mkdir -p mutants
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(MUTANTS) > mutants/run.log 2>&1 \
		|| (tail -c 4000 mutants/run.log; exit 1)
	$(BIN)/python tests/mutation_report.py $(MUTANTS)

# Refresh the pinned versions: a clean venv with the newest versions pyproject.toml allows.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt
	rm -rf .venv-lock
	@echo "constraints.txt refreshed; run 'make test' and commit it."

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
