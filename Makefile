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
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[notebooks,dev]"
	@touch $(STAMP)

install: $(STAMP)

## Run every test (unit, property, golden-number, bad-input, notebooks, browser).
test: $(STAMP)
	$(BIN)/python -m pytest

## Build the processed data, run every notebook and write the HTML briefs.
report: $(STAMP)
	$(BIN)/hilir data build
	$(BIN)/hilir data summary

data: $(STAMP)
	$(BIN)/hilir data build

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

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
