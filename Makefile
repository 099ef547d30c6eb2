# The two commands of the README: `make report` and `make test`.
# Both work from nothing but python3 (>= 3.11), pip and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hilir-installed

.PHONY: install test report lab lint format data constraints clean

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
