import FileSupport
import Foundation
import Imaging

/// FashionScenes written as an image set (`diagnose scenes --table`): one PNG per scene,
/// `scene-000042.png` for scene 42, and `factors.csv`, an image table (`ImageTable.read`) with a
/// `path` column and one column per `SceneFactors.descriptors` entry, its kind declared in the
/// header (`class[categorical:10]`, `hue[circular:1]`, `saturation[continuous]`, …) and its values
/// those of `SceneFactors.values`, written as each Float's shortest text so they read back exactly.
///
/// The folder is built under a hidden staging name beside it and renamed into place when
/// complete, so an interrupted run never leaves a partial folder under the final name. An
/// existing folder is used only if empty, or, with `force`, if it is one of ours (our
/// factors.csv and nothing but scene PNGs): nothing we did not write is ever removed.
public struct SceneFolder {
    /// The image table's file name inside the folder.
    public static let tableName = "factors.csv"
    /// Digits of the scene index in a file name (more for indices past 999 999).
    public static let indexDigits = 6

    /// The folder, resolved (symbolic links followed, `.` and `..` removed).
    public let url: URL
    public let force: Bool

    /// Validates the destination before any scene is rendered.
    public init(_ path: String, force: Bool) throws {
        guard !path.isEmpty else {
            throw DatasetError.outputFolder(path: path, problem: "no folder named", fix: "Name a new folder, e.g. --out scenes")
        }
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        (url, self.force) = (resolved, force)
        let fm = FileManager.default
        // Replacing a folder that holds the working or home folder would remove them with it.
        let protected = [fm.currentDirectoryPath, NSHomeDirectory(), "/"]
            .map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        for p in protected where p == resolved.path || p.hasPrefix(resolved.path == "/" ? "/" : resolved.path + "/") {
            throw DatasetError.outputFolder(path: path, problem: "is or holds \(p) (the working or home folder)",
                                            fix: "Name a new folder for the scenes, e.g. --out scenes")
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: resolved.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DatasetError.outputFolder(path: path, problem: "is a file, not a folder",
                                                fix: "Choose another --out, or remove the file yourself")
            }
            let entries = (try? fm.contentsOfDirectory(atPath: resolved.path)) ?? []
            if !entries.isEmpty {
                if let foreign = SceneFolder.foreignEntry(in: resolved.path, entries: entries) {
                    throw DatasetError.outputFolder(
                        path: path, problem: "is not empty and is not a scene folder of ours (\(foreign))",
                        fix: "Choose another --out, or empty the folder yourself; --force only replaces a folder that `diagnose scenes --table` wrote")
                }
                guard force else {
                    throw DatasetError.outputFolder(path: path, problem: "already holds scenes (\(entries.count - 1) PNGs and \(SceneFolder.tableName))",
                                                    fix: "Pass --force to replace them, or choose another --out")
                }
            }
        }
    }

    /// The file name of scene `index`: `scene-000042.png`.
    public static func fileName(index: Int) -> String {
        let digits = String(index)
        return "scene-" + String(repeating: "0", count: max(0, indexDigits - digits.count)) + digits + ".png"
    }

    /// The table's header: `path` and each factor with its kind declared (ImageTable's syntax).
    public static var header: String {
        (["path"] + SceneFactors.descriptors.map { descriptor in
            switch descriptor.kind {
            case .categorical(let classes): return "\(descriptor.name)[categorical:\(classes)]"
            case .continuous: return "\(descriptor.name)[continuous]"
            case .circular(let period): return "\(descriptor.name)[circular:\(shortest(period))]"
            }
        }).joined(separator: ",")
    }

    /// One table line (without its line break): the file name, then the factor values,
    /// categorical ones as integer codes.
    public static func tableLine(fileName: String, factors: SceneFactors) -> String {
        ([fileName] + zip(SceneFactors.descriptors, factors.values).map { descriptor, value in
            if case .categorical = descriptor.kind { return String(Int(value)) }
            return shortest(value)
        }).joined(separator: ",")
    }

    /// Renders scenes `indices` of `world` into the folder and puts it in place. `progress` is
    /// called with the number of scenes written so far.
    public func write(_ world: FashionScenes, indices: Range<Int>, progress: ((Int) -> Void)? = nil) throws {
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        removeAbandonedStaging(in: parent)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.outputFolder(path: url.path, problem: "cannot create \(staging.path) (\(SceneFolder.reason(error)))",
                                            fix: "Choose an --out in a folder you can write to")
        }
        var published = false
        defer { if !published { try? fm.removeItem(at: staging) } }

        var lines = [SceneFolder.header]
        lines.reserveCapacity(indices.count + 1)
        let plane = world.size * world.size
        // Batches bound the memory: 20 000 scenes of 64x64 at once would take 1 GB of floats.
        let chunk = 256
        var done = 0
        for first in stride(from: indices.lowerBound, to: indices.upperBound, by: chunk) {
            let range = first..<min(first + chunk, indices.upperBound)
            let batch = world.batch(range)
            for (offset, index) in range.enumerated() {
                let name = SceneFolder.fileName(index: index)
                let pixels = batch.images[(offset * 3 * plane)..<((offset + 1) * 3 * plane)]
                try Image(chw: pixels, width: world.size, height: world.size).writePNG(to: staging.appendingPathComponent(name).path)
                lines.append(SceneFolder.tableLine(fileName: name, factors: batch.factors[offset]))
            }
            done += range.count
            progress?(done)
        }
        try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8),
                             to: staging.appendingPathComponent(SceneFolder.tableName).path)

        // The old folder (empty, or ours under --force) goes aside and is removed only once the
        // new one is in place.
        let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(getpid())")
        do {
            if fm.fileExists(atPath: url.path) { try fm.moveItem(at: url, to: old) }
            try fm.moveItem(at: staging, to: url)
        } catch {
            if fm.fileExists(atPath: old.path), !fm.fileExists(atPath: url.path) { try? fm.moveItem(at: old, to: url) }
            throw DatasetError.outputFolder(path: url.path, problem: "cannot put the finished folder in place (\(SceneFolder.reason(error)))",
                                            fix: "Check the permissions of \(parent.path)")
        }
        published = true
        try? fm.removeItem(at: old)
    }

    /// Why a non-empty folder is not ours, or nil if it is: it must hold our factors.csv (same
    /// header) and nothing else but scene PNGs.
    static func foreignEntry(in directory: String, entries: [String]) -> String? {
        let tablePath = directory + "/" + tableName
        guard entries.contains(tableName) else { return "no \(tableName)" }
        let bytes = (try? AtomicFile.read(tablePath)) ?? []
        let firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
        guard firstLine == header else { return "its \(tableName) does not start with the header this tool writes" }
        let other = entries.filter { $0 != tableName && !isSceneFileName($0) }.sorted()
        if let first = other.first { return "it also holds '\(first)'" + (other.count > 1 ? " and \(other.count - 1) more" : "") }
        return nil
    }

    /// `scene-` followed by at least `indexDigits` digits and `.png`.
    static func isSceneFileName(_ name: String) -> Bool {
        guard name.hasPrefix("scene-"), name.hasSuffix(".png") else { return false }
        let digits = name.dropFirst(6).dropLast(4)
        return digits.count >= indexDigits && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Removes staging folders that runs which died (kill -9, power loss) left beside the folder.
    private func removeAbandonedStaging(in parent: URL) {
        let prefix = ".\(url.lastPathComponent).partial-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid == getpid() || !(kill(pid, 0) == 0 || errno == EPERM) else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    /// A Float's shortest text that reads back as the same Float; whole numbers without ".0".
    static func shortest(_ x: Float) -> String {
        if x == x.rounded(), abs(x) < 1e7 { return String(Int(x)) }
        return x.description
    }

    /// The POSIX reason behind a Foundation error ("Permission denied", "No space left on device").
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
