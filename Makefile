# Every target bootstraps .venv from the system python3, so a newcomer needs no other command.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test validate export bench bench-internal bench-edit bench-search bench-lighthouse bench-pdf bench-shipped schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# --dirty: an edit rebuilds the pages it changes (the hook tells MkDocs which), not the whole playbook.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/playbook validate --strict

export: $(STAMP)
	$(BIN)/playbook export --out exports

schemas: $(STAMP)
	$(BIN)/playbook schemas --write

# What a user feels: our full build, cold and warm, against plain MkDocs Material on the same text.
bench: $(STAMP)
	$(BIN)/python bench/user_bench.py

# Against MkDocs given our own rendered pages, tags and overrides.
bench-internal: $(STAMP)
	$(BIN)/python bench/build_bench.py

bench-edit: $(STAMP)
	$(BIN)/python bench/edit_bench.py --plain

bench-search: $(STAMP)
	$(BIN)/python bench/search_bench.py

# Lighthouse (mobile) on the home page, a scenario, a checklist and the agenda: targets 90 / 100 / 100 / 100.
bench-lighthouse: $(STAMP) node_modules/.installed
	$(BIN)/python bench/lighthouse_bench.py

# This repository's own playbook built by the working tree and a revision (default HEAD), cold and warm:
# make bench-shipped BASELINE=HEAD~3
bench-shipped: $(STAMP)
	$(BIN)/python bench/shipped_bench.py --baseline $(or $(BASELINE),HEAD)

# Cold rendering of every checklist PDF (fresh process, empty cache); BASELINE=HEAD (or a folder) compares.
bench-pdf: $(STAMP)
	$(BIN)/python bench/pdf_bench.py $(if $(BASELINE),--baseline $(BASELINE))

test: $(STAMP) $(if $(shell command -v npm 2>/dev/null),node_modules/.installed)
	$(BIN)/pytest

# The build cache lives outside the checkout ($XDG_CACHE_HOME/playbook/<folder>-<hash>, see src/playbook/core/storage.py);
# .cache is where older versions kept it.
clean:
	rm -rf site .cache exports
	cache="$$(PYTHONPATH=src $(PYTHON) -m playbook.core.storage .)" && if [ -n "$$cache" ]; then rm -rf "$$cache"; fi
