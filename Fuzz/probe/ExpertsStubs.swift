// Compiled only into the probe fuzz target, together with Sources/Experts/Probe.swift and
// ExpertError.swift: `Probe.load` names the catalogue, and the real one would pull in the whole
// Experts module (models, tensors, BLAS). The fuzz target calls `Probe.decode`, which does not use it.
import Foundation

public enum ExpertCatalog {
    public static let names = ["deeplab", "resnet", "oracle"]
}
