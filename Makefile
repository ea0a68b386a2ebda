# Odyssey: `make run` starts the system locally, `make test` runs every test, Slither first (`make lint`).
# Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV       := .venv
PY         := $(VENV)/bin/python
BROWNIE    := $(VENV)/bin/brownie
UV         := uv==0.13.9
# Slither in a venv of its own (tools/slither-requirements.txt says why): never installed into .venv.
SLITHER_VENV := .venv-slither
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
# Every test suite starts many Python processes (Brownie, uvicorn, the CLI): with bytecode caching off, each
# one would compile its imports again (seconds of CPU apiece).
unexport PYTHONDONTWRITEBYTECODE

# Brownie networks, kept in ~/.brownie/network-config.yaml (Brownie 1.22 maps `development` to Anvil and rejects a
# networks section in brownie-config.yaml): make run's and one per test suite, with the Ganache flags every local chain
# uses, all from backend/dev/networks.py. ODYSSEY_TEST_PORT_OFFSET moves every suite's Ganache port (a moved suite
# gets a network of its own), to run the suites beside someone else's on one machine.
suite_network = $(shell $(PY) -m backend.dev.networks $(1))
# Tests outside Brownie's pytest plugin (Brownie's own suite is tests/contracts, its fixtures in its conftest.py).
PYTEST_PLAIN  := $(PY) -m pytest -p no:pytest-brownie

.PHONY: help install networks run lint lock catalogs test test-deep test-contracts test-e2e test-backend test-relay test-issuer test-cli test-web test-fuzz mutate-contracts mutate-backend gas bench clean

help:
	@echo "make run    start Ganache (persistent), deploy, load journeys, show a sample member"
	@echo "make test   install everything and run the whole test suite (make lint first)"
	@echo "make lint   Ruff over the Python; Slither over contracts/: fails on an unsuppressed High or Medium finding (docs/slither.md)"
	@echo "make gas    regenerate docs/gas.md"
	@echo "make bench  run the indexer/API benchmark and regenerate docs/performance.md"
	@echo "make lock   resolve the project's dependencies anew into tools/requirements-lock.txt (then make test)"
	@echo "make catalogs  extract the English words of the CLI (cli.pot) and of the API and issuer (api.pot) into backend/locales and merge them into each .po"

install: $(VENV)/.installed node_modules/.installed .solcx/solc-v0.8.24 networks build/web/index.html

# The project's dependencies at the versions in tools/requirements-lock.txt (make lock renews them).
$(VENV)/.installed: pyproject.toml tools/overrides.txt tools/requirements-lock.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(UV)
	$(VENV)/bin/uv pip install --quiet --python $(PY) --override tools/overrides.txt -c tools/requirements-lock.txt -e .
	$(PY) -m compileall -q -j0 $(VENV)/lib >/dev/null
	touch $@

