import Experts
import FileSupport
import Foundation

/// The report folder a run (or `diagnose compare`) writes: checked before any work starts, built
/// under a hidden staging name beside it, and swapped in only when complete. `--force` replaces
/// only a folder that is one of our reports (it holds report.json, or comparison.json for a
/// comparison) or is empty, never a folder that holds the working directory, the home folder, the
/// project or `/`: nothing we did not write is ever removed.
struct ReportFolder {
    let url: URL
    let force: Bool
    /// The file that marks a folder as one this tool wrote (report.json; comparison.json for
    /// `diagnose compare`): only such a folder, or an empty one, may be replaced.
    let marker: String

    /// The staging folder of this process, `.NAME.partial-PID` beside the report.
    var staging: URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
    }

    /// Validates `--out` (and `--force`) before any work starts.
    init(_ url: URL, force: Bool, marker: String = "report.json") throws {
        guard !url.path.isEmpty, url.lastPathComponent != "", url.path != "/" else {
            throw DiagnosisError("--out is empty or '/': name a new folder for the report, e.g. --out report")
        }
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath()
        (self.url, self.force, self.marker) = (resolved, force, marker)
        let fm = FileManager.default
        let protected = [fm.currentDirectoryPath, NSHomeDirectory(), ProjectFiles.root.path, "/"]
            .map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        for p in protected where p == resolved.path || p.hasPrefix(resolved.path == "/" ? "/" : resolved.path + "/") {
            throw DiagnosisError("--out \(url.path) is or holds \(p) (the working, home or project folder): "
                                 + "the report would replace it. Choose a new folder, e.g. --out report")
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: resolved.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DiagnosisError("--out \(url.path) is a file, not a report folder; choose another --out or remove the file yourself")
            }
            guard force else { throw DiagnosisError("\(url.path) exists; pass --force to replace it, or choose another --out") }
            let contents = (try? fm.contentsOfDirectory(atPath: resolved.path)) ?? []
            guard contents.isEmpty || contents.contains(marker) else {
                throw DiagnosisError("--out \(url.path) is not empty and holds no \(marker), so it is not a report of ours; "
                                     + "--force only replaces reports. Choose another --out or empty the folder yourself")
            }
        }
        // The first existing ancestor must be a writable folder: say so now, not as a Foundation error later.
        var ancestor = resolved.deletingLastPathComponent()
        while !fm.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) { ancestor.deleteLastPathComponent() }
        guard isDirectory.boolValue else {
            throw DiagnosisError("--out \(url.path): \(ancestor.path) is a file, not a folder; choose another --out")
        }
        guard fm.isWritableFile(atPath: ancestor.path) else {
            throw DiagnosisError("--out \(url.path): cannot write in \(ancestor.path) (permission denied); choose another --out")
        }
    }

    /// Makes an empty staging folder (with `subfolders`), after removing the staging folders that
    /// runs which died (kill -9, power loss) left beside the report.
    func prepareStaging(subfolders: [String]) throws {
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).partial-"
        for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid == getpid() || !Self.isAlive(pid) else { continue }
            try? fm.removeItem(at: parent.appendingPathComponent(name))
        }
        do {
            for sub in [""] + subfolders {
                try fm.createDirectory(at: staging.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
        } catch {
            throw DiagnosisError("cannot create the report under \(parent.path): \(Self.reason(error)); choose another --out")
        }
    }

    /// Puts the complete staging folder in place of the report. An old report (allowed by `init`)
    /// is moved aside first and removed only once the new one is in place.
    func publish() throws {
        let fm = FileManager.default
        let old = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old-\(getpid())")
        do {
            if fm.fileExists(atPath: url.path) { try fm.moveItem(at: url, to: old) }
            try fm.moveItem(at: staging, to: url)
        } catch {
            if fm.fileExists(atPath: old.path), !fm.fileExists(atPath: url.path) { try? fm.moveItem(at: old, to: url) }
            throw DiagnosisError("cannot put the report in place at \(url.path): \(Self.reason(error))")
        }
        try? fm.removeItem(at: old)
    }

    func discardStaging() { try? FileManager.default.removeItem(at: staging) }

    private static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// The POSIX reason behind a Foundation error ("Permission denied", "No space left on device").
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
