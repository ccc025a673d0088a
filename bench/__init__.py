"""Start-up benchmarks: `make bench` runs `python -m bench.startup`."""
