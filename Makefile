# The two commands of the README: `make report` and `make test`.
# Both work from nothing but python3 (>= 3.11), pip and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hilir-installed

# The oldest Python hilir supports (requires-python in pyproject.toml). Every environment is
# made by $(call make-venv,DIR,PYTHON), which checks the Python first and stops, saying
# which Python it needs, before it creates anything; an environment left behind by an
# unsupported Python is removed and made again.
PY_MIN := 3.11
PY_OK   = import sys; sys.exit(sys.version_info < tuple(map(int, "$(PY_MIN)".split("."))))
define make-venv
@if test -x $(1)/bin/python && ! $(1)/bin/python -c '$(PY_OK)' 2>/dev/null; then \
  echo "$(1) was made with $$($(1)/bin/python --version 2>&1) (hilir needs $(PY_MIN)+): removing it"; \
  rm -rf $(1); \
fi
@test -x $(1)/bin/python || { \
  $(2) -c '$(PY_OK)' 2>/dev/null || { \
    echo "error: hilir needs Python $(PY_MIN) or newer; $(2) is" \
      "$$($(2) --version 2>/dev/null || echo 'not found')." >&2; \
    echo "Install Python >= $(PY_MIN) and name it, e.g. make PYTHON=python$(PY_MIN) $(or $(MAKECMDGOALS),install)" >&2; \
    exit 1; }; \
  $(2) -m venv $(1); }
endef

.PHONY: install test test-min docs report screenshots lab lint format data constraints clean

$(STAMP): pyproject.toml constraints.txt
	$(call make-venv,$(VENV),$(PYTHON))
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[notebooks,dev,fetch,docs,dask,bench]"
	@touch $(STAMP)

install: $(STAMP)

## Run every test (unit, property, golden-number, bad-input, notebooks, browser).
test: $(STAMP)
	$(BIN)/python -m pytest

## The fast tests under the declared minimum versions (constraints-min.txt: every direct
## dependency at its floor in pyproject.toml), in their own environment .venv-min made with
## the oldest supported Python where it is installed. Left out: notebooks and browser (slow,
## browser); the image baselines (tests/test_plots_images.py) skip themselves, as they hold
## only for the matplotlib pinned in constraints.txt.
VENV_MIN   := .venv-min
STAMP_MIN  := $(VENV_MIN)/.hilir-installed
PYTHON_MIN ?= $(shell command -v python$(PY_MIN) 2>/dev/null || echo $(PYTHON))
$(STAMP_MIN): pyproject.toml constraints-min.txt
	$(call make-venv,$(VENV_MIN),$(PYTHON_MIN))
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_MIN)/bin/python -m pip install --quiet -c constraints-min.txt -e ".[notebooks,dev,fetch,docs,dask,bench]"
	@touch $(STAMP_MIN)

test-min: $(STAMP_MIN)
	$(VENV_MIN)/bin/python -m pytest -m "not slow and not browser and not network"

## The documentation site (Sphinx: API reference from the NumPy docstrings, chart gallery,
## recipes, architecture) into docs/_build/html, in strict mode: any warning fails the build.
## tests/test_docs.py builds it the same way.
docs: $(STAMP)
	$(BIN)/python -m sphinx -b html -W --keep-going -q docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

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

## Open the notebooks in JupyterLab, headless (no browser; also on a server and as root).
## Registers the kernel "Python (hilir)" (name hilir) for this environment, then serves
## notebooks/ on http://$(LAB_HOST):$(LAB_PORT)/lab with the token LAB_TOKEN (generated and
## printed when empty); LAB_ARGS go to jupyter lab as they are:
## `make lab LAB_HOST=0.0.0.0 LAB_PORT=8890 LAB_TOKEN=secret LAB_ARGS="--ServerApp.base_url=/x/"`.
LAB_HOST  ?= 127.0.0.1
LAB_PORT  ?= 8888
LAB_TOKEN ?=
LAB_ARGS  ?=
LAB_ROOT   = $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name hilir --display-name "Python (hilir)"
	@token='$(LAB_TOKEN)'; \
	test -n "$$token" || token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(24))'); \
	echo "JupyterLab: http://$(LAB_HOST):$(LAB_PORT)/lab?token=$$token"; \
	JUPYTER_TOKEN="$$token" exec $(BIN)/jupyter lab --no-browser --ip=$(LAB_HOST) \
	  --port=$(LAB_PORT) $(LAB_ROOT) --notebook-dir=notebooks \
	  --MappingKernelManager.default_kernel_name=hilir $(LAB_ARGS)

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
	rm -rf $(VENV) $(VENV_MIN) reports docs/_build data/processed/*.parquet data/processed/*.json .pytest_cache
