"""Benchmarks: each writes its figures to BENCHMARKS.md with one command."""
