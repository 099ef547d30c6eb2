# The two commands of the README: `make report` and `make test`.
# Both work from nothing but python3 (>= 3.11), pip and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hilir-installed

.PHONY: install test report screenshots lab lint format data constraints clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[notebooks,dev,fetch]"
	@touch $(STAMP)

install: $(STAMP)

## Run every test (unit, property, golden-number, bad-input, notebooks, browser).
test: $(STAMP)
	$(BIN)/python -m pytest

## Build the processed data, run every notebook and write the briefs to reports/
## (HTML in both editions, PDF with Chromium, Excel annex and CSV bundle, index.html).
report: $(STAMP)
	$(BIN)/hilir data build
	$(BIN)/hilir report --lang all

## Screenshots of every policymaker brief (HTML top, PDF first page, both languages) into
## docs/screenshots/ for the README. Reads the report in REPORT_DIR (default reports/),
## building it first when it has no index.html: `make screenshots REPORT_DIR=/tmp/rep`.
REPORT_DIR ?= reports
screenshots: $(STAMP)
	@test -f $(REPORT_DIR)/index.html || { $(BIN)/hilir data build && \
	  $(BIN)/hilir report --lang all --out $(REPORT_DIR); }
	$(BIN)/python -m hilir.report.screenshots $(REPORT_DIR) docs/screenshots

data: $(STAMP)
	$(BIN)/hilir data build

## Open the notebooks in JupyterLab with the project's environment as the kernel.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## Re-pin constraints.txt from the current environment (maintainers only).
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^hilir' > constraints.txt

clean:
	rm -rf $(VENV) reports data/processed/*.parquet data/processed/*.json .pytest_cache
