"""Benchmarks: how Tafel's cost grows with cases and audit events (`python -m bench.run`)."""
