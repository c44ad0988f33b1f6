"""Benchmarks: each prints its figures and the machine; run them with ``python -m bench.<name>``."""
