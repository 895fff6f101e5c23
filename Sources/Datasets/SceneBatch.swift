/// Many scenes in the layouts training code wants.
public struct SceneBatch: Sendable {
    public let count: Int
    public let size: Int
    /// NCHW, `count * 3 * size * size` floats in 0...1.
    public var images: [Float]
    /// N x H x W label maps (0...9 garment class, 10 background).
    public var labels: [UInt8]
    public var factors: [SceneFactors]

    /// Factor values, `count` rows of `SceneFactors.descriptors.count` columns.
    public var factorMatrix: [Float] { factors.flatMap(\.values) }

    /// Garment class per scene, as Int32 for classification losses.
    public var classLabels: [Int32] { factors.map { Int32($0.classLabel) } }
}
