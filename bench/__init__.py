"""Synthetic corpus generator and benchmarks for foi-extract."""
