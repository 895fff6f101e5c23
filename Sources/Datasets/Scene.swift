/// One rendered scene.
public struct Scene: Equatable, Sendable {
    public let size: Int
    /// RGB, CHW, values in 0...1: `3 * size * size` floats.
    public var pixels: [Float]
    /// Per pixel: garment class 0...9 where the garment's alpha exceeds
    /// `SceneFactorRanges.labelAlphaThreshold`, 10 (background) elsewhere. Row-major.
    public var labels: [UInt8]
    /// Per pixel garment opacity 0...1 (what the label thresholds). Row-major.
    public var alpha: [Float]
    public var factors: SceneFactors

    /// The label value of background pixels.
    public static let backgroundLabel: UInt8 = 10
}
