"""Development only: the local chain (Ganache and its Brownie networks, the deterministic dev keys), a driver that
acts on it as members, ops and the DAO would, and a throwaway PostgreSQL server. `make run`, the tests and the
benchmark use it; production code (the API, the relay, the indexer, the CLI) never imports it."""
