/// A factor of an image set that gets no read-out and no score, and why (`ImageSet.informativeFactors`).
public struct LeftOutFactor: Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public let reason: String

    public var description: String { "factor \(name) was left out: \(reason)" }
}
