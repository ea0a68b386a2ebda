"""Odyssey backend: the protocol helpers, the indexer and the query API. Never imports Brownie."""
