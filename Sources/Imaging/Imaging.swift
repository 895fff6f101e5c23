// Imaging module: see docs/architecture.md.
