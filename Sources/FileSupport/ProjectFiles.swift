import Foundation

/// Where the tool finds its own files (probes/, Fixtures/weights/): $DIAGNOSE_HOME if set, else
/// the nearest folder above the executable or the working directory that holds probes/, else the
/// source checkout this binary was built from.
public enum ProjectFiles {
    public static let root: URL = {
        let fm = FileManager.default
        if let home = ProcessInfo.processInfo.environment["DIAGNOSE_HOME"] { return URL(fileURLWithPath: home) }
        let starts = [URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent(),
                      URL(fileURLWithPath: fm.currentDirectoryPath)]
        for start in starts {
            var dir = start.standardizedFileURL
            while dir.path != "/" {
                if fm.fileExists(atPath: dir.appendingPathComponent("probes/deeplab.json").path) { return dir }
                dir.deleteLastPathComponent()
            }
        }
        // Sources/FileSupport/ProjectFiles.swift → the checkout.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    public static var probes: URL { root.appendingPathComponent("probes") }
    public static var weights: URL { root.appendingPathComponent("Fixtures/weights") }
}
