import Tensors

/// The conditions a cINN's marginal q(z) = Σⱼ wⱼ·q(z | Φⱼ) is taken over
/// (`ConditionalFlow.marginalNegativeLogLikelihood`): every distinct feature row of a training set
/// with its frequency when there are at most `limit` of them (a one-hot class: the exact empirical
/// distribution), otherwise `limit` rows drawn from the seed, with equal weights.
public struct ConditionMixture {
    /// [M, …] feature rows.
    public let conditions: Tensor
    /// Weights of the rows, summing to 1.
    public let weights: [Double]
    /// Whether the rows are every distinct value of the set with its frequency.
    public let isExact: Bool

    public init(features: Tensor, limit: Int, seed: UInt64) {
        precondition(limit > 0 && features.rank >= 2 && features.shape[0] > 0, "ConditionMixture: limit \(limit), features \(features.shape)")
        let n = features.shape[0], width = features.count / n
        // Distinct rows by their bit patterns, in order of first appearance; stop once past the limit.
        var firstRow: [[UInt32]: Int] = [:], counts: [Int] = [], rows: [Int] = []
        features.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let key = (0..<width).map { p[i * width + $0].bitPattern }
                if let k = firstRow[key] { counts[k] += 1; continue }
                if rows.count == limit { rows = []; return }
                firstRow[key] = rows.count
                rows.append(i); counts.append(1)
            }
        }
        if !rows.isEmpty {
            isExact = true
            weights = counts.map { Double($0) / Double(n) }
        } else {
            isExact = false
            var rng = Xoshiro256(seed: seed)
            rows = Array(rng.permutation(n).prefix(limit)).sorted()
            weights = Array(repeating: 1 / Double(rows.count), count: rows.count)
        }
        conditions = Autograd.withoutGradients { features.gather(axis: 0, indices: rows) }
    }
}
