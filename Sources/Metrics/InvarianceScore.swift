import Datasets
import Foundation

/// How much of a factor's spread across the data survives among the samples of one input:
/// E_x[spread across samples of x] / spread across the data. 0 = the layer determines the factor,
/// 1 = the layer ignores it. Spreads are of read-out predictions on both sides, so read-out bias
/// cancels: variance for continuous factors, circular variance 1 − ρ² for circular ones (hue), and the
/// probability that two draws disagree for categorical ones. Within-input spreads use unbiased
/// estimators (n − 1, distinct pairs), so a small number of samples does not shrink them.
public enum InvarianceScore {
    /// `samples[i]`: predictions for the samples of input i; `data`: predictions on real codes.
    public static func score(kind: FactorKind, samples: [[Float]], data: [Float]) -> Double {
        let across = spread(kind, data)
        guard across > 1e-12 else { return .nan }
        let within = samples.map { spread(kind, $0) }
        return within.reduce(0, +) / Double(max(within.count, 1)) / across
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
        case .categorical:
            var counts: [Int: Int] = [:]
            for x in v { counts[Int(x.rounded()), default: 0] += 1 }
            let samePairs = counts.values.reduce(0) { $0 + Double($1) * Double($1 - 1) }
            return 1 - samePairs / (n * (n - 1))
        }
    }
}