# The newest versions pyproject.toml allows, for tools/requirements-lock.txt (its first lines, the why, are kept).
lock: $(VENV)/.installed
	{ grep '^#' tools/requirements-lock.txt; $(VENV)/bin/uv pip compile --quiet --no-header --no-annotate --python-version 3.11 \
	    --override tools/overrides.txt pyproject.toml; } > tools/requirements-lock.txt.new
	mv tools/requirements-lock.txt.new tools/requirements-lock.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/web/index.html: node_modules/.installed web/build.mjs $(wildcard web/*.html web/*.css web/src/*.js)
	npm run --silent build:web

.solcx/solc-v0.8.24: tools/solc-v0.8.24
	mkdir -p .solcx
	ln -sf ../tools/solc-v0.8.24 $@

networks: $(VENV)/.installed
	@$(PY) -m backend.dev.networks

test: lint test-contracts test-e2e test-backend test-relay test-issuer test-cli test-web test-fuzz

# The stateful property tests of the contracts at ten times the examples and twice the steps of make test
# (tests/contracts/stamp_helpers.py run_state_machine): hours, not minutes; not part of make test.
test-deep: install
	ODYSSEY_HYPOTHESIS_SCALE=10 $(BROWNIE) test tests/contracts -k "state_machine or stay_within_the_daos_bounds" --network $(call suite_network,contracts)

# Ruff (Pyflakes' checks) over the Python, then Slither (static analysis) on the solcjs adapter in its own venv.
lint: $(VENV)/.installed $(SLITHER_VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check --quiet --no-cache
	$(SLITHER_VENV)/bin/python tools/slither.py

$(SLITHER_VENV)/.installed: tools/slither-requirements.txt
	test -x $(SLITHER_VENV)/bin/python || python3 -m venv $(SLITHER_VENV)
	$(SLITHER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(UV)
	$(SLITHER_VENV)/bin/uv pip install --quiet --compile-bytecode --python $(SLITHER_VENV)/bin/python -r tools/slither-requirements.txt
	touch $@

test-contracts: install
	$(BROWNIE) test tests/contracts --network $(call suite_network,contracts)

test-e2e: install
	$(PYTEST_PLAIN) tests/e2e

# PostgreSQL (Debian's, installed when missing) for the backend suite, which runs on SQLite and PostgreSQL; a CJK font
# (Debian's) whose glyphs the art embeds.
test-backend: install
	bash tools/ensure_postgres.sh >/dev/null
	sh tools/ensure_cjk_font.sh
	$(PYTEST_PLAIN) tests/backend

# The relay's rate-limit units run on SQLite and PostgreSQL too.
test-relay: install
	bash tools/ensure_postgres.sh >/dev/null
	$(PYTEST_PLAIN) tests/relay

# The issuer service's records and limits run on SQLite and PostgreSQL too.
test-issuer: install
	bash tools/ensure_postgres.sh >/dev/null
	$(PYTEST_PLAIN) tests/issuer

test-cli: install
	$(PYTEST_PLAIN) tests/cli

# The gettext catalogs (README, "The member CLI"; docs/languages.md): every _(), N_(), NP_() and ngettext() string of
# backend/cli into the template backend/locales/cli.pot, of backend/api and backend/issuer into api.pot, each merged into
# every locale's <domain>.po. A new string arrives untranslated and a changed one fuzzy: tests/backend/test_catalogs.py
# fails until a translator fills them in. A second run changes nothing: the templates carry no header (no date) and the
# catalogs keep their POT-Creation-Date (`make catalogs CATALOGS=<a copy>` works on a copy: tests/backend/test_catalogs.py).
CATALOGS := backend/locales
EXTRACT := $(VENV)/bin/pybabel -q extract -F $(CATALOGS)/babel.cfg -k NP_:1c,2 --add-location=file --sort-output \
	--no-wrap --omit-header
UPDATE_CATALOGS := $(VENV)/bin/pybabel -q update -d $(CATALOGS) --no-wrap --ignore-obsolete --ignore-pot-creation-date

catalogs: $(VENV)/.installed
	$(EXTRACT) -o $(CATALOGS)/cli.pot backend/cli
	$(EXTRACT) -o $(CATALOGS)/api.pot backend/api backend/issuer
	$(UPDATE_CATALOGS) -D cli -i $(CATALOGS)/cli.pot
	$(UPDATE_CATALOGS) -D api -i $(CATALOGS)/api.pot

# Debian's Chromium (installed when missing), driven headless by Playwright.
test-web: install
	sh tools/ensure_chromium.sh
	$(PYTEST_PLAIN) tests/web

# API fuzzing with Schemathesis against the running API's OpenAPI schema. Schemathesis needs a newer hypothesis than
# Brownie pins, so it lives in a virtualenv of its own; the suite (in the main venv) runs its `st` command.
FUZZ_VENV := .venv-fuzz

$(FUZZ_VENV)/.installed: tests/fuzz/requirements.txt
	test -x $(FUZZ_VENV)/bin/python || python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/fuzz/requirements.txt
	touch $@

test-fuzz: install $(FUZZ_VENV)/.installed
	ODYSSEY_SCHEMATHESIS=$(CURDIR)/$(FUZZ_VENV)/bin/st $(PYTEST_PLAIN) tests/fuzz

# Hand-written contract mutants (tools/mutate_contracts.py): each must make the contract suites fail. Not part of
# make test (a surviving mutant runs the whole suite, about five minutes).
mutate-contracts: install
	$(PY) tools/mutate_contracts.py

# Mutation testing of the backend (docs/testing.md): the named faults of tools/mutate_backend.py against the suites
# that must catch them, then mutmut over the handlers, the governance and level rules (backend/chain/views.py) and the
# relay against the chain-free backend tests and the whole relay suite, on Ganaches started and deployed once and
# reverted for each mutant (tests/support/kept_chains.py; [tool.mutmut] in pyproject.toml). mutmut runs the tests in
# its own process, so its venv holds the backend's dependencies too, at the lock's versions (but eth-brownie, which
# these tests do not import and whose pins need not fit mutmut's: the chains are deployed from .venv).
MUTMUT_VENV := .venv-mutmut

$(MUTMUT_VENV)/.installed: tools/mutmut-requirements.txt tools/requirements-lock.txt
	test -x $(MUTMUT_VENV)/bin/python || python3 -m venv $(MUTMUT_VENV)
	$(MUTMUT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(UV)
	grep -v -e '^eth-brownie==' -e '^playwright==' tools/requirements-lock.txt > $(MUTMUT_VENV)/pins.txt
	$(MUTMUT_VENV)/bin/uv pip install --quiet --python $(MUTMUT_VENV)/bin/python -r $(MUTMUT_VENV)/pins.txt -r tools/mutmut-requirements.txt
	touch $@

mutate-backend: install $(MUTMUT_VENV)/.installed
	$(PY) tools/mutate_backend.py
	rm -rf mutants
	$(PY) tools/mutate_backend.py --mutmut $(MUTMUT_VENV)/bin/mutmut
	$(PY) tools/mutate_backend.py --score $(MUTMUT_VENV)/bin/mutmut

gas: install
	$(BROWNIE) run scripts/gas_report.py --network $(call suite_network,contracts)

bench: install
	bash tools/ensure_postgres.sh >/dev/null
	$(PY) -m bench.run

run: install
	$(PY) tools/run_local.py

clean:
	rm -rf build reports .chain .run mutants
