import Foundation

/// A file the tool reads or writes could not be: names the path, what was tried and the system's
/// reason, and says what to check.
public struct FileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let reason: String

    public init(path: String, operation: String, reason: String) {
        (self.path, self.operation, self.reason) = (path, operation, reason)
    }

    public var description: String {
        "\(path): cannot \(operation) (\(reason)). Check that the directory exists and is writable/readable."
    }
}

extension FileError: LocalizedError {
    public var errorDescription: String? { description }
}
