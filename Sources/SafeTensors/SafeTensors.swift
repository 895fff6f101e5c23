// SafeTensors module: see docs/architecture.md.
