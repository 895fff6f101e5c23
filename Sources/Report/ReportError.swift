import Foundation

/// Errors of the report writers; each names the file and what to do about it.
public enum ReportError: Error, CustomStringConvertible, LocalizedError {
    /// The report folder does not exist (the pipeline creates it and puts the sheets there first).
    case missingDirectory(path: String)
    /// One of the report files could not be written; files this call had already created are removed.
    case cannotWrite(file: String, directory: String, reason: String)
    /// A figure path in the result would leave the report folder (absolute or containing "..").
    case figurePathOutsideReport(path: String)
    /// The result could not be encoded as JSON.
    case encodingFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .missingDirectory(path):
            return "\(path): report folder does not exist. Create it (the pipeline does) before writing the report."
        case let .cannotWrite(file, directory, reason):
            return "\(file): cannot write it in \(directory) (\(reason)). No report files were left half-written; "
                + "check that the folder is writable and that no directory or read-only file has that name."
        case let .figurePathOutsideReport(path):
            return "\(path): figure paths must be relative and stay inside the report folder (no leading / and no ..)."
        case let .encodingFailed(file, reason):
            return "\(file): cannot encode the result as JSON (\(reason))."
        }
    }

    public var errorDescription: String? { description }
}
