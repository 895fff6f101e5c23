import Foundation

/// What a layer's numbers mean: the one place for the rules that turn scores into "keeps",
/// "ignores", "calibrated" and "trusted". Diagnosis applies them (warnings, agreement with the
/// oracle's documented invariances); Report prints them and their thresholds.
public enum LayerJudgement {
    /// Scores at or above this read as "ignores" (scaled by a ceiling below 1, below).
    public static let ignoresAbove = 0.6
    /// Scores at most this far above the read-out's floor read as "keeps".
    public static let keepsBelow = 0.2
    /// Calibration inside this band: the samples spread as much as the layer leaves undetermined.
    public static let calibratedRange = 0.7...1.4
    /// A read-out must close at least half the gap from chance to perfect before its factor's
    /// invariance scores mean anything: a probe that cannot read hue cannot tell if samples vary in it.
    public static let trustedSkill = 0.5
    /// A layer whose samples come within this factor of the Fréchet distance of the autoencoder's
    /// reconstructions is at the reconstruction floor (`atReconstructionFloor`).
    public static let reconstructionFloorMargin = 1.1
    /// log2(10): the most a layer that only knows the class (10 classes) can keep.
    public static let classOnlyBits = log2(10.0)

    /// The score at or above which a layer counts as ignoring a factor: `ignoresAbove`, or that
    /// share of the factor's ceiling where even the unconditional flow's samples, which ignore
    /// everything, score below 1. A layer cannot look more invariant than that flow.
    public static func ignoresThreshold(ceiling: Double?) -> Double {
        guard let c = ceiling, c.isFinite else { return ignoresAbove }
        return ignoresAbove * min(1, max(c, 0))
    }

    /// The score at or below which a layer counts as keeping a factor: `keepsBelow` above the
    /// read-out's floor, since even real scenes that share the factor's value spread that much
    /// under a read-out that confuses some of them.
    public static func keepsThreshold(floor: Double?) -> Double {
        guard let f = floor, f.isFinite else { return keepsBelow }
        return keepsBelow + max(f, 0)
    }

    /// Whether a measured score agrees with a documented invariance (kept: at most
    /// `keepsThreshold`; ignored: at least `ignoresThreshold`), and the bound it was held to.
    public static func agreement(score: Double, documentedKept: Bool, ceiling: Double?, floor: Double? = nil) -> (agrees: Bool, bound: Double) {
        let bound = documentedKept ? keepsThreshold(floor: floor) : ignoresThreshold(ceiling: ceiling)
        return (documentedKept ? score <= bound : score >= bound, bound)
    }

    /// Whether a layer's samples are as close to the real images as the autoencoder's own
    /// reconstructions: then the autoencoder, not the layer, limits what its scores can show —
    /// what the layer keeps beyond what the autoencoder reproduces cannot appear in the samples.
    public static func atReconstructionFloor(frechet: Double, floor: Double) -> Bool {
        frechet.isFinite && floor.isFinite && frechet <= floor * reconstructionFloorMargin
    }

    /// (value − chance) / (1 − chance): 0 at chance, 1 for a perfect read-out.
    public static func skill(value: Double, chance: Double) -> Double {
        let gap = 1 - chance
        return gap > 0 ? (value - chance) / gap : .nan
    }

    public static func isTrusted(value: Double, chance: Double) -> Bool {
        let s = skill(value: value, chance: chance)
        return s.isFinite && s >= trustedSkill
    }
}
