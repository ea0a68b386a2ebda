# Odyssey: `make run` starts the system locally, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV       := .venv
PY         := $(VENV)/bin/python
BROWNIE    := $(VENV)/bin/brownie
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx

# Brownie networks (kept in ~/.brownie/network-config.yaml; added once by `make install`).
TEST_NETWORK  := odyssey-test
LOCAL_NETWORK := odyssey-local
TEST_PORT     ?= 18545
LOCAL_PORT    ?= 8545
GANACHE_FLAGS := evm_version=shanghai accounts=10 gas_limit=30000000 mnemonic=brownie chain_id=1337

.PHONY: help install run test test-contracts test-backend gas bench clean

help:
	@echo "make run    start Ganache (persistent), deploy, load journeys, show a sample member"
	@echo "make test   install everything and run the whole test suite"
	@echo "make gas    regenerate docs/gas.md"

install: $(VENV)/.installed node_modules/.installed .solcx/solc-v0.8.24 $(VENV)/.networks

$(VENV)/.installed: pyproject.toml tools/overrides.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) --override tools/overrides.txt -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.solcx/solc-v0.8.24: tools/solc-v0.8.24
	mkdir -p .solcx
	ln -sf ../tools/solc-v0.8.24 $@

$(VENV)/.networks: $(VENV)/.installed Makefile
	$(BROWNIE) networks delete $(TEST_NETWORK) >/dev/null 2>&1 || true
	$(BROWNIE) networks delete $(LOCAL_NETWORK) >/dev/null 2>&1 || true
	$(BROWNIE) networks add Development $(TEST_NETWORK) cmd=ganache host=http://127.0.0.1 port=$(TEST_PORT) $(GANACHE_FLAGS) >/dev/null
	$(BROWNIE) networks add Development $(LOCAL_NETWORK) cmd=ganache host=http://127.0.0.1 port=$(LOCAL_PORT) $(GANACHE_FLAGS) >/dev/null
	touch $@

test: install
	$(MAKE) test-contracts

test-contracts: install
	$(BROWNIE) test tests/contracts --network $(TEST_NETWORK)

gas: install
	$(BROWNIE) run scripts/gas_report.py --network $(TEST_NETWORK)

run: install
	$(PY) tools/run_local.py --port $(LOCAL_PORT) --network $(LOCAL_NETWORK)

clean:
	rm -rf build reports .chain .run
