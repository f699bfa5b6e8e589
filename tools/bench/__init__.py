"""Benchmarks that need the repository (the loopback fakes in tests/fakes), reached by `siaga bench`."""
