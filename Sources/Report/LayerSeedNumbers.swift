import Foundation

/// One layer's numbers of one translator seed: every number of `LayerResult` that the
/// translators' training and sampling change.
public struct LayerSeedNumbers: SeedAveraged, Equatable {
    public var bitsKept: Double
    /// Over the test scenes, of this seed's bits kept.
    public var bitsKeptStandardError: Double?
    public var nllConditionalNatsPerDim: Double
    public var invariance: [String: Double]
    public var frechetCinn: Double
    public var frechetMlp: Double
    public var diversityCinn: Double
    public var calibration: Double
    public var selfCalibration: Double?
    public var mlpHeldOutMse: Double

    public init(bitsKept: Double, bitsKeptStandardError: Double?, nllConditionalNatsPerDim: Double, invariance: [String: Double],
                frechetCinn: Double, frechetMlp: Double, diversityCinn: Double, calibration: Double, selfCalibration: Double?,
                mlpHeldOutMse: Double) {
        self.bitsKept = bitsKept; self.bitsKeptStandardError = bitsKeptStandardError
        self.nllConditionalNatsPerDim = nllConditionalNatsPerDim; self.invariance = invariance
        self.frechetCinn = frechetCinn; self.frechetMlp = frechetMlp; self.diversityCinn = diversityCinn
        self.calibration = calibration; self.selfCalibration = selfCalibration; self.mlpHeldOutMse = mlpHeldOutMse
    }

    /// The numbers of one repeat's layer result.
    public init(_ l: LayerResult) {
        self.init(bitsKept: l.bitsKept, bitsKeptStandardError: l.bitsKeptStandardError, nllConditionalNatsPerDim: l.nllConditionalNatsPerDim,
                  invariance: l.invariance, frechetCinn: l.frechetCinn, frechetMlp: l.frechetMlp, diversityCinn: l.diversityCinn,
                  calibration: l.calibration, selfCalibration: l.selfCalibration, mlpHeldOutMse: l.mlpHeldOutMse)
    }

    public static func combining(_ v: [Self], _ reduce: ([Double]) -> Double) -> Self {
        func optional(_ values: [Double?]) -> Double? { values.contains(nil) ? nil : reduce(values.compactMap { $0 }) }
        return Self(bitsKept: reduce(v.map(\.bitsKept)), bitsKeptStandardError: optional(v.map(\.bitsKeptStandardError)),
                    nllConditionalNatsPerDim: reduce(v.map(\.nllConditionalNatsPerDim)), invariance: combineFactors(v.map(\.invariance), reduce),
                    frechetCinn: reduce(v.map(\.frechetCinn)), frechetMlp: reduce(v.map(\.frechetMlp)),
                    diversityCinn: reduce(v.map(\.diversityCinn)), calibration: reduce(v.map(\.calibration)),
                    selfCalibration: optional(v.map(\.selfCalibration)), mlpHeldOutMse: reduce(v.map(\.mlpHeldOutMse)))
    }
}
