// NN module: see docs/architecture.md.
