/// `comparison.json`: which runs a comparison folder was made from. It also marks the folder as
/// one `diagnose compare` wrote, so `--force` may replace it.
struct ComparisonManifest: Codable {
    struct Run: Codable {
        let name: String
        let path: String
        let expert: String
        let seed: UInt64
        let layers: [String]
        let weightsHashes: [String: String]
    }

    let runs: [Run]
    /// Rows of the comparison's tables and slots of its bits plot.
    let layerSlots: [String]
    let factors: [String]

    init(_ c: Comparison) {
        runs = c.runs.map { Run(name: $0.name, path: $0.path, expert: $0.result.expert, seed: $0.result.seed,
                                layers: $0.result.layers.map(\.name), weightsHashes: $0.result.weightsHashes) }
        layerSlots = c.slots
        factors = c.factors
    }
}
