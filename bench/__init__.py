"""Benchmarks (not timed tests): `python -m bench` runs them all, one after another."""
