"""Benchmarks whose results land in docs/performance.md (`python -m bench.run`)."""
