"""Evaluations against ../shared/data and benchmarks. Run one with ``python -m bench NAME`` (``python -m bench`` lists them)."""
