/// The table of workloads `diagnose bench` runs, in the reference script's order.
///
/// Adding a workload is one entry here: a `Workload` (usually a static factory in a
/// `Workload+Name.swift` file) with the reference's name, unit and work per step.
public enum WorkloadCatalog {
    public static let all: [Workload] = [
        .sgemm(size: 512),
        // conv_*_forward / _forward_backward: added when the Tensors module has conv2d.
        // deeplab_train_step, deeplab_inference, autoencoder_train_step, cinn_train_step: later.
    ]

    /// Workloads whose names equal or start with one of `filters` (the reference's `--only`
    /// rule); all of them when `filters` is empty. A filter that matches nothing is an error, so
    /// a typo does not silently produce an empty comparison.
    public static func select(_ filters: [String], from workloads: [Workload] = all) throws -> [Workload] {
        guard !filters.isEmpty else { return workloads }
        for filter in filters where !workloads.contains(where: { $0.name.hasPrefix(filter) }) {
            throw BenchmarkError.unknownWorkload(filter, available: workloads.map(\.name))
        }
        return workloads.filter { workload in filters.contains { workload.name.hasPrefix($0) } }
    }
}
