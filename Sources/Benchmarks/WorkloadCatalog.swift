/// The table of workloads `diagnose bench` runs, in the reference script's order.
///
/// Adding a workload is one entry here: a factory (a static func in a `Workload+Name.swift`
/// file) returning its `Workload`s with the reference's names, units and work per step.
public enum WorkloadCatalog {
    public static let all: [Workload] = [
        [.sgemm(size: 512)],
        // name, N, Cin, H, Cout, k, stride, dilation: the reference's CONVS table.
        Workload.convolution("conv_32x32_c32_k3", batch: 64, inChannels: 32, size: 32, outChannels: 32, kernel: 3),
        Workload.convolution("conv_16x16_c32to64_k3_s2", batch: 64, inChannels: 32, size: 16, outChannels: 64, kernel: 3, stride: 2),
        Workload.convolution("conv_8x8_c64_k3_d2", batch: 64, inChannels: 64, size: 8, outChannels: 64, kernel: 3, dilation: 2),
        Workload.convolution("conv_8x8_c128to64_k3", batch: 64, inChannels: 128, size: 8, outChannels: 64, kernel: 3),
        [.deeplabTrainStep, .deeplabInference, .autoencoderTrainStep, .cinnTrainStep, .autoencoder64TrainStep],
    ].flatMap { $0 }

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
