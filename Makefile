# Coalition workbook. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
NBVAL := --nbval --nbval-sanitize-with tests/notebooks/sanitize.cfg

.DEFAULT_GOAL := help
.PHONY: help docs setup chromium report screenshots validate test test-notebooks baseline bench lab lint lock clean

## Show this help
help:
	@awk '/^## /{d=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(d){split($$1,t,":"); printf "  %-16s %s\n", t[1], d}; d=""}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbook)" >/dev/null
	@touch $(STAMP)

## Create .venv/ and install the pinned requirements and the package (once)
setup: $(STAMP)

## Install Debian's chromium for the browser tests when it is missing
chromium:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null || { echo "chromium missing and no apt-get"; exit 1; }; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) && echo "chromium: $(CHROMIUM)"

## Validate the curated tables and every quote (file:row:column on failure)
validate: $(STAMP)
	$(BIN)/workbook validate

## Publish every edition declared in pyproject.toml (English in reports/latest/, Arabic in reports/ar/latest/)
report: $(STAMP)
	$(BIN)/workbook run

## Re-take the screenshots of the published English report (make report takes them inside each run)
screenshots: $(STAMP) chromium
	$(BIN)/workbook screenshots --report-dir reports/latest

## Set up and run every test: unit, notebooks (nbval), browser and JupyterLab end-to-end
test: $(STAMP) chromium
	$(BIN)/ruff check lib tests
	$(BIN)/workbook coverage --strict
	$(PY) -m pytest lib tests notebooks --ignore=tests/fixtures $(NBVAL)

## Only the notebook regression checks (nbval over notebooks/ against their stored outputs)
test-notebooks: $(STAMP)
	$(PY) -m pytest notebooks $(NBVAL)

## Re-store the regression baselines on purpose (after a deliberate data change)
baseline: $(STAMP)
	$(BIN)/workbook metrics --out tests/baselines/metrics.csv
	$(BIN)/workbook baseline
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --log-level=WARN \
	  --ExecutePreprocessor.store_widget_state=False notebooks/explore.ipynb
	$(PY) -c "from coalition_workbook.run.baseline import scrub_file; scrub_file('notebooks/explore.ipynb')"

## Open the explorer in JupyterLab (the venv's kernel has the package installed)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) notebooks/explore.ipynb

## Benchmarks: full run vs plain Python, no-op rerun, 10k-1M rows, HTML sizes (reports/bench.json)
bench: $(STAMP)
	$(PY) bench/run.py

## Regenerate docs/data-dictionary.md from the schema declared in lib/
docs: $(STAMP)
	$(PY) -c "from coalition_workbook.data.schema import data_dictionary as d; \
	  open('docs/data-dictionary.md', 'w', encoding='utf-8').write(d())"

## Lint with ruff
lint: $(STAMP)
	$(BIN)/ruff check lib tests

## Re-resolve requirements.in into the pinned requirements.txt
lock:
	rm -rf /tmp/workbook-lock && $(PYTHON) -m venv /tmp/workbook-lock
	/tmp/workbook-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned, resolved on Python 3.11 (pip freeze of requirements.in). Regenerate: make lock"; \
	  /tmp/workbook-lock/bin/pip freeze; } > requirements.txt

## Remove the virtualenv and unfinished runs (published reports/ are kept)
clean:
	rm -rf $(VENV) reports/.staging
