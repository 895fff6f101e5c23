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
        var e = Data()
        let reader = Thread { e = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished { usleep(1_000) }
        return Output(status: p.terminationStatus, output: String(decoding: o, as: UTF8.self), errors: String(decoding: e, as: UTF8.self))
    }
}
