# Every task has a target; CI runs exactly these.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KM     := $(VENV)/bin/kabot-models

.PHONY: run test validate audit sync-check schema docs bench install dev clean

# pip's and setuptools' notes (an editable install of a package whose data lives outside it always
# draws setuptools' "Editable installation" notice) go to $(VENV)/install.log, shown only on failure.
PIP    := $(PY) -m pip install --quiet
LOGGED  = >>$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@echo "installing kabot-models into $(VENV) (log: $(VENV)/install.log)"
	@$(PIP) --upgrade pip $(LOGGED)
	@$(PIP) -e . $(LOGGED)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	@echo "installing the dev extras into $(VENV) (log: $(VENV)/install.log)"
	@$(PIP) -e '.[dev]' $(LOGGED)
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

## run: set up, validate the catalog, compile it, print each provider's top two models and a count
run: install
	$(KM) validate
	$(KM) build --out build/catalog.sqlite
	$(KM) list --top 2

## test: set up with the dev extras and run the test suite
test: dev
	$(PY) -m pytest

## validate: check the catalog against the schema and the cross-file rules
validate: install
	$(KM) validate

## audit: compare the catalog's figures with LiteLLM, genai-prices and models.dev's fixture (exit 1 on an unacknowledged difference)
audit: dev
	$(KM) audit --against all --models-dev tests/fixtures/models-dev/api.json.gz

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
