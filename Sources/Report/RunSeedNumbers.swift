import Foundation

/// The run-wide numbers of one translator seed: those of the unconditional flow, which is
/// trained again with each seed.
public struct RunSeedNumbers: SeedAveraged, Equatable {
    public var unconditionalNllNatsPerDim: Double
    public var invarianceCeiling: [String: Double]?

    public init(unconditionalNllNatsPerDim: Double, invarianceCeiling: [String: Double]?) {
        (self.unconditionalNllNatsPerDim, self.invarianceCeiling) = (unconditionalNllNatsPerDim, invarianceCeiling)
    }

    public static func combining(_ v: [Self], _ reduce: ([Double]) -> Double) -> Self {
        let ceilings = v.compactMap(\.invarianceCeiling)
        return Self(unconditionalNllNatsPerDim: reduce(v.map(\.unconditionalNllNatsPerDim)),
                    invarianceCeiling: ceilings.count == v.count ? combineFactors(ceilings, reduce) : nil)
    }
}
