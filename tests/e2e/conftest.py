"""End-to-end fixtures: a real Ganache with the real deployment, used through web3.py only."""
from tests.support.chain_fixtures import chain_fixtures

globals().update(chain_fixtures("e2e"))
