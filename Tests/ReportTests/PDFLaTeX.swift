import Foundation
import XCTest

/// Runs pdflatex on a file of a report folder, for the tests that check the generated LaTeX for
/// real. Skips (with the packages to install) only where pdflatex is missing; CI installs it.
enum PDFLaTeX {
    static func executable() throws -> String {
        let candidates = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex", "/usr/local/texlive/bin/x86_64-linux/pdflatex"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("pdflatex is not installed (Debian: apt-get install --no-install-recommends texlive-latex-base "
                          + "texlive-latex-recommended texlive-pictures); .ci/run installs it, so CI never skips this")
        }
        return found
    }

    /// Compiles `file` (a .tex name) in `directory`; returns pdflatex's exit status and the log's tail.
    static func compile(_ file: String, in directory: URL) throws -> (status: Int32, log: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", file]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let logURL = directory.appendingPathComponent(String(file.dropLast(4)) + ".log")
        let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(log.suffix(2500)))
    }

}
