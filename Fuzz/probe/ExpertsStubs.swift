// Compiled only into the probe fuzz target, together with Sources/Experts/Probe.swift and
// ExpertError.swift: `Probe.load` names these two, and the real ones would pull in the whole
// Experts module (models, tensors, BLAS). The fuzz target calls `Probe.decode`, which uses neither.
import Foundation

public enum ExpertCatalog {
    public static let names = ["deeplab", "resnet", "oracle"]
}

public enum ProjectFiles {
    public static var probes: URL { URL(fileURLWithPath: "/nonexistent/probes") }
}
