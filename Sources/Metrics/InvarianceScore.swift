import Datasets
import Foundation

/// How much of a factor's spread across the data survives among the samples of one input:
/// E_x[spread across samples of x] / spread across the data. 0 = the layer determines the factor,
/// 1 = the layer ignores it. Spreads are of read-out predictions on both sides, so read-out bias
/// cancels: variance for continuous factors, circular variance 1 − ρ² for circular ones (hue), and
/// for categorical ones the total variance of the predicted class probabilities. For one-hot
/// predictions that is exactly the probability that two draws disagree; with soft predictions,
/// samples that agree score 0 even where the read-out is unsure of the class, instead of flipping
/// its argmax back and forth. Within-input spreads use unbiased estimators (n − 1), so a small
/// number of samples does not shrink them.
public enum InvarianceScore {
    /// `samples[i]`: predictions for the samples of input i; `data`: predictions on real codes.
    /// Categorical predictions are class probabilities, `classes` numbers per draw.
    public static func score(kind: FactorKind, samples: [[Float]], data: [Float]) -> Double {
        let across = spread(kind, data)
        guard across > 1e-12 else { return .nan }
        let within = samples.map { spread(kind, $0) }
        return within.reduce(0, +) / Double(max(within.count, 1)) / across
    }

    /// The score of real scenes grouped by a categorical factor's true value: what samples of a
    /// layer that keeps exactly this factor, and ignores the rest, score with this read-out. It is
    /// above 0 where the read-out confuses classes on real codes, its errors then following the
    /// factors that vary. `predictions`: class probabilities of real codes (`classes` per code);
    /// `truth`: their true class. Nil for other kinds.
    public static func floor(kind: FactorKind, predictions: [Float], truth: [Float]) -> Double? {
        guard case .categorical(let k) = kind, predictions.count == truth.count * k else { return nil }
        var groups: [Int: [Float]] = [:]
        // A missing value (NaN) belongs to no group.
        for (i, t) in truth.enumerated() where t.isFinite { groups[Int(t.rounded()), default: []] += predictions[(i * k)..<((i + 1) * k)] }
        let score = score(kind: kind, samples: groups.keys.sorted().map { groups[$0]! }, data: predictions)
        return score.isFinite ? score : nil
    }

    static func spread(_ kind: FactorKind, _ v: [Float]) -> Double {
        let n = Double(v.count)
        guard v.count > 1 else { return 0 }
        switch kind {
        case .continuous:
            let mean = v.reduce(0) { $0 + Double($1) } / n
            return v.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
        case .circular(let period):
            // 1 − ρ², ρ the mean resultant length, with ρ² estimated without bias from n draws
            // (mean cosine over distinct pairs). For small angular spread σ it is ≈ σ².
            var c: Double = 0, s: Double = 0
            for x in v { let a = 2 * Double.pi * Double(x) / Double(period); c += cos(a); s += sin(a) }
            return 1 - (c * c + s * s - n) / (n * (n - 1))
        case .categorical(let k):
            let draws = v.count / k
            guard draws > 1 else { return 0 }
            var total: Double = 0
            for c in 0..<k {
                var sum: Double = 0, squares: Double = 0
                for i in 0..<draws { let p = Double(v[i * k + c]); sum += p; squares += p * p }
                total += (squares - sum * sum / Double(draws)) / Double(draws - 1)
            }
            return total
        }
    }
}
