# Every task has a target; CI runs exactly these.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KM     := $(VENV)/bin/kabot-models

.PHONY: run test validate audit sync-check schema docs bench install dev clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

## run: set up, validate the catalog, compile it, print the models table
run: install
	$(KM) validate
	$(KM) build --out build/catalog.sqlite
	$(KM) list

## test: set up with the dev extras and run the test suite
test: dev
	$(PY) -m pytest

## validate: check the catalog against the schema and the cross-file rules
validate: install
	$(KM) validate

## audit: compare the catalog's figures with LiteLLM's map (exit 1 on an unacknowledged difference)
audit: install
	$(KM) audit --against litellm

## sync-check: what the installed LiteLLM and genai-prices would change in the catalog (informs; never fails)
sync-check: dev
	-$(KM) sync litellm --check
	-$(KM) sync genai-prices --check

## schema: regenerate schemas/*.schema.json from the pydantic models
schema: install
	$(PY) -m kabot_models.schema --write

## docs: regenerate the field tables of docs/models/format.md from the pydantic models
docs: install
	$(PY) scripts/format_doc.py --write

## bench: measure speed against LiteLLM and genai-prices
bench: dev
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info
