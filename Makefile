# Every target bootstraps .venv from the system python3, so a newcomer needs no other command.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test validate export bench schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/playbook validate --strict

export: $(STAMP)
	$(BIN)/playbook export --out exports

schemas: $(STAMP)
	$(BIN)/playbook schemas --write

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py

test: $(STAMP) $(if $(shell command -v npm 2>/dev/null),node_modules/.installed)
	$(BIN)/pytest

clean:
	rm -rf site .cache exports
