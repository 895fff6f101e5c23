import Foundation

/// Runs commands (sbatch, squeue; the tool itself in the tests) and finds them on PATH.
enum Shell {
    struct Output { let status: Int32; let output: String; let errors: String }

    static func find(_ command: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(command) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> Output {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // stderr is drained on another thread, so that a command filling it (progress bars) cannot
        // block while stdout is read.
        let e = Drained(), done = DispatchGroup(), errors = err.fileHandleForReading
        DispatchQueue.global().async(group: done) { e.data = errors.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        done.wait()
        return Output(status: p.terminationStatus, output: String(decoding: o, as: UTF8.self), errors: String(decoding: e.data, as: UTF8.self))
    }

    /// What the reader thread drained: written once by it, read only after the group's wait.
    private final class Drained: @unchecked Sendable { var data = Data() }
}
