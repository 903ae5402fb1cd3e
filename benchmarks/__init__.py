"""Benchmark scripts and the data they need; run them by hand, they print their figures."""
