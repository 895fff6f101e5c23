/// A layer's variation over the scored inputs (`VariationRegions` of each): means with their
/// standard errors over inputs, and the object-to-background ratio.
public struct VariationSummary: Equatable {
    public typealias Estimate = (mean: Double, standardError: Double)

    public var inputs: Int
    /// Mean over inputs of each input's mean variation (ΔE).
    public var whole: Estimate
    public var object: Estimate?
    public var background: Estimate?
    public var outline: Estimate?
    /// Mean object variation / mean background variation, over the inputs that have both regions:
    /// a ratio of means (not a mean of per-input ratios, which a nearly still background would
    /// blow up). Its standard error is the delta method's,
    /// √((s_o² − 2R·s_ob + R²·s_b²) / n) / mean background, with s the sample (n − 1) variances and
    /// covariance of the inputs' object and background means.
    public var objectToBackground: Estimate?

    public static func == (a: VariationSummary, b: VariationSummary) -> Bool {
        func same(_ x: Estimate?, _ y: Estimate?) -> Bool { x?.mean == y?.mean && x?.standardError == y?.standardError }
        return a.inputs == b.inputs && same(a.whole, b.whole) && same(a.object, b.object) && same(a.background, b.background)
            && same(a.outline, b.outline) && same(a.objectToBackground, b.objectToBackground)
    }

    public static func over(_ regions: [VariationRegions]) -> VariationSummary {
        let both = regions.compactMap { r in r.object.flatMap { o in r.background.map { (o, $0) } } }
        return VariationSummary(inputs: regions.count, whole: estimate(regions.map(\.whole))!,
                                object: estimate(regions.compactMap(\.object)), background: estimate(regions.compactMap(\.background)),
                                outline: estimate(regions.compactMap(\.outline)), objectToBackground: ratio(both))
    }

    /// Mean and standard error of the mean (sample sd / √n; 0 for one value); nil for none.
    static func estimate(_ values: [Double]) -> Estimate? {
        guard !values.isEmpty else { return nil }
        return (SampleStatistics.mean(values), values.count > 1 ? SampleStatistics.standardError(values) : 0)
    }

    /// The ratio of mean object to mean background variation and its delta-method standard error;
    /// nil without pairs or with a background that does not vary at all.
    static func ratio(_ pairs: [(object: Double, background: Double)]) -> Estimate? {
        let n = Double(pairs.count)
        guard n > 0 else { return nil }
        let o = pairs.reduce(0) { $0 + $1.object } / n, b = pairs.reduce(0) { $0 + $1.background } / n
        guard b > 0 else { return nil }
        let r = o / b
        guard pairs.count > 1 else { return (r, 0) }
        var so = 0.0, sb = 0.0, sob = 0.0
        for p in pairs {
            so += (p.object - o) * (p.object - o); sb += (p.background - b) * (p.background - b)
            sob += (p.object - o) * (p.background - b)
        }
        so /= n - 1; sb /= n - 1; sob /= n - 1
        return (r, (max(so - 2 * r * sob + r * r * sb, 0) / n).squareRoot() / b)
    }
}
