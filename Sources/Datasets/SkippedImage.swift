/// An image of an image set that could not be used (unreadable, truncated, not an image, a colour
/// space the tool does not convert): its path and why, for the warning that lists it.
public struct SkippedImage: Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
