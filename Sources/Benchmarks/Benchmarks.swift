// Benchmarks module: see docs/architecture.md.
