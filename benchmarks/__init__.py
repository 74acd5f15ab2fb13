"""Benchmarks: each module runs with `python -m benchmarks.NAME`; `python -m benchmarks` runs them all."""
