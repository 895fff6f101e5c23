/// Diversity and calibration of a sampler (design.md §3.6).
public enum SampleStatistics {
    /// Mean over inputs of the mean pairwise RMS distance between that input's samples.
    /// `samples`: [inputs][k][elements]. 0 for a deterministic map such as the MLP.
    public static func diversity(_ samples: [[[Float]]]) -> Double {
        var total: Double = 0, inputs = 0
        for group in samples where group.count > 1 {
            var sum: Double = 0, pairs = 0
            for a in 0..<group.count {
                for b in (a + 1)..<group.count {
                    var s: Double = 0
                    for (x, y) in zip(group[a], group[b]) { s += Double((x - y) * (x - y)) }
                    sum += (s / Double(max(group[a].count, 1))).squareRoot()
                    pairs += 1
                }
            }
            total += sum / Double(pairs)
            inputs += 1
        }
        return inputs > 0 ? total / Double(inputs) : 0
    }

    /// E‖z_s − z‖² over samples z_s of each input's true code z, divided by twice the
    /// deterministic predictor's mean squared error E‖ẑ − z‖². For samples drawn from the true
    /// conditional p(z | layer) the numerator is 2·tr Cov(z | layer) and the best predictor's error
    /// is tr Cov(z | layer), so the ratio is ≈ 1; above 1 the samples overstate what the layer
    /// leaves undetermined (they look more invariant than the layer is).
    public static func calibration(sampleSquaredError: Double, predictorSquaredError: Double) -> Double {
        sampleSquaredError / (2 * max(predictorSquaredError, 1e-12))
    }

    /// Mean of `values`; 0 for none.
    public static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    /// Sample variance of `values` (n − 1 in the denominator); NaN for fewer than two values.
    public static func variance(_ values: [Double]) -> Double {
        guard values.count > 1 else { return .nan }
        let m = mean(values)
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    /// Sample standard deviation of `values` (n − 1); NaN for fewer than two values.
    public static func standardDeviation(_ values: [Double]) -> Double { variance(values).squareRoot() }

    /// Standard error of the mean of `values`: the sample standard deviation (n − 1) over √n; NaN
    /// for fewer than two values.
    public static func standardError(_ values: [Double]) -> Double {
        (variance(values) / Double(values.count)).squareRoot()
    }

    /// Calibration against the sampler's own mean: for k samples z_s of p(z|x) and their mean z̄,
    /// E‖z_s − z‖² = 2T and E‖z̄ − z‖² = (1 + 1/k)·T (T the conditional variance), so
    /// E‖z_s − z‖² / (2·k/(k+1)·E‖z̄ − z‖²) is 1 for a calibrated sampler, below 1 when its samples
    /// spread less than they miss by, above 1 when more. Needs no baseline.
    public static func selfCalibration(sampleSquaredError: Double, sampleMeanSquaredError: Double, samples k: Int) -> Double {
        calibration(sampleSquaredError: sampleSquaredError, predictorSquaredError: Double(k) / Double(k + 1) * sampleMeanSquaredError)
    }
}
