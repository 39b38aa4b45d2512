"""Benchmarks: each writes its figures to BENCHMARKS.md with one command, `python -m bench.<name>`.

Run as modules from the project root, never as files: a file run puts `bench/` first on the import
path, where a module named like the standard library's would hide it (tests/test_bench_commands.py).
"""
