import Foundation
@testable import Report
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

    /// The report's standalone files, and paper.tex: an article that `\input`s table.tex,
    /// heatmap.tex and bits.tex as an author would.
    static let reportFiles = ["table-standalone.tex", "heatmap-standalone.tex", "bits-standalone.tex", "paper.tex"]

    static func writePaper(in directory: URL) throws {
        let paper = """
        \\documentclass{article}
        \(TeXStandalone.fontSetup)
        \\usepackage{booktabs}
        \\usepackage{pgfplots}
        \\pgfplotsset{compat=1.16}
        \\begin{document}
        \\input{table}
        \\begin{figure}[h]\\centering\\input{heatmap}\\caption{Invariance.}\\end{figure}
        \\begin{figure}[h]\\centering\\input{bits}\\caption{Bits kept.}\\end{figure}
        \\end{document}

        """
        try paper.write(to: directory.appendingPathComponent("paper.tex"), atomically: true, encoding: .utf8)
    }
}
